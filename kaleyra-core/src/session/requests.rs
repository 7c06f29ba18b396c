//! Location and address requests and contact cards (issue 15): [`LocationRequest`],
//! [`AddressRequest`] and [`Contacts`] of [`ContactCard`]s. Like the other session messages,
//! each is checked when built and `.to(…)` gives the [`Message`](crate::Message) that
//! `Client::send` sends; the bodies are written by [`crate::layout::Session`].
//!
//! README's "Asking for a location or an address, sending contact cards" example, compiled:
//!
//! ```no_run
//! use kaleyra::callback::IncomingMessage;
//! use kaleyra::prelude::*;
//! use kaleyra::session::{
//!     AddressField, AddressRequest, ContactCard, Contacts, LocationRequest, Phone, PhoneKind,
//!     SavedAddress,
//! };
//!
//! async fn ask(client: &Client, incoming: &IncomingMessage<'_>) -> Result<(), Error> {
//!     let pickup = LocationRequest::new("Where should we pick up the parcel?")?;
//!     client.send(&incoming.reply(pickup)?).await?;
//!
//!     let address = AddressRequest::new("Where should we deliver your order?")?
//!         .value(AddressField::Name, "Asha Rao")?
//!         .saved_address(SavedAddress::new("home")?.value(AddressField::InPinCode, "560034")?)?;
//!     client.send(&address.to("+919876543210")?).await?;
//!
//!     let desk = ContactCard::new("Kaleyra Support")
//!         .first_name("Support")
//!         .phone(Phone::new("+91 80 4000 1000").kind(PhoneKind::Work).wa_id("918040001000"))?
//!         .email("support@example.com")?;
//!     client.send(&Contacts::new([desk])?.to("+919876543210")?).await?;
//!     assert!(Contacts::new([ContactCard::new("Asha")]).is_err()); // a name part is needed
//!     Ok(())
//! }
//! ```

use std::collections::BTreeMap;

use super::{SessionMessage, check, write};
use crate::error::{Error, ValidationError};
use crate::layout::SessionContent;
use crate::message::{Encode, MessageKind};
use crate::rules::{self, Violation};

/// A location request (facts §1.8): a body and WhatsApp's "Send location" button; the
/// customer's answer arrives as an incoming location message.
///
/// ```
/// use kaleyra::prelude::*;
/// use kaleyra::session::LocationRequest;
///
/// let ask = LocationRequest::new("Where should we pick up the parcel?")?.to("+919876543210")?;
/// let json = ask.to_json();
/// assert_eq!(json["messaging_object"]["interactive"]["type"], "location_request_message");
/// assert_eq!(json["messaging_object"]["interactive"]["action"]["name"], "send_location");
/// assert!(LocationRequest::new("").is_err());
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationRequest {
    body: String,
}

impl LocationRequest {
    /// A request with a body of 1-1024 characters (Meta's interactive body).
    pub fn new(body: impl Into<String>) -> Result<LocationRequest, Error> {
        let body = body.into();
        check(
            &body,
            rules::check_request_body,
            "the location request body",
        )?;
        Ok(LocationRequest { body })
    }

    /// The body.
    pub fn body(&self) -> &str {
        &self.body
    }

    fn content(&self) -> SessionContent<'_> {
        SessionContent::LocationRequest { body: &self.body }
    }
}

session_message!(LocationRequest, |r| r.body.len() + 120);

/// A field of WhatsApp's Indian address form (facts §1.9, Meta), for an [`AddressRequest`]'s
/// pre-filled values, saved addresses and validation errors. Written as Meta's key
/// ([`AddressField::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AddressField {
    /// `name`: the recipient's name.
    Name,
    /// `phone_number`.
    PhoneNumber,
    /// `in_pin_code`: the Indian PIN code.
    InPinCode,
    /// `house_number`.
    HouseNumber,
    /// `floor_number`.
    FloorNumber,
    /// `tower_number`.
    TowerNumber,
    /// `building_name`.
    BuildingName,
    /// `address`: the street address.
    Address,
    /// `landmark_area`.
    LandmarkArea,
    /// `city`.
    City,
    /// `state`.
    State,
}

