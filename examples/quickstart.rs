//! The main job: declare one template of each kind (authentication, flow, single-product, a
//! general template with a media header, a currency and a URL button) and an interactive flow
//! message, send one message of each, a session text and reply buttons declared as an enum
//! (`#[derive(Buttons)]`), and publish a flow, through the real HTTP stack, printing every
//! request body and every response.
//!
//! Every `#[derive(Template)]` here is also checked at compile time against the approved
//! templates in the workspace's `kaleyra-templates.json` (the simulator's account): change a
//! field of `OrderShipped` and this example stops compiling, with the approved text quoted.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! With no configuration it starts the Kaleyra simulator on 127.0.0.1 and talks to it. With
//! `KALEYRA_SID` and `KALEYRA_API_KEY` set it talks to Kaleyra instead, using the rest of the
//! `Client::from_env` variables (`KALEYRA_REGION` or `KALEYRA_BASE_URL`, `KALEYRA_SENDER`,
//! `KALEYRA_WABA_ID`), and needs `KALEYRA_TO`, the recipient; `KALEYRA_FLOW_ID` names the flow
//! to open and publish (the templates must be approved on your account under these names).

use std::process::ExitCode;

use kaleyra::mock::MockServer;
use kaleyra::prelude::*;

/// The authentication template of Kaleyra's document: the OTP goes into the body and into the
/// copy-code button.
#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

/// A flow template: its button opens a flow.
#[derive(Template)]
#[template(name = "flow_template20", kind = flow, lang = "en_US", button_index = 0)]
struct Survey {
    #[template(flow_token)]
    token: String,
    #[template(flow_action_data)]
    first_screen: serde_json::Value,
}

/// A single-product template: a product from a catalog, with two body parameters.
#[derive(Template)]
#[template(name = "abandoned_cart_offer", kind = product, lang = "en_US")]
struct CartOffer<'a> {
    #[template(product_retailer_id)]
    product: &'a str,
    #[template(catalog_id)]
    catalog: &'a str,
    #[template(body)]
    code: &'a str,
    #[template(body)]
    discount: &'a str,
}

/// A general template (no `kind`): its components follow from the field roles. The approved
/// `order_shipped` is "Hi {{1}}, your order of {{2}} ships on {{3}}." under an image header,
/// with a dynamic URL button and a quick reply.
#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
struct OrderShipped<'a> {
    #[template(header)]
    photo: Media,
    #[template(body)]
    customer: &'a str,
    #[template(body)]
    total: Currency,
    #[template(body)]
    delivery: DateTime,
    #[template(button(url, index = 0))]
    tracking: String,
    #[template(button(quick_reply, index = 1))]
    stop: &'static str,
}

/// An interactive flow message (not a template); its fields without a role are the data of
/// the first screen.
#[derive(Flow)]
#[flow(
    id = "1234567890",
    cta = "Book now",
    screen = "WELCOME",
    header = "Flow message header",
    body = "Flow message body",
    footer = "Flow message footer"
)]
struct Booking {
    #[flow(token)]
    token: String,
    date: String,
    guests: u8,
}

/// Reply buttons (a session message, inside the customer's 24-hour window): each variant is a
/// button, its title checked at compile time; the customer's tap comes back as this enum
/// (`ButtonReply::parse::<Delivery>()`).
#[derive(Buttons)]
enum Delivery {
    #[button(title = "Tomorrow")]
    Tomorrow,
    #[button(title = "Next week")]
    NextWeek,
    #[button(id = "cancel", title = "Cancel order")]
    Cancel,
}

/// Where the messages go: the simulator (kept alive while in use) or Kaleyra.
struct Target {
    client: Client,
    to: String,
    flow_id: Option<String>,
    simulator: Option<MockServer>,
}

async fn target() -> Result<Target, String> {
    let configured = ["KALEYRA_SID", "KALEYRA_API_KEY"]
        .iter()
        .all(|v| std::env::var(v).is_ok_and(|s| !s.trim().is_empty()));
    if configured {
        let client = Client::from_env().map_err(|e| e.to_string())?;
        let to = std::env::var("KALEYRA_TO")
            .map_err(|_| "set KALEYRA_TO to the recipient's number (E.164, e.g. +919876543210)")?;
        println!("Talking to Kaleyra at {}", client.base_url());
        return Ok(Target {
            client,
            to,
            flow_id: std::env::var("KALEYRA_FLOW_ID").ok(),
            simulator: None,
        });
    }
    let server = MockServer::try_start()
        .await
        .map_err(|e| format!("cannot start the simulator: {e}"))?;
    println!(
        "No KALEYRA_SID/KALEYRA_API_KEY: using the Kaleyra simulator at {}",
        server.url()
    );
    let client = Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .waba_id(server.waba_id())
        .build()
        .map_err(|e| e.to_string())?;
    Ok(Target {
        client,
        to: "+91 98765 43210".to_owned(),
        flow_id: Some("1234567890".to_owned()),
        simulator: Some(server),
    })
}

