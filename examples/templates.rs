//! Templates as code: a new template added to the catalogue file, planned (what `kaleyra
//! templates push --dry-run` prints), pushed, reviewed by WhatsApp (the simulator, an hour on its
//! clock), pulled, and then sent through the struct declared for it.
//!
//! ```text
//! cargo run --example templates
//! ```
//!
//! `OrderDelayed` compiles because the workspace's committed `kaleyra-templates.json` records
//! `order_delayed` as APPROVED: the file this run ends with (the example checks that the two
//! are the same, byte for byte). While the template is PENDING the same check the derive makes
//! refuses it, and the example shows that too: commit the file only once the review is over.
//!
//! No configuration: it runs against the Kaleyra simulator on 127.0.0.1.

use std::process::ExitCode;
use std::time::Duration;

use kaleyra::catalogue::{Catalogue, TemplateDefinition, plan};
use kaleyra::mock::{MockServer, Review, SEED_TEMPLATES};
use kaleyra::prelude::*;

/// The new template, as the catalogue file has it: `order_delayed`, two body parameters.
#[derive(Template)]
#[template(name = "order_delayed", lang = "en_US")]
struct OrderDelayed<'a> {
    #[template(body)] // {{1}}
    order: &'a str,
    #[template(body)] // {{2}}
    day: &'a str,
}

/// What the user adds to `kaleyra-templates.json`: no `status`, no `id` — the account gives them.
const NEW_ENTRY: &str = r#"{
  "name": "order_delayed", "language": "en_US", "category": "UTILITY",
  "components": [
    {"type": "BODY", "text": "Your order {{1}} is delayed: it now arrives on {{2}}.",
     "example": {"body_text": [["A-1042", "Friday"]]}},
    {"type": "FOOTER", "text": "Reply STOP to opt out"}
  ]
}"#;

/// The committed catalogue, which the derive above was checked against.
const COMMITTED: &str = include_str!("../kaleyra-templates.json");

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // WhatsApp's review takes a while: an hour, on the simulator's clock.
    let server = MockServer::builder()
        .review(Review::approve_after(Duration::from_secs(3600)))
        .start()
        .await;
    let client = server.client()?;
    println!("The Kaleyra simulator is at {}", server.url());

    // 1. The file: the account's templates as `pull` wrote them, plus the new entry.
    let mut file = Catalogue::from_json_str(SEED_TEMPLATES, "kaleyra-templates.json")?;
    let new = TemplateDefinition::from_json(serde_json::from_str(NEW_ENTRY)?)?;
    // WhatsApp's creation rules, before anything is sent (push does this first).
    let violations = new.validate();
    if !violations.is_empty() {
        return Err(format!("the new entry would be rejected: {}", violations[0]).into());
    }
    file.insert(new);

    // 2. The plan: `kaleyra templates push --dry-run`.
    let account = Catalogue::new(client.templates().await?, "the account");
    let the_plan = plan(&file, &account, false);
    println!("\n$ kaleyra templates push --dry-run\n{the_plan}");

    // 3. Push: the calls, then the file refreshed from the account.
    let applied = client.apply_plan(&the_plan).await;
    println!("$ kaleyra templates push");
    for done in &applied.done {
        println!("{done}");
    }
    if let Some(why) = applied.stopped {
        return Err(why.to_string().into());
    }
    let message = OrderDelayed {
        order: "A-1042",
        day: "Friday",
    }
    .to("+919876543210")?;

    // 4. In review: the check the derive makes refuses the struct (it would not compile
    //    against this file), and WhatsApp refuses the send.
    let pending = Catalogue::new(client.templates().await?, "kaleyra-templates.json");
    match pending.check(&message) {
        Err(mismatches) => println!("\nwhile in review: {mismatches}"),
        Ok(()) => return Err("a PENDING template passed the check".into()),
    }
    match client.send(&message).await {
        Err(e) => println!("sending it now: {e}"),
        Ok(_) => return Err("the simulator accepted a PENDING template".into()),
    }

    // 5. An hour later WhatsApp approves it (and posts the template status callback); pull.
    server.advance_clock(Duration::from_secs(3600));
    let pulled = Catalogue::new(client.templates().await?, "kaleyra-templates.json");
    let status = pulled
        .get("order_delayed", "en_US")
        .map(|t| t.status().to_string())
        .unwrap_or_default();
    println!("\n$ kaleyra templates pull\norder_delayed (en_US) is {status}");
    pulled.check(&message)?;
    if pulled.to_json_pretty() != COMMITTED {
        return Err(
            "the pulled catalogue is not the committed kaleyra-templates.json: run \
                    this example's steps with `kaleyra templates pull` and commit the file"
                .into(),
        );
    }
    println!("the pulled file is the committed kaleyra-templates.json: OrderDelayed compiles");

    // 6. Approved: sent.
    let accepted = client.send(&message).await?;
    println!("sent: {}", accepted.message_id);
    Ok(())
}
