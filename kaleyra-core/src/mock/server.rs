//! The HTTP side of the simulator: the accept loop, one task per connection, and the handler.
//!
//! Connections are served with hyper's HTTP/1 connection directly (not `axum::serve`), so that a
//! [`Fault::DropConnection`] can close the connection without an answer: the handler asks its
//! connection task to hang up, and the task drops the connection future.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};

use super::check::{self, Seen};
use super::{Fault, ReceivedRequest, Shared, bodies, catalogue};
use crate::layout::Route;
use crate::rules;

/// The largest request body the simulator reads.
const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// Binds `127.0.0.1:0` and serves in the background until the returned sender is dropped.
pub(super) async fn spawn(shared: Arc<Shared>) -> io::Result<(SocketAddr, watch::Sender<()>)> {
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(io::Error::other(
            "the Kaleyra simulator needs a Tokio runtime (with IO and time enabled)",
        ));
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    let (shutdown, stop) = watch::channel(());
    tokio::spawn(accept(listener, shared, stop));
    Ok((addr, shutdown))
}

async fn accept(listener: TcpListener, shared: Arc<Shared>, mut stop: watch::Receiver<()>) {
    loop {
        tokio::select! {
            // Stopping wins over anything else that is ready.
            biased;
            // Nothing is ever sent: this resolves when the `MockServer` drops the sender.
            _ = stop.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    tokio::spawn(connection(stream, Arc::clone(&shared), stop.clone()));
                }
                Err(e) => {
                    // E.g. too many open files: wait a little rather than spin.
                    tracing::debug!(error = %e, "Kaleyra simulator: accept failed");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
        }
    }
    tracing::debug!("Kaleyra simulator stopped");
}

/// What the handler of one connection sees.
#[derive(Clone)]
struct Conn {
    shared: Arc<Shared>,
    /// Notified by the handler to close this connection without answering.
    hang_up: Arc<Notify>,
}

