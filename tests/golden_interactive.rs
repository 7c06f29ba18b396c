//! Golden bodies of the interactive session messages (issue 15): reply buttons, list and CTA
//! URL, through the runtime builders (`session::Buttons`, `session::List`, `session::CtaUrl`)
//! and the derives (`#[derive(Buttons)]`, `#[derive(Menu)]`), which write the same bytes.
//!
//! Every expected body was written by hand from `kaleyra-docs/v2-session-flows-templates.md`
//! §1.4 (Kaleyra's reply-button template), §1.5 (Meta's list body, quoted there) and §1.6
//! (Kaleyra's CTA URL template), the placeholders filled with concrete values; never from the
//! code's output. Where the library differs from a template, a comment says why. Two
//! comparisons each, as in tests/golden_session.rs: the JSON value and the exact bytes.

use kaleyra::callback::{Callback, Content};
use kaleyra::prelude::*;
use kaleyra::session::{Buttons, CtaUrl, List};
use kaleyra::{MessageKind, Route};
use serde_json::{Value, json};

const TO: &str = "+919876543210";
const WAMID: &str = "wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgUM0VCMEQ4QzQ4RjE2";

fn parse(doc: &str) -> Value {
    serde_json::from_str(doc).expect("the expected body is JSON")
}

fn assert_golden(message: &Message, expected: &Value) {
    assert_eq!(
        message.to_json(),
        *expected,
        "\n  got: {}\n want: {}",
        message.as_str(),
        expected
    );
    assert_eq!(
        message.as_str(),
        serde_json::to_string(expected).unwrap(),
        "same keys, same order, compact"
    );
    assert_eq!(message.kind(), MessageKind::Session);
    assert_eq!(message.route(), Route::Sender);
}

/// §1.4's template with three buttons. The template prints `header` as a bare string; the
/// library writes Meta's header object (§1.4 [INFERRED / META]), `type` is `"interactive"`.
fn buttons_expected() -> Value {
    parse(
        r#"{
          "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "interactive",
            "interactive": {
              "type": "button",
              "header": { "type": "text", "text": "Order A-1001" },
              "body": { "text": "When should we deliver?" },
              "footer": { "text": "Reply within 24 hours" },
              "action": {
                "buttons": [
                  { "type": "reply", "reply": { "id": "Tomorrow", "title": "Tomorrow" } },
                  { "type": "reply", "reply": { "id": "NextWeek", "title": "Next week" } },
                  { "type": "reply", "reply": { "id": "cancel", "title": "Cancel order" } }
                ]
              }
            }
          }
        }"#,
    )
}

#[test]
fn reply_buttons() {
    let message = Buttons::new("When should we deliver?")
        .unwrap()
        .header("Order A-1001")
        .unwrap()
        .footer("Reply within 24 hours")
        .unwrap()
        .button("Tomorrow", "Tomorrow")
        .unwrap()
        .button("NextWeek", "Next week")
        .unwrap()
        .button("cancel", "Cancel order")
        .unwrap()
        .to(TO)
        .unwrap();
    assert_golden(&message, &buttons_expected());
}

#[test]
fn reply_buttons_without_header_and_footer() {
    // §1.4's template without its optional header and footer, one button as printed there.
    let expected = parse(
        r#"{
          "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "interactive",
            "interactive": {
              "type": "button",
              "body": { "text": "Did this answer your question?" },
              "action": {
                "buttons": [
                  { "type": "reply", "reply": { "id": "yes", "title": "Yes" } }
                ]
              }
            }
          }
        }"#,
    );
    let message = Buttons::new("Did this answer your question?")
        .unwrap()
        .button("yes", "Yes")
        .unwrap()
        .to(TO)
        .unwrap();
    assert_golden(&message, &expected);
}

#[test]
fn reply_buttons_with_media_headers() {
    // §1.4 [INFERRED / META]: `{"type":"image","image":{"id"|"link"}}`, the same for video and
    // document (a document header with its file name, Meta's media object).
    let image = Buttons::new("Is this your parcel?")
        .unwrap()
        .header(Media::image_link("https://example.com/parcel.jpg").unwrap())
        .unwrap()
        .button("yes", "Yes")
        .unwrap()
        .to(TO)
        .unwrap();
    assert_eq!(
        image.to_json()["messaging_object"]["interactive"]["header"],
        json!({"type": "image", "image": {"link": "https://example.com/parcel.jpg"}})
    );
    let video = Buttons::new("Watch how")
        .unwrap()
        .header(Media::video_id("1034000000000").unwrap())
        .unwrap()
        .button("ok", "OK")
        .unwrap()
        .to(TO)
        .unwrap();
    assert_eq!(
        video.to_json()["messaging_object"]["interactive"]["header"],
        json!({"type": "video", "video": {"id": "1034000000000"}})
    );
    let document = Buttons::new("Your invoice")
        .unwrap()
        .header(
            Media::document_id("1034000000001")
                .unwrap()
                .filename("invoice.pdf")
                .unwrap(),
        )
        .unwrap()
        .button("paid", "Paid")
        .unwrap()
        .to(TO)
        .unwrap();
    assert_eq!(
        document.to_json()["messaging_object"]["interactive"]["header"],
        json!({"type": "document", "document": {"id": "1034000000001", "filename": "invoice.pdf"}})
    );
    // Audio and stickers are not headers (Meta).
    assert!(
        Buttons::new("x")
            .unwrap()
            .header(Media::audio_id("1").unwrap())
            .is_err()
    );
}

