//! Templates as code (issue 19): the catalogue file as the desired state, compared with the
//! account. [`plan`] says, for each template in each language, what `kaleyra templates push`
//! does: create it, edit it, delete it (only when pruning), leave it, or refuse, because
//! WhatsApp would (the rules in [`crate::rules`], section "template edits").

use std::collections::BTreeSet;
use std::fmt;

use serde_json::{Map, Value};

use super::{ButtonType, Catalogue, Category, Component, TemplateDefinition};
use crate::rules::{self, EditRefusal};

/// What `kaleyra templates push` does, template by template, sorted by name then language.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    steps: Vec<PlanStep>,
}

/// One line of a [`Plan`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PlanStep {
    /// In the file, not on the account: created (then reviewed by WhatsApp).
    Create {
        /// The definition, as the file has it.
        template: TemplateDefinition,
    },
    /// On the account with another category or other components: edited.
    Edit {
        /// The account's id of the template.
        id: String,
        /// The definition, as the file has it.
        template: TemplateDefinition,
        /// The category, when it changes: (on the account, in the file).
        category: Option<(Category, Category)>,
        /// The components that change (`header`, `body`, `footer`, `buttons`, …), in order;
        /// empty when only the category changes.
        components: Vec<String>,
    },
    /// On the account, not in the file, and pruning: deleted.
    Delete {
        /// Its name.
        name: String,
        /// Its language.
        language: String,
        /// The account's id of the template.
        id: Option<String>,
        /// Every language of the name goes: one call by name deletes them all. Otherwise this
        /// language is deleted by its id.
        every_language: bool,
    },
    /// The file and the account agree.
    Unchanged {
        /// Its name.
        name: String,
        /// Its language.
        language: String,
    },
    /// A change WhatsApp would not make: nothing is sent.
    Refused {
        /// Its name.
        name: String,
        /// Its language.
        language: String,
        /// Why.
        why: Refusal,
    },
}

/// Why a [`PlanStep::Refused`] change is not made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// WhatsApp does not allow the edit.
    Edit(EditRefusal),
    /// One language of a name would be deleted, but the account gives no id for it (deleting by
    /// name alone would delete every language).
    NoId,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Edit(e) => e.fmt(f),
            Refusal::NoId => f.write_str(
                "the account gives no id for this language, and a delete by name alone would \
                 delete every language of the name",
            ),
        }
    }
}

impl PlanStep {
    /// The template's name.
    pub fn name(&self) -> &str {
        match self {
            PlanStep::Create { template } | PlanStep::Edit { template, .. } => template.name(),
            PlanStep::Delete { name, .. }
            | PlanStep::Unchanged { name, .. }
            | PlanStep::Refused { name, .. } => name,
        }
    }

    /// The template's language.
    pub fn language(&self) -> &str {
        match self {
            PlanStep::Create { template } | PlanStep::Edit { template, .. } => template.language(),
            PlanStep::Delete { language, .. }
            | PlanStep::Unchanged { language, .. }
            | PlanStep::Refused { language, .. } => language,
        }
    }

    /// How many template API calls the step makes: an edit of both the category and the
    /// components is two (Kaleyra takes them in separate calls), a delete of every language is
    /// counted once, on the name's first language.
    pub fn calls(&self) -> usize {
        match self {
            PlanStep::Create { .. } => 1,
            PlanStep::Edit {
                category,
                components,
                ..
            } => usize::from(category.is_some()) + usize::from(!components.is_empty()),
            PlanStep::Delete { .. } => 1,
            PlanStep::Unchanged { .. } | PlanStep::Refused { .. } => 0,
        }
    }
}