async fn connection(stream: TcpStream, shared: Arc<Shared>, mut stop: watch::Receiver<()>) {
    let hang_up = Arc::new(Notify::new());
    // One handler for every path: the simulator records and may fail every request, including
    // those no route matches, so it routes itself.
    let app = Router::new().fallback(handle).with_state(Conn {
        shared,
        hang_up: Arc::clone(&hang_up),
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
    tokio::select! {
        // A stopped server answers nothing more, even if a request is ready.
        biased;
        _ = stop.changed() => {}
        // Dropping the connection future closes the socket with no answer sent.
        () = hang_up.notified() => tracing::debug!("Kaleyra simulator: dropped a connection"),
        result = connection => {
            if let Err(e) = result {
                tracing::debug!(error = %e, "Kaleyra simulator: connection ended");
            }
        }
    }
}

/// An answer, and what to record about it.
struct Reply {
    status: u16,
    body: String,
    content_type: &'static str,
    refusal: Option<String>,
    message_id: Option<String>,
    /// The `Allow` header of a 405.
    allow: Option<&'static str>,
    /// Seconds for a `Retry-After` header.
    retry_after: Option<u64>,
    /// Send the headers and half the body, then reset the connection ([`Fault::ResetMidBody`]).
    reset_mid_body: bool,
}

impl Reply {
    /// A documented JSON body.
    fn json(status: u16, body: impl Into<String>) -> Reply {
        Reply {
            status,
            body: body.into(),
            content_type: "application/json",
            refusal: None,
            message_id: None,
            allow: None,
            retry_after: None,
            reset_mid_body: false,
        }
    }

    /// `429 WA429`, with `Retry-After` in whole seconds (rounded up, at least 1 when given).
    fn too_many(wait: Option<Duration>, why: impl Into<String>) -> Reply {
        Reply {
            retry_after: wait.map(|w| w.as_secs() + u64::from(w.subsec_nanos() > 0)),
            ..Reply::refuse(429, bodies::WA429, why)
        }
    }

    /// No body (the statuses Kaleyra's documents do not describe: 404, 405).
    fn empty(status: u16, why: String) -> Reply {
        Reply {
            status,
            body: String::new(),
            content_type: "text/plain; charset=utf-8",
            refusal: Some(why),
            message_id: None,
            allow: None,
            retry_after: None,
            reset_mid_body: false,
        }
    }

    /// A documented error body, refused for `why`.
    fn refuse(status: u16, body: &str, why: impl Into<String>) -> Reply {
        Reply {
            refusal: Some(why.into()),
            ..Reply::json(status, body)
        }
    }

    /// An injected [`Fault::Status`].
    fn injected(status: u16, body: String) -> Reply {
        let trimmed = body.trim_start();
        let content_type = if serde_json::from_str::<serde::de::IgnoredAny>(&body).is_ok() {
            "application/json"
        } else if trimmed.starts_with('<') {
            "text/html; charset=utf-8"
        } else {
            "text/plain; charset=utf-8"
        };
        let status = StatusCode::from_u16(status).map_or(500, |s| s.as_u16());
        Reply {
            status,
            body,
            content_type,
            refusal: Some(format!("injected fault: HTTP {status}")),
            message_id: None,
            allow: None,
            retry_after: None,
            reset_mid_body: false,
        }
    }

    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let full = bytes::Bytes::from(self.body);
        let length = full.len();
        let body = if self.reset_mid_body {
            // Half the body, then an error: hyper resets the connection short of the announced
            // length, and the client cannot read the answer.
            let half = full.slice(..length / 2);
            Body::from_stream(futures_util::stream::iter([
                Ok(half),
                Err(io::Error::other("injected fault: reset mid-body")),
            ]))
        } else {
            Body::from(full)
        };
        let mut response =
            (status, [(header::CONTENT_TYPE, self.content_type)], body).into_response();
        let headers = response.headers_mut();
        if self.reset_mid_body {
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        if let Some(allow) = self.allow {
            headers.insert(header::ALLOW, HeaderValue::from_static(allow));
        }
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

fn header_text(headers: &HeaderMap, name: HeaderName) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

async fn handle(State(conn): State<Conn>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let content_type = header_text(&parts.headers, header::CONTENT_TYPE);
    // A media upload is streamed (counted, hashed, dropped: mock/media.rs), never held whole.
    let streamed = super::media::is_upload(&parts.method, parts.uri.path())
        || super::review::is_resumable(&parts.method, parts.uri.path());
    let (bytes, unreadable, upload) = if streamed {
        let received = super::media::receive(body, content_type.as_deref()).await;
        (bytes::Bytes::new(), false, Some(received))
    } else {
        match to_bytes(body, BODY_LIMIT).await {
            Ok(bytes) => (bytes, false, None),
            Err(e) => {
                tracing::debug!(error = %e, "Kaleyra simulator: could not read the body");
                (bytes::Bytes::new(), true, None)
            }
        }
    };
    let json: Option<Value> = serde_json::from_slice(&bytes).ok();
    // A Flow JSON upload's form (mock/flows.rs), read from the body in memory.
    let flow_form = if super::flows::is_upload(&parts.method, parts.uri.path()) {
        Some(super::flows::read_form(bytes.clone(), content_type.as_deref()).await)
    } else {
        None
    };
    let api_key = parts.headers.get("api-key").map(|v| v.as_bytes().to_vec());
    let host = parts
        .headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().map(str::to_owned);
    let record = ReceivedRequest {
        method: parts.method.as_str().to_owned(),
        path: path.clone(),
        query: query.clone(),
        api_key: api_key
            .as_deref()
            .map(|k| String::from_utf8_lossy(k).into_owned()),
        content_type: content_type.clone(),
        body: bytes.to_vec(),
        body_len: upload.as_ref().map_or(bytes.len(), |u| u.body_len),
        json: json.clone(),
        status: 0,
        refusal: None,
        message_id: None,
        received_at: Instant::now(),
        // Numbered when filed.
        seq: 0,
    };
    let shared = &conn.shared;
    let ticket = shared.lock().arrive(record);

    let reply = match &ticket.fault {
        Some(Fault::DropConnection) => {
            shared.lock().answered(
                &ticket,
                0,
                Some("injected fault: connection dropped".to_owned()),
                None,
                &bytes,
            );
            conn.hang_up.notify_one();
            // The connection task drops this future with the connection.
            return std::future::pending().await;
        }
        Some(Fault::Status { status, body }) => Some(Reply::injected(*status, body.clone())),
        Some(Fault::LowBalance) => Some(Reply::refuse(
            400,
            bodies::E110,
            "injected fault: low balance",
        )),
        Some(Fault::RateLimited { retry_after }) => Some(Reply::too_many(
            *retry_after,
            "injected fault: rate limited",
        )),
        Some(Fault::Delay(wait)) => {
            tokio::time::sleep(*wait).await;
            None
        }
        Some(Fault::ResetMidBody | Fault::SlowAnswer(_)) | None => None,
    };
    // Template reviews whose delay has passed are decided before the request is served.
    super::review::settle(shared, false);
    let mut reply = reply.unwrap_or_else(|| {
        let request = Incoming {
            method: &parts.method,
            path: &path,
            query: query.as_deref(),
            api_key: api_key.as_deref(),
            host: host.as_deref(),
            content_type: content_type.as_deref(),
            json: json.as_ref(),
            unreadable,
            upload: upload.as_ref(),
            flow_form: flow_form.as_ref(),
        };
        route(shared, &request)
    });
    // These two serve the request normally (a message is accepted), and then fail the answer.
    let mut slow = None;
    match &ticket.fault {
        Some(Fault::ResetMidBody) => {
            reply.reset_mid_body = true;
            reply.refusal = Some(format!(
                "injected fault: reset mid-body (served as HTTP {})",
                reply.status
            ));
        }
        Some(Fault::SlowAnswer(wait)) => {
            slow = Some(*wait);
            reply.refusal = Some(format!(
                "injected fault: answered after {wait:?} (served as HTTP {})",
                reply.status
            ));
        }
        _ => {}
    }
    if let Some(why) = &reply.refusal {
        let status = reply.status;
        tracing::debug!(status, path = %path, reason = %why, "Kaleyra simulator: refused");
    }
    shared.lock().answered(
        &ticket,
        reply.status,
        reply.refusal.clone(),
        reply.message_id.clone(),
        &bytes,
    );
    if let (202, Some(id)) = (reply.status, reply.message_id.as_deref()) {
        super::callbacks::accepted(shared, id, json.as_ref());
    }
    if let Some(wait) = slow {
        tokio::time::sleep(wait).await;
    }
    reply.into_response()
}

/// The parts of a request the routes look at.
struct Incoming<'a> {
    method: &'a Method,
    path: &'a str,
    query: Option<&'a str>,
    api_key: Option<&'a [u8]>,
    /// The `Host` header (the CDN URLs of flow assets point back at it).
    host: Option<&'a str>,
    content_type: Option<&'a str>,
    json: Option<&'a Value>,
    /// The body was larger than [`BODY_LIMIT`] or could not be read.
    unreadable: bool,
    /// A media upload's form, as streamed.
    upload: Option<&'a super::media::Received>,
    /// A Flow JSON upload's form.
    flow_form: Option<&'a super::flows::Form>,
}

/// Which endpoint a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Messages,
    Publish,
    Templates,
    Media,
    Resumable,
}

/// Splits `/v2/{sid}/whatsapp/{id}/{messages|publish|message_templates}`, percent-decoding
/// `sid` and `id`.
fn parse_path(path: &str) -> Option<(String, String, Endpoint)> {
    let mut segments = path.split('/');
    let ("", "v2", sid, "whatsapp", id, last, None) = (
        segments.next()?,
        segments.next()?,
        segments.next()?,
        segments.next()?,
        segments.next()?,
        segments.next()?,
        segments.next(),
    ) else {
        return None;
    };
    let endpoint = match last {
        "messages" => Endpoint::Messages,
        "publish" => Endpoint::Publish,
        "message_templates" => Endpoint::Templates,
        "media" => Endpoint::Media,
        "resumable_media" => Endpoint::Resumable,
        _ => return None,
    };
    Some((
        crate::percent::decode(sid, false),
        crate::percent::decode(id, false),
        endpoint,
    ))
}

/// Whether a `Content-Type` is `application/json` (any parameters, any case).
fn is_json(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        ct.split(';')
            .next()
            .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
    })
}