impl AddressField {
    /// Every field, in Meta's order (the order they are written in).
    pub const ALL: [AddressField; 11] = [
        AddressField::Name,
        AddressField::PhoneNumber,
        AddressField::InPinCode,
        AddressField::HouseNumber,
        AddressField::FloorNumber,
        AddressField::TowerNumber,
        AddressField::BuildingName,
        AddressField::Address,
        AddressField::LandmarkArea,
        AddressField::City,
        AddressField::State,
    ];

    /// Meta's key, e.g. `"in_pin_code"` ([`rules::ADDRESS_FIELDS`]).
    pub const fn as_str(self) -> &'static str {
        rules::ADDRESS_FIELDS[self as usize]
    }
}

/// Values of the address form, each field at most once, written in Meta's field order.
pub(crate) type AddressValues = BTreeMap<AddressField, String>;

fn set_value(
    values: &mut AddressValues,
    field: AddressField,
    value: String,
    what: &'static str,
) -> Result<(), Error> {
    check(&value, rules::check_address_text, what)?;
    values.insert(field, value);
    Ok(())
}

/// An address the customer saved before, offered for confirmation in an [`AddressRequest`]
/// (Meta: `saved_addresses[{"id", "value": {…}}]`).
///
/// ```
/// use kaleyra::session::{AddressField, SavedAddress};
///
/// let home = SavedAddress::new("home")?
///     .value(AddressField::Name, "Asha Rao")?
///     .value(AddressField::City, "Bengaluru")?;
/// assert_eq!(home.id(), "home");
/// assert!(SavedAddress::new("").is_err());
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedAddress {
    pub(crate) id: String,
    pub(crate) values: AddressValues,
}

impl SavedAddress {
    /// A saved address with this id (not empty; unique within the request), its values to
    /// follow.
    pub fn new(id: impl Into<String>) -> Result<SavedAddress, Error> {
        let id = id.into();
        check(&id, rules::check_address_text, "the saved address id")?;
        Ok(SavedAddress {
            id,
            values: AddressValues::new(),
        })
    }

    /// Sets a field (not empty), replacing a value set before.
    pub fn value(mut self, field: AddressField, value: impl Into<String>) -> Result<Self, Error> {
        set_value(
            &mut self.values,
            field,
            value.into(),
            "a saved address value",
        )?;
        Ok(self)
    }

    /// The id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The value of a field, if set.
    pub fn get(&self, field: AddressField) -> Option<&str> {
        self.values.get(&field).map(String::as_str)
    }
}

/// An address request (facts §1.9): asks the customer for a delivery address with WhatsApp's
/// address form. India only (Meta): the country is always `"IN"`. The form may be pre-filled
/// ([`value`](Self::value)), offer addresses the customer saved
/// ([`saved_address`](Self::saved_address)), or come back with errors on the fields the
/// business could not accept ([`validation_error`](Self::validation_error)). The answer
/// arrives as an `nfm_reply` named `address_message`.
///
/// ```
/// use kaleyra::prelude::*;
/// use kaleyra::session::{AddressField, AddressRequest, SavedAddress};
///
/// let ask = AddressRequest::new("Where should we deliver your order?")?
///     .value(AddressField::Name, "Asha Rao")?
///     .saved_address(SavedAddress::new("home")?.value(AddressField::InPinCode, "560034")?)?
///     .to("+919876543210")?;
/// let parameters = &ask.to_json()["messaging_object"]["interactive"]["action"]["parameters"];
/// assert_eq!(parameters["country"], "IN");
/// assert_eq!(parameters["values"]["name"], "Asha Rao");
/// assert_eq!(parameters["saved_addresses"][0]["value"]["in_pin_code"], "560034");
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressRequest {
    pub(crate) body: String,
    pub(crate) values: AddressValues,
    pub(crate) saved: Vec<SavedAddress>,
    pub(crate) errors: AddressValues,
}

impl AddressRequest {
    /// A request with a body of 1-1024 characters (Meta's interactive body).
    pub fn new(body: impl Into<String>) -> Result<AddressRequest, Error> {
        let body = body.into();
        check(&body, rules::check_request_body, "the address request body")?;
        Ok(AddressRequest {
            body,
            values: AddressValues::new(),
            saved: Vec::new(),
            errors: AddressValues::new(),
        })
    }

    /// Pre-fills a field of the form (not empty), replacing a value set before (Meta:
    /// `parameters.values`).
    pub fn value(mut self, field: AddressField, value: impl Into<String>) -> Result<Self, Error> {
        set_value(&mut self.values, field, value.into(), "an address value")?;
        Ok(self)
    }

