//! The approved-template catalogue: the account's templates as Kaleyra's
//! `GET /v2/{sid}/whatsapp/{waba_id}/message_templates` returns them, and the check of a
//! template struct or message against them.
//!
//! A WhatsApp template message is refused when it does not match what the account had approved:
//! 132000 (number of parameters), 132001 (no such template in that language), 132012 (parameter
//! format), 132015/132016 (paused, disabled). The catalogue makes those mistakes visible before
//! sending, the way sqlx's offline data does for queries:
//!
//! - `kaleyra templates pull` (package `kaleyra-cli`) writes `kaleyra-templates.json`, which is
//!   committed;
//! - `#[derive(Template)]` finds it ([`discover`]) and refuses to compile a struct that does not
//!   match its entry;
//! - [`Catalogue::load`] and [`Catalogue::check`] do the same check at run time, for messages
//!   built with [`crate::model`];
//! - the simulator answers a send that does not match its catalogue as WhatsApp does.
//!
//! All three call one check ([`check`], on a [`Declared`] shape).
//!
//! ```
//! use kaleyra::catalogue::Catalogue;
//! use kaleyra::model::ProductTemplate;
//! use kaleyra::Template;
//!
//! let catalogue = Catalogue::from_json_str(r#"[{
//!     "name": "abandoned_cart_offer", "language": "en_US", "status": "APPROVED",
//!     "category": "MARKETING",
//!     "components": [
//!         {"type": "HEADER", "format": "PRODUCT"},
//!         {"type": "BODY", "text": "Use code {{1}} for {{2}} off!"}
//!     ]
//! }]"#, "kaleyra-templates.json")?;
//!
//! let message = ProductTemplate::new("abandoned_cart_offer", "en_US", "nqrxxx03ez", "194")
//!     .body_parameter("25OFF")
//!     .to("+16005550234")?;
//! let mismatches = catalogue.check(&message).unwrap_err();
//! assert_eq!(
//!     mismatches.to_string(),
//!     "template `abandoned_cart_offer` (en_US) has 2 body parameters \
//!      (\"Use code {{1}} for {{2}} off!\"); this message has 1"
//! );
//! assert_eq!(mismatches.first().map(|m| m.code()), Some(132000));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod definition;
mod describe;
mod file;
mod index;
mod plan;
mod shape;
mod validate;

#[cfg(feature = "transport")]
mod fetch;
#[cfg(feature = "transport")]
pub(crate) use fetch::next_cursor;

use std::collections::BTreeMap;
use std::path::Path;

pub use crate::rules::TemplateRule;
pub use definition::{
    BodyDefinition, ButtonDefinition, ButtonType, CardDefinition, Category, Component,
    DefinitionError, FooterDefinition, HeaderDefinition, HeaderFormat, LimitedTimeOfferDefinition,
    ParameterFormat, Parameters, Placeholder, Status, TemplateDefinition, placeholders,
};
pub use describe::describe;
#[cfg(feature = "mock")]
pub(crate) use describe::describe_json;
pub(crate) use file::discover_entry;
pub use file::{
    CatalogueError, Discovery, ENV, FILE_NAME, anchors, discover, touch_anchors, workspace_root,
};
pub use index::CatalogueIndex;
pub use plan::{Plan, PlanStep, Refusal, plan};
pub use shape::{
    ApprovedButton, ApprovedCard, CardPart, CardRequirements, CardShape, Declared, DeclaredBody,
    DeclaredButton, DeclaredCard, DeclaredCarousel, DeclaredHeader, DeclaredKind, Mismatch,
    Mismatches, Part, Subject, check,
};
pub use validate::TemplateViolation;

use crate::message::Message;

/// The WhatsApp error codes a mismatch stands for (Meta's Cloud API error codes; facts §6.3).
pub mod codes {
    /// The number of parameters does not match the template.
    pub const PARAMETER_COUNT: u32 = 132_000;
    /// The template does not exist in that language (or cannot be sent).
    pub const NOT_FOUND: u32 = 132_001;
    /// A parameter's format does not match the template.
    pub const PARAMETER_FORMAT: u32 = 132_012;
    /// The template is paused.
    pub const PAUSED: u32 = 132_015;
    /// The template is disabled.
    pub const DISABLED: u32 = 132_016;

    /// Meta's title for a code, as its error object's `message` carries it.
    pub fn title(code: u32) -> &'static str {
        match code {
            PARAMETER_COUNT => "Number of parameters does not match the expected number of params",
            NOT_FOUND => "Template name does not exist in the translation",
            PARAMETER_FORMAT => "Parameter format does not match format in the created template",
            PAUSED => "Template is Paused",
            DISABLED => "Template is Disabled",
            _ => "Template error",
        }
    }
}

/// An account's templates, by name and language.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catalogue {
    templates: BTreeMap<(String, String), TemplateDefinition>,
    origin: String,
}

impl Catalogue {
    /// An empty catalogue; `origin` names it in messages ("is not in {origin}").
    pub fn empty(origin: impl Into<String>) -> Catalogue {
        Catalogue {
            templates: BTreeMap::new(),
            origin: origin.into(),
        }
    }

