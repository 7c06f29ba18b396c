//! Session messages over HTTP against the simulator (issue 15, first part): each type accepted;
//! each malformed one refused before sending with a typed `Error::Validation`; the simulator
//! refusing malformed bodies posted raw, naming the member; the contextual reply and
//! `Recipient::from_wa_id`; the read receipt (`Client::mark_read`).

#![cfg(feature = "mock")]

use kaleyra::callback::{Callback, IncomingMessage};
use kaleyra::mock::{Incoming, MockServer, MockServerBuilder};
use kaleyra::prelude::*;
use kaleyra::session::{LocationMessage, MediaMessage, Reaction, Text};
use kaleyra::{ApiErrorKind, RateLimit, Recipient, rules::Violation};
use serde_json::{Value, json};
use tokio::net::TcpListener;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CUSTOMER: &str = "+919876543210";
const WAMID: &str = "wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgUM0VCMEQ4QzQ4RjE2";

/// The made-up media ids the messages below are sent by: the simulator refuses a media id it
/// did not issue, unless it is registered (tests/upload.rs uploads first).
const MEDIA_IDS: [&str; 4] = ["4621", "4455", "1034000000000", "1034"];

fn simulator() -> MockServerBuilder {
    MEDIA_IDS
        .iter()
        .fold(MockServer::builder(), |builder, id| builder.media_id(*id))
}

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

/// A simulator that posts callbacks to a receiver, and a customer's text delivered through it,
/// read back as the library reads a callback.
async fn with_incoming()
-> Result<(MockServer, IncomingMessage<'static>), Box<dyn std::error::Error>> {
    let server = simulator().callback_url(receiver().await?).start().await;
    assert_eq!(
        server
            .incoming(Incoming::text(CUSTOMER, "Where is my order?"))
            .await?,
        200
    );
    let post = server
        .callback_posts()
        .into_iter()
        .find(|p| p.event == "incoming")
        .expect("the incoming message was posted");
    let callback = Callback::from_slice(&post.body)?;
    let incoming = callback.messages().first().expect("one message").clone();
    Ok((server, incoming.into_owned()))
}

fn every_type() -> Result<Vec<Message>, Error> {
    Ok(vec![
        Text::new("Your order A-1001 has shipped")?
            .preview_url(true)
            .to(CUSTOMER)?,
        MediaMessage::new(Media::image_link("https://example.com/parcel.jpg")?)
            .caption("Your parcel")?
            .to(CUSTOMER)?,
        MediaMessage::new(Media::video_id("4621")?).to(CUSTOMER)?,
        MediaMessage::new(Media::audio_link("https://example.com/note.ogg")?).to(CUSTOMER)?,
        MediaMessage::new(Media::document_id("4455")?.filename("invoice.pdf")?)
            .caption("Your invoice")?
            .to(CUSTOMER)?,
        MediaMessage::new(Media::sticker_id("1034000000000")?).to(CUSTOMER)?,
        LocationMessage::new(Location::new(12.9471, 77.6468)?.name("Store")).to(CUSTOMER)?,
        Reaction::new(&WAMID, "\u{1f44d}")?.to(CUSTOMER)?,
        Reaction::remove(&WAMID)?.to(CUSTOMER)?,
    ])
}