    /// Offers an address the customer saved (Meta: `parameters.saved_addresses`): with at
    /// least one value, its id not used by another one.
    pub fn saved_address(mut self, address: SavedAddress) -> Result<Self, Error> {
        if address.values.is_empty() {
            return Err(ValidationError::new(
                "the saved address",
                Violation::Invalid {
                    reason: "a saved address needs at least one value",
                },
            )
            .into());
        }
        if self.saved.iter().any(|a| a.id == address.id) {
            return Err(ValidationError::new(
                "the saved address id",
                Violation::Duplicate {
                    what: "saved address id",
                    value: address.id,
                },
            )
            .into());
        }
        self.saved.push(address);
        Ok(self)
    }

    /// Marks a field as refused, with the message the customer sees under it (not empty;
    /// Meta: `parameters.validation_errors`), replacing one set before. Usually sent with the
    /// values the customer gave, so that they correct only that field.
    pub fn validation_error(
        mut self,
        field: AddressField,
        message: impl Into<String>,
    ) -> Result<Self, Error> {
        set_value(
            &mut self.errors,
            field,
            message.into(),
            "an address validation error",
        )?;
        Ok(self)
    }

    /// The body.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The pre-filled value of a field, if set.
    pub fn get(&self, field: AddressField) -> Option<&str> {
        self.values.get(&field).map(String::as_str)
    }

    /// The saved addresses offered, in the order given.
    pub fn saved_addresses(&self) -> &[SavedAddress] {
        &self.saved
    }

    fn content(&self) -> SessionContent<'_> {
        SessionContent::AddressRequest(self)
    }

    fn len_hint(&self) -> usize {
        let values = |v: &AddressValues| v.values().map(|s| s.len() + 20).sum::<usize>();
        self.body.len()
            + 160
            + values(&self.values)
            + values(&self.errors)
            + self
                .saved
                .iter()
                .map(|a| a.id.len() + 24 + values(&a.values))
                .sum::<usize>()
    }
}

session_message!(AddressRequest, AddressRequest::len_hint);

/// The `type` of a contact's phone (Meta).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhoneKind {
    /// `CELL`.
    Cell,
    /// `MAIN`.
    Main,
    /// `IPHONE`.
    Iphone,
    /// `HOME`.
    Home,
    /// `WORK`.
    Work,
}

impl PhoneKind {
    /// Meta's value, e.g. `"CELL"` ([`rules::CONTACT_PHONE_TYPES`]).
    pub const fn as_str(self) -> &'static str {
        rules::CONTACT_PHONE_TYPES[self as usize]
    }
}

/// The `type` of a contact's address, email or URL (Meta).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactKind {
    /// `HOME`.
    Home,
    /// `WORK`.
    Work,
}

impl ContactKind {
    /// Meta's value, `"HOME"` or `"WORK"` ([`rules::CONTACT_TYPES`]).
    pub const fn as_str(self) -> &'static str {
        rules::CONTACT_TYPES[self as usize]
    }
}

/// A phone number on a [`ContactCard`]: the number as shown, its kind, and the WhatsApp id
/// that makes WhatsApp show "Message" (Meta: `{"phone", "type", "wa_id"}`). A `&str` or
/// `String` is a phone without kind or id. Checked by [`ContactCard::phone`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    pub(crate) phone: String,
    pub(crate) kind: Option<PhoneKind>,
    pub(crate) wa_id: Option<String>,
}

impl Phone {
    /// The number as the card shows it, e.g. `"+91 98765 43210"`.
    pub fn new(phone: impl Into<String>) -> Phone {
        Phone {
            phone: phone.into(),
            kind: None,
            wa_id: None,
        }
    }

    /// Its kind.
    #[must_use]
    pub fn kind(mut self, kind: PhoneKind) -> Phone {
        self.kind = Some(kind);
        self
    }

    /// Its WhatsApp id: the digits without `+` (`919876543210`).
    #[must_use]
    pub fn wa_id(mut self, wa_id: impl Into<String>) -> Phone {
        self.wa_id = Some(wa_id.into());
        self
    }
}

impl From<&str> for Phone {
    fn from(phone: &str) -> Phone {
        Phone::new(phone)
    }
}

