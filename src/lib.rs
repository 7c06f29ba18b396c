//! Send WhatsApp Business messages through Kaleyra's v2 API, with every approved template
//! declared once as a Rust struct and checked by the compiler.
//!
//! (The front page is written with the derive macros; see README.md.)

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use kaleyra_core::{
    ApiError, ApiErrorKind, ConfigError, DecodeError, Error, ExtraInfo, Flow, FlowAction, FlowId,
    FlowMode, IntoFlowId, Language, Message, MessageKind, Otp, Recipient, Route, SenderNumber,
    Template, TransportError, TransportErrorKind, ValidationError, WaSource, WabaId, model, rules,
};

pub use kaleyra_macros::{Flow, Template, otp};

#[cfg(feature = "transport")]
pub use kaleyra_core::{Accepted, Client, ClientBuilder, Region, Retry};

/// The Kaleyra simulator: a real HTTP server on 127.0.0.1 that behaves as Kaleyra's documents
/// describe, for tests and demos.
#[cfg(feature = "mock")]
pub mod mock {
    pub use kaleyra_core::mock::*;
}

/// What generated code uses. Not public API: no stability guarantees.
#[doc(hidden)]
pub mod __private {
    pub use kaleyra_core::{Encode, Error, Flow, MessageKind, Otp, Template};
    pub use kaleyra_core::{encode, json, roles};
    pub use std::vec::Vec;
}
