//! A message ready to send, and the traits that build one.

use std::fmt;

use crate::error::Error;
use crate::layout::Route;
use crate::value::ExtraInfo;

/// The four kinds of message Kaleyra's v2 WhatsApp API sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MessageKind {
    /// An authentication template: the one-time password in the body and in a URL button.
    Authentication,
    /// A flow template: a template whose button opens a WhatsApp flow.
    FlowTemplate,
    /// A single-product template, posted to the WABA route.
    ProductTemplate,
    /// An interactive flow message (not a template).
    FlowMessage,
    /// A general template: header, body, limited-time offer, buttons and carousel, as its
    /// declaration says.
    StandardTemplate,
    /// A session (free-form) message: text, media, location or reaction, sent while the
    /// customer's 24-hour window is open (see [`crate::session`]).
    Session,
}

impl MessageKind {
    /// Which endpoint messages of this kind are posted to.
    pub const fn route(self) -> Route {
        match self {
            MessageKind::ProductTemplate => Route::Waba,
            _ => Route::Sender,
        }
    }
}

/// A validated message for one recipient: exactly the JSON body that `send` will post.
///
/// Built by [`Template::to`], [`Flow::to`] or [`SessionMessage::to`]; every value was checked on the way, so holding a
/// `Message` means it can be sent.
#[derive(Clone, PartialEq, Eq)]
pub struct Message {
    kind: MessageKind,
    body: Vec<u8>,
    /// Where `,"extra_info":{…}` starts (or the final `}` when there is none).
    extra_at: usize,
}

impl Message {
    /// Attaches Kaleyra's `extra_info` (references and source), replacing any set before.
    pub fn extra_info(mut self, info: ExtraInfo<'_>) -> Self {
        self.set_extra_info(Some(&info));
        self
    }

    /// Attaches, replaces (`Some`) or removes (`None`) `extra_info` in place.
    pub fn set_extra_info(&mut self, info: Option<&ExtraInfo<'_>>) {
        self.body.truncate(self.extra_at);
        if let Some(info) = info {
            info.write_member(&mut self.body);
        }
        self.body.push(b'}');
    }

    /// The kind of message.
    pub fn kind(&self) -> MessageKind {
        self.kind
    }

    /// The endpoint it is posted to.
    pub fn route(&self) -> Route {
        self.kind.route()
    }

    /// The exact bytes `send` posts: compact JSON, keys in the order of Kaleyra's documents.
    pub fn as_bytes(&self) -> &[u8] {
        &self.body
    }

    /// The body, as owned bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.body
    }

    /// The body as a JSON value, for logging and tests. Key order is kept.
    pub fn to_json(&self) -> serde_json::Value {
        // The body is JSON by construction; `Null` is unreachable but keeps this panic-free.
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The body as text.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.body).unwrap_or_default()
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("kind", &self.kind)
            .field("body", &self.as_str())
            .finish()
    }
}

/// How a message type writes its body; implemented by the derives and the builders in
/// [`crate::model`]. Not meant to be implemented by hand.
#[doc(hidden)]
pub trait Encode {
    /// The kind of message it writes.
    const KIND: MessageKind;

    /// Validates every value and appends the whole body except `extra_info` and the final `}`.
    /// On error, `out` may hold a partial write: callers truncate it.
    fn encode(&self, to: &str, out: &mut Vec<u8>) -> Result<(), Error>;

    /// About how many bytes `encode` writes, to size the buffer once. The derives reserve the
    /// exact size inside `encode` instead and leave this at 0.
    fn size_hint(&self) -> usize {
        0
    }
}

/// Appends a complete body to `out`, or leaves `out` as it was and returns the error.
fn write_into<T: Encode + ?Sized>(
    value: &T,
    to: &str,
    extra: Option<&ExtraInfo<'_>>,
    out: &mut Vec<u8>,
) -> Result<usize, Error> {
    let start = out.len();
    if let Err(e) = value.encode(to, out) {
        out.truncate(start);
        return Err(e);
    }
    let extra_at = out.len();
    if let Some(info) = extra {
        info.write_member(out);
    }
    out.push(b'}');
    Ok(extra_at - start)
}

fn compose<T: Encode + ?Sized>(value: &T, to: &str) -> Result<Message, Error> {
    // `encode` reserves what it needs; `size_hint` lets builders say so up front.
    let mut body = Vec::with_capacity(value.size_hint());
    let extra_at = write_into(value, to, None, &mut body)?;
    Ok(Message {
        kind: T::KIND,
        body,
        extra_at,
    })
}

