//! Interactive session messages (issue 15): reply buttons ([`Buttons`]), lists ([`List`]) and
//! a call-to-action URL button ([`CtaUrl`]), facts §1.4-§1.6 with Meta's limits. Each value is
//! checked when it is given, and the whole message (at least one button, one row) by `.to(…)`;
//! the wire body is described once, in [`crate::layout::Session`].
//!
//! `#[derive(Buttons)]` and `#[derive(Menu)]` build the same [`Buttons`] and [`List`] from an
//! enum whose literals the compiler checks; a tap is read back into the enum with
//! [`ButtonReply::parse`](crate::callback::ButtonReply::parse) and
//! [`ListReply::parse`](crate::callback::ListReply::parse), through [`Choice`].
//!
//! README's "Reply buttons, lists and a link button" example, compiled:
//!
//! ```no_run
//! use kaleyra::callback::{Content, IncomingMessage};
//! use kaleyra::prelude::*;
//! use kaleyra::session::{Buttons, CtaUrl, List};
//!
//! #[derive(Buttons)]                       // reply buttons: 1-3, titles 1-20 characters, unique
//! enum Delivery {
//!     #[button(title = "Tomorrow")]
//!     Tomorrow,
//!     #[button(title = "Next week")]
//!     NextWeek,
//!     #[button(id = "cancel", title = "Cancel order")]   // id defaults to the variant name
//!     Cancel,
//! }
//!
//! #[derive(Menu)]                          // a list: at most 10 rows in all, titles <= 24
//! #[menu(button = "Pick a slot")]
//! enum Slot {
//!     #[menu(section = "Morning", title = "09:00-12:00")]
//!     Morning,
//!     #[menu(section = "Afternoon", title = "12:00-15:00", description = "We call first")]
//!     Afternoon,
//! }
//!
//! async fn converse(client: &Client, incoming: &IncomingMessage<'_>) -> Result<(), Error> {
//!     match &incoming.content {
//!         Content::ButtonReply(tap) => match tap.parse::<Delivery>()? {
//!             Delivery::Cancel => {
//!                 let link = CtaUrl::new("Sorry to see it go", "Refund status", "https://example.com/r/A-1001")?;
//!                 client.send(&incoming.reply(link)?).await?;
//!             }
//!             Delivery::Tomorrow | Delivery::NextWeek => {
//!                 let slots = Slot::ask("When can we call?")?.footer("Times are IST")?;
//!                 client.send(&incoming.reply(slots)?).await?;
//!             }
//!         },
//!         Content::ListReply(choice) => {
//!             let _slot: Slot = choice.parse()?;   // an id the enum lacks is Error::Callback
//!         }
//!         _ => {
//!             let ask = Delivery::ask("When should we deliver?")?
//!                 .header("Order A-1001")?
//!                 .footer("Reply within 24 hours")?;
//!             client.send(&incoming.reply(ask)?).await?;
//!         }
//!     }
//!     // Sets known only at run time: the same messages, the same bytes.
//!     let buttons = Buttons::new("Still there?")?.button("yes", "Yes")?.button("no", "No")?;
//!     let list = List::new("Pick a store", "Stores")?
//!         .row_with("blr-1", "Koramangala", "Open until 21:00")?
//!         .row("blr-2", "Indiranagar")?;
//!     client.send(&buttons.to("+919876543210")?).await?;
//!     client.send(&list.to("+919876543210")?).await?;
//!     Ok(())
//! }
//! ```

use std::borrow::Cow;

use super::{check, write};
use crate::error::{Error, ValidationError};
use crate::layout::{InteractiveHeader, Items, ListRow, ListSection, ReplyButton, SessionContent};
use crate::message::{Encode, MessageKind, SessionMessage};
use crate::params::Media;
use crate::rules::{self, Violation};

fn invalid(what: &'static str, violation: Violation) -> Error {
    ValidationError::new(what, violation).into()
}

