//! The Kaleyra simulator (`kaleyra::mock`) over real HTTP, through `kaleyra::Client`.
//!
//! Every kind is accepted and recorded byte for byte; each documented refusal comes back as the
//! right typed error; each injected fault surfaces as the error a caller must handle; the retry
//! policy is seen from the server's side.

#![cfg(feature = "mock")]

use std::fmt::Debug;
use std::time::Duration;

use kaleyra::mock::{
    ApprovedTemplate, DEFAULT_FLOW_ID, Fault, MockServer, ReceivedRequest, TemplateCategory,
};
use kaleyra::model::{AuthenticationTemplate, FlowMessage, FlowTemplate, ProductTemplate};
use kaleyra::{
    ApiError, ApiErrorKind, Client, ClientBuilder, Error, ExtraInfo, Flow, Message, Otp, Retry,
    Template, TransportErrorKind, WaSource,
};
use serde_json::{Value, json};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const RECIPIENT: &str = "+919876543210";

/// A client for the simulated account, adjusted by `adjust`.
fn client_with(server: &MockServer, adjust: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Client {
    let builder = Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .waba_id(server.waba_id());
    match adjust(builder).build() {
        Ok(client) => client,
        Err(e) => panic!("client configuration: {e}"),
    }
}

fn client(server: &MockServer) -> Client {
    client_with(server, |b| b)
}

fn extra() -> ExtraInfo<'static> {
    ExtraInfo::new()
        .reference("customer1")
        .ref1("marketing")
        .ref2("dictionary")
        .source(WaSource::Api)
}

fn otp_message() -> Result<Message, Error> {
    Ok(
        AuthenticationTemplate::new("auth1", "en_US", Otp::new("J$FpXXXX")?)
            .to(RECIPIENT)?
            .extra_info(extra()),
    )
}

fn flow_template_message() -> Result<Message, Error> {
    Ok(FlowTemplate::new("flow_template20", "en_US")
        .flow_token("flow_token")
        .flow_action_data(json!({}))
        .to("+91 98765 43210")?
        .extra_info(extra()))
}

fn product_message() -> Result<Message, Error> {
    Ok(ProductTemplate::new(
        "abandoned_cart_offer",
        "en_US",
        "nqrxxx03ez",
        "194000000003835",
    )
    .body_parameter("25OFF")
    .body_parameter("25%")
    .to("+16005550234")?
    .extra_info(extra()))
}

fn flow_message() -> Result<Message, Error> {
    FlowMessage::with_id(DEFAULT_FLOW_ID, "Book now", "Flow message body")
        .header("Flow message header")
        .footer("Flow message footer")
        .token("booking-42")
        .screen("WELCOME")
        .data(json!({"date": "2025-01-01", "guests": 2}))
        .to(RECIPIENT)
}

/// The API error of a failed call.
fn api_error<T: Debug>(result: Result<T, Error>) -> ApiError {
    match result {
        Err(Error::Api(e)) => e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn sender_path(server: &MockServer) -> String {
    format!("/v2/{}/whatsapp/{}/messages", server.sid(), server.sender())
}

fn waba_path(server: &MockServer) -> String {
    format!(
        "/v2/{}/whatsapp/{}/messages",
        server.sid(),
        server.waba_id()
    )
}

/// A hand-written client: posts raw bytes with the simulated account's key.
struct Raw {
    http: reqwest::Client,
    base: String,
    api_key: String,
}

impl Raw {
    fn new(server: &MockServer) -> Result<Raw, reqwest::Error> {
        Ok(Raw {
            http: reqwest::Client::builder().no_proxy().build()?,
            base: server.url(),
            api_key: server.api_key().to_owned(),
        })
    }

    async fn post(
        &self,
        path: &str,
        body: impl Into<reqwest::Body>,
    ) -> Result<(u16, String), reqwest::Error> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("api-key", &self.api_key)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await?;
        let status = response.status().as_u16();
        Ok((status, response.text().await?))
    }
}

/// The code of a raw error answer.
fn code_of(status: u16, body: &str) -> String {
    match ApiError::from_body(status, body) {
        Some(e) => e.code().to_owned(),
        None => panic!("not a Kaleyra error body: {body}"),
    }
}

fn last(server: &MockServer) -> ReceivedRequest {
    match server.received().pop() {
        Some(request) => request,
        None => panic!("the simulator recorded nothing"),
    }
}

#[tokio::test]
async fn every_kind_and_publish_is_accepted_and_recorded_byte_for_byte() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    let messages = [
        otp_message()?,
        flow_template_message()?,
        product_message()?,
        flow_message()?,
    ];
    let mut ids = Vec::new();
    for message in &messages {
        let accepted = client.send(message).await?;
        assert!(accepted.message_id.starts_with('A'), "{accepted:?}");
        ids.push(accepted.message_id);
    }
    client.publish_flow(DEFAULT_FLOW_ID).await?;

    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "message ids repeat: {ids:?}");

    let received = server.received();
    assert_eq!(received.len(), 5);
    let paths = [
        sender_path(&server),
        sender_path(&server),
        waba_path(&server),
        sender_path(&server),
    ];
    for (((request, message), path), id) in received.iter().zip(&messages).zip(&paths).zip(&ids) {
        assert_eq!(request.method, "POST");
        assert_eq!(&request.path, path);
        assert_eq!(request.api_key.as_deref(), Some(server.api_key()));
        assert_eq!(request.content_type.as_deref(), Some("application/json"));
        assert_eq!(request.body, message.as_bytes());
        assert_eq!(request.json, Some(message.to_json()));
        assert_eq!(request.status, 202);
        assert_eq!(request.refusal, None);
        assert_eq!(request.message_id.as_ref(), Some(id));
        assert!(request.is_message());
    }
    let publish = &received[4];
    assert!(publish.is_publish());
    assert_eq!(
        publish.path,
        format!("/v2/{}/whatsapp/{DEFAULT_FLOW_ID}/publish", server.sid())
    );
    assert_eq!((publish.status, publish.json.as_ref()), (200, None));
    assert!(publish.body.is_empty());
    Ok(())
}

