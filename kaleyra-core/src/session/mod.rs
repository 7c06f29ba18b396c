//! Session (free-form) messages: what a business sends while a customer's 24-hour window is
//! open (issue 15): [`Text`], [`MediaMessage`], [`LocationMessage`], [`Reaction`],
//! [`LocationRequest`], [`AddressRequest`] and [`Contacts`]. Each is validated when built and again by `.to(…)` (the recipient), and
//! `.to(…)` returns the same [`Message`](crate::Message) that `Client::send` sends; the
//! wire body is described once, in [`crate::layout::Session`].
//!
//! A contextual reply (quoting the customer's message) is
//! [`IncomingMessage::reply`](crate::callback::IncomingMessage::reply); a read receipt is
//! `Client::mark_read`; a file is uploaded for sending by id with `Client::upload_media`
//! (an `Upload`). Reply buttons, lists and a CTA URL button: [`Buttons`], [`List`],
//! [`CtaUrl`] (and `#[derive(Buttons)]`, `#[derive(Menu)]`, whose taps are read back through
//! [`Choice`]).
//!
//! ```
//! use kaleyra::prelude::*;
//! use kaleyra::session::{MediaMessage, Text};
//!
//! let hello = Text::new("Your order A-1001 has shipped")?.preview_url(true).to("+919876543210")?;
//! assert_eq!(hello.to_json()["messaging_object"]["text"]["preview_url"], true);
//!
//! let invoice = MediaMessage::new(Media::document_link("https://example.com/i/42.pdf")?.filename("42.pdf")?)
//!     .caption("Your invoice")?
//!     .to("+919876543210")?;
//! assert_eq!(invoice.to_json()["messaging_object"]["document"]["caption"], "Your invoice");
//! # Ok::<(), kaleyra::Error>(())
//! ```
//!
//! README's "Talking with customers" example, compiled:
//!
//! ```no_run
//! use kaleyra::callback::IncomingMessage;
//! use kaleyra::prelude::*;
//! use kaleyra::session::{LocationMessage, MediaMessage, Reaction, Text};
//!
//! async fn answer(client: &Client, incoming: &IncomingMessage<'_>) -> Result<(), Error> {
//!     client.mark_read(incoming).await?;                      // Kaleyra's read receipt
//!     client.send(&Reaction::new(&incoming.id, "👍")?.to("+919876543210")?).await?;
//!     // To the sender ("9198…" in the callback, sent to +9198…), quoting the message.
//!     let reply = incoming.reply(Text::new("Thanks, we are on it")?)?;
//!     client.send(&reply).await?;
//!
//!     let invoice = Media::document_link("https://example.com/i/42.pdf")?.filename("invoice-42.pdf")?;
//!     let doc = MediaMessage::new(invoice).caption("Your invoice")?.to("+919876543210")?;
//!     client.send(&doc).await?;
//!     let shop = Location::new(12.9471, 77.6468)?.name("Koramangala store");
//!     client.send(&LocationMessage::new(shop).to("+919876543210")?).await?;
//!     assert!(Text::new("").is_err());                        // refused before anything is sent
//!     Ok(())
//! }
//! ```
//!
//! Location and address requests and contact cards: [`LocationRequest`], [`AddressRequest`],
//! [`Contacts`] of [`ContactCard`]s. The simulator (feature `mock`) holds every session
//! message to WhatsApp's 24-hour window (`MockServer::advance_clock` moves its clock).

use std::borrow::Cow;

use crate::encode;
use crate::error::{Error, ValidationError};
use crate::layout::{Session, SessionContent, Slot};
use crate::message::{Encode, MessageKind};
use crate::model::{Writer, run, unexpected};
use crate::params::{Location, Media};
use crate::rules::{self, Violation};

fn check(
    value: &str,
    rule: fn(&str) -> Result<(), Violation>,
    what: &'static str,
) -> Result<(), Error> {
    rule(value).map_err(|v| ValidationError::new(what, v).into())
}

