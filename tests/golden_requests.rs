//! Golden bodies of the location request, the address request and the contacts message
//! (issue 15), also as contextual replies.
//!
//! Every expected body was written by hand from the request templates of
//! `kaleyra-docs/v2-session-flows-templates.md` §1.8-§1.10 (Kaleyra's pages; Meta's shapes
//! and literal values where they are silent, as the facts file labels them), the
//! placeholders filled with concrete values; never from the code's output. Where the library
//! differs from a template, a comment says why. Two comparisons each, as in
//! tests/golden_session.rs: the JSON value, and the exact bytes (`preserve_order` keeps the key
//! order written here).

use kaleyra::callback::Callback;
use kaleyra::prelude::*;
use kaleyra::session::{
    AddressField, AddressRequest, ContactAddress, ContactCard, ContactKind, ContactUrl, Contacts,
    Email, LocationRequest, Phone, PhoneKind, SavedAddress,
};
use kaleyra::{MessageKind, Route};
use serde_json::{Value, json};

const TO: &str = "+919876543210";
const WAMID: &str = "wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgUM0VCMEQ4QzQ4RjE2";

fn parse(doc: &str) -> Value {
    serde_json::from_str(doc).expect("the expected body is JSON")
}

fn assert_golden(message: &Message, expected: &Value) {
    assert_eq!(
        message.to_json(),
        *expected,
        "\n  got: {}\n want: {}",
        message.as_str(),
        expected
    );
    assert_eq!(
        message.as_str(),
        serde_json::to_string(expected).unwrap(),
        "same keys, same order, compact"
    );
    assert_eq!(message.kind(), MessageKind::Session);
    assert_eq!(message.route(), Route::Sender);
}

#[test]
fn location_request() {
    // §1.8's template, with Meta's literal values ([INFERRED / META]): `interactive.type`
    // "location_request_message", `action.name` "send_location". The template lists `type`
    // before `to`; the library writes `to` then `type` on every session message (JSON members
    // have no order; one order for all). Kaleyra's stray spaces inside the placeholders are
    // not values.
    let expected = parse(
        r#"{"messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "interactive",
            "interactive": {
              "type": "location_request_message",
              "body": { "text": "Let us start with your pickup. You can either manually *enter an address* or *share your current location*." },
              "action": { "name": "send_location" }
            }
        }}"#,
    );
    let ask = LocationRequest::new(
        "Let us start with your pickup. You can either manually *enter an address* or *share your current location*.",
    )
    .unwrap();
    assert_golden(&ask.to(TO).unwrap(), &expected);
}

#[test]
fn address_request() {
    // §1.9's template (the missing comma after `body` added, as the facts file does), with
    // Meta's values: `interactive.type` and `action.name` "address_message", `country` "IN".
    let expected = parse(
        r#"{"messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "interactive",
            "interactive": {
              "type": "address_message",
              "body": { "text": "Thanks for your order! Tell us what address you'd like this order delivered to." },
              "action": {
                "name": "address_message",
                "parameters": { "country": "IN" }
              }
            }
        }}"#,
    );
    let ask = AddressRequest::new(
        "Thanks for your order! Tell us what address you'd like this order delivered to.",
    )
    .unwrap();
    assert_golden(&ask.to(TO).unwrap(), &expected);
}

