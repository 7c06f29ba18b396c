//! The catalogue file: where it is ([`discover`]), and reading it with errors that name the file
//! and the line ([`CatalogueError`]).

use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::Catalogue;
use super::definition::{ShapeError, Step, TemplateDefinition};

/// The catalogue's file name: `kaleyra-templates.json`.
pub const FILE_NAME: &str = "kaleyra-templates.json";

/// The environment variable that names the catalogue file, or turns the check off (`off`).
pub const ENV: &str = "KALEYRA_TEMPLATES";

/// Where the catalogue is, as [`discover`] finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discovery {
    /// `KALEYRA_TEMPLATES=off`: no catalogue check.
    Off,
    /// This file (named by `KALEYRA_TEMPLATES`, or found; it may not exist when named); for
    /// [`flows::discover`](crate::flows::discover), the `kaleyra-flows/` directory.
    File(PathBuf),
    /// No file: only the format rules are checked.
    NotFound,
}

/// Finds the catalogue for a crate in `dir` (the derive passes `CARGO_MANIFEST_DIR`, the CLI the
/// current directory): `env` is the value of `KALEYRA_TEMPLATES`, which is `off` (any case) or a
/// path (a relative one is taken from `dir`); when it is unset or empty, the nearest
/// `kaleyra-templates.json` in `dir` or above it, up to the workspace root ([`workspace_root`]):
/// a crate never picks up a file outside its own workspace (a dependency from the registry, for
/// one, never reads a `kaleyra-templates.json` in the user's home).
///
/// ```
/// use kaleyra::catalogue::{discover, Discovery};
/// use std::path::Path;
///
/// assert_eq!(discover(Path::new("/nowhere"), Some("OFF".as_ref())), Discovery::Off);
/// assert_eq!(
///     discover(Path::new("/app"), Some("ci/templates.json".as_ref())),
///     Discovery::File("/app/ci/templates.json".into())
/// );
/// ```
pub fn discover(dir: &Path, env: Option<&OsStr>) -> Discovery {
    discover_entry(dir, env, FILE_NAME, false)
}

/// [`discover`] for any committed entry of the workspace: `env` is `off`, or a path relative to
/// `dir`; unset or empty, the nearest `name` in `dir` or above it up to the workspace root, a
/// file (or, with `want_dir`, a directory: the committed flows, `kaleyra-flows/`).
pub(crate) fn discover_entry(
    dir: &Path,
    env: Option<&OsStr>,
    name: &str,
    want_dir: bool,
) -> Discovery {
    match env.filter(|v| !v.is_empty()) {
        Some(v)
            if v.to_str()
                .is_some_and(|s| s.trim().eq_ignore_ascii_case("off")) =>
        {
            Discovery::Off
        }
        Some(v) => Discovery::File(dir.join(v)),
        None => {
            let root = workspace_root(dir);
            dir.ancestors()
                .take_while(|d| d.starts_with(&root))
                .map(|d| d.join(name))
                .find(|p| if want_dir { p.is_dir() } else { p.is_file() })
                .map_or(Discovery::NotFound, Discovery::File)
        }
    }
}

