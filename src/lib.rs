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
//! # Send many
//!
//! [`Client::send_all`] sends an iterator (or a stream, through [`bulk::from_stream`]) with a
//! concurrency limit and the client's [`RateLimit`] (80 messages a second per sender by
//! default), retrying as its [`Retry`] policy allows, and yields each message's result once with
//! its key; [`Client::stats`] counts them:
//!
//! ```no_run
//! use std::time::Duration;
//! use kaleyra::{ApiErrorKind, Client, Error, FailureKind, Otp, RateLimit, Retry, Template};
//!
//! #[derive(Template)]
//! #[template(name = "auth1", kind = otp, lang = "en_US")]
//! struct LoginCode {
//!     #[template(otp)]
//!     code: Otp,
//! }
//!
//! struct Customer { id: u64, phone: String, code: String }
//!
//! async fn send_codes(customers: Vec<Customer>) -> Result<(), Error> {
//!     let client = Client::builder()
//!         .sid("HXAP16XXXXXX97IN")
//!         .api_key(std::env::var("KALEYRA_API_KEY").unwrap_or_default())
//!         .sender("+15550001234")
//!         .rate_limit(RateLimit::per_second(80))   // the default: WhatsApp's 80 a second per number
//!         .retry(Retry::new(3).backoff(Duration::from_millis(500)))   // opt-in
//!         .build()?;
//!
//!     // (key, message) pairs: any key; plain messages are keyed by their position instead.
//!     let mut messages = Vec::new();
//!     for c in &customers {
//!         messages.push((c.id, LoginCode { code: Otp::new(&c.code)? }.to(&c.phone)?));
//!     }
//!     let mut sending = client.send_all(messages).concurrency(64);
//!     while let Some((id, result)) = sending.next().await {
//!         match result {
//!             Ok(accepted) => println!("{id}: {}", accepted.message_id),
//!             Err(e) if e.is_ambiguous() => println!("{id}: may have been sent, check before resending: {e}"),
//!             Err(e) => println!("{id}: not sent: {e}"),
//!         }
//!     }
//!     let stats = client.stats();
//!     println!(
//!         "{} sent, {} accepted, {} failed ({} with WA429), {} retries, {} throttled",
//!         stats.sent, stats.accepted, stats.failed,
//!         stats.failed_with(FailureKind::Api(ApiErrorKind::RateLimited)),
//!         stats.retried, stats.throttled,
//!     );
//!     Ok(())
//! }
//! ```
//!
//! # Features
//!
//! - `transport` (default): [`Client`], over reqwest with rustls; `send_all`, rate limits,
//!   retries, counters.
//! - `mock`: the simulator, `kaleyra::mock`.

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
/// mode = draft|published, header = "…", body = "…", footer = "…", crate = path)]` on the
/// struct; on fields `#[flow(token)]`, `#[flow(header)]`, `#[flow(body)]`, `#[flow(footer)]`,
/// `#[flow(skip)]`; every other field is a member of `flow_action_payload.data`
/// (`#[flow(rename = "key")]` renames it).
pub use kaleyra_macros::Flow;

/// An [`Otp`] from a string literal, checked at compile time.
///
/// ```
/// const DEMO: kaleyra::Otp = kaleyra::otp!("123456");
/// assert_eq!(DEMO.as_str(), "123456");
/// ```
pub use kaleyra_macros::otp;

#[cfg(feature = "transport")]
pub use kaleyra_core::{Accepted, Client, ClientBuilder, Region, Retry};
#[cfg(feature = "transport")]
pub use kaleyra_core::{FailureKind, RateLimit, SendAll, Stats, bulk, response};

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
