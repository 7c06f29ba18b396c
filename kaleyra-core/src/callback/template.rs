//! Template status callbacks: what WhatsApp's review decided about a template (Kaleyra's
//! "Template Status Update" callback profile, §4.5 and facts §1.5; the events are Meta's).
//!
//! Kaleyra posts the profile's variables as a flat object, not in the `meta_object` envelope:
//! `{"id", "time", "event", "message_template_id", "message_template_name",
//! "message_template_language", "reason", "callback_profile_id", "company_id"}`, plus
//! `other_info: {title, description}` when a template is paused.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;

use super::de::{opt_text, own, own_opt};

/// What happened to a template (Meta's `event`: `APPROVED`, `REJECTED`, `PENDING`, `PAUSED`,
/// `DISABLED`, `IN_APPEAL`, `PENDING_DELETION`, `FLAGGED`, `REINSTATED`). Read without regard
/// to case; any other value is [`TemplateEvent::Other`], never an error.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TemplateEvent<'a> {
    /// Approved in review: it can be sent.
    Approved,
    /// Rejected in review; [`TemplateStatus::reason`] says why.
    Rejected,
    /// In review.
    Pending,
    /// Paused after negative feedback; [`TemplateStatus::other_info`] says which pause.
    Paused,
    /// Disabled after repeated pauses.
    Disabled,
    /// A rejection under appeal.
    InAppeal,
    /// Being deleted.
    PendingDeletion,
    /// Flagged for quality: it will be disabled unless its rating improves.
    Flagged,
    /// Reinstated after a pause or a flag.
    Reinstated,
    /// Any other event, as given.
    Other(Cow<'a, str>),
}

impl<'a> TemplateEvent<'a> {
    /// Reads Meta's value (any case).
    pub fn parse(value: Cow<'a, str>) -> TemplateEvent<'a> {
        const KNOWN: [(&str, TemplateEvent<'static>); 9] = [
            ("APPROVED", TemplateEvent::Approved),
            ("REJECTED", TemplateEvent::Rejected),
            ("PENDING", TemplateEvent::Pending),
            ("PAUSED", TemplateEvent::Paused),
            ("DISABLED", TemplateEvent::Disabled),
            ("IN_APPEAL", TemplateEvent::InAppeal),
            ("PENDING_DELETION", TemplateEvent::PendingDeletion),
            ("FLAGGED", TemplateEvent::Flagged),
            ("REINSTATED", TemplateEvent::Reinstated),
        ];
        let trimmed = value.trim();
        KNOWN
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(trimmed))
            .map_or(TemplateEvent::Other(value), |(_, event)| event.clone())
    }

    /// Meta's value, upper case (an unknown event as given).
    pub fn as_str(&self) -> &str {
        match self {
            TemplateEvent::Approved => "APPROVED",
            TemplateEvent::Rejected => "REJECTED",
            TemplateEvent::Pending => "PENDING",
            TemplateEvent::Paused => "PAUSED",
            TemplateEvent::Disabled => "DISABLED",
            TemplateEvent::InAppeal => "IN_APPEAL",
            TemplateEvent::PendingDeletion => "PENDING_DELETION",
            TemplateEvent::Flagged => "FLAGGED",
            TemplateEvent::Reinstated => "REINSTATED",
            TemplateEvent::Other(s) => s,
        }
    }

    /// The event with its text copied.
    pub fn into_owned(self) -> TemplateEvent<'static> {
        match self {
            TemplateEvent::Approved => TemplateEvent::Approved,
            TemplateEvent::Rejected => TemplateEvent::Rejected,
            TemplateEvent::Pending => TemplateEvent::Pending,
            TemplateEvent::Paused => TemplateEvent::Paused,
            TemplateEvent::Disabled => TemplateEvent::Disabled,
            TemplateEvent::InAppeal => TemplateEvent::InAppeal,
            TemplateEvent::PendingDeletion => TemplateEvent::PendingDeletion,
            TemplateEvent::Flagged => TemplateEvent::Flagged,
            TemplateEvent::Reinstated => TemplateEvent::Reinstated,
            TemplateEvent::Other(s) => TemplateEvent::Other(own(s)),
        }
    }
}

