//! Every creation rule, accepted and refused, with the member it names. The accepted
//! definitions are Meta's reference examples ("Create and manage templates", template
//! components, authentication templates), written from those pages.

use serde_json::{Value, json};

use super::*;

fn definition(mut v: Value) -> TemplateDefinition {
    // A definition to create has no status yet; the catalogue's reader wants one.
    if let Some(m) = v.as_object_mut() {
        m.entry("status").or_insert_with(|| json!("PENDING"));
    }
    TemplateDefinition::from_json(v).unwrap()
}

fn template(category: &str, components: Value) -> TemplateDefinition {
    definition(json!({
        "name": "t", "language": "en_US", "category": category, "components": components
    }))
}

/// A utility template: a valid body, then `more` components.
fn utility(more: Value) -> TemplateDefinition {
    let mut components = vec![json!({"type": "BODY", "text": "Your order has shipped."})];
    components.extend(more.as_array().cloned().unwrap_or_default());
    template("UTILITY", Value::Array(components))
}

fn buttons(buttons: Value) -> TemplateDefinition {
    utility(json!([{"type": "BUTTONS", "buttons": buttons}]))
}

fn accepted(t: &TemplateDefinition) {
    let v = t.validate();
    assert!(v.is_empty(), "expected no violation: {v:#?}");
}

fn refused(t: &TemplateDefinition, rule: TemplateRule, member: &str) -> TemplateViolation {
    let v = t.validate();
    v.iter()
        .find(|v| v.rule() == rule && v.member() == member)
        .cloned()
        .unwrap_or_else(|| panic!("expected {rule:?} at {member}: {v:#?}"))
}

#[test]
fn metas_reference_examples_are_accepted() {
    // MARKETING, text header with one parameter, quick replies.
    accepted(&definition(json!({
        "name": "seasonal_promotion", "language": "en_US", "category": "MARKETING",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Our {{1}} is on!",
             "example": {"header_text": ["Summer Sale"]}},
            {"type": "BODY",
             "text": "Shop now through {{1}} and use code {{2}} to get {{3}} off of all merchandise.",
             "example": {"body_text": [["the end of August", "25OFF", "25%"]]}},
            {"type": "FOOTER", "text": "Use the buttons below to manage your marketing subscriptions"},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Unsubscribe from Promos"},
                {"type": "QUICK_REPLY", "text": "Unsubscribe from All"}
            ]}
        ]
    })));
    // UTILITY, document header with an upload handle, phone number without `+`, static URL.
    accepted(&definition(json!({
        "name": "order_confirmation", "language": "en_US", "category": "UTILITY",
        "components": [
            {"type": "HEADER", "format": "DOCUMENT",
             "example": {"header_handle": ["4::YXBwbGljYXRpb24vcGRm:ARZVv4zuogJMxmAdS3_6T4o_K4ll2806avA7rWpikisTzYPsXXUeKk0REjS-hIM1rYrizHD7rQXj951TKgUFblgd_BDWVROCwRkg9Vhjj-cHNQ:e:1681237341:634974688087057:100089620928913:ARa1ZDhwbLZM3EENeeg"]}},
            {"type": "BODY",
             "text": "Thank you for your order, {{1}}! Your order number is {{2}}. Tap the PDF linked above to view your receipt. If you have any questions, please use the buttons below to contact support. Thank you for being a customer!",
             "example": {"body_text": [["Pablo", "860198-230332"]]}},
            {"type": "BUTTONS", "buttons": [
                {"type": "PHONE_NUMBER", "text": "Call", "phone_number": "15550051310"},
                {"type": "URL", "text": "Contact Support", "url": "https://www.luckyshrub.com/support"}
            ]}
        ]
    })));
    // UTILITY, named parameters.
    accepted(&definition(json!({
        "name": "order_confirmation_named", "language": "en_US", "category": "UTILITY",
        "parameter_format": "NAMED",
        "components": [
            {"type": "BODY",
             "text": "Thank you, {{first_name}}! Your order number is {{order_number}}.",
             "example": {"body_text_named_params": [
                 {"param_name": "first_name", "example": "Pablo"},
                 {"param_name": "order_number", "example": "860198-230332"}
             ]}}
        ]
    })));
    // MARKETING, coupon code.
    accepted(&definition(json!({
        "name": "coupon_code_fall2023_25off", "language": "en_US", "category": "MARKETING",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Our Fall Sale is on!"},
            {"type": "BODY",
             "text": "Shop now through November and use code {{1}} to get {{2}} off of all merchandise!",
             "example": {"body_text": [["25OFF", "25%"]]}},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Unsubscribe"},
                {"type": "COPY_CODE", "example": "250FF"}
            ]}
        ]
    })));
    // MARKETING, image header, dynamic URL with its example, location-free flow button.
    accepted(&definition(json!({
        "name": "summer_shop", "language": "en_US", "category": "MARKETING",
        "components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4::aW1hZ2UvanBlZw==:ARb"]}},
            {"type": "BODY", "text": "Our summer collection is here."},
            {"type": "BUTTONS", "buttons": [
                {"type": "URL", "text": "Shop Now", "url": "https://www.luckyshrub.com/shop?promo={{1}}",
                 "example": ["summer2023"]},
                {"type": "FLOW", "text": "Sign up", "flow_id": "1234567890",
                 "flow_action": "navigate", "navigate_screen": "WELCOME_SCREEN"}
            ]}
        ]
    })));
    // AUTHENTICATION, copy code and one tap.
    accepted(&definition(json!({
        "name": "authentication_code_copy_code_button", "language": "en_US",
        "category": "AUTHENTICATION", "message_send_ttl_seconds": 60,
        "components": [
            {"type": "BODY", "add_security_recommendation": true},
            {"type": "FOOTER", "code_expiration_minutes": 5},
            {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy Code"}]}
        ]
    })));
    accepted(&definition(json!({
        "name": "authentication_code_autofill_button", "language": "en_US",
        "category": "AUTHENTICATION",
        "components": [
            {"type": "BODY", "add_security_recommendation": true},
            {"type": "FOOTER", "code_expiration_minutes": 10},
            {"type": "BUTTONS", "buttons": [{
                "type": "OTP", "otp_type": "ONE_TAP", "text": "Copy Code", "autofill_text": "Autofill",
                "supported_apps": [{"package_name": "com.example.luckyshrub", "signature_hash": "K8a/AINcGX7"}]
            }]}
        ]
    })));
}

