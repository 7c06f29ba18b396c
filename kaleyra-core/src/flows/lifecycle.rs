//! The flow lifecycle on [`Client`](crate::Client): create, update metadata, upload the Flow
//! JSON, publish, deprecate, delete, get, list, assets, migrate (issue 16; facts
//! v2-session-flows-templates.md §3, v2-more-facts.md §4).
//!
//! Every call takes the client's one request path (retries as the [`Retry`](crate::Retry)
//! policy says, the body cap, a span); none is rate limited or counted in
//! [`Client::stats`](crate::Client::stats), since none is a message. Success bodies are Meta's,
//! passed through unwrapped (§0.3); refusals are Kaleyra's envelope, typed as [`Error::Api`]
//! with Meta's flow codes as [`ApiErrorKind`](crate::ApiErrorKind)s (`FlowNameNotUnique`, `FlowBlockedByIntegrity`,
//! `FlowNotUpdatable`, `FlowNotPublishable`, `FlowNotDeprecatable`, `FlowNotDeletable`).
//!
//! ```no_run
//! # async fn run() -> Result<(), kaleyra::Error> {
//! use kaleyra::flows::{FlowCategory, FlowFields, FlowStatus, NewFlow};
//!
//! let client = kaleyra::Client::from_env()?;
//! let id = client
//!     .create_flow(&NewFlow::new("booking", [FlowCategory::AppointmentBooking])?)
//!     .await?;
//! let errors = client.upload_flow_json(&id, std::fs::read("kaleyra-flows/booking.json").unwrap()).await?;
//! for e in &errors {
//!     println!("line {:?}, column {:?}: {}", e.line_start, e.column_start, e.message);
//! }
//! if errors.is_empty() {
//!     client.publish_flow(&id).await?;
//! }
//! let details = client.flow(&id, &FlowFields::default()).await?;
//! assert_eq!(details.status, Some(FlowStatus::Published));
//! # Ok(()) }
//! ```

use std::fmt;

use serde_json::Value;

use crate::error::{DecodeError, Error, ValidationError};
use crate::rules::Violation;
use crate::value::FlowId;

/// The most bytes of Flow JSON an upload may have: 10 MB (Meta's Flows API, "Update Flow
/// JSON": "The file must be … no larger than 10 MB"; facts §3.3).
pub const MAX_FLOW_JSON_BYTES: usize = 10 * 1024 * 1024;

/// The asset type of a Flow JSON upload (facts §3.3, Meta: the only one).
pub const FLOW_JSON_ASSET_TYPE: &str = "FLOW_JSON";

/// The file name of a Flow JSON upload (facts §3.3, Meta: `flow.json`).
pub const FLOW_JSON_FILE_NAME: &str = "flow.json";

/// A flow's status (Meta's Flows API, "Flow lifecycle"; facts §3.8).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FlowStatus {
    /// Being edited: can be sent only in draft mode (for testing), updated, published, deleted.
    Draft,
    /// Can be sent; cannot be deleted, only deprecated.
    Published,
    /// Can no longer be sent (terminal).
    Deprecated,
    /// Blocked by Meta (its endpoint's health, or integrity): cannot be sent.
    Blocked,
    /// Throttled by Meta (its endpoint's health): at most 10 messages an hour.
    Throttled,
    /// A status this library does not know, as Meta spells it.
    Other(String),
}

impl FlowStatus {
    /// Reads Meta's spelling (`DRAFT`, `PUBLISHED`, …); anything else is [`FlowStatus::Other`].
    pub fn parse(s: &str) -> FlowStatus {
        match s {
            "DRAFT" => FlowStatus::Draft,
            "PUBLISHED" => FlowStatus::Published,
            "DEPRECATED" => FlowStatus::Deprecated,
            "BLOCKED" => FlowStatus::Blocked,
            "THROTTLED" => FlowStatus::Throttled,
            other => FlowStatus::Other(other.to_owned()),
        }
    }

    /// Meta's spelling.
    pub fn as_str(&self) -> &str {
        match self {
            FlowStatus::Draft => "DRAFT",
            FlowStatus::Published => "PUBLISHED",
            FlowStatus::Deprecated => "DEPRECATED",
            FlowStatus::Blocked => "BLOCKED",
            FlowStatus::Throttled => "THROTTLED",
            FlowStatus::Other(s) => s,
        }
    }

    /// Whether a flow message (or a flow template's button) may open it (published mode):
    /// `PUBLISHED` and `THROTTLED` (Meta sends a throttled flow, at most 10 an hour).
    pub fn is_sendable(&self) -> bool {
        matches!(self, FlowStatus::Published | FlowStatus::Throttled)
    }
}

impl fmt::Display for FlowStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A flow's category (Meta's Flows API, "Create Flow": `categories`; facts §3.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FlowCategory {
    /// `SIGN_UP`
    SignUp,
    /// `SIGN_IN`
    SignIn,
    /// `APPOINTMENT_BOOKING`
    AppointmentBooking,
    /// `LEAD_GENERATION`
    LeadGeneration,
    /// `CONTACT_US`
    ContactUs,
    /// `CUSTOMER_SUPPORT`
    CustomerSupport,
    /// `SURVEY`
    Survey,
    /// `OTHER`
    Other,
    /// A category this library does not know, as Meta spells it (read from answers; sent as
    /// given).
    Unlisted(String),
}

impl FlowCategory {
    /// Meta's eight categories, in its order.
    pub const ALL: [FlowCategory; 8] = [
        FlowCategory::SignUp,
        FlowCategory::SignIn,
        FlowCategory::AppointmentBooking,
        FlowCategory::LeadGeneration,
        FlowCategory::ContactUs,
        FlowCategory::CustomerSupport,
        FlowCategory::Survey,
        FlowCategory::Other,
    ];

    /// Reads Meta's spelling; anything else is [`FlowCategory::Unlisted`].
    pub fn parse(s: &str) -> FlowCategory {
        FlowCategory::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .unwrap_or_else(|| FlowCategory::Unlisted(s.to_owned()))
    }

    /// Meta's spelling.
    pub fn as_str(&self) -> &str {
        match self {
            FlowCategory::SignUp => "SIGN_UP",
            FlowCategory::SignIn => "SIGN_IN",
            FlowCategory::AppointmentBooking => "APPOINTMENT_BOOKING",
            FlowCategory::LeadGeneration => "LEAD_GENERATION",
            FlowCategory::ContactUs => "CONTACT_US",
            FlowCategory::CustomerSupport => "CUSTOMER_SUPPORT",
            FlowCategory::Survey => "SURVEY",
            FlowCategory::Other => "OTHER",
            FlowCategory::Unlisted(s) => s,
        }
    }
}

