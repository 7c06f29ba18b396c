//! Send WhatsApp Business messages through Kaleyra's v2 API, with every approved template
//! declared once as a Rust struct and checked by the compiler.
//!
//! # Add it to your project
//!
//! ```sh
//! cargo add kaleyra                                   # the derives, the messages, the client (feature `transport`, default)
//! cargo add tokio@1 --features macros,rt-multi-thread # the runtime the client runs on: #[tokio::main]
//! cargo add kaleyra --dev --features mock             # the simulator, for your tests
//! ```
//!
//! To receive Kaleyra's callbacks in an axum app: `cargo add kaleyra --features axum`,
//! `cargo add axum@0.8` (the axum [`callback::router`] is built with), and tokio's `net` feature
//! for the listener (`cargo add tokio@1 --features macros,rt-multi-thread,net`). The features are
//! listed [below](#features).
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
//! # General templates
//!
//! Without `kind`, a template's components follow from its fields' roles: a header (text,
//! [`Media`] or [`Location`]), body parameters (text, [`Currency`], [`DateTime`]; positional or
//! named), buttons of every sub-type, a limited-time offer, and a carousel of cards declared with
//! `#[derive(Card)]`. `use kaleyra::prelude::*` brings the derives, their traits and the value
//! types.
//!
//! ```
//! use kaleyra::prelude::*;
//!
//! #[derive(Template)]
//! #[template(name = "order_shipped", lang = "en_US")]
//! struct OrderShipped<'a> {
//!     #[template(header)]                          // text, Media (image, video, document) or Location
//!     photo: Media,
//!     #[template(body)]                            // {{1}}
//!     customer: &'a str,
//!     #[template(body)]                            // {{2}}
//!     total: Currency,
//!     #[template(body)]                            // {{3}}
//!     delivery: DateTime,
//!     #[template(button(url, index = 0))]          // the dynamic URL's suffix
//!     tracking: String,
//!     #[template(button(quick_reply, index = 1))]  // payload returned when tapped
//!     stop: &'static str,
//! }
//!
//! #[derive(Template)]
//! #[template(name = "welcome_named", lang = "en_US")]
//! struct Welcome {
//!     #[template(body = "first_name")]             // named parameter {{first_name}}
//!     first_name: String,
//!     #[template(button(copy_code, index = 0))]    // coupon code
//!     coupon: String,
//! }
//!
//! #[derive(Card)]
//! struct Offer {
//!     #[card(header)]                              // an image or a video
//!     image: Media,
//!     #[card(body)]
//!     price: Currency,
//!     #[card(button(quick_reply, index = 0))]
//!     payload: String,
//! }
//!
//! #[derive(Template)]
//! #[template(name = "summer_carousel", lang = "en_US")]
//! struct Summer {
//!     #[template(body)]
//!     name: String,
//!     #[template(carousel)]                        // [Offer; N] (1-10, checked at compile time), Vec<Offer> or &[Offer]
//!     cards: [Offer; 3],
//! }
//!
//! let shipped = OrderShipped {
//!     photo: Media::image_link("https://example.com/parcel.jpg")?,
//!     customer: "Ada",
//!     total: Currency::new("USD", 100_990, "$100.99")?,   // ISO 4217 code, amount × 1000, fallback text
//!     delivery: DateTime::new("Tuesday, 3 March")?,
//!     tracking: "track/42".into(),
//!     stop: "STOP",
//! }
//! .to("+919876543210")?;
//! let components = &shipped.to_json()["messaging_object"]["template"]["components"];
//! assert_eq!(components[0]["parameters"][0]["image"]["link"], "https://example.com/parcel.jpg");
//! assert_eq!(components[1]["parameters"][1]["currency"]["amount_1000"], 100_990);
//! assert_eq!(components[2]["sub_type"], "url");
//!
//! let welcome = Welcome { first_name: "Ada".into(), coupon: "SAVE25".into() }.to("+919876543210")?;
//! assert_eq!(
//!     welcome.to_json()["messaging_object"]["template"]["components"][0]["parameters"][0],
//!     serde_json::json!({"type": "text", "parameter_name": "first_name", "text": "Ada"})
//! );
//!
//! let offer = |price| -> Result<Offer, Error> {
//!     Ok(Offer {
//!         image: Media::image_link("https://example.com/summer.jpg")?,
//!         price,
//!         payload: "buy".into(),
//!     })
//! };
//! let summer = Summer {
//!     name: "Ada".into(),
//!     cards: [
//!         offer(Currency::new("EUR", 5_000, "€5")?)?,
//!         offer(Currency::new("EUR", 7_500, "€7.50")?)?,
//!         offer(Currency::new("EUR", 9_900, "€9.90")?)?,
//!     ],
//! }
//! .to("+919876543210")?;
//! let cards = &summer.to_json()["messaging_object"]["template"]["components"][1]["cards"];
//! assert_eq!(cards[1]["card_index"], 1);
//!
//! // Values are checked when built and when the message is built: nothing invalid is sent.
//! assert!(Media::image_link("http://example.com/a.jpg").is_err());  // https only
//! assert!(Welcome { first_name: "Ada".into(), coupon: "SIXTEEN_CHARS_XX".into() }
//!     .to("+919876543210")
//!     .is_err()); // a coupon code has at most 15 characters
//! # Ok::<(), kaleyra::Error>(())
//! ```
//!
//! [`model::StandardTemplate`] builds the same bytes for templates only known at run time.
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
//! ```compile_fail
//! use kaleyra::prelude::*;
//!
//! #[derive(Template)]
//! #[template(name = "order_shipped", lang = "en_US")]
//! struct OrderShipped {
//!     #[template(button(url, index = 0))]
//!     tracking: String,
//!     #[template(button(quick_reply, index = 0))] // this template has button index `0` twice
//!     stop: String,
//! }
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
//! | feature | default | what it adds | what it brings in |
//! | --- | --- | --- | --- |
//! | `transport` | yes | [`Client`], [`ClientBuilder`], [`Client::send_all`] ([`SendAll`], [`bulk`]), [`RateLimit`], [`Retry`], [`Stats`], [`response`] | reqwest (rustls, no OpenSSL), tokio |
//! | `mock` | no | [`mock`]: [`mock::MockServer`], the Kaleyra simulator on 127.0.0.1, for tests and demos (turns on `transport`) | axum, hyper |
//! | `axum` | no | [`callback::router`], [`callback::Receiver`], [`callback::Auth`], [`callback::Handler`]: receiving callbacks in an axum 0.8 app | axum 0.8, tokio |
//!
//! With `default-features = false`, what is left needs neither tokio nor an HTTP client: the
//! derives, [`otp!`], the messages and their bytes ([`Message::to_json`], [`Message::as_bytes`]),
//! [`model`], the [`catalogue`] check and [`callback::Callback::from_slice`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]
// docs.rs (`--cfg docsrs`, nightly): each feature-gated item is labelled with its feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use kaleyra_core::{
    ApiError, ApiErrorKind, ButtonKind, Card, ConfigError, Currency, DateTime, DecodeError, Error,
    ExtraInfo, FileError, Flow, FlowAction, FlowButton, FlowId, FlowMode, IntoFlowId,
    InvalidTemplate, Language, Location, Media, MediaKind, Message, MessageKind, Mpm, Otp,
    Recipient, Route, SenderNumber, SessionMessage, Template, TransportError, TransportErrorKind,
    ValidationError, WaSource, WabaId, model, rules, session,
};

