//! End to end: messages sent through the simulator come back as delivery statuses to a
//! receiver mounted like a user's, and a customer's flow completion is read into the struct the
//! flow declared, typed; failures, redeliveries and each authentication option included.

#![cfg(all(feature = "mock", feature = "axum"))]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use kaleyra::callback::{self, Auth, Callback, Content, MetaErrorCode, StatusState};
use kaleyra::mock::{CallbackAuth, Incoming, MockServer, MockServerBuilder, Outcome};
use kaleyra::{Client, ExtraInfo, Flow, FlowResponse, Message, Otp, Template};
use tokio::net::TcpListener;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CUSTOMER: &str = "+919876543210";

/// The flow the business sends, and what it reads back: declared together.
#[derive(Flow)]
#[flow(
    id = "1234567890",
    cta = "Book now",
    screen = "WELCOME",
    body = "Book a table",
    response = Booked
)]
struct Booking {
    #[flow(token)]
    token: String,
    date: String,
}

#[derive(Debug, Clone, PartialEq, FlowResponse)]
struct Booked {
    #[flow_response(token)]
    token: String,
    date: String,
    #[flow_response(rename = "guest_count")]
    guests: u8,
    note: Option<String>,
}

#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

/// What the user's handler records.
#[derive(Debug, Clone, PartialEq)]
enum Event {
    Status {
        id: String,
        state: StatusState<'static>,
        reference: Option<String>,
        wamid: Option<String>,
        error: Option<(MetaErrorCode, bool)>,
    },
    Booked {
        booked: Booked,
        context: Option<String>,
        reply_to: Option<String>,
        reference: Option<String>,
    },
    Text(String),
    Button(String),
}

#[derive(Clone, Default)]
struct App {
    events: Arc<Mutex<Vec<Event>>>,
    /// The next `n` callbacks fail (to see Kaleyra's redelivery).
    fail: Arc<AtomicUsize>,
}

impl App {
    fn events(&self) -> Vec<Event> {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// A handler written the way a user would: statuses by message, flow completions typed.
    async fn on_callback(self, callback: Callback<'static>) -> Result<(), String> {
        if self
            .fail
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return Err("storage unavailable".into());
        }
        let reference = callback
            .extra_info()
            .reference
            .as_deref()
            .map(str::to_owned);
        let mut events = Vec::new();
        for status in callback.statuses() {
            events.push(Event::Status {
                id: status.id.to_string(),
                state: status.state.clone(),
                reference: reference.clone(),
                wamid: callback.message_id().map(str::to_owned),
                error: status.errors.first().map(|e| (e.code, e.is_retryable())),
            });
        }
        for message in callback.messages() {
            match &message.content {
                Content::FlowReply(reply) => events.push(Event::Booked {
                    booked: reply.parse_for::<Booking>().map_err(|e| e.to_string())?,
                    context: message
                        .context
                        .as_ref()
                        .and_then(|c| c.id.as_deref())
                        .map(str::to_owned),
                    reply_to: callback.extra_info().reply_to.as_deref().map(str::to_owned),
                    reference: reference.clone(),
                }),
                Content::Text(text) => events.push(Event::Text(text.body.to_string())),
                Content::Button(tap) => events.push(Event::Button(tap.payload.to_string())),
                other => return Err(format!("unexpected {other:?}")),
            }
        }
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(events);
        Ok(())
    }
}

/// The user's application with the receiver mounted at `/kaleyra`, on 127.0.0.1.
async fn app(auth: Auth) -> Result<(App, String), std::io::Error> {
    let state = App::default();
    let handler = {
        let state = state.clone();
        move |callback| state.clone().on_callback(callback)
    };
    let router = axum::Router::new().nest("/kaleyra", callback::router(auth, handler));
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/kaleyra", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok((state, url))
}

fn client(server: &MockServer) -> Result<Client, kaleyra::Error> {
    Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .waba_id(server.waba_id())
        .build()
}

fn booking(reference: &str) -> Result<Message, kaleyra::Error> {
    Ok(Booking {
        token: format!("booking-{reference}"),
        date: "2026-12-01".into(),
    }
    .to(CUSTOMER)?
    .extra_info(ExtraInfo::new().reference(reference.to_owned())))
}

fn statuses_of(events: &[Event], message_id: &str) -> Vec<StatusState<'static>> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Status { id, state, .. } if id == message_id => Some(state.clone()),
            _ => None,
        })
        .collect()
}

