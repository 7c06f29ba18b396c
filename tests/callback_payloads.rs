//! Every callback payload of `v2-more-facts.md` §3 reads to the values it holds.
//!
//! The bodies are Kaleyra's samples (§3.3, §3.4) **corrected to be valid JSON**: the status
//! sample as printed ends its last member with a trailing comma, which no JSON parser accepts,
//! and the facts elide some values with `…`, filled in here with values of the same shape. The
//! placeholders Kaleyra prints (`91XXXXXXXXXX`, `wamid.XXXX…`) are kept as they are. Payloads
//! no Kaleyra page shows (delivered, read, failed, not-sent, plain text, session button reply,
//! flow completion) follow Meta's shapes inside Kaleyra's envelope, as the facts say to.

use std::borrow::Cow;

use kaleyra::callback::{
    Callback, CallbackErrorKind, Content, MediaKind, MetaErrorCode, StatusState,
};
use kaleyra::{Error, FlowResponse};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// facts §3.3, corrected: the sample's trailing comma after the top-level `message_id` removed.
const STATUS_SENT: &str = r#"{
  "meta_object": {
    "value": {
      "messaging_product": "whatsapp",
      "metadata": { "display_phone_number": "91XXXXXXXXXX", "phone_number_id": "104XXXXXXXXXX60" },
      "statuses": [ {
        "id": "XXX7f9c32XXXX9deXXXXXXacac299cfb",
        "status": "sent",
        "timestamp": "1722834665",
        "recipient_id": "919407XXXXXX",
        "conversation": { "id": "CONVERSATION_ID", "expiration_timestamp": "172XXXX260", "origin": { "type": "marketing" } },
        "pricing": { "billable": true, "pricing_model": "Conversation-Based Pricing", "category": "marketing" }
      } ]
    },
    "field": "messages"
  },
  "extra_info": {
    "trace_id": "8f14e45f-eXXX-4c1a-9e77-1a5XXXXXXXXX",
    "message_id": "wamid.XXXXXHE5NXXXXXXXXXXDAQ==",
    "waba_id": "12XXXXX34512345",
    "ref": "campaign_2025_summer_sale", "ref1": "order_ORD_456789", "ref2": "payment_pending",
    "enable_url_tracking_body": false, "enable_url_tracking_button": false
  },
  "status": "sent",
  "message_id": "wamid.HBgMOTE5NDAXXXXXX3MDFQIAERgSMEYxMEM1QjQ3QjXXXXXXQ2N0YA"
}"#;

/// The same status as `STATUS_SENT` with another `status` value and no conversation (Meta's
/// read statuses carry none).
fn status_with(state: &str, extra_status_members: &str) -> String {
    format!(
        r#"{{"meta_object": {{"value": {{"messaging_product": "whatsapp",
        "metadata": {{"display_phone_number": "91XXXXXXXXXX", "phone_number_id": "104XXXXXXXXXX60"}},
        "statuses": [{{"id": "XXX7f9c32XXXX9deXXXXXXacac299cfb", "status": "{state}",
        "timestamp": "1722834700", "recipient_id": "919407XXXXXX"{extra_status_members}}}]}},
        "field": "messages"}},
        "extra_info": {{"trace_id": "8f14e45f-eXXX-4c1a-9e77-1a5XXXXXXXXX",
        "message_id": "wamid.XXXXXHE5NXXXXXXXXXXDAQ==", "waba_id": "12XXXXX34512345",
        "ref": "campaign_2025_summer_sale", "ref1": "order_ORD_456789", "ref2": "payment_pending"}},
        "status": "{state}", "message_id": "wamid.HBgMOTE5NDAXXXXXX3MDFQIAERgSMEYxMEM1QjQ3QjXXXXXXQ2N0YA"}}"#
    )
}

