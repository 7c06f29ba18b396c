//! Location requests, address requests and contacts over HTTP against the simulator (issue 15):
//! each accepted (also as a contextual reply); each malformed one refused before sending with
//! a typed `Error::Validation` naming the value; the simulator refusing malformed bodies posted
//! raw with WA400, naming the member.

#![cfg(feature = "mock")]

use kaleyra::callback::{Callback, IncomingMessage};
use kaleyra::mock::{Incoming, MockServer};
use kaleyra::prelude::*;
use kaleyra::session::{
    AddressField, AddressRequest, ContactAddress, ContactCard, ContactKind, ContactUrl, Contacts,
    Email, LocationRequest, Phone, PhoneKind, SavedAddress,
};
use kaleyra::{RateLimit, rules::Violation};
use serde_json::{Value, json};
use tokio::net::TcpListener;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CUSTOMER: &str = "+919876543210";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .rate_limit(RateLimit::off())
        .build()
        .expect("client configuration")
}

fn full_card() -> Result<ContactCard, Error> {
    ContactCard::new("Asha Rao")
        .first_name("Asha")
        .last_name("Rao")
        .prefix("Dr")
        .company("Kaleyra")
        .department("Support")
        .title("Lead")
        .phone("+91 98765 43210")?
        .phone(
            Phone::new("+91 80 4000 1000")
                .kind(PhoneKind::Work)
                .wa_id("918040001000"),
        )?
        .email(Email::new("asha@example.com").kind(ContactKind::Work))?
        .url(ContactUrl::new("https://example.com").kind(ContactKind::Work))?
        .address(
            ContactAddress::new()
                .street("80 Feet Rd")
                .city("Bengaluru")
                .state("KA")
                .zip("560034")
                .country("India")
                .country_code("IN")
                .kind(ContactKind::Home),
        )?
        .birthday("1990-04-12")
}

fn every_request() -> Result<Vec<Message>, Error> {
    Ok(vec![
        LocationRequest::new("Where should we pick up the parcel?")?.to(CUSTOMER)?,
        AddressRequest::new("Where should we deliver?")?.to(CUSTOMER)?,
        AddressRequest::new("Please check your pin code")?
            .value(AddressField::Name, "Asha Rao")?
            .value(AddressField::InPinCode, "666666")?
            .saved_address(
                SavedAddress::new("home")?
                    .value(AddressField::City, "Bengaluru")?
                    .value(AddressField::InPinCode, "560034")?,
            )?
            .validation_error(AddressField::InPinCode, "We do not deliver there")?
            .to(CUSTOMER)?,
        Contacts::new([full_card()?])?.to(CUSTOMER)?,
        Contacts::new(
            (0..257).map(|n| ContactCard::new(format!("Desk {n}")).first_name(format!("Desk {n}"))),
        )?
        .to(CUSTOMER)?,
    ])
}

#[tokio::test]
async fn every_request_type_is_accepted() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    for message in every_request()? {
        let accepted = client.send(&message).await;
        assert!(accepted.is_ok(), "{message:?}: {accepted:?}");
    }
    let received = server.received();
    assert_eq!(received.len(), every_request()?.len());
    assert!(
        received.iter().all(|r| r.status == 202),
        "{:?}",
        received.iter().map(|r| &r.refusal).collect::<Vec<_>>()
    );
    Ok(())
}

/// A callback receiver that answers 200 to everything, on 127.0.0.1.
async fn receiver() -> Result<String, std::io::Error> {
    let router = axum::Router::new().route("/hook", axum::routing::post(|| async { "ok" }));
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(url)
}

async fn incoming(
    server: &MockServer,
) -> Result<IncomingMessage<'static>, Box<dyn std::error::Error>> {
    server
        .incoming(Incoming::text(CUSTOMER, "Please deliver it"))
        .await?;
    let post = server
        .callback_posts()
        .into_iter()
        .rfind(|p| p.event == "incoming")
        .ok_or("the incoming message was posted")?;
    let callback = Callback::from_slice(&post.body)?;
    let message = callback.messages().first().ok_or("one message")?.clone();
    Ok(message.into_owned())
}