impl fmt::Display for FlowCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Checks a flow's name: not empty (Meta requires one, unique within the WABA; uniqueness is
/// the server's to check).
pub fn check_flow_name(name: &str) -> Result<(), ValidationError> {
    if name.trim().is_empty() {
        return Err(ValidationError::new("the flow name", Violation::Empty));
    }
    Ok(())
}

/// Checks a flow's categories: at least one (Meta: `categories` is required), none twice.
pub fn check_flow_categories(categories: &[FlowCategory]) -> Result<(), ValidationError> {
    if categories.is_empty() {
        return Err(ValidationError::new(
            "the flow categories",
            Violation::Count {
                what: "categories",
                min: 1,
                max: FlowCategory::ALL.len(),
                found: 0,
            },
        ));
    }
    for (i, c) in categories.iter().enumerate() {
        if categories[..i].contains(c) {
            return Err(ValidationError::new(
                "the flow categories",
                Violation::Duplicate {
                    what: "category",
                    value: c.as_str().to_owned(),
                },
            ));
        }
    }
    Ok(())
}

/// Checks a Flow JSON upload's size: 1 byte to [`MAX_FLOW_JSON_BYTES`].
pub fn check_flow_json_size(len: usize) -> Result<(), ValidationError> {
    if len == 0 {
        return Err(ValidationError::new("the Flow JSON", Violation::Empty));
    }
    if len > MAX_FLOW_JSON_BYTES {
        return Err(ValidationError::new(
            "the Flow JSON",
            Violation::OutOfRange {
                value: len as i128,
                min: 1,
                max: MAX_FLOW_JSON_BYTES as i128,
            },
        ));
    }
    Ok(())
}

/// A flow to create ([`Client::create_flow`](crate::Client::create_flow)): Meta's `name`,
/// `categories`, and optionally `clone_flow_id` and `endpoint_uri`.
///
/// ```
/// use kaleyra::flows::{FlowCategory, NewFlow};
///
/// let flow = NewFlow::new("booking", [FlowCategory::AppointmentBooking])?
///     .endpoint_uri("https://example.com/flow")?;
/// assert_eq!(flow.name(), "booking");
/// assert!(NewFlow::new("", [FlowCategory::Other]).is_err());
/// assert!(NewFlow::new("booking", []).is_err());
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFlow {
    name: String,
    categories: Vec<FlowCategory>,
    clone_flow_id: Option<FlowId>,
    endpoint_uri: Option<String>,
}

impl NewFlow {
    /// A flow named `name` (not empty) in `categories` (at least one, none twice).
    pub fn new(
        name: impl Into<String>,
        categories: impl IntoIterator<Item = FlowCategory>,
    ) -> Result<NewFlow, Error> {
        let name = name.into();
        check_flow_name(&name)?;
        let categories: Vec<FlowCategory> = categories.into_iter().collect();
        check_flow_categories(&categories)?;
        Ok(NewFlow {
            name,
            categories,
            clone_flow_id: None,
            endpoint_uri: None,
        })
    }

    /// Starts from a copy of another flow's JSON (Meta's `clone_flow_id`).
    pub fn clone_of(mut self, flow_id: &FlowId) -> NewFlow {
        self.clone_flow_id = Some(flow_id.clone());
        self
    }

    /// The flow's data endpoint (Meta's `endpoint_uri`, Flow JSON 3.0 and later): an
    /// `https` URL.
    pub fn endpoint_uri(mut self, uri: impl Into<String>) -> Result<NewFlow, Error> {
        let uri = uri.into();
        check_endpoint_uri(&uri)?;
        self.endpoint_uri = Some(uri);
        Ok(self)
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The categories.
    pub fn categories(&self) -> &[FlowCategory] {
        &self.categories
    }

    /// The request body (`POST /v2/{sid}/whatsapp/{waba_id}/flows`), written by
    /// [`layout::flow_create`](crate::layout::flow_create).
    pub fn to_body(&self) -> Vec<u8> {
        let categories: Vec<&str> = self.categories.iter().map(FlowCategory::as_str).collect();
        let mut body = Vec::with_capacity(64 + self.name.len());
        crate::layout::flow_create(
            &mut crate::layout::Direct(&mut body),
            &self.name,
            &categories,
            self.clone_flow_id.as_ref().map(FlowId::as_str),
            self.endpoint_uri.as_deref(),
        );
        body
    }
}

/// Checks an endpoint URI: an `https` URL (Meta's "Invalid Endpoint URI", code 100).
pub fn check_endpoint_uri(uri: &str) -> Result<(), ValidationError> {
    let rest = uri.strip_prefix("https://").ok_or_else(|| {
        ValidationError::new(
            "the endpoint URI",
            Violation::Invalid {
                reason: "must be an https:// URL",
            },
        )
    })?;
    if rest.is_empty() || rest.starts_with('/') || rest.chars().any(char::is_whitespace) {
        return Err(ValidationError::new(
            "the endpoint URI",
            Violation::Invalid {
                reason: "must be an https:// URL with a host and no spaces",
            },
        ));
    }
    Ok(())
}

/// A change of a flow's metadata ([`Client::update_flow`](crate::Client::update_flow)): only
/// the members set are sent.
///
/// ```
/// use kaleyra::flows::{FlowCategory, FlowUpdate};
///
/// let update = FlowUpdate::new().name("booking v2")?.categories([FlowCategory::SignIn])?;
/// assert_eq!(update.to_body(), br#"{"name":"booking v2","categories":["SIGN_IN"]}"#);
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowUpdate {
    name: Option<String>,
    categories: Option<Vec<FlowCategory>>,
    endpoint_uri: Option<String>,
    application_id: Option<String>,
}

impl FlowUpdate {
    /// No change yet.
    pub fn new() -> FlowUpdate {
        FlowUpdate::default()
    }

    /// A new name (not empty).
    pub fn name(mut self, name: impl Into<String>) -> Result<FlowUpdate, Error> {
        let name = name.into();
        check_flow_name(&name)?;
        self.name = Some(name);
        Ok(self)
    }

    /// New categories (at least one, none twice).
    pub fn categories(
        mut self,
        categories: impl IntoIterator<Item = FlowCategory>,
    ) -> Result<FlowUpdate, Error> {
        let categories: Vec<FlowCategory> = categories.into_iter().collect();
        check_flow_categories(&categories)?;
        self.categories = Some(categories);
        Ok(self)
    }

