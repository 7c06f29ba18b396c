//! The wire layout of each message kind, written once.
//!
//! A layout is walked through a [`Sink`]: fixed JSON text goes to [`Sink::raw`], strings known
//! when the layout is walked (template name, language, flow id, ...) to [`Sink::string`], and the
//! values that vary per message to [`Sink::slot`]. The derive macro walks a layout at compile time
//! with a sink that merges everything but the slots into static byte strings; the runtime builders
//! walk it with a sink that writes straight into the output. Both therefore produce the same
//! bytes, in the key order of Kaleyra's documents.
//!
//! Every layout writes the whole request body except its final `}`, so that
//! [`Message`](crate::Message) can append `extra_info` without reparsing.

use std::borrow::Cow;

use crate::json;

/// A value that varies per message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The recipient's number, a JSON string.
    To,
    /// The one-time password, a JSON string (written twice in an authentication template).
    Otp,
    /// Body parameter `n` (0-based), a JSON string.
    BodyParameter(usize),
    /// The flow token, a JSON string.
    FlowToken,
    /// A flow template's `flow_action_data`, a JSON object.
    FlowActionData,
    /// A product template's `product_retailer_id`, a JSON string.
    ProductRetailerId,
    /// A product template's `catalog_id`, a JSON string.
    CatalogId,
    /// An interactive message's header text, a JSON string.
    HeaderText,
    /// An interactive message's body text, a JSON string.
    BodyText,
    /// An interactive message's footer text, a JSON string.
    FooterText,
    /// The value of member `n` of an interactive flow's `data` (its key is fixed).
    DataField(usize),
    /// An interactive flow's whole `data` object.
    Data,
    /// A flow template's `"flow_token":…` member when the token may be absent: the member with
    /// the comma it needs, or nothing.
    FlowTokenMember,
    /// A flow template's `"flow_action_data":…` member when it may be absent: the member with
    /// the comma it needs, or nothing.
    FlowActionDataMember,
    /// A general template's header parameter: a whole parameter object (text, media or
    /// location), see [`text_parameter`], [`media_parameter`], [`location_parameter`].
    HeaderParameter,
    /// Body parameter `n` (0-based) of a general template or card: a whole parameter object
    /// (text, currency or date-time, named or positional).
    Parameter(usize),
    /// A limited-time offer's `expiration_time_ms`, a JSON integer.
    ExpirationTimeMs,
    /// The value of button `n` (0-based, in the order the layout lists the buttons): a JSON
    /// string, or for flow and multi-product buttons the `action` object (see [`ButtonKind`]).
    Button(usize),
    /// The cards of a carousel: `{card},{card},…` (each one a [`Card`] layout).
    Cards,
    /// A carousel card's `card_index`, a JSON integer.
    CardIndex,
}

/// Receives a layout as it is walked.
pub trait Sink {
    /// Fixed JSON text, written as is.
    fn raw(&mut self, json: &str);
    /// A string known when the layout is walked; the sink writes it quoted and escaped.
    fn string(&mut self, s: &str);
    /// A value that varies per message.
    fn slot(&mut self, slot: Slot);
}

/// Which endpoint a message is posted to, and so how its body is wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// `POST /v2/{sid}/whatsapp/{sender}/messages` with `{"messaging_object": …, "extra_info": …}`.
    Sender,
    /// `POST /v2/{sid}/whatsapp/{waba_id}/messages` with the message fields and `extra_info` side
    /// by side (the single-product template).
    Waba,
}

/// A text of an interactive message that may be fixed or vary per message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text<'a> {
    /// Absent.
    None,
    /// Fixed text.
    Literal(&'a str),
    /// Varies per message.
    Slot,
}

/// How an interactive flow message names its flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowRef<'a> {
    /// `flow_id`: the flow's numeric id.
    Id(&'a str),
    /// `flow_name`: the flow's name.
    Name(&'a str),
}

/// `mode` of an interactive flow message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FlowMode {
    /// Send a draft flow (for testing).
    Draft,
    /// Send the published flow (WhatsApp's default).
    #[default]
    Published,
}

impl FlowMode {
    /// The wire value.
    pub const fn as_str(self) -> &'static str {
        match self {
            FlowMode::Draft => "draft",
            FlowMode::Published => "published",
        }
    }
}

/// `flow_action` of an interactive flow message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FlowAction {
    /// Open the flow on `screen`, optionally with `data` (WhatsApp's default).
    #[default]
    Navigate,
    /// Ask the business's endpoint for the first screen; takes no payload.
    DataExchange,
}

impl FlowAction {
    /// The wire value.
    pub const fn as_str(self) -> &'static str {
        match self {
            FlowAction::Navigate => "navigate",
            FlowAction::DataExchange => "data_exchange",
        }
    }
}

/// The `data` of an interactive flow's `flow_action_payload`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowData<'a> {
    /// No `data`.
    None,
    /// An object with these keys, in order; each value is [`Slot::DataField`].
    Fields(&'a [&'a str]),
    /// A whole object, [`Slot::Data`].
    Object,
}

fn envelope_start(s: &mut impl Sink, route: Route, kind: &str) {
    match route {
        Route::Sender => s.raw("{\"messaging_object\":{"),
        Route::Waba => s.raw("{"),
    }
    s.raw("\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":");
    s.slot(Slot::To);
    s.raw(",\"type\":");
    s.string(kind);
}

fn envelope_end(s: &mut impl Sink, route: Route) {
    match route {
        // Closes `messaging_object`; the caller adds `extra_info` and the final `}`.
        Route::Sender => s.raw("}"),
        Route::Waba => {}
    }
}

fn template_start(s: &mut impl Sink, route: Route, name: &str, language: &str, policy: bool) {
    template_open(s, route, name, language, policy);
    s.raw(",\"components\":[");
}

/// Everything of a template up to (not including) its `components`: `…"language":{…}`.
fn template_open(s: &mut impl Sink, route: Route, name: &str, language: &str, policy: bool) {
    envelope_start(s, route, "template");
    s.raw(",\"template\":{\"name\":");
    s.string(name);
    s.raw(",\"language\":{");
    if policy {
        s.raw("\"policy\":");
        s.string(crate::rules::LANGUAGE_POLICY);
        s.raw(",");
    }
    s.raw("\"code\":");
    s.string(language);
    s.raw("}");
}

fn body_component(s: &mut impl Sink, parameters: usize) {
    s.raw("{\"type\":\"body\",\"parameters\":[");
    for i in 0..parameters {
        if i > 0 {
            s.raw(",");
        }
        s.raw("{\"type\":\"text\",\"text\":");
        s.slot(Slot::BodyParameter(i));
        s.raw("}");
    }
    s.raw("]}");
}

fn button_start(s: &mut impl Sink, sub_type: &str, index: u8) {
    s.raw("{\"type\":\"button\",\"sub_type\":");
    s.string(sub_type);
    s.raw(",\"index\":");
    s.raw(json::u8_str(index, &mut [0; 3]));
    s.raw(",\"parameters\":[");
}

/// An authentication (OTP) template (Kaleyra: send-authentication-template-message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authentication<'a> {
    /// The approved template's name.
    pub name: &'a str,
    /// Its language code.
    pub language: &'a str,
    /// The position of its copy-code/URL button.
    pub button_index: u8,
}

