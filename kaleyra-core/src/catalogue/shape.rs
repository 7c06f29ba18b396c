//! The shape check: what a struct or a message declares ([`Declared`]) against an approved
//! template ([`TemplateDefinition`]). One check for the derive (from its plan, at compile time),
//! [`Catalogue::check`](super::Catalogue::check) (from a message's body) and the simulator.
//!
//! Every mismatch is returned, each with the part it concerns ([`Part`], which the derive maps to
//! a token), the WhatsApp error a send would get, and a message that quotes the approved text.

use std::fmt;

use super::codes;
use super::definition::{
    ButtonDefinition, ButtonType, CardDefinition, Category, HeaderDefinition, HeaderFormat,
    Parameters, TemplateDefinition,
};
use crate::layout::{ButtonKind, MediaKind};
use crate::rules;

/// Who declares the shape: the words a mismatch ends with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A `#[derive(Template)]` struct: "this struct declares 2".
    Struct,
    /// A built message: "this message has 2".
    Message,
}

/// What kind of template was declared; decides which category fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeclaredKind {
    /// `kind = otp`: the template must be an AUTHENTICATION one.
    Authentication,
    /// `kind = flow`.
    Flow,
    /// `kind = product`.
    Product,
    /// A general template.
    Standard,
    /// Only the wire body is known (the simulator): the category is not checked.
    Unknown,
}

impl DeclaredKind {
    fn declaration(self) -> &'static str {
        match self {
            DeclaredKind::Authentication => "`kind = otp`",
            DeclaredKind::Flow => "`kind = flow`",
            DeclaredKind::Product => "`kind = product`",
            DeclaredKind::Standard | DeclaredKind::Unknown => "a general template",
        }
    }
}

/// A declared header parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DeclaredHeader {
    /// Text, positional or with this parameter name.
    Text(Option<String>),
    /// An image, video or document; `None` when the kind is only known at run time (a `Media`
    /// field).
    Media(Option<MediaKind>),
    /// A location.
    Location,
    /// A product (single-product templates).
    Product,
    /// A parameter of a type the derive cannot classify: only its presence is checked.
    Any,
}

impl DeclaredHeader {
    fn describe(&self) -> String {
        match self {
            DeclaredHeader::Text(None) => "a text header parameter".to_owned(),
            DeclaredHeader::Text(Some(name)) => format!("a text header parameter {{{{{name}}}}}"),
            DeclaredHeader::Media(None) => "a media header parameter".to_owned(),
            DeclaredHeader::Media(Some(MediaKind::Image)) => "an image header".to_owned(),
            DeclaredHeader::Media(Some(kind)) => format!("a {} header", kind.as_str()),
            DeclaredHeader::Location => "a location header".to_owned(),
            DeclaredHeader::Product => "a product header".to_owned(),
            DeclaredHeader::Any => "a header parameter".to_owned(),
        }
    }
}

/// The declared body parameters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DeclaredBody {
    /// `{{1}}`..`{{n}}`.
    Positional(usize),
    /// `{{name}}`s, in field order.
    Named(Vec<String>),
}

impl Default for DeclaredBody {
    fn default() -> Self {
        DeclaredBody::Positional(0)
    }
}

/// A declared button parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeclaredButton {
    /// A button of a general or flow template, by sub-type.
    Kind(ButtonKind),
    /// An authentication template's OTP button (sent as a `url` parameter).
    OneTimePassword,
}

impl DeclaredButton {
    fn describe(self) -> String {
        match self {
            DeclaredButton::Kind(kind) => format!("a `{}` button", kind.sub_type()),
            DeclaredButton::OneTimePassword => "the OTP button".to_owned(),
        }
    }
}

/// A declared carousel card.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DeclaredCard {
    /// Its header parameter.
    pub header: Option<DeclaredHeader>,
    /// How many body parameters it has.
    pub body: usize,
    /// Its button parameters, by index.
    pub buttons: Vec<(u8, DeclaredButton)>,
}

impl DeclaredCard {
    /// A card with no parameters; set its fields.
    pub fn new() -> Self {
        DeclaredCard::default()
    }
}

/// A declared carousel.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct DeclaredCarousel {
    /// How many cards, when known (an array `[Card; N]`, or a built message); `None` for a
    /// `Vec` of cards, whose length is only known at run time.
    pub count: Option<usize>,
    /// The cards' shapes: one per card, or one shared by every card (a `#[derive(Card)]` type).
    pub cards: Vec<DeclaredCard>,
    /// Whether `cards` holds one shape shared by every card.
    pub shared: bool,
}

impl DeclaredCarousel {
    /// `count` cards (if known) of one shape, as a derived carousel field declares them.
    pub fn shared(count: Option<usize>, card: DeclaredCard) -> Self {
        DeclaredCarousel {
            count,
            cards: vec![card],
            shared: true,
        }
    }

    /// `count` cards (if known) whose shape is not known here: only the count is checked (the
    /// template derive sees a carousel field's type, `[C; N]` or `Vec<C>`, not the card type's
    /// fields; it checks their [`CardShape`] in a `const` instead).
    pub fn count_only(count: Option<usize>) -> Self {
        DeclaredCarousel {
            count,
            cards: Vec::new(),
            shared: true,
        }
    }

    /// These cards, in order, as a built message has them.
    pub fn cards(cards: Vec<DeclaredCard>) -> Self {
        DeclaredCarousel {
            count: Some(cards.len()),
            cards,
            shared: false,
        }
    }
}

/// What a struct or a message declares about its template: the pieces the approved template
/// must match.
///
/// ```
/// use kaleyra::catalogue::{Declared, DeclaredBody, DeclaredKind, Subject};
///
/// let mut declared = Declared::new("order_update", "en_US", DeclaredKind::Standard, Subject::Struct);
/// declared.body = DeclaredBody::Positional(2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Declared {
    /// The template's name.
    pub name: String,
    /// Its language code.
    pub language: String,
    /// Its kind.
    pub kind: DeclaredKind,
    /// Who declares it (for messages).
    pub subject: Subject,
    /// The header parameter.
    pub header: Option<DeclaredHeader>,
    /// The body parameters.
    pub body: DeclaredBody,
    /// Whether it gives a limited-time offer's expiry.
    pub limited_time_offer: bool,
    /// The button parameters, by index.
    pub buttons: Vec<(u8, DeclaredButton)>,
    /// The carousel.
    pub carousel: Option<DeclaredCarousel>,
}

