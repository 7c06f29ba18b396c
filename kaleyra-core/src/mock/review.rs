//! Template management in the simulator (issue 19): `POST`, `PUT` and `DELETE` on
//! `/v2/{sid}/whatsapp/{waba_id}/message_templates`, WhatsApp's review of what is created or
//! edited, the template status callback, and the resumable upload
//! (`POST …/{waba_id}/resumable_media`).
//!
//! - A creation (Meta's body: `name`, `language`, `category`, `components`, more members kept)
//!   puts the template in the catalogue as PENDING with a new id, answered `200` `{"code":
//!   "WA200", "message": "Request Processed Successfully", "data": {"id", "status",
//!   "category"}, "error": {}}` (the template error-codes page). A name already in that
//!   language is `400 WA400` with Meta's error object (code 100, subcode `2388024`, "Content in
//!   this language already exists").
//! - The review ([`Review`], [`MockServerBuilder::review`]) decides APPROVED or REJECTED (with
//!   a reason) once its delay has passed on the simulator's clock
//!   ([`MockServer::advance_clock`]); decisions are taken when the next request arrives, when
//!   [`MockServer::templates`] is read, or at once with [`MockServer::review_now`]. Each
//!   decision posts the template status callback (§4.5's callback-profile body) to the
//!   callback URL.
//! - An edit (`PUT …?template_id={id}`, `{"category": …}` or `{"components": […]}`, never
//!   both) follows Kaleyra's rules (§4.2): only APPROVED, REJECTED or PAUSED templates; not
//!   the category of an approved one; an approved one at most once in 24 hours and 10 times in
//!   30 days; none with a `VOICE_CALL` button. Each is `400 WA400` with the rule in `error`. An
//!   edit that changes something puts the template back in review (PENDING); one that changes
//!   nothing is answered `200` and not counted.
//! - A delete by `name` removes every language, by `name` and `template_id` that one; a bulk
//!   delete (`names`, `template_ids`, `start_date` + `end_date`, `status`, `language`,
//!   comma-separated, ANDed) removes every match.
//! - Kaleyra's limits: 100 template calls (create, edit, delete) per WABA per hour, 20
//!   resumable uploads; past them `429 WA429` with `Retry-After` (the template error table).

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::http::Method;
use serde_json::{Map, Value, json};

use super::state::Shared;
use super::{MockServer, MockServerBuilder};
use crate::catalogue::{ButtonType, Status, TemplateDefinition};
use crate::manage::civil_date;
use crate::rules;

/// Template calls (create, edit, delete) allowed per WABA per hour (facts §6.4): the rule's
/// one definition, in `rules`.
pub use crate::rules::TEMPLATE_CALLS_PER_HOUR;
/// Resumable uploads allowed per WABA per hour (§2.2).
pub const RESUMABLE_UPLOADS_PER_HOUR: usize = 20;
/// The `company_id` of the simulated account in template status callbacks.
pub const COMPANY_ID: &str = "Zmock0000000a";
/// The `callback_profile_id` of template status callbacks.
pub const CALLBACK_PROFILE_ID: &str = "CBP0000000001";

const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(24 * 3600);
const EDITS_WINDOW: Duration = Duration::from_secs(30 * 24 * 3600);

/// WhatsApp's verdict on a template ([`Review::decide`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// APPROVED: it can be sent.
    Approve,
    /// REJECTED, with the reason the callback and the listing give (e.g. `"INVALID_FORMAT"`).
    Reject(String),
}

type Decide = dyn Fn(&TemplateDefinition) -> Decision + Send + Sync;

/// How the simulator reviews a created or edited template: a decision, taken once `delay`
/// has passed on the simulator's clock. The default approves at once (delay 0).
///
/// ```
/// use std::time::Duration;
/// use kaleyra::mock::{Decision, MockServer, Review};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let server = MockServer::builder()
///     .review(Review::approve_after(Duration::from_secs(3600)))
///     .start()
///     .await;
/// // Or: Review::reject("INVALID_FORMAT"), or a decision by the template's contents:
/// let _ = Review::decide(|t| {
///     if t.name().starts_with("promo_") {
///         Decision::Reject("PROMOTIONAL".into())
///     } else {
///         Decision::Approve
///     }
/// });
/// # let _ = server; }
/// ```
#[derive(Clone)]
pub struct Review {
    delay: Duration,
    decide: Arc<Decide>,
    label: String,
}

