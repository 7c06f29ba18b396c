//! Kaleyra's v2 callback envelope: `{"meta_object": {"value": …, "field": …}, "extra_info": …,
//! "status"?, "message_id"?}` (facts §3.3, §3.4).

use std::borrow::Cow;

use serde::Deserialize;

use super::content::IncomingMessage;
use super::de::{Object, list, opt_object, opt_text, own_opt};
use super::error::CallbackError;
use super::status::Status;
use super::template::{TemplateFields, TemplateOtherInfo, TemplateStatus};
use crate::error::Error;

/// One callback from Kaleyra: delivery statuses of messages the business sent, or messages its
/// customers sent, in Kaleyra's v2 envelope.
///
/// Read it with [`Callback::from_slice`], which borrows every string that needs no unescaping
/// from the body; [`Callback::into_owned`] copies them, for storage or another task.
/// Members this library does not know are skipped, and a message or status of an unknown type is
/// read as `Other`: only a body that is not the envelope at all is an error.
#[derive(Debug, Clone, PartialEq)]
pub struct Callback<'a> {
    field: Option<Cow<'a, str>>,
    metadata: Option<Metadata<'a>>,
    contacts: Vec<Profile<'a>>,
    statuses: Vec<Status<'a>>,
    messages: Vec<IncomingMessage<'a>>,
    template_statuses: Vec<TemplateStatus<'a>>,
    extra_info: CallbackInfo<'a>,
    status: Option<Cow<'a, str>>,
    message_id: Option<Cow<'a, str>>,
}

impl<'a> Callback<'a> {
    /// Reads a callback body.
    ///
    /// # Errors
    ///
    /// [`Error::Callback`] (kind [`Envelope`](super::CallbackErrorKind::Envelope)) when the body
    /// is not JSON, not an object with a `meta_object` object (nor a template status body, with
    /// `event` or `message_template_id`), or has a member the library reads (a status, a
    /// message) of an impossible shape: an entry of `statuses`, `messages`, `contacts` or
    /// `errors` that is not an object, an array where an object is read. Kind
    /// [`TemplateStatus`](super::CallbackErrorKind::TemplateStatus) when a template status body
    /// lacks `event`, `message_template_id`, `message_template_name` or
    /// `message_template_language`. Unknown members and unknown types (an unknown template
    /// event included) are not errors.
    pub fn from_slice(body: &'a [u8]) -> Result<Callback<'a>, Error> {
        // One UTF-8 check of the whole body (JSON is UTF-8) is cheaper than serde_json's check
        // of each string read from bytes; reading from text then skips the per-string check.
        match core::str::from_utf8(body) {
            Ok(text) => Callback::from_str(text),
            Err(e) => Err(Error::Callback(CallbackError::not_utf8(&e))),
        }
    }

    /// Like [`Callback::from_slice`], from text.
    ///
    /// # Errors
    ///
    /// As [`Callback::from_slice`].
    #[allow(clippy::should_implement_trait)] // borrows from the input, unlike `FromStr`
    pub fn from_str(body: &'a str) -> Result<Callback<'a>, Error> {
        // An object only: serde would read an array's items as the envelope's members.
        serde_json::from_str::<Object<Envelope<'a>>>(body)
            .map_err(|e| Error::Callback(CallbackError::envelope(&e)))
            .and_then(|Object(envelope)| envelope.into_callback().map_err(Error::Callback))
    }

    /// The delivery statuses it reports (usually one; none for an incoming message).
    pub fn statuses(&self) -> &[Status<'a>] {
        &self.statuses
    }

    /// The messages customers sent (usually one; none for a status).
    pub fn messages(&self) -> &[IncomingMessage<'a>] {
        &self.messages
    }

    /// The template status events it reports (Kaleyra's template status callback, one per
    /// body; none for a message status or an incoming message).
    pub fn template_statuses(&self) -> &[TemplateStatus<'a>] {
        &self.template_statuses
    }

    /// Kaleyra's `extra_info`: the `ref`, `ref1`, `ref2` the original message was sent with, and
    /// Kaleyra's ids.
    pub fn extra_info(&self) -> &CallbackInfo<'a> {
        &self.extra_info
    }

    /// The customers' profiles (`contacts`: name and WhatsApp id) of an incoming message.
    pub fn contacts(&self) -> &[Profile<'a>] {
        &self.contacts
    }

    /// The profile of the customer with WhatsApp id `wa_id` (an incoming message's `from`).
    pub fn contact(&self, wa_id: &str) -> Option<&Profile<'a>> {
        self.contacts.iter().find(|c| c.wa_id == wa_id)
    }