#[test]
fn name() {
    let named = |name: &str| {
        definition(
            json!({"name": name, "language": "en_US", "category": "UTILITY",
            "components": [{"type": "BODY", "text": "Hi"}]}),
        )
    };
    accepted(&named(&"a".repeat(512)));
    accepted(&named("order_update_2"));
    refused(&named("Order-Update"), TemplateRule::Name, "name");
    refused(&named(&"a".repeat(513)), TemplateRule::Name, "name");
    refused(&named(""), TemplateRule::Name, "name");
}

#[test]
fn category() {
    let categorized = |category: Value| {
        definition(
            json!({"name": "t", "language": "en_US", "category": category,
            "components": [{"type": "BODY", "text": "Hi"}]}),
        )
    };
    accepted(&categorized(json!("MARKETING")));
    accepted(&categorized(json!("utility")));
    refused(
        &categorized(json!("PROMOTION")),
        TemplateRule::Category,
        "category",
    );
    let none = definition(json!({"name": "t", "language": "en_US",
        "components": [{"type": "BODY", "text": "Hi"}]}));
    refused(&none, TemplateRule::Category, "category");
}

#[test]
fn language() {
    let t = definition(
        json!({"name": "t", "language": "en-US", "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Hi"}]}),
    );
    let v = refused(&t, TemplateRule::Language, "language");
    assert!(v.message().contains("did you mean `en_US`"), "{v}");
}

#[test]
fn one_component_of_each_type() {
    let t = utility(json!([{"type": "BODY", "text": "Again"}]));
    refused(&t, TemplateRule::Repeated, "components[1]");
}

#[test]
fn body_required_and_its_length() {
    refused(
        &template("UTILITY", json!([{"type": "FOOTER", "text": "f"}])),
        TemplateRule::BodyRequired,
        "components",
    );
    refused(
        &template("UTILITY", json!([{"type": "BODY"}])),
        TemplateRule::BodyRequired,
        "components[0].text",
    );
    accepted(&template(
        "UTILITY",
        json!([{"type": "BODY", "text": "é".repeat(1024)}]),
    ));
    refused(
        &template(
            "UTILITY",
            json!([{"type": "BODY", "text": "é".repeat(1025)}]),
        ),
        TemplateRule::BodyText,
        "components[0].text",
    );
    refused(
        &template("UTILITY", json!([{"type": "BODY", "text": ""}])),
        TemplateRule::BodyText,
        "components[0].text",
    );
}

