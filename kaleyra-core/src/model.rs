//! Builders for messages whose template is only known at run time.
//!
//! Prefer `#[derive(Template)]` and `#[derive(Flow)]`: they check names, languages and layout at
//! compile time. These builders check the same rules (the same code) when the message is built,
//! and write the same bytes.
//!
//! ```
//! use kaleyra::model::AuthenticationTemplate;
//! use kaleyra::{Otp, Template};
//!
//! let message = AuthenticationTemplate::new("auth1", "en_US", Otp::new("J$FpXXXX")?)
//!     .to("+91 98765 43210")?;
//! assert_eq!(message.to_json()["messaging_object"]["to"], "+919876543210");
//! # Ok::<(), kaleyra::Error>(())
//! ```

use serde_json::Value;

use crate::encode;
use crate::error::{Error, ValidationError};
use crate::json;
use crate::layout::{self, ButtonKind, FlowAction, FlowMode, Sink, Slot, Text};
use crate::message::{Encode, Flow, MessageKind, Template};
use crate::params::{Currency, DateTime, FlowButton, Location, Media, Mpm};
use crate::roles;
use crate::rules::{self, Violation};
use crate::value::{Otp, invalid};

/// Walks a layout straight into `out`, filling slots with `fill`; stops filling at the first
/// error.
pub(crate) struct Writer<'o, F> {
    out: &'o mut Vec<u8>,
    fill: F,
    result: Result<(), Error>,
}

impl<F: FnMut(Slot, &mut Vec<u8>) -> Result<(), Error>> Sink for Writer<'_, F> {
    fn raw(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }
    fn string(&mut self, s: &str) {
        json::write_str(self.out, s);
    }
    fn slot(&mut self, slot: Slot) {
        if self.result.is_ok() {
            self.result = (self.fill)(slot, self.out);
        }
    }
}

pub(crate) fn run<F>(
    out: &mut Vec<u8>,
    fill: F,
    walk: impl FnOnce(&mut Writer<'_, F>),
) -> Result<(), Error>
where
    F: FnMut(Slot, &mut Vec<u8>) -> Result<(), Error>,
{
    let mut writer = Writer {
        out,
        fill,
        result: Ok(()),
    };
    walk(&mut writer);
    writer.result
}

/// A slot this builder never lays out: a bug, reported rather than written as broken JSON.
pub(crate) fn unexpected(slot: Slot) -> Error {
    Error::Validation(ValidationError::new(
        "the message layout",
        Violation::NotJson {
            reason: format!("unexpected slot {slot:?}"),
        },
    ))
}

fn check_template(name: &str, language: &str, index: u8) -> Result<&'static str, Error> {
    rules::check_template_name(name).map_err(invalid("the template name"))?;
    rules::check_button_index(i128::from(index)).map_err(invalid("the button index"))?;
    Ok(rules::language(language).map_err(invalid("the language"))?)
}

fn body_parameter(out: &mut Vec<u8>, body: &[String], n: usize) -> Result<(), Error> {
    let text = body.get(n).map(String::as_str).unwrap_or_default();
    rules::check_body_parameter(text)
        .map_err(|v| ValidationError::new(format!("body parameter {{{{{}}}}}", n + 1), v))?;
    json::write_str(out, text);
    Ok(())
}

/// An authentication (OTP) template: the code goes into the body and into the URL button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticationTemplate {
    name: String,
    language: String,
    otp: Otp,
    button_index: u8,
}

impl AuthenticationTemplate {
    /// The approved template `name` in `language` (e.g. `"auth1"`, `"en_US"`), with its code.
    /// The button index defaults to 0.
    pub fn new(name: impl Into<String>, language: impl Into<String>, otp: Otp) -> Self {
        AuthenticationTemplate {
            name: name.into(),
            language: language.into(),
            otp,
            button_index: 0,
        }
    }

    /// The position of the template's URL (copy code) button, 0-9.
    pub fn button_index(mut self, index: u8) -> Self {
        self.button_index = index;
        self
    }
}

impl Encode for AuthenticationTemplate {
    const KIND: MessageKind = MessageKind::Authentication;

