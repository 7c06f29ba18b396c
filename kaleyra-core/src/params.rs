//! The values of a general template's parameters: media, locations, currencies, dates, and the
//! parameters of flow and multi-product buttons. Each constructor checks its rule (from
//! [`crate::rules`]), so holding one means it can be sent; each writes itself through the one
//! description of its wire shape in [`crate::layout`].

use std::fmt;

use serde::Serialize;

use crate::error::{Error, ValidationError};
use crate::layout::{self, Direct, MediaKind, MediaSource};
use crate::rules::{self, Violation};

fn check(
    value: &str,
    rule: fn(&str) -> Result<(), Violation>,
    what: &'static str,
) -> Result<(), Error> {
    rule(value).map_err(|v| ValidationError::new(what, v).into())
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum Source {
    Link(String),
    Id(String),
}

/// An image, video or document for a template header (or a carousel card's header), or any
/// of those, audio or a sticker for a session message ([`crate::session::MediaMessage`]), by
/// https link or by the id of an uploaded file.
///
/// ```
/// use kaleyra::Media;
/// let photo = Media::image_link("https://example.com/parcel.jpg")?;
/// let invoice = Media::document_link("https://example.com/i/42.pdf")?.filename("Invoice 42.pdf")?;
/// let video = Media::video_id("4621000000000")?;
/// assert!(Media::image_link("http://example.com/a.jpg").is_err()); // https only
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Media {
    kind: MediaKind,
    source: Source,
    filename: Option<String>,
}

impl Media {
    fn link(kind: MediaKind, url: String) -> Result<Media, Error> {
        check(&url, rules::check_media_link, "the media link")?;
        Ok(Media {
            kind,
            source: Source::Link(url),
            filename: None,
        })
    }

    fn id(kind: MediaKind, id: String) -> Result<Media, Error> {
        check(&id, rules::check_media_id, "the media id")?;
        Ok(Media {
            kind,
            source: Source::Id(id),
            filename: None,
        })
    }

    /// An image (JPEG or PNG) at a public `https` URL.
    pub fn image_link(url: impl Into<String>) -> Result<Media, Error> {
        Media::link(MediaKind::Image, url.into())
    }

    /// An uploaded image, by its media id.
    pub fn image_id(id: impl Into<String>) -> Result<Media, Error> {
        Media::id(MediaKind::Image, id.into())
    }

    /// A video (MP4 or 3GPP) at a public `https` URL.
    pub fn video_link(url: impl Into<String>) -> Result<Media, Error> {
        Media::link(MediaKind::Video, url.into())
    }

    /// An uploaded video, by its media id.
    pub fn video_id(id: impl Into<String>) -> Result<Media, Error> {
        Media::id(MediaKind::Video, id.into())
    }

    /// A document (a PDF, in templates) at a public `https` URL.
    pub fn document_link(url: impl Into<String>) -> Result<Media, Error> {
        Media::link(MediaKind::Document, url.into())
    }

    /// An uploaded document, by its media id.
    pub fn document_id(id: impl Into<String>) -> Result<Media, Error> {
        Media::id(MediaKind::Document, id.into())
    }

    /// Audio (AAC, AMR, MP3, MP4 audio or OGG with Opus) at a public `https` URL; for session
    /// messages ([`crate::session::MediaMessage`]), not template headers.
    pub fn audio_link(url: impl Into<String>) -> Result<Media, Error> {
        Media::link(MediaKind::Audio, url.into())
    }

    /// Uploaded audio, by its media id; for session messages.
    pub fn audio_id(id: impl Into<String>) -> Result<Media, Error> {
        Media::id(MediaKind::Audio, id.into())
    }

    /// A sticker (WebP, 512×512) at a public `https` URL; for session messages.
    pub fn sticker_link(url: impl Into<String>) -> Result<Media, Error> {
        Media::link(MediaKind::Sticker, url.into())
    }

    /// An uploaded sticker, by its media id; for session messages.
    pub fn sticker_id(id: impl Into<String>) -> Result<Media, Error> {
        Media::id(MediaKind::Sticker, id.into())
    }

    /// Where the file is, as the layouts take it.
    pub(crate) fn source(&self) -> MediaSource<'_> {
        match &self.source {
            Source::Link(link) => MediaSource::Link(link),
            Source::Id(id) => MediaSource::Id(id),
        }
    }

    /// The file name the recipient sees for a document (1-255 characters, no `/` or `\`).
    /// Images and videos have none: giving one is an error.
    pub fn filename(mut self, name: impl Into<String>) -> Result<Media, Error> {
        if self.kind != MediaKind::Document {
            return Err(ValidationError::new(
                "the media file name",
                Violation::Invalid {
                    reason: "only a document has a file name",
                },
            )
            .into());
        }
        let name = name.into();
        check(&name, rules::check_filename, "the document's file name")?;
        self.filename = Some(name);
        Ok(self)
    }

    /// Image, video, document, audio or sticker.
    pub fn kind(&self) -> MediaKind {
        self.kind
    }

    /// The link, if the file is given by link.
    pub fn get_link(&self) -> Option<&str> {
        match &self.source {
            Source::Link(link) => Some(link),
            Source::Id(_) => None,
        }
    }

    /// The media id, if the file is given by id.
    pub fn get_id(&self) -> Option<&str> {
        match &self.source {
            Source::Id(id) => Some(id),
            Source::Link(_) => None,
        }
    }

    /// A document's file name, if set.
    pub fn get_filename(&self) -> Option<&str> {
        self.filename.as_deref()
    }

    /// Writes the parameter object.
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        let source = match &self.source {
            Source::Link(link) => MediaSource::Link(link),
            Source::Id(id) => MediaSource::Id(id),
        };
        layout::media_parameter(
            &mut Direct(out),
            self.kind,
            source,
            self.filename.as_deref(),
        );
    }

    /// An upper bound of the bytes [`Media::write`] writes, before escaping.
    pub(crate) fn len_hint(&self) -> usize {
        let source = match &self.source {
            Source::Link(s) | Source::Id(s) => s.len(),
        };
        48 + source + self.filename.as_ref().map_or(0, |f| f.len() + 14)
    }
}