/// facts §3.4: the incoming envelope around one `messages[]` entry.
fn incoming(message: &str, media_url: &str) -> String {
    format!(
        r#"{{
  "meta_object": {{
    "value": {{
      "messaging_product": "whatsapp",
      "metadata": {{ "display_phone_number": "91XXXXXXXXXX", "phone_number_id": "177XXXXXXXXXX40" }},
      "contacts": [ {{ "profile": {{ "name": "Sam" }}, "wa_id": "91XXXXXXXXXX" }} ],
      "messages": [ {message} ]
    }},
    "field": "messages"
  }},
  "extra_info": {{
    "media_url": "{media_url}", "ref": "customer1", "ref1": "marketing", "ref2": "dictionary",
    "reply_to": "48c38d78-4ec5-XXXX-abee-03XXXXXX6c85",
    "trace_id": "cb94fee2-3e70-XXXX-944a-2a4XXXXdb90a",
    "waba_id": "347XXXXXXXXXX69"
  }}
}}"#
    )
}

const CONTEXT: &str =
    r#""context":{"from":"918XXXXXXXX0","id":"wamid.HBgMOTE4XXXXXXXXMBUCABEYEjQ2"}"#;

fn only_content(callback: &Callback<'_>) -> Content<'static> {
    assert_eq!(callback.messages().len(), 1, "{callback:?}");
    assert!(callback.statuses().is_empty());
    callback.messages()[0].content.clone().into_owned()
}

#[test]
fn status_sent_sample() -> TestResult {
    let callback = Callback::from_slice(STATUS_SENT.as_bytes())?;
    assert_eq!(callback.field(), Some("messages"));
    assert_eq!(callback.status(), Some("sent"));
    assert_eq!(
        callback.message_id(),
        Some("wamid.HBgMOTE5NDAXXXXXX3MDFQIAERgSMEYxMEM1QjQ3QjXXXXXXQ2N0YA")
    );
    let metadata = callback.metadata().ok_or("metadata")?;
    assert_eq!(
        metadata.display_phone_number.as_deref(),
        Some("91XXXXXXXXXX")
    );
    assert_eq!(metadata.phone_number_id.as_deref(), Some("104XXXXXXXXXX60"));
    assert!(callback.messages().is_empty());

    let [status] = callback.statuses() else {
        return Err("one status".into());
    };
    assert_eq!(status.id, "XXX7f9c32XXXX9deXXXXXXacac299cfb");
    assert_eq!(status.state, StatusState::Sent);
    assert_eq!(status.timestamp, "1722834665");
    assert_eq!(status.timestamp_secs(), Some(1_722_834_665));
    assert_eq!(status.recipient_id, "919407XXXXXX");
    assert!(status.errors.is_empty());
    assert!(!status.is_failure());
    let conversation = status.conversation.as_ref().ok_or("conversation")?;
    assert_eq!(conversation.id.as_deref(), Some("CONVERSATION_ID"));
    assert_eq!(
        conversation.expiration_timestamp.as_deref(),
        Some("172XXXX260")
    );
    assert_eq!(
        conversation.origin.as_ref().and_then(|o| o.kind.as_deref()),
        Some("marketing")
    );
    let pricing = status.pricing.as_ref().ok_or("pricing")?;
    assert_eq!(pricing.billable, Some(true));
    assert_eq!(
        pricing.pricing_model.as_deref(),
        Some("Conversation-Based Pricing")
    );
    assert_eq!(pricing.category.as_deref(), Some("marketing"));

    let extra = callback.extra_info();
    assert_eq!(
        extra.reference.as_deref(),
        Some("campaign_2025_summer_sale")
    );
    assert_eq!(extra.ref1.as_deref(), Some("order_ORD_456789"));
    assert_eq!(extra.ref2.as_deref(), Some("payment_pending"));
    assert_eq!(
        extra.trace_id.as_deref(),
        Some("8f14e45f-eXXX-4c1a-9e77-1a5XXXXXXXXX")
    );
    assert_eq!(
        extra.message_id.as_deref(),
        Some("wamid.XXXXXHE5NXXXXXXXXXXDAQ==")
    );
    assert_eq!(extra.waba_id.as_deref(), Some("12XXXXX34512345"));
    assert_eq!(extra.media_url(), None);
    assert_eq!(extra.reply_to, None);

    // Strings without escapes are borrowed from the body, not copied.
    assert!(matches!(status.id, Cow::Borrowed(_)));
    assert!(matches!(extra.reference, Some(Cow::Borrowed(_))));
    Ok(())
}

#[test]
fn the_printed_sample_with_its_trailing_comma_is_refused_with_a_typed_error() {
    // As Kaleyra prints it: a comma after the last member.
    let printed = STATUS_SENT.replacen(r#"QjXXXXXXQ2N0YA""#, r#"QjXXXXXXQ2N0YA","#, 1);
    match Callback::from_slice(printed.as_bytes()) {
        Err(Error::Callback(e)) => {
            assert_eq!(e.kind(), CallbackErrorKind::Envelope);
            assert!(e.reason().contains("trailing comma"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn delivered_read_and_not_sent() -> TestResult {
    for (text, state) in [
        ("delivered", StatusState::Delivered),
        ("read", StatusState::Read),
        // Kaleyra's NOT-SENT (facts §3.3): its lower-case spelling was not seen; both read.
        ("not-sent", StatusState::NotSent),
        ("NOT-SENT", StatusState::NotSent),
        // Meta's other values are not errors.
        ("deleted", StatusState::Other("deleted".into())),
    ] {
        let body = status_with(text, "");
        let callback = Callback::from_slice(body.as_bytes())?;
        assert_eq!(callback.statuses()[0].state, state, "{text}");
        assert_eq!(callback.status(), Some(text));
        assert_eq!(
            callback.statuses()[0].is_failure(),
            state == StatusState::NotSent
        );
    }
    Ok(())
}

#[test]
fn failed_with_meta_errors() -> TestResult {
    let cases = [
        (131047, MetaErrorCode::ReEngagementWindow, false),
        (131026, MetaErrorCode::Undeliverable, false),
        (130429, MetaErrorCode::ThroughputLimit, true),
        (131056, MetaErrorCode::PairRateLimit, true),
        (132000, MetaErrorCode::TemplateParamCount, false),
        (132001, MetaErrorCode::TemplateNotFound, false),
        (132012, MetaErrorCode::TemplateParamFormat, false),
        (131049, MetaErrorCode::EcosystemEngagement, true),
        (131014, MetaErrorCode::Other(131014), false),
    ];
    for (code, typed, retryable) in cases {
        // Meta's error object (facts §3.3 [META]).
        let errors = format!(
            r#","errors": [{{"code": {code}, "title": "Some title",
            "message": "Some message", "error_data": {{"details": "Some details"}},
            "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}}]"#
        );
        let body = status_with("failed", &errors);
        let callback = Callback::from_slice(body.as_bytes())?;
        let status = &callback.statuses()[0];
        assert_eq!(status.state, StatusState::Failed);
        assert!(status.is_failure());
        let [error] = status.errors.as_slice() else {
            return Err("one error".into());
        };
        assert_eq!(error.code, typed, "{code}");
        assert_eq!(error.code.code(), code);
        assert_eq!(error.is_retryable(), retryable, "{code}");
        assert_eq!(error.title.as_deref(), Some("Some title"));
        assert_eq!(error.message.as_deref(), Some("Some message"));
        assert_eq!(error.details(), Some("Some details"));
        assert!(
            error
                .href
                .as_deref()
                .is_some_and(|h| h.starts_with("https://"))
        );
    }
    // A code written as a string reads the same.
    let body = status_with("failed", r#","errors": [{"code": "131047"}]"#);
    let callback = Callback::from_slice(body.as_bytes())?;
    assert_eq!(
        callback.statuses()[0].errors[0].code,
        MetaErrorCode::ReEngagementWindow
    );
    Ok(())
}

#[test]
fn incoming_envelope() -> TestResult {
    let body = incoming(
        r#"{"from":"91XXXXXXXXXX","id":"wamid.IN1","timestamp":"17XXXXXXXX","type":"text","text":{"body":"Hi"}}"#,
        "",
    );
    let callback = Callback::from_slice(body.as_bytes())?;
    assert_eq!(callback.status(), None);
    assert_eq!(callback.message_id(), None);
    let [profile] = callback.contacts() else {
        return Err("one contact".into());
    };
    assert_eq!(profile.name.as_deref(), Some("Sam"));
    assert_eq!(profile.wa_id, "91XXXXXXXXXX");
    assert!(callback.contact("91XXXXXXXXXX").is_some());
    let extra = callback.extra_info();
    assert_eq!(extra.media_url(), None, "an empty media_url is none");
    assert_eq!(extra.reference.as_deref(), Some("customer1"));
    assert_eq!(extra.ref1.as_deref(), Some("marketing"));
    assert_eq!(extra.ref2.as_deref(), Some("dictionary"));
    assert_eq!(
        extra.reply_to.as_deref(),
        Some("48c38d78-4ec5-XXXX-abee-03XXXXXX6c85")
    );
    assert_eq!(
        extra.trace_id.as_deref(),
        Some("cb94fee2-3e70-XXXX-944a-2a4XXXXdb90a")
    );
    assert_eq!(extra.waba_id.as_deref(), Some("347XXXXXXXXXX69"));
    let message = &callback.messages()[0];
    assert_eq!(message.from, "91XXXXXXXXXX");
    assert_eq!(message.id, "wamid.IN1");
    assert_eq!(message.timestamp, "17XXXXXXXX");
    assert_eq!(message.timestamp_secs(), None);
    assert_eq!(message.context, None);
    Ok(())
}

#[test]
fn plain_text() -> TestResult {
    let body = incoming(
        r#"{"from":"91XXXXXXXXXX","id":"wamid.IN1","timestamp":"1722834665","type":"text","text":{"body":"Hello \"there\"\n"}}"#,
        "",
    );
    let callback = Callback::from_slice(body.as_bytes())?;
    match only_content(&callback) {
        Content::Text(text) => assert_eq!(text.body, "Hello \"there\"\n"),
        other => panic!("{other:?}"),
    }
    assert_eq!(callback.messages()[0].timestamp_secs(), Some(1_722_834_665));
    Ok(())
}

#[test]
fn template_quick_reply_button_tap() -> TestResult {
    let body = incoming(
        &format!(
            r#"{{{CONTEXT},"from":"91XXXXXXXXXX","id":"wamid.IN2","timestamp":"17XXXXXXXX","type":"button","button":{{"payload":"button0","text":"message"}}}}"#
        ),
        "",
    );
    let callback = Callback::from_slice(body.as_bytes())?;
    let message = &callback.messages()[0];
    let context = message.context.as_ref().ok_or("context")?;
    assert_eq!(context.from.as_deref(), Some("918XXXXXXXX0"));
    assert_eq!(
        context.id.as_deref(),
        Some("wamid.HBgMOTE4XXXXXXXXMBUCABEYEjQ2")
    );
    match only_content(&callback) {
        Content::Button(tap) => {
            assert_eq!(tap.payload, "button0");
            assert_eq!(tap.text, "message");
        }
        other => panic!("{other:?}"),
    }
    Ok(())
}

#[test]
fn list_reply() -> TestResult {
    let body = incoming(
        &format!(
            r#"{{{CONTEXT},"from":"91XXXXXXXXXX","id":"wamid.IN3","timestamp":"17XXXXXXXX","type":"interactive","interactive":{{"type":"list_reply","list_reply":{{"id":"1","title":"Table for two","description":"Window seat"}}}}}}"#
        ),
        "",
    );
    let callback = Callback::from_slice(body.as_bytes())?;
    match only_content(&callback) {
        Content::ListReply(choice) => {
            assert_eq!(choice.id, "1");
            assert_eq!(choice.title, "Table for two");
            assert_eq!(choice.description.as_deref(), Some("Window seat"));
        }
        other => panic!("{other:?}"),
    }
    Ok(())
}

#[test]
fn session_button_reply() -> TestResult {
    let body = incoming(
        &format!(
            r#"{{{CONTEXT},"from":"91XXXXXXXXXX","id":"wamid.IN4","timestamp":"17XXXXXXXX","type":"interactive","interactive":{{"type":"button_reply","button_reply":{{"id":"yes","title":"Yes"}}}}}}"#
        ),
        "",
    );
    let callback = Callback::from_slice(body.as_bytes())?;
    match only_content(&callback) {
        Content::ButtonReply(reply) => {
            assert_eq!((reply.id.as_ref(), reply.title.as_ref()), ("yes", "Yes"))
        }
        other => panic!("{other:?}"),
    }
    Ok(())
}

#[test]
fn address_message() -> TestResult {
    let body = incoming(
        &format!(
            r#"{{{CONTEXT},"from":"91XXXXXXXXXX","id":"wamid.IN5","timestamp":"17XXXXXXXX","type":"interactive","interactive":{{"type":"nfm_reply","nfm_reply":{{"response_json":"{{\"values\":{{\"in_pin_code\":\"666666\",\"city\":\"Bengaluru\"}}}}","body":"CUSTOMER_NAME\n+91XXXXXXXXXX","name":"address_message"}}}}}}"#
        ),
        "",
    );
    let callback = Callback::from_slice(body.as_bytes())?;
    match only_content(&callback) {
        Content::FlowReply(reply) => {
            assert!(reply.is_address());
            assert!(!reply.is_flow());
            assert_eq!(reply.body.as_deref(), Some("CUSTOMER_NAME\n+91XXXXXXXXXX"));
            let values = reply.json()?;
            assert_eq!(values["values"]["in_pin_code"], "666666");
            assert_eq!(reply.flow_token(), None);
        }
        other => panic!("{other:?}"),
    }
    Ok(())
}

#[derive(Debug, PartialEq, FlowResponse)]
struct Booked {
    #[flow_response(token)]
    token: String,
    date: String,
    #[flow_response(rename = "guest_count")]
    guests: u8,
    note: Option<String>,
}

#[test]
fn flow_completion() -> TestResult {
    // Meta's nfm_reply (facts §3.4 [META]) in Kaleyra's envelope.
    let body = incoming(
        &format!(
            r#"{{{CONTEXT},"from":"91XXXXXXXXXX","id":"wamid.IN6","timestamp":"17XXXXXXXX","type":"interactive","interactive":{{"type":"nfm_reply","nfm_reply":{{"name":"flow","body":"Sent","response_json":"{{\"flow_token\":\"booking-42\",\"date\":\"2026-12-01\",\"guest_count\":2}}"}}}}}}"#
        ),
        "",
    );
    let callback = Callback::from_slice(body.as_bytes())?;
    match only_content(&callback) {
        Content::FlowReply(reply) => {
            assert!(reply.is_flow());
            assert_eq!(reply.body.as_deref(), Some("Sent"));
            assert_eq!(reply.flow_token().as_deref(), Some("booking-42"));
            let booked: Booked = reply.parse()?;
            assert_eq!(
                booked,
                Booked {
                    token: "booking-42".into(),
                    date: "2026-12-01".into(),
                    guests: 2,
                    note: None
                }
            );
        }
        other => panic!("{other:?}"),
    }
    Ok(())
}

#[test]
fn media_reply() -> TestResult {
    for kind in ["image", "video", "audio", "sticker", "document"] {
        let body = incoming(
            &format!(
                r#"{{"from":"91XXXXXXXXXX","id":"wamid.IN7","timestamp":"17XXXXXXXX","type":"{kind}","{kind}":{{"mime_type":"image/jpeg","sha256":"SHA256XXXX","id":"4621XXXXXXXXXXX"}}}}"#
            ),
            "https://kaleyra-media.s3.amazonaws.com/XXXX.jpeg",
        );
        let callback = Callback::from_slice(body.as_bytes())?;
        assert_eq!(
            callback.extra_info().media_url(),
            Some("https://kaleyra-media.s3.amazonaws.com/XXXX.jpeg")
        );
        match only_content(&callback) {
            Content::Media(media) => {
                assert_eq!(media.kind.as_str(), kind);
                assert_eq!(media.id.as_deref(), Some("4621XXXXXXXXXXX"));
                assert_eq!(media.mime_type.as_deref(), Some("image/jpeg"));
                assert_eq!(media.sha256.as_deref(), Some("SHA256XXXX"));
            }
            other => panic!("{kind}: {other:?}"),
        }
    }
    let body = incoming(
        r#"{"from":"91XXXXXXXXXX","id":"wamid.IN8","timestamp":"17XXXXXXXX","type":"document","document":{"id":"1","filename":"menu.pdf","caption":"Our menu","mime_type":"application/pdf"}}"#,
        "",
    );
    match only_content(&Callback::from_slice(body.as_bytes())?) {
        Content::Media(media) => {
            assert_eq!(media.kind, MediaKind::Document);
            assert_eq!(media.filename.as_deref(), Some("menu.pdf"));
            assert_eq!(media.caption.as_deref(), Some("Our menu"));
        }
        other => panic!("{other:?}"),
    }
    Ok(())
}

#[test]
fn location() -> TestResult {
    let body = incoming(
        r#"{"from":"91XXXXXXXXXX","id":"wamid.IN9","timestamp":"17XXXXXXXX","type":"location","location":{"address":"Koramangala, Bengaluru","latitude":12.9473,"longitude":77.6468,"name":"Cafe","url":"https://foursquare.com/v/XXXX"}}"#,
        "",
    );
    match only_content(&Callback::from_slice(body.as_bytes())?) {
        Content::Location(place) => {
            assert_eq!(place.latitude, Some(12.9473));
            assert_eq!(place.longitude, Some(77.6468));
            assert_eq!(place.name.as_deref(), Some("Cafe"));
            assert_eq!(place.address.as_deref(), Some("Koramangala, Bengaluru"));
            assert_eq!(place.url.as_deref(), Some("https://foursquare.com/v/XXXX"));
        }
        other => panic!("{other:?}"),
    }
    Ok(())
}

#[test]
fn contacts_with_phones_as_an_object_or_a_list() -> TestResult {
    // Kaleyra's sample writes `phones` as an object; Meta writes a list.
    for phones in [
        r#"{"phone":"+91 98765 43210","wa_id":"919876543210","type":"MOBILE"}"#,
        r#"[{"phone":"+91 98765 43210","wa_id":"919876543210","type":"MOBILE"}]"#,
    ] {
        let body = incoming(
            &format!(
                r#"{{"from":"91XXXXXXXXXX","id":"wamid.IN10","timestamp":"17XXXXXXXX","type":"contacts","contacts":[{{"name":{{"first_name":"Asha","middle_name":"K","last_name":"Rao","formatted_name":"Asha K Rao"}},"phones":{phones}}}]}}"#
            ),
            "",
        );
        match only_content(&Callback::from_slice(body.as_bytes())?) {
            Content::Contacts(cards) => {
                let [card] = cards.as_slice() else {
                    return Err("one card".into());
                };
                let name = card.name.as_ref().ok_or("name")?;
                assert_eq!(name.formatted_name.as_deref(), Some("Asha K Rao"));
                assert_eq!(name.first_name.as_deref(), Some("Asha"));
                assert_eq!(name.middle_name.as_deref(), Some("K"));
                assert_eq!(name.last_name.as_deref(), Some("Rao"));
                let [phone] = card.phones.as_slice() else {
                    return Err("one phone".into());
                };
                assert_eq!(phone.phone.as_deref(), Some("+91 98765 43210"));
                assert_eq!(phone.wa_id.as_deref(), Some("919876543210"));
                assert_eq!(phone.kind.as_deref(), Some("MOBILE"));
            }
            other => panic!("{other:?}"),
        }
    }
    Ok(())
}

#[test]
fn unknown_types_and_members_are_not_errors() -> TestResult {
    // A reaction: a type this library does not read. Its members are kept as JSON.
    let body = incoming(
        r#"{"from":"91XXXXXXXXXX","id":"wamid.IN11","timestamp":"17XXXXXXXX","reaction":{"message_id":"wamid.X","emoji":"👍"},"type":"reaction","brand_new_member":[1,2]}"#,
        "",
    );
    match only_content(&Callback::from_slice(body.as_bytes())?) {
        Content::Other(other) => {
            assert_eq!(other.kind, "reaction");
            assert_eq!(other.members["reaction"]["emoji"], "👍");
            assert_eq!(other.members["brand_new_member"][1], 2);
        }
        other => panic!("{other:?}"),
    }
    // An unknown interactive type.
    let body = incoming(
        r#"{"from":"91XXXXXXXXXX","id":"wamid.IN12","timestamp":"17XXXXXXXX","type":"interactive","interactive":{"type":"payment_reply","payment_reply":{"id":"p1"}}}"#,
        "",
    );
    match only_content(&Callback::from_slice(body.as_bytes())?) {
        Content::Other(other) => {
            assert_eq!(other.kind, "interactive");
            assert_eq!(other.members["interactive"]["type"], "payment_reply");
            assert_eq!(other.members["interactive"]["payment_reply"]["id"], "p1");
        }
        other => panic!("{other:?}"),
    }
    // A known type without its content member.
    let body = incoming(
        r#"{"from":"91XXXXXXXXXX","id":"wamid.IN13","timestamp":"17XXXXXXXX","type":"text"}"#,
        "",
    );
    assert!(matches!(
        only_content(&Callback::from_slice(body.as_bytes())?),
        Content::Other(o) if o.kind == "text"
    ));
    // Unknown members everywhere, numbers where strings are usual, nulls.
    let body = r#"{"new_top": {"x": [1]}, "meta_object": {"value": {"statuses": [{"id": 12345,
        "status": "read", "timestamp": 1722834665, "recipient_id": null, "new": true,
        "pricing": {"billable": "true"}}], "future": 1}, "field": "messages", "more": null},
        "extra_info": null, "status": null}"#;
    let callback = Callback::from_slice(body.as_bytes())?;
    let status = &callback.statuses()[0];
    assert_eq!(status.id, "12345");
    assert_eq!(status.timestamp_secs(), Some(1_722_834_665));
    assert_eq!(status.recipient_id, "");
    assert_eq!(status.pricing.as_ref().and_then(|p| p.billable), Some(true));
    assert_eq!(callback.status(), None);
    Ok(())
}

#[test]
fn what_is_not_a_callback() {
    for body in [
        &b""[..],
        b"not json",
        b"[]",
        b"{}",
        br#"{"meta_object": "text"}"#,
        br#"{"meta_object": {"value": {"statuses": [1]}}}"#,
        b"<html>502 Bad Gateway</html>",
    ] {
        match Callback::from_slice(body) {
            Err(Error::Callback(e)) => assert_eq!(e.kind(), CallbackErrorKind::Envelope),
            other => panic!("{}: {other:?}", String::from_utf8_lossy(body)),
        }
    }
}

/// A JSON array in place of an object is not read member by member by position (issue 18):
/// `[{}]` is not an envelope, and `["A1", "delivered"]` is not a status.
#[test]
fn arrays_in_place_of_objects_are_refused() {
    for body in [
        &b"[{}]"[..],
        br#"[{"value": {"statuses": [{"id": "A1", "status": "sent"}]}}, {"ref": "x"}]"#,
        br#"{"meta_object": [{"statuses": [{"id": "A1", "status": "sent"}]}, "messages"]}"#,
        br#"{"meta_object": {"value": {"statuses": [["A1", "delivered", "1722834665", "919876543210"]]}}}"#,
        br#"{"meta_object": {"value": {"statuses": [{"id": "A1", "status": "failed", "errors": [[131047, "Re-engagement message"]]}]}}}"#,
        br#"{"meta_object": {"value": {"contacts": [[{"name": "x"}, "919876543210"]]}}}"#,
        br#"{"meta_object": {"value": {"messages": [["919876543210", "wamid.1", "1", "text"]]}}}"#,
        br#"{"meta_object": {"value": {"messages": [{"id": "wamid.1", "type": "contacts", "contacts": [[{"formatted_name": "A"}]]}]}}}"#,
        br#"{"meta_object": {"value": {"messages": [{"id": "wamid.1", "type": "contacts", "contacts": [{"phones": [["+1", "1", "HOME"]]}]}]}}}"#,
    ] {
        match Callback::from_slice(body) {
            Err(Error::Callback(e)) => assert_eq!(e.kind(), CallbackErrorKind::Envelope),
            other => panic!("{}: {other:?}", String::from_utf8_lossy(body)),
        }
    }
    // A single object where a list is usual is still read as a list of one.
    let one = br#"{"meta_object": {"value": {"statuses": {"id": "A1", "status": "sent"}}}}"#;
    assert!(Callback::from_slice(one).is_ok_and(|c| c.statuses().len() == 1));
}

#[test]
fn owned_equals_borrowed_for_every_sample() -> TestResult {
    let mut bodies = vec![
        STATUS_SENT.to_owned(),
        status_with("failed", r#","errors":[{"code":131026}]"#),
    ];
    bodies.push(incoming(
        r#"{"from":"1","id":"2","timestamp":"3","type":"interactive","interactive":{"type":"nfm_reply","nfm_reply":{"name":"flow","response_json":"{\"a\":1}"}}}"#,
        "https://x",
    ));
    for body in &bodies {
        let borrowed = Callback::from_slice(body.as_bytes())?;
        let owned: Callback<'static> = borrowed.clone().into_owned();
        assert_eq!(owned, borrowed);
    }
    Ok(())
}
