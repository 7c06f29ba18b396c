//! flows: reading and validating a Flow JSON of 20 screens and 300 components
//! (`FlowJson::from_slice` + `validate`), against the floor of reading the same bytes at all,
//! `serde_json::from_slice::<Value>`. Target (issue 16): at most 3x. `main` checks that the
//! document is valid (so that every rule runs to the end) before measuring.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kaleyra::flows::FlowJson;
use serde_json::{Value, json};

const SCREENS: usize = 20;
/// Components a screen: 14 + its Footer = 15, 300 in all.
const PER_SCREEN: usize = 14;

fn screen_id(i: usize) -> String {
    format!("STEP_{}", (b'A' + i as u8) as char)
}

fn components(i: usize) -> Vec<Value> {
    let options: Vec<Value> = (0..5)
        .map(|o| json!({"id": format!("opt_{o}"), "title": format!("Option {o}"), "description": "A short description"}))
        .collect();
    let mut c = vec![
        json!({"type": "TextHeading", "text": "Tell us about your booking"}),
        json!({"type": "TextSubheading", "text": "It takes a minute"}),
        json!({"type": "TextBody", "text": "We use these answers only to prepare your visit. ".repeat(4)}),
        json!({"type": "TextCaption", "text": "Fields marked * are required"}),
        json!({"type": "TextInput", "name": format!("name_{i}"), "label": "Full name", "input-type": "text", "required": true, "helper-text": "As on your ID"}),
        json!({"type": "TextInput", "name": format!("email_{i}"), "label": "Email", "input-type": "email"}),
        json!({"type": "TextArea", "name": format!("notes_{i}"), "label": "Notes", "max-length": 600}),
        json!({"type": "Dropdown", "name": format!("dept_{i}"), "label": "Department", "data-source": options}),
        json!({"type": "RadioButtonsGroup", "name": format!("time_{i}"), "label": "Time", "data-source": options}),
        json!({"type": "CheckboxGroup", "name": format!("extras_{i}"), "label": "Extras", "data-source": options}),
        json!({"type": "DatePicker", "name": format!("date_{i}"), "label": "Date"}),
        json!({"type": "OptIn", "name": format!("terms_{i}"), "label": "I agree to the terms and conditions"}),
        json!({"type": "EmbeddedLink", "text": "Privacy policy", "on-click-action": {"name": "open_url", "url": "https://example.com/privacy"}}),
        json!({"type": "TextBody", "text": "Hello ${data.greeting}"}),
    ];
    assert_eq!(c.len(), PER_SCREEN);
    let action = if i + 1 == SCREENS {
        json!({"name": "complete", "payload": {"name": format!("${{form.name_{i}}}"), "date": format!("${{form.date_{i}}}")}})
    } else {
        json!({"name": "navigate", "next": {"type": "screen", "name": screen_id(i + 1)}, "payload": {"greeting": format!("${{form.name_{i}}}")}})
    };
    c.push(json!({"type": "Footer", "label": "Continue", "on-click-action": action}));
    c
}

fn document() -> Vec<u8> {
    let screens: Vec<Value> = (0..SCREENS)
        .map(|i| {
            json!({
                "id": screen_id(i), "title": format!("Step {}", i + 1), "terminal": i + 1 == SCREENS,
                "data": {"greeting": {"type": "string", "__example__": "Asha"}},
                "layout": {"type": "SingleColumnLayout", "children": components(i)}
            })
        })
        .collect();
    let mut doc = json!({"version": "7.3", "screens": screens});
    // The first screen receives no data: the flow message's payload would give it.
    doc["screens"][0]["layout"]["children"][13] = json!({"type": "TextBody", "text": "Hello"});
    doc["screens"][0].as_object_mut().unwrap().remove("data");
    serde_json::to_vec_pretty(&doc).unwrap()
}

fn bench(c: &mut Criterion) {
    let bytes = document();
    let flow = FlowJson::from_slice(&bytes).unwrap();
    let components: usize = flow.screens.iter().map(|s| s.layout.children.len()).sum();
    assert_eq!(
        (flow.screens.len(), components),
        (SCREENS, SCREENS * (PER_SCREEN + 1))
    );
    assert_eq!(flow.validate(), vec![], "the benchmark's document is valid");

    let mut group = c.benchmark_group("flows_20_screens_300_components");
    group.bench_function("ours_from_slice_validate", |b| {
        b.iter(|| {
            let flow = FlowJson::from_slice(black_box(&bytes)).unwrap();
            black_box(flow.validate())
        })
    });
    group.bench_function("serde_json_value", |b| {
        b.iter(|| black_box(serde_json::from_slice::<Value>(black_box(&bytes)).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
