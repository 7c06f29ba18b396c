//! Flows as code, end to end against the simulator (no configuration):
//!
//! 1. validate the committed `kaleyra-flows/booking.json` with Meta's rules (as `kaleyra flows
//!    validate` does);
//! 2. push it (create the flow, upload its Flow JSON: the simulator validates it with the same
//!    rules, then publish), as `kaleyra flows push booking --publish` does;
//! 3. send it with `#[derive(Flow)] #[flow(name = "booking")]`: the compiler took the id from the
//!    committed `kaleyra-flows/flows.json`, which records what the account holds after this push
//!    (the example checks that it does, as the templates example does with its catalogue);
//! 4. make the customer complete it (the simulator builds the `nfm_reply` from the flow's
//!    `complete` payload) and read the completion with `#[derive(FlowResponse)]`.
//!
//! `cargo run --example flows`

use std::process::ExitCode;

use kaleyra::callback::{Callback, Content};
use kaleyra::flows::{FlowCategory, FlowJson, FlowStatus, FlowsDir, NewFlow};
use kaleyra::mock::MockServer;
use kaleyra::{Flow, FlowResponse};
use tokio::net::TcpListener;

/// The committed flow file, read at build time.
const BOOKING_JSON: &str = include_str!("../kaleyra-flows/booking.json");

/// What the terminal screen `CONFIRM` sends in `complete` (checked against `booking.json`).
#[derive(Debug, FlowResponse)]
#[flow_response(flow = "booking")]
struct Booked {
    #[flow_response(token)]
    token: String,
    venue: String,
    date: String,
    notes: Option<String>,
    reminders: bool,
}

/// The flow message: opens screen `BOOKING` with its `data` (both checked against
/// `booking.json`); the id comes from `flows.json`.
#[derive(Flow)]
#[flow(
    name = "booking",
    cta = "Book a table",
    screen = "BOOKING",
    body = "Book your table in two taps",
    response = Booked
)]
struct Booking {
    #[flow(token)]
    token: String,
    venue: String,
    guests: u32,
}

async fn run() -> Result<bool, Box<dyn std::error::Error>> {
    // 1. Validate the file.
    let flow = FlowJson::from_slice(BOOKING_JSON.as_bytes())?;
    let violations = flow.validate();
    for v in &violations {
        println!("booking.json: {v}");
    }
    if !violations.is_empty() {
        return Ok(false);
    }
    println!(
        "booking.json: valid ({} screens, completes with {:?})",
        flow.screens.len(),
        flow.completion_fields()
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
    );

    // A receiver for the simulator's callbacks: it only has to answer 200 (the example reads
    // the posts back from the simulator).
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/kaleyra", listener.local_addr()?);
    let app = axum::Router::new().route("/kaleyra", axum::routing::post(|| async { "ok" }));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let server = MockServer::builder().callback_url(url).start().await;
    let client = server.client()?;

    // 2. Push: create, upload (Meta's validation errors, none here), publish.
    let id = client
        .create_flow(&NewFlow::new(
            "booking",
            [FlowCategory::AppointmentBooking],
        )?)
        .await?;
    let errors = client
        .upload_flow_json(&id, BOOKING_JSON.as_bytes().to_vec())
        .await?;
    if !errors.is_empty() {
        for e in &errors {
            println!("Meta: {} ({})", e.message, e.error);
        }
        return Ok(false);
    }
    client.publish_flow(&id).await?;
    println!("pushed flow booking as {} and published it", id.as_str());
    // The committed flows.json must say what the account now holds: the id the derive sends.
    let committed = FlowsDir::load(concat!(env!("CARGO_MANIFEST_DIR"), "/kaleyra-flows"))?;
    let entry = committed
        .entry("booking")
        .ok_or("kaleyra-flows/flows.json has no booking")?;
    let pushed = client.flow(&id, &Default::default()).await?;
    if entry.id != id.as_str() || pushed.status != Some(FlowStatus::Published) {
        println!(
            "kaleyra-flows/flows.json records booking as {} {:?}; the account has {} {:?}: run `kaleyra flows pull`",
            entry.id,
            entry.status,
            id.as_str(),
            pushed.status
        );
        return Ok(false);
    }
    println!(
        "kaleyra-flows/flows.json records it as the account has it: {} PUBLISHED",
        entry.id
    );

    // 3. Send it.
    let customer = "+91 98765 43210";
    let message = Booking {
        token: "booking-42".into(),
        venue: "Harbour Kitchen".into(),
        guests: 2,
    }
    .to(customer)?;
    let sent = client.send(&message).await?;
    println!("sent the flow, message_id {}", sent.message_id);

    // 4. The customer completes it: answers for the inputs, the rest from the flow.
    let mut answers = serde_json::Map::new();
    answers.insert("reminders".into(), false.into());
    let completion = server.flow_completion(customer, id.as_str(), None, "booking-42", &answers)?;
    server.incoming(completion).await?;
    let post = server
        .callback_posts()
        .into_iter()
        .find(|p| p.event == "incoming")
        .ok_or("no completion was posted")?;
    let callback = Callback::from_slice(&post.body)?;
    let Some(Content::FlowReply(reply)) = callback.messages().first().map(|m| &m.content) else {
        return Err("the completion is not a flow reply".into());
    };
    let booked: Booked = reply.parse_for::<Booking>()?;
    println!(
        "completed: {} on {} (notes {:?}, reminders {}), token {}",
        booked.venue, booked.date, booked.notes, booked.reminders, booked.token
    );
    Ok(booked.token == "booking-42" && booked.venue == "Harbour Kitchen" && !booked.reminders)
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