impl fmt::Debug for Media {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Media");
        d.field("kind", &self.kind);
        match &self.source {
            Source::Link(link) => d.field("link", link),
            Source::Id(id) => d.field("id", id),
        };
        if let Some(name) = &self.filename {
            d.field("filename", name);
        }
        d.finish()
    }
}

/// A place on the map, for a location header.
///
/// ```
/// use kaleyra::Location;
/// let shop = Location::new(12.9471, 77.6468)?.name("Koramangala store").address("80 Feet Rd, Bengaluru");
/// assert!(Location::new(91.0, 0.0).is_err());
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    latitude: f64,
    longitude: f64,
    name: Option<String>,
    address: Option<String>,
}

impl Location {
    /// Latitude -90 to 90 and longitude -180 to 180, in degrees.
    pub fn new(latitude: f64, longitude: f64) -> Result<Location, Error> {
        rules::check_latitude(latitude).map_err(|v| ValidationError::new("the latitude", v))?;
        rules::check_longitude(longitude).map_err(|v| ValidationError::new("the longitude", v))?;
        Ok(Location {
            latitude,
            longitude,
            name: None,
            address: None,
        })
    }

    /// The place's name (an empty name is left out).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into()).filter(|n| !n.is_empty());
        self
    }

    /// The place's address (an empty address is left out).
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = Some(address.into()).filter(|a| !a.is_empty());
        self
    }

    /// The latitude in degrees.
    pub fn latitude(&self) -> f64 {
        self.latitude
    }

    /// The longitude in degrees.
    pub fn longitude(&self) -> f64 {
        self.longitude
    }

    /// The name, if set.
    pub fn get_name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The address, if set.
    pub fn get_address(&self) -> Option<&str> {
        self.address.as_deref()
    }

    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        layout::location_parameter(
            &mut Direct(out),
            self.latitude,
            self.longitude,
            self.name.as_deref(),
            self.address.as_deref(),
        );
    }

    pub(crate) fn len_hint(&self) -> usize {
        let text = |t: &Option<String>| t.as_ref().map_or(0, |t| t.len() + 12);
        96 + text(&self.name) + text(&self.address)
    }
}

/// An amount of money, which WhatsApp formats for the recipient's locale: an ISO 4217 code,
/// the amount times 1000, and the text to show where it cannot format it.
///
/// ```
/// use kaleyra::Currency;
/// let total = Currency::new("USD", 100_990, "$100.99")?;
/// assert_eq!(total.code(), "USD");
/// assert!(Currency::new("usd", 1, "x").is_err()); // did you mean `USD`?
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    amount_1000: i64,
    fallback_value: String,
}

impl Currency {
    /// `code` is an ISO 4217 code (`"USD"`, `"INR"`); `amount_1000` the amount multiplied by
    /// 1000 (`100_990` for 100.99); `fallback_value` the text shown where the client cannot
    /// format it (a template text parameter: no newline, tab or more than four spaces in a row).
    pub fn new(
        code: &str,
        amount_1000: i64,
        fallback_value: impl Into<String>,
    ) -> Result<Currency, Error> {
        let code =
            rules::currency_code(code).map_err(|v| ValidationError::new("the currency code", v))?;
        let fallback_value = fallback_value.into();
        check(
            &fallback_value,
            rules::check_fallback_value,
            "the currency's fallback value",
        )?;
        Ok(Currency {
            code,
            amount_1000,
            fallback_value,
        })
    }

