//! The simulated account's template catalogue: what `GET …/message_templates` lists, and what a
//! template message is checked against before it is accepted.
//!
//! A send that does not match is answered as WhatsApp answers it, inside Kaleyra's envelope
//! (**choice**, recorded in RULES.md): HTTP 400 and
//!
//! ```json
//! {"code": "132000",
//!  "message": "(#132000) Number of parameters does not match the expected number of params",
//!  "data": {},
//!  "error": {"message": "(#132000) Number of parameters does not match the expected number of params",
//!            "type": "OAuthException", "code": 132000,
//!            "error_data": {"messaging_product": "whatsapp", "details": "template `…` (en_US) has 3 body parameters (…); this message has 2"}}}
//! ```
//!
//! Kaleyra's documents cut off before their send-error samples (facts §6.1); every Kaleyra answer
//! is a `code`/`message`/`data`/`error` envelope, and Kaleyra passes Meta's objects through
//! (facts §2, §6.3), so the envelope carries WhatsApp's code and Meta's error object.

use serde_json::{Value, json};

use super::check::TemplateSeen;
use super::state::Shared;
use super::templates::{ApprovedTemplate, TemplateCategory};
use super::{DEFAULT_FLOW_ID, MockServer, MockServerBuilder};
use crate::catalogue::{
    Catalogue, CatalogueError, Category, DeclaredKind, HeaderFormat, Status, TemplateDefinition,
    codes, describe_json,
};
use crate::layout::Route;

/// The simulator's default templates (the committed `kaleyra-templates.json` is the same file):
/// `abandoned_cart_offer`, `auth1`, `flow_template20`, `order_shipped`, `summer_carousel`,
/// `welcome_named`, all `en_US` and APPROVED.
pub const SEED_TEMPLATES: &str = include_str!("seed-templates.json");

/// How many templates one page of the listing holds unless `?limit=` says otherwise (Meta's
/// default page size for template listings is 25).
const PAGE_SIZE: usize = 25;
const PAGE_SIZE_MAX: usize = 100;

/// The seed templates.
pub(super) fn seeds() -> Catalogue {
    // The seeds are this crate's own file, parsed by its tests: an error here is a bug, shown
    // rather than hidden behind an empty catalogue.
    Catalogue::from_json_str(SEED_TEMPLATES, "the simulator's templates")
        .unwrap_or_else(|e| panic!("the simulator's seed templates: {e}"))
}