#[tokio::test]
async fn requests_and_contacts_are_accepted_as_replies() -> TestResult {
    let server = MockServer::builder()
        .callback_url(receiver().await?)
        .start()
        .await;
    let client = client(&server);
    let incoming = incoming(&server).await?;
    let replies = [
        incoming.reply(LocationRequest::new("Share your location")?)?,
        incoming.reply(AddressRequest::new("Where to?")?)?,
        incoming.reply(Contacts::new([full_card()?])?)?,
    ];
    for reply in &replies {
        assert_eq!(
            reply.to_json()["messaging_object"]["context"]["message_id"],
            incoming.id.as_ref()
        );
        client.send(reply).await?;
    }
    assert!(server.received().iter().all(|r| r.status == 202));
    Ok(())
}

fn rule_of(result: Result<impl std::fmt::Debug, Error>) -> (String, Violation) {
    match result {
        Err(Error::Validation(e)) => (e.what().to_owned(), e.violation().clone()),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn malformed_ones_are_refused_before_sending() -> Result<(), Error> {
    // Request bodies: 1-1024 characters.
    assert_eq!(rule_of(LocationRequest::new("")).1, Violation::Empty);
    assert_eq!(
        rule_of(LocationRequest::new("x".repeat(1025))).1,
        Violation::TooLong {
            max: 1024,
            len: 1025
        }
    );
    assert!(
        LocationRequest::new("é".repeat(1024)).is_ok(),
        "characters, not bytes"
    );
    assert_eq!(
        rule_of(AddressRequest::new("x".repeat(1025))).0,
        "the address request body"
    );
    // Address values, saved addresses, validation errors.
    let ask = || AddressRequest::new("Where to?");
    assert_eq!(
        rule_of(ask()?.value(AddressField::City, "")),
        ("an address value".to_owned(), Violation::Empty)
    );
    assert_eq!(rule_of(SavedAddress::new("")).1, Violation::Empty);
    assert_eq!(
        rule_of(ask()?.saved_address(SavedAddress::new("home")?)).0,
        "the saved address"
    );
    let home = || SavedAddress::new("home")?.value(AddressField::City, "Bengaluru");
    assert_eq!(
        rule_of(ask()?.saved_address(home()?)?.saved_address(home()?)).1,
        Violation::Duplicate {
            what: "saved address id",
            value: "home".to_owned()
        }
    );
    assert_eq!(
        rule_of(ask()?.validation_error(AddressField::InPinCode, "")).0,
        "an address validation error"
    );
    // Contacts: 1-257 cards, each with a formatted name and a name part.
    let card = |n: usize| ContactCard::new(format!("Desk {n}")).first_name("Desk");
    assert!(matches!(
        rule_of(Contacts::new((0..258).map(card))).1,
        Violation::Count {
            max: 257,
            found: 258,
            ..
        }
    ));
    assert!(matches!(
        rule_of(Contacts::new(Vec::new())).1,
        Violation::Count { found: 0, .. }
    ));
    assert_eq!(
        rule_of(Contacts::new([card(1), ContactCard::new("Asha")])).0,
        "contact card 2's name"
    );
    assert_eq!(
        rule_of(Contacts::new([ContactCard::new("").first_name("Asha")])),
        ("contact card 1's name".to_owned(), Violation::Empty)
    );
    assert_eq!(
        rule_of(Contacts::new([card(1).company("")])),
        ("contact card 1's company".to_owned(), Violation::Empty)
    );
    // Phones, emails, URLs, addresses, birthdays.
    let asha = || ContactCard::new("Asha Rao").first_name("Asha");
    assert_eq!(rule_of(asha().phone("call me")).0, "the contact phone");
    assert_eq!(rule_of(asha().phone("")).1, Violation::Empty);
    assert_eq!(
        rule_of(asha().phone(Phone::new("+91 98765 43210").wa_id("+919876543210"))).0,
        "the contact phone's wa_id"
    );
    assert_eq!(
        rule_of(asha().email("asha.example.com")).0,
        "the contact email"
    );
    assert_eq!(rule_of(asha().url("example.com")).0, "the contact URL");
    assert!(
        asha().url("http://example.com").is_ok(),
        "http is allowed on a card"
    );
    assert_eq!(
        rule_of(asha().address(ContactAddress::new().kind(ContactKind::Home))).0,
        "the contact address"
    );
    assert_eq!(
        rule_of(asha().address(ContactAddress::new().city(""))),
        ("the contact address's city".to_owned(), Violation::Empty)
    );
    assert_eq!(
        rule_of(asha().address(ContactAddress::new().country_code("IND"))).0,
        "the contact address's country_code"
    );
    for bad in ["12-04-1990", "1990-02-30", "1990-04-12T00:00"] {
        assert_eq!(
            rule_of(asha().birthday(bad)).0,
            "the contact birthday",
            "{bad}"
        );
    }
    // The recipient.
    assert_eq!(
        rule_of(LocationRequest::new("hi")?.to("9876543210")).0,
        "the recipient"
    );
    Ok(())
}

async fn post_raw(
    server: &MockServer,
    messaging_object: Value,
) -> Result<(u16, String), reqwest::Error> {
    let url = format!(
        "{}/v2/{}/whatsapp/{}/messages",
        server.url(),
        server.sid(),
        server.sender()
    );
    let response = reqwest::Client::new()
        .post(url)
        .header("api-key", server.api_key())
        .header("content-type", "application/json")
        .body(json!({ "messaging_object": messaging_object }).to_string())
        .send()
        .await?;
    Ok((response.status().as_u16(), response.text().await?))
}

fn object(kind: &str, content: Value) -> Value {
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": CUSTOMER,
        "type": kind,
        kind: content,
    })
}

