//! The simulator's payload checks: the shape of each message kind as Kaleyra's documents show it,
//! and the values checked with the library's own rules ([`crate::rules`]).
//!
//! Each check returns why a payload is refused, naming the member at fault
//! (`body.messaging_object.template.language.code is not a known template language code`).

use serde_json::{Map, Value};

use super::TemplateCategory;
use crate::layout::{FlowAction, FlowMode, Route};
use crate::rules::{self, Violation};

/// Why a payload is refused.
pub(super) type Refusal = String;

type Checked<T> = Result<T, Refusal>;

/// What a valid message turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Seen {
    /// A template message.
    Template(TemplateSeen),
    /// An interactive flow message.
    Flow(FlowSeen),
}

/// A template message, as far as the approved-template checks need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TemplateSeen {
    pub name: String,
    pub language: String,
    pub category: TemplateCategory,
    pub body_parameters: usize,
}

/// An interactive flow message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FlowSeen {
    /// `flow_id`, if the flow is named by id.
    pub flow_id: Option<String>,
}

/// The body of `POST /v2/{sid}/whatsapp/{sender}/messages`:
/// `{"messaging_object": {…}, "extra_info"?: {…}}`.
pub(super) fn sender_body(body: &Value) -> Checked<Seen> {
    let top = object(body, "body")?;
    only(top, "body", &["messaging_object", "extra_info"])?;
    if let Some(extra) = top.get("extra_info") {
        extra_info(extra, "body.extra_info")?;
    }
    let at = "body.messaging_object";
    let message = object(required(top, "body", "messaging_object")?, at)?;
    self::message(message, at, Route::Sender)
}

/// The body of `POST /v2/{sid}/whatsapp/{waba_id}/messages`: the single-product template's
/// message fields and `extra_info` side by side.
pub(super) fn waba_body(body: &Value) -> Checked<Seen> {
    let top = object(body, "body")?;
    if let Some(extra) = top.get("extra_info") {
        extra_info(extra, "body.extra_info")?;
    }
    message(top, "body", Route::Waba)
}

/// A WhatsApp message object (with `extra_info` beside its fields on the WABA route).
fn message(m: &Map<String, Value>, at: &str, route: Route) -> Checked<Seen> {
    let kind = string(m, at, "type")?;
    let content = match (route, kind) {
        (_, "template") => "template",
        (Route::Sender, "interactive") => "interactive",
        (Route::Sender, other) => {
            return refuse(
                at,
                "type",
                format!("is {other:?}; this route takes \"template\" or \"interactive\""),
            );
        }
        (Route::Waba, other) => {
            return refuse(
                at,
                "type",
                format!("is {other:?}; the WABA route takes single-product \"template\"s"),
            );
        }
    };
    let mut allowed = vec!["messaging_product", "recipient_type", "to", "type", content];
    if route == Route::Waba {
        allowed.push("extra_info");
    }
    only(m, at, &allowed)?;
    constant(m, at, "messaging_product", "whatsapp", true)?;
    constant(m, at, "recipient_type", "individual", false)?;
    let to = string(m, at, "to")?;
    rule(at, "to", recipients(to))?;

    let inner = format!("{at}.{content}");
    let value = object(required(m, at, content)?, &inner)?;
    if content == "template" {
        template(value, &inner, route).map(Seen::Template)
    } else {
        interactive(value, &inner).map(Seen::Flow)
    }
}

/// `to`: one E.164 number, or several separated by commas (Kaleyra's tables allow it).
fn recipients(to: &str) -> Result<(), Violation> {
    to.split(',')
        .try_for_each(|number| rules::for_each_phone_digit(number, |_| {}))
}

/// A button of a template.
enum Button<'a> {
    /// `sub_type: url`, with its one text parameter.
    Url(&'a str),
    /// `sub_type: flow`.
    Flow,
}