impl fmt::Display for TemplateEvent<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `other_info` of a paused template (Meta: `title` `FIRST_PAUSE` or `SECOND_PAUSE`, and a
/// `description`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct TemplateOtherInfo<'a> {
    /// `FIRST_PAUSE`, `SECOND_PAUSE`, …
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub title: Option<Cow<'a, str>>,
    /// Why, in Meta's words.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub description: Option<Cow<'a, str>>,
}

/// One template status callback: a template's review event.
///
/// Read by [`Callback::from_slice`](super::Callback::from_slice) from Kaleyra's flat body (the
/// shape is told by its `event` / `message_template_id` members) and handed to the receiver's
/// handler with the statuses and messages ([`Callback::template_statuses`](super::Callback::template_statuses)).
///
/// ```
/// use kaleyra::callback::{Callback, TemplateEvent};
///
/// let body = br#"{"id": "c2f5", "time": "2026-12-03 10:00:00", "event": "REJECTED",
///     "message_template_id": "1234567890", "message_template_name": "order_update",
///     "message_template_language": "en_US", "reason": "INVALID_FORMAT",
///     "callback_profile_id": "77", "company_id": "Z8ae"}"#;
/// let callback = Callback::from_slice(body)?;
/// let status = &callback.template_statuses()[0];
/// assert_eq!(status.event, TemplateEvent::Rejected);
/// assert_eq!(status.message_template_name, "order_update");
/// assert_eq!(status.rejection_reason(), Some("INVALID_FORMAT"));
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TemplateStatus<'a> {
    /// Kaleyra's id of the callback, if given.
    pub id: Option<Cow<'a, str>>,
    /// When, as Kaleyra writes it, if given.
    pub time: Option<Cow<'a, str>>,
    /// What happened.
    pub event: TemplateEvent<'a>,
    /// Meta's id of the template.
    pub message_template_id: Cow<'a, str>,
    /// The template's name.
    pub message_template_name: Cow<'a, str>,
    /// Its language code.
    pub message_template_language: Cow<'a, str>,
    /// Why (a rejection's reason; Meta writes `NONE` on approval), if given.
    pub reason: Option<Cow<'a, str>>,
    /// A pause's details, if given.
    pub other_info: Option<TemplateOtherInfo<'a>>,
    /// The callback profile it was posted for, if given.
    pub callback_profile_id: Option<Cow<'a, str>>,
    /// Kaleyra's company id, if given.
    pub company_id: Option<Cow<'a, str>>,
}

impl TemplateStatus<'_> {
    /// The reason, unless absent, empty or Meta's `NONE`.
    pub fn rejection_reason(&self) -> Option<&str> {
        self.reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty() && !r.eq_ignore_ascii_case("NONE"))
    }

    /// The status with every borrowed string copied.
    pub fn into_owned(self) -> TemplateStatus<'static> {
        TemplateStatus {
            id: own_opt(self.id),
            time: own_opt(self.time),
            event: self.event.into_owned(),
            message_template_id: own(self.message_template_id),
            message_template_name: own(self.message_template_name),
            message_template_language: own(self.message_template_language),
            reason: own_opt(self.reason),
            other_info: self.other_info.map(|o| TemplateOtherInfo {
                title: own_opt(o.title),
                description: own_opt(o.description),
            }),
            callback_profile_id: own_opt(self.callback_profile_id),
            company_id: own_opt(self.company_id),
        }
    }
}

