//! Send WhatsApp Business messages through Kaleyra's v2 API, with every approved template
//! declared once as a Rust struct and checked by the compiler.
//!
//! # Declare templates
//!
//! ```
//! use kaleyra::{ExtraInfo, Otp, Template, WaSource};
//!
//! /// The approved authentication template `auth1`.
//! #[derive(Template)]
//! #[template(name = "auth1", kind = otp, lang = "en_US")]
//! struct LoginCode {
//!     #[template(otp)]
//!     code: Otp,
//! }
//!
//! let message = LoginCode { code: Otp::new("J$FpXXXX")? }
//!     .to("+91 98765 43210")?                 // validated E.164, normalized
//!     .extra_info(ExtraInfo::new().reference("customer1").source(WaSource::Api));
//!
//! // The OTP is written once and sent twice, in the body and in the URL button.
//! let body = message.to_json();
//! let components = &body["messaging_object"]["template"]["components"];
//! assert_eq!(components[0]["parameters"][0]["text"], "J$FpXXXX");
//! assert_eq!(components[1]["parameters"][0]["text"], "J$FpXXXX");
//! assert_eq!(body["messaging_object"]["to"], "+919876543210");
//! # Ok::<(), kaleyra::Error>(())
//! ```
//!
//! The three template kinds and the interactive flow message:
//!
//! ```
//! use kaleyra::{Flow, Template};
//!
//! #[derive(Template)]
//! #[template(name = "flow_template20", kind = flow, lang = "en_US", button_index = 0)]
//! struct Survey {
//!     #[template(flow_token)]        // optional
//!     token: String,
//!     #[template(flow_action_data)]  // optional; any Serialize that is a JSON object
//!     first_screen: serde_json::Value,
//! }
//!
//! #[derive(Template)]
//! #[template(name = "abandoned_cart_offer", kind = product, lang = "en_US")]
//! struct CartOffer<'a> {
//!     #[template(product_retailer_id)]
//!     product: &'a str,
//!     #[template(catalog_id)]        // or `catalog_id = "194…"` on the struct
//!     catalog: &'a str,
//!     #[template(body)]              // body parameters {{1}}, {{2}}… in field order
//!     code: &'a str,
//!     #[template(body)]
//!     discount: String,
//! }
//!
//! #[derive(Flow)]
//! #[flow(id = "1234567890", cta = "Book now", screen = "WELCOME",
//!        header = "Flow message header", body = "Flow message body", footer = "Flow message footer")]
//! struct Booking {
//!     #[flow(token)]
//!     token: String,
//!     date: String,                  // the other fields form flow_action_payload.data
//!     guests: u8,
//! }
//!
//! let survey = Survey { token: "t-1".into(), first_screen: serde_json::json!({}) }
//!     .to("+919876543210")?;
//! let offer = CartOffer { product: "nqrxxx03ez", catalog: "194", code: "25OFF", discount: "25%".into() }
//!     .to("+16005550234")?;
//! assert_eq!(offer.route(), kaleyra::Route::Waba); // posted to /whatsapp/{waba_id}/messages
//! let booking = Booking { token: "t-2".into(), date: "2026-12-01".into(), guests: 2 }
//!     .to("+919876543210")?;
//! assert_eq!(
//!     booking.to_json()["messaging_object"]["interactive"]["action"]["parameters"]["flow_action_payload"],
//!     serde_json::json!({"screen": "WELCOME", "data": {"date": "2026-12-01", "guests": 2}})
//! );
//! # Ok::<(), kaleyra::Error>(())
//! ```
//!
//! # What the compiler rejects
//!
//! Whatever Kaleyra or WhatsApp would reject, on the offending token, with every mistake of a
//! struct in one build and "did you mean" for closed sets:
//!
//! ```compile_fail
//! #[derive(kaleyra::Template)]
//! #[template(name = "auth1", kind = otp, lang = "en-US")] // unknown language `en-US`, did you mean `en_US`?
//! struct LoginCode {
//!     #[template(otp)]
//!     code: kaleyra::Otp,
//! }
//! ```
//!
//! ```compile_fail
//! let code = kaleyra::otp!("0123456789abcdefg"); // OTP must be at most 15 characters, found 17
//! ```
//!
//! # Send
//!
//! [`Client`] posts a [`Message`] to its documented endpoint and types every answer:
//!
//! ```no_run
//! # use kaleyra::{Otp, Template};
//! # #[derive(Template)]
//! # #[template(name = "auth1", kind = otp, lang = "en_US")]
//! # struct LoginCode { #[template(otp)] code: Otp }
//! # async fn run() -> Result<(), kaleyra::Error> {
//! // KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_REGION or KALEYRA_BASE_URL, KALEYRA_SENDER, KALEYRA_WABA_ID
//! let client = kaleyra::Client::from_env()?;
//! let message = LoginCode { code: Otp::new("123456")? }.to("+919876543210")?;
//! match client.send(&message).await {
//!     Ok(accepted) => println!("sent: {}", accepted.message_id),
//!     Err(e) if e.is_retryable() => println!("try again later: {e}"),
//!     Err(e) => return Err(e),
//! }
//! # Ok(()) }
//! ```
//!
//! With the `mock` feature, [`mock::MockServer`] is a Kaleyra simulator on 127.0.0.1 to test
//! against.
//!
//! # Features
//!
//! - `transport` (default): [`Client`], over reqwest with rustls.
//! - `mock`: the simulator, `kaleyra::mock`.
//! - `axum`: receiving Kaleyra's callbacks, `kaleyra::callback::router`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use kaleyra_core::{
    ApiError, ApiErrorKind, ConfigError, DecodeError, Error, ExtraInfo, Flow, FlowAction, FlowId,
    FlowMode, IntoFlowId, Language, Message, MessageKind, Otp, Recipient, Route, SenderNumber,
    Template, TransportError, TransportErrorKind, ValidationError, WaSource, WabaId, model, rules,
};