/// An [`ApprovedTemplate`] (the simulator's first, simpler API) as the template object Meta
/// would return for it.
pub(super) fn definition(template: &ApprovedTemplate) -> TemplateDefinition {
    let placeholders = |n: usize| {
        (1..=n)
            .map(|i| format!("{{{{{i}}}}}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let body = |n: usize| {
        if n == 0 {
            json!({"type": "BODY", "text": "This template takes no parameters."})
        } else {
            json!({"type": "BODY", "text": format!("Parameters: {}.", placeholders(n))})
        }
    };
    let (category, components) = match template.category {
        TemplateCategory::Authentication => (
            "AUTHENTICATION",
            json!([
                {"type": "BODY", "text": "*{{1}}* is your verification code."},
                {"type": "BUTTONS", "buttons": [
                    {"type": "OTP", "otp_type": "COPY_CODE", "text": "Copy code"}
                ]}
            ]),
        ),
        TemplateCategory::Flow => (
            "MARKETING",
            json!([
                body(template.body_parameters),
                {"type": "BUTTONS", "buttons": [
                    {"type": "FLOW", "text": "Open", "flow_id": DEFAULT_FLOW_ID}
                ]}
            ]),
        ),
        TemplateCategory::Product => (
            "MARKETING",
            json!([{"type": "HEADER", "format": "PRODUCT"}, body(template.body_parameters)]),
        ),
        TemplateCategory::Standard => ("UTILITY", json!([body(template.body_parameters)])),
    };
    let object = json!({
        "name": template.name,
        "language": template.language,
        "status": "APPROVED",
        "category": category,
        "components": components,
    });
    TemplateDefinition::from_json(object)
        .unwrap_or_else(|e| panic!("an approved template's object is well-formed: {e}"))
}

/// An answer of the catalogue's routes.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) body: String,
    pub(super) refusal: Option<String>,
}

impl Answer {
    fn refused(status: u16, body: String, why: impl Into<String>) -> Answer {
        Answer {
            status,
            body,
            refusal: Some(why.into()),
        }
    }
}

/// Kaleyra's envelope around WhatsApp's error `code` (see the module documentation).
fn whatsapp_error(code: u32, details: &str) -> String {
    super::bodies::meta_error(code, codes::title(code), details)
}

/// 401: the `{waba_id}` of the template route is not the account's (**choice**: the shape of
/// Kaleyra's WA401 answers).
fn waba_not_on_account() -> String {
    json!({
        "code": "WA401",
        "message": "WABA ID is not present or does not belong to the account.",
        "data": {},
        "error": {"waba_id": "WABA ID is not present or does not belong to the account."},
    })
    .to_string()
}

/// The kind the simulator's payload checks give an approved template: authentication, a
/// single-product template (a PRODUCT header), otherwise a general template (a flow template is
/// a general template whose button is a flow button).
fn kind_of(template: &TemplateDefinition) -> TemplateCategory {
    if *template.category() == Category::Authentication {
        TemplateCategory::Authentication
    } else if template
        .header()
        .is_some_and(|h| h.format == HeaderFormat::Product)
    {
        TemplateCategory::Product
    } else {
        TemplateCategory::Standard
    }
}

/// Checks a template message (already of a valid shape) against the catalogue, as WhatsApp
/// would: `Err` is the whole answer. First the rules of the approved template's kind (`400
/// WA400` if the body is not of that kind, e.g. two different OTPs), then the catalogue check
/// (`400` with WhatsApp's code).
pub(super) fn check_send(
    catalogue: &Catalogue,
    lenient: bool,
    body: &Value,
    route: Route,
    seen: &TemplateSeen,
) -> Result<(), Answer> {
    let Some(declared) = describe_json(body, DeclaredKind::Unknown) else {
        return Ok(());
    };
    if lenient && catalogue.languages_of(&declared.name).next().is_none() {
        // Lenient on request only: a template the simulator was not told about is taken as
        // approved. By default it is WhatsApp's 132001, below.
        return Ok(());
    }
    let kind = match catalogue.get(&declared.name, &declared.language) {
        Some(template) => {
            let kind = kind_of(template);
            if let Err(why) = seen.fits(kind) {
                return Err(Answer::refused(
                    400,
                    super::bodies::WA400.to_owned(),
                    format!(
                        "template {:?} is a {kind:?} template, and the message is not one: {why}",
                        seen.name
                    ),
                ));
            }
            match (route, kind) {
                (Route::Waba, _) | (_, TemplateCategory::Product) => DeclaredKind::Product,
                (_, TemplateCategory::Authentication) => DeclaredKind::Authentication,
                // The wire cannot tell a flow template from a general one with a flow button,
                // so the category is checked only where the body tells it.
                _ => DeclaredKind::Unknown,
            }
        }
        None => DeclaredKind::Unknown,
    };
    let declared = if kind == DeclaredKind::Unknown {
        declared
    } else {
        match describe_json(body, kind) {
            Some(d) => d,
            None => return Ok(()),
        }
    };
    match catalogue.check_declared(&declared) {
        Ok(()) => Ok(()),
        Err(mismatches) => {
            let code = mismatches.first().map_or(codes::NOT_FOUND, |m| m.code());
            let details = mismatches.to_string();
            Err(Answer::refused(
                400,
                whatsapp_error(code, &details),
                format!("{code}: {details}"),
            ))
        }
    }
}

/// `GET /v2/{sid}/whatsapp/{waba_id}/message_templates[?after=…&limit=…]`: the account's
/// templates, sorted by name and language, in pages (the API key and SID are already checked).
pub(super) fn listing(shared: &Shared, waba_id: &str, query: Option<&str>) -> Answer {
    if waba_id != shared.account.waba_id {
        return Answer::refused(
            401,
            waba_not_on_account(),
            format!("{waba_id:?} is not the account's WABA id"),
        );
    }
    let mut after: Option<usize> = None;
    let mut limit = PAGE_SIZE;
    for pair in query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "after" => match value.strip_prefix("c").and_then(|n| n.parse().ok()) {
                Some(offset) => after = Some(offset),
                None => {
                    return Answer::refused(
                        400,
                        super::bodies::WA400.to_owned(),
                        format!("unknown paging cursor {value:?}"),
                    );
                }
            },
            "limit" => match value.parse::<usize>() {
                Ok(n) if (1..=PAGE_SIZE_MAX).contains(&n) => limit = n,
                _ => {
                    return Answer::refused(
                        400,
                        super::bodies::WA400.to_owned(),
                        format!("limit must be 1-{PAGE_SIZE_MAX}, found {value:?}"),
                    );
                }
            },
            // Meta's filters (name, status, …) are not modelled: everything is listed.
            _ => {}
        }
    }
    let state = shared.lock();
    let all: Vec<&Value> = state
        .catalogue
        .iter()
        .map(TemplateDefinition::as_json)
        .collect();
    let start = after.unwrap_or(0).min(all.len());
    let end = start.saturating_add(limit).min(all.len());
    let mut answer = json!({
        "code": "WA200",
        "message": "Request Processed Successfully",
        "data": all[start..end],
        "paging": {"cursors": {"before": format!("c{start}"), "after": format!("c{end}")}},
        "error": {},
    });
    if end < all.len() {
        answer["paging"]["next"] = Value::String(format!(
            "/v2/{}/whatsapp/{waba_id}/message_templates?after=c{end}&limit={limit}",
            shared.account.sid
        ));
    }
    Answer {
        status: 200,
        body: answer.to_string(),
        refusal: None,
    }
}