fn body(text: &str, example: Value) -> TemplateDefinition {
    template(
        "UTILITY",
        json!([{"type": "BODY", "text": text, "example": example}]),
    )
}

#[test]
fn placeholders_in_order_without_gaps_not_mixed() {
    accepted(&body(
        "Hi {{1}}, {{2}} and {{1}} again",
        json!({"body_text": [["a", "b"]]}),
    ));
    for text in ["Hi {{2}} and {{1}}", "Hi {{1}} and {{3}}", "Hi {{2}}"] {
        refused(
            &body(text, json!({"body_text": [["a", "b"]]})),
            TemplateRule::Placeholders,
            "components[0].text",
        );
    }
    let mixed = definition(
        json!({"name": "t", "language": "en_US", "category": "UTILITY",
        "parameter_format": "NAMED",
        "components": [{"type": "BODY", "text": "Hi {{1}} and {{first_name}}"}]}),
    );
    let v = refused(&mixed, TemplateRule::Placeholders, "components[0].text");
    assert!(v.message().contains("mixed"), "{v}");
}

#[test]
fn parameter_format_agrees_with_the_body() {
    let with = |format: Option<&str>, text: &str, example: Value| {
        let mut v = json!({"name": "t", "language": "en_US", "category": "UTILITY",
            "components": [{"type": "BODY", "text": text, "example": example}]});
        if let Some(f) = format {
            v["parameter_format"] = json!(f);
        }
        definition(v)
    };
    let named =
        json!({"body_text_named_params": [{"param_name": "first_name", "example": "Pablo"}]});
    let positional = json!({"body_text": [["Pablo"]]});
    accepted(&with(Some("NAMED"), "Hi {{first_name}}", named.clone()));
    accepted(&with(None, "Hi {{1}}", positional.clone()));
    accepted(&with(Some("POSITIONAL"), "Hi {{1}}", positional.clone()));
    refused(
        &with(Some("NAMED"), "Hi {{1}}", positional),
        TemplateRule::ParameterFormat,
        "parameter_format",
    );
    refused(
        &with(None, "Hi {{first_name}}", named.clone()),
        TemplateRule::ParameterFormat,
        "components[0].text",
    );
    // A URL button's {{1}} is not a body placeholder: a named body with a dynamic URL is not
    // mixed (issue 19).
    accepted(&definition(
        json!({"name": "t", "language": "en_US", "category": "UTILITY",
        "parameter_format": "NAMED",
        "components": [
            {"type": "BODY", "text": "Hi {{first_name}}", "example": named},
            {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Track",
                "url": "https://x.example/track/{{1}}", "example": ["860198"]}]}
        ]}),
    ));
}

#[test]
fn body_examples_match_the_placeholders() {
    refused(
        &body("Hi {{1}} {{2}}", Value::Null),
        TemplateRule::BodyExample,
        "components[0].example",
    );
    refused(
        &body("Hi {{1}} {{2}}", json!({"body_text": [["only one"]]})),
        TemplateRule::BodyExample,
        "components[0].example.body_text",
    );
    refused(
        &body("Hi {{1}}", json!({"body_text": ["not nested"]})),
        TemplateRule::BodyExample,
        "components[0].example.body_text",
    );
    refused(
        &body("Hi {{1}}", json!({"body_text": [[""]]})),
        TemplateRule::BodyExample,
        "components[0].example.body_text[0][0]",
    );
    let named = |params: Value| {
        definition(
            json!({"name": "t", "language": "en_US", "category": "UTILITY",
            "parameter_format": "NAMED",
            "components": [{"type": "BODY", "text": "Hi {{first_name}}, order {{order_id}}",
                "example": {"body_text_named_params": params}}]}),
        )
    };
    accepted(&named(json!([
        {"param_name": "order_id", "example": "1"}, {"param_name": "first_name", "example": "Pablo"}
    ])));
    let v = refused(
        &named(json!([{"param_name": "first_name", "example": "Pablo"}])),
        TemplateRule::BodyExample,
        "components[0].example.body_text_named_params",
    );
    assert!(v.message().contains("order_id"), "{v}");
    refused(
        &named(json!([
            {"param_name": "first_name", "example": "Pablo"}, {"param_name": "order_id", "example": "1"},
            {"param_name": "extra", "example": "x"}
        ])),
        TemplateRule::BodyExample,
        "components[0].example.body_text_named_params",
    );
}

fn header(h: Value) -> TemplateDefinition {
    let mut h = h;
    h["type"] = json!("HEADER");
    template("MARKETING", json!([h, {"type": "BODY", "text": "Hello."}]))
}