fn template(t: &Map<String, Value>, at: &str, route: Route) -> Checked<TemplateSeen> {
    only(t, at, &["name", "language", "components"])?;
    let name = string(t, at, "name")?;
    rule(at, "name", rules::check_template_name(name))?;

    let lang_at = format!("{at}.language");
    let language = object(required(t, at, "language")?, &lang_at)?;
    only(language, &lang_at, &["policy", "code"])?;
    let code = string(language, &lang_at, "code")?;
    rule(&lang_at, "code", rules::language(code).map(|_| ()))?;
    constant(
        language,
        &lang_at,
        "policy",
        rules::LANGUAGE_POLICY,
        route == Route::Waba,
    )?;

    let mut body: Option<Vec<&str>> = None;
    let mut header_seen = false;
    let mut products = 0usize;
    let mut header_texts = 0usize;
    let mut buttons: Vec<(u8, Button<'_>)> = Vec::new();
    for (i, component) in array(t, at, "components")?.iter().enumerate() {
        let at = format!("{at}.components[{i}]");
        let c = object(component, &at)?;
        match string(c, &at, "type")? {
            "body" => {
                only(c, &at, &["type", "parameters"])?;
                if body.is_some() {
                    return Err(format!("{at} is a second body component"));
                }
                let texts = array(c, &at, "parameters")?
                    .iter()
                    .enumerate()
                    .map(|(j, p)| {
                        text_parameter(
                            p,
                            &format!("{at}.parameters[{j}]"),
                            rules::check_body_parameter,
                        )
                    })
                    .collect::<Checked<Vec<_>>>()?;
                body = Some(texts);
            }
            "header" => {
                only(c, &at, &["type", "parameters"])?;
                if header_seen {
                    return Err(format!("{at} is a second header component"));
                }
                header_seen = true;
                for (j, p) in array(c, &at, "parameters")?.iter().enumerate() {
                    let at = format!("{at}.parameters[{j}]");
                    let param = object(p, &at)?;
                    match string(param, &at, "type")? {
                        "product" => {
                            product_parameter(param, &at)?;
                            products += 1;
                        }
                        "text" => {
                            text_parameter(p, &at, rules::check_header_text)?;
                            header_texts += 1;
                        }
                        other => {
                            return refuse(
                                &at,
                                "type",
                                format!(
                                    "is {other:?}; the simulator models \"product\" and \"text\" \
                                     header parameters"
                                ),
                            );
                        }
                    }
                }
            }
            "button" => {
                only(c, &at, &["type", "sub_type", "index", "parameters"])?;
                let index = button_index(c, &at)?;
                if buttons.iter().any(|(i, _)| *i == index) {
                    return refuse(&at, "index", format!("{index} is used by another button"));
                }
                let sub_type = string(c, &at, "sub_type")?;
                let parameters = array(c, &at, "parameters")?;
                let [parameter] = parameters else {
                    return refuse(
                        &at,
                        "parameters",
                        format!(
                            "has {} parameters; a {sub_type:?} button takes exactly one",
                            parameters.len()
                        ),
                    );
                };
                let at = format!("{at}.parameters[0]");
                let button = match sub_type {
                    "url" => Button::Url(text_parameter(parameter, &at, rules::check_non_empty)?),
                    "flow" => {
                        flow_parameter(parameter, &at)?;
                        Button::Flow
                    }
                    other => {
                        return Err(format!(
                            "{at}: button sub_type {other:?} is not one the simulator models \
                             (\"url\", \"flow\")"
                        ));
                    }
                };
                buttons.push((index, button));
            }
            other => {
                return refuse(
                    &at,
                    "type",
                    format!("is {other:?}; expected \"header\", \"body\" or \"button\""),
                );
            }
        }
    }

    let category = match route {
        Route::Waba => {
            if products != 1 || header_texts != 0 {
                return Err(format!(
                    "{at}: a single-product template has one header component with exactly one \
                     \"product\" parameter"
                ));
            }
            if !buttons.is_empty() {
                return Err(format!(
                    "{at}: a single-product template takes no button parameters"
                ));
            }
            TemplateCategory::Product
        }
        Route::Sender => {
            if products > 0 {
                return Err(format!(
                    "{at}: a product header belongs to a single-product template, which is \
                     sent flat to the WABA route"
                ));
            }
            let urls: Vec<&str> = buttons
                .iter()
                .filter_map(|(_, b)| match b {
                    Button::Url(text) => Some(*text),
                    Button::Flow => None,
                })
                .collect();
            let flows = buttons.len() - urls.len();
            match (urls.as_slice(), flows) {
                ([], 1) => TemplateCategory::Flow,
                ([otp], 0) => {
                    authentication(body.as_deref(), otp, header_seen, at)?;
                    TemplateCategory::Authentication
                }
                ([], 0) => {
                    return Err(format!(
                        "{at}: a template on this route needs a \"url\" (OTP) button or a \
                         \"flow\" button"
                    ));
                }
                _ => {
                    return Err(format!(
                        "{at}: a template has one OTP \"url\" button or one \"flow\" button"
                    ));
                }
            }
        }
    };
    Ok(TemplateSeen {
        name: name.to_owned(),
        language: code.to_owned(),
        category,
        body_parameters: body.map_or(0, |b| b.len()),
    })
}

/// An authentication template: one body parameter and one URL button parameter, both the OTP.
fn authentication(body: Option<&[&str]>, button: &str, header: bool, at: &str) -> Checked<()> {
    if header {
        return Err(format!("{at}: an authentication template has no header"));
    }
    let [otp] = body.unwrap_or_default() else {
        return Err(format!(
            "{at}: an authentication template has one body component with exactly one \
             parameter, the OTP"
        ));
    };
    rules::check_otp(otp).map_err(|v| format!("{at}: the OTP in the body {v}"))?;
    rules::check_otp(button).map_err(|v| format!("{at}: the OTP in the button {v}"))?;
    if otp != &button {
        return Err(format!(
            "{at}: the OTP must be the same in the body and the button"
        ));
    }
    Ok(())
}

/// `{"type": "text", "text": …}` with `text` checked by `check`.
fn text_parameter<'a>(
    p: &'a Value,
    at: &str,
    check: fn(&str) -> Result<(), Violation>,
) -> Checked<&'a str> {
    let p = object(p, at)?;
    only(p, at, &["type", "text"])?;
    constant(p, at, "type", "text", true)?;
    let text = string(p, at, "text")?;
    rule(at, "text", check(text))?;
    Ok(text)
}

