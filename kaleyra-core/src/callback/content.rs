//! Incoming messages (`meta_object.value.messages[]`): who wrote, what they answer, and what
//! they sent.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::de::{Text as TextValue, list, opt_bool, opt_f64, opt_object, opt_text, own, own_opt};
use super::flow::{FlowReply, RawFlowReply};

/// One message a customer sent: `meta_object.value.messages[]` (facts §3.4).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct IncomingMessage<'a> {
    /// The customer's WhatsApp id (their number without `+`).
    pub from: Cow<'a, str>,
    /// The message's id (a `wamid`).
    pub id: Cow<'a, str>,
    /// When, in Unix seconds as written. See [`IncomingMessage::timestamp_secs`].
    pub timestamp: Cow<'a, str>,
    /// The business message this one answers (a button tap, a list choice, a flow completion,
    /// a reply).
    pub context: Option<Context<'a>>,
    /// What the customer sent.
    pub content: Content<'a>,
}

impl IncomingMessage<'_> {
    /// A session message to this message's sender that quotes it (a contextual reply:
    /// `context.message_id` is this message's `id`, facts §1.3). The sender's WhatsApp id
    /// (`from`, digits without `+`) becomes the recipient, see
    /// [`Recipient::from_wa_id`](crate::Recipient::from_wa_id).
    ///
    /// ```
    /// use kaleyra::callback::{Content, IncomingMessage};
    /// use kaleyra::session::Text;
    ///
    /// fn answer(incoming: &IncomingMessage<'_>) -> Result<kaleyra::Message, kaleyra::Error> {
    ///     incoming.reply(Text::new("Thanks, we are on it")?)
    /// }
    /// ```
    pub fn reply(
        &self,
        content: impl crate::message::SessionMessage,
    ) -> Result<crate::Message, crate::Error> {
        let to = crate::Recipient::from_wa_id(&self.from)?;
        crate::message::compose_reply(&content, to.as_str(), &self.id)
    }

    /// The timestamp as Unix seconds, if it is a number.
    pub fn timestamp_secs(&self) -> Option<u64> {
        self.timestamp.trim().parse().ok()
    }

    /// The message with every borrowed string copied.
    pub fn into_owned(self) -> IncomingMessage<'static> {
        IncomingMessage {
            from: own(self.from),
            id: own(self.id),
            timestamp: own(self.timestamp),
            context: self.context.map(Context::into_owned),
            content: self.content.into_owned(),
        }
    }
}

/// The business message an incoming message answers: `context` (`{"from", "id"}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The business number that sent it (without `+`).
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub from: Option<Cow<'a, str>>,
    /// Its `wamid` (the top-level `message_id` of its status callbacks).
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub id: Option<Cow<'a, str>>,
}

impl Context<'_> {
    fn into_owned(self) -> Context<'static> {
        Context {
            from: own_opt(self.from),
            id: own_opt(self.id),
        }
    }
}