    fn encode(&self, to: &str, out: &mut Vec<u8>) -> Result<(), Error> {
        let language = check_template(&self.name, &self.language, self.button_index)?;
        let layout = layout::Authentication {
            name: &self.name,
            language,
            button_index: self.button_index,
        };
        let fill = |slot: Slot, out: &mut Vec<u8>| match slot {
            Slot::To => encode::recipient(out, to),
            Slot::Otp => {
                json::write_str(out, self.otp.as_str());
                Ok(())
            }
            other => Err(unexpected(other)),
        };
        run(out, fill, |w| layout.walk(w))
    }

    fn size_hint(&self) -> usize {
        // The layout, the name, the recipient and code, and a typical extra_info.
        560 + self.name.len()
    }
}

impl Template for AuthenticationTemplate {}

/// A flow template: a template whose button opens a WhatsApp flow.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowTemplate {
    name: String,
    language: String,
    button_index: u8,
    body: Vec<String>,
    flow_token: Option<String>,
    flow_action_data: Option<Value>,
}

impl FlowTemplate {
    /// The approved template `name` in `language`. The button index defaults to 0.
    pub fn new(name: impl Into<String>, language: impl Into<String>) -> Self {
        FlowTemplate {
            name: name.into(),
            language: language.into(),
            button_index: 0,
            body: Vec::new(),
            flow_token: None,
            flow_action_data: None,
        }
    }

    /// The position of the template's flow button, 0-9.
    pub fn button_index(mut self, index: u8) -> Self {
        self.button_index = index;
        self
    }

    /// Adds the next body parameter (`{{1}}`, then `{{2}}`, ...).
    pub fn body_parameter(mut self, text: impl Into<String>) -> Self {
        self.body.push(text.into());
        self
    }

    /// The flow token, an identifier of the business's choosing (WhatsApp's default: "unused").
    pub fn flow_token(mut self, token: impl Into<String>) -> Self {
        self.flow_token = Some(token.into());
        self
    }

    /// `flow_action_data`: a JSON object (`{}` is allowed).
    pub fn flow_action_data(mut self, data: Value) -> Self {
        self.flow_action_data = Some(data);
        self
    }
}

impl Encode for FlowTemplate {
    const KIND: MessageKind = MessageKind::FlowTemplate;

    fn encode(&self, to: &str, out: &mut Vec<u8>) -> Result<(), Error> {
        let language = check_template(&self.name, &self.language, self.button_index)?;
        let layout = layout::FlowTemplate {
            name: &self.name,
            language,
            button_index: self.button_index,
            body_parameters: self.body.len(),
            flow_token: present(self.flow_token.is_some()),
            flow_action_data: present(self.flow_action_data.is_some()),
        };
        let fill = |slot: Slot, out: &mut Vec<u8>| match slot {
            Slot::To => encode::recipient(out, to),
            Slot::BodyParameter(n) => body_parameter(out, &self.body, n),
            Slot::FlowToken => encode::text(
                out,
                self.flow_token.as_deref().unwrap_or_default(),
                rules::check_non_empty,
                "the flow token",
            ),
            Slot::FlowActionData => match &self.flow_action_data {
                Some(data) => encode::json_object(out, data, false, "flow_action_data"),
                None => Err(unexpected(slot)),
            },
            other => Err(unexpected(other)),
        };
        run(out, fill, |w| layout.walk(w))
    }

    fn size_hint(&self) -> usize {
        let body: usize = self.body.iter().map(|b| b.len() + 24).sum();
        let token = self.flow_token.as_ref().map_or(0, String::len);
        640 + self.name.len() + body + token
    }
}

impl Template for FlowTemplate {}

/// A builder's member is written (with a fixed key) exactly when it was set.
fn present(set: bool) -> layout::Presence {
    if set {
        layout::Presence::Always
    } else {
        layout::Presence::Absent
    }
}

/// A single-product template: a product from a catalog in the header, and body parameters.
/// Posted to the WABA route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductTemplate {
    name: String,
    language: String,
    product_retailer_id: String,
    catalog_id: String,
    body: Vec<String>,
}

impl ProductTemplate {
    /// The approved template `name` in `language`, showing `product_retailer_id` from
    /// `catalog_id`.
    pub fn new(
        name: impl Into<String>,
        language: impl Into<String>,
        product_retailer_id: impl Into<String>,
        catalog_id: impl Into<String>,
    ) -> Self {
        ProductTemplate {
            name: name.into(),
            language: language.into(),
            product_retailer_id: product_retailer_id.into(),
            catalog_id: catalog_id.into(),
            body: Vec::new(),
        }
    }

