//! Template management over HTTP against the simulator (issue 19, part B): the creation body
//! (golden, written from Meta's creation body in `v2-session-flows-templates.md` §4.1), the
//! edit, delete and bulk-delete URLs and bodies (§4.2-§4.4, the choices of RULES.md
//! "Template management"), the review (PENDING, then APPROVED or REJECTED with the template
//! status callback of §4.5), Kaleyra's edit rules and hourly limit, and the resumable upload
//! (§2.2).

#![cfg(feature = "mock")]

use std::time::Duration;

use kaleyra::catalogue::{Category, Status, TemplateDefinition};
use kaleyra::manage::{BulkDelete, DateRange, Edit};
use kaleyra::mock::{CallbackPost, Decision, MockServer, ReceivedRequest, Review};
use kaleyra::model::StandardTemplate;
use kaleyra::prelude::*;
use kaleyra::session::Upload;
use kaleyra::{ApiErrorKind, RateLimit};
use serde_json::{Value, json};
use tokio::net::TcpListener;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const DAY: Duration = Duration::from_secs(24 * 3600);

fn client(server: &MockServer) -> Client {
    Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .waba_id(server.waba_id())
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

async fn server(review: Review) -> Result<MockServer, std::io::Error> {
    Ok(MockServer::builder()
        .callback_url(receiver().await?)
        .review(review)
        .start()
        .await)
}

/// A new template as it would stand in the catalogue file.
fn definition(name: &str, language: &str, body: &str) -> TemplateDefinition {
    TemplateDefinition::from_json(json!({
        "name": name, "language": language, "status": "PENDING", "category": "UTILITY",
        "components": [{"type": "BODY", "text": body, "example": {"body_text": [["Ada"]]}}]
    }))
    .expect("a template object")
}

fn last(server: &MockServer) -> ReceivedRequest {
    server.received().pop().expect("a request")
}

fn templates_path(server: &MockServer) -> String {
    format!(
        "/v2/{}/whatsapp/{}/message_templates",
        server.sid(),
        server.waba_id()
    )
}

fn api_kind(result: Result<impl std::fmt::Debug, Error>) -> ApiErrorKind {
    match result {
        Err(Error::Api(e)) => e.kind(),
        other => panic!("expected Kaleyra's refusal, got {other:?}"),
    }
}

fn refusal(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::Api(e)) => {
            assert_eq!((e.status(), e.code()), (400, "WA400"), "{e}");
            e.body().to_owned()
        }
        other => panic!("expected WA400, got {other:?}"),
    }
}

async fn template_posts(server: &MockServer, n: usize) -> Vec<CallbackPost> {
    let posts = |s: &MockServer| -> Vec<CallbackPost> {
        s.callback_posts()
            .into_iter()
            .filter(|p| p.event == "template_status")
            .collect()
    };
    for _ in 0..500 {
        if posts(server).len() >= n {
            break;
        }
        server
            .wait_for_callback_posts(
                server.callback_counts().posts + 1,
                Duration::from_millis(10),
            )
            .await;
    }
    posts(server)
}