/// What a customer sent. A type this library does not know is [`Content::Other`], never an
/// error.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Content<'a> {
    /// `type: text`: a text message.
    Text(Text<'a>),
    /// `type: button`: a tap on a template's quick-reply button.
    Button(ButtonTap<'a>),
    /// `type: interactive`, `button_reply`: a tap on an interactive message's reply button.
    ButtonReply(ButtonReply<'a>),
    /// `type: interactive`, `list_reply`: a choice in an interactive list.
    ListReply(ListReply<'a>),
    /// `type: interactive`, `nfm_reply`: a completed flow (`name: "flow"`) or an address
    /// message (`name: "address_message"`), with its `response_json`.
    FlowReply(FlowReply<'a>),
    /// `type: image | video | audio | sticker | document`. Kaleyra puts a link to its copy of
    /// the file in [`CallbackInfo::media_url`](super::CallbackInfo::media_url).
    Media(Media<'a>),
    /// `type: location`: a shared location.
    Location(Location<'a>),
    /// `type: contacts`: shared contact cards.
    Contacts(Vec<ContactCard<'a>>),
    /// Any other type (a reaction, an order, an unsupported message, ...), or a known type whose
    /// content member is missing.
    Other(OtherContent<'a>),
}

impl Content<'_> {
    /// The message type as written in `type` (for an interactive message, `"interactive"`).
    pub fn kind(&self) -> &str {
        match self {
            Content::Text(_) => "text",
            Content::Button(_) => "button",
            Content::ButtonReply(_) | Content::ListReply(_) | Content::FlowReply(_) => {
                "interactive"
            }
            Content::Media(media) => media.kind.as_str(),
            Content::Location(_) => "location",
            Content::Contacts(_) => "contacts",
            Content::Other(other) => &other.kind,
        }
    }

    /// The content with every borrowed string copied.
    pub fn into_owned(self) -> Content<'static> {
        match self {
            Content::Text(t) => Content::Text(Text { body: own(t.body) }),
            Content::Button(b) => Content::Button(ButtonTap {
                payload: own(b.payload),
                text: own(b.text),
            }),
            Content::ButtonReply(b) => Content::ButtonReply(ButtonReply {
                id: own(b.id),
                title: own(b.title),
            }),
            Content::ListReply(l) => Content::ListReply(ListReply {
                id: own(l.id),
                title: own(l.title),
                description: own_opt(l.description),
            }),
            Content::FlowReply(f) => Content::FlowReply(f.into_owned()),
            Content::Media(m) => Content::Media(m.into_owned()),
            Content::Location(l) => Content::Location(Location {
                latitude: l.latitude,
                longitude: l.longitude,
                name: own_opt(l.name),
                address: own_opt(l.address),
                url: own_opt(l.url),
            }),
            Content::Contacts(c) => {
                Content::Contacts(c.into_iter().map(ContactCard::into_owned).collect())
            }
            Content::Other(o) => Content::Other(OtherContent {
                kind: own(o.kind),
                members: o.members,
            }),
        }
    }
}

/// A text message: `text: {"body"}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Text<'a> {
    /// The text.
    #[serde(borrow, deserialize_with = "super::de::text", default)]
    pub body: Cow<'a, str>,
}

/// A tap on a template's quick-reply button: `button: {"payload", "text"}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ButtonTap<'a> {
    /// The payload the template message carried for this button.
    #[serde(borrow, deserialize_with = "super::de::text", default)]
    pub payload: Cow<'a, str>,
    /// The button's label.
    #[serde(borrow, deserialize_with = "super::de::text", default)]
    pub text: Cow<'a, str>,
}

/// A tap on an interactive reply button: `button_reply: {"id", "title"}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ButtonReply<'a> {
    /// The button's id, as the business sent it.
    #[serde(borrow, deserialize_with = "super::de::text", default)]
    pub id: Cow<'a, str>,
    /// The button's label.
    #[serde(borrow, deserialize_with = "super::de::text", default)]
    pub title: Cow<'a, str>,
}

/// A choice in an interactive list: `list_reply: {"id", "title", "description"}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ListReply<'a> {
    /// The row's id, as the business sent it.
    #[serde(borrow, deserialize_with = "super::de::text", default)]
    pub id: Cow<'a, str>,
    /// The row's title.
    #[serde(borrow, deserialize_with = "super::de::text", default)]
    pub title: Cow<'a, str>,
    /// The row's description, if it had one.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub description: Option<Cow<'a, str>>,
}

/// The enum's name without its path, for messages.
fn short_type_name<E>() -> &'static str {
    let name = core::any::type_name::<E>();
    // `a::b::Enum` (no generics: the derives are on plain enums).
    name.rsplit("::").next().unwrap_or(name)
}

fn choice<E: crate::session::Choice>(what: &'static str, id: &str) -> Result<E, crate::Error> {
    E::from_id(id).ok_or_else(|| {
        super::CallbackError::unknown_choice(what, id, short_type_name::<E>(), E::IDS).into()
    })
}

impl ButtonReply<'_> {
    /// The tapped button as the enum that asked (`#[derive(Buttons)]`, or any
    /// [`Choice`](crate::session::Choice)).
    ///
    /// # Errors
    ///
    /// [`Error::Callback`](crate::Error::Callback) when the id is none of the enum's (its
    /// Display says the id and the enum's ids).
    ///
    /// ```
    /// use kaleyra::callback::{Callback, Content};
    /// use kaleyra::prelude::*;
    ///
    /// #[derive(Buttons, Debug, PartialEq)]
    /// enum Delivery {
    ///     #[button(title = "Tomorrow")]
    ///     Tomorrow,
    ///     #[button(id = "cancel", title = "Cancel order")]
    ///     Cancel,
    /// }
    ///
    /// let body = br#"{"meta_object":{"value":{"messaging_product":"whatsapp","messages":[{
    ///     "from":"919876543210","id":"wamid.1","timestamp":"1722863329","type":"interactive",
    ///     "interactive":{"type":"button_reply","button_reply":{"id":"cancel","title":"Cancel order"}}}]},
    ///     "field":"messages"}}"#;
    /// let callback = Callback::from_slice(body)?;
    /// let Content::ButtonReply(tap) = &callback.messages()[0].content else { unreachable!() };
    /// assert_eq!(tap.parse::<Delivery>()?, Delivery::Cancel);
    /// # Ok::<(), kaleyra::Error>(())
    /// ```
    pub fn parse<E: crate::session::Choice>(&self) -> Result<E, crate::Error> {
        choice("button reply", &self.id)
    }
}

