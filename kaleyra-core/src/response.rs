//! Reading Kaleyra's answers: the status, the `Retry-After` header and the body of a response,
//! typed into [`Accepted`] or an [`Error`].
//!
//! [`Client`](crate::Client) uses these; they are public for programs that post with their own
//! HTTP stack, and so that they can be fuzzed (`fuzz/`). None of them panics, whatever the bytes.
//!
//! ```
//! use kaleyra::{Error, response};
//!
//! let ok = br#"{"code":"WA202","message":"Request Accepted","data":{"message_id":"A1"},"error":{}}"#;
//! assert_eq!(response::send(202, None, ok)?.message_id, "A1");
//!
//! let limited = br#"{"code":"WA429","message":"Too many requests","data":{},"error":{}}"#;
//! let e = response::send(429, Some(b"2"), limited).unwrap_err();
//! assert!(e.is_throttled() && e.is_retryable());
//! assert_eq!(e.retry_after(), Some(std::time::Duration::from_secs(2)));
//! # Ok::<(), Error>(())
//! ```

use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::client::Accepted;
use crate::error::{ApiError, DecodeError, Error};

/// Reads a send's answer: any `2xx` with `data.message_id` is [`Accepted`]; any other status
/// is Kaleyra's error ([`Error::Api`]) or, if the body is not Kaleyra's error JSON,
/// [`Error::Decode`]. `retry_after` is the raw `Retry-After` header, if there was one.
pub fn send(status: u16, retry_after: Option<&[u8]>, body: &[u8]) -> Result<Accepted, Error> {
    if !(200..300).contains(&status) {
        return Err(refused(status, retry_after, body));
    }
    match serde_json::from_slice::<Success<'_>>(body) {
        Ok(success) => Ok(Accepted::new(success.data.message_id.into_owned())),
        Err(_) => Err(DecodeError::new(
            Some(status),
            "the message was accepted but the body has no `data.message_id`",
            String::from_utf8_lossy(body).into_owned(),
        )
        .into()),
    }
}

/// Reads a publish's answer: any `2xx` is success; otherwise as [`send`].
pub fn publish(status: u16, retry_after: Option<&[u8]>, body: &[u8]) -> Result<(), Error> {
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(refused(status, retry_after, body))
    }
}

/// The most of a response body the [`Client`](crate::Client) reads: 1 MiB. Kaleyra's answers are
/// a few hundred bytes; a longer body (a proxy's page, a misbehaving server) is cut there and
/// not parsed ([`too_long`]), so that one answer cannot hold megabytes in memory or in an error.
pub const MAX_BODY: usize = 1 << 20;

/// The error for an answer whose body was longer than [`MAX_BODY`]: an [`Error::Decode`] with
/// the status, the `Retry-After` and the first `MAX_BODY` bytes (`read`), marked
/// [`DecodeError::body_truncated`]. Its status decides, as for any decode error, whether it is
/// retryable (`429`) or ambiguous (`5xx`); a `2xx` that long was accepted, its id unread.
pub fn too_long(status: u16, retry_after_header: Option<&[u8]>, read: &[u8]) -> Error {
    let mut text = String::from_utf8_lossy(&read[..read.len().min(MAX_BODY)]).into_owned();
    // Replacement characters can make the text longer than the bytes: keep at most the cap.
    let mut end = text.len().min(MAX_BODY);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    DecodeError::new(
        Some(status),
        "the body is longer than 1 MiB, the most the client reads: only its first 1 MiB was \
         read, and it was not parsed",
        text,
    )
    .with_retry_after(retry_after_header.and_then(retry_after))
    .with_body_truncated()
    .into()
}

/// Reads a `Retry-After` header value (RFC 9110 §10.2.3): a number of seconds, or an
/// IMF-fixdate such as `Sun, 06 Nov 1994 08:49:37 GMT` (a date in the past means no wait).
/// Anything else is `None`. Waits are capped at one day.
pub fn retry_after(value: &[u8]) -> Option<Duration> {
    let text = core::str::from_utf8(value).ok()?.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        // Any number of digits: a huge one is capped rather than refused.
        let seconds = text.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds.min(MAX_RETRY_AFTER_SECS)));
    }
    let at = http_date(text)?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(
        at.saturating_sub(now).min(MAX_RETRY_AFTER_SECS),
    ))
}

const MAX_RETRY_AFTER_SECS: u64 = 24 * 60 * 60;