    /// A new data endpoint (`https`).
    pub fn endpoint_uri(mut self, uri: impl Into<String>) -> Result<FlowUpdate, Error> {
        let uri = uri.into();
        check_endpoint_uri(&uri)?;
        self.endpoint_uri = Some(uri);
        Ok(self)
    }

    /// The Meta app the flow's endpoint belongs to (Meta's `application_id`, digits).
    pub fn application_id(mut self, id: impl Into<String>) -> Result<FlowUpdate, Error> {
        let id = id.into();
        crate::rules::check_digits(&id)
            .map_err(|v| ValidationError::new("the application id", v))?;
        self.application_id = Some(id);
        Ok(self)
    }

    /// Whether nothing is set (such an update is refused before sending).
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.categories.is_none()
            && self.endpoint_uri.is_none()
            && self.application_id.is_none()
    }

    /// The request body (`POST /v2/{sid}/whatsapp/{flow_id}`), written by
    /// [`layout::flow_metadata`](crate::layout::flow_metadata).
    pub fn to_body(&self) -> Vec<u8> {
        let categories: Option<Vec<&str>> = self
            .categories
            .as_ref()
            .map(|c| c.iter().map(FlowCategory::as_str).collect());
        let mut body = Vec::with_capacity(96);
        crate::layout::flow_metadata(
            &mut crate::layout::Direct(&mut body),
            self.name.as_deref(),
            self.endpoint_uri.as_deref(),
            categories.as_deref(),
            self.application_id.as_deref(),
        );
        body
    }
}

/// Where in the Flow JSON an error is (Meta's `pointers` entries of a validation error).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FlowErrorPointer {
    /// The JSON path, e.g. `screens[0].layout.children[0].type`.
    pub path: Option<String>,
    /// The first line (1-based).
    pub line_start: Option<u32>,
    /// The last line.
    pub line_end: Option<u32>,
    /// The first column (1-based).
    pub column_start: Option<u32>,
    /// The last column.
    pub column_end: Option<u32>,
}

/// One of Meta's `validation_errors` of a Flow JSON (Meta's shape: `error`, `error_type`,
/// `message`, `line_start`, `line_end`, `column_start`, `column_end`, `pointers`). A flow with
/// any cannot be published.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FlowValidationError {
    /// Meta's error name, e.g. `INVALID_PROPERTY_VALUE`, `INVALID_FLOW_JSON`.
    pub error: String,
    /// Its family, e.g. `FLOW_JSON_ERROR`, `JSON_SCHEMA_ERROR`.
    pub error_type: String,
    /// What is wrong, in Meta's words.
    pub message: String,
    /// The first line (1-based).
    pub line_start: Option<u32>,
    /// The last line.
    pub line_end: Option<u32>,
    /// The first column (1-based).
    pub column_start: Option<u32>,
    /// The last column.
    pub column_end: Option<u32>,
    /// Where it is, by JSON path (when Meta says).
    pub pointers: Vec<FlowErrorPointer>,
}

impl FlowValidationError {
    /// An error at one position (the simulator builds these).
    pub fn new(
        error: impl Into<String>,
        error_type: impl Into<String>,
        message: impl Into<String>,
    ) -> FlowValidationError {
        FlowValidationError {
            error: error.into(),
            error_type: error_type.into(),
            message: message.into(),
            ..FlowValidationError::default()
        }
    }

    /// The same error at `line`, `column` (1-based), for one character.
    pub fn at(mut self, line: u32, column: u32) -> FlowValidationError {
        self.line_start = Some(line);
        self.line_end = Some(line);
        self.column_start = Some(column);
        self.column_end = Some(column);
        self
    }

    /// Reads one entry leniently: missing members are empty; numbers may be strings; a
    /// pointer may be a bare path string.
    pub fn from_json(value: &Value) -> FlowValidationError {
        let pointers = match value.get("pointers") {
            Some(Value::Array(items)) => items
                .iter()
                .map(|p| match p {
                    Value::String(path) => FlowErrorPointer {
                        path: Some(path.clone()),
                        ..FlowErrorPointer::default()
                    },
                    other => FlowErrorPointer {
                        path: text(other, "path"),
                        line_start: number(other, "line_start"),
                        line_end: number(other, "line_end"),
                        column_start: number(other, "column_start"),
                        column_end: number(other, "column_end"),
                    },
                })
                .collect(),
            _ => Vec::new(),
        };
        FlowValidationError {
            error: text(value, "error").unwrap_or_default(),
            error_type: text(value, "error_type").unwrap_or_default(),
            message: text(value, "message").unwrap_or_default(),
            line_start: number(value, "line_start"),
            line_end: number(value, "line_end"),
            column_start: number(value, "column_start"),
            column_end: number(value, "column_end"),
            pointers,
        }
    }

    /// Meta's JSON object for this error (the simulator answers with it).
    pub fn to_json(&self) -> Value {
        let mut object = serde_json::Map::new();
        object.insert("error".into(), self.error.clone().into());
        object.insert("error_type".into(), self.error_type.clone().into());
        object.insert("message".into(), self.message.clone().into());
        for (key, n) in [
            ("line_start", self.line_start),
            ("line_end", self.line_end),
            ("column_start", self.column_start),
            ("column_end", self.column_end),
        ] {
            if let Some(n) = n {
                object.insert(key.into(), n.into());
            }
        }
        if !self.pointers.is_empty() {
            let pointers = self
                .pointers
                .iter()
                .map(|p| {
                    let mut o = serde_json::Map::new();
                    for (key, n) in [
                        ("line_start", p.line_start),
                        ("line_end", p.line_end),
                        ("column_start", p.column_start),
                        ("column_end", p.column_end),
                    ] {
                        if let Some(n) = n {
                            o.insert(key.into(), n.into());
                        }
                    }
                    if let Some(path) = &p.path {
                        o.insert("path".into(), path.clone().into());
                    }
                    Value::Object(o)
                })
                .collect();
            object.insert("pointers".into(), Value::Array(pointers));
        }
        Value::Object(object)
    }
}

impl fmt::Display for FlowValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(line), Some(column)) = (self.line_start, self.column_start) {
            write!(f, "line {line}, column {column}: ")?;
        }
        if let Some(path) = self.pointers.iter().find_map(|p| p.path.as_deref()) {
            write!(f, "{path}: ")?;
        }
        write!(f, "{} ({})", self.message, self.error)
    }
}