/// An interactive message's header: text (1-60 characters) or an image, video or document
/// ([`Media`]); written as Meta's header object (`{"type":"text","text":…}`,
/// `{"type":"image","image":{…}}`).
///
/// `.header(…)` takes a `&str`, a `String` or a [`Media`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Header<'a> {
    /// A text header.
    Text(Cow<'a, str>),
    /// An image, video or document header.
    Media(Media),
}

impl<'a> From<&'a str> for Header<'a> {
    fn from(text: &'a str) -> Self {
        Header::Text(Cow::Borrowed(text))
    }
}

impl From<String> for Header<'_> {
    fn from(text: String) -> Self {
        Header::Text(Cow::Owned(text))
    }
}

impl<'a> From<Cow<'a, str>> for Header<'a> {
    fn from(text: Cow<'a, str>) -> Self {
        Header::Text(text)
    }
}

impl From<Media> for Header<'_> {
    fn from(media: Media) -> Self {
        Header::Media(media)
    }
}

impl Header<'_> {
    fn check(&self) -> Result<(), Error> {
        match self {
            Header::Text(text) => check(text, rules::check_header_text, "the header"),
            Header::Media(media) => rules::check_interactive_header_media(media.kind())
                .map_err(|v| invalid("the header", v)),
        }
    }

    fn layout(&self) -> InteractiveHeader<'_> {
        match self {
            Header::Text(text) => InteractiveHeader::Text(text),
            Header::Media(media) => InteractiveHeader::Media {
                kind: media.kind(),
                source: media.source(),
                filename: media.get_filename(),
            },
        }
    }

    fn len_hint(&self) -> usize {
        match self {
            Header::Text(text) => text.len() + 32,
            Header::Media(media) => media.len_hint() + 48,
        }
    }
}

fn footer_checked<'a>(footer: impl Into<Cow<'a, str>>) -> Result<Cow<'a, str>, Error> {
    let footer = footer.into();
    check(&footer, rules::check_flow_footer, "the footer")?;
    Ok(footer)
}

/// Implements `Encode` and `SessionMessage` for an interactive type with `fn whole(&self)`
/// (the checks of the message as a whole) and `fn content(&self)`.
macro_rules! interactive_message {
    ($ty:ident, $hint:expr) => {
        impl Encode for $ty<'_> {
            const KIND: MessageKind = MessageKind::Session;

            fn encode(&self, to: &str, out: &mut Vec<u8>) -> Result<(), Error> {
                self.encode_session(to, None, out)
            }

            fn size_hint(&self) -> usize {
                let hint: fn(&$ty<'_>) -> usize = $hint;
                // The fixed text (about 200 bytes), the recipient and room for a typical
                // `extra_info` (160, as the derives reserve), so that one allocation holds all.
                400 + hint(self)
            }
        }

        impl SessionMessage for $ty<'_> {
            fn encode_session(
                &self,
                to: &str,
                context: Option<&str>,
                out: &mut Vec<u8>,
            ) -> Result<(), Error> {
                self.whole()?;
                write(self.content(), to, context, out)
            }
        }
    };
}

/// A reply-button message (facts §1.4): a body of 1-1024 characters and 1-3 buttons, each
/// with an id (1-256 characters) and a title (1-20 characters), titles and ids unique (Meta);
/// a header (text or media) and a footer (1-60 characters) optional. For a set of buttons
/// known at compile time, `#[derive(Buttons)]` on an enum builds the same message.
///
/// ```
/// use kaleyra::prelude::*;
/// use kaleyra::session::Buttons;
///
/// let ask = Buttons::new("When should we deliver?")?
///     .button("tomorrow", "Tomorrow")?
///     .button("next_week", "Next week")?
///     .footer("Reply within 24 hours")?
///     .to("+919876543210")?;
/// let interactive = &ask.to_json()["messaging_object"]["interactive"];
/// assert_eq!(interactive["action"]["buttons"][1]["reply"]["id"], "next_week");
/// assert!(Buttons::new("?")?.button("a", "Same")?.button("b", "Same").is_err()); // titles unique
/// assert!(Buttons::new("?")?.to("+919876543210").is_err());                      // no button
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buttons<'a> {
    header: Option<Header<'a>>,
    body: Cow<'a, str>,
    footer: Option<Cow<'a, str>>,
    buttons: Items<'a, ReplyButton<'a>>,
}

