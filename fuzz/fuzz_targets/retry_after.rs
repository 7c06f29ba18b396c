//! A `Retry-After` header value: seconds or an IMF-fixdate. Must never panic, and never wait
//! more than a day.
#![no_main]

use std::time::Duration;

use kaleyra_core::response;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(wait) = response::retry_after(data) {
        assert!(wait <= Duration::from_secs(24 * 60 * 60));
    }
});