#[test]
fn text_header() {
    accepted(&header(json!({"format": "TEXT", "text": "x".repeat(60)})));
    accepted(&header(
        json!({"format": "TEXT", "text": "Our {{1}} is on!",
        "example": {"header_text": ["Summer Sale"]}}),
    ));
    refused(
        &header(json!({"format": "TEXT", "text": "x".repeat(61)})),
        TemplateRule::TextHeader,
        "components[0].text",
    );
    refused(
        &header(json!({"format": "TEXT", "text": "{{1}} and {{2}}",
            "example": {"header_text": ["a", "b"]}})),
        TemplateRule::TextHeader,
        "components[0].text",
    );
    refused(
        &header(json!({"format": "TEXT", "text": "Our {{1}} is on!"})),
        TemplateRule::HeaderExample,
        "components[0].example",
    );
    refused(
        &header(
            json!({"format": "TEXT", "text": "Our {{1}} is on!", "example": {"header_text": []}}),
        ),
        TemplateRule::HeaderExample,
        "components[0].example.header_text",
    );
}

#[test]
fn media_header_example_is_an_upload_handle() {
    accepted(&header(
        json!({"format": "VIDEO", "example": {"header_handle": ["4::dmlkZW8vbXA0:ARa"]}}),
    ));
    accepted(&header(json!({"format": "LOCATION"})));
    let v = refused(
        &header(json!({"format": "IMAGE",
            "example": {"header_handle": ["https://www.luckyshrub.com/media/shrub.jpg"]}})),
        TemplateRule::MediaHandle,
        "components[0].example.header_handle[0]",
    );
    assert_eq!(
        v.to_string(),
        "t (en_US): components[0].example.header_handle[0]: the image header's example \
         \"https://www.luckyshrub.com/media/shrub.jpg\" is invalid: a media header example is \
         an upload handle, not a URL: upload the file with `client.upload_resumable(…)` and give \
         the handle it returns"
    );
    refused(
        &header(json!({"format": "DOCUMENT", "example": {"header_handle": ["HTTP://x"]}})),
        TemplateRule::MediaHandle,
        "components[0].example.header_handle[0]",
    );
    refused(
        &header(json!({"format": "DOCUMENT"})),
        TemplateRule::MediaHandle,
        "components[0].example.header_handle",
    );
    refused(
        &header(json!({"format": "GIF", "example": {"header_handle": [""]}})),
        TemplateRule::MediaHandle,
        "components[0].example.header_handle[0]",
    );
}

#[test]
fn footer() {
    accepted(&utility(
        json!([{"type": "FOOTER", "text": "x".repeat(60)}]),
    ));
    refused(
        &utility(json!([{"type": "FOOTER", "text": "x".repeat(61)}])),
        TemplateRule::Footer,
        "components[1].text",
    );
    refused(
        &utility(json!([{"type": "FOOTER", "text": "Code {{1}}"}])),
        TemplateRule::Footer,
        "components[1].text",
    );
}

fn quick(text: &str) -> Value {
    json!({"type": "QUICK_REPLY", "text": text})
}

fn url(u: &str) -> Value {
    json!({"type": "URL", "text": "Open", "url": u})
}

fn phone(number: &str) -> Value {
    json!({"type": "PHONE_NUMBER", "text": "Call", "phone_number": number})
}

#[test]
fn buttons_counts_and_grouping() {
    accepted(&buttons(Value::Array(vec![quick("q"); 10])));
    refused(
        &buttons(Value::Array(vec![quick("q"); 11])),
        TemplateRule::Buttons,
        "components[1].buttons[10]",
    );
    accepted(&buttons(json!([
        url("https://a.example"),
        url("https://b.example")
    ])));
    refused(
        &buttons(json!([
            url("https://a.example"),
            url("https://b.example"),
            url("https://c.example")
        ])),
        TemplateRule::Buttons,
        "components[1].buttons[2]",
    );
    refused(
        &buttons(json!([phone("+15550051310"), phone("+15550051311")])),
        TemplateRule::Buttons,
        "components[1].buttons[1]",
    );
    refused(
        &buttons(
            json!([{"type": "COPY_CODE", "example": "A"}, {"type": "COPY_CODE", "example": "B"}]),
        ),
        TemplateRule::Buttons,
        "components[1].buttons[1]",
    );
    accepted(&buttons(json!([
        quick("a"),
        quick("b"),
        url("https://a.example")
    ])));
    accepted(&buttons(json!([
        url("https://a.example"),
        quick("a"),
        quick("b")
    ])));
    let v = refused(
        &buttons(json!([quick("a"), url("https://a.example"), quick("b")])),
        TemplateRule::Buttons,
        "components[1].buttons[2]",
    );
    assert!(v.message().contains("grouped"), "{v}");
}

