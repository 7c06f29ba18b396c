//! The simulator's checks of a template's `components`: Meta's component objects (header, body,
//! limited-time offer, buttons, carousel with its cards), which Kaleyra passes through inside
//! `messaging_object.template` (facts §2.2-2.6, RULES.md "General templates").
//!
//! Every member is checked with the library's own rules ([`crate::rules`]); a member the shapes
//! do not have is refused, so that a misspelt key is caught. What the components hold is
//! returned for the checks that depend on the template's category (see `check.rs`).

use serde_json::{Map, Value};

use super::check::{
    Checked, array, constant, integer, json_object, object, only, refuse, required, rule, string,
};
use crate::layout::{ButtonKind, MediaKind};
use crate::rules::{self, Violation};

/// A template's header parameter, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Header {
    Text,
    Media(MediaKind),
    Location,
    /// A single-product template's `{"type":"product",…}`.
    Product,
}

/// A body parameter: its value's kind and text, and its name if the template's parameters are
/// named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Parameter<'a> {
    pub name: Option<&'a str>,
    /// The text of a text parameter; `None` for a currency or a date-time.
    pub text: Option<&'a str>,
}

/// A button with its parameter: sub-type, index, and the text of a text-valued parameter (URL
/// suffix, payload, coupon code, catalog thumbnail).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Button<'a> {
    pub kind: ButtonKind,
    pub index: u8,
    pub text: Option<&'a str>,
}

/// What a template's components hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Components<'a> {
    pub header: Option<Header>,
    pub body: Option<Vec<Parameter<'a>>>,
    pub limited_time_offer: bool,
    /// In the order given.
    pub buttons: Vec<Button<'a>>,
    /// How many cards the carousel has.
    pub cards: Option<usize>,
}

/// The component types a template may have (Meta).
const COMPONENT_TYPES: [&str; 5] = ["header", "body", "limited_time_offer", "button", "carousel"];
/// The component types of a carousel card (Meta).
const CARD_COMPONENT_TYPES: [&str; 3] = ["header", "body", "button"];

/// A template's `components`; `at` is the path of the array.
pub(super) fn template_components<'a>(list: &'a [Value], at: &str) -> Checked<Components<'a>> {
    let mut seen = Components::default();
    for (i, component) in list.iter().enumerate() {
        let at = format!("{at}[{i}]");
        let c = object(component, &at)?;
        let kind = string(c, &at, "type")?;
        match kind {
            "header" => {
                once(seen.header.is_some(), &at, "header")?;
                seen.header = Some(header(c, &at)?);
            }
            "body" => {
                once(seen.body.is_some(), &at, "body")?;
                seen.body = Some(body(c, &at)?);
            }
            "limited_time_offer" => {
                once(seen.limited_time_offer, &at, "limited-time offer")?;
                limited_time_offer(c, &at)?;
                seen.limited_time_offer = true;
            }
            "button" => seen.buttons.push(button(c, &at)?),
            "carousel" => {
                once(seen.cards.is_some(), &at, "carousel")?;
                seen.cards = Some(carousel(c, &at)?);
            }
            other => return unknown(&at, "type", other, "component type", &COMPONENT_TYPES),
        }
    }
    // Named and positional are not mixed, each name once: across the header text and the body,
    // as the library writes them.
    let mut names: Vec<(Option<&str>, String)> = Vec::new();
    if seen.header == Some(Header::Text) {
        let (j, c) = find(list, "header");
        names.push((parameter_name(c), format!("{at}[{j}].parameters[0]")));
    }
    if let Some(parameters) = &seen.body {
        let (j, _) = find(list, "body");
        for (k, p) in parameters.iter().enumerate() {
            names.push((p.name, format!("{at}[{j}].parameters[{k}]")));
        }
    }
    check_names(&names)?;
    check_buttons(&seen.buttons, list, at, "button")?;
    if seen.cards.is_some() {
        rules::check_carousel_template(
            seen.header.is_some(),
            seen.limited_time_offer,
            seen.buttons.len(),
        )
        .map_err(|v| format!("{at} {v}"))?;
    }
    Ok(seen)
}

/// The position and the object of the first component of type `kind` (known to be there).
fn find<'a>(list: &'a [Value], kind: &str) -> (usize, Option<&'a Map<String, Value>>) {
    list.iter()
        .enumerate()
        .find_map(|(j, c)| {
            let c = c.as_object()?;
            (c.get("type")?.as_str()? == kind).then_some((j, Some(c)))
        })
        .unwrap_or((0, None))
}

