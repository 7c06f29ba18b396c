//! The derives allocate nothing per message but the output buffer: `.to(recipient)` makes one
//! allocation (the body, sized once, with room for `extra_info`), `.extra_info(..)` with borrowed
//! references makes none, and `write_message` into a buffer that is large enough makes none.
//!
//! Counted with a global allocator; this file holds a single test so that no other test thread
//! allocates while it counts.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use kaleyra::{ExtraInfo, Flow, Message, Otp, Template, WaSource};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counter has no
// effect on the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations (and reallocations) made by `f`.
fn count<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    let value = f();
    (ALLOCATIONS.load(Ordering::SeqCst) - before, value)
}

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

type Object = serde_json::Map<String, serde_json::Value>;

// A body parameter, to count its allocations too: not the shape of the approved
// `flow_template20` in kaleyra-templates.json, so not checked against it.
#[derive(Template)]
#[template(name = "flow_template20", kind = flow, lang = "en_US", unchecked)]
struct Survey<'a> {
    #[template(body)]
    name: &'a str,
    #[template(flow_token)]
    token: &'a str,
    #[template(flow_action_data)]
    first_screen: &'a Object,
}

#[derive(Template)]
#[template(name = "abandoned_cart_offer", kind = product, lang = "en_US")]
struct CartOffer<'a> {
    #[template(product_retailer_id)]
    product: &'a str,
    #[template(catalog_id)]
    catalog: &'a str,
    #[template(body)]
    code: &'a str,
    #[template(body)]
    discount: &'a str,
}

#[derive(Flow)]
#[flow(
    id = "1234567890",
    cta = "Book now",
    screen = "WELCOME",
    header = "Header",
    body = "Body"
)]
struct Booking<'a> {
    #[flow(token)]
    token: &'a str,
    date: &'a str,
    guests: u8,
}

fn extra(reference: &str) -> ExtraInfo<'_> {
    ExtraInfo::new()
        .reference(reference)
        .ref1("marketing")
        .ref2("dictionary \"quoted\" \u{1}")
        .source(WaSource::Api)
}

#[test]
fn one_allocation_per_message_and_none_into_a_reused_buffer() {
    let code = Otp::new("J$Fp4821").unwrap();
    let empty = Object::new();
    let reference = "customer\u{2028}1".to_owned();

    type Build<'a> = Box<dyn Fn() -> Message + 'a>;
    let build: [(&str, Build<'_>); 4] = [
        (
            "authentication",
            Box::new(|| {
                LoginCode { code }
                    .to("+91 (98765) 43210")
                    .unwrap()
                    .extra_info(extra(&reference))
            }),
        ),
        (
            "flow template",
            Box::new(|| {
                Survey {
                    name: "Ana \"the\" tester",
                    token: "flow_token",
                    first_screen: &empty,
                }
                .to("+919876543210")
                .unwrap()
                .extra_info(extra(&reference))
            }),
        ),
        (
            "product template",
            Box::new(|| {
                CartOffer {
                    product: "nqrxxx03ez",
                    catalog: "194XXXXXXXX3835",
                    code: "25OFF",
                    discount: "25%",
                }
                .to("+16505551234")
                .unwrap()
                .extra_info(extra(&reference))
            }),
        ),
        (
            "flow message",
            Box::new(|| {
                Booking {
                    token: "AQAAAAACS5FpgQ_cAAAAAD0QI3s.",
                    date: "2026-12-01",
                    guests: 2,
                }
                .to("+919876543210")
                .unwrap()
                .extra_info(extra(&reference))
            }),
        ),
    ];
    for (kind, build) in &build {
        let (n, message) = count(build);
        assert_eq!(n, 1, "{kind}: allocations to build the message");
        assert!(!message.as_bytes().is_empty());
    }

    // Into a reused buffer: nothing at all once it is large enough.
    let mut buf = Vec::with_capacity(4096);
    let info = extra(&reference);
    let (n, ()) = count(|| {
        for _ in 0..100 {
            buf.clear();
            LoginCode { code }
                .write_message("+919876543210", Some(&info), &mut buf)
                .unwrap();
            buf.clear();
            Booking {
                token: "t",
                date: "2026-12-01",
                guests: 2,
            }
            .write_message("+919876543210", Some(&info), &mut buf)
            .unwrap();
        }
    });
    assert_eq!(
        n, 0,
        "allocations writing 200 messages into a reused buffer"
    );

    // A failed validation allocates only its error, and leaves the buffer as it was.
    buf.clear();
    buf.extend_from_slice(b"kept");
    let bad = LoginCode { code }.write_message("not a number", None, &mut buf);
    assert!(bad.is_err());
    assert_eq!(buf, b"kept");
}
