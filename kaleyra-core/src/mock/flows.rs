//! The simulator's flows (issue 16): each flow with its id, WABA, name (unique per WABA),
//! metadata, stored Flow JSON and state (DRAFT, PUBLISHED, DEPRECATED, THROTTLED, BLOCKED), and
//! the lifecycle routes (facts v2-session-flows-templates §3):
//!
//! - `POST /v2/{sid}/whatsapp/{waba_id}/flows` create, `GET` the same path lists (paged);
//! - `POST /v2/{sid}/whatsapp/{flow_id}` update metadata, `GET` details, `DELETE` delete;
//! - `POST /v2/{sid}/whatsapp/{flow_id}/assets` upload the Flow JSON (multipart), `GET` assets;
//! - `POST /v2/{sid}/whatsapp/{flow_id}/deprecate`, and `/publish` (server.rs routes it here);
//! - `POST /v2/{sid}/whatsapp/{source}/migrate_flows/{destination}`.
//!
//! Success bodies are Meta's, unwrapped (§0.3); an unknown flow id is Kaleyra's documented
//! `WA-401` ("The flow_id either does not exist…"); Meta's lifecycle refusals are `400` with
//! Kaleyra's envelope around Meta's error object, as the send refusals are (catalogue.rs):
//! `100` (name not unique, unknown field), `139001` (JSON of a flow that is not a draft),
//! `139002` (publish without JSON, with validation errors, or not a draft), `139003` (deprecate
//! a draft or a deprecated flow), `139004` (delete a flow that is not a draft). RULES.md,
//! "Flow lifecycle", has each choice and its source.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::bodies;
use crate::flows::{FlowStatus, FlowValidationError};

/// Flows listed per page unless `?limit=` says otherwise (1-100).
const PAGE_SIZE: usize = 25;
const PAGE_SIZE_MAX: usize = 100;
/// The first id the simulator gives a created flow (16 digits, as Meta's flow ids).
const FIRST_ID: u64 = 9_100_000_000_000_001;

/// One flow.
#[derive(Debug, Clone)]
struct Record {
    waba: String,
    name: String,
    categories: Vec<String>,
    status: FlowStatus,
    endpoint_uri: Option<String>,
    application_id: Option<String>,
    json: Option<Vec<u8>>,
    errors: Vec<FlowValidationError>,
}

impl Record {
    fn json_version(&self) -> Option<String> {
        let value: Value = serde_json::from_slice(self.json.as_deref()?).ok()?;
        value.get("version")?.as_str().map(str::to_owned)
    }

    fn data_api_version(&self) -> Option<String> {
        let value: Value = serde_json::from_slice(self.json.as_deref()?).ok()?;
        value.get("data_api_version")?.as_str().map(str::to_owned)
    }
}

/// The account's flows (in the simulator's state).
#[derive(Debug, Default)]
pub(super) struct Flows {
    by_id: BTreeMap<String, Record>,
    next_id: u64,
    /// A flow was created through the API: from then on a message naming a flow the simulator
    /// does not know is refused (before, only in strict mode: existing tests send made-up ids).
    managed: bool,
    /// When each message of a THROTTLED flow was accepted in the last hour (by flow id).
    throttled_sends: BTreeMap<String, std::collections::VecDeque<std::time::Duration>>,
}

/// Messages a THROTTLED flow may send in an hour (Meta's lifecycle page).
pub(super) const THROTTLED_PER_HOUR: usize = 10;

impl Flows {
    /// Flows known from the start ([`MockServerBuilder::flow`](super::MockServerBuilder::flow)
    /// and the default flow), registered PUBLISHED in `waba`.
    pub(super) fn new(ids: impl IntoIterator<Item = String>, waba: &str) -> Flows {
        let mut flows = Flows {
            next_id: FIRST_ID,
            ..Flows::default()
        };
        for id in ids {
            flows.register(&id, waba);
        }
        flows
    }

    /// Registers a published flow by id (a no-op for an id it knows), named `registered_{id}`
    /// (unique, since ids are).
    pub(super) fn register(&mut self, id: &str, waba: &str) {
        self.by_id.entry(id.to_owned()).or_insert_with(|| Record {
            waba: waba.to_owned(),
            name: format!("registered_{id}"),
            categories: vec!["OTHER".to_owned()],
            status: FlowStatus::Published,
            endpoint_uri: None,
            application_id: None,
            json: None,
            errors: Vec::new(),
        });
    }

    /// A flow's status.
    pub(super) fn status(&self, id: &str) -> Option<FlowStatus> {
        self.by_id.get(id).map(|r| r.status.clone())
    }

    /// Sets a flow's status; false if it does not know the flow.
    pub(super) fn set_status(&mut self, id: &str, status: FlowStatus) -> bool {
        match self.by_id.get_mut(id) {
            Some(r) => {
                r.status = status;
                true
            }
            None => false,
        }
    }

    /// A flow's stored Flow JSON.
    pub(super) fn json(&self, id: &str) -> Option<Vec<u8>> {
        self.by_id.get(id).and_then(|r| r.json.clone())
    }

    fn fresh_id(&mut self) -> String {
        if self.next_id < FIRST_ID {
            self.next_id = FIRST_ID;
        }
        while self.by_id.contains_key(&self.next_id.to_string()) {
            self.next_id += 1;
        }
        let id = self.next_id.to_string();
        self.next_id += 1;
        id
    }

    fn name_taken(&self, waba: &str, name: &str, except: Option<&str>) -> bool {
        self.by_id
            .iter()
            .any(|(id, r)| r.waba == waba && r.name == name && Some(id.as_str()) != except)
    }
}

