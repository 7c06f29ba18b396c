//! The rebuild tests' probe (catalogue_rebuild.rs, flows_rebuild.rs): one tiny crate in
//! `target/tmp/<name>/probe/`, its own workspace (so that discovery stops there), depending on
//! this package by path without default features (so that it builds little) and locked to the
//! workspace's `Cargo.lock` (every dependency in the registry cache), checked with
//! `cargo check --offline` (the same fingerprints and dep-info as `cargo build`) in one target
//! directory that the probes share, so that later runs reuse their dependencies.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Writes the probe crate `name` with `main` as its `src/main.rs`; returns its directory.
/// Files are rewritten only when they change (a rewrite would make Cargo rebuild).
pub fn probe(name: &str, main: &str) -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(name)
        .join("probe");
    std::fs::create_dir_all(crate_dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"{name}-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n[dependencies]\nkaleyra = {{ path = {:?}, default-features = false }}\n\n\
         # Its own workspace: discovery stops here.\n[workspace]\n",
        env!("CARGO_MANIFEST_DIR")
    );
    write_if_changed(&crate_dir.join("Cargo.toml"), &manifest);
    write_if_changed(&crate_dir.join("src/main.rs"), main);
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

/// `cargo check` of the probe in `crate_dir`, each variable of `vars` set (`Some`) or removed
/// (`None`), and `RUSTFLAGS` removed; whether it passed, and its stderr.
pub fn check(crate_dir: &Path, vars: &[(&str, Option<&str>)]) -> (bool, String) {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rebuild-probes-target");
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(crate_dir)
        .args(["check", "--offline", "--quiet", "--color=never"])
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS");
    for (name, value) in vars {
        match value {
            Some(v) => cmd.env(name, v),
            None => cmd.env_remove(name),
        };
    }
    let Output { status, stderr, .. } = cmd.output().unwrap();
    (
        status.success(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}
