//! Generated code must not care what the user's crate names things: absolute paths only, and
//! locals that collide neither with fields nor with `const`s of their names.
#![deny(warnings, unused, missing_debug_implementations)]
#![allow(dead_code, non_camel_case_types, non_upper_case_globals)]

use kaleyra::{Flow as _, Template as _};

// Everything generated code might otherwise pick up by name.
type Result<T> = std::result::Result<T, ()>;
struct Ok;
struct Err;
struct Some;
struct None;
struct Vec;
struct String;
struct str;
struct usize;
struct u8;
mod serde {}
mod core {}
mod std_ {}
mod kaleyra_core {}
trait Encode {}
trait Serialize {}
const out: () = ();
const to: () = ();

#[derive(Debug, kaleyra::Template)]
#[template(name = "abandoned_cart_offer", kind = product, lang = "en_US")]
struct Offer {
    #[template(product_retailer_id)]
    out: ::std::string::String,
    #[template(catalog_id)]
    to: ::std::string::String,
    #[template(body)]
    __kaleyra_0: &'static ::core::primitive::str,
    #[template(body)]
    r#type: ::std::string::String,
}

#[derive(Debug, kaleyra::Flow)]
#[flow(id = "1234567890", cta = "Go", screen = "START", body = "Hi")]
struct Booking {
    #[flow(token)]
    out: ::std::string::String,
    to: ::core::primitive::u8,
    encode: ::core::primitive::bool,
}

fn main() {
    let offer = Offer {
        out: "p1".into(),
        to: "194".into(),
        __kaleyra_0: "25OFF",
        r#type: "25%".into(),
    };
    let message = offer.to("+15550001234").expect("valid");
    assert!(message.as_str().contains(r#""text":"25OFF"},{"type":"text","text":"25%"}"#));
    let booking = Booking {
        out: "tok".into(),
        to: 2,
        encode: true,
    };
    let message = booking.to("+15550001234").expect("valid");
    assert!(message.as_str().contains(r#""data":{"to":2,"encode":true}"#));
}
