//! Delivery statuses (`meta_object.value.statuses[]`) and Meta's error objects inside them.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::de::{list, opt_bool, opt_object, opt_text, own, own_opt, text};

/// One delivery status of a message the business sent: `meta_object.value.statuses[]`.
///
/// Kaleyra's sample (facts §3.3): `{"id", "status", "timestamp", "recipient_id", "conversation",
/// "pricing"}`; a failed status carries Meta's `errors`. A member that is absent reads as empty
/// (`""`) or `None`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Status<'a> {
    /// The message's id. In Kaleyra's sample this is not a `wamid` (the `wamid` is the
    /// callback's top-level [`message_id`](super::Callback::message_id)); the simulator puts the
    /// id its `202` answered (`Accepted::message_id`) here.
    #[serde(borrow, deserialize_with = "text", default)]
    pub id: Cow<'a, str>,
    /// What happened: sent, delivered, read, failed, not sent.
    #[serde(rename = "status", borrow, default)]
    pub state: StatusState<'a>,
    /// When, in Unix seconds, as Kaleyra writes it (a string). See [`Status::timestamp_secs`].
    #[serde(borrow, deserialize_with = "text", default)]
    pub timestamp: Cow<'a, str>,
    /// The recipient's WhatsApp id: the number without `+`.
    #[serde(borrow, deserialize_with = "text", default)]
    pub recipient_id: Cow<'a, str>,
    /// The conversation the message opened or belongs to (sent and delivered statuses).
    #[serde(borrow, deserialize_with = "opt_object", default)]
    pub conversation: Option<Conversation<'a>>,
    /// How the message is billed (sent and delivered statuses).
    #[serde(borrow, deserialize_with = "opt_object", default)]
    pub pricing: Option<Pricing<'a>>,
    /// Why the message failed (Meta's error objects; empty unless failed).
    #[serde(borrow, deserialize_with = "list", default)]
    pub errors: Vec<MetaError<'a>>,
}

impl Status<'_> {
    /// The timestamp as Unix seconds, if it is a number.
    pub fn timestamp_secs(&self) -> Option<u64> {
        self.timestamp.trim().parse().ok()
    }

    /// Whether this status reports a failure (`failed` or Kaleyra's `NOT-SENT`).
    pub fn is_failure(&self) -> bool {
        matches!(self.state, StatusState::Failed | StatusState::NotSent)
    }

    /// The status with every borrowed string copied.
    pub fn into_owned(self) -> Status<'static> {
        Status {
            id: own(self.id),
            state: self.state.into_owned(),
            timestamp: own(self.timestamp),
            recipient_id: own(self.recipient_id),
            conversation: self.conversation.map(Conversation::into_owned),
            pricing: self.pricing.map(Pricing::into_owned),
            errors: self.errors.into_iter().map(MetaError::into_owned).collect(),
        }
    }
}

/// What happened to a message.
///
/// Kaleyra documents SENT, DELIVERED, READ, FAILED and NOT-SENT (Kaleyra never handed the
/// message to WhatsApp). Inside `statuses[]` Meta writes them in lower case; the spelling is
/// matched without regard to case, and `not-sent`, `not_sent`, `notsent` and `not sent` all read
/// as [`StatusState::NotSent`]. Anything else (Meta's `deleted`, `warning`, a future value) is
/// [`StatusState::Other`], never an error.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusState<'a> {
    /// Handed to WhatsApp.
    Sent,
    /// Delivered to the recipient's phone.
    Delivered,
    /// Read by the recipient.
    Read,
    /// WhatsApp could not deliver it; see [`Status::errors`].
    Failed,
    /// Kaleyra did not hand it to WhatsApp (Kaleyra's `NOT-SENT`).
    NotSent,
    /// Any other value, as written (empty when the member is absent).
    Other(Cow<'a, str>),
}

impl Default for StatusState<'_> {
    /// An absent status reads as `Other("")`.
    fn default() -> Self {
        StatusState::Other(Cow::Borrowed(""))
    }
}