impl ListReply<'_> {
    /// The chosen row as the enum that asked (`#[derive(Menu)]`, or any
    /// [`Choice`](crate::session::Choice)).
    ///
    /// # Errors
    ///
    /// [`Error::Callback`](crate::Error::Callback) when the id is none of the enum's (its
    /// Display says the id and the enum's ids).
    pub fn parse<E: crate::session::Choice>(&self) -> Result<E, crate::Error> {
        choice("list reply", &self.id)
    }
}

/// The kind of a media message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MediaKind {
    /// `image`.
    Image,
    /// `video`.
    Video,
    /// `audio` (a voice note has [`Media::voice`] set).
    Audio,
    /// `sticker`.
    Sticker,
    /// `document`.
    Document,
}

impl MediaKind {
    /// The type as Meta writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Sticker => "sticker",
            MediaKind::Document => "document",
        }
    }

    fn from_type(kind: &str) -> Option<MediaKind> {
        Some(match kind {
            "image" => MediaKind::Image,
            "video" => MediaKind::Video,
            "audio" => MediaKind::Audio,
            "sticker" => MediaKind::Sticker,
            "document" => MediaKind::Document,
            _ => return None,
        })
    }
}

impl fmt::Display for MediaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A media message: `image | video | audio | sticker | document: {"id", "mime_type", "sha256",
/// …}` (facts §3.4).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Media<'a> {
    /// Which kind of media.
    pub kind: MediaKind,
    /// The media's id at WhatsApp.
    pub id: Option<Cow<'a, str>>,
    /// E.g. `"image/jpeg"`.
    pub mime_type: Option<Cow<'a, str>>,
    /// The file's SHA-256, as Meta writes it.
    pub sha256: Option<Cow<'a, str>>,
    /// The caption the customer wrote (image, video, document).
    pub caption: Option<Cow<'a, str>>,
    /// The file name (document).
    pub filename: Option<Cow<'a, str>>,
    /// Whether an audio message is a voice note.
    pub voice: Option<bool>,
    /// Whether a sticker is animated.
    pub animated: Option<bool>,
}

