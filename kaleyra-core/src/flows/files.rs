//! The committed flows (issue 16): a directory `kaleyra-flows/` at the workspace root, found
//! like the template catalogue ([`discover`]), holding
//!
//! - `flows.json`: a JSON array of the account's flows as Kaleyra lists them (the objects
//!   [`Client::list_flows`](crate::Client::list_flows) reads: `id`, `name`, `status`,
//!   `categories`, `validation_errors`, …, unknown members kept), sorted by name,
//!   pretty-printed, with a final newline ([`write_index`]);
//! - `<name>.json`: that flow's Flow JSON ([`write_flow`], read with [`FlowsDir::flow`]).
//!
//! A `<name>.json` with no entry in `flows.json` is a flow the account does not have (yet):
//! `kaleyra flows push NAME` creates it. The derives (`#[flow(name = …)]`,
//! `#[flow_response(flow = …)]`) read the directory at compile time through [`FlowsDir`].
//!
//! ```
//! use kaleyra::flows::{FlowStatus, FlowsDir, write_flow, write_index};
//!
//! let dir = std::env::temp_dir().join(format!("kaleyra-flows-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! write_index(&dir, &[serde_json::json!({"id": "1234", "name": "booking", "status": "PUBLISHED"})])?;
//! write_flow(&dir, "booking", br#"{"version": "7.3", "screens": []}"#)?;
//!
//! let flows = FlowsDir::load(&dir)?;
//! let booking = flows.entry("booking").expect("listed");
//! assert_eq!((booking.id.as_str(), &booking.status), ("1234", &FlowStatus::Published));
//! assert_eq!(flows.flow("booking")?.version, "7.3");
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::json::{FlowJson, FlowJsonError};
use super::lifecycle::FlowStatus;
use crate::catalogue::Discovery;

/// The directory's name: `kaleyra-flows`.
pub const DIR_NAME: &str = "kaleyra-flows";

/// The environment variable that names the directory (relative to the crate's directory), or
/// turns the compile-time check off (`off`).
pub const ENV: &str = "KALEYRA_FLOWS";

/// The index file in the directory: `flows.json`.
pub const INDEX_FILE: &str = "flows.json";

/// Finds the committed flows for a crate in `dir` (the derive passes `CARGO_MANIFEST_DIR`, the
/// CLI the current directory), as [`catalogue::discover`](crate::catalogue::discover) finds the
/// catalogue: `env` is the value of `KALEYRA_FLOWS`, `off` (any case) or a path (a relative one
/// is taken from `dir`); unset or empty, the nearest `kaleyra-flows/` directory in `dir` or above
/// it, up to the workspace root ([`workspace_root`](crate::catalogue::workspace_root)).
///
/// ```
/// use kaleyra::catalogue::Discovery;
/// use kaleyra::flows::discover;
/// use std::path::Path;
///
/// assert_eq!(discover(Path::new("/nowhere"), Some("off".as_ref())), Discovery::Off);
/// assert_eq!(
///     discover(Path::new("/app"), Some("ci/flows".as_ref())),
///     Discovery::File("/app/ci/flows".into())
/// );
/// ```
pub fn discover(dir: &Path, env: Option<&OsStr>) -> Discovery {
    crate::catalogue::discover_entry(dir, env, DIR_NAME, true)
}

/// One flow of `flows.json`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FlowEntry {
    /// The flow id (what a flow message sends).
    pub id: String,
    /// The flow's name (its file is `<name>.json`).
    pub name: String,
    /// Its status; [`FlowStatus::Other`] with an empty string when the entry has none.
    pub status: FlowStatus,
    /// The entry as written, every member kept.
    pub raw: Value,
}