impl fmt::Display for PlanStep {
    /// The plan line: `+ create NAME (LANG)`, `~ edit NAME (LANG): what`, `- delete NAME (LANG)`,
    /// `= NAME (LANG)`, `! refused NAME (LANG): why`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, language) = (self.name(), self.language());
        match self {
            PlanStep::Create { .. } => write!(f, "+ create {name} ({language})"),
            PlanStep::Edit {
                category,
                components,
                ..
            } => {
                write!(f, "~ edit {name} ({language}): ")?;
                let mut what = Vec::new();
                if let Some((from, to)) = category {
                    what.push(format!("category {from} -> {to}"));
                }
                if !components.is_empty() {
                    what.push(components.join(", "));
                }
                f.write_str(&what.join("; "))
            }
            PlanStep::Delete { .. } => write!(f, "- delete {name} ({language})"),
            PlanStep::Unchanged { .. } => write!(f, "= {name} ({language})"),
            PlanStep::Refused { why, .. } => write!(f, "! refused {name} ({language}): {why}"),
        }
    }
}

impl Plan {
    /// The steps, sorted by name then language.
    pub fn steps(&self) -> &[PlanStep] {
        &self.steps
    }

    /// Whether any change is refused (then `push` makes no call).
    pub fn is_refused(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s, PlanStep::Refused { .. }))
    }

    /// Whether any template is deleted.
    pub fn deletes(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s, PlanStep::Delete { .. }))
    }

    /// Whether nothing is to be done.
    pub fn is_unchanged(&self) -> bool {
        self.steps
            .iter()
            .all(|s| matches!(s, PlanStep::Unchanged { .. }))
    }

    /// The template API calls the plan makes.
    pub fn calls(&self) -> usize {
        let mut names_deleted = BTreeSet::new();
        self.steps
            .iter()
            .map(|s| match s {
                PlanStep::Delete {
                    name,
                    every_language: true,
                    ..
                } => usize::from(names_deleted.insert(name.as_str())),
                other => other.calls(),
            })
            .sum()
    }
}

impl fmt::Display for Plan {
    /// One line per step.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for step in &self.steps {
            writeln!(f, "{step}")?;
        }
        Ok(())
    }
}

/// Compares the file (`desired`) with the account: what `kaleyra templates push` does.
///
/// An entry of the file that the account does not have is created; one that the account has
/// with another category or other components is edited, unless WhatsApp forbids the edit
/// ([`rules::check_edit`]); a template of the account that the file does not have is deleted
/// only when `prune` is set. Members the account writes (`id`, `status`, …:
/// [`rules::TEMPLATE_READ_ONLY_MEMBERS`]) are not compared, and a missing `parameter_format` is
/// `POSITIONAL`.
///
/// ```
/// use kaleyra::catalogue::{plan, Catalogue};
///
/// let file = Catalogue::from_json_str(r#"[
///   {"name": "order_update", "language": "en_US", "category": "UTILITY",
///    "components": [{"type": "BODY", "text": "Order {{1}} ships today"}]},
///   {"name": "welcome", "language": "en_US", "status": "APPROVED", "category": "MARKETING",
///    "components": [{"type": "BODY", "text": "Welcome!"}]}
/// ]"#, "kaleyra-templates.json")?;
/// let account = Catalogue::from_json_str(r#"[
///   {"name": "welcome", "language": "en_US", "status": "APPROVED", "category": "MARKETING",
///    "id": "17", "components": [{"type": "BODY", "text": "Welcome!"}]}
/// ]"#, "the account")?;
///
/// let plan = plan(&file, &account, false);
/// assert_eq!(plan.to_string(), "+ create order_update (en_US)\n= welcome (en_US)\n");
/// # Ok::<(), kaleyra::catalogue::CatalogueError>(())
/// ```
pub fn plan(desired: &Catalogue, account: &Catalogue, prune: bool) -> Plan {
    let mut steps = Vec::new();
    for template in desired.iter() {
        let (name, language) = (template.name(), template.language());
        steps.push(match account.get(name, language) {
            None => PlanStep::Create {
                template: template.clone(),
            },
            Some(current) => compare(template, current),
        });
    }
    if prune {
        for current in account.iter() {
            let (name, language) = (current.name(), current.language());
            if desired.get(name, language).is_some() {
                continue;
            }
            let every_language = desired.languages_of(name).next().is_none();
            let id = current.id().map(str::to_owned);
            steps.push(if id.is_none() && !every_language {
                PlanStep::Refused {
                    name: name.to_owned(),
                    language: language.to_owned(),
                    why: Refusal::NoId,
                }
            } else {
                PlanStep::Delete {
                    name: name.to_owned(),
                    language: language.to_owned(),
                    id,
                    every_language,
                }
            });
        }
    }
    steps.sort_by(|a, b| (a.name(), a.language()).cmp(&(b.name(), b.language())));
    Plan { steps }
}