fn location_request(body: Value, action: Value) -> Value {
    object(
        "interactive",
        json!({"type": "location_request_message", "body": body, "action": action}),
    )
}

fn address_request(parameters: Value) -> Value {
    object(
        "interactive",
        json!({
            "type": "address_message",
            "body": {"text": "Where to?"},
            "action": {"name": "address_message", "parameters": parameters}
        }),
    )
}

fn contacts(card: Value) -> Value {
    object("contacts", json!([card]))
}

fn named(extra: Value) -> Value {
    let mut card = json!({"name": {"formatted_name": "Asha Rao", "first_name": "Asha"}});
    if let (Some(card), Some(extra)) = (card.as_object_mut(), extra.as_object()) {
        card.extend(extra.clone());
    }
    card
}

#[tokio::test]
async fn the_simulator_refuses_malformed_bodies_posted_raw() -> TestResult {
    let server = MockServer::start().await;
    let send_location = json!({"name": "send_location"});
    let cases = [
        // Location requests (§1.8).
        (
            location_request(json!({"text": ""}), send_location.clone()),
            "messaging_object.interactive.body.text must not be empty",
        ),
        (
            location_request(json!({"text": "x".repeat(1025)}), send_location.clone()),
            "messaging_object.interactive.body.text must be at most 1024",
        ),
        (
            location_request(json!({"text": "hi"}), json!({"name": "send_locations"})),
            "messaging_object.interactive.action.name",
        ),
        (
            location_request(json!({"text": "hi"}), json!({})),
            "messaging_object.interactive.action lacks the required member \"name\"",
        ),
        (
            object(
                "interactive",
                json!({"type": "location_request_message", "action": send_location}),
            ),
            "messaging_object.interactive lacks the required member \"body\"",
        ),
        (
            object(
                "interactive",
                json!({
                    "type": "location_request_message",
                    "header": {"type": "text", "text": "Pickup"},
                    "body": {"text": "hi"},
                    "action": {"name": "send_location"}
                }),
            ),
            "messaging_object.interactive has an unexpected member \"header\"",
        ),
        // Address requests (§1.9).
        (
            address_request(json!({"country": "SG"})),
            "messaging_object.interactive.action.parameters.country",
        ),
        (
            address_request(json!({})),
            "messaging_object.interactive.action.parameters lacks the required member \"country\"",
        ),
        (
            address_request(json!({"country": "IN", "values": {"pin_code": "560034"}})),
            "messaging_object.interactive.action.parameters.values.pin_code is not a known address field",
        ),
        (
            address_request(json!({"country": "IN", "values": {"city": ""}})),
            "messaging_object.interactive.action.parameters.values.city must not be empty",
        ),
        (
            address_request(json!({"country": "IN", "values": {"city": 5}})),
            "messaging_object.interactive.action.parameters.values.city must be a string",
        ),
        (
            address_request(json!({"country": "IN", "validation_errors": {"cty": "no"}})),
            "messaging_object.interactive.action.parameters.validation_errors.cty",
        ),
        (
            address_request(json!({"country": "IN", "saved_addresses": [
                {"id": "a", "value": {"city": "Bengaluru"}},
                {"id": "a", "value": {"city": "Mysuru"}}
            ]})),
            "messaging_object.interactive.action.parameters.saved_addresses[1].id",
        ),
        (
            address_request(
                json!({"country": "IN", "saved_addresses": [{"id": "a", "value": {}}]}),
            ),
            "messaging_object.interactive.action.parameters.saved_addresses[0].value",
        ),
        (
            address_request(
                json!({"country": "IN", "saved_addresses": [{"value": {"city": "B"}}]}),
            ),
            "messaging_object.interactive.action.parameters.saved_addresses[0] lacks the required member \"id\"",
        ),
        (
            address_request(json!({"country": "IN", "prefill": {}})),
            "messaging_object.interactive.action.parameters has an unexpected member \"prefill\"",
        ),
        // Contacts (§1.10).
        (
            object("contacts", json!([])),
            "messaging_object.contacts must have 1 to 257 contact cards, found 0",
        ),
        (
            object("contacts", json!(vec![named(json!({})); 258])),
            "messaging_object.contacts must have 1 to 257 contact cards, found 258",
        ),
        (
            object("contacts", json!({"name": {"formatted_name": "A"}})),
            "messaging_object.contacts must be an array",
        ),
        (
            contacts(json!({"phones": [{"phone": "+91 98765 43210"}]})),
            "messaging_object.contacts[0] lacks the required member \"name\"",
        ),
        (
            contacts(json!({"name": {"formatted_name": "Asha Rao"}})),
            "messaging_object.contacts[0].name.formatted_name is invalid",
        ),
        (
            contacts(json!({"name": {"first_name": "Asha"}})),
            "messaging_object.contacts[0].name lacks the required member \"formatted_name\"",
        ),
        (
            contacts(json!({"name": {"formatted_name": "Asha", "nickname": "A"}})),
            "messaging_object.contacts[0].name has an unexpected member \"nickname\"",
        ),
        (
            contacts(named(json!({"phones": [{"phone": "call me"}]}))),
            "messaging_object.contacts[0].phones[0].phone",
        ),
        (
            contacts(named(
                json!({"phones": [{"phone": "+1 650", "type": "MOBILE"}]}),
            )),
            "messaging_object.contacts[0].phones[0].type is not a known phone type",
        ),
        (
            contacts(named(
                json!({"phones": [{"phone": "+1 650", "wa_id": "+1650"}]}),
            )),
            "messaging_object.contacts[0].phones[0].wa_id",
        ),
        (
            contacts(named(json!({"emails": [{"email": "asha"}]}))),
            "messaging_object.contacts[0].emails[0].email",
        ),
        (
            contacts(named(
                json!({"emails": [{"email": "a@b.c", "type": "home"}]}),
            )),
            "messaging_object.contacts[0].emails[0].type is not a known type (HOME, WORK); did you mean `HOME`?",
        ),
        (
            contacts(named(json!({"urls": [{"url": "www.example.com"}]}))),
            "messaging_object.contacts[0].urls[0].url",
        ),
        (
            contacts(named(json!({"addresses": [{"type": "HOME"}]}))),
            "messaging_object.contacts[0].addresses[0] needs at least one of",
        ),
        (
            contacts(named(
                json!({"addresses": [{"city": "B", "country_code": "IND"}]}),
            )),
            "messaging_object.contacts[0].addresses[0].country_code",
        ),
        (
            contacts(named(json!({"addresses": [{"city": "B", "zipcode": "1"}]}))),
            "messaging_object.contacts[0].addresses[0] has an unexpected member \"zipcode\"",
        ),
        (
            contacts(named(json!({"birthday": "18/08/2012"}))),
            "messaging_object.contacts[0].birthday",
        ),
        (
            contacts(named(json!({"org": {"company": ""}}))),
            "messaging_object.contacts[0].org.company must not be empty",
        ),
        (
            contacts(named(json!({"ims": []}))),
            "messaging_object.contacts[0] has an unexpected member \"ims\"",
        ),
    ];
    for (body, member) in cases {
        let (status, answer) = post_raw(&server, body.clone()).await?;
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(answer.contains("WA400"), "{answer}");
        let refusal = server
            .received()
            .last()
            .and_then(|r| r.refusal.clone())
            .unwrap_or_default();
        assert!(
            refusal.contains(member),
            "{body}\n  refusal: {refusal}\n  wanted: {member}"
        );
    }
    // The well-formed ones the library writes are accepted when posted raw too, and a
    // contact address with a country code only.
    for message in every_request()? {
        let (status, answer) =
            post_raw(&server, message.to_json()["messaging_object"].clone()).await?;
        assert_eq!(status, 202, "{message:?}: {answer}");
    }
    let (status, answer) = post_raw(
        &server,
        contacts(named(
            json!({"addresses": [{"country_code": "in"}], "emails": []}),
        )),
    )
    .await?;
    assert_eq!(status, 202, "{answer}");
    Ok(())
}

