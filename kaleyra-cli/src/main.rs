//! `kaleyra`: the approved WhatsApp templates of a Kaleyra account, for `#[derive(Template)]`'s
//! compile-time check.
//!
//! ```text
//! kaleyra templates pull [--out PATH]    write kaleyra-templates.json from the account
//! kaleyra templates check [--file PATH]  compare the file with the account (exit 1 on drift)
//! kaleyra templates list                 the account's templates as a table
//! kaleyra templates push [--dry-run] [--prune --yes]
//!                                        make the account match the file: create, edit (and,
//!                                        with --prune, delete) templates
//! kaleyra flows validate [FILE…] [--for send|publish]
//!                                        check flow files against Meta's rules (exit 1)
//! kaleyra flows list | pull | push NAME [--publish] | check
//!                                        the account's flows and kaleyra-flows/
//! ```
//!
//! Configured by the environment `Client::from_env` reads: `KALEYRA_SID`, `KALEYRA_API_KEY`,
//! `KALEYRA_WABA_ID`, and `KALEYRA_BASE_URL` or `KALEYRA_REGION` (default: India). The file is
//! `KALEYRA_TEMPLATES` if it names one, else the nearest `kaleyra-templates.json` from the current
//! directory upward, else `./kaleyra-templates.json` — the file the derive finds.
//!
//! Exit status: 0 success; 1 `check` found differences (or a flow violation), or `push` found
//! an invalid entry or a change WhatsApp refuses (nothing sent), or stopped before the end of
//! its plan; 2 an error (printed on stderr), or `templates push --prune` without `--yes`
//! (nothing sent).

mod diff;
mod flows;
mod push;
mod table;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kaleyra_core::catalogue::{self, Catalogue, Discovery, TemplateDefinition};
use kaleyra_core::{ApiErrorKind, Client, Error};

/// The approved WhatsApp templates of a Kaleyra account.
#[derive(Parser)]
#[command(
    name = "kaleyra",
    version,
    after_help = "Environment: KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_WABA_ID, and KALEYRA_BASE_URL \
                  or KALEYRA_REGION (in, sg, eu, na; default in). KALEYRA_TEMPLATES names the \
                  catalogue file."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The account's message templates, and the catalogue file `#[derive(Template)]` checks
    /// structs against.
    #[command(subcommand)]
    Templates(Templates),
    /// The committed flows (`kaleyra-flows/`): validate them against Meta's Flow JSON rules,
    /// list, pull, push and check the account's flows.
    #[command(subcommand)]
    Flows(flows::Flows),
}