/// The approved-template catalogue: `kaleyra-templates.json` (written by `kaleyra templates
/// pull`), [`Catalogue::check`] for messages built at run time, and the typed template
/// definitions [`Client::templates`](crate::Client::templates) returns. `#[derive(Template)]`
/// checks each struct against the same file at compile time.
pub use kaleyra_core::catalogue::{self, Catalogue};

/// Which types a derived template's field takes in each role: `#[template(body)]` a
/// [`TemplateParameter`](roles::TemplateParameter), `#[card(body)]` a
/// [`CardParameter`](roles::CardParameter), `#[template(header)]` a
/// [`TemplateHeader`](roles::TemplateHeader), and so on; each trait's page lists the types that
/// implement it (`String`, `&str`, [`Currency`], [`DateTime`], [`Media`], …). A field of
/// another type fails to compile with an error that names its trait here. The library
/// implements these traits; their methods are what the derives call.
pub mod roles {
    pub use kaleyra_core::roles::*;
}

/// Everything a program that sends messages usually needs, in one import:
/// `use kaleyra::prelude::*;` brings the derives and their traits (so that `.to(…)` is in
/// scope, also for the [`session`] messages), the value types and the client.
pub mod prelude {
    #[cfg(feature = "transport")]
    pub use crate::Client;
    pub use crate::{
        Card, Currency, DateTime, Error, ExtraInfo, Flow, FlowButton, FlowResponse, Location,
        Media, Message, Mpm, Otp, SessionMessage, Template, WaSource,
    };
    // Reply buttons and lists (issue 15): the derives, and the trait a tap is read back with.
    pub use crate::session::Choice;
    pub use crate::{Buttons, Menu};
}

