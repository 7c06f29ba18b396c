//! The derives' fast path (static bytes + escaped values, no `serde_json::Value`) must write
//! exactly what serde_json would: for any values, including strings that need escaping (quotes,
//! backslashes, control characters, non-ASCII), `message.as_bytes()` equals
//! `serde_json::to_vec(&message.to_json())`, every value reads back unchanged, and writing into a
//! reused buffer gives the same bytes.

use std::borrow::Cow;

use kaleyra::{ExtraInfo, Flow, Message, Template, WaSource};
use proptest::prelude::*;
use serde_json::{Value, json};

// Shapes chosen to exercise the encoder (a button index of 7, a body parameter, another
// language), not the approved templates of kaleyra-templates.json: not checked against them.
#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US", button_index = 7, unchecked)]
struct LoginCode<'a> {
    #[template(otp)]
    code: &'a str,
}

#[derive(Template)]
#[template(name = "flow_template20", kind = flow, lang = "en_US", button_index = 2, unchecked)]
struct Survey<'a> {
    #[template(body)]
    name: Cow<'a, str>,
    #[template(flow_token)]
    token: &'a str,
    #[template(flow_action_data)]
    data: Value,
}

#[derive(Template)]
#[template(name = "abandoned_cart_offer", kind = product, lang = "pt_BR", unchecked)]
struct CartOffer<'a> {
    #[template(product_retailer_id)]
    product: &'a str,
    #[template(catalog_id)]
    catalog: String,
    #[template(body)]
    code: &'a str,
    #[template(body)]
    discount: String,
}

#[derive(Flow)]
#[flow(name = "booking \"quoted\" \\ flow", cta = "Réserver", screen = "WELCOME", mode = draft)]
struct Booking<'a> {
    #[flow(header)]
    header: &'a str,
    #[flow(body)]
    body: String,
    #[flow(footer)]
    footer: &'a str,
    #[flow(token)]
    token: &'a str,
    note: &'a str,
    #[flow(rename = "party size")]
    guests: i64,
    tags: Vec<&'a str>,
}

/// Text that JSON must escape, and text that it must not touch.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(
            prop_oneof![
                Just('"'),
                Just('\\'),
                Just('/'),
                (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap_or('x')),
                Just('\u{7f}'),
                Just('\u{2028}'),
                Just('é'),
                Just('😀'),
                any::<char>(),
            ],
            0..40
        )
        .prop_map(|cs| cs.into_iter().collect()),
    ]
}

fn extra<'a>(r: &'a str) -> ExtraInfo<'a> {
    ExtraInfo::new()
        .reference(r)
        .ref1("m\"k")
        .ref2(r)
        .source(WaSource::Zoho)
}

/// Checks the bytes against serde_json and the buffer path; returns the message's JSON.
fn consistent(message: &Message, reused: &[u8]) -> Value {
    let json = message.to_json();
    assert_eq!(
        message.as_bytes(),
        serde_json::to_vec(&json).unwrap().as_slice(),
        "fast path differs from serde_json:\n{}",
        message.as_str()
    );
    assert_eq!(
        message.as_bytes(),
        reused,
        "write_message differs from to()"
    );
    json
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn authentication(code in text(), r in text()) {
        let t = LoginCode { code: &code };
        let mut buf = b"previous".to_vec();
        match t.to("+91 98765 43210") {
            Ok(m) => {
                let m = m.extra_info(extra(&r));
                t.write_message("+91 98765 43210", Some(&extra(&r)), &mut buf).unwrap();
                let j = consistent(&m, &buf[8..]);
                let c = &j["messaging_object"]["template"]["components"];
                prop_assert_eq!(&c[0]["parameters"][0]["text"], &json!(code));
                prop_assert_eq!(&c[1]["parameters"][0]["text"], &json!(code));
                prop_assert_eq!(&c[1]["index"], &json!(7));
                prop_assert_eq!(&j["extra_info"]["ref"], &json!(kaleyra::rules::truncate_chars(&r, 255)));
            }
            Err(e) => {
                // Only the OTP can be wrong here, and then nothing is written.
                prop_assert!(matches!(e, kaleyra::Error::Validation(_)));
                prop_assert!(kaleyra::rules::check_otp(&code).is_err());
                prop_assert!(t.write_message("+919876543210", None, &mut buf).is_err());
                prop_assert_eq!(&buf[..], b"previous");
            }
        }
    }

    #[test]
    fn flow_template(name in text(), token in text(), key in text(), value in text()) {
        let t = Survey { name: Cow::Owned(name.clone()), token: &token, data: json!({ key.clone(): value }) };
        let mut buf = Vec::new();
        if let Ok(m) = t.to("+919876543210") {
            t.write_message("+919876543210", None, &mut buf).unwrap();
            let j = consistent(&m, &buf);
            let c = &j["messaging_object"]["template"]["components"];
            prop_assert_eq!(&c[0]["parameters"][0]["text"], &json!(name));
            prop_assert_eq!(&c[1]["parameters"][0]["action"]["flow_token"], &json!(token));
            prop_assert_eq!(&c[1]["parameters"][0]["action"]["flow_action_data"][&key], &json!(value));
        } else {
            // A body parameter is 1-1024 characters with no newline, tab or five spaces in a
            // row (Meta); the token is not empty.
            let bad_name = name.is_empty()
                || name.chars().count() > 1024
                || name.contains(['\n', '\r', '\t'])
                || name.contains("     ");
            prop_assert!(bad_name || token.is_empty());
        }
    }

    #[test]
    fn product_template(product in text(), catalog in text(), code in text(), discount in text()) {
        let t = CartOffer { product: &product, catalog: catalog.clone(), code: &code, discount: discount.clone() };
        let mut buf = Vec::new();
        if let Ok(m) = t.to("+16505551234") {
            t.write_message("+16505551234", None, &mut buf).unwrap();
            let j = consistent(&m, &buf);
            let c = &j["template"]["components"];
            prop_assert_eq!(&c[0]["parameters"][0]["product"]["product_retailer_id"], &json!(product));
            prop_assert_eq!(&c[0]["parameters"][0]["product"]["catalog_id"], &json!(catalog));
            prop_assert_eq!(&c[1]["parameters"][0]["text"], &json!(code));
            prop_assert_eq!(&c[1]["parameters"][1]["text"], &json!(discount));
        }
    }

    #[test]
    fn flow_message(header in text(), body in text(), footer in text(), token in text(),
                    note in text(), guests in any::<i64>(), tags in proptest::collection::vec(text(), 0..4)) {
        let t = Booking {
            header: &header, body: body.clone(), footer: &footer, token: &token, note: &note, guests,
            tags: tags.iter().map(String::as_str).collect(),
        };
        let mut buf = Vec::new();
        if let Ok(m) = t.to("+919876543210") {
            t.write_message("+919876543210", None, &mut buf).unwrap();
            let j = consistent(&m, &buf);
            let i = &j["messaging_object"]["interactive"];
            prop_assert_eq!(&i["header"]["text"], &json!(header));
            prop_assert_eq!(&i["body"]["text"], &json!(body));
            prop_assert_eq!(&i["footer"]["text"], &json!(footer));
            let p = &i["action"]["parameters"];
            prop_assert_eq!(&p["flow_name"], &json!("booking \"quoted\" \\ flow"));
            prop_assert_eq!(&p["flow_cta"], &json!("Réserver"));
            prop_assert_eq!(&p["flow_token"], &json!(token));
            prop_assert_eq!(&p["flow_action_payload"]["data"], &json!({"note": note, "party size": guests, "tags": tags}));
        }
    }
}