impl<'a> Buttons<'a> {
    /// A message with this body (1-1024 characters) and no buttons yet.
    pub fn new(body: impl Into<Cow<'a, str>>) -> Result<Buttons<'a>, Error> {
        let body = body.into();
        check(&body, rules::check_flow_body, "the body")?;
        Ok(Buttons {
            header: None,
            body,
            footer: None,
            buttons: Items::Borrowed(&[]),
        })
    }

    /// The derive's `ask`: the buttons' literals were checked at compile time.
    #[doc(hidden)]
    pub fn __from_checked(
        body: impl Into<Cow<'a, str>>,
        buttons: &'a [ReplyButton<'a>],
    ) -> Result<Buttons<'a>, Error> {
        let mut message = Buttons::new(body)?;
        message.buttons = Items::Borrowed(buttons);
        Ok(message)
    }

    /// Adds a button: its `id` (1-256 characters, what a tap returns) and `title` (1-20
    /// characters, what the customer sees), both unique in the message; at most 3 buttons.
    pub fn button(
        mut self,
        id: impl Into<Cow<'a, str>>,
        title: impl Into<Cow<'a, str>>,
    ) -> Result<Buttons<'a>, Error> {
        let (id, title) = (id.into(), title.into());
        check(&id, rules::check_reply_button_id, "the button id")?;
        check(&title, rules::check_reply_button_title, "the button title")?;
        rules::check_reply_button_count(self.buttons.len() + 1)
            .map_err(|v| invalid("the message", v))?;
        let titles = self.buttons.iter().map(|b| &*b.title);
        rules::check_unique("button title", titles.chain([&*title]))
            .map_err(|(_, v)| invalid("the message", v))?;
        let ids = self.buttons.iter().map(|b| &*b.id);
        rules::check_unique("button id", ids.chain([&*id]))
            .map_err(|(_, v)| invalid("the message", v))?;
        self.buttons.push(ReplyButton { id, title });
        Ok(self)
    }

    /// A header: text (1-60 characters) or an image, video or document.
    pub fn header(mut self, header: impl Into<Header<'a>>) -> Result<Buttons<'a>, Error> {
        let header = header.into();
        header.check()?;
        self.header = Some(header);
        Ok(self)
    }

    /// A footer of 1-60 characters.
    pub fn footer(mut self, footer: impl Into<Cow<'a, str>>) -> Result<Buttons<'a>, Error> {
        self.footer = Some(footer_checked(footer)?);
        Ok(self)
    }

    /// The body.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The buttons as `(id, title)`, in order.
    pub fn buttons(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.buttons.iter().map(|b| (&*b.id, &*b.title))
    }

    fn whole(&self) -> Result<(), Error> {
        rules::check_reply_button_count(self.buttons.len()).map_err(|v| invalid("the message", v))
    }

    fn content(&self) -> SessionContent<'_> {
        SessionContent::Buttons {
            header: self.header.as_ref().map(Header::layout),
            body: &self.body,
            footer: self.footer.as_deref(),
            buttons: &self.buttons,
        }
    }
}

interactive_message!(Buttons, |b| {
    b.body.len()
        + b.header.as_ref().map_or(0, Header::len_hint)
        + b.footer.as_ref().map_or(0, |f| f.len() + 20)
        + b.buttons
            .iter()
            .map(|b| b.id.len() + b.title.len() + 48)
            .sum::<usize>()
});