fn text(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn number(value: &Value, key: &str) -> Option<u32> {
    match value.get(key)? {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// One field of a flow that [`Client::flow`](crate::Client::flow) and
/// [`Client::list_flows`](crate::Client::list_flows) can ask for (Meta's `fields`; facts §3.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FlowField {
    /// `id`
    Id,
    /// `name`
    Name,
    /// `status`
    Status,
    /// `categories`
    Categories,
    /// `validation_errors`
    ValidationErrors,
    /// `json_version`
    JsonVersion,
    /// `data_api_version`
    DataApiVersion,
    /// `endpoint_uri`
    EndpointUri,
    /// `preview.invalidate(false)`: a preview URL (`true` makes a new one).
    Preview {
        /// Whether to invalidate the current preview URL and make a new one.
        invalidate: bool,
    },
    /// `whatsapp_business_account`
    WhatsappBusinessAccount,
    /// `application`
    Application,
    /// `health_status`
    HealthStatus,
}

impl FlowField {
    /// Meta's spelling in `fields`.
    pub fn as_str(self) -> &'static str {
        match self {
            FlowField::Id => "id",
            FlowField::Name => "name",
            FlowField::Status => "status",
            FlowField::Categories => "categories",
            FlowField::ValidationErrors => "validation_errors",
            FlowField::JsonVersion => "json_version",
            FlowField::DataApiVersion => "data_api_version",
            FlowField::EndpointUri => "endpoint_uri",
            FlowField::Preview { invalidate: false } => "preview.invalidate(false)",
            FlowField::Preview { invalidate: true } => "preview.invalidate(true)",
            FlowField::WhatsappBusinessAccount => "whatsapp_business_account",
            FlowField::Application => "application",
            FlowField::HealthStatus => "health_status",
        }
    }
}

/// The fields to ask for. [`FlowFields::default`] is Meta's default set (`id`, `name`,
/// `status`, `categories`, `validation_errors`); [`FlowFields::with`] adds one.
///
/// ```
/// use kaleyra::flows::{FlowField, FlowFields};
///
/// let fields = FlowFields::default().with(FlowField::JsonVersion).with(FlowField::Preview { invalidate: false });
/// assert_eq!(fields.to_query(), "id,name,status,categories,validation_errors,json_version,preview.invalidate(false)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowFields(Vec<FlowField>);

impl Default for FlowFields {
    fn default() -> Self {
        FlowFields(vec![
            FlowField::Id,
            FlowField::Name,
            FlowField::Status,
            FlowField::Categories,
            FlowField::ValidationErrors,
        ])
    }
}

impl FlowFields {
    /// Only these fields (`id` is always answered).
    pub fn only(fields: impl IntoIterator<Item = FlowField>) -> FlowFields {
        let mut out = FlowFields(Vec::new());
        for f in fields {
            out = out.with(f);
        }
        out
    }

    /// Every field, the preview without invalidating it.
    pub fn all() -> FlowFields {
        FlowFields::default()
            .with(FlowField::JsonVersion)
            .with(FlowField::DataApiVersion)
            .with(FlowField::EndpointUri)
            .with(FlowField::Preview { invalidate: false })
            .with(FlowField::WhatsappBusinessAccount)
            .with(FlowField::Application)
            .with(FlowField::HealthStatus)
    }

    /// The same fields and `field` (once).
    pub fn with(mut self, field: FlowField) -> FlowFields {
        if !self.0.contains(&field) {
            self.0.push(field);
        }
        self
    }

    /// The fields, in order.
    pub fn fields(&self) -> &[FlowField] {
        &self.0
    }

    /// Meta's `fields` value, comma-separated (the client percent-encodes it into the URL).
    pub fn to_query(&self) -> String {
        self.0
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// A flow's preview (Meta's `preview`: `preview_url`, `expires_at`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FlowPreview {
    /// A web link that shows the flow.
    pub preview_url: String,
    /// When the link expires (ISO 8601, as Meta writes it).
    pub expires_at: Option<String>,
}

/// A flow, as [`Client::flow`](crate::Client::flow) and
/// [`Client::list_flows`](crate::Client::list_flows) read it: the fields asked for are
/// `Some` (when the answer has them), the others `None` or empty.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FlowDetails {
    /// The flow id.
    pub id: String,
    /// The name.
    pub name: Option<String>,
    /// The status.
    pub status: Option<FlowStatus>,
    /// The categories.
    pub categories: Vec<FlowCategory>,
    /// Meta's validation errors of the current Flow JSON.
    pub validation_errors: Vec<FlowValidationError>,
    /// The Flow JSON version (`json_version`).
    pub json_version: Option<String>,
    /// The data API version (`data_api_version`).
    pub data_api_version: Option<String>,
    /// The data endpoint (`endpoint_uri`).
    pub endpoint_uri: Option<String>,
    /// The preview, when asked for.
    pub preview: Option<FlowPreview>,
    /// `whatsapp_business_account`, as Meta answers it.
    pub whatsapp_business_account: Option<Value>,
    /// `application`, as Meta answers it.
    pub application: Option<Value>,
    /// `health_status`, as Meta answers it.
    pub health_status: Option<Value>,
}

impl FlowDetails {
    /// Reads Meta's flat flow object; `None` without a string (or number) `id`.
    pub fn from_json(value: &Value) -> Option<FlowDetails> {
        let id = match value.get("id")? {
            Value::String(s) if !s.is_empty() => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        let categories = match value.get("categories") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(FlowCategory::parse)
                .collect(),
            _ => Vec::new(),
        };
        // Kaleyra's page says `validation_error(s)`: both spellings are read.
        let errors = value
            .get("validation_errors")
            .or_else(|| value.get("validation_error"));
        let validation_errors = match errors {
            Some(Value::Array(items)) => items.iter().map(FlowValidationError::from_json).collect(),
            _ => Vec::new(),
        };
        let preview = value.get("preview").and_then(|p| {
            Some(FlowPreview {
                preview_url: p.get("preview_url")?.as_str()?.to_owned(),
                expires_at: text(p, "expires_at"),
            })
        });
        let kept = |key: &str| value.get(key).filter(|v| !v.is_null()).cloned();
        Some(FlowDetails {
            id,
            name: text(value, "name"),
            status: value
                .get("status")
                .and_then(Value::as_str)
                .map(FlowStatus::parse),
            categories,
            validation_errors,
            json_version: text(value, "json_version"),
            data_api_version: text(value, "data_api_version"),
            endpoint_uri: text(value, "endpoint_uri"),
            preview,
            whatsapp_business_account: kept("whatsapp_business_account"),
            application: kept("application"),
            health_status: kept("health_status"),
        })
    }

    /// The id as a [`FlowId`], if it is digits.
    pub fn flow_id(&self) -> Option<FlowId> {
        FlowId::new(&self.id).ok()
    }
}

/// One asset of a flow ([`Client::flow_assets`](crate::Client::flow_assets); facts §3.4).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FlowAsset {
    /// Its file name (`flow.json`).
    pub name: String,
    /// Its type (`FLOW_JSON`).
    pub asset_type: String,
    /// Where to download it.
    pub download_url: Option<String>,
}