/// §1.5 [INFERRED / META]'s v2 body (the v1 page's action with Meta's names), two titled
/// sections.
fn list_expected() -> Value {
    parse(
        r#"{
          "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "interactive",
            "interactive": {
              "type": "list",
              "header": { "type": "text", "text": "Delivery" },
              "body": { "text": "When can we call?" },
              "footer": { "text": "Times are IST" },
              "action": {
                "button": "Pick a slot",
                "sections": [
                  { "title": "Morning",
                    "rows": [ { "id": "Early", "title": "08:00-09:00" },
                              { "id": "Morning", "title": "09:00-12:00" } ] },
                  { "title": "Afternoon",
                    "rows": [ { "id": "Afternoon", "title": "12:00-15:00", "description": "We call first" } ] }
                ]
              }
            }
          }
        }"#,
    )
}

#[test]
fn list() {
    let message = List::new("When can we call?", "Pick a slot")
        .unwrap()
        .header("Delivery")
        .unwrap()
        .footer("Times are IST")
        .unwrap()
        .section("Morning")
        .unwrap()
        .row("Early", "08:00-09:00")
        .unwrap()
        .row("Morning", "09:00-12:00")
        .unwrap()
        .section("Afternoon")
        .unwrap()
        .row_with("Afternoon", "12:00-15:00", "We call first")
        .unwrap()
        .to(TO)
        .unwrap();
    assert_golden(&message, &list_expected());
}

#[test]
fn list_with_one_untitled_section() {
    // The v1 list page: "the section title is optional" (Meta: required only with more than
    // one section); the section is written without `title`.
    let expected = parse(
        r#"{
          "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "interactive",
            "interactive": {
              "type": "list",
              "body": { "text": "Which size?" },
              "action": {
                "button": "Sizes",
                "sections": [
                  { "rows": [ { "id": "s", "title": "Small", "description": "Up to 2 kg" },
                              { "id": "l", "title": "Large" } ] }
                ]
              }
            }
          }
        }"#,
    );
    let message = List::new("Which size?", "Sizes")
        .unwrap()
        .row_with("s", "Small", "Up to 2 kg")
        .unwrap()
        .row("l", "Large")
        .unwrap()
        .to(TO)
        .unwrap();
    assert_golden(&message, &expected);
}

#[test]
fn cta_url() {
    // §1.6's template: `interactive.type` and `action.name` are `"cta_url"` (§1.6 [META]).
    let expected = parse(
        r#"{
          "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "interactive",
            "interactive": {
              "type": "cta_url",
              "header": { "type": "text", "text": "Order A-1001" },
              "body": { "text": "Your parcel is on its way" },
              "footer": { "text": "Kaleyra Shop" },
              "action": {
                "name": "cta_url",
                "parameters": { "display_text": "Track it", "url": "https://example.com/t/A-1001" }
              }
            }
          }
        }"#,
    );
    let message = CtaUrl::new(
        "Your parcel is on its way",
        "Track it",
        "https://example.com/t/A-1001",
    )
    .unwrap()
    .header("Order A-1001")
    .unwrap()
    .footer("Kaleyra Shop")
    .unwrap()
    .to(TO)
    .unwrap();
    assert_golden(&message, &expected);
}

