//! The flow lifecycle (issue 16) over HTTP, `kaleyra::Client` against the simulator: each state
//! change, each of Meta's refusals typed, and the requests as the documents write them
//! (kaleyra-docs/v2-session-flows-templates.md §3, v2-more-facts.md §4; Meta's shapes where
//! Kaleyra is silent).

#![cfg(feature = "mock")]

use std::fmt::Debug;

use kaleyra::flows::{FlowCategory, FlowField, FlowFields, FlowStatus, FlowUpdate, NewFlow};
use kaleyra::mock::{DEFAULT_FLOW_ID, MockServer, ReceivedRequest};
use kaleyra::model::{FlowMessage, FlowTemplate};
use kaleyra::{ApiError, ApiErrorKind, Client, Error, Flow, FlowId, Message, Template, WabaId};
use serde_json::{Value, json};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const RECIPIENT: &str = "+919876543210";

/// A valid Flow JSON: one terminal screen with its Footer (Meta's Flow JSON reference).
const BOOKING: &str = r#"{
  "version": "7.1",
  "screens": [
    {
      "id": "BOOKING",
      "title": "Book a table",
      "terminal": true,
      "success": true,
      "data": {},
      "layout": {
        "type": "SingleColumnLayout",
        "children": [
          {"type": "Footer", "label": "Book", "on-click-action": {"name": "complete", "payload": {}}}
        ]
      }
    }
  ]
}"#;

fn client(server: &MockServer) -> Client {
    match Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .waba_id(server.waba_id())
        .build()
    {
        Ok(client) => client,
        Err(e) => panic!("client configuration: {e}"),
    }
}

