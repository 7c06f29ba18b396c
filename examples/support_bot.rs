//! A support bot answering a customer inside WhatsApp's 24-hour window (issue 15).
//!
//! ```text
//! cargo run --example support_bot
//! ```
//!
//! No configuration: it mounts `kaleyra::callback::router` in an axum app on 127.0.0.1 and
//! starts the Kaleyra simulator with that app as its callback URL. The simulator plays a
//! customer who writes; the bot marks the message read and answers with reply buttons declared
//! as an enum (`#[derive(Buttons)]`); the customer taps one, the bot reads the tap back into the
//! same enum, uploads an invoice (`client.upload_media`) and sends it by its media id. A day
//! later (the simulator's clock advanced) a late reply is accepted, then fails with WhatsApp's
//! 131047: outside the window only a template may be sent.

use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use kaleyra::FileError;
use kaleyra::callback::{
    self, Auth, Callback, Content, IncomingMessage, MetaErrorCode, StatusState,
};
use kaleyra::mock::{CallbackAuth, Incoming, MockServer};
use kaleyra::prelude::*;
use kaleyra::session::{MediaMessage, Text, Upload};
use tokio::net::TcpListener;

/// The bot's question: three reply buttons, checked by the compiler (1-3 buttons, titles of
/// 1-20 characters, unique), and the customer's tap read back as this enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Buttons)]
enum Help {
    #[button(id = "track", title = "Track my order")]
    Track,
    #[button(id = "invoice", title = "Send my invoice")]
    Invoice,
    #[button(id = "agent", title = "Talk to a person")]
    Agent,
}

/// What the bot has done, for the summary at the end.
#[derive(Default)]
struct Seen {
    /// The `wamid` of the buttons message, which the customer's tap quotes.
    asked: Option<String>,
    taps: Vec<Help>,
    invoices: usize,
    /// Statuses that failed with 131047 (outside the window).
    outside_window: usize,
}

fn lock(seen: &Mutex<Seen>) -> std::sync::MutexGuard<'_, Seen> {
    seen.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One incoming message: what the bot answers.
async fn answer(
    client: &Client,
    seen: &Mutex<Seen>,
    message: &IncomingMessage<'_>,
) -> Result<(), Error> {
    client.mark_read(message).await?; // Kaleyra's read receipt: the customer sees blue ticks
    match &message.content {
        Content::Text(text) => {
            println!(
                "  [bot] the customer wrote {:?}; asking how to help",
                text.body
            );
            let ask = Help::ask("Hello! How can we help?")?
                .header("Order A-1001")?
                .footer("Tap one")?;
            let sent = client.send(&message.reply(ask)?).await?;
            lock(seen).asked = Some(sent.message_id);
        }
        Content::ButtonReply(tap) => {
            let help: Help = tap.parse()?; // an id the enum lacks is Error::Callback
            println!("  [bot] the customer tapped {help:?}");
            lock(seen).taps.push(help);
            if help == Help::Invoice {
                let path = std::env::temp_dir().join("kaleyra-support-bot-invoice-A-1001.pdf");
                tokio::fs::write(&path, INVOICE)
                    .await
                    .map_err(|e| Error::File(FileError::new(&path, e)))?;
                // Streamed from disk; its type (from `.pdf`) and size checked before sending.
                let invoice = client.upload_media(Upload::from_path(&path).await?).await;
                let _ = tokio::fs::remove_file(&path).await;
                let invoice = invoice?;
                println!("  [bot] uploaded the invoice: media id {invoice}");
                let doc = MediaMessage::new(
                    Media::document_id(&invoice)?.filename("invoice-A-1001.pdf")?,
                )
                .caption("Your invoice for order A-1001")?;
                client.send(&message.reply(doc)?).await?;
                lock(seen).invoices += 1;
            }
        }
        other => println!("  [bot] (a {} message, not answered)", other.kind()),
    }
    Ok(())
}

/// The app's callback handler: statuses are logged, messages answered.
async fn on_callback(
    client: Arc<Client>,
    seen: Arc<Mutex<Seen>>,
    callback: Callback<'static>,
) -> Result<(), String> {
    for status in callback.statuses() {
        if status.state == StatusState::Failed {
            for error in &status.errors {
                println!("  [bot] {} failed: {error}", status.id);
                if error.code == MetaErrorCode::ReEngagementWindow {
                    lock(&seen).outside_window += 1;
                }
            }
        }
    }
    for message in callback.messages() {
        // An error here answers 500: Kaleyra (and the simulator) delivers the callback again.
        answer(&client, &seen, message)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// A tiny but well-formed PDF, so that the example needs no file of its own.
const INVOICE: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n\
trailer<</Root 1 0 R>>\n%%EOF\n";

async fn run() -> Result<bool, Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/kaleyra", listener.local_addr()?);
    // Kaleyra's callback profile with a custom header: the app refuses posts without it.
    let secret = "a-long-random-shared-secret";
    let server = MockServer::builder()
        .callback_url(url.clone())
        .callback_auth(CallbackAuth::header("x-callback-secret", secret))
        .start()
        .await;
    let client = Arc::new(
        Client::builder()
            .sid(server.sid())
            .api_key(server.api_key())
            .base_url(server.url())
            .sender(server.sender())
            .build()?,
    );

    let seen = Arc::new(Mutex::new(Seen::default()));
    let handler = {
        let (client, seen) = (Arc::clone(&client), Arc::clone(&seen));
        move |callback| on_callback(Arc::clone(&client), Arc::clone(&seen), callback)
    };
    let app = axum::Router::new().nest(
        "/kaleyra",
        callback::router(Auth::header("x-callback-secret", secret)?, handler),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    println!(
        "Bot receiving Kaleyra callbacks at {url}; simulator at {}",
        server.url()
    );

    let customer = "+91 98765 43210";
    println!("\n=== the customer writes (the 24-hour window opens)");
    server
        .incoming(Incoming::text(customer, "Hi, where is my order?").profile_name("Asha"))
        .await?;
    server.callbacks_settled().await;

    println!("\n=== the customer taps \"Send my invoice\"");
    let asked = lock(&seen).asked.clone().ok_or("the bot did not ask")?;
    server
        .incoming(Incoming::button_reply(customer, "invoice", "Send my invoice").replying_to(asked))
        .await?;
    server.callbacks_settled().await;

    println!("\n=== a day later, the bot follows up (outside the window)");
    server.advance_clock(Duration::from_secs(24 * 3600 + 60));
    let late = Text::new("Did the invoice reach you?")?.to(customer)?;
    let sent = client.send(&late).await?;
    println!(
        "--> accepted, message_id {} (WhatsApp decides after)",
        sent.message_id
    );
    server.callbacks_settled().await;

    let seen = lock(&seen);
    println!(
        "\nTaps {:?}, {} invoice(s) sent, {} message(s) refused outside the window (131047).",
        seen.taps, seen.invoices, seen.outside_window
    );
    Ok(seen.taps == [Help::Invoice] && seen.invoices == 1 && seen.outside_window == 1)
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => {
            println!("All done.");
            ExitCode::SUCCESS
        }
        Ok(false) => {
            println!("The conversation did not go as expected.");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