/// An approved WhatsApp template: derive it with `#[derive(Template)]`, or use a builder from
/// [`crate::model`].
pub trait Template: Encode {
    /// Validates every value and the recipient (E.164 with `+`; spaces, hyphens and parentheses
    /// are dropped) and returns the message for that recipient. Nothing invalid gets through.
    fn to(&self, recipient: impl AsRef<str>) -> Result<Message, Error> {
        compose(self, recipient.as_ref())
    }

    /// Like [`Template::to`], but appends the body to a caller's buffer (reused across messages,
    /// no allocation once it is large enough). On error the buffer is left as it was.
    fn write_message(
        &self,
        recipient: &str,
        extra: Option<&ExtraInfo<'_>>,
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        write_into(self, recipient, extra, out).map(|_| ())
    }
}

/// One card of a carousel template: derive it with `#[derive(Card)]` and put the cards in a
/// `#[template(carousel)]` field (an array `[C; N]`, a `Vec<C>` or a slice).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a carousel card",
    label = "a carousel's cards must derive `kaleyra::Card`",
    note = "declare a card as a struct with `#[derive(kaleyra::Card)]`: a `#[card(header)]` \
            `Media` field, `#[card(body)]` fields and `#[card(button(quick_reply | url, index = N))]` \
            fields; or use `kaleyra::model::CarouselCard` for cards only known at run time"
)]
pub trait Card {
    /// Validates every value and writes the card object, `{"card_index":index,…}`. Written by
    /// the derive; not meant to be implemented by hand.
    #[doc(hidden)]
    fn write_card(&self, index: u8, out: &mut Vec<u8>) -> Result<(), Error>;

    /// About how many bytes `write_card` writes, so that a template sizes its buffer once.
    #[doc(hidden)]
    fn len_hint(&self) -> usize {
        0
    }

    /// What the card declares, when known at compile time (a `#[derive(Card)]` type): the
    /// template derive checks it against the approved cards in a `const`.
    #[doc(hidden)]
    const SHAPE: Option<crate::catalogue::CardShape<'static>> = None;
}

impl<C: Card + ?Sized> Card for &C {
    const SHAPE: Option<crate::catalogue::CardShape<'static>> = C::SHAPE;

    #[inline]
    fn write_card(&self, index: u8, out: &mut Vec<u8>) -> Result<(), Error> {
        (**self).write_card(index, out)
    }

    #[inline]
    fn len_hint(&self) -> usize {
        (**self).len_hint()
    }
}

/// An interactive flow message: derive it with `#[derive(Flow)]`, or use
/// [`crate::model::FlowMessage`].
pub trait Flow: Encode {
    /// Validates every value and the recipient and returns the message for that recipient.
    fn to(&self, recipient: impl AsRef<str>) -> Result<Message, Error> {
        compose(self, recipient.as_ref())
    }

    /// Like [`Flow::to`], but appends the body to a caller's buffer. On error the buffer is left
    /// as it was.
    fn write_message(
        &self,
        recipient: &str,
        extra: Option<&ExtraInfo<'_>>,
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        write_into(self, recipient, extra, out).map(|_| ())
    }
}

/// A session (free-form) message of [`crate::session`]: text, media, location, reaction.
/// `use kaleyra::prelude::*;` brings it into scope, and with it `.to(…)`.
pub trait SessionMessage: Encode {
    /// Validates every value and the recipient and returns the message for that recipient.
    fn to(&self, recipient: impl AsRef<str>) -> Result<Message, Error> {
        compose(self, recipient.as_ref())
    }

    /// Validates and writes the body except `extra_info` and the final `}`, quoting the
    /// customer's message `context` (a `wamid`) when given. Written by the library's types.
    #[doc(hidden)]
    fn encode_session(
        &self,
        to: &str,
        context: Option<&str>,
        out: &mut Vec<u8>,
    ) -> Result<(), Error>;
}

/// A session message to `to` that quotes the customer's message `context` (a contextual
/// reply, facts §1.3).
pub(crate) fn compose_reply<T: SessionMessage + ?Sized>(
    value: &T,
    to: &str,
    context: &str,
) -> Result<Message, Error> {
    let mut body = Vec::with_capacity(value.size_hint() + context.len() + 32);
    // `encode_session` may leave a partial write on error; `body` is dropped then.
    value.encode_session(to, Some(context), &mut body)?;
    let extra_at = body.len();
    body.push(b'}');
    Ok(Message {
        kind: MessageKind::Session,
        body,
        extra_at,
    })
}