impl From<String> for Phone {
    fn from(phone: String) -> Phone {
        Phone::new(phone)
    }
}

/// An email address on a [`ContactCard`] (Meta: `{"email", "type"}`). A `&str` or `String`
/// is an address without kind. Checked by [`ContactCard::email`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub(crate) email: String,
    pub(crate) kind: Option<ContactKind>,
}

impl Email {
    /// The address.
    pub fn new(email: impl Into<String>) -> Email {
        Email {
            email: email.into(),
            kind: None,
        }
    }

    /// Its kind.
    #[must_use]
    pub fn kind(mut self, kind: ContactKind) -> Email {
        self.kind = Some(kind);
        self
    }
}

impl From<&str> for Email {
    fn from(email: &str) -> Email {
        Email::new(email)
    }
}

impl From<String> for Email {
    fn from(email: String) -> Email {
        Email::new(email)
    }
}

/// A web address on a [`ContactCard`] (Meta: `{"url", "type"}`). A `&str` or `String` is a
/// URL without kind. Checked by [`ContactCard::url`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactUrl {
    pub(crate) url: String,
    pub(crate) kind: Option<ContactKind>,
}

impl ContactUrl {
    /// The URL (`http://` or `https://`).
    pub fn new(url: impl Into<String>) -> ContactUrl {
        ContactUrl {
            url: url.into(),
            kind: None,
        }
    }

    /// Its kind.
    #[must_use]
    pub fn kind(mut self, kind: ContactKind) -> ContactUrl {
        self.kind = Some(kind);
        self
    }
}

impl From<&str> for ContactUrl {
    fn from(url: &str) -> ContactUrl {
        ContactUrl::new(url)
    }
}

impl From<String> for ContactUrl {
    fn from(url: String) -> ContactUrl {
        ContactUrl::new(url)
    }
}

/// A postal address on a [`ContactCard`] (Meta: `{"street", "city", "state", "zip",
/// "country", "country_code", "type"}`, each optional). Checked by [`ContactCard::address`]:
/// at least one member, none empty, the country code two letters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactAddress {
    pub(crate) street: Option<String>,
    pub(crate) city: Option<String>,
    pub(crate) state: Option<String>,
    pub(crate) zip: Option<String>,
    pub(crate) country: Option<String>,
    pub(crate) country_code: Option<String>,
    pub(crate) kind: Option<ContactKind>,
}

macro_rules! address_setter {
    ($($name:ident: $doc:literal),*) => {
        $(
            #[doc = $doc]
            #[must_use]
            pub fn $name(mut self, value: impl Into<String>) -> ContactAddress {
                self.$name = Some(value.into());
                self
            }
        )*
    };
}

impl ContactAddress {
    /// An address with no member yet.
    pub fn new() -> ContactAddress {
        ContactAddress::default()
    }

    address_setter!(
        street: "The street and number (`street`).",
        city: "The city (`city`).",
        state: "The state (`state`).",
        zip: "The postal code (`zip`).",
        country: "The country's name (`country`).",
        country_code: "The country's two-letter code (`country_code`, e.g. `IN`)."
    );

    /// Its kind.
    #[must_use]
    pub fn kind(mut self, kind: ContactKind) -> ContactAddress {
        self.kind = Some(kind);
        self
    }

    /// The text members in the order they are written, with their keys.
    pub(crate) fn members(&self) -> [(&'static str, Option<&str>); 6] {
        [
            ("street", self.street.as_deref()),
            ("city", self.city.as_deref()),
            ("state", self.state.as_deref()),
            ("zip", self.zip.as_deref()),
            ("country", self.country.as_deref()),
            ("country_code", self.country_code.as_deref()),
        ]
    }
}

/// One contact card of a [`Contacts`] message (facts §1.10, Meta's contact object): a name
/// (`formatted_name` and at least one part), and optionally phones, emails, URLs, postal
/// addresses, an organization and a birthday. Phones, emails, URLs, addresses and the
/// birthday are checked as they are added; the name when [`Contacts::new`] takes the card.
///
/// ```
/// use kaleyra::session::{ContactCard, ContactKind, Email, Phone, PhoneKind};
///
/// let card = ContactCard::new("Asha Rao")
///     .first_name("Asha")
///     .last_name("Rao")
///     .phone("+91 98765 43210")?
///     .phone(Phone::new("+91 80 4000 1000").kind(PhoneKind::Work).wa_id("918040001000"))?
///     .email(Email::new("asha@example.com").kind(ContactKind::Work))?
///     .company("Kaleyra");
/// assert_eq!(card.formatted_name(), "Asha Rao");
/// assert!(ContactCard::new("Asha").phone("asha@example.com").is_err());
/// assert!(ContactCard::new("Asha").birthday("1990-02-30").is_err());
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactCard {
    pub(crate) formatted_name: String,
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    pub(crate) middle_name: Option<String>,
    pub(crate) suffix: Option<String>,
    pub(crate) prefix: Option<String>,
    pub(crate) company: Option<String>,
    pub(crate) department: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) addresses: Vec<ContactAddress>,
    pub(crate) birthday: Option<String>,
    pub(crate) emails: Vec<Email>,
    pub(crate) phones: Vec<Phone>,
    pub(crate) urls: Vec<ContactUrl>,
}

