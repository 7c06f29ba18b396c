//! callback: reading one callback body, for a status (Kaleyra's v2 `sent` sample, facts §3.3,
//! corrected to valid JSON) and a flow completion (an `nfm_reply` in the incoming envelope,
//! facts §3.4), against what a user would write without this library:
//!
//! - `ours`: `Callback::from_slice`: typed, borrowing strings from the body, unknown members
//!   skipped;
//! - `value`: `serde_json::from_slice::<serde_json::Value>` (a tree of every member);
//! - `owned_mirror`: a hand-written `#[derive(Deserialize)]` mirror of the members `ours` reads,
//!   with `String` fields.
//!
//! `main` checks first that all three read the same values, then prints a paired comparison
//! (alternating batches, the figure the targets are judged on; see BENCHMARKS.md) before
//! criterion's own measurements.

// The mirror's fields are filled by serde and only some are read back.
#![allow(dead_code)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kaleyra::callback::{Callback, Content};
use serde::Deserialize;
use serde_json::Value;

const STATUS: &[u8] = br#"{
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

const FLOW_COMPLETION: &[u8] = br#"{
  "meta_object": {
    "value": {
      "messaging_product": "whatsapp",
      "metadata": { "display_phone_number": "91XXXXXXXXXX", "phone_number_id": "177XXXXXXXXXX40" },
      "contacts": [ { "profile": { "name": "Sam" }, "wa_id": "91XXXXXXXXXX" } ],
      "messages": [ {
        "context": { "from": "918XXXXXXXX0", "id": "wamid.HBgMOTE4XXXXXXXXMBUCABEYEjQ2" },
        "from": "91XXXXXXXXXX",
        "id": "wamid.HBgMOTE5XXXXXXXXMBUCABIYFDNBMDQ",
        "timestamp": "1722834665",
        "type": "interactive",
        "interactive": {
          "type": "nfm_reply",
          "nfm_reply": {
            "response_json": "{\"flow_token\":\"booking-42\",\"date\":\"2026-12-01\",\"guest_count\":2,\"note\":\"by the window\"}",
            "body": "Sent",
            "name": "flow"
          }
        }
      } ]
    },
    "field": "messages"
  },
  "extra_info": {
    "media_url": "", "ref": "customer1", "ref1": "marketing", "ref2": "dictionary",
    "reply_to": "48c38d78-4ec5-XXXX-abee-03XXXXXX6c85",
    "trace_id": "cb94fee2-3e70-XXXX-944a-2a4XXXXdb90a",
    "waba_id": "347XXXXXXXXXX69"
  }
}"#;

// ------------------------------------------------------------ the owned mirror (serde's floor)

#[derive(Deserialize)]
struct Envelope {
    meta_object: MetaObject,
    #[serde(default)]
    extra_info: Option<ExtraInfo>,
    status: Option<String>,
    message_id: Option<String>,
}

#[derive(Deserialize)]
struct MetaObject {
    value: Option<ValueObject>,
    field: Option<String>,
}

#[derive(Deserialize)]
struct ValueObject {
    metadata: Option<Metadata>,
    #[serde(default)]
    contacts: Vec<Contact>,
    #[serde(default)]
    statuses: Vec<Status>,
    #[serde(default)]
    messages: Vec<Message>,
}

#[derive(Deserialize)]
struct Metadata {
    display_phone_number: Option<String>,
    phone_number_id: Option<String>,
}

#[derive(Deserialize)]
struct Contact {
    profile: Option<Profile>,
    wa_id: String,
}

#[derive(Deserialize)]
struct Profile {
    name: Option<String>,
}

#[derive(Deserialize)]
struct Status {
    id: String,
    status: String,
    timestamp: String,
    recipient_id: String,
    conversation: Option<Conversation>,
    pricing: Option<Pricing>,
    #[serde(default)]
    errors: Vec<MetaError>,
}

#[derive(Deserialize)]
struct Conversation {
    id: Option<String>,
    expiration_timestamp: Option<String>,
    origin: Option<Origin>,
}