/// The customer's answers as the simulator plays them, read back as the library reads a
/// callback: a location for a location request (facts §1.8), an `nfm_reply` named
/// `address_message` with `response_json` a JSON string for an address request (§1.9).
#[tokio::test]
async fn the_answers_come_back_as_a_location_and_an_address() -> TestResult {
    let server = MockServer::builder()
        .callback_url(receiver().await?)
        .start()
        .await;
    let client = client(&server);
    let first = incoming(&server).await?;
    let asked = client
        .send(&first.reply(LocationRequest::new("Where are you?")?)?)
        .await?;
    server
        .incoming(
            Incoming::location(CUSTOMER, 12.9467329, 77.646835).replying_to(&asked.message_id),
        )
        .await?;
    let last = |server: &MockServer| {
        server
            .callback_posts()
            .into_iter()
            .rfind(|p| p.event == "incoming")
            .map(|p| p.body)
            .unwrap_or_default()
    };
    let body = last(&server);
    let callback = Callback::from_slice(&body)?;
    let answer = callback.messages().first().ok_or("one message")?;
    assert!(answer.context.is_some(), "it answers the request");
    match &answer.content {
        kaleyra::callback::Content::Location(l) => {
            assert_eq!(
                (l.latitude, l.longitude),
                (Some(12.9467329), Some(77.646835))
            );
            assert_eq!(l.name, None);
        }
        other => panic!("{other:?}"),
    }

    client
        .send(&AddressRequest::new("Where to?")?.to(CUSTOMER)?)
        .await?;
    server
        .incoming(Incoming::address(
            CUSTOMER,
            &[
                (AddressField::Name, "Asha Rao"),
                (AddressField::InPinCode, "560034"),
            ],
        ))
        .await?;
    let body = last(&server);
    let callback = Callback::from_slice(&body)?;
    let answer = callback.messages().first().ok_or("one message")?;
    match &answer.content {
        kaleyra::callback::Content::FlowReply(reply) => {
            assert_eq!(reply.name.as_deref(), Some("address_message"));
            let json: Value = serde_json::from_str(&reply.response_json())?;
            assert_eq!(
                json,
                json!({"values": {"name": "Asha Rao", "in_pin_code": "560034"}})
            );
        }
        other => panic!("{other:?}"),
    }
    Ok(())
}

