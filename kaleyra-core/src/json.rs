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

/// Appends the escaped contents of a JSON string, without quotes.
#[inline]
pub fn write_str_contents(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
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