#[derive(Deserialize)]
struct Origin {
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
struct Pricing {
    billable: Option<bool>,
    pricing_model: Option<String>,
    category: Option<String>,
}

#[derive(Deserialize)]
struct MetaError {
    code: i64,
    title: Option<String>,
    message: Option<String>,
    href: Option<String>,
}

#[derive(Deserialize)]
struct ExtraInfo {
    #[serde(rename = "ref")]
    reference: Option<String>,
    ref1: Option<String>,
    ref2: Option<String>,
    trace_id: Option<String>,
    message_id: Option<String>,
    waba_id: Option<String>,
    media_url: Option<String>,
    reply_to: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    context: Option<Context>,
    from: String,
    id: String,
    timestamp: String,
    #[serde(rename = "type")]
    kind: String,
    text: Option<Text>,
    button: Option<Button>,
    interactive: Option<Interactive>,
    image: Option<Media>,
}

#[derive(Deserialize)]
struct Context {
    from: Option<String>,
    id: Option<String>,
}

#[derive(Deserialize)]
struct Text {
    body: String,
}

#[derive(Deserialize)]
struct Button {
    payload: String,
    text: String,
}

#[derive(Deserialize)]
struct Interactive {
    #[serde(rename = "type")]
    kind: String,
    button_reply: Option<Reply>,
    list_reply: Option<Reply>,
    nfm_reply: Option<NfmReply>,
}

#[derive(Deserialize)]
struct Reply {
    id: String,
    title: String,
}

#[derive(Deserialize)]
struct NfmReply {
    name: Option<String>,
    body: Option<String>,
    response_json: String,
}

#[derive(Deserialize)]
struct Media {
    id: Option<String>,
    mime_type: Option<String>,
    sha256: Option<String>,
}

fn mirror(body: &[u8]) -> Option<Envelope> {
    serde_json::from_slice(body).ok()
}

/// All three read the same values from both bodies.
fn same_values() {
    let ours = Callback::from_slice(STATUS).ok();
    let theirs = mirror(STATUS);
    let value: Option<Value> = serde_json::from_slice(STATUS).ok();
    let (Some(ours), Some(theirs), Some(value)) = (ours, theirs, value) else {
        panic!("the status body does not read");
    };
    let status = &ours.statuses()[0];
    let mirrored = &theirs.meta_object.value.as_ref().expect("value").statuses[0];
    assert_eq!(status.id, mirrored.id);
    assert_eq!(status.state.as_str(), mirrored.status);
    assert_eq!(status.recipient_id, mirrored.recipient_id);
    assert_eq!(
        status.id,
        value["meta_object"]["value"]["statuses"][0]["id"]
            .as_str()
            .unwrap_or_default()
    );
    assert_eq!(
        ours.extra_info().reference.as_deref(),
        theirs
            .extra_info
            .as_ref()
            .and_then(|e| e.reference.as_deref())
    );
    assert_eq!(ours.message_id(), theirs.message_id.as_deref());

    let ours = Callback::from_slice(FLOW_COMPLETION).ok();
    let theirs = mirror(FLOW_COMPLETION);
    let value: Option<Value> = serde_json::from_slice(FLOW_COMPLETION).ok();
    let (Some(ours), Some(theirs), Some(value)) = (ours, theirs, value) else {
        panic!("the flow completion body does not read");
    };
    let Content::FlowReply(reply) = &ours.messages()[0].content else {
        panic!("not a flow reply");
    };
    let mirrored = theirs.meta_object.value.as_ref().expect("value").messages[0]
        .interactive
        .as_ref()
        .and_then(|i| i.nfm_reply.as_ref())
        .expect("nfm_reply");
    assert_eq!(reply.response_json(), mirrored.response_json);
    assert_eq!(
        reply.response_json(),
        value["meta_object"]["value"]["messages"][0]["interactive"]["nfm_reply"]["response_json"]
            .as_str()
            .unwrap_or_default()
    );
}

/// Median of `v`.
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Nanoseconds per call of `f`, over `n` calls.
fn per_call(n: u32, f: &mut dyn FnMut()) -> f64 {
    let start = std::time::Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_secs_f64() * 1e9 / f64::from(n)
}

/// The three readers (and serde_json's tokenizer alone, `IgnoredAny`, the floor of any reader)
/// in alternating short batches, the order rotated each round, so that the machine's noise (two
/// cores shared with other work) hits all alike; prints each one's median time per call and the
/// medians of the per-round ratios.
fn paired(name: &str, body: &'static [u8]) {
    // `PAIRED_ROUNDS=0` skips it (e.g. to profile one of criterion's functions alone).
    let rounds: usize = std::env::var("PAIRED_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(201);
    if rounds == 0 {
        return;
    }
    const CALLS: u32 = 2000;
    let mut ours = || {
        let _ = black_box(
            Callback::from_slice(black_box(body)).map(|c| c.statuses().len() + c.messages().len()),
        );
    };
    let mut value = || {
        let _ = black_box(serde_json::from_slice::<Value>(black_box(body)).map(|v| v.is_object()));
    };
    let mut mirrored = || {
        let _ = black_box(mirror(black_box(body)).map(|e| e.status.is_some()));
    };
    // The floor: serde_json's tokenizer alone, reading nothing.
    let mut skipped = || {
        let _ = black_box(serde_json::from_slice::<serde::de::IgnoredAny>(black_box(
            body,
        )));
    };
    let mut times: [Vec<f64>; 4] = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    let (mut to_value, mut to_mirror) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let mut t = [0.0; 4];
        for k in 0..4 {
            let which = (round + k) % 4;
            let f: &mut dyn FnMut() = match which {
                0 => &mut ours,
                1 => &mut value,
                2 => &mut mirrored,
                _ => &mut skipped,
            };
            t[which] = per_call(CALLS, f);
        }
        for (all, one) in times.iter_mut().zip(t) {
            all.push(one);
        }
        to_value.push(t[0] / t[1]);
        to_mirror.push(t[0] / t[2]);
    }
    let [ours, value, mirrored, skipped] = times.map(median);
    println!(
        "callback/{name}/paired ({rounds} rounds of {CALLS} calls each): ours {ours:.0} ns, \
         value {value:.0} ns, owned_mirror {mirrored:.0} ns, tokenizer alone {skipped:.0} ns; \
         ours/value {:.2}, ours/owned_mirror {:.2}",
        median(to_value),
        median(to_mirror)
    );
}

fn callback(c: &mut Criterion) {
    same_values();
    paired("status", STATUS);
    paired("flow_completion", FLOW_COMPLETION);
    for (name, body) in [("status", STATUS), ("flow_completion", FLOW_COMPLETION)] {
        let mut g = c.benchmark_group(format!("callback/{name}"));
        g.bench_function("ours", |b| {
            b.iter(|| {
                Callback::from_slice(black_box(body))
                    .map(|c| c.statuses().len() + c.messages().len())
            })
        });
        g.bench_function("value", |b| {
            b.iter(|| serde_json::from_slice::<Value>(black_box(body)).map(|v| v.is_object()))
        });
        g.bench_function("owned_mirror", |b| {
            b.iter(|| mirror(black_box(body)).map(|e| e.status.is_some()))
        });
        g.finish();
    }
}

criterion_group!(benches, callback);
criterion_main!(benches);