/// Derives [`Template`](trait@Template) for a struct that declares an approved template.
///
/// `#[template(name = "…", kind = otp|flow|product, lang = "…", button_index = N,
/// catalog_id = "…", crate = path)]` on the struct; on its fields, one role each:
/// `otp`, `body`, `flow_token`, `flow_action_data`, `product_retailer_id`, `catalog_id`, or
/// `skip`. See the crate documentation.
pub use kaleyra_macros::Template;

/// Derives [`Flow`](trait@Flow) for a struct that declares an interactive flow message.
///
/// `#[flow(id = "…" | name = "…", cta = "…", screen = "…", action = navigate|data_exchange,
/// mode = draft|published, header = "…", body = "…", footer = "…", response = Type,
/// crate = path)]` on the struct (`response` names the [`FlowResponse`](trait@FlowResponse) its
/// completion is read into, see [`callback::FlowReply::parse_for`]); on fields `#[flow(token)]`, `#[flow(header)]`, `#[flow(body)]`, `#[flow(footer)]`,
/// `#[flow(skip)]`; every other field is a member of `flow_action_payload.data`
/// (`#[flow(rename = "key")]` renames it).
pub use kaleyra_macros::Flow;

/// Derives [`FlowResponse`](trait@FlowResponse) for a struct that declares a flow's answers,
/// read from a completed flow's `response_json`.
///
/// Each field is read from the member of its name (`#[flow_response(rename = "key")]` to read
/// another); `#[flow_response(token)]` marks the field holding `flow_token` (a `String`, or an
/// `Option<String>` when it may be missing); `Option` fields may be missing; `#[flow_response(skip)]`
/// fields are not read and take their `Default`. `#[flow_response(crate = path)]` on the struct.
///
/// Pair it with the flow that asks the questions, so that one declaration shows what goes out
/// and what comes back: `response = T` on the `#[flow(...)]`, then
/// [`reply.parse_for::<TheFlow>()`](callback::FlowReply::parse_for).
///
/// ```
/// use kaleyra::{Flow, FlowResponse};
///
/// #[derive(Flow)]
/// #[flow(id = "1234567890", cta = "Book now", screen = "WELCOME", body = "Book a table",
///        response = Booked)]
/// struct Booking {
///     #[flow(token)]
///     token: String,
/// }
///
/// #[derive(FlowResponse)]
/// struct Booked {
///     #[flow_response(token)]
///     token: String,
///     date: String,
///     #[flow_response(rename = "guest_count")]
///     guests: u8,
///     note: Option<String>,
/// }
///
/// let json = r#"{"flow_token": "booking-42", "date": "2026-12-01", "guest_count": 2}"#;
/// let booked = Booked::from_response_json(json)?;
/// assert_eq!((booked.token.as_str(), booked.guests, booked.note), ("booking-42", 2, None));
/// # Ok::<(), kaleyra::Error>(())
/// ```
pub use kaleyra_macros::FlowResponse;