#[tokio::test]
async fn the_202_body_is_the_documented_json() -> TestResult {
    let server = MockServer::start().await;
    let raw = Raw::new(&server)?;
    let message = otp_message()?;
    let path = sender_path(&server);
    let (status, body) = raw.post(&path, message.into_bytes()).await?;
    assert_eq!(status, 202);
    let id = last(&server).message_id.unwrap_or_default();
    assert_eq!(
        serde_json::from_str::<Value>(&body)?,
        json!({"code": "WA202", "message": "Request Accepted", "data": {"message_id": id}, "error": {}})
    );
    Ok(())
}

#[tokio::test]
async fn a_wrong_api_key_or_sid_is_rbc001() -> TestResult {
    let server = MockServer::start().await;
    let message = otp_message()?;

    let wrong_key = client_with(&server, |b| b.api_key("Awrong0000000000000000000000000003"));
    let e = api_error(wrong_key.send(&message).await);
    assert_eq!((e.status(), e.code()), (401, "RBC001"));
    assert_eq!(e.kind(), ApiErrorKind::Unauthorized);
    assert!(!Error::Api(e.clone()).is_retryable());
    // The document's body, `"data": []` included.
    assert_eq!(serde_json::from_str::<Value>(e.body())?["data"], json!([]));

    let wrong_sid = client_with(&server, |b| b.sid("HXAP16999999997IN"));
    let e = api_error(wrong_sid.send(&message).await);
    assert_eq!((e.status(), e.code()), (401, "RBC001"));
    let e = api_error(wrong_sid.publish_flow(DEFAULT_FLOW_ID).await);
    assert_eq!((e.status(), e.code()), (401, "RBC001"));

    let statuses: Vec<u16> = server.received().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [401, 401, 401]);
    assert_eq!(
        server.received()[0].api_key.as_deref(),
        Some("Awrong0000000000000000000000000003")
    );
    Ok(())
}

#[tokio::test]
async fn a_sender_not_on_the_account_is_wa401() -> TestResult {
    let server = MockServer::start().await;
    let foreign = client_with(&server, |b| b.sender("+15559999999"));
    let e = api_error(foreign.send(&otp_message()?).await);
    assert_eq!((e.status(), e.code()), (401, "WA401"));
    assert_eq!(e.kind(), ApiErrorKind::SenderNotOnAccount);

    let other_waba = client_with(&server, |b| b.waba_id("109999999999999"));
    let e = api_error(other_waba.send(&product_message()?).await);
    assert_eq!((e.status(), e.code()), (401, "WA401"));
    Ok(())
}

#[tokio::test]
async fn a_body_that_is_not_json_is_wa400() -> TestResult {
    let server = MockServer::start().await;
    let raw = Raw::new(&server)?;
    let path = sender_path(&server);
    let (status, body) = raw.post(&path, "{\"messaging_object\": {").await?;
    assert_eq!((status, code_of(status, &body).as_str()), (400, "WA400"));
    let record = last(&server);
    assert_eq!(record.body, b"{\"messaging_object\": {");
    assert_eq!(record.json, None);
    assert_eq!(record.status, 400);
    assert!(record.refusal.is_some());
    Ok(())
}