/// One template in the file against the same name and language on the account.
fn compare(desired: &TemplateDefinition, current: &TemplateDefinition) -> PlanStep {
    let (name, language) = (desired.name().to_owned(), desired.language().to_owned());
    let refused = |why| PlanStep::Refused {
        name: name.clone(),
        language: language.clone(),
        why: Refusal::Edit(why),
    };
    let (want, have) = (editable(desired), editable(current));
    // Anything but the category and the components cannot be edited.
    let mut members: Vec<&String> = want.keys().chain(have.keys()).collect();
    members.sort();
    members.dedup();
    if let Some(member) = members
        .into_iter()
        .find(|m| !matches!(m.as_str(), "category" | "components") && want.get(*m) != have.get(*m))
    {
        return refused(EditRefusal::NotEditable {
            member: member.clone(),
        });
    }
    let category = (desired.category() != current.category())
        .then(|| (current.category().clone(), desired.category().clone()));
    let components = changed_components(
        want.get("components").unwrap_or(&Value::Null),
        have.get("components").unwrap_or(&Value::Null),
    );
    if category.is_none() && components.is_empty() {
        return PlanStep::Unchanged { name, language };
    }
    let voice_call = current
        .buttons()
        .iter()
        .any(|b| b.kind == ButtonType::VoiceCall)
        || current.components().iter().any(|c| match c {
            Component::Carousel(cards) => cards.iter().any(|card| {
                card.buttons()
                    .iter()
                    .any(|b| b.kind == ButtonType::VoiceCall)
            }),
            _ => false,
        });
    if let Err(why) = rules::check_edit(
        current.status().as_str(),
        current.category().as_str(),
        desired.category().as_str(),
        voice_call,
    ) {
        return refused(why);
    }
    let Some(id) = current.id() else {
        return PlanStep::Refused {
            name,
            language,
            why: Refusal::NoId,
        };
    };
    PlanStep::Edit {
        id: id.to_owned(),
        template: desired.clone(),
        category,
        components,
    }
}