async fn start(builder: MockServerBuilder) -> Result<(MockServer, Client), kaleyra::Error> {
    let server = builder.start().await;
    // The customer wrote before the test, so the flow messages sent here are inside the
    // 24-hour window (the window itself is tests/window.rs's).
    server.customer_wrote(CUSTOMER);
    let client = client(&server)?;
    Ok((server, client))
}

#[tokio::test]
async fn statuses_then_a_typed_flow_completion() -> TestResult {
    let (app, url) = app(Auth::header("x-kaleyra-secret", "s3cret-of-the-profile")?).await?;
    let (server, client) = start(
        MockServer::builder()
            .callback_url(url.clone())
            .callback_auth(CallbackAuth::header(
                "x-kaleyra-secret",
                "s3cret-of-the-profile",
            )),
    )
    .await?;

    let accepted = client.send(&booking("order-42")?).await?;
    server.callbacks_settled().await;
    let events = app.events();
    assert_eq!(
        statuses_of(&events, &accepted.message_id),
        [StatusState::Sent, StatusState::Delivered, StatusState::Read]
    );
    let Some(Event::Status {
        reference, wamid, ..
    }) = events.first()
    else {
        return Err("a status".into());
    };
    assert_eq!(reference.as_deref(), Some("order-42"), "the refs come back");
    let wamid = wamid.clone().ok_or("wamid")?;
    assert!(wamid.starts_with("wamid."));

    // The customer completes the flow.
    let answer = Booked {
        token: "booking-order-42".into(),
        date: "2026-12-01".into(),
        guests: 4,
        note: Some("by the window".into()),
    };
    let status = server
        .incoming(Incoming::flow_completion(CUSTOMER, &answer)?.replying_to(&accepted.message_id))
        .await?;
    assert_eq!(status, 200);
    assert_eq!(
        app.events().last(),
        Some(&Event::Booked {
            booked: answer,
            context: Some(wamid),
            reply_to: Some(accepted.message_id.clone()),
            reference: Some("order-42".into()),
        })
    );

    // Raw JSON works as well, and so do texts and button taps.
    let raw = Incoming::flow_completion_json(
        CUSTOMER,
        serde_json::json!({"flow_token": "t", "date": "2027-01-01", "guest_count": 1}),
    );
    assert_eq!(server.incoming(raw).await?, 200);
    assert_eq!(
        server.incoming(Incoming::text(CUSTOMER, "thanks!")).await?,
        200
    );
    assert_eq!(
        server
            .incoming(Incoming::button(CUSTOMER, "STOP", "Stop"))
            .await?,
        200
    );
    let events = app.events();
    assert!(
        matches!(&events[events.len() - 3], Event::Booked { booked, .. } if booked.guests == 1 && booked.note.is_none())
    );
    assert_eq!(events[events.len() - 2], Event::Text("thanks!".into()));
    assert_eq!(events[events.len() - 1], Event::Button("STOP".into()));
    // Every post was accepted at the first attempt.
    assert!(
        server
            .callback_posts()
            .iter()
            .all(|p| p.attempt == 1 && p.status == Some(200))
    );
    Ok(())
}

#[tokio::test]
async fn statuses_in_order_for_each_of_many_messages() -> TestResult {
    let (app, url) = app(Auth::basic("kaleyra", "basic-password-long")?).await?;
    let (server, client) = start(
        MockServer::builder()
            .callback_url(url.clone())
            .callback_auth(CallbackAuth::basic("kaleyra", "basic-password-long")),
    )
    .await?;
    let mut ids = Vec::new();
    for n in 0..8 {
        let message = LoginCode {
            code: Otp::new(&format!("{n}2345"))?,
        }
        .to(CUSTOMER)?
        .extra_info(ExtraInfo::new().reference(format!("login-{n}")));
        ids.push(client.send(&message).await?.message_id);
    }
    server.callbacks_settled().await;
    let events = app.events();
    assert_eq!(events.len(), 3 * ids.len());
    for (n, id) in ids.iter().enumerate() {
        assert_eq!(
            statuses_of(&events, id),
            [StatusState::Sent, StatusState::Delivered, StatusState::Read],
            "{id}"
        );
        let reference = format!("login-{n}");
        assert!(events.iter().all(|e| match e {
            Event::Status {
                id: i,
                reference: r,
                ..
            } if i == id => r.as_deref() == Some(reference.as_str()),
            _ => true,
        }));
    }
    Ok(())
}