impl Authentication<'_> {
    /// Walks the layout.
    pub fn walk(&self, s: &mut impl Sink) {
        template_start(s, Route::Sender, self.name, self.language, false);
        s.raw("{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":");
        s.slot(Slot::Otp);
        s.raw("}]},");
        button_start(s, "url", self.button_index);
        s.raw("{\"type\":\"text\",\"text\":");
        s.slot(Slot::Otp);
        s.raw("}]}]}");
        envelope_end(s, Route::Sender);
    }
}

/// A flow template (Kaleyra: send-flow-template-message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowTemplate<'a> {
    /// The approved template's name.
    pub name: &'a str,
    /// Its language code.
    pub language: &'a str,
    /// The position of its flow button.
    pub button_index: u8,
    /// How many body parameters it has (a body component is written only if there are any).
    pub body_parameters: usize,
    /// Whether and how `flow_token` is written.
    pub flow_token: Presence,
    /// Whether and how `flow_action_data` is written.
    pub flow_action_data: Presence,
}

/// The key of a flow button's `flow_token` member, as written before its value. A
/// [`Slot::FlowTokenMember`] writes it (after [`json::member_separator`]) when the token is
/// present.
pub const FLOW_TOKEN_KEY: &str = "\"flow_token\":";

/// The key of a flow button's `flow_action_data` member, as written before its value (see
/// [`FLOW_TOKEN_KEY`]).
pub const FLOW_ACTION_DATA_KEY: &str = "\"flow_action_data\":";

/// Whether a member of an object is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Presence {
    /// Never.
    #[default]
    Absent,
    /// Always: its key is fixed text and its value a slot.
    Always,
    /// Per message (an `Option` that may be `None`): the whole member is a slot.
    Optional,
}

impl FlowTemplate<'_> {
    /// Walks the layout.
    pub fn walk(&self, s: &mut impl Sink) {
        template_start(s, Route::Sender, self.name, self.language, false);
        if self.body_parameters > 0 {
            body_component(s, self.body_parameters);
            s.raw(",");
        }
        button_start(s, "flow", self.button_index);
        s.raw("{\"type\":\"action\",\"action\":{");
        // The members always present come first, so that their commas are fixed text; an
        // optional member's slot writes its own comma when something precedes it.
        let members = [
            (
                self.flow_token,
                FLOW_TOKEN_KEY,
                Slot::FlowToken,
                Slot::FlowTokenMember,
            ),
            (
                self.flow_action_data,
                FLOW_ACTION_DATA_KEY,
                Slot::FlowActionData,
                Slot::FlowActionDataMember,
            ),
        ];
        let mut first = true;
        for (presence, key, value, _) in members {
            if presence == Presence::Always {
                if !first {
                    s.raw(",");
                }
                first = false;
                s.raw(key);
                s.slot(value);
            }
        }
        for (presence, _, _, member) in members {
            if presence == Presence::Optional {
                s.slot(member);
            }
        }
        s.raw("}}]}]}");
        envelope_end(s, Route::Sender);
    }
}

/// A single-product template (Kaleyra: send-single-product-template-message), posted flat to the
/// WABA route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductTemplate<'a> {
    /// The approved template's name.
    pub name: &'a str,
    /// Its language code.
    pub language: &'a str,
    /// The catalog id if it is fixed; `None` writes [`Slot::CatalogId`].
    pub catalog_id: Option<&'a str>,
    /// How many body parameters it has (a body component is written only if there are any).
    pub body_parameters: usize,
}

impl ProductTemplate<'_> {
    /// Walks the layout.
    pub fn walk(&self, s: &mut impl Sink) {
        template_start(s, Route::Waba, self.name, self.language, true);
        s.raw(
            "{\"type\":\"header\",\"parameters\":[{\"type\":\"product\",\"product\":\
             {\"product_retailer_id\":",
        );
        s.slot(Slot::ProductRetailerId);
        s.raw(",\"catalog_id\":");
        match self.catalog_id {
            Some(id) => s.string(id),
            None => s.slot(Slot::CatalogId),
        }
        s.raw("}}]}");
        if self.body_parameters > 0 {
            s.raw(",");
            body_component(s, self.body_parameters);
        }
        s.raw("]}");
        envelope_end(s, Route::Waba);
    }
}

/// Writes `{key}{text}}` for a present text: `key` opens the member and its object.
fn text_member(s: &mut impl Sink, text: Text<'_>, key: &str, slot: Slot) {
    match text {
        Text::None => return,
        Text::Literal(v) => {
            s.raw(key);
            s.string(v);
        }
        Text::Slot => {
            s.raw(key);
            s.slot(slot);
        }
    }
    s.raw("}");
}

/// An interactive flow message (Kaleyra: send-flow-message; Meta: Sending a Flow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowMessage<'a> {
    /// Header text.
    pub header: Text<'a>,
    /// Body text (required by WhatsApp).
    pub body: Text<'a>,
    /// Footer text.
    pub footer: Text<'a>,
    /// The flow, by id or by name.
    pub flow: FlowRef<'a>,
    /// The call-to-action label of the button that opens the flow.
    pub cta: &'a str,
    /// `mode`, written only when given.
    pub mode: Option<FlowMode>,
    /// `flow_action`.
    pub action: FlowAction,
    /// The first screen, for `navigate`; `flow_action_payload` is written only when present.
    pub screen: Option<&'a str>,
    /// Whether `flow_token` is written.
    pub token: bool,
    /// `flow_action_payload.data`.
    pub data: FlowData<'a>,
}

