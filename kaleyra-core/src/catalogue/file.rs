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
    /// This file (named by `KALEYRA_TEMPLATES`, or found; it may not exist when named).
    File(PathBuf),
    /// No file: only the format rules are checked.
    NotFound,
}

/// Finds the catalogue for a crate in `dir` (the derive passes `CARGO_MANIFEST_DIR`, the CLI the
/// current directory): `env` is the value of `KALEYRA_TEMPLATES`, which is `off` (any case) or a
/// path (a relative one is taken from `dir`); when it is unset or empty, the nearest
/// `kaleyra-templates.json` in `dir` or above it.
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
    match env.filter(|v| !v.is_empty()) {
        Some(v)
            if v.to_str()
                .is_some_and(|s| s.trim().eq_ignore_ascii_case("off")) =>
        {
            Discovery::Off
        }
        Some(v) => Discovery::File(dir.join(v)),
        None => dir
            .ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
            .map_or(Discovery::NotFound, Discovery::File),
    }
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

    #[test]
    fn discovery() {
        let dir = std::env::temp_dir().join(format!("kaleyra-discover-{}", std::process::id()));
        let inner = dir.join("a").join("b");
        std::fs::create_dir_all(&inner).unwrap();
        assert_eq!(discover(&inner, Some("off".as_ref())), Discovery::Off);
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
}
