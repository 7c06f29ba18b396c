//! The few JSON writing primitives the encoders need, byte-for-byte identical to `serde_json`'s
//! compact output, so that `Message::as_bytes()` equals `serde_json::to_vec(&message.to_json())`.

/// How a byte must be escaped inside a JSON string: 0 = copy as is, otherwise the escape letter
/// (`u` for `\u00XX`). Same table as `serde_json`'s.
static ESCAPE: [u8; 256] = {
    const UU: u8 = b'u';
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = UU;
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `s` as a quoted, escaped JSON string.
#[inline]
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    write_str_contents(out, s);
    out.push(b'"');
}

/// Whether any of the 8 bytes of `w` must be escaped: below 0x20, `"` or `\`. Exact (the
/// "has a byte less than n" and "has a zero byte" word tricks, which are exact as a whole for
/// n <= 128; bytes of 0x80 and up never match).
#[inline]
const fn needs_escape(w: u64) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = ONES * 0x80;
    const SPACES: u64 = ONES * 0x20;
    const QUOTES: u64 = ONES * 0x22; // `"`
    const BACKSLASHES: u64 = ONES * 0x5c; // `\`
    let control = w.wrapping_sub(SPACES) & !w;
    let quote = w ^ QUOTES;
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = w ^ BACKSLASHES;
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (control | quote | backslash) & HIGHS != 0
}

/// How many leading bytes of `bytes` need no escaping, 8 at a time.
#[inline]
fn clean_prefix(bytes: &[u8]) -> usize {
    let mut clean = 0;
    for chunk in bytes.chunks_exact(8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if needs_escape(u64::from_ne_bytes(word)) {
            break;
        }
        clean += 8;
    }
    clean
}

/// Appends the escaped contents of a JSON string, without quotes.
#[inline]
pub fn write_str_contents(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // Most text needs no escaping: skip what is clean 8 bytes at a time, then go byte by byte.
    let mut start = 0;
    let clean = clean_prefix(bytes);
    for (i, &b) in bytes.iter().enumerate().skip(clean) {
        let esc = ESCAPE[usize::from(b)];
        if esc == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        if esc == b'u' {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]);
        } else {
            out.extend_from_slice(&[b'\\', esc]);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// `s` as a quoted, escaped JSON string.
pub fn string(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len() + 2);
    write_str(&mut out, s);
    // Escaping only inserts ASCII into valid UTF-8, so this never fails.
    String::from_utf8(out).unwrap_or_default()
}

/// A small unsigned integer in decimal, written into `buf` (no allocation).
pub fn u8_str(n: u8, buf: &mut [u8; 3]) -> &str {
    let start = if n >= 100 {
        0
    } else if n >= 10 {
        1
    } else {
        2
    };
    buf[0] = b'0' + n / 100;
    buf[1] = b'0' + (n / 10) % 10;
    buf[2] = b'0' + n % 10;
    // ASCII digits only; the fallback is unreachable.
    core::str::from_utf8(&buf[start..]).unwrap_or("0")
}

/// `n` as `serde_json` writes an `f64`: the shortest text that reads back exactly (ryu), and
/// `null` for NaN and infinities.
pub fn f64_str(n: f64, buf: &mut ryu::Buffer) -> &str {
    if n.is_finite() {
        buf.format_finite(n)
    } else {
        "null"
    }
}

/// Before a member of an object that may or may not be the first: a comma unless the object
/// was just opened.
#[inline]
pub fn member_separator(out: &mut Vec<u8>) {
    if out.last() != Some(&b'{') {
        out.push(b',');
    }
}

/// An unsigned integer in decimal, as `serde_json` writes it (no allocation).
#[inline]
pub fn write_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// What a JSON value is, for messages: `null`, `a boolean`, `a number`, `a string`, `an array`,
/// `an object` (the catalogue's reader, the creation rules and the simulator's checks).
pub(crate) fn kind_of(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_serde_json() {
        let mut all = String::new();
        for c in (0u32..0x80).filter_map(char::from_u32) {
            all.push(c);
        }
        all.push_str("é€😀\u{2028}");
        let mut out = Vec::new();
        write_str(&mut out, &all);
        assert_eq!(out, serde_json::to_vec(&all).unwrap());
    }

    #[test]
    fn small_integers() {
        for n in 0..=255u8 {
            assert_eq!(u8_str(n, &mut [0; 3]), n.to_string());
        }
    }

    #[test]
    fn the_word_scan_finds_every_byte_to_escape() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = [b'a'; 8];
                word[at] = b;
                let expected = ESCAPE[usize::from(b)] != 0;
                assert_eq!(
                    needs_escape(u64::from_ne_bytes(word)),
                    expected,
                    "{b:#x} at {at}"
                );
            }
        }
        // Neighbours cannot mask or fake one another.
        for (a, b) in [
            (0xffu8, 0x1fu8),
            (0x00, 0x80),
            (0x21, 0x23),
            (0x5b, 0x5d),
            (0x1f, 0x20),
        ] {
            let word = u64::from_ne_bytes([a, b, a, b, a, b, a, b]);
            let expected = ESCAPE[usize::from(a)] != 0 || ESCAPE[usize::from(b)] != 0;
            assert_eq!(needs_escape(word), expected, "{a:#x} {b:#x}");
        }
        assert_eq!(clean_prefix(b"0123456789abcdef\\"), 16);
        assert_eq!(clean_prefix(b"0123456\\89abcdef"), 0);
    }

    #[test]
    fn integers_like_serde_json() {
        for n in [0, 1, 9, 10, 255, 1_767_225_600_000, u64::MAX] {
            let mut out = Vec::new();
            write_u64(&mut out, n);
            assert_eq!(out, serde_json::to_vec(&n).unwrap());
        }
    }

    #[test]
    fn floats_like_serde_json() {
        for n in [
            0.0,
            -0.0,
            1.0,
            12.947_123,
            -77.5,
            1e-7,
            90.0,
            f64::NAN,
            f64::INFINITY,
        ] {
            assert_eq!(
                f64_str(n, &mut ryu::Buffer::new()),
                serde_json::to_string(&n).unwrap()
            );
        }
    }
}
