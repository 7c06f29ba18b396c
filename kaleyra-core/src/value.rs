//! Validated values: each constructor checks its rule once, so holding one means it is valid.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::error::ValidationError;
use crate::json;
use crate::rules::{self, Violation};

/// Room for an OTP of 15 characters of up to 4 bytes each.
const OTP_BYTES: usize = rules::OTP_MAX * 4;

/// A one-time password: 1-15 characters, no whitespace or control characters.
///
/// Stored inline (no allocation) and `Copy`. `Debug` does not print the code.
///
/// ```
/// use kaleyra::Otp;
/// let code = Otp::new("J$FpXXXX")?;
/// assert_eq!(code.as_str(), "J$FpXXXX");
/// assert!(Otp::new("1234567890123456").is_err()); // 16 characters
/// # Ok::<(), kaleyra::ValidationError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Otp {
    len: u8,
    bytes: [u8; OTP_BYTES],
}

impl Otp {
    /// Validates `code`.
    pub fn new(code: &str) -> Result<Otp, ValidationError> {
        rules::check_otp(code).map_err(|v| ValidationError::new("the OTP", v))?;
        Ok(Otp::copy(code))
    }

    /// Copies a code already checked (by [`Otp::new`] or, at compile time, by `otp!`).
    #[doc(hidden)]
    pub const fn __from_checked(code: &str) -> Otp {
        Otp::copy(code)
    }

    const fn copy(code: &str) -> Otp {
        let src = code.as_bytes();
        let mut bytes = [0u8; OTP_BYTES];
        // A checked code always fits; an unchecked one is cut rather than overflowing.
        let len = if src.len() < OTP_BYTES {
            src.len()
        } else {
            OTP_BYTES
        };
        let mut i = 0;
        while i < len {
            bytes[i] = src[i];
            i += 1;
        }
        Otp {
            len: len as u8,
            bytes,
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        // Always whole UTF-8 characters copied from a `&str`; the fallback is unreachable.
        core::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl fmt::Debug for Otp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Otp(<redacted>)")
    }
}

impl AsRef<str> for Otp {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl FromStr for Otp {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Otp::new(s)
    }
}

/// A string checked once by `$check` (which may normalize it), then kept as is.
macro_rules! checked_string {
    ($(#[$doc:meta])* $name:ident, $what:literal, $check:expr, $new_doc:literal, $as_str_doc:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            #[doc = $new_doc]
            pub fn new(value: &str) -> Result<Self, ValidationError> {
                let check: fn(&str) -> Result<String, Violation> = $check;
                check(value)
                    .map($name)
                    .map_err(|v| ValidationError::new($what, v))
            }

            #[doc = $as_str_doc]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = ValidationError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                $name::new(s)
            }
        }
    };
}

fn digits(id: &str) -> Result<String, Violation> {
    rules::check_digits(id).map(|()| id.to_owned())
}

checked_string!(
    /// A recipient's WhatsApp number in E.164 form, e.g. `+919876543210`.
    ///
    /// ```
    /// use kaleyra::Recipient;
    /// assert_eq!(Recipient::new("+91 98765-43210")?.as_str(), "+919876543210");
    /// assert!(Recipient::new("9876543210").is_err()); // no country code
    /// # Ok::<(), kaleyra::ValidationError>(())
    /// ```
    Recipient,
    "the recipient",
    rules::normalize_phone,
    "Validates an E.164 number (`+`, then 1-15 digits; spaces, hyphens and parentheses are dropped) and keeps it normalized.",
    "The normalized number: `+` and digits."
);

impl Recipient {
    /// A recipient from a WhatsApp id as callbacks give it (`from`, `contacts[].wa_id`): the
    /// number's digits without `+` (1-15 ASCII digits; anything else is an error, a number
    /// with `+` being [`Recipient::new`]'s).
    ///
    /// ```
    /// use kaleyra::Recipient;
    /// assert_eq!(Recipient::from_wa_id("919876543210")?.as_str(), "+919876543210");
    /// assert!(Recipient::from_wa_id("+919876543210").is_err());
    /// # Ok::<(), kaleyra::ValidationError>(())
    /// ```
    pub fn from_wa_id(wa_id: &str) -> Result<Recipient, ValidationError> {
        rules::wa_id_to_e164(wa_id)
            .map(Recipient)
            .map_err(|v| ValidationError::new("the WhatsApp id", v))
    }
}

checked_string!(
    /// The business's own WhatsApp number on the Kaleyra account, in E.164 form: the `{sender}` of
    /// `POST /v2/{sid}/whatsapp/{sender}/messages`.
    SenderNumber,
    "the sender number",
    rules::normalize_phone,
    "Validates an E.164 number (`+`, then 1-15 digits; spaces, hyphens and parentheses are dropped) and keeps it normalized.",
    "The normalized number: `+` and digits."
);

checked_string!(
    /// A WhatsApp Business Account id: the `{waba_id}` of the single-product template route.
    WabaId,
    "the WABA id",
    digits,
    "Validates a string of ASCII digits.",
    "The digits."
);

