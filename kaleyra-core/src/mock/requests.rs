//! The simulator's checks of location requests, address requests and contacts messages on the
//! sender route (issue 15): the shapes of facts §1.8-§1.10 (Meta's where Kaleyra is silent),
//! the values checked with the library's own rules, each refusal naming the member at fault.
//! The envelope (`messaging_product`, `recipient_type`, `context`, `to`) is
//! [`super::session::message`]'s.

use serde_json::{Map, Value, json};

use super::Incoming;
use super::check::{
    Checked, array, constant, kind_of, object, only, refuse, required, rule, string,
};
use crate::rules;
use crate::session::AddressField;

impl Incoming {
    /// A location the customer shares, as the answer to a
    /// [`LocationRequest`](crate::session::LocationRequest) arrives (`type: location` with only
    /// `latitude` and `longitude`, facts §1.8).
    ///
    /// ```
    /// use kaleyra::mock::Incoming;
    ///
    /// let here = Incoming::location("+919876543210", 12.9467329, 77.646835);
    /// # let _ = here;
    /// ```
    pub fn location(from: &str, latitude: f64, longitude: f64) -> Incoming {
        Incoming::new(
            from,
            "location",
            json!({ "latitude": latitude, "longitude": longitude }),
        )
    }

    /// The customer's answer to an [`AddressRequest`](crate::session::AddressRequest):
    /// `interactive.nfm_reply` named `address_message`, its `response_json` the JSON string
    /// `{"values":{…}}` of the fields given (v2-more-facts.md §3.4), its `body` the values one
    /// a line (**choice**: Kaleyra's sample shows the name and the phone number so).
    ///
    /// ```
    /// use kaleyra::mock::Incoming;
    /// use kaleyra::session::AddressField;
    ///
    /// let address = Incoming::address(
    ///     "+919876543210",
    ///     &[(AddressField::Name, "Asha Rao"), (AddressField::InPinCode, "560034")],
    /// );
    /// # let _ = address;
    /// ```
    pub fn address(from: &str, values: &[(AddressField, &str)]) -> Incoming {
        let fields: Map<String, Value> = values
            .iter()
            .map(|(field, value)| (field.as_str().to_owned(), json!(value)))
            .collect();
        let body = values
            .iter()
            .map(|(_, value)| *value)
            .collect::<Vec<_>>()
            .join("\n");
        Incoming::new(
            from,
            "interactive",
            json!({
                "type": "nfm_reply",
                "nfm_reply": {
                    "response_json": json!({ "values": fields }).to_string(),
                    "body": body,
                    "name": "address_message"
                }
            }),
        )
    }
}

/// The `interactive.type`s checked here.
const INTERACTIVE_TYPES: &[&str] = &["location_request_message", "address_message"];

/// Whether a message of `type: interactive` is one of the requests checked here (by its
/// `interactive.type`); the others (flows, buttons, lists) are checked elsewhere.
pub(super) fn claims(m: &Map<String, Value>) -> bool {
    m.get("interactive")
        .and_then(|i| i.get("type"))
        .and_then(Value::as_str)
        .is_some_and(|t| INTERACTIVE_TYPES.contains(&t))
}

/// `interactive` of a location request (§1.8) or an address request (§1.9): `{"type", "body":
/// {"text"}, "action": {…}}`, no header or footer.
pub(super) fn interactive(i: &Map<String, Value>, at: &str) -> Checked<()> {
    only(i, at, &["type", "body", "action"])?;
    let kind = string(i, at, "type")?;
    let body_at = format!("{at}.body");
    let body = object(required(i, at, "body")?, &body_at)?;
    only(body, &body_at, &["text"])?;
    rule(
        &body_at,
        "text",
        rules::check_request_body(string(body, &body_at, "text")?),
    )?;
    let action_at = format!("{at}.action");
    let action = object(required(i, at, "action")?, &action_at)?;
    if kind == "location_request_message" {
        only(action, &action_at, &["name"])?;
        return constant(action, &action_at, "name", "send_location", true);
    }
    only(action, &action_at, &["name", "parameters"])?;
    constant(action, &action_at, "name", "address_message", true)?;
    let p_at = format!("{action_at}.parameters");
    let p = object(required(action, &action_at, "parameters")?, &p_at)?;
    only(
        p,
        &p_at,
        &["country", "values", "saved_addresses", "validation_errors"],
    )?;
    rule(
        &p_at,
        "country",
        rules::check_address_country(string(p, &p_at, "country")?),
    )?;
    for key in ["values", "validation_errors"] {
        if let Some(fields) = p.get(key) {
            address_fields(fields, &format!("{p_at}.{key}"))?;
        }
    }
    if p.contains_key("saved_addresses") {
        let mut ids: Vec<&str> = Vec::new();
        for (n, saved) in array(p, &p_at, "saved_addresses")?.iter().enumerate() {
            let s_at = format!("{p_at}.saved_addresses[{n}]");
            let saved = object(saved, &s_at)?;
            only(saved, &s_at, &["id", "value"])?;
            let id = string(saved, &s_at, "id")?;
            rule(&s_at, "id", rules::check_address_text(id))?;
            if ids.contains(&id) {
                return refuse(&s_at, "id", format!("{id:?} is given twice"));
            }
            ids.push(id);
            let v_at = format!("{s_at}.value");
            address_fields(required(saved, &s_at, "value")?, &v_at)?;
            if object(required(saved, &s_at, "value")?, &v_at)?.is_empty() {
                return refuse(&s_at, "value", "must have at least one field");
            }
        }
    }
    Ok(())
}

