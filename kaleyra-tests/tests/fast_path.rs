//! The derives' fast path (static bytes + escaped values, no `serde_json::Value`) must write
//! exactly what serde_json would: for any values, including strings that need escaping (quotes,
//! backslashes, control characters, non-ASCII), `message.as_bytes()` equals
//! `serde_json::to_vec(&message.to_json())`, every value reads back unchanged, and writing into a
//! reused buffer gives the same bytes. For general templates (`#[derive(Template)]` without
//! `kind`, and `#[derive(Card)]`), the derive's bytes also equal `model::StandardTemplate`'s for
//! the same values.

use std::borrow::Cow;

use kaleyra::model;
use kaleyra::{
    Card, Currency, DateTime, ExtraInfo, Flow, FlowButton, Location, Media, Message, Mpm, Template,
    WaSource,
};
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
#[flow(unchecked, name = "booking \"quoted\" \\ flow", cta = "Réserver", screen = "WELCOME", mode = draft)]
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

#[derive(Template)]
#[template(unchecked, name = "order_shipped", lang = "en_US")]
struct General<'a> {
    #[template(header)]
    invoice: Media,
    #[template(body)]
    customer: &'a str,
    #[template(body)]
    total: Currency,
    #[template(body)]
    when: DateTime,
    #[template(limited_time_offer)]
    expires: u64,
}

#[derive(Template)]
#[template(unchecked, name = "all_buttons", lang = "en_US")]
struct Buttons<'a> {
    #[template(button(mpm, index = 5))]
    products: Mpm,
    #[template(button(url, index = 0))]
    suffix: &'a str,
    #[template(button(quick_reply, index = 1))]
    payload: String,
    #[template(button(copy_code, index = 2))]
    coupon: &'a str,
    #[template(button(catalog, index = 3))]
    thumbnail: &'a str,
    #[template(button(flow, index = 4))]
    flow: FlowButton,
}

#[derive(Template)]
#[template(unchecked, name = "store_named", lang = "pt_BR")]
struct Named<'a> {
    #[template(header = "store")]
    store: &'a str,
    #[template(body = "name")]
    name: String,
}

#[derive(Template)]
#[template(unchecked, name = "store_location", lang = "en_US")]
struct Place {
    #[template(header)]
    place: Location,
}

#[derive(Card)]
struct Offer<'a> {
    #[card(header)]
    image: &'a Media,
    #[card(body)]
    price: &'a str,
    #[card(button(quick_reply, index = 0))]
    payload: &'a str,
}

#[derive(Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct Summer<'a> {
    #[template(body)]
    name: &'a str,
    #[template(carousel)]
    cards: Vec<Offer<'a>>,
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