/// An answer of the flow routes.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) body: String,
    pub(super) refusal: Option<String>,
    /// The `Allow` header of a 405 (no body).
    pub(super) allow: Option<&'static str>,
}

impl Answer {
    fn ok(body: impl Into<String>) -> Answer {
        Answer {
            status: 200,
            body: body.into(),
            refusal: None,
            allow: None,
        }
    }

    fn refused(status: u16, body: impl Into<String>, why: impl Into<String>) -> Answer {
        Answer {
            status,
            body: body.into(),
            refusal: Some(why.into()),
            allow: None,
        }
    }

    fn unknown_flow(id: &str) -> Answer {
        Answer::refused(
            401,
            bodies::WA_401_FLOW,
            format!("flow {id:?} is not on the account"),
        )
    }

    fn bad(why: impl Into<String>) -> Answer {
        Answer::refused(400, bodies::WA_400, why)
    }

    fn meta(code: u32, title: &str, details: &str) -> Answer {
        Answer::refused(
            400,
            super::bodies::meta_error(code, title, details),
            details.to_owned(),
        )
    }

    fn success() -> Answer {
        Answer::ok(bodies::PUBLISHED)
    }
}

/// A flow route, by path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FlowRoute {
    /// `/{id}`: a flow (update, get, delete).
    Flow(String),
    /// `/{waba_id}/flows`: create, list.
    Flows(String),
    /// `/{flow_id}/assets`: upload, list assets.
    Assets(String),
    /// `/{flow_id}/deprecate`.
    Deprecate(String),
    /// `/{source}/migrate_flows/{destination}`.
    Migrate(String, String),
}

/// Splits the flow paths (`/v2/{sid}/whatsapp/…`), percent-decoding the segments: the SID and
/// the route. Paths of server.rs's routes (messages, publish, templates, media) are not these.
pub(super) fn parse_path(path: &str) -> Option<(String, FlowRoute)> {
    let segments: Vec<&str> = path.split('/').collect();
    let decode = |s: &str| crate::percent::decode(s, false);
    let (sid, rest) = match segments.as_slice() {
        ["", "v2", sid, "whatsapp", rest @ ..] if !rest.is_empty() => (decode(sid), rest),
        _ => return None,
    };
    let route = match rest {
        [id] if !id.is_empty() => FlowRoute::Flow(decode(id)),
        [id, "flows"] if !id.is_empty() => FlowRoute::Flows(decode(id)),
        [id, "assets"] if !id.is_empty() => FlowRoute::Assets(decode(id)),
        [id, "deprecate"] if !id.is_empty() => FlowRoute::Deprecate(decode(id)),
        [src, "migrate_flows", dst] if !src.is_empty() && !dst.is_empty() => {
            FlowRoute::Migrate(decode(src), decode(dst))
        }
        _ => return None,
    };
    Some((sid, route))
}

/// Whether a request is a Flow JSON upload (its multipart form is read before routing).
pub(super) fn is_upload(method: &axum::http::Method, path: &str) -> bool {
    method == axum::http::Method::POST
        && matches!(parse_path(path), Some((_, FlowRoute::Assets(_))))
}

/// An upload's multipart form, as read.
#[derive(Debug, Default)]
pub(super) struct Form {
    file: Option<Vec<u8>>,
    file_name: Option<String>,
    name: Option<String>,
    asset_type: Option<String>,
    /// Why the form could not be read.
    error: Option<String>,
}

/// Reads an upload's form (the body is already in memory: at most the server's body limit).
pub(super) async fn read_form(body: bytes::Bytes, content_type: Option<&str>) -> Form {
    let mut form = Form::default();
    let boundary = match content_type.map(multer::parse_boundary) {
        Some(Ok(b)) => b,
        _ => {
            form.error = Some(format!(
                "Content-Type {content_type:?} is not multipart/form-data with a boundary: the \
                 Flow JSON is sent as form-data (facts §3.3)"
            ));
            return form;
        }
    };
    let stream = futures_util::stream::iter([Ok::<_, std::convert::Infallible>(body)]);
    let mut multipart = multer::Multipart::new(stream, boundary);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().map(str::to_owned);
                let file_name = field.file_name().map(str::to_owned);
                let data = match field.bytes().await {
                    Ok(d) => d,
                    Err(e) => {
                        form.error = Some(format!("the form could not be read: {e}"));
                        return form;
                    }
                };
                match name.as_deref() {
                    Some("file") => {
                        form.file = Some(data.to_vec());
                        form.file_name = file_name;
                    }
                    Some("name") => form.name = Some(String::from_utf8_lossy(&data).into_owned()),
                    Some("asset_type") => {
                        form.asset_type = Some(String::from_utf8_lossy(&data).into_owned());
                    }
                    other => {
                        form.error = Some(format!(
                            "unexpected form field {other:?}: the documented fields are file, \
                             name and asset_type"
                        ));
                        return form;
                    }
                }
            }
            Ok(None) => return form,
            Err(e) => {
                form.error = Some(format!("the form could not be read: {e}"));
                return form;
            }
        }
    }
}

