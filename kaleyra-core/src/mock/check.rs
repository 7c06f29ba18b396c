//! The simulator's payload checks: the shape of each message kind as Kaleyra's documents show it,
//! and the values checked with the library's own rules ([`crate::rules`]).
//!
//! Each check returns why a payload is refused, naming the member at fault
//! (`body.messaging_object.template.language.code is not a known template language code`).

use serde_json::{Map, Value};

use super::TemplateCategory;
use super::components::{self, Button, Components, Header, Parameter};
use crate::layout::{ButtonKind, FlowAction, FlowMode, Route};
use crate::rules::{self, Violation};

/// Why a payload is refused.
pub(super) type Refusal = String;

pub(super) type Checked<T> = Result<T, Refusal>;

/// What a valid message turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Seen {
    /// A template message.
    Template(TemplateSeen),
    /// An interactive flow message.
    Flow(FlowSeen),
    /// A session message (text, media, location, reaction), checked by [`super::session`].
    Session,
    /// A read receipt for the message with this id.
    ReadReceipt(String),
}

/// A template message, as far as the approved-template checks need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TemplateSeen {
    pub name: String,
    pub language: String,
    pub body_parameters: usize,
    /// Which categories' shapes it has ([`TemplateSeen::fits`]).
    fits: Fits,
}