#[tokio::test]
async fn a_failed_message_with_a_chosen_meta_error() -> TestResult {
    let (app, url) = app(Auth::header("x-kaleyra-secret", "another-secret")?).await?;
    let (server, client) = start(
        MockServer::builder()
            .callback_url(url.clone())
            .callback_auth(CallbackAuth::header("x-kaleyra-secret", "another-secret")),
    )
    .await?;
    server.next_outcomes(1, Outcome::Failed(MetaErrorCode::ReEngagementWindow));
    server.next_outcomes(1, Outcome::Failed(MetaErrorCode::PairRateLimit));
    server.next_outcomes(1, Outcome::NotSent);
    server.next_outcomes(1, Outcome::Delivered);
    let mut ids = Vec::new();
    for reference in ["a", "b", "c", "d", "e"] {
        ids.push(client.send(&booking(reference)?).await?.message_id);
    }
    server.callbacks_settled().await;
    let events = app.events();
    let error_of = |id: &str| {
        events.iter().find_map(|e| match e {
            Event::Status { id: i, error, .. } if i == id => *error,
            _ => None,
        })
    };
    assert_eq!(statuses_of(&events, &ids[0]), [StatusState::Failed]);
    assert_eq!(
        error_of(&ids[0]),
        Some((MetaErrorCode::ReEngagementWindow, false))
    );
    assert_eq!(statuses_of(&events, &ids[1]), [StatusState::Failed]);
    assert_eq!(
        error_of(&ids[1]),
        Some((MetaErrorCode::PairRateLimit, true))
    );
    assert_eq!(statuses_of(&events, &ids[2]), [StatusState::NotSent]);
    assert_eq!(
        statuses_of(&events, &ids[3]),
        [StatusState::Sent, StatusState::Delivered]
    );
    assert_eq!(
        statuses_of(&events, &ids[4]),
        [StatusState::Sent, StatusState::Delivered, StatusState::Read],
        "back to the default"
    );
    Ok(())
}

#[tokio::test]
async fn a_5xx_is_redelivered_and_handled_once() -> TestResult {
    let (app, url) = app(Auth::header("x-kaleyra-secret", "redelivery-secret")?).await?;
    let (server, client) = start(
        MockServer::builder()
            .callback_url(url.clone())
            .callback_auth(CallbackAuth::header(
                "x-kaleyra-secret",
                "redelivery-secret",
            ))
            .callback_outcome(Outcome::Sent)
            .callback_retry_delay(std::time::Duration::from_millis(1)),
    )
    .await?;
    app.fail.store(2, Ordering::SeqCst);
    let accepted = client.send(&booking("r")?).await?;
    server.callbacks_settled().await;
    assert_eq!(
        statuses_of(&app.events(), &accepted.message_id),
        [StatusState::Sent]
    );
    let posts: Vec<_> = server
        .callback_posts()
        .iter()
        .map(|p| (p.attempt, p.status))
        .collect();
    assert_eq!(posts, [(1, Some(500)), (2, Some(500)), (3, Some(200))]);
    Ok(())
}

#[tokio::test]
async fn redeliveries_are_bounded() -> TestResult {
    let (app, url) = app(Auth::header("x-kaleyra-secret", "bounded-secret")?).await?;
    let (server, client) = start(
        MockServer::builder()
            .callback_url(url.clone())
            .callback_auth(CallbackAuth::header("x-kaleyra-secret", "bounded-secret"))
            .callback_outcome(Outcome::Sent)
            .callback_attempts(2)
            .callback_retry_delay(std::time::Duration::from_millis(1)),
    )
    .await?;
    app.fail.store(5, Ordering::SeqCst);
    client.send(&booking("r")?).await?;
    server.callbacks_settled().await;
    let posts: Vec<_> = server
        .callback_posts()
        .iter()
        .map(|p| (p.attempt, p.status))
        .collect();
    assert_eq!(posts, [(1, Some(500)), (2, Some(500))]);
    assert!(app.events().is_empty());
    Ok(())
}

