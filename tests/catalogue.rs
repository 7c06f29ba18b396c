//! The approved-template catalogue at run time: `Client::templates()` against the simulator's
//! `GET …/message_templates` (paging included), the committed `kaleyra-templates.json` being the
//! simulator's templates, and the simulator answering a send that does not match its catalogue
//! the way `Catalogue::check` says WhatsApp would (the same check).

#![cfg(feature = "mock")]

use std::fmt::Debug;

use kaleyra::catalogue::{Status, TemplateDefinition};
use kaleyra::mock::{ApprovedTemplate, MockServer};
use kaleyra::model::{
    AuthenticationTemplate, CarouselCard, FlowTemplate, ProductTemplate, StandardTemplate,
};
use kaleyra::{
    ApiError, ApiErrorKind, Catalogue, Client, Currency, DateTime, Error, Media, Message, Otp,
    Template,
};
use serde_json::json;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const RECIPIENT: &str = "+919876543210";

fn client(server: &MockServer) -> Result<Client, Error> {
    Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .waba_id(server.waba_id())
        .build()
}

fn api_error<T: Debug>(result: Result<T, Error>) -> ApiError {
    match result {
        Err(Error::Api(e)) => e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn the_committed_catalogue_is_the_simulators() -> TestResult {
    let server = MockServer::start().await;
    let templates = client(&server)?.templates().await?;
    let pulled = Catalogue::new(templates, "pulled");
    // Byte for byte what `kaleyra templates pull` writes: the examples' catalogue matches the
    // simulator they run against, plus the template examples/templates.rs creates and has
    // approved (`order_delayed`: that example checks the rest of the file byte for byte).
    let mut committed =
        Catalogue::from_json_str(include_str!("../kaleyra-templates.json"), "committed")?;
    assert!(committed.remove("order_delayed", "en_US").is_some());
    assert_eq!(committed.to_json_pretty(), kaleyra::mock::SEED_TEMPLATES);
    assert_eq!(pulled.to_json_pretty(), kaleyra::mock::SEED_TEMPLATES);
    let names: Vec<&str> = pulled.iter().map(TemplateDefinition::name).collect();
    assert_eq!(
        names,
        [
            "abandoned_cart_offer",
            "auth1",
            "flow_template20",
            "order_shipped",
            "summer_carousel",
            "welcome_named"
        ]
    );
    // The request: a GET with the key, on the WABA's template route.
    let request = &server.received()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.path,
        format!(
            "/v2/{}/whatsapp/{}/message_templates",
            server.sid(),
            server.waba_id()
        )
    );
    assert_eq!(request.api_key.as_deref(), Some(server.api_key()));
    Ok(())
}

#[tokio::test]
async fn templates_are_listed_across_pages() -> TestResult {
    let dir = std::env::temp_dir().join(format!("kaleyra-paging-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("templates.json");
    let entries: Vec<_> = (0..60)
        .map(|i| {
            json!({"name": format!("t{i:02}"), "language": "en_US", "status": "APPROVED",
                   "category": "UTILITY", "components": [{"type": "BODY", "text": "Hi {{1}}"}]})
        })
        .collect();
    std::fs::write(&file, serde_json::to_string(&entries)?)?;
    let server = MockServer::builder().templates_file(&file).start().await;
    std::fs::remove_dir_all(&dir)?;

    let templates = client(&server)?.templates().await?;
    let names: Vec<String> = templates.iter().map(|t| t.name().to_owned()).collect();
    let expected: Vec<String> = (0..60).map(|i| format!("t{i:02}")).collect();
    assert_eq!(names, expected);
    // 25 to a page: three requests, each after the previous page's cursor.
    let queries: Vec<String> = server.received().iter().map(|r| r.path.clone()).collect();
    assert_eq!(queries.len(), 3, "{queries:?}");
    Ok(())
}

#[tokio::test]
async fn listing_errors_are_typed() -> TestResult {
    let server = MockServer::start().await;
    let wrong_waba = Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .waba_id("999")
        .build()?;
    let e = api_error(wrong_waba.templates().await);
    assert_eq!((e.status(), e.code()), (401, "WA401"));

    let wrong_key = Client::builder()
        .sid(server.sid())
        .api_key("nope")
        .base_url(server.url())
        .waba_id(server.waba_id())
        .build()?;
    let e = api_error(wrong_key.templates().await);
    assert_eq!((e.status(), e.code()), (401, "RBC001"));

    let no_waba = Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .build()?;
    assert!(matches!(no_waba.templates().await, Err(Error::Config(_))));

    // The template route takes GET (the listing) and POST, PUT, DELETE (template management,
    // issue 19: tests/templates_manage.rs); nothing else.
    let http = reqwest::Client::builder().no_proxy().build()?;
    let response = http
        .patch(format!(
            "{}/v2/{}/whatsapp/{}/message_templates",
            server.url(),
            server.sid(),
            server.waba_id()
        ))
        .header("api-key", server.api_key())
        .send()
        .await?;
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(
        response
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok()),
        Some("GET, POST, PUT, DELETE")
    );
    Ok(())
}

/// The simulator's answer to `message` and what `Catalogue::check` says of it must agree: the
/// same code, and a refusal naming the same mismatch.
async fn agree(server: &MockServer, message: &Message) -> Result<Option<String>, Error> {
    let catalogue = Catalogue::new(server.templates(), "the simulator's templates");
    let expected = catalogue.check(message).err();
    let answer = client(server)?.send(message).await;
    match (expected, answer) {
        (None, Ok(_)) => Ok(None),
        (Some(mismatches), Err(Error::Api(e))) => {
            let first = mismatches.first().map(|m| m.code().to_string());
            assert_eq!(Some(e.code()), first.as_deref(), "{mismatches}");
            assert_eq!(e.status(), 400);
            assert_eq!(e.kind(), ApiErrorKind::TemplateMismatch);
            let refusal = server
                .received()
                .pop()
                .and_then(|r| r.refusal)
                .unwrap_or_default();
            assert!(refusal.ends_with(&mismatches.to_string()), "{refusal}");
            Ok(Some(e.code().to_owned()))
        }
        (expected, answer) => panic!("check says {expected:?}, the simulator {answer:?}"),
    }
}

fn order() -> Result<StandardTemplate, Error> {
    Ok(StandardTemplate::new("order_shipped", "en_US")
        .header(Media::image_link("https://example.com/parcel.png")?)
        .body("Ada")
        .body(Currency::new("USD", 100_990, "$100.99")?)
        .body(DateTime::new("February 25, 2026")?)
        .url_button(0, "A1042")
        .quick_reply_button(1, "stop"))
}

fn summer(cards: usize) -> Result<StandardTemplate, Error> {
    let mut t = StandardTemplate::new("summer_carousel", "en_US").body("Ada");
    for i in 0..cards {
        t = t.card(
            CarouselCard::new()
                .header(Media::image_id(format!("{i}"))?)
                .body("$20")
                .quick_reply_button(0, "buy"),
        );
    }
    Ok(t)
}

#[tokio::test]
async fn sends_that_do_not_match_are_answered_as_whatsapp_would() -> TestResult {
    let server = MockServer::builder().strict(true).start().await;
    // The cards' made-up media ids: the simulator refuses ids it did not issue.
    for i in 0..11 {
        server.register_media(&i.to_string());
    }
    let otp = || Otp::new("123456");
    let cases: Vec<(Message, Option<&str>)> = vec![
        (
            AuthenticationTemplate::new("auth1", "en_US", otp()?).to(RECIPIENT)?,
            None,
        ),
        (
            AuthenticationTemplate::new("auth1", "pt_BR", otp()?).to(RECIPIENT)?,
            Some("132001"),
        ),
        (
            AuthenticationTemplate::new("auth2", "en_US", otp()?).to(RECIPIENT)?,
            Some("132001"),
        ),
        (
            AuthenticationTemplate::new("auth1", "en_US", otp()?)
                .button_index(1)
                .to(RECIPIENT)?,
            Some("132000"),
        ),
        (
            FlowTemplate::new("flow_template20", "en_US")
                .body_parameter("extra")
                .to(RECIPIENT)?,
            Some("132000"),
        ),
        (
            FlowTemplate::new("flow_template20", "en_US")
                .button_index(0)
                .flow_token("t")
                .to(RECIPIENT)?,
            None,
        ),
        (
            ProductTemplate::new("abandoned_cart_offer", "en_US", "p", "c")
                .body_parameter("a")
                .body_parameter("b")
                .to(RECIPIENT)?,
            None,
        ),
        // General templates (`order_shipped`, `welcome_named`, `summer_carousel` in the seeds).
        (order()?.to(RECIPIENT)?, None),
        (
            StandardTemplate::new("order_shipped", "en_US")
                .header(Media::video_link("https://example.com/parcel.mp4")?)
                .body("Ada")
                .body(Currency::new("USD", 100_990, "$100.99")?)
                .body(DateTime::new("February 25, 2026")?)
                .url_button(0, "A1042")
                .to(RECIPIENT)?,
            Some("132012"),
        ),
        (
            StandardTemplate::new("order_shipped", "en_US")
                .header(Media::image_link("https://example.com/parcel.png")?)
                .body("Ada")
                .body("$100.99")
                .url_button(0, "A1042")
                .to(RECIPIENT)?,
            Some("132000"),
        ),
        (
            StandardTemplate::new("order_shipped", "en_US")
                .header(Media::image_link("https://example.com/parcel.png")?)
                .body("Ada")
                .body("$100.99")
                .body("Monday")
                .quick_reply_button(1, "stop")
                .to(RECIPIENT)?,
            Some("132000"),
        ),
        (
            StandardTemplate::new("welcome_named", "en_US")
                .named_body("first_name", "Ada")
                .copy_code_button(0, "WELCOME10")
                .to(RECIPIENT)?,
            None,
        ),
        (
            StandardTemplate::new("welcome_named", "en_US")
                .body("Ada")
                .copy_code_button(0, "WELCOME10")
                .to(RECIPIENT)?,
            Some("132012"),
        ),
        (summer(3)?.to(RECIPIENT)?, None),
        (summer(2)?.to(RECIPIENT)?, Some("132012")),
    ];
    for (message, code) in &cases {
        assert_eq!(
            agree(&server, message).await?.as_deref(),
            *code,
            "{message:?}"
        );
    }

    // Paused, disabled, in review.
    for (status, code) in [
        (Status::Paused, "132015"),
        (Status::Disabled, "132016"),
        (Status::Pending, "132001"),
    ] {
        assert!(server.set_template_status("auth1", "en_US", status));
        let message = AuthenticationTemplate::new("auth1", "en_US", otp()?).to(RECIPIENT)?;
        assert_eq!(agree(&server, &message).await?.as_deref(), Some(code));
    }
    assert!(!server.set_template_status("nope", "en_US", Status::Approved));

    // A template the account gains or loses.
    server.register_template(ApprovedTemplate::product("spring_sale", "es", 1));
    let spring = ProductTemplate::new("spring_sale", "es", "p", "c")
        .body_parameter("20%")
        .to(RECIPIENT)?;
    assert_eq!(agree(&server, &spring).await?, None);
    assert!(server.remove_template("spring_sale", "es").is_some());
    assert_eq!(agree(&server, &spring).await?.as_deref(), Some("132001"));
    Ok(())
}

#[tokio::test]
async fn a_templates_file_replaces_the_seeds() -> TestResult {
    let dir = std::env::temp_dir().join(format!("kaleyra-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("kaleyra-templates.json");
    std::fs::write(
        &file,
        r#"[{"name": "login", "language": "de", "status": "APPROVED", "category": "AUTHENTICATION",
             "components": [{"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE"}]}]}]"#,
    )?;
    let server = MockServer::builder().templates_file(&file).start().await;
    let names: Vec<String> = server
        .templates()
        .iter()
        .map(|t| t.name().to_owned())
        .collect();
    assert_eq!(names, ["login"]);

    std::fs::write(&file, "[{\"name\": \"login\",}]")?;
    let e = MockServer::builder()
        .templates_file(&file)
        .try_start()
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    std::fs::remove_dir_all(&dir)?;
    assert!(e.contains("kaleyra-templates.json:1:"), "{e}");
    assert!(e.contains("not valid JSON"), "{e}");
    Ok(())
}