/// The upload check, Meta's `validation_errors` entries: first the document's shape (JSON, an
/// object with a string `version` and an array `screens`, with the line and column of a JSON
/// syntax error, serde_json's, 1-based), then, on a document of that shape, the library's own
/// validator ([`FlowJson::validate`](crate::flows::FlowJson::validate), the publishing rules):
/// one entry per violation, located in the bytes (locate.rs) by its JSON path.
pub(super) fn validate_upload(bytes: &[u8]) -> Vec<FlowValidationError> {
    let errors = check_shape(bytes);
    if !errors.is_empty() {
        return errors;
    }
    let flow = match crate::flows::FlowJson::from_slice(bytes) {
        Ok(flow) => flow,
        Err(crate::flows::FlowJsonError::Shape { path, message }) => {
            return vec![located(
                bytes,
                "INVALID_PROPERTY_TYPE",
                "JSON_SCHEMA_ERROR",
                message,
                &path,
            )];
        }
        Err(e) => {
            return vec![FlowValidationError::new(
                "INVALID_FLOW_JSON",
                "FLOW_JSON_ERROR",
                format!("Flow JSON is not valid JSON: {e}"),
            )];
        }
    };
    flow.validate()
        .into_iter()
        .map(|v| {
            located(
                bytes,
                &v.rule.as_str().to_ascii_uppercase(),
                "FLOW_JSON_ERROR",
                v.message,
                &v.path,
            )
        })
        .collect()
}

/// A validation error at `path` (located in `bytes`), with one pointer naming the path.
fn located(
    bytes: &[u8],
    error: &str,
    error_type: &str,
    message: String,
    path: &str,
) -> FlowValidationError {
    let ((line_start, column_start), (line_end, column_end)) = super::locate::locate(bytes, path);
    let mut e = FlowValidationError::new(error, error_type, message);
    e.line_start = Some(line_start);
    e.line_end = Some(line_end);
    e.column_start = Some(column_start);
    e.column_end = Some(column_end);
    e.pointers = vec![crate::flows::FlowErrorPointer {
        path: Some(if path.is_empty() { "$root" } else { path }.to_owned()),
        line_start: Some(line_start),
        line_end: Some(line_end),
        column_start: Some(column_start),
        column_end: Some(column_end),
    }];
    e
}

/// The document's shape, as Meta checks it before its rules.
fn check_shape(bytes: &[u8]) -> Vec<FlowValidationError> {
    let schema = |error: &str, message: String, path: &str| {
        let mut e = FlowValidationError::new(error, "JSON_SCHEMA_ERROR", message).at(1, 1);
        e.pointers = vec![crate::flows::FlowErrorPointer {
            path: Some(path.to_owned()),
            line_start: Some(1),
            line_end: Some(1),
            column_start: Some(1),
            column_end: Some(1),
        }];
        e
    };
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            let line = u32::try_from(e.line()).unwrap_or(u32::MAX).max(1);
            let column = u32::try_from(e.column()).unwrap_or(u32::MAX).max(1);
            return vec![
                FlowValidationError::new(
                    "INVALID_FLOW_JSON",
                    "FLOW_JSON_ERROR",
                    format!("Flow JSON is not valid JSON: {e}"),
                )
                .at(line, column),
            ];
        }
    };
    let Some(object) = value.as_object() else {
        return vec![schema(
            "INVALID_PROPERTY_TYPE",
            "Expected $root to be object".to_owned(),
            "$root",
        )];
    };
    let mut errors = Vec::new();
    match object.get("version") {
        None => errors.push(schema(
            "MISSING_FLOW_JSON_VERSION",
            "Flow JSON version is not specified.".to_owned(),
            "version",
        )),
        Some(Value::String(_)) => {}
        Some(_) => errors.push(schema(
            "INVALID_PROPERTY_TYPE",
            "Expected version to be string".to_owned(),
            "version",
        )),
    }
    match object.get("screens") {
        None => errors.push(schema(
            "MISSING_REQUIRED_TYPE_PROPERTY",
            "Required property screens is missing".to_owned(),
            "screens",
        )),
        Some(Value::Array(_)) => {}
        Some(_) => errors.push(schema(
            "INVALID_PROPERTY_TYPE",
            "Expected screens to be array".to_owned(),
            "screens",
        )),
    }
    errors
}

/// A lifecycle request, as server.rs hands it over (already authenticated).
pub(super) struct Request<'a> {
    pub(super) method: &'a axum::http::Method,
    pub(super) query: Option<&'a str>,
    pub(super) json: Option<&'a Value>,
    pub(super) form: Option<&'a Form>,
    /// The account's WABA id.
    pub(super) waba: &'a str,
    /// The request's path, for `paging.next`.
    pub(super) path: &'a str,
    /// The `Host` the client asked, for an asset's `download_url` (this simulator's CDN).
    pub(super) host: Option<&'a str>,
}

/// Where the simulator serves uploaded Flow JSON, as Meta's CDN does (`download_url`).
pub(super) const CDN_PREFIX: &str = "/cdn/flows/";
const FLOW_JSON_FILE: &str = crate::flows::lifecycle::FLOW_JSON_FILE_NAME;

/// The flow id of a CDN path, `/cdn/flows/{id}/flow.json`.
pub(super) fn cdn_path(path: &str) -> Option<String> {
    let rest = path.strip_prefix(CDN_PREFIX)?;
    let (id, file) = rest.split_once('/')?;
    (file == FLOW_JSON_FILE && !id.is_empty()).then(|| crate::percent::decode(id, false))
}

/// A download from the CDN: the stored Flow JSON. The URL is all the access it needs; an
/// `api-key` header is refused (`400`), so that a client that leaks its key to another host
/// fails its tests (the real CDN would only see the key).
pub(super) fn download(
    flows: &Flows,
    method: &axum::http::Method,
    id: &str,
    with_key: bool,
) -> Answer {
    if method != axum::http::Method::GET {
        return Answer {
            status: 405,
            body: String::new(),
            refusal: Some(format!("method {method} is not allowed")),
            allow: Some("GET"),
        };
    }
    if with_key {
        return Answer::refused(
            400,
            "",
            "an api-key header was sent to the CDN: a download URL is fetched without credentials",
        );
    }
    match flows.by_id.get(id).and_then(|r| r.json.as_ref()) {
        Some(json) => Answer::ok(String::from_utf8_lossy(json).into_owned()),
        None => Answer::refused(404, "", format!("no Flow JSON for flow {id:?}")),
    }
}