    /// The business number the callback is about (`metadata`).
    pub fn metadata(&self) -> Option<&Metadata<'a>> {
        self.metadata.as_ref()
    }

    /// `meta_object.field`: `"messages"` for statuses and incoming messages.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// The top-level `status` Kaleyra adds to a status callback (e.g. `"sent"`).
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// The top-level `message_id` Kaleyra adds to a status callback: the message's `wamid`
    /// (the `context.id` of a customer's reply to it).
    pub fn message_id(&self) -> Option<&str> {
        self.message_id.as_deref()
    }

    /// Whether it reports no status, message or template status (e.g. another webhook field).
    pub fn is_empty(&self) -> bool {
        self.statuses.is_empty() && self.messages.is_empty() && self.template_statuses.is_empty()
    }

    /// Keeps only the statuses and messages `keep` accepts (the receiver drops the ones it has
    /// already handed over).
    pub fn retain(
        &mut self,
        mut keep_status: impl FnMut(&Status<'a>) -> bool,
        mut keep_message: impl FnMut(&IncomingMessage<'a>) -> bool,
    ) {
        self.statuses.retain(|s| keep_status(s));
        self.messages.retain(|m| keep_message(m));
    }

    /// Keeps only the template statuses `keep` accepts (the receiver drops the ones it has
    /// already handed over).
    pub fn retain_template_statuses(&mut self, mut keep: impl FnMut(&TemplateStatus<'a>) -> bool) {
        self.template_statuses.retain(|t| keep(t));
    }

    /// The callback with every borrowed string copied.
    pub fn into_owned(self) -> Callback<'static> {
        Callback {
            field: own_opt(self.field),
            metadata: self.metadata.map(|m| Metadata {
                display_phone_number: own_opt(m.display_phone_number),
                phone_number_id: own_opt(m.phone_number_id),
            }),
            contacts: self
                .contacts
                .into_iter()
                .map(|c| Profile {
                    name: own_opt(c.name),
                    wa_id: super::de::own(c.wa_id),
                })
                .collect(),
            statuses: self.statuses.into_iter().map(Status::into_owned).collect(),
            messages: self
                .messages
                .into_iter()
                .map(IncomingMessage::into_owned)
                .collect(),
            template_statuses: self
                .template_statuses
                .into_iter()
                .map(TemplateStatus::into_owned)
                .collect(),
            extra_info: self.extra_info.into_owned(),
            status: own_opt(self.status),
            message_id: own_opt(self.message_id),
        }
    }
}

/// Kaleyra's `extra_info` of a callback.
///
/// Status callbacks carry `trace_id`, `message_id`, `waba_id` and the original message's refs
/// (facts §3.3); incoming messages carry `media_url`, the refs, `reply_to`, `trace_id` and
/// `waba_id` (facts §3.4). Absent members are `None`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[non_exhaustive]
pub struct CallbackInfo<'a> {
    /// `ref`: the reference the original message was sent with.
    #[serde(rename = "ref", borrow, deserialize_with = "opt_text", default)]
    pub reference: Option<Cow<'a, str>>,
    /// `ref1`.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub ref1: Option<Cow<'a, str>>,
    /// `ref2`.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub ref2: Option<Cow<'a, str>>,
    /// Kaleyra's trace id of the callback.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub trace_id: Option<Cow<'a, str>>,
    /// The message's `wamid` (status callbacks).
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub message_id: Option<Cow<'a, str>>,
    /// The WhatsApp Business Account id.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub waba_id: Option<Cow<'a, str>>,
    /// A link to Kaleyra's copy of the media a customer sent (empty or absent otherwise).
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub media_url: Option<Cow<'a, str>>,
    /// Kaleyra's id of the business message a customer's message answers (incoming messages).
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub reply_to: Option<Cow<'a, str>>,
}

impl CallbackInfo<'_> {
    /// `media_url`, unless absent or empty.
    pub fn media_url(&self) -> Option<&str> {
        self.media_url.as_deref().filter(|u| !u.is_empty())
    }

    fn into_owned(self) -> CallbackInfo<'static> {
        CallbackInfo {
            reference: own_opt(self.reference),
            ref1: own_opt(self.ref1),
            ref2: own_opt(self.ref2),
            trace_id: own_opt(self.trace_id),
            message_id: own_opt(self.message_id),
            waba_id: own_opt(self.waba_id),
            media_url: own_opt(self.media_url),
            reply_to: own_opt(self.reply_to),
        }
    }
}

