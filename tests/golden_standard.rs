//! Golden wire-format tests for general templates, built with `kaleyra::model::StandardTemplate`:
//! each component type and sub-type against the Meta/Kaleyra shapes written down in
//! `../shared/kaleyra-docs/v2-more-facts.md` §2.1-2.6 (and, where that file names no shape, in
//! `../shared/RULES.md` "General templates" and this repository's `RULES.md`).
//!
//! Every expected body below was written by hand from those shapes: the envelope of facts §2.1
//! around the component objects of §2.2-2.6, with the placeholders (`"..."`, `<…>`, `..`) filled
//! in with concrete values. The comment above each case says which shape it comes from and what
//! was filled in or changed. None was produced by running the code under test.
//!
//! Two comparisons are made for each case, as in `tests/golden.rs`:
//! (a) `message.to_json() == expected` (values);
//! (b) `message.as_bytes() == serde_json::to_vec(&expected)`: the same keys in the same order,
//!     compact. serde_json's `preserve_order` is on in this workspace, so a `Value` parsed from
//!     the text below keeps its key order. Each shape's key order is the one the facts file
//!     prints; where it prints none, the case says where its order comes from.
//!
//! One change is made to Meta's samples throughout: a button's `index` is a JSON number, as in
//! Kaleyra's samples (DESIGN.md: "a button `index` is a JSON number, as in the documents"),
//! where Meta's quick-reply and URL samples print the string `"0"`.

use kaleyra::model::{CarouselCard, StandardTemplate};
use kaleyra::{
    Currency, DateTime, ExtraInfo, FlowButton, Location, Media, Message, MessageKind, Mpm, Route,
    Template, WaSource,
};
use serde_json::{Value, json};

/// The recipient (facts §2.1 prints `+91XXXXXXXXXX`).
const TO: &str = "+919876543210";

type TestResult = Result<(), kaleyra::Error>;

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("the expected body (written by hand) is JSON")
}

/// Both comparisons, with readable output on failure; also the kind and the route.
fn assert_golden(message: &Message, expected: &str) {
    let expected = parse(expected);
    assert_eq!(
        message.to_json(),
        expected,
        "\n  got: {}\n want: {}",
        message.as_str(),
        expected
    );
    let want = serde_json::to_string(&expected).expect("a Value serializes");
    assert_eq!(message.as_str(), want, "key order or bytes differ");
    assert_eq!(message.kind(), MessageKind::StandardTemplate);
    assert_eq!(message.route(), Route::Sender);
}

#[test]
fn expected_values_keep_the_written_key_order() {
    // Comparison (b) relies on `preserve_order`; check it is on.
    let value = parse(r#"{"type": 1, "sub_type": 2, "index": 3, "parameters": 4}"#);
    assert_eq!(
        serde_json::to_string(&value).ok().as_deref(),
        Some(r#"{"type":1,"sub_type":2,"index":3,"parameters":4}"#)
    );
}

// ------------------------------------------------------------------------------- headers

/// Facts §2.2 [META]: `{"type":"header","parameters":[{"type":"image","image":{"link":
/// "https://..."}}]}` with the link filled in; a body with one text parameter, `{"type":"text",
/// "text":"John"}` (§2.2's body sample, first parameter). Envelope and `extra_info` from §2.1,
/// with its sample values (`ref` "customer1"; ref1/ref2 filled in).
#[test]
fn image_header_by_link() -> TestResult {
    let message = StandardTemplate::new("order_shipped", "en_US")
        .header(Media::image_link("https://example.com/parcel.jpg")?)
        .body("John")
        .to(TO)?
        .extra_info(
            ExtraInfo::new()
                .reference("customer1")
                .ref1("marketing")
                .ref2("dictionary")
                .source(WaSource::Api),
        );
    assert_golden(
        &message,
        r#"{
          "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "template",
            "template": {
              "name": "order_shipped",
              "language": {"code": "en_US"},
              "components": [
                {"type": "header", "parameters": [
                  {"type": "image", "image": {"link": "https://example.com/parcel.jpg"}}]},
                {"type": "body", "parameters": [{"type": "text", "text": "John"}]}
              ]
            }
          },
          "extra_info": {"ref": "customer1", "ref1": "marketing", "ref2": "dictionary", "wa_source": "api"}
        }"#,
    );
    Ok(())
}