#[tokio::test]
async fn malformed_bodies_are_wa400_and_never_break_the_server() -> TestResult {
    let server = MockServer::start().await;
    let raw = Raw::new(&server)?;
    let sender = sender_path(&server);
    let waba = waba_path(&server);
    let otp = otp_message()?.to_json();
    let product = product_message()?.to_json();

    /// A valid body with the member at `pointer` set (replaced or added).
    fn with(mut body: Value, pointer: &str, value: Value) -> Value {
        let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
        match body.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.insert(key.to_owned(), value);
            }
            Some(Value::Array(items)) => {
                match key.parse().ok().and_then(|i: usize| items.get_mut(i)) {
                    Some(slot) => *slot = value,
                    None => panic!("no {pointer} in the body"),
                }
            }
            _ => panic!("no {pointer} in the body"),
        }
        body
    }
    let button = "/messaging_object/template/components/1";
    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        ("empty body", &sender, Vec::new()),
        ("not UTF-8", &sender, vec![0xff, 0xfe, 0x00, 0x7b]),
        (
            "a huge number",
            &sender,
            b"{\"messaging_object\": 1e999999}".to_vec(),
        ),
        ("deep nesting", &sender, "[".repeat(100_000).into_bytes()),
        ("an array", &sender, b"[]".to_vec()),
        (
            "the flat body on the sender route",
            &sender,
            serde_json::to_vec(&product["template"])?,
        ),
        (
            "a product body on the sender route",
            &sender,
            serde_json::to_vec(&json!({"messaging_object": {
            "messaging_product": "whatsapp", "to": RECIPIENT, "type": "template",
            "template": product["template"].clone()}}))?,
        ),
        (
            "a wrapped body on the WABA route",
            &waba,
            serde_json::to_vec(&json!({
            "messaging_object": product.clone()}))?,
        ),
        (
            "index as a string",
            &sender,
            serde_json::to_vec(&with(otp.clone(), &format!("{button}/index"), json!("0")))?,
        ),
        (
            "index 10",
            &sender,
            serde_json::to_vec(&with(otp.clone(), &format!("{button}/index"), json!(10)))?,
        ),
        (
            "index -1",
            &sender,
            serde_json::to_vec(&with(otp.clone(), &format!("{button}/index"), json!(-1)))?,
        ),
        (
            "index 0.5",
            &sender,
            serde_json::to_vec(&with(otp.clone(), &format!("{button}/index"), json!(0.5)))?,
        ),
        (
            "index beyond u64",
            &sender,
            String::from_utf8(serde_json::to_vec(&otp)?)?
                .replacen("\"index\":0", "\"index\":184467440737095516160000", 1)
                .into_bytes(),
        ),
        (
            "OTP differs in the button",
            &sender,
            serde_json::to_vec(&with(
                otp.clone(),
                &format!("{button}/parameters/0/text"),
                json!("OTHER"),
            ))?,
        ),
        (
            "OTP of 16 characters",
            &sender,
            String::from_utf8(serde_json::to_vec(&otp)?)?
                .replace("J$FpXXXX", "J$FpXXXXJ$FpXXXX")
                .into_bytes(),
        ),
        (
            "unknown language",
            &sender,
            serde_json::to_vec(&with(
                otp.clone(),
                "/messaging_object/template/language/code",
                json!("en-US"),
            ))?,
        ),
        (
            "bad template name",
            &sender,
            serde_json::to_vec(&with(
                otp.clone(),
                "/messaging_object/template/name",
                json!("Auth1"),
            ))?,
        ),
        (
            "recipient without +",
            &sender,
            serde_json::to_vec(&with(
                otp.clone(),
                "/messaging_object/to",
                json!("919876543210"),
            ))?,
        ),
        (
            "recipient as a number",
            &sender,
            serde_json::to_vec(&with(
                otp.clone(),
                "/messaging_object/to",
                json!(919876543210_u64),
            ))?,
        ),
        (
            "messaging_product",
            &sender,
            serde_json::to_vec(&with(
                otp.clone(),
                "/messaging_object/messaging_product",
                json!("sms"),
            ))?,
        ),
        (
            "recipient_type",
            &sender,
            serde_json::to_vec(&with(
                otp.clone(),
                "/messaging_object/recipient_type",
                json!("group"),
            ))?,
        ),
        (
            "extra_info not an object",
            &sender,
            serde_json::to_vec(&with(otp.clone(), "/extra_info", json!("api")))?,
        ),
        (
            "ref not a string",
            &sender,
            serde_json::to_vec(&with(otp.clone(), "/extra_info/ref", json!(1)))?,
        ),
        (
            "an unknown member",
            &sender,
            serde_json::to_vec(&with(
                otp.clone(),
                "/messaging_object/template/components/0/typo",
                json!(1),
            ))?,
        ),
        (
            "product without policy",
            &waba,
            serde_json::to_vec(&with(
                product.clone(),
                "/template/language",
                json!({"code": "en_US"}),
            ))?,
        ),
        (
            "catalog id not a string",
            &waba,
            serde_json::to_vec(&with(
                product.clone(),
                "/template/components/0/parameters/0/product/catalog_id",
                json!(194),
            ))?,
        ),
        (
            "empty body parameter",
            &waba,
            serde_json::to_vec(&with(
                product.clone(),
                "/template/components/1/parameters/0/text",
                json!(""),
            ))?,
        ),
    ];
    for (what, path, body) in cases {
        let (status, answer) = raw.post(path, body).await?;
        assert_eq!(
            (status, code_of(status, &answer).as_str()),
            (400, "WA400"),
            "{what}: {answer}"
        );
        let record = last(&server);
        assert!(record.refusal.is_some(), "{what}");
    }
    // Still serving.
    client(&server).send(&otp_message()?).await?;
    Ok(())
}