/// `{"type": "product", "product": {"product_retailer_id", "catalog_id"}}`.
fn product_parameter(p: &Map<String, Value>, at: &str) -> Checked<()> {
    only(p, at, &["type", "product"])?;
    let at = format!("{at}.product");
    let product = object(required(p, &at, "product")?, &at)?;
    only(product, &at, &["product_retailer_id", "catalog_id"])?;
    for key in ["product_retailer_id", "catalog_id"] {
        rule(&at, key, rules::check_non_empty(string(product, &at, key)?))?;
    }
    Ok(())
}

/// A flow button's parameter: `{"type": "action", "action": {"flow_token"?, "flow_action_data"?}}`.
fn flow_parameter(p: &Value, at: &str) -> Checked<()> {
    let p = object(p, at)?;
    only(p, at, &["type", "action"])?;
    constant(p, at, "type", "action", true)?;
    let at = format!("{at}.action");
    let action = object(required(p, &at, "action")?, &at)?;
    only(action, &at, &["flow_token", "flow_action_data"])?;
    if action.contains_key("flow_token") {
        rule(
            &at,
            "flow_token",
            rules::check_non_empty(string(action, &at, "flow_token")?),
        )?;
    }
    if let Some(data) = action.get("flow_action_data") {
        // An object; `{}` is allowed, as the document's sample shows.
        rule(&at, "flow_action_data", json_object(data, false))?;
    }
    Ok(())
}