checked_string!(
    /// A WhatsApp flow id, as used by interactive flow messages and `publish_flow`.
    FlowId,
    "the flow id",
    digits,
    "Validates a string of ASCII digits.",
    "The digits."
);

/// Anything `publish_flow` accepts as a flow id: a [`FlowId`], or a string of digits (checked).
pub trait IntoFlowId {
    /// Converts, checking a string.
    fn into_flow_id(self) -> Result<FlowId, ValidationError>;
}

impl IntoFlowId for FlowId {
    fn into_flow_id(self) -> Result<FlowId, ValidationError> {
        Ok(self)
    }
}

impl IntoFlowId for &FlowId {
    fn into_flow_id(self) -> Result<FlowId, ValidationError> {
        Ok(self.clone())
    }
}

impl IntoFlowId for &str {
    fn into_flow_id(self) -> Result<FlowId, ValidationError> {
        FlowId::new(self)
    }
}

impl IntoFlowId for String {
    fn into_flow_id(self) -> Result<FlowId, ValidationError> {
        FlowId::new(&self)
    }
}

impl IntoFlowId for &String {
    fn into_flow_id(self) -> Result<FlowId, ValidationError> {
        FlowId::new(self)
    }
}

/// A template language code from WhatsApp's list, e.g. `en_US` (case-sensitive, underscore).
///
/// ```
/// use kaleyra::Language;
/// assert_eq!(Language::new("en_US")?.as_str(), "en_US");
/// let err = Language::new("en-US").unwrap_err();
/// assert!(err.to_string().contains("did you mean `en_US`?"));
/// # Ok::<(), kaleyra::ValidationError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language(&'static str);

impl Language {
    /// Looks the code up in the supported list.
    pub fn new(code: &str) -> Result<Language, ValidationError> {
        rules::language(code)
            .map(Language)
            .map_err(|v| ValidationError::new("the language", v))
    }

    /// The code.
    pub fn as_str(&self) -> &'static str {
        self.0
    }

    /// The language's English name, e.g. "English (US)".
    pub fn name(&self) -> &'static str {
        rules::languages()
            .find(|(c, _)| *c == self.0)
            .map(|(_, n)| n)
            .unwrap_or_default()
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl FromStr for Language {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Language::new(s)
    }
}

/// Where a request comes from, as Kaleyra's `wa_source` records it.
///
/// Parsing never fails: like Kaleyra, any value outside the 13 documented ones becomes
/// [`WaSource::Api`]. Parsing ignores ASCII case.
///
/// ```
/// use kaleyra::WaSource;
/// assert_eq!("shopify".parse::<WaSource>(), Ok(WaSource::Shopify));
/// assert_eq!("my-crm".parse::<WaSource>(), Ok(WaSource::Api));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum WaSource {
    /// `api` (the default).
    #[default]
    Api = 0,
    /// `clevertap`
    Clevertap,
    /// `zoho`
    Zoho,
    /// `webengage`
    Webengage,
    /// `shopify`
    Shopify,
    /// `leadsquared`
    Leadsquared,
    /// `responsys`
    Responsys,
    /// `braze`
    Braze,
    /// `hubspot`
    Hubspot,
    /// `salesforce`
    Salesforce,
    /// `zapier`
    Zapier,
    /// `eloqua`
    Eloqua,
    /// `moengage`
    Moengage,
}

impl WaSource {
    /// All values, in Kaleyra's order.
    pub const ALL: [WaSource; 13] = [
        WaSource::Api,
        WaSource::Clevertap,
        WaSource::Zoho,
        WaSource::Webengage,
        WaSource::Shopify,
        WaSource::Leadsquared,
        WaSource::Responsys,
        WaSource::Braze,
        WaSource::Hubspot,
        WaSource::Salesforce,
        WaSource::Zapier,
        WaSource::Eloqua,
        WaSource::Moengage,
    ];

    /// The wire value, e.g. `"api"`.
    pub const fn as_str(self) -> &'static str {
        rules::WA_SOURCES[self as usize]
    }
}

impl FromStr for WaSource {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(WaSource::ALL
            .into_iter()
            .find(|w| w.as_str().eq_ignore_ascii_case(s.trim()))
            .unwrap_or(WaSource::Api))
    }
}

impl fmt::Display for WaSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Kaleyra's optional `extra_info`: references echoed in reports and callbacks, and the source.
///
/// `ref`, `ref1` and `ref2` longer than 255 characters are truncated on a character boundary, as
/// Kaleyra does; nothing here fails or panics. Values are borrowed when given as `&str`, so
/// attaching references costs no allocation.
///
/// ```
/// use kaleyra::{ExtraInfo, WaSource};
/// let info = ExtraInfo::new().reference("customer1").ref1("marketing").source(WaSource::Api);
/// assert_eq!(info.get_reference(), Some("customer1"));
/// assert_eq!(ExtraInfo::new().reference("é".repeat(300)).get_reference().unwrap().chars().count(), 255);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ExtraInfo<'a> {
    reference: Option<Cow<'a, str>>,
    ref1: Option<Cow<'a, str>>,
    ref2: Option<Cow<'a, str>>,
    source: Option<WaSource>,
}