/// Derives [`Template`](trait@Template) for a struct that declares an approved template.
///
/// # On the struct: `#[template(...)]`
///
/// | key | | meaning |
/// | --- | --- | --- |
/// | `name = "…"` | required | the approved template's name: `[a-z0-9_]`, 1-512 characters |
/// | `lang = "…"` | required | its language code, one of Meta's 111 (`en_US`, `pt_BR`, `hi`, …) |
/// | `kind = otp \| flow \| product \| standard` | optional | the kind of template; without it (or with `standard`), a general template whose components follow from the field roles |
/// | `button_index = N` | `otp`, `flow` | the position (0-9, default 0) of the OTP's URL button or of the flow button |
/// | `catalog_id = "…"` | `product` | the catalog, when it is fixed (else a `catalog_id` field) |
/// | `crate = path` | optional | the path to `kaleyra` when it is renamed or re-exported |
/// | `unchecked` | optional | skip the check against the approved-template catalogue (a template still in review) |
///
/// # On the fields: one role each
///
/// A general template (no `kind`, or `kind = standard`):
///
/// | role | the field holds |
/// | --- | --- |
/// | `header` | the header: text (`String`, `&str`, `Cow<str>`; at most 60 characters), [`Media`] (image, video or document) or [`Location`] |
/// | `header = "name"` | a named header text parameter `{{name}}` |
/// | `body` | the next positional body parameter `{{1}}`, `{{2}}`, … (in field order): text, [`Currency`] or [`DateTime`] |
/// | `body = "name"` | the named body parameter `{{name}}` (`[a-z0-9_]+`); a template's parameters are all named or all positional |
/// | `button(url, index = N)` | the suffix of the dynamic URL button at position N (text) |
/// | `button(quick_reply, index = N)` | the payload of a quick-reply button (text) |
/// | `button(copy_code, index = N)` | the coupon code of a copy-code button (text, at most 15 characters; one per template) |
/// | `button(flow, index = N)` | a flow button's token and data: [`FlowButton`] |
/// | `button(catalog, index = N)` | the retailer id of a catalog button's thumbnail product (text) |
/// | `button(mpm, index = N)` | a multi-product button's thumbnail and sections: [`Mpm`] |
/// | `limited_time_offer` | when the offer expires: milliseconds since the UNIX epoch (`u64`, `i64`) or a `SystemTime` |
/// | `carousel` | the cards: `[C; N]` (1-10), `Vec<C>` or `&[C]` of a type `C` that derives [`Card`](derive@Card); a carousel template has no header or buttons of its own (they are on the cards) |
///
/// The other kinds:
///
/// | kind | roles |
/// | --- | --- |
/// | `otp` | `otp` (exactly one: [`Otp`] or text; sent in the body and the URL button) |
/// | `flow` | `body` (positional text), `flow_token` (text, or `Option<…>` of text: `None` leaves it out), `flow_action_data` (any `Serialize` that is a JSON object, or an `Option` of one) |
/// | `product` | `product_retailer_id` (text), `catalog_id` (text), `body` (positional text) |
///
/// Any kind: `skip` marks a field that is not sent; `PhantomData` fields need no role. The
/// struct may have lifetimes and type parameters.
///
/// Every mistake is a compile error on its token, all of a struct's at once, with "did you
/// mean" for keys, roles, kinds, button sub-types and languages: two headers, a button index
/// twice or outside 0-9, more than 10 buttons, named and positional parameters mixed, a bad or
/// repeated parameter name, two copy-code buttons, a carousel array of 0 or more than 10 cards,
/// two carousels or limited-time offers, a role of another kind, a field type that cannot fill
/// its role. See the crate documentation for examples.
///
/// With a template catalogue (`KALEYRA_TEMPLATES`, or the nearest `kaleyra-templates.json`
/// from the crate's directory upward), the struct must also match its approved template; see
/// [`catalogue`]. `#[template(unchecked)]` opts one struct out.
pub use kaleyra_macros::Template;