fn api_error<T: Debug>(result: Result<T, Error>) -> ApiError {
    match result {
        Err(Error::Api(e)) => e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn last(server: &MockServer) -> ReceivedRequest {
    match server.received().pop() {
        Some(r) => r,
        None => panic!("no request received"),
    }
}

fn path(server: &MockServer, tail: &str) -> String {
    format!("/v2/{}/whatsapp/{tail}", server.sid())
}

fn booking() -> Result<NewFlow, Error> {
    NewFlow::new("booking", [FlowCategory::AppointmentBooking])
}

fn flow_message(id: &FlowId) -> Result<Message, Error> {
    FlowMessage::with_id(id.as_str(), "Book now", "When would you like to come?")
        .token("booking-42")
        .to(RECIPIENT)
}

/// A created, uploaded and published flow.
async fn published(server: &MockServer, client: &Client, name: &str) -> Result<FlowId, Error> {
    let id = client
        .create_flow(&NewFlow::new(name, [FlowCategory::Other])?)
        .await?;
    assert!(client.upload_flow_json(&id, BOOKING).await?.is_empty());
    client.publish_flow(&id).await?;
    assert_eq!(server.flow_status(id.as_str()), Some(FlowStatus::Published));
    Ok(id)
}

#[tokio::test]
async fn create_upload_publish_deprecate() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);

    // Create (§3.1; Meta's body): the new flow is a draft.
    let id = client.create_flow(&booking()?).await?;
    let r = last(&server);
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        (
            "POST",
            path(&server, &format!("{}/flows", server.waba_id())).as_str()
        )
    );
    assert_eq!(r.content_type.as_deref(), Some("application/json"));
    assert_eq!(
        r.json,
        Some(json!({"name": "booking", "categories": ["APPOINTMENT_BOOKING"]}))
    );
    assert_eq!(r.status, 200);
    assert_eq!(server.flow_status(id.as_str()), Some(FlowStatus::Draft));

    // Publishing a draft without Flow JSON: Meta's 139002.
    let e = api_error(client.publish_flow(&id).await);
    assert_eq!((e.status(), e.code()), (400, "139002"));
    assert_eq!(e.kind(), ApiErrorKind::FlowNotPublishable);

    // Upload (§3.3): multipart form-data, file flow.json, name and asset_type as the page says.
    let errors = client.upload_flow_json(&id, BOOKING).await?;
    assert!(errors.is_empty(), "{errors:?}");
    let r = last(&server);
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", path(&server, &format!("{id}/assets")).as_str())
    );
    let content_type = r.content_type.unwrap_or_default();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = String::from_utf8_lossy(&r.body);
    for part in [
        "Content-Disposition: form-data; name=\"file\"; filename=\"flow.json\"",
        "Content-Type: application/json",
        "Content-Disposition: form-data; name=\"name\"\r\n\r\nflow.json\r\n",
        "Content-Disposition: form-data; name=\"asset_type\"\r\n\r\nFLOW_JSON\r\n",
    ] {
        assert!(body.contains(part), "{part:?} not in {body}");
    }
    assert_eq!(
        server.flow_json(id.as_str()).as_deref(),
        Some(BOOKING.as_bytes())
    );

    // Publish (§3.5): PUBLISHED; the same again changes nothing.
    client.publish_flow(&id).await?;
    assert_eq!(server.flow_status(id.as_str()), Some(FlowStatus::Published));
    client.publish_flow(&id).await?;

    // A published flow's JSON is fixed: Meta's 139001, "clone it".
    let e = api_error(client.upload_flow_json(&id, BOOKING).await);
    assert_eq!(
        (e.code(), e.kind()),
        ("139001", ApiErrorKind::FlowNotUpdatable)
    );
    assert!(e.to_string().contains("NewFlow::clone_of"), "{e}");

    // It can be sent.
    client.send(&flow_message(&id)?).await?;

    // Deprecate (§3.6): DEPRECATED, and then it can no longer be sent.
    client.deprecate_flow(&id).await?;
    let r = last(&server);
    assert_eq!(
        (r.method.as_str(), r.path.as_str(), r.body.len()),
        (
            "POST",
            path(&server, &format!("{id}/deprecate")).as_str(),
            0
        )
    );
    assert_eq!(
        server.flow_status(id.as_str()),
        Some(FlowStatus::Deprecated)
    );
    let e = api_error(client.send(&flow_message(&id)?).await);
    assert_eq!((e.status(), e.code()), (400, "131009"));
    assert!(e.body().contains("DEPRECATED"), "{}", e.body());
    // Deprecated twice: 139003; publishing it again: 139002.
    let e = api_error(client.deprecate_flow(&id).await);
    assert_eq!(e.kind(), ApiErrorKind::FlowNotDeprecatable);
    let e = api_error(client.publish_flow(&id).await);
    assert_eq!(e.kind(), ApiErrorKind::FlowNotPublishable);
    Ok(())
}

#[tokio::test]
async fn bad_flow_json_gives_typed_validation_errors_and_cannot_be_published() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = client.create_flow(&booking()?).await?;

    // Not JSON: one INVALID_FLOW_JSON at the line and column of the syntax error.
    let errors = client
        .upload_flow_json(&id, "{\n  \"version\": \"7.1\",\n  \"screens\": [,]\n}")
        .await?;
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!(
        (e.error.as_str(), e.error_type.as_str()),
        ("INVALID_FLOW_JSON", "FLOW_JSON_ERROR")
    );
    assert_eq!((e.line_start, e.column_start), (Some(3), Some(15)));
    assert!(e.to_string().starts_with("line 3, column 15: "), "{e}");

    // JSON without `version`: Meta's MISSING_FLOW_JSON_VERSION, pointing at the member.
    let errors = client.upload_flow_json(&id, r#"{"screens": []}"#).await?;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].error, "MISSING_FLOW_JSON_VERSION");
    assert_eq!(errors[0].pointers[0].path.as_deref(), Some("version"));

    // The flow keeps its errors: get shows them, and publishing is Meta's 139002.
    let details = client.flow(&id, &FlowFields::default()).await?;
    assert_eq!(details.validation_errors, errors);
    let e = api_error(client.publish_flow(&id).await);
    assert_eq!(
        (e.code(), e.kind()),
        ("139002", ApiErrorKind::FlowNotPublishable)
    );
    assert!(e.message().contains("validation errors"), "{}", e.message());
    assert_eq!(server.flow_status(id.as_str()), Some(FlowStatus::Draft));

    // Fixed: publishable.
    assert!(client.upload_flow_json(&id, BOOKING).await?.is_empty());
    client.publish_flow(&id).await?;

    // Too large or empty: refused before sending.
    let before = server.received().len();
    assert!(matches!(
        client.upload_flow_json(&id, Vec::new()).await,
        Err(Error::Validation(_))
    ));
    assert_eq!(server.received().len(), before);
    Ok(())
}