/// Walks the session layout into `out`, the recipient checked and written in its slot.
fn write(
    content: SessionContent<'_>,
    to: &str,
    context: Option<&str>,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    if let Some(id) = context {
        check(id, rules::check_message_id, "the quoted message id")?;
    }
    let layout = Session { context, content };
    let fill = |slot: Slot, out: &mut Vec<u8>| match slot {
        Slot::To => encode::recipient(out, to),
        other => Err(unexpected(other)),
    };
    run(out, fill, |w: &mut Writer<'_, _>| layout.walk(w))
}

/// Implements `Encode` and `SessionMessage` for a type with `fn content(&self)`.
macro_rules! session_message {
    ($ty:ty, $hint:expr) => {
        impl Encode for $ty {
            const KIND: MessageKind = MessageKind::Session;

            fn encode(&self, to: &str, out: &mut Vec<u8>) -> Result<(), Error> {
                self.encode_session(to, None, out)
            }

            fn size_hint(&self) -> usize {
                let hint: fn(&$ty) -> usize = $hint;
                // The fixed text (about 150 bytes), the recipient and room for a typical
                // `extra_info` (160, as the derives reserve): one allocation for the message.
                330 + hint(self)
            }
        }

        impl SessionMessage for $ty {
            fn encode_session(
                &self,
                to: &str,
                context: Option<&str>,
                out: &mut Vec<u8>,
            ) -> Result<(), Error> {
                write(self.content(), to, context, out)
            }
        }
    };
}

/// A text message (facts §1.1): a body of 1-4096 characters and whether WhatsApp shows a
/// preview of its first URL (`preview_url`, a JSON boolean, `false` unless set).
///
/// ```
/// use kaleyra::prelude::*;
/// use kaleyra::session::Text;
///
/// let message = Text::new("See https://example.com/track/A-1001")?.preview_url(true).to("+919876543210")?;
/// assert_eq!(message.to_json()["messaging_object"]["type"], "text");
/// assert!(Text::new("").is_err());
/// assert!(Text::new("x".repeat(4097)).is_err());
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text<'a> {
    // Borrowed when given a `&str`, so that a text costs one allocation, the message's.
    body: Cow<'a, str>,
    preview_url: bool,
}

impl<'a> Text<'a> {
    /// A text of 1-4096 characters (Meta's limit): a `&str` (borrowed) or a `String`.
    pub fn new(body: impl Into<Cow<'a, str>>) -> Result<Text<'a>, Error> {
        let body = body.into();
        check(&body, rules::check_text_body, "the text body")?;
        Ok(Text {
            body,
            preview_url: false,
        })
    }

    /// Whether WhatsApp shows a preview of the first `http(s)` URL in the body.
    pub fn preview_url(mut self, preview: bool) -> Text<'a> {
        self.preview_url = preview;
        self
    }

    /// The body.
    pub fn body(&self) -> &str {
        &self.body
    }

    fn content(&self) -> SessionContent<'_> {
        SessionContent::Text {
            body: &self.body,
            preview_url: self.preview_url,
        }
    }
}

session_message!(Text<'_>, |t| t.body.len());

/// A media message (facts §1.2, §1.13): an image, video, audio, document (with its file name)
/// or sticker, by link or by uploaded id ([`Media`]), with a caption of 1-1024 characters for
/// images, videos and documents.
///
/// ```
/// use kaleyra::prelude::*;
/// use kaleyra::session::MediaMessage;
///
/// let photo = MediaMessage::new(Media::image_link("https://example.com/parcel.jpg")?)
///     .caption("Your parcel")?
///     .to("+919876543210")?;
/// let sticker = MediaMessage::new(Media::sticker_id("1034000000000")?).to("+919876543210")?;
/// assert_eq!(sticker.to_json()["messaging_object"]["sticker"]["id"], "1034000000000");
/// assert!(MediaMessage::new(Media::audio_id("1")?).caption("no").is_err()); // audio: no caption
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaMessage {
    media: Media,
    caption: Option<String>,
}

impl MediaMessage {
    /// The file to send.
    pub fn new(media: Media) -> MediaMessage {
        MediaMessage {
            media,
            caption: None,
        }
    }

    /// A caption of 1-1024 characters; images, videos and documents only (Meta).
    pub fn caption(mut self, caption: impl Into<String>) -> Result<MediaMessage, Error> {
        let caption = caption.into();
        rules::check_caption_allowed(self.media.kind())
            .map_err(|v| ValidationError::new("the caption", v))?;
        check(&caption, rules::check_caption, "the caption")?;
        self.caption = Some(caption);
        Ok(self)
    }

    /// The file.
    pub fn media(&self) -> &Media {
        &self.media
    }

    /// The caption, if set.
    pub fn get_caption(&self) -> Option<&str> {
        self.caption.as_deref()
    }

    fn content(&self) -> SessionContent<'_> {
        SessionContent::Media {
            kind: self.media.kind(),
            source: self.media.source(),
            caption: self.caption.as_deref(),
            filename: self.media.get_filename(),
        }
    }
}