impl FlowMessage<'_> {
    /// Walks the layout.
    pub fn walk(&self, s: &mut impl Sink) {
        envelope_start(s, Route::Sender, "interactive");
        s.raw(",\"interactive\":{\"type\":\"flow\"");
        text_member(
            s,
            self.header,
            ",\"header\":{\"type\":\"text\",\"text\":",
            Slot::HeaderText,
        );
        text_member(s, self.body, ",\"body\":{\"text\":", Slot::BodyText);
        text_member(s, self.footer, ",\"footer\":{\"text\":", Slot::FooterText);
        s.raw(",\"action\":{\"name\":\"flow\",\"parameters\":{\"flow_message_version\":");
        s.string(crate::rules::FLOW_MESSAGE_VERSION);
        if self.token {
            s.raw(",\"flow_token\":");
            s.slot(Slot::FlowToken);
        }
        match self.flow {
            FlowRef::Id(id) => {
                s.raw(",\"flow_id\":");
                s.string(id);
            }
            FlowRef::Name(name) => {
                s.raw(",\"flow_name\":");
                s.string(name);
            }
        }
        s.raw(",\"flow_cta\":");
        s.string(self.cta);
        if let Some(mode) = self.mode {
            s.raw(",\"mode\":");
            s.string(mode.as_str());
        }
        s.raw(",\"flow_action\":");
        s.string(self.action.as_str());
        if let Some(screen) = self.screen {
            s.raw(",\"flow_action_payload\":{\"screen\":");
            s.string(screen);
            match self.data {
                FlowData::None => {}
                FlowData::Object => {
                    s.raw(",\"data\":");
                    s.slot(Slot::Data);
                }
                FlowData::Fields(keys) => {
                    s.raw(",\"data\":{");
                    for (i, key) in keys.iter().enumerate() {
                        if i > 0 {
                            s.raw(",");
                        }
                        s.string(key);
                        s.raw(":");
                        s.slot(Slot::DataField(i));
                    }
                    s.raw("}");
                }
            }
            s.raw("}");
        }
        s.raw("}}}");
        envelope_end(s, Route::Sender);
    }
}

// ------------------------------------------------------------------------ general templates

/// The sub-type of a template button that takes a parameter at send time (Meta: `sub_type`),
/// and the shape of that parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ButtonKind {
    /// `quick_reply`: `{"type":"payload","payload":"…"}`, returned in the callback when tapped.
    QuickReply,
    /// `url`: `{"type":"text","text":"…"}`, the suffix appended to a dynamic URL.
    Url,
    /// `copy_code`: `{"type":"coupon_code","coupon_code":"…"}`.
    CopyCode,
    /// `flow`: `{"type":"action","action":{"flow_token"?,"flow_action_data"?}}`.
    Flow,
    /// `catalog`: `{"type":"action","action":{"thumbnail_product_retailer_id":"…"}}`.
    Catalog,
    /// `mpm`: `{"type":"action","action":{"thumbnail_product_retailer_id":"…","sections":[…]}}`.
    Mpm,
}

impl ButtonKind {
    /// Every sub-type, in the order the derive lists them.
    pub const ALL: [ButtonKind; 6] = [
        ButtonKind::Url,
        ButtonKind::QuickReply,
        ButtonKind::CopyCode,
        ButtonKind::Flow,
        ButtonKind::Catalog,
        ButtonKind::Mpm,
    ];

    /// The wire value of `sub_type`.
    pub const fn sub_type(self) -> &'static str {
        match self {
            ButtonKind::QuickReply => "quick_reply",
            ButtonKind::Url => "url",
            ButtonKind::CopyCode => "copy_code",
            ButtonKind::Flow => "flow",
            ButtonKind::Catalog => "catalog",
            ButtonKind::Mpm => "mpm",
        }
    }

    /// The sub-type named `name` (`"url"`, `"quick_reply"`, …).
    pub fn from_sub_type(name: &str) -> Option<ButtonKind> {
        ButtonKind::ALL.into_iter().find(|k| k.sub_type() == name)
    }

    /// Writes the button's one parameter object around [`Slot::Button`]`(n)`.
    fn parameter(self, s: &mut impl Sink, n: usize) {
        let (open, close) = match self {
            ButtonKind::QuickReply => ("{\"type\":\"payload\",\"payload\":", "}"),
            ButtonKind::Url => ("{\"type\":\"text\",\"text\":", "}"),
            ButtonKind::CopyCode => ("{\"type\":\"coupon_code\",\"coupon_code\":", "}"),
            ButtonKind::Flow | ButtonKind::Mpm => ("{\"type\":\"action\",\"action\":", "}"),
            ButtonKind::Catalog => (
                "{\"type\":\"action\",\"action\":{\"thumbnail_product_retailer_id\":",
                "}}",
            ),
        };
        s.raw(open);
        s.slot(Slot::Button(n));
        s.raw(close);
    }
}

/// The kind of a media parameter (Meta: the parameter `type` and the key of its object).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MediaKind {
    /// `image`: JPEG or PNG.
    Image,
    /// `video`: MP4 or 3GPP.
    Video,
    /// `document`: a PDF in templates.
    Document,
    /// `audio`: AAC, AMR, MP3, MP4 audio or OGG (Opus); session messages only.
    Audio,
    /// `sticker`: WebP; session messages only.
    Sticker,
}

impl MediaKind {
    /// The wire value.
    pub const fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Document => "document",
            MediaKind::Audio => "audio",
            MediaKind::Sticker => "sticker",
        }
    }
}

/// A button of a layout: its sub-type and its index (position) in the approved template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Button {
    /// The sub-type.
    pub kind: ButtonKind,
    /// The index, 0-9.
    pub index: u8,
}

/// Writes components separated by commas.
struct Components {
    first: bool,
}

impl Components {
    fn next(&mut self, s: &mut impl Sink) {
        if !self.first {
            s.raw(",");
        }
        self.first = false;
    }

    /// The header, body and button components shared by templates and carousel cards.
    fn header_body_buttons(
        &mut self,
        s: &mut impl Sink,
        header: bool,
        body_parameters: usize,
        limited_time_offer: bool,
        buttons: &[Button],
    ) {
        if header {
            self.next(s);
            s.raw("{\"type\":\"header\",\"parameters\":[");
            s.slot(Slot::HeaderParameter);
            s.raw("]}");
        }
        if body_parameters > 0 {
            self.next(s);
            s.raw("{\"type\":\"body\",\"parameters\":[");
            for n in 0..body_parameters {
                if n > 0 {
                    s.raw(",");
                }
                s.slot(Slot::Parameter(n));
            }
            s.raw("]}");
        }
        if limited_time_offer {
            self.next(s);
            s.raw(
                "{\"type\":\"limited_time_offer\",\"parameters\":[{\"type\":\"limited_time_offer\",\
                 \"limited_time_offer\":{\"expiration_time_ms\":",
            );
            s.slot(Slot::ExpirationTimeMs);
            s.raw("}}]}");
        }
        for (n, button) in buttons.iter().enumerate() {
            self.next(s);
            button_start(s, button.kind.sub_type(), button.index);
            button.kind.parameter(s, n);
            s.raw("]}");
        }
    }
}