    /// Adds the next body parameter (`{{1}}`, then `{{2}}`, ...).
    pub fn body_parameter(mut self, text: impl Into<String>) -> Self {
        self.body.push(text.into());
        self
    }
}

impl Encode for ProductTemplate {
    const KIND: MessageKind = MessageKind::ProductTemplate;

    fn encode(&self, to: &str, out: &mut Vec<u8>) -> Result<(), Error> {
        let language = check_template(&self.name, &self.language, 0)?;
        let layout = layout::ProductTemplate {
            name: &self.name,
            language,
            catalog_id: None,
            body_parameters: self.body.len(),
        };
        let fill = |slot: Slot, out: &mut Vec<u8>| match slot {
            Slot::To => encode::recipient(out, to),
            Slot::ProductRetailerId => encode::text(
                out,
                &self.product_retailer_id,
                rules::check_non_empty,
                "the product retailer id",
            ),
            Slot::CatalogId => encode::text(
                out,
                &self.catalog_id,
                rules::check_non_empty,
                "the catalog id",
            ),
            Slot::BodyParameter(n) => body_parameter(out, &self.body, n),
            other => Err(unexpected(other)),
        };
        run(out, fill, |w| layout.walk(w))
    }

    fn size_hint(&self) -> usize {
        let body: usize = self.body.iter().map(|b| b.len() + 24).sum();
        640 + self.name.len() + self.product_retailer_id.len() + self.catalog_id.len() + body
    }
}

impl Template for ProductTemplate {}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FlowRef {
    Id(String),
    Name(String),
}

/// An interactive flow message: a body, an optional header and footer, and a button that opens
/// a flow.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowMessage {
    flow: FlowRef,
    cta: String,
    body: String,
    header: Option<String>,
    footer: Option<String>,
    token: Option<String>,
    mode: Option<FlowMode>,
    action: FlowAction,
    screen: Option<String>,
    data: Option<Value>,
}

impl FlowMessage {
    fn new(flow: FlowRef, cta: String, body: String) -> Self {
        FlowMessage {
            flow,
            cta,
            body,
            header: None,
            footer: None,
            token: None,
            mode: None,
            action: FlowAction::Navigate,
            screen: None,
            data: None,
        }
    }

    /// The flow with numeric id `flow_id`, opened by a button labelled `cta`, under `body`.
    pub fn with_id(
        flow_id: impl Into<String>,
        cta: impl Into<String>,
        body: impl Into<String>,
    ) -> Self {
        FlowMessage::new(FlowRef::Id(flow_id.into()), cta.into(), body.into())
    }

    /// The flow named `flow_name`, opened by a button labelled `cta`, under `body`.
    pub fn with_name(
        flow_name: impl Into<String>,
        cta: impl Into<String>,
        body: impl Into<String>,
    ) -> Self {
        FlowMessage::new(FlowRef::Name(flow_name.into()), cta.into(), body.into())
    }

    /// Header text (at most 60 characters).
    pub fn header(mut self, text: impl Into<String>) -> Self {
        self.header = Some(text.into());
        self
    }

    /// Footer text (at most 60 characters).
    pub fn footer(mut self, text: impl Into<String>) -> Self {
        self.footer = Some(text.into());
        self
    }

    /// The flow token, an identifier of the business's choosing.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Send the draft or the published flow (WhatsApp's default: published).
    pub fn mode(mut self, mode: FlowMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// `navigate` (default) or `data_exchange`.
    pub fn action(mut self, action: FlowAction) -> Self {
        self.action = action;
        self
    }

    /// The first screen to open (`navigate` only).
    pub fn screen(mut self, screen: impl Into<String>) -> Self {
        self.screen = Some(screen.into());
        self
    }

    /// The first screen's input data: a non-empty JSON object (`navigate` with a screen only).
    pub fn data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    fn check(&self) -> Result<(), Error> {
        match &self.flow {
            FlowRef::Id(id) => rules::check_digits(id).map_err(invalid("the flow id"))?,
            FlowRef::Name(n) => rules::check_non_empty(n).map_err(invalid("the flow name"))?,
        }
        rules::check_flow_cta(&self.cta).map_err(invalid("the flow CTA"))?;
        rules::check_flow_body(&self.body).map_err(invalid("the body text"))?;
        if let Some(h) = &self.header {
            rules::check_header_text(h).map_err(invalid("the header text"))?;
        }
        if let Some(f) = &self.footer {
            rules::check_flow_footer(f).map_err(invalid("the footer text"))?;
        }
        if let Some(s) = &self.screen {
            rules::check_non_empty(s).map_err(invalid("the screen"))?;
        }
        rules::check_flow_payload(self.action, self.screen.is_some(), self.data.is_some())
            .map_err(invalid("the flow message"))?;
        Ok(())
    }
}

fn literal(text: &Option<String>) -> Text<'_> {
    text.as_deref().map_or(Text::None, Text::Literal)
}