/// The members of a definition that a push compares: everything but the account's own
/// members, with `parameter_format` made explicit and the category in upper case.
fn editable(t: &TemplateDefinition) -> Map<String, Value> {
    let mut out = match t.as_json() {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    for member in rules::TEMPLATE_READ_ONLY_MEMBERS.iter().chain(&[
        "name",
        "language",
        "allow_category_change",
    ]) {
        out.remove(*member);
    }
    out.insert("category".into(), Value::from(t.category().as_str()));
    let format = out
        .get("parameter_format")
        .and_then(Value::as_str)
        .map_or_else(|| "POSITIONAL".to_owned(), str::to_ascii_uppercase);
    out.insert("parameter_format".into(), Value::from(format));
    out
}

/// The components that differ, named by their type in lower case, in the file's order (then
/// the account's).
fn changed_components(want: &Value, have: &Value) -> Vec<String> {
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let (want, have) = (list(want), list(have));
    let kind = |c: &Value| {
        c.get("type")
            .and_then(Value::as_str)
            .unwrap_or("component")
            .to_ascii_lowercase()
    };
    let find = |list: &[Value], k: &str| list.iter().find(|c| kind(c) == k).cloned();
    let mut kinds: Vec<String> = Vec::new();
    for c in want.iter().chain(&have) {
        let k = kind(c);
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    let mut changed: Vec<String> = kinds
        .into_iter()
        .filter(|k| find(&want, k) != find(&have, k))
        .collect();
    // Same components in another order.
    if changed.is_empty() && want != have {
        changed.push("order of the components".to_owned());
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue(json: &str) -> Catalogue {
        Catalogue::from_json_str(json, "test").unwrap()
    }

    const ACCOUNT: &str = r#"[
      {"name": "a", "language": "en_US", "status": "APPROVED", "category": "UTILITY", "id": "1",
       "parameter_format": "POSITIONAL", "quality_score": {"score": "GREEN"},
       "components": [{"type": "HEADER", "format": "TEXT", "text": "Hi"},
                      {"type": "BODY", "text": "Order {{1}}", "example": {"body_text": [["7"]]}}]},
      {"name": "b", "language": "en_US", "status": "PENDING", "category": "MARKETING", "id": "2",
       "components": [{"type": "BODY", "text": "Sale"}]},
      {"name": "c", "language": "de", "status": "REJECTED", "category": "MARKETING", "id": "3",
       "components": [{"type": "BODY", "text": "Angebot"}]},
      {"name": "c", "language": "en", "status": "APPROVED", "category": "MARKETING", "id": "4",
       "components": [{"type": "BODY", "text": "Offer"}]},
      {"name": "d", "language": "en", "status": "REJECTED", "category": "MARKETING", "id": "5",
       "components": [{"type": "BODY", "text": "Call"},
                      {"type": "BUTTONS", "buttons": [{"type": "VOICE_CALL", "text": "Call"}]}]}
    ]"#;

    fn lines(file: &str, prune: bool) -> Vec<String> {
        plan(&catalogue(file), &catalogue(ACCOUNT), prune)
            .steps()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn the_account_pulled_is_unchanged() {
        let account = catalogue(ACCOUNT);
        let p = plan(&account, &account, true);
        assert!(p.is_unchanged(), "{p}");
        assert_eq!(p.calls(), 0);
    }

    #[test]
    fn a_new_entry_is_created_and_the_rest_left_without_prune() {
        let file = r#"[{"name": "n", "language": "en_US", "category": "UTILITY",
                        "components": [{"type": "BODY", "text": "New"}]}]"#;
        assert_eq!(lines(file, false), ["+ create n (en_US)"]);
    }

    #[test]
    fn read_only_members_and_a_missing_parameter_format_are_not_differences() {
        let file = r#"[{"name": "a", "language": "en_US", "category": "utility",
           "components": [{"type": "HEADER", "format": "TEXT", "text": "Hi"},
                      {"type": "BODY", "text": "Order {{1}}", "example": {"body_text": [["7"]]}}]}]"#;
        assert_eq!(lines(file, false), ["= a (en_US)"]);
    }

    #[test]
    fn edits_name_what_changes() {
        let file = r#"[{"name": "a", "language": "en_US", "category": "UTILITY", "id": "1",
           "components": [{"type": "HEADER", "format": "TEXT", "text": "Hello"},
                      {"type": "BODY", "text": "Order {{1}}", "example": {"body_text": [["7"]]}},
                      {"type": "FOOTER", "text": "Thanks"}]},
          {"name": "c", "language": "de", "category": "UTILITY",
           "components": [{"type": "BODY", "text": "Angebot!"}]}]"#;
        let p = plan(&catalogue(file), &catalogue(ACCOUNT), false);
        let shown: Vec<String> = p.steps().iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "~ edit a (en_US): header, footer",
                "~ edit c (de): category MARKETING -> UTILITY; body"
            ]
        );
        assert_eq!(p.calls(), 3);
    }

    #[test]
    fn forbidden_edits_are_refused() {
        let file = r#"[
          {"name": "a", "language": "en_US", "category": "MARKETING",
           "components": [{"type": "HEADER", "format": "TEXT", "text": "Hi"},
                      {"type": "BODY", "text": "Order {{1}}", "example": {"body_text": [["7"]]}}]},
          {"name": "b", "language": "en_US", "category": "MARKETING",
           "components": [{"type": "BODY", "text": "Sale!"}]},
          {"name": "c", "language": "en", "category": "MARKETING", "message_send_ttl_seconds": 60,
           "components": [{"type": "BODY", "text": "Offer"}]},
          {"name": "d", "language": "en", "category": "MARKETING",
           "components": [{"type": "BODY", "text": "Call us"},
                      {"type": "BUTTONS", "buttons": [{"type": "VOICE_CALL", "text": "Call"}]}]}
        ]"#;
        let p = plan(&catalogue(file), &catalogue(ACCOUNT), false);
        assert!(p.is_refused());
        let why: Vec<&Refusal> = p
            .steps()
            .iter()
            .filter_map(|s| match s {
                PlanStep::Refused { why, .. } => Some(why),
                _ => None,
            })
            .collect();
        assert_eq!(
            why,
            [
                &Refusal::Edit(EditRefusal::ApprovedCategory {
                    from: "UTILITY".into(),
                    to: "MARKETING".into()
                }),
                &Refusal::Edit(EditRefusal::Status {
                    status: "PENDING".into()
                }),
                &Refusal::Edit(EditRefusal::NotEditable {
                    member: "message_send_ttl_seconds".into()
                }),
                &Refusal::Edit(EditRefusal::VoiceCall),
            ]
        );
        assert!(p.steps()[0].to_string().starts_with(
            "! refused a (en_US): the category of an approved template cannot change (UTILITY -> \
             MARKETING)"
        ));
    }

    #[test]
    fn pruning_deletes_by_name_or_by_id() {
        // `c` keeps its German entry: its English one goes by id; `a`, `b`, `d` go by name.
        let file = r#"[{"name": "c", "language": "de", "status": "REJECTED", "category": "MARKETING",
                        "id": "3", "components": [{"type": "BODY", "text": "Angebot"}]}]"#;
        assert_eq!(lines(file, false), ["= c (de)"]);
        let p = plan(&catalogue(file), &catalogue(ACCOUNT), true);
        assert_eq!(
            p.to_string(),
            "- delete a (en_US)\n- delete b (en_US)\n= c (de)\n- delete c (en)\n- delete d (en)\n"
        );
        let c_en = &p.steps()[3];
        assert_eq!(
            c_en,
            &PlanStep::Delete {
                name: "c".into(),
                language: "en".into(),
                id: Some("4".into()),
                every_language: false
            }
        );
        assert!(p.deletes());
        assert_eq!(p.calls(), 4);
    }

    #[test]
    fn pruning_one_language_without_an_id_is_refused() {
        let account = catalogue(
            r#"[{"name": "x", "language": "en", "status": "APPROVED", "category": "UTILITY"},
                {"name": "x", "language": "de", "status": "APPROVED", "category": "UTILITY"}]"#,
        );
        let file = catalogue(
            r#"[{"name": "x", "language": "de", "status": "APPROVED", "category": "UTILITY"}]"#,
        );
        let p = plan(&file, &account, true);
        assert_eq!(
            p.steps()[1],
            PlanStep::Refused {
                name: "x".into(),
                language: "en".into(),
                why: Refusal::NoId
            }
        );
    }

    #[test]
    fn components_in_another_order_are_an_edit() {
        let account = catalogue(
            r#"[{"name": "x", "language": "en", "status": "REJECTED", "category": "UTILITY", "id": "9",
                 "components": [{"type": "BODY", "text": "b"}, {"type": "FOOTER", "text": "f"}]}]"#,
        );
        let file = catalogue(
            r#"[{"name": "x", "language": "en", "category": "UTILITY",
                 "components": [{"type": "FOOTER", "text": "f"}, {"type": "BODY", "text": "b"}]}]"#,
        );
        assert_eq!(
            plan(&file, &account, false).to_string(),
            "~ edit x (en): order of the components\n"
        );
    }
}