/// An interactive flow message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FlowSeen {
    /// `flow_id`, if the flow is named by id.
    pub flow_id: Option<String>,
    /// `flow_name`, if the flow is named by name.
    pub flow_name: Option<String>,
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
    // A read receipt has `status` and neither `to` nor `type` (facts §1.11).
    if route == Route::Sender && m.contains_key("status") && !m.contains_key("type") {
        return super::session::read_receipt(m, at).map(Seen::ReadReceipt);
    }
    let kind = string(m, at, "type")?;
    let content = match (route, kind) {
        (_, "template") => "template",
        // Reply buttons, lists and CTA URL (issue 15) are session messages; flows stay here.
        (Route::Sender, "interactive") if super::interactive::is_session(m) => {
            return super::interactive::message(m, at).map(|()| Seen::Session);
        }
        (Route::Sender, "interactive") if super::requests::claims(m) => {
            return super::session::message(m, at, "interactive").map(|()| Seen::Session);
        }
        (Route::Sender, "interactive") => "interactive",
        (Route::Sender, kind) if super::session::TYPES.contains(&kind) => {
            return super::session::message(m, at, kind).map(|()| Seen::Session);
        }
        (Route::Sender, other) => {
            return refuse(
                at,
                "type",
                format!(
                    "is {other:?}; this route takes \"template\", \"interactive\", a session \
                     message ({:?}) or a read receipt",
                    super::session::TYPES
                ),
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
pub(super) fn recipients(to: &str) -> Result<(), Violation> {
    to.split(',')
        .try_for_each(|number| rules::for_each_phone_digit(number, |_| {}))
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

    // A template that takes no parameter has no `components` (the library leaves it out, as
    // Meta's samples for such templates do).
    let list = match t.get("components") {
        None => &[][..],
        Some(_) => array(t, at, "components")?,
    };
    let components = components::template_components(list, &format!("{at}.components"))?;
    let fits = Fits::of(&components, route, at);
    // The route decides what the body may be: the WABA route carries single-product templates,
    // the sender route every other template.
    match route {
        Route::Waba => fits.product.clone()?,
        Route::Sender => fits.standard.clone()?,
    }
    Ok(TemplateSeen {
        name: name.to_owned(),
        language: code.to_owned(),
        body_parameters: components.body.as_ref().map_or(0, Vec::len),
        fits,
    })
}

/// Whether a template message has the shape of each category, and why not. A message does not
/// say its category: the same body can be a general template or (when the approved template
/// is one) an authentication or flow template, so these are checked once the category is
/// known ([`TemplateSeen::fits`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Fits {
    authentication: Checked<()>,
    flow: Checked<()>,
    product: Checked<()>,
    standard: Checked<()>,
}

impl Fits {
    fn of(c: &Components<'_>, route: Route, at: &str) -> Fits {
        let standard = match route {
            Route::Waba => Err(format!(
                "{at}: only single-product templates are sent to the WABA route"
            )),
            Route::Sender if c.header == Some(Header::Product) => Err(format!(
                "{at}: a product header belongs to a single-product template, which is sent flat \
                 to the WABA route"
            )),
            Route::Sender => Ok(()),
        };
        let flow = standard.clone().and_then(|()| match c.buttons.as_slice() {
            [button]
                if button.kind == ButtonKind::Flow
                    && !c.limited_time_offer
                    && c.cards.is_none() =>
            {
                Ok(())
            }
            _ => Err(format!(
                "{at}: a flow template has one button parameter, a \"flow\" button, and no \
                 limited-time offer or carousel"
            )),
        });
        let authentication = standard.clone().and_then(|()| authentication(c, at));
        Fits {
            authentication,
            flow,
            product: product(c, route, at),
            standard,
        }
    }
}

/// A single-product template: on the WABA route, one header component with one `product`
/// parameter, positional text body parameters, nothing else.
fn product(c: &Components<'_>, route: Route, at: &str) -> Checked<()> {
    if route != Route::Waba {
        return Err(format!(
            "{at}: a single-product template is sent flat to the WABA route"
        ));
    }
    if c.header != Some(Header::Product) {
        return Err(format!(
            "{at}: a single-product template has one header component with exactly one \
             \"product\" parameter"
        ));
    }
    if !c.buttons.is_empty() || c.limited_time_offer || c.cards.is_some() {
        return Err(format!(
            "{at}: a single-product template takes no button, limited-time offer or carousel \
             parameters"
        ));
    }
    let body = c.body.as_deref().unwrap_or_default();
    if body.iter().any(|p| p.name.is_some() || p.text.is_none()) {
        return Err(format!(
            "{at}: a single-product template's body parameters are positional text"
        ));
    }
    Ok(())
}

/// An authentication template: no header, one body parameter and one URL button parameter,
/// both the OTP.
fn authentication(c: &Components<'_>, at: &str) -> Checked<()> {
    if c.header.is_some() {
        return Err(format!("{at}: an authentication template has no header"));
    }
    let otp = match c.body.as_deref().unwrap_or_default() {
        [
            Parameter {
                name: None,
                text: Some(otp),
            },
        ] => *otp,
        _ => {
            return Err(format!(
                "{at}: an authentication template has one body component with exactly one \
                 parameter, the OTP"
            ));
        }
    };
    let button = match c.buttons.as_slice() {
        [
            Button {
                kind: ButtonKind::Url,
                text: Some(text),
                ..
            },
        ] if !c.limited_time_offer && c.cards.is_none() => *text,
        _ => {
            return Err(format!(
                "{at}: an authentication template has one button parameter, a \"url\" button \
                 with the OTP"
            ));
        }
    };
    rules::check_otp(otp).map_err(|v| format!("{at}: the OTP in the body {v}"))?;
    rules::check_otp(button).map_err(|v| format!("{at}: the OTP in the button {v}"))?;
    if otp != button {
        return Err(format!(
            "{at}: the OTP must be the same in the body and the button"
        ));
    }
    Ok(())
}

impl TemplateSeen {
    /// Whether the message has the shape of a template of `category`, and why not.
    pub(super) fn fits(&self, category: TemplateCategory) -> Checked<()> {
        match category {
            TemplateCategory::Authentication => self.fits.authentication.clone(),
            TemplateCategory::Flow => self.fits.flow.clone(),
            TemplateCategory::Product => self.fits.product.clone(),
            TemplateCategory::Standard => self.fits.standard.clone(),
        }
    }
}

/// A JSON integer (any size a JSON number can name, up to `u64`).
pub(super) fn integer(m: &Map<String, Value>, at: &str, key: &str) -> Checked<i128> {
    match required(m, at, key)? {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Ok(i128::from(i))
            } else if let Some(u) = n.as_u64() {
                Ok(i128::from(u))
            } else {
                refuse(at, key, format!("is {n}; it must be an integer"))
            }
        }
        other => refuse(
            at,
            key,
            format!("is {}; it must be a JSON number", kind_of(other)),
        ),
    }
}

/// A button's `index`: a JSON number, 0-9.
pub(super) fn button_index(c: &Map<String, Value>, at: &str) -> Checked<u8> {
    let index = integer(c, at, "index")?;
    rules::check_button_index(index).map_err(|v| format!("{at}.index {v}"))
}