/// `metadata`: the business number the callback is about.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Metadata<'a> {
    /// The number as displayed, without `+`.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub display_phone_number: Option<Cow<'a, str>>,
    /// Meta's id of the number.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub phone_number_id: Option<Cow<'a, str>>,
}

/// A customer's profile: `contacts[]: {"profile": {"name"}, "wa_id"}`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Profile<'a> {
    /// The customer's WhatsApp profile name.
    pub name: Option<Cow<'a, str>>,
    /// Their WhatsApp id (the number without `+`).
    pub wa_id: Cow<'a, str>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Profile<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw<'a> {
            #[serde(borrow, deserialize_with = "opt_object", default)]
            profile: Option<Name<'a>>,
            #[serde(borrow, deserialize_with = "super::de::text", default)]
            wa_id: Cow<'a, str>,
        }
        #[derive(Deserialize)]
        struct Name<'a> {
            #[serde(borrow, deserialize_with = "opt_text", default)]
            name: Option<Cow<'a, str>>,
        }
        let raw = Raw::deserialize(d)?;
        Ok(Profile {
            name: raw.profile.and_then(|p| p.name),
            wa_id: raw.wa_id,
        })
    }
}

/// The body as it arrives: Kaleyra's v2 envelope, or a template status callback's flat members
/// (read in the same pass; which one it is is decided by `meta_object`, then by `event` /
/// `message_template_id`).
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, deserialize_with = "present_object", default)]
    meta_object: Option<MetaObject<'a>>,
    #[serde(borrow, deserialize_with = "opt_object", default)]
    extra_info: Option<CallbackInfo<'a>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    message_id: Option<Cow<'a, str>>,
    // The template status callback's members (§4.5).
    #[serde(borrow, deserialize_with = "opt_text", default)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    time: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    event: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    message_template_id: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    message_template_name: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    message_template_language: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    reason: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "opt_object", default)]
    other_info: Option<TemplateOtherInfo<'a>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    callback_profile_id: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    company_id: Option<Cow<'a, str>>,
}

/// A member that may be absent but, when present, must be an object (as before template status
/// bodies were read: `"meta_object": 1` is still refused as such).
fn present_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    super::de::object(d).map(Some)
}

#[derive(Deserialize)]
struct MetaObject<'a> {
    #[serde(borrow, deserialize_with = "opt_object", default)]
    value: Option<Value<'a>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    field: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Value<'a> {
    #[serde(borrow, deserialize_with = "opt_object", default)]
    metadata: Option<Metadata<'a>>,
    #[serde(borrow, deserialize_with = "list", default)]
    contacts: Vec<Profile<'a>>,
    #[serde(borrow, deserialize_with = "list", default)]
    statuses: Vec<Status<'a>>,
    #[serde(borrow, deserialize_with = "list", default)]
    messages: Vec<IncomingMessage<'a>>,
}

impl<'a> Envelope<'a> {
    fn into_callback(self) -> Result<Callback<'a>, CallbackError> {
        let Some(meta_object) = self.meta_object else {
            let fields = TemplateFields {
                id: self.id,
                time: self.time,
                event: self.event,
                message_template_id: self.message_template_id,
                message_template_name: self.message_template_name,
                message_template_language: self.message_template_language,
                reason: self.reason,
                other_info: self.other_info,
                callback_profile_id: self.callback_profile_id,
                company_id: self.company_id,
            };
            if !fields.present() {
                return Err(CallbackError::envelope(
                    &<serde_json::Error as serde::de::Error>::missing_field("meta_object"),
                ));
            }
            let template = fields
                .into_status()
                .map_err(CallbackError::template_status)?;
            return Ok(Callback {
                field: None,
                metadata: None,
                contacts: Vec::new(),
                statuses: Vec::new(),
                messages: Vec::new(),
                template_statuses: vec![template],
                extra_info: self.extra_info.unwrap_or_default(),
                status: self.status,
                message_id: self.message_id,
            });
        };
        let (metadata, contacts, statuses, messages) = match meta_object.value {
            Some(v) => (v.metadata, v.contacts, v.statuses, v.messages),
            None => (None, Vec::new(), Vec::new(), Vec::new()),
        };
        Ok(Callback {
            field: meta_object.field,
            metadata,
            contacts,
            statuses,
            messages,
            template_statuses: Vec::new(),
            extra_info: self.extra_info.unwrap_or_default(),
            status: self.status,
            message_id: self.message_id,
        })
    }
}