#[tokio::test]
async fn advanced_authentication_fetches_a_token_first() -> TestResult {
    let (app, url) = app(Auth::bearer("kaleyra-client", "client-secret-long")?).await?;
    let (server, client) = start(
        MockServer::builder()
            .callback_url(url.clone())
            .callback_auth(CallbackAuth::advanced(
                format!("{url}/token"),
                "kaleyra-client",
                "client-secret-long",
            )),
    )
    .await?;
    let accepted = client.send(&booking("adv")?).await?;
    server.callbacks_settled().await;
    assert_eq!(
        statuses_of(&app.events(), &accepted.message_id),
        [StatusState::Sent, StatusState::Delivered, StatusState::Read]
    );
    assert_eq!(server.incoming(Incoming::text(CUSTOMER, "hi")).await?, 200);
    Ok(())
}

#[tokio::test]
async fn wrong_credentials_are_refused_and_not_retried() -> TestResult {
    let (app, url) = app(Auth::header("x-kaleyra-secret", "the-right-secret")?).await?;
    let (server, client) = start(
        MockServer::builder()
            .callback_url(url.clone())
            .callback_auth(CallbackAuth::header("x-kaleyra-secret", "the-wrong-secret"))
            .callback_outcome(Outcome::Sent),
    )
    .await?;
    client.send(&booking("w")?).await?;
    server.callbacks_settled().await;
    let posts: Vec<_> = server
        .callback_posts()
        .iter()
        .map(|p| (p.attempt, p.status))
        .collect();
    assert_eq!(posts, [(1, Some(401))]);
    assert!(app.events().is_empty());

    // And an advanced-auth profile with a wrong client secret gets no token.
    let (server, client) = start(
        MockServer::builder()
            .callback_url(url.clone())
            .callback_auth(CallbackAuth::advanced(format!("{url}/token"), "x", "y"))
            .callback_outcome(Outcome::Sent)
            .callback_attempts(1),
    )
    .await?;
    client.send(&booking("w")?).await?;
    server.callbacks_settled().await;
    assert_eq!(server.callback_posts()[0].status, None);
    assert!(app.events().is_empty());
    Ok(())
}

#[tokio::test]
async fn without_a_callback_url_nothing_is_posted() -> TestResult {
    let (server, client) = start(MockServer::builder()).await?;
    client.send(&booking("n")?).await?;
    server.callbacks_settled().await;
    assert!(server.callback_posts().is_empty());
    match server.incoming(Incoming::text(CUSTOMER, "hi")).await {
        Err(kaleyra::Error::Config(e)) => assert_eq!(e.setting(), "callback URL"),
        other => panic!("{other:?}"),
    }
    Ok(())
}

/// Issues 18 and 20: a test waits for the posts it expects (they are made in the background,
/// after the `202`), and the simulator's log of them is bounded in bytes.
#[tokio::test]
async fn callback_posts_can_be_awaited_and_their_log_is_bounded() -> TestResult {
    use kaleyra::mock::CallbackPost;
    let (app, url) = app(Auth::header("x-kaleyra-secret", "s3cret")?).await?;
    let bound = 8 * 1024;
    let (server, client) = start(
        MockServer::builder()
            .callback_url(url)
            .callback_auth(CallbackAuth::header("x-kaleyra-secret", "s3cret"))
            .callback_log_bytes(bound),
    )
    .await?;
    for i in 0..10 {
        let message = LoginCode {
            code: Otp::new("123456")?,
        }
        .to(CUSTOMER)?
        .extra_info(ExtraInfo::new().reference(format!("m{i}")));
        client.send(&message).await?;
    }
    // sent, delivered, read for each.
    assert!(
        server
            .wait_for_callback_posts(30, std::time::Duration::from_secs(60))
            .await
    );
    server.callbacks_settled().await;
    assert_eq!(app.events().len(), 30);
    let counts = server.callback_counts();
    let posts = server.callback_posts();
    let held: usize = posts.iter().map(CallbackPost::retained_bytes).sum();
    assert!(held <= bound, "{held}");
    assert_eq!(counts.bytes, held);
    assert!(posts.len() < 30 && !posts.is_empty(), "{}", posts.len());
    assert_eq!(
        (counts.posts, counts.evicted),
        (30, 30 - posts.len() as u64)
    );
    assert_eq!((counts.messages, counts.pending), (10, 0));
    // No 31st post comes.
    assert!(
        !server
            .wait_for_callback_posts(31, std::time::Duration::from_millis(20))
            .await
    );
    Ok(())
}
