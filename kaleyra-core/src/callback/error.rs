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
}

/// A callback, or a flow response inside one, that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{reason}", match kind {
    CallbackErrorKind::Envelope => Cow::Borrowed("not a Kaleyra v2 callback: "),
    CallbackErrorKind::FlowResponse => Cow::Owned(format!("flow response {what}: ")),
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

    /// What could not be read.
    pub fn kind(&self) -> CallbackErrorKind {
        self.kind
    }

    /// Why, e.g. ``missing field `meta_object` at line 1 column 2``.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}
