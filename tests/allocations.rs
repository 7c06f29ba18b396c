//! The derives allocate nothing per message but the output buffer: `.to(recipient)` makes one
//! allocation (the body, sized once, with room for `extra_info`; for a general template, with
//! the sizes its header, parameters, buttons and carousel cards report), `.extra_info(..)` with borrowed
//! references makes none, and `write_message` into a buffer that is large enough makes none.
//!
//! Counted with a global allocator, per thread: the harness's own threads (its output capture,
//! its timer) may allocate while the test counts, and those are not the derives'.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use kaleyra::{
    Card, Currency, DateTime, ExtraInfo, Flow, FlowButton, Media, Message, Otp, Template, WaSource,
};

struct Counting;

thread_local! {
    // `const`, no destructor: usable from the allocator on any thread, at any time.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn counted() {
    // `try_with`: a thread being torn down still allocates, and is not counted.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counter has no
// effect on the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        counted();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        counted();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations (and reallocations) made by `f`.
fn count<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = ALLOCATIONS.with(Cell::get);
    let value = f();
    (ALLOCATIONS.with(Cell::get) - before, value)
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

#[derive(Template)]
#[template(unchecked, name = "order_shipped", lang = "en_US")]
struct Order<'a> {
    #[template(header)]
    invoice: &'a Media,
    #[template(body)]
    customer: &'a str,
    #[template(body)]
    total: &'a Currency,
    #[template(body)]
    delivery: &'a DateTime,
    #[template(limited_time_offer)]
    expires: u64,
    #[template(button(url, index = 0))]
    tracking: &'a str,
    #[template(button(flow, index = 1))]
    survey: &'a FlowButton,
}

#[derive(Card)]
struct Offer<'a> {
    #[card(header)]
    image: &'a Media,
    #[card(body)]
    price: &'a Currency,
    #[card(button(quick_reply, index = 0))]
    buy: &'a str,
    #[card(button(url, index = 1))]
    link: &'a str,
}

// Its cards have a URL button the approved `summer_carousel` does not (counted too).
#[derive(Template)]
#[template(unchecked, name = "summer_carousel", lang = "en_US")]
struct Summer<'a> {
    #[template(body)]
    name: &'a str,
    #[template(carousel)]
    cards: &'a [Offer<'a>],
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

    // The values of a general template are built (and checked) before the message.
    let invoice = Media::document_link("https://example.com/invoices/2026/42.pdf")
        .unwrap()
        .filename("Invoice 42 \"final\".pdf")
        .unwrap();
    let total = Currency::new("EUR", 100_990, "€100.99").unwrap();
    let delivery = DateTime::new("Tuesday, 3 March, 10:00").unwrap();
    let survey = FlowButton::new()
        .token("survey-42")
        .unwrap()
        .action_data(&serde_json::json!({"order": 42, "items": ["a", "b"]}))
        .unwrap();
    let image = Media::image_link("https://example.com/summer/1.jpg").unwrap();
    let offer = || Offer {
        image: &image,
        price: &total,
        buy: "buy \"now\"",
        link: "summer/1",
    };
    let cards = [offer(), offer(), offer(), offer(), offer()];

    type Build<'a> = Box<dyn Fn() -> Message + 'a>;
    let build: [(&str, Build<'_>); 6] = [
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
        (
            "general template",
            Box::new(|| {
                Order {
                    invoice: &invoice,
                    customer: "Ada \"the\" customer",
                    total: &total,
                    delivery: &delivery,
                    expires: 1_767_225_600_000,
                    tracking: "track/42",
                    survey: &survey,
                }
                .to("+919876543210")
                .unwrap()
                .extra_info(extra(&reference))
            }),
        ),
        (
            "carousel template",
            Box::new(|| {
                Summer {
                    name: "Ada",
                    cards: &cards,
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
            buf.clear();
            Order {
                invoice: &invoice,
                customer: "Ada",
                total: &total,
                delivery: &delivery,
                expires: 1_767_225_600_000,
                tracking: "track/42",
                survey: &survey,
            }
            .write_message("+919876543210", Some(&info), &mut buf)
            .unwrap();
            buf.clear();
            Summer {
                name: "Ada",
                cards: &cards,
            }
            .write_message("+919876543210", Some(&info), &mut buf)
            .unwrap();
        }
    });
    assert_eq!(
        n, 0,
        "allocations writing 400 messages into a reused buffer"
    );

    // A failed validation allocates only its error, and leaves the buffer as it was.
    buf.clear();
    buf.extend_from_slice(b"kept");
    let bad = LoginCode { code }.write_message("not a number", None, &mut buf);
    assert!(bad.is_err());
    assert_eq!(buf, b"kept");
}