/// The `parameter_name` of a header component's one parameter, if any.
fn parameter_name(header: Option<&Map<String, Value>>) -> Option<&str> {
    header?
        .get("parameters")?
        .get(0)?
        .get("parameter_name")?
        .as_str()
}

fn check_names(names: &[(Option<&str>, String)]) -> Checked<()> {
    let just: Vec<Option<&str>> = names.iter().map(|(n, _)| *n).collect();
    rules::check_parameter_names(&just).map_err(|(k, v)| {
        let at = names.get(k).map_or("", |(_, at)| at.as_str());
        format!("{at}.parameter_name {v}")
    })
}

/// The one buttons rule over the buttons of a template or a card, reported on the offending
/// button's component.
fn check_buttons(buttons: &[Button<'_>], list: &[Value], at: &str, kind: &str) -> Checked<()> {
    let given: Vec<(ButtonKind, i128)> = buttons
        .iter()
        .map(|b| (b.kind, i128::from(b.index)))
        .collect();
    rules::check_buttons(&given).map_err(|(k, v)| {
        // The k-th component of type `kind`.
        let j = list
            .iter()
            .enumerate()
            .filter(|(_, c)| c.get("type").and_then(Value::as_str) == Some(kind))
            .nth(k)
            .map_or(0, |(j, _)| j);
        format!("{at}[{j}] {v}")
    })
}

fn once(seen: bool, at: &str, what: &str) -> Checked<()> {
    if seen {
        Err(format!("{at} is a second {what} component"))
    } else {
        Ok(())
    }
}

/// A value outside a closed set, with the nearest valid one.
fn unknown<T>(at: &str, key: &str, value: &str, what: &str, allowed: &[&str]) -> Checked<T> {
    let hint = rules::suggest(value, allowed.iter().copied())
        .map(|s| format!("; did you mean {s:?}?"))
        .unwrap_or_default();
    refuse(
        at,
        key,
        format!("is {value:?}, not a {what} (expected one of {allowed:?}){hint}"),
    )
}

/// The `parameters` array of a component, which must hold exactly one parameter.
fn one_parameter<'a>(c: &'a Map<String, Value>, at: &str, what: &str) -> Checked<&'a Value> {
    match array(c, at, "parameters")? {
        [p] => Ok(p),
        other => refuse(
            at,
            "parameters",
            format!("has {} parameters; {what} takes exactly one", other.len()),
        ),
    }
}

// ------------------------------------------------------------------------ header

/// `{"type":"header","parameters":[P]}`: P is text, media, location or (single-product) a
/// product.
fn header(c: &Map<String, Value>, at: &str) -> Checked<Header> {
    only(c, at, &["type", "parameters"])?;
    let p = one_parameter(c, at, "a header")?;
    let at = format!("{at}.parameters[0]");
    let param = object(p, &at)?;
    match string(param, &at, "type")? {
        "text" => {
            text_parameter(param, &at, rules::check_header_parameter)?;
            Ok(Header::Text)
        }
        "image" => media(param, &at, MediaKind::Image).map(Header::Media),
        "video" => media(param, &at, MediaKind::Video).map(Header::Media),
        "document" => media(param, &at, MediaKind::Document).map(Header::Media),
        "location" => {
            location(param, &at)?;
            Ok(Header::Location)
        }
        "product" => {
            product(param, &at)?;
            Ok(Header::Product)
        }
        other => unknown(
            &at,
            "type",
            other,
            "header parameter type",
            &["text", "image", "video", "document", "location", "product"],
        ),
    }
}

/// `{"type":"image","image":{"link"|"id"}}` (and the same for video and document; a document
/// may have a `filename`).
fn media(p: &Map<String, Value>, at: &str, kind: MediaKind) -> Checked<MediaKind> {
    let key = kind.as_str();
    only(p, at, &["type", key])?;
    let at = format!("{at}.{key}");
    let m = object(required(p, &at, key)?, &at)?;
    let allowed: &[&str] = if kind == MediaKind::Document {
        &["link", "id", "filename"]
    } else {
        &["link", "id"]
    };
    only(m, &at, allowed)?;
    match (m.contains_key("link"), m.contains_key("id")) {
        (true, false) => rule(
            &at,
            "link",
            rules::check_media_link(string(m, &at, "link")?),
        )?,
        (false, true) => rule(&at, "id", rules::check_media_id(string(m, &at, "id")?))?,
        (true, true) => return Err(format!("{at} has both link and id; give one")),
        (false, false) => return Err(format!("{at} has neither link nor id")),
    }
    if m.contains_key("filename") {
        rule(
            &at,
            "filename",
            rules::check_filename(string(m, &at, "filename")?),
        )?;
    }
    Ok(kind)
}