/// Quotes, backslashes, line breaks, control characters and non-ASCII text in every member are
/// escaped: the body is JSON that reads back to the same values, and the simulator takes it.
#[tokio::test]
async fn awkward_text_reads_back_the_same() -> TestResult {
    let odd = "Asha \"A\" Rao \\ \n\t\u{1}\u{7f} \u{e9}\u{1f600}";
    let card = ContactCard::new(odd)
        .first_name(odd)
        .company(odd)
        .address(ContactAddress::new().street(odd).country_code("IN"))?;
    let contacts = Contacts::new([card])?.to(CUSTOMER)?;
    let json: Value = serde_json::from_str(contacts.as_str())?;
    let card = &json["messaging_object"]["contacts"][0];
    assert_eq!(card["name"]["formatted_name"], odd);
    assert_eq!(card["name"]["first_name"], odd);
    assert_eq!(card["org"]["company"], odd);
    assert_eq!(card["addresses"][0]["street"], odd);
    let address = AddressRequest::new(odd)?
        .value(AddressField::Address, odd)?
        .saved_address(SavedAddress::new(odd)?.value(AddressField::City, odd)?)?
        .validation_error(AddressField::City, odd)?
        .to(CUSTOMER)?;
    let json: Value = serde_json::from_str(address.as_str())?;
    let parameters = &json["messaging_object"]["interactive"]["action"]["parameters"];
    assert_eq!(json["messaging_object"]["interactive"]["body"]["text"], odd);
    assert_eq!(parameters["values"]["address"], odd);
    assert_eq!(parameters["saved_addresses"][0]["id"], odd);
    assert_eq!(parameters["saved_addresses"][0]["value"]["city"], odd);
    assert_eq!(parameters["validation_errors"]["city"], odd);

    let server = MockServer::start().await;
    let client = client(&server);
    client.send(&contacts).await?;
    client.send(&address).await?;
    client
        .send(&LocationRequest::new(odd)?.to(CUSTOMER)?)
        .await?;
    Ok(())
}