impl<'a> StatusState<'a> {
    /// Reads a status value.
    pub fn parse(value: Cow<'a, str>) -> Self {
        // Meta's spellings first, without folding case.
        match value.as_ref() {
            "sent" => return StatusState::Sent,
            "delivered" => return StatusState::Delivered,
            "read" => return StatusState::Read,
            "failed" => return StatusState::Failed,
            _ => {}
        }
        const KNOWN: [(&str, StatusState<'static>); 8] = [
            ("sent", StatusState::Sent),
            ("delivered", StatusState::Delivered),
            ("read", StatusState::Read),
            ("failed", StatusState::Failed),
            ("not-sent", StatusState::NotSent),
            ("not_sent", StatusState::NotSent),
            ("notsent", StatusState::NotSent),
            ("not sent", StatusState::NotSent),
        ];
        KNOWN
            .iter()
            .find(|(name, _)| value.eq_ignore_ascii_case(name))
            .map_or(StatusState::Other(value), |(_, state)| state.clone())
    }

    /// The value as Meta spells it (`"sent"`, `"delivered"`, `"read"`, `"failed"`), Kaleyra's
    /// `"not-sent"`, or the other value as written.
    pub fn as_str(&self) -> &str {
        match self {
            StatusState::Sent => "sent",
            StatusState::Delivered => "delivered",
            StatusState::Read => "read",
            StatusState::Failed => "failed",
            StatusState::NotSent => "not-sent",
            StatusState::Other(value) => value,
        }
    }

    /// The state with a borrowed value copied.
    pub fn into_owned(self) -> StatusState<'static> {
        match self {
            StatusState::Sent => StatusState::Sent,
            StatusState::Delivered => StatusState::Delivered,
            StatusState::Read => StatusState::Read,
            StatusState::Failed => StatusState::Failed,
            StatusState::NotSent => StatusState::NotSent,
            StatusState::Other(value) => StatusState::Other(own(value)),
        }
    }
}

impl fmt::Display for StatusState<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for StatusState<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(opt_text(d)?.map_or_else(StatusState::default, StatusState::parse))
    }
}

/// The conversation of a status (facts §3.3: `{"id", "expiration_timestamp", "origin":
/// {"type"}}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Conversation<'a> {
    /// The conversation's id.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub id: Option<Cow<'a, str>>,
    /// When it expires, in Unix seconds as written.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub expiration_timestamp: Option<Cow<'a, str>>,
    /// What opened it: `{"type": "marketing" | "utility" | "authentication" | "service" | …}`.
    #[serde(borrow, deserialize_with = "opt_object", default)]
    pub origin: Option<Origin<'a>>,
}

impl Conversation<'_> {
    fn into_owned(self) -> Conversation<'static> {
        Conversation {
            id: own_opt(self.id),
            expiration_timestamp: own_opt(self.expiration_timestamp),
            origin: self.origin.map(|o| Origin {
                kind: own_opt(o.kind),
            }),
        }
    }
}

/// What opened a conversation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Origin<'a> {
    /// `type`: the conversation's category, e.g. `"marketing"`.
    #[serde(rename = "type", borrow, deserialize_with = "opt_text", default)]
    pub kind: Option<Cow<'a, str>>,
}

/// How a message is billed (facts §3.3: `{"billable", "pricing_model", "category"}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Pricing<'a> {
    /// Whether the message is billed.
    #[serde(deserialize_with = "opt_bool", default)]
    pub billable: Option<bool>,
    /// E.g. `"Conversation-Based Pricing"`, `"CBP"`, `"PMP"`.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub pricing_model: Option<Cow<'a, str>>,
    /// E.g. `"marketing"`.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub category: Option<Cow<'a, str>>,
}

impl Pricing<'_> {
    fn into_owned(self) -> Pricing<'static> {
        Pricing {
            billable: self.billable,
            pricing_model: own_opt(self.pricing_model),
            category: own_opt(self.category),
        }
    }
}

/// One of Meta's error objects: `{"code", "title", "message", "error_data": {"details"},
/// "href"}` (Meta's webhook reference; Kaleyra's failed-status page was not found, facts §3.3).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct MetaError<'a> {
    /// The error code, typed.
    #[serde(default)]
    pub code: MetaErrorCode,
    /// Meta's short title, e.g. `"Re-engagement message"`.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub title: Option<Cow<'a, str>>,
    /// Meta's message.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub message: Option<Cow<'a, str>>,
    /// `error_data`: the details.
    #[serde(borrow, deserialize_with = "opt_object", default)]
    pub error_data: Option<ErrorData<'a>>,
    /// A link to Meta's documentation of the code.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub href: Option<Cow<'a, str>>,
}