    /// The ISO 4217 code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The amount times 1000.
    pub fn amount_1000(&self) -> i64 {
        self.amount_1000
    }

    /// The text shown where the client cannot format the amount.
    pub fn fallback_value(&self) -> &str {
        &self.fallback_value
    }

    pub(crate) fn write(&self, out: &mut Vec<u8>, name: Option<&str>) {
        layout::currency_parameter(
            &mut Direct(out),
            name,
            &self.fallback_value,
            self.code,
            self.amount_1000,
        );
    }

    pub(crate) fn len_hint(&self) -> usize {
        112 + self.fallback_value.len()
    }
}

/// A date and time. WhatsApp now shows only its `fallback_value`, as written (Meta: the other
/// date-time fields are ignored).
///
/// ```
/// use kaleyra::DateTime;
/// let delivery = DateTime::new("Tuesday, 3 March, 10:00")?;
/// assert_eq!(delivery.fallback_value(), "Tuesday, 3 March, 10:00");
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DateTime {
    fallback_value: String,
}

impl DateTime {
    /// The text to show (a template text parameter: no newline, tab or more than four spaces
    /// in a row).
    pub fn new(fallback_value: impl Into<String>) -> Result<DateTime, Error> {
        let fallback_value = fallback_value.into();
        check(
            &fallback_value,
            rules::check_fallback_value,
            "the date-time's fallback value",
        )?;
        Ok(DateTime { fallback_value })
    }

    /// The text shown.
    pub fn fallback_value(&self) -> &str {
        &self.fallback_value
    }

    pub(crate) fn write(&self, out: &mut Vec<u8>, name: Option<&str>) {
        layout::date_time_parameter(&mut Direct(out), name, &self.fallback_value);
    }

    pub(crate) fn len_hint(&self) -> usize {
        64 + self.fallback_value.len()
    }
}

/// The parameter of a template's flow button: the flow token and the first screen's data,
/// each optional (WhatsApp's defaults: token "unused", no data).
///
/// ```
/// use kaleyra::FlowButton;
/// let button = FlowButton::new().token("booking-42")?.action_data(&serde_json::json!({"guests": 2}))?;
/// assert!(FlowButton::new().action_data(&[1, 2]).is_err()); // not an object
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FlowButton {
    token: Option<String>,
    /// Compact JSON of an object, checked when set.
    data: Option<String>,
}

impl FlowButton {
    /// A flow button parameter with neither token nor data.
    pub fn new() -> FlowButton {
        FlowButton::default()
    }

    /// The flow token, an identifier of the business's choosing (not empty).
    pub fn token(mut self, token: impl Into<String>) -> Result<FlowButton, Error> {
        let token = token.into();
        check(&token, rules::check_non_empty, "the flow token")?;
        self.token = Some(token);
        Ok(self)
    }

    /// `flow_action_data`: any value that serializes to a JSON object (`{}` is allowed).
    pub fn action_data<T: Serialize + ?Sized>(mut self, data: &T) -> Result<FlowButton, Error> {
        let mut json = Vec::new();
        crate::encode::json_object(&mut json, data, false, "flow_action_data")?;
        // serde_json writes UTF-8; the fallback is unreachable.
        self.data = Some(String::from_utf8(json).unwrap_or_else(|_| "{}".to_owned()));
        Ok(self)
    }

    /// The flow token, if set.
    pub fn get_token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The action data as compact JSON, if set.
    pub fn get_action_data(&self) -> Option<&str> {
        self.data.as_deref()
    }

    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        layout::flow_action(
            &mut Direct(out),
            self.token.as_deref(),
            self.data.as_deref(),
        );
    }

    pub(crate) fn len_hint(&self) -> usize {
        48 + self.token.as_ref().map_or(0, String::len) + self.data.as_ref().map_or(0, String::len)
    }
}

/// The parameter of a multi-product (MPM) button: a thumbnail product and the products to show,
/// in titled sections (1-10 sections, 1-30 products in all, titles of 1-24 characters).
///
/// ```
/// use kaleyra::Mpm;
/// let products = Mpm::new("SKU-1")?
///     .section("Popular", ["SKU-1", "SKU-2"])?
///     .section("New", ["SKU-9"])?;
/// assert_eq!(products.sections().count(), 2);
/// assert!(Mpm::new("SKU-1")?.section("Empty", Vec::<String>::new()).is_err());
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mpm {
    thumbnail: String,
    sections: Vec<(String, Vec<String>)>,
}

impl Mpm {
    /// The product shown as the message's thumbnail, by its retailer id.
    pub fn new(thumbnail_product_retailer_id: impl Into<String>) -> Result<Mpm, Error> {
        let thumbnail = thumbnail_product_retailer_id.into();
        check(
            &thumbnail,
            rules::check_non_empty,
            "the thumbnail product retailer id",
        )?;
        Ok(Mpm {
            thumbnail,
            sections: Vec::new(),
        })
    }

