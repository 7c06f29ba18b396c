//! Why a callback, or the flow response inside one, could not be read.

use std::borrow::Cow;

/// What could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CallbackErrorKind {
    /// The body is not Kaleyra's v2 callback: not JSON, or not an object with a `meta_object`.
    Envelope,
    /// A flow reply's `response_json` does not hold what the `FlowResponse` struct declares
    /// (not a JSON object, a required member missing, a member of the wrong type).
    FlowResponse,
    /// A button or list reply whose id is none of the ids of the enum it was read into
    /// ([`ButtonReply::parse`](super::ButtonReply::parse),
    /// [`ListReply::parse`](super::ListReply::parse)).
    UnknownChoice,
    /// A template status callback (a body with `event` or `message_template_id`) without one
    /// of the members that say what happened to which template: `event`,
    /// `message_template_id`, `message_template_name`, `message_template_language`.
    TemplateStatus,
}

/// A callback, or a flow response inside one, that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{reason}", match kind {
    CallbackErrorKind::Envelope => Cow::Borrowed("not a Kaleyra v2 callback: "),
    CallbackErrorKind::FlowResponse => Cow::Owned(format!("flow response {what}: ")),
    CallbackErrorKind::UnknownChoice => Cow::Owned(format!("{what}: ")),
    CallbackErrorKind::TemplateStatus => Cow::Borrowed("not a template status callback: "),
})]
pub struct CallbackError {
    kind: CallbackErrorKind,
    what: Cow<'static, str>,
    reason: String,
}

impl CallbackError {
    pub(crate) fn envelope(error: &serde_json::Error) -> Self {
        CallbackError {
            kind: CallbackErrorKind::Envelope,
            what: Cow::Borrowed("callback"),
            reason: error.to_string(),
        }
    }

    pub(crate) fn not_utf8(error: &core::str::Utf8Error) -> Self {
        CallbackError {
            kind: CallbackErrorKind::Envelope,
            what: Cow::Borrowed("callback"),
            reason: format!("the body is not UTF-8 ({error})"),
        }
    }

    pub(crate) fn flow_response(what: impl Into<Cow<'static, str>>, reason: String) -> Self {
        CallbackError {
            kind: CallbackErrorKind::FlowResponse,
            what: what.into(),
            reason,
        }
    }

    /// A template status body without its required member `member`.
    pub(crate) fn template_status(member: &'static str) -> Self {
        CallbackError {
            kind: CallbackErrorKind::TemplateStatus,
            what: Cow::Borrowed("template status"),
            reason: format!("missing or empty `{member}`"),
        }
    }

    /// A reply (`what`: "button reply", "list reply") whose `id` is none of `ids`, the ids of
    /// the enum `of`.
    pub(crate) fn unknown_choice(what: &'static str, id: &str, of: &str, ids: &[&str]) -> Self {
        let mut reason = format!("id {id:?} is none of the ids of {of} (");
        for (i, known) in ids.iter().enumerate() {
            if i > 0 {
                reason.push_str(", ");
            }
            reason.push_str(&format!("{known:?}"));
        }
        reason.push(')');
        CallbackError {
            kind: CallbackErrorKind::UnknownChoice,
            what: Cow::Borrowed(what),
            reason,
        }
    }

    /// What could not be read.
    pub fn kind(&self) -> CallbackErrorKind {
        self.kind
    }

    /// Why, e.g. ``missing field `meta_object` at line 1 column 2``.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}