/// `{"type":"location","location":{"latitude","longitude","name"?,"address"?}}`, the
/// coordinates JSON numbers.
fn location(p: &Map<String, Value>, at: &str) -> Checked<()> {
    only(p, at, &["type", "location"])?;
    let at = format!("{at}.location");
    let l = object(required(p, &at, "location")?, &at)?;
    only(l, &at, &["latitude", "longitude", "name", "address"])?;
    rule(
        &at,
        "latitude",
        rules::check_latitude(number(l, &at, "latitude")?),
    )?;
    rule(
        &at,
        "longitude",
        rules::check_longitude(number(l, &at, "longitude")?),
    )?;
    for key in ["name", "address"] {
        if l.contains_key(key) {
            string(l, &at, key)?;
        }
    }
    Ok(())
}

/// `{"type":"product","product":{"product_retailer_id","catalog_id"}}`.
fn product(p: &Map<String, Value>, at: &str) -> Checked<()> {
    only(p, at, &["type", "product"])?;
    let at = format!("{at}.product");
    let product = object(required(p, &at, "product")?, &at)?;
    only(product, &at, &["product_retailer_id", "catalog_id"])?;
    for key in ["product_retailer_id", "catalog_id"] {
        rule(&at, key, rules::check_non_empty(string(product, &at, key)?))?;
    }
    Ok(())
}

fn number(m: &Map<String, Value>, at: &str, key: &str) -> Checked<f64> {
    match required(m, at, key)? {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| format!("{at}.{key} is {n}, not a number")),
        other => refuse(
            at,
            key,
            format!(
                "must be a JSON number, found {}",
                super::check::kind_of(other)
            ),
        ),
    }
}

// ------------------------------------------------------------------------ body

/// `{"type":"body","parameters":[P, …]}`: text, currency or date-time parameters.
fn body<'a>(c: &'a Map<String, Value>, at: &str) -> Checked<Vec<Parameter<'a>>> {
    only(c, at, &["type", "parameters"])?;
    array(c, at, "parameters")?
        .iter()
        .enumerate()
        .map(|(j, p)| body_parameter(p, &format!("{at}.parameters[{j}]")))
        .collect()
}

fn body_parameter<'a>(p: &'a Value, at: &str) -> Checked<Parameter<'a>> {
    let param = object(p, at)?;
    let name = match param.get("parameter_name") {
        Some(_) => Some(string(param, at, "parameter_name")?),
        None => None,
    };
    let text = match string(param, at, "type")? {
        "text" => Some(text_parameter(param, at, rules::check_body_parameter)?),
        "currency" => {
            currency(param, at)?;
            None
        }
        "date_time" => {
            date_time(param, at)?;
            None
        }
        other => {
            return unknown(
                at,
                "type",
                other,
                "body parameter type",
                &["text", "currency", "date_time"],
            );
        }
    };
    Ok(Parameter { name, text })
}

/// `{"type":"text"[,"parameter_name"],"text":…}` with `text` checked by `check`.
fn text_parameter<'a>(
    p: &'a Map<String, Value>,
    at: &str,
    check: fn(&str) -> Result<(), Violation>,
) -> Checked<&'a str> {
    only(p, at, &["type", "parameter_name", "text"])?;
    let text = string(p, at, "text")?;
    rule(at, "text", check(text))?;
    Ok(text)
}

/// `{"type":"currency"[,"parameter_name"],"currency":{"fallback_value","code","amount_1000"}}`.
fn currency(p: &Map<String, Value>, at: &str) -> Checked<()> {
    only(p, at, &["type", "parameter_name", "currency"])?;
    let at = format!("{at}.currency");
    let c = object(required(p, &at, "currency")?, &at)?;
    only(c, &at, &["fallback_value", "code", "amount_1000"])?;
    rule(
        &at,
        "fallback_value",
        rules::check_fallback_value(string(c, &at, "fallback_value")?),
    )?;
    rule(
        &at,
        "code",
        rules::currency_code(string(c, &at, "code")?).map(|_| ()),
    )?;
    // The amount times 1000, an integer (Meta); the library writes an i64.
    let amount = integer(c, &at, "amount_1000")?;
    if i64::try_from(amount).is_err() {
        return refuse(
            &at,
            "amount_1000",
            format!("is {amount}; it must fit a 64-bit signed integer"),
        );
    }
    Ok(())
}