#[test]
fn a_reply_quotes_the_customers_message() {
    // §1.3: `context.message_id` after `recipient_type`, on an interactive message too (Meta
    // accepts `context` on any type).
    let body = json!({
        "meta_object": {
            "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550001234", "phone_number_id": "1"},
                "contacts": [{"profile": {"name": "Sam"}, "wa_id": "919876543210"}],
                "messages": [{
                    "from": "919876543210", "id": WAMID, "timestamp": "1722863329",
                    "type": "text", "text": {"body": "Where is my order?"}
                }]
            },
            "field": "messages"
        }
    })
    .to_string();
    let callback = Callback::from_slice(body.as_bytes()).unwrap();
    let incoming = callback.messages().first().unwrap();
    assert!(matches!(incoming.content, Content::Text(_)));
    let reply = incoming
        .reply(
            Buttons::new("Shall we call you?")
                .unwrap()
                .button("yes", "Yes")
                .unwrap(),
        )
        .unwrap();
    let json = reply.to_json();
    assert_eq!(
        json["messaging_object"]["context"],
        json!({"message_id": WAMID})
    );
    assert_eq!(json["messaging_object"]["to"], TO);
    let keys: Vec<&String> = json["messaging_object"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(
        keys,
        [
            "messaging_product",
            "recipient_type",
            "context",
            "to",
            "type",
            "interactive"
        ]
    );
}

#[test]
fn each_limit_is_refused_when_given() {
    let b = || Buttons::new("Pick").unwrap();
    assert!(Buttons::new("").is_err());
    assert!(Buttons::new("x".repeat(1025)).is_err());
    assert!(b().button("", "Title").is_err());
    assert!(b().button("x".repeat(257), "Title").is_err());
    assert!(b().button("x".repeat(256), "Title").is_ok());
    assert!(b().button("a", "").is_err());
    assert!(b().button("a", "x".repeat(21)).is_err());
    assert!(b().button("a", "x".repeat(20)).is_ok());
    assert!(b().button("a", "A").unwrap().button("a", "B").is_err());
    let three = b()
        .button("a", "A")
        .unwrap()
        .button("b", "B")
        .unwrap()
        .button("c", "C")
        .unwrap();
    assert!(three.clone().button("d", "D").is_err());
    assert!(three.clone().header("x".repeat(61)).is_err());
    assert!(three.footer("x".repeat(61)).is_err());
    assert!(b().to(TO).is_err(), "no button");

    let l = || List::new("Pick", "Choose").unwrap();
    assert!(List::new("x".repeat(4097), "Choose").is_err());
    assert!(List::new("x".repeat(4096), "Choose").is_ok());
    assert!(List::new("Pick", "x".repeat(21)).is_err());
    assert!(l().section("x".repeat(25)).is_err());
    assert!(l().row("x".repeat(201), "A").is_err());
    assert!(l().row("a", "x".repeat(25)).is_err());
    assert!(l().row_with("a", "A", "x".repeat(73)).is_err());
    assert!(l().row_with("a", "A", "x".repeat(72)).is_ok());
    assert!(
        l().row("a", "A").unwrap().row("a", "B").is_err(),
        "row ids unique"
    );
    let mut ten = l();
    for i in 0..10 {
        ten = ten
            .section(format!("S{i}"))
            .unwrap()
            .row(format!("r{i}"), "R")
            .unwrap();
    }
    assert!(ten.clone().row("r10", "R").is_err(), "11 rows");
    assert!(ten.section("S10").is_err(), "11 sections");
    assert!(l().to(TO).is_err(), "no row");
    assert!(
        l().section("Empty").unwrap().to(TO).is_err(),
        "an empty section"
    );
    assert!(
        l().section("A")
            .unwrap()
            .row("a", "A")
            .unwrap()
            .section("B")
            .unwrap()
            .to(TO)
            .is_err(),
        "section B is empty"
    );

    assert!(CtaUrl::new("Hi", "x".repeat(21), "https://example.com").is_err());
    assert!(CtaUrl::new("Hi", "Open", "example.com").is_err());
    assert!(CtaUrl::new("Hi", "Open", "http://example.com").is_ok());
    assert!(CtaUrl::new("", "Open", "https://example.com").is_err());
}

#[derive(Buttons, Debug, Clone, Copy, PartialEq, Eq)]
enum Delivery {
    #[button(title = "Tomorrow")]
    Tomorrow,
    #[button(title = "Next week")]
    NextWeek,
    #[button(id = "cancel", title = "Cancel order")]
    Cancel,
}

/// The rows of `list_expected`, declared out of section order: `Early` joins `Morning`'s
/// section, which comes first because it is named first.
#[derive(Menu, Debug, Clone, Copy, PartialEq, Eq)]
#[menu(button = "Pick a slot")]
enum Slot {
    #[menu(section = "Morning", title = "08:00-09:00")]
    Early,
    #[menu(
        section = "Afternoon",
        title = "12:00-15:00",
        description = "We call first"
    )]
    Afternoon,
    #[menu(section = "Morning", title = "09:00-12:00")]
    Morning,
}

#[test]
fn derived_buttons_write_the_runtime_builders_bytes() {
    let message = Delivery::ask("When should we deliver?")
        .unwrap()
        .header("Order A-1001")
        .unwrap()
        .footer("Reply within 24 hours")
        .unwrap()
        .to(TO)
        .unwrap();
    assert_golden(&message, &buttons_expected());
    assert!(Delivery::ask("").is_err(), "the body is still checked");
    assert!(Delivery::ask("x".repeat(1025)).is_err());
}

