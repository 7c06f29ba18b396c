//! Creating, editing and deleting templates: the bodies and URLs (built once, here), the
//! answers, and the `Client` methods.

use serde_json::{Map, Value};

use crate::catalogue::{Category, Status, TemplateDefinition};
use crate::error::{Error, ValidationError};
use crate::rules::{self, Violation};

/// The members of Meta's creation body, in Meta's order; the rest follow in the definition's
/// own order.
const CREATION_MEMBERS: [&str; 6] = [
    "name",
    "language",
    "category",
    "allow_category_change",
    "parameter_format",
    "components",
];

impl TemplateDefinition {
    /// The body [`Client::create_template`](crate::Client::create_template) posts: Meta's
    /// creation body (`v2-session-flows-templates.md` §4.1, labelled META; Kaleyra's is not visible)
    /// built from this definition: `name`, `language`, `category`, `allow_category_change` and
    /// `parameter_format` when present, `components`, then every other member as it is, except
    /// the [`rules::TEMPLATE_READ_ONLY_MEMBERS`] of a pulled definition.
    ///
    /// ```
    /// use kaleyra::catalogue::TemplateDefinition;
    ///
    /// let pulled = TemplateDefinition::from_json(serde_json::json!({
    ///     "name": "order_update", "language": "en_US", "status": "APPROVED",
    ///     "category": "UTILITY", "id": "1", "quality_score": {"score": "GREEN"},
    ///     "message_send_ttl_seconds": 3600,
    ///     "components": [{"type": "BODY", "text": "Order {{1}} ships today"}]
    /// }))?;
    /// assert_eq!(pulled.creation_body(), serde_json::json!({
    ///     "name": "order_update", "language": "en_US", "category": "UTILITY",
    ///     "components": [{"type": "BODY", "text": "Order {{1}} ships today"}],
    ///     "message_send_ttl_seconds": 3600
    /// }));
    /// # Ok::<(), kaleyra::catalogue::DefinitionError>(())
    /// ```
    pub fn creation_body(&self) -> Value {
        let mut body = Map::new();
        if let Some(object) = self.as_json().as_object() {
            for key in CREATION_MEMBERS {
                if let Some(value) = object.get(key) {
                    body.insert(key.to_owned(), value.clone());
                }
            }
            for (key, value) in object {
                let key = key.as_str();
                if !CREATION_MEMBERS.contains(&key)
                    && !rules::TEMPLATE_READ_ONLY_MEMBERS.contains(&key)
                {
                    body.insert(key.to_owned(), value.clone());
                }
            }
        }
        Value::Object(body)
    }
}

/// What an edit sends: Kaleyra requires the category and the components in separate calls
/// (`v2-session-flows-templates.md` §4.2), each a `PUT …/message_templates?template_id={id}`
/// whose body is `{"category": …}` or `{"components": […]}` (Meta's edit bodies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Edit {
    /// The category only: one call.
    Category,
    /// The components only: one call. The usual edit (an approved template's category cannot
    /// change).
    Components,
    /// The category, then the components: two calls, in that order; if the first is refused,
    /// the second is not made.
    Both,
}

impl Edit {
    /// The bodies of the calls, in order. A definition without a category or components for
    /// the part asked is a [`Error::Validation`] (nothing is sent).
    pub fn bodies(self, definition: &TemplateDefinition) -> Result<Vec<Value>, Error> {
        let raw = definition.as_json();
        let what = || {
            format!(
                "template `{}` ({})",
                definition.name(),
                definition.language()
            )
        };
        let category = || match raw.get("category") {
            Some(Value::String(c)) if !c.is_empty() => Ok(serde_json::json!({ "category": c })),
            _ => Err(Error::from(ValidationError::new(
                format!("{}: member `category`", what()),
                Violation::Empty,
            ))),
        };
        let components = || match raw.get("components") {
            Some(Value::Array(c)) => Ok(serde_json::json!({ "components": c })),
            _ => Err(Error::from(ValidationError::new(
                format!("{}: member `components`", what()),
                Violation::Empty,
            ))),
        };
        Ok(match self {
            Edit::Category => vec![category()?],
            Edit::Components => vec![components()?],
            Edit::Both => vec![category()?, components()?],
        })
    }
}

/// What Kaleyra answers a creation: `{"code": "WA200", …, "data": {"id", "status",
/// "category"}, "error": {}}` (the template error-codes page), typed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreatedTemplate {
    /// The new template's id (for [`Client::edit_template`](crate::Client::edit_template) and
    /// [`Client::delete_template`](crate::Client::delete_template)).
    pub id: String,
    /// Its status: usually [`Status::Pending`] until WhatsApp's review.
    pub status: Status,
    /// Its category as WhatsApp took it.
    pub category: Category,
}