    /// Adds a section: its title and its products' retailer ids.
    pub fn section<P: Into<String>>(
        mut self,
        title: impl Into<String>,
        products: impl IntoIterator<Item = P>,
    ) -> Result<Mpm, Error> {
        let products: Vec<String> = products.into_iter().map(Into::into).collect();
        for product in &products {
            check(product, rules::check_non_empty, "a product retailer id")?;
        }
        self.sections.push((title.into(), products));
        self.check()?;
        Ok(self)
    }

    /// The thumbnail's product retailer id.
    pub fn thumbnail(&self) -> &str {
        &self.thumbnail
    }

    /// The sections: each title and its products' retailer ids.
    pub fn sections(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.sections
            .iter()
            .map(|(t, p)| (t.as_str(), p.as_slice()))
    }

    /// The sections rule (also checked when sending: a button needs at least one section).
    pub(crate) fn check(&self) -> Result<(), Error> {
        self.sections_rule()
            .map_err(|v| ValidationError::new("the multi-product button", v).into())
    }

    /// [`rules::check_mpm_sections`] over these sections.
    pub(crate) fn sections_rule(&self) -> Result<(), Violation> {
        let shape: Vec<(&str, usize)> = self
            .sections
            .iter()
            .map(|(t, p)| (t.as_str(), p.len()))
            .collect();
        rules::check_mpm_sections(&shape)
    }

    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        layout::mpm_action(&mut Direct(out), &self.thumbnail, self.sections());
    }

    pub(crate) fn len_hint(&self) -> usize {
        let sections: usize = self
            .sections
            .iter()
            .map(|(t, p)| 40 + t.len() + p.iter().map(|p| p.len() + 28).sum::<usize>())
            .sum();
        64 + self.thumbnail.len() + sections
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(write: impl FnOnce(&mut Vec<u8>)) -> serde_json::Value {
        let mut out = Vec::new();
        write(&mut out);
        serde_json::from_slice(&out).expect("a parameter object is JSON")
    }

    #[test]
    fn media_objects() {
        let doc = Media::document_link("https://example.com/i.pdf")
            .unwrap()
            .filename("Invoice \"42\".pdf")
            .unwrap();
        assert_eq!(
            written(|o| doc.write(o)),
            serde_json::json!({"type": "document", "document": {
                "link": "https://example.com/i.pdf", "filename": "Invoice \"42\".pdf"}})
        );
        let video = Media::video_id("4621").unwrap();
        assert_eq!(
            written(|o| video.write(o)),
            serde_json::json!({"type": "video", "video": {"id": "4621"}})
        );
        assert!(
            Media::image_link("https://example.com/a.jpg")
                .unwrap()
                .filename("a.jpg")
                .is_err()
        );
        assert!(Media::image_id("").is_err());
    }

    #[test]
    fn location_currency_date() {
        let place = Location::new(12.5, -77.25)
            .unwrap()
            .name("Shop")
            .address("");
        assert_eq!(
            written(|o| place.write(o)),
            serde_json::json!({"type": "location", "location": {
                "latitude": 12.5, "longitude": -77.25, "name": "Shop"}})
        );
        let money = Currency::new("USD", -100_990, "-$100.99").unwrap();
        assert_eq!(
            written(|o| money.write(o, Some("total"))),
            serde_json::json!({"type": "currency", "parameter_name": "total", "currency": {
                "fallback_value": "-$100.99", "code": "USD", "amount_1000": -100_990}})
        );
        assert!(Currency::new("USD", 1, "a\nb").is_err());
        let date = DateTime::new("February 25, 1977").unwrap();
        assert_eq!(
            written(|o| date.write(o, None)),
            serde_json::json!({"type": "date_time", "date_time": {"fallback_value": "February 25, 1977"}})
        );
    }

    #[test]
    fn button_actions() {
        assert_eq!(
            written(|o| FlowButton::new().write(o)),
            serde_json::json!({})
        );
        let flow = FlowButton::new()
            .token("t")
            .unwrap()
            .action_data(&serde_json::json!({"a": [1]}))
            .unwrap();
        assert_eq!(
            written(|o| flow.write(o)),
            serde_json::json!({"flow_token": "t", "flow_action_data": {"a": [1]}})
        );
        let mpm = Mpm::new("S1")
            .unwrap()
            .section("Top", ["S1", "S2"])
            .unwrap();
        assert_eq!(
            written(|o| mpm.write(o)),
            serde_json::json!({"thumbnail_product_retailer_id": "S1", "sections": [
                {"title": "Top", "product_items": [
                    {"product_retailer_id": "S1"}, {"product_retailer_id": "S2"}]}]})
        );
        assert!(Mpm::new("S1").unwrap().check().is_err(), "no section");
    }
}