/// A general template (Meta's template components; Kaleyra passes them through): the
/// components follow from what the template declares, in this order: header, body,
/// limited-time offer, buttons in index order, carousel. `components` is left out when the
/// template takes no parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardTemplate<'a> {
    /// The approved template's name.
    pub name: &'a str,
    /// Its language code.
    pub language: &'a str,
    /// Whether it has a header parameter ([`Slot::HeaderParameter`]).
    pub header: bool,
    /// How many body parameters it has ([`Slot::Parameter`]).
    pub body_parameters: usize,
    /// Whether it has a limited-time offer ([`Slot::ExpirationTimeMs`]).
    pub limited_time_offer: bool,
    /// Its buttons that take a parameter, in index order ([`Slot::Button`]).
    pub buttons: &'a [Button],
    /// Whether it has a carousel ([`Slot::Cards`]).
    pub carousel: bool,
}

impl StandardTemplate<'_> {
    /// Walks the layout.
    pub fn walk(&self, s: &mut impl Sink) {
        template_open(s, Route::Sender, self.name, self.language, false);
        let any = self.header
            || self.body_parameters > 0
            || self.limited_time_offer
            || !self.buttons.is_empty()
            || self.carousel;
        if any {
            s.raw(",\"components\":[");
            let mut components = Components { first: true };
            components.header_body_buttons(
                s,
                self.header,
                self.body_parameters,
                self.limited_time_offer,
                self.buttons,
            );
            if self.carousel {
                components.next(s);
                s.raw("{\"type\":\"carousel\",\"cards\":[");
                s.slot(Slot::Cards);
                s.raw("]}");
            }
            s.raw("]");
        }
        s.raw("}");
        envelope_end(s, Route::Sender);
    }
}

/// One card of a carousel template: `{"card_index":n,"components":[header, body?, buttons]}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Card<'a> {
    /// Whether it has a header parameter (an image or a video).
    pub header: bool,
    /// How many body parameters it has.
    pub body_parameters: usize,
    /// Its buttons that take a parameter, in index order.
    pub buttons: &'a [Button],
}

impl Card<'_> {
    /// Walks the layout.
    pub fn walk(&self, s: &mut impl Sink) {
        s.raw("{\"card_index\":");
        s.slot(Slot::CardIndex);
        s.raw(",\"components\":[");
        Components { first: true }.header_body_buttons(
            s,
            self.header,
            self.body_parameters,
            false,
            self.buttons,
        );
        s.raw("]}");
    }
}

/// Opens a parameter object: `{"type":kind[,"parameter_name":name],kind:`; the caller writes
/// the value and the closing `}`.
fn parameter_open(s: &mut impl Sink, kind: &str, name: Option<&str>) {
    s.raw("{\"type\":");
    s.string(kind);
    if let Some(name) = name {
        s.raw(",\"parameter_name\":");
        s.string(name);
    }
    s.raw(",");
    s.string(kind);
    s.raw(":");
}

/// A text parameter: `{"type":"text"[,"parameter_name":…],"text":…}`.
pub fn text_parameter(s: &mut impl Sink, name: Option<&str>, text: &str) {
    parameter_open(s, "text", name);
    s.string(text);
    s.raw("}");
}

/// A text parameter whose text is `slot` (a JSON string): the shape of [`text_parameter`] with
/// the text left to fill, for the derive, which knows a parameter's name at compile time.
pub fn text_parameter_slot(s: &mut impl Sink, name: Option<&str>, slot: Slot) {
    parameter_open(s, "text", name);
    s.slot(slot);
    s.raw("}");
}

/// A currency parameter (Meta): `{"type":"currency"[,"parameter_name":…],"currency":
/// {"fallback_value":…,"code":…,"amount_1000":…}}`.
pub fn currency_parameter(
    s: &mut impl Sink,
    name: Option<&str>,
    fallback_value: &str,
    code: &str,
    amount_1000: i64,
) {
    parameter_open(s, "currency", name);
    s.raw("{\"fallback_value\":");
    s.string(fallback_value);
    s.raw(",\"code\":");
    s.string(code);
    s.raw(",\"amount_1000\":");
    s.raw(itoa::Buffer::new().format(amount_1000));
    s.raw("}}");
}

/// A date-time parameter (Meta): `{"type":"date_time"[,"parameter_name":…],"date_time":
/// {"fallback_value":…}}`.
pub fn date_time_parameter(s: &mut impl Sink, name: Option<&str>, fallback_value: &str) {
    parameter_open(s, "date_time", name);
    s.raw("{\"fallback_value\":");
    s.string(fallback_value);
    s.raw("}}");
}