fn route(shared: &Shared, request: &Incoming<'_>) -> Reply {
    // Meta's CDN (flow assets' download_url): the URL is the access, no api-key.
    if let Some(id) = super::flows::cdn_path(request.path) {
        let flows = &shared.lock().flows;
        return flow_reply(super::flows::download(
            flows,
            request.method,
            &id,
            request.api_key.is_some(),
        ));
    }
    let parsed = parse_path(request.path);
    // The flow lifecycle's paths (mock/flows.rs), authenticated as every route.
    let flow_route = match &parsed {
        Some(_) => None,
        None => super::flows::parse_path(request.path),
    };
    let sid = match (&parsed, &flow_route) {
        (Some((sid, ..)), _) | (None, Some((sid, _))) => sid.clone(),
        (None, None) => return Reply::empty(404, "no such route".to_owned()),
    };
    let account = &shared.account;
    if request.api_key != Some(account.api_key.as_bytes()) {
        let why = if request.api_key.is_none() {
            "no api-key header"
        } else {
            "wrong api-key"
        };
        return Reply::refuse(401, bodies::RBC001, why);
    }
    if sid != account.sid {
        return Reply::refuse(401, bodies::RBC001, format!("unknown SID {sid:?}"));
    }
    let Some((_, id, endpoint)) = parsed else {
        let Some((_, flow_route)) = flow_route else {
            return Reply::empty(404, "no such route".to_owned());
        };
        let flow_request = super::flows::Request {
            method: request.method,
            query: request.query,
            json: request.json,
            form: request.flow_form,
            waba: &account.waba_id,
            path: request.path,
            host: request.host,
        };
        let answer = super::flows::answer(&mut shared.lock().flows, &flow_route, &flow_request);
        return flow_reply(answer);
    };
    let allowed: (&[Method], &'static str) = match endpoint {
        Endpoint::Templates => (
            &[Method::GET, Method::POST, Method::PUT, Method::DELETE],
            "GET, POST, PUT, DELETE",
        ),
        Endpoint::Messages | Endpoint::Publish | Endpoint::Media | Endpoint::Resumable => {
            (&[Method::POST], "POST")
        }
    };
    let (methods, allow) = allowed;
    if !methods.contains(request.method) {
        return Reply {
            allow: Some(allow),
            ..Reply::empty(405, format!("method {} is not allowed", request.method))
        };
    }
    match endpoint {
        Endpoint::Messages => messages(shared, &id, request),
        Endpoint::Publish => publish(shared, &id, request),
        Endpoint::Templates if *request.method == Method::GET => templates(shared, &id, request),
        Endpoint::Templates => {
            let bad = |why: &str| Reply::refuse(400, bodies::WA400, why);
            if request.unreadable {
                return bad("the body could not be read");
            }
            if *request.method != Method::DELETE
                && shared.account.strict
                && !is_json(request.content_type)
            {
                return bad("Content-Type must be application/json");
            }
            let answer =
                super::review::manage(shared, &id, request.method, request.query, request.json);
            review_reply(answer)
        }
        Endpoint::Resumable => review_reply(super::review::resumable(shared, &id, request.upload)),
        Endpoint::Media => {
            let answer = super::media::answer(shared, &id, request.upload);
            Reply {
                refusal: answer.refusal,
                ..Reply::json(answer.status, answer.body)
            }
        }
    }
}