impl Encode for FlowMessage {
    const KIND: MessageKind = MessageKind::FlowMessage;

    fn encode(&self, to: &str, out: &mut Vec<u8>) -> Result<(), Error> {
        self.check()?;
        let layout = layout::FlowMessage {
            header: literal(&self.header),
            body: Text::Literal(&self.body),
            footer: literal(&self.footer),
            flow: match &self.flow {
                FlowRef::Id(id) => layout::FlowRef::Id(id),
                FlowRef::Name(n) => layout::FlowRef::Name(n),
            },
            cta: &self.cta,
            mode: self.mode,
            action: self.action,
            screen: self.screen.as_deref(),
            token: self.token.is_some(),
            data: if self.data.is_some() {
                layout::FlowData::Object
            } else {
                layout::FlowData::None
            },
        };
        let fill = |slot: Slot, out: &mut Vec<u8>| match slot {
            Slot::To => encode::recipient(out, to),
            Slot::FlowToken => encode::text(
                out,
                self.token.as_deref().unwrap_or_default(),
                rules::check_non_empty,
                "the flow token",
            ),
            Slot::Data => match &self.data {
                Some(data) => encode::json_object(out, data, true, "the flow data"),
                None => Err(unexpected(slot)),
            },
            other => Err(unexpected(other)),
        };
        run(out, fill, |w| layout.walk(w))
    }

    fn size_hint(&self) -> usize {
        let text = |t: &Option<String>| t.as_ref().map_or(0, |t| t.len() + 32);
        800 + self.body.len()
            + self.cta.len()
            + text(&self.header)
            + text(&self.footer)
            + text(&self.token)
            + text(&self.screen)
    }
}

impl Flow for FlowMessage {}

// ------------------------------------------------------------------------ general templates

/// The header parameter of a [`StandardTemplate`]: text, media or a location.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Header {
    /// Header text (at most 60 characters).
    Text(String),
    /// An image, video or document.
    Media(Media),
    /// A location.
    Location(Location),
}

impl From<&str> for Header {
    fn from(text: &str) -> Self {
        Header::Text(text.to_owned())
    }
}

impl From<String> for Header {
    fn from(text: String) -> Self {
        Header::Text(text)
    }
}

impl From<Media> for Header {
    fn from(media: Media) -> Self {
        Header::Media(media)
    }
}

impl From<Location> for Header {
    fn from(location: Location) -> Self {
        Header::Location(location)
    }
}

/// A body parameter of a [`StandardTemplate`] or [`CarouselCard`]: text, an amount of money or
/// a date.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Parameter {
    /// Text (at most 1024 characters, no newline, tab or more than four spaces in a row).
    Text(String),
    /// An amount of money.
    Currency(Currency),
    /// A date and time.
    DateTime(DateTime),
}

impl From<&str> for Parameter {
    fn from(text: &str) -> Self {
        Parameter::Text(text.to_owned())
    }
}

impl From<String> for Parameter {
    fn from(text: String) -> Self {
        Parameter::Text(text)
    }
}

impl From<Currency> for Parameter {
    fn from(currency: Currency) -> Self {
        Parameter::Currency(currency)
    }
}

impl From<DateTime> for Parameter {
    fn from(date: DateTime) -> Self {
        Parameter::DateTime(date)
    }
}

