//! General templates through `#[derive(Template)]` (no `kind`) and `#[derive(Card)]`: for each
//! component type and sub-type, the derive writes
//! (a) the same bytes as the runtime builder `kaleyra::model::StandardTemplate` given the same
//!     values, and
//! (b) the body written out by hand below from the Meta/Kaleyra shapes in
//!     `kaleyra-docs/v2-more-facts.md` §2.1-2.6 (the envelope of §2.1; the header, body and
//!     button objects of §2.2; the carousel of §2.3; the copy-code button of §2.4; the
//!     limited-time offer of §2.5; the MPM button of §2.6), compared as a JSON value and byte for
//!     byte (`serde_json::to_vec` of the hand-written value: serde_json's `preserve_order` keeps
//!     its key order). None of the expected bodies was produced by running the code under test.
//!
//! Choices recorded in RULES.md and applied to the documents' shapes: a button `index` is a JSON
//! number (Kaleyra's samples; Meta's sample prints "0"); a named parameter carries
//! `parameter_name` after `type`; `components` is left out when the template takes no
//! parameter.
//!
//! Then the runtime errors: a value that breaks a rule gives `Error::Validation` naming the
//! field, and nothing is written.
//!
//! The structs that declare a shape the workspace's `kaleyra-templates.json` does not approve
//! are `#[template(unchecked)]`: this file tests the wire format, `tests/catalogue.rs` and
//! `kaleyra-tests/tests/ui/catalogue/` the check against the catalogue. The ones left checked match it.

use kaleyra::model::{self, CarouselCard};
use kaleyra::prelude::*;
use kaleyra::{MessageKind, ValidationError};
use serde_json::{Value, json};

const TO: &str = "+919876543210";

/// The §2.1 envelope around a template object.
fn envelope(template: Value) -> Value {
    json!({
        "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": TO,
            "type": "template",
            "template": template
        }
    })
}

/// A template object with components.
fn template(name: &str, components: Value) -> Value {
    envelope(json!({"name": name, "language": {"code": "en_US"}, "components": components}))
}

/// The derived message equals the builder's, and both equal the expected body.
fn assert_golden(derived: &Message, built: &Message, expected: &Value) {
    assert_eq!(derived.kind(), MessageKind::StandardTemplate);
    assert_eq!(
        derived.as_str(),
        built.as_str(),
        "derive and model::StandardTemplate differ"
    );
    assert_expected(derived, expected);
}

fn assert_expected(message: &Message, expected: &Value) {
    assert_eq!(
        message.to_json(),
        *expected,
        "\n  got: {}\n want: {expected}",
        message.as_str()
    );
    assert_eq!(
        message.as_str(),
        String::from_utf8(serde_json::to_vec(expected).unwrap()).unwrap(),
        "key order or bytes differ"
    );
}

fn image() -> Media {
    Media::image_link("https://example.com/parcel.jpg").unwrap()
}

fn usd() -> Currency {
    Currency::new("USD", 100_990, "$100.99").unwrap()
}

fn date() -> DateTime {
    DateTime::new("February 25, 1977").unwrap()
}

// ------------------------------------------------------------------------------ headers, body

#[derive(Template)]
#[template(unchecked, name = "order_update", lang = "en_US")]
struct TextHeader<'a> {
    #[template(header)]
    title: &'a str,
    #[template(body)]
    customer: String,
}

#[test]
fn text_header_and_text_body() {
    let derived = TextHeader {
        title: "Order 42",
        customer: "John".into(),
    }
    .to(TO)
    .unwrap();
    let built = model::StandardTemplate::new("order_update", "en_US")
        .header("Order 42")
        .body("John")
        .to(TO)
        .unwrap();
    let expected = template(
        "order_update",
        json!([
            {"type": "header", "parameters": [{"type": "text", "text": "Order 42"}]},
            {"type": "body", "parameters": [{"type": "text", "text": "John"}]}
        ]),
    );
    assert_golden(&derived, &built, &expected);
}

#[derive(Template)]
#[template(unchecked, name = "order_media", lang = "en_US")]
struct MediaHeader {
    #[template(header)]
    media: Media,
}