/// The members of a template status body, as they arrive (each optional: which ones are
/// required is decided by [`TemplateFields::into_status`]). The envelope reads them beside its
/// own members, so that one pass over the body reads either shape.
#[derive(Debug, Default)]
pub(crate) struct TemplateFields<'a> {
    pub(crate) id: Option<Cow<'a, str>>,
    pub(crate) time: Option<Cow<'a, str>>,
    pub(crate) event: Option<Cow<'a, str>>,
    pub(crate) message_template_id: Option<Cow<'a, str>>,
    pub(crate) message_template_name: Option<Cow<'a, str>>,
    pub(crate) message_template_language: Option<Cow<'a, str>>,
    pub(crate) reason: Option<Cow<'a, str>>,
    pub(crate) other_info: Option<TemplateOtherInfo<'a>>,
    pub(crate) callback_profile_id: Option<Cow<'a, str>>,
    pub(crate) company_id: Option<Cow<'a, str>>,
}

impl<'a> TemplateFields<'a> {
    /// Whether the body is a template status: it has `event` or `message_template_id`.
    pub(crate) fn present(&self) -> bool {
        self.event.is_some() || self.message_template_id.is_some()
    }

    /// The status; `Err` names the first required member missing or empty (`event`, and the
    /// template's id, name and language: without them the event is about no known template).
    pub(crate) fn into_status(self) -> Result<TemplateStatus<'a>, &'static str> {
        fn required<'a>(
            value: Option<Cow<'a, str>>,
            name: &'static str,
        ) -> Result<Cow<'a, str>, &'static str> {
            value.filter(|v| !v.trim().is_empty()).ok_or(name)
        }
        Ok(TemplateStatus {
            event: TemplateEvent::parse(required(self.event, "event")?),
            message_template_id: required(self.message_template_id, "message_template_id")?,
            message_template_name: required(self.message_template_name, "message_template_name")?,
            message_template_language: required(
                self.message_template_language,
                "message_template_language",
            )?,
            id: self.id,
            time: self.time,
            reason: self.reason,
            other_info: self.other_info,
            callback_profile_id: self.callback_profile_id,
            company_id: self.company_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callback::{Callback, CallbackErrorKind, template_status_key};
    use crate::error::Error;

    /// Kaleyra's POST body of the template status callback profile (§4.5: the variables
    /// `id, time, event, message_template_id, message_template_name, message_template_language,
    /// reason, callback_profile_id, company_id`), with values in place of the placeholders.
    fn kaleyra_body(event: &str, reason: &str) -> String {
        format!(
            r#"{{
  "id": "6f1c2d3e", "time": "2026-12-03 10:15:00", "event": "{event}",
  "message_template_id": "1234567890123456",
  "message_template_name": "order_update",
  "message_template_language": "en_US",
  "reason": "{reason}", "callback_profile_id": "CP123", "company_id": "Z8aeXXXXXXXXa"
}}"#
        )
    }

