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
    /// Writes the account's flows to `kaleyra-flows/flows.json`, sorted by name.
    Pull,
    /// Creates the flow NAME if the account has none of that name, uploads
    /// `kaleyra-flows/NAME.json` to it, prints Meta's validation errors (exit 1), publishes on
    /// `--publish`, then rewrites flows.json.
    Push {
        /// The flow's name (its file is `kaleyra-flows/NAME.json`).
        name: String,
        /// Publish it once uploaded without validation errors.
        #[arg(long)]
        publish: bool,
    },
    /// Compares `kaleyra-flows/` with the account; exits 1 listing each difference (a flow
    /// missing on either side, a status changed).
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
            write_index(&dir, &listed)
        }
        Flows::Push { name, publish } => push(&name, publish).await,
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
        .list_flows(&FlowFields::default())
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
    })
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

async fn push(name: &str, publish: bool) -> Result<(), Failure> {
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
            let new = NewFlow::new(name, [FlowCategory::Other]).map_err(|e| explain(&e, None))?;
            let id = client
                .create_flow(&new)
                .await
                .map_err(|e| explain(&e, Some(client.base_url())))?;
            println!("created flow {name} ({})", id.as_str());
            (id.as_str().to_owned(), Some(flows::FlowStatus::Draft))
        }
    };
    let mut failed = false;
    if status == Some(flows::FlowStatus::Draft) {
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