/// A list message (facts §1.5, Meta's limits): a body of 1-4096 characters, a button label
/// (1-20) that opens the list, and 1-10 sections of rows, at most 10 rows in all (Meta's
/// current limit). A row has an id (1-200 characters, unique), a title (1-24) and optionally
/// a description (1-72); a section title (1-24) may be left out only when the list has one
/// section. The header is text only (Meta). `#[derive(Menu)]` on an enum builds the same
/// message.
///
/// Rows added before any [`section`](List::section) form one untitled section.
///
/// ```
/// use kaleyra::prelude::*;
/// use kaleyra::session::List;
///
/// let slots = List::new("When can we call?", "Pick a slot")?
///     .section("Morning")?
///     .row("morning", "09:00-12:00")?
///     .section("Afternoon")?
///     .row_with("afternoon", "12:00-15:00", "We call first")?
///     .to("+919876543210")?;
/// let action = &slots.to_json()["messaging_object"]["interactive"]["action"];
/// assert_eq!(action["sections"][1]["rows"][0]["description"], "We call first");
///
/// let one = List::new("Pick one", "Choose")?.row("a", "A")?.to("+919876543210")?; // untitled
/// assert!(one.to_json()["messaging_object"]["interactive"]["action"]["sections"][0]["title"].is_null());
/// assert!(List::new("?", "Choose")?.row("a", "A")?.section("Later").is_err()); // two sections, one untitled
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List<'a> {
    header: Option<Cow<'a, str>>,
    body: Cow<'a, str>,
    footer: Option<Cow<'a, str>>,
    button: Cow<'a, str>,
    sections: Items<'a, ListSection<'a>>,
}

