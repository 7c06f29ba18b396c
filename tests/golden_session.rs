//! Golden bodies of the session messages (issue 15, first part): text, media (image, video,
//! audio, document, sticker; by id and by link), location, reaction and its removal, the
//! contextual reply, and the read receipt.
//!
//! Every expected body was written by hand from the request templates of
//! `kaleyra-docs/v2-session-flows-templates.md` §1 (Kaleyra's pages, Meta's shape where they are
//! silent), the placeholders filled with concrete values; never from the code's output. Where
//! the library differs from a template, a comment says why. Two comparisons each, as in
//! tests/golden.rs: the JSON value, and the exact bytes (`preserve_order` keeps the key order
//! written here).

use kaleyra::callback::{Callback, Content};
use kaleyra::prelude::*;
use kaleyra::session::{LocationMessage, MediaMessage, Reaction, Text};
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

#[test]
fn text() {
    // §1.1's sample, with `preview_url` a JSON boolean (§1.1 [INFERRED] and Meta; the sample's
    // string "false" is not what Meta defines) and without `extra_info` (none was set).
    let expected = parse(
        r#"{
          "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "text",
            "text": { "preview_url": false, "body": "This is the sample message" }
          }
        }"#,
    );
    let message = Text::new("This is the sample message")
        .unwrap()
        .to(TO)
        .unwrap();
    assert_golden(&message, &expected);

    let preview = Text::new("See https://example.com/t/1")
        .unwrap()
        .preview_url(true)
        .to(TO)
        .unwrap();
    assert_eq!(
        preview.to_json()["messaging_object"]["text"],
        json!({"preview_url": true, "body": "See https://example.com/t/1"})
    );
}

#[test]
fn text_with_extra_info() {
    // §1.1's sample with its `extra_info` (ref from the page, ref1/ref2/wa_source from the
    // sibling pages).
    let expected = parse(
        r#"{
          "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "text",
            "text": { "preview_url": false, "body": "This is the sample message" }
          },
          "extra_info": { "ref": "customer1", "ref1": "marketing", "ref2": "dictionary", "wa_source": "api" }
        }"#,
    );
    let info = ExtraInfo::new()
        .reference("customer1")
        .ref1("marketing")
        .ref2("dictionary")
        .source(WaSource::Api);
    let message = Text::new("This is the sample message")
        .unwrap()
        .to(TO)
        .unwrap()
        .extra_info(info);
    assert_golden(&message, &expected);
}

fn media_body(kind: &str, object: &str) -> Value {
    parse(&format!(
        r#"{{"messaging_object": {{
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "{kind}",
            "{kind}": {object}
        }}}}"#
    ))
}

