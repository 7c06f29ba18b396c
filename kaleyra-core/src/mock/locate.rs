//! Where a JSON path (`screens[1].layout.children[2].label`, as `FlowJson::validate` names it)
//! is in the uploaded bytes: the line and column (1-based, in characters) where its value
//! starts and ends, for Meta's `validation_errors` (`line_start`, `column_start`, …). A path the
//! bytes do not hold (a member that is missing) is located at its nearest existing ancestor.

/// One step of a path: a member name or an array index.
#[derive(Debug, PartialEq, Eq)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn steps(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        while let Some(end) = rest.find(']') {
            if let Ok(i) = rest[1..end].parse() {
                out.push(Step::Index(i));
            }
            rest = &rest[end + 1..];
        }
    }
    out
}

/// A position in the bytes: line and column, 1-based.
pub(super) type Position = (u32, u32);

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Scanner<'_> {
    fn position(&self, at: usize) -> Position {
        let before = &self.bytes[..at.min(self.bytes.len())];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        (clamp(line), clamp(column))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    /// Skips a string (at its opening quote), returning its raw contents.
    fn string(&mut self) -> Option<&[u8]> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.at += 1;
        let start = self.at;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => self.at += 2,
                b'"' => {
                    let s = &self.bytes[start..self.at];
                    self.at += 1;
                    return Some(s);
                }
                _ => self.at += 1,
            }
        }
        None
    }

    /// Skips one value; false on bytes that are not JSON.
    fn skip(&mut self) -> bool {
        self.blank();
        match self.peek() {
            Some(b'"') => self.string().is_some(),
            Some(open @ (b'{' | b'[')) => {
                self.at += 1;
                let close = if open == b'{' { b'}' } else { b']' };
                loop {
                    self.blank();
                    match self.peek() {
                        Some(b) if b == close => {
                            self.at += 1;
                            return true;
                        }
                        Some(b',' | b':') => self.at += 1,
                        Some(_) => {
                            if !self.skip() {
                                return false;
                            }
                        }
                        None => return false,
                    }
                }
            }
            Some(_) => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                        break;
                    }
                    self.at += 1;
                }
                true
            }
            None => false,
        }
    }

    /// Moves to the start of the member `key` of the object here; false if there is none.
    fn member(&mut self, key: &str) -> bool {
        self.blank();
        if self.peek() != Some(b'{') {
            return false;
        }
        self.at += 1;
        loop {
            self.blank();
            match self.peek() {
                Some(b'"') => {
                    let name = self.string().map(|s| s == key.as_bytes());
                    self.blank();
                    if self.peek() != Some(b':') {
                        return false;
                    }
                    self.at += 1;
                    self.blank();
                    if name == Some(true) {
                        return true;
                    }
                    if !self.skip() {
                        return false;
                    }
                }
                Some(b',') => self.at += 1,
                _ => return false,
            }
        }
    }

    /// Moves to the start of element `index` of the array here; false if there is none.
    fn element(&mut self, index: usize) -> bool {
        self.blank();
        if self.peek() != Some(b'[') {
            return false;
        }
        self.at += 1;
        let mut i = 0;
        loop {
            self.blank();
            match self.peek() {
                Some(b']') | None => return false,
                Some(b',') => self.at += 1,
                Some(_) if i == index => return true,
                Some(_) => {
                    if !self.skip() {
                        return false;
                    }
                    i += 1;
                }
            }
        }
    }
}

/// Where the value at `path` starts and ends (its last character) in `bytes`: the root value
/// for an empty path, the nearest ancestor for a path the bytes do not hold.
pub(super) fn locate(bytes: &[u8], path: &str) -> (Position, Position) {
    let mut scanner = Scanner { bytes, at: 0 };
    scanner.blank();
    let mut found = scanner.at;
    for step in steps(path) {
        let moved = match step {
            Step::Key(k) => scanner.member(k),
            Step::Index(i) => scanner.element(i),
        };
        if !moved {
            break;
        }
        found = scanner.at;
    }
    scanner.at = found;
    let end = if scanner.skip() {
        scanner.at.saturating_sub(1).max(found)
    } else {
        found
    };
    (scanner.position(found), scanner.position(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_split_into_steps() {
        assert_eq!(
            steps("screens[1].layout.children[2].on-click-action"),
            [
                Step::Key("screens"),
                Step::Index(1),
                Step::Key("layout"),
                Step::Key("children"),
                Step::Index(2),
                Step::Key("on-click-action"),
            ]
        );
        assert!(steps("").is_empty());
    }

    #[test]
    fn values_are_located_by_line_and_column() {
        let doc = "{\n  \"version\": \"7.1\",\n  \"screens\": [\n    {\"id\": \"A\"},\n    {\"id\": \"B\", \"layout\": {\"children\": [1, {\"label\": \"Too long\"}]}}\n  ]\n}";
        let b = doc.as_bytes();
        assert_eq!(locate(b, "version"), ((2, 14), (2, 18)));
        assert_eq!(locate(b, "screens[0].id"), ((4, 12), (4, 14)));
        // The end is the value's last character, on another line for a multi-line value.
        assert_eq!(locate(b, "screens"), ((3, 14), (6, 3)));
        assert_eq!(
            locate(b, "screens[1].layout.children[1].label"),
            ((5, 54), (5, 63))
        );
        // A member that is not there: its nearest ancestor.
        assert_eq!(locate(b, "screens[1].title").0, (5, 5));
        assert_eq!(locate(b, "screens[7]").0, (3, 14));
        assert_eq!(locate(b, ""), ((1, 1), (7, 1)));
        // Not JSON: never a panic.
        assert_eq!(locate(b"{\"a\": [", "a[0]").0, (1, 7));
        assert_eq!(locate(b"", "a").0, (1, 1));
        // Characters, not bytes: é counts once.
        assert_eq!(locate("{\"é\": 1, \"b\": 2}".as_bytes(), "b").0, (1, 15));
    }
}