session_message!(MediaMessage, |m| {
    m.media.len_hint() + m.caption.as_ref().map_or(0, |c| c.len() + 12)
});

/// A location message (facts §1.7): a place on the map, its coordinates checked by
/// [`Location::new`], its name and address optional.
///
/// ```
/// use kaleyra::prelude::*;
/// use kaleyra::session::LocationMessage;
///
/// let shop = Location::new(12.9471, 77.6468)?.name("Koramangala store");
/// let message = LocationMessage::new(shop).to("+919876543210")?;
/// assert_eq!(message.to_json()["messaging_object"]["location"]["latitude"], 12.9471);
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LocationMessage {
    location: Location,
}

impl LocationMessage {
    /// The place to send.
    pub fn new(location: Location) -> LocationMessage {
        LocationMessage { location }
    }

    /// The place.
    pub fn location(&self) -> &Location {
        &self.location
    }

    fn content(&self) -> SessionContent<'_> {
        SessionContent::Location {
            latitude: self.location.latitude(),
            longitude: self.location.longitude(),
            name: self.location.get_name(),
            address: self.location.get_address(),
        }
    }
}

session_message!(LocationMessage, |l| {
    l.location.get_name().map_or(0, str::len) + l.location.get_address().map_or(0, str::len) + 64
});

/// A reaction to a customer's message (facts §1.12): one emoji on the message with that
/// `wamid`, or the removal of the business's reaction.
///
/// ```
/// use kaleyra::prelude::*;
/// use kaleyra::session::Reaction;
///
/// let id = "wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgU";
/// let like = Reaction::new(&id, "👍")?.to("+919876543210")?;
/// assert_eq!(like.to_json()["messaging_object"]["reaction"]["emoji"], "👍");
/// let undo = Reaction::remove(&id)?.to("+919876543210")?;
/// assert_eq!(undo.to_json()["messaging_object"]["reaction"]["emoji"], "");
/// assert!(Reaction::new(&id, "ok").is_err()); // text, not an emoji
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reaction {
    message_id: String,
    emoji: String,
}

impl Reaction {
    /// The emoji `emoji` (one emoji, see [`rules::check_reaction_emoji`]) on the message
    /// `message_id` (its `wamid`, as the incoming message's `id`).
    pub fn new(
        message_id: &(impl AsRef<str> + ?Sized),
        emoji: impl Into<String>,
    ) -> Result<Reaction, Error> {
        let message_id = message_id.as_ref();
        check(
            message_id,
            rules::check_message_id,
            "the reacted-to message id",
        )?;
        let emoji = emoji.into();
        check(&emoji, rules::check_reaction_emoji, "the reaction emoji")?;
        Ok(Reaction {
            message_id: message_id.to_owned(),
            emoji,
        })
    }

    /// Removes the business's reaction on the message `message_id` (Meta: an empty emoji).
    pub fn remove(message_id: &(impl AsRef<str> + ?Sized)) -> Result<Reaction, Error> {
        let message_id = message_id.as_ref();
        check(
            message_id,
            rules::check_message_id,
            "the reacted-to message id",
        )?;
        Ok(Reaction {
            message_id: message_id.to_owned(),
            emoji: String::new(),
        })
    }

    /// The message reacted to.
    pub fn message_id(&self) -> &str {
        &self.message_id
    }

    /// The emoji; empty for a removal.
    pub fn emoji(&self) -> &str {
        &self.emoji
    }

    fn content(&self) -> SessionContent<'_> {
        SessionContent::Reaction {
            message_id: &self.message_id,
            emoji: &self.emoji,
        }
    }
}

session_message!(Reaction, |r| r.message_id.len() + r.emoji.len());

pub use crate::message::SessionMessage;

// Location and address requests, contacts (issue 15): after the macro, which they use.
mod requests;
pub use requests::{
    AddressField, AddressRequest, ContactAddress, ContactCard, ContactKind, ContactUrl, Contacts,
    Email, LocationRequest, Phone, PhoneKind, SavedAddress,
};
// Media upload (issue 15): the file and the id `Client::upload_media` returns.
#[cfg(feature = "transport")]
pub(crate) mod upload;
#[cfg(feature = "transport")]
pub use upload::{MediaId, Upload};
mod interactive;
pub use interactive::{Buttons, Choice, CtaUrl, Header, List};