/// Derives [`Card`](trait@Card) for a struct that declares one card of a carousel template
/// (a `#[template(carousel)]` field holds the cards).
///
/// On the struct, optionally `#[card(crate = path)]`. On the fields, one role each:
///
/// | role | the field holds |
/// | --- | --- |
/// | `header` | required, exactly one: the card's image or video, a [`Media`] |
/// | `body` | the card's next body parameter `{{1}}`, `{{2}}`, … (in field order): text, [`Currency`] or [`DateTime`] |
/// | `button(quick_reply, index = N)` | the payload of the card's quick-reply button at position N (0-9) |
/// | `button(url, index = N)` | the suffix of the card's dynamic URL button |
/// | `skip` | not sent |
///
/// ```
/// use kaleyra::prelude::*;
///
/// #[derive(Card)]
/// struct Offer<'a> {
///     #[card(header)]
///     image: &'a Media,
///     #[card(body)]
///     price: &'a str,
///     #[card(button(quick_reply, index = 0))]
///     payload: &'a str,
/// }
///
/// #[derive(Template)]
/// #[template(name = "summer_carousel", lang = "en_US")]
/// struct Summer<'a> {
///     #[template(body)]
///     name: &'a str,
///     #[template(carousel)]
///     cards: Vec<Offer<'a>>,     // 1-10 cards, checked when the message is built
/// }
///
/// let image = Media::image_link("https://example.com/summer.jpg")?;
/// let cards = vec![Offer { image: &image, price: "$5", payload: "buy-1" }];
/// let message = Summer { name: "Ada", cards }.to("+919876543210")?;
/// assert!(message.as_str().contains(r#""cards":[{"card_index":0,"components":[{"type":"header""#));
/// assert!(Summer { name: "Ada", cards: Vec::new() }.to("+919876543210").is_err());
/// # Ok::<(), kaleyra::Error>(())
/// ```
pub use kaleyra_macros::Card;

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