#[tokio::test]
async fn deprecating_a_draft_and_deleting_a_published_flow_are_refused() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    let draft = client.create_flow(&booking()?).await?;

    let e = api_error(client.deprecate_flow(&draft).await);
    assert_eq!((e.status(), e.code()), (400, "139003"));
    assert_eq!(e.kind(), ApiErrorKind::FlowNotDeprecatable);
    assert!(e.to_string().contains("delete a draft instead"), "{e}");
    assert_eq!(server.flow_status(draft.as_str()), Some(FlowStatus::Draft));

    // Delete (§3.7): a draft goes.
    client.delete_flow(&draft).await?;
    let r = last(&server);
    assert_eq!(
        (r.method.as_str(), r.path.as_str(), r.status),
        ("DELETE", path(&server, draft.as_str()).as_str(), 200)
    );
    assert_eq!(server.flow_status(draft.as_str()), None);
    // Gone: Kaleyra's unknown-flow answer.
    let e = api_error(client.delete_flow(&draft).await);
    assert_eq!((e.status(), e.code()), (401, "WA-401"));

    let live = published(&server, &client, "live").await?;
    let e = api_error(client.delete_flow(&live).await);
    assert_eq!((e.status(), e.code()), (400, "139004"));
    assert_eq!(e.kind(), ApiErrorKind::FlowNotDeletable);
    assert!(e.to_string().contains("deprecate"), "{e}");
    assert_eq!(
        server.flow_status(live.as_str()),
        Some(FlowStatus::Published)
    );
    Ok(())
}

#[tokio::test]
async fn names_are_unique_per_account() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    let first = client.create_flow(&booking()?).await?;
    let e = api_error(client.create_flow(&booking()?).await);
    assert_eq!((e.status(), e.code()), (400, "100"));
    assert_eq!(e.kind(), ApiErrorKind::FlowNameNotUnique);
    assert!(e.to_string().contains("pick another name"), "{e}");

    // Renaming another flow to a taken name: the same.
    let second = client
        .create_flow(&NewFlow::new("survey", [FlowCategory::Survey])?)
        .await?;
    let e = api_error(
        client
            .update_flow(&second, &FlowUpdate::new().name("booking")?)
            .await,
    );
    assert_eq!(e.kind(), ApiErrorKind::FlowNameNotUnique);
    // A flow keeps its own name.
    client
        .update_flow(&first, &FlowUpdate::new().name("booking")?)
        .await?;
    Ok(())
}