impl fmt::Debug for Review {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Review")
            .field("decision", &self.label)
            .field("delay", &self.delay)
            .finish()
    }
}

impl Default for Review {
    fn default() -> Self {
        Review::approve()
    }
}

impl Review {
    /// Approves at once (the default).
    pub fn approve() -> Review {
        Review {
            delay: Duration::ZERO,
            decide: Arc::new(|_| Decision::Approve),
            label: "approve".to_owned(),
        }
    }

    /// Approves once `delay` has passed on the simulator's clock.
    pub fn approve_after(delay: Duration) -> Review {
        Review::approve().after(delay)
    }

    /// Rejects every template with `reason`, at once (see [`Review::after`]).
    pub fn reject(reason: impl Into<String>) -> Review {
        let reason = reason.into();
        Review {
            delay: Duration::ZERO,
            label: format!("reject ({reason})"),
            decide: Arc::new(move |_| Decision::Reject(reason.clone())),
        }
    }

    /// Decides by the template (its definition as created or edited), at once.
    pub fn decide(
        decide: impl Fn(&TemplateDefinition) -> Decision + Send + Sync + 'static,
    ) -> Review {
        Review {
            delay: Duration::ZERO,
            decide: Arc::new(decide),
            label: "decided by a function".to_owned(),
        }
    }

    /// The same decision, taken once `delay` has passed on the simulator's clock.
    #[must_use]
    pub fn after(mut self, delay: Duration) -> Review {
        self.delay = delay;
        self
    }
}

/// The review queue, the edit history and the hourly counts.
pub(super) struct Reviews {
    policy: Review,
    /// When the server started (the creation time of templates it did not create).
    started: Duration,
    state: Mutex<ReviewState>,
}

#[derive(Default)]
struct ReviewState {
    next_id: u64,
    next_event: u64,
    next_upload: u64,
    /// Templates waiting for their decision: (id, due on the simulator clock).
    queue: Vec<(String, Duration)>,
    /// Edits of approved templates, by id (simulator clock).
    edits: HashMap<String, Vec<Duration>>,
    /// Creation times, by id.
    created: HashMap<String, Duration>,
    /// The last hour's template calls and resumable uploads.
    calls: VecDeque<Duration>,
    uploads: VecDeque<Duration>,
}

