//! What Kaleyra posts back: delivery statuses of the messages a business sent, and the messages
//! its customers send (texts, button taps, list choices, completed flows, media, locations,
//! contacts), in Kaleyra's v2 envelope (facts §3).
//!
//! - [`Callback::from_slice`] reads a body, borrowing from it; [`Callback::statuses`],
//!   [`Callback::messages`] and [`Callback::extra_info`] are what it says;
//!   [`Callback::template_statuses`] holds a template status callback's event
//!   ([`TemplateStatus`]: approved, rejected with its reason, paused, disabled, …), which
//!   Kaleyra posts in its own flat shape.
//! - A completed flow's answers are read into a struct that declares them:
//!   `#[derive(FlowResponse)]`, [`FlowReply::parse`]; pair it with the flow that asks the
//!   questions (`#[flow(..., response = T)]`) and read it with [`FlowReply::parse_for`].
//! - With the `axum` feature, [`router`] is an axum router to mount in an application: it
//!   checks the callback profile's authentication, limits the body size, hands each event to a
//!   handler once, and answers so that Kaleyra redelivers what the handler could not take.
//!
//! ```
//! use kaleyra::callback::{Callback, Content, StatusState};
//!
//! let body = br#"{"meta_object": {"value": {"messaging_product": "whatsapp",
//!     "statuses": [{"id": "A0000000000000000001", "status": "delivered",
//!     "timestamp": "1722834665", "recipient_id": "919876543210"}]}, "field": "messages"},
//!     "extra_info": {"ref": "order-42"}, "status": "delivered", "message_id": "wamid.HBg"}"#;
//! let callback = Callback::from_slice(body)?;
//! for status in callback.statuses() {
//!     assert_eq!(status.state, StatusState::Delivered);
//!     assert_eq!(status.recipient_id, "919876543210");
//! }
//! assert_eq!(callback.extra_info().reference.as_deref(), Some("order-42"));
//! for message in callback.messages() {
//!     if let Content::Text(text) = &message.content {
//!         println!("{} wrote {}", message.from, text.body);
//!     }
//! }
//! # Ok::<(), kaleyra::Error>(())
//! ```

mod content;
mod de;
mod dedup;
mod envelope;
mod error;
mod flow;
mod status;
mod template;

#[cfg(feature = "axum")]
mod auth;
#[cfg(feature = "axum")]
mod receive;

pub use content::{
    ButtonReply, ButtonTap, ContactCard, ContactName, ContactPhone, Content, Context,
    IncomingMessage, ListReply, Location, Media, MediaKind, OtherContent, Text,
};
pub use dedup::{Claim, DedupStore, MemoryStore, message_key, status_key, template_status_key};
pub use envelope::{Callback, CallbackInfo, Metadata, Profile};
pub use error::{CallbackError, CallbackErrorKind};
pub use flow::{__derive, FlowReply, FlowResponse, FlowWithResponse};
pub use status::{
    Conversation, ErrorData, MetaError, MetaErrorCode, Origin, Pricing, Status, StatusState,
};
pub use template::{TemplateEvent, TemplateOtherInfo, TemplateStatus};

#[cfg(feature = "axum")]
pub use auth::{Auth, DEFAULT_MAX_LIVE_TOKENS, MAX_TOKEN_LIFETIME};
#[cfg(feature = "axum")]
pub use receive::{DEFAULT_BODY_LIMIT, Handler, Receiver, router};