/// Why the committed flows could not be read. Every variant names the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FlowsDirError {
    /// The file cannot be read (missing, a directory, no permission, …).
    #[error("{path}: cannot be read: {message}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The system's words.
        message: String,
    },
    /// The file is not JSON.
    #[error("{path}:{line}:{column}: not JSON: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde_json's words.
        message: String,
    },
    /// `flows.json` is JSON but not an array of flows each with an `id` and a `name`, or names a
    /// flow twice; or a flow file is JSON but not of a Flow JSON's shape.
    #[error("{path}: {}{}{message}", at, if at.is_empty() { "" } else { ": " })]
    Shape {
        /// The file.
        path: PathBuf,
        /// Where in it (`[3].name`, `screens[0]`), empty for the document itself.
        at: String,
        /// What is wrong.
        message: String,
    },
    /// A name that cannot be a file name in the directory (empty, with a path separator, or
    /// starting with a dot).
    #[error("flow name {name:?} cannot be a file name in {DIR_NAME}/")]
    BadName {
        /// The name.
        name: String,
    },
}

impl FlowsDirError {
    fn read(path: &Path, e: &std::io::Error) -> FlowsDirError {
        FlowsDirError::Read {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    }

    fn syntax(path: &Path, e: &serde_json::Error) -> FlowsDirError {
        // serde_json's message ends with " at line L column C": said once, in front.
        let full = e.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_owned(),
            None => full,
        };
        FlowsDirError::Syntax {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message,
        }
    }

    fn shape(path: &Path, at: impl Into<String>, message: impl Into<String>) -> FlowsDirError {
        FlowsDirError::Shape {
            path: path.to_path_buf(),
            at: at.into(),
            message: message.into(),
        }
    }
}

/// The committed flows, as read from a directory by [`FlowsDir::load`]: the index (`flows.json`)
/// read and typed; each flow file read when asked for ([`FlowsDir::flow`]).
#[derive(Debug, Clone)]
pub struct FlowsDir {
    dir: PathBuf,
    shown: String,
    entries: Vec<FlowEntry>,
    /// Each flow resolved once (read, parsed, validated: `check::resolve`), shared by clones:
    /// a loaded directory is a snapshot, and the derive checks many structs against one flow.
    resolved: std::sync::Arc<std::sync::Mutex<HashMap<String, super::check::Resolved>>>,
}