impl Declared {
    /// A declaration of `name` in `language` with no parameters yet; set the fields.
    pub fn new(
        name: impl Into<String>,
        language: impl Into<String>,
        kind: DeclaredKind,
        subject: Subject,
    ) -> Self {
        Declared {
            name: name.into(),
            language: language.into(),
            kind,
            subject,
            header: None,
            body: DeclaredBody::default(),
            limited_time_offer: false,
            buttons: Vec::new(),
            carousel: None,
        }
    }
}

/// Which part of a declaration a mismatch concerns (the derive puts the error on its token).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Part {
    /// The template as a whole (its name).
    Template,
    /// Its language.
    Language,
    /// Its status.
    Status,
    /// Its category, against the declared kind.
    Category,
    /// The header parameter.
    Header,
    /// The body parameters as a whole (e.g. too few).
    Body,
    /// Body parameter `n` (0-based), e.g. the first one too many.
    BodyParameter(usize),
    /// The named body parameter with this name.
    BodyName(String),
    /// The limited-time offer.
    LimitedTimeOffer,
    /// The button at this index.
    Button(u8),
    /// The carousel (its number of cards).
    Carousel,
    /// A part of carousel card `card` (0-based).
    Card {
        /// The card's position.
        card: usize,
        /// The part of the card: [`Part::Header`], [`Part::Body`] or [`Part::Button`].
        part: Box<Part>,
    },
}

/// One difference between a declaration and the approved template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    part: Part,
    code: u32,
    approved: String,
    found: String,
}

impl Mismatch {
    pub(crate) fn new(
        part: Part,
        code: u32,
        approved: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        Mismatch {
            part,
            code,
            approved: approved.into(),
            found: found.into(),
        }
    }

    /// The part it concerns.
    pub fn part(&self) -> &Part {
        &self.part
    }

    /// The WhatsApp error a send would get: 132000 (number of parameters), 132001 (no such
    /// template in that language, or not sendable), 132012 (parameter format), 132015 (paused),
    /// 132016 (disabled).
    pub fn code(&self) -> u32 {
        self.code
    }

    /// What the catalogue says, quoting the approved text: ``template `order_update` (en_US)
    /// has 3 body parameters ("Hi {{1}}, your order {{2}} ships on {{3}}")``.
    pub fn approved(&self) -> &str {
        &self.approved
    }

    /// What the declaration says instead, and what to do: `this struct declares 2`.
    pub fn found(&self) -> &str {
        &self.found
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.found.is_empty() {
            f.write_str(&self.approved)
        } else {
            write!(f, "{}; {}", self.approved, self.found)
        }
    }
}

/// Every difference between a message (or struct) and the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatches(Vec<Mismatch>);

impl Mismatches {
    /// `Ok` when nothing was found, else the mismatches.
    pub(crate) fn result(list: Vec<Mismatch>) -> Result<(), Mismatches> {
        if list.is_empty() {
            Ok(())
        } else {
            Err(Mismatches(list))
        }
    }

    /// The mismatches, in the order they were found (template, status, category, header, body,
    /// limited-time offer, buttons, carousel).
    pub fn iter(&self) -> std::slice::Iter<'_, Mismatch> {
        self.0.iter()
    }

    /// How many there are (at least one).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: a `Mismatches` holds at least one.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The mismatches.
    pub fn into_vec(self) -> Vec<Mismatch> {
        self.0
    }

    /// The one WhatsApp would answer: the template (132001), then its status (132015, 132016),
    /// then the number of parameters (132000), then their format (132012).
    pub fn first(&self) -> Option<&Mismatch> {
        let rank = |code: u32| match code {
            codes::NOT_FOUND => 0,
            codes::PAUSED | codes::DISABLED => 1,
            codes::PARAMETER_COUNT => 2,
            _ => 3,
        };
        self.0.iter().min_by_key(|m| rank(m.code))
    }
}

impl<'a> IntoIterator for &'a Mismatches {
    type Item = &'a Mismatch;
    type IntoIter = std::slice::Iter<'a, Mismatch>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for Mismatches {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, m) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Mismatches {}

/// `"text"`, shortened to 80 characters, escaped as Rust writes a string.
pub(crate) fn quote(text: &str) -> String {
    const MAX: usize = 80;
    let short = rules::truncate_chars(text, MAX);
    if short.len() < text.len() {
        format!("{:?}", format!("{short}…"))
    } else {
        format!("{text:?}")
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {many}"),
        1 => format!("1 {one}"),
        _ => format!("{n} {many}"),
    }
}

/// The words of one check: the template's label and the subject's verbs.
struct Say<'a> {
    label: String,
    subject: Subject,
    kind: DeclaredKind,
    /// `Some(n)` inside carousel card `n`.
    card: Option<usize>,
    template: &'a TemplateDefinition,
}

impl Say<'_> {
    /// ``template `name` (lang)``, or ``card 1 of template `name` (lang)``.
    fn what(&self) -> String {
        match self.card {
            Some(n) => format!("card {n} of {}", self.label),
            None => self.label.clone(),
        }
    }

    /// "this struct declares {x}" / "this message has {x}" (or the card's).
    fn declares(&self, x: impl fmt::Display) -> String {
        match (self.subject, self.card) {
            (Subject::Struct, None) => format!("this struct declares {x}"),
            (Subject::Struct, Some(_)) => format!("its card type declares {x}"),
            (Subject::Message, None) => format!("this message has {x}"),
            (Subject::Message, Some(n)) => format!("this message's card {n} has {x}"),
        }
    }

    /// A fix, for structs only (a message's builder calls are the caller's own).
    fn hint(&self, text: impl fmt::Display) -> String {
        match self.subject {
            Subject::Struct => format!(": {text}"),
            Subject::Message => String::new(),
        }
    }

    /// The attribute that declares `role`: `#[template(role)]`, or `#[card(role)]` in a card.
    fn attr(&self, role: impl fmt::Display) -> String {
        match self.card {
            Some(_) => format!("#[card({role})]"),
            None => format!("#[template({role})]"),
        }
    }

    /// A hint for a general template or a card only: the other kinds have no such role.
    fn general_hint(&self, text: impl fmt::Display) -> String {
        if self.kind == DeclaredKind::Standard || self.card.is_some() {
            self.hint(text)
        } else {
            String::new()
        }
    }

    fn part(&self, part: Part) -> Part {
        match self.card {
            Some(card) => Part::Card {
                card,
                part: Box::new(part),
            },
            None => part,
        }
    }
}