/// Text without control characters (and without `except`), not empty: what a value type's
/// constructor accepts, so that a property about the derive is not mostly rejected cases.
fn printable(except: &'static [char]) -> impl Strategy<Value = String> {
    text()
        .prop_map(move |s| {
            s.chars()
                .filter(|c| !c.is_control() && !except.contains(c))
                .collect::<String>()
        })
        .prop_filter("not empty", |s| !s.trim().is_empty())
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

    #[test]
    fn general_template(customer in text(), filename in printable(&['/', '\\']), fallback in printable(&[]),
                        amount in any::<i64>(), code in 0..kaleyra::rules::CURRENCY_CODES.len(),
                        when in printable(&[]), expires in any::<u64>()) {
        let code = kaleyra::rules::CURRENCY_CODES[code];
        let values = Media::document_link("https://example.com/i/42.pdf")
            .and_then(|m| m.filename(filename.clone()))
            .and_then(|m| Ok((m, Currency::new(code, amount, fallback.clone())?, DateTime::new(when.clone())?)));
        // Values that break their own rules cannot be built: nothing to send.
        prop_assume!(values.is_ok());
        let (invoice, total, date) = values.unwrap();
        let t = General { invoice: invoice.clone(), customer: &customer, total: total.clone(), when: date.clone(), expires };
        let built = model::StandardTemplate::new("order_shipped", "en_US")
            .header(invoice)
            .body(customer.as_str())
            .body(total)
            .body(date)
            .limited_time_offer(expires)
            .to("+919876543210");
        let mut buf = b"previous".to_vec();
        match t.to("+919876543210") {
            Ok(m) => {
                prop_assert_eq!(Ok(m.as_str()), built.as_ref().map(Message::as_str).map_err(|_| ()));
                t.write_message("+919876543210", None, &mut buf).unwrap();
                let j = consistent(&m, &buf[8..]);
                let c = &j["messaging_object"]["template"]["components"];
                prop_assert_eq!(&c[0]["parameters"][0]["document"]["filename"], &json!(filename));
                prop_assert_eq!(&c[1]["parameters"][0]["text"], &json!(customer));
                prop_assert_eq!(&c[1]["parameters"][1]["currency"], &json!({"fallback_value": fallback, "code": code, "amount_1000": amount}));
                prop_assert_eq!(&c[1]["parameters"][2]["date_time"]["fallback_value"], &json!(when));
                prop_assert_eq!(&c[2]["parameters"][0]["limited_time_offer"]["expiration_time_ms"], &json!(expires));
            }
            Err(e) => {
                // Only the text parameter or the expiry can be wrong, and then nothing is written.
                prop_assert!(matches!(e, kaleyra::Error::Validation(_)));
                prop_assert!(built.is_err());
                prop_assert!(kaleyra::rules::check_body_parameter(&customer).is_err()
                    || kaleyra::rules::check_expiration_time_ms(i128::from(expires)).is_err());
                prop_assert!(t.write_message("+919876543210", None, &mut buf).is_err());
                prop_assert_eq!(&buf[..], b"previous");
            }
        }
    }

    #[test]
    fn general_buttons(suffix in text(), payload in text(), coupon in text(), thumbnail in text(),
                       token in text(), key in text(), value in text(), title in text(),
                       products in proptest::collection::vec(text(), 1..4)) {
        let values = FlowButton::new().token(token.clone())
            .and_then(|f| f.action_data(&json!({ key.clone(): value })))
            .and_then(|f| Ok((f, Mpm::new(thumbnail.clone())?.section(title.clone(), products.clone())?)));
        prop_assume!(values.is_ok());
        let (flow, mpm) = values.unwrap();
        let t = Buttons { products: mpm.clone(), suffix: &suffix, payload: payload.clone(), coupon: &coupon,
                          thumbnail: &thumbnail, flow: flow.clone() };
        let built = model::StandardTemplate::new("all_buttons", "en_US")
            .mpm_button(5, mpm)
            .url_button(0, suffix.as_str())
            .quick_reply_button(1, payload.as_str())
            .copy_code_button(2, coupon.as_str())
            .catalog_button(3, thumbnail.as_str())
            .flow_button(4, flow)
            .to("+919876543210");
        let mut buf = Vec::new();
        match t.to("+919876543210") {
            Ok(m) => {
                prop_assert_eq!(Ok(m.as_str()), built.as_ref().map(Message::as_str).map_err(|_| ()));
                t.write_message("+919876543210", None, &mut buf).unwrap();
                let j = consistent(&m, &buf);
                let c = &j["messaging_object"]["template"]["components"];
                for (i, sub_type) in ["url", "quick_reply", "copy_code", "catalog", "flow", "mpm"].iter().enumerate() {
                    prop_assert_eq!(&c[i]["sub_type"], &json!(sub_type));
                    prop_assert_eq!(&c[i]["index"], &json!(i));
                }
                prop_assert_eq!(&c[0]["parameters"][0]["text"], &json!(suffix));
                prop_assert_eq!(&c[1]["parameters"][0]["payload"], &json!(payload));
                prop_assert_eq!(&c[2]["parameters"][0]["coupon_code"], &json!(coupon));
                prop_assert_eq!(&c[3]["parameters"][0]["action"]["thumbnail_product_retailer_id"], &json!(thumbnail));
                prop_assert_eq!(&c[4]["parameters"][0]["action"], &json!({"flow_token": token, "flow_action_data": {key: value}}));
                let items: Vec<Value> = products.iter().map(|p| json!({"product_retailer_id": p})).collect();
                prop_assert_eq!(&c[5]["parameters"][0]["action"], &json!({"thumbnail_product_retailer_id": thumbnail,
                    "sections": [{"title": title, "product_items": items}]}));
            }
            Err(_) => {
                prop_assert!(built.is_err());
                prop_assert!(kaleyra::rules::check_url_suffix(&suffix).is_err()
                    || kaleyra::rules::check_payload(&payload).is_err()
                    || kaleyra::rules::check_coupon_code(&coupon).is_err());
            }
        }
    }

    #[test]
    fn named_header_location_and_carousel(store in text(), name in text(), latitude in -90.0f64..=90.0,
                                          longitude in -180.0f64..=180.0, place in text(),
                                          prices in proptest::collection::vec((text(), text()), 1..12)) {
        let t = Named { store: &store, name: name.clone() };
        let built = model::StandardTemplate::new("store_named", "pt_BR")
            .named_header("store", store.as_str())
            .named_body("name", name.as_str())
            .to("+919876543210");
        let mut buf = Vec::new();
        match t.to("+919876543210") {
            Ok(m) => {
                prop_assert_eq!(Ok(m.as_str()), built.as_ref().map(Message::as_str).map_err(|_| ()));
                t.write_message("+919876543210", None, &mut buf).unwrap();
                let j = consistent(&m, &buf);
                let c = &j["messaging_object"]["template"]["components"];
                prop_assert_eq!(&c[0]["parameters"][0], &json!({"type": "text", "parameter_name": "store", "text": store}));
                prop_assert_eq!(&c[1]["parameters"][0], &json!({"type": "text", "parameter_name": "name", "text": name}));
            }
            Err(_) => prop_assert!(built.is_err()),
        }

        let location = Location::new(latitude, longitude).unwrap().name(place.clone());
        let m = Place { place: location.clone() }.to("+919876543210").unwrap();
        let built = model::StandardTemplate::new("store_location", "en_US").header(location).to("+919876543210").unwrap();
        prop_assert_eq!(m.as_str(), built.as_str());
        let j = consistent(&m, built.as_bytes());
        let l = &j["messaging_object"]["template"]["components"][0]["parameters"][0]["location"];
        // Coordinates read back exactly (serde_json's shortest round-trip form).
        prop_assert_eq!(l["latitude"].as_f64(), Some(latitude));
        prop_assert_eq!(l["longitude"].as_f64(), Some(longitude));
        if !place.is_empty() {
            prop_assert_eq!(&l["name"], &json!(place));
        }

        let image = Media::image_link("https://example.com/a.jpg").unwrap();
        let cards: Vec<Offer<'_>> = prices.iter().map(|(price, payload)| Offer { image: &image, price, payload }).collect();
        let t = Summer { name: "Ada", cards };
        let mut buf = Vec::new();
        match t.to("+919876543210") {
            Ok(m) => {
                t.write_message("+919876543210", None, &mut buf).unwrap();
                let j = consistent(&m, &buf);
                let cards = &j["messaging_object"]["template"]["components"][1]["cards"];
                prop_assert_eq!(cards.as_array().map(Vec::len), Some(prices.len()));
                for (i, (price, payload)) in prices.iter().enumerate() {
                    let card = &cards[i];
                    prop_assert_eq!(&card["card_index"], &json!(i));
                    prop_assert_eq!(&card["components"][1]["parameters"][0]["text"], &json!(price));
                    prop_assert_eq!(&card["components"][2]["parameters"][0]["payload"], &json!(payload));
                }
            }
            Err(_) => {
                let bad_card = prices.iter().any(|(price, payload)| {
                    kaleyra::rules::check_body_parameter(price).is_err() || payload.is_empty()
                });
                prop_assert!(prices.len() > kaleyra::rules::CARDS_MAX || bad_card);
            }
        }
    }
}