/// Seconds since the Unix epoch of an IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(text: &str) -> Option<u64> {
    let rest = text.split_once(", ")?.1;
    let mut parts = rest.split(' ');
    let (day, month, year, time, zone) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if parts.next().is_some() || zone != "GMT" || day.len() != 2 || year.len() != 4 {
        return None;
    }
    let number = |s: &str| -> Option<u64> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let day = number(day)?;
    let year = number(year)?;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let mut hms = time.split(':');
    let (h, m, s) = (hms.next()?, hms.next()?, hms.next()?);
    if hms.next().is_some() || h.len() != 2 || m.len() != 2 || s.len() != 2 {
        return None;
    }
    let (h, m, s) = (number(h)?, number(m)?, number(s)?);
    if !(1..=31).contains(&day) || year < 1970 || h > 23 || m > 59 || s > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm), for years from 1970.
    let (y, mo) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * mo + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = (era * 146_097 + doe).checked_sub(719_468)?;
    Some(days * 86_400 + h * 3600 + m * 60 + s)
}

/// A refusal: Kaleyra's error JSON, or a decode error for anything else.
fn refused(status: u16, retry_after_header: Option<&[u8]>, body: &[u8]) -> Error {
    let wait = retry_after_header.and_then(retry_after);
    let text = String::from_utf8_lossy(body);
    match ApiError::from_body(status, &text) {
        Some(api) => api.with_retry_after(wait).into(),
        None => DecodeError::new(
            Some(status),
            "the body is not Kaleyra's error JSON",
            text.into_owned(),
        )
        .with_retry_after(wait)
        .into(),
    }
}

/// The part of Kaleyra's 202 body a send needs: `{"data": {"message_id": "…"}, …}`.
#[derive(serde::Deserialize)]
struct Success<'a> {
    #[serde(borrow)]
    data: SuccessData<'a>,
}

#[derive(serde::Deserialize)]
struct SuccessData<'a> {
    #[serde(borrow)]
    message_id: Cow<'a, str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_xx_without_message_id_is_a_decode_error() {
        assert!(matches!(send(202, None, b"<html>"), Err(Error::Decode(_))));
        assert!(matches!(
            send(202, None, br#"{"data":[]}"#),
            Err(Error::Decode(_))
        ));
    }

    #[test]
    fn the_message_id_is_read_from_any_2xx() {
        let ok = br#"{"code":"WA202","message":"Request Accepted","data":{"message_id":"A1"},"error":{}}"#;
        assert_eq!(send(202, None, ok).unwrap().message_id, "A1");
        // Escapes are decoded; unknown members are ignored.
        let odd = br#"{"x":[1],"data":{"message_id":"A\u0032","more":{}}}"#;
        assert_eq!(send(200, None, odd).unwrap().message_id, "A2");
    }

    #[test]
    fn retry_after_is_kept_on_refusals() {
        let body = br#"{"code":"WA429","message":"Too many requests","data":{},"error":{}}"#;
        let e = send(429, Some(b" 3 "), body).unwrap_err();
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
        let e = publish(503, Some(b"1"), b"<html>busy</html>").unwrap_err();
        assert!(matches!(e, Error::Decode(_)));
        assert_eq!(e.retry_after(), Some(Duration::from_secs(1)));
        assert_eq!(send(429, None, body).unwrap_err().retry_after(), None);
    }

    #[test]
    fn retry_after_values() {
        assert_eq!(retry_after(b"0"), Some(Duration::ZERO));
        assert_eq!(retry_after(b"120"), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after(b"99999999999999999999999"),
            Some(Duration::from_secs(MAX_RETRY_AFTER_SECS))
        );
        for bad in [&b""[..], b"-1", b"1.5", b"soon", b"\xff", b"+1"] {
            assert_eq!(retry_after(bad), None, "{bad:?}");
        }
        // A date in the past: no wait.
        assert_eq!(
            retry_after(b"Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(
            http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date("Tue, 29 Feb 2028 23:59:59 GMT"),
            Some(1_835_481_599)
        );
        for bad in [
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Now 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:49:37 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(http_date(bad), None, "{bad}");
        }
        // A date far in the future is capped.
        assert_eq!(
            retry_after(b"Fri, 01 Jan 9999 00:00:00 GMT"),
            Some(Duration::from_secs(MAX_RETRY_AFTER_SECS))
        );
    }
}