#[tokio::test]
async fn interactive_flow_rules_are_checked() -> TestResult {
    let server = MockServer::start().await;
    let raw = Raw::new(&server)?;
    let path = sender_path(&server);
    let valid = flow_message()?.to_json();
    let parameters = "/messaging_object/interactive/action/parameters";
    /// A change that makes a valid flow message's parameters invalid.
    type Edit = fn(&mut Value);
    let edits: [(&str, Edit); 11] = [
        ("version 2", |v| v["flow_message_version"] = json!("2")),
        ("flow_id and flow_name", |v| {
            v["flow_name"] = json!("booking")
        }),
        ("neither flow_id nor flow_name", |v| {
            if let Some(map) = v.as_object_mut() {
                map.remove("flow_id");
            }
        }),
        ("flow_id not digits", |v| v["flow_id"] = json!("12ab")),
        ("cta with emoji", |v| {
            v["flow_cta"] = json!("Book \u{1F4C5}")
        }),
        ("cta of 31 characters", |v| {
            v["flow_cta"] = json!("x".repeat(31))
        }),
        ("mode", |v| v["mode"] = json!("live")),
        ("flow_action", |v| v["flow_action"] = json!("open")),
        ("payload with data_exchange", |v| {
            v["flow_action"] = json!("data_exchange")
        }),
        ("empty data", |v| {
            v["flow_action_payload"]["data"] = json!({})
        }),
        ("data not an object", |v| {
            v["flow_action_payload"]["data"] = json!([1])
        }),
    ];
    for (what, edit) in edits {
        let mut body = valid.clone();
        if let Some(p) = body.pointer_mut(parameters) {
            edit(p);
        }
        let (status, answer) = raw.post(&path, serde_json::to_vec(&body)?).await?;
        assert_eq!(
            (status, code_of(status, &answer).as_str()),
            (400, "WA400"),
            "{what}"
        );
    }

    // What Meta allows is accepted: by name, draft, data_exchange without a payload, no extras.
    let message = FlowMessage::with_name("booking_flow", "Book now", "Pick a date")
        .mode(kaleyra::FlowMode::Draft)
        .action(kaleyra::FlowAction::DataExchange)
        .to(RECIPIENT)?;
    client(&server).send(&message).await?;
    assert_eq!(last(&server).status, 202);
    Ok(())
}