#[tokio::test]
async fn the_creation_body_is_metas_and_leaves_out_what_the_account_says() -> TestResult {
    // A definition as `pull` writes it: Meta's members, read-only ones among them, and one the
    // library does not model.
    let pulled = TemplateDefinition::from_json(json!({
        "name": "seasonal_promotion",
        "parameter_format": "POSITIONAL",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Our {{1}} is on!",
             "example": {"header_text": ["Summer Sale"]}},
            {"type": "BODY",
             "text": "Shop now through {{1}} and use code {{2}} to get {{3}} off of all merchandise.",
             "example": {"body_text": [["the end of August", "25OFF", "25%"]]}},
            {"type": "FOOTER", "text": "Use the buttons below to manage your marketing subscriptions"},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Unsubscribe from Promos"},
                {"type": "URL", "text": "Shop", "url": "https://www.example.com/shop/{{1}}",
                 "example": ["summer"]},
                {"type": "PHONE_NUMBER", "text": "Call", "phone_number": "15550051310"}
            ]}
        ],
        "language": "en_US",
        "status": "APPROVED",
        "category": "MARKETING",
        "allow_category_change": true,
        "id": "1190000000000077",
        "quality_score": {"score": "GREEN"},
        "rejected_reason": "NONE",
        "previous_category": "UTILITY",
        "company_id": "Z8aeXXXXXXXXa",
        "message_send_ttl_seconds": 86400
    }))?;
    // Meta's creation body (§4.1 [META]): name, language, category, allow_category_change,
    // parameter_format, components; the unmodelled member kept; no id, status, quality...
    let expected = r#"{"name":"seasonal_promotion","language":"en_US","category":"MARKETING","allow_category_change":true,"parameter_format":"POSITIONAL","components":[{"type":"HEADER","format":"TEXT","text":"Our {{1}} is on!","example":{"header_text":["Summer Sale"]}},{"type":"BODY","text":"Shop now through {{1}} and use code {{2}} to get {{3}} off of all merchandise.","example":{"body_text":[["the end of August","25OFF","25%"]]}},{"type":"FOOTER","text":"Use the buttons below to manage your marketing subscriptions"},{"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Unsubscribe from Promos"},{"type":"URL","text":"Shop","url":"https://www.example.com/shop/{{1}}","example":["summer"]},{"type":"PHONE_NUMBER","text":"Call","phone_number":"15550051310"}]}],"message_send_ttl_seconds":86400}"#;
    assert_eq!(pulled.creation_body().to_string(), expected);

    // On the wire: POST …/{waba_id}/message_templates with exactly that body.
    let server = MockServer::builder()
        .without_default_templates()
        .start()
        .await;
    let created = client(&server).create_template(&pulled).await?;
    let request = last(&server);
    assert_eq!(
        (
            request.method.as_str(),
            request.path.as_str(),
            request.query.as_deref()
        ),
        ("POST", templates_path(&server).as_str(), None)
    );
    assert_eq!(request.body_str(), Some(expected));
    assert_eq!(request.content_type.as_deref(), Some("application/json"));
    assert_eq!(created.status, Status::Pending);
    assert_eq!(created.category, Category::Marketing);
    Ok(())
}

#[tokio::test]
async fn a_created_template_is_pending_then_approved_listed_and_sendable() -> TestResult {
    let server = server(Review::approve_after(Duration::from_secs(600))).await?;
    let client = client(&server);
    let created = client
        .create_template(&definition(
            "order_ready",
            "en_US",
            "Hi {{1}}, your order is ready",
        ))
        .await?;
    assert_eq!(created.status, Status::Pending);
    let listed = |templates: Vec<TemplateDefinition>| {
        templates
            .into_iter()
            .find(|t| t.name() == "order_ready")
            .map(|t| (t.id().map(str::to_owned), t.status().clone()))
    };
    assert_eq!(
        listed(client.templates().await?),
        Some((Some(created.id.clone()), Status::Pending))
    );
    // Not approved yet: a send is WhatsApp's 132001.
    let message = StandardTemplate::new("order_ready", "en_US")
        .body("Ada")
        .to("+919876543210")?;
    assert_eq!(
        api_kind(client.send(&message).await),
        ApiErrorKind::TemplateMismatch
    );
    assert_eq!(server.pending_reviews(), 1);

    // Ten minutes later on the simulator's clock: approved.
    server.advance_clock(Duration::from_secs(600));
    assert_eq!(
        listed(client.templates().await?),
        Some((Some(created.id.clone()), Status::Approved))
    );
    assert_eq!(server.pending_reviews(), 0);
    client.send(&message).await?;

    // The template status callback, §4.5's body.
    let posts = template_posts(&server, 1).await;
    let post = posts.first().ok_or("no template status callback")?;
    assert_eq!(post.message_id, created.id);
    let body = post.json();
    let keys: Vec<&str> = body
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        [
            "id",
            "time",
            "event",
            "message_template_id",
            "message_template_name",
            "message_template_language",
            "reason",
            "callback_profile_id",
            "company_id"
        ]
    );
    assert_eq!(body["event"], "APPROVED");
    assert_eq!(body["message_template_id"], created.id.as_str());
    assert_eq!(body["message_template_name"], "order_ready");
    assert_eq!(body["message_template_language"], "en_US");
    assert_eq!(body["reason"], "NONE");
    // And it reads as the typed template status the receiver hands over.
    let bytes = serde_json::to_vec(&body)?;
    let callback = kaleyra::callback::Callback::from_slice(&bytes)?;
    let [status] = callback.template_statuses() else {
        panic!("one template status expected: {body}");
    };
    assert_eq!(status.event, kaleyra::callback::TemplateEvent::Approved);
    assert_eq!(status.message_template_id, created.id.as_str());
    assert_eq!(status.message_template_name, "order_ready");
    assert_eq!(status.rejection_reason(), None);
    Ok(())
}