fn interactive(i: &Map<String, Value>, at: &str) -> Checked<FlowSeen> {
    only(i, at, &["type", "header", "body", "footer", "action"])?;
    // The other interactive types were routed away before this point: any other value is
    // unknown, and the answer names every type the sender route takes.
    let kind = string(i, at, "type")?;
    if kind != "flow" {
        return refuse(
            at,
            "type",
            format!(
                "is {kind:?}; an interactive message is one of \"button\", \"list\", \"cta_url\", \"flow\", \"location_request_message\", \"address_message\""
            ),
        );
    }
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
    let (flow_id, flow_name) = match (p.contains_key("flow_id"), p.contains_key("flow_name")) {
        (true, false) => {
            let id = string(p, &at, "flow_id")?;
            rule(&at, "flow_id", rules::check_digits(id))?;
            (Some(id.to_owned()), None)
        }
        (false, true) => {
            let name = string(p, &at, "flow_name")?;
            rule(&at, "flow_name", rules::check_non_empty(name))?;
            (None, Some(name.to_owned()))
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
    Ok(FlowSeen { flow_id, flow_name })
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

pub(super) fn refuse<T>(at: &str, key: &str, why: impl std::fmt::Display) -> Checked<T> {
    Err(format!("{at}.{key} {why}"))
}

pub(super) fn rule(at: &str, key: &str, result: Result<(), Violation>) -> Checked<()> {
    result.map_err(|v| format!("{at}.{key} {v}"))
}

pub(super) use crate::json::kind_of;

pub(super) fn object<'a>(v: &'a Value, at: &str) -> Checked<&'a Map<String, Value>> {
    v.as_object()
        .ok_or_else(|| format!("{at} must be a JSON object, found {}", kind_of(v)))
}

/// A JSON object, and a non-empty one if asked (the library's own check of written JSON).
pub(super) fn json_object(v: &Value, non_empty: bool) -> Result<(), Violation> {
    let text = serde_json::to_vec(v).map_err(|e| Violation::NotJson {
        reason: e.to_string(),
    })?;
    crate::encode::check_object(&text, non_empty)
}

pub(super) fn only(m: &Map<String, Value>, at: &str, allowed: &[&str]) -> Checked<()> {
    match m.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(key) => Err(format!(
            "{at} has an unexpected member {key:?} (expected some of {allowed:?})"
        )),
        None => Ok(()),
    }
}

pub(super) fn required<'a>(m: &'a Map<String, Value>, at: &str, key: &str) -> Checked<&'a Value> {
    m.get(key)
        .ok_or_else(|| format!("{at} lacks the required member {key:?}"))
}

pub(super) fn string<'a>(m: &'a Map<String, Value>, at: &str, key: &str) -> Checked<&'a str> {
    match required(m, at, key)? {
        Value::String(s) => Ok(s),
        other => refuse(
            at,
            key,
            format!("must be a string, found {}", kind_of(other)),
        ),
    }
}

