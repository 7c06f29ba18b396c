//! Interactive session messages over HTTP against the simulator (issue 15): reply buttons, lists
//! and CTA URL, from the runtime builders and the derives, each accepted; each malformed body
//! posted raw refused with WA400 naming the member; a reply quoting the customer, and the
//! customer's tap, delivered by the simulator as a callback, read back into the enum.

#![cfg(feature = "mock")]

use kaleyra::RateLimit;
use kaleyra::callback::{Callback, Content};
use kaleyra::mock::{Incoming, MockServer};
use kaleyra::prelude::*;
use kaleyra::session::{Buttons, CtaUrl, List};
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

#[derive(Buttons, Debug, Clone, Copy, PartialEq, Eq)]
enum Delivery {
    #[button(title = "Tomorrow")]
    Tomorrow,
    #[button(title = "Next week")]
    NextWeek,
    #[button(id = "cancel", title = "Cancel order")]
    Cancel,
}

#[derive(Menu, Debug, Clone, Copy, PartialEq, Eq)]
#[menu(button = "Pick a slot")]
enum Slot {
    #[menu(section = "Morning", title = "09:00-12:00")]
    Morning,
    #[menu(
        section = "Afternoon",
        title = "12:00-15:00",
        description = "We call first"
    )]
    Afternoon,
}

fn every_kind() -> Result<Vec<Message>, Error> {
    Ok(vec![
        Delivery::ask("When should we deliver?")?
            .header("Order A-1001")?
            .footer("Reply within 24 hours")?
            .to(CUSTOMER)?,
        Buttons::new("Is this your parcel?")?
            .header(Media::image_link("https://example.com/parcel.jpg")?)?
            .button("yes", "Yes")?
            .to(CUSTOMER)?,
        Buttons::new("Your invoice")?
            .header(Media::document_id("4455")?.filename("invoice.pdf")?)?
            .button("paid", "Paid")?
            .button("later", "Later")?
            .to(CUSTOMER)?,
        Slot::ask("When can we call?")?
            .header("Delivery")?
            .footer("Times are IST")?
            .to(CUSTOMER)?,
        List::new("Which size?", "Sizes")?
            .row_with("s", "Small", "Up to 2 kg")?
            .row("l", "Large")?
            .to(CUSTOMER)?,
        CtaUrl::new(
            "Your parcel is on its way",
            "Track it",
            "https://example.com/t/A-1001",
        )?
        .header(Media::video_id("4621")?)?
        .footer("Kaleyra Shop")?
        .to(CUSTOMER)?,
        CtaUrl::new("Our terms", "Read them", "http://example.com/terms")?.to(CUSTOMER)?,
    ])
}

/// A simulator that knows the media ids of [`every_kind`]'s headers (as if uploaded).
async fn simulator() -> MockServer {
    let server = MockServer::start().await;
    for id in ["4455", "4621"] {
        server.register_media(id);
    }
    server
}

#[tokio::test]
async fn every_interactive_kind_is_accepted() -> TestResult {
    let server = simulator().await;
    let client = client(&server);
    for message in every_kind()? {
        let accepted = client.send(&message).await;
        assert!(accepted.is_ok(), "{message:?}: {accepted:?}");
    }
    let received = server.received();
    assert_eq!(received.len(), every_kind()?.len());
    assert!(received.iter().all(|r| r.status == 202), "{received:?}");
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

fn interactive(content: Value) -> Value {
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": CUSTOMER,
        "type": "interactive",
        "interactive": content,
    })
}

fn reply(id: &str, title: &str) -> Value {
    json!({"type": "reply", "reply": {"id": id, "title": title}})
}

fn buttons(header: Option<Value>, body: &str, buttons: Vec<Value>) -> Value {
    let mut i = json!({"type": "button", "body": {"text": body}, "action": {"buttons": buttons}});
    if let Some(h) = header {
        i["header"] = h;
    }
    interactive(i)
}

fn list(sections: Value) -> Value {
    interactive(json!({
        "type": "list", "body": {"text": "Pick"},
        "action": {"button": "Choose", "sections": sections}
    }))
}

fn cta(display_text: &str, url: &str) -> Value {
    interactive(json!({
        "type": "cta_url", "body": {"text": "Track"},
        "action": {"name": "cta_url", "parameters": {"display_text": display_text, "url": url}}
    }))
}

fn rows(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"id": format!("r{i}"), "title": "Row"}))
        .collect()
}