/// A button's `index`: a JSON number, 0-9.
fn button_index(c: &Map<String, Value>, at: &str) -> Checked<u8> {
    let index = match required(c, at, "index")? {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i128::from(i)
            } else if let Some(u) = n.as_u64() {
                i128::from(u)
            } else {
                return refuse(at, "index", format!("is {n}; it must be an integer"));
            }
        }
        other => {
            return refuse(
                at,
                "index",
                format!("is {}; it must be a JSON number", kind_of(other)),
            );
        }
    };
    rules::check_button_index(index).map_err(|v| format!("{at}.index {v}"))
}

fn interactive(i: &Map<String, Value>, at: &str) -> Checked<FlowSeen> {
    only(i, at, &["type", "header", "body", "footer", "action"])?;
    constant(i, at, "type", "flow", true)?;
    if let Some(header) = i.get("header") {
        let at = format!("{at}.header");
        let header = object(header, &at)?;
        only(header, &at, &["type", "text"])?;
        constant(header, &at, "type", "text", true)?;
        rule(
            &at,
            "text",
            rules::check_header_text(string(header, &at, "text")?),
        )?;
    }
    let body_at = format!("{at}.body");
    let body = object(required(i, at, "body")?, &body_at)?;
    only(body, &body_at, &["text"])?;
    rule(
        &body_at,
        "text",
        rules::check_flow_body(string(body, &body_at, "text")?),
    )?;
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

    let action_at = format!("{at}.action");
    let action = object(required(i, at, "action")?, &action_at)?;
    only(action, &action_at, &["name", "parameters"])?;
    constant(action, &action_at, "name", "flow", true)?;
    let at = format!("{action_at}.parameters");
    let p = object(required(action, &action_at, "parameters")?, &at)?;
    only(
        p,
        &at,
        &[
            "flow_message_version",
            "flow_token",
            "flow_id",
            "flow_name",
            "flow_cta",
            "mode",
            "flow_action",
            "flow_action_payload",
        ],
    )?;
    constant(
        p,
        &at,
        "flow_message_version",
        rules::FLOW_MESSAGE_VERSION,
        true,
    )?;
    if p.contains_key("flow_token") {
        rule(
            &at,
            "flow_token",
            rules::check_non_empty(string(p, &at, "flow_token")?),
        )?;
    }
    let flow_id = match (p.contains_key("flow_id"), p.contains_key("flow_name")) {
        (true, false) => {
            let id = string(p, &at, "flow_id")?;
            rule(&at, "flow_id", rules::check_digits(id))?;
            Some(id.to_owned())
        }
        (false, true) => {
            rule(
                &at,
                "flow_name",
                rules::check_non_empty(string(p, &at, "flow_name")?),
            )?;
            None
        }
        (true, true) => return Err(format!("{at} has both flow_id and flow_name")),
        (false, false) => return Err(format!("{at} has neither flow_id nor flow_name")),
    };
    rule(
        &at,
        "flow_cta",
        rules::check_flow_cta(string(p, &at, "flow_cta")?),
    )?;
    if p.contains_key("mode") {
        let mode = string(p, &at, "mode")?;
        if ![FlowMode::Draft, FlowMode::Published]
            .iter()
            .any(|m| m.as_str() == mode)
        {
            return refuse(
                &at,
                "mode",
                format!("is {mode:?}; expected \"draft\" or \"published\""),
            );
        }
    }
    let flow_action = if p.contains_key("flow_action") {
        let name = string(p, &at, "flow_action")?;
        match [FlowAction::Navigate, FlowAction::DataExchange]
            .into_iter()
            .find(|a| a.as_str() == name)
        {
            Some(a) => a,
            None => {
                return refuse(
                    &at,
                    "flow_action",
                    format!("is {name:?}; expected \"navigate\" or \"data_exchange\""),
                );
            }
        }
    } else {
        FlowAction::default()
    };
    let (screen, data) = match p.get("flow_action_payload") {
        None => (false, false),
        Some(payload) => {
            let at = format!("{at}.flow_action_payload");
            let payload = object(payload, &at)?;
            only(payload, &at, &["screen", "data"])?;
            rule(
                &at,
                "screen",
                rules::check_non_empty(string(payload, &at, "screen")?),
            )?;
            if let Some(data) = payload.get("data") {
                rule(&at, "data", json_object(data, true))?;
            }
            (true, payload.contains_key("data"))
        }
    };
    rules::check_flow_payload(flow_action, screen, data).map_err(|v| format!("{at} {v}"))?;
    Ok(FlowSeen { flow_id })
}