impl<'a> List<'a> {
    /// A list with this body (1-4096 characters) and button label (1-20), no rows yet.
    pub fn new(
        body: impl Into<Cow<'a, str>>,
        button: impl Into<Cow<'a, str>>,
    ) -> Result<List<'a>, Error> {
        let (body, button) = (body.into(), button.into());
        check(&body, rules::check_list_body, "the body")?;
        check(&button, rules::check_list_button, "the list button")?;
        Ok(List {
            header: None,
            body,
            footer: None,
            button,
            sections: Items::Borrowed(&[]),
        })
    }

    /// The derive's `ask`: the button label and the sections were checked at compile time.
    #[doc(hidden)]
    pub fn __from_checked(
        body: impl Into<Cow<'a, str>>,
        button: &'a str,
        sections: &'a [ListSection<'a>],
    ) -> Result<List<'a>, Error> {
        let body = body.into();
        check(&body, rules::check_list_body, "the body")?;
        Ok(List {
            header: None,
            body,
            footer: None,
            button: Cow::Borrowed(button),
            sections: Items::Borrowed(sections),
        })
    }

    /// Starts a section titled `title` (1-24 characters); the rows added next belong to it. At
    /// most 10 sections.
    pub fn section(mut self, title: impl Into<Cow<'a, str>>) -> Result<List<'a>, Error> {
        let title = title.into();
        check(&title, rules::check_section_title, "the section title")?;
        let count = self.sections.len() + 1;
        rules::check_list_section_count(count).map_err(|v| invalid("the list", v))?;
        if self.sections.iter().any(|s| s.title.is_none()) {
            rules::check_untitled_section(count).map_err(|v| invalid("the list", v))?;
        }
        self.sections.push(ListSection {
            title: Some(title),
            rows: Items::Borrowed(&[]),
        });
        Ok(self)
    }

    /// Adds a row without a description to the current section: its `id` (1-200 characters,
    /// unique in the list, what the choice returns) and `title` (1-24).
    pub fn row(
        self,
        id: impl Into<Cow<'a, str>>,
        title: impl Into<Cow<'a, str>>,
    ) -> Result<List<'a>, Error> {
        self.push_row(id.into(), title.into(), None)
    }

    /// Adds a row with a description (1-72 characters); see [`row`](List::row).
    pub fn row_with(
        self,
        id: impl Into<Cow<'a, str>>,
        title: impl Into<Cow<'a, str>>,
        description: impl Into<Cow<'a, str>>,
    ) -> Result<List<'a>, Error> {
        self.push_row(id.into(), title.into(), Some(description.into()))
    }

    fn push_row(
        mut self,
        id: Cow<'a, str>,
        title: Cow<'a, str>,
        description: Option<Cow<'a, str>>,
    ) -> Result<List<'a>, Error> {
        check(&id, rules::check_row_id, "the row id")?;
        check(&title, rules::check_row_title, "the row title")?;
        if let Some(description) = &description {
            check(
                description,
                rules::check_row_description,
                "the row description",
            )?;
        }
        rules::check_list_row_count(self.all_rows().count() + 1)
            .map_err(|v| invalid("the list", v))?;
        let ids = self.all_rows().map(|r| &*r.id);
        rules::check_unique("row id", ids.chain([&*id]))
            .map_err(|(_, v)| invalid("the list", v))?;
        if self.sections.is_empty() {
            self.sections.push(ListSection {
                title: None,
                rows: Items::Borrowed(&[]),
            });
        }
        if let Some(section) = self.sections.last_mut() {
            section.rows.push(ListRow {
                id,
                title,
                description,
            });
        }
        Ok(self)
    }

    /// A text header of 1-60 characters (Meta: a list's header is text only).
    pub fn header(mut self, header: impl Into<Cow<'a, str>>) -> Result<List<'a>, Error> {
        let header = header.into();
        check(&header, rules::check_header_text, "the header")?;
        self.header = Some(header);
        Ok(self)
    }

    /// A footer of 1-60 characters.
    pub fn footer(mut self, footer: impl Into<Cow<'a, str>>) -> Result<List<'a>, Error> {
        self.footer = Some(footer_checked(footer)?);
        Ok(self)
    }

    /// The body.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The rows of every section as `(id, title, description)`, in order.
    pub fn rows(&self) -> impl Iterator<Item = (&str, &str, Option<&str>)> {
        self.all_rows()
            .map(|r| (&*r.id, &*r.title, r.description.as_deref()))
    }

    /// The sections' titles, in order (`None` for the untitled section).
    pub fn section_titles(&self) -> impl ExactSizeIterator<Item = Option<&str>> {
        self.sections.iter().map(|s| s.title.as_deref())
    }

    fn all_rows(&self) -> impl Iterator<Item = &ListRow<'a>> + Clone {
        self.sections.iter().flat_map(|s| s.rows.iter())
    }

    fn whole(&self) -> Result<(), Error> {
        let list = |v| invalid("the list", v);
        rules::check_list_section_count(self.sections.len()).map_err(list)?;
        for section in self.sections.iter() {
            rules::check_section_row_count(section.rows.len()).map_err(list)?;
        }
        rules::check_list_row_count(self.all_rows().count()).map_err(list)
    }

    fn content(&self) -> SessionContent<'_> {
        SessionContent::List {
            header: self.header.as_deref(),
            body: &self.body,
            footer: self.footer.as_deref(),
            button: &self.button,
            sections: &self.sections,
        }
    }
}

interactive_message!(List, |l| {
    l.body.len()
        + l.button.len()
        + l.header.as_ref().map_or(0, |h| h.len() + 32)
        + l.footer.as_ref().map_or(0, |f| f.len() + 20)
        + l.sections
            .iter()
            .map(|s| s.title.as_ref().map_or(0, |t| t.len() + 12) + 12)
            .sum::<usize>()
        + l.all_rows()
            .map(|r| {
                r.id.len() + r.title.len() + r.description.as_ref().map_or(0, |d| d.len() + 16) + 24
            })
            .sum::<usize>()
});

