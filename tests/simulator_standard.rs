//! The simulator (`kaleyra::mock`) and general templates over real HTTP on 127.0.0.1: every
//! shape `kaleyra::model::StandardTemplate` writes is accepted (202, recorded byte for byte);
//! malformed bodies, posted raw, are refused with 400 WA400 and a refusal that names the member
//! at fault and the rule it breaks; the approved-template registry checks a general template's
//! category and parameter count.

#![cfg(feature = "mock")]

use std::fmt::Debug;

use kaleyra::catalogue::TemplateDefinition;
use kaleyra::mock::{ApprovedTemplate, MockServer, ReceivedRequest};
use kaleyra::model::{AuthenticationTemplate, CarouselCard, StandardTemplate};
use kaleyra::{
    ApiError, Client, Currency, DateTime, Error, ExtraInfo, FlowButton, Location, Media, Message,
    Mpm, Otp, Template, WaSource,
};
use serde_json::{Value, json};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const RECIPIENT: &str = "+919876543210";

fn client(server: &MockServer) -> Result<Client, Error> {
    Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .waba_id(server.waba_id())
        .build()
}

fn api_error<T: Debug>(result: Result<T, Error>) -> ApiError {
    match result {
        Err(Error::Api(e)) => e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn last(server: &MockServer) -> ReceivedRequest {
    match server.received().pop() {
        Some(request) => request,
        None => panic!("the simulator recorded nothing"),
    }
}

fn card(header: Media, body: &str) -> CarouselCard {
    CarouselCard::new().header(header).body(body)
}

/// One message of every shape the builder writes.
fn every_shape() -> Result<Vec<(&'static str, Message)>, Error> {
    let extra = ExtraInfo::new()
        .reference("customer1")
        .source(WaSource::Shopify);
    let cards = |n: usize| -> Result<StandardTemplate, Error> {
        let mut t = StandardTemplate::new("summer_carousel", "en_US").body("Ada");
        for i in 0..n {
            let media = if i % 2 == 0 {
                Media::image_link(format!("https://example.com/{i}.jpg"))?
            } else {
                Media::video_id(format!("{i}00"))?
            };
            t = t.card(
                card(media, "\"quoted\" é 😀")
                    .quick_reply_button(0, format!("more-{i}"))
                    .url_button(1, format!("offer/{i}")),
            );
        }
        Ok(t)
    };
    Ok(vec![
        (
            "image header by link",
            StandardTemplate::new("order_shipped", "en_US")
                .header(Media::image_link("https://example.com/parcel.jpg")?)
                .body("Ada")
                .to(RECIPIENT)?
                .extra_info(extra),
        ),
        (
            "video header by id",
            StandardTemplate::new("demo", "en_US")
                .header(Media::video_id("4621000000000")?)
                .to(RECIPIENT)?,
        ),
        (
            "document header with a file name",
            StandardTemplate::new("invoice", "pt_BR")
                .header(
                    Media::document_link("https://example.com/i.pdf")?.filename("Fatura 42.pdf")?,
                )
                .to(RECIPIENT)?,
        ),
        (
            "document header by id",
            StandardTemplate::new("invoice", "pt_BR")
                .header(Media::document_id("77")?)
                .to(RECIPIENT)?,
        ),
        (
            "image header by id",
            StandardTemplate::new("promo", "en_US")
                .header(Media::image_id("78")?)
                .to(RECIPIENT)?,
        ),
        (
            "video header by link",
            StandardTemplate::new("promo", "en_US")
                .header(Media::video_link("https://example.com/v.mp4")?)
                .to(RECIPIENT)?,
        ),
        (
            "location header",
            StandardTemplate::new("store", "en_US")
                .header(
                    Location::new(-12.5, 77.125)?
                        .name("Shop")
                        .address("1 Main St"),
                )
                .to(RECIPIENT)?,
        ),
        (
            "location header without name or address",
            StandardTemplate::new("store", "en_US")
                .header(Location::new(90.0, -180.0)?)
                .to(RECIPIENT)?,
        ),
        (
            "text header",
            StandardTemplate::new("sale", "en_US")
                .header("x".repeat(60))
                .to(RECIPIENT)?,
        ),
        (
            "text, currency and date-time body parameters",
            StandardTemplate::new("order_total", "en_US")
                .body("John    Smith")
                .body(Currency::new("USD", 100_990, "$100.99")?)
                .body(Currency::new("JPY", i64::MIN, "-¥")?)
                .body(DateTime::new("February 25, 1977")?)
                .to(RECIPIENT)?,
        ),
        (
            "named parameters",
            StandardTemplate::new("welcome_named", "en_US")
                .named_header("store", "Ada's")
                .named_body("first_name", "Ada")
                .named_body("total", Currency::new("INR", 1, "₹0.001")?)
                .named_body("due", DateTime::new("1 March")?)
                .to(RECIPIENT)?,
        ),
        (
            "quick-reply and URL buttons",
            StandardTemplate::new("order_shipped", "en_US")
                .quick_reply_button(9, "STOP \"now\"")
                .url_button(0, "track/42")
                .to(RECIPIENT)?,
        ),
        (
            "copy-code button",
            StandardTemplate::new("coupon", "en_US")
                .body("25%")
                .copy_code_button(0, "SAVE25")
                .to(RECIPIENT)?,
        ),
        (
            "flow button with token and data",
            StandardTemplate::new("book", "en_US")
                .flow_button(
                    1,
                    FlowButton::new()
                        .token("t-1")?
                        .action_data(&json!({"a": [1, {"b": null}]}))?,
                )
                .to(RECIPIENT)?,
        ),
        (
            "flow button with neither",
            StandardTemplate::new("book", "en_US")
                .flow_button(0, FlowButton::new())
                .to(RECIPIENT)?,
        ),
        (
            "catalog button",
            StandardTemplate::new("catalog", "en_US")
                .body("Ada")
                .catalog_button(0, "2lc20305pt")
                .to(RECIPIENT)?,
        ),
        (
            "multi-product button",
            StandardTemplate::new("cart_mpm", "en_US")
                .header("Your cart")
                .mpm_button(
                    0,
                    Mpm::new("SKU-1")?
                        .section("Popular", (0..20).map(|i| format!("SKU-{i}")))?
                        .section("x".repeat(24), (0..10).map(|i| format!("NEW-{i}")))?,
                )
                .to(RECIPIENT)?,
        ),
        (
            "limited-time offer",
            StandardTemplate::new("flash_sale", "en_US")
                .header(Media::image_link("https://example.com/sale.png")?)
                .body("Ada")
                .limited_time_offer(1_767_225_600_000)
                .copy_code_button(0, "CARIBE25")
                .url_button(1, "n3mtql")
                .to(RECIPIENT)?,
        ),
        ("carousel of one card", cards(1)?.to(RECIPIENT)?),
        ("carousel of ten cards", cards(10)?.to(RECIPIENT)?),
        (
            "ten buttons",
            (0..10)
                .fold(StandardTemplate::new("ten", "en_US"), |t, i| {
                    t.quick_reply_button(i, format!("p{i}"))
                })
                .to(RECIPIENT)?,
        ),
        (
            "no parameters",
            StandardTemplate::new("hello_world", "en_US").to(RECIPIENT)?,
        ),
    ])
}

#[tokio::test]
async fn every_general_shape_is_accepted_and_recorded_byte_for_byte() -> TestResult {
    // No approved templates, and lenient about it: every shape is taken on its own (the
    // shapes reuse names of the default catalogue; tests/catalogue.rs checks sends against a
    // catalogue).
    let server = MockServer::builder()
        .without_default_templates()
        .lenient()
        .start()
        .await;
    // The shapes' made-up media ids: the simulator refuses ids it did not issue.
    for id in ["4621000000000", "77", "78"] {
        server.register_media(id);
    }
    for i in 0..10 {
        server.register_media(&format!("{i}00"));
    }
    let client = client(&server)?;
    let path = format!("/v2/{}/whatsapp/{}/messages", server.sid(), server.sender());
    for (what, message) in every_shape()? {
        let accepted = client.send(&message).await;
        let record = last(&server);
        assert!(
            accepted.is_ok(),
            "{what}: {accepted:?}, {:?}",
            record.refusal
        );
        assert_eq!(record.status, 202, "{what}");
        assert_eq!(record.refusal, None, "{what}");
        assert_eq!(record.path, path, "{what}");
        assert_eq!(record.body, message.as_bytes(), "{what}");
        assert_eq!(record.json, Some(message.to_json()), "{what}");
        assert_eq!(
            record.message_id,
            accepted.ok().map(|a| a.message_id),
            "{what}"
        );
    }
    Ok(())
}

/// A valid body with the member at `pointer` set (replaced or added; an array index one past
/// the end appends), or removed.
fn edit(mut body: Value, pointer: &str, value: Option<Value>) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    match (body.pointer_mut(parent), value) {
        (Some(Value::Object(map)), Some(value)) => {
            map.insert(key.to_owned(), value);
        }
        (Some(Value::Object(map)), None) => {
            assert!(map.remove(key).is_some(), "no {pointer} to remove");
        }
        (Some(Value::Array(items)), value) => {
            // One past the end appends.
            let i: usize = key.parse().unwrap_or(usize::MAX);
            match value {
                Some(value) if i == items.len() => items.push(value),
                Some(value) if i < items.len() => items[i] = value,
                None if i < items.len() => {
                    items.remove(i);
                }
                _ => panic!("no {pointer} in the body"),
            }
        }
        _ => panic!("no {pointer} in the body"),
    }
    body
}

/// Posts raw bodies and expects each to be refused with 400 WA400 and a refusal that contains
/// every one of its expected fragments (the member's path, the rule).
async fn assert_refused(server: &MockServer, cases: Vec<(&str, Value, Vec<&str>)>) -> TestResult {
    let http = reqwest::Client::builder().no_proxy().build()?;
    let url = format!(
        "{}/v2/{}/whatsapp/{}/messages",
        server.url(),
        server.sid(),
        server.sender()
    );
    for (what, body, fragments) in cases {
        let response = http
            .post(&url)
            .header("api-key", server.api_key())
            .header("content-type", "application/json")
            .body(serde_json::to_vec(&body)?)
            .send()
            .await?;
        let status = response.status().as_u16();
        let text = response.text().await?;
        let code = ApiError::from_body(status, &text).map(|e| e.code().to_owned());
        assert_eq!(
            (status, code.as_deref()),
            (400, Some("WA400")),
            "{what}: {text}"
        );
        let refusal = last(server).refusal.unwrap_or_default();
        for fragment in fragments {
            assert!(
                refusal.contains(fragment),
                "{what}: the refusal does not say {fragment:?}:\n  {refusal}"
            );
        }
    }
    Ok(())
}

const C: &str = "/messaging_object/template/components";

/// A valid message with every component but the carousel and every button sub-type:
/// 0 header (document), 1 body (text, currency, date-time), 2 limited-time offer, 3 url,
/// 4 quick_reply, 5 copy_code, 6 flow, 7 catalog, 8 mpm.
fn everything() -> Result<Value, Error> {
    Ok(StandardTemplate::new("everything", "en_US")
        .header(Media::document_link("https://example.com/i.pdf")?.filename("i.pdf")?)
        .body("Ada")
        .body(Currency::new("USD", 100_990, "$100.99")?)
        .body(DateTime::new("Tuesday")?)
        .limited_time_offer(1_767_225_600_000)
        .url_button(0, "track/1")
        .quick_reply_button(1, "STOP")
        .copy_code_button(2, "SAVE25")
        .flow_button(3, FlowButton::new().token("t")?)
        .catalog_button(4, "P1")
        .mpm_button(5, Mpm::new("P1")?.section("Top", ["P1", "P2"])?)
        .to(RECIPIENT)?
        .to_json())
}

/// The same message with a location header, a named body and a text header for the other
/// header shapes.
fn located() -> Result<Value, Error> {
    Ok(StandardTemplate::new("store", "en_US")
        .header(Location::new(12.5, 77.5)?.name("Shop"))
        .to(RECIPIENT)?
        .to_json())
}

fn named() -> Result<Value, Error> {
    Ok(StandardTemplate::new("welcome_named", "en_US")
        .named_header("store", "Ada's")
        .named_body("first_name", "Ada")
        .named_body("last_name", "Lovelace")
        .to(RECIPIENT)?
        .to_json())
}

/// A carousel of two cards: components 0 body, 1 carousel; each card's components 0 header
/// (image, video), 1 body, 2 quick-reply button.
fn carousel(cards: usize) -> Result<Value, Error> {
    let mut t = StandardTemplate::new("summer_carousel", "en_US").body("Ada");
    for i in 0..cards {
        t = t.card(card(Media::image_id(format!("{i}"))?, "15% off").quick_reply_button(0, "more"));
    }
    Ok(t.to(RECIPIENT)?.to_json())
}

#[tokio::test]
async fn malformed_general_templates_are_wa400_naming_the_member() -> TestResult {
    // The payload's shape is checked before the catalogue: lenient, so that a refusal is the
    // shape's even for the made-up names some cases use.
    let server = MockServer::builder().lenient().start().await;
    let all = everything()?;
    let doc = format!("{C}/0/parameters/0/document");
    let money = format!("{C}/1/parameters/1/currency");
    let lto = format!("{C}/2/parameters/0/limited_time_offer");
    let mpm = format!("{C}/8/parameters/0/action");
    let set = |pointer: &str, value: Value| edit(all.clone(), pointer, Some(value));
    let remove = |pointer: &str| edit(all.clone(), pointer, None);
    let at = "body.messaging_object.template.components";
    let cases = vec![
        // Wrong types.
        (
            "amount_1000 as a string",
            set(&format!("{money}/amount_1000"), json!("100990")),
            vec![
                "components[1].parameters[1].currency.amount_1000",
                "must be a JSON number",
            ],
        ),
        (
            "amount_1000 as a fraction",
            set(&format!("{money}/amount_1000"), json!(100.5)),
            vec!["currency.amount_1000", "must be an integer"],
        ),
        (
            "amount_1000 beyond i64",
            set(&format!("{money}/amount_1000"), json!(u64::MAX)),
            vec!["currency.amount_1000", "64-bit"],
        ),
        (
            "button index as a string",
            set(&format!("{C}/3/index"), json!("0")),
            vec!["components[3].index", "must be a JSON number"],
        ),
        (
            "expiry as a string",
            set(&format!("{lto}/expiration_time_ms"), json!("1767225600000")),
            vec![
                "limited_time_offer.expiration_time_ms",
                "must be a JSON number",
            ],
        ),
        (
            "parameters as an object",
            set(&format!("{C}/1/parameters"), json!({})),
            vec!["components[1].parameters must be an array"],
        ),
        (
            "coupon code as a number",
            set(&format!("{C}/5/parameters/0/coupon_code"), json!(25)),
            vec!["components[5].parameters[0].coupon_code must be a string"],
        ),
        (
            "flow action data as an array",
            set(
                &format!("{C}/6/parameters/0/action/flow_action_data"),
                json!([1]),
            ),
            vec![
                "components[6].parameters[0].action.flow_action_data",
                "JSON object",
            ],
        ),
        // Missing members.
        (
            "currency without code",
            remove(&format!("{money}/code")),
            vec!["components[1].parameters[1].currency lacks the required member \"code\""],
        ),
        (
            "currency without fallback",
            remove(&format!("{money}/fallback_value")),
            vec!["currency lacks the required member \"fallback_value\""],
        ),
        (
            "media without link or id",
            remove(&format!("{doc}/link")),
            vec!["components[0].parameters[0].document has neither link nor id"],
        ),
        (
            "offer without expiry",
            remove(&format!("{lto}/expiration_time_ms")),
            vec!["limited_time_offer lacks the required member \"expiration_time_ms\""],
        ),
        (
            "button without index",
            remove(&format!("{C}/4/index")),
            vec!["components[4] lacks the required member \"index\""],
        ),
        (
            "button without sub_type",
            remove(&format!("{C}/4/sub_type")),
            vec!["components[4] lacks the required member \"sub_type\""],
        ),
        (
            "mpm without sections",
            remove(&format!("{mpm}/sections")),
            vec!["components[8].parameters[0].action lacks the required member \"sections\""],
        ),
        (
            "button without its parameter",
            set(&format!("{C}/4/parameters"), json!([])),
            vec!["components[4].parameters has 0 parameters", "exactly one"],
        ),
        // Values that break a rule.
        (
            "unknown currency code",
            set(&format!("{money}/code"), json!("usd")),
            vec!["currency.code is not a known ISO 4217 currency code; did you mean `USD`?"],
        ),
        (
            "a metal is no currency",
            set(&format!("{money}/code"), json!("XAU")),
            vec!["currency.code is not a known ISO 4217 currency code"],
        ),
        (
            "http media link",
            set(&format!("{doc}/link"), json!("http://example.com/i.pdf")),
            vec!["document.link is invalid: a media link must start with `https://`"],
        ),
        (
            "link and id",
            set(&format!("{doc}/id"), json!("77")),
            vec!["document has both link and id"],
        ),
        (
            "file name with a slash",
            set(&format!("{doc}/filename"), json!("a/b.pdf")),
            vec!["document.filename contains '/'"],
        ),
        (
            "button index 10",
            set(&format!("{C}/3/index"), json!(10)),
            vec!["components[3].index must be between 0 and 9, found 10"],
        ),
        (
            "a button index twice",
            set(&format!("{C}/4/index"), json!(0)),
            vec!["components[4] has button index `0` twice"],
        ),
        (
            "two copy-code buttons",
            set(
                &format!("{C}/4"),
                json!({"type": "button", "sub_type": "copy_code", "index": 1,
                       "parameters": [{"type": "coupon_code", "coupon_code": "MORE"}]}),
            ),
            vec!["components[5] is invalid: a template has at most one copy-code button"],
        ),
        (
            "coupon code of 16 characters",
            set(
                &format!("{C}/5/parameters/0/coupon_code"),
                json!("A".repeat(16)),
            ),
            vec!["coupon_code must be at most 15 characters, found 16"],
        ),
        (
            "URL suffix with a space",
            set(&format!("{C}/3/parameters/0/text"), json!("a b")),
            vec!["components[3].parameters[0].text contains ' '"],
        ),
        (
            "empty payload",
            set(&format!("{C}/4/parameters/0/payload"), json!("")),
            vec!["components[4].parameters[0].payload must not be empty"],
        ),
        (
            "body text with a newline",
            set(&format!("{C}/1/parameters/0/text"), json!("a\nb")),
            vec!["components[1].parameters[0].text contains '\\n'"],
        ),
        (
            "body text with five spaces",
            set(&format!("{C}/1/parameters/0/text"), json!("a     b")),
            vec![
                "components[1].parameters[0].text",
                "four consecutive spaces",
            ],
        ),
        (
            "body text of 1025 characters",
            set(&format!("{C}/1/parameters/0/text"), json!("x".repeat(1025))),
            vec!["text must be at most 1024 characters"],
        ),
        (
            "fallback with a tab",
            set(
                &format!("{C}/1/parameters/2/date_time/fallback_value"),
                json!("a\tb"),
            ),
            vec!["components[1].parameters[2].date_time.fallback_value contains '\\t'"],
        ),
        (
            "expiry 0",
            set(&format!("{lto}/expiration_time_ms"), json!(0)),
            vec!["limited_time_offer.expiration_time_ms must be between 1 and"],
        ),
        (
            "expiry negative",
            set(&format!("{lto}/expiration_time_ms"), json!(-5)),
            vec!["expiration_time_ms must be between 1 and"],
        ),
        (
            "mpm of 31 products",
            set(
                &format!("{mpm}/sections/0/product_items"),
                json!(
                    (0..31)
                        .map(|i| json!({"product_retailer_id": format!("P{i}")}))
                        .collect::<Vec<_>>()
                ),
            ),
            vec![
                "components[8].parameters[0].action.sections must have 1 to 30 products, found 31",
            ],
        ),
        (
            "mpm section title of 25 characters",
            set(&format!("{mpm}/sections/0/title"), json!("t".repeat(25))),
            vec!["action.sections must be at most 24 characters, found 25"],
        ),
        (
            "mpm without any section",
            set(&format!("{mpm}/sections"), json!([])),
            vec!["action.sections must have 1 to 10 product sections, found 0"],
        ),
        (
            "mpm with an empty product id",
            set(
                &format!("{mpm}/sections/0/product_items/1/product_retailer_id"),
                json!(""),
            ),
            vec!["sections[0].product_items[1].product_retailer_id must not be empty"],
        ),
        // Unknown members, types and sub-types (misspellings are caught).
        (
            "a misspelt parameters",
            edit(
                remove(&format!("{C}/1/parameters")),
                &format!("{C}/1/paramters"),
                Some(json!([])),
            ),
            vec!["components[1] has an unexpected member \"paramters\""],
        ),
        (
            "a misspelt currency member",
            set(&format!("{money}/amount1000"), json!(1)),
            vec!["currency has an unexpected member \"amount1000\""],
        ),
        (
            "an unknown sub_type",
            set(&format!("{C}/4/sub_type"), json!("quick-reply")),
            vec![
                "components[4].sub_type is \"quick-reply\"",
                "did you mean \"quick_reply\"?",
            ],
        ),
        (
            "an unknown component type",
            set(&format!("{C}/2/type"), json!("limited_time_ofer")),
            vec![
                "components[2].type is \"limited_time_ofer\"",
                "did you mean \"limited_time_offer\"?",
            ],
        ),
        (
            "an unknown body parameter type",
            set(&format!("{C}/1/parameters/2/type"), json!("datetime")),
            vec![
                "components[1].parameters[2].type is \"datetime\"",
                "did you mean \"date_time\"?",
            ],
        ),
        (
            "a file name on an image",
            set(
                &format!("{C}/0/parameters/0"),
                json!({"type": "image", "image": {"link": "https://e.com/a.jpg", "filename": "a.jpg"}}),
            ),
            vec!["components[0].parameters[0].image has an unexpected member \"filename\""],
        ),
        (
            "a parameter name on a media header",
            set(&format!("{C}/0/parameters/0/parameter_name"), json!("doc")),
            vec!["components[0].parameters[0] has an unexpected member \"parameter_name\""],
        ),
        (
            "a second header",
            set(
                &format!("{C}/2"),
                all.pointer(&format!("{C}/0")).cloned().unwrap_or_default(),
            ),
            vec!["components[2] is a second header component"],
        ),
        (
            "a header with two parameters",
            set(
                &format!("{C}/0/parameters"),
                json!([{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]),
            ),
            vec!["components[0].parameters has 2 parameters; a header takes exactly one"],
        ),
        (
            "positional and named mixed",
            set(
                &format!("{C}/1/parameters/1/parameter_name"),
                json!("total"),
            ),
            vec![
                "components[1].parameters[",
                "named and positional parameters are mixed",
            ],
        ),
    ];
    assert_refused(&server, cases).await?;

    let place = located()?;
    let loc = format!("{C}/0/parameters/0/location");
    let names = named()?;
    let cases = vec![
        (
            "latitude 91",
            edit(place.clone(), &format!("{loc}/latitude"), Some(json!(91))),
            vec!["components[0].parameters[0].location.latitude is invalid"],
        ),
        (
            "longitude as a string",
            edit(
                place.clone(),
                &format!("{loc}/longitude"),
                Some(json!("77.5")),
            ),
            vec!["location.longitude must be a JSON number"],
        ),
        (
            "location without latitude",
            edit(place.clone(), &format!("{loc}/latitude"), None),
            vec!["location lacks the required member \"latitude\""],
        ),
        (
            "location name as a number",
            edit(place.clone(), &format!("{loc}/name"), Some(json!(1))),
            vec!["location.name must be a string"],
        ),
        (
            "header text of 61 characters",
            edit(
                names.clone(),
                &format!("{C}/0/parameters/0/text"),
                Some(json!("x".repeat(61))),
            ),
            vec!["components[0].parameters[0].text must be at most 60 characters, found 61"],
        ),
        (
            "a bad parameter name",
            edit(
                names.clone(),
                &format!("{C}/1/parameters/0/parameter_name"),
                Some(json!("First")),
            ),
            vec!["components[1].parameters[0].parameter_name contains 'F'"],
        ),
        (
            "a parameter name twice",
            edit(
                names.clone(),
                &format!("{C}/1/parameters/1/parameter_name"),
                Some(json!("first_name")),
            ),
            vec![
                "components[1].parameters[1].parameter_name has parameter name `first_name` twice",
            ],
        ),
        (
            "a named header in a positional template",
            edit(
                names.clone(),
                &format!("{C}/1/parameters/0/parameter_name"),
                None,
            ),
            vec!["named and positional parameters are mixed"],
        ),
    ];
    assert_refused(&server, cases).await?;

    let two = carousel(2)?;
    let cards = format!("{C}/1/cards");
    let eleven = {
        let mut body = carousel(10)?;
        if let Some(Value::Array(list)) = body.pointer_mut(&cards) {
            let mut extra = list[0].clone();
            extra["card_index"] = json!(10);
            list.push(extra);
        }
        body
    };
    let eleven_why = format!("{at}[1].cards must have 1 to 10 cards, found 11");
    let cases = vec![
        ("eleven cards", eleven, vec![eleven_why.as_str()]),
        (
            "no cards",
            edit(two.clone(), &cards, Some(json!([]))),
            vec!["components[1].cards must have 1 to 10 cards, found 0"],
        ),
        (
            "card_index out of order",
            edit(
                two.clone(),
                &format!("{cards}/1/card_index"),
                Some(json!(0)),
            ),
            vec!["cards[1].card_index is 0; it must be the card's position in `cards`, 1"],
        ),
        (
            "card_index as a string",
            edit(
                two.clone(),
                &format!("{cards}/0/card_index"),
                Some(json!("0")),
            ),
            vec!["cards[0].card_index", "must be a JSON number"],
        ),
        (
            "a card without header",
            edit(two.clone(), &format!("{cards}/0/components/0"), None),
            vec!["cards[0].components is invalid: a carousel card needs a header"],
        ),
        (
            "a card with a document header",
            edit(
                two.clone(),
                &format!("{cards}/0/components/0/parameters/0"),
                Some(json!({"type": "document", "document": {"id": "1"}})),
            ),
            vec![
                "cards[0].components[0].parameters[0] is invalid",
                "image or a video",
            ],
        ),
        (
            "a card with a text header",
            edit(
                two.clone(),
                &format!("{cards}/0/components/0/parameters/0"),
                Some(json!({"type": "text", "text": "hi"})),
            ),
            vec!["cards[0].components[0].parameters[0] is not an image or a video"],
        ),
        (
            "a card with a copy-code button",
            edit(
                two.clone(),
                &format!("{cards}/1/components/2"),
                Some(
                    json!({"type": "button", "sub_type": "copy_code", "index": 0,
                            "parameters": [{"type": "coupon_code", "coupon_code": "X"}]}),
                ),
            ),
            vec![
                "cards[1].components[2].sub_type is invalid",
                "quick-reply and URL buttons",
            ],
        ),
        (
            "a card button index twice",
            edit(
                two.clone(),
                &format!("{cards}/1/components/3"),
                two.pointer(&format!("{cards}/1/components/2")).cloned(),
            ),
            vec!["cards[1].components[3] has button index `0` twice"],
        ),
        (
            "an unknown card member",
            edit(two.clone(), &format!("{cards}/0/index"), Some(json!(0))),
            vec!["cards[0] has an unexpected member \"index\""],
        ),
        (
            "a limited-time offer in a card",
            edit(
                two.clone(),
                &format!("{cards}/0/components/3"),
                all.pointer(&format!("{C}/2")).cloned(),
            ),
            vec![
                "cards[0].components[3].type is \"limited_time_offer\", not a carousel card component type",
            ],
        ),
        (
            "a carousel with a header",
            edit(
                two.clone(),
                &format!("{C}/2"),
                Some(json!({"type": "header", "parameters": [{"type": "text", "text": "h"}]})),
            ),
            vec!["template.components is invalid: a carousel template has no header of its own"],
        ),
        (
            "a carousel with a button",
            edit(
                two.clone(),
                &format!("{C}/2"),
                all.pointer(&format!("{C}/4")).cloned(),
            ),
            vec!["template.components is invalid: a carousel template has no buttons of its own"],
        ),
        (
            "a second carousel",
            edit(
                two.clone(),
                &format!("{C}/2"),
                two.pointer(&format!("{C}/1")).cloned(),
            ),
            vec!["components[2] is a second carousel component"],
        ),
    ];
    assert_refused(&server, cases).await?;

    // Still serving.
    client(&server)?
        .send(&StandardTemplate::new("hello_world", "en_US").to(RECIPIENT)?)
        .await?;
    Ok(())
}

#[tokio::test]
async fn registered_general_templates_are_checked_for_kind_and_parameter_count() -> TestResult {
    let server = MockServer::builder()
        .strict(true)
        .template(ApprovedTemplate::standard("order_shipped", "en_US", 2))
        .start()
        .await;
    let client = client(&server)?;
    // `ApprovedTemplate::standard` registers a template of only a body with that many
    // parameters (it replaces the default `order_shipped`).
    let order = |n: usize| -> Result<Message, Error> {
        (0..n)
            .fold(StandardTemplate::new("order_shipped", "en_US"), |t, i| {
                t.body(format!("p{i}"))
            })
            .to(RECIPIENT)
    };
    client.send(&order(2)?).await?;
    let e = api_error(client.send(&order(3)?).await);
    assert_eq!((e.status(), e.code()), (400, "132000"));
    let refusal = last(&server).refusal.unwrap_or_default();
    assert!(
        refusal
            .contains("has 2 body parameters (\"Parameters: {{1}}, {{2}}.\"); this message has 3"),
        "{refusal}"
    );

    // Strict: an unregistered general template is refused as WhatsApp refuses an unknown one.
    let e = api_error(
        client
            .send(&StandardTemplate::new("unknown_one", "en_US").to(RECIPIENT)?)
            .await,
    );
    assert_eq!((e.status(), e.code()), (400, "132001"));

    // `auth1` is an authentication template: one body text and one URL button with the same
    // OTP. The same shape with two different values is a general template's, refused here.
    let general = StandardTemplate::new("auth1", "en_US")
        .body("123456")
        .url_button(0, "654321")
        .to(RECIPIENT)?;
    let e = api_error(client.send(&general).await);
    assert_eq!((e.status(), e.code()), (400, "WA400"));
    let refusal = last(&server).refusal.unwrap_or_default();
    assert!(
        refusal.contains("is a Authentication template")
            && refusal.contains("the OTP must be the same in the body and the button"),
        "{refusal}"
    );
    // The same values are an authentication message, whichever builder wrote it.
    let same = StandardTemplate::new("auth1", "en_US")
        .body("123456")
        .url_button(0, "123456")
        .to(RECIPIENT)?;
    let otp = AuthenticationTemplate::new("auth1", "en_US", Otp::new("123456")?).to(RECIPIENT)?;
    assert_eq!(same.as_bytes(), otp.as_bytes());
    client.send(&same).await?;

    // A general template with one body parameter and a dynamic URL button takes a general body
    // of that shape, an OTP-shaped one included.
    server.add_template(TemplateDefinition::from_json(json!({
        "name": "login_general", "language": "en_US", "status": "APPROVED",
        "category": "UTILITY",
        "components": [
            {"type": "BODY", "text": "Order {{1}}"},
            {"type": "BUTTONS", "buttons": [
                {"type": "URL", "text": "Track", "url": "https://example.com/t/{{1}}"}
            ]}
        ]
    }))?);
    client
        .send(
            &AuthenticationTemplate::new("login_general", "en_US", Otp::new("42")?)
                .to(RECIPIENT)?,
        )
        .await?;

    // `flow_template20` is a flow template: a general body without a flow button is refused,
    // as WhatsApp refuses a parameter of the wrong format.
    let e = api_error(
        client
            .send(
                &StandardTemplate::new("flow_template20", "en_US")
                    .quick_reply_button(0, "x")
                    .to(RECIPIENT)?,
            )
            .await,
    );
    assert_eq!((e.status(), e.code()), (400, "132012"));
    let refusal = last(&server).refusal.unwrap_or_default();
    assert!(
        refusal.contains("button 0 of template `flow_template20` (en_US) is a FLOW button"),
        "{refusal}"
    );
    Ok(())
}

#[tokio::test]
async fn when_lenient_a_general_body_with_an_otp_shape_is_accepted() -> TestResult {
    // Unregistered names are accepted when lenient: one body text and a URL button with
    // different values is a valid general template (an order number and a tracking suffix).
    let server = MockServer::builder().lenient().start().await;
    let message = StandardTemplate::new("order_update", "en_US")
        .body("42")
        .url_button(0, "track/42")
        .to(RECIPIENT)?;
    client(&server)?.send(&message).await?;
    assert_eq!(last(&server).status, 202);
    Ok(())
}
