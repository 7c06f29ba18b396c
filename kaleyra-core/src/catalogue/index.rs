//! A catalogue read for lookups: what the derive uses.
//!
//! The derive checks a few structs against a catalogue that may hold thousands of templates, in
//! a proc macro that usually runs unoptimized. Building every template object (with
//! `serde_json::Value` maps) would cost more than the derives themselves, so
//! [`CatalogueIndex`] makes one pass over the text that validates its JSON syntax and its shape
//! (an array of objects, each with a string `name` and `language`, no pair twice), remembers
//! where each template is, and reads a template in full only when it is looked up (once).
//! Anything the pass does not accept is read again by the full parser, whose error names the
//! line.

use std::sync::OnceLock;

use serde_json::Value;

use super::definition::{Step, TemplateDefinition};
use super::file::{CatalogueError, locate, parse};
use super::shape::{Declared, Mismatch, Mismatches, Part, check};
use super::{codes, not_found};

/// One template of the text: its key, where it is, and its definition once read.
#[derive(Debug)]
struct Entry {
    name: String,
    language: String,
    /// Its position in the array (for messages).
    position: usize,
    /// Its object's bytes in the text.
    span: (usize, usize),
    definition: OnceLock<Result<TemplateDefinition, CatalogueError>>,
}

/// A catalogue file read for lookups: every template is found by name and language, and read
/// in full the first time it is looked up. Used by `#[derive(Template)]`; [`super::Catalogue`]
/// reads every template up front.
#[derive(Debug)]
pub struct CatalogueIndex {
    text: String,
    origin: String,
    /// Where the array of templates starts in the path (`data` when the file is Kaleyra's whole
    /// answer).
    prefix: Vec<Step>,
    /// Sorted by name, then language.
    entries: Vec<Entry>,
}

impl CatalogueIndex {
    /// Indexes a catalogue's text (as [`super::Catalogue::from_json_str`] reads it); `origin`
    /// names it in errors and messages.
    pub fn new(text: String, origin: &str) -> Result<CatalogueIndex, CatalogueError> {
        let scanned = scan(&text);
        let Some((prefix, found)) = scanned else {
            // Not something the one pass accepts: the full parser says what is wrong.
            let catalogue = parse(&text, origin)?;
            // It parses after all: use what it read.
            let entries = catalogue
                .iter()
                .enumerate()
                .map(|(position, t)| Entry {
                    name: t.name().to_owned(),
                    language: t.language().to_owned(),
                    position,
                    span: (0, 0),
                    definition: OnceLock::from(Ok(t.clone())),
                })
                .collect();
            return Ok(CatalogueIndex {
                text,
                origin: origin.to_owned(),
                prefix: Vec::new(),
                entries,
            });
        };
        let mut entries: Vec<Entry> = found
            .into_iter()
            .enumerate()
            .map(|(position, (name, language, span))| Entry {
                name,
                language,
                position,
                span,
                definition: OnceLock::new(),
            })
            .collect();
        entries.sort_by(|a, b| (&a.name, &a.language).cmp(&(&b.name, &b.language)));
        if let Some(pair) = entries
            .windows(2)
            .find(|w| w[0].name == w[1].name && w[0].language == w[1].language)
        {
            let second = pair[0].position.max(pair[1].position);
            let mut path = prefix.clone();
            path.push(Step::Index(second));
            return Err(CatalogueError::new(
                origin,
                locate(&text, &path).or(Some((1, 1))),
                format!(
                    "template {second} (`{}`): `{}` ({}) is listed twice; keep one",
                    pair[0].name, pair[0].name, pair[0].language
                ),
            ));
        }
        Ok(CatalogueIndex {
            text,
            origin: origin.to_owned(),
            prefix,
            entries,
        })
    }