pub(super) fn array<'a>(m: &'a Map<String, Value>, at: &str, key: &str) -> Checked<&'a [Value]> {
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
pub(super) fn constant(
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

    fn template_seen(seen: Checked<Seen>) -> TemplateSeen {
        match seen {
            Ok(Seen::Template(t)) => t,
            other => panic!("expected a template, got {other:?}"),
        }
    }

    /// The categories whose shape a message has.
    fn fitting(seen: &TemplateSeen) -> Vec<TemplateCategory> {
        [
            TemplateCategory::Authentication,
            TemplateCategory::Flow,
            TemplateCategory::Product,
            TemplateCategory::Standard,
        ]
        .into_iter()
        .filter(|c| seen.fits(*c).is_ok())
        .collect()
    }

    #[test]
    fn the_documents_samples_are_accepted() {
        let auth = template_seen(sender_body(&authentication_sample()));
        assert_eq!(
            (
                auth.name.as_str(),
                auth.language.as_str(),
                auth.body_parameters
            ),
            ("auth1", "en_US", 1)
        );
        assert_eq!(
            fitting(&auth),
            [TemplateCategory::Authentication, TemplateCategory::Standard]
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
        let flow = template_seen(sender_body(&flow_template));
        assert_eq!(flow.body_parameters, 0);
        assert_eq!(
            fitting(&flow),
            [TemplateCategory::Flow, TemplateCategory::Standard]
        );

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
        let seen = template_seen(waba_body(&product));
        assert_eq!(seen.body_parameters, 2);
        assert_eq!(fitting(&seen), [TemplateCategory::Product]);
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
                flow_id: Some("1234567890".into()),
                flow_name: None,
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

        // Two different values are a general template's, not an authentication template's.
        let mut body = authentication_sample();
        body["messaging_object"]["template"]["components"][1]["parameters"][0]["text"] =
            json!("J$FXXXXp");
        let seen = template_seen(sender_body(&body));
        let why = seen.fits(TemplateCategory::Authentication).unwrap_err();
        assert!(why.contains("the same in the body and the button"), "{why}");
        assert_eq!(fitting(&seen), [TemplateCategory::Standard]);

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

    /// A general template with every component but the carousel, and every button sub-type.
    fn general_sample() -> Value {
        json!({"messaging_object": {
        "messaging_product": "whatsapp", "recipient_type": "individual",
        "to": "+919876543210", "type": "template",
        "template": {"name": "everything", "language": {"code": "en_US"}, "components": [
            {"type": "header", "parameters": [{"type": "document", "document": {
                "link": "https://example.com/i.pdf", "filename": "i.pdf"}}]},
            {"type": "body", "parameters": [
                {"type": "text", "text": "John"},
                {"type": "currency", "currency": {"fallback_value": "$100.99", "code": "USD", "amount_1000": 100_990}},
                {"type": "date_time", "date_time": {"fallback_value": "February 25, 1977"}}]},
            {"type": "limited_time_offer", "parameters": [{"type": "limited_time_offer",
                "limited_time_offer": {"expiration_time_ms": 1_767_225_600_000_u64}}]},
            {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "track/1"}]},
            {"type": "button", "sub_type": "quick_reply", "index": 1, "parameters": [{"type": "payload", "payload": "STOP"}]},
            {"type": "button", "sub_type": "copy_code", "index": 2, "parameters": [{"type": "coupon_code", "coupon_code": "SAVE25"}]},
            {"type": "button", "sub_type": "flow", "index": 3, "parameters": [{"type": "action", "action": {"flow_token": "t"}}]},
            {"type": "button", "sub_type": "catalog", "index": 4, "parameters": [{"type": "action", "action": {"thumbnail_product_retailer_id": "P1"}}]},
            {"type": "button", "sub_type": "mpm", "index": 5, "parameters": [{"type": "action", "action": {
                "thumbnail_product_retailer_id": "P1",
                "sections": [{"title": "Top", "product_items": [{"product_retailer_id": "P1"}]}]}}]}
        ]}}})
    }

    /// A carousel template with named-free body and two cards.
    fn carousel_sample() -> Value {
        json!({"messaging_object": {
        "messaging_product": "whatsapp", "recipient_type": "individual",
        "to": "+919876543210", "type": "template",
        "template": {"name": "summer", "language": {"code": "en_US"}, "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "Ada"}]},
            {"type": "carousel", "cards": [
                {"card_index": 0, "components": [
                    {"type": "header", "parameters": [{"type": "image", "image": {"id": "1"}}]},
                    {"type": "body", "parameters": [{"type": "text", "text": "a"}]},
                    {"type": "button", "sub_type": "quick_reply", "index": 0, "parameters": [{"type": "payload", "payload": "p"}]}]},
                {"card_index": 1, "components": [
                    {"type": "header", "parameters": [{"type": "video", "video": {"link": "https://example.com/v.mp4"}}]},
                    {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "x"}]}]}
            ]}
        ]}}})
    }

    #[test]
    fn general_templates_are_accepted_as_general_templates_only() {
        for sample in [general_sample(), carousel_sample()] {
            let seen = template_seen(sender_body(&sample));
            assert_eq!(fitting(&seen), [TemplateCategory::Standard], "{sample}");
            assert!(waba_body(&sample["messaging_object"]).is_err());
        }
        assert_eq!(
            template_seen(sender_body(&general_sample())).body_parameters,
            3
        );
        // No `components` at all: a template without parameters.
        let mut bare = general_sample();
        if let Some(t) = bare["messaging_object"]["template"].as_object_mut() {
            t.remove("components");
        }
        assert_eq!(
            fitting(&template_seen(sender_body(&bare))),
            [TemplateCategory::Standard]
        );
    }

    #[test]
    fn general_template_refusals_name_the_member_and_the_rule() {
        let components = "/messaging_object/template/components";
        let cases: [(&str, Value, &str); 8] = [
            (
                "/0/parameters/0/document/link",
                json!("http://example.com/i.pdf"),
                "components[0].parameters[0].document.link is invalid: a media link must start with `https://`",
            ),
            (
                "/1/parameters/1/currency/code",
                json!("usd"),
                "components[1].parameters[1].currency.code is not a known ISO 4217 currency code; did you mean `USD`?",
            ),
            (
                "/6/index",
                json!(0),
                "components[6] has button index `0` twice",
            ),
            (
                "/4/sub_type",
                json!("quick_replay"),
                "components[4].sub_type is \"quick_replay\", not a button sub_type",
            ),
            (
                "/5/parameters/0/coupon_code",
                json!("A".repeat(16)),
                "components[5].parameters[0].coupon_code must be at most 15 characters, found 16",
            ),
            (
                "/2/parameters/0/limited_time_offer/expiration_time_ms",
                json!(0),
                "expiration_time_ms must be between 1 and",
            ),
            (
                "/1/parameters/0/txt",
                json!("x"),
                "components[1].parameters[0] has an unexpected member \"txt\"",
            ),
            (
                "/1/parameters/0/parameter_name",
                json!("first_name"),
                "components[1].parameters[1].parameter_name is invalid: named and positional",
            ),
        ];
        for (pointer, value, want) in cases {
            let mut body = general_sample();
            let (parent, key) = pointer.rsplit_once('/').unwrap_or_default();
            match body.pointer_mut(&format!("{components}{parent}")) {
                Some(Value::Object(m)) => {
                    m.insert(key.to_owned(), value);
                }
                other => panic!("{pointer}: {other:?}"),
            }
            let why = sender_body(&body).unwrap_err();
            assert!(why.contains(want), "{pointer}: {why}");
            assert!(why.starts_with("body.messaging_object.template"), "{why}");
        }

        let mut body = carousel_sample();
        let cards = "/messaging_object/template/components/1/cards";
        if let Some(card) = body.pointer_mut(&format!("{cards}/1/card_index")) {
            *card = json!(0);
        }
        let why = sender_body(&body).unwrap_err();
        assert!(
            why.contains("cards[1].card_index is 0; it must be the card's position"),
            "{why}"
        );

        let mut body = carousel_sample();
        if let Some(Value::Array(list)) = body.pointer_mut(&format!("{cards}/1/components")) {
            list.remove(0);
        }
        let why = sender_body(&body).unwrap_err();
        assert!(
            why.contains("cards[1].components is invalid: a carousel card needs a header"),
            "{why}"
        );

        let mut body = carousel_sample();
        if let Some(Value::Array(list)) = body.pointer_mut(cards) {
            let card = list[0].clone();
            list.extend(std::iter::repeat_n(card, 9));
        }
        let why = sender_body(&body).unwrap_err();
        assert!(
            why.contains("cards must have 1 to 10 cards, found 11"),
            "{why}"
        );
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
            "limited_time_offer",
            "expiration_time_ms",
            "carousel",
            "cards",
            "card_index",
            "currency",
            "fallback_value",
            "amount_1000",
            "date_time",
            "parameter_name",
            "image",
            "video",
            "document",
            "link",
            "id",
            "filename",
            "location",
            "latitude",
            "longitude",
            "quick_reply",
            "payload",
            "copy_code",
            "coupon_code",
            "catalog",
            "mpm",
            "thumbnail_product_retailer_id",
            "sections",
            "title",
            "product_items",
            "USD",
            "https://example.com/a.jpg",
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
            which in 0usize..3,
            pick in proptest::prelude::any::<proptest::sample::Index>(),
            replacement in arbitrary_json(),
        ) {
            let sample = match which {
                0 => authentication_sample(),
                1 => general_sample(),
                _ => carousel_sample(),
            };
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