impl Media<'_> {
    fn into_owned(self) -> Media<'static> {
        Media {
            kind: self.kind,
            id: own_opt(self.id),
            mime_type: own_opt(self.mime_type),
            sha256: own_opt(self.sha256),
            caption: own_opt(self.caption),
            filename: own_opt(self.filename),
            voice: self.voice,
            animated: self.animated,
        }
    }
}

/// The members of a media object, read before its kind is known.
#[derive(Deserialize)]
struct MediaFields<'a> {
    #[serde(borrow, deserialize_with = "opt_text", default)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    mime_type: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    sha256: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    caption: Option<Cow<'a, str>>,
    #[serde(borrow, deserialize_with = "opt_text", default)]
    filename: Option<Cow<'a, str>>,
    #[serde(deserialize_with = "opt_bool", default)]
    voice: Option<bool>,
    #[serde(deserialize_with = "opt_bool", default)]
    animated: Option<bool>,
}

impl<'a> MediaFields<'a> {
    fn into_media(self, kind: MediaKind) -> Media<'a> {
        Media {
            kind,
            id: self.id,
            mime_type: self.mime_type,
            sha256: self.sha256,
            caption: self.caption,
            filename: self.filename,
            voice: self.voice,
            animated: self.animated,
        }
    }
}

/// A shared location: `location: {"latitude", "longitude", "name", "address", "url"}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Location<'a> {
    /// Degrees north.
    #[serde(deserialize_with = "opt_f64", default)]
    pub latitude: Option<f64>,
    /// Degrees east.
    #[serde(deserialize_with = "opt_f64", default)]
    pub longitude: Option<f64>,
    /// The place's name.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub name: Option<Cow<'a, str>>,
    /// The place's address.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub address: Option<Cow<'a, str>>,
    /// A link to the place.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub url: Option<Cow<'a, str>>,
}

/// A shared contact card: `contacts[]: {"name": {…}, "phones": [{…}]}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ContactCard<'a> {
    /// The contact's name.
    #[serde(borrow, deserialize_with = "opt_object", default)]
    pub name: Option<ContactName<'a>>,
    /// The contact's numbers (Kaleyra's sample writes one as an object, Meta a list: both are
    /// read).
    #[serde(borrow, deserialize_with = "list", default)]
    pub phones: Vec<ContactPhone<'a>>,
}

impl ContactCard<'_> {
    fn into_owned(self) -> ContactCard<'static> {
        ContactCard {
            name: self.name.map(|n| ContactName {
                formatted_name: own_opt(n.formatted_name),
                first_name: own_opt(n.first_name),
                middle_name: own_opt(n.middle_name),
                last_name: own_opt(n.last_name),
            }),
            phones: self
                .phones
                .into_iter()
                .map(|p| ContactPhone {
                    phone: own_opt(p.phone),
                    wa_id: own_opt(p.wa_id),
                    kind: own_opt(p.kind),
                })
                .collect(),
        }
    }
}

/// A contact card's name.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ContactName<'a> {
    /// The full name as shown.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub formatted_name: Option<Cow<'a, str>>,
    /// First name.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub first_name: Option<Cow<'a, str>>,
    /// Middle name.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub middle_name: Option<Cow<'a, str>>,
    /// Last name.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub last_name: Option<Cow<'a, str>>,
}

/// A contact card's phone number.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ContactPhone<'a> {
    /// The number as written on the card.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub phone: Option<Cow<'a, str>>,
    /// Its WhatsApp id, if it has one.
    #[serde(borrow, deserialize_with = "opt_text", default)]
    pub wa_id: Option<Cow<'a, str>>,
    /// `type`: e.g. `"MOBILE"`, `"HOME"`.
    #[serde(rename = "type", borrow, deserialize_with = "opt_text", default)]
    pub kind: Option<Cow<'a, str>>,
}

/// A message of a type this library does not read (or a known type without its content).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OtherContent<'a> {
    /// The `type` as written (empty if absent).
    pub kind: Cow<'a, str>,
    /// The message's members other than `from`, `id`, `timestamp`, `type` and `context`, as
    /// JSON (e.g. `{"reaction": {"message_id": …, "emoji": …}}`).
    pub members: Map<String, Value>,
}