/// Where a media parameter's file is: a public link, or an uploaded media id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaSource<'a> {
    /// `link`: an https URL.
    Link(&'a str),
    /// `id`: a media id from the upload API.
    Id(&'a str),
}

/// Meta's media object, left open: `{"link":…` or `{"id":…`, then `"caption"` and `"filename"`
/// when given. Shared by template media parameters (no caption) and media session messages.
fn media_object(
    s: &mut impl Sink,
    source: MediaSource<'_>,
    caption: Option<&str>,
    filename: Option<&str>,
) {
    match source {
        MediaSource::Link(link) => {
            s.raw("{\"link\":");
            s.string(link);
        }
        MediaSource::Id(id) => {
            s.raw("{\"id\":");
            s.string(id);
        }
    }
    if let Some(caption) = caption {
        s.raw(",\"caption\":");
        s.string(caption);
    }
    if let Some(filename) = filename {
        s.raw(",\"filename\":");
        s.string(filename);
    }
}

/// A media parameter (Meta): `{"type":"image","image":{"link":…}}`, `{"id":…}` instead of
/// `link` for an uploaded file, and `"filename"` after it for a document.
pub fn media_parameter(
    s: &mut impl Sink,
    kind: MediaKind,
    source: MediaSource<'_>,
    filename: Option<&str>,
) {
    parameter_open(s, kind.as_str(), None);
    media_object(s, source, None, filename);
    s.raw("}}");
}

/// A location parameter (Meta): `{"type":"location","location":{"latitude":…,"longitude":…,
/// "name"?:…,"address"?:…}}`. The coordinates are written as `serde_json` writes an `f64`.
pub fn location_parameter(
    s: &mut impl Sink,
    latitude: f64,
    longitude: f64,
    name: Option<&str>,
    address: Option<&str>,
) {
    parameter_open(s, "location", None);
    s.raw("{\"latitude\":");
    s.raw(json::f64_str(latitude, &mut ryu::Buffer::new()));
    s.raw(",\"longitude\":");
    s.raw(json::f64_str(longitude, &mut ryu::Buffer::new()));
    if let Some(name) = name {
        s.raw(",\"name\":");
        s.string(name);
    }
    if let Some(address) = address {
        s.raw(",\"address\":");
        s.string(address);
    }
    s.raw("}}");
}

/// A flow button's action object: `{"flow_token"?:…,"flow_action_data"?:{…}}`, the data given
/// as compact JSON text of an object.
pub fn flow_action(s: &mut impl Sink, token: Option<&str>, data_json: Option<&str>) {
    s.raw("{");
    if let Some(token) = token {
        s.raw("\"flow_token\":");
        s.string(token);
    }
    if let Some(data) = data_json {
        if token.is_some() {
            s.raw(",");
        }
        s.raw("\"flow_action_data\":");
        s.raw(data);
    }
    s.raw("}");
}

/// A multi-product button's action object: `{"thumbnail_product_retailer_id":…,"sections":
/// [{"title":…,"product_items":[{"product_retailer_id":…},…]},…]}`.
pub fn mpm_action<'a>(
    s: &mut impl Sink,
    thumbnail: &str,
    sections: impl IntoIterator<Item = (&'a str, &'a [String])>,
) {
    s.raw("{\"thumbnail_product_retailer_id\":");
    s.string(thumbnail);
    s.raw(",\"sections\":[");
    for (i, (title, products)) in sections.into_iter().enumerate() {
        if i > 0 {
            s.raw(",");
        }
        s.raw("{\"title\":");
        s.string(title);
        s.raw(",\"product_items\":[");
        for (j, product) in products.iter().enumerate() {
            if j > 0 {
                s.raw(",");
            }
            s.raw("{\"product_retailer_id\":");
            s.string(product);
            s.raw("}");
        }
        s.raw("]}");
    }
    s.raw("]}");
}

// ------------------------------------------------------------------------ session messages

/// What a session (free-form) message carries (facts §1.1, §1.2, §1.7, §1.12, §1.13).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SessionContent<'a> {
    /// `"type":"text","text":{"preview_url":…,"body":…}` (§1.1; `preview_url` a JSON boolean).
    Text {
        /// The text.
        body: &'a str,
        /// Whether WhatsApp shows a preview of the first URL.
        preview_url: bool,
    },
    /// `"type":"<kind>","<kind>":{"id"|"link":…,"caption"?:…,"filename"?:…}` (§1.2, §1.13).
    Media {
        /// Image, video, audio, document or sticker.
        kind: MediaKind,
        /// By link or by uploaded id.
        source: MediaSource<'a>,
        /// The caption (image, video, document).
        caption: Option<&'a str>,
        /// A document's file name.
        filename: Option<&'a str>,
    },
    /// `"type":"location","location":{"longitude":…,"latitude":…,"name"?:…,"address"?:…}`, in
    /// the key order of Kaleyra's template (§1.7).
    Location {
        /// Degrees, -90 to 90.
        latitude: f64,
        /// Degrees, -180 to 180.
        longitude: f64,
        /// The place's name.
        name: Option<&'a str>,
        /// The place's address.
        address: Option<&'a str>,
    },
    /// `"type":"reaction","reaction":{"message_id":…,"emoji":…}`; an empty emoji removes the
    /// reaction (§1.12).
    Reaction {
        /// The `wamid` reacted to.
        message_id: &'a str,
        /// The emoji, or `""` to remove.
        emoji: &'a str,
    },
    /// `"type":"interactive","interactive":{"type":"location_request_message","body":{"text":…},
    /// "action":{"name":"send_location"}}` (§1.8).
    LocationRequest {
        /// The body text.
        body: &'a str,
    },
    /// `"type":"interactive","interactive":{"type":"address_message","body":{"text":…},
    /// "action":{"name":"address_message","parameters":{"country":"IN",…}}}` (§1.9), see
    /// [`address_parameters`].
    AddressRequest(&'a crate::session::AddressRequest),
    /// `"type":"contacts","contacts":[{…},…]` (§1.10), each card as [`contact_card`] writes it.
    Contacts {
        /// The cards, 1-257.
        cards: &'a [crate::session::ContactCard],
    },
    /// `"type":"interactive","interactive":{"type":"button","header"?:…,"body":{"text":…},
    /// "footer"?:{"text":…},"action":{"buttons":[{"type":"reply","reply":{"id":…,"title":…}},…]}}`
    /// (§1.4, Meta's header object).
    Buttons {
        /// The header: text or media.
        header: Option<InteractiveHeader<'a>>,
        /// The body text.
        body: &'a str,
        /// The footer text.
        footer: Option<&'a str>,
        /// The reply buttons, 1-3.
        buttons: &'a [ReplyButton<'a>],
    },
    /// `"type":"interactive","interactive":{"type":"list","header"?:{"type":"text",…},"body":…,
    /// "footer"?:…,"action":{"button":…,"sections":[{"title"?:…,"rows":[{"id","title",
    /// "description"?}]}]}}` (§1.5, Meta's shape).
    List {
        /// The header text (Meta: a list header is text only).
        header: Option<&'a str>,
        /// The body text.
        body: &'a str,
        /// The footer text.
        footer: Option<&'a str>,
        /// The label of the button that opens the list.
        button: &'a str,
        /// The sections, 1-10.
        sections: &'a [ListSection<'a>],
    },
    /// `"type":"interactive","interactive":{"type":"cta_url","header"?:…,"body":…,"footer"?:…,
    /// "action":{"name":"cta_url","parameters":{"display_text":…,"url":…}}}` (§1.6).
    CtaUrl {
        /// The header: text or media.
        header: Option<InteractiveHeader<'a>>,
        /// The body text.
        body: &'a str,
        /// The footer text.
        footer: Option<&'a str>,
        /// The button's label.
        display_text: &'a str,
        /// The URL the button opens.
        url: &'a str,
    },
}

/// A session message on the sender route: `{"messaging_object":{"messaging_product":"whatsapp",
/// "recipient_type":"individual","context"?:{"message_id":…},"to":…,"type":…,…}`. `context`
/// makes it a contextual reply (§1.3). The recipient is [`Slot::To`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Session<'a> {
    /// The `wamid` of the customer's message this one quotes.
    pub context: Option<&'a str>,
    /// What it carries.
    pub content: SessionContent<'a>,
}