/// An object of address-form fields: each key one of Meta's Indian fields, each value a
/// non-empty string.
fn address_fields(v: &Value, at: &str) -> Checked<()> {
    for (key, value) in object(v, at)? {
        rules::address_field(key).map_err(|v| format!("{at}.{key} {v}"))?;
        match value {
            Value::String(s) => rule(at, key, rules::check_address_text(s))?,
            other => {
                return refuse(
                    at,
                    key,
                    format!("must be a string, found {}", kind_of(other)),
                );
            }
        }
    }
    Ok(())
}

/// `contacts` (§1.10): an array of 1-257 of Meta's contact objects.
pub(super) fn contacts(v: &Value, at: &str) -> Checked<()> {
    let Value::Array(cards) = v else {
        return Err(format!("{at} must be an array, found {}", kind_of(v)));
    };
    rules::check_contact_count(cards.len()).map_err(|v| format!("{at} {v}"))?;
    for (n, card) in cards.iter().enumerate() {
        contact(card, &format!("{at}[{n}]"))?;
    }
    Ok(())
}

/// One contact object: `name` required (`formatted_name` and at least one part), the other
/// members optional.
fn contact(v: &Value, at: &str) -> Checked<()> {
    let c = object(v, at)?;
    only(
        c,
        at,
        &[
            "addresses",
            "birthday",
            "emails",
            "name",
            "org",
            "phones",
            "urls",
        ],
    )?;
    let n_at = format!("{at}.name");
    let name = object(required(c, at, "name")?, &n_at)?;
    const PARTS: [&str; 5] = ["first_name", "last_name", "middle_name", "suffix", "prefix"];
    let mut allowed = vec!["formatted_name"];
    allowed.extend(PARTS);
    only(name, &n_at, &allowed)?;
    let formatted = string(name, &n_at, "formatted_name")?;
    let parts = texts(name, &n_at, &PARTS)?;
    rule(
        &n_at,
        "formatted_name",
        rules::check_contact_name(formatted, parts),
    )?;
    if let Some(org) = c.get("org") {
        let o_at = format!("{at}.org");
        let org = object(org, &o_at)?;
        const ORG: [&str; 3] = ["company", "department", "title"];
        only(org, &o_at, &ORG)?;
        texts(org, &o_at, &ORG)?;
    }
    if c.contains_key("birthday") {
        rule(
            at,
            "birthday",
            rules::check_birthday(string(c, at, "birthday")?),
        )?;
    }
    each(c, at, "addresses", |a, a_at| {
        const MEMBERS: [&str; 6] = ["street", "city", "state", "zip", "country", "country_code"];
        let mut allowed = MEMBERS.to_vec();
        allowed.push("type");
        only(a, a_at, &allowed)?;
        if texts(a, a_at, &MEMBERS[..5])? == 0 && !a.contains_key("country_code") {
            return Err(format!(
                "{a_at} needs at least one of street, city, state, zip, country, country_code"
            ));
        }
        if a.contains_key("country_code") {
            rule(
                a_at,
                "country_code",
                rules::check_country_code(string(a, a_at, "country_code")?),
            )?;
        }
        kind(a, a_at, false)
    })?;
    each(c, at, "emails", |e, e_at| {
        only(e, e_at, &["email", "type"])?;
        rule(e_at, "email", rules::check_email(string(e, e_at, "email")?))?;
        kind(e, e_at, false)
    })?;
    each(c, at, "phones", |p, p_at| {
        only(p, p_at, &["phone", "type", "wa_id"])?;
        rule(
            p_at,
            "phone",
            rules::check_contact_phone(string(p, p_at, "phone")?),
        )?;
        if p.contains_key("wa_id") {
            rule(
                p_at,
                "wa_id",
                rules::check_contact_wa_id(string(p, p_at, "wa_id")?),
            )?;
        }
        kind(p, p_at, true)
    })?;
    each(c, at, "urls", |u, u_at| {
        only(u, u_at, &["url", "type"])?;
        rule(
            u_at,
            "url",
            rules::check_contact_url(string(u, u_at, "url")?),
        )?;
        kind(u, u_at, false)
    })
}

/// Checks the optional text members `keys` of `m` (non-empty strings); how many are present.
fn texts(m: &Map<String, Value>, at: &str, keys: &[&str]) -> Checked<usize> {
    let mut present = 0;
    for key in keys {
        if m.contains_key(*key) {
            rule(at, key, rules::check_contact_text(string(m, at, key)?))?;
            present += 1;
        }
    }
    Ok(present)
}

/// Checks each object of the optional array `key`.
fn each(
    c: &Map<String, Value>,
    at: &str,
    key: &str,
    mut check: impl FnMut(&Map<String, Value>, &str) -> Checked<()>,
) -> Checked<()> {
    if !c.contains_key(key) {
        return Ok(());
    }
    for (n, item) in array(c, at, key)?.iter().enumerate() {
        let i_at = format!("{at}.{key}[{n}]");
        check(object(item, &i_at)?, &i_at)?;
    }
    Ok(())
}

/// An optional `type`: Meta's values for a phone, or for an address, email or URL.
fn kind(m: &Map<String, Value>, at: &str, phone: bool) -> Checked<()> {
    if m.contains_key("type") {
        rules::contact_type(string(m, at, "type")?, phone)
            .map(|_| ())
            .map_err(|v| format!("{at}.type {v}"))?;
    }
    Ok(())
}