/// Answers a lifecycle request.
pub(super) fn answer(flows: &mut Flows, route: &FlowRoute, request: &Request<'_>) -> Answer {
    use axum::http::Method;
    let method = request.method;
    let wrong = |allow: &'static str| Answer {
        status: 405,
        body: String::new(),
        refusal: Some(format!("method {method} is not allowed")),
        allow: Some(allow),
    };
    match route {
        FlowRoute::Flows(waba) => match *method {
            Method::POST => create(flows, waba, request),
            Method::GET => list(flows, waba, request),
            _ => wrong("GET, POST"),
        },
        FlowRoute::Flow(id) => match *method {
            Method::POST => update(flows, id, request),
            Method::GET => get(flows, id, request),
            Method::DELETE => delete(flows, id),
            _ => wrong("GET, POST, DELETE"),
        },
        FlowRoute::Assets(id) => match *method {
            Method::POST => upload(flows, id, request.form),
            Method::GET => assets(flows, id, request.host),
            _ => wrong("GET, POST"),
        },
        FlowRoute::Deprecate(id) => match *method {
            Method::POST => deprecate(flows, id),
            _ => wrong("POST"),
        },
        FlowRoute::Migrate(src, dst) => match *method {
            Method::POST => migrate(flows, src, dst, request),
            _ => wrong("POST"),
        },
    }
}

fn waba_not_on_account(waba: &str) -> Answer {
    Answer::refused(
        401,
        json!({
            "code": "WA401",
            "message": "WABA ID is not present or does not belong to the account.",
            "data": {},
            "error": {"waba_id": "WABA ID is not present or does not belong to the account."},
        })
        .to_string(),
        format!("{waba:?} is not the account's WABA id"),
    )
}

/// The members of a JSON object body, refusing members not in `allowed`.
fn object<'a>(
    json: Option<&'a Value>,
    allowed: &[&str],
) -> Result<&'a serde_json::Map<String, Value>, Answer> {
    let Some(Value::Object(map)) = json else {
        return Err(Answer::bad("the body is not a JSON object"));
    };
    if let Some(key) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(Answer::bad(format!(
            "unexpected member {key:?}; the documented members are {allowed:?}"
        )));
    }
    Ok(map)
}

fn string_member(
    map: &serde_json::Map<String, Value>,
    key: &str,
) -> Result<Option<String>, Answer> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
        Some(_) => Err(Answer::bad(format!("{key} must be a non-empty string"))),
    }
}

fn categories_member(map: &serde_json::Map<String, Value>) -> Result<Option<Vec<String>>, Answer> {
    let Some(value) = map.get("categories") else {
        return Ok(None);
    };
    let items = value
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| Answer::bad("categories must be a non-empty array"))?;
    let mut out = Vec::new();
    for item in items {
        let known = item.as_str().is_some_and(|s| {
            crate::flows::FlowCategory::ALL
                .iter()
                .any(|c| c.as_str() == s)
        });
        if !known {
            return Err(Answer::meta(
                100,
                "Invalid parameter",
                &format!(
                    "categories: {item} is not one of SIGN_UP, SIGN_IN, APPOINTMENT_BOOKING, \
                     LEAD_GENERATION, CONTACT_US, CUSTOMER_SUPPORT, SURVEY, OTHER"
                ),
            ));
        }
        out.push(item.as_str().unwrap_or_default().to_owned());
    }
    Ok(Some(out))
}

fn endpoint_member(map: &serde_json::Map<String, Value>) -> Result<Option<String>, Answer> {
    let uri = string_member(map, "endpoint_uri")?;
    if let Some(uri) = &uri
        && crate::flows::lifecycle::check_endpoint_uri(uri).is_err()
    {
        return Err(Answer::meta(
            100,
            "Invalid parameter",
            &format!("Invalid Endpoint URI {uri:?}: provide a valid https URL"),
        ));
    }
    Ok(uri)
}

fn not_unique(name: &str) -> Answer {
    Answer::meta(
        100,
        "Invalid parameter",
        &format!("Flow name is not unique: the WABA already has a flow named {name:?}"),
    )
}

fn create(flows: &mut Flows, waba: &str, request: &Request<'_>) -> Answer {
    if waba != request.waba {
        return waba_not_on_account(waba);
    }
    let map = match object(
        request.json,
        &["name", "categories", "clone_flow_id", "endpoint_uri"],
    ) {
        Ok(map) => map,
        Err(a) => return a,
    };
    let (name, categories, clone, endpoint) = match (
        string_member(map, "name"),
        categories_member(map),
        string_member(map, "clone_flow_id"),
        endpoint_member(map),
    ) {
        (Ok(Some(n)), Ok(Some(c)), Ok(clone), Ok(e)) => (n, c, clone, e),
        (Ok(None), ..) => return Answer::bad("name is required"),
        (_, Ok(None), ..) => return Answer::bad("categories is required"),
        (Err(a), ..) | (_, Err(a), ..) | (_, _, Err(a), _) | (.., Err(a)) => return a,
    };
    if flows.name_taken(waba, &name, None) {
        return not_unique(&name);
    }
    let (json, errors) = match &clone {
        Some(id) => match flows.by_id.get(id) {
            Some(source) => (source.json.clone(), source.errors.clone()),
            None => {
                return Answer::meta(
                    100,
                    "Invalid parameter",
                    &format!("Flow with specified ID does not exist: clone_flow_id {id:?}"),
                );
            }
        },
        None => (None, Vec::new()),
    };
    let id = flows.fresh_id();
    flows.by_id.insert(
        id.clone(),
        Record {
            waba: waba.to_owned(),
            name,
            categories,
            status: FlowStatus::Draft,
            endpoint_uri: endpoint,
            application_id: None,
            json,
            errors,
        },
    );
    flows.managed = true;
    Answer::ok(json!({ "id": id }).to_string())
}