#[test]
fn media_headers_by_link_and_by_id_and_a_named_document() {
    let cases = [
        (
            image(),
            json!({"type": "image", "image": {"link": "https://example.com/parcel.jpg"}}),
        ),
        (
            Media::image_id("1234567890").unwrap(),
            json!({"type": "image", "image": {"id": "1234567890"}}),
        ),
        (
            Media::video_link("https://example.com/unboxing.mp4").unwrap(),
            json!({"type": "video", "video": {"link": "https://example.com/unboxing.mp4"}}),
        ),
        (
            Media::video_id("4621000000000").unwrap(),
            json!({"type": "video", "video": {"id": "4621000000000"}}),
        ),
        (
            Media::document_link("https://example.com/i/42.pdf")
                .unwrap()
                .filename("x.pdf")
                .unwrap(),
            json!({"type": "document", "document": {"link": "https://example.com/i/42.pdf", "filename": "x.pdf"}}),
        ),
        (
            Media::document_id("998877").unwrap(),
            json!({"type": "document", "document": {"id": "998877"}}),
        ),
        (
            Media::document_link("https://example.com/i/43.pdf")
                .unwrap()
                .filename("Invoice \"43\" – März.pdf")
                .unwrap(),
            json!({"type": "document", "document": {"link": "https://example.com/i/43.pdf", "filename": "Invoice \"43\" – März.pdf"}}),
        ),
    ];
    for (media, parameter) in cases {
        let derived = MediaHeader {
            media: media.clone(),
        }
        .to(TO)
        .unwrap();
        let built = model::StandardTemplate::new("order_media", "en_US")
            .header(media)
            .to(TO)
            .unwrap();
        let expected = template(
            "order_media",
            json!([{"type": "header", "parameters": [parameter]}]),
        );
        assert_golden(&derived, &built, &expected);
    }
}

#[derive(Template)]
#[template(unchecked, name = "store_nearby", lang = "en_US")]
struct LocationHeader {
    #[template(header)]
    store: Location,
    #[template(body)]
    hours: &'static str,
}

#[test]
fn location_header_with_and_without_name_and_address() {
    let full = Location::new(12.9471, 77.6468)
        .unwrap()
        .name("Koramangala store")
        .address("80 Feet Rd, Bengaluru");
    let bare = Location::new(-33.8688, 151.2093).unwrap();
    let cases = [
        (
            full,
            json!({"type": "location", "location": {"latitude": 12.9471, "longitude": 77.6468,
                "name": "Koramangala store", "address": "80 Feet Rd, Bengaluru"}}),
        ),
        (
            bare,
            json!({"type": "location", "location": {"latitude": -33.8688, "longitude": 151.2093}}),
        ),
    ];
    for (store, parameter) in cases {
        let derived = LocationHeader {
            store: store.clone(),
            hours: "9-5",
        }
        .to(TO)
        .unwrap();
        let built = model::StandardTemplate::new("store_nearby", "en_US")
            .header(store)
            .body("9-5")
            .to(TO)
            .unwrap();
        let expected = template(
            "store_nearby",
            json!([
                {"type": "header", "parameters": [parameter]},
                {"type": "body", "parameters": [{"type": "text", "text": "9-5"}]}
            ]),
        );
        assert_golden(&derived, &built, &expected);
    }
}

#[derive(Template)]
#[template(unchecked, name = "order_total", lang = "en_US")]
struct Positional {
    #[template(body)]
    name: String,
    #[template(body)]
    total: Currency,
    #[template(body)]
    when: DateTime,
}

#[test]
fn positional_body_with_text_currency_and_date_time() {
    // §2.2's body component, value for value.
    let derived = Positional {
        name: "John".into(),
        total: usd(),
        when: date(),
    }
    .to(TO)
    .unwrap();
    let built = model::StandardTemplate::new("order_total", "en_US")
        .body("John")
        .body(usd())
        .body(date())
        .to(TO)
        .unwrap();
    let expected = template(
        "order_total",
        json!([{"type": "body", "parameters": [
            {"type": "text", "text": "John"},
            {"type": "currency", "currency": {"fallback_value": "$100.99", "code": "USD", "amount_1000": 100990}},
            {"type": "date_time", "date_time": {"fallback_value": "February 25, 1977"}}
        ]}]),
    );
    assert_golden(&derived, &built, &expected);
}