/// Derives the reply buttons of an interactive message from an enum: 1-3 unit variants, each
/// `#[button(title = "…")]` (1-20 characters, unique) and optionally `id = "…"` (1-256
/// characters, unique; the variant's name by default). The compiler checks every literal.
///
/// `Enum::ask(body)` returns a [`session::Buttons`] (so `.header(…)`, `.footer(…)` and
/// `.to(…)` follow, and the bytes are the runtime builder's); the customer's tap is read back
/// with [`ButtonReply::parse`](callback::ButtonReply::parse) into the same enum
/// ([`session::Choice`]).
///
/// ```
/// use kaleyra::prelude::*;
///
/// #[derive(Buttons, Debug, PartialEq)]
/// enum Delivery {
///     #[button(title = "Tomorrow")]
///     Tomorrow,
///     #[button(title = "Next week")]
///     NextWeek,
///     #[button(id = "cancel", title = "Cancel order")] // id defaults to the variant name
///     Cancel,
/// }
///
/// let ask = Delivery::ask("When should we deliver?")?.footer("Reply within 24 hours")?.to("+919876543210")?;
/// let buttons = &ask.to_json()["messaging_object"]["interactive"]["action"]["buttons"];
/// assert_eq!(buttons[2]["reply"], serde_json::json!({"id": "cancel", "title": "Cancel order"}));
/// assert_eq!(Delivery::from_id("NextWeek"), Some(Delivery::NextWeek));
/// # Ok::<(), kaleyra::Error>(())
/// ```
pub use kaleyra_macros::Buttons;

/// Derives the rows of a list message from an enum: 1-10 unit variants, each
/// `#[menu(title = "…")]` (1-24 characters) with optionally `description = "…"` (1-72),
/// `id = "…"` (1-200, unique; the variant's name by default) and `section = "…"` (1-24);
/// `#[menu(button = "…")]` on the enum labels the button that opens the list (1-20).
/// Variants naming the same `section` form one section, in declaration order; `section` may
/// be left out only when no variant names one (one untitled section).
///
/// `Enum::ask(body)` returns a [`session::List`]; the choice is read back with
/// [`ListReply::parse`](callback::ListReply::parse).
///
/// ```
/// use kaleyra::prelude::*;
///
/// #[derive(Menu, Debug, PartialEq)]
/// #[menu(button = "Pick a slot")]
/// enum Slot {
///     #[menu(section = "Morning", title = "09:00-12:00")]
///     Morning,
///     #[menu(section = "Afternoon", title = "12:00-15:00", description = "We call first")]
///     Afternoon,
/// }
///
/// let ask = Slot::ask("When can we call?")?.to("+919876543210")?;
/// let sections = &ask.to_json()["messaging_object"]["interactive"]["action"]["sections"];
/// assert_eq!(sections[1]["title"], "Afternoon");
/// assert_eq!(sections[1]["rows"][0]["description"], "We call first");
/// # Ok::<(), kaleyra::Error>(())
/// ```
pub use kaleyra_macros::Menu;

/// What Kaleyra posts back: delivery statuses and customers' messages, read from Kaleyra's v2
/// envelope; with the `axum` feature, `callback::router` receives them in your application.
///
/// Reading a callback ([`Callback::from_slice`](crate::callback::Callback::from_slice)) needs
/// no feature; [`router`](crate::callback::router), [`Receiver`](crate::callback::Receiver),
/// [`Auth`](crate::callback::Auth), [`Handler`](crate::callback::Handler) and
/// [`DEFAULT_BODY_LIMIT`](crate::callback::DEFAULT_BODY_LIMIT) are available with the `axum`
/// feature.
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

    /// Available with the `axum` feature.
    // Named as well as globbed, so that the docs can label them with their feature (the module
    // index and their methods show it).
    #[cfg(feature = "axum")]
    #[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
    pub use kaleyra_core::callback::{
        Auth, DEFAULT_BODY_LIMIT, DEFAULT_MAX_LIVE_TOKENS, Handler, MAX_TOKEN_LIFETIME, Receiver,
        router,
    };
}