fn update(flows: &mut Flows, id: &str, request: &Request<'_>) -> Answer {
    let Some(record) = flows.by_id.get(id) else {
        return Answer::unknown_flow(id);
    };
    let waba = record.waba.clone();
    let map = match object(
        request.json,
        &["name", "categories", "endpoint_uri", "application_id"],
    ) {
        Ok(map) => map,
        Err(a) => return a,
    };
    if map.is_empty() {
        return Answer::bad("nothing to update");
    }
    let (name, categories, endpoint, application) = match (
        string_member(map, "name"),
        categories_member(map),
        endpoint_member(map),
        string_member(map, "application_id"),
    ) {
        (Ok(n), Ok(c), Ok(e), Ok(a)) => (n, c, e, a),
        (Err(a), ..) | (_, Err(a), ..) | (_, _, Err(a), _) | (.., Err(a)) => return a,
    };
    if let Some(name) = &name
        && flows.name_taken(&waba, name, Some(id))
    {
        return not_unique(name);
    }
    let Some(record) = flows.by_id.get_mut(id) else {
        return Answer::unknown_flow(id);
    };
    // Meta: a deprecated flow is final (its metadata too).
    if record.status == FlowStatus::Deprecated {
        return Answer::meta(
            139001,
            "Flow can't be updated",
            "The flow is DEPRECATED: create a new flow (clone_flow_id) instead",
        );
    }
    if let Some(n) = name {
        record.name = n;
    }
    if let Some(c) = categories {
        record.categories = c;
    }
    if let Some(e) = endpoint {
        record.endpoint_uri = Some(e);
    }
    if let Some(a) = application {
        record.application_id = Some(a);
    }
    Answer::success()
}

fn upload(flows: &mut Flows, id: &str, form: Option<&Form>) -> Answer {
    let Some(record) = flows.by_id.get_mut(id) else {
        return Answer::unknown_flow(id);
    };
    let Some(form) = form else {
        return Answer::bad("the upload's form was not read");
    };
    if let Some(why) = &form.error {
        return Answer::bad(why.clone());
    }
    let Some(file) = &form.file else {
        return Answer::bad("the form has no file part");
    };
    if form.name.as_deref() != Some(crate::flows::lifecycle::FLOW_JSON_FILE_NAME) {
        return Answer::bad(format!("name must be \"flow.json\", found {:?}", form.name));
    }
    if form.asset_type.as_deref() != Some(crate::flows::lifecycle::FLOW_JSON_ASSET_TYPE) {
        return Answer::bad(format!(
            "asset_type must be \"FLOW_JSON\", found {:?}",
            form.asset_type
        ));
    }
    if file.len() > crate::flows::MAX_FLOW_JSON_BYTES {
        return Answer::bad("the Flow JSON is larger than 10 MB");
    }
    if record.status != FlowStatus::Draft {
        return Answer::meta(
            139001,
            "Flow can't be updated",
            &format!(
                "The flow is {}: its Flow JSON cannot change. Create a clone (clone_flow_id) \
                 and publish the clone",
                record.status
            ),
        );
    }
    let errors = validate_upload(file);
    record.json = Some(file.clone());
    record.errors = errors.clone();
    let errors: Vec<Value> = errors.iter().map(FlowValidationError::to_json).collect();
    Answer::ok(json!({"success": true, "validation_errors": errors}).to_string())
}

/// `POST …/{flow_id}/publish`.
pub(super) fn publish(flows: &mut Flows, id: &str) -> Answer {
    let Some(record) = flows.by_id.get_mut(id) else {
        return Answer::unknown_flow(id);
    };
    match &record.status {
        FlowStatus::Draft if record.json.is_none() => Answer::meta(
            139002,
            "Publishing Flow in invalid state",
            "The flow has no Flow JSON: upload it before publishing",
        ),
        FlowStatus::Draft if !record.errors.is_empty() => Answer::meta(
            139002,
            "Publishing Flow with validation errors",
            &format!(
                "The Flow JSON has {} validation error(s): fix them before publishing",
                record.errors.len()
            ),
        ),
        FlowStatus::Draft => {
            record.status = FlowStatus::Published;
            Answer::success()
        }
        // Already there: the target state (choice, RULES.md).
        FlowStatus::Published => Answer::success(),
        other => Answer::meta(
            139002,
            "Publishing Flow in invalid state",
            &format!("The flow is {other}: only a draft can be published"),
        ),
    }
}

fn deprecate(flows: &mut Flows, id: &str) -> Answer {
    let Some(record) = flows.by_id.get_mut(id) else {
        return Answer::unknown_flow(id);
    };
    match record.status {
        FlowStatus::Draft => Answer::meta(
            139003,
            "Can't deprecate unpublished Flow",
            "The flow is DRAFT: only a published flow can be deprecated; delete a draft instead",
        ),
        FlowStatus::Deprecated => Answer::meta(
            139003,
            "Flow is already deprecated",
            "The flow is already DEPRECATED",
        ),
        _ => {
            record.status = FlowStatus::Deprecated;
            Answer::success()
        }
    }
}