impl Session<'_> {
    /// Walks the layout.
    pub fn walk(&self, s: &mut impl Sink) {
        s.raw("{\"messaging_object\":{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\"");
        if let Some(id) = self.context {
            s.raw(",\"context\":{\"message_id\":");
            s.string(id);
            s.raw("}");
        }
        s.raw(",\"to\":");
        s.slot(Slot::To);
        match self.content {
            SessionContent::Text { body, preview_url } => {
                s.raw(",\"type\":\"text\",\"text\":{\"preview_url\":");
                s.raw(if preview_url { "true" } else { "false" });
                s.raw(",\"body\":");
                s.string(body);
            }
            SessionContent::Media {
                kind,
                source,
                caption,
                filename,
            } => {
                s.raw(",\"type\":");
                s.string(kind.as_str());
                s.raw(",");
                s.string(kind.as_str());
                s.raw(":");
                media_object(s, source, caption, filename);
            }
            SessionContent::Location {
                latitude,
                longitude,
                name,
                address,
            } => {
                s.raw(",\"type\":\"location\",\"location\":{\"longitude\":");
                s.raw(json::f64_str(longitude, &mut ryu::Buffer::new()));
                s.raw(",\"latitude\":");
                s.raw(json::f64_str(latitude, &mut ryu::Buffer::new()));
                if let Some(name) = name {
                    s.raw(",\"name\":");
                    s.string(name);
                }
                if let Some(address) = address {
                    s.raw(",\"address\":");
                    s.string(address);
                }
            }
            SessionContent::Reaction { message_id, emoji } => {
                s.raw(",\"type\":\"reaction\",\"reaction\":{\"message_id\":");
                s.string(message_id);
                s.raw(",\"emoji\":");
                s.string(emoji);
            }
            SessionContent::LocationRequest { body } => {
                s.raw(",\"type\":\"interactive\",\"interactive\":{\"type\":\"location_request_message\",\"body\":{\"text\":");
                s.string(body);
                s.raw("},\"action\":{\"name\":\"send_location\"}");
            }
            SessionContent::AddressRequest(request) => {
                s.raw(",\"type\":\"interactive\",\"interactive\":{\"type\":\"address_message\",\"body\":{\"text\":");
                s.string(request.body());
                s.raw("},\"action\":{\"name\":\"address_message\",\"parameters\":");
                address_parameters(s, request);
                s.raw("}");
            }
            SessionContent::Contacts { cards } => {
                s.raw(",\"type\":\"contacts\",\"contacts\":[");
                for (i, card) in cards.iter().enumerate() {
                    if i > 0 {
                        s.raw(",");
                    }
                    contact_card(s, card);
                }
                // An array, not an object: closed here, and only `messaging_object` below.
                s.raw("]}");
                return;
            }
            SessionContent::Buttons {
                header,
                body,
                footer,
                buttons,
            } => {
                interactive_open(s, "button", header, body, footer);
                s.raw("{\"buttons\":[");
                for (i, button) in buttons.iter().enumerate() {
                    if i > 0 {
                        s.raw(",");
                    }
                    s.raw("{\"type\":\"reply\",\"reply\":{\"id\":");
                    s.string(&button.id);
                    s.raw(",\"title\":");
                    s.string(&button.title);
                    s.raw("}}");
                }
                s.raw("]}");
            }
            SessionContent::List {
                header,
                body,
                footer,
                button,
                sections,
            } => {
                interactive_open(s, "list", header.map(InteractiveHeader::Text), body, footer);
                s.raw("{\"button\":");
                s.string(button);
                s.raw(",\"sections\":[");
                for (i, section) in sections.iter().enumerate() {
                    if i > 0 {
                        s.raw(",");
                    }
                    s.raw("{");
                    if let Some(title) = &section.title {
                        s.raw("\"title\":");
                        s.string(title);
                        s.raw(",");
                    }
                    s.raw("\"rows\":[");
                    for (j, row) in section.rows.iter().enumerate() {
                        if j > 0 {
                            s.raw(",");
                        }
                        s.raw("{\"id\":");
                        s.string(&row.id);
                        s.raw(",\"title\":");
                        s.string(&row.title);
                        if let Some(description) = &row.description {
                            s.raw(",\"description\":");
                            s.string(description);
                        }
                        s.raw("}");
                    }
                    s.raw("]}");
                }
                s.raw("]}");
            }
            SessionContent::CtaUrl {
                header,
                body,
                footer,
                display_text,
                url,
            } => {
                interactive_open(s, "cta_url", header, body, footer);
                s.raw("{\"name\":\"cta_url\",\"parameters\":{\"display_text\":");
                s.string(display_text);
                s.raw(",\"url\":");
                s.string(url);
                s.raw("}}");
            }
        }
        s.raw("}}");
    }
}

/// An address request's `parameters` (facts §1.9, Meta's shape): `{"country":"IN","values"?:{…},
/// "saved_addresses"?:[{"id":…,"value":{…}},…],"validation_errors"?:{…}}`, the fields in
/// Meta's order.
pub fn address_parameters(s: &mut impl Sink, request: &crate::session::AddressRequest) {
    fn fields(
        s: &mut impl Sink,
        values: &std::collections::BTreeMap<crate::session::AddressField, String>,
    ) {
        s.raw("{");
        for (i, (key, value)) in values.iter().enumerate() {
            if i > 0 {
                s.raw(",");
            }
            s.string(key.as_str());
            s.raw(":");
            s.string(value);
        }
        s.raw("}");
    }
    s.raw("{\"country\":");
    s.string(crate::rules::ADDRESS_COUNTRY);
    if !request.values.is_empty() {
        s.raw(",\"values\":");
        fields(s, &request.values);
    }
    if !request.saved.is_empty() {
        s.raw(",\"saved_addresses\":[");
        for (i, saved) in request.saved.iter().enumerate() {
            if i > 0 {
                s.raw(",");
            }
            s.raw("{\"id\":");
            s.string(&saved.id);
            s.raw(",\"value\":");
            fields(s, &saved.values);
            s.raw("}");
        }
        s.raw("]");
    }
    if !request.errors.is_empty() {
        s.raw(",\"validation_errors\":");
        fields(s, &request.errors);
    }
    s.raw("}");
}