#[tokio::test]
async fn the_default_review_approves_at_once_and_review_now_decides_early() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    client
        .create_template(&definition("quick_one", "en", "Hi {{1}}"))
        .await?;
    let status = |ts: Vec<TemplateDefinition>, name: &str| {
        ts.into_iter()
            .find(|t| t.name() == name)
            .map(|t| t.status().clone())
    };
    assert_eq!(
        status(server.templates(), "quick_one"),
        Some(Status::Approved)
    );

    let slow = MockServer::builder()
        .review(Review::approve_after(DAY))
        .start()
        .await;
    client_for(&slow)
        .create_template(&definition("slow_one", "en", "Hi {{1}}"))
        .await?;
    assert_eq!(status(slow.templates(), "slow_one"), Some(Status::Pending));
    slow.review_now();
    assert_eq!(status(slow.templates(), "slow_one"), Some(Status::Approved));
    Ok(())
}

fn client_for(server: &MockServer) -> Client {
    client(server)
}

#[tokio::test]
async fn a_rejection_carries_its_reason_to_the_listing_and_the_callback() -> TestResult {
    let server = server(Review::decide(|t| {
        if t.name().starts_with("promo_") {
            Decision::Reject("PROMOTIONAL".to_owned())
        } else {
            Decision::Approve
        }
    }))
    .await?;
    let client = client(&server);
    let created = client
        .create_template(&definition("promo_now", "en_US", "Buy {{1}}"))
        .await?;
    let template = client
        .templates()
        .await?
        .into_iter()
        .find(|t| t.name() == "promo_now")
        .ok_or("not listed")?;
    assert_eq!(template.status(), &Status::Rejected);
    assert_eq!(template.as_json()["rejected_reason"], "PROMOTIONAL");
    let posts = template_posts(&server, 1).await;
    let body = posts.first().ok_or("no callback")?.json();
    assert_eq!(
        (
            &body["event"],
            &body["reason"],
            &body["message_template_id"]
        ),
        (
            &json!("REJECTED"),
            &json!("PROMOTIONAL"),
            &json!(created.id)
        )
    );
    let bytes = serde_json::to_vec(&body)?;
    let callback = kaleyra::callback::Callback::from_slice(&bytes)?;
    let [status] = callback.template_statuses() else {
        panic!("one template status expected: {body}");
    };
    assert_eq!(status.event, kaleyra::callback::TemplateEvent::Rejected);
    assert_eq!(status.rejection_reason(), Some("PROMOTIONAL"));
    Ok(())
}