/// A call-to-action URL button message (facts §1.6): a body of 1-1024 characters and one
/// button whose display text (1-20 characters) opens `url` (`http://` or `https://`); a header
/// (text or media) and a footer optional.
///
/// ```
/// use kaleyra::prelude::*;
/// use kaleyra::session::CtaUrl;
///
/// let track = CtaUrl::new("Your parcel is on its way", "Track it", "https://example.com/t/A-1001")?
///     .header("Order A-1001")?
///     .to("+919876543210")?;
/// let action = &track.to_json()["messaging_object"]["interactive"]["action"];
/// assert_eq!(action["name"], "cta_url");
/// assert_eq!(action["parameters"]["url"], "https://example.com/t/A-1001");
/// assert!(CtaUrl::new("Hi", "Open", "ftp://example.com").is_err());
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtaUrl<'a> {
    header: Option<Header<'a>>,
    body: Cow<'a, str>,
    footer: Option<Cow<'a, str>>,
    display_text: Cow<'a, str>,
    url: Cow<'a, str>,
}

impl<'a> CtaUrl<'a> {
    /// A message with this body (1-1024 characters) and a button labelled `display_text`
    /// (1-20) that opens `url`.
    pub fn new(
        body: impl Into<Cow<'a, str>>,
        display_text: impl Into<Cow<'a, str>>,
        url: impl Into<Cow<'a, str>>,
    ) -> Result<CtaUrl<'a>, Error> {
        let (body, display_text, url) = (body.into(), display_text.into(), url.into());
        check(&body, rules::check_flow_body, "the body")?;
        check(
            &display_text,
            rules::check_cta_display_text,
            "the button's display text",
        )?;
        check(&url, rules::check_cta_url, "the button's URL")?;
        Ok(CtaUrl {
            header: None,
            body,
            footer: None,
            display_text,
            url,
        })
    }

    /// A header: text (1-60 characters) or an image, video or document.
    pub fn header(mut self, header: impl Into<Header<'a>>) -> Result<CtaUrl<'a>, Error> {
        let header = header.into();
        header.check()?;
        self.header = Some(header);
        Ok(self)
    }

    /// A footer of 1-60 characters.
    pub fn footer(mut self, footer: impl Into<Cow<'a, str>>) -> Result<CtaUrl<'a>, Error> {
        self.footer = Some(footer_checked(footer)?);
        Ok(self)
    }

    /// The URL the button opens.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn whole(&self) -> Result<(), Error> {
        Ok(())
    }

    fn content(&self) -> SessionContent<'_> {
        SessionContent::CtaUrl {
            header: self.header.as_ref().map(Header::layout),
            body: &self.body,
            footer: self.footer.as_deref(),
            display_text: &self.display_text,
            url: &self.url,
        }
    }
}

interactive_message!(CtaUrl, |c| {
    c.body.len()
        + c.display_text.len()
        + c.url.len()
        + c.header.as_ref().map_or(0, Header::len_hint)
        + c.footer.as_ref().map_or(0, |f| f.len() + 20)
});

/// An enum whose variants are the choices of a reply-button or list message, read back from
/// the customer's tap by [`ButtonReply::parse`](crate::callback::ButtonReply::parse) and
/// [`ListReply::parse`](crate::callback::ListReply::parse). `#[derive(Buttons)]` and
/// `#[derive(Menu)]` implement it.
///
/// ```
/// use kaleyra::session::Choice;
///
/// #[derive(Debug, PartialEq)]
/// enum Answer { Yes, No }
///
/// impl Choice for Answer {
///     const IDS: &'static [&'static str] = &["yes", "no"];
///     fn from_id(id: &str) -> Option<Self> {
///         match id { "yes" => Some(Answer::Yes), "no" => Some(Answer::No), _ => None }
///     }
///     fn id(&self) -> &'static str {
///         match self { Answer::Yes => "yes", Answer::No => "no" }
///     }
/// }
/// assert_eq!(Answer::from_id("no"), Some(Answer::No));
/// ```
pub trait Choice: Sized {
    /// Every choice's id, in declaration order.
    const IDS: &'static [&'static str];

    /// The choice with this id, if there is one.
    fn from_id(id: &str) -> Option<Self>;

    /// This choice's id.
    fn id(&self) -> &'static str;
}
