//! The compile-time checks of the flow derives against the committed flows ([`FlowsDir`]): one
//! place for the rules, which `#[derive(Flow)]` with `#[flow(name = …)]` and
//! `#[derive(FlowResponse)]` with `#[flow_response(flow = …)]` report on their tokens
//! (RULES.md, "Flows checked at compile time").

use std::fmt;
use std::sync::Arc;

use super::files::{FlowsDir, INDEX_FILE};
use super::json::FlowJson;
use super::lifecycle::FlowStatus;
use super::model::JsonType;
use crate::rules::suggest;

/// Which part of a declaration a [`FlowMismatch`] is about (where the derive reports it).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FlowPart {
    /// The flow as a whole (its name, its file, its status).
    Flow,
    /// The `screen = "…"`.
    Screen,
    /// A declared field (a data member, or a response member), by its key.
    Field(String),
}

/// A declaration that does not fit the committed flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowMismatch {
    /// Where to report it.
    pub part: FlowPart,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for FlowMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

fn whole(message: String) -> FlowMismatch {
    FlowMismatch {
        part: FlowPart::Flow,
        message,
    }
}

/// A field a struct declares: its key, its JSON type where the Rust type fixes one, and whether
/// it is an `Option`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredField {
    /// The member's key.
    pub key: String,
    /// The JSON type the field's Rust type writes or reads, if known.
    pub json_type: Option<JsonType>,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

/// Whether a value of type `declared` fits where `fixed` is expected (an integer is a number
/// too); unknown on either side fits.
fn fits(declared: Option<JsonType>, fixed: Option<JsonType>) -> bool {
    match (declared, fixed) {
        (Some(d), Some(f)) => d == f || (d == JsonType::Integer && f == JsonType::Number),
        _ => true,
    }
}

/// An error of the directory, its files named as [`FlowsDir::shown`] names the directory.
pub fn shown_error(dir: &FlowsDir, e: &super::files::FlowsDirError) -> String {
    let full = dir.dir().display().to_string();
    e.to_string()
        .replacen(&full, dir.shown().trim_end_matches('/'), 1)
}

fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    suggest(input, candidates)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

/// What [`resolve`] answers.
pub(crate) type Resolved = Result<(String, FlowStatus, Arc<FlowJson>), Vec<FlowMismatch>>;

/// The flow named `name`, read and valid: listed in `flows.json`, its file parsed, no violation
/// of Meta's publishing rules ([`FlowJson::validate`]). Returns its id, status and document.
/// Each name is resolved once per loaded [`FlowsDir`] (the derive checks many structs against
/// one flow; a directory loaded again reads the files again).
pub fn resolve(
    dir: &FlowsDir,
    name: &str,
) -> Result<(String, FlowStatus, Arc<FlowJson>), Vec<FlowMismatch>> {
    if let Some(done) = dir.resolved().get(name) {
        return done.clone();
    }
    let done = resolve_files(dir, name);
    dir.resolved().insert(name.to_owned(), done.clone());
    done
}

fn resolve_files(dir: &FlowsDir, name: &str) -> Resolved {
    let shown = |file: &str| format!("{}/{file}", dir.shown().trim_end_matches('/'));
    let Some(entry) = dir.entry(name) else {
        let file = dir.flow_path(name).ok().filter(|p| p.is_file());
        let message = if file.is_some() {
            format!(
                "flow `{name}` has a file, {}, but no entry in {}: the account does not have \
                 this flow; create it with `kaleyra flows push {name}` (then `kaleyra flows pull`)",
                shown(&format!("{name}.json")),
                shown(INDEX_FILE)
            )
        } else {
            let files = dir.files();
            format!(
                "no flow named `{name}` in {}{}",
                shown(INDEX_FILE),
                did_you_mean(name, dir.names().chain(files.iter().map(String::as_str)))
            )
        };
        return Err(vec![whole(message)]);
    };
    let flow = dir
        .flow(name)
        .map_err(|e| vec![whole(shown_error(dir, &e))])?;
    let violations = flow.validate();
    if !violations.is_empty() {
        return Err(violations
            .iter()
            .map(|v| {
                whole(format!(
                    "{}: Meta would reject this flow: {v}",
                    shown(&format!("{name}.json"))
                ))
            })
            .collect());
    }
    Ok((entry.id.clone(), entry.status.clone(), Arc::new(flow)))
}