    /// How many templates.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn range(&self, name: &str) -> &[Entry] {
        let start = self.entries.partition_point(|e| e.name.as_str() < name);
        let end = self.entries.partition_point(|e| e.name.as_str() <= name);
        &self.entries[start..end]
    }

    /// The template `name` in `language`, read in full the first time: `None` if there is none,
    /// `Some(Err)` if its object is not a template's shape.
    pub fn get(
        &self,
        name: &str,
        language: &str,
    ) -> Option<Result<&TemplateDefinition, &CatalogueError>> {
        let entry = self.range(name).iter().find(|e| e.language == language)?;
        Some(entry.definition.get_or_init(|| self.read(entry)).as_ref())
    }

    fn read(&self, entry: &Entry) -> Result<TemplateDefinition, CatalogueError> {
        let mut path = self.prefix.clone();
        path.push(Step::Index(entry.position));
        let label = format!("template {} (`{}`)", entry.position, entry.name);
        let object = self
            .text
            .get(entry.span.0..entry.span.1)
            .unwrap_or_default();
        // The scan accepted the text; should serde_json disagree, say where.
        let value: Value = serde_json::from_str(object).map_err(|e| {
            CatalogueError::new(
                &self.origin,
                locate(&self.text, &path).or(Some((1, 1))),
                format!("{label}: not valid JSON: {e}"),
            )
        })?;
        TemplateDefinition::read(value, &path).map_err(|e| {
            let within = e.pointer_from(path.len());
            CatalogueError::new(
                &self.origin,
                locate(&self.text, &e.path).or(Some((1, 1))),
                if within.is_empty() {
                    format!("{label}: {}", e.message)
                } else {
                    format!("{label}, {within}: {}", e.message)
                },
            )
        })
    }

    /// Checks a declaration against its template, as [`super::Catalogue::check_declared`]
    /// does. A template whose object is not a template's shape is one mismatch that names the
    /// file and line.
    pub fn check_declared(&self, declared: &Declared) -> Result<(), Mismatches> {
        let found = match self.get(&declared.name, &declared.language) {
            Some(Ok(template)) => check(template, declared),
            Some(Err(e)) => vec![Mismatch::new(
                Part::Template,
                codes::NOT_FOUND,
                e.to_string(),
                "",
            )],
            None => {
                let languages: Vec<&str> = self
                    .range(&declared.name)
                    .iter()
                    .map(|e| e.language.as_str())
                    .collect();
                let mut names: Vec<&str> = self.entries.iter().map(|e| e.name.as_str()).collect();
                names.dedup();
                vec![not_found(
                    declared,
                    &self.origin,
                    self.len(),
                    &names,
                    &languages,
                )]
            }
        };
        Mismatches::result(found)
    }
}

/// Nesting deeper than this is left to the full parser (serde_json's limit is 128).
const DEPTH_MAX: usize = 100;

/// A template found by the scan: name, language, and its object's bytes.
type Found = (String, String, (usize, usize));

/// What the scan expects next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    /// A value (after `:`, after `,` in an array, or the whole text).
    Value,
    /// A value or `]` (after `[`).
    ValueOrEnd,
    /// A key (after `,` in an object).
    Key,
    /// A key or `}` (after `{`).
    KeyOrEnd,
    /// `:` after a key.
    Colon,
    /// `,` or the end of the container (after a value).
    Next,
}

/// Which member of a template the next value is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Capture {
    None,
    Name,
    Language,
    /// The top-level object's `data`: the array of templates.
    Data,
}

/// The end of the string whose opening quote is at `start`, and whether it has escapes. `None`
/// for a string that is not valid JSON.
fn string_end(text: &str, bytes: &[u8], start: usize) -> Option<(usize, bool)> {
    let from = start + 1;
    // Most strings have no escape: find the closing quote with `memchr` (optimized even in an
    // unoptimized build) and look at the bytes one by one only if there is a backslash.
    let len = text.get(from..)?.find('"')?;
    if !bytes.get(from..from + len)?.contains(&b'\\') {
        return Some((from + len + 1, false));
    }
    let mut i = from;
    loop {
        match *bytes.get(i)? {
            b'"' => return Some((i + 1, true)),
            b'\\' => match *bytes.get(i + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                b'u' => {
                    if !bytes.get(i + 2..i + 6)?.iter().all(u8::is_ascii_hexdigit) {
                        return None;
                    }
                    i += 6;
                }
                _ => return None,
            },
            0x00..=0x1f => return None,
            _ => i += 1,
        }
    }
}

