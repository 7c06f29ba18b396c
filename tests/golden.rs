//! Golden wire-format tests: each message kind, built with the runtime builders of
//! `kaleyra::model`, must produce exactly the sample request body of its Kaleyra document
//! (`kaleyra-docs/*.txt`), key for key and byte for byte.
//!
//! Every expected body below was copied by hand from the document's "Sample Request Format"
//! (the JSON after `-d '`), with the `XXXX` placeholders filled in with concrete values; every
//! other change is called out in a comment next to it. None of them was produced by running the
//! code under test.
//!
//! Two comparisons are made for each kind:
//! (a) `message.to_json() == expected` (a `serde_json::Value`, so whitespace does not matter);
//! (b) `message.as_bytes() == serde_json::to_vec(&expected)`: the same keys in the same order,
//!     compact. serde_json's `preserve_order` feature is on in this workspace (kaleyra-core
//!     enables it), so a `Value` parsed from the document keeps the document's key order.

use kaleyra::model::{AuthenticationTemplate, FlowMessage, FlowTemplate, ProductTemplate};
use kaleyra::{ExtraInfo, Flow, Message, MessageKind, Otp, Route, Template, WaSource};
use serde_json::{Value, json};

/// The recipient used for the sender-route samples (the documents print `+91XXXXXXXXX`).
const TO_IN: &str = "+919876543210";
/// The recipient used for the single-product sample (the document prints `+16xxxxxx234`).
const TO_US: &str = "+16505551234";

fn doc_extra_info() -> ExtraInfo<'static> {
    ExtraInfo::new()
        .reference("customer1")
        .ref1("marketing")
        .ref2("dictionary")
        .source(WaSource::Api)
}

fn parse(doc: &str) -> Value {
    serde_json::from_str(doc).expect("the expected body (copied from the document) is JSON")
}

#[test]
fn expected_values_keep_the_documents_key_order() {
    // Comparison (b) is only meaningful if a `Value` keeps its keys in the order of the text it
    // was parsed from (serde_json's `preserve_order`); check that it does.
    let value = parse(r#"{"to": 1, "type": 2, "messaging_product": 3, "code": 4, "policy": 5}"#);
    assert_eq!(
        keys(&value),
        ["to", "type", "messaging_product", "code", "policy"]
    );
    assert_eq!(
        serde_json::to_string(&value).unwrap(),
        r#"{"to":1,"type":2,"messaging_product":3,"code":4,"policy":5}"#
    );
}

/// Both comparisons, with readable output on failure.
fn assert_golden(message: &Message, expected: &Value) {
    assert_eq!(
        message.to_json(),
        *expected,
        "\n  got: {}\n want: {}",
        message.as_str(),
        expected
    );
    let want = serde_json::to_vec(expected).unwrap();
    assert_eq!(
        message.as_str(),
        String::from_utf8(want.clone()).unwrap(),
        "key order or bytes differ"
    );
    assert_eq!(message.as_bytes(), want.as_slice());
}

/// `expected` without its top-level `extra_info`, other keys in their order.
fn without_extra_info(expected: &Value) -> Value {
    let map: serde_json::Map<String, Value> = expected
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.as_str() != "extra_info")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Value::Object(map)
}

/// The keys of an object, in order.
fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect::<Vec<_>>()
}