#[tokio::test]
async fn update_metadata_and_get_with_fields() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = client.create_flow(&booking()?).await?;
    client.upload_flow_json(&id, BOOKING).await?;

    // Update metadata (§3.2): Kaleyra's sample body.
    let update = FlowUpdate::new()
        .name("This is the first flow")?
        .endpoint_uri("https://www.tatacommunications.com/")?
        .categories([FlowCategory::SignIn])?;
    client.update_flow(&id, &update).await?;
    let r = last(&server);
    assert_eq!(
        (r.method.as_str(), r.path.as_str(), r.status),
        ("POST", path(&server, id.as_str()).as_str(), 200)
    );
    assert_eq!(
        r.body,
        br#"{"name":"This is the first flow","endpoint_uri":"https://www.tatacommunications.com/","categories":["SIGN_IN"]}"#
    );
    // An empty update is refused before sending.
    let before = server.received().len();
    assert!(matches!(
        client.update_flow(&id, &FlowUpdate::new()).await,
        Err(Error::Validation(_))
    ));
    assert_eq!(server.received().len(), before);

    // Get (§3.8): the fields asked for, commas encoded as %2C.
    let fields = FlowFields::default()
        .with(FlowField::JsonVersion)
        .with(FlowField::EndpointUri)
        .with(FlowField::Preview { invalidate: false });
    let details = client.flow(&id, &fields).await?;
    let r = last(&server);
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("GET", path(&server, id.as_str()).as_str())
    );
    assert_eq!(
        r.query.as_deref(),
        Some(
            "fields=id%2Cname%2Cstatus%2Ccategories%2Cvalidation_errors%2Cjson_version%2C\
             endpoint_uri%2Cpreview.invalidate%28false%29"
        )
    );
    assert_eq!(details.id, id.as_str());
    assert_eq!(details.name.as_deref(), Some("This is the first flow"));
    assert_eq!(details.status, Some(FlowStatus::Draft));
    assert_eq!(details.categories, [FlowCategory::SignIn]);
    assert!(details.validation_errors.is_empty());
    assert_eq!(details.json_version.as_deref(), Some("7.1"));
    assert_eq!(
        details.endpoint_uri.as_deref(),
        Some("https://www.tatacommunications.com/")
    );
    assert!(details.preview.is_some());
    // Not asked for: not there.
    assert_eq!(details.data_api_version, None);
    assert_eq!(details.health_status, None);

    // Only some fields.
    let only = client
        .flow(&id, &FlowFields::only([FlowField::Status]))
        .await?;
    assert_eq!((only.name, only.status), (None, Some(FlowStatus::Draft)));

    // An unknown flow: Kaleyra's documented WA-401.
    let e = api_error(client.flow("987654321", &FlowFields::default()).await);
    assert_eq!((e.status(), e.code()), (401, "WA-401"));
    assert_eq!(
        e.message(),
        "The flow_id either does not exist or does not belong to the account."
    );
    Ok(())
}

