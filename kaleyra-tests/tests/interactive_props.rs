//! Property tests of the interactive session messages (issue 15): any valid reply-button, list
//! or CTA URL message encodes to JSON that reads back to the same values; its bytes (the
//! layout walked straight into the buffer) equal `serde_json::to_vec(&message.to_json())`; the
//! derive's `ask` writes the runtime builder's bytes; and any button or list reply body, valid
//! or not, is read (and `parse`d into the enum) without panicking.

use kaleyra::callback::{Callback, Content};
use kaleyra::prelude::*;
use kaleyra::session::{Buttons, CtaUrl, List};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::{Value, json};

const TO: &str = "+919876543210";

/// Deterministic runs: a fixed seed and no failure files in the source tree.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(0x6275_7474_6f6e_7321),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// 1-`max` characters that stress a JSON writer: quotes, backslashes, controls, separators,
/// non-ASCII (each one character, as WhatsApp counts).
fn text(max: usize) -> impl Strategy<Value = String> {
    vec(
        prop_oneof![
            Just('"'),
            Just('\\'),
            Just('/'),
            Just('\n'),
            Just('\u{0}'),
            Just('\u{1f}'),
            Just('\u{7f}'),
            Just('\u{2028}'),
            Just('é'),
            Just('😀'),
            Just('a'),
            any::<char>()
        ],
        1..=max,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn distinct(values: &[String]) -> bool {
    values
        .iter()
        .enumerate()
        .all(|(i, v)| !values[..i].contains(v))
}

/// Bytes equal serde_json's, and the JSON is the message's `interactive` object.
fn interactive(message: &Message) -> Value {
    let json = message.to_json();
    assert_eq!(
        message.as_bytes(),
        serde_json::to_vec(&json).unwrap().as_slice(),
        "the fast path writes exactly what serde_json writes"
    );
    assert_eq!(json["messaging_object"]["to"], TO);
    assert_eq!(json["messaging_object"]["type"], "interactive");
    json["messaging_object"]["interactive"].clone()
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

#[derive(Menu, Debug, Clone, Copy, PartialEq, Eq)]
#[menu(button = "Pick a slot")]
enum Slot {
    #[menu(section = "Morning", title = "09:00-12:00")]
    Morning,
    #[menu(
        section = "Afternoon",
        title = "12:00-15:00",
        description = "We call first"
    )]
    Afternoon,
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn buttons_read_back(
        body in text(40),
        header in proptest::option::of(text(60)),
        footer in proptest::option::of(text(60)),
        buttons in vec((text(30), text(20)), 1..=3),
    ) {
        let ids: Vec<String> = buttons.iter().map(|b| b.0.clone()).collect();
        let titles: Vec<String> = buttons.iter().map(|b| b.1.clone()).collect();
        prop_assume!(distinct(&ids) && distinct(&titles));
        let mut builder = Buttons::new(body.as_str()).unwrap();
        if let Some(h) = &header {
            builder = builder.header(h.as_str()).unwrap();
        }
        if let Some(f) = &footer {
            builder = builder.footer(f.as_str()).unwrap();
        }
        for (id, title) in &buttons {
            builder = builder.button(id.as_str(), title.as_str()).unwrap();
        }
        let i = interactive(&builder.to(TO).unwrap());
        prop_assert_eq!(&i["type"], "button");
        prop_assert_eq!(&i["body"]["text"], &json!(body));
        match &header {
            Some(h) => prop_assert_eq!(&i["header"], &json!({"type": "text", "text": h})),
            None => prop_assert!(i.get("header").is_none()),
        }
        match &footer {
            Some(f) => prop_assert_eq!(&i["footer"], &json!({"text": f})),
            None => prop_assert!(i.get("footer").is_none()),
        }
        let written: Vec<(String, String)> = i["action"]["buttons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                assert_eq!(b["type"], "reply");
                (
                    b["reply"]["id"].as_str().unwrap().to_owned(),
                    b["reply"]["title"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        prop_assert_eq!(written, buttons);
    }

    #[test]
    fn lists_read_back(
        body in text(60),
        button in text(20),
        sections in vec((text(24), vec((text(40), text(24), proptest::option::of(text(72))), 1..=4)), 1..=3),
        untitled in any::<bool>(),
    ) {
        let ids: Vec<String> = sections.iter().flat_map(|s| s.1.iter().map(|r| r.0.clone())).collect();
        prop_assume!(ids.len() <= 10 && distinct(&ids));
        // One section may be untitled only when it is the only one.
        let untitled = untitled && sections.len() == 1;
        let mut builder = List::new(body.as_str(), button.as_str()).unwrap();
        for (title, rows) in &sections {
            if !untitled {
                builder = builder.section(title.as_str()).unwrap();
            }
            for (id, row_title, description) in rows {
                builder = match description {
                    Some(d) => builder.row_with(id.as_str(), row_title.as_str(), d.as_str()),
                    None => builder.row(id.as_str(), row_title.as_str()),
                }
                .unwrap();
            }
        }
        let i = interactive(&builder.to(TO).unwrap());
        prop_assert_eq!(&i["type"], "list");
        prop_assert_eq!(&i["body"]["text"], &json!(body));
        prop_assert_eq!(&i["action"]["button"], &json!(button));
        let written = i["action"]["sections"].as_array().unwrap();
        prop_assert_eq!(written.len(), sections.len());
        for (w, (title, rows)) in written.iter().zip(&sections) {
            if untitled {
                prop_assert!(w.get("title").is_none());
            } else {
                prop_assert_eq!(&w["title"], &json!(title));
            }
            let w_rows = w["rows"].as_array().unwrap();
            prop_assert_eq!(w_rows.len(), rows.len());
            for (wr, (id, row_title, description)) in w_rows.iter().zip(rows) {
                prop_assert_eq!(&wr["id"], &json!(id));
                prop_assert_eq!(&wr["title"], &json!(row_title));
                match description {
                    Some(d) => prop_assert_eq!(&wr["description"], &json!(d)),
                    None => prop_assert!(wr.get("description").is_none()),
                }
            }
        }
    }

    #[test]
    fn cta_urls_read_back(
        body in text(60),
        display in text(20),
        path in "[a-zA-Z0-9/_%?=&.-]{0,40}",
        footer in proptest::option::of(text(60)),
    ) {
        let url = format!("https://example.com/{path}");
        let mut builder = CtaUrl::new(body.as_str(), display.as_str(), url.as_str()).unwrap();
        if let Some(f) = &footer {
            builder = builder.footer(f.as_str()).unwrap();
        }
        let i = interactive(&builder.to(TO).unwrap());
        prop_assert_eq!(&i["type"], "cta_url");
        prop_assert_eq!(
            &i["action"],
            &json!({"name": "cta_url", "parameters": {"display_text": display, "url": url}})
        );
    }

    #[test]
    fn the_derives_write_the_builders_bytes(body in text(200), footer in proptest::option::of(text(60))) {
        let mut derived = Delivery::ask(body.as_str()).unwrap();
        let mut runtime = Buttons::new(body.as_str())
            .unwrap()
            .button("Tomorrow", "Tomorrow")
            .unwrap()
            .button("NextWeek", "Next week")
            .unwrap()
            .button("cancel", "Cancel order")
            .unwrap();
        let mut menu = Slot::ask(body.as_str()).unwrap();
        let mut list = List::new(body.as_str(), "Pick a slot")
            .unwrap()
            .section("Morning")
            .unwrap()
            .row("Morning", "09:00-12:00")
            .unwrap()
            .section("Afternoon")
            .unwrap()
            .row_with("Afternoon", "12:00-15:00", "We call first")
            .unwrap();
        if let Some(f) = &footer {
            derived = derived.footer(f.as_str()).unwrap();
            runtime = runtime.footer(f.as_str()).unwrap();
            menu = menu.footer(f.as_str()).unwrap();
            list = list.footer(f.as_str()).unwrap();
        }
        let (derived, runtime) = (derived.to(TO).unwrap(), runtime.to(TO).unwrap());
        prop_assert_eq!(derived.as_bytes(), runtime.as_bytes());
        interactive(&derived);
        let (menu, list) = (menu.to(TO).unwrap(), list.to(TO).unwrap());
        prop_assert_eq!(menu.as_bytes(), list.as_bytes());
        interactive(&menu);
    }
}

/// A callback whose one message has this `interactive` object (any JSON, valid or not).
fn reply(interactive: Value) -> Vec<u8> {
    json!({
        "meta_object": {
            "value": {
                "messaging_product": "whatsapp",
                "messages": [{
                    "from": "919876543210", "id": "wamid.1", "timestamp": "1722863329",
                    "type": "interactive", "interactive": interactive
                }]
            },
            "field": "messages"
        }
    })
    .to_string()
    .into_bytes()
}

/// Any JSON value, shallow: what a malformed reply might hold where a string belongs.
fn any_json() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        text(30).prop_map(Value::from),
        prop_oneof![
            Just("Tomorrow"),
            Just("NextWeek"),
            Just("cancel"),
            Just("Morning"),
            Just("Afternoon")
        ]
        .prop_map(Value::from),
        vec(text(8), 0..3).prop_map(|v| json!(v)),
        (text(8), text(8)).prop_map(|(k, v)| json!({ k: v })),
    ]
}

/// Reads the callback and, if it holds a reply, parses it into both enums: never a panic; a
/// parse succeeds exactly when the id is one of the enum's.
fn read(body: &[u8]) {
    let Ok(callback) = Callback::from_slice(body) else {
        return;
    };
    for message in callback.messages() {
        match &message.content {
            Content::ButtonReply(tap) => {
                let known = ["Tomorrow", "NextWeek", "cancel"].contains(&&*tap.id);
                assert_eq!(tap.parse::<Delivery>().is_ok(), known);
                let _ = tap.parse::<Slot>();
            }
            Content::ListReply(choice) => {
                let known = ["Morning", "Afternoon"].contains(&&*choice.id);
                assert_eq!(choice.parse::<Slot>().is_ok(), known);
                if let Err(e) = choice.parse::<Delivery>() {
                    assert!(e.to_string().contains("list reply"));
                }
            }
            _ => {}
        }
    }
}

proptest! {
    #![proptest_config(config(2048))]

    #[test]
    fn any_button_reply_reads_without_panic(
        kind in prop_oneof![Just("button_reply".to_owned()), Just("list_reply".to_owned()), text(12)],
        id in any_json(),
        title in any_json(),
        description in proptest::option::of(any_json()),
        extra in proptest::option::of((text(8), any_json())),
    ) {
        let mut inner = json!({ "id": id, "title": title });
        if let Some(d) = description {
            inner["description"] = d;
        }
        if let Some((k, v)) = extra {
            inner[k] = v;
        }
        read(&reply(json!({ "type": kind.clone(), kind: inner })));
    }

    #[test]
    fn any_bytes_in_a_reply_read_without_panic(
        which in any::<bool>(),
        at in any::<prop::sample::Index>(),
        bytes in vec(any::<u8>(), 1..4),
        cut in any::<bool>(),
    ) {
        let kind = if which { "button_reply" } else { "list_reply" };
        let mut body = reply(json!({ "type": kind, kind: {"id": "cancel", "title": "Cancel order"} }));
        let at = at.index(body.len());
        if cut {
            body.truncate(at);
        } else {
            body.splice(at..at, bytes);
        }
        read(&body);
    }
}