#[test]
fn button_label() {
    accepted(&buttons(json!([quick(&"é".repeat(25))])));
    refused(
        &buttons(json!([quick(&"é".repeat(26))])),
        TemplateRule::ButtonLabel,
        "components[1].buttons[0].text",
    );
    refused(
        &buttons(json!([{"type": "QUICK_REPLY"}])),
        TemplateRule::ButtonLabel,
        "components[1].buttons[0].text",
    );
}

#[test]
fn url_button() {
    let long = format!("https://x.example/{}", "a".repeat(2000 - 18));
    assert_eq!(long.len(), 2000);
    accepted(&buttons(json!([url(&long)])));
    refused(
        &buttons(json!([url(&format!("{long}a"))])),
        TemplateRule::ButtonUrl,
        "components[1].buttons[0].url",
    );
    refused(
        &buttons(json!([url("https://x.example/{{1}}/track")])),
        TemplateRule::ButtonUrl,
        "components[1].buttons[0].url",
    );
    refused(
        &buttons(json!([url("https://x.example/{{1}}/{{2}}")])),
        TemplateRule::ButtonUrl,
        "components[1].buttons[0].url",
    );
    refused(
        &buttons(json!([url("https://x.example/{{2}}")])),
        TemplateRule::ButtonUrl,
        "components[1].buttons[0].url",
    );
    refused(
        &buttons(json!([url("https://x.example/{{1}}")])),
        TemplateRule::ButtonUrlExample,
        "components[1].buttons[0].example",
    );
    accepted(&buttons(
        json!([{"type": "URL", "text": "Open", "url": "https://x.example/{{1}}", "example": ["abc"]}]),
    ));
    refused(
        &buttons(
            json!([{"type": "URL", "text": "Open", "url": "https://x.example/{{1}}", "example": [""]}]),
        ),
        TemplateRule::ButtonUrlExample,
        "components[1].buttons[0].example",
    );
}

#[test]
fn phone_button() {
    accepted(&buttons(json!([phone("+15550051310")])));
    accepted(&buttons(json!([phone("15550051310")])));
    refused(
        &buttons(json!([phone("0155500513")])),
        TemplateRule::ButtonPhone,
        "components[1].buttons[0].phone_number",
    );
    refused(
        &buttons(json!([phone("+1 (555) 005-1310 999")])),
        TemplateRule::ButtonPhone,
        "components[1].buttons[0].phone_number",
    );
    refused(
        &buttons(json!([phone("call us")])),
        TemplateRule::ButtonPhone,
        "components[1].buttons[0].phone_number",
    );
    refused(
        &buttons(json!([{"type": "PHONE_NUMBER", "text": "Call"}])),
        TemplateRule::ButtonPhone,
        "components[1].buttons[0].phone_number",
    );
}

#[test]
fn copy_code_button() {
    accepted(&buttons(
        json!([{"type": "COPY_CODE", "example": "a".repeat(15)}]),
    ));
    refused(
        &buttons(json!([{"type": "COPY_CODE", "example": "a".repeat(16)}])),
        TemplateRule::CopyCodeExample,
        "components[1].buttons[0].example",
    );
    refused(
        &buttons(json!([{"type": "COPY_CODE"}])),
        TemplateRule::CopyCodeExample,
        "components[1].buttons[0].example",
    );
}

#[test]
fn flow_button() {
    accepted(&buttons(
        json!([{"type": "FLOW", "text": "Book", "flow_name": "booking",
        "flow_action": "data_exchange"}]),
    ));
    refused(
        &buttons(json!([{"type": "FLOW", "text": "Book", "navigate_screen": "A"}])),
        TemplateRule::FlowButtonMembers,
        "components[1].buttons[0]",
    );
    refused(
        &buttons(json!([{"type": "FLOW", "text": "Book", "flow_id": "1"}])),
        TemplateRule::FlowButtonMembers,
        "components[1].buttons[0]",
    );
}

fn authentication(more: Value) -> TemplateDefinition {
    template("AUTHENTICATION", more)
}

fn otp(button: Value) -> TemplateDefinition {
    authentication(json!([
        {"type": "BODY", "add_security_recommendation": true},
        {"type": "BUTTONS", "buttons": [button]}
    ]))
}