impl Parameter {
    fn write(
        &self,
        out: &mut Vec<u8>,
        name: Option<&str>,
        what: &'static str,
    ) -> Result<(), Error> {
        match self {
            Parameter::Text(t) => roles::TemplateParameter::write_parameter(t, out, name, what),
            Parameter::Currency(c) => roles::TemplateParameter::write_parameter(c, out, name, what),
            Parameter::DateTime(d) => roles::TemplateParameter::write_parameter(d, out, name, what),
        }
    }

    fn len_hint(&self) -> usize {
        match self {
            Parameter::Text(t) => roles::TemplateParameter::len_hint(t),
            Parameter::Currency(c) => roles::TemplateParameter::len_hint(c),
            Parameter::DateTime(d) => roles::TemplateParameter::len_hint(d),
        }
    }
}

impl Header {
    fn len_hint(&self) -> usize {
        match self {
            Header::Text(t) => roles::TemplateHeader::len_hint(t),
            Header::Media(m) => m.len_hint(),
            Header::Location(l) => l.len_hint(),
        }
    }
}

/// The parameter of a template button.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ButtonValue {
    Text(ButtonKind, String),
    Flow(FlowButton),
    Mpm(Mpm),
}

impl ButtonValue {
    fn kind(&self) -> ButtonKind {
        match self {
            ButtonValue::Text(kind, _) => *kind,
            ButtonValue::Flow(_) => ButtonKind::Flow,
            ButtonValue::Mpm(_) => ButtonKind::Mpm,
        }
    }

    fn write(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error> {
        use roles::{ButtonAction, CatalogThumbnail, CouponCode, QuickReplyPayload, UrlSuffix};
        let text = match self {
            ButtonValue::Flow(flow) => return flow.write_action(out, what),
            ButtonValue::Mpm(mpm) => return mpm.write_action(out, what),
            ButtonValue::Text(ButtonKind::Url, t) => UrlSuffix::checked(t, what)?,
            ButtonValue::Text(ButtonKind::QuickReply, t) => QuickReplyPayload::checked(t, what)?,
            ButtonValue::Text(ButtonKind::CopyCode, t) => CouponCode::checked(t, what)?,
            ButtonValue::Text(_, t) => CatalogThumbnail::checked(t, what)?,
        };
        json::write_str(out, text);
        Ok(())
    }

    fn len_hint(&self) -> usize {
        match self {
            ButtonValue::Flow(flow) => flow.len_hint(),
            ButtonValue::Mpm(mpm) => mpm.len_hint(),
            ButtonValue::Text(_, t) => t.len() + 96,
        }
    }
}

/// `rules::check_buttons` (a template's) or `rules::check_card_buttons` (a card's).
type ButtonsRule = fn(&[(ButtonKind, i128)]) -> Result<(), (usize, Violation)>;

/// Buttons in index order, checked by the buttons rule, and their layout.
fn sorted_buttons<'b>(
    buttons: &'b [(u8, ButtonValue)],
    rule: ButtonsRule,
    what: &'static str,
) -> Result<(Vec<layout::Button>, Vec<&'b ButtonValue>), Error> {
    let given: Vec<(ButtonKind, i128)> = buttons
        .iter()
        .map(|(i, v)| (v.kind(), i128::from(*i)))
        .collect();
    rule(&given).map_err(|(_, v)| encode::violation(what, v))?;
    let mut sorted: Vec<&(u8, ButtonValue)> = buttons.iter().collect();
    sorted.sort_by_key(|(index, _)| *index);
    let layout = sorted
        .iter()
        .map(|(index, value)| layout::Button {
            kind: value.kind(),
            index: *index,
        })
        .collect();
    Ok((layout, sorted.into_iter().map(|(_, v)| v).collect()))
}

