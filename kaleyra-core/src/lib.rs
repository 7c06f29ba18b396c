//! The runtime of [`kaleyra`](https://docs.rs/kaleyra): the rules WhatsApp and Kaleyra enforce,
//! the message model, its encoding, the HTTP transport and the Kaleyra simulator.
//!
//! Users depend on the `kaleyra` crate, which re-exports this one with its derive macros.
//! Built without the `transport` feature this crate has no network dependencies; the derive
//! macros use it that way to check templates at compile time with the same rules.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
// docs.rs (`--cfg docsrs`, nightly): each feature-gated item is labelled with its feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod callback;
pub mod catalogue;
pub mod encode;
mod error;
pub mod flows;
pub mod json;
pub mod layout;
pub mod manage;
mod message;
pub mod model;
mod params;
#[cfg(any(feature = "mock", feature = "axum"))]
mod percent;
#[doc(hidden)]
pub mod roles;
pub mod rules;
pub mod session;
mod value;

#[cfg(feature = "transport")]
pub mod bulk;
#[cfg(feature = "transport")]
mod client;
#[cfg(feature = "transport")]
mod limit;
#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "transport")]
pub mod response;
#[cfg(any(feature = "redis", feature = "journal"))]
pub mod scale;
#[cfg(feature = "transport")]
mod stats;

pub use catalogue::Catalogue;
pub use error::{
    ApiError, ApiErrorKind, ConfigError, DecodeError, Error, FileError, InvalidTemplate,
    TransportError, TransportErrorKind, ValidationError,
};
pub use layout::{ButtonKind, FlowAction, FlowMode, MediaKind, Route};
pub use message::{Card, Encode, Flow, Message, MessageKind, SessionMessage, Template};
pub use params::{Currency, DateTime, FlowButton, Location, Media, Mpm};
pub use value::{
    ExtraInfo, FlowId, IntoFlowId, Language, Otp, Recipient, SenderNumber, WaSource, WabaId,
};

#[cfg(feature = "transport")]
pub use bulk::SendAll;
#[cfg(feature = "transport")]
pub use client::{Accepted, Client, ClientBuilder, Region, Retry};
#[cfg(feature = "transport")]
pub use limit::RateLimit;
#[cfg(feature = "transport")]
pub use stats::{FailureKind, Stats};
