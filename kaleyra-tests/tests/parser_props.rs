//! Property tests of the response and error parsers (`kaleyra::response`,
//! `ApiError::from_body`): arbitrary bytes, and Kaleyra's documented bodies mutated byte by byte,
//! never make them panic, and whatever they return agrees with the status and the body.
//!
//! The same parsers are cargo-fuzz targets in `fuzz/` (not run in CI).

use std::time::Duration;

use kaleyra::response;
use kaleyra::{ApiError, ApiErrorKind, Error};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

/// Deterministic runs: a fixed seed and no failure files in the source tree.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(0x7061_7273_6572_7321),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Bodies Kaleyra answers with (the documents' and the simulator's), to mutate.
const BODIES: &[&str] = &[
    r#"{"code":"WA202","message":"Request Accepted","data":{"message_id":"A0000000000000000001"},"error":{}}"#,
    r#"{"code":"RBC001","message":"Incorrect SID or API key.","data":[],"error":{"error":"Incorrect SID or API key."}}"#,
    r#"{"code":"WA401","message":"Phone number is not present or does not belong to the account.","data":{},"error":{"phone_number":"Phone number is not present or does not belong to the account."}}"#,
    r#"{"code":"WA400","message":"Refer to correct payload format","data":{},"error":{"payload":"Incorrect payload format"}}"#,
    r#"{"code":"WA429","message":"Too many requests","data":{},"error":{"error":"Too many requests"}}"#,
    r#"{"code":"WA500","message":"Please try again later","data":{},"error":"Internal server error"}"#,
    r#"{"code":"E110","message":"Please check your balance, You have a low balance!","data":{},"error":{"balance":"low"}}"#,
    r#"{"success": true}"#,
    "<html><head><title>502 Bad Gateway</title></head></html>",
];

/// One mutation of a body: flip a bit, replace, insert or delete a byte, or truncate.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Replace(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip(at, bit)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Replace(at, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Insert(at, b)),
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(body: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut out = body.to_vec();
    for m in mutations {
        let len = out.len();
        match *m {
            Mutation::Flip(at, bit) if len > 0 => out[at % len] ^= 1 << bit,
            Mutation::Replace(at, b) if len > 0 => out[at % len] = b,
            Mutation::Insert(at, b) => out.insert(at % (len + 1), b),
            Mutation::Delete(at) if len > 0 => {
                out.remove(at % len);
            }
            Mutation::Truncate(at) => out.truncate(at % (len + 1)),
            _ => {}
        }
    }
    out
}

/// What any send answer must read as, whatever the bytes.
fn check_send(status: u16, retry_after: Option<&[u8]>, body: &[u8]) {
    let result = response::send(status, retry_after, body);
    let two_xx = (200..300).contains(&status);
    match &result {
        Ok(accepted) => {
            assert!(two_xx, "accepted with HTTP {status}");
            // The id is read from the body, not made up.
            let json: serde_json::Value =
                serde_json::from_slice(body).expect("an accepted body is JSON");
            assert_eq!(
                json["data"]["message_id"].as_str(),
                Some(accepted.message_id.as_str())
            );
        }
        Err(Error::Api(e)) => {
            assert!(!two_xx);
            assert_eq!(e.status(), status);
            assert_eq!(e.kind(), ApiErrorKind::from_code(e.code()));
        }
        Err(Error::Decode(e)) => {
            assert_eq!(e.status(), Some(status));
            assert_eq!(e.body(), String::from_utf8_lossy(body));
        }
        Err(other) => panic!("a response read as {other:?}"),
    }
    if let Err(e) = &result {
        // A wait only when the server gave one, and never two answers to "retry?".
        if retry_after.is_none() {
            assert_eq!(e.retry_after(), None);
        }
        assert!(!(e.is_retryable() && e.is_ambiguous()));
        if two_xx {
            assert!(
                !e.is_retryable() && !e.is_ambiguous(),
                "a 2xx was accepted: {e}"
            );
        }
    }
    let published = response::publish(status, retry_after, body);
    assert_eq!(published.is_ok(), two_xx);
}

