//! `#[derive(Buttons)]` and `#[derive(Menu)]` allocate nothing per message but the output
//! buffer: `Enum::ask(body)` with a borrowed body holds the checked literals as `const` items
//! and the body borrowed, `.header`/`.footer` with borrowed text allocate nothing, and
//! `.to(recipient)` makes the one allocation (the body, sized once, with room for
//! `extra_info`); so does a session `Text` of a `&str`. A runtime builder allocates its button
//! and row lists on top of that.
//!
//! Counted with a global allocator, as in tests/allocations.rs; this file holds a single test
//! so that no other test thread allocates while it counts.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use kaleyra::prelude::*;
use kaleyra::session::{Buttons, CtaUrl};

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

#[derive(Buttons)]
enum Delivery {
    #[button(title = "Tomorrow")]
    Tomorrow,
    #[button(title = "Next week")]
    NextWeek,
    #[button(id = "cancel", title = "Cancel order")]
    Cancel,
}

#[derive(Menu)]
#[menu(button = "Pick a slot")]
enum Slot {
    #[menu(section = "Morning", title = "09:00-12:00")]
    Morning,
    #[menu(
        section = "Afternoon",
        title = "12:00-15:00",
        description = "We call first"
    )]
    Afternoon,
    #[menu(section = "Morning", id = "early", title = "08:00-09:00")]
    Early,
}

fn extra() -> ExtraInfo<'static> {
    ExtraInfo::new()
        .reference("customer1")
        .ref1("marketing")
        .ref2("dictionary \"quoted\" \u{1}")
        .source(WaSource::Api)
}

#[test]
fn one_allocation_per_derived_message() {
    let body = "When should we deliver? \u{1f69a}".to_owned();
    let (n, message) = count(|| {
        Delivery::ask(body.as_str())
            .and_then(|b| b.header("Order A-1001"))
            .and_then(|b| b.footer("Reply within 24 hours"))
            .and_then(|b| b.to("+919876543210"))
            .map(|m| m.extra_info(extra()))
    });
    let message = message.unwrap();
    assert_eq!(
        n,
        1,
        "ask + header + footer + to + extra_info: {}",
        message.as_str()
    );
    let _ = (Delivery::Tomorrow, Delivery::NextWeek, Delivery::Cancel);

    let (n, message) = count(|| {
        Slot::ask(body.as_str())
            .and_then(|l| l.footer("Times are IST"))
            .and_then(|l| l.to("+919876543210"))
            .map(|m| m.extra_info(extra()))
    });
    let message = message.unwrap();
    assert_eq!(n, 1, "a derived list: {}", message.as_str());
    let _ = (Slot::Morning, Slot::Afternoon, Slot::Early);

    let (n, message) = count(|| {
        CtaUrl::new(body.as_str(), "Track it", "https://example.com/t/A-1001")
            .and_then(|c| c.to("+919876543210"))
            .map(|m| m.extra_info(extra()))
    });
    message.unwrap();
    assert_eq!(n, 1, "a CTA URL message");

    // A session text: its body borrowed, the message sized with room for `extra_info`.
    let (n, message) = count(|| {
        kaleyra::session::Text::new(body.as_str())
            .and_then(|t| t.to("+919876543210"))
            .map(|m| m.extra_info(extra()))
    });
    message.unwrap();
    assert_eq!(n, 1, "a text");

    // The runtime builder: its button list (room for three), then the message.
    let (n, message) = count(|| {
        Buttons::new(body.as_str())
            .and_then(|b| b.button("yes", "Yes"))
            .and_then(|b| b.button("no", "No"))
            .and_then(|b| b.to("+919876543210"))
    });
    message.unwrap();
    assert_eq!(n, 2, "runtime buttons: the button list and the message");
}