impl FlowAsset {
    /// Reads Meta's asset object; `None` without a string `name`.
    pub fn from_json(value: &Value) -> Option<FlowAsset> {
        Some(FlowAsset {
            name: value.get("name")?.as_str()?.to_owned(),
            asset_type: text(value, "asset_type").unwrap_or_default(),
            download_url: text(value, "download_url"),
        })
    }
}

/// A flow copied by [`Client::migrate_flows`](crate::Client::migrate_flows).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MigratedFlow {
    /// Its name (the same in both WABAs).
    pub source_name: String,
    /// Its id in the source WABA.
    pub source_id: String,
    /// Its new id in the destination WABA.
    pub migrated_id: String,
}

/// A flow [`Client::migrate_flows`](crate::Client::migrate_flows) could not copy.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FailedMigration {
    /// Its name.
    pub source_name: String,
    /// Meta's error code (e.g. `"100"` when the name exists in the destination).
    pub error_code: String,
    /// Meta's message.
    pub error_message: String,
}

/// What a migration did, per name (Meta's `migrated_flows` and `failed_flows`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Migration {
    /// The flows copied.
    pub migrated: Vec<MigratedFlow>,
    /// The flows not copied, with why.
    pub failed: Vec<FailedMigration>,
}

impl Migration {
    /// Reads Meta's answer; `None` when it has neither list.
    pub fn from_json(value: &Value) -> Option<Migration> {
        let list = |key: &str| value.get(key).and_then(Value::as_array);
        if list("migrated_flows").is_none() && list("failed_flows").is_none() {
            return None;
        }
        let migrated = list("migrated_flows")
            .into_iter()
            .flatten()
            .map(|m| MigratedFlow {
                source_name: text(m, "source_name").unwrap_or_default(),
                source_id: text(m, "source_id").unwrap_or_default(),
                migrated_id: text(m, "migrated_id").unwrap_or_default(),
            })
            .collect();
        let failed = list("failed_flows")
            .into_iter()
            .flatten()
            .map(|m| FailedMigration {
                source_name: text(m, "source_name").unwrap_or_default(),
                error_code: text(m, "error_code").unwrap_or_default(),
                error_message: text(m, "error_message").unwrap_or_default(),
            })
            .collect();
        Some(Migration { migrated, failed })
    }
}

/// A 2xx body that is not what the endpoint answers.
#[cfg_attr(not(feature = "transport"), allow(dead_code))]
fn unexpected(what: &str, body: &[u8]) -> Error {
    DecodeError::new(
        Some(200),
        format!("the {what} answer is not the documented JSON"),
        String::from_utf8_lossy(body).into_owned(),
    )
    .into()
}

/// Reads a create's answer: `{"id": "…"}`.
#[cfg_attr(not(feature = "transport"), allow(dead_code))]
pub(crate) fn read_created(body: &[u8]) -> Result<FlowId, Error> {
    let value: Value = serde_json::from_slice(body).map_err(|_| unexpected("create flow", body))?;
    let id = match value.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(unexpected("create flow", body)),
    };
    FlowId::new(&id).map_err(|_| unexpected("create flow", body))
}

/// Reads an upload's answer: `{"success": true, "validation_errors": […]}` (no list: none).
#[cfg_attr(not(feature = "transport"), allow(dead_code))]
pub(crate) fn read_upload(body: &[u8]) -> Result<Vec<FlowValidationError>, Error> {
    let value: Value =
        serde_json::from_slice(body).map_err(|_| unexpected("update flow JSON", body))?;
    if !value.is_object() {
        return Err(unexpected("update flow JSON", body));
    }
    Ok(match value.get("validation_errors") {
        Some(Value::Array(items)) => items.iter().map(FlowValidationError::from_json).collect(),
        _ => Vec::new(),
    })
}

/// One page of a listing: its entries and the cursor of the next page (Meta's
/// `paging.cursors.after`, followed only while `paging.next` is there, as
/// catalogue/fetch.rs does).
#[cfg(feature = "transport")]
pub(crate) fn read_page(body: &[u8], what: &str) -> Result<(Vec<Value>, Option<String>), Error> {
    let value: Value = serde_json::from_slice(body).map_err(|_| unexpected(what, body))?;
    let Some(Value::Array(data)) = value.get("data") else {
        return Err(unexpected(what, body));
    };
    Ok((data.clone(), crate::catalogue::next_cursor(&value)))
}

/// Reads a get's answer.
#[cfg_attr(not(feature = "transport"), allow(dead_code))]
pub(crate) fn read_details(body: &[u8]) -> Result<FlowDetails, Error> {
    let value: Value = serde_json::from_slice(body).map_err(|_| unexpected("get flow", body))?;
    FlowDetails::from_json(&value).ok_or_else(|| unexpected("get flow", body))
}

/// Reads a migration's answer.
#[cfg_attr(not(feature = "transport"), allow(dead_code))]
pub(crate) fn read_migration(body: &[u8]) -> Result<Migration, Error> {
    let value: Value =
        serde_json::from_slice(body).map_err(|_| unexpected("migrate flows", body))?;
    Migration::from_json(&value).ok_or_else(|| unexpected("migrate flows", body))
}

#[cfg(feature = "transport")]
mod client {
    use tracing::Instrument;

    use super::*;
    use crate::client::{Body, Call, Client, FormFuture};
    use crate::error::{ApiErrorKind, ConfigError};
    use crate::value::{IntoFlowId, WabaId};

    /// Pages followed at most by a listing (as catalogue/fetch.rs): a server that keeps
    /// answering with new cursors is refused rather than followed forever.
    const MAX_PAGES: usize = 1000;

