//! The 24-hour customer-service window in the simulator (issue 15): a session message to a
//! customer who wrote within 24 hours is delivered; after `advance_clock` past 24 hours the
//! same send is accepted (202 with a message id) and then gets a `failed` status with Meta's
//! 131047 ("Re-engagement message"); a new incoming message reopens the window; templates are
//! never held to it; read receipts neither (RULES.md).

#![cfg(feature = "mock")]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kaleyra::callback::{Callback, IncomingMessage, MetaErrorCode, StatusState};
use kaleyra::mock::{Incoming, MockServer, Outcome};
use kaleyra::model::AuthenticationTemplate;
use kaleyra::prelude::*;
use kaleyra::session::{
    AddressRequest, ContactCard, Contacts, LocationMessage, LocationRequest, MediaMessage,
    Reaction, Text,
};
use kaleyra::{Otp, RateLimit};
use tokio::net::TcpListener;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CUSTOMER: &str = "+919876543210";
const DAY_AND_A_SECOND: Duration = Duration::from_secs(24 * 3600 + 1);

#[derive(Flow)]
#[flow(
    id = "1234567890",
    cta = "Book now",
    screen = "WELCOME",
    body = "Book a table"
)]
struct Booking {
    #[flow(token)]
    token: String,
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

async fn server() -> Result<MockServer, std::io::Error> {
    Ok(MockServer::builder()
        .callback_url(receiver().await?)
        .start()
        .await)
}

/// The customer writes; the message as the business's handler reads it.
async fn customer_writes(
    server: &MockServer,
    text: &str,
) -> Result<IncomingMessage<'static>, Box<dyn std::error::Error>> {
    assert_eq!(server.incoming(Incoming::text(CUSTOMER, text)).await?, 200);
    let post = server
        .callback_posts()
        .into_iter()
        .rfind(|p| p.event == "incoming")
        .ok_or("the incoming message was posted")?;
    let callback = Callback::from_slice(&post.body)?;
    let message = callback.messages().first().ok_or("one message")?.clone();
    Ok(message.into_owned())
}

/// Sends `message` (202 with a message id), waits for its statuses, and returns them with the
/// Meta error of a failed one, read back as the library reads a callback.
async fn statuses(
    server: &MockServer,
    client: &Client,
    message: &Message,
) -> Result<(Vec<StatusState<'static>>, Option<MetaErrorCode>), Box<dyn std::error::Error>> {
    let accepted = client.send(message).await?;
    assert!(accepted.message_id.starts_with('A'), "{accepted:?}");
    server.callbacks_settled().await;
    let mut states = Vec::new();
    let mut error = None;
    for post in server.callback_posts() {
        if post.message_id != accepted.message_id {
            continue;
        }
        let callback = Callback::from_slice(&post.body)?;
        for status in callback.statuses() {
            states.push(status.state.clone().into_owned());
            if let Some(e) = status.errors.first() {
                error = Some(e.code);
            }
        }
    }
    Ok((states, error))
}