/// A button's description: `a dynamic URL button ("Track", https://example.com/t/{{1}})`.
fn describe_button(b: &ButtonDefinition) -> String {
    let kind = match &b.kind {
        ButtonType::Url if b.is_dynamic_url() => "a dynamic URL button".to_owned(),
        ButtonType::Url => "a static URL button".to_owned(),
        ButtonType::OneTimePassword => "an OTP button".to_owned(),
        other => format!("a {other} button"),
    };
    let mut details: Vec<String> = b.otp_type.iter().cloned().collect();
    if let Some(text) = &b.text {
        details.push(quote(text));
    }
    if let Some(url) = &b.url {
        details.push(url.clone());
    }
    if details.is_empty() {
        kind
    } else {
        format!("{kind} ({})", details.join(", "))
    }
}

/// Whether an approved button takes a parameter of the declared kind. `auth`: the template is
/// an authentication one, whose OTP button Meta may list as a dynamic `URL`.
fn button_fits(declared: DeclaredButton, approved: &ButtonDefinition, auth: bool) -> bool {
    match (declared, &approved.kind) {
        (DeclaredButton::OneTimePassword, ButtonType::OneTimePassword) => true,
        (DeclaredButton::OneTimePassword, ButtonType::Url) => approved.is_dynamic_url(),
        (DeclaredButton::OneTimePassword, _) => false,
        (DeclaredButton::Kind(ButtonKind::Url), ButtonType::OneTimePassword) => auth,
        (DeclaredButton::Kind(kind), approved_kind) => {
            approved_kind == &button_type(kind)
                && (kind != ButtonKind::Url || approved.is_dynamic_url())
        }
    }
}

fn button_type(kind: ButtonKind) -> ButtonType {
    match kind {
        ButtonKind::QuickReply => ButtonType::QuickReply,
        ButtonKind::Url => ButtonType::Url,
        ButtonKind::CopyCode => ButtonType::CopyCode,
        ButtonKind::Flow => ButtonType::Flow,
        ButtonKind::Catalog => ButtonType::Catalog,
        ButtonKind::Mpm => ButtonType::Mpm,
    }
}

/// Whether an approved button needs a parameter in every send, and which (for the hint).
fn required_parameter(b: &ButtonDefinition) -> Option<&'static str> {
    match b.kind {
        ButtonType::Url if b.is_dynamic_url() => Some("url"),
        ButtonType::CopyCode => Some("copy_code"),
        ButtonType::Mpm => Some("mpm"),
        ButtonType::OneTimePassword => Some("otp"),
        _ => None,
    }
}

/// Whether an approved button takes no parameter at all.
fn takes_no_parameter(b: &ButtonDefinition) -> bool {
    matches!(b.kind, ButtonType::PhoneNumber | ButtonType::VoiceCall)
        || (b.kind == ButtonType::Url && !b.is_dynamic_url())
}

/// Checks `declared` against the approved `template` (same name and language): status,
/// category, header, body, limited-time offer, buttons and carousel. Returns every mismatch.
pub fn check(template: &TemplateDefinition, declared: &Declared) -> Vec<Mismatch> {
    let say = Say {
        label: format!("template `{}` ({})", template.name(), template.language()),
        subject: declared.subject,
        kind: declared.kind,
        card: None,
        template,
    };
    let mut out = Vec::new();
    if let Some(code) = template.status().send_error() {
        out.push(Mismatch::new(
            Part::Status,
            code,
            format!(
                "{} is {}, not APPROVED: {}",
                say.what(),
                template.status(),
                template.status().meaning()
            ),
            "",
        ));
    }
    let before = out.len();
    category(&say, declared.kind, &mut out);
    if out.len() > before {
        // The wrong kind: its header, body and buttons would only repeat that.
        return out;
    }
    let auth = *template.category() == Category::Authentication
        || declared.kind == DeclaredKind::Authentication;
    if declared.kind != DeclaredKind::Authentication {
        // An authentication template's header and body are fixed by WhatsApp; its code goes in
        // the body and the button, which the layout writes (checked as the button below).
        header(&say, template.header(), declared.header.as_ref(), &mut out);
        body(&say, template.body_parameters(), &declared.body, &mut out);
        limited_time_offer(&say, declared.limited_time_offer, &mut out);
    }
    buttons(&say, template.buttons(), &declared.buttons, auth, &mut out);
    carousel(
        &say,
        template.carousel(),
        declared.carousel.as_ref(),
        &mut out,
    );
    out
}

fn category(say: &Say<'_>, kind: DeclaredKind, out: &mut Vec<Mismatch>) {
    let category = say.template.category();
    let approved_auth = *category == Category::Authentication;
    let message = match kind {
        DeclaredKind::Unknown => return,
        DeclaredKind::Authentication if !approved_auth => format!(
            "{} is a {category} template, not AUTHENTICATION: `kind = otp` sends an \
             authentication template's one-time password",
            say.what()
        ),
        DeclaredKind::Flow | DeclaredKind::Product | DeclaredKind::Standard if approved_auth => {
            format!(
                "{} is an AUTHENTICATION template: send it with `kind = otp`, not as {}",
                say.what(),
                kind.declaration()
            )
        }
        _ => return,
    };
    out.push(Mismatch::new(
        Part::Category,
        codes::PARAMETER_FORMAT,
        message,
        "",
    ));
}

/// The parameter an approved header takes, described, or `None` when it takes none.
fn header_parameter(h: &HeaderDefinition) -> Option<DeclaredHeader> {
    match &h.format {
        HeaderFormat::Text => match Parameters::of(h.text.as_deref().unwrap_or("")) {
            Parameters::Positional(0) => None,
            Parameters::Named(names) => Some(DeclaredHeader::Text(names.into_iter().next())),
            Parameters::Positional(_) => Some(DeclaredHeader::Text(None)),
        },
        HeaderFormat::Location => Some(DeclaredHeader::Location),
        HeaderFormat::Product => Some(DeclaredHeader::Product),
        HeaderFormat::Other(_) => Some(DeclaredHeader::Any),
        media => Some(DeclaredHeader::Media(media.media_kind())),
    }
}

/// `an IMAGE header`, `a TEXT header ("Hi {{1}}")`.
fn describe_header(h: &HeaderDefinition) -> String {
    let article = if matches!(h.format, HeaderFormat::Image) {
        "an"
    } else {
        "a"
    };
    match &h.text {
        Some(text) => format!("{article} {} header ({})", h.format, quote(text)),
        None => format!("{article} {} header", h.format),
    }
}