/// Facts §2.2 [META]: `{"type":"header","parameters":[{"type":"video","video":{"id":
/// "<media_id>"}}]}`, the id filled in with digits (Kaleyra's upload API returns an id, §2.2).
#[test]
fn video_header_by_id() -> TestResult {
    let message = StandardTemplate::new("product_demo", "en_US")
        .header(Media::video_id("4621000000000")?)
        .to(TO)?;
    assert_golden(
        &message,
        r#"{"messaging_object": {
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "+919876543210", "type": "template",
            "template": {"name": "product_demo", "language": {"code": "en_US"}, "components": [
              {"type": "header", "parameters": [{"type": "video", "video": {"id": "4621000000000"}}]}
            ]}}}"#,
    );
    Ok(())
}

/// Facts §2.2 [META]: `{"type":"header","parameters":[{"type":"document","document":{"link":
/// "https://...","filename":"x.pdf"}}]}`, link and file name filled in (the name with a space
/// and quotes, which JSON escapes). An image and a document by id complete the media kinds.
#[test]
fn document_header_with_filename_and_media_ids() -> TestResult {
    let message = StandardTemplate::new("invoice_ready", "pt_BR")
        .header(
            Media::document_link("https://example.com/i/42.pdf")?.filename("Fatura \"42\".pdf")?,
        )
        .to(TO)?;
    assert_golden(
        &message,
        r#"{"messaging_object": {
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "+919876543210", "type": "template",
            "template": {"name": "invoice_ready", "language": {"code": "pt_BR"}, "components": [
              {"type": "header", "parameters": [{"type": "document", "document": {
                "link": "https://example.com/i/42.pdf", "filename": "Fatura \"42\".pdf"}}]}
            ]}}}"#,
    );

    // The same shapes with `id` in place of `link` (§2.2: "both id … and public link work").
    let by_id = StandardTemplate::new("invoice_ready", "pt_BR")
        .header(Media::document_id("90001")?.filename("x.pdf")?)
        .to(TO)?;
    assert_eq!(
        by_id.to_json()["messaging_object"]["template"]["components"][0],
        json!({"type": "header", "parameters": [
            {"type": "document", "document": {"id": "90001", "filename": "x.pdf"}}]})
    );
    let image = StandardTemplate::new("invoice_ready", "pt_BR")
        .header(Media::image_id("90002")?)
        .to(TO)?;
    assert!(
        image.as_str().contains(
            r#"{"type":"header","parameters":[{"type":"image","image":{"id":"90002"}}]}"#
        ),
        "{image:?}"
    );
    let video = StandardTemplate::new("invoice_ready", "pt_BR")
        .header(Media::video_link("https://example.com/v.mp4")?)
        .to(TO)?;
    assert!(
        video.as_str().contains(
            r#"{"type":"header","parameters":[{"type":"video","video":{"link":"https://example.com/v.mp4"}}]}"#
        ),
        "{video:?}"
    );
    Ok(())
}

/// Facts §2.2 [META]: `{"type":"header","parameters":[{"type":"location","location":
/// {"latitude":..,"longitude":..,"name":"..","address":".."}}]}`; the coordinates filled in as
/// JSON numbers (the facts' `..` is unquoted; Meta's reference types them as numbers), name and
/// address filled in. Without name and address, both keys are left out.
#[test]
fn location_header() -> TestResult {
    let message = StandardTemplate::new("store_hours", "en_US")
        .header(
            Location::new(12.9471, -77.25)?
                .name("Koramangala store")
                .address("80 Feet Rd, Bengaluru"),
        )
        .to(TO)?;
    assert_golden(
        &message,
        r#"{"messaging_object": {
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "+919876543210", "type": "template",
            "template": {"name": "store_hours", "language": {"code": "en_US"}, "components": [
              {"type": "header", "parameters": [{"type": "location", "location": {
                "latitude": 12.9471, "longitude": -77.25,
                "name": "Koramangala store", "address": "80 Feet Rd, Bengaluru"}}]}
            ]}}}"#,
    );

    let bare = StandardTemplate::new("store_hours", "en_US")
        .header(Location::new(-90.0, 180.0)?)
        .to(TO)?;
    assert_eq!(
        bare.to_json()["messaging_object"]["template"]["components"][0]["parameters"][0],
        json!({"type": "location", "location": {"latitude": -90.0, "longitude": 180.0}})
    );
    Ok(())
}