fn truncated<'a>(value: impl Into<Cow<'a, str>>) -> Cow<'a, str> {
    match value.into() {
        Cow::Borrowed(s) => Cow::Borrowed(rules::truncate_chars(s, rules::REF_MAX)),
        Cow::Owned(mut s) => {
            let keep = rules::truncate_chars(&s, rules::REF_MAX).len();
            s.truncate(keep);
            Cow::Owned(s)
        }
    }
}

impl<'a> ExtraInfo<'a> {
    /// No references, no source.
    pub fn new() -> Self {
        ExtraInfo::default()
    }

    /// Sets `ref`.
    pub fn reference(mut self, value: impl Into<Cow<'a, str>>) -> Self {
        self.reference = Some(truncated(value));
        self
    }

    /// Sets `ref1`.
    pub fn ref1(mut self, value: impl Into<Cow<'a, str>>) -> Self {
        self.ref1 = Some(truncated(value));
        self
    }

    /// Sets `ref2`.
    pub fn ref2(mut self, value: impl Into<Cow<'a, str>>) -> Self {
        self.ref2 = Some(truncated(value));
        self
    }

    /// Sets `wa_source`.
    pub fn source(mut self, source: WaSource) -> Self {
        self.source = Some(source);
        self
    }

    /// `ref`, as it will be sent.
    pub fn get_reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }

    /// `ref1`, as it will be sent.
    pub fn get_ref1(&self) -> Option<&str> {
        self.ref1.as_deref()
    }

    /// `ref2`, as it will be sent.
    pub fn get_ref2(&self) -> Option<&str> {
        self.ref2.as_deref()
    }

    /// `wa_source`, as it will be sent.
    pub fn get_source(&self) -> Option<WaSource> {
        self.source
    }

    /// Owns its values, so that it can outlive what it borrowed.
    pub fn into_owned(self) -> ExtraInfo<'static> {
        let own = |v: Option<Cow<'a, str>>| v.map(|v| Cow::Owned(v.into_owned()));
        ExtraInfo {
            reference: own(self.reference),
            ref1: own(self.ref1),
            ref2: own(self.ref2),
            source: self.source,
        }
    }

    /// An upper bound of the bytes [`ExtraInfo::write_member`] writes, before escaping.
    pub(crate) fn size_hint(&self) -> usize {
        let len = |s: &Option<Cow<'_, str>>| s.as_ref().map_or(0, |s| s.len() + 10);
        32 + len(&self.reference) + len(&self.ref1) + len(&self.ref2)
    }

    /// Writes `,"extra_info":{…}` in the documents' key order.
    pub(crate) fn write_member(&self, out: &mut Vec<u8>) {
        out.reserve(self.size_hint());
        out.extend_from_slice(b",\"extra_info\":{");
        let mut first = true;
        let mut member = |out: &mut Vec<u8>, key: &[u8], value: &str| {
            if !first {
                out.push(b',');
            }
            first = false;
            out.extend_from_slice(key);
            json::write_str(out, value);
        };
        if let Some(v) = &self.reference {
            member(out, b"\"ref\":", v);
        }
        if let Some(v) = &self.ref1 {
            member(out, b"\"ref1\":", v);
        }
        if let Some(v) = &self.ref2 {
            member(out, b"\"ref2\":", v);
        }
        if let Some(v) = self.source {
            member(out, b"\"wa_source\":", v.as_str());
        }
        out.push(b'}');
    }
}

/// Maps a rule violation on a value to the error that names it.
pub(crate) fn invalid(what: &'static str) -> impl FnOnce(Violation) -> ValidationError {
    move |v| ValidationError::new(what, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wa_source_strings_round_trip() {
        for w in WaSource::ALL {
            assert_eq!(w.as_str().parse::<WaSource>(), Ok(w));
        }
        assert_eq!("ZOHO".parse::<WaSource>(), Ok(WaSource::Zoho));
        assert_eq!("".parse::<WaSource>(), Ok(WaSource::Api));
    }

    #[test]
    fn otp_is_inline_and_redacted() {
        let otp = Otp::new("äöü123").unwrap();
        assert_eq!(otp.as_str(), "äöü123");
        assert_eq!(format!("{otp:?}"), "Otp(<redacted>)");
        assert_eq!(Otp::__from_checked("1234").as_str(), "1234");
    }

    #[test]
    fn ids_are_digits() {
        assert!(WabaId::new("1090000000000001").is_ok());
        assert!(FlowId::new("12a").is_err());
        assert!(FlowId::new("").is_err());
    }

    #[test]
    fn extra_info_member() {
        let mut out = Vec::new();
        ExtraInfo::new()
            .reference("customer1")
            .ref1("marketing")
            .ref2("dictionary")
            .source(WaSource::Api)
            .write_member(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#","extra_info":{"ref":"customer1","ref1":"marketing","ref2":"dictionary","wa_source":"api"}"#
        );
        let mut out = Vec::new();
        ExtraInfo::new().ref2("x").write_member(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#","extra_info":{"ref2":"x"}"#
        );
    }
}