proptest! {
    #![proptest_config(config(2_000))]

    #[test]
    fn arbitrary_answers_never_panic(
        status in prop_oneof![100u16..600, any::<u16>()],
        retry_after in proptest::option::of(vec(any::<u8>(), 0..40)),
        body in vec(any::<u8>(), 0..300),
    ) {
        check_send(status, retry_after.as_deref(), &body);
        let _ = ApiError::from_body(status, &String::from_utf8_lossy(&body));
        let _ = response::retry_after(&body);
    }

    #[test]
    fn mutated_documented_bodies_never_panic(
        which in 0..BODIES.len(),
        mutations in vec(mutation(), 1..6),
        status in prop_oneof![Just(200u16), Just(202), Just(400), Just(401), Just(429), Just(500), Just(502), Just(503)],
    ) {
        let body = mutate(BODIES[which].as_bytes(), &mutations);
        check_send(status, Some(b"1"), &body);
        let text = String::from_utf8_lossy(&body);
        if let Some(e) = ApiError::from_body(status, &text) {
            // Only a JSON object with a string `code` is Kaleyra's error (bytes that are not
            // UTF-8 are read as U+FFFD).
            let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            prop_assert_eq!(json["code"].as_str(), Some(e.code()));
        }
    }

    #[test]
    fn any_code_and_error_shape_is_read(
        code in "\\PC{0,12}",
        message in "\\PC{0,40}",
        error in prop_oneof![
            Just(serde_json::json!({})),
            Just(serde_json::json!([])),
            Just(serde_json::json!(null)),
            "\\PC{0,20}".prop_map(serde_json::Value::from),
            ("[a-z_]{1,8}", "\\PC{0,20}").prop_map(|(k, v)| serde_json::json!({ k: v })),
            (any::<i64>()).prop_map(|n| serde_json::json!({ "n": n, "nested": { "x": [n] } })),
        ],
        data in prop_oneof![Just(serde_json::json!({})), Just(serde_json::json!([]))],
        status in 400u16..600,
    ) {
        let body = serde_json::json!({"code": code, "message": message, "data": data, "error": error}).to_string();
        let e = ApiError::from_body(status, &body).expect("Kaleyra's error shape");
        prop_assert_eq!(e.code(), code.as_str());
        prop_assert_eq!(e.message(), message.as_str());
        prop_assert_eq!(e.body(), body.as_str());
        check_send(status, None, body.as_bytes());
    }

    #[test]
    fn retry_after_reads_seconds_and_past_dates(
        seconds in any::<u32>(),
        spaces in 0usize..3,
        past in 0u64..1_700_000_000,
        junk in vec(any::<u8>(), 0..40),
    ) {
        let pad = " ".repeat(spaces);
        let text = format!("{pad}{seconds}{pad}");
        let expected = Duration::from_secs(u64::from(seconds).min(86_400));
        prop_assert_eq!(response::retry_after(text.as_bytes()), Some(expected));
        // Every date before now: no wait.
        prop_assert_eq!(response::retry_after(imf_fixdate(past).as_bytes()), Some(Duration::ZERO));
        let _ = response::retry_after(&junk);
    }
}

/// An IMF-fixdate for a Unix time (the civil-from-days algorithm, written here independently
/// of the library's parser).
fn imf_fixdate(unix: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix / 86_400;
    let secs = unix % 86_400;
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[(days % 7) as usize],
        day,
        MONTHS[(month - 1) as usize],
        year,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[test]
fn the_date_oracle_matches_known_dates() {
    assert_eq!(imf_fixdate(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(imf_fixdate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    assert_eq!(imf_fixdate(1_835_481_599), "Tue, 29 Feb 2028 23:59:59 GMT");
}