/// Facts §2.2 [DOC, MPM template page]: header text `{"type":"<type>","parameters":[{"type":
/// "<type>","text":"<header_text>"}]}`, the placeholders filled in: component type "header",
/// parameter type "text", text "Summer sale".
#[test]
fn text_header() -> TestResult {
    let message = StandardTemplate::new("summer_sale", "en_GB")
        .header("Summer sale")
        .to(TO)?;
    assert_golden(
        &message,
        r#"{"messaging_object": {
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "+919876543210", "type": "template",
            "template": {"name": "summer_sale", "language": {"code": "en_GB"}, "components": [
              {"type": "header", "parameters": [{"type": "text", "text": "Summer sale"}]}
            ]}}}"#,
    );
    Ok(())
}

// ------------------------------------------------------------------------------- body

/// Facts §2.2 [META]: the body sample exactly as printed, `{"type":"body","parameters":[
/// {"type":"text","text":"John"}, {"type":"currency","currency":{"fallback_value":"$100.99",
/// "code":"USD","amount_1000":100990}}, {"type":"date_time","date_time":{"fallback_value":
/// "February 25, 1977"}}]}`; nothing filled in.
#[test]
fn body_text_currency_date_time() -> TestResult {
    let message = StandardTemplate::new("order_total", "en_US")
        .body("John")
        .body(Currency::new("USD", 100_990, "$100.99")?)
        .body(DateTime::new("February 25, 1977")?)
        .to(TO)?;
    assert_golden(
        &message,
        r#"{"messaging_object": {
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "+919876543210", "type": "template",
            "template": {"name": "order_total", "language": {"code": "en_US"}, "components": [
              {"type": "body", "parameters": [
                {"type": "text", "text": "John"},
                {"type": "currency", "currency": {"fallback_value": "$100.99", "code": "USD", "amount_1000": 100990}},
                {"type": "date_time", "date_time": {"fallback_value": "February 25, 1977"}}]}
            ]}}}"#,
    );
    Ok(())
}

/// Named parameters: facts §2.2 lists them NOT FOUND in Kaleyra's pages; ../shared/RULES.md
/// ("each parameter carries `parameter_name`") and this repository's RULES.md (Meta's example
/// order: `{"type":"text","parameter_name":"first_name","text":"…"}`) give the shape and the key
/// order. The same member goes into currency and date-time parameters, after `type`, and into
/// a text header of a named template.
#[test]
fn named_parameters() -> TestResult {
    let message = StandardTemplate::new("welcome_named", "en_US")
        .named_header("store", "Ada's")
        .named_body("first_name", "Ada")
        .named_body("total", Currency::new("INR", 1_250_500, "₹1,250.50")?)
        .named_body("due", DateTime::new("1 March")?)
        .to(TO)?;
    assert_golden(
        &message,
        r#"{"messaging_object": {
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "+919876543210", "type": "template",
            "template": {"name": "welcome_named", "language": {"code": "en_US"}, "components": [
              {"type": "header", "parameters": [{"type": "text", "parameter_name": "store", "text": "Ada's"}]},
              {"type": "body", "parameters": [
                {"type": "text", "parameter_name": "first_name", "text": "Ada"},
                {"type": "currency", "parameter_name": "total", "currency": {"fallback_value": "₹1,250.50", "code": "INR", "amount_1000": 1250500}},
                {"type": "date_time", "parameter_name": "due", "date_time": {"fallback_value": "1 March"}}]}
            ]}}}"#,
    );
    Ok(())
}

// ------------------------------------------------------------------------------- buttons