    fn read(body: &str) -> TemplateStatus<'static> {
        let callback = Callback::from_str(body).unwrap();
        assert!(callback.statuses().is_empty() && callback.messages().is_empty());
        assert_eq!(callback.template_statuses().len(), 1);
        callback.into_owned().template_statuses()[0].clone()
    }

    #[test]
    fn every_event_is_typed() {
        for (wire, event) in [
            ("APPROVED", TemplateEvent::Approved),
            ("REJECTED", TemplateEvent::Rejected),
            ("PENDING", TemplateEvent::Pending),
            ("PAUSED", TemplateEvent::Paused),
            ("DISABLED", TemplateEvent::Disabled),
            ("IN_APPEAL", TemplateEvent::InAppeal),
            ("PENDING_DELETION", TemplateEvent::PendingDeletion),
            ("FLAGGED", TemplateEvent::Flagged),
            ("REINSTATED", TemplateEvent::Reinstated),
            ("approved", TemplateEvent::Approved),
        ] {
            let status = read(&kaleyra_body(wire, "NONE"));
            assert_eq!(status.event, event, "{wire}");
            assert_eq!(status.message_template_id, "1234567890123456");
            assert_eq!(status.message_template_name, "order_update");
            assert_eq!(status.message_template_language, "en_US");
            assert_eq!(status.id.as_deref(), Some("6f1c2d3e"));
            assert_eq!(status.time.as_deref(), Some("2026-12-03 10:15:00"));
            assert_eq!(status.callback_profile_id.as_deref(), Some("CP123"));
            assert_eq!(status.company_id.as_deref(), Some("Z8aeXXXXXXXXa"));
            assert_eq!(status.rejection_reason(), None, "NONE is no reason");
        }
    }

    #[test]
    fn a_rejection_carries_its_reason() {
        let status = read(&kaleyra_body("REJECTED", "INCORRECT_CATEGORY"));
        assert_eq!(status.event, TemplateEvent::Rejected);
        assert_eq!(status.rejection_reason(), Some("INCORRECT_CATEGORY"));
    }

    #[test]
    fn a_pause_carries_other_info() {
        // Meta's pause: other_info {title: FIRST_PAUSE | SECOND_PAUSE, description}; Meta's ids
        // are JSON numbers.
        let status = read(
            r#"{"event": "PAUSED", "message_template_id": 806312974732579,
            "message_template_name": "seasonal_promotion", "message_template_language": "en_US",
            "reason": null,
            "other_info": {"title": "FIRST_PAUSE",
                "description": "Your WhatsApp message template has been paused for 3 hours until Dec 3 at 13:15 UTC because it continued to have issues."}}"#,
        );
        assert_eq!(status.event, TemplateEvent::Paused);
        assert_eq!(status.message_template_id, "806312974732579");
        let info = status.other_info.unwrap();
        assert_eq!(info.title.as_deref(), Some("FIRST_PAUSE"));
        assert!(info.description.unwrap().contains("paused for 3 hours"));
        assert_eq!(status.id, None);
    }

    #[test]
    fn an_unknown_event_is_other_not_an_error() {
        let status = read(&kaleyra_body("ARCHIVED", "NONE"));
        assert_eq!(status.event, TemplateEvent::Other("ARCHIVED".into()));
        assert_eq!(status.event.as_str(), "ARCHIVED");
    }

    #[test]
    fn a_missing_member_is_a_typed_error() {
        for (member, body) in [
            (
                "event",
                kaleyra_body("APPROVED", "NONE").replace(r#""event": "APPROVED","#, ""),
            ),
            ("event", kaleyra_body("", "NONE")),
            (
                "message_template_id",
                kaleyra_body("APPROVED", "NONE")
                    .replace(r#""message_template_id": "1234567890123456","#, ""),
            ),
            (
                "message_template_name",
                kaleyra_body("APPROVED", "NONE")
                    .replace(r#""message_template_name": "order_update","#, ""),
            ),
            (
                "message_template_language",
                kaleyra_body("APPROVED", "NONE").replace(r#""en_US""#, "null"),
            ),
        ] {
            let Err(Error::Callback(e)) = Callback::from_str(&body) else {
                panic!("{member}: expected a callback error");
            };
            assert_eq!(e.kind(), CallbackErrorKind::TemplateStatus, "{member}");
            assert!(e.to_string().contains(member), "{e}");
        }
        // Neither envelope nor template status: the envelope's error, as before.
        let Err(Error::Callback(e)) = Callback::from_str(r#"{"id": "1", "time": "2"}"#) else {
            panic!("expected a callback error");
        };
        assert_eq!(e.kind(), CallbackErrorKind::Envelope);
        assert!(e.reason().contains("meta_object"), "{e}");
    }

    #[test]
    fn keys_are_the_id_or_template_event_and_time() {
        let with_id = read(&kaleyra_body("APPROVED", "NONE"));
        assert_eq!(
            template_status_key(&with_id).as_deref(),
            Some("template/6f1c2d3e")
        );
        let without = read(
            r#"{"event": "APPROVED", "time": "1722834665", "message_template_id": "12/3",
            "message_template_name": "t", "message_template_language": "en"}"#,
        );
        assert_eq!(
            template_status_key(&without).as_deref(),
            Some("template/12%2F3/APPROVED/1722834665")
        );
    }
}