#[test]
fn authentication_shape() {
    let copy = json!({"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE"}]});
    accepted(&authentication(json!([{"type": "BODY"}, copy])));
    refused(
        &authentication(
            json!([{"type": "HEADER", "format": "TEXT", "text": "Code"}, {"type": "BODY"}, copy]),
        ),
        TemplateRule::Authentication,
        "components[0]",
    );
    refused(
        &authentication(json!([{"type": "BODY", "text": "Your code is {{1}}"}, copy])),
        TemplateRule::Authentication,
        "components[0].text",
    );
    refused(
        &authentication(
            json!([{"type": "BODY"}, {"type": "FOOTER", "text": "Expires soon"}, copy]),
        ),
        TemplateRule::Authentication,
        "components[1].text",
    );
    refused(
        &authentication(json!([{"type": "BODY", "add_security_recommendation": "yes"}, copy])),
        TemplateRule::Shape,
        "components[0].add_security_recommendation",
    );
}

#[test]
fn code_expiration_minutes() {
    let footer = |minutes: Value| {
        authentication(json!([
            {"type": "BODY"}, {"type": "FOOTER", "code_expiration_minutes": minutes},
            {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE"}]}
        ]))
    };
    accepted(&footer(json!(1)));
    accepted(&footer(json!(90)));
    for bad in [json!(0), json!(91), json!("10"), json!(1.5)] {
        refused(
            &footer(bad),
            TemplateRule::CodeExpiration,
            "components[1].code_expiration_minutes",
        );
    }
}

#[test]
fn otp_button() {
    refused(
        &authentication(json!([{"type": "BODY"}])),
        TemplateRule::OtpButton,
        "components",
    );
    refused(
        &authentication(json!([{"type": "BODY"}, {"type": "BUTTONS", "buttons": [
            {"type": "OTP", "otp_type": "COPY_CODE"}, {"type": "OTP", "otp_type": "COPY_CODE"}
        ]}])),
        TemplateRule::OtpButton,
        "components[1].buttons",
    );
    refused(
        &otp(quick("Yes")),
        TemplateRule::OtpButton,
        "components[1].buttons[0].type",
    );
    let v = refused(
        &otp(json!({"type": "OTP", "otp_type": "ONE_TAPP"})),
        TemplateRule::OtpButton,
        "components[1].buttons[0].otp_type",
    );
    assert!(v.message().contains("ONE_TAP"), "{v}");
    accepted(&otp(json!({"type": "OTP", "otp_type": "copy_code"})));
    // Only in authentication templates.
    refused(
        &buttons(json!([{"type": "OTP", "otp_type": "COPY_CODE"}])),
        TemplateRule::OtpButton,
        "components[1].buttons[0].type",
    );
}

#[test]
fn supported_apps() {
    let app = json!({"package_name": "com.example.luckyshrub", "signature_hash": "K8a/AINcGX7"});
    accepted(&otp(
        json!({"type": "OTP", "otp_type": "ZERO_TAP", "zero_tap_terms_accepted": true,
        "supported_apps": [app]}),
    ));
    // Meta's older form, on the button itself.
    accepted(&otp(json!({"type": "OTP", "otp_type": "ONE_TAP",
        "package_name": "com.example.luckyshrub", "signature_hash": "K8a/AINcGX7"})));
    refused(
        &otp(json!({"type": "OTP", "otp_type": "ONE_TAP"})),
        TemplateRule::SupportedApps,
        "components[1].buttons[0].supported_apps",
    );
    refused(
        &otp(json!({"type": "OTP", "otp_type": "ZERO_TAP",
            "supported_apps": [{"package_name": "com.example.luckyshrub"}]})),
        TemplateRule::SupportedApps,
        "components[1].buttons[0].supported_apps[0]",
    );
}

#[test]
fn each_violation_names_template_language_and_member() {
    let t = definition(
        json!({"name": "promo", "language": "pt_BR", "category": "MARKETING",
        "components": [{"type": "BODY", "text": "Oi"}, {"type": "FOOTER", "text": "x".repeat(61)}]}),
    );
    let v = t.validate();
    assert_eq!(v.len(), 1, "{v:#?}");
    assert_eq!(v[0].name(), "promo");
    assert_eq!(v[0].language(), "pt_BR");
    assert_eq!(v[0].member(), "components[1].text");
    assert_eq!(
        v[0].to_string(),
        "promo (pt_BR): components[1].text: the footer text must be at most 60 characters, found 61"
    );
}