#[derive(Template)]
#[template(unchecked, name = "welcome_named", lang = "en_US")]
struct Named<'a> {
    #[template(header = "season")]
    season: &'a str,
    #[template(body = "first_name")]
    first_name: &'a str,
    #[template(body = "total")]
    total: Currency,
    #[template(body = "delivery")]
    delivery: &'a DateTime,
}

#[test]
fn named_header_and_named_body_parameters() {
    let when = date();
    let derived = Named {
        season: "Summer",
        first_name: "Ada",
        total: usd(),
        delivery: &when,
    }
    .to(TO)
    .unwrap();
    let built = model::StandardTemplate::new("welcome_named", "en_US")
        .named_header("season", "Summer")
        .named_body("first_name", "Ada")
        .named_body("total", usd())
        .named_body("delivery", date())
        .to(TO)
        .unwrap();
    let expected = template(
        "welcome_named",
        json!([
            {"type": "header", "parameters": [{"type": "text", "parameter_name": "season", "text": "Summer"}]},
            {"type": "body", "parameters": [
                {"type": "text", "parameter_name": "first_name", "text": "Ada"},
                {"type": "currency", "parameter_name": "total", "currency": {"fallback_value": "$100.99", "code": "USD", "amount_1000": 100990}},
                {"type": "date_time", "parameter_name": "delivery", "date_time": {"fallback_value": "February 25, 1977"}}
            ]}
        ]),
    );
    assert_golden(&derived, &built, &expected);
}

#[derive(Template)]
#[template(unchecked, name = "hello_world", lang = "en_US")]
struct NoParameters;

#[derive(Template)]
#[template(unchecked, name = "hello_world", kind = standard, lang = "en_US")]
struct ExplicitlyStandard;

#[test]
fn a_template_without_parameters_has_no_components() {
    let expected = envelope(json!({"name": "hello_world", "language": {"code": "en_US"}}));
    let built = model::StandardTemplate::new("hello_world", "en_US")
        .to(TO)
        .unwrap();
    assert_golden(&NoParameters.to(TO).unwrap(), &built, &expected);
    assert_golden(&ExplicitlyStandard.to(TO).unwrap(), &built, &expected);
}

// ------------------------------------------------------------------------------ buttons

#[derive(Template)]
#[template(unchecked, name = "order_shipped", lang = "en_US")]
struct OrderShipped<'a> {
    #[template(header)]
    photo: Media,
    #[template(body)]
    customer: &'a str,
    // Declared out of index order: the buttons are written in index order.
    #[template(button(quick_reply, index = 1))]
    stop: &'static str,
    #[template(button(url, index = 0))]
    tracking: String,
}

#[test]
fn url_and_quick_reply_buttons_in_index_order() {
    let derived = OrderShipped {
        photo: image(),
        customer: "Ada",
        stop: "PAYLOAD",
        tracking: "url-suffix".into(),
    }
    .to(TO)
    .unwrap();
    let built = model::StandardTemplate::new("order_shipped", "en_US")
        .header(image())
        .body("Ada")
        .quick_reply_button(1, "PAYLOAD")
        .url_button(0, "url-suffix")
        .to(TO)
        .unwrap();
    let expected = template(
        "order_shipped",
        json!([
            {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/parcel.jpg"}}]},
            {"type": "body", "parameters": [{"type": "text", "text": "Ada"}]},
            {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "url-suffix"}]},
            {"type": "button", "sub_type": "quick_reply", "index": 1, "parameters": [{"type": "payload", "payload": "PAYLOAD"}]}
        ]),
    );
    assert_golden(&derived, &built, &expected);
}

#[derive(Template)]
#[template(unchecked, name = "coupon_offer", lang = "en_US")]
struct Coupon {
    #[template(body)]
    discount: String,
    #[template(button(copy_code, index = 0))]
    coupon: String,
}

#[test]
fn copy_code_button() {
    let derived = Coupon {
        discount: "25%".into(),
        coupon: "SAVE25".into(),
    }
    .to(TO)
    .unwrap();
    let built = model::StandardTemplate::new("coupon_offer", "en_US")
        .body("25%")
        .copy_code_button(0, "SAVE25")
        .to(TO)
        .unwrap();
    let expected = template(
        "coupon_offer",
        json!([
            {"type": "body", "parameters": [{"type": "text", "text": "25%"}]},
            {"type": "button", "sub_type": "copy_code", "index": 0, "parameters": [{"type": "coupon_code", "coupon_code": "SAVE25"}]}
        ]),
    );
    assert_golden(&derived, &built, &expected);
}