#[test]
fn media_by_id_and_by_link() {
    // §1.2's template (one of `id` / `link`), Meta's `caption` and document `filename`.
    let cases = [
        (
            MediaMessage::new(Media::image_id("1234567890").unwrap()),
            media_body("image", r#"{"id": "1234567890"}"#),
        ),
        (
            MediaMessage::new(Media::image_link("https://example.com/parcel.jpg").unwrap())
                .caption("Your parcel")
                .unwrap(),
            media_body(
                "image",
                r#"{"link": "https://example.com/parcel.jpg", "caption": "Your parcel"}"#,
            ),
        ),
        (
            MediaMessage::new(Media::video_link("https://example.com/how.mp4").unwrap()),
            media_body("video", r#"{"link": "https://example.com/how.mp4"}"#),
        ),
        (
            MediaMessage::new(Media::audio_id("998877").unwrap()),
            media_body("audio", r#"{"id": "998877"}"#),
        ),
        (
            MediaMessage::new(Media::audio_link("https://example.com/note.ogg").unwrap()),
            media_body("audio", r#"{"link": "https://example.com/note.ogg"}"#),
        ),
        (
            MediaMessage::new(
                Media::document_id("4455")
                    .unwrap()
                    .filename("invoice.pdf")
                    .unwrap(),
            )
            .caption("Your invoice")
            .unwrap(),
            media_body(
                "document",
                r#"{"id": "4455", "caption": "Your invoice", "filename": "invoice.pdf"}"#,
            ),
        ),
        // §1.13's template: a sticker by id or by link, no caption.
        (
            MediaMessage::new(Media::sticker_id("1034000000000").unwrap()),
            media_body("sticker", r#"{"id": "1034000000000"}"#),
        ),
        (
            MediaMessage::new(Media::sticker_link("https://example.com/s.webp").unwrap()),
            media_body("sticker", r#"{"link": "https://example.com/s.webp"}"#),
        ),
    ];
    for (message, expected) in cases {
        assert_golden(&message.to(TO).unwrap(), &expected);
    }
}

#[test]
fn location() {
    // §1.7's template: no `recipient_type` there (the library writes it on every message, as
    // Kaleyra's tables allow), longitude before latitude as Kaleyra prints them; the values of
    // §1.8's incoming sample.
    let expected = parse(
        r#"{"messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "location",
            "location": {
              "longitude": 77.646835,
              "latitude": 12.9467329,
              "name": "Koramangala store",
              "address": "80 Feet Rd, Bengaluru"
            }
        }}"#,
    );
    let place = Location::new(12.9467329, 77.646835)
        .unwrap()
        .name("Koramangala store")
        .address("80 Feet Rd, Bengaluru");
    assert_golden(&LocationMessage::new(place).to(TO).unwrap(), &expected);

    let bare = parse(
        r#"{"messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "location",
            "location": { "longitude": -0.5, "latitude": 51.25 }
        }}"#,
    );
    let place = Location::new(51.25, -0.5).unwrap();
    assert_golden(&LocationMessage::new(place).to(TO).unwrap(), &bare);
}

#[test]
fn reaction_and_its_removal() {
    // §1.12's template; an empty emoji removes the reaction (Meta).
    let body = |emoji: &str| {
        parse(&format!(
            r#"{{"messaging_object": {{
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "+919876543210",
                "type": "reaction",
                "reaction": {{ "message_id": "{WAMID}", "emoji": "{emoji}" }}
            }}}}"#
        ))
    };
    let like = Reaction::new(&WAMID, "\u{1f602}").unwrap().to(TO).unwrap();
    assert_golden(&like, &body("\u{1f602}"));
    let undo = Reaction::remove(&WAMID).unwrap().to(TO).unwrap();
    assert_golden(&undo, &body(""));
}

/// A customer's text as Kaleyra posts it (v2-more-facts.md §3.4), from `919876543210`.
fn incoming_callback() -> Vec<u8> {
    json!({
        "meta_object": {
            "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550001234", "phone_number_id": "1"},
                "contacts": [{"profile": {"name": "Sam"}, "wa_id": "919876543210"}],
                "messages": [{
                    "from": "919876543210",
                    "id": WAMID,
                    "timestamp": "1722863329",
                    "type": "text",
                    "text": {"body": "Where is my order?"}
                }]
            },
            "field": "messages"
        },
        "extra_info": {
            "ref": "customer1",
            "trace_id": "cb94fee2-3e70-4c1a-944a-2a4000adb90a",
            "waba_id": "347000000000069"
        }
    })
    .to_string()
    .into_bytes()
}

#[test]
fn contextual_reply() {
    // §1.3's template: `context.message_id` is the incoming `wamid`, `to` its sender. The
    // template has no `recipient_type`; the library writes it (see `location`).
    let expected = parse(&format!(
        r#"{{"messaging_object": {{
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "context": {{ "message_id": "{WAMID}" }},
            "to": "+919876543210",
            "type": "text",
            "text": {{ "preview_url": false, "body": "Thanks, we are on it" }}
        }}}}"#
    ));
    let body = incoming_callback();
    let callback = Callback::from_slice(&body).expect("a customer's message");
    let incoming = callback.messages().first().expect("one message");
    assert!(matches!(incoming.content, Content::Text(_)));
    let reply = incoming
        .reply(Text::new("Thanks, we are on it").unwrap())
        .unwrap();
    assert_golden(&reply, &expected);
}
