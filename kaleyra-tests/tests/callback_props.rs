//! Property tests of reading callbacks: no input makes `Callback::from_slice` panic (arbitrary
//! bytes, valid callbacks mutated byte by byte); what it reads equals what was written, for
//! arbitrary text (escapes, controls, non-ASCII); the owned form equals the borrowed one; and a
//! flow response survives the round trip through `response_json`, a JSON string in the JSON.

use kaleyra::FlowResponse;
use kaleyra::callback::{Callback, Content, StatusState};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::json;

/// Deterministic runs: a fixed seed and no failure files in the source tree.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(0x6361_6c6c_6261_636b),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Valid callbacks of every kind the library reads (facts §3 shapes), built once.
fn samples() -> &'static [Vec<u8>] {
    static SAMPLES: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    SAMPLES.get_or_init(build_samples)
}

fn build_samples() -> Vec<Vec<u8>> {
    let envelope = |message: serde_json::Value| {
        json!({
            "meta_object": {"value": {"messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550001234", "phone_number_id": "1"},
                "contacts": [{"profile": {"name": "Sam"}, "wa_id": "919876543210"}],
                "messages": [message]}, "field": "messages"},
            "extra_info": {"media_url": "", "ref": "r", "ref1": "r1", "ref2": "r2",
                "reply_to": "A1", "trace_id": "t", "waba_id": "w"}
        })
    };
    let message = |kind: &str, content: serde_json::Value| {
        json!({"context": {"from": "15550001234", "id": "wamid.C"}, "from": "919876543210",
            "id": "wamid.M", "timestamp": "1722834665", "type": kind, kind: content})
    };
    let status = json!({
        "meta_object": {"value": {"messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550001234", "phone_number_id": "1"},
            "statuses": [{"id": "A1", "status": "failed", "timestamp": "1722834665",
                "recipient_id": "919876543210",
                "conversation": {"id": "c", "expiration_timestamp": "1", "origin": {"type": "marketing"}},
                "pricing": {"billable": true, "pricing_model": "CBP", "category": "marketing"},
                "errors": [{"code": 131047, "title": "t", "message": "m",
                    "error_data": {"details": "d"}, "href": "h"}]}]},
            "field": "messages"},
        "extra_info": {"trace_id": "t", "message_id": "wamid.M", "waba_id": "w", "ref": "r",
            "ref1": "r1", "ref2": "r2"},
        "status": "failed", "message_id": "wamid.M"
    });
    let bodies = [
        status,
        envelope(message("text", json!({"body": "hi"}))),
        envelope(message("button", json!({"payload": "p", "text": "t"}))),
        envelope(message(
            "interactive",
            json!({"type": "list_reply",
            "list_reply": {"id": "1", "title": "t", "description": "d"}}),
        )),
        envelope(message(
            "interactive",
            json!({"type": "button_reply",
            "button_reply": {"id": "1", "title": "t"}}),
        )),
        envelope(message(
            "interactive",
            json!({"type": "nfm_reply", "nfm_reply": {"name": "flow",
            "body": "Sent", "response_json": "{\"flow_token\":\"t\",\"date\":\"d\",\"guests\":2}"}}),
        )),
        envelope(message(
            "image",
            json!({"id": "1", "mime_type": "image/jpeg", "sha256": "s"}),
        )),
        envelope(message(
            "location",
            json!({"latitude": 1.5, "longitude": -2.25,
            "name": "n", "address": "a", "url": "u"}),
        )),
        envelope(message(
            "contacts",
            json!([{"name": {"formatted_name": "f"},
            "phones": {"phone": "1", "wa_id": "1", "type": "MOBILE"}}]),
        )),
        envelope(message(
            "reaction",
            json!({"message_id": "wamid.C", "emoji": "👍"}),
        )),
    ];
    bodies
        .iter()
        .map(|b| serde_json::to_vec(b).unwrap_or_default())
        .collect()
}

/// One change to a body: flip a byte, delete a range, insert bytes, or cut it short.
#[derive(Debug, Clone)]
enum Mutation {
    Set(usize, u8),
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Set(at, b)),
        (any::<usize>(), 1usize..16).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (
            any::<usize>(),
            vec(
                prop_oneof![
                    Just(b'"'),
                    Just(b'\\'),
                    Just(b'{'),
                    Just(b'}'),
                    Just(b'['),
                    Just(b']'),
                    Just(b','),
                    Just(b':'),
                    Just(b'0'),
                    Just(b'n'),
                    any::<u8>()
                ],
                1..8
            )
        )
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(body: &mut Vec<u8>, mutation: &Mutation) {
    let len = body.len().max(1);
    match mutation {
        Mutation::Set(at, b) => {
            if let Some(byte) = body.get_mut(at % len) {
                *byte = *b;
            }
        }
        Mutation::Delete(at, n) => {
            let start = (at % len).min(body.len());
            let end = (start + n).min(body.len());
            body.drain(start..end);
        }
        Mutation::Insert(at, bytes) => {
            let at = (at % len).min(body.len());
            body.splice(at..at, bytes.iter().copied());
        }
        Mutation::Truncate(at) => body.truncate(at % len),
    }
}