/// A template id as the edit and delete calls take it: not empty, no spaces or control
/// characters (Kaleyra's and Meta's ids are digits; any such text is taken, percent-encoded).
pub fn check_template_id(id: &str) -> Result<(), Error> {
    rules::check_media_id(id).map_err(|v| ValidationError::new("the template id", v).into())
}

/// A date range of a [`BulkDelete`]: both ends, `YYYY-MM-DD`, the start not after the end.
/// Kaleyra requires both (§4.4), so there is no way to give one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DateRange {
    start: String,
    end: String,
}

impl DateRange {
    /// The templates created from `start` to `end`, both `YYYY-MM-DD` (inclusive).
    ///
    /// ```
    /// use kaleyra::manage::DateRange;
    ///
    /// assert!(DateRange::new("2026-01-01", "2026-01-31").is_ok());
    /// assert!(DateRange::new("2026-02-30", "2026-03-01").is_err()); // no such day
    /// assert!(DateRange::new("2026-03-01", "2026-01-01").is_err()); // backwards
    /// ```
    pub fn new(start: &str, end: &str) -> Result<DateRange, Error> {
        let s = civil_date(start).ok_or_else(|| bad_date("the start date", start))?;
        let e = civil_date(end).ok_or_else(|| bad_date("the end date", end))?;
        if s > e {
            return Err(ValidationError::new(
                format!("the date range {start}..{end}"),
                Violation::Invalid {
                    reason: "starts after it ends",
                },
            )
            .into());
        }
        Ok(DateRange {
            start: start.to_owned(),
            end: end.to_owned(),
        })
    }

    /// The first day.
    pub fn start(&self) -> &str {
        &self.start
    }

    /// The last day.
    pub fn end(&self) -> &str {
        &self.end
    }
}

fn bad_date(what: &'static str, value: &str) -> Error {
    ValidationError::new(
        format!("{what} {value:?}"),
        Violation::Invalid {
            reason: "is not a date YYYY-MM-DD",
        },
    )
    .into()
}

