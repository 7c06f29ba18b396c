//! The general-template and card derives must not care what the user's crate names things:
//! absolute paths only, and locals that collide neither with fields nor with items named
//! `out`, `to`, `index`, `value` (a `const` of that name would turn a binding into a pattern).
#![deny(warnings, unused, missing_debug_implementations)]
#![allow(dead_code, non_camel_case_types, non_upper_case_globals)]

use kaleyra::{Template as _, FlowButton, Media};

// Everything generated code might otherwise pick up by name.
type Result<T> = std::result::Result<T, ()>;
type Option<T> = std::result::Result<T, ()>;
struct Ok;
struct Err;
struct Some;
struct None;
struct Vec;
struct String;
struct str;
struct u8;
struct u64;
struct usize;
mod core {}
mod kaleyra_core {}
trait Card {}
trait Encode {}
trait From {}
const out: () = ();
const to: () = ();
const index: () = ();
const value: () = ();

#[derive(Debug, kaleyra::Card)]
struct Offer {
    #[card(header)]
    out: Media,
    #[card(body)]
    index: &'static ::core::primitive::str,
    #[card(button(quick_reply, index = 0))]
    to: ::std::string::String,
    #[card(button(url, index = 1))]
    value: &'static ::core::primitive::str,
}

#[derive(Debug, kaleyra::Template)]
#[template(name = "summer_carousel", lang = "en_US")]
struct Summer {
    #[template(body)]
    out: &'static ::core::primitive::str,
    #[template(carousel)]
    to: [Offer; 1],
}

#[derive(Debug, kaleyra::Template)]
#[template(name = "order_shipped", kind = standard, lang = "en_US")]
struct Order {
    #[template(header = "out")]
    out: ::std::string::String,
    #[template(body = "to")]
    to: ::std::string::String,
    #[template(body = "index")]
    index: kaleyra::Currency,
    #[template(limited_time_offer)]
    value: ::core::primitive::u64,
    #[template(button(flow, index = 0))]
    __kaleyra_0: FlowButton,
    #[template(button(copy_code, index = 1))]
    __kaleyra_1: &'static ::core::primitive::str,
}

// `Option` here is the user's alias: the derive sees `Option<…>` and treats the member as
// optional; the real `core::option::Option` is named by its full path.
#[derive(Debug, kaleyra::Template)]
#[template(name = "flow_template20", kind = flow, lang = "en_US")]
struct Survey {
    #[template(flow_token)]
    value: ::core::option::Option<::std::string::String>,
    #[template(flow_action_data)]
    out: ::std::option::Option<::std::collections::BTreeMap<::std::string::String, ::core::primitive::u8>>,
}

fn main() {
    let card = Offer {
        out: Media::image_link("https://example.com/a.jpg").expect("valid"),
        index: "$1",
        to: "buy".into(),
        value: "p/1",
    };
    let message = Summer { out: "Ada", to: [card] }.to("+15550001234").expect("valid");
    assert!(message.as_str().contains(r#"{"card_index":0,"components":[{"type":"header""#));
    assert!(message.as_str().contains(r#""payload":"buy""#));

    let order = Order {
        out: "Summer".into(),
        to: "Ada".into(),
        index: kaleyra::Currency::new("EUR", 5_000, "€5").expect("valid"),
        value: 1_767_225_600_000,
        __kaleyra_0: FlowButton::new(),
        __kaleyra_1: "SAVE5",
    };
    let message = order.to("+15550001234").expect("valid");
    assert!(message.as_str().contains(r#""parameter_name":"out","text":"Summer""#));
    assert!(message.as_str().contains(r#""expiration_time_ms":1767225600000"#));

    let survey = Survey {
        value: ::core::option::Option::None,
        out: ::core::option::Option::Some(::std::collections::BTreeMap::new()),
    };
    let message = survey.to("+15550001234").expect("valid");
    assert!(message.as_str().contains(r#""action":{"flow_action_data":{}}"#));
}