impl Reviews {
    pub(super) fn new(policy: Review, started: Duration) -> Reviews {
        Reviews {
            policy,
            started,
            state: Mutex::new(ReviewState::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, ReviewState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// An answer of these routes, as the server files it.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) body: String,
    pub(super) refusal: Option<String>,
    pub(super) retry_after: Option<u64>,
}

impl Answer {
    fn ok(data: Value) -> Answer {
        Answer {
            status: 200,
            body: json!({
                "code": "WA200",
                "message": "Request Processed Successfully",
                "data": data,
                "error": {},
            })
            .to_string(),
            refusal: None,
            retry_after: None,
        }
    }

    /// `400 WA400` ("Incorrect Payload.", the template table's words) with the rule broken.
    fn bad(why: impl Into<String>) -> Answer {
        let why = why.into();
        Answer {
            status: 400,
            body: json!({
                "code": "WA400",
                "message": "Incorrect Payload.",
                "data": {},
                "error": {"template": why},
            })
            .to_string(),
            refusal: Some(why),
            retry_after: None,
        }
    }

    fn too_many(wait: Duration, why: String) -> Answer {
        Answer {
            status: 429,
            body: super::bodies::WA429.to_owned(),
            refusal: Some(why),
            retry_after: Some((wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)),
        }
    }
}

/// Counts a call in the last hour's window, or says how long until one is allowed.
fn admit(window: &mut VecDeque<Duration>, now: Duration, limit: usize) -> Result<(), Duration> {
    while window
        .front()
        .is_some_and(|t| now.saturating_sub(*t) >= HOUR)
    {
        window.pop_front();
    }
    if window.len() >= limit {
        let oldest = window.front().copied().unwrap_or(now);
        return Err((oldest + HOUR).saturating_sub(now));
    }
    window.push_back(now);
    Ok(())
}

fn waba_refused(shared: &Shared, waba_id: &str) -> Option<Answer> {
    (waba_id != shared.account.waba_id).then(|| Answer {
        status: 401,
        body: json!({
            "code": "WA401",
            "message": "WABA ID is not present or does not belong to the account.",
            "data": {},
            "error": {"waba_id": "WABA ID is not present or does not belong to the account."},
        })
        .to_string(),
        refusal: Some(format!("{waba_id:?} is not the account's WABA id")),
        retry_after: None,
    })
}

/// `POST`, `PUT` or `DELETE` on `…/{waba_id}/message_templates` (the key and SID checked).
pub(super) fn manage(
    shared: &Shared,
    waba_id: &str,
    method: &Method,
    query: Option<&str>,
    json: Option<&Value>,
) -> Answer {
    if let Some(refused) = waba_refused(shared, waba_id) {
        return refused;
    }
    let now = shared.window.now();
    if let Err(wait) = admit(
        &mut shared.reviews.lock().calls,
        now,
        TEMPLATE_CALLS_PER_HOUR,
    ) {
        return Answer::too_many(
            wait,
            format!("more than {TEMPLATE_CALLS_PER_HOUR} template calls in an hour"),
        );
    }
    let params = parse_query(query);
    if *method == Method::POST {
        create(shared, json, now)
    } else if *method == Method::PUT {
        edit(shared, &params, json, now)
    } else {
        delete(shared, &params)
    }
}

fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (
                crate::percent::decode(k, true),
                crate::percent::decode(v, true),
            )
        })
        .collect()
}

fn param<'a>(params: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

const CATEGORIES: [&str; 3] = ["MARKETING", "UTILITY", "AUTHENTICATION"];

fn create(shared: &Shared, json: Option<&Value>, now: Duration) -> Answer {
    let Some(body) = json.and_then(Value::as_object) else {
        return Answer::bad("the body is not a JSON object (Meta's creation body)");
    };
    let text = |key: &str| body.get(key).and_then(Value::as_str);
    let Some(name) = text("name") else {
        return Answer::bad("member `name` (a string) is required");
    };
    if let Err(v) = rules::check_template_name(name) {
        return Answer::bad(format!("member `name` {v}"));
    }
    let Some(language) = text("language") else {
        return Answer::bad("member `language` (a string) is required");
    };
    if let Err(v) = rules::language(language) {
        return Answer::bad(format!("member `language` {v}"));
    }
    match text("category") {
        Some(c) if CATEGORIES.contains(&c) => {}
        Some(c) => {
            return Answer::bad(format!(
                "member `category` is {c:?}; expected MARKETING, UTILITY or AUTHENTICATION"
            ));
        }
        None => return Answer::bad("member `category` (a string) is required"),
    }
    match body.get("components") {
        Some(Value::Array(c)) if !c.is_empty() => {}
        _ => return Answer::bad("member `components` (a non-empty array) is required"),
    }
    if let Some(key) = rules::TEMPLATE_READ_ONLY_MEMBERS
        .iter()
        .find(|k| body.contains_key(**k))
    {
        return Answer::bad(format!(
            "member `{key}` is the account's, not part of a creation body"
        ));
    }
    // Locks: the reviews before the state, everywhere.
    let id = {
        let mut reviews = shared.reviews.lock();
        reviews.next_id += 1;
        format!("19{:014}", reviews.next_id)
    };
    let mut state = shared.lock();
    if state.catalogue.get(name, language).is_some() {
        let why = format!("template `{name}` ({language}) already exists");
        return Answer {
            status: 400,
            body: json!({
                "code": "WA400",
                "message": "Incorrect Payload.",
                "data": {},
                "error": {
                    "message": "Invalid parameter",
                    "type": "OAuthException",
                    "code": 100,
                    "error_subcode": 2_388_024,
                    "error_user_title": "Content in this language already exists",
                    "error_user_msg": why,
                },
            })
            .to_string(),
            refusal: Some(format!("{why} (Meta's subcode 2388024)")),
            retry_after: None,
        };
    }
    let mut object = body.clone();
    object.insert("id".to_owned(), json!(id));
    object.insert("status".to_owned(), json!("PENDING"));
    let definition = match TemplateDefinition::from_json(Value::Object(object)) {
        Ok(d) => d,
        Err(e) => return Answer::bad(e.to_string()),
    };
    let category = definition.category().as_str().to_owned();
    state.catalogue.insert(definition);
    drop(state);
    let mut reviews = shared.reviews.lock();
    reviews.created.insert(id.clone(), now);
    let due = now.saturating_add(shared.reviews.policy.delay);
    reviews.queue.push((id.clone(), due));
    Answer::ok(json!({"id": id, "status": "PENDING", "category": category}))
}