/// Button setters shared by templates and cards.
macro_rules! text_button {
    ($(#[$doc:meta])* $method:ident, $kind:expr) => {
        $(#[$doc])*
        pub fn $method(mut self, index: u8, value: impl Into<String>) -> Self {
            self.buttons.push((index, ButtonValue::Text($kind, value.into())));
            self
        }
    };
}

/// One card of a [`StandardTemplate`]'s carousel: a media header, body parameters and buttons,
/// as the approved card declares them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CarouselCard {
    header: Option<Media>,
    body: Vec<Parameter>,
    buttons: Vec<(u8, ButtonValue)>,
}

impl CarouselCard {
    /// An empty card.
    pub fn new() -> Self {
        CarouselCard::default()
    }

    /// The card's header: an image or a video (required: every card has one).
    pub fn header(mut self, media: Media) -> Self {
        self.header = Some(media);
        self
    }

    /// Adds the next body parameter (`{{1}}`, then `{{2}}`, ...).
    pub fn body(mut self, parameter: impl Into<Parameter>) -> Self {
        self.body.push(parameter.into());
        self
    }

    text_button!(
        /// A quick-reply button at `index`, with the payload returned when it is tapped.
        quick_reply_button,
        ButtonKind::QuickReply
    );

    text_button!(
        /// A dynamic URL button at `index`, with the suffix appended to its approved URL.
        url_button,
        ButtonKind::Url
    );
}

impl crate::message::Card for CarouselCard {
    fn write_card(&self, index: u8, out: &mut Vec<u8>) -> Result<(), Error> {
        rules::check_card_has_header(self.header.is_some()).map_err(invalid("a carousel card"))?;
        if let Some(media) = &self.header {
            rules::check_card_header(media.kind()).map_err(invalid("a card's header"))?;
        }
        let (buttons, values) =
            sorted_buttons(&self.buttons, rules::check_card_buttons, "a carousel card")?;
        let layout = layout::Card {
            header: self.header.is_some(),
            body_parameters: self.body.len(),
            buttons: &buttons,
        };
        let fill = |slot: Slot, out: &mut Vec<u8>| match slot {
            Slot::CardIndex => {
                out.extend_from_slice(json::u8_str(index, &mut [0; 3]).as_bytes());
                Ok(())
            }
            Slot::HeaderParameter => match &self.header {
                Some(media) => {
                    roles::TemplateHeader::write_header(media, out, None, "a card's header")
                }
                None => Err(unexpected(slot)),
            },
            Slot::Parameter(n) => match self.body.get(n) {
                Some(p) => p.write(out, None, "a card's body parameter"),
                None => Err(unexpected(slot)),
            },
            Slot::Button(n) => match values.get(n) {
                Some(v) => v.write(out, "a card's button"),
                None => Err(unexpected(slot)),
            },
            other => Err(unexpected(other)),
        };
        run(out, fill, |w| layout.walk(w))
    }

    fn len_hint(&self) -> usize {
        let header = self.header.as_ref().map_or(0, Media::len_hint);
        let body: usize = self.body.iter().map(Parameter::len_hint).sum();
        let buttons: usize = self.buttons.iter().map(|(_, v)| v.len_hint()).sum();
        160 + header + body + buttons
    }
}

/// A general template: any template an account can have approved, with a header (text, media
/// or location), body parameters (positional or named; text, currency or date-time), a
/// limited-time offer, buttons and a carousel, as its approval says.
///
/// Prefer `#[derive(Template)]`: it checks the shape at compile time. This builder checks the
/// same rules, with the same code, when the message is built, and writes the same bytes.
///
/// ```
/// use kaleyra::model::StandardTemplate;
/// use kaleyra::{Currency, Media, Template};
///
/// let message = StandardTemplate::new("order_shipped", "en_US")
///     .header(Media::document_link("https://example.com/i/42.pdf")?.filename("Invoice 42.pdf")?)
///     .body("Ada")
///     .body(Currency::new("USD", 100_990, "$100.99")?)
///     .url_button(0, "track/42")
///     .to("+16505551234")?;
/// let components = &message.to_json()["messaging_object"]["template"]["components"];
/// assert_eq!(components[1]["parameters"][1]["currency"]["amount_1000"], 100_990);
/// assert_eq!(components[2]["sub_type"], "url");
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct StandardTemplate {
    name: String,
    language: String,
    header: Option<(Option<String>, Header)>,
    body: Vec<(Option<String>, Parameter)>,
    limited_time_offer: Option<u64>,
    buttons: Vec<(u8, ButtonValue)>,
    cards: Option<Vec<CarouselCard>>,
}

impl StandardTemplate {
    /// The approved template `name` in `language`, with no parameters yet.
    pub fn new(name: impl Into<String>, language: impl Into<String>) -> Self {
        StandardTemplate {
            name: name.into(),
            language: language.into(),
            header: None,
            body: Vec::new(),
            limited_time_offer: None,
            buttons: Vec::new(),
            cards: None,
        }
    }

    /// The header parameter: text, [`Media`] or a [`Location`].
    pub fn header(mut self, header: impl Into<Header>) -> Self {
        self.header = Some((None, header.into()));
        self
    }

    /// A named header text parameter (`{{name}}`, in a template with named parameters).
    pub fn named_header(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.header = Some((Some(name.into()), Header::Text(text.into())));
        self
    }

    /// Adds the next positional body parameter (`{{1}}`, then `{{2}}`, ...).
    pub fn body(mut self, parameter: impl Into<Parameter>) -> Self {
        self.body.push((None, parameter.into()));
        self
    }

    /// Adds a named body parameter (`{{name}}`). A template's parameters are all named or all
    /// positional.
    pub fn named_body(mut self, name: impl Into<String>, parameter: impl Into<Parameter>) -> Self {
        self.body.push((Some(name.into()), parameter.into()));
        self
    }

    /// A limited-time offer expiring at `expiration_time_ms` (milliseconds since the UNIX
    /// epoch).
    pub fn limited_time_offer(mut self, expiration_time_ms: u64) -> Self {
        self.limited_time_offer = Some(expiration_time_ms);
        self
    }

    text_button!(
        /// A dynamic URL button at `index` (0-9), with the suffix appended to its approved URL.
        url_button,
        ButtonKind::Url
    );

    text_button!(
        /// A quick-reply button at `index`, with the payload returned when it is tapped.
        quick_reply_button,
        ButtonKind::QuickReply
    );

    text_button!(
        /// A copy-code button at `index`, with the coupon code it copies (at most 15
        /// characters; one per template).
        copy_code_button,
        ButtonKind::CopyCode
    );

    text_button!(
        /// A catalog button at `index`, with the retailer id of the thumbnail product.
        catalog_button,
        ButtonKind::Catalog
    );

    /// A flow button at `index`, with its token and action data.
    pub fn flow_button(mut self, index: u8, flow: FlowButton) -> Self {
        self.buttons.push((index, ButtonValue::Flow(flow)));
        self
    }

    /// A multi-product button at `index`, with its thumbnail and product sections.
    pub fn mpm_button(mut self, index: u8, products: Mpm) -> Self {
        self.buttons.push((index, ButtonValue::Mpm(products)));
        self
    }

    /// Adds a carousel card (1-10, as many as the approved template has).
    pub fn card(mut self, card: CarouselCard) -> Self {
        self.cards.get_or_insert_with(Vec::new).push(card);
        self
    }
}

impl Encode for StandardTemplate {
    const KIND: MessageKind = MessageKind::StandardTemplate;

    fn encode(&self, to: &str, out: &mut Vec<u8>) -> Result<(), Error> {
        let language = check_template(&self.name, &self.language, 0)?;
        let names: Vec<Option<&str>> = self
            .header
            .iter()
            .filter(|(_, h)| matches!(h, Header::Text(_)))
            .map(|(n, _)| n.as_deref())
            .chain(self.body.iter().map(|(n, _)| n.as_deref()))
            .collect();
        rules::check_parameter_names(&names)
            .map_err(|(_, v)| encode::violation("the template", v))?;
        let (buttons, values) =
            sorted_buttons(&self.buttons, rules::check_buttons, "the template")?;
        if self.cards.is_some() {
            rules::check_carousel_template(
                self.header.is_some(),
                self.limited_time_offer.is_some(),
                buttons.len(),
            )
            .map_err(invalid("the carousel template"))?;
        }
        let layout = layout::StandardTemplate {
            name: &self.name,
            language,
            header: self.header.is_some(),
            body_parameters: self.body.len(),
            limited_time_offer: self.limited_time_offer.is_some(),
            buttons: &buttons,
            carousel: self.cards.is_some(),
        };
        let fill = |slot: Slot, out: &mut Vec<u8>| match slot {
            Slot::To => encode::recipient(out, to),
            Slot::HeaderParameter => match &self.header {
                Some((name, Header::Text(t))) => {
                    roles::TemplateHeader::write_header(t, out, name.as_deref(), "the header text")
                }
                Some((_, Header::Media(m))) => {
                    roles::TemplateHeader::write_header(m, out, None, "the header")
                }
                Some((_, Header::Location(l))) => {
                    roles::TemplateHeader::write_header(l, out, None, "the header")
                }
                None => Err(unexpected(slot)),
            },
            Slot::Parameter(n) => match self.body.get(n) {
                Some((name, p)) => p.write(out, name.as_deref(), "a body parameter"),
                None => Err(unexpected(slot)),
            },
            Slot::ExpirationTimeMs => {
                let ms = roles::ExpirationTime::expiration_time_ms(
                    &self.limited_time_offer.unwrap_or_default(),
                    "the limited-time offer's expiry",
                )?;
                out.extend_from_slice(itoa::Buffer::new().format(ms).as_bytes());
                Ok(())
            }
            Slot::Button(n) => match values.get(n) {
                Some(v) => v.write(out, "a button's parameter"),
                None => Err(unexpected(slot)),
            },
            Slot::Cards => match &self.cards {
                Some(cards) => roles::Carousel::write_cards(cards, out, "the carousel"),
                None => Err(unexpected(slot)),
            },
            other => Err(unexpected(other)),
        };
        run(out, fill, |w| layout.walk(w))
    }

    fn size_hint(&self) -> usize {
        let body: usize = self
            .body
            .iter()
            .map(|(name, p)| name.as_ref().map_or(0, |n| n.len() + 20) + p.len_hint())
            .sum();
        let header = self.header.as_ref().map_or(0, |(name, h)| {
            name.as_ref().map_or(0, |n| n.len() + 20) + h.len_hint()
        });
        let buttons: usize = self.buttons.iter().map(|(_, v)| v.len_hint()).sum();
        let cards = self.cards.as_deref().map_or(0, roles::Carousel::len_hint);
        640 + self.name.len() + header + body + buttons + cards
    }
}

impl Template for StandardTemplate {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The builders size their buffer once: the hint covers what they write.
    #[test]
    fn general_template_size_hints_cover_the_bytes() -> Result<(), Error> {
        let long = "x".repeat(900);
        let link = format!("https://example.com/{}", "p".repeat(400));
        let mut carousel = StandardTemplate::new("summer_carousel", "en_US").body(long.as_str());
        for i in 0..10 {
            carousel = carousel.card(
                CarouselCard::new()
                    .header(Media::image_link(&link)?)
                    .body(long.as_str())
                    .body(Currency::new("EUR", 1000, "€1")?)
                    .quick_reply_button(0, format!("{i}{}", "q".repeat(120)))
                    .url_button(1, "u".repeat(200)),
            );
        }
        let general = StandardTemplate::new("order_shipped", "en_US")
            .header(Media::document_link(&link)?.filename("f".repeat(200))?)
            .named_body("first_name", long.as_str())
            .named_body("total", Currency::new("USD", 100_990, "$100.99")?)
            .named_body("when", DateTime::new("Tuesday")?)
            .url_button(0, "u".repeat(500))
            .copy_code_button(1, "SAVE15")
            .quick_reply_button(2, "q".repeat(256));
        for template in [carousel, general] {
            let bytes = template.to("+15550001234")?.as_bytes().len();
            let hint = template.size_hint();
            assert!(bytes <= hint, "{bytes} bytes, hint {hint}");
        }
        Ok(())
    }

    #[test]
    fn a_carousel_card_needs_an_image_or_video_header() {
        let template = |card: CarouselCard| StandardTemplate::new("c", "en_US").card(card);
        let no_header = template(CarouselCard::new().body("x")).to("+15550001234");
        assert!(
            matches!(&no_header, Err(Error::Validation(e)) if e.to_string().contains("header")),
            "{no_header:?}"
        );
        let document = Media::document_id("1").map(|m| CarouselCard::new().header(m));
        assert!(
            template(document.unwrap_or_default())
                .to("+15550001234")
                .is_err()
        );
        let image = Media::image_id("1").map(|m| CarouselCard::new().header(m));
        let card = image.unwrap_or_default();
        assert!(template(card.clone()).to("+15550001234").is_ok());

        // Beside its cards, a carousel template has body parameters only.
        assert!(template(card.clone()).body("x").to("+15550001234").is_ok());
        for with in [
            template(card.clone()).header("h"),
            template(card.clone()).url_button(0, "x"),
            template(card).limited_time_offer(1),
        ] {
            assert!(with.to("+15550001234").is_err(), "{with:?}");
        }
    }
}
