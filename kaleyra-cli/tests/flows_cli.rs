//! `kaleyra flows …` against the simulator: validate's lines and exit codes, list's table,
//! pull's flows.json, push (create, upload, Meta's validation errors, publish), check's drift.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kaleyra_core::mock::MockServer;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const BOOKING: &str = include_str!("../../kaleyra-flows/booking.json");

fn env_of(server: &MockServer) -> Vec<(String, String)> {
    server
        .env_line()
        .split(' ')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.trim_matches('\'').to_owned()))
        .collect()
}

async fn kaleyra(dir: &Path, env: Vec<(String, String)>, args: &[&str]) -> Output {
    let dir = dir.to_path_buf();
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let run = tokio::task::spawn_blocking(move || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kaleyra"));
        command.args(&args).current_dir(&dir);
        for (name, _) in std::env::vars() {
            if name.starts_with("KALEYRA_") {
                command.env_remove(name);
            }
        }
        command.envs(env).output()
    });
    match run.await {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => panic!("cannot run kaleyra: {e}"),
        Err(e) => panic!("{e}"),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh directory with `kaleyra-flows/` holding `files`, outside the workspace.
fn scratch(name: &str, files: &[(&str, &str)]) -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("kaleyra-flows-cli-{name}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(dir.join("kaleyra-flows"))?;
    for (file, content) in files {
        std::fs::write(dir.join("kaleyra-flows").join(file), content)?;
    }
    Ok(dir)
}

fn too_long() -> String {
    // The TextInput label "Notes" made 27 characters (TextInput's label allows 20).
    BOOKING.replace(
        "\"label\": \"Notes\"",
        "\"label\": \"Notes for the kitchen staff\"",
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_prints_each_violation_and_exits_1() -> TestResult {
    let dir = scratch(
        "validate",
        &[("booking.json", &too_long()), ("ok.json", BOOKING)],
    )?;
    let out = kaleyra(&dir, Vec::new(), &["flows", "validate"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "booking.json: screens[0].layout.children[2].label: at most 20 characters, found 27\n"
    );
    // Named files; a valid one exits 0.
    let ok = dir.join("kaleyra-flows/ok.json");
    let out = kaleyra(
        &dir,
        Vec::new(),
        &["flows", "validate", &ok.to_string_lossy()],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout), "1 flow file(s) valid\n");
    // --for send accepts a version Meta only sends (4.0); publish does not.
    let old = dir.join("kaleyra-flows/old.json");
    std::fs::write(
        &old,
        BOOKING.replace("\"version\": \"7.3\"", "\"version\": \"4.0\""),
    )?;
    let old = old.to_string_lossy().into_owned();
    let out = kaleyra(&dir, Vec::new(), &["flows", "validate", &old]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).starts_with("old.json: version: "),
        "{}",
        text(&out.stdout)
    );
    let out = kaleyra(
        &dir,
        Vec::new(),
        &["flows", "validate", "--for", "send", &old],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // A file that cannot be read: 2.
    let out = kaleyra(&dir, Vec::new(), &["flows", "validate", "missing.json"]).await;
    assert_eq!(out.status.code(), Some(2));
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_component_is_reported_on_stderr_not_as_an_error() -> TestResult {
    let unknown = BOOKING.replacen(
        "{\n            \"type\": \"TextBody\",",
        "{\"type\": \"FancyCarousel\"},\n          {\n            \"type\": \"TextBody\",",
        1,
    );
    assert_ne!(unknown, BOOKING);
    let dir = scratch("unknown", &[("booking.json", &unknown)])?;
    let out = kaleyra(&dir, Vec::new(), &["flows", "validate"]).await;
    assert!(
        text(&out.stderr).contains("\"FancyCarousel\""),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("not checked"));
    assert!(
        !text(&out.stdout).contains("FancyCarousel"),
        "{}",
        text(&out.stdout)
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn push_publish_list_pull_and_check() -> TestResult {
    let server = MockServer::start().await;
    let dir = scratch("push", &[("booking.json", BOOKING)])?;

    let out = kaleyra(
        &dir,
        env_of(&server),
        &["flows", "push", "booking", "--publish"],
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("created flow booking ("), "{stdout}");
    assert!(stdout.contains("published flow booking"), "{stdout}");
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("kaleyra-flows/flows.json"))?)?;
    let booking = index
        .as_array()
        .and_then(|a| a.iter().find(|e| e["name"] == "booking"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(booking["status"], "PUBLISHED");
    let id = booking["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(server.flow_json(&id).as_deref(), Some(BOOKING.as_bytes()));

    let out = kaleyra(&dir, env_of(&server), &["flows", "check"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));

    // The same file again: compared with the account's Flow JSON (downloaded without the
    // api-key, which the simulator's CDN refuses), not uploaded.
    let uploads = |server: &MockServer| {
        server
            .received()
            .iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/assets"))
            .count()
    };
    let before = uploads(&server);
    let out = kaleyra(&dir, env_of(&server), &["flows", "push", "booking"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("booking.json is the flow's Flow JSON already: not uploaded"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(uploads(&server), before);
    let downloads: Vec<_> = server
        .received()
        .into_iter()
        .filter(|r| r.path.starts_with("/cdn/flows/"))
        .collect();
    assert!(!downloads.is_empty());
    assert!(
        downloads
            .iter()
            .all(|r| r.api_key.is_none() && r.status == 200)
    );

    // A local edit is drift; pull takes the account's file back.
    let edited = BOOKING.replace("Harbour Kitchen", "Harbour Bistro");
    assert_ne!(edited, BOOKING);
    std::fs::write(dir.join("kaleyra-flows/booking.json"), &edited)?;
    let out = kaleyra(&dir, env_of(&server), &["flows", "check"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("~ booking: booking.json differs from the account's Flow JSON"),
        "{}",
        text(&out.stdout)
    );
    let out = kaleyra(&dir, env_of(&server), &["flows", "pull"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.join("kaleyra-flows/booking.json"))?,
        BOOKING
    );
    let out = kaleyra(&dir, env_of(&server), &["flows", "check"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));

    let out = kaleyra(&dir, env_of(&server), &["flows", "list"]).await;
    assert_eq!(out.status.code(), Some(0));
    let table = text(&out.stdout);
    assert!(table.starts_with("NAME"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("booking") && l.contains(&id) && l.contains("PUBLISHED")),
        "{table}"
    );

    // Drift: the flow deprecated on the account, and a new file with no flow.
    server.set_flow_status(&id, kaleyra_core::flows::FlowStatus::Deprecated);
    std::fs::write(dir.join("kaleyra-flows/survey.json"), BOOKING)?;
    let out = kaleyra(&dir, env_of(&server), &["flows", "check"]).await;
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("~ booking: status PUBLISHED in flows.json, DEPRECATED on the account"),
        "{stdout}"
    );
    assert!(
        stdout.contains("- survey: survey.json has no flow"),
        "{stdout}"
    );

    // pull rewrites flows.json: check then only reports the file without a flow.
    let out = kaleyra(&dir, env_of(&server), &["flows", "pull"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = kaleyra(&dir, env_of(&server), &["flows", "check"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !text(&out.stdout).contains("~ booking"),
        "{}",
        text(&out.stdout)
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn push_prints_metas_validation_errors_and_exits_1() -> TestResult {
    let server = MockServer::start().await;
    let dir = scratch("push-invalid", &[("booking.json", &too_long())])?;
    let out = kaleyra(
        &dir,
        env_of(&server),
        &["flows", "push", "booking", "--publish"],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "booking.json:32:22: screens[0].layout.children[2].label: at most 20 characters, found 27 (TEXT_LENGTH)"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("published"), "{stdout}");
    // Without the environment: 2.
    let out = kaleyra(&dir, Vec::new(), &["flows", "push", "booking"]).await;
    assert_eq!(out.status.code(), Some(2));
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn check_lists_flows_missing_on_either_side() -> TestResult {
    let server = MockServer::start().await;
    let index = r#"[{"id": "1", "name": "gone", "status": "PUBLISHED", "categories": ["OTHER"]}]"#;
    let dir = scratch("check", &[("flows.json", index)])?;
    let out = kaleyra(&dir, env_of(&server), &["flows", "check"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("- gone: in flows.json, not on the account"),
        "{stdout}"
    );
    // The simulator's default flow is on the account.
    assert!(stdout.contains("+ registered_"), "{stdout}");
    assert!(
        stdout.contains(": on the account, not in flows.json"),
        "{stdout}"
    );
    // No flows.json at all: an error (2) naming `kaleyra flows pull`.
    let empty = scratch("check-none", &[])?;
    let out = kaleyra(&empty, env_of(&server), &["flows", "check"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("kaleyra flows pull"),
        "{}",
        text(&out.stderr)
    );
    Ok(())
}
