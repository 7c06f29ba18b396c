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
    s.raw("},\"components\":[");
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
    /// Whether `flow_token` is written.
    pub flow_token: bool,
    /// Whether `flow_action_data` is written.
    pub flow_action_data: bool,
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
        if self.flow_token {
            s.raw("\"flow_token\":");
            s.slot(Slot::FlowToken);
        }
        if self.flow_action_data {
            if self.flow_token {
                s.raw(",");
            }
            s.raw("\"flow_action_data\":");
            s.slot(Slot::FlowActionData);
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