/// Builds the messages; every value is checked here, before anything is sent.
fn messages(to: &str) -> Result<Vec<(&'static str, Message)>, Error> {
    let extra = || {
        ExtraInfo::new()
            .reference("customer1")
            .ref1("marketing")
            .ref2("dictionary")
            .source(WaSource::Api)
    };
    Ok(vec![
        (
            "authentication template",
            LoginCode {
                code: Otp::new("J$Fp4821")?,
            }
            .to(to)?
            .extra_info(extra()),
        ),
        (
            "flow template",
            Survey {
                token: "flow_token".into(),
                first_screen: serde_json::json!({}),
            }
            .to(to)?
            .extra_info(extra()),
        ),
        (
            "single-product template",
            CartOffer {
                product: "nqrxxx03ez",
                catalog: "194XXXXXXXX3835",
                code: "25OFF",
                discount: "25%",
            }
            .to(to)?
            .extra_info(extra()),
        ),
        (
            "general template (image header, currency, URL button)",
            OrderShipped {
                photo: Media::image_link("https://example.com/parcels/42.jpg")?,
                customer: "Ada",
                total: Currency::new("USD", 100_990, "$100.99")?,
                delivery: DateTime::new("Tuesday, 3 March")?,
                tracking: "42".into(),
                stop: "STOP_ORDER_UPDATES",
            }
            .to(to)?
            .extra_info(extra()),
        ),
        (
            "interactive flow message",
            Booking {
                token: "AQAAAAACS5FpgQ_cAAAAAD0QI3s.".into(),
                date: "2026-12-01".into(),
                guests: 2,
            }
            .to(to)?,
        ),
        (
            "session text",
            kaleyra::session::Text::new("Your order A-1001 has shipped")?
                .to(to)?
                .extra_info(extra()),
        ),
        (
            "reply buttons (#[derive(Buttons)])",
            Delivery::ask("When should we deliver?")?
                .footer("Reply within 24 hours")?
                .to(to)?
                .extra_info(extra()),
        ),
    ])
}

fn pretty(message: &Message) -> String {
    serde_json::to_string_pretty(&message.to_json()).unwrap_or_else(|_| message.as_str().into())
}

#[tokio::main]
async fn main() -> ExitCode {
    let target = match target().await {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let messages = match messages(&target.to) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: a message is invalid, nothing was sent: {e}");
            return ExitCode::FAILURE;
        }
    };

    let mut failures = 0;
    for (kind, message) in &messages {
        let url = target.client.url_for(message).unwrap_or("(not configured)");
        println!("\n=== {kind}\nPOST {url}\n{}", pretty(message));
        match target.client.send(message).await {
            Ok(accepted) => println!("--> accepted, message_id {}", accepted.message_id),
            Err(e) => {
                failures += 1;
                println!("--> {e}");
            }
        }
    }

    match &target.flow_id {
        Some(flow_id) => {
            println!(
                "\n=== publish flow\nPOST {}/v2/{}/whatsapp/{flow_id}/publish",
                target.client.base_url(),
                target.client.sid()
            );
            match target.client.publish_flow(flow_id.as_str()).await {
                Ok(()) => println!("--> published"),
                Err(e) => {
                    failures += 1;
                    println!("--> {e}");
                }
            }
        }
        None => println!("\n(set KALEYRA_FLOW_ID to publish a flow)"),
    }

    // A typed error, as the simulator answers a wrong API key (only against the simulator).
    if let Some(server) = &target.simulator {
        let wrong_key = Client::builder()
            .sid(server.sid())
            .api_key("not-the-key")
            .base_url(server.url())
            .sender(server.sender())
            .build();
        if let (Ok(client), Some((_, message))) = (wrong_key, messages.first()) {
            println!("\n=== the same OTP message with a wrong API key");
            match client.send(message).await {
                Err(Error::Api(e)) => println!(
                    "--> Error::Api: HTTP {}, code {}, kind {:?}, message {:?}, retryable: {}",
                    e.status(),
                    e.code(),
                    e.kind(),
                    e.message(),
                    Error::Api(e.clone()).is_retryable()
                ),
                other => {
                    failures += 1;
                    println!("--> unexpected: {other:?}");
                }
            }
        }
    }

    if failures == 0 {
        println!("\nAll done.");
        ExitCode::SUCCESS
    } else {
        println!("\n{failures} request(s) failed.");
        ExitCode::FAILURE
    }
}