/// The string whose bytes (quotes included) are `raw`, decoded.
fn decode(raw: &str, escaped: bool) -> Option<String> {
    if escaped {
        // Lone surrogates and the like: serde_json decides, and the full parser explains.
        serde_json::from_str(raw).ok()
    } else {
        raw.get(1..raw.len() - 1).map(str::to_owned)
    }
}

/// One pass over the text that validates its JSON structure and finds each template of the
/// array (the whole text, or its top-level object's `data`): its name, language and bytes.
/// Written as one loop because the derive usually runs unoptimized, where a call per token
/// costs more than the token. `None` for anything it does not accept (the full parser then
/// says what is wrong). Strings are checked for their escapes; the templates a derive reads
/// are then parsed in full by serde_json.
fn scan(text: &str) -> Option<(Vec<Step>, Vec<Found>)> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    // The open containers: `true` for an object.
    let mut stack: Vec<bool> = Vec::new();
    let mut want = Want::Value;
    let mut capture = Capture::None;
    // The depth (stack length) of the array of templates, once it is open.
    let mut templates_at: Option<usize> = None;
    let mut top_is_object = false;
    let mut data_seen = false;
    let mut found: Vec<Found> = Vec::new();
    // The template being read: where it starts, its name and language.
    let mut current: Option<(usize, Option<String>, Option<String>)> = None;
    loop {
        while i < n && matches!(bytes[i], b' ' | b'\n' | b'\r' | b'\t') {
            i += 1;
        }
        if i >= n {
            break;
        }
        let c = bytes[i];
        match want {
            Want::Colon => {
                if c != b':' {
                    return None;
                }
                i += 1;
                want = Want::Value;
            }
            Want::Key | Want::KeyOrEnd if c == b'}' && want == Want::KeyOrEnd => {
                stack.pop();
                i += 1;
                if let Some(done) = close_object(&stack, templates_at, &mut current, i) {
                    found.push(done?);
                }
                want = Want::Next;
            }
            Want::Key | Want::KeyOrEnd => {
                if c != b'"' {
                    return None;
                }
                let (end, escaped) = string_end(text, bytes, i)?;
                let depth = stack.len();
                capture = Capture::None;
                if current.is_some() && Some(depth) == templates_at.map(|d| d + 1) {
                    match decode(text.get(i..end)?, escaped)?.as_str() {
                        "name" => capture = Capture::Name,
                        "language" => capture = Capture::Language,
                        _ => {}
                    }
                } else if depth == 1
                    && top_is_object
                    && decode(text.get(i..end)?, escaped)? == "data"
                {
                    if data_seen {
                        return None;
                    }
                    data_seen = true;
                    capture = Capture::Data;
                }
                i = end;
                want = Want::Colon;
            }
            Want::Next => {
                let object = *stack.last()?;
                match c {
                    b',' => {
                        i += 1;
                        want = if object { Want::Key } else { Want::Value };
                    }
                    b'}' if object => {
                        stack.pop();
                        i += 1;
                        if let Some(done) = close_object(&stack, templates_at, &mut current, i) {
                            found.push(done?);
                        }
                    }
                    b']' if !object => {
                        stack.pop();
                        i += 1;
                    }
                    _ => return None,
                }
            }
            Want::Value | Want::ValueOrEnd => {
                if c == b']' && want == Want::ValueOrEnd {
                    stack.pop();
                    i += 1;
                    want = Want::Next;
                    continue;
                }
                // A template's name or language must be a string; `data` an array.
                let taken = std::mem::replace(&mut capture, Capture::None);
                match (taken, c) {
                    (Capture::Name | Capture::Language, b'"') | (Capture::Data, b'[') => {}
                    (Capture::None, _) => {}
                    _ => return None,
                }
                match c {
                    b'{' | b'[' => {
                        if stack.len() >= DEPTH_MAX {
                            return None;
                        }
                        let object = c == b'{';
                        if stack.is_empty() {
                            top_is_object = object;
                            if !object {
                                templates_at = Some(1);
                            }
                        } else if taken == Capture::Data {
                            templates_at = Some(stack.len() + 1);
                        }
                        if object && Some(stack.len()) == templates_at {
                            current = Some((i, None, None));
                        } else if !object && Some(stack.len()) == templates_at {
                            // An array where a template should be.
                            return None;
                        }
                        stack.push(object);
                        i += 1;
                        want = if object {
                            Want::KeyOrEnd
                        } else {
                            Want::ValueOrEnd
                        };
                        continue;
                    }
                    _ if Some(stack.len()) == templates_at => {
                        // A template that is not an object.
                        return None;
                    }
                    b'"' => {
                        let (end, escaped) = string_end(text, bytes, i)?;
                        if taken != Capture::None {
                            let value = decode(text.get(i..end)?, escaped)?;
                            let (_, name, language) = current.as_mut()?;
                            let slot = if taken == Capture::Name {
                                name
                            } else {
                                language
                            };
                            if slot.replace(value).is_some() {
                                // A member given twice: left to the full parser.
                                return None;
                            }
                        }
                        i = end;
                    }
                    b't' | b'f' | b'n' => {
                        let word: &[u8] = match c {
                            b't' => b"true",
                            b'f' => b"false",
                            _ => b"null",
                        };
                        if bytes.get(i..i + word.len())? != word {
                            return None;
                        }
                        i += word.len();
                    }
                    b'-' | b'0'..=b'9' => {
                        // -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
                        if bytes[i] == b'-' {
                            i += 1;
                        }
                        let digits = |mut i: usize| {
                            let start = i;
                            while i < n && bytes[i].is_ascii_digit() {
                                i += 1;
                            }
                            (i > start).then_some(i)
                        };
                        i = if bytes.get(i) == Some(&b'0') {
                            i + 1
                        } else {
                            digits(i)?
                        };
                        if bytes.get(i) == Some(&b'.') {
                            i = digits(i + 1)?;
                        }
                        if let Some(b'e' | b'E') = bytes.get(i) {
                            i += 1;
                            if let Some(b'+' | b'-') = bytes.get(i) {
                                i += 1;
                            }
                            i = digits(i)?;
                        }
                    }
                    _ => return None,
                }
                if stack.is_empty() {
                    // A whole text that is a scalar.
                    return None;
                }
                want = Want::Next;
            }
        }
    }
    // The text must be one complete value that held the array of templates.
    if !stack.is_empty() || want != Want::Next || templates_at.is_none() {
        return None;
    }
    let prefix = if top_is_object {
        vec![Step::Key("data".to_owned())]
    } else {
        Vec::new()
    };
    Some((prefix, found))
}