#[derive(Template)]
#[template(unchecked, name = "survey_invite", lang = "en_US")]
struct FlowInvite {
    #[template(body)]
    name: &'static str,
    #[template(button(flow, index = 2))]
    survey: FlowButton,
}

#[test]
fn flow_button_with_and_without_token_and_data() {
    let full = FlowButton::new()
        .token("booking-42")
        .unwrap()
        .action_data(&json!({"guests": 2, "note": "window"}))
        .unwrap();
    let cases = [
        (
            full,
            json!({"flow_token": "booking-42", "flow_action_data": {"guests": 2, "note": "window"}}),
        ),
        (FlowButton::new(), json!({})),
        (
            FlowButton::new().action_data(&json!({})).unwrap(),
            json!({"flow_action_data": {}}),
        ),
    ];
    for (survey, action) in cases {
        let derived = FlowInvite {
            name: "Ada",
            survey: survey.clone(),
        }
        .to(TO)
        .unwrap();
        let built = model::StandardTemplate::new("survey_invite", "en_US")
            .body("Ada")
            .flow_button(2, survey)
            .to(TO)
            .unwrap();
        let expected = template(
            "survey_invite",
            json!([
                {"type": "body", "parameters": [{"type": "text", "text": "Ada"}]},
                {"type": "button", "sub_type": "flow", "index": 2, "parameters": [{"type": "action", "action": action}]}
            ]),
        );
        assert_golden(&derived, &built, &expected);
    }
}

#[derive(Template)]
#[template(unchecked, name = "catalog_offer", lang = "en_US")]
struct CatalogOffer<'a> {
    #[template(body)]
    name: &'a str,
    #[template(button(catalog, index = 0))]
    thumbnail: &'a str,
}

#[test]
fn catalog_button() {
    let derived = CatalogOffer {
        name: "Ada",
        thumbnail: "SKU-1",
    }
    .to(TO)
    .unwrap();
    let built = model::StandardTemplate::new("catalog_offer", "en_US")
        .body("Ada")
        .catalog_button(0, "SKU-1")
        .to(TO)
        .unwrap();
    let expected = template(
        "catalog_offer",
        json!([
            {"type": "body", "parameters": [{"type": "text", "text": "Ada"}]},
            {"type": "button", "sub_type": "catalog", "index": 0, "parameters": [
                {"type": "action", "action": {"thumbnail_product_retailer_id": "SKU-1"}}]}
        ]),
    );
    assert_golden(&derived, &built, &expected);
}

#[derive(Template)]
#[template(unchecked, name = "mpm_offer", lang = "en_US")]
struct MpmOffer {
    #[template(header)]
    title: String,
    #[template(body)]
    name: String,
    #[template(button(mpm, index = 0))]
    products: Mpm,
}

#[test]
fn multi_product_button() {
    let products = || {
        Mpm::new("SKU-1")
            .unwrap()
            .section("Popular", ["SKU-1", "SKU-2"])
            .unwrap()
            .section("New", ["SKU-9"])
            .unwrap()
    };
    let derived = MpmOffer {
        title: "Our picks".into(),
        name: "Ada".into(),
        products: products(),
    }
    .to(TO)
    .unwrap();
    let built = model::StandardTemplate::new("mpm_offer", "en_US")
        .header("Our picks")
        .body("Ada")
        .mpm_button(0, products())
        .to(TO)
        .unwrap();
    // §2.6: a header and a body component only for their variables, one MPM button.
    let expected = template(
        "mpm_offer",
        json!([
            {"type": "header", "parameters": [{"type": "text", "text": "Our picks"}]},
            {"type": "body", "parameters": [{"type": "text", "text": "Ada"}]},
            {"type": "button", "sub_type": "mpm", "index": 0, "parameters": [{"type": "action", "action": {
                "thumbnail_product_retailer_id": "SKU-1",
                "sections": [
                    {"title": "Popular", "product_items": [{"product_retailer_id": "SKU-1"}, {"product_retailer_id": "SKU-2"}]},
                    {"title": "New", "product_items": [{"product_retailer_id": "SKU-9"}]}
                ]}}]}
        ]),
    );
    assert_golden(&derived, &built, &expected);
}