/// `an IMAGE header`, `a TEXT header`: the format only.
fn describe_header_format(h: &HeaderDefinition) -> String {
    let article = if matches!(h.format, HeaderFormat::Image) {
        "an"
    } else {
        "a"
    };
    format!("{article} {} header", h.format)
}

/// The field types that hold a header parameter of this shape, for hints.
fn header_type(h: &DeclaredHeader) -> Option<&'static str> {
    match h {
        DeclaredHeader::Text(_) => Some("text, a `String` or `&str`"),
        DeclaredHeader::Media(_) => Some("a `Media`"),
        DeclaredHeader::Location => Some("a `Location`"),
        DeclaredHeader::Product | DeclaredHeader::Any => None,
    }
}

fn header(
    say: &Say<'_>,
    approved: Option<&HeaderDefinition>,
    declared: Option<&DeclaredHeader>,
    out: &mut Vec<Mismatch>,
) {
    let expected = approved.and_then(header_parameter);
    let part = say.part(Part::Header);
    match (approved, expected, declared) {
        (_, Some(_), Some(DeclaredHeader::Any)) => {}
        (None, _, Some(d)) => out.push(Mismatch::new(
            part,
            codes::PARAMETER_COUNT,
            format!("{} has no header", say.what()),
            format!(
                "{}{}",
                say.declares(d.describe()),
                say.hint("remove the header field")
            ),
        )),
        (Some(h), None, Some(d)) => out.push(Mismatch::new(
            part,
            codes::PARAMETER_COUNT,
            format!(
                "{} has {} with no parameter",
                say.what(),
                describe_header(h)
            ),
            format!(
                "{}{}",
                say.declares(d.describe()),
                say.hint("remove the header field")
            ),
        )),
        (Some(h), Some(e), None) => {
            let hint = match &e {
                DeclaredHeader::Text(Some(name)) => {
                    format!("add a {} field", say.attr(format!("header = \"{name}\"")))
                }
                DeclaredHeader::Product => {
                    "a PRODUCT header is a single-product template's: declare it with `kind = product`"
                        .to_owned()
                }
                other => format!(
                    "add a {} field{}",
                    say.attr("header"),
                    header_type(other)
                        .map(|t| format!(" holding {t}"))
                        .unwrap_or_default()
                ),
            };
            out.push(Mismatch::new(
                part,
                codes::PARAMETER_COUNT,
                format!("{} has {}", say.what(), describe_header(h)),
                format!(
                    "{}{}",
                    say.declares("no header parameter"),
                    say.general_hint(hint)
                ),
            ));
        }
        (Some(h), Some(e), Some(d)) => {
            let fits = match (&e, d) {
                (DeclaredHeader::Any, _) => true,
                // A named parameter is sent with its name, a positional one without (Meta
                // refuses either for the other): the names must agree, `None` with `None`.
                (DeclaredHeader::Text(a), DeclaredHeader::Text(b)) => a == b,
                (DeclaredHeader::Media(a), DeclaredHeader::Media(b)) => b.is_none() || a == b,
                (a, b) => a == b,
            };
            if !fits {
                let hint = match (&e, d) {
                    (DeclaredHeader::Text(Some(name)), DeclaredHeader::Text(_)) => {
                        say.hint(format!("write #[template(header = \"{name}\")]"))
                    }
                    (DeclaredHeader::Text(None), DeclaredHeader::Text(Some(_))) => {
                        say.hint("the parameter is positional, write #[template(header)]")
                    }
                    (DeclaredHeader::Media(_), DeclaredHeader::Media(_)) => String::new(),
                    (e, d) => match (header_type(e), header_type(d)) {
                        (Some(t), Some(_)) => say.general_hint(format!(
                            "the field of {} holds {t}",
                            describe_header_format(h)
                        )),
                        _ => String::new(),
                    },
                };
                out.push(Mismatch::new(
                    part,
                    codes::PARAMETER_FORMAT,
                    format!("{} has {}", say.what(), describe_header(h)),
                    format!("{}{hint}", say.declares(d.describe())),
                ));
            }
        }
        (None, _, None) | (Some(_), None, None) => {}
    }
}

