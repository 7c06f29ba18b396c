//! Writers for the values that vary per message: each checks its rule (from [`crate::rules`])
//! and appends the value as JSON. The derives' generated code and the builders both call these.

use serde::Serialize;

use crate::error::{Error, ValidationError};
use crate::json;
use crate::rules::{self, Violation};

fn fail(what: &'static str, violation: Violation) -> Error {
    Error::Validation(ValidationError::new(what, violation))
}

/// The validation error naming `what` for a broken rule.
pub fn violation(what: &'static str, violation: Violation) -> Error {
    fail(what, violation)
}

/// The validation error naming `what` for a combination that does not go together.
pub fn invalid(what: &'static str, reason: &'static str) -> Error {
    fail(what, Violation::Invalid { reason })
}

/// The recipient: validated E.164 and written normalized (`"+digits"`).
#[inline]
pub fn recipient(out: &mut Vec<u8>, to: &str) -> Result<(), Error> {
    out.reserve(rules::PHONE_DIGITS_MAX + 3);
    out.extend_from_slice(b"\"+");
    rules::for_each_phone_digit(to, |d| out.push(d)).map_err(|v| fail("the recipient", v))?;
    out.push(b'"');
    Ok(())
}

/// `value` if it passes `rule`; otherwise the validation error naming it `what`.
#[inline]
pub fn checked<'a>(
    value: &'a str,
    rule: fn(&str) -> Result<(), Violation>,
    what: &'static str,
) -> Result<&'a str, Error> {
    match rule(value) {
        Ok(()) => Ok(value),
        Err(v) => Err(fail(what, v)),
    }
}

/// A text checked by `rule`, written as a JSON string.
#[inline]
pub fn text(
    out: &mut Vec<u8>,
    value: &str,
    rule: fn(&str) -> Result<(), Violation>,
    what: &'static str,
) -> Result<(), Error> {
    json::write_str(out, checked(value, rule, what)?);
    Ok(())
}

/// Serializes `value` as compact JSON into `out`.
pub fn json_value<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
    what: &'static str,
) -> Result<(), Error> {
    serde_json::to_writer(&mut *out, value).map_err(|e| {
        fail(
            what,
            Violation::NotJson {
                reason: e.to_string(),
            },
        )
    })
}

/// Serializes `value`, which must be a JSON object (and, if `non_empty`, have a member).
pub fn json_object<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
    non_empty: bool,
    what: &'static str,
) -> Result<(), Error> {
    let start = out.len();
    json_value(out, value, what)?;
    check_object(&out[start..], non_empty).map_err(|v| fail(what, v))
}

/// Checks that compact JSON text is an object (non-empty if asked).
pub(crate) fn check_object(written: &[u8], non_empty: bool) -> Result<(), Violation> {
    let found = match written.first() {
        Some(b'{') if non_empty && written == b"{}" => return Err(Violation::EmptyObject),
        Some(b'{') => return Ok(()),
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b'n') => "null",
        Some(b't' | b'f') => "a boolean",
        Some(_) => "a number",
        None => "nothing",
    };
    Err(Violation::NotObject { found })
}