fn find_by_id(shared: &Shared, id: &str) -> Option<TemplateDefinition> {
    shared
        .lock()
        .catalogue
        .iter()
        .find(|t| t.id() == Some(id))
        .cloned()
}

fn edit(
    shared: &Shared,
    params: &[(String, String)],
    json: Option<&Value>,
    now: Duration,
) -> Answer {
    let Some(id) = param(params, "template_id") else {
        return Answer::bad("query parameter `template_id` is required");
    };
    let Some(current) = find_by_id(shared, id) else {
        return Answer::bad(format!("no template has the id {id:?}"));
    };
    let Some(body) = json.and_then(Value::as_object) else {
        return Answer::bad("the body is not a JSON object");
    };
    let what = format!("template `{}` ({})", current.name(), current.language());
    let part = match (body.get("category"), body.get("components"), body.len()) {
        (Some(_), Some(_), _) => {
            return Answer::bad("the category and the components are changed in separate calls");
        }
        (Some(c), None, 1) => ("category", c),
        (None, Some(c), 1) => ("components", c),
        _ => return Answer::bad("the body is `{\"category\": …}` or `{\"components\": […]}`"),
    };
    let status = current.status();
    let voice_call = current
        .buttons()
        .iter()
        .any(|b| b.kind == ButtonType::VoiceCall);
    // The same rules the push plan applies (rules.rs, "template edits").
    let category = current.category().as_str();
    if let Err(why) = rules::check_edit(status.as_str(), category, category, voice_call) {
        return Answer::bad(format!("{what}: {why}"));
    }
    let raw = current.as_json();
    match part {
        ("category", value) => {
            let Some(category) = value.as_str().filter(|c| CATEGORIES.contains(c)) else {
                return Answer::bad(
                    "member `category` must be MARKETING, UTILITY or AUTHENTICATION",
                );
            };
            if current.category().as_str() == category {
                return Answer::ok(json!({"id": id, "success": true}));
            }
            if let Err(why) = rules::check_edit(
                status.as_str(),
                current.category().as_str(),
                category,
                false,
            ) {
                return Answer::bad(format!("{what}: {why}"));
            }
        }
        (_, value) => {
            if value.as_array().is_none_or(|c| c.is_empty()) {
                return Answer::bad("member `components` must be a non-empty array");
            }
            if raw.get("components") == Some(value) {
                return Answer::ok(json!({"id": id, "success": true}));
            }
        }
    }
    let mut reviews = shared.reviews.lock();
    if *status == Status::Approved {
        let edits = reviews.edits.entry(id.to_owned()).or_default();
        edits.retain(|t| now.saturating_sub(*t) < EDITS_WINDOW);
        let last_day = edits
            .iter()
            .filter(|t| now.saturating_sub(**t) < DAY)
            .count();
        if let Err(why) = rules::check_edit_frequency(status.as_str(), last_day, edits.len()) {
            return Answer::bad(format!("{what}: {why}"));
        }
        edits.push(now);
    }
    let mut object: Map<String, Value> = raw.as_object().cloned().unwrap_or_default();
    object.insert(part.0.to_owned(), part.1.clone());
    // Edited: reviewed again (an approved or paused one "re-approved unless it fails review").
    object.insert("status".to_owned(), json!("PENDING"));
    object.remove("rejected_reason");
    let updated = match TemplateDefinition::from_json(Value::Object(object)) {
        Ok(d) => d,
        Err(e) => return Answer::bad(e.to_string()),
    };
    shared.lock().catalogue.insert(updated);
    reviews.queue.retain(|(queued, _)| queued != id);
    let due = now.saturating_add(shared.reviews.policy.delay);
    reviews.queue.push((id.to_owned(), due));
    Answer::ok(json!({"id": id, "success": true}))
}