/// `extra_info`: an object whose `ref`, `ref1`, `ref2` and `wa_source` are strings. Longer
/// references are truncated and unknown sources read as `api` by Kaleyra, so neither is refused.
fn extra_info(v: &Value, at: &str) -> Checked<()> {
    let extra = object(v, at)?;
    only(extra, at, &["ref", "ref1", "ref2", "wa_source"])?;
    for key in ["ref", "ref1", "ref2", "wa_source"] {
        if extra.contains_key(key) {
            string(extra, at, key)?;
        }
    }
    Ok(())
}

// Small helpers. `at` is the path of the object being checked, e.g. `body.messaging_object`.

fn refuse<T>(at: &str, key: &str, why: impl std::fmt::Display) -> Checked<T> {
    Err(format!("{at}.{key} {why}"))
}

fn rule(at: &str, key: &str, result: Result<(), Violation>) -> Checked<()> {
    result.map_err(|v| format!("{at}.{key} {v}"))
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn object<'a>(v: &'a Value, at: &str) -> Checked<&'a Map<String, Value>> {
    v.as_object()
        .ok_or_else(|| format!("{at} must be a JSON object, found {}", kind_of(v)))
}

/// A JSON object, and a non-empty one if asked (the library's own check of written JSON).
fn json_object(v: &Value, non_empty: bool) -> Result<(), Violation> {
    let text = serde_json::to_vec(v).map_err(|e| Violation::NotJson {
        reason: e.to_string(),
    })?;
    crate::encode::check_object(&text, non_empty)
}

fn only(m: &Map<String, Value>, at: &str, allowed: &[&str]) -> Checked<()> {
    match m.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(key) => Err(format!(
            "{at} has an unexpected member {key:?} (expected some of {allowed:?})"
        )),
        None => Ok(()),
    }
}

fn required<'a>(m: &'a Map<String, Value>, at: &str, key: &str) -> Checked<&'a Value> {
    m.get(key)
        .ok_or_else(|| format!("{at} lacks the required member {key:?}"))
}

fn string<'a>(m: &'a Map<String, Value>, at: &str, key: &str) -> Checked<&'a str> {
    match required(m, at, key)? {
        Value::String(s) => Ok(s),
        other => refuse(
            at,
            key,
            format!("must be a string, found {}", kind_of(other)),
        ),
    }
}

fn array<'a>(m: &'a Map<String, Value>, at: &str, key: &str) -> Checked<&'a [Value]> {
    match required(m, at, key)? {
        Value::Array(a) => Ok(a),
        other => refuse(
            at,
            key,
            format!("must be an array, found {}", kind_of(other)),
        ),
    }
}