    /// A catalogue of these templates (a later one replaces an earlier one with the same name
    /// and language).
    pub fn new(
        templates: impl IntoIterator<Item = TemplateDefinition>,
        origin: impl Into<String>,
    ) -> Catalogue {
        let mut catalogue = Catalogue::empty(origin);
        for t in templates {
            catalogue.insert(t);
        }
        catalogue
    }

    /// Reads a catalogue file: a JSON array of template objects as `kaleyra templates pull`
    /// writes it (or Kaleyra's whole answer, `{"data": [...]}`). Errors name the file, the line
    /// and what is wrong.
    pub fn load(path: impl AsRef<Path>) -> Result<Catalogue, CatalogueError> {
        file::load(path.as_ref())
    }

    /// Parses a catalogue's text; `origin` names it in errors and messages.
    pub fn from_json_str(text: &str, origin: &str) -> Result<Catalogue, CatalogueError> {
        file::parse(text, origin)
    }

    /// What the catalogue is called in messages (its file).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The template `name` in `language`.
    pub fn get(&self, name: &str, language: &str) -> Option<&TemplateDefinition> {
        self.templates.get(&(name.to_owned(), language.to_owned()))
    }

    /// The languages the template `name` has, in order.
    pub fn languages_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.templates
            .range((name.to_owned(), String::new())..)
            .take_while(move |((n, _), _)| n == name)
            .map(|((_, language), _)| language.as_str())
    }

    /// Adds a template, returning the one it replaces (same name and language).
    pub fn insert(&mut self, template: TemplateDefinition) -> Option<TemplateDefinition> {
        self.templates.insert(
            (template.name().to_owned(), template.language().to_owned()),
            template,
        )
    }

    /// Removes the template `name` in `language`.
    pub fn remove(&mut self, name: &str, language: &str) -> Option<TemplateDefinition> {
        self.templates
            .remove(&(name.to_owned(), language.to_owned()))
    }

    /// The templates, sorted by name then language.
    pub fn iter(&self) -> impl Iterator<Item = &TemplateDefinition> {
        self.templates.values()
    }

    /// How many templates.
    pub fn len(&self) -> usize {
        self.templates.len()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.templates.is_empty()
    }

    /// The catalogue as `kaleyra templates pull` writes it: the template objects as Kaleyra
    /// returned them, sorted by name then language, pretty-printed, with a final newline.
    pub fn to_json_pretty(&self) -> String {
        let entries: Vec<&serde_json::Value> =
            self.iter().map(TemplateDefinition::as_json).collect();
        let mut text = serde_json::to_string_pretty(&entries).unwrap_or_else(|_| "[]".to_owned());
        text.push('\n');
        text
    }

    /// Checks a built message against its approved template: it exists in that language, is
    /// APPROVED, its category fits the message's kind, and its header, body parameters,
    /// limited-time offer, buttons and carousel match. The derive runs the same check at compile
    /// time. An interactive flow message is not a template: it always passes.
    pub fn check(&self, message: &Message) -> Result<(), Mismatches> {
        match describe(message) {
            Some(declared) => self.check_declared(&declared),
            None => Ok(()),
        }
    }

    /// Checks a declared shape (what the derive or [`describe`] builds) against the catalogue.
    pub fn check_declared(&self, declared: &Declared) -> Result<(), Mismatches> {
        let found = match self.get(&declared.name, &declared.language) {
            Some(template) => check(template, declared),
            None => {
                let languages: Vec<&str> = self.languages_of(&declared.name).collect();
                let mut names: Vec<&str> = self.iter().map(TemplateDefinition::name).collect();
                names.dedup();
                vec![not_found(
                    declared,
                    &self.origin,
                    self.len(),
                    &names,
                    &languages,
                )]
            }
        };
        Mismatches::result(found)
    }
}

/// The mismatch of a declaration whose template is not in a catalogue of `count` templates
/// named `names` (sorted); `languages` are those its name has.
fn not_found(
    declared: &Declared,
    origin: &str,
    count: usize,
    names: &[&str],
    languages: &[&str],
) -> Mismatch {
    let name = &declared.name;
    if !languages.is_empty() {
        let hint = crate::rules::suggest(&declared.language, languages.iter().copied())
            .map(|l| format!("did you mean `{l}`?"))
            .unwrap_or_default();
        return Mismatch::new(
            Part::Language,
            codes::NOT_FOUND,
            format!(
                "template `{name}` has no {} version in {origin}: it has {}",
                declared.language,
                languages.join(", ")
            ),
            hint,
        );
    }
    let hint = match crate::rules::suggest(name, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => match declared.subject {
            Subject::Struct => "pull the catalogue again if it was approved recently \
                                (`kaleyra templates pull`), or mark the struct \
                                #[template(unchecked)] while it is in review"
                .to_owned(),
            Subject::Message => "pull the catalogue again if it was approved recently".to_owned(),
        },
    };
    Mismatch::new(
        Part::Template,
        codes::NOT_FOUND,
        format!(
            "template `{name}` ({}) is not in {origin} ({count} templates)",
            declared.language
        ),
        hint,
    )
}

#[cfg(test)]
mod tests;
