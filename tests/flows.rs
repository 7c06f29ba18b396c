//! Flow JSON (issue 16): the corpus in tests/flows/ (documents written from Meta's Flow JSON
//! reference and examples). Every valid document reads, validates clean and writes back as the
//! same JSON (same key order); every invalid one breaks exactly one rule, reported with the rule
//! and the JSON path that tests/flows/invalid/expect.json gives.

use std::fs;
use std::path::{Path, PathBuf};

use kaleyra::flows::{
    Action, Choice, ChoiceOption, Component, EmbeddedLink, FlowJson, FlowJsonError, Footer, Form,
    If, Input, JsonType, OptIn, Purpose, Rule, Screen, Switch, Text,
};
use serde_json::{Map, Value, json};

fn corpus(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/flows")
        .join(kind);
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("expect.json"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> FlowJson {
    let bytes = fs::read(path).unwrap();
    FlowJson::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_corpus_is_large_enough() {
    assert!(corpus("valid").len() >= 25);
    assert!(corpus("invalid").len() >= 40);
}

#[test]
fn every_valid_document_validates_clean() {
    let mut failures = Vec::new();
    for path in corpus("valid") {
        for v in read(&path).validate() {
            failures.push(format!("{}: {v} ({})", path.display(), v.rule));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_valid_document_round_trips() {
    for path in corpus("valid") {
        let bytes = fs::read(&path).unwrap();
        let original: Value = serde_json::from_slice(&bytes).unwrap();
        let flow = FlowJson::from_slice(&bytes).unwrap();
        let written = flow.to_pretty_string();
        let back: Value = serde_json::from_str(&written).unwrap();
        assert_eq!(back, original, "{}", path.display());
        // Key order as read: the text is the original's, pretty-printed the same way.
        assert_eq!(
            written,
            serde_json::to_string_pretty(&original).unwrap(),
            "{}",
            path.display()
        );
    }
}

#[test]
fn every_invalid_document_breaks_its_one_rule_at_its_path() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/flows/invalid");
    let expect: Map<String, Value> =
        serde_json::from_slice(&fs::read(dir.join("expect.json")).unwrap()).unwrap();
    let files = corpus("invalid");
    assert_eq!(files.len(), expect.len(), "one expectation a file");
    let mut failures = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let want = &expect[name];
        let got: Vec<(String, String)> = read(&path)
            .validate()
            .into_iter()
            .map(|v| (v.rule.to_string(), v.path))
            .collect();
        let want = vec![(
            want["rule"].as_str().unwrap().to_owned(),
            want["path"].as_str().unwrap().to_owned(),
        )];
        if got != want {
            failures.push(format!("{name}: expected {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn corpus_file(kind: &str, name: &str) -> FlowJson {
    read(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/flows")
            .join(kind)
            .join(name),
    )
}

#[test]
fn a_violation_displays_as_path_colon_message() {
    let flow = corpus_file("invalid", "text_input_label_27.json");
    let v = &flow.validate()[0];
    assert_eq!(v.rule, Rule::TextLength);
    assert_eq!(
        v.to_string(),
        "screens[0].layout.children[0].label: at most 20 characters, found 27"
    );
}

#[test]
fn a_frozen_version_may_be_sent_but_not_published() {
    let flow = corpus_file("invalid", "version_frozen_not_publishable.json");
    assert_eq!(flow.validate()[0].rule, Rule::Version);
    assert!(flow.validate_for(Purpose::Send).is_empty());
    let expired = corpus_file("invalid", "version_not_a_version.json");
    assert_eq!(expired.validate_for(Purpose::Send)[0].rule, Rule::Version);
}

#[test]
fn unknown_components_are_kept_and_reported_as_not_checked() {
    let flow = corpus_file("valid", "19_unknown_component.json");
    assert!(flow.validate().is_empty());
    let unchecked = flow.unchecked();
    assert_eq!(unchecked.len(), 1);
    assert_eq!(unchecked[0].path, "screens[0].layout.children[0]");
    assert_eq!(unchecked[0].component_type, "ImageCarousel");
    assert!(matches!(
        flow.screens[0].layout.children[0],
        Component::Unknown(_)
    ));
    assert!(
        corpus_file("valid", "01_hello_world_7_3.json")
            .unchecked()
            .is_empty()
    );
}

#[test]
fn a_screens_data_model_names_and_types() {
    let flow = corpus_file("valid", "03_appointment.json");
    let model = flow.screen("SUMMARY").unwrap().data_model();
    let got: Vec<(&str, Option<JsonType>)> = model
        .iter()
        .map(|f| (f.name.as_str(), f.json_type))
        .collect();
    assert_eq!(
        got,
        [
            ("department", Some(JsonType::Text)),
            ("date", Some(JsonType::Text)),
            ("time", Some(JsonType::Text)),
            ("extras", Some(JsonType::Array)),
        ]
    );
    assert!(flow.screen("APPOINTMENT").unwrap().data_model().is_empty());
    assert!(flow.screen("NOPE").is_none());
}

#[test]
fn completion_fields_are_the_union_of_the_terminal_screens_complete() {
    // PAID sends card (a data string) and paid (a literal); CANCELLED sends paid only.
    let flow = corpus_file("valid", "21_two_terminals.json");
    let fields = flow.completion_fields();
    let got: Vec<(&str, Option<JsonType>, bool)> = fields
        .iter()
        .map(|f| (f.name.as_str(), f.json_type, f.always))
        .collect();
    assert_eq!(
        got,
        [
            ("card", Some(JsonType::Text), false),
            ("paid", Some(JsonType::Boolean), true),
        ]
    );
    // Inputs: an OptIn answers a boolean, a CheckboxGroup an array; ${screen.S.form.x} too.
    let flow = corpus_file("valid", "09_optin_read_more.json");
    assert_eq!(
        flow.completion_fields()[0].json_type,
        Some(JsonType::Boolean)
    );
    let flow = corpus_file("valid", "22_global_bindings.json");
    let got: Vec<(String, Option<JsonType>)> = flow
        .completion_fields()
        .into_iter()
        .map(|f| (f.name, f.json_type))
        .collect();
    assert_eq!(
        got,
        [
            ("name".to_owned(), Some(JsonType::Text)),
            ("greeting".to_owned(), Some(JsonType::Text)),
            ("city".to_owned(), Some(JsonType::Text)),
        ]
    );
}

#[test]
fn a_flow_built_in_code_validates_and_writes_meta_casing() {
    let mut payload = Map::new();
    payload.insert("size".into(), json!("${form.size}"));
    let flow = FlowJson::new("7.3").with_screen(
        Screen::new(
            "ORDER",
            vec![
                Component::TextHeading(Text::new("Your order")),
                Component::TextInput(Input::new("notes", "Notes")),
                Component::RadioButtonsGroup(Choice::new(
                    "size",
                    "Size",
                    vec![
                        ChoiceOption::new("s", "Small"),
                        ChoiceOption::new("l", "Large"),
                    ],
                )),
                Component::Footer(Footer::new("Order", Action::complete(payload))),
            ],
        )
        .title("Order")
        .terminal(Some(true)),
    );
    assert_eq!(flow.validate(), vec![]);
    let written: Value = serde_json::from_str(&flow.to_pretty_string()).unwrap();
    assert_eq!(
        written,
        json!({"version": "7.3", "screens": [{"id": "ORDER", "title": "Order", "terminal": true, "success": true,
        "layout": {"type": "SingleColumnLayout", "children": [
          {"type": "TextHeading", "text": "Your order"},
          {"type": "TextInput", "name": "notes", "label": "Notes"},
          {"type": "RadioButtonsGroup", "name": "size", "label": "Size",
           "data-source": [{"id": "s", "title": "Small"}, {"id": "l", "title": "Large"}]},
          {"type": "Footer", "label": "Order", "on-click-action": {"name": "complete", "payload": {"size": "${form.size}"}}}
        ]}}]})
    );
    // Read back, it is the same document.
    let again = FlowJson::from_slice(flow.to_pretty_string().as_bytes()).unwrap();
    assert_eq!(again.to_value(), flow.to_value());
}

#[test]
fn what_is_not_a_flow_json_is_a_typed_error() {
    assert!(matches!(
        FlowJson::from_slice(b"{"),
        Err(FlowJsonError::Syntax(_))
    ));
    assert!(matches!(
        FlowJson::from_slice(b"[]"),
        Err(FlowJsonError::Shape { .. })
    ));
    let no_version = FlowJson::from_slice(br#"{"screens": []}"#).unwrap_err();
    assert_eq!(no_version.to_string(), "missing member `version`");
    let bad_screen = br#"{"version": "7.3", "screens": [{"id": "A", "layout": {"type": "SingleColumnLayout", "children": []}},
        {"id": "B", "layout": {"type": "SingleColumnLayout", "children": [{"type": "TextHeading", "text": 5}]}}]}"#;
    match FlowJson::from_slice(bad_screen) {
        Err(FlowJsonError::Shape { path, message }) => {
            assert_eq!(path, "screens[1]");
            assert!(message.contains("TextHeading"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let untyped = br#"{"version": "7.3", "screens": [{"id": "A", "layout": {"type": "SingleColumnLayout", "children": [{"text": "x"}]}}]}"#;
    assert!(matches!(
        FlowJson::from_slice(untyped),
        Err(FlowJsonError::Shape { .. })
    ));
}

#[test]
fn an_optional_member_read_as_null_is_written_back_as_null() {
    // Found by kaleyra-tests/tests/flows_props.rs: `"title": null` was read as None and dropped.
    let text = br#"{"version": "7.3", "screens": [{"id": "A", "title": null, "terminal": true,
        "layout": {"type": "SingleColumnLayout", "children": [
          {"type": "Footer", "label": "OK", "left-caption": null, "on-click-action": {"name": "complete", "payload": {}}}]}}]}"#;
    let original: Value = serde_json::from_slice(text).unwrap();
    let flow = FlowJson::from_slice(text).unwrap();
    assert_eq!(flow.to_value(), original);
}

#[test]
fn containers_built_in_code_are_checked_like_read_ones() {
    let done = |payload: Map<String, Value>| {
        Component::Footer(Footer::new("Done", Action::complete(payload)))
    };
    let mut payload = Map::new();
    payload.insert("vip".into(), json!("${form.vip}"));
    let screen = |then_footer: bool| {
        Screen::new(
            "ASK",
            vec![Component::Form(Form::new(
                "f",
                vec![
                    Component::OptIn(OptIn::new("vip", "I am a member")),
                    Component::Switch(Switch::new(
                        "${data.kind}",
                        [("a", vec![Component::TextBody(Text::new("A"))])],
                    )),
                    Component::EmbeddedLink(EmbeddedLink::new(
                        "Site",
                        Action::open_url("https://example.com"),
                    )),
                    Component::If(If::new(
                        "${form.vip}",
                        if then_footer {
                            vec![done(payload.clone())]
                        } else {
                            vec![Component::TextBody(Text::new("Hi"))]
                        },
                        Some(vec![done(payload.clone())]),
                    )),
                ],
            ))],
        )
        .data_entry("kind", "string", json!("a"))
        .terminal(None)
    };
    let good = FlowJson::new("6.0").with_screen(screen(true));
    assert_eq!(good.validate(), vec![]);
    let bad = FlowJson::new("6.0").with_screen(screen(false));
    let v = bad.validate();
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        (v[0].rule, v[0].path.as_str()),
        (Rule::IfFooter, "screens[0].layout.children[0].children[3]")
    );
}