/// `YYYY-MM-DD` as `(year, month, day)`, if it is a day of the calendar.
pub(crate) fn civil_date(text: &str) -> Option<(u32, u32, u32)> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |s: &str| -> Option<u32> {
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let (y, m, d) = (
        number(text.get(0..4)?)?,
        number(text.get(5..7)?)?,
        number(text.get(8..10)?)?,
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (y >= 1970 && (1..=days).contains(&d)).then_some((y, m, d))
}

/// The filters of a bulk delete ([`Client::delete_templates`](crate::Client::delete_templates)),
/// ANDed as Kaleyra says (§4.4): names (each in every language), ids, a creation
/// [`DateRange`], statuses, languages. At least one is needed (a bulk delete without a filter
/// is refused before anything is sent).
///
/// Kaleyra's page does not show the parameters' names (**choice**, RULES.md): the query
/// `names=a,b&template_ids=1,2&start_date=YYYY-MM-DD&end_date=YYYY-MM-DD&status=PENDING,REJECTED&language=en,en_US`
/// on `DELETE …/message_templates`, lists comma-separated as the page describes them.
///
/// ```
/// use kaleyra::catalogue::Status;
/// use kaleyra::manage::{BulkDelete, DateRange};
///
/// let stale = BulkDelete::new()
///     .statuses([Status::Pending, Status::Rejected])
///     .languages(["en", "en_US"])
///     .created_between(DateRange::new("2026-01-01", "2026-01-31")?);
/// assert_eq!(
///     stale.query()?,
///     "start_date=2026-01-01&end_date=2026-01-31&status=PENDING,REJECTED&language=en,en_US"
/// );
/// assert!(BulkDelete::new().query().is_err()); // no filter: everything? refused
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkDelete {
    names: Vec<String>,
    ids: Vec<String>,
    dates: Option<DateRange>,
    statuses: Vec<Status>,
    languages: Vec<String>,
}

impl BulkDelete {
    /// No filter yet.
    pub fn new() -> BulkDelete {
        BulkDelete::default()
    }

    /// Templates with these names, in every language.
    pub fn names<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.names.extend(names.into_iter().map(Into::into));
        self
    }

    /// Templates with these ids.
    pub fn ids<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.ids.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Templates created within `range`.
    pub fn created_between(mut self, range: DateRange) -> Self {
        self.dates = Some(range);
        self
    }

    /// Templates with these statuses.
    pub fn statuses<I: IntoIterator<Item = Status>>(mut self, statuses: I) -> Self {
        self.statuses.extend(statuses);
        self
    }

    /// Templates in these languages.
    pub fn languages<I: IntoIterator<Item = S>, S: Into<String>>(mut self, languages: I) -> Self {
        self.languages.extend(languages.into_iter().map(Into::into));
        self
    }

    /// The query string (without `?`), each value checked: names by the template-name rule,
    /// languages by the language table, ids by [`check_template_id`]; statuses as Meta spells
    /// them. [`Error::Validation`] when a value breaks its rule or no filter is given.
    pub fn query(&self) -> Result<String, Error> {
        for name in &self.names {
            rules::check_template_name(name)
                .map_err(|v| ValidationError::new(format!("the template name {name:?}"), v))?;
        }
        for id in &self.ids {
            check_template_id(id)?;
            if id.contains(',') {
                return Err(ValidationError::new(
                    format!("the template id {id:?}"),
                    Violation::BadChar {
                        ch: ',',
                        allowed: "characters other than the list separator ','",
                    },
                )
                .into());
            }
        }
        for language in &self.languages {
            rules::language(language).map_err(|v| {
                ValidationError::new(format!("the template language {language:?}"), v)
            })?;
        }
        let statuses: Vec<String> = self
            .statuses
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect();
        if let Some(bad) = statuses.iter().find(|s| s.is_empty() || s.contains(',')) {
            return Err(ValidationError::new(
                format!("the status {bad:?}"),
                Violation::Invalid {
                    reason: "is not a template status",
                },
            )
            .into());
        }
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let list = |values: &[String]| {
            values
                .iter()
                .map(|v| encode(v))
                .collect::<Vec<_>>()
                .join(",")
        };
        if !self.names.is_empty() {
            pairs.push(("names", list(&self.names)));
        }
        if !self.ids.is_empty() {
            pairs.push(("template_ids", list(&self.ids)));
        }
        if let Some(range) = &self.dates {
            pairs.push(("start_date", range.start.clone()));
            pairs.push(("end_date", range.end.clone()));
        }
        if !statuses.is_empty() {
            pairs.push(("status", list(&statuses)));
        }
        if !self.languages.is_empty() {
            pairs.push(("language", list(&self.languages)));
        }
        if pairs.is_empty() {
            return Err(ValidationError::new(
                "the bulk delete",
                Violation::Invalid {
                    reason: "has no filter (names, ids, a date range, statuses or languages): \
                             to delete templates one by one, use Client::delete_template",
                },
            )
            .into());
        }
        Ok(pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&"))
    }
}

/// Percent-encodes a query value: everything but RFC 3986's unreserved characters.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg_attr(not(feature = "transport"), allow(dead_code))]
/// The query of a delete: `name={name}[&template_id={id}]`, both checked and percent-encoded.
pub(crate) fn delete_query(name: &str, id: Option<&str>) -> Result<String, Error> {
    rules::check_template_name(name)
        .map_err(|v| ValidationError::new(format!("the template name {name:?}"), v))?;
    let mut query = format!("name={}", encode(name));
    if let Some(id) = id {
        check_template_id(id)?;
        query.push_str("&template_id=");
        query.push_str(&encode(id));
    }
    Ok(query)
}

#[cfg_attr(not(feature = "transport"), allow(dead_code))]
/// The query of an edit: `template_id={id}`, checked and percent-encoded.
pub(crate) fn edit_query(id: &str) -> Result<String, Error> {
    check_template_id(id)?;
    Ok(format!("template_id={}", encode(id)))
}

#[cfg(feature = "transport")]
pub(crate) use http::refusal;

#[cfg(feature = "transport")]
mod http {
    use serde_json::Value;
    use tracing::field::Empty;

    use super::{BulkDelete, CreatedTemplate, Edit, delete_query, edit_query};
    use crate::catalogue::{Category, Status, TemplateDefinition};
    use crate::client::{Body, Client};
    use crate::error::{ApiErrorKind, DecodeError, Error, InvalidTemplate};
    use crate::response;

    /// Meta's error subcode for "Content in this language already exists" (a name and language
    /// the account has), as Kaleyra passes Meta's error object through.
    const DUPLICATE_SUBCODE: &str = "2388024";

    impl Client {
        /// Creates a template from `definition` (`POST …/{waba_id}/message_templates`, the body
        /// [`TemplateDefinition::creation_body`]); WhatsApp then reviews it (PENDING, then
        /// APPROVED or REJECTED, announced by a template status callback). Needs the WABA id.
        ///
        /// Errors: [`ApiErrorKind::TemplateExists`] when the name already exists in that
        /// language, [`ApiErrorKind::TemplateRateLimited`] past Kaleyra's 100 calls per WABA per
        /// hour (not retried), `WA400` ([`ApiErrorKind::BadPayload`]) for a body WhatsApp
        /// refuses; otherwise as any call. A span `kaleyra.template` (operation, name,
        /// language, attempts, last HTTP status).
        ///
        /// ```no_run
        /// # async fn run(client: kaleyra::Client) -> Result<(), Box<dyn std::error::Error>> {
        /// use kaleyra::catalogue::TemplateDefinition;
        ///
        /// let definition = TemplateDefinition::from_json(serde_json::json!({
        ///     "name": "order_update", "language": "en_US", "status": "PENDING",
        ///     "category": "UTILITY",
        ///     "components": [{"type": "BODY", "text": "Order {{1}} ships today",
        ///                     "example": {"body_text": [["A-1001"]]}}]
        /// }))?;
        /// let created = client.create_template(&definition).await?;
        /// println!("{} is {}", created.id, created.status);
        /// # Ok(()) }
        /// ```
        pub async fn create_template(
            &self,
            definition: &TemplateDefinition,
        ) -> Result<CreatedTemplate, Error> {
            // WhatsApp's creation rules first: a definition its review would reject is not sent.
            InvalidTemplate::check(definition)?;
            let url = self.waba_endpoint("message_templates")?;
            let body = serde_json::to_vec(&definition.creation_body()).unwrap_or_default();
            let span = span("create", definition);
            self.call_managed(
                reqwest::Method::POST,
                &url,
                Body::Json(body.into()),
                &span,
                read_created,
            )
            .await
        }

        /// Edits the template `id` to `definition`'s category and components: two calls,
        /// `{"category": …}` then `{"components": […]}` ([`Edit::Both`]; see
        /// [`Client::edit_template_parts`] to send only one). WhatsApp allows edits of APPROVED,
        /// REJECTED and PAUSED templates only, never of an approved template's category, and
        /// of an approved template once in 24 hours and 10 times in 30 days; an edited template
        /// is reviewed again.
        ///
        /// Kaleyra's page does not show how the template is named (**choice**, RULES.md):
        /// `PUT …/message_templates?template_id={id}` with the JSON body. Any `2xx` is success
        /// (Kaleyra's `WA200` envelope or Meta's `{"success": true}`; `"success": false` is an
        /// [`Error::Decode`]).
        pub async fn edit_template(
            &self,
            id: &str,
            definition: &TemplateDefinition,
        ) -> Result<(), Error> {
            self.edit_template_parts(id, definition, Edit::Both).await
        }

        /// Like [`Client::edit_template`], sending only the part(s) `edit` says (one call per
        /// part, the category first).
        ///
        /// A call that changes the template puts it back in review (PENDING), and WhatsApp
        /// edits only APPROVED, REJECTED or PAUSED templates: when both parts change, the
        /// second call can be refused until the first is reviewed (the simulator does so when
        /// its review has a delay). Whether Kaleyra reviews between the two calls is not
        /// documented.
        pub async fn edit_template_parts(
            &self,
            id: &str,
            definition: &TemplateDefinition,
            edit: Edit,
        ) -> Result<(), Error> {
            let url = format!(
                "{}?{}",
                self.waba_endpoint("message_templates")?,
                edit_query(id)?
            );
            // Components are held to WhatsApp's creation rules before they are sent (a
            // category-only edit sends no components).
            if edit != Edit::Category {
                InvalidTemplate::check(definition)?;
            }
            let bodies = edit.bodies(definition)?;
            for body in bodies {
                let span = span("edit", definition);
                let body = serde_json::to_vec(&body).unwrap_or_default();
                self.call_managed(
                    reqwest::Method::PUT,
                    &url,
                    Body::Json(body.into()),
                    &span,
                    read_done,
                )
                .await?;
            }
            Ok(())
        }

        /// Deletes the template `name`: in every language without `id`, or only the template
        /// `id` (one language) with it (`DELETE …/message_templates?name={name}[&template_id={id}]`,
        /// §4.3). Any `2xx` is success.
        pub async fn delete_template(&self, name: &str, id: Option<&str>) -> Result<(), Error> {
            let url = format!(
                "{}?{}",
                self.waba_endpoint("message_templates")?,
                delete_query(name, id)?
            );
            let span = tracing::info_span!(
                "kaleyra.template",
                operation = "delete",
                name = %name,
                attempts = Empty,
                status = Empty,
            );
            self.call_managed(reqwest::Method::DELETE, &url, Body::Empty, &span, read_done)
                .await
        }

        /// Deletes every template that matches all of `filter`'s filters (§4.4: approved or
        /// pending, from WhatsApp and Kaleyra). The query is [`BulkDelete::query`], checked
        /// before anything is sent. Any `2xx` is success.
        pub async fn delete_templates(&self, filter: &BulkDelete) -> Result<(), Error> {
            let url = format!(
                "{}?{}",
                self.waba_endpoint("message_templates")?,
                filter.query()?
            );
            let span = tracing::info_span!(
                "kaleyra.template",
                operation = "bulk_delete",
                attempts = Empty,
                status = Empty,
            );
            self.call_managed(reqwest::Method::DELETE, &url, Body::Empty, &span, read_done)
                .await
        }
    }

    fn span(operation: &'static str, definition: &TemplateDefinition) -> tracing::Span {
        tracing::info_span!(
            "kaleyra.template",
            operation,
            name = %definition.name(),
            language = %definition.language(),
            attempts = Empty,
            status = Empty,
        )
    }

    /// A template call's refusal: Kaleyra's error, with `WA429` read as the template limit
    /// (not retried: the window is an hour) and Meta's duplicate subcode as
    /// [`ApiErrorKind::TemplateExists`].
    pub(crate) fn refusal(status: u16, retry_after: Option<&[u8]>, body: &[u8]) -> Error {
        let error = match response::publish(status, retry_after, body) {
            Err(e) => e,
            // Not reached: `publish` refuses every non-2xx status it is given.
            Ok(()) => return decode(status, "a refusal without an error", body),
        };
        match error {
            Error::Api(api) => {
                let limited = api.kind() == ApiErrorKind::RateLimited
                    || (api.status() == 429 && api.kind() == ApiErrorKind::Other);
                let duplicate = api
                    .details()
                    .iter()
                    .any(|(k, v)| k == "error_subcode" && v == DUPLICATE_SUBCODE);
                if limited {
                    api.with_kind(ApiErrorKind::TemplateRateLimited).into()
                } else if duplicate {
                    api.with_kind(ApiErrorKind::TemplateExists).into()
                } else {
                    api.into()
                }
            }
            other => other,
        }
    }

    fn decode(status: u16, why: &str, body: &[u8]) -> Error {
        DecodeError::new(
            Some(status),
            why.to_owned(),
            String::from_utf8_lossy(body).into_owned(),
        )
        .into()
    }

    /// A string member, or a number written as digits (ids are both, here and there).
    fn text(value: Option<&Value>) -> Option<String> {
        match value? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// Reads a creation's answer: Kaleyra's `data` object, or Meta's unwrapped one.
    fn read_created(
        status: u16,
        retry_after: Option<&[u8]>,
        body: &[u8],
    ) -> Result<CreatedTemplate, Error> {
        if !(200..300).contains(&status) {
            return Err(refusal(status, retry_after, body));
        }
        let value: Value = serde_json::from_slice(body)
            .map_err(|_| decode(status, "the creation's answer is not JSON", body))?;
        let data = match value.get("data") {
            Some(data @ Value::Object(_)) => data,
            _ => &value,
        };
        let id = text(data.get("id")).ok_or_else(|| {
            decode(
                status,
                "the template was created but the answer has no `data.id`",
                body,
            )
        })?;
        Ok(CreatedTemplate {
            id,
            status: Status::parse(data.get("status").and_then(Value::as_str).unwrap_or("")),
            category: Category::parse(data.get("category").and_then(Value::as_str).unwrap_or("")),
        })
    }

    /// Reads an edit's or a delete's answer: any `2xx`, unless it says `"success": false`.
    fn read_done(status: u16, retry_after: Option<&[u8]>, body: &[u8]) -> Result<(), Error> {
        if !(200..300).contains(&status) {
            return Err(refusal(status, retry_after, body));
        }
        let value: Option<Value> = serde_json::from_slice(body).ok();
        let success = value.as_ref().and_then(|v| {
            v.get("success")
                .or_else(|| v.pointer("/data/success"))
                .and_then(Value::as_bool)
        });
        if success == Some(false) {
            return Err(decode(status, "the answer says `\"success\": false`", body));
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn answers_are_read_in_both_shapes() {
            let kaleyra = br#"{"code":"WA200","message":"Request Processed Successfully","data":{"id":"594425479261596","status":"PENDING","category":"MARKETING"},"error":{}}"#;
            let created = read_created(200, None, kaleyra).unwrap();
            assert_eq!(created.id, "594425479261596");
            assert_eq!(created.status, Status::Pending);
            assert_eq!(created.category, Category::Marketing);
            let meta = br#"{"id":594425479261596,"status":"APPROVED","category":"UTILITY"}"#;
            assert_eq!(read_created(200, None, meta).unwrap().id, "594425479261596");
            assert!(matches!(
                read_created(200, None, br#"{"data":{}}"#),
                Err(Error::Decode(_))
            ));
            assert!(read_done(200, None, br#"{"success":true}"#).is_ok());
            assert!(read_done(200, None, br#"{"code":"WA200","data":{},"error":{}}"#).is_ok());
            assert!(read_done(200, None, b"").is_ok());
            assert!(matches!(
                read_done(200, None, br#"{"success":false}"#),
                Err(Error::Decode(_))
            ));
        }

        #[test]
        fn template_refusals_are_typed() {
            let limited = br#"{"code":"WA429","message":"Too many requests","data":{},"error":{}}"#;
            let e = read_done(429, None, limited).unwrap_err();
            match &e {
                Error::Api(api) => assert_eq!(api.kind(), ApiErrorKind::TemplateRateLimited),
                other => panic!("{other:?}"),
            }
            // An hour's window: not for the client's retry loop.
            assert!(!e.is_retryable() && !e.is_throttled());
            assert!(e.to_string().contains("100 per WABA per hour"), "{e}");
            let duplicate = br#"{"code":"WA400","message":"Incorrect Payload.","data":{},
                "error":{"message":"Invalid parameter","type":"OAuthException","code":100,
                "error_subcode":2388024,"error_user_title":"Content in this language already exists"}}"#;
            match read_created(400, None, duplicate) {
                Err(Error::Api(api)) => {
                    assert_eq!(api.kind(), ApiErrorKind::TemplateExists);
                    assert!(api.to_string().contains("edit_template"), "{api}");
                }
                other => panic!("{other:?}"),
            }
            let bad = br#"{"code":"WA400","message":"Incorrect Payload.","data":{},"error":{}}"#;
            match read_done(400, None, bad) {
                Err(Error::Api(api)) => assert_eq!(api.kind(), ApiErrorKind::BadPayload),
                other => panic!("{other:?}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_days_of_the_calendar() {
        assert_eq!(civil_date("2028-02-29"), Some((2028, 2, 29)));
        for bad in [
            "2026-02-29",
            "2100-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "26-01-01",
            "2026-01-32",
            "2026/01/01",
            "+026-01-01",
            "1969-12-31",
        ] {
            assert_eq!(civil_date(bad), None, "{bad}");
        }
        assert!(DateRange::new("2026-01-01", "2026-01-01").is_ok());
    }

    #[test]
    fn queries_are_checked_and_encoded() {
        assert_eq!(
            delete_query("order_confirmation", Some("120000000000241")).unwrap(),
            "name=order_confirmation&template_id=120000000000241"
        );
        assert_eq!(delete_query("a", None).unwrap(), "name=a");
        assert!(delete_query("order confirmation", None).is_err());
        assert!(delete_query("a", Some("")).is_err());
        assert_eq!(edit_query("12&x").unwrap(), "template_id=12%26x");
        assert!(BulkDelete::new().names(["Bad"]).query().is_err());
        assert!(BulkDelete::new().ids(["1,2"]).query().is_err());
        assert!(BulkDelete::new().languages(["english"]).query().is_err());
        assert!(
            BulkDelete::new()
                .statuses([Status::Other(String::new())])
                .query()
                .is_err()
        );
    }

    #[test]
    fn edit_bodies_need_their_part() {
        let t = TemplateDefinition::from_json(serde_json::json!({
            "name": "a", "language": "en", "status": "APPROVED",
            "components": [{"type": "BODY", "text": "x"}]
        }))
        .unwrap();
        assert!(Edit::Category.bodies(&t).is_err());
        assert_eq!(
            Edit::Components.bodies(&t).unwrap(),
            [serde_json::json!({"components": [{"type": "BODY", "text": "x"}]})]
        );
    }
}