// ------------------------------------------------------------------------------ limited-time offer

#[derive(Template)]
#[template(unchecked, name = "flash_sale", lang = "en_US")]
struct FlashSale {
    #[template(header)]
    banner: Media,
    #[template(body)]
    name: String,
    #[template(limited_time_offer)]
    expires: u64,
    #[template(button(copy_code, index = 0))]
    coupon: &'static str,
    #[template(button(url, index = 1))]
    link: &'static str,
}

#[test]
fn limited_time_offer_with_copy_code_and_url_buttons() {
    // §2.5: header, body, the offer's expiry, a copy-code button and a URL button.
    let derived = FlashSale {
        banner: image(),
        name: "Ada".into(),
        expires: 1_767_225_600_000,
        coupon: "FLASH10",
        link: "sale/10",
    }
    .to(TO)
    .unwrap();
    let built = model::StandardTemplate::new("flash_sale", "en_US")
        .header(image())
        .body("Ada")
        .limited_time_offer(1_767_225_600_000)
        .copy_code_button(0, "FLASH10")
        .url_button(1, "sale/10")
        .to(TO)
        .unwrap();
    let expected = template(
        "flash_sale",
        json!([
            {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/parcel.jpg"}}]},
            {"type": "body", "parameters": [{"type": "text", "text": "Ada"}]},
            {"type": "limited_time_offer", "parameters": [{"type": "limited_time_offer", "limited_time_offer": {"expiration_time_ms": 1_767_225_600_000u64}}]},
            {"type": "button", "sub_type": "copy_code", "index": 0, "parameters": [{"type": "coupon_code", "coupon_code": "FLASH10"}]},
            {"type": "button", "sub_type": "url", "index": 1, "parameters": [{"type": "text", "text": "sale/10"}]}
        ]),
    );
    assert_golden(&derived, &built, &expected);
}

#[derive(Template)]
#[template(unchecked, name = "flash_sale_time", lang = "en_US")]
struct FlashSaleTime {
    #[template(limited_time_offer)]
    expires: std::time::SystemTime,
}

#[test]
fn limited_time_offer_from_a_system_time() {
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_767_225_600_123);
    let derived = FlashSaleTime { expires: at }.to(TO).unwrap();
    let built = model::StandardTemplate::new("flash_sale_time", "en_US")
        .limited_time_offer(1_767_225_600_123)
        .to(TO)
        .unwrap();
    let expected = template(
        "flash_sale_time",
        json!([{"type": "limited_time_offer", "parameters": [{"type": "limited_time_offer",
            "limited_time_offer": {"expiration_time_ms": 1_767_225_600_123u64}}]}]),
    );
    assert_golden(&derived, &built, &expected);
}

// ------------------------------------------------------------------------------ carousel

#[derive(Card)]
struct Offer {
    #[card(header)]
    media: Media,
    #[card(body)]
    price: Currency,
    #[card(button(quick_reply, index = 0))]
    buy: String,
    #[card(button(url, index = 1))]
    link: String,
}

#[derive(Template)]
#[template(unchecked, name = "summer_carousel", lang = "en_US")]
struct SummerArray {
    #[template(body)]
    name: String,
    #[template(carousel)]
    cards: [Offer; 2],
}

// Its cards have a URL button the approved `summer_carousel` does not: a wire-shape test only.
#[derive(Template)]
#[template(unchecked, name = "summer_carousel", lang = "en_US")]
struct SummerVec<'a> {
    #[template(body)]
    name: &'a str,
    #[template(carousel)]
    cards: Vec<Offer>,
}

fn offers() -> [Offer; 2] {
    [
        Offer {
            media: image(),
            price: usd(),
            buy: "buy-1".into(),
            link: "p/1".into(),
        },
        Offer {
            media: Media::video_id("4621000000000").unwrap(),
            price: Currency::new("EUR", 5_000, "€5.00").unwrap(),
            buy: "buy-2".into(),
            link: "p/2".into(),
        },
    ]
}

fn carousel_built() -> Message {
    let card = |media: Media, price: Currency, buy: &str, link: &str| {
        CarouselCard::new()
            .header(media)
            .body(price)
            .quick_reply_button(0, buy)
            .url_button(1, link)
    };
    model::StandardTemplate::new("summer_carousel", "en_US")
        .body("Ada")
        .card(card(image(), usd(), "buy-1", "p/1"))
        .card(card(
            Media::video_id("4621000000000").unwrap(),
            Currency::new("EUR", 5_000, "€5.00").unwrap(),
            "buy-2",
            "p/2",
        ))
        .to(TO)
        .unwrap()
}