/// Checks a flow message's declaration (`#[derive(Flow)]` with `#[flow(name = …)]`): the flow
/// resolves ([`resolve`]); it can be sent (published or throttled, or a draft when `draft`);
/// `screen` is one of its screens; the data fields are that screen's `data` model, both ways,
/// with the JSON types where the model declares them. Returns the flow's id.
pub fn check_send(
    dir: &FlowsDir,
    name: &str,
    draft: bool,
    screen: Option<&str>,
    data: &[DeclaredField],
) -> Result<String, Vec<FlowMismatch>> {
    let (id, status, flow) = resolve(dir, name)?;
    let mut out = Vec::new();
    let sendable = status.is_sendable() || (draft && status == FlowStatus::Draft);
    if !sendable {
        let advice = match status {
            FlowStatus::Draft => {
                "publish it (`kaleyra flows push NAME --publish`), or send it for testing with \
                 `mode = draft`"
            }
            FlowStatus::Deprecated => "a deprecated flow can no longer be sent: clone it",
            _ => "it cannot be sent",
        };
        out.push(whole(format!(
            "flow `{name}` is {} in {}/{INDEX_FILE}: {advice}",
            if status.as_str().is_empty() {
                "without a status"
            } else {
                status.as_str()
            },
            dir.shown().trim_end_matches('/'),
        )));
    }
    if let Some(screen_id) = screen {
        match flow.screen(screen_id) {
            None => out.push(FlowMismatch {
                part: FlowPart::Screen,
                message: format!(
                    "flow `{name}` has no screen `{screen_id}`{}",
                    did_you_mean(screen_id, flow.screens.iter().map(|s| s.id.as_str()))
                ),
            }),
            Some(s) => {
                let model = s.data_model();
                for field in data {
                    match model.iter().find(|m| m.name == field.key) {
                        None => out.push(FlowMismatch {
                            part: FlowPart::Field(field.key.clone()),
                            message: format!(
                                "screen `{screen_id}` of flow `{name}` has no data member `{}`{}",
                                field.key,
                                did_you_mean(&field.key, model.iter().map(|m| m.name.as_str()))
                            ),
                        }),
                        Some(m) if !fits(field.json_type, m.json_type) => out.push(FlowMismatch {
                            part: FlowPart::Field(field.key.clone()),
                            message: format!(
                                "data member `{}` of screen `{screen_id}` is of type `{}`, \
                                     this field writes a JSON {}",
                                field.key,
                                m.json_type.map_or("?", JsonType::as_str),
                                field.json_type.map_or("?", JsonType::as_str)
                            ),
                        }),
                        Some(_) => {}
                    }
                }
                // A member already suggested for a misspelt field is not reported again.
                let suggested: Vec<&str> = data
                    .iter()
                    .filter(|d| !model.iter().any(|m| m.name == d.key))
                    .filter_map(|d| suggest(&d.key, model.iter().map(|m| m.name.as_str())))
                    .collect();
                let missing: Vec<&str> = model
                    .iter()
                    .filter(|m| !data.iter().any(|d| d.key == m.name))
                    .filter(|m| !suggested.contains(&m.name.as_str()))
                    .map(|m| m.name.as_str())
                    .collect();
                if !missing.is_empty() {
                    out.push(FlowMismatch {
                        part: FlowPart::Screen,
                        message: format!(
                            "screen `{screen_id}` of flow `{name}` needs the data member{} {} \
                             (the screen's `data` model), which no field gives",
                            if missing.len() == 1 { "" } else { "s" },
                            missing
                                .iter()
                                .map(|m| format!("`{m}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                }
            }
        }
    }
    if out.is_empty() { Ok(id) } else { Err(out) }
}

/// Checks a flow response's declaration (`#[derive(FlowResponse)]` with
/// `#[flow_response(flow = …)]`; the token field left out): the flow resolves ([`resolve`]);
/// every field is a member some `complete` sends ([`FlowJson::completion_fields`]); a member
/// not sent by every `complete` is read into an `Option`; types agree where the flow fixes
/// them. Fields may leave members out.
pub fn check_response(dir: &FlowsDir, name: &str, fields: &[DeclaredField]) -> Vec<FlowMismatch> {
    let flow = match resolve(dir, name) {
        Ok((_, _, flow)) => flow,
        Err(e) => return e,
    };
    let sent = flow.completion_fields();
    let mut out = Vec::new();
    for field in fields {
        let part = FlowPart::Field(field.key.clone());
        match sent.iter().find(|s| s.name == field.key) {
            None => out.push(FlowMismatch {
                part,
                message: format!(
                    "flow `{name}` sends no `{}` in `complete`{}",
                    field.key,
                    did_you_mean(&field.key, sent.iter().map(|s| s.name.as_str()))
                ),
            }),
            Some(s) if !s.always && !field.optional => out.push(FlowMismatch {
                part,
                message: format!(
                    "not every terminal screen of flow `{name}` sends `{}`: make the field an \
                     `Option`",
                    field.key
                ),
            }),
            // Reading: an integer sent fits a number field, not the other way round.
            Some(s) if !fits(s.json_type, field.json_type) => out.push(FlowMismatch {
                part,
                message: format!(
                    "flow `{name}` sends `{}` as a JSON {}, this field reads a JSON {}",
                    field.key,
                    s.json_type.map_or("?", JsonType::as_str),
                    field.json_type.map_or("?", JsonType::as_str)
                ),
            }),
            Some(_) => {}
        }
    }
    out
}
