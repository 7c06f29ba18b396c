//! What a message declares, read back from its body ([`Message::to_json`]): the runtime's way
//! to build the [`Declared`] the derive builds from its plan.

use serde_json::{Map, Value};

use super::shape::{
    Declared, DeclaredBody, DeclaredButton, DeclaredCard, DeclaredCarousel, DeclaredHeader,
    DeclaredKind, Subject,
};
use crate::layout::{ButtonKind, MediaKind};
use crate::message::{Message, MessageKind};

/// What `message` declares, or `None` if it is not a template (an interactive flow message).
pub fn describe(message: &Message) -> Option<Declared> {
    let kind = match message.kind() {
        MessageKind::Authentication => DeclaredKind::Authentication,
        MessageKind::FlowTemplate => DeclaredKind::Flow,
        MessageKind::ProductTemplate => DeclaredKind::Product,
        MessageKind::StandardTemplate => DeclaredKind::Standard,
        MessageKind::FlowMessage | MessageKind::Session => return None,
    };
    describe_json(&message.to_json(), kind)
}

/// What a request body declares: `{"messaging_object": {…, "template": …}}` or the flat
/// single-product body. `None` if it has no template with a name and a language code.
pub(crate) fn describe_json(body: &Value, kind: DeclaredKind) -> Option<Declared> {
    let message = body.get("messaging_object").unwrap_or(body);
    let template = message.get("template")?.as_object()?;
    let name = template.get("name")?.as_str()?;
    let language = template.get("language")?.get("code")?.as_str()?;
    let mut declared = Declared::new(name, language, kind, Subject::Message);
    let components = template
        .get("components")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut cards = None;
    for c in components.iter().filter_map(Value::as_object) {
        match c.get("type").and_then(Value::as_str).unwrap_or_default() {
            "header" => declared.header = header(c),
            "body" => declared.body = body_parameters(c),
            "limited_time_offer" => declared.limited_time_offer = true,
            "button" => declared.buttons.extend(button(c, kind)),
            "carousel" => {
                cards = Some(
                    c.get("cards")
                        .and_then(Value::as_array)
                        .map(Vec::as_slice)
                        .unwrap_or_default()
                        .iter()
                        .map(card)
                        .collect(),
                );
            }
            _ => {}
        }
    }
    declared.carousel = cards.map(DeclaredCarousel::cards);
    Some(declared)
}

fn parameters(c: &Map<String, Value>) -> &[Value] {
    c.get("parameters")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn header(c: &Map<String, Value>) -> Option<DeclaredHeader> {
    let p = parameters(c).first()?;
    Some(
        match p.get("type").and_then(Value::as_str).unwrap_or_default() {
            "text" => DeclaredHeader::Text(
                p.get("parameter_name")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            ),
            "image" => DeclaredHeader::Media(Some(MediaKind::Image)),
            "video" => DeclaredHeader::Media(Some(MediaKind::Video)),
            "document" => DeclaredHeader::Media(Some(MediaKind::Document)),
            "location" => DeclaredHeader::Location,
            "product" => DeclaredHeader::Product,
            _ => DeclaredHeader::Any,
        },
    )
}

fn body_parameters(c: &Map<String, Value>) -> DeclaredBody {
    let parameters = parameters(c);
    let names: Vec<String> = parameters
        .iter()
        .filter_map(|p| p.get("parameter_name").and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    if names.is_empty() {
        DeclaredBody::Positional(parameters.len())
    } else {
        DeclaredBody::Named(names)
    }
}

fn button(c: &Map<String, Value>, kind: DeclaredKind) -> Option<(u8, DeclaredButton)> {
    let index = match c.get("index")? {
        Value::Number(n) => u8::try_from(n.as_u64()?).ok()?,
        // Meta's samples send the index as a string.
        Value::String(s) => s.parse().ok()?,
        _ => return None,
    };
    let sub_type = ButtonKind::from_sub_type(c.get("sub_type")?.as_str()?)?;
    let declared = match (kind, sub_type) {
        (DeclaredKind::Authentication, ButtonKind::Url) => DeclaredButton::OneTimePassword,
        (_, sub_type) => DeclaredButton::Kind(sub_type),
    };
    Some((index, declared))
}

fn card(value: &Value) -> DeclaredCard {
    let mut card = DeclaredCard::new();
    let components = value
        .get("components")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for c in components.iter().filter_map(Value::as_object) {
        match c.get("type").and_then(Value::as_str).unwrap_or_default() {
            "header" => card.header = header(c),
            "body" => card.body = parameters(c).len(),
            "button" => card.buttons.extend(button(c, DeclaredKind::Standard)),
            _ => {}
        }
    }
    card
}
