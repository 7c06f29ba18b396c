//! `kaleyra flows …`: the committed flows (`kaleyra-flows/`: `flows.json` and one
//! `<name>.json` per flow) checked against Meta's rules and against the account.
//!
//! Exit status as `kaleyra templates`: 0 success, 1 a violation, Meta's validation errors or
//! drift (each listed), 2 an error.

use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use kaleyra_core::Client;
use kaleyra_core::catalogue::Discovery;
use kaleyra_core::flows::{
    self, FlowCategory, FlowDetails, FlowFields, FlowJson, FlowsDir, NewFlow, Purpose,
};
use serde_json::{Value, json};

use super::{Failure, client, explain};

#[derive(Subcommand)]
pub(crate) enum Flows {
    /// Checks flow files against Meta's Flow JSON rules; prints `FILE: <JSON path>: <message>`
    /// per violation and exits 1 when there is any.
    Validate {
        /// The files (default: every `<name>.json` of the discovered `kaleyra-flows/`).
        files: Vec<PathBuf>,
        /// Which of Meta's version lists applies (default: publish).
        #[arg(long = "for", value_enum, default_value = "publish")]
        purpose: ForPurpose,
    },
    /// Prints the account's flows as a table (name, id, status, categories).
    List,
    /// Writes the account's flows to `kaleyra-flows/flows.json`, sorted by name, and each
    /// flow's Flow JSON, as the account has it, to `kaleyra-flows/<name>.json`.
    Pull,
    /// Creates the flow NAME if the account has none of that name, uploads
    /// `kaleyra-flows/NAME.json` to it when it differs from the account's (compared as JSON),
    /// prints Meta's validation errors (exit 1), publishes on `--publish`, then rewrites
    /// flows.json.
    Push {
        /// The flow's name (its file is `kaleyra-flows/NAME.json`).
        name: String,
        /// Publish it once uploaded without validation errors.
        #[arg(long)]
        publish: bool,
        /// The categories of a flow this creates (Meta's names, `SIGN_UP`,
        /// `APPOINTMENT_BOOKING`, …; repeat for several; default `OTHER`).
        #[arg(long = "category", value_name = "CATEGORY")]
        categories: Vec<String>,
    },
    /// Compares `kaleyra-flows/` with the account; exits 1 listing each difference (a flow
    /// missing on either side, a status or id changed, a Flow JSON that differs).
    Check,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ForPurpose {
    /// Meta's rules for publishing (the publishable versions).
    Publish,
    /// The rules for sending an already published flow (the sendable versions).
    Send,
}

/// The discovered `kaleyra-flows/`, or `./kaleyra-flows`.
fn flows_dir() -> Result<PathBuf, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    Ok(
        match flows::discover(&cwd, std::env::var_os(flows::ENV).as_deref()) {
            Discovery::File(path) => path,
            Discovery::NotFound | Discovery::Off => cwd.join(flows::DIR_NAME),
        },
    )
}

pub(crate) async fn run(command: Flows) -> Result<(), Failure> {
    match command {
        Flows::Validate { files, purpose } => validate(files, purpose),
        Flows::List => {
            let client = client()?;
            let listed = fetch(&client).await?;
            print!("{}", table(&listed));
            Ok(())
        }
        Flows::Pull => {
            let dir = flows_dir()?;
            let client = client()?;
            let listed = fetch(&client).await?;
            write_index(&dir, &listed)?;
            pull_files(&client, &dir, &listed).await?;
            // The derives that found no kaleyra-flows/ before check again on the next build.
            kaleyra_core::catalogue::touch_anchors(&dir.join(flows::INDEX_FILE));
            Ok(())
        }
        Flows::Push {
            name,
            publish,
            categories,
        } => push(&name, publish, &categories).await,
        Flows::Check => check().await,
    }
}

fn validate(files: Vec<PathBuf>, purpose: ForPurpose) -> Result<(), Failure> {
    let purpose = match purpose {
        ForPurpose::Publish => Purpose::Publish,
        ForPurpose::Send => Purpose::Send,
    };
    let files = if files.is_empty() {
        let dir = flows_dir()?;
        let names = match FlowsDir::load(&dir) {
            Ok(d) => d.files(),
            // No flows.json yet: the directory's files all the same.
            Err(_) => list_files(&dir),
        };
        if names.is_empty() {
            return Err(Failure::Error(format!(
                "no flow files (<name>.json) in {}",
                dir.display()
            )));
        }
        names
            .iter()
            .map(|n| dir.join(format!("{n}.json")))
            .collect()
    } else {
        files
    };
    let mut invalid = 0usize;
    for path in &files {
        let shown = path.file_name().map_or_else(
            || path.display().to_string(),
            |f| f.to_string_lossy().into_owned(),
        );
        let bytes = std::fs::read(path)
            .map_err(|e| Failure::Error(format!("cannot read {}: {e}", path.display())))?;
        let flow = match FlowJson::from_slice(&bytes) {
            Ok(flow) => flow,
            Err(e) => {
                println!("{shown}: {e}");
                invalid += 1;
                continue;
            }
        };
        for unchecked in flow.unchecked() {
            eprintln!(
                "{shown}: {}: component {:?} is not known to this version: not checked",
                unchecked.path, unchecked.component_type
            );
        }
        for v in flow.validate_for(purpose) {
            println!("{shown}: {v}");
            invalid += 1;
        }
    }
    if invalid == 0 {
        println!("{} flow file(s) valid", files.len());
        Ok(())
    } else {
        Err(Failure::Drift)
    }
}