/// Checks what every kind has in common about `extra_info`: omitted entirely when not set,
/// replaced (not duplicated) when set twice.
fn assert_extra_info_behaviour(bare: Message, expected: &Value) {
    // Not set: the member is absent, not `{}` or `null`.
    assert!(bare.to_json().get("extra_info").is_none(), "{bare:?}");
    assert!(!bare.as_str().contains("extra_info"), "{bare:?}");
    assert_golden(&bare, &without_extra_info(expected));

    // Set twice: the second replaces the first.
    let first = ExtraInfo::new()
        .reference("first-ref")
        .ref1("first-ref1")
        .ref2("first-ref2")
        .source(WaSource::Zoho);
    let twice = bare.clone().extra_info(first).extra_info(doc_extra_info());
    assert_eq!(twice.as_str().matches("extra_info").count(), 1, "{twice:?}");
    assert!(!twice.as_str().contains("first-ref"), "{twice:?}");
    assert_golden(&twice, expected);

    // A partial extra_info writes only what was set, in the documents' order.
    let partial = bare
        .clone()
        .extra_info(ExtraInfo::new().ref2("x").source(WaSource::Braze));
    assert_eq!(
        partial.to_json()["extra_info"],
        json!({"ref2": "x", "wa_source": "braze"})
    );
    assert!(
        partial
            .as_str()
            .ends_with(r#","extra_info":{"ref2":"x","wa_source":"braze"}}"#)
    );

    // And it can be removed again.
    let mut removed = twice;
    removed.set_extra_info(None);
    assert_eq!(removed, bare);
}

// ---------------------------------------------------------------------------------------------
// send-authentication-template-message.txt
// ---------------------------------------------------------------------------------------------

/// The document's "Sample Request Format" body.
///
/// Changes to the document's text:
/// - `"to": "+91XXXXXXXXX"` -> `"+919876543210"` (placeholder filled in; the document's
///   placeholder has only 9 X's).
/// - The button parameter: the document prints `"text": "J$FXXXXp"` there but `"J$FpXXXX"` in
///   the body. That is a typo: the OTP table says "This value must appear twice in the payload",
///   and the library writes the one OTP in both places. The expected body uses `J$FpXXXX` (a
///   valid OTP as it is: 8 characters, no whitespace) in both.
const AUTH_SAMPLE: &str = r#"{
"messaging_object": {
"messaging_product": "whatsapp",
"recipient_type": "individual",
"to": "+919876543210",
"type": "template",
"template": {
"name": "auth1",
"language": {
"code": "en_US"
},
"components": [
{
"type": "body",
"parameters": [
{
"type": "text",
"text": "J$FpXXXX"
}
]
},
{
"type": "button",
"sub_type": "url",
"index": 0,
"parameters": [
{
"type": "text",
"text": "J$FpXXXX"
}
]
}
]
}
},
"extra_info": {
"ref": "customer1",
"ref1": "marketing",
"ref2": "dictionary",
"wa_source": "api"
}
}"#;

fn auth_message() -> Message {
    AuthenticationTemplate::new("auth1", "en_US", Otp::new("J$FpXXXX").unwrap())
        .to(TO_IN)
        .unwrap()
}

#[test]
fn authentication_template_matches_its_document() {
    let expected = parse(AUTH_SAMPLE);
    let message = auth_message().extra_info(doc_extra_info());
    assert_golden(&message, &expected);
}