#[tokio::test]
async fn every_session_type_is_accepted() -> TestResult {
    let server = simulator().start().await;
    let client = client(&server);
    for message in every_type()? {
        let accepted = client.send(&message).await;
        assert!(accepted.is_ok(), "{message:?}: {accepted:?}");
    }
    let received = server.received();
    assert_eq!(received.len(), every_type()?.len());
    assert!(received.iter().all(|r| r.status == 202), "{received:?}");
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
    // Text: 1-4096 characters.
    assert_eq!(rule_of(Text::new("")).1, Violation::Empty);
    assert_eq!(
        rule_of(Text::new("x".repeat(4097))).1,
        Violation::TooLong {
            max: 4096,
            len: 4097
        }
    );
    assert!(Text::new("é".repeat(4096)).is_ok(), "characters, not bytes");
    // Caption: 1-1024, and not on audio or stickers.
    let image = || Media::image_id("1");
    assert!(matches!(
        rule_of(MediaMessage::new(image()?).caption("x".repeat(1025))).1,
        Violation::TooLong { max: 1024, .. }
    ));
    assert_eq!(
        rule_of(MediaMessage::new(image()?).caption("")).1,
        Violation::Empty
    );
    for media in [Media::audio_id("1")?, Media::sticker_id("1")?] {
        let (what, _) = rule_of(MediaMessage::new(media).caption("hi"));
        assert_eq!(what, "the caption");
    }
    // Media links: https only; a file name on a document only.
    assert!(Media::audio_link("ftp://example.com/a.ogg").is_err());
    assert!(Media::sticker_link("http://example.com/s.webp").is_err());
    assert!(Media::sticker_id("").is_err());
    assert!(Media::audio_id("1")?.filename("a.ogg").is_err());
    // Coordinates.
    assert!(Location::new(90.5, 0.0).is_err());
    assert!(Location::new(0.0, f64::NAN).is_err());
    // Reactions: one emoji, a message id.
    for not_one_emoji in [
        "",
        "ok",
        "\u{1f44d} ",
        "a\u{1f44d}",
        &"\u{1f44d}".repeat(11),
    ] {
        assert!(
            Reaction::new(&WAMID, not_one_emoji).is_err(),
            "{not_one_emoji:?}"
        );
    }
    for emoji in [
        "\u{1f44d}",
        "\u{1f44d}\u{1f3fd}",
        "\u{2764}\u{fe0f}",
        "\u{1f1ee}\u{1f1f3}",
        "1\u{fe0f}\u{20e3}",
        "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}",
    ] {
        assert!(Reaction::new(&WAMID, emoji).is_ok(), "{emoji:?}");
    }
    assert!(Reaction::new("", "\u{1f44d}").is_err());
    assert!(Reaction::remove("wamid with spaces").is_err());
    // The recipient.
    assert_eq!(
        rule_of(Text::new("hi")?.to("9876543210")).0,
        "the recipient"
    );
    // Template headers keep refusing what only session messages take.
    let header = kaleyra::model::StandardTemplate::new("order_update", "en_US")
        .header(Media::audio_id("1")?)
        .to(CUSTOMER);
    assert!(matches!(header, Err(Error::Validation(_))), "{header:?}");
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

#[tokio::test]
async fn the_simulator_refuses_malformed_bodies_posted_raw() -> TestResult {
    let server = simulator().start().await;
    let cases = [
        (
            object("text", json!({"body": ""})),
            "messaging_object.text.body",
        ),
        (
            object("text", json!({"body": "x".repeat(4097)})),
            "messaging_object.text.body",
        ),
        (
            object("text", json!({"preview_url": "false", "body": "hi"})),
            "messaging_object.text.preview_url",
        ),
        (
            object(
                "image",
                json!({"link": "https://e.com/a.jpg", "caption": "x".repeat(1025)}),
            ),
            "messaging_object.image.caption",
        ),
        (
            object("audio", json!({"id": "1", "caption": "no"})),
            "messaging_object.audio has an unexpected member \"caption\"",
        ),
        (
            object(
                "sticker",
                json!({"id": "1", "link": "https://e.com/s.webp"}),
            ),
            "messaging_object.sticker.id",
        ),
        (
            object("video", json!({"link": "http://e.com/v.mp4"})),
            "messaging_object.video.link",
        ),
        (
            object("image", json!({"id": "1", "filename": "a.jpg"})),
            "messaging_object.image has an unexpected member \"filename\"",
        ),
        (
            object("location", json!({"longitude": 200.0, "latitude": 1.0})),
            "messaging_object.location.longitude",
        ),
        (
            object("location", json!({"longitude": 1.0, "latitude": "12.9"})),
            "messaging_object.location.latitude",
        ),
        (
            object("reaction", json!({"message_id": WAMID, "emoji": "ok"})),
            "messaging_object.reaction.emoji",
        ),
        (
            object("reaction", json!({"emoji": "\u{1f44d}"})),
            "messaging_object.reaction lacks the required member \"message_id\"",
        ),
        (
            object("contacts", json!([])),
            "messaging_object.contacts must have 1 to 257",
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
    // And the well-formed ones the library writes are accepted when posted raw too.
    for message in every_type()? {
        let (status, answer) =
            post_raw(&server, message.to_json()["messaging_object"].clone()).await?;
        assert_eq!(status, 202, "{message:?}: {answer}");
    }
    Ok(())
}

#[test]
fn from_wa_id_takes_digits_without_plus() {
    assert_eq!(
        Recipient::from_wa_id("919876543210").map(|r| r.as_str().to_owned()),
        Ok("+919876543210".to_owned())
    );
    for bad in [
        "",
        "+919876543210",
        "91 98765 43210",
        "9198x",
        &"9".repeat(16),
    ] {
        assert!(Recipient::from_wa_id(bad).is_err(), "{bad:?}");
    }
    assert!(Recipient::from_wa_id(&"9".repeat(15)).is_ok());
}

#[tokio::test]
async fn a_reply_goes_to_the_sender_quoting_the_message() -> TestResult {
    let (server, incoming) = with_incoming().await?;
    let client = client(&server);
    let reply = incoming.reply(Text::new("Thanks, we are on it")?)?;
    let body = reply.to_json();
    assert_eq!(body["messaging_object"]["to"], CUSTOMER);
    assert_eq!(
        body["messaging_object"]["context"]["message_id"],
        incoming.id.as_ref()
    );
    client.send(&reply).await?;
    // Any session type can be a reply.
    let media = incoming.reply(MediaMessage::new(Media::sticker_id("1034")?))?;
    client.send(&media).await?;
    let reaction = incoming.reply(Reaction::new(&incoming.id, "\u{1f44d}")?)?;
    client.send(&reaction).await?;
    Ok(())
}

#[tokio::test]
async fn mark_read_posts_the_read_receipt() -> TestResult {
    let (server, incoming) = with_incoming().await?;
    let client = client(&server);
    client.mark_read(&incoming).await?;
    let last = server.received().pop().expect("the receipt was posted");
    assert_eq!(last.status, 200);
    assert!(last.path.ends_with("/messages"));
    // facts §1.11's template, `status` "read", no `to` and no `type`.
    let expected = json!({
        "messaging_object": {
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": incoming.id.as_ref()
        }
    });
    assert_eq!(last.body, serde_json::to_vec(&expected)?);
    Ok(())
}

#[tokio::test]
async fn a_read_receipt_for_an_unknown_message_is_refused() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    let body = r#"{"meta_object":{"value":{"messaging_product":"whatsapp","messages":[{"from":"919876543210","id":"wamid.HBgM919876543210FQIAEhgU00000000000000000099","timestamp":"1","type":"text","text":{"body":"hi"}}]},"field":"messages"}}"#;
    let callback = Callback::from_slice(body.as_bytes())?;
    let unknown = &callback.messages()[0];
    match client.mark_read(unknown).await {
        Err(Error::Api(e)) => assert_eq!(e.kind(), ApiErrorKind::BadPayload, "{e}"),
        other => panic!("expected WA400, got {other:?}"),
    }
    let refusal = server
        .received()
        .pop()
        .and_then(|r| r.refusal)
        .unwrap_or_default();
    assert!(refusal.contains("message_id"), "{refusal}");
    Ok(())
}