/// The flow files of a directory that has no flows.json.
fn list_files(dir: &Path) -> Vec<String> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = read
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|f| f != flows::INDEX_FILE)
        .filter_map(|f| f.strip_suffix(".json").map(str::to_owned))
        .collect();
    names.sort();
    names
}

async fn fetch(client: &Client) -> Result<Vec<FlowDetails>, String> {
    client
        .list_flows(&FlowFields::default().with(flows::FlowField::JsonVersion))
        .await
        .map_err(|e| explain(&e, Some(client.base_url())))
}

/// A listed flow as flows.json records it (Kaleyra's flow object).
fn entry(flow: &FlowDetails) -> Value {
    json!({
        "id": flow.id,
        "name": flow.name,
        "status": flow.status.as_ref().map(|s| s.as_str().to_owned()),
        "categories": flow.categories.iter().map(|c| c.as_str().to_owned()).collect::<Vec<_>>(),
        "validation_errors": flow.validation_errors.iter().map(|e| e.to_json()).collect::<Vec<_>>(),
        "json_version": flow.json_version,
    })
}

/// The account's Flow JSON of `flow`, `None` when it has none yet.
async fn account_json(client: &Client, id: &str) -> Result<Option<Vec<u8>>, String> {
    client
        .flow_json(id)
        .await
        .map_err(|e| explain(&e, Some(client.base_url())))
}

