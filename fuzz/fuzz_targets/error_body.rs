//! Kaleyra's error body, read leniently: any text, any status. Must never panic; a result keeps
//! the body and the status it was given.
#![no_main]

use kaleyra_core::ApiError;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((head, body)) = data.split_first_chunk::<2>() else {
        return;
    };
    let status = u16::from_be_bytes(*head);
    let text = String::from_utf8_lossy(body);
    if let Some(e) = ApiError::from_body(status, &text) {
        assert_eq!(e.status(), status);
        assert_eq!(e.body(), text);
        let _ = (e.kind(), e.details(), e.to_string());
    }
});