#[tokio::test]
async fn approved_templates_must_match_language_kind_and_parameters() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);

    let one_parameter = ProductTemplate::new(
        "abandoned_cart_offer",
        "en_US",
        "nqrxxx03ez",
        "194000000003835",
    )
    .body_parameter("25OFF")
    .to(RECIPIENT)?;
    let e = api_error(client.send(&one_parameter).await);
    assert_eq!((e.status(), e.code()), (400, "132000"));
    assert_eq!(e.kind(), ApiErrorKind::TemplateMismatch);
    let refusal = last(&server).refusal.unwrap_or_default();
    assert!(
        refusal.contains("has 2 body parameters (\"Use code {{1}} to get {{2}} off"),
        "{refusal}"
    );

    let british =
        AuthenticationTemplate::new("auth1", "en_GB", Otp::new("123456")?).to(RECIPIENT)?;
    let e = api_error(client.send(&british).await);
    assert_eq!((e.status(), e.code()), (400, "132001"));

    // `flow_template20` is a flow template, not an authentication one: its body takes no
    // parameter and its button 0 is a flow button.
    let wrong_kind = AuthenticationTemplate::new("flow_template20", "en_US", Otp::new("123456")?)
        .to(RECIPIENT)?;
    let e = api_error(client.send(&wrong_kind).await);
    assert_eq!((e.status(), e.code()), (400, "132000"));
    let refusal = last(&server).refusal.unwrap_or_default();
    assert!(
        refusal.contains("button 0 of template `flow_template20` (en_US) is a FLOW button"),
        "{refusal}"
    );

    // A registered template with body parameters.
    server.register_template(ApprovedTemplate::flow("survey", "pt_BR").body_parameters(1));
    let survey = FlowTemplate::new("survey", "pt_BR").body_parameter("Ana");
    client.send(&survey.clone().to(RECIPIENT)?).await?;
    let e = api_error(
        client
            .send(&FlowTemplate::new("survey", "pt_BR").to(RECIPIENT)?)
            .await,
    );
    assert_eq!((e.status(), e.code()), (400, "132000"));

    Ok(())
}

/// Issue 18: WhatsApp answers a template name the account does not have with 132001; so does
/// the simulator by default, in Kaleyra's error body like its other catalogue errors.
#[tokio::test]
async fn an_unknown_template_name_is_132001_by_default() -> TestResult {
    let server = MockServer::start().await;
    assert!(!server.is_strict() && !server.is_lenient());
    let client = client(&server);
    let unknown =
        AuthenticationTemplate::new("login_code", "de", Otp::new("998877")?).to(RECIPIENT)?;
    let e = api_error(client.send(&unknown).await);
    assert_eq!((e.status(), e.code()), (400, "132001"));
    assert_eq!(e.kind(), ApiErrorKind::TemplateMismatch);
    let body: Value = serde_json::from_str(e.body())?;
    assert_eq!(body["code"], "132001");
    assert_eq!(
        body["message"],
        "(#132001) Template name does not exist in the translation"
    );
    assert_eq!(body["data"], json!({}));
    assert_eq!(body["error"]["code"], 132_001);
    assert_eq!(body["error"]["type"], "OAuthException");
    assert_eq!(body["error"]["error_data"]["messaging_product"], "whatsapp");
    let refusal = last(&server).refusal.unwrap_or_default();
    assert!(refusal.starts_with("132001: "), "{refusal}");
    assert_eq!(server.counts().accepted, 0);
    Ok(())
}

#[tokio::test]
async fn lenient_accepts_unknown_template_names_unless_strict() -> TestResult {
    let unknown = || -> Result<Message, Error> {
        AuthenticationTemplate::new("login_code", "de", Otp::new("998877")?).to(RECIPIENT)
    };
    let server = MockServer::builder().lenient().start().await;
    assert!(server.is_lenient());
    let client = client(&server);
    client.send(&unknown()?).await?;
    // A known name in another language is still WhatsApp's 132001.
    let british =
        AuthenticationTemplate::new("auth1", "en_GB", Otp::new("123456")?).to(RECIPIENT)?;
    let e = api_error(client.send(&british).await);
    assert_eq!((e.status(), e.code()), (400, "132001"));

    // Strict wins over lenient.
    let strict = MockServer::builder().lenient().strict(true).start().await;
    assert!(!strict.is_lenient());
    let e = api_error(self::client(&strict).send(&unknown()?).await);
    assert_eq!((e.status(), e.code()), (400, "132001"));
    Ok(())
}

#[tokio::test]
async fn strict_mode_refuses_unknown_templates_and_flows() -> TestResult {
    let server = MockServer::builder()
        .strict(true)
        .without_default_templates()
        .template(ApprovedTemplate::new(
            "auth1",
            "en_US",
            TemplateCategory::Authentication,
        ))
        .flow("5550001")
        .start()
        .await;
    assert!(server.is_strict());
    let client = client(&server);
    client.send(&otp_message()?).await?;

    let e = api_error(client.send(&flow_template_message()?).await);
    assert_eq!((e.status(), e.code()), (400, "132001"));
    server.register_template(ApprovedTemplate::flow("flow_template20", "en_US"));
    client.send(&flow_template_message()?).await?;

    // DEFAULT_FLOW_ID is still known; another id is not.
    client.send(&flow_message()?).await?;
    let unknown = FlowMessage::with_id("42", "Open", "Body").to(RECIPIENT)?;
    let e = api_error(client.send(&unknown).await);
    assert_eq!((e.status(), e.code()), (400, "WA400"));
    client.publish_flow("5550001").await?;

    // Strict about the content type too.
    let http = reqwest::Client::builder().no_proxy().build()?;
    let response = http
        .post(format!("{}{}", server.url(), sender_path(&server)))
        .header("api-key", server.api_key())
        .header("content-type", "text/plain")
        .body(otp_message()?.into_bytes())
        .send()
        .await?;
    assert_eq!(response.status().as_u16(), 400);
    Ok(())
}

