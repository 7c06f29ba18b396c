//! Issue 18, "a stale green build": the derive's catalogue check runs again on the next
//! `cargo build` after the catalogue file appears (written the way `kaleyra templates pull`
//! writes it) or after `KALEYRA_TEMPLATES` changes, without the source being touched.
//!
//! One tiny crate in `target/tmp/catalogue_rebuild/` (tests/probe/mod.rs).

use std::path::Path;

mod probe;

/// The probe: a general template with one body parameter.
const MAIN: &str = r#"use kaleyra::prelude::*;

#[derive(Template)]
#[template(name = "order_shipped", lang = "en_US")]
#[allow(dead_code)]
struct OrderShipped {
    #[template(body)]
    name: String,
}

fn main() {}
"#;

/// An approved `order_shipped` with three body parameters: the probe does not match it.
const CATALOGUE: &str = r#"[{"name": "order_shipped", "language": "en_US", "status": "APPROVED",
  "category": "UTILITY",
  "components": [{"type": "BODY", "text": "Hi {{1}}, your order {{2}} ships on {{3}}."}]}]"#;

/// What the build says when it checked the struct against `CATALOGUE`.
const MISMATCH: &str = "has 3 body parameters";

/// What the warning without a catalogue says.
const NO_CATALOGUE: &str = "only the format rules were checked";

/// `cargo check` of the probe, with `KALEYRA_TEMPLATES` set to `env` (or unset).
fn check(crate_dir: &Path, env: Option<&str>) -> (bool, String) {
    probe::check(crate_dir, &[("KALEYRA_TEMPLATES", env)])
}

#[test]
fn the_check_runs_again_when_the_catalogue_or_the_variable_changes() {
    let dir = probe::probe("catalogue_rebuild", MAIN);
    let file = dir.join(kaleyra::catalogue::FILE_NAME);
    let _ = std::fs::remove_file(&file);

    // No catalogue: the struct compiles, with a warning that says what to run.
    let (ok, stderr) = check(&dir, None);
    assert!(ok, "{stderr}");
    assert!(stderr.contains(NO_CATALOGUE), "{stderr}");
    assert!(stderr.contains("kaleyra templates pull"), "{stderr}");
    assert!(stderr.contains("KALEYRA_TEMPLATES"), "{stderr}");

    // The file written as `kaleyra templates pull` writes it: the next build checks again.
    std::fs::write(&file, CATALOGUE).unwrap();
    kaleyra::catalogue::touch_anchors(&file);
    let (ok, stderr) = check(&dir, None);
    assert!(
        !ok,
        "the build after the catalogue appeared did not check it:\n{stderr}"
    );
    assert!(stderr.contains(MISMATCH), "{stderr}");

    // Off: no check, and no warning (an explicit opt-out).
    let (ok, stderr) = check(&dir, Some("off"));
    assert!(ok, "{stderr}");
    assert!(!stderr.contains(NO_CATALOGUE), "{stderr}");

    // Unset again: the next build checks again.
    let (ok, stderr) = check(&dir, None);
    assert!(
        !ok,
        "the build after KALEYRA_TEMPLATES was unset did not check:\n{stderr}"
    );
    assert!(stderr.contains(MISMATCH), "{stderr}");

    // The variable naming the file, after a green build without it.
    std::fs::remove_file(&file).unwrap();
    let (ok, stderr) = check(&dir, None);
    assert!(ok, "{stderr}");
    let elsewhere = dir.parent().unwrap().join("elsewhere.json");
    std::fs::write(&elsewhere, CATALOGUE).unwrap();
    let (ok, stderr) = check(&dir, Some(&elsewhere.to_string_lossy()));
    assert!(
        !ok,
        "the build with KALEYRA_TEMPLATES set did not check:\n{stderr}"
    );
    assert!(stderr.contains(MISMATCH), "{stderr}");
}
