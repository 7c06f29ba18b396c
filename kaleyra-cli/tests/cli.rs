//! The `kaleyra` binary against the simulator, configured by the simulator's environment line
//! (what `cargo run --example mock_server` prints): pull writes the catalogue file, check passes
//! on it and fails listing each difference once the account changes, list prints a table, and
//! errors say what to do.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kaleyra_core::catalogue::{Status, TemplateDefinition};
use kaleyra_core::mock::{MockServer, SEED_TEMPLATES};
use serde_json::json;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// `KALEYRA_*=value` pairs of the simulator's env line (its values need no quoting).
fn env_of(server: &MockServer) -> Vec<(String, String)> {
    server
        .env_line()
        .split(' ')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.trim_matches('\'').to_owned()))
        .collect()
}

/// Runs `kaleyra args…` in `dir` with exactly `env` as its Kaleyra environment.
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

/// A fresh directory for one test, outside the workspace (whose own kaleyra-templates.json
/// the command would otherwise find).
fn scratch(name: &str) -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("kaleyra-cli-{name}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn pull_then_check_then_drift() -> TestResult {
    let server = MockServer::start().await;
    let dir = scratch("drift")?;

    // pull, with no --out: ./kaleyra-templates.json, exactly the simulator's templates.
    let out = kaleyra(&dir, env_of(&server), &["templates", "pull"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let file = dir.join("kaleyra-templates.json");
    assert_eq!(std::fs::read_to_string(&file)?, SEED_TEMPLATES);
    assert!(
        text(&out.stdout).starts_with("wrote 6 templates to "),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stdout).ends_with("(6 APPROVED)\n"));

    let out = kaleyra(&dir, env_of(&server), &["templates", "check"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("matches the account (6 templates)\n"));

    // The account changes: one paused, one gone, one new, one edited.
    assert!(server.set_template_status("order_shipped", "en_US", Status::Paused));
    assert!(server.remove_template("welcome_named", "en_US").is_some());
    server.add_template(TemplateDefinition::from_json(json!({
        "name": "spring_sale", "language": "es", "status": "PENDING", "category": "MARKETING",
        "components": [{"type": "BODY", "text": "¡Hola {{1}}!"}]
    }))?);
    let Some(flow) = server.remove_template("flow_template20", "en_US") else {
        panic!("flow_template20 is a seed");
    };
    let mut edited = flow.into_json();
    edited["components"][0]["text"] = json!("Rate us, {{1}}!");
    server.add_template(TemplateDefinition::from_json(edited)?);

    let out = kaleyra(&dir, env_of(&server), &["templates", "check"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let listed = text(&out.stdout);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(
        lines,
        [
            "text changed: `flow_template20` (en_US) body: \"Tell us how we did: it takes a \
             minute.\" -> \"Rate us, {{1}}!\"",
            "status changed: `order_shipped` (en_US): APPROVED -> PAUSED",
            "removed: `welcome_named` (en_US) is in the file but no longer on the account",
            "added: `spring_sale` (es) (PENDING) is on the account but not in the file",
            &format!(
                "4 differences between {} and the account: run `kaleyra templates pull` to \
                 update the file, then rebuild to check the structs against it",
                file.display()
            ),
        ]
    );

    // Pulling again brings the file up to date.
    let out = kaleyra(
        &dir,
        env_of(&server),
        &["templates", "pull", "--out", "kaleyra-templates.json"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).ends_with("(4 APPROVED, 1 PAUSED, 1 PENDING)\n"),
        "{}",
        text(&out.stdout)
    );
    let out = kaleyra(&dir, env_of(&server), &["templates", "check"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// Issue 18: a crate built before the file existed is checked again by the next build, because
/// pull touches the manifests the derive tracks (their content unchanged).
#[tokio::test(flavor = "multi_thread")]
async fn pull_touches_the_manifests_the_derive_tracks() -> TestResult {
    let server = MockServer::start().await;
    let dir = scratch("anchors")?;
    let manifest = dir.join("Cargo.toml");
    let text_before = "[package]\nname = \"app\"\n\n[workspace]\n";
    std::fs::write(&manifest, text_before)?;
    let old = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    std::fs::File::options()
        .append(true)
        .open(&manifest)?
        .set_modified(old)?;
    let out = kaleyra(&dir, env_of(&server), &["templates", "pull"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::metadata(&manifest)?.modified()? > old);
    assert_eq!(std::fs::read_to_string(&manifest)?, text_before);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn list_prints_a_table() -> TestResult {
    let server = MockServer::start().await;
    let dir = scratch("list")?;
    let out = kaleyra(&dir, env_of(&server), &["templates", "list"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "NAME                  LANGUAGE  CATEGORY        STATUS    HEADER   BODY            BUTTONS\n\
         abandoned_cart_offer  en_US     MARKETING       APPROVED  PRODUCT  2 parameters    SPM\n\
         auth1                 en_US     AUTHENTICATION  APPROVED  -        1 parameter     OTP\n\
         flow_template20       en_US     MARKETING       APPROVED  -        -               FLOW\n\
         order_shipped         en_US     UTILITY         APPROVED  IMAGE    3 parameters    URL, QUICK_REPLY\n\
         summer_carousel       en_US     MARKETING       APPROVED  -        1 parameter     CAROUSEL of 3\n\
         welcome_named         en_US     MARKETING       APPROVED  -        {{first_name}}  COPY_CODE\n"
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_say_what_to_do() -> TestResult {
    let server = MockServer::start().await;
    let dir = scratch("errors")?;

    // No environment at all: every missing variable, and where to get a set.
    let out = kaleyra(&dir, Vec::new(), &["templates", "list"]).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(
            "error: missing environment variables:\n  KALEYRA_SID: the account SID\n  \
             KALEYRA_API_KEY: the API key\n  KALEYRA_WABA_ID: the WhatsApp Business Account id"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("cargo run --example mock_server"),
        "{stderr}"
    );

    // A wrong key: Kaleyra's code and what to check.
    let mut env = env_of(&server);
    for (name, value) in &mut env {
        if name == "KALEYRA_API_KEY" {
            *value = "wrong".to_owned();
        }
    }
    let out = kaleyra(&dir, env, &["templates", "pull"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: Kaleyra answered HTTP 401 RBC001 (Incorrect SID or API key.): check KALEYRA_SID \
         and KALEYRA_API_KEY\n"
    );
    assert!(!dir.join("kaleyra-templates.json").exists());

    // A WABA id the account does not have.
    let mut env = env_of(&server);
    for (name, value) in &mut env {
        if name == "KALEYRA_WABA_ID" {
            *value = "42".to_owned();
        }
    }
    let out = kaleyra(&dir, env, &["templates", "list"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("WA401"), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("check KALEYRA_WABA_ID"));

    // Nothing listening.
    let url = server.url();
    drop(server);
    let env = vec![
        ("KALEYRA_BASE_URL".to_owned(), url.clone()),
        ("KALEYRA_SID".to_owned(), "HX1".to_owned()),
        ("KALEYRA_API_KEY".to_owned(), "k".to_owned()),
        ("KALEYRA_WABA_ID".to_owned(), "1".to_owned()),
    ];
    let out = kaleyra(&dir, env.clone(), &["templates", "list"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with(&format!("error: could not reach Kaleyra at {url}: ")),
        "{}",
        text(&out.stderr)
    );

    // check without a catalogue file.
    let out = kaleyra(&dir, env, &["templates", "check"]).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("kaleyra-templates.json: cannot be read"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`kaleyra templates pull` writes the catalogue file"),
        "{stderr}"
    );

    // A file that is not a catalogue: the file and the line.
    std::fs::write(
        dir.join("kaleyra-templates.json"),
        "[\n  {\"name\": 1}\n]\n",
    )?;
    let out = kaleyra(&dir, Vec::new(), &["templates", "check"]).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "kaleyra-templates.json:2:12: template 0, name: `name` must be a string, found a number"
        ),
        "{stderr}"
    );

    // A usage mistake is clap's, with a suggestion.
    let out = kaleyra(&dir, Vec::new(), &["templates", "pul"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("pull"), "{}", text(&out.stderr));
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

// ---------------------------------------------------------------- templates push (issue 19)

/// A new template written by hand (no `status`, no `id`), as a user adds it to the file.
fn order_delayed() -> serde_json::Value {
    json!({
        "name": "order_delayed", "language": "en_US", "category": "UTILITY",
        "components": [{"type": "BODY", "text": "Order {{1}} is delayed to {{2}}",
                        "example": {"body_text": [["A-1042", "Friday"]]}}]
    })
}

/// The simulator's templates, as `pull` writes them, with `extra` entries added.
fn file_with(dir: &Path, extra: &[serde_json::Value]) -> std::io::Result<PathBuf> {
    let mut entries: Vec<serde_json::Value> = serde_json::from_str(SEED_TEMPLATES)?;
    entries.extend(extra.iter().cloned());
    let path = dir.join("kaleyra-templates.json");
    std::fs::write(&path, serde_json::to_string_pretty(&entries)?)?;
    Ok(path)
}

/// The requests that change the account (anything but the `GET` listing).
fn writes(server: &MockServer) -> usize {
    server
        .received()
        .iter()
        .filter(|r| r.method != "GET")
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn push_plans_then_creates_and_refreshes_the_file() -> TestResult {
    let server = MockServer::start().await;
    let dir = scratch("push")?;
    let file = file_with(&dir, &[order_delayed()])?;
    let before = std::fs::read_to_string(&file)?;

    // --dry-run: the plan, nothing sent, the file untouched.
    let out = kaleyra(&dir, env_of(&server), &["templates", "push", "--dry-run"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "= abandoned_cart_offer (en_US)\n= auth1 (en_US)\n= flow_template20 (en_US)\n\
         + create order_delayed (en_US)\n= order_shipped (en_US)\n= summer_carousel (en_US)\n\
         = welcome_named (en_US)\ndry run: nothing was sent (1 call planned)\n"
    );
    assert_eq!(writes(&server), 0);
    assert_eq!(std::fs::read_to_string(&file)?, before);

    // push: created, reviewed (the simulator approves at once), the file rewritten as pull does.
    let out = kaleyra(&dir, env_of(&server), &["templates", "push"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("+ create order_delayed (en_US)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("created order_delayed (en_US): id "),
        "{stdout}"
    );
    assert!(
        stdout.contains(", PENDING\nwrote 7 templates to "),
        "{stdout}"
    );
    assert_eq!(writes(&server), 1);
    let refreshed = kaleyra_core::catalogue::Catalogue::load(&file)?;
    let created = refreshed
        .get("order_delayed", "en_US")
        .ok_or("not in the file")?;
    assert_eq!(created.status(), &Status::Approved);
    assert!(created.id().is_some());
    let pulled: Vec<TemplateDefinition> = server.templates();
    assert_eq!(
        std::fs::read_to_string(&file)?,
        kaleyra_core::catalogue::Catalogue::new(pulled, "x").to_json_pretty()
    );

    // Pushed again: every line `=`, nothing sent.
    let out = kaleyra(&dir, env_of(&server), &["templates", "push"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("and the account agree: nothing to do\n"));
    assert_eq!(writes(&server), 1);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn push_refuses_invalid_entries_before_any_request() -> TestResult {
    let server = MockServer::start().await;
    let dir = scratch("push-invalid")?;
    let mut bad = order_delayed();
    // Two placeholders and one example; a media header given by URL.
    bad["components"][0]["example"] = json!({"body_text": [["A-1042"]]});
    let header = json!({"type": "HEADER", "format": "IMAGE",
                        "example": {"header_handle": ["https://example.com/box.jpg"]}});
    let mut with_header = bad.clone();
    with_header["name"] = json!("box_photo");
    with_header["components"] = json!([header, bad["components"][0].clone()]);
    file_with(&dir, &[bad, with_header])?;
    let out = kaleyra(&dir, env_of(&server), &["templates", "push"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(
        lines[0].contains(
            "kaleyra-templates.json: box_photo (en_US): components[0].example.header_handle[0]: "
        ),
        "{stdout}"
    );
    assert!(
        lines[2].contains(
            "kaleyra-templates.json: order_delayed (en_US): components[0].example.body_text"
        ),
        "{stdout}"
    );
    assert!(
        lines[3].starts_with("3 problems in ") && lines[3].ends_with("nothing was sent"),
        "{stdout}"
    );
    assert!(server.received().is_empty(), "not even the listing");
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn push_refuses_edits_whatsapp_forbids() -> TestResult {
    let server = MockServer::start().await;
    let dir = scratch("push-refused")?;
    let file = file_with(&dir, &[])?;
    // An approved template's category changed in the file.
    let text_of = std::fs::read_to_string(&file)?;
    let changed = text_of.replacen(
        "\"category\": \"UTILITY\"",
        "\"category\": \"MARKETING\"",
        1,
    );
    assert_ne!(changed, text_of);
    std::fs::write(&file, &changed)?;
    let out = kaleyra(&dir, env_of(&server), &["templates", "push"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "! refused order_shipped (en_US): the category of an approved template cannot \
             change (UTILITY -> MARKETING)"
        ),
        "{stdout}"
    );
    assert!(stdout.ends_with("nothing was sent\n"), "{stdout}");
    assert_eq!(writes(&server), 0);
    assert_eq!(
        std::fs::read_to_string(&file)?,
        changed,
        "the file is left as it was"
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn push_prune_needs_yes() -> TestResult {
    let server = MockServer::start().await;
    let dir = scratch("push-prune")?;
    let file = file_with(&dir, &[])?;
    let mut entries: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&file)?)?;
    entries.retain(|t| t["name"] != "welcome_named");
    std::fs::write(&file, serde_json::to_string_pretty(&entries)?)?;

    let out = kaleyra(&dir, env_of(&server), &["templates", "push", "--prune"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("- delete welcome_named (en_US)\n"),
        "{stdout}"
    );
    assert!(stdout.contains("run again with --yes"), "{stdout}");
    assert_eq!(writes(&server), 0);

    // --dry-run never needs --yes.
    let out = kaleyra(
        &dir,
        env_of(&server),
        &["templates", "push", "--prune", "--dry-run"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(writes(&server), 0);

    let out = kaleyra(
        &dir,
        env_of(&server),
        &["templates", "push", "--prune", "--yes"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("deleted welcome_named (en_US)\n"));
    let deletes: Vec<String> = server
        .received()
        .iter()
        .filter(|r| r.method == "DELETE")
        .map(|r| r.query.clone().unwrap_or_default())
        .collect();
    // Its only language: deleted by name.
    assert_eq!(deletes, ["name=welcome_named"]);
    assert!(
        server
            .templates()
            .iter()
            .all(|t| t.name() != "welcome_named")
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn push_stays_within_100_calls_an_hour() -> TestResult {
    let server = MockServer::start().await;
    let dir = scratch("push-budget")?;
    let new: Vec<serde_json::Value> = (0..101)
        .map(|i| {
            let mut t = order_delayed();
            t["name"] = json!(format!("notice_{i:03}"));
            t
        })
        .collect();
    let file = file_with(&dir, &new)?;
    let out = kaleyra(&dir, env_of(&server), &["templates", "push"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout
            .contains("stopped after 100 of 101 calls: Kaleyra allows 100 template calls per hour"),
        "{stdout}"
    );
    assert_eq!(writes(&server), 100);
    // The file was refreshed: the next push plans only what is left.
    let out = kaleyra(&dir, env_of(&server), &["templates", "push", "--dry-run"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.matches("+ create").count(), 1, "{stdout}");
    assert!(stdout.contains("+ create notice_100 (en_US)\n"), "{stdout}");
    let _ = file;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
