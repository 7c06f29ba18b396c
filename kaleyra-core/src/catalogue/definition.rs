//! Typed template definitions: Meta's message-template object, as Kaleyra's
//! `GET /v2/{sid}/whatsapp/{waba_id}/message_templates` returns it (each entry of its `data`).
//!
//! Reading is lenient where Meta adds things (unknown members, component types and button types
//! are kept, not errors) and strict where the check needs a fact (`name`, `language` and, when
//! present, `status` must be strings; `components`, `buttons` and `cards` must be arrays of
//! objects). An entry without `status` is one written by hand for `kaleyra templates push`
//! ([`Status::New`]).
//! Every definition keeps the object it was read from, so that writing it back
//! ([`TemplateDefinition::as_json`], `serde::Serialize`) loses nothing.

use std::fmt;

use serde_json::{Map, Value};

use crate::layout::MediaKind;

/// A template's review status (Meta's `status`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// Approved: it can be sent.
    Approved,
    /// In review.
    Pending,
    /// Refused in review.
    Rejected,
    /// Paused by WhatsApp after negative feedback from recipients.
    Paused,
    /// Disabled by WhatsApp after being paused repeatedly.
    Disabled,
    /// A rejection under appeal.
    InAppeal,
    /// Being deleted.
    PendingDeletion,
    /// Deleted.
    Deleted,
    /// Refused because the account reached its limit of templates.
    LimitExceeded,
    /// In the catalogue file only: an entry written by hand, without `status`, that is not on
    /// the account yet (`kaleyra templates push` creates it).
    New,
    /// Any other status, as given.
    Other(String),
}

impl Status {
    /// Reads Meta's value (any case).
    pub fn parse(value: &str) -> Status {
        match value.to_ascii_uppercase().as_str() {
            "APPROVED" => Status::Approved,
            "PENDING" => Status::Pending,
            "REJECTED" => Status::Rejected,
            "PAUSED" => Status::Paused,
            "DISABLED" => Status::Disabled,
            "IN_APPEAL" => Status::InAppeal,
            "PENDING_DELETION" => Status::PendingDeletion,
            "DELETED" => Status::Deleted,
            "LIMIT_EXCEEDED" => Status::LimitExceeded,
            "NEW" => Status::New,
            _ => Status::Other(value.to_owned()),
        }
    }

    /// Meta's value, upper case.
    pub fn as_str(&self) -> &str {
        match self {
            Status::Approved => "APPROVED",
            Status::Pending => "PENDING",
            Status::Rejected => "REJECTED",
            Status::Paused => "PAUSED",
            Status::Disabled => "DISABLED",
            Status::InAppeal => "IN_APPEAL",
            Status::PendingDeletion => "PENDING_DELETION",
            Status::Deleted => "DELETED",
            Status::LimitExceeded => "LIMIT_EXCEEDED",
            Status::New => "NEW",
            Status::Other(s) => s,
        }
    }

