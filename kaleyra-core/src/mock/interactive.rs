//! The simulator's checks of interactive session messages (issue 15): reply buttons (facts
//! §1.4), lists (§1.5) and CTA URL buttons (§1.6), with Meta's limits checked by the library's
//! own rules, each refusal naming the member at fault. Interactive flow messages stay in
//! `check.rs`.

use serde_json::{Map, Value};

use super::check::{
    Checked, array, constant, object, only, recipients, refuse, required, rule, string,
};
use crate::layout::MediaKind;
use crate::rules;

/// The `interactive.type`s checked here.
const TYPES: &[&str] = &["button", "list", "cta_url"];

/// Whether a message of `type: "interactive"` is one of [`TYPES`] (else a flow message, or a
/// refusal by `check.rs`).
pub(super) fn is_session(m: &Map<String, Value>) -> bool {
    m.get("interactive")
        .and_then(|i| i.get("type"))
        .and_then(Value::as_str)
        .is_some_and(|t| TYPES.contains(&t))
}

/// An interactive session message object, `context` allowed (a contextual reply).
pub(super) fn message(m: &Map<String, Value>, at: &str) -> Checked<()> {
    only(
        m,
        at,
        &[
            "messaging_product",
            "recipient_type",
            "context",
            "to",
            "type",
            "interactive",
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
    let at = format!("{at}.interactive");
    let i = object(required(m, &at, "interactive")?, &at)?;
    only(i, &at, &["type", "header", "body", "footer", "action"])?;
    match string(i, &at, "type")? {
        "button" => {
            texts(i, &at, true, rules::check_flow_body)?;
            buttons(i, &at)
        }
        "list" => {
            texts(i, &at, false, rules::check_list_body)?;
            list(i, &at)
        }
        _ => {
            texts(i, &at, true, rules::check_flow_body)?;
            cta_url(i, &at)
        }
    }
}

/// `header` (text, or media when `media`), `body` (checked by `body_rule`) and `footer`.
fn texts(
    i: &Map<String, Value>,
    at: &str,
    media: bool,
    body_rule: fn(&str) -> Result<(), rules::Violation>,
) -> Checked<()> {
    if let Some(header) = i.get("header") {
        self::header(header, &format!("{at}.header"), media)?;
    }
    let body_at = format!("{at}.body");
    let body = object(required(i, at, "body")?, &body_at)?;
    only(body, &body_at, &["text"])?;
    rule(&body_at, "text", body_rule(string(body, &body_at, "text")?))?;
    if let Some(footer) = i.get("footer") {
        let at = format!("{at}.footer");
        let footer = object(footer, &at)?;
        only(footer, &at, &["text"])?;
        rule(
            &at,
            "text",
            rules::check_flow_footer(string(footer, &at, "text")?),
        )?;
    }
    Ok(())
}

/// Meta's header object: `{"type":"text","text"}` or `{"type":"image"|"video"|"document",
/// "<type>":{"id"|"link","filename"? (document)}}`.
fn header(header: &Value, at: &str, media: bool) -> Checked<()> {
    let h = object(header, at)?;
    let kind = match string(h, at, "type")? {
        "text" => {
            only(h, at, &["type", "text"])?;
            return rule(at, "text", rules::check_header_text(string(h, at, "text")?));
        }
        _ if !media => {
            return refuse(at, "type", "must be \"text\": a list's header is text only");
        }
        "image" => MediaKind::Image,
        "video" => MediaKind::Video,
        "document" => MediaKind::Document,
        "audio" => MediaKind::Audio,
        "sticker" => MediaKind::Sticker,
        other => {
            return refuse(
                at,
                "type",
                format!("is {other:?}; a header is \"text\", \"image\", \"video\" or \"document\""),
            );
        }
    };
    rule(at, "type", rules::check_interactive_header_media(kind))?;
    let key = kind.as_str();
    only(h, at, &["type", key])?;
    let o_at = format!("{at}.{key}");
    let o = object(required(h, at, key)?, &o_at)?;
    let mut allowed = vec!["id", "link"];
    if kind == MediaKind::Document {
        allowed.push("filename");
    }
    only(o, &o_at, &allowed)?;
    match (o.contains_key("id"), o.contains_key("link")) {
        (true, true) => return refuse(&o_at, "id", "and `link` are both given; give one"),
        (false, false) => return refuse(&o_at, "id", "or `link` is required"),
        (true, false) => rule(&o_at, "id", rules::check_media_id(string(o, &o_at, "id")?))?,
        (false, true) => rule(
            &o_at,
            "link",
            rules::check_media_link(string(o, &o_at, "link")?),
        )?,
    }
    if o.contains_key("filename") {
        rule(
            &o_at,
            "filename",
            rules::check_filename(string(o, &o_at, "filename")?),
        )?;
    }
    Ok(())
}

/// A refusal for the value that repeats an earlier one, at `{at}[n].{key}`.
fn unique(at: &str, key: &str, values: &[&str], what: &'static str) -> Checked<()> {
    rules::check_unique(what, values.iter().copied())
        .map_err(|(n, v)| format!("{at}[{n}].{key}: the message {v}"))
}

/// `action: {"buttons": [{"type":"reply","reply":{"id","title"}}, …]}`, 1-3 buttons.
fn buttons(i: &Map<String, Value>, at: &str) -> Checked<()> {
    let at = format!("{at}.action");
    let action = object(required(i, &at, "action")?, &at)?;
    only(action, &at, &["buttons"])?;
    let buttons = array(action, &at, "buttons")?;
    rule(
        &at,
        "buttons",
        rules::check_reply_button_count(buttons.len()),
    )?;
    let (mut ids, mut titles) = (Vec::new(), Vec::new());
    for (n, button) in buttons.iter().enumerate() {
        let b_at = format!("{at}.buttons[{n}]");
        let b = object(button, &b_at)?;
        only(b, &b_at, &["type", "reply"])?;
        constant(b, &b_at, "type", "reply", true)?;
        let r_at = format!("{b_at}.reply");
        let reply = object(required(b, &b_at, "reply")?, &r_at)?;
        only(reply, &r_at, &["id", "title"])?;
        let id = string(reply, &r_at, "id")?;
        rule(&r_at, "id", rules::check_reply_button_id(id))?;
        let title = string(reply, &r_at, "title")?;
        rule(&r_at, "title", rules::check_reply_button_title(title))?;
        ids.push(id);
        titles.push(title);
    }
    let buttons_at = format!("{at}.buttons");
    unique(&buttons_at, "reply.id", &ids, "button id")?;
    unique(&buttons_at, "reply.title", &titles, "button title")
}

/// `action: {"button", "sections": [{"title"?, "rows": [{"id","title","description"?}]}]}`.
fn list(i: &Map<String, Value>, at: &str) -> Checked<()> {
    let at = format!("{at}.action");
    let action = object(required(i, &at, "action")?, &at)?;
    only(action, &at, &["button", "sections"])?;
    rule(
        &at,
        "button",
        rules::check_list_button(string(action, &at, "button")?),
    )?;
    let sections = array(action, &at, "sections")?;
    rule(
        &at,
        "sections",
        rules::check_list_section_count(sections.len()),
    )?;
    let mut ids = Vec::new();
    for (n, section) in sections.iter().enumerate() {
        let s_at = format!("{at}.sections[{n}]");
        let s = object(section, &s_at)?;
        only(s, &s_at, &["title", "rows"])?;
        if s.contains_key("title") {
            rule(
                &s_at,
                "title",
                rules::check_section_title(string(s, &s_at, "title")?),
            )?;
        } else {
            rule(
                &s_at,
                "title",
                rules::check_untitled_section(sections.len()),
            )?;
        }
        let rows = array(s, &s_at, "rows")?;
        rule(&s_at, "rows", rules::check_section_row_count(rows.len()))?;
        for (m, row) in rows.iter().enumerate() {
            let r_at = format!("{s_at}.rows[{m}]");
            let r = object(row, &r_at)?;
            only(r, &r_at, &["id", "title", "description"])?;
            let id = string(r, &r_at, "id")?;
            rule(&r_at, "id", rules::check_row_id(id))?;
            rule(
                &r_at,
                "title",
                rules::check_row_title(string(r, &r_at, "title")?),
            )?;
            if r.contains_key("description") {
                rule(
                    &r_at,
                    "description",
                    rules::check_row_description(string(r, &r_at, "description")?),
                )?;
            }
            ids.push(id);
        }
    }
    rule(&at, "sections", rules::check_list_row_count(ids.len()))?;
    rules::check_unique("row id", ids.iter().copied())
        .map_err(|(_, v)| format!("{at}.sections: the list {v}"))
}

/// `action: {"name":"cta_url","parameters":{"display_text","url"}}`.
fn cta_url(i: &Map<String, Value>, at: &str) -> Checked<()> {
    let at = format!("{at}.action");
    let action = object(required(i, &at, "action")?, &at)?;
    only(action, &at, &["name", "parameters"])?;
    constant(action, &at, "name", "cta_url", true)?;
    let p_at = format!("{at}.parameters");
    let p = object(required(action, &at, "parameters")?, &p_at)?;
    only(p, &p_at, &["display_text", "url"])?;
    rule(
        &p_at,
        "display_text",
        rules::check_cta_display_text(string(p, &p_at, "display_text")?),
    )?;
    rule(&p_at, "url", rules::check_cta_url(string(p, &p_at, "url")?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(interactive: Value) -> Checked<()> {
        let m = json!({
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "+919876543210", "type": "interactive", "interactive": interactive
        });
        message(m.as_object().unwrap(), "body.messaging_object")
    }

    #[test]
    fn a_header_of_a_wrong_kind_is_named() {
        let err = check(json!({
            "type": "button",
            "header": {"type": "audio", "audio": {"id": "1"}},
            "body": {"text": "Hi"},
            "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "A"}}]}
        }))
        .unwrap_err();
        assert!(
            err.starts_with("body.messaging_object.interactive.header.type "),
            "{err}"
        );
        let err = check(json!({
            "type": "list",
            "header": {"type": "image", "image": {"id": "1"}},
            "body": {"text": "Hi"},
            "action": {"button": "B", "sections": [{"rows": [{"id": "a", "title": "A"}]}]}
        }))
        .unwrap_err();
        assert!(err.contains("text only"), "{err}");
    }

    #[test]
    fn an_untitled_section_among_several_is_refused() {
        let err = check(json!({
            "type": "list",
            "body": {"text": "Hi"},
            "action": {"button": "B", "sections": [
                {"title": "S", "rows": [{"id": "a", "title": "A"}]},
                {"rows": [{"id": "b", "title": "B"}]}
            ]}
        }))
        .unwrap_err();
        assert!(
            err.starts_with("body.messaging_object.interactive.action.sections[1].title "),
            "{err}"
        );
    }
}