const DELIVERED: [StatusState<'static>; 3] =
    [StatusState::Sent, StatusState::Delivered, StatusState::Read];

#[tokio::test]
async fn a_reply_within_the_window_is_delivered_and_fails_with_131047_a_day_later() -> TestResult {
    let server = server().await?;
    let client = client(&server);
    let incoming = customer_writes(&server, "Where is my order?").await?;
    let reply = incoming.reply(Text::new("It ships today")?)?;
    assert_eq!(
        statuses(&server, &client, &reply).await?,
        (DELIVERED.to_vec(), None)
    );

    server.advance_clock(DAY_AND_A_SECOND);
    let (states, error) = statuses(&server, &client, &reply).await?;
    assert_eq!(states, [StatusState::Failed]);
    assert_eq!(error, Some(MetaErrorCode::ReEngagementWindow));
    // Meta's code and title in the callback; its timestamp on the simulator's clock.
    let failed = server
        .callback_posts()
        .into_iter()
        .rfind(|p| p.event == "failed")
        .ok_or("a failed status")?
        .json();
    let status = &failed["meta_object"]["value"]["statuses"][0];
    assert_eq!(status["errors"][0]["code"], 131047);
    assert_eq!(status["errors"][0]["title"], "Re-engagement message");
    assert_eq!(failed["status"], "failed");
    let stamp: u64 = status["timestamp"].as_str().ok_or("timestamp")?.parse()?;
    let real = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    assert!(stamp >= real + 24 * 3600, "{stamp} vs {real}");

    // The customer writes again: the window reopens.
    customer_writes(&server, "Any news?").await?;
    assert_eq!(statuses(&server, &client, &reply).await?.0, DELIVERED);
    Ok(())
}

#[tokio::test]
async fn every_session_type_is_held_to_the_window_and_templates_never() -> TestResult {
    let server = server().await?;
    let client = client(&server);
    let wamid = customer_writes(&server, "hi").await?.id.into_owned();
    server.advance_clock(DAY_AND_A_SECOND);
    let sessions = [
        Text::new("Your order shipped")?.to(CUSTOMER)?,
        MediaMessage::new(Media::image_link("https://example.com/p.jpg")?).to(CUSTOMER)?,
        LocationMessage::new(Location::new(12.9, 77.6)?).to(CUSTOMER)?,
        Reaction::new(&wamid, "\u{1f44d}")?.to(CUSTOMER)?,
        LocationRequest::new("Where are you?")?.to(CUSTOMER)?,
        AddressRequest::new("Where to?")?.to(CUSTOMER)?,
        Contacts::new([ContactCard::new("Asha Rao").first_name("Asha")])?.to(CUSTOMER)?,
        Booking {
            token: "b-1".into(),
        }
        .to(CUSTOMER)?,
    ];
    for message in &sessions {
        let (states, error) = statuses(&server, &client, message).await?;
        assert_eq!(states, [StatusState::Failed], "{message:?}");
        assert_eq!(
            error,
            Some(MetaErrorCode::ReEngagementWindow),
            "{message:?}"
        );
    }
    // A template is delivered outside the window, and to a customer who never wrote.
    let otp = AuthenticationTemplate::new("auth1", "en_US", Otp::new("482913")?);
    assert_eq!(
        statuses(&server, &client, &otp.to(CUSTOMER)?).await?.0,
        DELIVERED
    );
    assert_eq!(
        statuses(&server, &client, &otp.to("+919876543219")?)
            .await?
            .0,
        DELIVERED
    );
    Ok(())
}

#[tokio::test]
async fn a_customer_who_never_wrote_is_outside_the_window() -> TestResult {
    let server = server().await?;
    let client = client(&server);
    let hello = Text::new("Hello!")?.to(CUSTOMER)?;
    let (states, error) = statuses(&server, &client, &hello).await?;
    assert_eq!(states, [StatusState::Failed]);
    assert_eq!(error, Some(MetaErrorCode::ReEngagementWindow));
    // A conversation that began before the test: no callback posted, the window open.
    let posts = server.callback_counts().posts;
    server.customer_wrote("919876543210");
    assert_eq!(server.callback_counts().posts, posts);
    assert_eq!(statuses(&server, &client, &hello).await?.0, DELIVERED);
    // Only that customer's.
    let other = Text::new("Hello!")?.to("+919876543211")?;
    assert_eq!(
        statuses(&server, &client, &other).await?.0,
        [StatusState::Failed]
    );
    Ok(())
}

#[tokio::test]
async fn the_window_leaves_queued_outcomes_and_read_receipts_alone() -> TestResult {
    let server = server().await?;
    let client = client(&server);
    let incoming = customer_writes(&server, "hi").await?;
    server.advance_clock(DAY_AND_A_SECOND);
    // A read receipt for the customer's message is still answered (it is not a message).
    client.mark_read(&incoming).await?;
    // An outcome queued for the next message goes to the next one that is delivered.
    server.next_outcomes(1, Outcome::Delivered);
    let text = Text::new("Sorry for the wait")?.to(CUSTOMER)?;
    assert_eq!(
        statuses(&server, &client, &text).await?.0,
        [StatusState::Failed]
    );
    customer_writes(&server, "hello?").await?;
    assert_eq!(
        statuses(&server, &client, &text).await?.0,
        [StatusState::Sent, StatusState::Delivered]
    );
    assert_eq!(statuses(&server, &client, &text).await?.0, DELIVERED);
    Ok(())
}

#[tokio::test]
async fn advancing_the_clock_moves_incoming_timestamps_too() -> TestResult {
    let server = server().await?;
    let before = server.now();
    server.advance_clock(Duration::from_secs(3600));
    assert!(server.now() >= before + Duration::from_secs(3600));
    let incoming = customer_writes(&server, "hi").await?;
    let stamp = incoming.timestamp_secs().ok_or("a timestamp")?;
    let real = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    assert!(stamp >= real + 3600, "{stamp} vs {real}");
    Ok(())
}