/// An answer of `review.rs` as a reply.
fn review_reply(answer: super::review::Answer) -> Reply {
    Reply {
        refusal: answer.refusal,
        retry_after: answer.retry_after,
        ..Reply::json(answer.status, answer.body)
    }
}

fn messages(shared: &Shared, id: &str, request: &Incoming<'_>) -> Reply {
    let account = &shared.account;
    let is_sender = id == account.sender
        || rules::normalize_phone(id).is_ok_and(|number| number == account.sender);
    let is_waba = id == account.waba_id;
    if !is_sender && !is_waba {
        return Reply::refuse(
            401,
            bodies::WA401,
            format!("{id:?} is neither the account's sender number nor its WABA id"),
        );
    }
    if let Err(wait) = over_the_limit(shared, is_waba && !is_sender) {
        return Reply::too_many(
            Some(wait),
            "over the simulator's per-second limit (MockServerBuilder::rate_limit)",
        );
    }
    let bad = |why: String| Reply::refuse(400, bodies::WA400, why);
    if request.unreadable {
        return bad(format!(
            "the body could not be read (larger than {BODY_LIMIT} bytes?)"
        ));
    }
    if account.strict && !is_json(request.content_type) {
        return bad("Content-Type must be application/json".to_owned());
    }
    let Some(json) = request.json else {
        return bad("the body is not JSON".to_owned());
    };
    let seen = if is_sender {
        check::sender_body(json)
    } else {
        check::waba_body(json)
    };
    let seen = match seen {
        Ok(seen) => seen,
        Err(why) => return bad(why),
    };
    // A media object by an id the simulator never issued (mock/media.rs).
    if let Err(why) = super::media::unknown_media_id(shared, json) {
        return bad(why);
    }
    let mut state = shared.lock();
    let route = if is_sender {
        Route::Sender
    } else {
        Route::Waba
    };
    let approved = match &seen {
        Seen::Template(template) => catalogue::check_send(
            &state.catalogue,
            account.lenient && !account.strict,
            json,
            route,
            template,
        ),
        Seen::Session => Ok(()),
        // Meta answers a read receipt `{"success":true}` (facts §1.11); an id the simulator
        // never delivered is refused as Meta refuses an unknown message id, with a 400
        // (Kaleyra's envelope: WA400).
        Seen::ReadReceipt(id) => {
            drop(state);
            return if shared.callbacks.delivered(id) {
                Reply::json(200, bodies::PUBLISHED)
            } else {
                bad(format!(
                    "body.messaging_object.message_id {id:?} is not a message the simulator \
                     delivered (MockServer::incoming)"
                ))
            };
        }
        // Unknown, deprecated and blocked flows (mock/flows.rs).
        Seen::Flow(flow) => super::flows::check_send(
            &mut state.flows,
            account.strict,
            flow.flow_id.as_deref(),
            flow.flow_name.as_deref(),
            shared.window.now(),
        )
        .map_err(|a| catalogue::Answer {
            status: a.status,
            body: a.body,
            refusal: a.refusal,
        }),
    };
    // A flow template opens the flow of its approved FLOW button: the same refusals.
    let approved = approved.and_then(|()| match &seen {
        Seen::Template(template) => {
            let button_flow = state
                .catalogue
                .get(&template.name, &template.language)
                .and_then(|t| t.buttons().iter().find_map(|b| b.flow_id.clone()));
            match button_flow {
                Some(id) => super::flows::check_send(
                    &mut state.flows,
                    false,
                    Some(&id),
                    None,
                    shared.window.now(),
                )
                .map_err(|a| catalogue::Answer {
                    status: a.status,
                    body: a.body,
                    refusal: a.refusal,
                }),
                None => Ok(()),
            }
        }
        _ => Ok(()),
    });
    if let Err(answer) = approved {
        return Reply::refuse(
            answer.status,
            &answer.body,
            answer.refusal.unwrap_or_default(),
        );
    }
    let message_id = state.message_id();
    Reply {
        message_id: Some(message_id.clone()),
        ..Reply::json(202, bodies::accepted(&message_id))
    }
}