/// `{"type":"date_time"[,"parameter_name"],"date_time":{"fallback_value"}}`.
fn date_time(p: &Map<String, Value>, at: &str) -> Checked<()> {
    only(p, at, &["type", "parameter_name", "date_time"])?;
    let at = format!("{at}.date_time");
    let d = object(required(p, &at, "date_time")?, &at)?;
    only(d, &at, &["fallback_value"])?;
    rule(
        &at,
        "fallback_value",
        rules::check_fallback_value(string(d, &at, "fallback_value")?),
    )
}

// ------------------------------------------------------------------------ limited-time offer

/// `{"type":"limited_time_offer","parameters":[{"type":"limited_time_offer",
/// "limited_time_offer":{"expiration_time_ms":…}}]}`.
fn limited_time_offer(c: &Map<String, Value>, at: &str) -> Checked<()> {
    only(c, at, &["type", "parameters"])?;
    let p = one_parameter(c, at, "a limited-time offer")?;
    let at = format!("{at}.parameters[0]");
    let p = object(p, &at)?;
    only(p, &at, &["type", "limited_time_offer"])?;
    constant(p, &at, "type", "limited_time_offer", true)?;
    let at = format!("{at}.limited_time_offer");
    let offer = object(required(p, &at, "limited_time_offer")?, &at)?;
    only(offer, &at, &["expiration_time_ms"])?;
    let ms = integer(offer, &at, "expiration_time_ms")?;
    rule(
        &at,
        "expiration_time_ms",
        rules::check_expiration_time_ms(ms).map(|_| ()),
    )
}

// ------------------------------------------------------------------------ buttons

/// `{"type":"button","sub_type":…,"index":N,"parameters":[P]}`.
fn button<'a>(c: &'a Map<String, Value>, at: &str) -> Checked<Button<'a>> {
    only(c, at, &["type", "sub_type", "index", "parameters"])?;
    let sub_type = string(c, at, "sub_type")?;
    let Some(kind) = ButtonKind::from_sub_type(sub_type) else {
        let all = ButtonKind::ALL.map(ButtonKind::sub_type);
        return unknown(at, "sub_type", sub_type, "button sub_type", &all);
    };
    let index = super::check::button_index(c, at)?;
    let p = one_parameter(c, at, &format!("a {sub_type:?} button"))?;
    let at = format!("{at}.parameters[0]");
    let p = object(p, &at)?;
    let text = match kind {
        ButtonKind::QuickReply => Some(text_member(p, &at, "payload", rules::check_payload)?),
        ButtonKind::Url => Some(text_member(p, &at, "text", rules::check_url_suffix)?),
        ButtonKind::CopyCode => Some(text_member(
            p,
            &at,
            "coupon_code",
            rules::check_coupon_code,
        )?),
        ButtonKind::Flow => {
            let action = action(p, &at)?;
            flow_action(action, &format!("{at}.action"))?;
            None
        }
        ButtonKind::Catalog => {
            let action = action(p, &at)?;
            let at = format!("{at}.action");
            only(action, &at, &["thumbnail_product_retailer_id"])?;
            let thumbnail = string(action, &at, "thumbnail_product_retailer_id")?;
            rule(
                &at,
                "thumbnail_product_retailer_id",
                rules::check_non_empty(thumbnail),
            )?;
            Some(thumbnail)
        }
        ButtonKind::Mpm => {
            let action = action(p, &at)?;
            mpm_action(action, &format!("{at}.action"))?;
            None
        }
    };
    Ok(Button { kind, index, text })
}

/// `{"type":key,key:"…"}`, the text checked by `check`.
fn text_member<'a>(
    p: &'a Map<String, Value>,
    at: &str,
    key: &str,
    check: fn(&str) -> Result<(), Violation>,
) -> Checked<&'a str> {
    only(p, at, &["type", key])?;
    constant(p, at, "type", key, true)?;
    let text = string(p, at, key)?;
    rule(at, key, check(text))?;
    Ok(text)
}

/// `{"type":"action","action":{…}}`: the action object.
fn action<'a>(p: &'a Map<String, Value>, at: &str) -> Checked<&'a Map<String, Value>> {
    only(p, at, &["type", "action"])?;
    constant(p, at, "type", "action", true)?;
    let at = format!("{at}.action");
    object(required(p, &at, "action")?, &at)
}