    /// Meta's code 100 is any invalid parameter; a name already used is told by its message
    /// ("Flow name is not unique", Meta's Flows error codes).
    fn refine(error: Error) -> Error {
        match error {
            Error::Api(e)
                if e.code() == "100" && e.body().to_ascii_lowercase().contains("not unique") =>
            {
                Error::Api(e.with_kind(ApiErrorKind::FlowNameNotUnique))
            }
            other => other,
        }
    }

    impl Client {
        fn whatsapp_url(&self, tail: &str) -> String {
            format!("{}/v2/{}/whatsapp/{tail}", self.base_url(), self.sid())
        }

        fn account_waba(&self) -> Result<&WabaId, Error> {
            self.waba_id().ok_or_else(|| {
                ConfigError::new(
                    "WABA id",
                    "is not set: flows belong to a WhatsApp Business Account \
                     (ClientBuilder::waba_id or KALEYRA_WABA_ID)",
                )
                .into()
            })
        }

        /// One flow call through the request path, its 2xx body returned.
        async fn flow_call(
            &self,
            call: &Call<'_>,
            span: tracing::Span,
        ) -> Result<bytes::Bytes, Error> {
            self.fetch(call, &span)
                .instrument(span.clone())
                .await
                .map_err(refine)
        }

        /// Creates a flow in the client's WABA (`POST /v2/{sid}/whatsapp/{waba_id}/flows`,
        /// facts §3.1) and returns its id; it starts as [`FlowStatus::Draft`].
        ///
        /// Errors: [`ApiErrorKind::FlowNameNotUnique`] when the WABA has a flow of that name;
        /// [`Error::Config`] without a WABA id. A span `kaleyra.flow` (`op = "create"`).
        pub async fn create_flow(&self, flow: &NewFlow) -> Result<FlowId, Error> {
            let url = self.whatsapp_url(&format!("{}/flows", self.account_waba()?.as_str()));
            let call =
                Call::new(reqwest::Method::POST, &url).with_body(Body::Json(flow.to_body().into()));
            let body = self.flow_call(&call, span("create", None)).await?;
            read_created(&body)
        }

        /// Changes a flow's metadata (`POST /v2/{sid}/whatsapp/{flow_id}`, facts §3.2): only the
        /// members set in `update` (an empty update is refused before sending).
        pub async fn update_flow(
            &self,
            flow_id: impl IntoFlowId,
            update: &FlowUpdate,
        ) -> Result<(), Error> {
            let id = flow_id.into_flow_id()?;
            if update.is_empty() {
                return Err(ValidationError::new("the flow update", Violation::EmptyObject).into());
            }
            let url = self.whatsapp_url(id.as_str());
            let call = Call::new(reqwest::Method::POST, &url)
                .with_body(Body::Json(update.to_body().into()));
            self.flow_call(&call, span("update", Some(&id))).await?;
            Ok(())
        }

        /// Uploads a flow's Flow JSON (`POST /v2/{sid}/whatsapp/{flow_id}/assets`, facts §3.3):
        /// multipart form-data with the bytes as `file` (file name `flow.json`,
        /// `application/json`), `name=flow.json` and `asset_type=FLOW_JSON`. Returns Meta's
        /// validation errors (empty when the JSON is valid; a flow with any cannot be
        /// published). The bytes are sent as given (1 byte to [`MAX_FLOW_JSON_BYTES`], checked
        /// before sending).
        ///
        /// Errors: [`ApiErrorKind::FlowNotUpdatable`] (`139001`) for a flow whose JSON can no
        /// longer change (published: clone it); otherwise as any call.
        pub async fn upload_flow_json(
            &self,
            flow_id: impl IntoFlowId,
            json: impl Into<Vec<u8>>,
        ) -> Result<Vec<FlowValidationError>, Error> {
            let id = flow_id.into_flow_id()?;
            let json = bytes::Bytes::from(json.into());
            check_flow_json_size(json.len())?;
            let url = self.whatsapp_url(&format!("{}/assets", id.as_str()));
            let make = || -> FormFuture<'_> {
                let json = json.clone();
                Box::pin(async move {
                    let part = reqwest::multipart::Part::stream(json)
                        .file_name(FLOW_JSON_FILE_NAME)
                        .mime_str("application/json")
                        .map_err(|e| ConfigError::new("multipart", e.to_string()))?;
                    Ok(reqwest::multipart::Form::new()
                        .part("file", part)
                        .text("name", FLOW_JSON_FILE_NAME)
                        .text("asset_type", FLOW_JSON_ASSET_TYPE))
                })
            };
            let call = Call::new(reqwest::Method::POST, &url).with_body(Body::Form(&make));
            let body = self.flow_call(&call, span("upload", Some(&id))).await?;
            read_upload(&body)
        }

        /// Deprecates a published flow (`POST /v2/{sid}/whatsapp/{flow_id}/deprecate`, facts
        /// §3.6): it can no longer be sent.
        ///
        /// Errors: [`ApiErrorKind::FlowNotDeprecatable`] (`139003`) for a draft (delete it
        /// instead) or a flow already deprecated.
        pub async fn deprecate_flow(&self, flow_id: impl IntoFlowId) -> Result<(), Error> {
            let id = flow_id.into_flow_id()?;
            let url = self.whatsapp_url(&format!("{}/deprecate", id.as_str()));
            let call = Call::new(reqwest::Method::POST, &url);
            self.flow_call(&call, span("deprecate", Some(&id))).await?;
            Ok(())
        }

        /// Deletes a draft flow (`DELETE /v2/{sid}/whatsapp/{flow_id}`, facts §3.7).
        ///
        /// Errors: [`ApiErrorKind::FlowNotDeletable`] (`139004`) for a flow that was published
        /// (deprecate it instead).
        pub async fn delete_flow(&self, flow_id: impl IntoFlowId) -> Result<(), Error> {
            let id = flow_id.into_flow_id()?;
            let url = self.whatsapp_url(id.as_str());
            let call = Call::new(reqwest::Method::DELETE, &url);
            self.flow_call(&call, span("delete", Some(&id))).await?;
            Ok(())
        }

        /// A flow's details (`GET /v2/{sid}/whatsapp/{flow_id}?fields=…`, facts §3.8), the
        /// fields asked for filled in.
        pub async fn flow(
            &self,
            flow_id: impl IntoFlowId,
            fields: &FlowFields,
        ) -> Result<FlowDetails, Error> {
            let id = flow_id.into_flow_id()?;
            let url = with_query(
                &self.whatsapp_url(id.as_str()),
                &[("fields", &fields.to_query())],
            )?;
            let call = Call::new(reqwest::Method::GET, &url);
            let body = self.flow_call(&call, span("get", Some(&id))).await?;
            read_details(&body)
        }

