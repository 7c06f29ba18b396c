//! A whole answer to a send or a publish: the status (first two bytes), a `Retry-After` value
//! (its length in the third byte), and the body (the rest). Must never panic; an acceptance needs
//! a 2xx status.
#![no_main]

use kaleyra_core::response;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_first_chunk::<3>() else {
        return;
    };
    let status = u16::from_be_bytes([head[0], head[1]]);
    let cut = usize::from(head[2]).min(rest.len());
    let (retry_after, body) = rest.split_at(cut);
    let retry_after = (!retry_after.is_empty()).then_some(retry_after);
    if response::send(status, retry_after, body).is_ok() {
        assert!((200..300).contains(&status));
    }
    if let Err(e) = response::publish(status, retry_after, body) {
        assert!(!(e.is_retryable() && e.is_ambiguous()));
    }
});