fn body(say: &Say<'_>, approved: Parameters, declared: &DeclaredBody, out: &mut Vec<Mismatch>) {
    let text = say
        .template_text_of_body()
        .map(|t| format!(" ({})", quote(t)))
        .unwrap_or_default();
    let what = say.what();
    match (&approved, declared) {
        (Parameters::Positional(n), DeclaredBody::Positional(m)) if n != m => {
            let part = if m > n {
                Part::BodyParameter(*n)
            } else {
                Part::Body
            };
            out.push(Mismatch::new(
                say.part(part),
                codes::PARAMETER_COUNT,
                format!(
                    "{what} has {}{text}",
                    plural(*n, "body parameter", "body parameters")
                ),
                format!(
                    "{}{}",
                    say.declares(if *m == 0 {
                        "none".to_owned()
                    } else {
                        m.to_string()
                    }),
                    if m < n {
                        say.hint(add_positional(say, *m, *n))
                    } else {
                        String::new()
                    }
                ),
            ));
        }
        (Parameters::Positional(_), DeclaredBody::Positional(_)) => {}
        (Parameters::Named(names), DeclaredBody::Named(given)) => {
            let mut missing: Vec<&String> = names.iter().filter(|n| !given.contains(n)).collect();
            for (i, extra) in given.iter().enumerate() {
                if names.contains(extra) || given[..i].contains(extra) {
                    continue;
                }
                // A misspelt name: suggest the missing one it is closest to, and report it once.
                let suggestion =
                    rules::suggest(extra, missing.iter().map(|n| n.as_str())).map(str::to_owned);
                if let Some(s) = &suggestion {
                    missing.retain(|n| *n != s);
                }
                let hint = suggestion
                    .map(|s| format!(", did you mean {{{{{s}}}}}?"))
                    .unwrap_or_default();
                out.push(Mismatch::new(
                    say.part(Part::BodyName(extra.clone())),
                    codes::PARAMETER_COUNT,
                    format!("{what} has no body parameter {{{{{extra}}}}}{text}"),
                    format!("{}{hint}", say.declares(format!("{{{{{extra}}}}}"))),
                ));
            }
            if !missing.is_empty() {
                let list = missing
                    .iter()
                    .map(|n| format!("{{{{{n}}}}}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(Mismatch::new(
                    say.part(Part::Body),
                    codes::PARAMETER_COUNT,
                    format!(
                        "{what} has the body parameter{} {list}{text}",
                        if missing.len() == 1 { "" } else { "s" }
                    ),
                    format!(
                        "{}{}",
                        say.declares(if missing.len() == 1 {
                            "no parameter of that name"
                        } else {
                            "none of them"
                        }),
                        say.hint(add_named(say, &missing))
                    ),
                ));
            }
        }
        (Parameters::Named(names), DeclaredBody::Positional(m)) => {
            let list = names
                .iter()
                .map(|n| format!("{{{{{n}}}}}"))
                .collect::<Vec<_>>()
                .join(", ");
            if *m == 0 {
                if !names.is_empty() {
                    out.push(Mismatch::new(
                        say.part(Part::Body),
                        codes::PARAMETER_COUNT,
                        format!("{what} has named body parameters {list}{text}"),
                        format!(
                            "{}{}",
                            say.declares("none"),
                            say.hint(add_named(say, &names.iter().collect::<Vec<_>>()))
                        ),
                    ));
                }
            } else {
                let first = names.first().map_or("name", String::as_str);
                out.push(Mismatch::new(
                    say.part(Part::BodyParameter(0)),
                    codes::PARAMETER_FORMAT,
                    format!("{what} has named body parameters {list}{text}"),
                    format!(
                        "{}{}",
                        say.declares(format!(
                            "{} instead",
                            plural(*m, "positional parameter", "positional parameters")
                        )),
                        say.hint(format!(
                            "name each one, e.g. #[template(body = \"{first}\")]"
                        ))
                    ),
                ));
            }
        }
        (Parameters::Positional(n), DeclaredBody::Named(given)) => {
            if let Some(first) = given.first() {
                out.push(Mismatch::new(
                    say.part(Part::BodyName(first.clone())),
                    codes::PARAMETER_FORMAT,
                    format!(
                        "{what} has {}{text}",
                        plural(
                            *n,
                            "positional body parameter",
                            "positional body parameters"
                        )
                    ),
                    format!(
                        "{}{}",
                        say.declares("named ones"),
                        say.hint("use #[template(body)] in the order of {{1}}, {{2}}, …")
                    ),
                ));
            } else if *n > 0 {
                out.push(Mismatch::new(
                    say.part(Part::Body),
                    codes::PARAMETER_COUNT,
                    format!(
                        "{what} has {}{text}",
                        plural(*n, "body parameter", "body parameters")
                    ),
                    say.declares("none"),
                ));
            }
        }
    }
}

/// The fix for the positional body parameters after the first `declared` of `approved`.
fn add_positional(say: &Say<'_>, declared: usize, approved: usize) -> String {
    let attr = say.attr("body");
    if approved - declared == 1 {
        format!("add a {attr} field for {{{{{approved}}}}}")
    } else {
        format!(
            "add {attr} fields for {{{{{}}}}} to {{{{{approved}}}}}",
            declared + 1
        )
    }
}

/// The fix for missing named body parameters.
fn add_named(say: &Say<'_>, missing: &[&String]) -> String {
    match missing {
        [name] => format!("add a {} field", say.attr(format!("body = \"{name}\""))),
        _ => format!("add a {} field for each", say.attr("body = \"…\"")),
    }
}

impl Say<'_> {
    /// The body text of the template or of this card.
    fn template_text_of_body(&self) -> Option<&str> {
        match self.card {
            Some(n) => self
                .template
                .carousel()
                .and_then(|cards| cards.get(n))
                .and_then(CardDefinition::body)
                .map(|b| b.text.as_str()),
            None => self.template.body().map(|b| b.text.as_str()),
        }
        .filter(|t| !t.is_empty())
    }
}

fn limited_time_offer(say: &Say<'_>, declared: bool, out: &mut Vec<Mismatch>) {
    match (say.template.limited_time_offer(), declared) {
        (None, true) => out.push(Mismatch::new(
            Part::LimitedTimeOffer,
            codes::PARAMETER_COUNT,
            format!("{} has no limited-time offer", say.what()),
            format!(
                "{}{}",
                say.declares("an expiry for one"),
                say.hint("remove the limited_time_offer field")
            ),
        )),
        (Some(offer), false) if offer.has_expiration => out.push(Mismatch::new(
            Part::LimitedTimeOffer,
            codes::PARAMETER_COUNT,
            format!(
                "{} has a limited-time offer with an expiry{}",
                say.what(),
                offer
                    .text
                    .as_deref()
                    .map(|t| format!(" ({})", quote(t)))
                    .unwrap_or_default()
            ),
            format!(
                "{}{}",
                say.declares("no expiry"),
                say.hint("add a #[template(limited_time_offer)] field")
            ),
        )),
        _ => {}
    }
}