/// A member that must equal `expected`; `required` says whether it may be absent.
fn constant(
    m: &Map<String, Value>,
    at: &str,
    key: &str,
    expected: &str,
    required: bool,
) -> Checked<()> {
    if !required && !m.contains_key(key) {
        return Ok(());
    }
    let value = string(m, at, key)?;
    if value == expected {
        Ok(())
    } else {
        refuse(
            at,
            key,
            format!("is {value:?}; the only allowed value is {expected:?}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn extra() -> Value {
        json!({"ref": "customer1", "ref1": "marketing", "ref2": "dictionary", "wa_source": "api"})
    }

    /// The authentication document's sample. (The sample's two OTPs differ, `J$FpXXXX` and
    /// `J$FXXXXp`, though its table says the value must appear twice: a typo, here made one.)
    fn authentication_sample() -> Value {
        json!({
            "messaging_object": {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "+91987654321",
                "type": "template",
                "template": {
                    "name": "auth1",
                    "language": {"code": "en_US"},
                    "components": [
                        {"type": "body", "parameters": [{"type": "text", "text": "J$FpXXXX"}]},
                        {"type": "button", "sub_type": "url", "index": 0,
                         "parameters": [{"type": "text", "text": "J$FpXXXX"}]}
                    ]
                }
            },
            "extra_info": extra()
        })
    }

    #[test]
    fn the_documents_samples_are_accepted() {
        assert_eq!(
            sender_body(&authentication_sample()),
            Ok(Seen::Template(TemplateSeen {
                name: "auth1".into(),
                language: "en_US".into(),
                category: TemplateCategory::Authentication,
                body_parameters: 1,
            }))
        );

        let flow_template = json!({
            "messaging_object": {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "+919876543210",
                "type": "template",
                "template": {
                    "name": "flow_template20",
                    "language": {"code": "en_US"},
                    "components": [{
                        "type": "button", "sub_type": "flow", "index": 0,
                        "parameters": [{"type": "action",
                            "action": {"flow_token": "flow_token", "flow_action_data": {}}}]
                    }]
                }
            },
            "extra_info": extra()
        });
        assert!(matches!(
            sender_body(&flow_template),
            Ok(Seen::Template(TemplateSeen {
                category: TemplateCategory::Flow,
                body_parameters: 0,
                ..
            }))
        ));

        // The single-product sample, flat (its stray `}` before extra_info removed).
        let product = json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+16005550234",
            "type": "template",
            "template": {
                "name": "abandoned_cart_offer",
                "language": {"policy": "deterministic", "code": "en_US"},
                "components": [
                    {"type": "header", "parameters": [{"type": "product",
                        "product": {"product_retailer_id": "nqrxxx03ez", "catalog_id": "194000000003835"}}]},
                    {"type": "body", "parameters": [
                        {"type": "text", "text": "25OFF"}, {"type": "text", "text": "25%"}]}
                ]
            },
            "extra_info": extra()
        });
        assert!(matches!(
            waba_body(&product),
            Ok(Seen::Template(TemplateSeen {
                category: TemplateCategory::Product,
                body_parameters: 2,
                ..
            }))
        ));
        // The same body wrapped, or on the wrong route, is refused.
        assert!(sender_body(&product).is_err());
        assert!(waba_body(&json!({"messaging_object": product})).is_err());

        let flow_message = json!({
            "messaging_object": {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "+919876543210",
                "type": "interactive",
                "interactive": {
                    "type": "flow",
                    "header": {"type": "text", "text": "Flow message header"},
                    "body": {"text": "Flow message body"},
                    "footer": {"text": "Flow message footer"},
                    "action": {"name": "flow", "parameters": {
                        "flow_message_version": "3",
                        "flow_token": "AQAAAAACS5FpgQ_cAAAAAD0QI3s",
                        "flow_id": "1234567890",
                        "flow_cta": "Book!",
                        "flow_action": "navigate",
                        "flow_action_payload": {"screen": "WELCOME", "data": {"product_name": "name"}}
                    }}
                }
            },
            "extra_info": extra()
        });
        assert_eq!(
            sender_body(&flow_message),
            Ok(Seen::Flow(FlowSeen {
                flow_id: Some("1234567890".into())
            }))
        );
    }

    #[test]
    fn refusals_name_the_member_and_the_rule() {
        let mut body = authentication_sample();
        body["messaging_object"]["template"]["language"]["code"] = json!("en-US");
        let why = sender_body(&body).unwrap_err();
        assert!(
            why.starts_with("body.messaging_object.template.language.code"),
            "{why}"
        );
        assert!(why.contains("did you mean `en_US`?"), "{why}");

        let mut body = authentication_sample();
        body["messaging_object"]["template"]["components"][1]["index"] = json!(12);
        let why = sender_body(&body).unwrap_err();
        assert!(
            why.contains("components[1].index must be between 0 and 9"),
            "{why}"
        );

        let mut body = authentication_sample();
        body["messaging_object"]["template"]["components"][1]["parameters"][0]["text"] =
            json!("J$FXXXXp");
        let why = sender_body(&body).unwrap_err();
        assert!(why.contains("the same in the body and the button"), "{why}");

        let mut body = authentication_sample();
        body["extra_info"]["channel"] = json!("x");
        let why = sender_body(&body).unwrap_err();
        assert!(why.contains("unexpected member \"channel\""), "{why}");

        let mut body = authentication_sample();
        body["messaging_object"]["to"] = json!("+91 98765 43210, +44 20 7946 0000");
        assert!(sender_body(&body).is_ok(), "comma-separated recipients");
        body["messaging_object"]["to"] = json!("+91 98765 43210,");
        assert!(sender_body(&body).is_err());
    }

    #[test]
    fn odd_json_is_refused_without_panicking() {
        for body in [
            json!(null),
            json!(1e300),
            json!(u64::MAX),
            json!("text"),
            json!({"messaging_object": []}),
            json!({"messaging_object": {"type": null}}),
            json!({"messaging_object": {"type": "template", "template": {"components": {}}}}),
        ] {
            assert!(sender_body(&body).is_err(), "{body}");
            assert!(waba_body(&body).is_err(), "{body}");
        }
    }

    /// Arbitrary JSON, biased towards the members and values of the message kinds.
    fn arbitrary_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        const WORDS: &[&str] = &[
            "messaging_object",
            "extra_info",
            "messaging_product",
            "recipient_type",
            "to",
            "type",
            "template",
            "interactive",
            "name",
            "language",
            "code",
            "policy",
            "components",
            "parameters",
            "text",
            "sub_type",
            "index",
            "action",
            "flow_token",
            "flow_action_data",
            "product",
            "product_retailer_id",
            "catalog_id",
            "header",
            "body",
            "footer",
            "button",
            "url",
            "flow",
            "flow_message_version",
            "flow_id",
            "flow_name",
            "flow_cta",
            "mode",
            "flow_action",
            "flow_action_payload",
            "screen",
            "data",
            "whatsapp",
            "individual",
            "en_US",
            "deterministic",
            "+15550001234",
            "3",
            "navigate",
            "data_exchange",
            "",
        ];
        let word = proptest::sample::select(WORDS);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            ".{0,20}".prop_map(Value::from),
            word.clone().prop_map(Value::from),
        ];
        leaf.prop_recursive(6, 96, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec((word.clone(), inner), 0..6).prop_map(|members| {
                    Value::Object(
                        members
                            .into_iter()
                            .map(|(k, v)| (k.to_owned(), v))
                            .collect(),
                    )
                }),
            ]
        })
    }

    /// Every JSON pointer into `value`.
    fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    pointers(v, format!("{at}/{k}"), out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    pointers(v, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_json_never_panics(body in arbitrary_json()) {
            let _ = sender_body(&body);
            let _ = waba_body(&body);
        }

        #[test]
        fn a_sample_with_any_member_replaced_never_panics(
            pick in proptest::prelude::any::<proptest::sample::Index>(),
            replacement in arbitrary_json(),
        ) {
            let sample = authentication_sample();
            let mut all = Vec::new();
            pointers(&sample, String::new(), &mut all);
            let mut body = sample;
            if let Some(slot) = body.pointer_mut(&all[pick.index(all.len())]) {
                *slot = replacement;
            }
            let _ = sender_body(&body);
            let _ = waba_body(&body);
        }
    }
}