fn delete(flows: &mut Flows, id: &str) -> Answer {
    let Some(record) = flows.by_id.get(id) else {
        return Answer::unknown_flow(id);
    };
    if record.status != FlowStatus::Draft {
        return Answer::meta(
            139004,
            "Can't delete published Flow",
            &format!(
                "The flow is {}: only a draft can be deleted; deprecate it instead",
                record.status
            ),
        );
    }
    flows.by_id.remove(id);
    Answer::success()
}

/// The query's pairs, percent-decoded (a double-encoded `%252C`, as Kaleyra's samples have it,
/// is read as a comma too).
fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let mut v = crate::percent::decode(v, true);
            if v.contains("%2C") || v.contains("%2c") {
                v = crate::percent::decode(&v, false);
            }
            (crate::percent::decode(k, true), v)
        })
        .collect()
}

const KNOWN_FIELDS: [&str; 13] = [
    "id",
    "name",
    "status",
    "categories",
    "validation_errors",
    "json_version",
    "data_api_version",
    "endpoint_uri",
    "preview",
    "whatsapp_business_account",
    "application",
    "health_status",
    "flow_json",
];

/// The fields asked for (Meta's defaults when there is no `fields`).
fn fields(query: &[(String, String)]) -> Result<Vec<String>, Answer> {
    let Some((_, value)) = query.iter().find(|(k, _)| k == "fields") else {
        return Ok(["id", "name", "status", "categories", "validation_errors"]
            .map(str::to_owned)
            .to_vec());
    };
    let mut out = Vec::new();
    for field in value.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        // `preview.invalidate(false)`: the field is `preview`.
        let base = field.split('.').next().unwrap_or(field);
        if !KNOWN_FIELDS.contains(&base) || base == "flow_json" {
            return Err(Answer::meta(
                100,
                "Invalid parameter",
                &format!("Tried accessing nonexisting field ({field}) on node type (Flow)"),
            ));
        }
        out.push(base.to_owned());
    }
    Ok(out)
}

fn flow_object(id: &str, record: &Record, fields: &[String]) -> Value {
    let mut o = serde_json::Map::new();
    o.insert("id".into(), id.into());
    for field in fields {
        let value = match field.as_str() {
            "name" => Some(record.name.clone().into()),
            "status" => Some(record.status.as_str().into()),
            "categories" => Some(json!(record.categories)),
            "validation_errors" => Some(Value::Array(
                record
                    .errors
                    .iter()
                    .map(FlowValidationError::to_json)
                    .collect(),
            )),
            "json_version" => record.json_version().map(Value::from),
            "data_api_version" => record.data_api_version().map(Value::from),
            "endpoint_uri" => record.endpoint_uri.clone().map(Value::from),
            "preview" => Some(json!({
                "preview_url": format!("https://business.facebook.com/wa/manage/flows/{id}/preview/?token=simulator"),
                "expires_at": "2099-01-01T00:00:00+0000",
            })),
            "whatsapp_business_account" => Some(json!({"id": record.waba})),
            "application" => record.application_id.as_ref().map(|a| json!({"id": a})),
            "health_status" => Some(json!({
                "can_send_message": match record.status {
                    FlowStatus::Blocked => "BLOCKED",
                    FlowStatus::Throttled => "LIMITED",
                    _ => "AVAILABLE",
                }
            })),
            _ => None,
        };
        if let Some(value) = value {
            o.insert(field.clone(), value);
        }
    }
    Value::Object(o)
}

fn get(flows: &Flows, id: &str, request: &Request<'_>) -> Answer {
    let Some(record) = flows.by_id.get(id) else {
        return Answer::unknown_flow(id);
    };
    match fields(&query_pairs(request.query)) {
        Ok(fields) => Answer::ok(flow_object(id, record, &fields).to_string()),
        Err(a) => a,
    }
}

/// The page size and the cursor of a listing's query.
fn paging(query: &[(String, String)]) -> Result<(usize, Option<String>), Answer> {
    let mut limit = PAGE_SIZE;
    let mut after = None;
    for (k, v) in query {
        match k.as_str() {
            "limit" => match v.parse::<usize>() {
                Ok(n) if (1..=PAGE_SIZE_MAX).contains(&n) => limit = n,
                _ => {
                    return Err(Answer::bad(format!(
                        "limit must be 1-{PAGE_SIZE_MAX}, found {v:?}"
                    )));
                }
            },
            "after" => after = Some(v.clone()),
            _ => {}
        }
    }
    Ok((limit, after))
}

/// Meta's paging of a page whose entries are `ids` (`before`/`after` cursors: the first and
/// the last id), with `next` while `more` follow.
fn paging_object(ids: &[&str], more: bool, path: &str, query: &[(String, String)]) -> Value {
    let mut paging = json!({
        "cursors": {
            "before": ids.first().copied().unwrap_or_default(),
            "after": ids.last().copied().unwrap_or_default(),
        }
    });
    if more && let Some(last) = ids.last() {
        let mut next: Vec<String> = query
            .iter()
            .filter(|(k, _)| k != "after")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        next.push(format!("after={last}"));
        paging["next"] = format!("{path}?{}", next.join("&")).into();
    }
    paging
}