// ------------------------------------------------------------------ reading a message object

/// The members of a message object this library reads.
enum Key<'a> {
    From,
    Id,
    Timestamp,
    Type,
    Context,
    Text,
    Button,
    Interactive,
    Media(MediaKind),
    Location,
    Contacts,
    Other(Cow<'a, str>),
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let TextValue(key) = TextValue::deserialize(d)?;
        let key = key.unwrap_or_default();
        Ok(match key.as_ref() {
            "from" => Key::From,
            "id" => Key::Id,
            "timestamp" => Key::Timestamp,
            "type" => Key::Type,
            "context" => Key::Context,
            "text" => Key::Text,
            "button" => Key::Button,
            "interactive" => Key::Interactive,
            "location" => Key::Location,
            "contacts" => Key::Contacts,
            other => match MediaKind::from_type(other) {
                Some(kind) => Key::Media(kind),
                None => Key::Other(key),
            },
        })
    }
}

/// The typed content read so far, and the members kept as JSON in case the type is unknown.
#[derive(Default)]
struct Parts<'a> {
    /// The content read from a member, and the `type` that member stands for.
    typed: Option<(&'static str, Content<'a>)>,
    /// Members not read as content, kept (only while the type may be unknown) as JSON.
    others: Option<Map<String, Value>>,
}

impl<'a> Parts<'a> {
    /// Whether the member standing for type `member` must be read: not when `type` is already
    /// known to be another one.
    fn wants(kind: Option<&str>, member: &str) -> bool {
        kind.is_none_or(|k| k == member)
    }

    fn other(&mut self, key: String, value: Value) {
        self.others.get_or_insert_with(Map::new).insert(key, value);
    }

    fn content(self, kind: Cow<'a, str>) -> Content<'a> {
        match self.typed {
            Some((member, content)) if member == kind => content,
            _ => Content::Other(OtherContent {
                kind,
                members: self.others.unwrap_or_default(),
            }),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for IncomingMessage<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(MessageVisitor)
    }
}

struct MessageVisitor;

impl<'de> Visitor<'de> for MessageVisitor {
    type Value = IncomingMessage<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut from = None;
        let mut id = None;
        let mut timestamp = None;
        let mut kind: Option<Cow<'de, str>> = None;
        let mut context = None;
        let mut parts = Parts::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let member = match &key {
                Key::Text => "text",
                Key::Button => "button",
                Key::Interactive => "interactive",
                Key::Media(media) => media.as_str(),
                Key::Location => "location",
                Key::Contacts => "contacts",
                _ => "",
            };
            if !member.is_empty() && !Parts::wants(kind.as_deref(), member) {
                // Content of another type than the message's: not needed.
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let content = match key {
                Key::From => {
                    from = map.next_value::<TextValue<'de>>()?.0;
                    continue;
                }
                Key::Id => {
                    id = map.next_value::<TextValue<'de>>()?.0;
                    continue;
                }
                Key::Timestamp => {
                    timestamp = map.next_value::<TextValue<'de>>()?.0;
                    continue;
                }
                Key::Type => {
                    kind = map.next_value::<TextValue<'de>>()?.0;
                    continue;
                }
                Key::Context => {
                    context = map.next_value::<Lenient<Context<'de>>>()?.0;
                    continue;
                }
                Key::Text => map.next_value::<Lenient<Text<'de>>>()?.0.map(Content::Text),
                Key::Button => map
                    .next_value::<Lenient<ButtonTap<'de>>>()?
                    .0
                    .map(Content::Button),
                Key::Interactive => match map.next_value::<Lenient<Interactive<'de>>>()?.0 {
                    Some(Interactive::Typed(content)) => Some(content),
                    Some(Interactive::Other(members)) => {
                        parts.other("interactive".to_owned(), Value::Object(members));
                        None
                    }
                    None => None,
                },
                Key::Media(media) => map
                    .next_value::<Lenient<MediaFields<'de>>>()?
                    .0
                    .map(|fields| Content::Media(fields.into_media(media))),
                Key::Location => map
                    .next_value::<Lenient<Location<'de>>>()?
                    .0
                    .map(Content::Location),
                Key::Contacts => Some(Content::Contacts(
                    map.next_value::<List<ContactCard<'de>>>()?.0,
                )),
                Key::Other(name) => {
                    // Only a message of an unknown type needs its other members.
                    if kind.as_deref().is_some_and(is_read_type) {
                        map.next_value::<IgnoredAny>()?;
                    } else {
                        let value = map.next_value::<Value>()?;
                        parts.other(name.into_owned(), value);
                    }
                    continue;
                }
            };
            if let Some(content) = content {
                parts.typed = Some((member, content));
            }
        }
        let kind = kind.unwrap_or_default();
        Ok(IncomingMessage {
            from: from.unwrap_or_default(),
            id: id.unwrap_or_default(),
            timestamp: timestamp.unwrap_or_default(),
            context,
            content: parts.content(kind),
        })
    }
}