const BULK_KEYS: [&str; 6] = [
    "names",
    "template_ids",
    "start_date",
    "end_date",
    "status",
    "language",
];

fn delete(shared: &Shared, params: &[(String, String)]) -> Answer {
    if let Some((key, _)) = params
        .iter()
        .find(|(k, _)| k != "name" && k != "template_id" && !BULK_KEYS.contains(&k.as_str()))
    {
        return Answer::bad(format!("unknown query parameter `{key}`"));
    }
    let bulk = params.iter().any(|(k, _)| BULK_KEYS.contains(&k.as_str()));
    let single = params
        .iter()
        .any(|(k, _)| k == "name" || k == "template_id");
    let matches: Vec<(String, String)> = match (single, bulk) {
        (true, true) => {
            return Answer::bad("`name`/`template_id` and the bulk filters do not go together");
        }
        (false, false) => return Answer::bad("query parameter `name` is required"),
        (true, false) => {
            let Some(name) = param(params, "name") else {
                return Answer::bad("`template_id` is given with `name`, which is required");
            };
            let id = param(params, "template_id");
            let state = shared.lock();
            let found: Vec<(String, String)> = state
                .catalogue
                .iter()
                .filter(|t| t.name() == name && id.is_none_or(|id| t.id() == Some(id)))
                .map(|t| (t.name().to_owned(), t.language().to_owned()))
                .collect();
            if found.is_empty() {
                return Answer::bad(match id {
                    Some(id) => format!("no template `{name}` has the id {id:?}"),
                    None => format!("no template is named `{name}`"),
                });
            }
            found
        }
        (false, true) => match bulk_matches(shared, params) {
            Ok(found) => found,
            Err(answer) => return answer,
        },
    };
    let mut reviews = shared.reviews.lock();
    let mut state = shared.lock();
    let mut deleted = Vec::new();
    for (name, language) in &matches {
        if let Some(t) = state.catalogue.remove(name, language) {
            deleted.push(json!({"name": name, "language": language, "id": t.id()}));
            if let Some(id) = t.id() {
                reviews.queue.retain(|(queued, _)| queued != id);
            }
        }
    }
    Answer::ok(json!({"success": true, "deleted": deleted}))
}