        /// Every flow of the client's WABA (`GET /v2/{sid}/whatsapp/{waba_id}/flows?fields=…`,
        /// facts §3.9), every page followed: while an answer has Meta's `paging.next`, the next
        /// page is asked for with `&after={paging.cursors.after}` on the same URL (never the
        /// `next` URL itself, which could send the API key elsewhere), as
        /// [`Client::templates`] does.
        pub async fn list_flows(&self, fields: &FlowFields) -> Result<Vec<FlowDetails>, Error> {
            let url = self.whatsapp_url(&format!("{}/flows", self.account_waba()?.as_str()));
            let fields = fields.to_query();
            self.pages(&url, &[("fields", &fields)], "flow listing")
                .await?
                .iter()
                .map(|v| {
                    FlowDetails::from_json(v)
                        .ok_or_else(|| unexpected("flow listing", v.to_string().as_bytes()))
                })
                .collect()
        }

        /// A flow's assets (`GET /v2/{sid}/whatsapp/{flow_id}/assets`, facts §3.4), every page
        /// followed as [`Client::list_flows`] does.
        pub async fn flow_assets(&self, flow_id: impl IntoFlowId) -> Result<Vec<FlowAsset>, Error> {
            let id = flow_id.into_flow_id()?;
            let url = self.whatsapp_url(&format!("{}/assets", id.as_str()));
            self.pages(&url, &[], "flow assets")
                .await?
                .iter()
                .map(|v| {
                    FlowAsset::from_json(v)
                        .ok_or_else(|| unexpected("flow assets", v.to_string().as_bytes()))
                })
                .collect()
        }

        /// The flow's Flow JSON as last uploaded: its `FLOW_JSON` asset
        /// ([`Client::flow_assets`]) downloaded with [`Client::download_flow_asset`]; `None`
        /// when the flow has no Flow JSON yet. `kaleyra flows pull`, `push` and `check` use it
        /// to write, compare and check the committed files.
        ///
        /// ```no_run
        /// # async fn run(client: kaleyra::Client) -> Result<(), Box<dyn std::error::Error>> {
        /// if let Some(json) = client.flow_json("9100000000000001").await? {
        ///     let flow = kaleyra::flows::FlowJson::from_slice(&json)?;
        ///     println!("{} screens", flow.screens.len());
        /// }
        /// # Ok(()) }
        /// ```
        pub async fn flow_json(&self, flow_id: impl IntoFlowId) -> Result<Option<Vec<u8>>, Error> {
            let id = flow_id.into_flow_id()?;
            let assets = self.flow_assets(&id).await?;
            match assets.iter().find(|a| a.asset_type == FLOW_JSON_ASSET_TYPE) {
                Some(asset) => self.download_flow_asset(asset).await.map(Some),
                None => Ok(None),
            }
        }

        /// Downloads an asset from its `download_url` (Meta's CDN, facts §3.4) through the
        /// request path (retries, body cap of [`crate::response::MAX_BODY`], a span
        /// `kaleyra.flow` with `op = "download"`), **without** the `api-key` header: the URL is
        /// pre-signed and belongs to another host, which must never see the key. The URL must
        /// be `https` (or `http` to a loopback address, the simulator); anything else is a
        /// [`Error::Decode`] and nothing is requested.
        pub async fn download_flow_asset(&self, asset: &FlowAsset) -> Result<Vec<u8>, Error> {
            let url = asset
                .download_url
                .as_deref()
                .ok_or_else(|| unexpected("flow assets", b"an asset without a download_url"))?;
            check_download_url(url)?;
            let call = Call::new(reqwest::Method::GET, url).without_credentials();
            let body = self.flow_call(&call, span("download", None)).await?;
            Ok(body.to_vec())
        }

        /// Copies flows from the client's WABA to `destination` (another WABA of the same
        /// Meta business: `POST /v2/{sid}/whatsapp/{source_waba_id}/migrate_flows/{destination}`,
        /// facts §3.10) with `{"source_flow_names": [...]}`, or every flow when `names` is
        /// empty. Published flows arrive published, drafts as drafts; a name the destination
        /// already has is not copied and is reported in [`Migration::failed`].
        pub async fn migrate_flows(
            &self,
            destination: &WabaId,
            names: &[&str],
        ) -> Result<Migration, Error> {
            for name in names {
                check_flow_name(name)?;
            }
            let source = self.account_waba()?;
            let url = self.whatsapp_url(&format!(
                "{}/migrate_flows/{}",
                source.as_str(),
                destination.as_str()
            ));
            let mut body = Vec::new();
            crate::layout::flow_migrate(&mut crate::layout::Direct(&mut body), names);
            let call = Call::new(reqwest::Method::POST, &url).with_body(Body::Json(body.into()));
            let body = self.flow_call(&call, span("migrate", None)).await?;
            read_migration(&body)
        }