#[tokio::test]
async fn publishing_an_unknown_flow_is_wa_401() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    let e = api_error(client.publish_flow("987654321").await);
    assert_eq!((e.status(), e.code()), (401, "WA-401"));
    assert_eq!(e.kind(), ApiErrorKind::NotAvailable);
    assert_eq!(
        e.message(),
        "The flow_id either does not exist or does not belong to the account."
    );

    server.register_flow("987654321");
    client.publish_flow("987654321").await?;
    let statuses: Vec<u16> = server.received().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [401, 200]);
    Ok(())
}

#[tokio::test]
async fn an_injected_wa500_is_a_retryable_server_error() -> TestResult {
    let server = MockServer::start().await;
    server.fail_next(
        1,
        Fault::Status {
            status: 500,
            body: r#"{
    "code": "WA500",
    "message": "Please try again later",
    "data": {},
    "error": {
        "error": "Internal server error"
    }
}"#
            .to_owned(),
        },
    );
    let result = client(&server).send(&otp_message()?).await;
    let retryable = result.as_ref().err().is_some_and(Error::is_retryable);
    let e = api_error(result);
    assert_eq!((e.status(), e.code()), (500, "WA500"));
    assert_eq!(e.kind(), ApiErrorKind::ServerError);
    assert!(retryable);
    assert_eq!(last(&server).status, 500);
    Ok(())
}

#[tokio::test]
async fn low_balance_is_not_retryable() -> TestResult {
    let server = MockServer::start().await;
    server.fail_next(1, Fault::LowBalance);
    let result = client(&server).send(&product_message()?).await;
    assert!(!result.as_ref().err().is_some_and(Error::is_retryable));
    let e = api_error(result);
    assert_eq!((e.status(), e.code()), (400, "E110"));
    assert_eq!(e.kind(), ApiErrorKind::LowBalance);
    Ok(())
}

