//! Issue 16, flows checked at compile time with no stale green build: editing a committed flow
//! file, or `flows.json`, makes the next `cargo build` check the structs again, without the
//! source being touched (the derive tracks what it read, as for the catalogue: RULES.md,
//! "Flows checked at compile time").
//!
//! One tiny crate in `target/tmp/flows_rebuild/` (its own workspace, with a `kaleyra-flows/`),
//! depending on this package by path without default features, checked with
//! `cargo check --offline` in the target directory `tests/catalogue_rebuild.rs` uses, so that
//! the two share their dependencies.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MAIN: &str = r#"use kaleyra::{Flow, FlowResponse};

#[derive(Flow)]
#[flow(name = "booking", cta = "Book now", screen = "BOOKING", body = "Pick a date")]
#[allow(dead_code)]
struct Booking {
    #[flow(token)]
    token: String,
    venue: String,
    guests: u32,
}

#[derive(FlowResponse)]
#[flow_response(flow = "booking")]
#[allow(dead_code)]
struct Reply {
    date: String,
}

fn main() {}
"#;

fn probe() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("flows_rebuild");
    let crate_dir = dir.join("probe");
    std::fs::create_dir_all(crate_dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"flows-rebuild-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n[dependencies]\nkaleyra = {{ path = {:?}, default-features = false }}\n\n\
         # Its own workspace: discovery stops here.\n[workspace]\n",
        env!("CARGO_MANIFEST_DIR")
    );
    write_if_changed(&crate_dir.join("Cargo.toml"), &manifest);
    write_if_changed(&crate_dir.join("src/main.rs"), MAIN);
    let lock =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    write_if_changed(&crate_dir.join("Cargo.lock"), &lock);
    crate_dir
}

fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap();
    }
}

fn check(crate_dir: &Path) -> (bool, String) {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("catalogue_rebuild/target");
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(crate_dir)
        .args(["check", "--offline", "--quiet", "--color=never"])
        .env("CARGO_TARGET_DIR", target)
        .env("KALEYRA_TEMPLATES", "off")
        .env_remove("KALEYRA_FLOWS")
        .env_remove("RUSTFLAGS");
    let Output { status, stderr, .. } = cmd.output().unwrap();
    (
        status.success(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

#[test]
fn editing_a_flow_file_or_the_index_checks_again() {
    let dir = probe();
    let flows = dir.join(kaleyra::flows::DIR_NAME);
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join(kaleyra::flows::DIR_NAME);
    let booking = std::fs::read_to_string(committed.join("booking.json")).unwrap();
    let index = std::fs::read_to_string(committed.join(kaleyra::flows::INDEX_FILE)).unwrap();
    std::fs::create_dir_all(&flows).unwrap();
    std::fs::write(flows.join("booking.json"), &booking).unwrap();
    std::fs::write(flows.join(kaleyra::flows::INDEX_FILE), &index).unwrap();

    let (ok, stderr) = check(&dir);
    assert!(ok, "{stderr}");

    // The flow file edited so that Meta would reject it: the next build fails.
    let invalid = booking.replace(
        "\"label\": \"Notes\"",
        "\"label\": \"Anything we should know\"",
    );
    assert_ne!(invalid, booking);
    std::fs::write(flows.join("booking.json"), &invalid).unwrap();
    let (ok, stderr) = check(&dir);
    assert!(
        !ok,
        "the build after the flow file changed did not check it:\n{stderr}"
    );
    assert!(stderr.contains("at most 20 characters"), "{stderr}");

    // Restored: green again.
    std::fs::write(flows.join("booking.json"), &booking).unwrap();
    let (ok, stderr) = check(&dir);
    assert!(ok, "{stderr}");

    // flows.json edited (the flow deprecated): the next build fails.
    std::fs::write(
        flows.join(kaleyra::flows::INDEX_FILE),
        index.replace("PUBLISHED", "DEPRECATED"),
    )
    .unwrap();
    let (ok, stderr) = check(&dir);
    assert!(
        !ok,
        "the build after flows.json changed did not check it:\n{stderr}"
    );
    assert!(stderr.contains("is DEPRECATED"), "{stderr}");

    std::fs::write(flows.join(kaleyra::flows::INDEX_FILE), &index).unwrap();
    let (ok, stderr) = check(&dir);
    assert!(ok, "{stderr}");
}