#[tokio::test]
async fn list_follows_every_page_and_assets_list_the_json() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    let mut ids = Vec::new();
    for i in 0..30 {
        ids.push(
            client
                .create_flow(&NewFlow::new(
                    format!("flow_{i:02}"),
                    [FlowCategory::Other],
                )?)
                .await?,
        );
    }
    server.clear_received();

    // List (§3.9): 31 flows (the default one too) on two pages of 25.
    let flows = client.list_flows(&FlowFields::default()).await?;
    assert_eq!(flows.len(), 31);
    let listed: Vec<&str> = flows.iter().map(|f| f.id.as_str()).collect();
    for id in &ids {
        assert!(listed.contains(&id.as_str()), "{id} not listed");
    }
    assert!(listed.contains(&DEFAULT_FLOW_ID));
    let mut unique = listed.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 31, "a flow listed twice");
    let requests = server.received();
    assert_eq!(requests.len(), 2);
    let list_path = path(&server, &format!("{}/flows", server.waba_id()));
    assert!(
        requests
            .iter()
            .all(|r| r.method == "GET" && r.path == list_path)
    );
    assert_eq!(
        requests[0].query.as_deref(),
        Some("fields=id%2Cname%2Cstatus%2Ccategories%2Cvalidation_errors")
    );
    let second = requests[1].query.clone().unwrap_or_default();
    assert!(
        second.starts_with("fields=id%2Cname%2Cstatus%2Ccategories%2Cvalidation_errors&after="),
        "{second}"
    );
    assert!(flows.iter().all(|f| f.status.is_some() && f.name.is_some()));

    // Assets (§3.4): none before an upload, then flow.json with its download URL.
    assert!(client.flow_assets(&ids[0]).await?.is_empty());
    client.upload_flow_json(&ids[0], BOOKING).await?;
    let assets = client.flow_assets(&ids[0]).await?;
    let r = last(&server);
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("GET", path(&server, &format!("{}/assets", ids[0])).as_str())
    );
    assert_eq!(assets.len(), 1);
    assert_eq!(
        (assets[0].name.as_str(), assets[0].asset_type.as_str()),
        ("flow.json", "FLOW_JSON")
    );
    // The simulator's CDN, on its own address (Meta's is https on mmg.whatsapp.net).
    let url = assets[0].download_url.clone().unwrap_or_default();
    assert!(
        url.starts_with(&format!("{}/cdn/flows/", server.url())),
        "{url}"
    );
    // Downloaded without the api-key (the CDN refuses one): the bytes uploaded.
    assert_eq!(
        client.download_flow_asset(&assets[0]).await?,
        BOOKING.as_bytes()
    );
    let r = last(&server);
    assert_eq!(
        (r.path.as_str(), r.api_key.as_deref()),
        (url.trim_start_matches(&server.url()), None)
    );
    assert_eq!(
        client.flow_json(&ids[0]).await?.as_deref(),
        Some(BOOKING.as_bytes())
    );
    assert_eq!(client.flow_json(&ids[1]).await?, None);
    // A download URL that is not https (nor loopback) is not followed.
    let before = server.received().len();
    let mut plain = assets[0].clone();
    plain.download_url = Some("http://mmg.whatsapp.net/flow.json".into());
    assert!(matches!(
        client.download_flow_asset(&plain).await,
        Err(kaleyra::Error::Decode(_))
    ));
    assert_eq!(server.received().len(), before);
    Ok(())
}

#[tokio::test]
async fn migrate_copies_named_flows_and_reports_each_name() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    let live = published(&server, &client, "booking").await?;
    let draft = client
        .create_flow(&NewFlow::new("survey", [FlowCategory::Survey])?)
        .await?;
    let destination = WabaId::new("109000000000002")?;

    let migration = client
        .migrate_flows(&destination, &["booking", "survey", "nope"])
        .await?;
    let r = last(&server);
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        (
            "POST",
            path(
                &server,
                &format!("{}/migrate_flows/109000000000002", server.waba_id())
            )
            .as_str()
        )
    );
    assert_eq!(
        r.json,
        Some(json!({"source_flow_names": ["booking", "survey", "nope"]}))
    );
    let copied: Vec<(&str, &str)> = migration
        .migrated
        .iter()
        .map(|m| (m.source_name.as_str(), m.source_id.as_str()))
        .collect();
    assert_eq!(
        copied,
        [("booking", live.as_str()), ("survey", draft.as_str())]
    );
    // New ids, same states: published stays published, a draft a draft.
    let new_live = &migration.migrated[0].migrated_id;
    assert_ne!(new_live, live.as_str());
    assert_eq!(server.flow_status(new_live), Some(FlowStatus::Published));
    assert_eq!(
        server.flow_status(&migration.migrated[1].migrated_id),
        Some(FlowStatus::Draft)
    );
    assert_eq!(migration.failed.len(), 1);
    assert_eq!(migration.failed[0].source_name, "nope");

    // Every flow (no names): those already in the destination are skipped with an error;
    // only the default flow (registered as `registered_{id}`) is copied.
    let again = client.migrate_flows(&destination, &[]).await?;
    assert_eq!(last(&server).json, Some(json!({})));
    let copied: Vec<&str> = again
        .migrated
        .iter()
        .map(|m| m.source_name.as_str())
        .collect();
    assert_eq!(copied, [format!("registered_{DEFAULT_FLOW_ID}")]);
    let failed: Vec<&str> = again
        .failed
        .iter()
        .map(|f| f.source_name.as_str())
        .collect();
    assert!(
        failed.contains(&"booking") && failed.contains(&"survey"),
        "{failed:?}"
    );
    assert!(again.failed.iter().all(|f| f.error_code == "100"));
    Ok(())
}