#[tokio::test]
async fn an_html_502_is_a_decode_error() -> TestResult {
    let server = MockServer::start().await;
    server.fail_next(
        1,
        Fault::status(502, "<html><body><h1>502 Bad Gateway</h1></body></html>"),
    );
    match client(&server).send(&otp_message()?).await {
        Err(Error::Decode(e)) => {
            assert_eq!(e.status(), Some(502));
            assert!(e.body().contains("Bad Gateway"));
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    Ok(())
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error_and_is_not_retried() -> TestResult {
    let server = MockServer::start().await;
    let client = client_with(&server, |b| b.retry(Retry::new(3)));
    server.fail_next(1, Fault::DropConnection);
    match client.send(&otp_message()?).await {
        Err(e @ Error::Transport(_)) => assert!(!e.is_retryable(), "{e}"),
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    let received = server.received();
    assert_eq!(
        received.len(),
        1,
        "a request that may have arrived is not retried"
    );
    assert_eq!(received[0].status, 0);
    assert_eq!(received[0].body, otp_message()?.as_bytes());

    // The next request is served normally.
    client.send(&otp_message()?).await?;
    Ok(())
}

#[tokio::test]
async fn a_delay_longer_than_the_timeout_is_a_timeout() -> TestResult {
    let server = MockServer::start().await;
    let client = client_with(&server, |b| b.timeout(Duration::from_millis(200)));
    server.fail_next(1, Fault::Delay(Duration::from_millis(700)));
    match client.send(&otp_message()?).await {
        Err(Error::Transport(e)) => assert_eq!(e.kind(), TransportErrorKind::Timeout),
        other => panic!("expected a timeout, got {other:?}"),
    }

    // A short delay answers normally.
    server.fail_next(1, Fault::Delay(Duration::from_millis(20)));
    client.send(&otp_message()?).await?;
    assert_eq!(last(&server).status, 202);
    Ok(())
}

#[tokio::test]
async fn fail_next_affects_exactly_n_requests() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    server.fail_next(2, Fault::server_error());
    server.fail_next(1, Fault::LowBalance);
    assert_eq!(server.pending_faults(), 3);

    let mut codes = Vec::new();
    for _ in 0..4 {
        codes.push(match client.send(&otp_message()?).await {
            Ok(_) => "WA202".to_owned(),
            Err(Error::Api(e)) => e.code().to_owned(),
            Err(e) => return Err(e.into()),
        });
    }
    assert_eq!(codes, ["WA500", "WA500", "E110", "WA202"]);
    assert_eq!(server.pending_faults(), 0);

    // A fault applies to any request, publishing included.
    server.fail_next(1, Fault::server_error());
    let e = api_error(client.publish_flow(DEFAULT_FLOW_ID).await);
    assert_eq!(e.code(), "WA500");
    client.publish_flow(DEFAULT_FLOW_ID).await?;
    Ok(())
}

#[tokio::test]
async fn retry_recovers_from_one_wa500_and_the_default_does_not_retry() -> TestResult {
    let server = MockServer::start().await;
    let retrying = client_with(&server, |b| {
        b.retry(Retry::new(2).backoff(Duration::from_millis(10)))
    });
    server.fail_next(1, Fault::server_error());
    let accepted = retrying.send(&otp_message()?).await?;
    let received = server.received();
    let statuses: Vec<u16> = received.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [500, 202]);
    assert_eq!(received[0].body, received[1].body);
    assert_eq!(received[1].message_id.as_ref(), Some(&accepted.message_id));

    server.clear_received();
    server.fail_next(1, Fault::server_error());
    let e = api_error(client(&server).send(&otp_message()?).await);
    assert_eq!(e.code(), "WA500");
    assert_eq!(server.received().len(), 1);
    Ok(())
}

#[tokio::test]
async fn concurrent_sends_get_unique_ids_and_are_all_recorded() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server);
    let message = otp_message()?;
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            let message = message.clone();
            tokio::spawn(async move { client.send(&message).await })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await??.message_id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 16);
    assert_eq!(server.received().len(), 16);
    Ok(())
}

#[tokio::test]
async fn other_paths_and_methods_are_refused_and_recorded() -> TestResult {
    let server = MockServer::start().await;
    let raw = Raw::new(&server)?;
    let http = reqwest::Client::builder().no_proxy().build()?;
    let url = server.url();

    let response = http.get(format!("{url}/")).send().await?;
    assert_eq!(response.status().as_u16(), 404);

    let response = http
        .get(format!("{url}{}", sender_path(&server)))
        .header("api-key", server.api_key())
        .send()
        .await?;
    assert_eq!(response.status().as_u16(), 405);

    // The sender may be percent-encoded in the path.
    let encoded = format!(
        "/v2/{}/whatsapp/{}/messages",
        server.sid(),
        server.sender().replace('+', "%2B")
    );
    let (status, _) = raw.post(&encoded, otp_message()?.into_bytes()).await?;
    assert_eq!(status, 202);

    let methods: Vec<(String, u16)> = server
        .received()
        .into_iter()
        .map(|r| (r.method, r.status))
        .collect();
    assert_eq!(
        methods,
        [
            ("GET".to_owned(), 404),
            ("GET".to_owned(), 405),
            ("POST".to_owned(), 202)
        ]
    );
    Ok(())
}

#[tokio::test]
async fn the_account_is_configurable_and_printed_as_an_env_line() -> TestResult {
    let default = MockServer::start().await;
    assert_eq!(
        default.env_line(),
        format!(
            "KALEYRA_BASE_URL={} KALEYRA_SID={} KALEYRA_API_KEY={} KALEYRA_SENDER={} KALEYRA_WABA_ID={}",
            default.url(),
            default.sid(),
            default.api_key(),
            default.sender(),
            default.waba_id()
        )
    );
    assert!(default.url().starts_with("http://127.0.0.1:"));

    let custom = MockServer::builder()
        .sid("HXEU00000000001EU")
        .api_key("Acustom0000000000000000000000003")
        .sender("+44 20 7946 0000")
        .waba_id("2000")
        .start()
        .await;
    assert_eq!(custom.sender(), "+442079460000");
    assert!(
        custom
            .env_line()
            .ends_with("KALEYRA_SID=HXEU00000000001EU KALEYRA_API_KEY=Acustom0000000000000000000000003 KALEYRA_SENDER=+442079460000 KALEYRA_WABA_ID=2000")
    );
    client(&custom).send(&otp_message()?).await?;
    client(&custom).send(&product_message()?).await?;
    // The default account's key does not open the custom one.
    let e = api_error(
        client_with(&custom, |b| b.api_key(default.api_key()))
            .send(&otp_message()?)
            .await,
    );
    assert_eq!(e.code(), "RBC001");
    Ok(())
}