#[test]
fn authentication_template_shape() {
    let message = auth_message();
    assert_eq!(message.kind(), MessageKind::Authentication);
    assert_eq!(message.route(), Route::Sender);
    let json = message.to_json();
    assert_eq!(keys(&json), ["messaging_object"]);
    let template = &json["messaging_object"]["template"];
    // language is {"code"} only: no policy for an authentication template.
    assert_eq!(template["language"], json!({"code": "en_US"}));
    assert_eq!(keys(&template["language"]), ["code"]);
    // The button index is a JSON number, not "0".
    let index = &template["components"][1]["index"];
    assert!(index.is_u64(), "index is {index}");
    assert_eq!(index, &json!(0));
    assert!(message.as_str().contains(r#""index":0,"#));
    // The same OTP, twice.
    assert_eq!(
        template["components"][0]["parameters"][0]["text"],
        "J$FpXXXX"
    );
    assert_eq!(
        template["components"][1]["parameters"][0]["text"],
        "J$FpXXXX"
    );
    assert_eq!(message.as_str().matches("J$FpXXXX").count(), 2);
}

#[test]
fn authentication_template_button_index_is_a_number_at_every_index() {
    for i in 0..=9u8 {
        let message = AuthenticationTemplate::new("auth1", "en_US", Otp::new("123456").unwrap())
            .button_index(i)
            .to(TO_IN)
            .unwrap();
        let index = &message.to_json()["messaging_object"]["template"]["components"][1]["index"];
        assert_eq!(index, &json!(i), "{message:?}");
        assert!(
            message
                .as_str()
                .contains(&format!(r#""sub_type":"url","index":{i},"parameters""#)),
            "{message:?}"
        );
    }
}

#[test]
fn authentication_template_extra_info() {
    assert_extra_info_behaviour(auth_message(), &parse(AUTH_SAMPLE));
}

// ---------------------------------------------------------------------------------------------
// send-flow-template-message.txt
// ---------------------------------------------------------------------------------------------

/// The document's "Sample Request Format" body (the trailing space on each line dropped).
///
/// Changes to the document's text:
/// - `"to": "+91xxxxxxxxxx"` -> `"+919876543210"` (placeholder filled in).
///
/// Nothing else: the sample is valid JSON as printed. (The "Request Format" above it has
/// `"ref1": "<ref2>"`, a typo of the placeholder only; the sample has `"ref1": "marketing"`.)
const FLOW_TEMPLATE_SAMPLE: &str = r#"{
    "messaging_object": {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "+919876543210",
        "type": "template",
        "template": {
         "name": "flow_template20",
         "language": {
              "code": "en_US"
                    },
            "components": [
                {
                    "type": "button",
                     "sub_type": "flow",
                     "index": 0,
                     "parameters": [
                        {
                            "type": "action",
                            "action": {
                                "flow_token": "flow_token",
                                "flow_action_data": {}
                          }
                        }
                    ]
                }
            ]
        }
    },
    "extra_info": {
        "ref": "customer1",
        "ref1": "marketing",
        "ref2": "dictionary",
        "wa_source": "api"
    }
}"#;

fn flow_template_message() -> Message {
    FlowTemplate::new("flow_template20", "en_US")
        .flow_token("flow_token")
        .flow_action_data(json!({}))
        .to(TO_IN)
        .unwrap()
}

#[test]
fn flow_template_matches_its_document() {
    let expected = parse(FLOW_TEMPLATE_SAMPLE);
    let message = flow_template_message().extra_info(doc_extra_info());
    assert_golden(&message, &expected);
}

#[test]
fn flow_template_shape() {
    let message = flow_template_message();
    assert_eq!(message.kind(), MessageKind::FlowTemplate);
    assert_eq!(message.route(), Route::Sender);
    let json = message.to_json();
    assert_eq!(keys(&json), ["messaging_object"]);
    let template = &json["messaging_object"]["template"];
    assert_eq!(template["language"], json!({"code": "en_US"}));
    assert_eq!(keys(&template["language"]), ["code"]);
    let index = &template["components"][0]["index"];
    assert!(index.is_u64(), "index is {index}");
    // flow_action_data is the object `{}`, as the sample shows (not an array, not omitted).
    let action = &template["components"][0]["parameters"][0]["action"];
    assert!(action["flow_action_data"].is_object());
    assert!(message.as_str().contains(r#""flow_action_data":{}"#));
}

#[test]
fn flow_template_extra_info() {
    assert_extra_info_behaviour(flow_template_message(), &parse(FLOW_TEMPLATE_SAMPLE));
}

#[test]
fn flow_template_optional_members_are_omitted() {
    // Both flow_token and flow_action_data are optional (the document's table: "No").
    let message = FlowTemplate::new("flow_template20", "en_US")
        .to(TO_IN)
        .unwrap();
    let action = &message.to_json()["messaging_object"]["template"]["components"][0]["parameters"]
        [0]["action"];
    assert_eq!(action, &json!({}));
    let message = FlowTemplate::new("flow_template20", "en_US")
        .flow_action_data(json!({"a": 1}))
        .to(TO_IN)
        .unwrap();
    let action = &message.to_json()["messaging_object"]["template"]["components"][0]["parameters"]
        [0]["action"];
    assert_eq!(action, &json!({"flow_action_data": {"a": 1}}));
    assert_eq!(
        message.as_bytes(),
        serde_json::to_vec(&message.to_json()).unwrap().as_slice()
    );
}

// ---------------------------------------------------------------------------------------------
// send-single-product-template-message.txt
// ---------------------------------------------------------------------------------------------

/// The document's sample request body ("The following is the sample request format to send a
/// single product template Message").
///
/// Changes to the document's text:
/// - `"to": "+16xxxxxx234"` -> `"+16505551234"` (placeholder filled in).
/// - One `}` removed: the document closes `template` with `}` and then prints a second `}` and
///   `},` before `"extra_info"`, which closes the top-level object early and makes the sample
///   invalid JSON (a leftover of the `messaging_object` wrapper of the other documents). The
///   document's own request format and its DESIGN.md reading are the flat body: message fields
///   and `extra_info` side by side, so the stray `}` is dropped.
/// - `product_retailer_id` `nqrxxx03ez` and `catalog_id` `194XXXXXXXX3835` are kept as printed:
///   the library does not validate their characters.
const PRODUCT_SAMPLE: &str = r#"{
"messaging_product": "whatsapp",
"recipient_type": "individual",
"to": "+16505551234",
"type": "template",
"template": {
"name": "abandoned_cart_offer",
"language": {
"policy": "deterministic",
"code": "en_US"
},
"components": [
{
"type": "header",
"parameters": [
{
"type": "product",
"product": {
"product_retailer_id": "nqrxxx03ez",
"catalog_id": "194XXXXXXXX3835"
}
}
]
},
{
"type": "body",
"parameters": [
{
"type": "text",
"text": "25OFF"
},
{
"type": "text",
"text": "25%"
}
]
}
]
},
"extra_info": {
"ref": "customer1",
"ref1": "marketing",
"ref2": "dictionary",
"wa_source": "api"
}
}"#;

fn product_message() -> Message {
    ProductTemplate::new(
        "abandoned_cart_offer",
        "en_US",
        "nqrxxx03ez",
        "194XXXXXXXX3835",
    )
    .body_parameter("25OFF")
    .body_parameter("25%")
    .to(TO_US)
    .unwrap()
}

#[test]
fn product_template_matches_its_document() {
    let expected = parse(PRODUCT_SAMPLE);
    let message = product_message().extra_info(doc_extra_info());
    assert_golden(&message, &expected);
}

#[test]
fn product_template_shape() {
    let message = product_message();
    assert_eq!(message.kind(), MessageKind::ProductTemplate);
    assert_eq!(message.route(), Route::Waba);
    let json = message.to_json();
    // Flat: no messaging_object wrapper; the message fields are at the top level.
    assert!(json.get("messaging_object").is_none(), "{json}");
    assert!(!message.as_str().contains("messaging_object"));
    assert_eq!(
        keys(&json),
        [
            "messaging_product",
            "recipient_type",
            "to",
            "type",
            "template"
        ]
    );
    // With extra_info it sits beside `template`, at the top level.
    let with_extra = message.clone().extra_info(doc_extra_info()).to_json();
    assert_eq!(
        keys(&with_extra),
        [
            "messaging_product",
            "recipient_type",
            "to",
            "type",
            "template",
            "extra_info"
        ]
    );
    // language is {"policy":"deterministic","code"}, policy first as in the document.
    assert_eq!(
        json["template"]["language"],
        json!({"policy": "deterministic", "code": "en_US"})
    );
    assert_eq!(keys(&json["template"]["language"]), ["policy", "code"]);
}

#[test]
fn product_template_extra_info() {
    assert_extra_info_behaviour(product_message(), &parse(PRODUCT_SAMPLE));
}

// ---------------------------------------------------------------------------------------------
// send-flow-message.txt (interactive flow message)
// ---------------------------------------------------------------------------------------------

/// The document's "Sample Request Format" body, with `parameters` filled in.
///
/// Changes to the document's text:
/// - `"to": "+91XXXXXXXXX"` -> `"+919876543210"` (placeholder filled in).
/// - The document elides the members of `parameters` (`.../*refer to Flow message
///   documentation" for details about how to build a Flow message*/"`); that line is replaced by
///   the members below. The document's closing braces after it are kept as printed: the first two
///   (indented 24 and 20 spaces) close `data` and `flow_action_payload`, the rest `parameters`,
///   `action`, `interactive` and `messaging_object`.
/// - `parameters` is built from RULES.md §"Interactive flow message" and Meta's "Sending a Flow"
///   example (developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-flow-messages,
///   "Example Request"), in the order of Meta's example:
///   - `flow_message_version: "3"`: RULES.md ("flow_message_version: \"3\"") and Meta's example;
///   - `flow_token`: Meta's example value `AQAAAAACS5FpgQ_cAAAAAD0QI3s.` (optional: RULES.md);
///   - `flow_id`: `1234567890`, DESIGN.md's example (Meta's example has `"1"`); RULES.md: exactly
///     one of `flow_id` / `flow_name`;
///   - `flow_cta`: `Book now`, DESIGN.md's example (Meta's example has `Book!`); RULES.md:
///     required, no emoji, at most 30 characters;
///   - `flow_action: "navigate"`: RULES.md (the default) and Meta's example;
///   - `flow_action_payload {screen, data}`: RULES.md ("only with navigate, data a non-empty
///     object") and Meta's example; `screen` `WELCOME` is DESIGN.md's example (Meta's example has
///     `<SCREEN_NAME>`), `data` is Meta's example data.
///   - `mode` is not written: RULES.md makes it optional (default published) and Meta's example
///     has none.
const FLOW_MESSAGE_SAMPLE: &str = r#"{
    "messaging_object": {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "+919876543210",
        "type": "interactive",
        "interactive": {
            "type": "flow",
            "header": {
                "type": "text",
                "text": "Flow message header"
            },
            "body": {
                "text": "Flow message body"
            },
            "footer": {
                "text": "Flow message footer"
            },
            "action": {
                "name": "flow",
                "parameters": {
                    "flow_message_version": "3",
                    "flow_token": "AQAAAAACS5FpgQ_cAAAAAD0QI3s.",
                    "flow_id": "1234567890",
                    "flow_cta": "Book now",
                    "flow_action": "navigate",
                    "flow_action_payload": {
                        "screen": "WELCOME",
                        "data": {
                            "product_name": "name",
                            "product_description": "description",
                            "product_price": 100
                        }
                    }
                }
            }
        }
    },
    "extra_info": {
        "ref": "customer1",
        "ref1": "marketing",
        "ref2": "dictionary",
        "wa_source": "api"
    }
}"#;

fn flow_message() -> Message {
    FlowMessage::with_id("1234567890", "Book now", "Flow message body")
        .header("Flow message header")
        .footer("Flow message footer")
        .token("AQAAAAACS5FpgQ_cAAAAAD0QI3s.")
        .screen("WELCOME")
        .data(json!({
            "product_name": "name",
            "product_description": "description",
            "product_price": 100
        }))
        .to(TO_IN)
        .unwrap()
}

#[test]
fn flow_message_matches_its_document() {
    let expected = parse(FLOW_MESSAGE_SAMPLE);
    let message = flow_message().extra_info(doc_extra_info());
    assert_golden(&message, &expected);
}

#[test]
fn flow_message_shape() {
    let message = flow_message();
    assert_eq!(message.kind(), MessageKind::FlowMessage);
    assert_eq!(message.route(), Route::Sender);
    let json = message.to_json();
    assert_eq!(keys(&json), ["messaging_object"]);
    let interactive = &json["messaging_object"]["interactive"];
    assert_eq!(
        keys(interactive),
        ["type", "header", "body", "footer", "action"]
    );
    let parameters = &interactive["action"]["parameters"];
    // flow_message_version is the string "3", not the number 3.
    assert_eq!(parameters["flow_message_version"], json!("3"));
    assert!(parameters.get("flow_name").is_none());
    assert!(parameters.get("mode").is_none());
}

#[test]
fn flow_message_extra_info() {
    assert_extra_info_behaviour(flow_message(), &parse(FLOW_MESSAGE_SAMPLE));
}

#[test]
fn flow_message_minimal_omits_the_optional_members() {
    // Header, footer, token, screen and data are all optional (RULES.md); a message without them
    // has none of those keys, and a navigate action without a screen has no payload.
    let message = FlowMessage::with_id("1234567890", "Book now", "Flow message body")
        .to(TO_IN)
        .unwrap();
    let expected = json!({
        "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "interactive",
            "interactive": {
                "type": "flow",
                "body": {"text": "Flow message body"},
                "action": {
                    "name": "flow",
                    "parameters": {
                        "flow_message_version": "3",
                        "flow_id": "1234567890",
                        "flow_cta": "Book now",
                        "flow_action": "navigate"
                    }
                }
            }
        }
    });
    assert_golden(&message, &expected);
}

// ---------------------------------------------------------------------------------------------
// Across kinds
// ---------------------------------------------------------------------------------------------

#[test]
fn the_recipient_is_written_normalized() {
    // The document's table: "Ensure that the country code is prefixed to the number (E164)".
    // Spaces, hyphens and parentheses are dropped; the golden bodies hold the same number.
    for written in ["+91 98765 43210", "+91-98765-43210", "+91 (98765) 43210"] {
        let message = AuthenticationTemplate::new("auth1", "en_US", Otp::new("J$FpXXXX").unwrap())
            .to(written)
            .unwrap()
            .extra_info(doc_extra_info());
        assert_golden(&message, &parse(AUTH_SAMPLE));
    }
}

#[test]
fn every_wa_source_is_written_as_documented() {
    // The 13 values listed in every document's extra_info table, in that order.
    let documented = [
        "api",
        "clevertap",
        "zoho",
        "webengage",
        "shopify",
        "leadsquared",
        "responsys",
        "braze",
        "hubspot",
        "salesforce",
        "zapier",
        "eloqua",
        "moengage",
    ];
    assert_eq!(WaSource::ALL.len(), documented.len());
    for (source, name) in WaSource::ALL.into_iter().zip(documented) {
        let message = auth_message().extra_info(ExtraInfo::new().source(source));
        assert_eq!(
            message.to_json()["extra_info"],
            json!({ "wa_source": name }),
            "{source:?}"
        );
    }
}

/// The same documents, built the way users build them: with the derives. Each struct below is
/// the document's sample declared as a template; the expected bodies are the same hand-copied
/// samples as above.
mod derived {
    use super::*;
    use std::borrow::Cow;

    #[derive(Template)]
    #[template(name = "auth1", kind = otp, lang = "en_US")]
    struct LoginCode {
        #[template(otp)]
        code: Otp,
    }

    #[derive(Template)]
    #[template(name = "flow_template20", kind = flow, lang = "en_US", button_index = 0)]
    struct Survey {
        #[template(flow_token)]
        token: String,
        #[template(flow_action_data)]
        first_screen: Value,
    }

    #[derive(Template)]
    #[template(name = "abandoned_cart_offer", kind = product, lang = "en_US")]
    struct CartOffer<'a> {
        #[template(product_retailer_id)]
        product: &'a str,
        #[template(catalog_id)]
        catalog: String,
        #[template(body)]
        code: Cow<'a, str>,
        #[template(body)]
        discount: &'a str,
    }

    /// The catalog id as a literal on the struct instead of a field.
    #[derive(Template)]
    #[template(
        name = "abandoned_cart_offer",
        kind = product,
        lang = "en_US",
        catalog_id = "194XXXXXXXX3835"
    )]
    struct CartOfferFixedCatalog {
        #[template(product_retailer_id)]
        product: String,
        #[template(body)]
        code: String,
        #[template(body)]
        discount: String,
    }

    #[derive(kaleyra::Flow)]
    #[flow(
        id = "1234567890",
        cta = "Book now",
        screen = "WELCOME",
        header = "Flow message header",
        body = "Flow message body",
        footer = "Flow message footer"
    )]
    struct ProductFlow {
        #[flow(token)]
        token: String,
        product_name: &'static str,
        product_description: String,
        product_price: u32,
    }

    #[test]
    fn authentication_template_matches_its_document() {
        let message = LoginCode {
            code: kaleyra::otp!("J$FpXXXX"),
        }
        .to(TO_IN)
        .unwrap()
        .extra_info(doc_extra_info());
        assert_eq!(message.kind(), MessageKind::Authentication);
        assert_golden(&message, &parse(AUTH_SAMPLE));
        // Identical to the builder's bytes.
        assert_eq!(
            message.as_bytes(),
            auth_message().extra_info(doc_extra_info()).as_bytes()
        );
    }

    #[test]
    fn flow_template_matches_its_document() {
        let message = Survey {
            token: "flow_token".into(),
            first_screen: json!({}),
        }
        .to(TO_IN)
        .unwrap()
        .extra_info(doc_extra_info());
        assert_eq!(message.kind(), MessageKind::FlowTemplate);
        assert_golden(&message, &parse(FLOW_TEMPLATE_SAMPLE));
    }

    #[test]
    fn product_template_matches_its_document() {
        let message = CartOffer {
            product: "nqrxxx03ez",
            catalog: "194XXXXXXXX3835".into(),
            code: Cow::Borrowed("25OFF"),
            discount: "25%",
        }
        .to(TO_US)
        .unwrap()
        .extra_info(doc_extra_info());
        assert_eq!(message.route(), Route::Waba);
        assert_golden(&message, &parse(PRODUCT_SAMPLE));
        let fixed = CartOfferFixedCatalog {
            product: "nqrxxx03ez".into(),
            code: "25OFF".into(),
            discount: "25%".into(),
        }
        .to(TO_US)
        .unwrap()
        .extra_info(doc_extra_info());
        assert_golden(&fixed, &parse(PRODUCT_SAMPLE));
    }

    #[test]
    fn flow_message_matches_its_document() {
        let message = ProductFlow {
            token: "AQAAAAACS5FpgQ_cAAAAAD0QI3s.".into(),
            product_name: "name",
            product_description: "description".into(),
            product_price: 100,
        }
        .to(TO_IN)
        .unwrap()
        .extra_info(doc_extra_info());
        assert_eq!(message.kind(), MessageKind::FlowMessage);
        assert_golden(&message, &parse(FLOW_MESSAGE_SAMPLE));
    }

    #[test]
    fn a_derived_message_without_extra_info_omits_it() {
        let message = LoginCode {
            code: Otp::new("J$FpXXXX").unwrap(),
        }
        .to(TO_IN)
        .unwrap();
        assert_golden(&message, &without_extra_info(&parse(AUTH_SAMPLE)));
    }
}