macro_rules! card_setter {
    ($($name:ident: $doc:literal),*) => {
        $(
            #[doc = $doc]
            #[must_use]
            pub fn $name(mut self, value: impl Into<String>) -> ContactCard {
                self.$name = Some(value.into());
                self
            }
        )*
    };
}

impl ContactCard {
    /// A card with the name as WhatsApp shows it (`name.formatted_name`, required by Meta).
    pub fn new(formatted_name: impl Into<String>) -> ContactCard {
        ContactCard {
            formatted_name: formatted_name.into(),
            ..ContactCard::default()
        }
    }

    card_setter!(
        first_name: "The first name (`name.first_name`).",
        last_name: "The last name (`name.last_name`).",
        middle_name: "The middle name (`name.middle_name`).",
        suffix: "The name suffix (`name.suffix`, e.g. `Jr.`).",
        prefix: "The name prefix (`name.prefix`, e.g. `Dr.`).",
        company: "The organization's name (`org.company`).",
        department: "The department (`org.department`).",
        title: "The job title (`org.title`)."
    );

    /// Adds a phone: the number 1-64 characters of digits, spaces and `+ - ( ) .`, the
    /// `wa_id` 1-15 digits.
    pub fn phone(mut self, phone: impl Into<Phone>) -> Result<ContactCard, Error> {
        let phone = phone.into();
        check(
            &phone.phone,
            rules::check_contact_phone,
            "the contact phone",
        )?;
        if let Some(wa_id) = &phone.wa_id {
            check(
                wa_id,
                rules::check_contact_wa_id,
                "the contact phone's wa_id",
            )?;
        }
        self.phones.push(phone);
        Ok(self)
    }

    /// Adds an email address (`name@domain`).
    pub fn email(mut self, email: impl Into<Email>) -> Result<ContactCard, Error> {
        let email = email.into();
        check(&email.email, rules::check_email, "the contact email")?;
        self.emails.push(email);
        Ok(self)
    }

    /// Adds a web address (`http://` or `https://`).
    pub fn url(mut self, url: impl Into<ContactUrl>) -> Result<ContactCard, Error> {
        let url = url.into();
        check(&url.url, rules::check_contact_url, "the contact URL")?;
        self.urls.push(url);
        Ok(self)
    }

    /// Adds a postal address: at least one member, none empty, the country code two letters.
    pub fn address(mut self, address: ContactAddress) -> Result<ContactCard, Error> {
        let members = address.members();
        if members.iter().all(|(_, v)| v.is_none()) {
            return Err(ValidationError::new(
                "the contact address",
                Violation::Invalid {
                    reason: "an address needs at least one of street, city, state, zip, \
                             country, country_code",
                },
            )
            .into());
        }
        for (key, value) in members {
            if let Some(value) = value {
                let rule = if key == "country_code" {
                    rules::check_country_code
                } else {
                    rules::check_contact_text
                };
                rule(value)
                    .map_err(|v| ValidationError::new(format!("the contact address's {key}"), v))?;
            }
        }
        self.addresses.push(address);
        Ok(self)
    }

    /// The birthday, `YYYY-MM-DD` (Meta).
    pub fn birthday(mut self, date: impl Into<String>) -> Result<ContactCard, Error> {
        let date = date.into();
        check(&date, rules::check_birthday, "the contact birthday")?;
        self.birthday = Some(date);
        Ok(self)
    }