fn buttons(
    say: &Say<'_>,
    approved: &[ButtonDefinition],
    declared: &[(u8, DeclaredButton)],
    auth: bool,
    out: &mut Vec<Mismatch>,
) {
    let list = || {
        approved
            .iter()
            .enumerate()
            .map(|(i, b)| format!("{i}: {}", b.kind))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for &(index, d) in declared {
        let part = say.part(Part::Button(index));
        let Some(b) = approved.get(usize::from(index)) else {
            let approved_text = if approved.is_empty() {
                format!("{} has no buttons", say.what())
            } else {
                format!(
                    "{} has {} ({}); there is no button at index {index}",
                    say.what(),
                    plural(approved.len(), "button", "buttons"),
                    list()
                )
            };
            out.push(Mismatch::new(
                part,
                codes::PARAMETER_COUNT,
                approved_text,
                say.declares(format!("{} at index {index}", d.describe())),
            ));
            continue;
        };
        if button_fits(d, b, auth) {
            continue;
        }
        let (code, found) = if takes_no_parameter(b) {
            (
                codes::PARAMETER_COUNT,
                format!("it takes no parameter, but {}", say.declares(d.describe())),
            )
        } else {
            // Where the declared kind is, if the template has one: an index the struct (or
            // message) does not use already, else the one it uses (issue 20).
            // An index is taken when what is declared there fits it.
            let taken = |i: usize| {
                declared.iter().any(|(at, other)| {
                    usize::from(*at) == i
                        && approved
                            .get(i)
                            .is_some_and(|a| button_fits(*other, a, auth))
                })
            };
            let fits: Vec<usize> = approved
                .iter()
                .enumerate()
                .filter(|(_, other)| button_fits(d, other, auth))
                .map(|(i, _)| i)
                .collect();
            let elsewhere = match (fits.iter().find(|i| !taken(**i)), fits.first()) {
                (Some(&i), _) => match (say.subject, say.kind, say.card) {
                    (Subject::Struct, DeclaredKind::Authentication | DeclaredKind::Flow, None) => {
                        format!(": it is button {i}, write `button_index = {i}`")
                    }
                    (Subject::Struct, _, _) => format!(": it is button {i}, use `index = {i}`"),
                    (Subject::Message, _, _) => format!(" (the template's button {i} is one)"),
                },
                (None, Some(&i)) => format!(
                    ", which the template has at index {i}, {} already",
                    match say.subject {
                        Subject::Struct => "declared",
                        Subject::Message => "given",
                    }
                ),
                (None, None) => String::new(),
            };
            // The approved button at this index then has no parameter: say so here, since the
            // check of missing buttons below skips an index something is declared at.
            // (Unless a declaration elsewhere is of its kind: then the two are swapped.)
            let elsewhere_fits = declared
                .iter()
                .any(|(at, other)| *at != index && button_fits(*other, b, auth));
            let missing = match required_parameter(b) {
                // A general template's or card's only: an OTP or flow struct has one button.
                Some(sub_type)
                    if !(sub_type == "otp"
                        || (auth && sub_type == "url")
                        || elsewhere_fits
                        || (say.card.is_none() && say.kind != DeclaredKind::Standard)) =>
                {
                    let fix = match say.card {
                        Some(_) => format!("#[card(button({sub_type}, index = {index}))]"),
                        None => format!("#[template(button({sub_type}, index = {index}))]"),
                    };
                    format!(
                        "; the {} button at index {index} is then missing{}",
                        b.kind,
                        say.hint(format!("add a {fix} field"))
                    )
                }
                _ => String::new(),
            };
            (
                codes::PARAMETER_FORMAT,
                format!("{}{elsewhere}{missing}", say.declares(d.describe())),
            )
        };
        out.push(Mismatch::new(
            part,
            code,
            format!("button {index} of {} is {}", say.what(), describe_button(b)),
            found,
        ));
    }
    for (i, b) in approved.iter().enumerate() {
        let Ok(index) = u8::try_from(i) else {
            break;
        };
        if declared.iter().any(|(d, _)| *d == index) {
            continue;
        }
        let Some(sub_type) = required_parameter(b) else {
            continue;
        };
        // An OTP button (which Meta may list as a dynamic URL button of an authentication
        // template) belongs to `kind = otp`: its index or the category is reported instead.
        if sub_type == "otp" || (auth && sub_type == "url") {
            continue;
        }
        out.push(Mismatch::new(
            say.part(Part::Button(index)),
            codes::PARAMETER_COUNT,
            format!("button {index} of {} is {}", say.what(), describe_button(b)),
            format!(
                "{}{}",
                say.declares("no parameter for it"),
                say.hint(format!(
                    "add a #[template(button({sub_type}, index = {index}))] field"
                ))
            ),
        ));
    }
}

fn carousel(
    say: &Say<'_>,
    approved: Option<&[CardDefinition]>,
    declared: Option<&DeclaredCarousel>,
    out: &mut Vec<Mismatch>,
) {
    let what = say.what();
    match (approved, declared) {
        (None, None) => {}
        (None, Some(_)) => out.push(Mismatch::new(
            Part::Carousel,
            codes::PARAMETER_COUNT,
            format!("{what} has no carousel"),
            format!(
                "{}{}",
                say.declares("one"),
                say.hint("remove the carousel field")
            ),
        )),
        (Some(cards), None) => out.push(Mismatch::new(
            Part::Carousel,
            codes::PARAMETER_COUNT,
            format!(
                "{what} has a carousel of {}",
                plural(cards.len(), "card", "cards")
            ),
            format!(
                "{}{}",
                say.declares("no carousel"),
                say.hint("add a #[template(carousel)] field")
            ),
        )),
        (Some(cards), Some(d)) => {
            if let Some(count) = d.count.filter(|c| *c != cards.len()) {
                out.push(Mismatch::new(
                    Part::Carousel,
                    codes::PARAMETER_FORMAT,
                    format!(
                        "{what} has a carousel of {}",
                        plural(cards.len(), "card", "cards")
                    ),
                    say.declares(count),
                ));
            }
            let mut seen: Vec<Part> = Vec::new();
            for (n, approved_card) in cards.iter().enumerate() {
                let declared_card = if d.shared {
                    d.cards.first()
                } else {
                    d.cards.get(n)
                };
                let Some(declared_card) = declared_card else {
                    continue;
                };
                let card_say = Say {
                    label: say.label.clone(),
                    subject: say.subject,
                    kind: say.kind,
                    card: Some(n),
                    template: say.template,
                };
                let mut found = Vec::new();
                card(&card_say, approved_card, declared_card, &mut found);
                for m in found {
                    // One shape shared by every card: say each problem once.
                    let Part::Card { part, .. } = &m.part else {
                        continue;
                    };
                    if d.shared {
                        if seen.contains(part) {
                            continue;
                        }
                        seen.push((**part).clone());
                    }
                    out.push(m);
                }
            }
        }
    }
}

fn card(
    say: &Say<'_>,
    approved: &CardDefinition,
    declared: &DeclaredCard,
    out: &mut Vec<Mismatch>,
) {
    header(say, approved.header(), declared.header.as_ref(), out);
    let parameters = approved
        .body()
        .map_or(Parameters::Positional(0), |b| Parameters::of(&b.text));
    body(
        say,
        parameters,
        &DeclaredBody::Positional(declared.body),
        out,
    );
    buttons(say, approved.buttons(), &declared.buttons, false, out);
}

// ------------------------------------------------------------- card shapes, at compile time

/// What a `#[derive(Card)]` type declares ([`crate::Card::SHAPE`]). The template derive sees a
/// carousel field's type, not the card type's fields, so it compares this constant with the
/// approved cards' [`ApprovedCard`] in a `const` of the generated code: a card type that does not
/// fit fails the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardShape<'a> {
    /// Whether it has a header parameter (a derived card always has one).
    pub header: bool,
    /// How many body parameters it has.
    pub body: usize,
    /// Its button parameters, `(index, sub-type)`.
    pub buttons: &'a [(u8, ButtonKind)],
}