#[derive(Subcommand)]
enum Templates {
    /// Writes the account's templates (as Kaleyra returns them, sorted by name then language,
    /// pretty-printed) to the catalogue file.
    Pull {
        /// Where to write (default: the catalogue file the derive finds, or
        /// ./kaleyra-templates.json).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Compares the catalogue file with the account; exits 1 and lists each difference (added,
    /// removed, status changed, text changed).
    Check {
        /// The catalogue file (default: the one the derive finds).
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
    },
    /// Prints the account's templates as a table.
    List,
    /// Makes the account match the catalogue file: prints a plan, one line per template
    /// (`+ create`, `~ edit: what`, `- delete`, `= unchanged`, `! refused: why`), makes the
    /// calls, then rewrites the file as `pull` does. Entries are checked with WhatsApp's
    /// creation rules first; an invalid entry or a refused change stops it before any call.
    Push {
        /// The catalogue file (default: the one the derive finds).
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
        /// Print the plan and send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Also delete the account's templates that the file does not have (needs --yes).
        #[arg(long)]
        prune: bool,
        /// Confirm --prune.
        #[arg(long)]
        yes: bool,
    },
}

/// Why a command did not succeed.
enum Failure {
    /// `check` found differences (already listed).
    Drift,
    /// `push`: an entry breaks WhatsApp's creation rules (already listed); nothing sent.
    Invalid,
    /// `push`: WhatsApp would refuse a change of the plan (already listed); nothing sent.
    Refused,
    /// `push --prune` without `--yes`: nothing sent.
    Unconfirmed,
    /// `push` stopped before the end of its plan (already said why); the file was refreshed.
    Incomplete,
    /// Anything else, explained.
    Error(String),
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Error(message)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Drift | Failure::Invalid | Failure::Refused | Failure::Incomplete) => {
            ExitCode::from(1)
        }
        Err(Failure::Unconfirmed) => ExitCode::from(2),
        Err(Failure::Error(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

async fn run(command: Command) -> Result<(), Failure> {
    let command = match command {
        Command::Templates(command) => command,
        Command::Flows(command) => return flows::run(command).await,
    };
    match command {
        Templates::Pull { out } => {
            let path = out.map_or_else(default_file, Ok)?;
            let client = client()?;
            let templates = fetch(&client).await?;
            pull(&path, templates)
        }
        Templates::Check { file } => {
            let path = file.map_or_else(default_file, Ok)?;
            let shown = path.display().to_string();
            let local = Catalogue::load(&path).map_err(|e| match e.line() {
                Some(_) => e.to_string(),
                None => format!("{e}\n(`kaleyra templates pull` writes the catalogue file)"),
            })?;
            let client = client()?;
            let account = Catalogue::new(fetch(&client).await?, "the account");
            let differences = diff::differences(&local, &account);
            if differences.is_empty() {
                println!("{shown} matches the account ({} templates)", account.len());
                return Ok(());
            }
            for d in &differences {
                println!("{d}");
            }
            println!(
                "{} difference{} between {shown} and the account: run `kaleyra templates pull` \
                 to update the file, then rebuild to check the structs against it",
                differences.len(),
                if differences.len() == 1 { "" } else { "s" }
            );
            Err(Failure::Drift)
        }
        Templates::Push {
            file,
            dry_run,
            prune,
            yes,
        } => {
            let path = file.map_or_else(default_file, Ok)?;
            push::push(
                &path,
                push::Options {
                    dry_run,
                    prune,
                    yes,
                },
            )
            .await
        }
        Templates::List => {
            let client = client()?;
            let templates = fetch(&client).await?;
            print!("{}", table::render(&templates));
            Ok(())
        }
    }
}

/// The catalogue file the derive would find from here, or `./kaleyra-templates.json`.
fn default_file() -> Result<PathBuf, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    Ok(
        match catalogue::discover(&cwd, std::env::var_os(catalogue::ENV).as_deref()) {
            Discovery::File(path) => path,
            Discovery::NotFound | Discovery::Off => cwd.join(catalogue::FILE_NAME),
        },
    )
}

/// The variables a template command needs, and what each is.
const REQUIRED: [(&str, &str); 3] = [
    ("KALEYRA_SID", "the account SID"),
    ("KALEYRA_API_KEY", "the API key"),
    (
        "KALEYRA_WABA_ID",
        "the WhatsApp Business Account id whose templates to read",
    ),
];

const ENVIRONMENT: &str = "KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_WABA_ID, and KALEYRA_BASE_URL or \
                           KALEYRA_REGION (in, sg, eu, na; default in)";

fn client() -> Result<Client, String> {
    let missing: Vec<&(&str, &str)> = REQUIRED
        .iter()
        .filter(|(name, _)| std::env::var_os(name).is_none_or(|v| v.is_empty()))
        .collect();
    if !missing.is_empty() {
        let mut message = String::from("missing environment variables:");
        for (name, what) in missing {
            let _ = write!(message, "\n  {name}: {what}");
        }
        let _ = write!(
            message,
            "\n(the variables Client::from_env reads: {ENVIRONMENT}; `cargo run --example \
             mock_server` prints a set for the simulator)"
        );
        return Err(message);
    }
    Client::from_env().map_err(|e| explain(&e, None))
}

async fn fetch(client: &Client) -> Result<Vec<TemplateDefinition>, String> {
    client
        .templates()
        .await
        .map_err(|e| explain(&e, Some(client.base_url())))
}

/// An error, with what to do about it.
fn explain(e: &Error, base: Option<&str>) -> String {
    match e {
        Error::Api(api) => {
            let advice = match api.kind() {
                ApiErrorKind::Unauthorized => "check KALEYRA_SID and KALEYRA_API_KEY",
                ApiErrorKind::SenderNotOnAccount | ApiErrorKind::NotAvailable => {
                    "check KALEYRA_WABA_ID: the WhatsApp Business Account must be onboarded on \
                     Kaleyra's WhatsApp API v2 for this SID"
                }
                ApiErrorKind::RateLimited => {
                    "Kaleyra limits the template API per WABA: try again in a few minutes"
                }
                ApiErrorKind::TemplateRateLimited => {
                    "Kaleyra allows 100 template calls per WABA per hour: push again in an hour"
                }
                ApiErrorKind::TemplateExists => {
                    "a template of that name already exists in that language: pull the catalogue \
                     and edit it instead"
                }
                ApiErrorKind::ServerError => "Kaleyra failed: try again later",
                ApiErrorKind::BadPayload => "Kaleyra refused the request",
                _ => "see Kaleyra's template API error codes",
            };
            let code = if api.code().is_empty() {
                String::new()
            } else {
                format!(" {}", api.code())
            };
            let message = if api.message().is_empty() {
                String::new()
            } else {
                format!(" ({})", api.message())
            };
            format!(
                "Kaleyra answered HTTP {}{code}{message}: {advice}",
                api.status()
            )
        }
        Error::Transport(t) => format!(
            "could not reach Kaleyra at {}: {t} (check KALEYRA_BASE_URL or KALEYRA_REGION)",
            base.unwrap_or("the configured URL")
        ),
        Error::Decode(d) => format!("unexpected answer from {}: {d}", base.unwrap_or("Kaleyra")),
        Error::Config(c) => format!("{c} (the environment: {ENVIRONMENT})"),
        other => other.to_string(),
    }
}

/// Writes the catalogue file (through a temporary file, so that a failure leaves the old one).
fn pull(path: &Path, templates: Vec<TemplateDefinition>) -> Result<(), Failure> {
    let shown = path.display().to_string();
    let catalogue = Catalogue::new(templates, shown.clone());
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, catalogue.to_json_pretty())
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|e| format!("cannot write {shown}: {e}"))?;
    // A crate built before the file existed (or before this version of it) must be checked
    // again by the next `cargo build`: the derive tracks these manifests (RULES.md, issue 18).
    catalogue::touch_anchors(path);
    let mut statuses: Vec<(String, usize)> = Vec::new();
    for t in catalogue.iter() {
        let status = t.status().to_string();
        match statuses.iter_mut().find(|(s, _)| *s == status) {
            Some((_, n)) => *n += 1,
            None => statuses.push((status, 1)),
        }
    }
    let summary = statuses
        .iter()
        .map(|(s, n)| format!("{n} {s}"))
        .collect::<Vec<_>>()
        .join(", ");
    println!(
        "wrote {} templates to {shown}{}",
        catalogue.len(),
        if summary.is_empty() {
            String::new()
        } else {
            format!(" ({summary})")
        }
    );
    Ok(())
}