/// Facts §2.2 [META]: `{"type":"button","sub_type":"quick_reply","index":"0","parameters":
/// [{"type":"payload","payload":"PAYLOAD"}]}` and `{"type":"button","sub_type":"url","index":
/// "0","parameters":[{"type":"text","text":"url-suffix"}]}`; the index a number (see the top of
/// this file), set to 1 and 0, the payload and suffix filled in. Buttons are written in index
/// order whatever order they were given in (repo RULES.md).
#[test]
fn quick_reply_and_url_buttons() -> TestResult {
    let message = StandardTemplate::new("order_shipped", "en_US")
        .quick_reply_button(1, "STOP")
        .url_button(0, "track/42?x=\"1\"")
        .to(TO)?;
    assert_golden(
        &message,
        r#"{"messaging_object": {
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "+919876543210", "type": "template",
            "template": {"name": "order_shipped", "language": {"code": "en_US"}, "components": [
              {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "track/42?x=\"1\""}]},
              {"type": "button", "sub_type": "quick_reply", "index": 1, "parameters": [{"type": "payload", "payload": "STOP"}]}
            ]}}}"#,
    );
    Ok(())
}

/// Facts §2.2 / §2.4 [META]: `{"type":"button","sub_type":"copy_code","index":0,"parameters":
/// [{"type":"coupon_code","coupon_code":"SAVE25"}]}`, exactly as printed; the body parameter
/// before it filled in (§2.4: coupon templates have a body).
#[test]
fn copy_code_button() -> TestResult {
    let message = StandardTemplate::new("coupon_offer", "en_US")
        .body("25%")
        .copy_code_button(0, "SAVE25")
        .to(TO)?;
    assert_golden(
        &message,
        r#"{"messaging_object": {
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "+919876543210", "type": "template",
            "template": {"name": "coupon_offer", "language": {"code": "en_US"}, "components": [
              {"type": "body", "parameters": [{"type": "text", "text": "25%"}]},
              {"type": "button", "sub_type": "copy_code", "index": 0, "parameters": [{"type": "coupon_code", "coupon_code": "SAVE25"}]}
            ]}}}"#,
    );
    Ok(())
}

/// Flow button: ../shared/RULES.md "Flow template" / "General templates": `{type: button,
/// sub_type: flow, index, parameters: [{type: action, action: {flow_token?,
/// flow_action_data?}}]}` (the flow template document's order: token, then data). Filled in:
/// index 2, a token, an object; then with neither (an empty action: both are optional).
#[test]
fn flow_button() -> TestResult {
    let message = StandardTemplate::new("book_table", "en_US")
        .flow_button(
            2,
            FlowButton::new()
                .token("booking-42")?
                .action_data(&json!({"guests": 2, "date": "2025-01-01"}))?,
        )
        .to(TO)?;
    assert_golden(
        &message,
        r#"{"messaging_object": {
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "+919876543210", "type": "template",
            "template": {"name": "book_table", "language": {"code": "en_US"}, "components": [
              {"type": "button", "sub_type": "flow", "index": 2, "parameters": [{"type": "action", "action": {
                "flow_token": "booking-42", "flow_action_data": {"guests": 2, "date": "2025-01-01"}}}]}
            ]}}}"#,
    );

    let bare = StandardTemplate::new("book_table", "en_US")
        .flow_button(0, FlowButton::new())
        .to(TO)?;
    assert!(
        bare.as_str().contains(
            r#"{"type":"button","sub_type":"flow","index":0,"parameters":[{"type":"action","action":{}}]}"#
        ),
        "{bare:?}"
    );
    let data_only = StandardTemplate::new("book_table", "en_US")
        .flow_button(0, FlowButton::new().action_data(&json!({}))?)
        .to(TO)?;
    assert!(
        data_only
            .as_str()
            .contains(r#""action":{"flow_action_data":{}}"#),
        "{data_only:?}"
    );
    Ok(())
}

/// Catalog button: ../shared/RULES.md "General templates": catalog `{type: action, action:
/// {thumbnail_product_retailer_id}}` inside a button component of facts §2.2's form; filled in:
/// index 0, a retailer id, and a body parameter.
#[test]
fn catalog_button() -> TestResult {
    let message = StandardTemplate::new("browse_catalog", "en_US")
        .body("Ada")
        .catalog_button(0, "2lc20305pt")
        .to(TO)?;
    assert_golden(
        &message,
        r#"{"messaging_object": {
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "+919876543210", "type": "template",
            "template": {"name": "browse_catalog", "language": {"code": "en_US"}, "components": [
              {"type": "body", "parameters": [{"type": "text", "text": "Ada"}]},
              {"type": "button", "sub_type": "catalog", "index": 0, "parameters": [{"type": "action", "action": {
                "thumbnail_product_retailer_id": "2lc20305pt"}}]}
            ]}}}"#,
    );
    Ok(())
}