/// After an object closed at `end` (the stack already popped): the template it was, if it was
/// one (`Some(None)` if it lacks its name or language).
fn close_object(
    stack: &[bool],
    templates_at: Option<usize>,
    current: &mut Option<(usize, Option<String>, Option<String>)>,
    end: usize,
) -> Option<Option<Found>> {
    if Some(stack.len()) != templates_at {
        return None;
    }
    let (start, name, language) = current.take()?;
    Some(match (name, language) {
        (Some(name), Some(language)) => Some((name, language, (start, end))),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;

    const TEXT: &str = r#"[
  {"name": "b", "language": "en", "status": "APPROVED", "x": [1, -2.5e3, true, null, {"y": "\u00e9\n"}],
   "components": [{"type": "BODY", "text": "Hi {{1}}"}]},
  {"language": "de", "name": "a\u0062", "status": "PAUSED"},
  {"name": "bad", "language": "en", "status": "APPROVED", "components": {"type": "BODY"}}
]"#;

    #[test]
    fn indexes_and_reads_on_lookup() {
        let index = CatalogueIndex::new(TEXT.to_owned(), "t.json").unwrap();
        assert_eq!(index.len(), 3);
        let b = index.get("b", "en").unwrap().unwrap();
        assert_eq!(b.body_parameters().len(), 1);
        assert_eq!(
            index.get("ab", "de").unwrap().unwrap().status().as_str(),
            "PAUSED"
        );
        assert!(index.get("b", "de").is_none());
        // A template that is not a template's shape is an error when it is looked up, at its
        // line.
        let e = index.get("bad", "en").unwrap().unwrap_err();
        assert_eq!(
            e.to_string(),
            "template catalogue t.json:5:73: template 2 (`bad`), components: `components` must be \
             an array, found an object"
        );
        // The same file read up front reports it at once.
        let eager = Catalogue::from_json_str(TEXT, "t.json").unwrap_err();
        assert_eq!(eager.to_string(), e.to_string());
    }

    #[test]
    fn what_the_scan_refuses_the_full_parser_explains() {
        for (text, line) in [
            (
                "[\n{\"name\": \"a\", \"language\": \"en\", \"status\": \"APPROVED\",}\n]",
                2,
            ),
            (
                "[{\"name\": 1, \"language\": \"en\", \"status\": \"APPROVED\"}]",
                1,
            ),
            ("[{\"name\": \"a\", \"status\": \"APPROVED\"}]", 1),
            (
                "[{\"name\": \"a\", \"language\": \"en\", \"status\": \"APPROVED\", \"n\": 01}]",
                1,
            ),
            (
                "[{\"name\": \"a\", \"language\": \"en\", \"status\": \"APPROVED\"}] x",
                1,
            ),
            ("{\"code\": \"WA200\"}", 1),
            (
                "[\n{\"name\": \"a\", \"language\": \"en\", \"status\": \"APPROVED\"},\n{\"name\": \"a\", \"language\": \"en\", \"status\": \"APPROVED\"}]",
                3,
            ),
            ("", 1),
            ("[\"\\x\"]", 1),
            ("{\"data\": [], \"data\": [{\"name\": 1}]}", 1),
        ] {
            let e = CatalogueIndex::new(text.to_owned(), "t.json").unwrap_err();
            assert_eq!(e.line(), Some(line), "{text}: {e}");
            assert_eq!(
                Catalogue::from_json_str(text, "t.json").map(|_| ()),
                Err(e.clone()),
                "{text}"
            );
        }
        let deep = format!("[{}{}]", "[".repeat(200), "]".repeat(200));
        assert!(CatalogueIndex::new(deep, "t.json").is_err());
    }

    #[test]
    fn the_answer_envelope_is_indexed_too() {
        let text = r#"{"code": "WA200", "data": [{"name": "a", "language": "en", "status": "APPROVED"}], "error": {}}"#;
        let index = CatalogueIndex::new(text.to_owned(), "t.json").unwrap();
        assert!(index.get("a", "en").unwrap().is_ok());
    }

    #[test]
    fn checks_agree_with_the_catalogue() {
        let text = include_str!("../mock/seed-templates.json");
        let index = CatalogueIndex::new(text.to_owned(), "k.json").unwrap();
        let catalogue = Catalogue::from_json_str(text, "k.json").unwrap();
        for (name, language, body) in [
            ("order_shipped", "en_US", 3),
            ("order_shipped", "en_US", 2),
            ("order_shiped", "en_US", 3),
            ("order_shipped", "de", 3),
        ] {
            let mut d = super::super::Declared::new(
                name,
                language,
                super::super::DeclaredKind::Standard,
                super::super::Subject::Struct,
            );
            d.body = super::super::DeclaredBody::Positional(body);
            assert_eq!(index.check_declared(&d), catalogue.check_declared(&d));
        }
    }

    proptest::proptest! {
        /// Any text: no panic, and what the scan refuses, the full parser refuses with the same
        /// error (it may accept templates the full parser would refuse: those are read when
        /// looked up).
        #[test]
        fn never_panics_and_refuses_what_the_parser_refuses(
            text in "[\\[\\]{}\",: a-z0-9\\\\.eE+-]{0,60}",
            cut in 0usize..2000,
        ) {
            let seeds = include_str!("../mock/seed-templates.json");
            for text in [text.clone(), format!("[{{\"name\":\"a\",\"language\":\"b\",\"x\":{text}}}]"),
                         seeds.get(..cut.min(seeds.len())).unwrap_or_default().to_owned()] {
                if let Err(e) = CatalogueIndex::new(text.clone(), "t") {
                    proptest::prop_assert_eq!(Catalogue::from_json_str(&text, "t").err(), Some(e));
                }
            }
        }
    }
}