fn bulk_matches(
    shared: &Shared,
    params: &[(String, String)],
) -> Result<Vec<(String, String)>, Answer> {
    let list = |key: &str| -> Option<Vec<String>> {
        param(params, key).map(|v| {
            v.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
    };
    let names = list("names");
    let ids = list("template_ids");
    let statuses = list("status");
    let languages = list("language");
    let day = |key: &str| -> Result<Option<(u32, u32, u32)>, Answer> {
        match param(params, key) {
            None => Ok(None),
            Some(v) => civil_date(v)
                .map(Some)
                .ok_or_else(|| Answer::bad(format!("`{key}` {v:?} is not a date YYYY-MM-DD"))),
        }
    };
    let range = match (day("start_date")?, day("end_date")?) {
        (Some(s), Some(e)) => Some((s, e)),
        (None, None) => None,
        _ => return Err(Answer::bad("both `start_date` and `end_date` are required")),
    };
    let reviews = shared.reviews.lock();
    let state = shared.lock();
    let started = shared.reviews.started;
    Ok(state
        .catalogue
        .iter()
        .filter(|t| {
            let id = t.id().unwrap_or_default();
            let created = reviews.created.get(id).copied().unwrap_or(started);
            let created = civil_from_secs(created.as_secs());
            names
                .as_ref()
                .is_none_or(|n| n.iter().any(|n| n == t.name()))
                && ids.as_ref().is_none_or(|i| i.iter().any(|i| i == id))
                && range.is_none_or(|(s, e)| s <= created && created <= e)
                && statuses
                    .as_ref()
                    .is_none_or(|s| s.iter().any(|s| s == t.status().as_str()))
                && languages
                    .as_ref()
                    .is_none_or(|l| l.iter().any(|l| l == t.language()))
        })
        .map(|t| (t.name().to_owned(), t.language().to_owned()))
        .collect())
}

/// The calendar day of a time in seconds since the UNIX epoch (Howard Hinnant's algorithm).
fn civil_from_secs(secs: u64) -> (u32, u32, u32) {
    let z = secs / 86_400 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (u32::try_from(y).unwrap_or(u32::MAX), m as u32, d as u32)
}

/// Takes the decisions that are due (every pending one with `all`), updates the catalogue and
/// posts the template status callbacks, in order, in the background.
pub(super) fn settle(shared: &Arc<Shared>, all: bool) {
    let now = shared.window.now();
    let due: Vec<String> = {
        let mut reviews = shared.reviews.lock();
        if reviews.queue.is_empty() {
            return;
        }
        let (due, waiting): (Vec<_>, Vec<_>) = reviews
            .queue
            .drain(..)
            .partition(|(_, at)| all || *at <= now);
        reviews.queue = waiting;
        due.into_iter().map(|(id, _)| id).collect()
    };
    let mut posts = Vec::new();
    for id in due {
        let Some(template) = find_by_id(shared, &id) else {
            continue;
        };
        let decision = (shared.reviews.policy.decide)(&template);
        let mut object = template.as_json().as_object().cloned().unwrap_or_default();
        let (event, reason) = match &decision {
            Decision::Approve => {
                object.remove("rejected_reason");
                ("APPROVED", "NONE".to_owned())
            }
            Decision::Reject(reason) => {
                object.insert("rejected_reason".to_owned(), json!(reason));
                ("REJECTED", reason.clone())
            }
        };
        object.insert("status".to_owned(), json!(event));
        if let Ok(decided) = TemplateDefinition::from_json(Value::Object(object)) {
            shared.lock().catalogue.insert(decided);
        }
        let n = {
            let mut reviews = shared.reviews.lock();
            reviews.next_event += 1;
            reviews.next_event
        };
        let body = json!({
            "id": format!("tse{n:017}"),
            "time": shared.window.now_secs().to_string(),
            "event": event,
            "message_template_id": id,
            "message_template_name": template.name(),
            "message_template_language": template.language(),
            "reason": reason,
            "callback_profile_id": CALLBACK_PROFILE_ID,
            "company_id": COMPANY_ID,
        });
        posts.push((id, serde_json::to_vec(&body).unwrap_or_default()));
    }
    if posts.is_empty() || tokio::runtime::Handle::try_current().is_err() {
        return;
    }
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        for (id, body) in posts {
            // Without a callback URL this returns at once; a failed post does not hold the next.
            let _ = super::callbacks::post(&shared, "template_status", &id, body).await;
        }
    });
}

/// Whether a request is a resumable upload (its body is streamed, as a media upload's).
pub(super) fn is_resumable(method: &Method, path: &str) -> bool {
    *method == Method::POST && path.ends_with("/resumable_media")
}