#[test]
fn address_request_with_values_saved_addresses_and_errors() {
    // §1.9 [META]: `values` pre-fills the form, `saved_addresses` is `[{id, value:{…}}]`,
    // `validation_errors` maps a field to a message; the India field keys. Written in the
    // order country, values, saved_addresses, validation_errors, the fields of each in
    // Meta's list order (name, phone_number, in_pin_code, …, city, state) whatever the order
    // they were set in.
    let expected = parse(
        r#"{"messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "interactive",
            "interactive": {
              "type": "address_message",
              "body": { "text": "Please correct your pin code" },
              "action": {
                "name": "address_message",
                "parameters": {
                  "country": "IN",
                  "values": {
                    "name": "Asha Rao",
                    "phone_number": "+919876543210",
                    "in_pin_code": "666666",
                    "house_number": "12",
                    "building_name": "Lake View",
                    "address": "80 Feet Rd",
                    "landmark_area": "Koramangala",
                    "city": "Bengaluru",
                    "state": "Karnataka"
                  },
                  "saved_addresses": [
                    { "id": "home", "value": { "name": "Asha Rao", "in_pin_code": "560034", "city": "Bengaluru" } },
                    { "id": "office", "value": { "address": "1 MG Road", "city": "Bengaluru" } }
                  ],
                  "validation_errors": { "in_pin_code": "We could not locate this pin code." }
                }
              }
            }
        }}"#,
    );
    let ask = AddressRequest::new("Please correct your pin code")
        .unwrap()
        .value(AddressField::State, "Karnataka")
        .unwrap()
        .value(AddressField::Name, "Asha Rao")
        .unwrap()
        .value(AddressField::PhoneNumber, "+919876543210")
        .unwrap()
        .value(AddressField::InPinCode, "560001")
        .unwrap()
        .value(AddressField::InPinCode, "666666") // replaces the value set before
        .unwrap()
        .value(AddressField::HouseNumber, "12")
        .unwrap()
        .value(AddressField::BuildingName, "Lake View")
        .unwrap()
        .value(AddressField::Address, "80 Feet Rd")
        .unwrap()
        .value(AddressField::LandmarkArea, "Koramangala")
        .unwrap()
        .value(AddressField::City, "Bengaluru")
        .unwrap()
        .saved_address(
            SavedAddress::new("home")
                .unwrap()
                .value(AddressField::City, "Bengaluru")
                .unwrap()
                .value(AddressField::Name, "Asha Rao")
                .unwrap()
                .value(AddressField::InPinCode, "560034")
                .unwrap(),
        )
        .unwrap()
        .saved_address(
            SavedAddress::new("office")
                .unwrap()
                .value(AddressField::Address, "1 MG Road")
                .unwrap()
                .value(AddressField::City, "Bengaluru")
                .unwrap(),
        )
        .unwrap()
        .validation_error(
            AddressField::InPinCode,
            "We could not locate this pin code.",
        )
        .unwrap();
    assert_golden(&ask.to(TO).unwrap(), &expected);
}

#[test]
fn contacts() {
    // §1.10's template: its visible part (`addresses` with two entries, `birthday`, `emails`)
    // with the v1 page's sample values, then Meta's `name`, `org`, `phones` (with `wa_id`),
    // `urls`, in the template's (alphabetical) key order. The template has no
    // `recipient_type`; the library writes it on every message. **Choice**: `type` values
    // are Meta's upper-case ones (`HOME`, `WORK`, `CELL`; the v1 sample shows "HOME"), where
    // the v2 template's placeholders read "home" and "work". `birthday` is Meta's YYYY-MM-DD.
    let expected = parse(
        r#"{"messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "contacts",
            "contacts": [
              {
                "addresses": [
                  { "street": "1 Hacker Way", "city": "Menlo Park", "state": "CA", "zip": "94025",
                    "country": "United States", "country_code": "us", "type": "HOME" },
                  { "street": "200 Jefferson Dr", "city": "Menlo Park", "state": "CA", "zip": "94025",
                    "country": "United States", "country_code": "us", "type": "WORK" }
                ],
                "birthday": "2012-08-18",
                "emails": [
                  { "email": "test@fb.com", "type": "WORK" },
                  { "email": "test@whatsapp.com", "type": "HOME" }
                ],
                "name": {
                  "formatted_name": "John Smith",
                  "first_name": "John",
                  "last_name": "Smith",
                  "middle_name": "D.",
                  "suffix": "Jr",
                  "prefix": "Dr"
                },
                "org": { "company": "WhatsApp", "department": "Design", "title": "Manager" },
                "phones": [
                  { "phone": "+1 (940) 555-1234", "type": "HOME" },
                  { "phone": "+1 (650) 555-1234", "type": "WORK", "wa_id": "16505551234" }
                ],
                "urls": [
                  { "url": "https://www.facebook.com", "type": "WORK" },
                  { "url": "https://www.whatsapp.com", "type": "HOME" }
                ]
              },
              {
                "name": { "formatted_name": "Kaleyra Support", "first_name": "Support" },
                "phones": [ { "phone": "+91 80 4000 1000" } ]
              }
            ]
        }}"#,
    );
    let address = |street: &str, kind| {
        ContactAddress::new()
            .street(street)
            .city("Menlo Park")
            .state("CA")
            .zip("94025")
            .country("United States")
            .country_code("us")
            .kind(kind)
    };
    let john = ContactCard::new("John Smith")
        .first_name("John")
        .last_name("Smith")
        .middle_name("D.")
        .suffix("Jr")
        .prefix("Dr")
        .company("WhatsApp")
        .department("Design")
        .title("Manager")
        .address(address("1 Hacker Way", ContactKind::Home))
        .unwrap()
        .address(address("200 Jefferson Dr", ContactKind::Work))
        .unwrap()
        .birthday("2012-08-18")
        .unwrap()
        .email(Email::new("test@fb.com").kind(ContactKind::Work))
        .unwrap()
        .email(Email::new("test@whatsapp.com").kind(ContactKind::Home))
        .unwrap()
        .phone(Phone::new("+1 (940) 555-1234").kind(PhoneKind::Home))
        .unwrap()
        .phone(
            Phone::new("+1 (650) 555-1234")
                .kind(PhoneKind::Work)
                .wa_id("16505551234"),
        )
        .unwrap()
        .url(ContactUrl::new("https://www.facebook.com").kind(ContactKind::Work))
        .unwrap()
        .url(ContactUrl::new("https://www.whatsapp.com").kind(ContactKind::Home))
        .unwrap();
    let desk = ContactCard::new("Kaleyra Support")
        .first_name("Support")
        .phone("+91 80 4000 1000")
        .unwrap();
    assert_golden(
        &Contacts::new([john, desk]).unwrap().to(TO).unwrap(),
        &expected,
    );
}