#[tokio::test]
async fn dropping_the_server_stops_it() -> TestResult {
    let server = MockServer::start().await;
    let client = client_with(&server, |b| b.timeout(Duration::from_secs(2)));
    client.send(&otp_message()?).await?;
    drop(server);
    tokio::task::yield_now().await;
    match client.send(&otp_message()?).await {
        Err(Error::Transport(_)) => Ok(()),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

/// Issue 18: a WA500 (safe to retry) and a plain 500 (the message may have been accepted) are
/// different kinds of fault, and the simulator counts injected faults by kind.
#[tokio::test]
async fn faults_are_counted_by_kind_and_a_wa500_is_not_a_plain_500() -> TestResult {
    use kaleyra::mock::FaultKind;
    let server = MockServer::start().await;
    let client = client(&server);
    server.fail_next(2, Fault::server_error());
    server.fail_next(1, Fault::status(500, "Internal Server Error"));
    server.fail_next(1, Fault::bad_gateway_html());
    server.fail_next(1, Fault::LowBalance);
    let mut errors = Vec::new();
    for _ in 0..5 {
        errors.push(client.send(&otp_message()?).await.err());
    }
    let retryable: Vec<bool> = errors
        .iter()
        .map(|e| e.as_ref().is_some_and(Error::is_retryable))
        .collect();
    assert_eq!(retryable, [true, true, false, false, false]);
    assert!(errors[2].as_ref().is_some_and(Error::is_ambiguous));
    assert_eq!(
        server.fault_counts().into_iter().collect::<Vec<_>>(),
        [
            (FaultKind::Status(500), 1),
            (FaultKind::Status(502), 1),
            (FaultKind::LowBalance, 1),
            (FaultKind::ServerError, 2),
        ]
    );
    assert_eq!(server.faults_of(FaultKind::ServerError), 2);
    assert_eq!(server.faults_of(FaultKind::DropConnection), 0);
    assert_eq!(server.counts().faults, 5);
    Ok(())
}

/// Issue 18: the request log is bounded in bytes (a body of up to 4 MiB and its parsed copy
/// each), not only in number, by default.
#[tokio::test]
async fn the_request_log_is_bounded_in_bytes_by_default() -> TestResult {
    use kaleyra::mock::DEFAULT_LOG_BYTES;
    let server = MockServer::start().await;
    let http = reqwest::Client::builder().no_proxy().build()?;
    // 12 bodies of 1 MiB each: JSON the simulator parses (and refuses as a payload).
    let body = json!({"messaging_object": {"text": "x".repeat(1 << 20)}}).to_string();
    for _ in 0..12 {
        let response = http
            .post(format!("{}{}", server.url(), sender_path(&server)))
            .header("api-key", server.api_key())
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await?;
        assert_eq!(response.status().as_u16(), 400);
    }
    let log = server.received();
    let retained: usize = log.iter().map(ReceivedRequest::retained_bytes).sum();
    assert!(retained <= DEFAULT_LOG_BYTES, "{retained} bytes retained");
    assert_eq!(server.log_bytes(), retained);
    assert!(log.len() < 12 && !log.is_empty(), "{}", log.len());
    assert!(log.iter().all(|r| r.body_len == body.len()));
    let counts = server.counts();
    assert_eq!(
        (counts.requests, counts.evicted),
        (12, 12 - log.len() as u64)
    );
    // Followed by arrival number, the log skips none of those it still holds.
    let last = log.last().map_or(0, |r| r.seq);
    assert_eq!(last, 11);
    assert_eq!(server.received_from(last).len(), 1);
    Ok(())
}

#[tokio::test]
async fn a_log_byte_bound_can_be_set() -> TestResult {
    let bound = 64 * 1024;
    let server = MockServer::builder().log_bytes(bound).start().await;
    let client = client(&server);
    for _ in 0..200 {
        client.send(&otp_message()?).await?;
    }
    let log = server.received();
    let retained: usize = log.iter().map(ReceivedRequest::retained_bytes).sum();
    assert!(retained <= bound && server.log_bytes() == retained);
    assert!(log.len() < 200 && log.len() > 10, "{}", log.len());
    // Arrival times are kept apart from the bodies: all 200.
    assert_eq!(server.arrival_times().len(), 200);
    Ok(())
}