/// WhatsApp Flows as code (issue 16). The flow lifecycle on [`Client`] (feature `transport`):
/// [`create_flow`](Client::create_flow), [`update_flow`](Client::update_flow),
/// [`upload_flow_json`](Client::upload_flow_json) (Meta's validation errors typed as
/// [`flows::FlowValidationError`], with lines and columns), [`publish_flow`](Client::publish_flow),
/// [`deprecate_flow`](Client::deprecate_flow), [`delete_flow`](Client::delete_flow) (drafts),
/// [`flow`](Client::flow) (a [`flows::FlowFields`] selection), [`list_flows`](Client::list_flows)
/// (every page), [`flow_assets`](Client::flow_assets) and [`migrate_flows`](Client::migrate_flows).
/// Meta's flow error codes are [`ApiErrorKind`]s (`FlowNameNotUnique`, `FlowNotPublishable`,
/// `FlowNotDeletable`, …) whose message says what to do. See README.md, "Flow lifecycle".
///
/// Flow JSON as code: [`flows::FlowJson`], Meta's Flow JSON document as Rust types,
/// read, built in code, written back, and checked against Meta's rules with
/// [`flows::FlowJson::validate`] (each [`flows::FlowViolation`] with its JSON path and rule).
pub mod flows {
    pub use kaleyra_core::flows::*;
}

/// An [`Otp`] from a string literal, checked at compile time.
///
/// ```
/// const DEMO: kaleyra::Otp = kaleyra::otp!("123456");
/// assert_eq!(DEMO.as_str(), "123456");
/// ```
pub use kaleyra_macros::otp;

/// Available with the `transport` feature (on by default).
#[cfg(feature = "transport")]
#[cfg_attr(docsrs, doc(cfg(feature = "transport")))]
pub use kaleyra_core::{Accepted, Client, ClientBuilder, Region, Retry};
/// Available with the `transport` feature (on by default).
#[cfg(feature = "transport")]
#[cfg_attr(docsrs, doc(cfg(feature = "transport")))]
pub use kaleyra_core::{FailureKind, RateLimit, SendAll, Stats, bulk, response};

/// Template management (issue 19): creating, editing and deleting templates, and the
/// resumable upload of a media header's example. The `Client` methods need the `transport`
/// feature (on by default).
pub mod manage {
    pub use kaleyra_core::manage::*;
}

/// The Kaleyra simulator: a real HTTP server on 127.0.0.1 that behaves as Kaleyra's documents
/// describe, for tests and demos.
///
/// Available with the `mock` feature (`cargo add kaleyra --dev --features mock`).
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock {
    pub use kaleyra_core::mock::*;
}

/// Several instances, and sending that survives a crash: [`scale::RedisStore`] (callback dedup
/// shared on Redis) and [`scale::SharedLimit`] (one sender's rate limit shared on Redis) with the
/// `redis` feature; [`scale::Journal`] (`send_all` resumed after a crash) with the `journal`
/// feature. See README.md, "Running several instances".
#[cfg(any(feature = "redis", feature = "journal"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "redis", feature = "journal"))))]
pub mod scale {
    pub use kaleyra_core::scale::*;
}

/// What generated code uses. Not public API: no stability guarantees.
#[doc(hidden)]
pub mod __private {
    pub use kaleyra_core::{Card, Encode, Error, Flow, MessageKind, Otp, Template};
    pub use kaleyra_core::{encode, json, roles};
    pub use std::vec::Vec;

    // A carousel's cards checked against the approved ones at compile time.
    pub use kaleyra_core::catalogue::{ApprovedButton, ApprovedCard, CardPart, CardShape};
    pub use kaleyra_core::layout::ButtonKind;

    pub use kaleyra_core::callback::{__derive as flow_response, FlowResponse, FlowWithResponse};
    pub use std::string::String;

    // `#[derive(Buttons)]` and `#[derive(Menu)]`: the runtime builders and their `const` items.
    pub use kaleyra_core::layout::{ListRow, ListSection, ReplyButton};
    pub use kaleyra_core::session::{Buttons, Choice, List};
    pub use std::borrow::Cow;
}