/// Reads `body` and, when it reads, checks that the owned copy is equal.
fn read_and_own(body: &[u8]) {
    if let Ok(callback) = Callback::from_slice(body) {
        let owned = callback.clone().into_owned();
        assert_eq!(owned, callback);
        // Reading what it holds never panics either.
        for message in callback.messages() {
            let _ = message.content.kind();
            if let Content::FlowReply(reply) = &message.content {
                let _ = reply.flow_token();
                let _ = reply.json();
                let _ = reply.parse::<Booked>();
            }
        }
        for status in callback.statuses() {
            let _ = status.timestamp_secs();
            let _ = status.errors.iter().map(ToString::to_string).count();
        }
    }
}

#[derive(Debug, Clone, PartialEq, FlowResponse)]
struct Booked {
    #[flow_response(token)]
    token: String,
    date: String,
    guests: u8,
    note: Option<String>,
}

/// Text that stresses a JSON reader: quotes, backslashes, controls, separators, non-ASCII.
fn text() -> impl Strategy<Value = String> {
    vec(
        prop_oneof![
            Just('"'),
            Just('\\'),
            Just('/'),
            Just('\n'),
            Just('\u{0}'),
            Just('\u{1f}'),
            Just('\u{2028}'),
            Just('é'),
            Just('😀'),
            Just('a'),
            any::<char>()
        ],
        0..24,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(config(2048))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..512)) {
        read_and_own(&bytes);
    }

    #[test]
    fn mutated_callbacks_never_panic(
        which in 0usize..10,
        mutations in vec(mutation(), 1..6),
    ) {
        let samples = samples();
        let mut body = samples[which % samples.len()].clone();
        for m in &mutations {
            apply(&mut body, m);
        }
        read_and_own(&body);
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn every_sample_reads_and_owned_equals_borrowed(which in 0usize..10) {
        let samples = samples();
        let body = &samples[which % samples.len()];
        let callback = Callback::from_slice(body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(callback.clone().into_owned(), callback);
    }

    #[test]
    fn status_values_read_back(
        id in text(),
        reference in text(),
        recipient in text(),
        state in prop_oneof![Just("sent"), Just("delivered"), Just("read"), Just("failed"), Just("NOT-SENT")],
    ) {
        let body = serde_json::to_vec(&json!({
            "meta_object": {"value": {"statuses": [{"id": id, "status": state,
                "timestamp": "1", "recipient_id": recipient}]}, "field": "messages"},
            "extra_info": {"ref": reference},
        })).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let callback = Callback::from_slice(&body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let status = &callback.statuses()[0];
        prop_assert_eq!(status.id.as_ref(), id.as_str());
        prop_assert_eq!(status.recipient_id.as_ref(), recipient.as_str());
        prop_assert_eq!(callback.extra_info().reference.as_deref(), Some(reference.as_str()));
        prop_assert!(!matches!(status.state, StatusState::Other(_)));
        prop_assert_eq!(callback.clone().into_owned(), callback);
    }

    #[test]
    fn incoming_text_reads_back(body_text in text(), from in text(), name in text()) {
        let body = serde_json::to_vec(&json!({
            "meta_object": {"value": {"contacts": [{"profile": {"name": name}, "wa_id": from}],
                "messages": [{"from": from, "id": "wamid.1", "timestamp": "1", "type": "text",
                "text": {"body": body_text}}]}, "field": "messages"},
        })).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let callback = Callback::from_slice(&body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let message = &callback.messages()[0];
        prop_assert_eq!(message.from.as_ref(), from.as_str());
        match &message.content {
            Content::Text(text) => prop_assert_eq!(text.body.as_ref(), body_text.as_str()),
            other => prop_assert!(false, "{:?}", other),
        }
        prop_assert_eq!(callback.contact(&from).and_then(|c| c.name.as_deref()), Some(name.as_str()));
        prop_assert_eq!(callback.clone().into_owned(), callback);
    }

    #[test]
    fn flow_responses_survive_response_json(
        token in text(),
        date in text(),
        guests in any::<u8>(),
        note in proptest::option::of(text()),
    ) {
        let booked = Booked { token, date, guests, note };
        let response_json = booked.to_response_json().map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&Booked::from_response_json(&response_json).map_err(|e| TestCaseError::fail(e.to_string()))?, &booked);
        // Nested as a JSON string inside a callback, as WhatsApp sends it.
        let body = serde_json::to_vec(&json!({
            "meta_object": {"value": {"messages": [{"from": "1", "id": "wamid.1", "timestamp": "1",
                "type": "interactive", "interactive": {"type": "nfm_reply",
                "nfm_reply": {"name": "flow", "body": "Sent", "response_json": response_json}}}]},
                "field": "messages"},
        })).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let callback = Callback::from_slice(&body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let Content::FlowReply(reply) = &callback.messages()[0].content else {
            return Err(TestCaseError::fail("not a flow reply"));
        };
        let token = reply.flow_token();
        prop_assert_eq!(token.as_deref(), Some(booked.token.as_str()));
        prop_assert_eq!(reply.parse::<Booked>().map_err(|e| TestCaseError::fail(e.to_string()))?, booked);
    }
}