#[tokio::test]
async fn blocked_and_unknown_flows_are_refused_when_sent() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    let default = FlowId::new(DEFAULT_FLOW_ID)?;

    // Before the account creates any flow, made-up ids are accepted (the simulator cannot
    // tell them from flows made elsewhere): existing tests send them.
    client.send(&flow_message(&FlowId::new("42")?)?).await?;

    // BLOCKED: WhatsApp's 132068, for the flow message and the flow template whose button
    // opens it.
    assert!(server.set_flow_status(DEFAULT_FLOW_ID, FlowStatus::Blocked));
    let e = api_error(client.send(&flow_message(&default)?).await);
    assert_eq!(
        (e.status(), e.code(), e.kind()),
        (400, "132068", ApiErrorKind::FlowBlocked)
    );
    assert!(e.to_string().contains("health_status"), "{e}");
    let template = FlowTemplate::new("flow_template20", "en_US")
        .flow_token("t-1")
        .to(RECIPIENT)?;
    let e = api_error(client.send(&template).await);
    assert_eq!(e.code(), "132068");

    // THROTTLED flows are still sent, 10 an hour (flow messages and flow templates together),
    // the 11th refused with Meta's 132069; an hour later, again.
    assert!(server.set_flow_status(DEFAULT_FLOW_ID, FlowStatus::Throttled));
    for _ in 0..5 {
        client.send(&flow_message(&default)?).await?;
        client.send(&template).await?;
    }
    let e = api_error(client.send(&flow_message(&default)?).await);
    assert_eq!(
        (e.status(), e.code(), e.kind()),
        (400, "132069", ApiErrorKind::FlowThrottled)
    );
    assert_eq!(api_error(client.send(&template).await).code(), "132069");
    server.advance_clock(std::time::Duration::from_secs(3600));
    client.send(&template).await?;
    // Deprecating a throttled flow is allowed (facts §3.6).
    client.deprecate_flow(&default).await?;
    let e = api_error(client.send(&template).await);
    assert_eq!(e.code(), "131009");

    // Once the account manages its flows, an unknown id is refused (WA400).
    client.create_flow(&booking()?).await?;
    let e = api_error(client.send(&flow_message(&FlowId::new("42")?)?).await);
    assert_eq!((e.status(), e.code()), (400, "WA400"));
    assert!(!server.set_flow_status("42", FlowStatus::Blocked));
    Ok(())
}

#[tokio::test]
async fn refusals_are_meta_errors_in_kaleyras_envelope() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    let id = published(&server, &client, "booking").await?;
    let e = api_error(client.delete_flow(&id).await);
    let body: Value = serde_json::from_str(e.body())?;
    assert_eq!(body["code"], "139004");
    assert_eq!(body["message"], "(#139004) Can't delete published Flow");
    assert_eq!(body["error"]["code"], 139004);
    assert_eq!(body["error"]["type"], "OAuthException");
    assert_eq!(body["error"]["error_data"]["messaging_product"], "whatsapp");
    // Not retryable, not ambiguous: the server said no.
    let e = Error::Api(e);
    assert!(!e.is_retryable() && !e.is_ambiguous());

    // Another method on a flow path: 405 with Allow.
    let http = reqwest::Client::builder().no_proxy().build()?;
    let response = http
        .put(format!("{}{}", server.url(), path(&server, id.as_str())))
        .header("api-key", server.api_key())
        .send()
        .await?;
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(
        response
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok()),
        Some("GET, POST, DELETE")
    );
    // A wrong key is RBC001 on the flow routes too.
    let response = http
        .get(format!("{}{}", server.url(), path(&server, id.as_str())))
        .header("api-key", "wrong")
        .send()
        .await?;
    assert_eq!(response.status().as_u16(), 401);
    Ok(())
}