pub use kaleyra_core::callback::FlowResponse;

/// What Kaleyra posts back: delivery statuses and customers' messages, read from Kaleyra's v2
/// envelope; with the `axum` feature, `callback::router` receives them in your application.
///
/// The README's example, compiled:
///
/// ```no_run
/// # #[cfg(feature = "axum")]
/// # mod example {
/// use kaleyra::callback::{self, Auth, Callback, Content, StatusState};
/// use kaleyra::{Flow, FlowResponse};
///
/// #[derive(Flow)]
/// #[flow(id = "1234567890", cta = "Book a table", screen = "BOOKING",
///        body = "When would you like to come?", response = Booked)]   // what comes back
/// struct Booking {
///     #[flow(token)]
///     token: String,
/// }
///
/// #[derive(Debug, FlowResponse)]
/// struct Booked {
///     #[flow_response(token)]            // the flow_token the flow was sent with
///     token: String,
///     date: String,
///     #[flow_response(rename = "guest_count")]
///     guests: u8,
///     note: Option<String>,              // optional: may be missing
/// }
///
/// async fn on_callback(callback: Callback<'static>) -> Result<(), String> {
///     for status in callback.statuses() {
///         let reference = callback.extra_info().reference.as_deref();
///         match status.state {
///             StatusState::Failed => {
///                 for error in &status.errors {
///                     // e.g. MetaErrorCode::ReEngagementWindow (131047): send a template instead
///                     println!("{} failed: {error} (retryable: {})", status.id, error.is_retryable());
///                 }
///             }
///             _ => println!("{} is {} (ref {reference:?})", status.id, status.state),
///         }
///     }
///     for message in callback.messages() {
///         match &message.content {
///             Content::FlowReply(reply) => {
///                 let booked = reply.parse_for::<Booking>().map_err(|e| e.to_string())?;
///                 println!("{} booked {booked:?}", message.from);
///             }
///             Content::Text(text) => println!("{} wrote {}", message.from, text.body),
///             other => println!("{} sent a {} message", message.from, other.kind()),
///         }
///     }
///     Ok(()) // an Err answers 500: Kaleyra delivers the callback again
/// }
///
/// pub async fn serve() -> Result<(), Box<dyn std::error::Error>> {
///     let auth = Auth::header("x-kaleyra-secret", std::env::var("KALEYRA_CALLBACK_SECRET")?)?;
///     // or Auth::basic(user, password)?, or Auth::bearer(client_id, client_secret)? (token route at /kaleyra/token)
///     let app = axum::Router::new().nest("/kaleyra", callback::router(auth, on_callback));
///     let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
///     axum::serve(listener, app).await?;     // the callback profile's endpoint: https://your.host/kaleyra
///     Ok(())
/// }
/// # }
/// ```
pub mod callback {
    pub use kaleyra_core::callback::*;
}

/// An [`Otp`] from a string literal, checked at compile time.
///
/// ```
/// const DEMO: kaleyra::Otp = kaleyra::otp!("123456");
/// assert_eq!(DEMO.as_str(), "123456");
/// ```
pub use kaleyra_macros::otp;

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

    pub use kaleyra_core::callback::{__derive as flow_response, FlowResponse, FlowWithResponse};
    pub use std::string::String;
}