    /// What the status means for sending, in a sentence (facts §1.1, Meta's template statuses).
    pub fn meaning(&self) -> &'static str {
        match self {
            Status::Approved => "it can be sent",
            Status::Pending => {
                "it is still in review and cannot be sent yet; mark the struct \
                 #[template(unchecked)] until it is approved, then pull the catalogue again"
            }
            Status::Rejected => {
                "WhatsApp rejected it in review; it cannot be sent: edit it and submit it again"
            }
            Status::Paused => {
                "WhatsApp paused it after negative feedback from recipients (3 hours the first \
                 time, 6 hours the second, disabled the third); sends fail with 132015 until it \
                 is unpaused"
            }
            Status::Disabled => {
                "WhatsApp disabled it after it was paused repeatedly; sends fail with 132016: \
                 edit it to have it reviewed again"
            }
            Status::InAppeal => "its rejection is under appeal; it cannot be sent until approved",
            Status::PendingDeletion | Status::Deleted => "it was deleted and can no longer be sent",
            Status::LimitExceeded => {
                "the account reached its limit of templates; it cannot be sent"
            }
            Status::New => {
                "it is in the catalogue file but not on the account yet: `kaleyra templates \
                 push` submits it for review, and it can be sent once approved"
            }
            Status::Other(_) => "only APPROVED templates can be sent",
        }
    }

    /// The WhatsApp error a send of a template in this status gets: `None` when approved,
    /// 132015 when paused, 132016 when disabled, otherwise 132001 (WhatsApp knows no sendable
    /// template of that name).
    pub fn send_error(&self) -> Option<u32> {
        match self {
            Status::Approved => None,
            Status::Paused => Some(super::codes::PAUSED),
            Status::Disabled => Some(super::codes::DISABLED),
            _ => Some(super::codes::NOT_FOUND),
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A template's category (Meta's `category`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Category {
    /// One-time passwords: sent with `kind = otp`.
    Authentication,
    /// Promotions and offers.
    Marketing,
    /// Updates about a transaction or an account.
    Utility,
    /// Any other category, as given (empty when the entry has none).
    Other(String),
}

impl Category {
    /// Reads Meta's value (any case).
    pub fn parse(value: &str) -> Category {
        match value.to_ascii_uppercase().as_str() {
            "AUTHENTICATION" => Category::Authentication,
            "MARKETING" => Category::Marketing,
            "UTILITY" => Category::Utility,
            _ => Category::Other(value.to_owned()),
        }
    }

    /// Meta's value, upper case.
    pub fn as_str(&self) -> &str {
        match self {
            Category::Authentication => "AUTHENTICATION",
            Category::Marketing => "MARKETING",
            Category::Utility => "UTILITY",
            Category::Other(s) => s,
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a template's parameters are written (Meta's `parameter_format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParameterFormat {
    /// `{{1}}`, `{{2}}`, … (Meta's default).
    Positional,
    /// `{{first_name}}`, …
    Named,
}

/// The format of a header (Meta's `format`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HeaderFormat {
    /// Text, with at most one parameter.
    Text,
    /// An image.
    Image,
    /// A video.
    Video,
    /// A document.
    Document,
    /// A location.
    Location,
    /// A product from a catalog (single-product templates).
    Product,
    /// Any other format, as given.
    Other(String),
}

impl HeaderFormat {
    /// Reads Meta's value (any case).
    pub fn parse(value: &str) -> HeaderFormat {
        match value.to_ascii_uppercase().as_str() {
            "TEXT" => HeaderFormat::Text,
            "IMAGE" => HeaderFormat::Image,
            "VIDEO" => HeaderFormat::Video,
            "DOCUMENT" => HeaderFormat::Document,
            "LOCATION" => HeaderFormat::Location,
            "PRODUCT" => HeaderFormat::Product,
            _ => HeaderFormat::Other(value.to_owned()),
        }
    }

    /// Meta's value, upper case.
    pub fn as_str(&self) -> &str {
        match self {
            HeaderFormat::Text => "TEXT",
            HeaderFormat::Image => "IMAGE",
            HeaderFormat::Video => "VIDEO",
            HeaderFormat::Document => "DOCUMENT",
            HeaderFormat::Location => "LOCATION",
            HeaderFormat::Product => "PRODUCT",
            HeaderFormat::Other(s) => s,
        }
    }

    /// The media kind of an image, video or document header.
    pub fn media_kind(&self) -> Option<MediaKind> {
        match self {
            HeaderFormat::Image => Some(MediaKind::Image),
            HeaderFormat::Video => Some(MediaKind::Video),
            HeaderFormat::Document => Some(MediaKind::Document),
            _ => None,
        }
    }
}

impl fmt::Display for HeaderFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type of a template button (Meta's button `type`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ButtonType {
    /// `QUICK_REPLY`: sends a payload back when tapped.
    QuickReply,
    /// `URL`: opens a URL; dynamic when the URL holds `{{1}}`.
    Url,
    /// `PHONE_NUMBER`: calls a number.
    PhoneNumber,
    /// `COPY_CODE`: copies a coupon code.
    CopyCode,
    /// `OTP`: an authentication template's one-time-password button (copy code, one tap, zero
    /// tap); sent as a `url` button parameter.
    OneTimePassword,
    /// `FLOW`: opens a WhatsApp flow.
    Flow,
    /// `CATALOG`: opens the catalog.
    Catalog,
    /// `MPM`: shows several products.
    Mpm,
    /// `VOICE_CALL`: starts a WhatsApp call.
    VoiceCall,
    /// Any other type, as given.
    Other(String),
}

impl ButtonType {
    /// Reads Meta's value (any case).
    pub fn parse(value: &str) -> ButtonType {
        match value.to_ascii_uppercase().as_str() {
            "QUICK_REPLY" => ButtonType::QuickReply,
            "URL" => ButtonType::Url,
            "PHONE_NUMBER" => ButtonType::PhoneNumber,
            "COPY_CODE" => ButtonType::CopyCode,
            "OTP" => ButtonType::OneTimePassword,
            "FLOW" => ButtonType::Flow,
            "CATALOG" => ButtonType::Catalog,
            "MPM" => ButtonType::Mpm,
            "VOICE_CALL" => ButtonType::VoiceCall,
            _ => ButtonType::Other(value.to_owned()),
        }
    }

    /// Meta's value, upper case.
    pub fn as_str(&self) -> &str {
        match self {
            ButtonType::QuickReply => "QUICK_REPLY",
            ButtonType::Url => "URL",
            ButtonType::PhoneNumber => "PHONE_NUMBER",
            ButtonType::CopyCode => "COPY_CODE",
            ButtonType::OneTimePassword => "OTP",
            ButtonType::Flow => "FLOW",
            ButtonType::Catalog => "CATALOG",
            ButtonType::Mpm => "MPM",
            ButtonType::VoiceCall => "VOICE_CALL",
            ButtonType::Other(s) => s,
        }
    }
}

impl fmt::Display for ButtonType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A template's header.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HeaderDefinition {
    /// Its format.
    pub format: HeaderFormat,
    /// Its text (text headers).
    pub text: Option<String>,
}

/// A template's body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BodyDefinition {
    /// Its text, with `{{1}}` or `{{name}}` where the parameters go.
    pub text: String,
}

/// A template's footer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FooterDefinition {
    /// Its text.
    pub text: Option<String>,
}

/// A button of a template, at its index (its position among the template's buttons).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ButtonDefinition {
    /// Its type.
    pub kind: ButtonType,
    /// Its label.
    pub text: Option<String>,
    /// A URL button's URL (dynamic when it holds `{{1}}`).
    pub url: Option<String>,
    /// A phone-number button's number.
    pub phone_number: Option<String>,
    /// An OTP button's `otp_type` (`COPY_CODE`, `ONE_TAP`, `ZERO_TAP`).
    pub otp_type: Option<String>,
    /// A flow button's flow id.
    pub flow_id: Option<String>,
}

impl ButtonDefinition {
    /// Whether a URL button's URL takes a suffix (`{{1}}`) at send time.
    pub fn is_dynamic_url(&self) -> bool {
        self.kind == ButtonType::Url && self.url.as_deref().is_some_and(|u| u.contains("{{"))
    }
}

/// The limited-time offer of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LimitedTimeOfferDefinition {
    /// Its text.
    pub text: Option<String>,
    /// Whether it shows an expiry (then each send gives `expiration_time_ms`).
    pub has_expiration: bool,
}

/// One card of a carousel template.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CardDefinition {
    /// Its components: a media header, a body, buttons.
    pub components: Vec<Component>,
}

impl CardDefinition {
    /// Its header.
    pub fn header(&self) -> Option<&HeaderDefinition> {
        header_of(&self.components)
    }

    /// Its body.
    pub fn body(&self) -> Option<&BodyDefinition> {
        body_of(&self.components)
    }

    /// Its buttons, in index order.
    pub fn buttons(&self) -> &[ButtonDefinition] {
        buttons_of(&self.components)
    }
}

/// A component of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Component {
    /// `HEADER`.
    Header(HeaderDefinition),
    /// `BODY`.
    Body(BodyDefinition),
    /// `FOOTER`.
    Footer(FooterDefinition),
    /// `BUTTONS`: the buttons, in index order.
    Buttons(Vec<ButtonDefinition>),
    /// `CAROUSEL`: the cards, in order.
    Carousel(Vec<CardDefinition>),
    /// `LIMITED_TIME_OFFER`.
    LimitedTimeOffer(LimitedTimeOfferDefinition),
    /// Any other component type, as given (the whole object stays in
    /// [`TemplateDefinition::as_json`]).
    Other(String),
}

fn header_of(components: &[Component]) -> Option<&HeaderDefinition> {
    components.iter().find_map(|c| match c {
        Component::Header(h) => Some(h),
        _ => None,
    })
}

fn body_of(components: &[Component]) -> Option<&BodyDefinition> {
    components.iter().find_map(|c| match c {
        Component::Body(b) => Some(b),
        _ => None,
    })
}

fn buttons_of(components: &[Component]) -> &[ButtonDefinition] {
    components
        .iter()
        .find_map(|c| match c {
            Component::Buttons(b) => Some(b.as_slice()),
            _ => None,
        })
        .unwrap_or_default()
}

/// A parameter placeholder in a template's text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Placeholder {
    /// `{{n}}`.
    Positional(u32),
    /// `{{name}}`.
    Named(String),
}

/// The placeholders of `text` in order of first appearance, each once. `{{ 1 }}` counts as
/// `{{1}}`; anything else between braces that is not a number or a lowercase name is text.
pub fn placeholders(text: &str) -> Vec<Placeholder> {
    let mut found: Vec<Placeholder> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            break;
        };
        let inner = after[..close].trim();
        let placeholder = if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
            inner.parse().ok().map(Placeholder::Positional)
        } else if !inner.is_empty()
            && inner
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            Some(Placeholder::Named(inner.to_owned()))
        } else {
            None
        };
        match placeholder {
            Some(p) => {
                if !found.contains(&p) {
                    found.push(p);
                }
                rest = &after[close + 2..];
            }
            // `{{{1}}}` and the like: look again one brace later.
            None => rest = &rest[open + 1..],
        }
    }
    found
}

/// The parameters a text takes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Parameters {
    /// `{{1}}`..`{{n}}`: this many (the highest number; 0 when the text has none).
    Positional(usize),
    /// `{{name}}`s, in order of first appearance.
    Named(Vec<String>),
}

impl Parameters {
    /// The parameters of `text`: named if any placeholder is a name, else positional.
    pub fn of(text: &str) -> Parameters {
        let found = placeholders(text);
        if found.iter().any(|p| matches!(p, Placeholder::Named(_))) {
            Parameters::Named(
                found
                    .into_iter()
                    .filter_map(|p| match p {
                        Placeholder::Named(n) => Some(n),
                        Placeholder::Positional(_) => None,
                    })
                    .collect(),
            )
        } else {
            let max = found
                .iter()
                .filter_map(|p| match p {
                    Placeholder::Positional(n) => usize::try_from(*n).ok(),
                    Placeholder::Named(_) => None,
                })
                .max()
                .unwrap_or(0);
            Parameters::Positional(max)
        }
    }

    /// How many parameters.
    pub fn len(&self) -> usize {
        match self {
            Parameters::Positional(n) => *n,
            Parameters::Named(names) => names.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One approved (or not yet approved) template in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateDefinition {
    name: String,
    language: String,
    status: Status,
    category: Category,
    id: Option<String>,
    parameter_format: Option<ParameterFormat>,
    components: Vec<Component>,
    raw: Value,
}

/// Where in a definition a shape error is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// A definition that is not the catalogue's shape: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShapeError {
    pub(crate) path: Vec<Step>,
    pub(crate) message: String,
}

impl ShapeError {
    fn new(path: &[Step], message: impl Into<String>) -> Self {
        ShapeError {
            path: path.to_vec(),
            message: message.into(),
        }
    }

    /// The path as `components[1].buttons[0].type`.
    pub(crate) fn pointer(&self) -> String {
        self.pointer_from(0)
    }

    /// The path after its first `skip` steps (those locating the template in the file).
    pub(crate) fn pointer_from(&self, skip: usize) -> String {
        let mut out = String::new();
        for step in self.path.iter().skip(skip) {
            match step {
                Step::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

use crate::json::kind_of;

fn with(path: &[Step], step: Step) -> Vec<Step> {
    let mut p = path.to_vec();
    p.push(step);
    p
}

fn key(path: &[Step], k: &str) -> Vec<Step> {
    with(path, Step::Key(k.to_owned()))
}

fn object<'v>(
    v: &'v Value,
    path: &[Step],
    what: &str,
) -> Result<&'v Map<String, Value>, ShapeError> {
    v.as_object().ok_or_else(|| {
        ShapeError::new(
            path,
            format!("{what} must be an object, found {}", kind_of(v)),
        )
    })
}

/// A required string member.
fn required_str<'v>(
    m: &'v Map<String, Value>,
    path: &[Step],
    k: &str,
) -> Result<&'v str, ShapeError> {
    match m.get(k) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(ShapeError::new(
            &key(path, k),
            format!("`{k}` must be a string, found {}", kind_of(other)),
        )),
        None => Err(ShapeError::new(path, format!("missing `{k}`"))),
    }
}

/// An optional string member (`null` counts as absent).
fn optional_str(
    m: &Map<String, Value>,
    path: &[Step],
    k: &str,
) -> Result<Option<String>, ShapeError> {
    match m.get(k) {
        Some(Value::String(s)) => Ok(Some(s.clone())),
        None | Some(Value::Null) => Ok(None),
        Some(other) => Err(ShapeError::new(
            &key(path, k),
            format!("`{k}` must be a string, found {}", kind_of(other)),
        )),
    }
}

/// An optional array member (`null` counts as empty).
fn optional_array<'v>(
    m: &'v Map<String, Value>,
    path: &[Step],
    k: &str,
) -> Result<&'v [Value], ShapeError> {
    match m.get(k) {
        Some(Value::Array(a)) => Ok(a),
        None | Some(Value::Null) => Ok(&[]),
        Some(other) => Err(ShapeError::new(
            &key(path, k),
            format!("`{k}` must be an array, found {}", kind_of(other)),
        )),
    }
}

fn components(values: &[Value], path: &[Step]) -> Result<Vec<Component>, ShapeError> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| component(v, &with(path, Step::Index(i))))
        .collect()
}

fn component(v: &Value, path: &[Step]) -> Result<Component, ShapeError> {
    let c = object(v, path, "a component")?;
    let kind = required_str(c, path, "type")?;
    Ok(match kind.to_ascii_uppercase().as_str() {
        "HEADER" => Component::Header(HeaderDefinition {
            format: HeaderFormat::parse(
                optional_str(c, path, "format")?
                    .as_deref()
                    .unwrap_or("TEXT"),
            ),
            text: optional_str(c, path, "text")?,
        }),
        "BODY" => Component::Body(BodyDefinition {
            text: optional_str(c, path, "text")?.unwrap_or_default(),
        }),
        "FOOTER" => Component::Footer(FooterDefinition {
            text: optional_str(c, path, "text")?,
        }),
        "BUTTONS" => {
            let at = key(path, "buttons");
            Component::Buttons(
                optional_array(c, path, "buttons")?
                    .iter()
                    .enumerate()
                    .map(|(i, b)| button(b, &with(&at, Step::Index(i))))
                    .collect::<Result<_, _>>()?,
            )
        }
        "CAROUSEL" => {
            let at = key(path, "cards");
            let cards = optional_array(c, path, "cards")?
                .iter()
                .enumerate()
                .map(|(i, card)| {
                    let at = with(&at, Step::Index(i));
                    let m = object(card, &at, "a card")?;
                    Ok(CardDefinition {
                        components: components(
                            optional_array(m, &at, "components")?,
                            &key(&at, "components"),
                        )?,
                    })
                })
                .collect::<Result<_, ShapeError>>()?;
            Component::Carousel(cards)
        }
        "LIMITED_TIME_OFFER" => {
            let at = key(path, "limited_time_offer");
            let (text, has_expiration) = match c.get("limited_time_offer") {
                Some(Value::Object(o)) => (
                    optional_str(o, &at, "text")?,
                    o.get("has_expiration").and_then(Value::as_bool) == Some(true),
                ),
                None | Some(Value::Null) => (None, false),
                Some(other) => {
                    return Err(ShapeError::new(
                        &at,
                        format!(
                            "`limited_time_offer` must be an object, found {}",
                            kind_of(other)
                        ),
                    ));
                }
            };
            Component::LimitedTimeOffer(LimitedTimeOfferDefinition {
                text,
                has_expiration,
            })
        }
        _ => Component::Other(kind.to_owned()),
    })
}

fn button(v: &Value, path: &[Step]) -> Result<ButtonDefinition, ShapeError> {
    let b = object(v, path, "a button")?;
    Ok(ButtonDefinition {
        kind: ButtonType::parse(required_str(b, path, "type")?),
        text: optional_str(b, path, "text")?,
        url: optional_str(b, path, "url")?,
        phone_number: optional_str(b, path, "phone_number")?,
        otp_type: optional_str(b, path, "otp_type")?,
        flow_id: match b.get("flow_id") {
            // Meta gives flow ids as strings; a number is read as its digits.
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => optional_str(b, path, "flow_id")?,
        },
    })
}

impl TemplateDefinition {
    /// Reads one entry (an object of Kaleyra's `data` array). `path` locates it for errors.
    pub(crate) fn read(value: Value, path: &[Step]) -> Result<TemplateDefinition, ShapeError> {
        let m = object(&value, path, "a template")?;
        let name = required_str(m, path, "name")?.to_owned();
        let language = required_str(m, path, "language")?.to_owned();
        // An entry written by hand for `kaleyra templates push` has no status yet.
        let status = optional_str(m, path, "status")?.map_or(Status::New, |s| Status::parse(&s));
        let category = Category::parse(optional_str(m, path, "category")?.as_deref().unwrap_or(""));
        let id = match m.get("id") {
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => optional_str(m, path, "id")?,
        };
        let parameter_format = match optional_str(m, path, "parameter_format")? {
            Some(f) if f.eq_ignore_ascii_case("NAMED") => Some(ParameterFormat::Named),
            Some(f) if f.eq_ignore_ascii_case("POSITIONAL") => Some(ParameterFormat::Positional),
            Some(other) => {
                return Err(ShapeError::new(
                    &key(path, "parameter_format"),
                    format!(
                        "`parameter_format` is {other:?}; expected \"POSITIONAL\" or \"NAMED\""
                    ),
                ));
            }
            None => None,
        };
        let components = components(
            optional_array(m, path, "components")?,
            &key(path, "components"),
        )?;
        Ok(TemplateDefinition {
            name,
            language,
            status,
            category,
            id,
            parameter_format,
            components,
            raw: value,
        })
    }

    /// Reads one template object as Kaleyra returns it.
    ///
    /// ```
    /// use kaleyra::catalogue::{Status, TemplateDefinition};
    ///
    /// let t = TemplateDefinition::from_json(serde_json::json!({
    ///     "name": "order_update", "language": "en_US", "status": "APPROVED",
    ///     "category": "UTILITY", "id": "1",
    ///     "components": [{"type": "BODY", "text": "Hi {{1}}, order {{2}} ships on {{3}}"}],
    ///     "sub_category": "CUSTOM"
    /// }))?;
    /// assert_eq!(t.status(), &Status::Approved);
    /// assert_eq!(t.body_parameters().len(), 3);
    /// assert_eq!(t.as_json()["sub_category"], "CUSTOM"); // unknown members are kept
    /// # Ok::<(), kaleyra::catalogue::DefinitionError>(())
    /// ```
    pub fn from_json(value: Value) -> Result<TemplateDefinition, DefinitionError> {
        TemplateDefinition::read(value, &[]).map_err(|e| DefinitionError {
            message: if e.path.is_empty() {
                e.message
            } else {
                format!("{}: {}", e.pointer(), e.message)
            },
        })
    }

    /// The template's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its language code.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// Its review status.
    pub fn status(&self) -> &Status {
        &self.status
    }

    /// Its category.
    pub fn category(&self) -> &Category {
        &self.category
    }

    /// Meta's id of the template, if given.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// `parameter_format`, if given.
    pub fn parameter_format(&self) -> Option<ParameterFormat> {
        self.parameter_format
    }

    /// Its components, in order.
    pub fn components(&self) -> &[Component] {
        &self.components
    }

    /// Its header.
    pub fn header(&self) -> Option<&HeaderDefinition> {
        header_of(&self.components)
    }

    /// Its body.
    pub fn body(&self) -> Option<&BodyDefinition> {
        body_of(&self.components)
    }

    /// Its footer.
    pub fn footer(&self) -> Option<&FooterDefinition> {
        self.components.iter().find_map(|c| match c {
            Component::Footer(f) => Some(f),
            _ => None,
        })
    }

    /// Its buttons, in index order.
    pub fn buttons(&self) -> &[ButtonDefinition] {
        buttons_of(&self.components)
    }

    /// Its limited-time offer.
    pub fn limited_time_offer(&self) -> Option<&LimitedTimeOfferDefinition> {
        self.components.iter().find_map(|c| match c {
            Component::LimitedTimeOffer(o) => Some(o),
            _ => None,
        })
    }

    /// Its carousel's cards.
    pub fn carousel(&self) -> Option<&[CardDefinition]> {
        self.components.iter().find_map(|c| match c {
            Component::Carousel(cards) => Some(cards.as_slice()),
            _ => None,
        })
    }

    /// The body's parameters: named when `parameter_format` is `NAMED` or the text has a
    /// `{{name}}`, otherwise positional.
    pub fn body_parameters(&self) -> Parameters {
        let text = self.body().map_or("", |b| b.text.as_str());
        match (self.parameter_format, Parameters::of(text)) {
            (Some(ParameterFormat::Named), Parameters::Positional(0)) => {
                Parameters::Named(Vec::new())
            }
            (_, parameters) => parameters,
        }
    }

    /// The object it was read from, unknown members included.
    pub fn as_json(&self) -> &Value {
        &self.raw
    }

    /// The object it was read from.
    pub fn into_json(self) -> Value {
        self.raw
    }
}

impl serde::Serialize for TemplateDefinition {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for TemplateDefinition {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        TemplateDefinition::from_json(value).map_err(serde::de::Error::custom)
    }
}

/// A template object that is not Meta's template shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a template definition: {message}")]
pub struct DefinitionError {
    message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn placeholders_in_order_each_once() {
        assert_eq!(
            placeholders("Hi {{1}}, {{ 2 }} and {{1}} {{first_name}} {{Bad}} {{}} {{{3}}}"),
            vec![
                Placeholder::Positional(1),
                Placeholder::Positional(2),
                Placeholder::Named("first_name".into()),
                Placeholder::Positional(3),
            ]
        );
        assert_eq!(placeholders("no {{ end"), vec![]);
        assert_eq!(Parameters::of("a {{2}} b {{1}}"), Parameters::Positional(2));
        assert_eq!(
            Parameters::of("Hi {{first_name}}"),
            Parameters::Named(vec!["first_name".into()])
        );
        assert_eq!(Parameters::of("fixed"), Parameters::Positional(0));
    }

    #[test]
    fn reads_meta_shapes_and_keeps_unknowns() {
        let t = TemplateDefinition::from_json(json!({
            "name": "t", "language": "en_US", "status": "paused", "category": "MARKETING",
            "id": 42,
            "components": [
                {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["x"]}},
                {"type": "BODY", "text": "Hi {{1}}"},
                {"type": "BUTTONS", "buttons": [
                    {"type": "URL", "text": "Go", "url": "https://x.example/{{1}}"},
                    {"type": "SOMETHING_NEW", "text": "?"}
                ]},
                {"type": "NEW_COMPONENT", "stuff": 1}
            ]
        }))
        .unwrap();
        assert_eq!(t.status(), &Status::Paused);
        assert_eq!(t.id(), Some("42"));
        assert_eq!(t.header().map(|h| &h.format), Some(&HeaderFormat::Image));
        assert!(t.buttons()[0].is_dynamic_url());
        assert_eq!(
            t.buttons()[1].kind,
            ButtonType::Other("SOMETHING_NEW".into())
        );
        assert_eq!(t.components()[3], Component::Other("NEW_COMPONENT".into()));
        assert_eq!(t.as_json()["components"][3]["stuff"], 1);
    }

    #[test]
    fn shape_errors_say_where() {
        let e = TemplateDefinition::from_json(
            json!({"name": "t", "language": "en", "status": "APPROVED",
            "components": [{"type": "BUTTONS", "buttons": [{"text": "x"}]}]}),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "not a template definition: components[0].buttons[0]: missing `type`"
        );
        let e = TemplateDefinition::from_json(json!({"name": 1})).unwrap_err();
        assert_eq!(
            e.to_string(),
            "not a template definition: name: `name` must be a string, found a number"
        );
    }
}