/// A customer's text as Kaleyra posts it (v2-more-facts.md §3.4), from `919876543210`.
fn incoming_callback() -> Vec<u8> {
    json!({
        "meta_object": {
            "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550001234", "phone_number_id": "1"},
                "contacts": [{"profile": {"name": "Sam"}, "wa_id": "919876543210"}],
                "messages": [{
                    "from": "919876543210",
                    "id": WAMID,
                    "timestamp": "1722863329",
                    "type": "text",
                    "text": {"body": "Please deliver it"}
                }]
            },
            "field": "messages"
        },
        "extra_info": {"trace_id": "cb94fee2-3e70-4c1a-944a-2a4000adb90a", "waba_id": "347000000000069"}
    })
    .to_string()
    .into_bytes()
}

#[test]
fn requests_and_contacts_as_contextual_replies() {
    // §1.3: `context.message_id` after `recipient_type`, on any session type; `to` the sender.
    let body = incoming_callback();
    let callback = Callback::from_slice(&body).expect("a customer's message");
    let incoming = callback.messages().first().expect("one message");

    let expected = parse(&format!(
        r#"{{"messaging_object": {{
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "context": {{ "message_id": "{WAMID}" }},
            "to": "+919876543210",
            "type": "interactive",
            "interactive": {{
              "type": "address_message",
              "body": {{ "text": "Where to?" }},
              "action": {{ "name": "address_message", "parameters": {{ "country": "IN" }} }}
            }}
        }}}}"#
    ));
    let reply = incoming
        .reply(AddressRequest::new("Where to?").unwrap())
        .unwrap();
    assert_golden(&reply, &expected);

    let expected = parse(&format!(
        r#"{{"messaging_object": {{
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "context": {{ "message_id": "{WAMID}" }},
            "to": "+919876543210",
            "type": "interactive",
            "interactive": {{
              "type": "location_request_message",
              "body": {{ "text": "Share your location" }},
              "action": {{ "name": "send_location" }}
            }}
        }}}}"#
    ));
    let reply = incoming
        .reply(LocationRequest::new("Share your location").unwrap())
        .unwrap();
    assert_golden(&reply, &expected);

    let expected = parse(&format!(
        r#"{{"messaging_object": {{
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "context": {{ "message_id": "{WAMID}" }},
            "to": "+919876543210",
            "type": "contacts",
            "contacts": [ {{ "name": {{ "formatted_name": "Asha Rao", "last_name": "Rao" }} }} ]
        }}}}"#
    ));
    let card = ContactCard::new("Asha Rao").last_name("Rao");
    let reply = incoming.reply(Contacts::new([card]).unwrap()).unwrap();
    assert_golden(&reply, &expected);
}

#[test]
fn extra_info_follows_the_message() {
    // §0.2: `extra_info` beside `messaging_object`, as on every send.
    let expected = parse(
        r#"{"messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": "+919876543210",
            "type": "interactive",
            "interactive": {
              "type": "location_request_message",
              "body": { "text": "Where are you?" },
              "action": { "name": "send_location" }
            }
          },
          "extra_info": { "ref": "pickup-7" }
        }"#,
    );
    let message = LocationRequest::new("Where are you?")
        .unwrap()
        .to(TO)
        .unwrap()
        .extra_info(ExtraInfo::new().reference("pickup-7"));
    assert_golden(&message, &expected);
}