impl FlowsDir {
    /// Reads `dir/flows.json`. A missing `flows.json` is an error ([`FlowsDirError::Read`]); an
    /// entry without a string (or number) `id` or a string `name`, or a name listed twice, is a
    /// [`FlowsDirError::Shape`] naming the entry.
    pub fn load(dir: impl AsRef<Path>) -> Result<FlowsDir, FlowsDirError> {
        let dir = dir.as_ref().to_path_buf();
        let path = dir.join(INDEX_FILE);
        let bytes = std::fs::read(&path).map_err(|e| FlowsDirError::read(&path, &e))?;
        let value: Value =
            serde_json::from_slice(&bytes).map_err(|e| FlowsDirError::syntax(&path, &e))?;
        let Value::Array(items) = value else {
            return Err(FlowsDirError::shape(
                &path,
                "",
                "a JSON array of the account's flows (`kaleyra flows pull` writes it)",
            ));
        };
        let mut entries: Vec<FlowEntry> = Vec::with_capacity(items.len());
        for (i, raw) in items.into_iter().enumerate() {
            let id = match raw.get("id") {
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => {
                    return Err(FlowsDirError::shape(
                        &path,
                        format!("[{i}].id"),
                        "missing, or not a flow id",
                    ));
                }
            };
            let Some(name) = raw.get("name").and_then(Value::as_str).map(str::to_owned) else {
                return Err(FlowsDirError::shape(
                    &path,
                    format!("[{i}].name"),
                    "missing, or not a string",
                ));
            };
            if entries.iter().any(|e| e.name == name) {
                return Err(FlowsDirError::shape(
                    &path,
                    format!("[{i}].name"),
                    format!("flow {name:?} is listed twice (flow names are unique per account)"),
                ));
            }
            let status = raw
                .get("status")
                .and_then(Value::as_str)
                .map_or(FlowStatus::Other(String::new()), FlowStatus::parse);
            entries.push(FlowEntry {
                id,
                name,
                status,
                raw,
            });
        }
        let shown = dir.display().to_string();
        Ok(FlowsDir {
            dir,
            shown,
            entries,
            resolved: Default::default(),
        })
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How messages name the directory (by default as loaded; the derive names it as written in
    /// `KALEYRA_FLOWS`, or relative to the workspace root, so that messages read the same on
    /// every machine).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Names the directory `shown` in messages (see [`FlowsDir::shown`]).
    pub fn with_shown(mut self, shown: impl Into<String>) -> FlowsDir {
        self.shown = shown.into();
        self
    }

    /// The memo of `check::resolve`.
    pub(crate) fn resolved(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<String, super::check::Resolved>> {
        self.resolved
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The index file, `dir/flows.json`.
    pub fn index_path(&self) -> PathBuf {
        self.dir.join(INDEX_FILE)
    }

    /// The entries of `flows.json`, in the file's order.
    pub fn entries(&self) -> &[FlowEntry] {
        &self.entries
    }

    /// The flow named `name` in `flows.json`.
    pub fn entry(&self, name: &str) -> Option<&FlowEntry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// The names of the flows in `flows.json`, in the file's order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.name.as_str())
    }

    /// The file of the flow named `name` in the directory `dir`: `dir/<name>.json` (whether it
    /// exists or not); a name that cannot be a file name is [`FlowsDirError::BadName`].
    pub fn flow_file(dir: &Path, name: &str) -> Result<PathBuf, FlowsDirError> {
        flow_path(dir, name)
    }

    /// The file of the flow named `name`: `dir/<name>.json` (whether it exists or not).
    pub fn flow_path(&self, name: &str) -> Result<PathBuf, FlowsDirError> {
        flow_path(&self.dir, name)
    }

    /// The names of the flow files in the directory (`<name>.json`, `flows.json` excepted),
    /// sorted; listed in `flows.json` or not. A directory that cannot be read has none.
    pub fn files(&self) -> Vec<String> {
        let Ok(read) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = read
            .flatten()
            .filter(|e| e.path().is_file())
            .filter_map(|e| {
                let file = e.file_name().into_string().ok()?;
                let name = file.strip_suffix(".json")?;
                (file != INDEX_FILE && check_name(name).is_ok()).then(|| name.to_owned())
            })
            .collect();
        names.sort();
        names
    }

    /// Reads and parses `dir/<name>.json` (listed in `flows.json` or not: see
    /// [`FlowsDir::entry`]). Not JSON: [`FlowsDirError::Syntax`] with the line and column; not a
    /// Flow JSON's shape: [`FlowsDirError::Shape`] with the JSON path. A document that breaks
    /// Meta's rules is read: [`FlowJson::validate`] reports it.
    pub fn flow(&self, name: &str) -> Result<FlowJson, FlowsDirError> {
        let path = self.flow_path(name)?;
        let bytes = std::fs::read(&path).map_err(|e| FlowsDirError::read(&path, &e))?;
        read_flow(&path, &bytes)
    }
}

/// Parses the bytes of a flow file, errors naming `path`.
pub fn read_flow(path: &Path, bytes: &[u8]) -> Result<FlowJson, FlowsDirError> {
    FlowJson::from_slice(bytes).map_err(|e| match e {
        FlowJsonError::Syntax(e) => FlowsDirError::syntax(path, &e),
        FlowJsonError::Shape { path: at, message } => FlowsDirError::shape(path, at, message),
    })
}

fn check_name(name: &str) -> Result<(), FlowsDirError> {
    let bad = name.is_empty()
        || name.starts_with('.')
        || name.contains(['/', '\\', '\0'])
        || name == INDEX_FILE.trim_end_matches(".json");
    if bad {
        return Err(FlowsDirError::BadName {
            name: name.to_owned(),
        });
    }
    Ok(())
}

fn flow_path(dir: &Path, name: &str) -> Result<PathBuf, FlowsDirError> {
    check_name(name)?;
    Ok(dir.join(format!("{name}.json")))
}

/// Writes `bytes` to `path` through a temporary file in the same directory, so that a failure
/// leaves the old file whole and a reader never sees half a file.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, bytes)
        .and_then(|()| std::fs::rename(&temporary, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
}

/// The text [`write_index`] writes: the entries sorted by `name` (then `id`; stable, so that
/// pulling twice writes the same bytes), pretty-printed, with a final newline. Each entry is
/// written as given (every member kept).
pub fn index_text(entries: &[Value]) -> String {
    let key = |v: &Value| {
        let text = |k: &str| match v.get(k) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        (text("name"), text("id"))
    };
    let mut sorted: Vec<&Value> = entries.iter().collect();
    sorted.sort_by_cached_key(|v| key(v));
    let mut text = serde_json::to_string_pretty(&sorted).unwrap_or_else(|_| "[]".to_owned());
    text.push('\n');
    text
}

/// Writes `dir/flows.json` from the account's flows (Kaleyra's flow objects, as listed), sorted
/// by name ([`index_text`]), through a temporary file; creates `dir` if needed. Returns the
/// file's path.
pub fn write_index(dir: impl AsRef<Path>, entries: &[Value]) -> std::io::Result<PathBuf> {
    let dir = dir.as_ref();
    std::fs::create_dir_all(dir)?;
    let path = dir.join(INDEX_FILE);
    write_atomic(&path, index_text(entries).as_bytes())?;
    Ok(path)
}

/// What [`write_flow`] writes: a parsed document (written pretty-printed and stable, with a
/// final newline) or bytes as they are.
pub enum FlowFile<'a> {
    /// A document, written with [`FlowJson::to_pretty_string`].
    Json(&'a FlowJson),
    /// Bytes, written unchanged (as Meta's `flow.json` asset was downloaded).
    Bytes(&'a [u8]),
}

impl<'a> From<&'a FlowJson> for FlowFile<'a> {
    fn from(flow: &'a FlowJson) -> Self {
        FlowFile::Json(flow)
    }
}

impl<'a> From<&'a [u8]> for FlowFile<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        FlowFile::Bytes(bytes)
    }
}

impl<'a, const N: usize> From<&'a [u8; N]> for FlowFile<'a> {
    fn from(bytes: &'a [u8; N]) -> Self {
        FlowFile::Bytes(bytes)
    }
}

impl<'a> From<&'a Vec<u8>> for FlowFile<'a> {
    fn from(bytes: &'a Vec<u8>) -> Self {
        FlowFile::Bytes(bytes)
    }
}