/// Where [`discover`] stops looking upward from `dir`: the root of the Cargo workspace the
/// package in `dir` belongs to.
///
/// - the package is the nearest directory at or above `dir` with a `Cargo.toml` (none: `dir`
///   itself is the only place looked at);
/// - its root is the directory its `package.workspace` key names, else the nearest directory at
///   or above it whose `Cargo.toml` has a `[workspace]` table that includes it (the package
///   itself, a `members` pattern matching its path and no `exclude` entry covering it);
/// - no such workspace: the package itself (a crate from the registry, or a standalone one).
///
/// **choice**: a package that belongs to a workspace only as a path dependency of a member
/// (not listed in `members`) is taken as its own root; list it in `members`, or name the file
/// with `KALEYRA_TEMPLATES`.
pub fn workspace_root(dir: &Path) -> PathBuf {
    let Some(package) = dir.ancestors().find(|d| d.join("Cargo.toml").is_file()) else {
        return dir.to_path_buf();
    };
    let own = Manifest::read(package);
    if let Some(root) = own.as_ref().and_then(|m| m.package_workspace.as_deref()) {
        return normalize(&package.join(root));
    }
    if own.as_ref().is_some_and(|m| m.workspace.is_some()) {
        return package.to_path_buf();
    }
    for candidate in package.ancestors().skip(1) {
        let Some(manifest) = Manifest::read(candidate) else {
            continue;
        };
        let Some(workspace) = manifest.workspace else {
            continue;
        };
        // The nearest workspace decides, as for Cargo: one that does not include the package
        // makes the package its own root.
        let Ok(relative) = package.strip_prefix(candidate) else {
            break;
        };
        let relative: Vec<&OsStr> = relative.iter().collect();
        let covered = |patterns: &[String]| {
            patterns
                .iter()
                .any(|p| path_matches(&p.split('/').collect::<Vec<_>>(), &relative))
        };
        let excluded = workspace.exclude.iter().any(|p| {
            let p: Vec<&str> = p
                .split('/')
                .filter(|c| !c.is_empty() && *c != ".")
                .collect();
            p.len() <= relative.len() && p.iter().zip(&relative).all(|(a, b)| OsStr::new(a) == *b)
        });
        return if covered(&workspace.members) && !excluded {
            candidate.to_path_buf()
        } else {
            package.to_path_buf()
        };
    }
    package.to_path_buf()
}

/// The `Cargo.toml` files whose modification re-runs the derive's catalogue check for the
/// package in `dir`: the package's own and its workspace root's. The derive includes them in
/// the crate's dependencies (`include_bytes!`), and [`touch_anchors`] (called by
/// `kaleyra templates pull` after it writes a file) updates their modification time, so that the
/// next `cargo build` checks the structs again even when no catalogue existed before.
pub fn anchors(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(package) = dir.ancestors().find(|d| d.join("Cargo.toml").is_file()) {
        out.push(package.join("Cargo.toml"));
    }
    let root = workspace_root(dir).join("Cargo.toml");
    if root.is_file() && !out.contains(&root) {
        out.push(root);
    }
    out
}

/// After a catalogue file was written at `written`, updates the modification time of the
/// [`anchors`] of its directory (the `Cargo.toml` there, if any, and its workspace root's),
/// without changing their content, so that Cargo re-runs the derive of every crate that could
/// find the file. Returns the files touched; an anchor that cannot be touched (read-only) is
/// skipped.
pub fn touch_anchors(written: &Path) -> Vec<PathBuf> {
    let dir = written.parent().unwrap_or(Path::new("."));
    let now = std::time::SystemTime::now();
    let mut candidates = vec![dir.join("Cargo.toml")];
    candidates.extend(anchors(dir));
    let mut touched = Vec::new();
    for path in candidates {
        if touched.contains(&path) || !path.is_file() {
            continue;
        }
        let done = std::fs::File::options()
            .append(true)
            .open(&path)
            .and_then(|f| f.set_modified(now));
        if done.is_ok() {
            touched.push(path);
        }
    }
    touched
}

/// `path` without `.` and with each `..` taken out with its parent (no file system access).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Whether a `members` pattern (`crates/*`, `app`, `tools/?x`) matches a relative path, one
/// component per pattern part, `*` and `?` within a component.
fn path_matches(pattern: &[&str], path: &[&OsStr]) -> bool {
    let pattern: Vec<&str> = pattern
        .iter()
        .copied()
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    if pattern.len() == 1 && pattern[0] == "**" {
        return true;
    }
    pattern.len() == path.len()
        && pattern
            .iter()
            .zip(path)
            .all(|(p, c)| c.to_str().is_some_and(|c| glob(p.as_bytes(), c.as_bytes())))
}

fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match (pattern.first(), text.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            glob(&pattern[1..], text) || (!text.is_empty() && glob(pattern, &text[1..]))
        }
        (Some(b'?'), Some(_)) => glob(&pattern[1..], &text[1..]),
        (Some(p), Some(t)) if p == t => glob(&pattern[1..], &text[1..]),
        _ => false,
    }
}

/// What discovery reads of a `Cargo.toml`: `[workspace]` `members` / `exclude`, and
/// `package.workspace`. A line-based reading of the TOML (tables, `key = "…"` and arrays of
/// strings, possibly over several lines), enough for these keys as Cargo's manifests write them.
struct Manifest {
    workspace: Option<WorkspaceTable>,
    package_workspace: Option<String>,
}

#[derive(Default)]
struct WorkspaceTable {
    members: Vec<String>,
    exclude: Vec<String>,
}

impl Manifest {
    fn read(dir: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        Some(Manifest::parse(&text))
    }

    fn parse(text: &str) -> Manifest {
        let mut manifest = Manifest {
            workspace: None,
            package_workspace: None,
        };
        let mut table = String::new();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let line = strip_comment(line).trim();
            if let Some(header) = line.strip_prefix('[') {
                table = header
                    .trim_matches(|c| c == '[' || c == ']')
                    .trim()
                    .to_owned();
                if table == "workspace" || table.starts_with("workspace.") {
                    manifest
                        .workspace
                        .get_or_insert_with(WorkspaceTable::default);
                }
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let (key, mut value) = (key.trim(), value.trim().to_owned());
            match (table.as_str(), key) {
                ("workspace", "members" | "exclude") => {
                    // An array may go on over several lines.
                    while !value.contains(']') {
                        let Some(next) = lines.next() else { break };
                        value.push(' ');
                        value.push_str(strip_comment(next));
                    }
                    let strings = quoted_strings(&value);
                    let workspace = manifest
                        .workspace
                        .get_or_insert_with(WorkspaceTable::default);
                    if key == "members" {
                        workspace.members = strings;
                    } else {
                        workspace.exclude = strings;
                    }
                }
                ("package", "workspace") => {
                    manifest.package_workspace = quoted_strings(&value).into_iter().next();
                }
                _ => {}
            }
        }
        manifest
    }
}

/// A line without its `# comment` (a `#` inside a string is kept).
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Every `"…"` or `'…'` string in a TOML value.
fn quoted_strings(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find(['"', '\'']) {
        let quote = rest[start..].chars().next().unwrap_or('"');
        let after = &rest[start + 1..];
        let Some(end) = after.find(quote) else { break };
        out.push(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    out
}

/// A catalogue file that cannot be read, is not JSON, or is not the catalogue's shape: which
/// file, where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueError {
    origin: String,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
}

impl CatalogueError {
    pub(crate) fn new(
        origin: &str,
        at: Option<(usize, usize)>,
        message: impl Into<String>,
    ) -> Self {
        CatalogueError {
            origin: origin.to_owned(),
            line: at.map(|(l, _)| l),
            column: at.map(|(_, c)| c),
            message: message.into(),
        }
    }

    /// The file (as the caller named it).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The line (1-based) the problem is on, if it is in the text.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The column (1-based).
    pub fn column(&self) -> Option<usize> {
        self.column
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(
                f,
                "template catalogue {}:{line}:{column}: {}",
                self.origin, self.message
            ),
            _ => write!(f, "template catalogue {}: {}", self.origin, self.message),
        }
    }
}

impl std::error::Error for CatalogueError {}

/// Reads a catalogue file.
pub(super) fn load(path: &Path) -> Result<Catalogue, CatalogueError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| CatalogueError::new(&origin, None, format!("cannot be read: {e}")))?;
    parse(&text, &origin)
}

