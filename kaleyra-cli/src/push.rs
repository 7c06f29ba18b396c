//! `kaleyra templates push`: the catalogue file as the desired state (issue 19).
//!
//! The order is what makes it safe: the file is read and every entry written by hand (no
//! `status` yet) is checked with WhatsApp's creation rules before any request; then the account
//! is read, the plan made, and the entries it creates or edits checked too (a pulled
//! template's media example stays a URL, so unchanged entries are not held to the creation
//! rules); an invalid entry or a refused change ends the run before any call that changes
//! anything.

use std::path::Path;

use kaleyra_core::catalogue::{self, Catalogue, PlanStep, Status, TemplateDefinition};
use kaleyra_core::manage::Stopped;

use crate::{Failure, explain, fetch, pull};

/// What `push` was asked to do.
pub struct Options {
    /// Print the plan, send nothing.
    pub dry_run: bool,
    /// Delete the account's templates that the file does not have.
    pub prune: bool,
    /// Confirms `prune`.
    pub yes: bool,
}

/// Runs `kaleyra templates push`.
pub async fn push(path: &Path, options: Options) -> Result<(), Failure> {
    let shown = path.display().to_string();
    let local = Catalogue::load(path).map_err(|e| match e.line() {
        Some(_) => e.to_string(),
        None => format!("{e}\n(`kaleyra templates pull` writes the catalogue file)"),
    })?;

    // Entries written by hand are new: checked before anything is asked of Kaleyra.
    report_invalid(&shown, local.iter().filter(|t| *t.status() == Status::New))?;

    let client = crate::client()?;
    let account = Catalogue::new(fetch(&client).await?, "the account");
    let plan = catalogue::plan(&local, &account, options.prune);
    let changed = plan.steps().iter().filter_map(|s| match s {
        PlanStep::Create { template } | PlanStep::Edit { template, .. }
            if *template.status() != Status::New =>
        {
            Some(template)
        }
        _ => None,
    });
    report_invalid(&shown, changed)?;

    print!("{plan}");
    if plan.is_refused() {
        println!("WhatsApp would refuse the changes marked `!`: nothing was sent");
        return Err(Failure::Refused);
    }
    if options.dry_run {
        println!(
            "dry run: nothing was sent ({} call{} planned)",
            plan.calls(),
            if plan.calls() == 1 { "" } else { "s" }
        );
        return Ok(());
    }
    if options.prune && !options.yes {
        println!(
            "--prune deletes the templates marked `-` from the account: run again with --yes \
             to go ahead (nothing was sent)"
        );
        return Err(Failure::Unconfirmed);
    }
    if plan.calls() == 0 {
        println!("{shown} and the account agree: nothing to do");
        return Ok(());
    }

    let applied = client.apply_plan(&plan).await;
    for done in &applied.done {
        println!("{done}");
    }
    // The file then records the account as it now is (ids, statuses), as `pull` writes it, so
    // that the next push plans from there; a step not made keeps the file's wish (its entry,
    // or its absence), so that nothing asked for is lost when a run stops early.
    let mut refreshed = Catalogue::new(fetch(&client).await?, shown.clone());
    let made: Vec<(&str, &str)> = applied
        .done
        .iter()
        .map(|d| (d.name(), d.language()))
        .collect();
    for step in plan.steps() {
        if made.contains(&(step.name(), step.language())) {
            continue;
        }
        match step {
            PlanStep::Create { template } | PlanStep::Edit { template, .. } => {
                refreshed.insert(template.clone());
            }
            PlanStep::Delete { name, language, .. } => {
                refreshed.remove(name, language);
            }
            _ => {}
        }
    }
    pull(path, refreshed.iter().cloned().collect())?;
    match applied.stopped {
        None => Ok(()),
        Some(Stopped::Failed {
            name,
            language,
            error,
        }) => {
            println!(
                "stopped at {name} ({language}): {}",
                explain(&error, Some(client.base_url()))
            );
            Err(Failure::Incomplete)
        }
        Some(other) => {
            println!("{other}");
            Err(Failure::Incomplete)
        }
    }
}

/// Prints each creation-rule violation (`FILE: NAME (LANG): member: message`); fails when any.
fn report_invalid<'a>(
    shown: &str,
    templates: impl Iterator<Item = &'a TemplateDefinition>,
) -> Result<(), Failure> {
    let mut invalid = 0;
    for template in templates {
        for violation in template.validate() {
            println!("{shown}: {violation}");
            invalid += 1;
        }
    }
    if invalid == 0 {
        return Ok(());
    }
    println!(
        "{invalid} problem{} in {shown}: WhatsApp's review would reject {}; nothing was sent",
        if invalid == 1 { "" } else { "s" },
        if invalid == 1 { "it" } else { "them" }
    );
    Err(Failure::Invalid)
}