/// One approved card reduced to what a [`CardShape`] must be to fit it; each verdict is the
/// run-time check's own (see [`CardRequirements::of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApprovedCard<'a> {
    /// Whether a header parameter fits.
    pub header_present: bool,
    /// Whether no header parameter fits.
    pub header_absent: bool,
    /// The number of positional body parameters that fits (`None`: named ones, which a card
    /// cannot declare).
    pub body: Option<usize>,
    /// Its buttons, by index.
    pub buttons: &'a [ApprovedButton],
}

/// One approved button of a card: which declared sub-type fits it, and whether it must be
/// declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApprovedButton {
    /// The sub-type whose parameter fits it (`None`: no parameter does).
    pub accepts: Option<ButtonKind>,
    /// Whether every send needs its parameter.
    pub required: bool,
}

/// The part of a card where a [`CardShape`] does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardPart {
    /// The header parameter.
    Header,
    /// The number of body parameters.
    Body,
    /// The button at this index: of another sub-type, missing, or beyond the card's buttons.
    Button(u8),
}

impl ApprovedCard<'_> {
    /// [`ApprovedCard::mismatch`] of a card type's [`crate::Card::SHAPE`]: `None` when the
    /// shape is not known at compile time. What the generated `const` calls (no local bindings,
    /// which a user's `const` of the same name would turn into patterns).
    pub const fn mismatch_of(&self, declared: Option<CardShape<'_>>) -> Option<CardPart> {
        match declared {
            Some(shape) => self.mismatch(&shape),
            None => None,
        }
    }

    /// Where `declared` does not fit this card, in the order the run-time check reports parts.
    pub const fn mismatch(&self, declared: &CardShape<'_>) -> Option<CardPart> {
        if (declared.header && !self.header_present) || (!declared.header && !self.header_absent) {
            return Some(CardPart::Header);
        }
        match self.body {
            Some(n) if n == declared.body => {}
            _ => return Some(CardPart::Body),
        }
        let mut i = 0;
        while i < declared.buttons.len() {
            let (index, kind) = declared.buttons[i];
            if index as usize >= self.buttons.len() {
                return Some(CardPart::Button(index));
            }
            match self.buttons[index as usize].accepts {
                Some(accepts) if accepts as u8 == kind as u8 => {}
                _ => return Some(CardPart::Button(index)),
            }
            i += 1;
        }
        let mut j = 0;
        while j < self.buttons.len() {
            if self.buttons[j].required {
                let mut declared_here = false;
                let mut k = 0;
                while k < declared.buttons.len() {
                    declared_here |= declared.buttons[k].0 as usize == j;
                    k += 1;
                }
                if !declared_here {
                    // At most ten buttons: the index fits.
                    return Some(CardPart::Button(j as u8));
                }
            }
            j += 1;
        }
        None
    }
}

/// An approved card as the compile-time check needs it: the verdicts, and the words of each
/// mismatch, both taken from the run-time check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRequirements {
    header_present: bool,
    header_absent: bool,
    body: Option<usize>,
    buttons: Vec<ApprovedButton>,
    /// What the run-time check says of the approved card's header, body and button `i`
    /// (0-9), when a card does not fit there.
    header_text: String,
    body_text: String,
    button_texts: Vec<String>,
}

/// The sub-types a card button can declare.
const CARD_BUTTON_KINDS: [ButtonKind; 6] = [
    ButtonKind::QuickReply,
    ButtonKind::Url,
    ButtonKind::CopyCode,
    ButtonKind::Flow,
    ButtonKind::Catalog,
    ButtonKind::Mpm,
];

impl CardRequirements {
    /// Card `n` of `template`, each verdict taken from the run-time check's functions (the
    /// header check, the body's parameters, `button_fits`, `required_parameter`) and each text
    /// from the mismatch the run-time check reports for a card that does not fit there.
    pub fn of(template: &TemplateDefinition, n: usize) -> Option<CardRequirements> {
        let approved = template.carousel()?.get(n)?;
        let say = Say {
            label: format!("template `{}` ({})", template.name(), template.language()),
            subject: Subject::Struct,
            kind: DeclaredKind::Standard,
            card: Some(n),
            template,
        };
        let media = DeclaredHeader::Media(None);
        let mismatches = |h: Option<&DeclaredHeader>, body: usize, buttons| {
            let mut out = Vec::new();
            let declared = DeclaredCard {
                header: h.cloned(),
                body,
                buttons,
            };
            card(&say, approved, &declared, &mut out);
            out
        };
        // The run-time check's words for the part of a declaration that does not fit.
        let said = |found: Vec<Mismatch>, wanted: &dyn Fn(&Part) -> bool| {
            found
                .into_iter()
                .find(|m| matches!(&m.part, Part::Card { part, .. } if wanted(part)))
                .map(|m| m.approved)
                .unwrap_or_default()
        };
        let fits_header = |declared: Option<&DeclaredHeader>| {
            let mut out = Vec::new();
            header(&say, approved.header(), declared, &mut out);
            out.is_empty()
        };
        let parameters = approved
            .body()
            .map_or(Parameters::Positional(0), |b| Parameters::of(&b.text));
        let body = match &parameters {
            Parameters::Positional(n) => Some(*n),
            Parameters::Named(_) => None,
        };
        let buttons: Vec<ApprovedButton> = approved
            .buttons()
            .iter()
            .map(|b| ApprovedButton {
                accepts: CARD_BUTTON_KINDS
                    .into_iter()
                    .find(|k| button_fits(DeclaredButton::Kind(*k), b, false)),
                // The run-time check leaves an OTP button to `kind = otp`.
                required: required_parameter(b).is_some_and(|s| s != "otp"),
            })
            .collect();
        let header_text = [Some(&media), None]
            .into_iter()
            .map(|h| said(mismatches(h, 0, Vec::new()), &|p| *p == Part::Header))
            .find(|t| !t.is_empty())
            .unwrap_or_default();
        let body_text = said(
            mismatches(Some(&media), body.map_or(0, |n| n + 1), Vec::new()),
            &|p| matches!(p, Part::Body | Part::BodyParameter(_) | Part::BodyName(_)),
        );
        let button_texts = (0..=rules::BUTTON_INDEX_MAX)
            .map(|index| {
                // A sub-type that does not fit the approved button there (or any, beyond them).
                let accepts = buttons.get(usize::from(index)).and_then(|b| b.accepts);
                let other = CARD_BUTTON_KINDS
                    .into_iter()
                    .find(|k| Some(*k) != accepts)
                    .unwrap_or(ButtonKind::QuickReply);
                let declared = vec![(index, DeclaredButton::Kind(other))];
                said(
                    mismatches(Some(&media), body.unwrap_or(0), declared),
                    &|p| *p == Part::Button(index),
                )
            })
            .collect();
        Some(CardRequirements {
            header_present: fits_header(Some(&media)),
            header_absent: fits_header(None),
            body,
            buttons,
            header_text,
            body_text,
            button_texts,
        })
    }