    /// The name as WhatsApp shows it.
    pub fn formatted_name(&self) -> &str {
        &self.formatted_name
    }

    /// The name parts in the order they are written, with their keys.
    pub(crate) fn name_parts(&self) -> [(&'static str, Option<&str>); 5] {
        [
            ("first_name", self.first_name.as_deref()),
            ("last_name", self.last_name.as_deref()),
            ("middle_name", self.middle_name.as_deref()),
            ("suffix", self.suffix.as_deref()),
            ("prefix", self.prefix.as_deref()),
        ]
    }

    /// The organization's members in the order they are written, with their keys.
    pub(crate) fn org(&self) -> [(&'static str, Option<&str>); 3] {
        [
            ("company", self.company.as_deref()),
            ("department", self.department.as_deref()),
            ("title", self.title.as_deref()),
        ]
    }

    /// What [`Contacts::new`] checks: the name, and no empty name or organization member.
    fn check(&self, n: usize) -> Result<(), Error> {
        let parts = self.name_parts();
        let given = parts.iter().filter(|(_, v)| v.is_some()).count();
        rules::check_contact_name(&self.formatted_name, given)
            .map_err(|v| ValidationError::new(format!("contact card {n}'s name"), v))?;
        for (key, value) in parts.into_iter().chain(self.org()) {
            if let Some(value) = value {
                rules::check_contact_text(value)
                    .map_err(|v| ValidationError::new(format!("contact card {n}'s {key}"), v))?;
            }
        }
        Ok(())
    }

    fn len_hint(&self) -> usize {
        let opt = |v: &Option<String>| v.as_ref().map_or(0, |s| s.len() + 16);
        64 + self.formatted_name.len()
            + [
                &self.first_name,
                &self.last_name,
                &self.middle_name,
                &self.suffix,
                &self.prefix,
                &self.company,
                &self.department,
                &self.title,
                &self.birthday,
            ]
            .into_iter()
            .map(opt)
            .sum::<usize>()
            + self
                .phones
                .iter()
                .map(|p| p.phone.len() + opt(&p.wa_id) + 32)
                .sum::<usize>()
            + self
                .emails
                .iter()
                .map(|e| e.email.len() + 32)
                .sum::<usize>()
            + self.urls.iter().map(|u| u.url.len() + 32).sum::<usize>()
            + self
                .addresses
                .iter()
                .map(|a| {
                    a.members()
                        .iter()
                        .map(|(_, v)| v.map_or(0, |v| v.len() + 16))
                        .sum::<usize>()
                        + 24
                })
                .sum::<usize>()
    }
}

/// A contacts message (facts §1.10): 1-257 contact cards (fewer are recommended).
///
/// ```
/// use kaleyra::prelude::*;
/// use kaleyra::session::{ContactCard, Contacts};
///
/// let desk = ContactCard::new("Kaleyra Support").first_name("Support").phone("+91 80 4000 1000")?;
/// let message = Contacts::new([desk])?.to("+919876543210")?;
/// assert_eq!(message.to_json()["messaging_object"]["contacts"][0]["name"]["formatted_name"], "Kaleyra Support");
/// assert!(Contacts::new([]).is_err());
/// assert!(Contacts::new([ContactCard::new("No parts")]).is_err()); // a first or last name is needed
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contacts {
    cards: Vec<ContactCard>,
}

impl Contacts {
    /// The cards, 1-257 of them, each with a formatted name and at least one name part
    /// (Meta), no name or organization member empty.
    pub fn new(cards: impl IntoIterator<Item = ContactCard>) -> Result<Contacts, Error> {
        let cards: Vec<ContactCard> = cards.into_iter().collect();
        check_count(cards.len())?;
        for (i, card) in cards.iter().enumerate() {
            card.check(i + 1)?;
        }
        Ok(Contacts { cards })
    }

    /// The cards.
    pub fn cards(&self) -> &[ContactCard] {
        &self.cards
    }

    fn content(&self) -> SessionContent<'_> {
        SessionContent::Contacts { cards: &self.cards }
    }
}

fn check_count(n: usize) -> Result<(), Error> {
    rules::check_contact_count(n).map_err(|v| ValidationError::new("the contacts", v).into())
}

session_message!(Contacts, |c| c
    .cards
    .iter()
    .map(ContactCard::len_hint)
    .sum::<usize>());