/// Writes the flow named `name` to `dir/<name>.json` through a temporary file; creates `dir`
/// if needed. A name that cannot be a file name is [`std::io::ErrorKind::InvalidInput`].
/// Returns the file's path.
pub fn write_flow<'a>(
    dir: impl AsRef<Path>,
    name: &str,
    flow: impl Into<FlowFile<'a>>,
) -> std::io::Result<PathBuf> {
    let dir = dir.as_ref();
    let path = flow_path(dir, name)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
    std::fs::create_dir_all(dir)?;
    match flow.into() {
        FlowFile::Json(flow) => {
            let mut text = flow.to_pretty_string();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            write_atomic(&path, text.as_bytes())?;
        }
        FlowFile::Bytes(bytes) => write_atomic(&path, bytes)?,
    }
    Ok(path)
}

impl fmt::Display for FlowEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}, {})", self.name, self.id, self.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Temp(PathBuf);
    impl Temp {
        fn new(tag: &str) -> Temp {
            let dir = std::env::temp_dir()
                .join(format!("kaleyra-flows-files-{tag}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Temp(dir)
        }
    }
    impl Drop for Temp {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    const FLOW: &str = r#"{
  "version": "7.3",
  "screens": [{"id": "A", "title": "A", "terminal": true, "layout": {"type": "SingleColumnLayout",
    "children": [{"type": "Footer", "label": "Done", "on-click-action": {"name": "complete", "payload": {}}}]}}]
}"#;

    #[test]
    fn index_is_sorted_pretty_and_keeps_unknown_members() {
        let t = Temp::new("index");
        let entries = [
            json!({"id": "2", "name": "zeta", "status": "DRAFT", "extra": {"kept": true}}),
            json!({"id": "1", "name": "alpha", "status": "PUBLISHED", "categories": ["OTHER"]}),
        ];
        let path = write_index(&t.0, &entries).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.ends_with("]\n"), "{text}");
        assert!(text.find("alpha").unwrap() < text.find("zeta").unwrap());
        assert!(!t.0.join("flows.json.tmp").exists());
        // Stable: the same list in another order writes the same bytes.
        let again = write_index(&t.0, &[entries[1].clone(), entries[0].clone()]).unwrap();
        assert_eq!(std::fs::read_to_string(again).unwrap(), text);

        let dir = FlowsDir::load(&t.0).unwrap();
        assert_eq!(dir.names().collect::<Vec<_>>(), ["alpha", "zeta"]);
        let zeta = dir.entry("zeta").unwrap();
        assert_eq!(zeta.status, FlowStatus::Draft);
        assert_eq!(zeta.raw["extra"], json!({"kept": true}));
        assert!(dir.entry("beta").is_none());
    }

    #[test]
    fn flows_are_written_read_and_listed() {
        let t = Temp::new("flow");
        write_index(&t.0, &[json!({"id": 42, "name": "booking"})]).unwrap();
        let flow = FlowJson::from_slice(FLOW.as_bytes()).unwrap();
        write_flow(&t.0, "booking", &flow).unwrap();
        write_flow(&t.0, "survey", FLOW.as_bytes()).unwrap();
        let dir = FlowsDir::load(&t.0).unwrap();
        assert_eq!(dir.entry("booking").unwrap().id, "42");
        assert_eq!(
            dir.entry("booking").unwrap().status,
            FlowStatus::Other(String::new())
        );
        assert_eq!(dir.flow("booking").unwrap().screens.len(), 1);
        assert_eq!(dir.files(), ["booking", "survey"]);
        let written = std::fs::read_to_string(t.0.join("booking.json")).unwrap();
        assert!(written.ends_with("}\n"));
        assert!(matches!(
            dir.flow("missing"),
            Err(FlowsDirError::Read { .. })
        ));
        for bad in ["", "../x", ".hidden", "a/b", "flows"] {
            assert_eq!(
                dir.flow(bad).unwrap_err(),
                FlowsDirError::BadName { name: bad.into() }
            );
            assert!(write_flow(&t.0, bad, FLOW.as_bytes()).is_err());
        }
    }

    #[test]
    fn unparsable_files_name_file_line_and_column() {
        let t = Temp::new("bad");
        std::fs::write(t.0.join("flows.json"), "[\n  {\"id\": \"1\",\n  oops\n]").unwrap();
        let e = FlowsDir::load(&t.0).unwrap_err();
        let FlowsDirError::Syntax {
            line, column, path, ..
        } = &e
        else {
            panic!("{e:?}");
        };
        assert_eq!(
            (*line, *column, path.file_name().unwrap()),
            (3, 3, "flows.json".as_ref())
        );
        assert!(
            e.to_string()
                .starts_with(&format!("{}:3:3: not JSON: ", path.display()))
        );

        std::fs::write(t.0.join("flows.json"), r#"[{"id": "1"}]"#).unwrap();
        assert_eq!(
            FlowsDir::load(&t.0).unwrap_err().to_string(),
            format!(
                "{}: [0].name: missing, or not a string",
                t.0.join("flows.json").display()
            )
        );
        std::fs::write(
            t.0.join("flows.json"),
            r#"[{"id": "1", "name": "a"}, {"id": "2", "name": "a"}]"#,
        )
        .unwrap();
        assert!(matches!(
            FlowsDir::load(&t.0).unwrap_err(),
            FlowsDirError::Shape { at, .. } if at == "[1].name"
        ));
        std::fs::write(t.0.join("flows.json"), "{}").unwrap();
        assert!(matches!(
            FlowsDir::load(&t.0).unwrap_err(),
            FlowsDirError::Shape { at, .. } if at.is_empty()
        ));

        std::fs::write(t.0.join("flows.json"), "[]").unwrap();
        std::fs::write(
            t.0.join("f.json"),
            "{\"version\": \"7.3\",\n\"screens\": [,]}",
        )
        .unwrap();
        let dir = FlowsDir::load(&t.0).unwrap();
        assert!(matches!(
            dir.flow("f").unwrap_err(),
            FlowsDirError::Syntax {
                line: 2,
                column: 13,
                ..
            }
        ));
        std::fs::write(t.0.join("f.json"), r#"{"version": "7.3"}"#).unwrap();
        assert!(matches!(
            dir.flow("f").unwrap_err(),
            FlowsDirError::Shape { at, .. } if at == "screens"
        ));
        assert!(matches!(
            FlowsDir::load(t.0.join("nowhere")).unwrap_err(),
            FlowsDirError::Read { .. }
        ));
    }

    #[test]
    fn discovery_finds_the_nearest_directory_within_the_workspace() {
        let t = Temp::new("discover");
        let root = &t.0;
        std::fs::write(
            root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"app\"]\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("app/src")).unwrap();
        std::fs::write(root.join("app/Cargo.toml"), "[package]\nname = \"app\"\n").unwrap();
        let app = root.join("app");
        assert_eq!(discover(&app, None), Discovery::NotFound);
        // A file of that name is not the directory.
        std::fs::write(root.join(DIR_NAME), "").unwrap();
        assert_eq!(discover(&app, None), Discovery::NotFound);
        std::fs::remove_file(root.join(DIR_NAME)).unwrap();
        std::fs::create_dir_all(root.join(DIR_NAME)).unwrap();
        assert_eq!(discover(&app, None), Discovery::File(root.join(DIR_NAME)));
        std::fs::create_dir_all(app.join(DIR_NAME)).unwrap();
        assert_eq!(discover(&app, None), Discovery::File(app.join(DIR_NAME)));
        assert_eq!(discover(&app, Some("OFF".as_ref())), Discovery::Off);
        assert_eq!(
            discover(&app, Some("../x".as_ref())),
            Discovery::File(app.join("../x"))
        );
        assert_eq!(
            discover(&app, Some("".as_ref())),
            Discovery::File(app.join(DIR_NAME))
        );
    }

    #[test]
    fn the_committed_flows_are_listed_valid_and_the_simulators() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(DIR_NAME);
        let flows = FlowsDir::load(&dir).unwrap();
        for name in flows.files() {
            assert!(flows.entry(&name).is_some(), "{name} is not in flows.json");
            let flow = flows.flow(&name).unwrap();
            assert!(flow.validate().is_empty(), "{name}: {:?}", flow.validate());
        }
        let booking = flows.entry("booking").unwrap();
        // What a fresh simulator holds after examples/flows.rs pushed and published it (the
        // first id it gives a created flow; the example checks the two agree).
        assert_eq!(booking.id, "9100000000000001");
        assert_eq!(booking.status, FlowStatus::Published);
        // As `kaleyra flows pull` writes it.
        let written = std::fs::read_to_string(dir.join(INDEX_FILE)).unwrap();
        let entries: Vec<Value> = serde_json::from_str(&written).unwrap();
        assert_eq!(index_text(&entries), written);
    }
}