impl MockServerBuilder {
    /// Serves the templates of a catalogue file (as `kaleyra templates pull` writes it) instead
    /// of the default ones; [`template`](MockServerBuilder::template) adds to them. Starting
    /// fails ([`MockServerBuilder::try_start`]) if the file cannot be read.
    pub fn templates_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.templates_file = Some(path.into());
        self
    }

    /// The catalogue the server starts with.
    pub(super) fn catalogue(&self) -> Result<Catalogue, CatalogueError> {
        let mut catalogue = match &self.templates_file {
            Some(path) => Catalogue::load(path)?,
            None if self.default_templates => seeds(),
            None => Catalogue::empty("the simulator's templates"),
        };
        for template in &self.templates {
            catalogue.insert(definition(template));
        }
        Ok(catalogue)
    }
}

impl MockServer {
    /// The account's templates, sorted by name and language: what `GET …/message_templates`
    /// lists.
    pub fn templates(&self) -> Vec<TemplateDefinition> {
        // Reviews whose delay has passed are decided first (review.rs).
        super::review::settle(&self.shared, false);
        self.shared.lock().catalogue.iter().cloned().collect()
    }

    /// Adds a template (any status) to the account, replacing one with the same name and
    /// language.
    pub fn add_template(&self, template: TemplateDefinition) {
        self.shared.lock().catalogue.insert(template);
    }

    /// Removes the template `name` in `language`; returns it if it was there.
    pub fn remove_template(&self, name: &str, language: &str) -> Option<TemplateDefinition> {
        self.shared.lock().catalogue.remove(name, language)
    }

    /// Sets a template's status (e.g. [`Status::Paused`], as WhatsApp does after negative
    /// feedback); returns false if the account has no such template.
    pub fn set_template_status(&self, name: &str, language: &str, status: Status) -> bool {
        let mut state = self.shared.lock();
        let Some(template) = state.catalogue.get(name, language) else {
            return false;
        };
        let mut object = template.as_json().clone();
        object["status"] = Value::String(status.as_str().to_owned());
        match TemplateDefinition::from_json(object) {
            Ok(updated) => {
                state.catalogue.insert(updated);
                true
            }
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_are_the_committed_catalogue() {
        let seeds = seeds();
        assert_eq!(seeds.len(), 6);
        // Written back exactly as `kaleyra templates pull` writes a catalogue.
        assert_eq!(seeds.to_json_pretty(), SEED_TEMPLATES);
    }

    #[test]
    fn approved_templates_translate_to_meta_objects() {
        let t = definition(&ApprovedTemplate::product("offer", "pt_BR", 2));
        assert_eq!(t.category(), &Category::Marketing);
        assert_eq!(t.body_parameters().len(), 2);
        let t = definition(&ApprovedTemplate::authentication("otp", "en"));
        assert_eq!(t.category(), &Category::Authentication);
        let t = definition(&ApprovedTemplate::flow("survey", "en"));
        assert_eq!(t.body_parameters().len(), 0);
    }

    #[test]
    fn error_bodies_are_kaleyra_envelopes() {
        let body: Value = serde_json::from_str(&whatsapp_error(132_000, "why")).unwrap();
        assert_eq!(body["code"], "132000");
        assert_eq!(body["error"]["code"], 132_000);
        assert_eq!(body["error"]["error_data"]["details"], "why");
        let body: Value = serde_json::from_str(&waba_not_on_account()).unwrap();
        assert_eq!(body["code"], "WA401");
    }
}