/// A flow button's action: `{"flow_token"?, "flow_action_data"?}`.
pub(super) fn flow_action(action: &Map<String, Value>, at: &str) -> Checked<()> {
    only(action, at, &["flow_token", "flow_action_data"])?;
    if action.contains_key("flow_token") {
        rule(
            at,
            "flow_token",
            rules::check_non_empty(string(action, at, "flow_token")?),
        )?;
    }
    if let Some(data) = action.get("flow_action_data") {
        // An object; `{}` is allowed, as the flow template document's sample shows.
        rule(at, "flow_action_data", json_object(data, false))?;
    }
    Ok(())
}

/// A multi-product button's action: `{"thumbnail_product_retailer_id", "sections":[{"title",
/// "product_items":[{"product_retailer_id"}, …]}, …]}`.
fn mpm_action(action: &Map<String, Value>, at: &str) -> Checked<()> {
    only(action, at, &["thumbnail_product_retailer_id", "sections"])?;
    rule(
        at,
        "thumbnail_product_retailer_id",
        rules::check_non_empty(string(action, at, "thumbnail_product_retailer_id")?),
    )?;
    let mut shape: Vec<(&str, usize)> = Vec::new();
    for (i, section) in array(action, at, "sections")?.iter().enumerate() {
        let at = format!("{at}.sections[{i}]");
        let s = object(section, &at)?;
        only(s, &at, &["title", "product_items"])?;
        let title = string(s, &at, "title")?;
        let items = array(s, &at, "product_items")?;
        for (j, item) in items.iter().enumerate() {
            let at = format!("{at}.product_items[{j}]");
            let item = object(item, &at)?;
            only(item, &at, &["product_retailer_id"])?;
            rule(
                &at,
                "product_retailer_id",
                rules::check_non_empty(string(item, &at, "product_retailer_id")?),
            )?;
        }
        shape.push((title, items.len()));
    }
    rules::check_mpm_sections(&shape).map_err(|v| format!("{at}.sections {v}"))
}

// ------------------------------------------------------------------------ carousel

/// `{"type":"carousel","cards":[card, …]}`: 1-10 cards, each `card_index` its position.
fn carousel(c: &Map<String, Value>, at: &str) -> Checked<usize> {
    only(c, at, &["type", "cards"])?;
    let cards = array(c, at, "cards")?;
    rule(at, "cards", rules::check_card_count(cards.len()))?;
    for (i, card) in cards.iter().enumerate() {
        self::card(card, &format!("{at}.cards[{i}]"), i)?;
    }
    Ok(cards.len())
}

/// `{"card_index":n,"components":[header, body?, buttons…]}`.
fn card(v: &Value, at: &str, position: usize) -> Checked<()> {
    let card = object(v, at)?;
    only(card, at, &["card_index", "components"])?;
    let index = integer(card, at, "card_index")?;
    // **choice** (RULES.md): Meta's `card_index` is the card's zero-based position in `cards`.
    if usize::try_from(index).ok() != Some(position) {
        return refuse(
            at,
            "card_index",
            format!("is {index}; it must be the card's position in `cards`, {position}"),
        );
    }
    let list_at = format!("{at}.components");
    let list = array(card, at, "components")?;
    let mut header_seen = false;
    let mut media = None;
    let mut body_seen = false;
    let mut buttons = Vec::new();
    let mut names: Vec<(Option<&str>, String)> = Vec::new();
    for (i, component) in list.iter().enumerate() {
        let at = format!("{list_at}[{i}]");
        let c = object(component, &at)?;
        match string(c, &at, "type")? {
            "header" => {
                once(header_seen, &at, "header")?;
                header_seen = true;
                let Header::Media(kind) = header(c, &at)? else {
                    return refuse(
                        &at,
                        "parameters[0]",
                        "is not an image or a video: a carousel card's header is media",
                    );
                };
                rule(&at, "parameters[0]", rules::check_card_header(kind))?;
                media = Some(kind);
            }
            "body" => {
                once(body_seen, &at, "body")?;
                body_seen = true;
                for (k, p) in body(c, &at)?.iter().enumerate() {
                    names.push((p.name, format!("{at}.parameters[{k}]")));
                }
            }
            "button" => {
                let button = button(c, &at)?;
                rule(&at, "sub_type", rules::check_card_button(button.kind))?;
                buttons.push(button);
            }
            other => {
                return unknown(
                    &at,
                    "type",
                    other,
                    "carousel card component type",
                    &CARD_COMPONENT_TYPES,
                );
            }
        }
    }
    rules::check_card_has_header(media.is_some()).map_err(|v| format!("{list_at} {v}"))?;
    if let Some(kind) = media {
        rules::check_card_header(kind).map_err(|v| format!("{list_at} {v}"))?;
    }
    check_names(&names)?;
    check_buttons(&buttons, list, &list_at, "button")
}