fn list(flows: &Flows, waba: &str, request: &Request<'_>) -> Answer {
    let known = waba == request.waba || flows.by_id.values().any(|r| r.waba == waba);
    if !known {
        return waba_not_on_account(waba);
    }
    let query = query_pairs(request.query);
    let (fields, (limit, after)) = match (fields(&query), paging(&query)) {
        (Ok(f), Ok(p)) => (f, p),
        (Err(a), _) | (_, Err(a)) => return a,
    };
    // Ids are digits: ordered by number (length first), so a cursor is an id.
    let order = |id: &str| (id.len(), id.to_owned());
    let mut all: Vec<(&String, &Record)> =
        flows.by_id.iter().filter(|(_, r)| r.waba == waba).collect();
    all.sort_by_key(|(id, _)| order(id));
    let start = match &after {
        Some(cursor) => all
            .iter()
            .position(|(id, _)| order(id) > order(cursor))
            .unwrap_or(all.len()),
        None => 0,
    };
    let page: Vec<_> = all.iter().skip(start).take(limit).collect();
    let more = start + page.len() < all.len();
    let ids: Vec<&str> = page.iter().map(|(id, _)| id.as_str()).collect();
    let data: Vec<Value> = page
        .iter()
        .map(|(id, r)| flow_object(id, r, &fields))
        .collect();
    Answer::ok(
        json!({"data": data, "paging": paging_object(&ids, more, request.path, &query)})
            .to_string(),
    )
}

fn assets(flows: &Flows, id: &str, host: Option<&str>) -> Answer {
    let Some(record) = flows.by_id.get(id) else {
        return Answer::unknown_flow(id);
    };
    let data: Vec<Value> = match &record.json {
        Some(_) => vec![json!({
            "name": crate::flows::lifecycle::FLOW_JSON_FILE_NAME,
            "asset_type": crate::flows::lifecycle::FLOW_JSON_ASSET_TYPE,
            "download_url": match host {
                Some(host) => format!("http://{host}{CDN_PREFIX}{id}/{FLOW_JSON_FILE}"),
                None => format!("https://mmg.whatsapp.net/simulator/flows/{id}/flow.json"),
            },
        })],
        None => Vec::new(),
    };
    let cursor = if data.is_empty() { "" } else { "MAZDZD" };
    Answer::ok(
        json!({"data": data, "paging": {"cursors": {"before": cursor, "after": cursor}}})
            .to_string(),
    )
}

fn migrate(flows: &mut Flows, src: &str, dst: &str, request: &Request<'_>) -> Answer {
    if src != request.waba {
        return waba_not_on_account(src);
    }
    if crate::rules::check_digits(dst).is_err() || dst == src {
        return Answer::bad(format!(
            "the destination WABA id {dst:?} must be digits and not the source"
        ));
    }
    let map = match request.json {
        // No body: every flow.
        None => None,
        Some(_) => match object(request.json, &["source_flow_names"]) {
            Ok(map) => Some(map),
            Err(a) => return a,
        },
    };
    let names: Option<Vec<String>> = match map.and_then(|m| m.get("source_flow_names")) {
        None => None,
        Some(Value::Array(items)) => {
            let names: Option<Vec<String>> = items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect();
            match names {
                Some(n) => Some(n),
                None => return Answer::bad("source_flow_names must be an array of strings"),
            }
        }
        Some(_) => return Answer::bad("source_flow_names must be an array of strings"),
    };
    let mut sources: Vec<(String, Record)> = flows
        .by_id
        .iter()
        .filter(|(_, r)| r.waba == src)
        .map(|(id, r)| (id.clone(), r.clone()))
        .collect();
    sources.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let mut migrated = Vec::new();
    let mut failed = Vec::new();
    let wanted: Vec<String> = match &names {
        Some(names) => names.clone(),
        None => sources.iter().map(|(_, r)| r.name.clone()).collect(),
    };
    for name in wanted {
        let Some((source_id, record)) = sources.iter().find(|(_, r)| r.name == name) else {
            failed.push(json!({
                "source_name": name,
                "error_code": "100",
                "error_message": "Flow with specified name does not exist in the source WABA",
            }));
            continue;
        };
        if flows.name_taken(dst, &name, None) {
            failed.push(json!({
                "source_name": name,
                "error_code": "100",
                "error_message": "Flow name is not unique in the destination WABA",
            }));
            continue;
        }
        let id = flows.fresh_id();
        flows.by_id.insert(
            id.clone(),
            Record {
                waba: dst.to_owned(),
                ..record.clone()
            },
        );
        migrated.push(json!({"source_name": name, "source_id": source_id, "migrated_id": id}));
    }
    Answer::ok(json!({"migrated_flows": migrated, "failed_flows": failed}).to_string())
}