/// `POST …/{waba_id}/resumable_media`: a multipart `file` and `type` (§2.2), one of the five
/// types, at most 100 MB, a plain file name; answered (**choice**, its answer is not visible)
/// `200` `{"code": "WA200", …, "data": {"resumable_media_id": "<n>", "uploaded_file_handle":
/// "<handle>"}, "error": {}}`.
pub(super) fn resumable(
    shared: &Shared,
    waba_id: &str,
    received: Option<&super::media::Received>,
) -> Answer {
    if let Some(refused) = waba_refused(shared, waba_id) {
        return refused;
    }
    let now = shared.window.now();
    if let Err(wait) = admit(
        &mut shared.reviews.lock().uploads,
        now,
        RESUMABLE_UPLOADS_PER_HOUR,
    ) {
        return Answer::too_many(
            wait,
            format!("more than {RESUMABLE_UPLOADS_PER_HOUR} resumable uploads in an hour"),
        );
    }
    let Some(received) = received else {
        return Answer::bad("the upload's body was not read");
    };
    if let Some(why) = &received.error {
        return Answer::bad(why.clone());
    }
    let Some(mime) = &received.mime else {
        return Answer::bad("the form has no `type` field");
    };
    if !crate::manage::RESUMABLE_TYPES.contains(&mime.as_str()) {
        return Answer::bad(format!(
            "form field `type` {mime:?} is not one of application/pdf, image/jpeg, image/jpg, \
             image/png, video/mp4"
        ));
    }
    let Some(file) = &received.file else {
        return Answer::bad("the form has no `file` part");
    };
    if file.size == 0 || file.size > crate::manage::RESUMABLE_MAX_BYTES {
        return Answer::bad(format!(
            "the file has {} bytes; a resumable upload has 1 to 100 MB",
            file.size
        ));
    }
    let name = file.file_name.clone().unwrap_or_default();
    let len = name.chars().count();
    if len == 0
        || len > 255
        || name
            .chars()
            .any(|c| matches!(c, '\\' | '/' | '<' | '@' | '%' | ' '))
    {
        return Answer::bad(format!(
            "the file name {name:?} must have 1-255 characters, none of \\ / < @ % or a space"
        ));
    }
    let n = {
        let mut reviews = shared.reviews.lock();
        reviews.next_upload += 1;
        reviews.next_upload
    };
    Answer::ok(json!({
        "resumable_media_id": n.to_string(),
        "uploaded_file_handle": format!("4::{}:ARmock{n:08}", mime.replace('/', "-")),
    }))
}

impl MockServerBuilder {
    /// How created and edited templates are reviewed (default [`Review::approve`]: approved at
    /// once, i.e. by the next request or [`MockServer::review_now`]).
    pub fn review(mut self, policy: Review) -> Self {
        self.review = policy;
        self
    }
}

impl MockServer {
    /// Takes every pending review decision now, whatever its delay, and posts their template
    /// status callbacks (in the background: wait with
    /// [`MockServer::wait_for_callback_posts`]).
    pub fn review_now(&self) {
        settle(&self.shared, true);
    }

    /// How many created or edited templates are still waiting for their review.
    pub fn pending_reviews(&self) -> usize {
        self.shared.reviews.lock().queue.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hourly_window_slides() {
        let mut window = VecDeque::new();
        let t0 = Duration::from_secs(1_000_000);
        for i in 0..3 {
            assert!(admit(&mut window, t0 + Duration::from_secs(i), 3).is_ok());
        }
        assert_eq!(
            admit(&mut window, t0 + Duration::from_secs(10), 3),
            Err(Duration::from_secs(3590))
        );
        assert!(admit(&mut window, t0 + HOUR, 3).is_ok());
    }

    #[test]
    fn days_of_unix_times() {
        assert_eq!(civil_from_secs(0), (1970, 1, 1));
        assert_eq!(civil_from_secs(1_835_481_599), (2028, 2, 29));
        assert_eq!(civil_from_secs(784_111_777), (1994, 11, 6));
    }
}