impl MetaError<'_> {
    /// `error_data.details`, the most specific explanation, if there is one.
    pub fn details(&self) -> Option<&str> {
        self.error_data.as_ref()?.details.as_deref()
    }

    /// Whether sending the same message again later may succeed; see
    /// [`MetaErrorCode::is_retryable`].
    pub fn is_retryable(&self) -> bool {
        self.code.is_retryable()
    }

    fn into_owned(self) -> MetaError<'static> {
        MetaError {
            code: self.code,
            title: own_opt(self.title),
            message: own_opt(self.message),
            error_data: self.error_data.map(|d| ErrorData {
                details: own_opt(d.details),
            }),
            href: own_opt(self.href),
        }
    }
}

impl fmt::Display for MetaError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WhatsApp error {}", self.code.code())?;
        match (self.title.as_deref(), self.details()) {
            (Some(title), Some(details)) => write!(f, " ({title}): {details}"),
            (Some(title), None) => write!(f, " ({title})"),
            (None, Some(details)) => write!(f, ": {details}"),
            (None, None) => write!(f, " ({})", self.code.title()),
        }
    }
}

/// `error_data` of a [`MetaError`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ErrorData<'a> {
    /// Meta's detailed explanation.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub details: Option<Cow<'a, str>>,
}

macro_rules! meta_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal, $title:literal, $retry:literal, $description:literal;)*) => {
        /// Meta's error codes that a sender acts on, typed; any other code is
        /// [`MetaErrorCode::Other`] with its number.
        ///
        /// Codes and titles from Meta's Cloud API error reference
        /// (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes); facts §3.3 and
        /// §6.3 list the ones Kaleyra's pages mention.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum MetaErrorCode {
            $($(#[$doc])* $variant,)*
            /// Any other code.
            Other(i64),
        }

        impl MetaErrorCode {
            /// The code's type for a number.
            pub fn from_code(code: i64) -> MetaErrorCode {
                match code {
                    $($code => MetaErrorCode::$variant,)*
                    other => MetaErrorCode::Other(other),
                }
            }

            /// The number.
            pub fn code(self) -> i64 {
                match self {
                    $(MetaErrorCode::$variant => $code,)*
                    MetaErrorCode::Other(code) => code,
                }
            }

            /// Meta's title for the code (`"Unknown error code"` for [`MetaErrorCode::Other`]).
            pub fn title(self) -> &'static str {
                match self {
                    $(MetaErrorCode::$variant => $title,)*
                    MetaErrorCode::Other(_) => "Unknown error code",
                }
            }

            /// What the code means and what to do, after Meta's description (empty for
            /// [`MetaErrorCode::Other`]).
            pub fn description(self) -> &'static str {
                match self {
                    $(MetaErrorCode::$variant => $description,)*
                    MetaErrorCode::Other(_) => "",
                }
            }

            /// Whether sending the same message again, later and unchanged, may succeed.
            ///
            /// True for throughput and pair rate limits (130429, 131056), Meta's transient
            /// failures (131000 "Something went wrong", 131016 "Service unavailable") and the
            /// ecosystem-engagement hold (131049, which Meta says to retry after a while).
            /// False for everything that needs a change first: a template outside the
            /// 24-hour window (131047: send a template), an undeliverable number (131026), a
            /// template that does not match its approved form (132000, 132001, 132012), and
            /// unknown codes.
            pub fn is_retryable(self) -> bool {
                match self {
                    $(MetaErrorCode::$variant => $retry,)*
                    MetaErrorCode::Other(_) => false,
                }
            }
        }
    };
}