#[tokio::test]
async fn edits_are_two_puts_with_the_template_id_and_follow_whatsapps_rules() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    let created = client
        .create_template(&definition("shipping", "en_US", "Hi {{1}}, it shipped"))
        .await?;
    let from = server.received().len();
    let edited = definition("shipping", "en_US", "Hello {{1}}, your parcel shipped");
    client.edit_template(&created.id, &edited).await?;
    // Kaleyra: category and components in separate calls; the id in the query (the choice of
    // RULES.md), Meta's edit bodies.
    let puts = server.received_since(from);
    let seen: Vec<(String, Option<String>, Value)> = puts
        .iter()
        .map(|r| {
            (
                format!("{} {}", r.method, r.path),
                r.query.clone(),
                r.json.clone().unwrap_or(Value::Null),
            )
        })
        .collect();
    let put = format!("PUT {}", templates_path(&server));
    let query = Some(format!("template_id={}", created.id));
    assert_eq!(
        seen,
        [
            (put.clone(), query.clone(), json!({"category": "UTILITY"})),
            (
                put.clone(),
                query.clone(),
                json!({"components": [{"type": "BODY", "text": "Hello {{1}}, your parcel shipped",
                                       "example": {"body_text": [["Ada"]]}}]})
            ),
        ]
    );
    assert!(puts.iter().all(|r| r.status == 200));

    // Approved again (re-reviewed); a second edit within 24 hours is refused.
    let again = definition("shipping", "en_US", "Hello {{1}}, it is on its way");
    let body = refusal(
        client
            .edit_template_parts(&created.id, &again, Edit::Components)
            .await,
    );
    assert!(body.contains("once in 24 hours"), "{body}");
    // A day later on the simulator's clock: accepted.
    server.advance_clock(DAY);
    client
        .edit_template_parts(&created.id, &again, Edit::Components)
        .await?;

    // An approved template's category cannot change.
    let marketing = TemplateDefinition::from_json(json!({
        "name": "shipping", "language": "en_US", "status": "APPROVED", "category": "MARKETING",
        "components": []
    }))?;
    let body = refusal(
        client
            .edit_template_parts(&created.id, &marketing, Edit::Category)
            .await,
    );
    assert!(body.contains("category of an approved template"), "{body}");
    Ok(())
}

#[tokio::test]
async fn a_pending_template_cannot_be_edited_and_ten_edits_in_30_days_is_the_most() -> TestResult {
    let server = MockServer::builder()
        .review(Review::approve_after(Duration::from_secs(3600)))
        .start()
        .await;
    let client = client(&server);
    let created = client
        .create_template(&definition("pending_one", "en", "Hi {{1}}"))
        .await?;
    let body = refusal(
        client
            .edit_template_parts(
                &created.id,
                &definition("pending_one", "en", "Hey {{1}}"),
                Edit::Components,
            )
            .await,
    );
    assert!(
        body.contains("only APPROVED, REJECTED or PAUSED") && body.contains("PENDING"),
        "{body}"
    );

    // Ten edits, a day and an hour apart (each re-reviewed within the hour): the eleventh in
    // 30 days is refused.
    for i in 0..10 {
        server.advance_clock(DAY + Duration::from_secs(3600));
        let text = format!("Edit {i}: hi {{{{1}}}}");
        client
            .edit_template_parts(
                &created.id,
                &definition("pending_one", "en", &text),
                Edit::Components,
            )
            .await?;
    }
    server.advance_clock(DAY + Duration::from_secs(3600));
    let body = refusal(
        client
            .edit_template_parts(
                &created.id,
                &definition("pending_one", "en", "Last {{1}}"),
                Edit::Components,
            )
            .await,
    );
    assert!(body.contains("10 times in 30 days"), "{body}");
    Ok(())
}