/// Whether two Flow JSON documents say the same (compared as JSON values: formatting and the
/// order of members do not count, as they do not for Meta).
fn same_json(a: &[u8], b: &[u8]) -> bool {
    match (
        serde_json::from_slice::<Value>(a),
        serde_json::from_slice::<Value>(b),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// `pull`: each listed flow's Flow JSON written to `<name>.json`, as downloaded.
async fn pull_files(client: &Client, dir: &Path, listed: &[FlowDetails]) -> Result<(), Failure> {
    for flow in listed {
        let Some(name) = flow.name.as_deref() else {
            continue;
        };
        match account_json(client, &flow.id).await? {
            Some(json) => {
                let path = flows::write_flow(dir, name, &json).map_err(|e| {
                    format!(
                        "cannot write {}: {e}",
                        dir.join(format!("{name}.json")).display()
                    )
                })?;
                println!("wrote {}", path.display());
            }
            None => println!("{name} ({}) has no Flow JSON yet: no file written", flow.id),
        }
    }
    Ok(())
}

fn write_index(dir: &Path, listed: &[FlowDetails]) -> Result<(), Failure> {
    let entries: Vec<Value> = listed.iter().map(entry).collect();
    let path = flows::write_index(dir, &entries).map_err(|e| {
        format!(
            "cannot write {}: {e}",
            dir.join(flows::INDEX_FILE).display()
        )
    })?;
    println!("wrote {} flows to {}", entries.len(), path.display());
    Ok(())
}

fn table(listed: &[FlowDetails]) -> String {
    let mut rows: Vec<[String; 4]> = listed
        .iter()
        .map(|f| {
            [
                f.name.clone().unwrap_or_default(),
                f.id.clone(),
                f.status
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), |s| s.as_str().to_owned()),
                f.categories
                    .iter()
                    .map(|c| c.as_str().to_owned())
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    rows.sort();
    let headings = ["NAME", "ID", "STATUS", "CATEGORIES"].map(str::to_owned);
    let mut widths = headings.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&headings).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

async fn push(name: &str, publish: bool, categories: &[String]) -> Result<(), Failure> {
    let dir = flows_dir()?;
    let path = dir.join(format!("{name}.json"));
    let bytes = std::fs::read(&path)
        .map_err(|e| Failure::Error(format!("cannot read {}: {e}", path.display())))?;
    let client = client()?;
    let listed = fetch(&client).await?;
    let existing = listed.iter().find(|f| f.name.as_deref() == Some(name));
    let (id, status) = match existing {
        Some(f) => (f.id.clone(), f.status.clone()),
        None => {
            let categories: Vec<FlowCategory> = if categories.is_empty() {
                vec![FlowCategory::Other]
            } else {
                categories.iter().map(|c| FlowCategory::parse(c)).collect()
            };
            let new = NewFlow::new(name, categories).map_err(|e| explain(&e, None))?;
            let id = client
                .create_flow(&new)
                .await
                .map_err(|e| explain(&e, Some(client.base_url())))?;
            println!("created flow {name} ({})", id.as_str());
            (id.as_str().to_owned(), Some(flows::FlowStatus::Draft))
        }
    };
    let mut failed = false;
    let current = match existing {
        Some(_) => account_json(&client, &id).await?,
        None => None,
    };
    if current.as_deref().is_some_and(|c| same_json(c, &bytes)) {
        println!(
            "{} is the flow's Flow JSON already: not uploaded",
            path.display()
        );
    } else if status == Some(flows::FlowStatus::Draft) {
        let errors = client
            .upload_flow_json(id.as_str(), bytes)
            .await
            .map_err(|e| explain(&e, Some(client.base_url())))?;
        println!("uploaded {} to flow {name} ({id})", path.display());
        for e in &errors {
            let at = match (e.line_start, e.column_start) {
                (Some(l), Some(c)) => format!("{l}:{c}: "),
                _ => String::new(),
            };
            let path = e
                .pointers
                .first()
                .and_then(|p| p.path.clone())
                .map_or_else(String::new, |p| format!("{p}: "));
            println!("{name}.json:{at}{path}{} ({})", e.message, e.error);
        }
        failed = !errors.is_empty();
    } else {
        // Meta refuses a new Flow JSON for a flow that is not a draft (139001).
        println!(
            "flow {name} ({id}) is {}: its Flow JSON cannot change (not uploaded)",
            status.as_ref().map_or("-", |s| s.as_str())
        );
    }
    if publish && !failed {
        client
            .publish_flow(id.as_str())
            .await
            .map_err(|e| explain(&e, Some(client.base_url())))?;
        println!("published flow {name} ({id})");
    }
    let listed = fetch(&client).await?;
    write_index(&dir, &listed)?;
    if failed { Err(Failure::Drift) } else { Ok(()) }
}

async fn check() -> Result<(), Failure> {
    let dir = flows_dir()?;
    let local = FlowsDir::load(&dir)
        .map_err(|e| format!("{e}\n(`kaleyra flows pull` writes kaleyra-flows/flows.json)"))?;
    let client = client()?;
    let listed = fetch(&client).await?;
    let mut differences = Vec::new();
    for f in &listed {
        let name = f.name.clone().unwrap_or_default();
        match local.entry(&name) {
            None => differences.push(format!("+ {name}: on the account, not in flows.json")),
            Some(e) => {
                let status = f
                    .status
                    .clone()
                    .unwrap_or(flows::FlowStatus::Other(String::new()));
                if e.status != status {
                    differences.push(format!(
                        "~ {name}: status {} in flows.json, {} on the account",
                        e.status, status
                    ));
                }
                if e.id != f.id {
                    differences.push(format!(
                        "~ {name}: id {} in flows.json, {} on the account",
                        e.id, f.id
                    ));
                }
                let file = local.flow_path(&name).ok().filter(|p| p.is_file());
                if let Some(file) = file {
                    let mine = std::fs::read(&file).map_err(|e| {
                        Failure::Error(format!("cannot read {}: {e}", file.display()))
                    })?;
                    match account_json(&client, &f.id).await? {
                        Some(theirs) if same_json(&theirs, &mine) => {}
                        Some(_) => differences.push(format!(
                            "~ {name}: {name}.json differs from the account's Flow JSON \
                             (`kaleyra flows push {name}` uploads it to a draft, \
                             `kaleyra flows pull` takes the account's)"
                        )),
                        None => differences.push(format!(
                            "~ {name}: the account has no Flow JSON for it \
                             (`kaleyra flows push {name}`)"
                        )),
                    }
                }
            }
        }
    }
    for e in local.entries() {
        if !listed
            .iter()
            .any(|f| f.name.as_deref() == Some(e.name.as_str()))
        {
            differences.push(format!("- {}: in flows.json, not on the account", e.name));
        }
    }
    for file in local.files() {
        if local.entry(&file).is_none() {
            differences.push(format!(
                "- {file}: {file}.json has no flow on the account (`kaleyra flows push {file}`)"
            ));
        }
    }
    if differences.is_empty() {
        println!(
            "{} matches the account ({} flows)",
            dir.display(),
            listed.len()
        );
        return Ok(());
    }
    for d in &differences {
        println!("{d}");
    }
    println!(
        "{} difference(s) between {} and the account",
        differences.len(),
        dir.display()
    );
    Err(Failure::Drift)
}