        /// Every entry of a paged listing.
        async fn pages(
            &self,
            url: &str,
            query: &[(&str, &str)],
            what: &str,
        ) -> Result<Vec<Value>, Error> {
            let mut entries = Vec::new();
            let mut seen = std::collections::HashSet::new();
            let mut after: Option<String> = None;
            for _ in 0..MAX_PAGES {
                let mut pairs = query.to_vec();
                if let Some(cursor) = &after {
                    pairs.push(("after", cursor));
                }
                let page_url = with_query(url, &pairs)?;
                let call = Call::new(reqwest::Method::GET, &page_url);
                let body = self.flow_call(&call, span("list", None)).await?;
                let (data, next) = read_page(&body, what)?;
                entries.extend(data);
                match next {
                    // A cursor seen before would loop: the listing is complete as far as it goes.
                    Some(cursor) if seen.insert(cursor.clone()) => after = Some(cursor),
                    _ => return Ok(entries),
                }
            }
            Err(DecodeError::new(
                None,
                format!("the {what} did not end after {MAX_PAGES} pages"),
                String::new(),
            )
            .into())
        }
    }

    /// A download URL the client may follow: `https`, or `http` to a loopback host.
    fn check_download_url(url: &str) -> Result<(), Error> {
        let refuse = |why: &str| -> Error {
            DecodeError::new(
                Some(200),
                format!("the flow asset's download_url {why}: not followed"),
                url.to_owned(),
            )
            .into()
        };
        let parsed = reqwest::Url::parse(url).map_err(|_| refuse("is not a URL"))?;
        let host = parsed.host_str().unwrap_or_default();
        let ip = host.trim_start_matches('[').trim_end_matches(']');
        let loopback = host.eq_ignore_ascii_case("localhost")
            || ip
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        match parsed.scheme() {
            "https" => Ok(()),
            "http" if loopback => Ok(()),
            _ => Err(refuse("is not https")),
        }
    }

    fn span(op: &'static str, flow_id: Option<&FlowId>) -> tracing::Span {
        tracing::info_span!(
            "kaleyra.flow",
            op,
            flow_id = flow_id.map(FlowId::as_str),
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
        )
    }

    /// `url` with `pairs` appended as a query, percent-encoded (`,` as `%2C`, facts §3.8).
    fn with_query(url: &str, pairs: &[(&str, &str)]) -> Result<String, Error> {
        let mut parsed = reqwest::Url::parse(url)
            .map_err(|e| ConfigError::new("base URL", format!("`{url}`: {e}")))?;
        if !pairs.is_empty() {
            let mut query = parsed.query_pairs_mut();
            for (k, v) in pairs {
                query.append_pair(k, v);
            }
        }
        Ok(parsed.into())
    }

    #[cfg(test)]
    #[test]
    fn download_urls_are_https_or_loopback() {
        for ok in [
            "https://mmg.whatsapp.net/m1/v/t24/flow.json?ccb=9-4&oh=x",
            "http://127.0.0.1:4000/cdn/flows/1/flow.json",
            "http://localhost/cdn/flows/1/flow.json",
            "http://[::1]:8080/cdn/flows/1/flow.json",
        ] {
            assert!(check_download_url(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://mmg.whatsapp.net/flow.json",
            "http://10.0.0.1/flow.json",
            "file:///etc/passwd",
            "ftp://example.com/flow.json",
            "not a url",
        ] {
            assert!(
                matches!(check_download_url(refused), Err(Error::Decode(_))),
                "{refused}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statuses_and_categories_round_trip() {
        for s in [
            "DRAFT",
            "PUBLISHED",
            "DEPRECATED",
            "BLOCKED",
            "THROTTLED",
            "NEW",
        ] {
            assert_eq!(FlowStatus::parse(s).as_str(), s);
        }
        assert_eq!(FlowStatus::parse("NEW"), FlowStatus::Other("NEW".into()));
        for c in FlowCategory::ALL {
            assert_eq!(FlowCategory::parse(c.as_str()), c);
        }
        assert_eq!(
            FlowCategory::parse("SHOPPING"),
            FlowCategory::Unlisted("SHOPPING".into())
        );
    }

    #[test]
    fn validation_errors_are_read_leniently() {
        let e = FlowValidationError::from_json(&json!({
            "error": "INVALID_PROPERTY_VALUE", "error_type": "FLOW_JSON_ERROR",
            "message": "Invalid value found for property 'type'.",
            "line_start": 10, "line_end": 10, "column_start": 21, "column_end": 34,
            "pointers": [{"line_start": 10, "line_end": 10, "column_start": 21,
                          "column_end": 34, "path": "screens[0].layout.children[0].type"}]
        }));
        assert_eq!((e.line_start, e.column_end), (Some(10), Some(34)));
        assert_eq!(
            e.pointers[0].path.as_deref(),
            Some("screens[0].layout.children[0].type")
        );
        assert_eq!(
            e.to_string(),
            "line 10, column 21: screens[0].layout.children[0].type: Invalid value found for \
             property 'type'. (INVALID_PROPERTY_VALUE)"
        );
        let odd = FlowValidationError::from_json(&json!({"line_start": "3", "pointers": ["x"]}));
        assert_eq!(odd.line_start, Some(3));
        assert_eq!(odd.pointers[0].path.as_deref(), Some("x"));
        assert_eq!(FlowValidationError::from_json(&e.to_json()), e);
    }

    #[test]
    fn bodies() {
        let flow = NewFlow::new("a \"b\"", [FlowCategory::SignIn, FlowCategory::Other])
            .unwrap()
            .clone_of(&FlowId::new("12").unwrap())
            .endpoint_uri("https://x.example/e")
            .unwrap();
        assert_eq!(
            serde_json::from_slice::<Value>(&flow.to_body()).unwrap(),
            json!({"name": "a \"b\"", "categories": ["SIGN_IN", "OTHER"],
                   "clone_flow_id": "12", "endpoint_uri": "https://x.example/e"})
        );
        assert_eq!(FlowUpdate::new().to_body(), b"{}");
        assert!(FlowUpdate::new().is_empty());
        assert!(
            NewFlow::new("x", [FlowCategory::Other, FlowCategory::Other]).is_err(),
            "a category twice"
        );
        for bad in ["http://x", "https://", "https:// x", "x"] {
            assert!(check_endpoint_uri(bad).is_err(), "{bad}");
        }
        assert!(check_flow_json_size(0).is_err());
        assert!(check_flow_json_size(MAX_FLOW_JSON_BYTES + 1).is_err());
        assert!(check_flow_json_size(MAX_FLOW_JSON_BYTES).is_ok());
    }

    #[test]
    fn pages_and_answers() {
        let (data, next) = read_page(
            br#"{"data":[{"id":"1"}],"paging":{"cursors":{"after":"c"},"next":"https://x"}}"#,
            "list",
        )
        .unwrap();
        assert_eq!((data.len(), next.as_deref()), (1, Some("c")));
        let (_, last) =
            read_page(br#"{"data":[],"paging":{"cursors":{"after":"c"}}}"#, "list").unwrap();
        assert_eq!(last, None);
        assert!(read_page(b"{}", "list").is_err());
        assert_eq!(read_created(br#"{"id":"123"}"#).unwrap().as_str(), "123");
        assert!(read_created(br#"{"id":"x"}"#).is_err());
        assert!(read_upload(br#"{"success":true}"#).unwrap().is_empty());
        assert!(read_details(br#"{"name":"x"}"#).is_err());
        let d = read_details(
            br#"{"id":"1","status":"DRAFT","validation_error":[{"error":"E"}],"preview":{"preview_url":"https://p","expires_at":"2026-01-01T00:00:00+0000"}}"#,
        )
        .unwrap();
        assert_eq!(d.status, Some(FlowStatus::Draft));
        assert_eq!(d.validation_errors.len(), 1);
        assert_eq!(d.preview.unwrap().preview_url, "https://p");
    }
}