#[tokio::test]
async fn a_rejected_templates_category_may_change_and_it_is_reviewed_again() -> TestResult {
    let server = server(Review::decide(|t| {
        if t.category() == &Category::Marketing {
            Decision::Approve
        } else {
            Decision::Reject("INCORRECT_CATEGORY".to_owned())
        }
    }))
    .await?;
    let client = client(&server);
    let created = client
        .create_template(&definition("spring_sale", "en", "Sale on {{1}}"))
        .await?;
    let marketing = TemplateDefinition::from_json(json!({
        "name": "spring_sale", "language": "en", "status": "REJECTED", "category": "MARKETING",
        "components": []
    }))?;
    client
        .edit_template_parts(&created.id, &marketing, Edit::Category)
        .await?;
    let template = server
        .templates()
        .into_iter()
        .find(|t| t.name() == "spring_sale")
        .ok_or("not listed")?;
    assert_eq!(
        (template.status(), template.category()),
        (&Status::Approved, &Category::Marketing)
    );
    let events: Vec<Value> = template_posts(&server, 2)
        .await
        .iter()
        .map(|p| p.json()["event"].clone())
        .collect();
    assert_eq!(events, [json!("REJECTED"), json!("APPROVED")]);
    Ok(())
}

#[tokio::test]
async fn a_template_with_a_voice_call_button_cannot_be_edited() -> TestResult {
    let server = MockServer::start().await;
    server.add_template(TemplateDefinition::from_json(json!({
        "name": "call_us", "language": "en", "status": "APPROVED", "category": "MARKETING",
        "id": "1190000000000009",
        "components": [
            {"type": "BODY", "text": "Call us"},
            {"type": "BUTTONS", "buttons": [{"type": "VOICE_CALL", "text": "Call"}]}
        ]
    }))?);
    let body = refusal(
        client(&server)
            .edit_template_parts(
                "1190000000000009",
                &definition("call_us", "en", "Call us now"),
                Edit::Components,
            )
            .await,
    );
    assert!(body.to_ascii_lowercase().contains("voice_call"), "{body}");
    Ok(())
}

#[tokio::test]
async fn a_name_already_in_that_language_is_refused_with_metas_code() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    client
        .create_template(&definition("twice", "en_US", "Hi {{1}}"))
        .await?;
    let again = client
        .create_template(&definition("twice", "en_US", "Hello {{1}}"))
        .await;
    assert_eq!(api_kind(again), ApiErrorKind::TemplateExists);
    // Another language of the same name is another template.
    client
        .create_template(&definition("twice", "pt_BR", "Olá {{1}}"))
        .await?;
    Ok(())
}

#[tokio::test]
async fn delete_by_name_and_id_removes_one_language_by_name_alone_every_one() -> TestResult {
    let server = MockServer::builder()
        .without_default_templates()
        .start()
        .await;
    let client = client(&server);
    let en = client
        .create_template(&definition("greeting", "en_US", "Hi {{1}}"))
        .await?;
    client
        .create_template(&definition("greeting", "pt_BR", "Olá {{1}}"))
        .await?;
    client
        .create_template(&definition("greeting", "es", "Hola {{1}}"))
        .await?;
    client.delete_template("greeting", Some(&en.id)).await?;
    let request = last(&server);
    assert_eq!(
        (
            request.method.as_str(),
            request.path.as_str(),
            request.query
        ),
        (
            "DELETE",
            templates_path(&server).as_str(),
            Some(format!("name=greeting&template_id={}", en.id))
        )
    );
    let languages = |s: &MockServer| -> Vec<String> {
        s.templates()
            .iter()
            .map(|t| t.language().to_owned())
            .collect()
    };
    assert_eq!(languages(&server), ["es", "pt_BR"]);
    client.delete_template("greeting", None).await?;
    assert_eq!(last(&server).query.as_deref(), Some("name=greeting"));
    assert!(languages(&server).is_empty());
    // Nothing left by that name: refused.
    assert_eq!(
        api_kind(client.delete_template("greeting", None).await),
        ApiErrorKind::BadPayload
    );
    // A name that breaks the rule is refused before anything is sent.
    let before = server.received().len();
    assert!(matches!(
        client.delete_template("Greeting Card", None).await,
        Err(Error::Validation(_))
    ));
    assert_eq!(server.received().len(), before);
    Ok(())
}