/// Whether a message of this type is read into a typed [`Content`] (so its unknown members can
/// be skipped). `interactive` is not: an unknown interactive type keeps its members.
fn is_read_type(kind: &str) -> bool {
    matches!(kind, "text" | "button" | "location" | "contacts")
        || MediaKind::from_type(kind).is_some()
}

/// An object member read with [`opt_object`]: `null` or another type is absent.
struct Lenient<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        opt_object(d).map(Lenient)
    }
}

/// A list member read with [`list`].
struct List<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        list(d).map(List)
    }
}

/// `interactive: {"type": …, "<type>": {…}}`.
enum Interactive<'a> {
    /// A reply this library reads.
    Typed(Content<'a>),
    /// An unknown type: the object's members as JSON.
    Other(Map<String, Value>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Interactive<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Interactive<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an interactive object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut kind: Option<Cow<'de, str>> = None;
                // The reply read so far, and the member it came from.
                let mut typed: Option<(&'static str, Content<'de>)> = None;
                let mut others: Option<Map<String, Value>> = None;
                while let Some(TextValue(key)) = map.next_key::<TextValue<'de>>()? {
                    let key = key.unwrap_or_default();
                    let member = match key.as_ref() {
                        "type" => {
                            kind = map.next_value::<TextValue<'de>>()?.0;
                            continue;
                        }
                        "button_reply" => "button_reply",
                        "list_reply" => "list_reply",
                        "nfm_reply" => "nfm_reply",
                        _ => {
                            let value = map.next_value::<Value>()?;
                            others
                                .get_or_insert_with(Map::new)
                                .insert(key.into_owned(), value);
                            continue;
                        }
                    };
                    let content = match member {
                        "button_reply" => map
                            .next_value::<Lenient<ButtonReply<'de>>>()?
                            .0
                            .map(Content::ButtonReply),
                        "list_reply" => map
                            .next_value::<Lenient<ListReply<'de>>>()?
                            .0
                            .map(Content::ListReply),
                        _ => map
                            .next_value::<Lenient<RawFlowReply<'de>>>()?
                            .0
                            .map(|raw| Content::FlowReply(raw.into_reply())),
                    };
                    if let Some(content) = content {
                        typed = Some((member, content));
                    }
                }
                match (kind, typed) {
                    (Some(kind), Some((member, content))) if kind == member => {
                        Ok(Interactive::Typed(content))
                    }
                    (kind, _) => {
                        let mut others = others.unwrap_or_default();
                        if let Some(kind) = kind {
                            others.insert("type".to_owned(), Value::String(kind.into_owned()));
                        }
                        Ok(Interactive::Other(others))
                    }
                }
            }
        }
        d.deserialize_map(V)
    }
}
