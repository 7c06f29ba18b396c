//! The differences between the catalogue file and the account: what `kaleyra templates check`
//! lists.

use std::fmt;

use kaleyra_core::catalogue::{Catalogue, Component, TemplateDefinition};

/// One difference, for one template in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// On the account, not in the file.
    Added { template: String, status: String },
    /// In the file, no longer on the account.
    Removed { template: String },
    /// Its status changed (e.g. APPROVED to PAUSED).
    StatusChanged {
        template: String,
        from: String,
        to: String,
    },
    /// Its category changed.
    CategoryChanged {
        template: String,
        from: String,
        to: String,
    },
    /// A text of one of its components changed (or a component appeared or went away).
    TextChanged {
        template: String,
        part: String,
        from: Option<String>,
        to: Option<String>,
    },
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_owned());
        match self {
            Difference::Added { template, status } => write!(
                f,
                "added: {template} ({status}) is on the account but not in the file"
            ),
            Difference::Removed { template } => write!(
                f,
                "removed: {template} is in the file but no longer on the account"
            ),
            Difference::StatusChanged { template, from, to } => {
                write!(f, "status changed: {template}: {from} -> {to}")
            }
            Difference::CategoryChanged { template, from, to } => {
                write!(f, "category changed: {template}: {from} -> {to}")
            }
            Difference::TextChanged {
                template,
                part,
                from,
                to,
            } => write!(
                f,
                "text changed: {template} {part}: {} -> {}",
                or_none(from),
                or_none(to)
            ),
        }
    }
}

fn label(t: &TemplateDefinition) -> String {
    format!("`{}` ({})", t.name(), t.language())
}

fn quoted(text: Option<&str>) -> String {
    format!("{:?}", text.unwrap_or_default())
}

/// The texts of a template's components, each under a label (`body`, `button 1`, `card 0
/// header`, …), in order.
fn texts(t: &TemplateDefinition) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let raw = t.as_json().get("components");
    collect(t.components(), "", raw, &mut out);
    out
}

fn collect(
    components: &[Component],
    prefix: &str,
    raw: Option<&serde_json::Value>,
    out: &mut Vec<(String, String)>,
) {
    for (i, component) in components.iter().enumerate() {
        match component {
            Component::Header(h) => out.push((
                format!("{prefix}header"),
                match &h.text {
                    Some(text) => format!("{} {}", h.format, quoted(Some(text))),
                    None => h.format.to_string(),
                },
            )),
            Component::Body(b) => out.push((format!("{prefix}body"), quoted(Some(&b.text)))),
            Component::Footer(footer) => {
                out.push((format!("{prefix}footer"), quoted(footer.text.as_deref())));
            }
            Component::Buttons(buttons) => {
                for (n, b) in buttons.iter().enumerate() {
                    let mut value = b.kind.to_string();
                    if let Some(text) = &b.text {
                        value.push(' ');
                        value.push_str(&quoted(Some(text)));
                    }
                    for extra in [&b.url, &b.phone_number, &b.otp_type, &b.flow_id]
                        .into_iter()
                        .flatten()
                    {
                        value.push(' ');
                        value.push_str(extra);
                    }
                    out.push((format!("{prefix}button {n}"), value));
                }
            }
            Component::Carousel(cards) => {
                let raw_cards = raw.and_then(|r| r.get(i)).and_then(|c| c.get("cards"));
                for (n, card) in cards.iter().enumerate() {
                    let raw_card = raw_cards
                        .and_then(|c| c.get(n))
                        .and_then(|c| c.get("components"));
                    collect(
                        &card.components,
                        &format!("{prefix}card {n} "),
                        raw_card,
                        out,
                    );
                }
            }
            Component::LimitedTimeOffer(offer) => out.push((
                format!("{prefix}limited-time offer"),
                format!(
                    "{}{}",
                    quoted(offer.text.as_deref()),
                    if offer.has_expiration {
                        " with an expiry"
                    } else {
                        ""
                    }
                ),
            )),
            other => {
                // A component the library does not model: compared as the JSON it is.
                let kind = match other {
                    Component::Other(kind) => kind.clone(),
                    _ => "component".to_owned(),
                };
                let json = raw
                    .and_then(|r| r.get(i))
                    .map(ToString::to_string)
                    .unwrap_or_default();
                out.push((format!("{prefix}{kind} component"), json));
            }
        }
    }
}

/// Every difference between the file and the account, template by template (sorted by name
/// and language).
pub fn differences(file: &Catalogue, account: &Catalogue) -> Vec<Difference> {
    let mut out = Vec::new();
    for t in file.iter() {
        let Some(now) = account.get(t.name(), t.language()) else {
            out.push(Difference::Removed { template: label(t) });
            continue;
        };
        if t.status() != now.status() {
            out.push(Difference::StatusChanged {
                template: label(t),
                from: t.status().to_string(),
                to: now.status().to_string(),
            });
        }
        if t.category() != now.category() {
            out.push(Difference::CategoryChanged {
                template: label(t),
                from: t.category().to_string(),
                to: now.category().to_string(),
            });
        }
        let before = texts(t);
        let after = texts(now);
        for (part, old) in &before {
            let new = after.iter().find(|(p, _)| p == part).map(|(_, v)| v);
            if new != Some(old) {
                out.push(Difference::TextChanged {
                    template: label(t),
                    part: part.clone(),
                    from: Some(old.clone()),
                    to: new.cloned(),
                });
            }
        }
        for (part, new) in &after {
            if !before.iter().any(|(p, _)| p == part) {
                out.push(Difference::TextChanged {
                    template: label(t),
                    part: part.clone(),
                    from: None,
                    to: Some(new.clone()),
                });
            }
        }
    }
    for t in account.iter() {
        if file.get(t.name(), t.language()).is_none() {
            out.push(Difference::Added {
                template: label(t),
                status: t.status().to_string(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue(text: &str) -> Catalogue {
        match Catalogue::from_json_str(text, "test") {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn each_kind_of_difference() {
        let file = catalogue(
            r#"[
            {"name": "a", "language": "en", "status": "APPROVED", "category": "UTILITY",
             "components": [{"type": "BODY", "text": "Hi {{1}}"},
                            {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Stop"}]}]},
            {"name": "b", "language": "en", "status": "APPROVED", "category": "MARKETING"},
            {"name": "gone", "language": "en", "status": "APPROVED"}
        ]"#,
        );
        let account = catalogue(
            r#"[
            {"name": "a", "language": "en", "status": "APPROVED", "category": "UTILITY", "id": "9",
             "components": [{"type": "BODY", "text": "Hi {{1}}, {{2}}"},
                            {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Stop"}]},
                            {"type": "FOOTER", "text": "Bye"}]},
            {"name": "b", "language": "en", "status": "PAUSED", "category": "UTILITY"},
            {"name": "new", "language": "pt_BR", "status": "PENDING"}
        ]"#,
        );
        let listed: Vec<String> = differences(&file, &account)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            listed,
            [
                r#"text changed: `a` (en) body: "Hi {{1}}" -> "Hi {{1}}, {{2}}""#,
                r#"text changed: `a` (en) footer: (none) -> "Bye""#,
                "status changed: `b` (en): APPROVED -> PAUSED",
                "category changed: `b` (en): MARKETING -> UTILITY",
                "removed: `gone` (en) is in the file but no longer on the account",
                "added: `new` (pt_BR) (PENDING) is on the account but not in the file",
            ]
        );
        assert!(differences(&account, &account).is_empty());
    }
}
