//! The simulator's checks of session messages (issue 15, first part) and read receipts on the
//! sender route: the shapes of facts §1.1-§1.3, §1.7, §1.11-§1.13, the values checked with the
//! library's own rules, each refusal naming the member at fault.

use serde_json::{Map, Value};

use super::check::{
    Checked, constant, kind_of, object, only, recipients, refuse, required, rule, string,
};
use crate::layout::MediaKind;
use crate::rules;

/// The message types a session message may have.
pub(super) const TYPES: &[&str] = &[
    "text", "image", "video", "audio", "document", "sticker", "location", "reaction", "contacts",
];

/// A session message object (`type` one of [`TYPES`]), `context` allowed (a contextual reply).
pub(super) fn message(m: &Map<String, Value>, at: &str, kind: &str) -> Checked<()> {
    only(
        m,
        at,
        &[
            "messaging_product",
            "recipient_type",
            "context",
            "to",
            "type",
            kind,
        ],
    )?;
    constant(m, at, "messaging_product", "whatsapp", true)?;
    constant(m, at, "recipient_type", "individual", false)?;
    rule(at, "to", recipients(string(m, at, "to")?))?;
    if let Some(context) = m.get("context") {
        let c_at = format!("{at}.context");
        let context = object(context, &c_at)?;
        only(context, &c_at, &["message_id"])?;
        rule(
            &c_at,
            "message_id",
            rules::check_message_id(string(context, &c_at, "message_id")?),
        )?;
    }
    let inner = format!("{at}.{kind}");
    // Requests and contacts (issue 15): an array, or interactive shapes checked there.
    match kind {
        "contacts" => return super::requests::contacts(required(m, at, kind)?, &inner),
        "interactive" => {
            let value = object(required(m, at, kind)?, &inner)?;
            return super::requests::interactive(value, &inner);
        }
        _ => {}
    }
    let value = object(required(m, at, kind)?, &inner)?;
    match kind {
        "text" => text(value, &inner),
        "location" => location(value, &inner),
        "reaction" => reaction(value, &inner),
        "image" => media(value, &inner, MediaKind::Image),
        "video" => media(value, &inner, MediaKind::Video),
        "audio" => media(value, &inner, MediaKind::Audio),
        "document" => media(value, &inner, MediaKind::Document),
        _ => media(value, &inner, MediaKind::Sticker),
    }
}

/// `text`: `{"preview_url"?: boolean, "body": 1-4096 characters}`.
fn text(t: &Map<String, Value>, at: &str) -> Checked<()> {
    only(t, at, &["preview_url", "body"])?;
    match t.get("preview_url") {
        None | Some(Value::Bool(_)) => {}
        Some(other) => {
            return refuse(
                at,
                "preview_url",
                format!("must be a JSON boolean, found {}", kind_of(other)),
            );
        }
    }
    rule(at, "body", rules::check_text_body(string(t, at, "body")?))
}

/// A media object: `{"id" | "link", "caption"?, "filename"? (document)}`.
fn media(o: &Map<String, Value>, at: &str, kind: MediaKind) -> Checked<()> {
    let mut allowed = vec!["id", "link"];
    if rules::check_caption_allowed(kind).is_ok() {
        allowed.push("caption");
    }
    if kind == MediaKind::Document {
        allowed.push("filename");
    }
    only(o, at, &allowed)?;
    match (o.contains_key("id"), o.contains_key("link")) {
        (true, true) => return refuse(at, "id", "and `link` are both given; give one"),
        (false, false) => return refuse(at, "id", "or `link` is required"),
        (true, false) => rule(at, "id", rules::check_media_id(string(o, at, "id")?))?,
        (false, true) => rule(at, "link", rules::check_media_link(string(o, at, "link")?))?,
    }
    if o.contains_key("caption") {
        rule(
            at,
            "caption",
            rules::check_caption(string(o, at, "caption")?),
        )?;
    }
    if o.contains_key("filename") {
        rule(
            at,
            "filename",
            rules::check_filename(string(o, at, "filename")?),
        )?;
    }
    Ok(())
}

/// `location`: `{"longitude", "latitude", "name"?, "address"?}`, the coordinates numbers.
fn location(l: &Map<String, Value>, at: &str) -> Checked<()> {
    only(l, at, &["longitude", "latitude", "name", "address"])?;
    rule(
        at,
        "latitude",
        rules::check_latitude(number(l, at, "latitude")?),
    )?;
    rule(
        at,
        "longitude",
        rules::check_longitude(number(l, at, "longitude")?),
    )?;
    for key in ["name", "address"] {
        if l.contains_key(key) {
            string(l, at, key)?;
        }
    }
    Ok(())
}

/// `reaction`: `{"message_id", "emoji"}`, the emoji one emoji or `""` (a removal).
fn reaction(r: &Map<String, Value>, at: &str) -> Checked<()> {
    only(r, at, &["message_id", "emoji"])?;
    rule(
        at,
        "message_id",
        rules::check_message_id(string(r, at, "message_id")?),
    )?;
    let emoji = string(r, at, "emoji")?;
    if emoji.is_empty() {
        return Ok(());
    }
    rule(at, "emoji", rules::check_reaction_emoji(emoji))
}

/// A read receipt (§1.11): `{"messaging_product":"whatsapp","status":"read","message_id"}`, no
/// `to` or `type`. Returns the message id, which the server looks up.
pub(super) fn read_receipt(m: &Map<String, Value>, at: &str) -> Checked<String> {
    only(m, at, &["messaging_product", "status", "message_id"])?;
    constant(m, at, "messaging_product", "whatsapp", true)?;
    constant(m, at, "status", "read", true)?;
    let id = string(m, at, "message_id")?;
    rule(at, "message_id", rules::check_message_id(id))?;
    Ok(id.to_owned())
}

fn number(m: &Map<String, Value>, at: &str, key: &str) -> Checked<f64> {
    match required(m, at, key)? {
        Value::Number(n) => n
            .as_f64()
            .map_or_else(|| refuse(at, key, "is not a finite number"), Ok),
        other => refuse(
            at,
            key,
            format!("must be a JSON number, found {}", kind_of(other)),
        ),
    }
}