    /// The verdicts, for [`ApprovedCard::mismatch`].
    pub fn approved(&self) -> ApprovedCard<'_> {
        ApprovedCard {
            header_present: self.header_present,
            header_absent: self.header_absent,
            body: self.body,
            buttons: &self.buttons,
        }
    }

    /// The compile error when `card_type`'s `part` does not fit: the run-time check's account of
    /// the approved card, then what to do.
    pub fn message(&self, part: CardPart, card_type: &str) -> String {
        match part {
            CardPart::Header => format!(
                "{}; the card type `{card_type}` declares a #[card(header)] field",
                self.header_text
            ),
            CardPart::Body => format!(
                "{}; the card type `{card_type}` declares another number of #[card(body)] fields",
                self.body_text
            ),
            CardPart::Button(index) => {
                let approved = self
                    .button_texts
                    .get(usize::from(index))
                    .map_or("", String::as_str);
                let fix = match self.buttons.get(usize::from(index)) {
                    None => format!("declares a button at index {index}: remove it"),
                    Some(ApprovedButton {
                        accepts: Some(kind),
                        ..
                    }) => format!(
                        "declares none there, or one of another sub-type: it takes \
                         #[card(button({}, index = {index}))]",
                        kind.sub_type()
                    ),
                    Some(ApprovedButton { accepts: None, .. }) => {
                        format!("declares a button at index {index}: remove it")
                    }
                };
                format!("{approved}; the card type `{card_type}` {fix}")
            }
        }
    }
}

#[cfg(test)]
mod card_shape_tests {
    use super::*;

    /// Cards of every kind the compile-time check meets: media and text headers, none, named
    /// bodies, quick replies, dynamic and static URLs, copy codes, phone numbers.
    const CAROUSEL: &str = r#"[{"name": "cards", "language": "en_US", "status": "APPROVED",
      "category": "MARKETING", "components": [
      {"type": "BODY", "text": "Hello {{1}}"},
      {"type": "CAROUSEL", "cards": [
        {"components": [{"type": "HEADER", "format": "IMAGE"}, {"type": "BODY", "text": "{{1}} {{2}}"},
          {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Buy"},
            {"type": "URL", "text": "See", "url": "https://example.com/{{1}}"}]}]},
        {"components": [{"type": "HEADER", "format": "VIDEO"}, {"type": "BODY", "text": "Fixed"},
          {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Help", "url": "https://example.com/help"},
            {"type": "COPY_CODE", "example": "SAVE"}]}]},
        {"components": [{"type": "BODY", "text": "{{1}}"},
          {"type": "BUTTONS", "buttons": [{"type": "PHONE_NUMBER", "text": "Call", "phone_number": "+15550001234"}]}]},
        {"components": [{"type": "HEADER", "format": "TEXT", "text": "Hi"}, {"type": "BODY", "text": "{{name}}"}]}
      ]}]}]"#;

    /// A declared shape: header, body parameters, buttons.
    type Shape = (bool, usize, Vec<(u8, ButtonKind)>);

    /// Every declared shape up to two body parameters and two buttons at indices 0-2.
    fn shapes() -> Vec<Shape> {
        let mut buttons: Vec<Vec<(u8, ButtonKind)>> = vec![Vec::new()];
        for index in 0..3u8 {
            for kind in CARD_BUTTON_KINDS {
                buttons.push(vec![(index, kind)]);
                for second in CARD_BUTTON_KINDS {
                    for other in (index + 1)..3 {
                        buttons.push(vec![(index, kind), (other, second)]);
                    }
                }
            }
        }
        let mut out = Vec::new();
        for header in [true, false] {
            for body in 0..3 {
                for b in &buttons {
                    out.push((header, body, b.clone()));
                }
            }
        }
        out
    }

    /// The compile-time verdict is the run-time check's, for every card and declared shape, and
    /// its words for the failing part are the run-time check's first account of that part.
    #[test]
    fn the_const_check_agrees_with_the_run_time_check() -> Result<(), super::super::CatalogueError>
    {
        let catalogue = super::super::Catalogue::from_json_str(CAROUSEL, "cards.json")?;
        let template = catalogue.iter().next().expect("one template");
        let cards = template.carousel().expect("a carousel");
        let (mut failing, mut fitting) = (0, 0);
        for (n, approved) in cards.iter().enumerate() {
            let requirements = CardRequirements::of(template, n).expect("card n");
            let say = Say {
                label: format!("template `{}` ({})", template.name(), template.language()),
                subject: Subject::Struct,
                kind: DeclaredKind::Standard,
                card: Some(n),
                template,
            };
            for (header, body, buttons) in shapes() {
                let shape = CardShape {
                    header,
                    body,
                    buttons: &buttons,
                };
                let declared = DeclaredCard {
                    header: header.then_some(DeclaredHeader::Media(None)),
                    body,
                    buttons: buttons
                        .iter()
                        .map(|(i, k)| (*i, DeclaredButton::Kind(*k)))
                        .collect(),
                };
                let mut found = Vec::new();
                card(&say, approved, &declared, &mut found);
                let verdict = requirements.approved().mismatch(&shape);
                assert_eq!(
                    verdict.is_none(),
                    found.is_empty(),
                    "card {n}, {shape:?}: {verdict:?} vs {found:?}"
                );
                fitting += usize::from(verdict.is_none());
                if let Some(part) = verdict {
                    failing += 1;
                    let message = requirements.message(part, "C");
                    assert!(
                        found.iter().any(|m| message.starts_with(m.approved())),
                        "card {n}, {shape:?}: {message} vs {found:?}"
                    );
                }
            }
        }
        // Cards 0-2 each fit some shapes; card 3 (a text header, a named body) fits none.
        assert!(
            failing > 1000 && fitting >= 3,
            "{failing} failing, {fitting} fitting"
        );
        Ok(())
    }
}