#[tokio::test]
async fn bulk_delete_ands_its_filters() -> TestResult {
    let server = MockServer::builder()
        .without_default_templates()
        .review(Review::decide(|t| {
            if t.name().starts_with("old_") {
                Decision::Reject("INVALID_FORMAT".to_owned())
            } else {
                Decision::Approve
            }
        }))
        .start()
        .await;
    let client = client(&server);
    for (name, language) in [
        ("old_a", "en"),
        ("old_a", "en_US"),
        ("old_b", "en"),
        ("new_a", "en"),
        ("new_b", "en_US"),
    ] {
        client
            .create_template(&definition(name, language, "Hi {{1}}"))
            .await?;
    }
    let left = |s: &MockServer| -> Vec<String> {
        s.templates()
            .iter()
            .map(|t| format!("{} {}", t.name(), t.language()))
            .collect()
    };
    assert_eq!(left(&server).len(), 5);

    // REJECTED and in `en`: old_a (en) and old_b (en), not old_a (en_US) nor new_a (en).
    let filter = BulkDelete::new()
        .statuses([Status::Rejected])
        .languages(["en"]);
    client.delete_templates(&filter).await?;
    let request = last(&server);
    assert_eq!(
        (request.method.as_str(), request.query.as_deref()),
        ("DELETE", Some("status=REJECTED&language=en"))
    );
    assert_eq!(left(&server), ["new_a en", "new_b en_US", "old_a en_US"]);

    // Names (every language) AND a creation date range that holds today.
    let today = {
        let secs = server
            .now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs();
        civil(secs)
    };
    let filter = BulkDelete::new()
        .names(["old_a", "new_b"])
        .created_between(DateRange::new(&today, &today)?);
    client.delete_templates(&filter).await?;
    assert_eq!(
        last(&server).query,
        Some(format!(
            "names=old_a,new_b&start_date={today}&end_date={today}"
        ))
    );
    assert_eq!(left(&server), ["new_a en"]);

    // A range that holds no creation day deletes nothing.
    let filter = BulkDelete::new()
        .names(["new_a"])
        .created_between(DateRange::new("2001-01-01", "2001-12-31")?);
    client.delete_templates(&filter).await?;
    assert_eq!(left(&server), ["new_a en"]);

    // Ids.
    let id = server.templates()[0].id().ok_or("an id")?.to_owned();
    client
        .delete_templates(&BulkDelete::new().ids([id.as_str()]))
        .await?;
    assert_eq!(last(&server).query, Some(format!("template_ids={id}")));
    assert!(left(&server).is_empty());

    // No filter: refused before anything is sent.
    let before = server.received().len();
    assert!(matches!(
        client.delete_templates(&BulkDelete::new()).await,
        Err(Error::Validation(_))
    ));
    assert_eq!(server.received().len(), before);
    Ok(())
}