/// Applies the per-second limit, if any, to a send on the sender's or the WABA's route.
fn over_the_limit(shared: &Shared, waba: bool) -> Result<(), Duration> {
    let mut state = shared.lock();
    let Some(limit) = state.throughput.as_mut() else {
        return Ok(());
    };
    let admitted = limit.admit(waba, Instant::now());
    if admitted.is_err() {
        state.counts.rate_limited += 1;
    }
    admitted
}

/// `GET …/message_templates`: the account's templates (strict: JSON content type required, as
/// Kaleyra's table says).
fn templates(shared: &Shared, waba_id: &str, request: &Incoming<'_>) -> Reply {
    if shared.account.strict && !is_json(request.content_type) {
        return Reply::refuse(400, bodies::WA400, "Content-Type must be application/json");
    }
    let answer = catalogue::listing(shared, waba_id, request.query);
    match answer.refusal {
        Some(why) => Reply::refuse(answer.status, &answer.body, why),
        None => Reply::json(answer.status, answer.body),
    }
}

fn publish(shared: &Shared, flow_id: &str, request: &Incoming<'_>) -> Reply {
    if shared.account.strict && !is_json(request.content_type) {
        return Reply::refuse(400, bodies::WA_400, "Content-Type must be application/json");
    }
    flow_reply(super::flows::publish(&mut shared.lock().flows, flow_id))
}

/// A flow route's answer as a reply.
fn flow_reply(answer: super::flows::Answer) -> Reply {
    match answer.allow {
        Some(allow) => Reply {
            allow: Some(allow),
            ..Reply::empty(answer.status, answer.refusal.unwrap_or_default())
        },
        None => Reply {
            refusal: answer.refusal,
            ..Reply::json(answer.status, answer.body)
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            parse_path("/v2/HX1/whatsapp/+15550001234/messages"),
            Some(("HX1".into(), "+15550001234".into(), Endpoint::Messages))
        );
        assert_eq!(
            parse_path("/v2/HX1/whatsapp/%2B1555/messages"),
            Some(("HX1".into(), "+1555".into(), Endpoint::Messages))
        );
        assert_eq!(
            parse_path("/v2/HX1/whatsapp/123/publish"),
            Some(("HX1".into(), "123".into(), Endpoint::Publish))
        );
        assert_eq!(
            parse_path("/v2/HX1/whatsapp/109/message_templates"),
            Some(("HX1".into(), "109".into(), Endpoint::Templates))
        );
        for bad in [
            "",
            "/",
            "/v2/HX1/whatsapp/123",
            "/v2/HX1/whatsapp/123/publish/",
            "/v3/HX1/whatsapp/123/publish",
            "/v2/HX1/sms/123/messages",
            "/v2/HX1/whatsapp/123/other",
        ] {
            assert_eq!(parse_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert!(is_json(Some("application/json")));
        assert!(is_json(Some("Application/JSON; charset=utf-8")));
        assert!(!is_json(Some("text/plain")));
        assert!(!is_json(None));
    }
}