/// One contact card (facts §1.10, Meta's contact object), its members in the order of
/// Kaleyra's template (`addresses`, `birthday`, `emails`, then Meta's `name`, `org`, `phones`,
/// `urls`); empty lists and absent members are left out.
pub fn contact_card(s: &mut impl Sink, card: &crate::session::ContactCard) {
    /// `"key":"value"` members of one object, the absent ones left out; `first` says whether
    /// nothing was written in the object before.
    fn members(s: &mut impl Sink, members: &[(&str, Option<&str>)], mut first: bool) {
        for (key, value) in members {
            if let Some(value) = value {
                if !first {
                    s.raw(",");
                }
                first = false;
                s.string(key);
                s.raw(":");
                s.string(value);
            }
        }
    }
    /// One `{"<key>":value,<members>}` of an `emails`, `phones` or `urls` array (its `index`
    /// says whether a comma comes first).
    fn valued(
        s: &mut impl Sink,
        index: usize,
        key: &str,
        value: &str,
        optional: &[(&str, Option<&str>)],
    ) {
        s.raw(if index > 0 { ",{" } else { "{" });
        s.raw(key);
        s.string(value);
        members(s, optional, false);
        s.raw("}");
    }
    s.raw("{");
    let mut first = true;
    let mut open = |s: &mut _, key: &str| {
        if !first {
            Sink::raw(s, ",");
        }
        first = false;
        Sink::raw(s, key);
    };
    if !card.addresses.is_empty() {
        open(s, "\"addresses\":[");
        for (i, address) in card.addresses.iter().enumerate() {
            if i > 0 {
                s.raw(",");
            }
            s.raw("{");
            let texts = address.members();
            members(s, &texts, true);
            let written = texts.iter().any(|(_, v)| v.is_some());
            members(s, &[("type", address.kind.map(|k| k.as_str()))], !written);
            s.raw("}");
        }
        s.raw("]");
    }
    if let Some(birthday) = &card.birthday {
        open(s, "\"birthday\":");
        s.string(birthday);
    }
    if !card.emails.is_empty() {
        open(s, "\"emails\":[");
        for (i, email) in card.emails.iter().enumerate() {
            valued(
                s,
                i,
                "\"email\":",
                &email.email,
                &[("type", email.kind.map(|k| k.as_str()))],
            );
        }
        s.raw("]");
    }
    open(s, "\"name\":{\"formatted_name\":");
    s.string(&card.formatted_name);
    members(s, &card.name_parts(), false);
    s.raw("}");
    let org = card.org();
    if org.iter().any(|(_, v)| v.is_some()) {
        open(s, "\"org\":{");
        members(s, &org, true);
        s.raw("}");
    }
    if !card.phones.is_empty() {
        open(s, "\"phones\":[");
        for (i, phone) in card.phones.iter().enumerate() {
            valued(
                s,
                i,
                "\"phone\":",
                &phone.phone,
                &[
                    ("type", phone.kind.map(|k| k.as_str())),
                    ("wa_id", phone.wa_id.as_deref()),
                ],
            );
        }
        s.raw("]");
    }
    if !card.urls.is_empty() {
        open(s, "\"urls\":[");
        for (i, url) in card.urls.iter().enumerate() {
            valued(
                s,
                i,
                "\"url\":",
                &url.url,
                &[("type", url.kind.map(|k| k.as_str()))],
            );
        }
        s.raw("]");
    }
    s.raw("}");
}

/// A read receipt (facts §1.11): `{"messaging_object":{"messaging_product":"whatsapp",
/// "status":"read","message_id":…}`, no `to` and no `type`. Like every layout, without the
/// final `}`.
pub fn read_receipt(s: &mut impl Sink, message_id: &str) {
    s.raw("{\"messaging_object\":{\"messaging_product\":\"whatsapp\",\"status\":\"read\",\"message_id\":");
    s.string(message_id);
    s.raw("}");
}

// ------------------------------------------------------------------------ flow management
// Issue 16: the JSON bodies of the flow lifecycle (facts v2-session-flows-templates §3), written
// by `Client::create_flow`, `update_flow` and `migrate_flows` (flows/lifecycle.rs).

/// Create flow's body (§3.1, Meta's shape): `{"name":…,"categories":[…]}`, then
/// `"clone_flow_id"` and `"endpoint_uri"` when given.
pub fn flow_create(
    s: &mut impl Sink,
    name: &str,
    categories: &[&str],
    clone_flow_id: Option<&str>,
    endpoint_uri: Option<&str>,
) {
    s.raw("{\"name\":");
    s.string(name);
    s.raw(",\"categories\":");
    string_array(s, categories);
    if let Some(id) = clone_flow_id {
        s.raw(",\"clone_flow_id\":");
        s.string(id);
    }
    if let Some(uri) = endpoint_uri {
        s.raw(",\"endpoint_uri\":");
        s.string(uri);
    }
    s.raw("}");
}

/// Update flow metadata's body (§3.2): the members given, in the order of Kaleyra's sample
/// (`name`, `endpoint_uri`, `categories`), then Meta's `application_id`.
pub fn flow_metadata(
    s: &mut impl Sink,
    name: Option<&str>,
    endpoint_uri: Option<&str>,
    categories: Option<&[&str]>,
    application_id: Option<&str>,
) {
    let mut first = true;
    if let Some(name) = name {
        member(s, &mut first, "name");
        s.string(name);
    }
    if let Some(uri) = endpoint_uri {
        member(s, &mut first, "endpoint_uri");
        s.string(uri);
    }
    if let Some(categories) = categories {
        member(s, &mut first, "categories");
        string_array(s, categories);
    }
    if let Some(id) = application_id {
        member(s, &mut first, "application_id");
        s.string(id);
    }
    if first {
        s.raw("{");
    }
    s.raw("}");
}

/// Migrate flows' body (§3.10, Meta's member): `{"source_flow_names":[…]}`, or `{}` to
/// migrate every flow.
pub fn flow_migrate(s: &mut impl Sink, names: &[&str]) {
    if names.is_empty() {
        s.raw("{}");
    } else {
        s.raw("{\"source_flow_names\":");
        string_array(s, names);
        s.raw("}");
    }
}

/// `{"key":` for the first member of an object, `,"key":` for the next.
fn member(s: &mut impl Sink, first: &mut bool, key: &str) {
    s.raw(if *first { "{\"" } else { ",\"" });
    s.raw(key);
    s.raw("\":");
    *first = false;
}

fn string_array(s: &mut impl Sink, items: &[&str]) {
    s.raw("[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            s.raw(",");
        }
        s.string(item);
    }
    s.raw("]");
}

// ------------------------------------------------------------------------ reply buttons, lists, CTA URL
// Issue 15: interactive session messages (facts §1.4-§1.6), walked by `Session::walk`.