#[test]
fn derived_menu_writes_the_runtime_builders_bytes() {
    let message = Slot::ask("When can we call?")
        .unwrap()
        .header("Delivery")
        .unwrap()
        .footer("Times are IST")
        .unwrap()
        .to(TO)
        .unwrap();
    assert_golden(&message, &list_expected());
    // Choice::IDS is in declaration order, not section order.
    assert_eq!(
        <Slot as kaleyra::session::Choice>::IDS,
        ["Early", "Afternoon", "Morning"]
    );
}

#[test]
fn an_untitled_derived_menu() {
    #[derive(Menu)]
    #[menu(button = "Sizes")]
    enum Size {
        #[menu(id = "s", title = "Small", description = "Up to 2 kg")]
        Small,
        #[menu(id = "l", title = "Large")]
        Large,
    }
    let derived = Size::ask("Which size?").unwrap().to(TO).unwrap();
    let runtime = List::new("Which size?", "Sizes")
        .unwrap()
        .row_with("s", "Small", "Up to 2 kg")
        .unwrap()
        .row("l", "Large")
        .unwrap()
        .to(TO)
        .unwrap();
    assert_eq!(derived.as_str(), runtime.as_str());
    assert!(matches!(Size::from_id("l"), Some(Size::Large)));
    assert!(
        Size::from_id("Large").is_none(),
        "the id, not the variant's name"
    );
}

/// A customer's reply as Kaleyra posts it (v2-more-facts.md §3.4; `interactive` per §1.4
/// [META] and §1.5 [DOC]).
fn reply_callback(interactive: Value) -> Vec<u8> {
    json!({
        "meta_object": {
            "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550001234", "phone_number_id": "1"},
                "contacts": [{"profile": {"name": "Sam"}, "wa_id": "919876543210"}],
                "messages": [{
                    "from": "919876543210", "id": WAMID, "timestamp": "1722863329",
                    "context": {"from": "15550001234", "id": "wamid.asked"},
                    "type": "interactive", "interactive": interactive
                }]
            },
            "field": "messages"
        }
    })
    .to_string()
    .into_bytes()
}

#[test]
fn a_tap_reads_back_into_the_enum() {
    let body = reply_callback(json!({
        "type": "button_reply",
        "button_reply": {"id": "cancel", "title": "Cancel order"}
    }));
    let callback = Callback::from_slice(&body).unwrap();
    let Content::ButtonReply(tap) = &callback.messages()[0].content else {
        panic!("a button reply")
    };
    assert_eq!(tap.parse::<Delivery>().unwrap(), Delivery::Cancel);

    let body = reply_callback(json!({
        "type": "list_reply",
        "list_reply": {"id": "Morning", "title": "09:00-12:00"}
    }));
    let callback = Callback::from_slice(&body).unwrap();
    let Content::ListReply(choice) = &callback.messages()[0].content else {
        panic!("a list reply")
    };
    let slot: Slot = choice.parse().unwrap();
    assert_eq!(slot, Slot::Morning);
}

#[test]
fn an_unknown_id_is_a_callback_error_that_names_the_ids() {
    let body = reply_callback(json!({
        "type": "button_reply",
        "button_reply": {"id": "later", "title": "Later"}
    }));
    let callback = Callback::from_slice(&body).unwrap();
    let Content::ButtonReply(tap) = &callback.messages()[0].content else {
        panic!("a button reply")
    };
    let err = tap.parse::<Delivery>().unwrap_err();
    let kaleyra::Error::Callback(inner) = &err else {
        panic!("Error::Callback, got {err:?}")
    };
    assert_eq!(
        inner.kind(),
        kaleyra::callback::CallbackErrorKind::UnknownChoice
    );
    assert_eq!(
        err.to_string(),
        r#"button reply: id "later" is none of the ids of Delivery ("Tomorrow", "NextWeek", "cancel")"#
    );
    // A list reply read into the wrong enum.
    let body = reply_callback(json!({
        "type": "list_reply",
        "list_reply": {"id": "Early", "title": "08:00-09:00"}
    }));
    let callback = Callback::from_slice(&body).unwrap();
    let Content::ListReply(choice) = &callback.messages()[0].content else {
        panic!("a list reply")
    };
    assert!(choice.parse::<Slot>().is_ok());
    let err = choice.parse::<Delivery>().unwrap_err();
    assert!(
        err.to_string()
            .starts_with(r#"list reply: id "Early" is none of the ids of Delivery"#)
    );
}