/// `YYYY-MM-DD` of a UNIX time (Howard Hinnant's civil-from-days).
fn civil(secs: u64) -> String {
    let z = secs / 86_400 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[tokio::test]
async fn the_101st_template_call_in_an_hour_is_wa429_and_not_retried() -> TestResult {
    let server = MockServer::builder()
        .without_default_templates()
        .start()
        .await;
    let client = client(&server);
    for i in 0..100 {
        client
            .create_template(&definition(&format!("t{i}"), "en", "Hi {{1}}"))
            .await?;
    }
    let before = server.received().len();
    let refused = client
        .create_template(&definition("t100", "en", "Hi {{1}}"))
        .await;
    match &refused {
        Err(Error::Api(e)) => {
            assert_eq!((e.status(), e.code()), (429, "WA429"));
            assert_eq!(e.kind(), ApiErrorKind::TemplateRateLimited);
            assert!(e.retry_after().is_some());
        }
        other => panic!("{other:?}"),
    }
    // One request: the client's retry policy leaves an hour's limit alone.
    assert_eq!(server.received().len(), before + 1);
    // Listing does not count; an hour later creating works again.
    assert_eq!(client.templates().await?.len(), 100);
    server.advance_clock(Duration::from_secs(3600));
    client
        .create_template(&definition("t100", "en", "Hi {{1}}"))
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_resumable_upload_gives_a_handle_for_a_media_header() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    let png = Upload::from_bytes(
        vec![0x89, b'P', b'N', b'G', 1, 2, 3],
        "image/png",
        "banner.png",
    )?;
    let handle = client.upload_resumable(png).await?;
    let request = last(&server);
    assert_eq!(
        (
            request.method.as_str(),
            request.path.as_str(),
            request.status
        ),
        (
            "POST",
            format!(
                "/v2/{}/whatsapp/{}/resumable_media",
                server.sid(),
                server.waba_id()
            )
            .as_str(),
            200
        )
    );
    assert!(
        request
            .content_type
            .as_deref()
            .is_some_and(|ct| ct.starts_with("multipart/form-data; boundary=")),
        "{:?}",
        request.content_type
    );
    assert!(handle.resumable_media_id().is_some());
    // The handle is what a media header's example takes.
    let with_header = TemplateDefinition::from_json(json!({
        "name": "banner_offer", "language": "en", "status": "PENDING", "category": "MARKETING",
        "components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": [handle.as_str()]}},
            {"type": "BODY", "text": "New in: {{1}}", "example": {"body_text": [["hats"]]}}
        ]
    }))?;
    client.create_template(&with_header).await?;
    assert_eq!(
        last(&server)
            .json
            .as_ref()
            .map(|b| b["components"][0]["example"]["header_handle"][0].clone()),
        Some(json!(handle.as_str()))
    );
    Ok(())
}

#[tokio::test]
async fn a_resumable_upload_of_another_type_or_name_sends_nothing() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    let text = Upload::from_bytes(b"hello".to_vec(), "text/plain", "notes.txt")?;
    let spaced = Upload::from_bytes(vec![1; 8], "image/png", "my banner.png")?;
    let at = Upload::from_bytes(vec![1; 8], "application/pdf", "menu@2x.pdf")?;
    for upload in [text, spaced, at] {
        let name = upload.file_name().to_owned();
        match client.upload_resumable(upload).await {
            Err(Error::Validation(e)) => assert!(e.to_string().contains("resumable"), "{e}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    // Over 100 MB: refused when the upload is made, before any call.
    assert!(
        Upload::from_bytes(vec![0; 100 * 1024 * 1024 + 1], "application/pdf", "big.pdf").is_err()
    );
    assert!(server.received().is_empty());
    Ok(())
}

#[tokio::test]
async fn a_definition_whatsapp_would_reject_is_not_sent() -> TestResult {
    let server = MockServer::start().await;
    // A media header whose example is a URL, not an upload handle: the classic rejection.
    let bad = TemplateDefinition::from_json(json!({
        "name": "summer_menu", "language": "en_US", "category": "MARKETING",
        "components": [
            {"type": "HEADER", "format": "IMAGE",
             "example": {"header_handle": ["https://example.com/menu.jpg"]}},
            {"type": "BODY", "text": "Our summer menu is here"}
        ]
    }))?;
    let before = server.received().len();
    let Err(Error::InvalidTemplate(e)) = client(&server).create_template(&bad).await else {
        panic!("expected Error::InvalidTemplate");
    };
    assert_eq!(e.violations().len(), 1);
    assert_eq!(
        e.violations()[0].member(),
        "components[0].example.header_handle[0]"
    );
    assert!(
        e.to_string()
            .starts_with("summer_menu (en_US): components[0].example.header_handle[0]: "),
        "{e}"
    );
    let edit = client(&server)
        .edit_template_parts("1190000000000001", &bad, Edit::Components)
        .await;
    assert!(matches!(edit, Err(Error::InvalidTemplate(_))), "{edit:?}");
    assert_eq!(server.received().len(), before, "nothing was sent");
    Ok(())
}