/// An interactive message's header, Meta's object: `{"type":"text","text":…}` or
/// `{"type":"image","image":{"link"|"id":…}}` (and the same for video and document, a
/// document with its `filename`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InteractiveHeader<'a> {
    /// A text header.
    Text(&'a str),
    /// A media header.
    Media {
        /// Image, video or document.
        kind: MediaKind,
        /// By link or by uploaded id.
        source: MediaSource<'a>,
        /// A document's file name.
        filename: Option<&'a str>,
    },
}

/// A sequence that is borrowed (the derive's `const` items) or owned (a runtime builder's).
/// Unlike `Cow<'a, [T]>` it is covariant in `'a`, so `&'static` items go into a message of
/// any lifetime.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Items<'a, T> {
    /// Borrowed items.
    Borrowed(&'a [T]),
    /// Owned items.
    Owned(Vec<T>),
}

impl<T: Clone> Items<'_, T> {
    /// Appends an item (the borrowed items are copied the first time).
    pub fn push(&mut self, item: T) {
        match self {
            Items::Owned(items) => items.push(item),
            Items::Borrowed(borrowed) => {
                // Room for a few more: buttons and rows come a few at a time (3 and 10 at most).
                let mut items = Vec::with_capacity((borrowed.len() + 1).max(4));
                items.extend_from_slice(borrowed);
                items.push(item);
                *self = Items::Owned(items);
            }
        }
    }

    /// The last item, to change (the borrowed items are copied the first time).
    pub fn last_mut(&mut self) -> Option<&mut T> {
        if let Items::Borrowed(borrowed) = *self {
            *self = Items::Owned(borrowed.to_vec());
        }
        match self {
            Items::Owned(items) => items.last_mut(),
            Items::Borrowed(_) => None,
        }
    }
}

impl<T> core::ops::Deref for Items<'_, T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            Items::Borrowed(items) => items,
            Items::Owned(items) => items,
        }
    }
}

/// A reply button: `{"type":"reply","reply":{"id":…,"title":…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReplyButton<'a> {
    /// The id the tap returns.
    pub id: Cow<'a, str>,
    /// The label the customer sees.
    pub title: Cow<'a, str>,
}

impl<'a> ReplyButton<'a> {
    /// A button of borrowed strings (the derive's `const` buttons).
    pub const fn borrowed(id: &'a str, title: &'a str) -> Self {
        ReplyButton {
            id: Cow::Borrowed(id),
            title: Cow::Borrowed(title),
        }
    }
}

/// A row of a list: `{"id":…,"title":…,"description"?:…}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListRow<'a> {
    /// The id the choice returns.
    pub id: Cow<'a, str>,
    /// The row's title.
    pub title: Cow<'a, str>,
    /// The row's description.
    pub description: Option<Cow<'a, str>>,
}

impl<'a> ListRow<'a> {
    /// A row of borrowed strings (the derive's `const` rows).
    pub const fn borrowed(id: &'a str, title: &'a str, description: Option<&'a str>) -> Self {
        ListRow {
            id: Cow::Borrowed(id),
            title: Cow::Borrowed(title),
            description: match description {
                Some(d) => Some(Cow::Borrowed(d)),
                None => None,
            },
        }
    }
}

/// A section of a list: `{"title"?:…,"rows":[…]}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListSection<'a> {
    /// The title; left out only in a list of one section.
    pub title: Option<Cow<'a, str>>,
    /// The rows.
    pub rows: Items<'a, ListRow<'a>>,
}

impl<'a> ListSection<'a> {
    /// A section of borrowed rows (the derive's `const` sections).
    pub const fn borrowed(title: Option<&'a str>, rows: &'a [ListRow<'a>]) -> Self {
        ListSection {
            title: match title {
                Some(t) => Some(Cow::Borrowed(t)),
                None => None,
            },
            rows: Items::Borrowed(rows),
        }
    }
}

/// `,"type":"interactive","interactive":{"type":kind,"header"?:…,"body":{"text":…},
/// "footer"?:{"text":…},"action":`; the caller writes the action object and leaves the
/// interactive object open for `Session::walk` to close.
fn interactive_open(
    s: &mut impl Sink,
    kind: &str,
    header: Option<InteractiveHeader<'_>>,
    body: &str,
    footer: Option<&str>,
) {
    s.raw(",\"type\":\"interactive\",\"interactive\":{\"type\":");
    s.string(kind);
    match header {
        None => {}
        Some(InteractiveHeader::Text(text)) => {
            s.raw(",\"header\":{\"type\":\"text\",\"text\":");
            s.string(text);
            s.raw("}");
        }
        Some(InteractiveHeader::Media {
            kind,
            source,
            filename,
        }) => {
            s.raw(",\"header\":{\"type\":");
            s.string(kind.as_str());
            s.raw(",");
            s.string(kind.as_str());
            s.raw(":");
            media_object(s, source, None, filename);
            s.raw("}}");
        }
    }
    s.raw(",\"body\":{\"text\":");
    s.string(body);
    s.raw("}");
    if let Some(footer) = footer {
        s.raw(",\"footer\":{\"text\":");
        s.string(footer);
        s.raw("}");
    }
    s.raw(",\"action\":");
}

/// A sink that writes straight into a buffer, for values known only at run time. A layout
/// walked through it must have no slots (they are ignored).
pub struct Direct<'a>(pub &'a mut Vec<u8>);

impl Sink for Direct<'_> {
    #[inline]
    fn raw(&mut self, json: &str) {
        self.0.extend_from_slice(json.as_bytes());
    }
    #[inline]
    fn string(&mut self, s: &str) {
        json::write_str(self.0, s);
    }
    #[inline]
    fn slot(&mut self, _: Slot) {}
}

/// A piece of a layout as the derive macro sees it: fixed bytes, or a per-message value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Fixed JSON text.
    Static(String),
    /// A per-message value.
    Slot(Slot),
}

/// A sink that merges fixed text into as few [`Piece::Static`] runs as possible.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pieces(pub Vec<Piece>);

impl Pieces {
    fn push_static(&mut self, text: &str) {
        if let Some(Piece::Static(last)) = self.0.last_mut() {
            last.push_str(text);
        } else {
            self.0.push(Piece::Static(text.to_owned()));
        }
    }
}

impl Sink for Pieces {
    fn raw(&mut self, json: &str) {
        self.push_static(json);
    }
    fn string(&mut self, s: &str) {
        self.push_static(&json::string(s));
    }
    fn slot(&mut self, slot: Slot) {
        self.0.push(Piece::Slot(slot));
    }
}