/// Facts §2.6 [DOC + META]: an MPM template message has a header component (the DOC's
/// `{"type":"<type>","parameters":[{"type":"<type>","text":"<header_text>"}]}`, filled in as a
/// text header), a body component, and exactly one MPM button `{"type":"button","sub_type":
/// "mpm","index":0,"parameters":[{"type":"action","action":{"thumbnail_product_retailer_id":
/// "…","sections":[{"title":"…","product_items":[{"product_retailer_id":"…"}]}]}}]}`; filled in
/// with two sections, the first with two products.
#[test]
fn multi_product_button() -> TestResult {
    let products = Mpm::new("SKU-1")?
        .section("Popular", ["SKU-1", "SKU-2"])?
        .section("New", ["SKU-9"])?;
    let message = StandardTemplate::new("abandoned_cart_mpm", "en_US")
        .header("Your cart")
        .body("Ada")
        .mpm_button(0, products)
        .to(TO)?;
    assert_golden(
        &message,
        r#"{"messaging_object": {
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "+919876543210", "type": "template",
            "template": {"name": "abandoned_cart_mpm", "language": {"code": "en_US"}, "components": [
              {"type": "header", "parameters": [{"type": "text", "text": "Your cart"}]},
              {"type": "body", "parameters": [{"type": "text", "text": "Ada"}]},
              {"type": "button", "sub_type": "mpm", "index": 0, "parameters": [{"type": "action", "action": {
                "thumbnail_product_retailer_id": "SKU-1",
                "sections": [
                  {"title": "Popular", "product_items": [{"product_retailer_id": "SKU-1"}, {"product_retailer_id": "SKU-2"}]},
                  {"title": "New", "product_items": [{"product_retailer_id": "SKU-9"}]}
                ]}}]}
            ]}}}"#,
    );
    Ok(())
}

// ------------------------------------------------------------------------------- limited-time offer

/// Facts §2.5: "[DOC] The components are header, body, copy_code button and URL button", and
/// "[INFERRED / META] On v2 this is a component `{"type":"limited_time_offer","parameters":
/// [{"type":"limited_time_offer","limited_time_offer":{"expiration_time_ms":…}}]}`". Filled in:
/// an image header (§2.2 shape), one body text, the expiry, a copy-code button at index 0 (§2.4
/// shape) and a URL button at index 1 (§2.2 shape); the limited-time offer after the body and
/// before the buttons (repo RULES.md order).
#[test]
fn limited_time_offer() -> TestResult {
    let message = StandardTemplate::new("flash_sale", "en_US")
        .header(Media::image_link("https://example.com/sale.png")?)
        .body("Ada")
        .limited_time_offer(1_767_225_600_000)
        .copy_code_button(0, "CARIBE25")
        .url_button(1, "n3mtql")
        .to(TO)?;
    assert_golden(
        &message,
        r#"{"messaging_object": {
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "+919876543210", "type": "template",
            "template": {"name": "flash_sale", "language": {"code": "en_US"}, "components": [
              {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/sale.png"}}]},
              {"type": "body", "parameters": [{"type": "text", "text": "Ada"}]},
              {"type": "limited_time_offer", "parameters": [{"type": "limited_time_offer", "limited_time_offer": {"expiration_time_ms": 1767225600000}}]},
              {"type": "button", "sub_type": "copy_code", "index": 0, "parameters": [{"type": "coupon_code", "coupon_code": "CARIBE25"}]},
              {"type": "button", "sub_type": "url", "index": 1, "parameters": [{"type": "text", "text": "n3mtql"}]}
            ]}}}"#,
    );
    Ok(())
}

// ------------------------------------------------------------------------------- carousel

