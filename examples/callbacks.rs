//! Receiving callbacks: delivery statuses and a customer's completed flow, typed.
//!
//! ```text
//! cargo run --example callbacks
//! ```
//!
//! No configuration: it mounts `kaleyra::callback::router` in an axum app on 127.0.0.1, starts
//! the Kaleyra simulator with that app as its callback URL (with Kaleyra's "advanced
//! authentication": the simulator first fetches a token from the app's token route), plays a
//! customer who writes (which opens the 24-hour window for session messages), sends an
//! interactive flow message and an OTP through the real HTTP stack, and plays the customer
//! completing the flow. The app prints every status and the typed flow submission, then the
//! program exits.

use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};

use kaleyra::callback::{self, Auth, Callback, Content, MetaErrorCode, StatusState};
use kaleyra::mock::{CallbackAuth, Incoming, MockServer, Outcome};
use kaleyra::prelude::*;
use tokio::net::TcpListener;

/// The flow the restaurant sends, and (`response = Booked`) what comes back when the customer
/// completes it.
#[derive(Flow)]
#[flow(
    id = "1234567890",
    cta = "Book a table",
    screen = "BOOKING",
    body = "When would you like to come?",
    response = Booked
)]
struct Booking {
    #[flow(token)]
    token: String,
    restaurant: String,
}

/// The flow's answers, read from the completion's `response_json`.
#[derive(Debug, FlowResponse)]
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

/// What the app has seen, for the summary at the end.
#[derive(Default)]
struct Seen {
    statuses: usize,
    failures: usize,
    bookings: Vec<Booked>,
}

/// The app's callback handler: what a user writes.
async fn on_callback(seen: Arc<Mutex<Seen>>, callback: Callback<'static>) -> Result<(), String> {
    let reference = callback.extra_info().reference.as_deref().unwrap_or("-");
    for status in callback.statuses() {
        match status.state {
            StatusState::Failed | StatusState::NotSent => {
                for error in &status.errors {
                    println!(
                        "  [app] {} {} (ref {reference}): {error}; retry later: {}",
                        status.id,
                        status.state,
                        error.is_retryable()
                    );
                }
                seen.lock().unwrap_or_else(PoisonError::into_inner).failures += 1;
            }
            _ => println!("  [app] {} {} (ref {reference})", status.id, status.state),
        }
        seen.lock().unwrap_or_else(PoisonError::into_inner).statuses += 1;
    }
    for message in callback.messages() {
        let name = callback
            .contact(&message.from)
            .and_then(|c| c.name.as_deref())
            .unwrap_or("someone");
        match &message.content {
            Content::FlowReply(reply) if reply.is_flow() => {
                // Read into the type the flow declared; a mismatch is an error (500), and
                // Kaleyra delivers it again.
                let booked = reply.parse_for::<Booking>().map_err(|e| e.to_string())?;
                println!(
                    "  [app] {name} booked for {} guests on {} (token {}, note {:?})",
                    booked.guests, booked.date, booked.token, booked.note
                );
                seen.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .bookings
                    .push(booked);
            }
            Content::Text(text) => println!("  [app] {name} wrote: {}", text.body),
            other => println!("  [app] {name} sent a {} message", other.kind()),
        }
    }
    Ok(())
}

async fn run() -> Result<bool, Box<dyn std::error::Error>> {
    // The app: the receiver mounted at /kaleyra. The client id and secret are what the callback
    // profile's advanced authentication is configured with.
    let seen = Arc::new(Mutex::new(Seen::default()));
    let handler = {
        let seen = Arc::clone(&seen);
        move |callback| on_callback(Arc::clone(&seen), callback)
    };
    let auth = Auth::bearer("kaleyra-callbacks", "a-long-random-client-secret")?;
    let app = axum::Router::new().nest("/kaleyra", callback::router(auth, handler));
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/kaleyra", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    println!("App receiving Kaleyra callbacks at {url} (token route {url}/token)");

    // Kaleyra: the simulator, posting callbacks to the app.
    let server = MockServer::builder()
        .callback_url(url.clone())
        .callback_auth(CallbackAuth::advanced(
            format!("{url}/token"),
            "kaleyra-callbacks",
            "a-long-random-client-secret",
        ))
        .start()
        .await;
    let client = Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .waba_id(server.waba_id())
        .build()?;
    let customer = "+91 98765 43210";

    println!("\n=== the customer writes (opening the 24-hour window for session messages)");
    server
        .incoming(Incoming::text(customer, "Can we book a table?").profile_name("Asha"))
        .await?;

    println!("\n=== send a flow message (ref booking-7)");
    let booking = Booking {
        token: "booking-7".into(),
        restaurant: "Koramangala".into(),
    }
    .to(customer)?
    .extra_info(ExtraInfo::new().reference("booking-7"));
    let sent = client.send(&booking).await?;
    println!("--> accepted, message_id {}", sent.message_id);
    server.callbacks_settled().await;

    println!("\n=== send an OTP to a customer outside the 24-hour window (simulated failure)");
    server.next_outcomes(1, Outcome::Failed(MetaErrorCode::ReEngagementWindow));
    let login = LoginCode {
        code: Otp::new("482913")?,
    }
    .to(customer)?
    .extra_info(ExtraInfo::new().reference("login-1"));
    let otp = client.send(&login).await?;
    println!("--> accepted, message_id {}", otp.message_id);
    server.callbacks_settled().await;

    println!("\n=== the customer completes the flow");
    let answer = Booked {
        token: "booking-7".into(),
        date: "2026-12-24".into(),
        guests: 4,
        note: Some("by the window".into()),
    };
    let status = server
        .incoming(Incoming::flow_completion(customer, &answer)?.replying_to(&sent.message_id))
        .await?;
    println!("--> the app answered {status}");
    server
        .incoming(Incoming::text(customer, "See you then!").profile_name("Asha"))
        .await?;

    let seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
    println!(
        "\n{} statuses ({} failed), {} booking(s) received.",
        seen.statuses,
        seen.failures,
        seen.bookings.len()
    );
    Ok(seen.statuses == 4 && seen.failures == 1 && seen.bookings.len() == 1)
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => {
            println!("All done.");
            ExitCode::SUCCESS
        }
        Ok(false) => {
            println!("Some callbacks did not arrive.");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