fn carousel_expected() -> Value {
    // §2.3 filled in: the body, then the carousel's cards, each with its header, body and
    // buttons.
    template(
        "summer_carousel",
        json!([
            {"type": "body", "parameters": [{"type": "text", "text": "Ada"}]},
            {"type": "carousel", "cards": [
                {"card_index": 0, "components": [
                    {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/parcel.jpg"}}]},
                    {"type": "body", "parameters": [{"type": "currency", "currency": {"fallback_value": "$100.99", "code": "USD", "amount_1000": 100990}}]},
                    {"type": "button", "sub_type": "quick_reply", "index": 0, "parameters": [{"type": "payload", "payload": "buy-1"}]},
                    {"type": "button", "sub_type": "url", "index": 1, "parameters": [{"type": "text", "text": "p/1"}]}
                ]},
                {"card_index": 1, "components": [
                    {"type": "header", "parameters": [{"type": "video", "video": {"id": "4621000000000"}}]},
                    {"type": "body", "parameters": [{"type": "currency", "currency": {"fallback_value": "€5.00", "code": "EUR", "amount_1000": 5000}}]},
                    {"type": "button", "sub_type": "quick_reply", "index": 0, "parameters": [{"type": "payload", "payload": "buy-2"}]},
                    {"type": "button", "sub_type": "url", "index": 1, "parameters": [{"type": "text", "text": "p/2"}]}
                ]}
            ]}
        ]),
    )
}

#[test]
fn carousel_as_an_array() {
    let derived = SummerArray {
        name: "Ada".into(),
        cards: offers(),
    }
    .to(TO)
    .unwrap();
    assert_golden(&derived, &carousel_built(), &carousel_expected());
}

#[test]
fn carousel_as_a_vec() {
    let derived = SummerVec {
        name: "Ada",
        cards: offers().into(),
    }
    .to(TO)
    .unwrap();
    assert_golden(&derived, &carousel_built(), &carousel_expected());
}

// ------------------------------------------------------------------------------ flow template

#[derive(Template)]
#[template(name = "flow_template20", kind = flow, lang = "en_US", button_index = 0)]
struct OptionalSurvey {
    #[template(flow_token)]
    token: Option<String>,
    #[template(flow_action_data)]
    data: Option<Value>,
}

#[derive(Template)]
#[template(name = "flow_template20", kind = flow, lang = "en_US", button_index = 0)]
struct TokenAlways {
    #[template(flow_token)]
    token: String,
    #[template(flow_action_data)]
    data: core::option::Option<Value>,
}

#[derive(Template)]
#[template(name = "flow_template20", kind = flow, lang = "en_US", button_index = 0)]
struct DataAlways {
    #[template(flow_token)]
    token: std::option::Option<&'static str>,
    #[template(flow_action_data)]
    data: Value,
}

/// The flow-template document's body (send-flow-template-message.txt) with `action` as given:
/// `None` leaves a member out, as Meta allows (the token defaults to "unused").
fn flow_expected(action: Value) -> Value {
    template(
        "flow_template20",
        json!([{"type": "button", "sub_type": "flow", "index": 0,
                "parameters": [{"type": "action", "action": action}]}]),
    )
}

fn flow_built(token: Option<&str>, data: Option<Value>) -> Message {
    let mut t = model::FlowTemplate::new("flow_template20", "en_US");
    if let Some(token) = token {
        t = t.flow_token(token);
    }
    if let Some(data) = data {
        t = t.flow_action_data(data);
    }
    t.to(TO).unwrap()
}

#[test]
fn flow_template_option_members_some_and_none() {
    let data = || json!({"screen": {"guests": 2}});
    let cases = [
        (
            Some("flow_token"),
            Some(data()),
            json!({"flow_token": "flow_token", "flow_action_data": {"screen": {"guests": 2}}}),
        ),
        (
            None,
            Some(data()),
            json!({"flow_action_data": {"screen": {"guests": 2}}}),
        ),
        (
            Some("flow_token"),
            None,
            json!({"flow_token": "flow_token"}),
        ),
        (None, None, json!({})),
    ];
    for (token, data, action) in cases {
        let derived = OptionalSurvey {
            token: token.map(String::from),
            data: data.clone(),
        }
        .to(TO)
        .unwrap();
        assert_eq!(derived.kind(), MessageKind::FlowTemplate);
        assert_eq!(derived.as_str(), flow_built(token, data).as_str());
        assert_expected(&derived, &flow_expected(action));
    }
}

#[test]
fn flow_template_with_one_optional_member_keeps_the_documents_order() {
    let derived = TokenAlways {
        token: "flow_token".into(),
        data: Some(json!({})),
    }
    .to(TO)
    .unwrap();
    assert_eq!(
        derived.as_str(),
        flow_built(Some("flow_token"), Some(json!({}))).as_str()
    );
    assert_expected(
        &derived,
        &flow_expected(json!({"flow_token": "flow_token", "flow_action_data": {}})),
    );
    let derived = TokenAlways {
        token: "flow_token".into(),
        data: None,
    }
    .to(TO)
    .unwrap();
    assert_expected(
        &derived,
        &flow_expected(json!({"flow_token": "flow_token"})),
    );

    let derived = DataAlways {
        token: Some("flow_token"),
        data: json!({}),
    }
    .to(TO)
    .unwrap();
    assert_expected(
        &derived,
        &flow_expected(json!({"flow_token": "flow_token", "flow_action_data": {}})),
    );
    let derived = DataAlways {
        token: None,
        data: json!({}),
    }
    .to(TO)
    .unwrap();
    assert_expected(&derived, &flow_expected(json!({"flow_action_data": {}})));
}

#[test]
fn extra_info_follows_a_general_template() {
    let message = Coupon {
        discount: "25%".into(),
        coupon: "SAVE25".into(),
    }
    .to(TO)
    .unwrap()
    .extra_info(
        ExtraInfo::new()
            .reference("customer1")
            .source(WaSource::Api),
    );
    let mut expected = template(
        "coupon_offer",
        json!([
            {"type": "body", "parameters": [{"type": "text", "text": "25%"}]},
            {"type": "button", "sub_type": "copy_code", "index": 0, "parameters": [{"type": "coupon_code", "coupon_code": "SAVE25"}]}
        ]),
    );
    expected.as_object_mut().unwrap().insert(
        "extra_info".into(),
        json!({"ref": "customer1", "wa_source": "api"}),
    );
    assert_expected(&message, &expected);
}

// ------------------------------------------------------------------------------ runtime errors

/// `message` fails with a validation error naming `what`; writing it into a buffer leaves the
/// buffer as it was.
fn assert_refused<T: Template>(message: &T, what: &str) -> ValidationError {
    let err = match message.to(TO) {
        Err(Error::Validation(e)) => e,
        other => panic!("expected a validation error about {what}, got {other:?}"),
    };
    assert!(
        err.what().contains(what),
        "the error names {:?}, expected it to name {what:?}",
        err.what()
    );
    let mut buffer = b"previous message".to_vec();
    assert!(message.write_message(TO, None, &mut buffer).is_err());
    assert_eq!(buffer, b"previous message", "nothing is written on error");
    err
}

#[test]
fn a_bad_header_or_body_value_is_refused_before_anything_is_sent() {
    let long = "x".repeat(61);
    assert_refused(
        &TextHeader {
            title: &long,
            customer: "Ada".into(),
        },
        "`TextHeader.title` (the header)",
    );
    let err = assert_refused(
        &TextHeader {
            title: "Order",
            customer: "line\nbreak".into(),
        },
        "`TextHeader.customer` (body parameter {{1}})",
    );
    assert!(err.to_string().contains("TextHeader.customer"), "{err}");
    assert_refused(
        &Named {
            season: &long,
            first_name: "Ada",
            total: usd(),
            delivery: &date(),
        },
        "`Named.season` (the header {{season}})",
    );
    assert_refused(
        &Named {
            season: "Summer",
            first_name: "",
            total: usd(),
            delivery: &date(),
        },
        "`Named.first_name` (body parameter {{first_name}})",
    );
}

#[test]
fn a_bad_button_value_is_refused() {
    let ok = || OrderShipped {
        photo: image(),
        customer: "Ada",
        stop: "STOP",
        tracking: "t/1".into(),
    };
    assert_refused(
        &OrderShipped {
            tracking: "has space".into(),
            ..ok()
        },
        "`OrderShipped.tracking` (the url button 0's suffix)",
    );
    assert_refused(
        &OrderShipped { stop: "", ..ok() },
        "`OrderShipped.stop` (the quick_reply button 1's payload)",
    );
    assert_refused(
        &Coupon {
            discount: "25%".into(),
            coupon: "SIXTEEN_CHARS_XX".into(),
        },
        "`Coupon.coupon` (the copy_code button 0's coupon code)",
    );
    assert_refused(
        &CatalogOffer {
            name: "Ada",
            thumbnail: "",
        },
        "`CatalogOffer.thumbnail`",
    );
    // An MPM value built without a section is refused when sent.
    assert_refused(
        &MpmOffer {
            title: "Picks".into(),
            name: "Ada".into(),
            products: Mpm::new("SKU-1").unwrap(),
        },
        "`MpmOffer.products` (the mpm button 0's action)",
    );
}

#[test]
fn a_bad_expiry_is_refused() {
    assert_refused(
        &FlashSale {
            banner: image(),
            name: "Ada".into(),
            expires: 0,
            coupon: "FLASH10",
            link: "sale/10",
        },
        "`FlashSale.expires` (the limited-time offer's expiry)",
    );
    assert_refused(
        &FlashSaleTime {
            expires: std::time::UNIX_EPOCH,
        },
        "`FlashSaleTime.expires`",
    );
}

#[test]
fn a_bad_carousel_is_refused() {
    // A Vec's number of cards is known only at run time: 1-10.
    assert_refused(
        &SummerVec {
            name: "Ada",
            cards: Vec::new(),
        },
        "`SummerVec.cards` (the carousel)",
    );
    let many: Vec<Offer> = (0..6).flat_map(|_| offers()).collect();
    let err = assert_refused(
        &SummerVec {
            name: "Ada",
            cards: many,
        },
        "`SummerVec.cards` (the carousel)",
    );
    assert!(err.to_string().contains("found 12"), "{err}");
    // A card's header is an image or a video.
    let [mut first, second] = offers();
    first.media = Media::document_link("https://example.com/a.pdf").unwrap();
    assert_refused(
        &SummerArray {
            name: "Ada".into(),
            cards: [first, second],
        },
        "`Offer.media` (a card's header)",
    );
    // A bad value inside a card is refused as in a template.
    let [first, mut second] = offers();
    second.link = "two words".into();
    assert_refused(
        &SummerArray {
            name: "Ada".into(),
            cards: [first, second],
        },
        "`Offer.link` (a card's url button 1's suffix)",
    );
}

#[test]
fn an_empty_optional_flow_token_is_refused() {
    assert_refused(
        &OptionalSurvey {
            token: Some(String::new()),
            data: None,
        },
        "`OptionalSurvey.token` (the flow token)",
    );
    assert_refused(
        &OptionalSurvey {
            token: None,
            data: Some(json!([1, 2])),
        },
        "`OptionalSurvey.data` (flow_action_data)",
    );
}

#[test]
fn the_builder_applies_the_carousel_rules_the_derive_checks_at_compile_time() {
    let card = || {
        CarouselCard::new()
            .header(image())
            .quick_reply_button(0, "buy")
    };
    // A carousel template's header and buttons are on its cards.
    let with_header = model::StandardTemplate::new("summer_carousel", "en_US")
        .header(image())
        .card(card())
        .to(TO);
    assert!(
        matches!(with_header, Err(Error::Validation(_))),
        "{with_header:?}"
    );
    let with_button = model::StandardTemplate::new("summer_carousel", "en_US")
        .url_button(0, "a/1")
        .card(card())
        .to(TO);
    assert!(
        matches!(with_button, Err(Error::Validation(_))),
        "{with_button:?}"
    );
    // Every card has a media header.
    let headless = model::StandardTemplate::new("summer_carousel", "en_US")
        .card(CarouselCard::new().body("x"))
        .to(TO);
    assert!(
        matches!(headless, Err(Error::Validation(_))),
        "{headless:?}"
    );
    assert!(
        model::StandardTemplate::new("summer_carousel", "en_US")
            .card(card())
            .to(TO)
            .is_ok()
    );
}