/// Facts §2.3 [DOC-partial] with its "[INFERRED / META] Filled in, this is `{"type":"body",…}`
/// then `{"type":"carousel","cards":[…]}`": each card `{"card_index": <card_index>,
/// "components": [{"type":"header","parameters":[{"type":"image","image":{"id":
/// "<header_asset_id>"}}]} /* or video:{id} */, {"type":"body","parameters":[{"type":"text",
/// "text":"<card_body_variable>"}]}, buttons]}`, card buttons `{"type":"button","sub_type":
/// "quick_reply"|"url","index":…,"parameters":[…]}` (index a number). Filled in: a top-level
/// body text, two cards with indexes 0 and 1 (the card's position), the first with an image
/// id, a body text and a quick-reply button, the second with a video id and a URL button.
#[test]
fn carousel() -> TestResult {
    let message = StandardTemplate::new("summer_carousel", "en_US")
        .body("Ada")
        .card(
            CarouselCard::new()
                .header(Media::image_id("1001")?)
                .body("15% off")
                .quick_reply_button(0, "more-1"),
        )
        .card(
            CarouselCard::new()
                .header(Media::video_id("1002")?)
                .body("20% off")
                .url_button(0, "offers/2"),
        )
        .to(TO)?;
    assert_golden(
        &message,
        r#"{"messaging_object": {
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "+919876543210", "type": "template",
            "template": {"name": "summer_carousel", "language": {"code": "en_US"}, "components": [
              {"type": "body", "parameters": [{"type": "text", "text": "Ada"}]},
              {"type": "carousel", "cards": [
                {"card_index": 0, "components": [
                  {"type": "header", "parameters": [{"type": "image", "image": {"id": "1001"}}]},
                  {"type": "body", "parameters": [{"type": "text", "text": "15% off"}]},
                  {"type": "button", "sub_type": "quick_reply", "index": 0, "parameters": [{"type": "payload", "payload": "more-1"}]}
                ]},
                {"card_index": 1, "components": [
                  {"type": "header", "parameters": [{"type": "video", "video": {"id": "1002"}}]},
                  {"type": "body", "parameters": [{"type": "text", "text": "20% off"}]},
                  {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "offers/2"}]}
                ]}
              ]}
            ]}}}"#,
    );
    Ok(())
}

// ------------------------------------------------------------------------------- no parameters

/// A template that takes no parameter: the envelope of facts §2.1 with `template` holding only
/// `name` and `language`; `components` is left out (repo RULES.md **choice**: Meta's samples
/// for such templates have none).
#[test]
fn no_parameters_no_components() -> TestResult {
    let message = StandardTemplate::new("hello_world", "en_US").to(TO)?;
    assert_golden(
        &message,
        r#"{"messaging_object": {
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "+919876543210", "type": "template",
            "template": {"name": "hello_world", "language": {"code": "en_US"}}}}"#,
    );
    Ok(())
}

/// All the component types at once, in the order repo RULES.md gives (header, body,
/// limited-time offer, buttons in index order): each piece is one of the shapes above.
#[test]
fn component_order() -> TestResult {
    let message = StandardTemplate::new("everything", "en_US")
        .mpm_button(3, Mpm::new("S")?.section("All", ["S"])?)
        .flow_button(2, FlowButton::new())
        .catalog_button(1, "C")
        .limited_time_offer(1)
        .body("b")
        .header("h")
        .copy_code_button(0, "X")
        .to(TO)?;
    let json = message.to_json();
    let components = json["messaging_object"]["template"]["components"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let order: Vec<(String, Option<u64>)> = components
        .iter()
        .map(|c| {
            let kind = c["type"].as_str().unwrap_or_default();
            let sub = c["sub_type"]
                .as_str()
                .map(|s| format!("/{s}"))
                .unwrap_or_default();
            (format!("{kind}{sub}"), c["index"].as_u64())
        })
        .collect();
    let expected: Vec<(String, Option<u64>)> = [
        ("header", None),
        ("body", None),
        ("limited_time_offer", None),
        ("button/copy_code", Some(0)),
        ("button/catalog", Some(1)),
        ("button/flow", Some(2)),
        ("button/mpm", Some(3)),
    ]
    .iter()
    .map(|(k, i)| ((*k).to_owned(), *i))
    .collect();
    assert_eq!(order, expected);
    Ok(())
}
