//! Compile-time checks, the trybuild way: `tests/ui/<mistake>.rs` must fail to compile with the
//! accepted `tests/ui/<mistake>.stderr`; `tests/ui/pass/*.rs` must compile and run.
//! Regenerate with `TRYBUILD=overwrite cargo test -p kaleyra-tests --test ui` and read every changed `.stderr`.
//!
//! trybuild builds its cases in a crate of its own (its own workspace root, so discovery finds no
//! file there: the format rules only, with the no-catalogue warning). Each group of cases says
//! which catalogue it is built with, through `KALEYRA_TEMPLATES` (the child `cargo` inherits this
//! process's environment); a fixture is named by its absolute path, which the derive's messages
//! repeat as written and trybuild shows as `$DIR/…`, wherever the target directory is:
//!
//! - `tests/ui/*.rs`, `tests/ui/pass/`, `tests/ui/catalogue/off/`: `off`, the format rules only;
//! - `tests/ui/catalogue/*.rs` and `tests/ui/catalogue/pass/`: the fixture catalogue
//!   `tests/ui/catalogue/templates.json`, one mismatch per case;
//! - `tests/ui/catalogue/broken/`: a catalogue file that is not JSON, not a catalogue, missing;
//! - `tests/ui/flows/`: `KALEYRA_FLOWS` set to the fixture `tests/ui/flows/fixture/` (the
//!   committed flows), its own test `ui_flows`;
//! - `tests/ui/interactive/*.rs` and `tests/ui/interactive/pass/`: `off` (no template involved),
//!   `#[derive(Buttons)]` and `#[derive(Menu)]` (issue 15), their own test `ui_interactive`, so
//!   that `cargo test -p kaleyra-tests --test ui -- ui_interactive` runs them alone.

/// The groups set `KALEYRA_TEMPLATES` for the child cargo one at a time.
static ENVIRONMENT: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Builds the cases `add` registers with `KALEYRA_TEMPLATES=setting` (cases are built when the
/// `TestCases` drops).
fn with_catalogue(setting: &str, add: impl FnOnce(&trybuild::TestCases)) {
    // A panic in another group (a failed case) leaves the lock poisoned but the variable whole.
    let _held = ENVIRONMENT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // SAFETY: every test of this binary changes and reads the environment only while it holds
    // `ENVIRONMENT`, and no other thread of the binary reads it.
    unsafe { std::env::set_var("KALEYRA_TEMPLATES", setting) };
    let t = trybuild::TestCases::new();
    add(&t);
}

fn fixture(file: &str) -> String {
    format!("{}/tests/ui/catalogue/{file}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn ui() {
    with_catalogue("off", |t| {
        t.compile_fail("tests/ui/*.rs");
        t.pass("tests/ui/pass/*.rs");
        t.pass("tests/ui/catalogue/off/*.rs");
    });
    with_catalogue(&fixture("templates.json"), |t| {
        t.compile_fail("tests/ui/catalogue/*.rs");
        t.pass("tests/ui/catalogue/pass/*.rs");
    });
    for (case, file) in [
        ("catalogue_file_not_json", "broken/not-json.json"),
        (
            "catalogue_file_not_a_catalogue",
            "broken/not-a-catalogue.json",
        ),
        ("catalogue_file_missing", "broken/missing.json"),
    ] {
        with_catalogue(&fixture(file), |t| {
            t.compile_fail(format!("tests/ui/catalogue/broken/{case}.rs"));
        });
    }
}

fn flows_fixture(dir: &str) -> String {
    format!("{}/tests/ui/flows/{dir}", env!("CARGO_MANIFEST_DIR"))
}

/// Builds the cases `add` registers with `KALEYRA_FLOWS=setting` (and no template catalogue),
/// then unsets it for the other groups.
fn with_flows(setting: &str, add: impl FnOnce(&trybuild::TestCases)) {
    let _held = ENVIRONMENT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // SAFETY: as in `with_catalogue`.
    unsafe {
        std::env::set_var("KALEYRA_TEMPLATES", "off");
        std::env::set_var("KALEYRA_FLOWS", setting);
    }
    let t = trybuild::TestCases::new();
    add(&t);
    drop(t);
    // SAFETY: as above.
    unsafe { std::env::remove_var("KALEYRA_FLOWS") };
}

/// `#[flow(name = …)]` and `#[flow_response(flow = …)]` against the committed flows (issue 16):
/// `tests/ui/flows/*.rs` and `pass/` with the fixture `tests/ui/flows/fixture/`, one mistake
/// per case; `bad_index/` with a `flows.json` that is not JSON.
#[test]
fn ui_flows() {
    with_flows(&flows_fixture("fixture"), |t| {
        t.compile_fail("tests/ui/flows/*.rs");
        t.pass("tests/ui/flows/pass/*.rs");
    });
    with_flows(&flows_fixture("bad_index/fixture"), |t| {
        t.compile_fail("tests/ui/flows/bad_index/*.rs");
    });
}

#[test]
fn ui_interactive() {
    with_catalogue("off", |t| {
        t.compile_fail("tests/ui/interactive/*.rs");
        t.pass("tests/ui/interactive/pass/*.rs");
    });
}
