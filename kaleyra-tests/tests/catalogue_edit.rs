//! Editing `kaleyra-templates.json` rebuilds the structs checked against it: a crate that
//! compiles, a change to the approved template's body in the file alone (no source change), and
//! the next `cargo check` reports the new mismatch; restoring the file makes it compile again.
//! The derive emits `include_bytes!` of the file so that rustc records it as a dependency.
//!
//! The crate is built with the workspace's `Cargo.lock`, offline, in trybuild's target directory
//! (`target/tests/trybuild`), where the dependencies are usually built already.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

const MAIN: &str = r#"use kaleyra::Template;

#[derive(Template)]
#[template(name = "survey", kind = flow, lang = "en_US")]
struct Survey {
    #[template(body)]
    name: String,
}

fn main() {
    let _ = Survey { name: "Ada".into() }.to("+15550001234");
}
"#;

fn catalogue(body: &str) -> String {
    format!(
        r#"[{{"name": "survey", "language": "en_US", "status": "APPROVED", "category": "MARKETING",
  "components": [
    {{"type": "BODY", "text": "{body}"}},
    {{"type": "BUTTONS", "buttons": [{{"type": "FLOW", "text": "Start", "flow_id": "1"}}]}}
  ]
}}]
"#
    )
}

/// Writes the catalogue with a modification time clearly after any build so far, whatever the
/// file system's time resolution.
fn write_catalogue(path: &Path, body: &str) -> std::io::Result<()> {
    std::fs::write(path, catalogue(body))?;
    let file = std::fs::File::options().write(true).open(path)?;
    file.set_modified(SystemTime::now() + Duration::from_secs(2))
}

fn check(dir: &Path, target: &Path) -> std::io::Result<Output> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--color", "never"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("KALEYRA_TEMPLATES")
        .env_remove("RUSTFLAGS")
        .output()
}

#[test]
fn editing_the_catalogue_rebuilds_the_structs() -> Result<(), Box<dyn std::error::Error>> {
    // The workspace root: the `kaleyra` package and the workspace's Cargo.lock.
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let target = tmp
        .parent()
        .map_or_else(|| root.join("target"), Path::to_path_buf)
        .join("tests")
        .join("trybuild");
    let dir = tmp.join("catalogue-edit");
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"catalogue-edit\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
             publish = false\n\n[dependencies]\nkaleyra = {{ path = {:?}, default-features = false }}\n\n\
             [workspace]\n",
            root.display().to_string()
        ),
    )?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    std::fs::write(dir.join("src/main.rs"), MAIN)?;
    let file = dir.join("kaleyra-templates.json");

    write_catalogue(&file, "Hi {{1}}, tell us how we did.")?;
    let first = check(&dir, &target)?;
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );

    // Only the file changes: the next build reports the mismatch.
    write_catalogue(&file, "Hi {{1}}, how was order {{2}}?")?;
    let second = check(&dir, &target)?;
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(!second.status.success(), "the edit was not noticed");
    assert!(
        stderr.contains(
            "template `survey` (en_US) has 2 body parameters (\"Hi {{1}}, how was order \
             {{2}}?\"); this struct declares 1"
        ),
        "{stderr}"
    );

    write_catalogue(&file, "Hi {{1}}, tell us how we did.")?;
    let third = check(&dir, &target)?;
    assert!(
        third.status.success(),
        "{}",
        String::from_utf8_lossy(&third.stderr)
    );
    Ok(())
}
