//! Property tests of Flow JSON (issue 16): `FlowJson::from_slice` and everything done with what
//! it reads (`validate`, `validate_for`, `unchecked`, `completion_fields`, `data_model`,
//! `to_pretty_string`) never panic, on arbitrary JSON of Flow JSON's vocabulary and on the valid
//! corpus documents with one subtree replaced by arbitrary JSON; and a document that reads writes
//! back to the same JSON value.

use std::path::Path;

use kaleyra::flows::{FlowJson, Purpose};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::{Map, Value};

/// Deterministic runs: a fixed seed and no failure files in the source tree.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(0x666c_6f77_6a73_6f6e),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const KEYS: &[&str] = &[
    "version",
    "screens",
    "id",
    "title",
    "terminal",
    "success",
    "data",
    "layout",
    "type",
    "children",
    "text",
    "label",
    "name",
    "on-click-action",
    "on-select-action",
    "next",
    "payload",
    "routing_model",
    "data_api_version",
    "data-source",
    "then",
    "else",
    "condition",
    "cases",
    "value",
    "__example__",
    "list-items",
    "max-length",
    "input-type",
    "markdown",
    "url",
    "src",
];

const STRINGS: &[&str] = &[
    "7.3",
    "4.0",
    "6.2",
    "x.y",
    "",
    "SingleColumnLayout",
    "TextHeading",
    "TextBody",
    "TextInput",
    "TextArea",
    "Dropdown",
    "CheckboxGroup",
    "RadioButtonsGroup",
    "ChipsSelector",
    "Footer",
    "OptIn",
    "EmbeddedLink",
    "Image",
    "NavigationList",
    "Form",
    "If",
    "Switch",
    "RichText",
    "DatePicker",
    "CalendarPicker",
    "PhotoPicker",
    "ImageCarousel",
    "navigate",
    "complete",
    "data_exchange",
    "update_data",
    "open_url",
    "screen",
    "A",
    "B",
    "SUCCESS",
    "${form.a}",
    "${data.a}",
    "${screen.A.form.a}",
    "${screen.B.data.",
    "${",
    "}",
    "a",
    "é😀",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        proptest::sample::select(STRINGS).prop_map(|s| Value::String(s.to_owned())),
        "\\PC{0,30}".prop_map(Value::String),
    ]
}

/// JSON trees whose keys and strings are mostly Flow JSON's.
fn json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(6, 200, 8, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..8).prop_map(Value::Array),
            btree_map(proptest::sample::select(KEYS), inner, 0..8).prop_map(|m| {
                Value::Object(
                    m.into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

/// Everything a caller may do with a document read; none of it may panic.
fn exercise(bytes: &[u8]) {
    if let Ok(flow) = FlowJson::from_slice(bytes) {
        let _ = flow.validate();
        let _ = flow.validate_for(Purpose::Send);
        let _ = flow.unchecked();
        let _ = flow.completion_fields();
        for screen in &flow.screens {
            let _ = screen.data_model();
        }
        let written = flow.to_pretty_string();
        let again: Value = serde_json::from_str(&written).expect("written back is JSON");
        let original: Value = serde_json::from_slice(bytes).expect("it was read");
        assert_eq!(again, original);
    }
}

fn valid_corpus() -> Vec<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/flows/valid");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
        .collect()
}

/// Replaces the subtree that `choice` picks (a walk down `value`) by `with`.
fn replace(value: &mut Value, choice: &[usize], with: Value) {
    let Some((&c, rest)) = choice.split_first() else {
        *value = with;
        return;
    };
    match value {
        Value::Array(items) if !items.is_empty() => {
            let n = items.len();
            replace(&mut items[c % n], rest, with)
        }
        Value::Object(map) if !map.is_empty() => {
            let n = map.len();
            if let Some(child) = map.values_mut().nth(c % n) {
                replace(child, rest, with)
            }
        }
        _ => *value = with,
    }
}

proptest! {
    #![proptest_config(config(2000))]

    #[test]
    fn arbitrary_json_never_panics(value in json()) {
        exercise(&serde_json::to_vec(&value).unwrap());
    }

    #[test]
    fn arbitrary_flow_like_documents_never_panic(
        screens in vec(json(), 0..4),
        version in proptest::sample::select(STRINGS),
        routing in json(),
    ) {
        let doc = serde_json::json!({"version": version, "screens": screens, "routing_model": routing});
        exercise(&serde_json::to_vec(&doc).unwrap());
    }

    #[test]
    fn bytes_never_panic(bytes in vec(any::<u8>(), 0..200)) {
        exercise(&bytes);
    }
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn corpus_documents_with_a_subtree_replaced_never_panic(
        pick in any::<usize>(),
        choice in vec(any::<usize>(), 0..10),
        with in json(),
    ) {
        let corpus = valid_corpus();
        let mut doc = corpus[pick % corpus.len()].clone();
        replace(&mut doc, &choice, with);
        exercise(&serde_json::to_vec(&doc).unwrap());
    }
}
