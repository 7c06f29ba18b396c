//! Templates as code (issue 19), as a property: any definition pulled from the simulator
//! pushes back as `= unchanged`. The account holds arbitrary definitions (every component type,
//! members the library does not model, numbers and nested values, `parameter_format` present or
//! not, any case of the category and status); `client.templates()` reads them over HTTP, the
//! file is written as `kaleyra templates pull` writes it and read back, and the push plan of
//! that file against the account, pruning, is `=` on every line.

use kaleyra::catalogue::{Catalogue, TemplateDefinition, plan};
use kaleyra::mock::MockServer;
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::{Map, Value, json};

/// Deterministic runs: a fixed seed and no failure files in the source tree.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(0x7075_7368_2d70_726f),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text with what stresses a JSON writer and reader.
fn text() -> impl Strategy<Value = String> {
    vec(
        prop_oneof![
            Just('"'),
            Just('\\'),
            Just('\n'),
            Just('\u{2028}'),
            Just('é'),
            Just('\u{1f600}'),
            Just('{'),
            Just('}'),
            proptest::char::range('a', 'z'),
            Just(' '),
        ],
        1..40,
    )
    .prop_map(|c| c.into_iter().collect())
}

/// Any JSON value, a few levels deep (what Meta may add that the library does not model).
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::from),
            btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn case_of(values: &[&'static str]) -> impl Strategy<Value = String> {
    (proptest::sample::select(values.to_vec()), any::<bool>()).prop_map(|(v, lower)| {
        if lower {
            v.to_ascii_lowercase()
        } else {
            v.to_owned()
        }
    })
}

fn button() -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(|t| json!({"type": "QUICK_REPLY", "text": t})),
        text().prop_map(
            |t| json!({"type": "URL", "text": t, "url": "https://example.com/{{1}}", "example": ["a-1"]})
        ),
        text().prop_map(|t| json!({"type": "PHONE_NUMBER", "text": t, "phone_number": "15550001234"})),
        Just(json!({"type": "COPY_CODE", "example": "SAVE10"})),
        Just(json!({"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy code"})),
        (text(), any::<u32>()).prop_map(
            |(t, id)| json!({"type": "FLOW", "text": t, "flow_id": id, "flow_action": "navigate"})
        ),
        (text(), any_json()).prop_map(|(t, extra)| json!({"type": "SOMETHING_NEW", "text": t, "extra": extra})),
    ]
}

fn component() -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(
            |t| json!({"type": "HEADER", "format": "TEXT", "text": format!("{t} {{{{1}}}}"),
                                    "example": {"header_text": ["x"]}})
        ),
        case_of(&["IMAGE", "VIDEO", "DOCUMENT"])
            .prop_map(|f| json!({"type": "HEADER", "format": f,
                                    "example": {"header_handle": ["https://example.com/h.jpg"]}})),
        (text(), 0usize..4).prop_map(|(t, n)| {
            let mut body = t;
            for i in 1..=n {
                body.push_str(&format!(" {{{{{i}}}}}"));
            }
            json!({"type": "BODY", "text": body, "example": {"body_text": [vec!["v"; n]]}})
        }),
        text().prop_map(|t| json!({"type": "FOOTER", "text": t})),
        vec(button(), 1..5).prop_map(|b| json!({"type": "BUTTONS", "buttons": b})),
        any_json().prop_map(|v| json!({"type": "CAROUSEL", "cards": [{"components": [
            {"type": "HEADER", "format": "IMAGE"}, {"type": "BODY", "text": "card"}]}], "x": v})),
        any_json().prop_map(|v| json!({"type": "LIMITED_TIME_OFFER",
            "limited_time_offer": {"text": "Ends soon", "has_expiration": true}, "x": v})),
        any_json().prop_map(|v| json!({"type": "NOT_YET_KNOWN", "value": v})),
    ]
}

/// One template object as the account may list it.
fn definition() -> impl Strategy<Value = Value> {
    (
        "[a-z][a-z0-9_]{0,15}",
        proptest::sample::select(vec!["en_US", "en", "de", "pt_BR", "hi"]),
        case_of(&["APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED"]),
        case_of(&["MARKETING", "UTILITY", "AUTHENTICATION"]),
        prop_oneof![
            Just(None),
            Just(Some("POSITIONAL")),
            Just(Some("NAMED")),
            Just(Some("named"))
        ],
        prop_oneof![
            any::<u64>().prop_map(Value::from),
            "[0-9]{1,18}".prop_map(Value::from)
        ],
        vec(component(), 0..5),
        btree_map(
            prop_oneof![
                Just("message_send_ttl_seconds".to_owned()),
                Just("sub_category".to_owned()),
                Just("quality_score".to_owned()),
                Just("rejected_reason".to_owned()),
                "x_[a-z]{1,8}"
            ],
            any_json(),
            0..4,
        ),
    )
        .prop_map(
            |(name, language, status, category, format, id, components, extra)| {
                let mut t = Map::new();
                t.insert("name".into(), Value::from(name));
                t.insert("language".into(), Value::from(language));
                t.insert("status".into(), Value::from(status));
                t.insert("category".into(), Value::from(category));
                if let Some(f) = format {
                    t.insert("parameter_format".into(), Value::from(f));
                }
                t.insert("id".into(), id);
                t.insert("components".into(), Value::from(components));
                for (k, v) in extra {
                    t.insert(k, v);
                }
                Value::Object(t)
            },
        )
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn any_pulled_definition_pushes_back_unchanged(definitions in vec(definition(), 1..6)) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async {
            let server = MockServer::builder().without_default_templates().start().await;
            for d in &definitions {
                let t = TemplateDefinition::from_json(d.clone())
                    .map_err(|e| TestCaseError::fail(format!("{e}: {d}")))?;
                server.add_template(t);
            }
            let client = server.client().map_err(|e| TestCaseError::fail(e.to_string()))?;
            let pulled = client.templates().await
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(pulled.len(), server.templates().len());
            // Written as `kaleyra templates pull` writes the file, and read back.
            let text = Catalogue::new(pulled, "pulled").to_json_pretty();
            let file = Catalogue::from_json_str(&text, "kaleyra-templates.json")
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let account = Catalogue::new(
                client.templates().await.map_err(|e| TestCaseError::fail(e.to_string()))?,
                "the account",
            );
            let p = plan(&file, &account, true);
            prop_assert!(p.is_unchanged(), "{}\nfile:\n{}", p, text);
            prop_assert_eq!(p.steps().len(), account.len());
            prop_assert_eq!(p.calls(), 0);

            // And the comparison sees a change: one more component in the file's first entry
            // is an edit (or an edit WhatsApp refuses), never `=`.
            let mut changed = file.clone();
            let first = file.iter().next().cloned().ok_or_else(|| TestCaseError::fail("empty"))?;
            let mut value = first.as_json().clone();
            if let Some(components) = value.get_mut("components").and_then(Value::as_array_mut) {
                components.push(json!({"type": "FOOTER", "text": "added"}));
            }
            changed.insert(
                TemplateDefinition::from_json(value).map_err(|e| TestCaseError::fail(e.to_string()))?,
            );
            let p = plan(&changed, &account, true);
            prop_assert!(!p.is_unchanged(), "{}", p);
            Ok(())
        })?;
    }
}