/// Whether a message may open the flow it names (by id or by name): a DEPRECATED flow is
/// refused with Meta's `131009` and a BLOCKED one with `132068`; an unknown one with `400
/// WA400` when strict, or once a flow was created through the API (before, the simulator
/// cannot tell made-up ids from real ones: RULES.md).
pub(super) fn check_send(
    flows: &mut Flows,
    strict: bool,
    flow_id: Option<&str>,
    flow_name: Option<&str>,
    now: std::time::Duration,
) -> Result<(), Answer> {
    let found = match (flow_id, flow_name) {
        (Some(id), _) => flows.by_id.get_key_value(id),
        (None, Some(name)) => flows.by_id.iter().find(|(_, r)| r.name == name),
        (None, None) => return Ok(()),
    };
    let Some((id, record)) = found else {
        let named = flow_id.or(flow_name).unwrap_or_default();
        // Strict mode has always refused unknown ids (not names); a managed account refuses both.
        if flows.managed || (strict && flow_id.is_some()) {
            // The send route's payload refusal (Kaleyra's `WA400`, as strict mode answered).
            return Err(Answer::refused(
                400,
                bodies::WA400,
                format!("flow {named:?} is not on the account"),
            ));
        }
        return Ok(());
    };
    let (id, status) = (id.clone(), record.status.clone());
    match status {
        // At most 10 messages an hour, on the simulator's clock; the 11th is Meta's 132069.
        FlowStatus::Throttled => {
            let sent = flows.throttled_sends.entry(id.clone()).or_default();
            let hour = std::time::Duration::from_secs(3600);
            while sent.front().is_some_and(|t| now.saturating_sub(*t) >= hour) {
                sent.pop_front();
            }
            if sent.len() >= THROTTLED_PER_HOUR {
                return Err(Answer::meta(
                    132069,
                    "Flow is throttled",
                    &format!(
                        "Flow {id} is THROTTLED: {THROTTLED_PER_HOUR} messages using this flow \
                         were already sent in the last hour"
                    ),
                ));
            }
            sent.push_back(now);
            Ok(())
        }
        FlowStatus::Deprecated => Err(Answer::meta(
            131009,
            "Parameter value is not valid",
            &format!("Flow {id} is DEPRECATED and can no longer be sent"),
        )),
        FlowStatus::Blocked => Err(Answer::meta(
            132068,
            "Flow is blocked",
            &format!("Flow {id} is BLOCKED"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let p = |s| parse_path(s).map(|(_, r)| r);
        assert_eq!(p("/v2/S/whatsapp/12"), Some(FlowRoute::Flow("12".into())));
        assert_eq!(
            p("/v2/S/whatsapp/1/flows"),
            Some(FlowRoute::Flows("1".into()))
        );
        assert_eq!(
            p("/v2/S/whatsapp/1/assets"),
            Some(FlowRoute::Assets("1".into()))
        );
        assert_eq!(
            p("/v2/S/whatsapp/1/deprecate"),
            Some(FlowRoute::Deprecate("1".into()))
        );
        assert_eq!(
            p("/v2/S/whatsapp/1/migrate_flows/2"),
            Some(FlowRoute::Migrate("1".into(), "2".into()))
        );
        for bad in [
            "/v2/S/whatsapp",
            "/v2/S/whatsapp/",
            "/v2/S/whatsapp/1/other",
            "/v2/S/whatsapp/1/migrate_flows",
            "/v3/S/whatsapp/1",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }

    #[test]
    fn uploads_are_checked_for_json_version_and_screens() {
        // The shape passes, the rules do not: no screen (1 to 100).
        let e = validate_upload(br#"{"version":"7.1","screens":[]}"#);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].error, "SCREEN_COUNT");
        let e = validate_upload(b"{\n  \"version\": \"7.1\",\n  \"screens\": [,]\n}");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].error, "INVALID_FLOW_JSON");
        assert_eq!((e[0].line_start, e[0].column_start), (Some(3), Some(15)));
        let e = validate_upload(br#"{"screens":{}}"#);
        let names: Vec<&str> = e.iter().map(|e| e.error.as_str()).collect();
        assert_eq!(
            names,
            ["MISSING_FLOW_JSON_VERSION", "INVALID_PROPERTY_TYPE"]
        );
        assert_eq!(validate_upload(b"[]")[0].error, "INVALID_PROPERTY_TYPE");
        assert_eq!(validate_upload(b"")[0].error, "INVALID_FLOW_JSON");
    }

    const WELCOME: &str = r#"{
  "version": "7.1",
  "screens": [{
    "id": "WELCOME", "title": "Welcome", "terminal": true,
    "layout": {"type": "SingleColumnLayout", "children": [
      {"type": "TextInput", "name": "full_name", "label": "LABEL"},
      {"type": "Footer", "label": "Done",
       "on-click-action": {"name": "complete", "payload": {"name": "${form.full_name}"}}}
    ]}
  }]
}"#;

    #[test]
    fn uploads_are_checked_with_the_flow_json_validator() {
        assert_eq!(
            validate_upload(WELCOME.replace("LABEL", "Your name").as_bytes()),
            []
        );
        // 22 characters where TextInput's label allows 20: Meta's shape, located.
        let doc = WELCOME.replace("LABEL", "Your full name, please");
        let e = validate_upload(doc.as_bytes());
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].error, "TEXT_LENGTH");
        assert_eq!(e[0].error_type, "FLOW_JSON_ERROR");
        assert_eq!(e[0].message, "at most 20 characters, found 22");
        assert_eq!((e[0].line_start, e[0].column_start), (Some(6), Some(59)));
        assert_eq!((e[0].line_end, e[0].column_end), (Some(6), Some(82)));
        assert_eq!(
            e[0].pointers[0].path.as_deref(),
            Some("screens[0].layout.children[0].label")
        );
        // A shape error of the typed document (a screen without an id).
        let e = validate_upload(br#"{"version":"7.1","screens":[{"layout":{"type":"SingleColumnLayout","children":[]}}]}"#);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].error_type, "JSON_SCHEMA_ERROR");
    }

    #[test]
    fn queries() {
        let q = query_pairs(Some("fields=id%252Cname%2Cstatus&limit=2"));
        assert_eq!(
            fields(&q).ok(),
            Some(vec!["id".into(), "name".into(), "status".into()])
        );
        assert_eq!(paging(&q).ok(), Some((2, None)));
        assert!(fields(&query_pairs(Some("fields=nope"))).is_err());
        assert_eq!(
            fields(&query_pairs(Some("fields=preview.invalidate(false)"))).ok(),
            Some(vec!["preview".into()])
        );
    }
}