#[tokio::test]
async fn the_simulator_refuses_malformed_interactive_bodies() -> TestResult {
    let server = simulator().await;
    let long = |n: usize| "x".repeat(n);
    let one = || vec![reply("a", "A")];
    let cases = [
        // Reply buttons (§1.4).
        (
            buttons(None, "Pick", vec![]),
            "interactive.action.buttons must have 1 to 3",
        ),
        (
            buttons(
                None,
                "Pick",
                vec![
                    reply("a", "A"),
                    reply("b", "B"),
                    reply("c", "C"),
                    reply("d", "D"),
                ],
            ),
            "interactive.action.buttons must have 1 to 3",
        ),
        (
            buttons(None, "Pick", vec![reply("a", &long(21))]),
            "interactive.action.buttons[0].reply.title",
        ),
        (
            buttons(None, "Pick", vec![reply("a", "")]),
            "interactive.action.buttons[0].reply.title",
        ),
        (
            buttons(None, "Pick", vec![reply(&long(257), "A")]),
            "interactive.action.buttons[0].reply.id",
        ),
        (
            buttons(None, "Pick", vec![reply("a", "Same"), reply("b", "Same")]),
            "interactive.action.buttons[1].reply.title",
        ),
        (
            buttons(None, "Pick", vec![reply("a", "A"), reply("a", "B")]),
            "interactive.action.buttons[1].reply.id",
        ),
        (
            buttons(
                None,
                "Pick",
                vec![json!({"type": "url", "reply": {"id": "a", "title": "A"}})],
            ),
            "interactive.action.buttons[0].type",
        ),
        (
            buttons(None, &long(1025), one()),
            "interactive.body.text",
        ),
        (
            buttons(Some(json!("Order A-1001")), "Pick", one()),
            "interactive.header must be a JSON object",
        ),
        (
            buttons(Some(json!({"type": "text", "text": long(61)})), "Pick", one()),
            "interactive.header.text",
        ),
        (
            buttons(
                Some(json!({"type": "sticker", "sticker": {"id": "1"}})),
                "Pick",
                one(),
            ),
            "interactive.header.type",
        ),
        (
            buttons(
                Some(json!({"type": "image", "image": {"link": "http://e.com/a.jpg"}})),
                "Pick",
                one(),
            ),
            "interactive.header.image.link",
        ),
        (
            interactive(json!({
                "type": "button", "body": {"text": "Pick"}, "footer": {"text": long(61)},
                "action": {"buttons": one()}
            })),
            "interactive.footer.text",
        ),
        (
            interactive(json!({"type": "button", "action": {"buttons": one()}})),
            "interactive lacks the required member \"body\"",
        ),
        (
            buttons(
                Some(json!({"type": "image", "image": {"id": "7777"}})),
                "Pick",
                one(),
            ),
            "interactive.header.image.id \"7777\" is not a media id the simulator issued",
        ),
        // Lists (§1.5).
        (list(json!([])), "interactive.action.sections must have 1 to 10"),
        (
            list(json!([{"title": "S", "rows": rows(11)}])),
            "interactive.action.sections must have 1 to 10 rows",
        ),
        (
            list(json!((0..11).map(|i| json!({"title": format!("S{i}"), "rows": [{"id": format!("r{i}"), "title": "R"}]})).collect::<Vec<_>>())),
            "interactive.action.sections must have 1 to 10 sections",
        ),
        (
            list(json!([{"title": "S", "rows": []}])),
            "interactive.action.sections[0].rows",
        ),
        (
            list(json!([{"title": long(25), "rows": rows(1)}])),
            "interactive.action.sections[0].title",
        ),
        (
            list(json!([{"title": "A", "rows": rows(1)}, {"rows": [{"id": "z", "title": "Z"}]}])),
            "interactive.action.sections[1].title",
        ),
        (
            list(json!([{"rows": [{"id": "a", "title": long(25)}]}])),
            "interactive.action.sections[0].rows[0].title",
        ),
        (
            list(json!([{"rows": [{"id": "a", "title": "A", "description": long(73)}]}])),
            "interactive.action.sections[0].rows[0].description",
        ),
        (
            list(json!([{"rows": [{"id": long(201), "title": "A"}]}])),
            "interactive.action.sections[0].rows[0].id",
        ),
        (
            list(json!([{"rows": [{"id": "a", "title": "A"}, {"id": "a", "title": "B"}]}])),
            "has row id `a` twice",
        ),
        (
            interactive(json!({
                "type": "list", "body": {"text": "Pick"},
                "action": {"button": long(21), "sections": [{"rows": rows(1)}]}
            })),
            "interactive.action.button",
        ),
        (
            interactive(json!({
                "type": "list", "body": {"text": long(4097)},
                "action": {"button": "Choose", "sections": [{"rows": rows(1)}]}
            })),
            "interactive.body.text",
        ),
        (
            interactive(json!({
                "type": "list", "header": {"type": "image", "image": {"id": "1"}},
                "body": {"text": "Pick"},
                "action": {"button": "Choose", "sections": [{"rows": rows(1)}]}
            })),
            "interactive.header.type",
        ),
        // CTA URL (§1.6).
        (
            cta(&long(21), "https://e.com"),
            "interactive.action.parameters.display_text",
        ),
        (
            cta("Track", "ftp://e.com"),
            "interactive.action.parameters.url",
        ),
        (
            interactive(json!({
                "type": "cta_url", "body": {"text": "Track"},
                "action": {"name": "url", "parameters": {"display_text": "T", "url": "https://e.com"}}
            })),
            "interactive.action.name",
        ),
        (
            interactive(json!({
                "type": "cta_url", "body": {"text": "Track"},
                "action": {"name": "cta_url", "parameters": {"display_text": "T"}}
            })),
            "interactive.action.parameters lacks the required member \"url\"",
        ),
        // An interactive type the sender route does not take: the answer names those it does.
        (
            interactive(json!({"type": "carousel", "body": {"text": "Pick"}, "action": {}})),
            "interactive.type is \"carousel\"; an interactive message is one of \"button\", \"list\", \"cta_url\"",
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
    // The well-formed bodies the library writes are accepted when posted raw too.
    for message in every_kind()? {
        let (status, answer) =
            post_raw(&server, message.to_json()["messaging_object"].clone()).await?;
        assert_eq!(status, 202, "{message:?}: {answer}");
    }
    Ok(())
}

#[test]
fn malformed_ones_are_refused_before_sending() {
    // Each refused by the builder with a typed `Error::Validation`, before any request.
    let results: Vec<Result<(), Error>> = vec![
        Buttons::new("Pick").and_then(|b| b.to(CUSTOMER)).map(drop),
        Buttons::new("Pick")
            .and_then(|b| b.button("a", "x".repeat(21)))
            .map(drop),
        List::new("Pick", "Choose")
            .and_then(|l| l.to(CUSTOMER))
            .map(drop),
        CtaUrl::new("Pick", "Open", "example.com").map(drop),
    ];
    for result in results {
        assert!(matches!(result, Err(Error::Validation(_))), "{result:?}");
    }
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

/// The last incoming-message callback the simulator posted, read as the library reads it.
fn last_incoming(server: &MockServer) -> Vec<u8> {
    server
        .callback_posts()
        .into_iter()
        .rev()
        .find(|p| p.event == "incoming")
        .expect("the incoming message was posted")
        .body
        .to_vec()
}

#[tokio::test]
async fn the_customers_tap_comes_back_as_the_enum() -> TestResult {
    let server = MockServer::builder()
        .callback_url(receiver().await?)
        .start()
        .await;
    let client = client(&server);

    server
        .incoming(Incoming::text(CUSTOMER, "Where is my order?"))
        .await?;
    let body = last_incoming(&server);
    let callback = Callback::from_slice(&body)?;
    let incoming = &callback.messages()[0];
    let ask = incoming.reply(Delivery::ask("When should we deliver?")?)?;
    assert_eq!(
        ask.to_json()["messaging_object"]["context"]["message_id"],
        incoming.id.as_ref()
    );
    client.send(&ask).await?;

    server
        .incoming(Incoming::button_reply(CUSTOMER, "cancel", "Cancel order"))
        .await?;
    let body = last_incoming(&server);
    let callback = Callback::from_slice(&body)?;
    let Content::ButtonReply(tap) = &callback.messages()[0].content else {
        panic!("a button reply: {:?}", callback.messages())
    };
    assert_eq!(tap.parse::<Delivery>()?, Delivery::Cancel);

    client
        .send(&callback.messages()[0].reply(Slot::ask("When can we call?")?)?)
        .await?;
    server
        .incoming(Incoming::list_reply(
            CUSTOMER,
            "Afternoon",
            "12:00-15:00",
            Some("We call first"),
        ))
        .await?;
    let body = last_incoming(&server);
    let callback = Callback::from_slice(&body)?;
    let Content::ListReply(choice) = &callback.messages()[0].content else {
        panic!("a list reply: {:?}", callback.messages())
    };
    assert_eq!(choice.description.as_deref(), Some("We call first"));
    assert_eq!(choice.parse::<Slot>()?, Slot::Afternoon);
    assert!(matches!(
        choice.parse::<Delivery>(),
        Err(Error::Callback(_))
    ));
    Ok(())
}