/// Parses a catalogue's text: a JSON array of template objects (the `data` of Kaleyra's
/// answer), or the whole answer (`{"data": [...], ...}`).
pub(crate) fn parse(text: &str, origin: &str) -> Result<Catalogue, CatalogueError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        // serde_json ends its message with " at line L column C"; the position is ours to show.
        let message = match message.rfind(" at line ") {
            Some(at) => message[..at].to_owned(),
            None => message,
        };
        CatalogueError::new(
            origin,
            Some((e.line().max(1), e.column().max(1))),
            format!("not valid JSON: {message}"),
        )
    })?;
    let (entries, prefix) = match value {
        Value::Array(entries) => (entries, Vec::new()),
        Value::Object(mut m) => match m.remove("data") {
            Some(Value::Array(entries)) => (entries, vec![Step::Key("data".to_owned())]),
            _ => {
                return Err(CatalogueError::new(
                    origin,
                    Some((1, 1)),
                    "expected a JSON array of templates (the `data` of Kaleyra's GET \
                     message_templates, as `kaleyra templates pull` writes it)",
                ));
            }
        },
        _ => {
            return Err(CatalogueError::new(
                origin,
                Some((1, 1)),
                "expected a JSON array of templates (as `kaleyra templates pull` writes it)",
            ));
        }
    };
    let mut catalogue = Catalogue::empty(origin);
    for (i, entry) in entries.into_iter().enumerate() {
        let mut path = prefix.clone();
        path.push(Step::Index(i));
        let label = entry
            .get("name")
            .and_then(Value::as_str)
            .map(|n| format!("template {i} (`{n}`)"))
            .unwrap_or_else(|| format!("template {i}"));
        let shape_error = |e: ShapeError| {
            let within = e.pointer_from(path.len());
            let at = locate(text, &e.path);
            let message = if within.is_empty() {
                format!("{label}: {}", e.message)
            } else {
                format!("{label}, {within}: {}", e.message)
            };
            CatalogueError::new(origin, at.or(Some((1, 1))), message)
        };
        let definition = TemplateDefinition::read(entry, &path).map_err(shape_error)?;
        if catalogue
            .get(definition.name(), definition.language())
            .is_some()
        {
            return Err(CatalogueError::new(
                origin,
                locate(text, &path).or(Some((1, 1))),
                format!(
                    "{label}: `{}` ({}) is listed twice; keep one",
                    definition.name(),
                    definition.language()
                ),
            ));
        }
        catalogue.insert(definition);
    }
    Ok(catalogue)
}

/// The line and column (1-based) where the value at `path` starts in `text` (valid JSON).
pub(crate) fn locate(text: &str, path: &[Step]) -> Option<(usize, usize)> {
    let mut s = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    s.ws();
    for step in path {
        match step {
            Step::Key(key) => {
                s.eat(b'{')?;
                loop {
                    s.ws();
                    if s.peek()? == b'}' {
                        return None;
                    }
                    let name = s.key()?;
                    s.ws();
                    s.eat(b':')?;
                    s.ws();
                    if name == *key {
                        break;
                    }
                    s.skip_value()?;
                    s.ws();
                    if s.peek()? == b',' {
                        s.pos += 1;
                    }
                }
            }
            Step::Index(index) => {
                s.eat(b'[')?;
                let mut n = 0;
                loop {
                    s.ws();
                    if s.peek()? == b']' {
                        return None;
                    }
                    if n == *index {
                        break;
                    }
                    s.skip_value()?;
                    s.ws();
                    if s.peek()? == b',' {
                        s.pos += 1;
                    }
                    n += 1;
                }
            }
        }
    }
    let before = text.get(..s.pos)?;
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column))
}

