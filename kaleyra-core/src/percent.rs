//! `%XX` decoding, shared by the simulator (URL paths) and the callback receiver (form bodies).

/// Decodes `%XX` escapes; with `plus_is_space` (form bodies) `+` is a space. Invalid escapes are
/// kept as they are and invalid UTF-8 is replaced: the callers compare the result, they never
/// fail on it.
pub(crate) fn decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |at: usize| bytes.get(at).and_then(|h| char::from(*h).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                // Two hex digits make at most 0xFF.
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'?'));
                i += 3;
            }
            (b'+', ..) if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_and_keeps_what_is_not_an_escape() {
        assert_eq!(decode("%2b%2B", false), "++");
        assert_eq!(decode("a+b", false), "a+b");
        assert_eq!(decode("a%20b+c%2", true), "a b c%2");
        assert_eq!(decode("%zz%41", true), "%zzA");
        assert_eq!(decode("%", false), "%");
        assert_eq!(decode("%ff", false), "\u{fffd}");
        assert_eq!(decode("é%C3%A9", false), "éé");
    }
}