meta_codes! {
    /// 130429: the number's message throughput was exceeded.
    ThroughputLimit = 130429, "Rate limit hit", true, "Cloud API message throughput has been reached: send more slowly and try again.";
    /// 131000: Meta failed for an unknown reason.
    SomethingWentWrong = 131000, "Something went wrong", true, "The message failed to send for an unknown reason: try again.";
    /// 131016: Meta's service is temporarily unavailable.
    ServiceUnavailable = 131016, "Service unavailable", true, "A WhatsApp service is temporarily unavailable: try again later.";
    /// 131026: the message cannot be delivered (not a WhatsApp number, an old app, terms not
    /// accepted).
    Undeliverable = 131026, "Message undeliverable", false, "The recipient cannot receive it: the number is not on WhatsApp, has not accepted the latest terms, or runs an old WhatsApp version.";
    /// 131047: more than 24 hours since the customer last wrote: only a template can be sent.
    ReEngagementWindow = 131047, "Re-engagement message", false, "More than 24 hours have passed since the customer last replied to this number: send a template message instead.";
    /// 131048: the number is limited for spam.
    SpamRateLimit = 131048, "Spam rate limit hit", false, "The number is restricted from sending more messages for now (spam rate limit).";
    /// 131049: not delivered to keep the ecosystem healthy (marketing limits per user).
    EcosystemEngagement = 131049, "This message was not delivered to maintain healthy ecosystem engagement.", true, "WhatsApp chose not to deliver this marketing message to keep user engagement healthy: do not retry at once.";
    /// 131051: WhatsApp does not support the message type.
    UnsupportedType = 131051, "Unsupported message type", false, "WhatsApp does not support this message type.";
    /// 131053: the media could not be uploaded or fetched.
    MediaUpload = 131053, "Media upload error", false, "The media of the message could not be uploaded or downloaded.";
    /// 131056: too many messages to the same customer in a short time.
    PairRateLimit = 131056, "(Business Account, Consumer Account) pair rate limit hit", true, "Too many messages from this number to the same customer in a short time: wait before sending to them again.";
    /// 132000: the number of parameters does not match the approved template.
    TemplateParamCount = 132000, "Number of parameters does not match the expected number of params", false, "The number of parameter values does not match the number of parameters of the approved template.";
    /// 132001: no approved template of that name in that language.
    TemplateNotFound = 132001, "Template does not exist", false, "The template does not exist in this language, or is not approved.";
    /// 132012: a parameter's format does not match the approved template.
    TemplateParamFormat = 132012, "Parameter format does not match format in the created template", false, "A parameter value's format does not match the approved template.";
    /// 132015: the template is paused for low quality.
    TemplatePaused = 132015, "Template is paused", false, "The template is paused for low quality and cannot be sent.";
    /// 132016: the template is disabled.
    TemplateDisabled = 132016, "Template is disabled", false, "The template was paused too many times for low quality and is disabled.";
}

impl Default for MetaErrorCode {
    /// An absent code reads as `Other(0)`.
    fn default() -> Self {
        MetaErrorCode::Other(0)
    }
}

impl fmt::Display for MetaErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code(), self.title())
    }
}

impl<'de> Deserialize<'de> for MetaErrorCode {
    /// A number, or a string of digits (`"131047"`).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = MetaErrorCode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an error code")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(MetaErrorCode::from_code(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(MetaErrorCode::from_code(
                    i64::try_from(v).unwrap_or(i64::MAX),
                ))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(v.trim()
                    .parse()
                    .map_or(MetaErrorCode::Other(0), MetaErrorCode::from_code))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(MetaErrorCode::Other(0))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(MetaErrorCode::Other(0))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for code in [
            130429, 131000, 131016, 131026, 131047, 131048, 131049, 131051, 131053, 131056, 132000,
            132001, 132012, 132015, 132016,
        ] {
            let typed = MetaErrorCode::from_code(code);
            assert!(!matches!(typed, MetaErrorCode::Other(_)), "{code}");
            assert_eq!(typed.code(), code);
            assert!(!typed.title().is_empty() && !typed.description().is_empty());
        }
        assert_eq!(MetaErrorCode::from_code(7), MetaErrorCode::Other(7));
        assert!(MetaErrorCode::ThroughputLimit.is_retryable());
        assert!(MetaErrorCode::PairRateLimit.is_retryable());
        assert!(!MetaErrorCode::ReEngagementWindow.is_retryable());
        assert!(!MetaErrorCode::Undeliverable.is_retryable());
        assert!(!MetaErrorCode::TemplateNotFound.is_retryable());
        assert!(!MetaErrorCode::Other(1).is_retryable());
    }

    #[test]
    fn state_spellings() {
        for (text, state) in [
            ("sent", StatusState::Sent),
            ("DELIVERED", StatusState::Delivered),
            ("Read", StatusState::Read),
            ("failed", StatusState::Failed),
            ("NOT-SENT", StatusState::NotSent),
            ("not_sent", StatusState::NotSent),
            ("deleted", StatusState::Other("deleted".into())),
        ] {
            assert_eq!(StatusState::parse(text.into()), state, "{text}");
        }
        assert_eq!(StatusState::NotSent.as_str(), "not-sent");
    }
}
