//! Issue 16, flows checked at compile time with no stale green build: editing a committed flow
//! file, or `flows.json`, makes the next `cargo build` check the structs again, without the
//! source being touched (the derive tracks what it read, as for the catalogue: RULES.md,
//! "Flows checked at compile time").
//!
//! One tiny crate in `target/tmp/flows_rebuild/` (tests/probe/mod.rs), with a `kaleyra-flows/`.

use std::path::Path;

mod probe;

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

/// `cargo check` of the probe, the template catalogue off, `KALEYRA_FLOWS` unset (the probe's
/// own `kaleyra-flows/` is found).
fn check(crate_dir: &Path) -> (bool, String) {
    probe::check(
        crate_dir,
        &[("KALEYRA_TEMPLATES", Some("off")), ("KALEYRA_FLOWS", None)],
    )
}

#[test]
fn editing_a_flow_file_or_the_index_checks_again() {
    let dir = probe::probe("flows_rebuild", MAIN);
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