/// Just enough of a JSON reader to walk valid JSON by path.
struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.pos += 1)
    }

    /// Skips a string, the scanner on its opening quote.
    fn skip_string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Reads an object key, decoding its escapes.
    fn key(&mut self) -> Option<String> {
        let start = self.pos;
        self.skip_string()?;
        let raw = std::str::from_utf8(self.bytes.get(start..self.pos)?).ok()?;
        serde_json::from_str(raw).ok()
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.pos += 1;
                loop {
                    self.ws();
                    let b = self.peek()?;
                    if b == close {
                        self.pos += 1;
                        return Some(());
                    }
                    if b == b',' || b == b':' {
                        self.pos += 1;
                        continue;
                    }
                    self.skip_value()?;
                }
            }
            _ => {
                // A number, `true`, `false` or `null`.
                while self
                    .peek()
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.pos += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_values_by_path() {
        let text =
            "[\n  {\"name\": \"a\", \"x\": [1, {\"y\": \"}\"}]},\n  {\n    \"name\": 2\n  }\n]";
        assert_eq!(locate(text, &[]), Some((1, 1)));
        assert_eq!(locate(text, &[Step::Index(0)]), Some((2, 3)));
        assert_eq!(
            locate(text, &[Step::Index(1), Step::Key("name".into())]),
            Some((4, 13))
        );
        assert_eq!(
            locate(
                text,
                &[
                    Step::Index(0),
                    Step::Key("x".into()),
                    Step::Index(1),
                    Step::Key("y".into())
                ]
            ),
            Some((2, 32))
        );
        assert_eq!(locate(text, &[Step::Index(5)]), None);
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let e = parse("[\n  {\"name\": \"a\",}\n]", "t.json").unwrap_err();
        assert_eq!(e.line(), Some(2));
        assert!(
            e.to_string().starts_with("template catalogue t.json:2:"),
            "{e}"
        );
        assert!(e.message().starts_with("not valid JSON: "), "{e}");

        let text = "[\n  {\"name\": \"a\", \"language\": \"en\", \"status\": \"APPROVED\",\n   \"components\": [{\"type\": \"BUTTONS\", \"buttons\": [\n     {\"text\": \"x\"}]}]}\n]";
        let e = parse(text, "t.json").unwrap_err();
        assert_eq!(
            e.to_string(),
            "template catalogue t.json:4:6: template 0 (`a`), components[0].buttons[0]: missing `type`"
        );

        let e = parse("{\"code\": \"WA200\"}", "t.json").unwrap_err();
        assert_eq!(e.line(), Some(1));
        let dup = r#"[{"name":"a","language":"en","status":"APPROVED"},
{"name":"a","language":"en","status":"PAUSED"}]"#;
        let e = parse(dup, "t.json").unwrap_err();
        assert_eq!(e.line(), Some(2), "{e}");
        assert!(e.message().contains("listed twice"), "{e}");
    }

    #[test]
    fn the_whole_answer_is_accepted_too() {
        let c = parse(
            r#"{"code":"WA200","data":[{"name":"a","language":"en","status":"APPROVED"}],"error":{}}"#,
            "t.json",
        )
        .unwrap();
        assert_eq!(c.len(), 1);
    }

    /// A fresh directory under the system's temporary one.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kaleyra-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn discovery() {
        let dir = scratch("discover");
        write(
            &dir.join("Cargo.toml"),
            "[workspace]\nmembers = [\"a/b\"]\n",
        );
        let inner = dir.join("a").join("b");
        write(&inner.join("Cargo.toml"), "[package]\nname = \"b\"\n");
        assert_eq!(discover(&inner, Some("off".as_ref())), Discovery::Off);
        assert_eq!(discover(&inner, None), Discovery::NotFound);
        std::fs::write(dir.join(FILE_NAME), "[]").unwrap();
        assert_eq!(discover(&inner, None), Discovery::File(dir.join(FILE_NAME)));
        assert_eq!(
            discover(&inner, Some("".as_ref())),
            Discovery::File(dir.join(FILE_NAME))
        );
        assert_eq!(
            discover(&inner, Some("x.json".as_ref())),
            Discovery::File(inner.join("x.json"))
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Issue 18: discovery stopped only at `/`, so a dependency (a crate from the registry, in
    /// `~/.cargo/registry/src/…`) read a `kaleyra-templates.json` in the user's home.
    #[test]
    fn discovery_stops_at_the_workspace_root() {
        let home = scratch("discover-root");
        write(&home.join(FILE_NAME), "[]");
        // A crate from the registry: no workspace above it.
        let registry = home.join(".cargo/registry/src/index.crates.io-1/dep-1.0.0");
        write(&registry.join("Cargo.toml"), "[package]\nname = \"dep\"\n");
        assert_eq!(workspace_root(&registry), registry);
        assert_eq!(discover(&registry, None), Discovery::NotFound);
        assert_eq!(
            discover(&registry.join("src"), None),
            Discovery::NotFound,
            "from a directory inside the package too"
        );

        // A workspace in the home: its root is as far as its members look.
        let ws = home.join("work/app");
        write(
            &ws.join("Cargo.toml"),
            "[workspace]\nmembers = [\n  \"crates/*\", # the crates\n  \"tool\",\n]\nexclude = [\"crates/old\"]\n",
        );
        let member = ws.join("crates/api");
        write(&member.join("Cargo.toml"), "[package]\nname = \"api\"\n");
        assert_eq!(workspace_root(&member), ws);
        assert_eq!(discover(&member, None), Discovery::NotFound);
        write(&ws.join(FILE_NAME), "[]");
        assert_eq!(discover(&member, None), Discovery::File(ws.join(FILE_NAME)));
        // A nearer file wins.
        write(&member.join(FILE_NAME), "[]");
        assert_eq!(
            discover(&member, None),
            Discovery::File(member.join(FILE_NAME))
        );

        // Excluded, or not matched by `members`: the package is its own root.
        let old = ws.join("crates/old");
        write(&old.join("Cargo.toml"), "[package]\nname = \"old\"\n");
        assert_eq!(workspace_root(&old), old);
        assert_eq!(discover(&old, None), Discovery::NotFound);
        let stray = ws.join("vendor/stray");
        write(&stray.join("Cargo.toml"), "[package]\nname = \"stray\"\n");
        assert_eq!(workspace_root(&stray), stray);

        // `package.workspace` names the root.
        let named = ws.join("vendor/named");
        write(
            &named.join("Cargo.toml"),
            "[package]\nname = \"named\"\nworkspace = \"../..\"\n",
        );
        assert_eq!(workspace_root(&named), ws);
        // A package with its own `[workspace]` is its root, inside another workspace or not.
        let own = ws.join("tool");
        write(
            &own.join("Cargo.toml"),
            "[package]\nname = \"t\"\n[workspace]\n",
        );
        assert_eq!(workspace_root(&own), own);
        // No Cargo.toml at all: only the directory itself.
        let bare = home.join("bare/deeper");
        std::fs::create_dir_all(&bare).unwrap();
        assert_eq!(workspace_root(&bare), bare);
        assert_eq!(discover(&bare, None), Discovery::NotFound);

        assert_eq!(
            anchors(&member),
            vec![member.join("Cargo.toml"), ws.join("Cargo.toml")]
        );
        std::fs::remove_dir_all(&home).unwrap();
    }

    #[test]
    fn touching_anchors_keeps_their_content() {
        let dir = scratch("touch");
        let manifest = dir.join("Cargo.toml");
        write(&manifest, "[package]\nname = \"p\"\n");
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        std::fs::File::options()
            .append(true)
            .open(&manifest)
            .unwrap()
            .set_modified(old)
            .unwrap();
        assert_eq!(touch_anchors(&dir.join(FILE_NAME)), vec![manifest.clone()]);
        let meta = std::fs::metadata(&manifest).unwrap();
        assert!(meta.modified().unwrap() > old);
        assert_eq!(
            std::fs::read_to_string(&manifest).unwrap(),
            "[package]\nname = \"p\"\n"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
