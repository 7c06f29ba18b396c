//! Every rule the library enforces, each written exactly once.
//!
//! The derive macros call these functions at compile time (on literals) and the runtime calls the
//! same functions on values, so a limit or a closed set can never disagree between the two.
//! The source of each rule is given beside it; `RULES.md` in the project's shared notes lists them
//! all.

use core::fmt;

/// Longest template name (Meta; Kaleyra: "Maximum 512 characters is supported").
pub const TEMPLATE_NAME_MAX: usize = 512;
/// Longest one-time password (Kaleyra: "Maximum 15 characters").
pub const OTP_MAX: usize = 15;
/// Longest template body parameter (Meta).
pub const BODY_PARAMETER_MAX: usize = 1024;
/// Longest header text: a template header parameter or an interactive message header (Meta).
pub const HEADER_TEXT_MAX: usize = 60;
/// Longest body text of an interactive flow message (Meta).
pub const FLOW_BODY_MAX: usize = 1024;
/// Longest footer text of an interactive flow message (Meta).
pub const FLOW_FOOTER_MAX: usize = 60;
/// Longest call-to-action label of a flow message (Meta now advises 30; older pages said 20).
pub const FLOW_CTA_MAX: usize = 30;
/// Longest `ref`, `ref1` or `ref2` of `extra_info`; Kaleyra truncates longer values.
pub const REF_MAX: usize = 255;
/// Highest button index: a template has up to 10 buttons, indexed 0 to 9 (Kaleyra, Meta).
pub const BUTTON_INDEX_MAX: u8 = 9;
/// Most digits in an E.164 number, country code included (ITU-T E.164).
pub const PHONE_DIGITS_MAX: usize = 15;
/// The only language policy of a single-product template (Kaleyra's document, Meta).
pub const LANGUAGE_POLICY: &str = "deterministic";
/// The `flow_message_version` Meta requires in an interactive flow message.
pub const FLOW_MESSAGE_VERSION: &str = "3";

/// Most buttons a template has (Meta: "up to 10 buttons"; indexes 0-9).
pub const BUTTONS_MAX: usize = 10;
/// Longest coupon code of a copy-code button (Meta, coupon code templates: 15 characters).
pub const COUPON_CODE_MAX: usize = 15;
/// Most cards in a carousel template (Meta: "up to 10 cards").
pub const CARDS_MAX: usize = 10;
/// Most buttons on one carousel card (Meta: "up to two buttons").
pub const CARD_BUTTONS_MAX: usize = 2;
/// Most sections of a multi-product (MPM) button (Meta: up to 10 sections).
pub const MPM_SECTIONS_MAX: usize = 10;
/// Most products across the sections of a multi-product (MPM) button (Kaleyra: "up to 30
/// products").
pub const MPM_PRODUCTS_MAX: usize = 30;
/// Longest title of a multi-product section (Meta: 24 characters).
pub const MPM_SECTION_TITLE_MAX: usize = 24;
/// Longest URL button suffix: the whole URL is at most 2000 characters (Meta).
pub const URL_SUFFIX_MAX: usize = 2000;
/// Longest media link (Meta's URL limit, 2000 characters).
pub const MEDIA_LINK_MAX: usize = 2000;
/// Longest document file name (Kaleyra's media upload: 1-255 characters).
pub const FILENAME_MAX: usize = 255;
/// Most consecutive spaces in a template text parameter (Meta refuses more than four).
pub const CONSECUTIVE_SPACES_MAX: usize = 4;

/// The template languages WhatsApp supports, one `code|name` per line (Meta's list).
const LANGUAGES_TXT: &str = include_str!("languages.txt");

/// The `wa_source` values Kaleyra documents; any other value is treated as `api`.
pub const WA_SOURCES: [&str; 13] = [
    "api",
    "clevertap",
    "zoho",
    "webengage",
    "shopify",
    "leadsquared",
    "responsys",
    "braze",
    "hubspot",
    "salesforce",
    "zapier",
    "eloqua",
    "moengage",
];

/// Why a value breaks a rule. It names the rule, not the value's role: callers add the role
/// ("the OTP", "body parameter 2") when they report it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Violation {
    /// The value is empty.
    Empty,
    /// The value has more characters than the rule allows.
    TooLong {
        /// The most characters allowed.
        max: usize,
        /// How many characters the value has.
        len: usize,
    },
    /// The value contains a character the rule does not allow.
    BadChar {
        /// The first offending character.
        ch: char,
        /// What the rule allows, e.g. "lowercase letters, digits and underscores".
        allowed: &'static str,
    },
    /// The value contains an emoji, which the rule forbids.
    Emoji {
        /// The first emoji character found.
        ch: char,
    },
    /// A number outside its range.
    OutOfRange {
        /// The value given.
        value: i128,
        /// The smallest allowed.
        min: i128,
        /// The largest allowed.
        max: i128,
    },
    /// A phone number that is not E.164 with a leading `+`.
    NotE164 {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A value outside a closed set.
    Unknown {
        /// What kind of value, e.g. "language".
        what: &'static str,
        /// The nearest valid value, if one is close.
        suggestion: Option<&'static str>,
    },
    /// A JSON value of the wrong shape (e.g. not an object).
    NotObject {
        /// What it was instead ("an array", "null", ...).
        found: &'static str,
    },
    /// An object that must have at least one member.
    EmptyObject,
    /// A combination of settings that does not go together.
    Invalid {
        /// Why.
        reason: &'static str,
    },
    /// A value whose `Serialize` implementation failed or produced no JSON.
    NotJson {
        /// What the serializer reported.
        reason: String,
    },
    /// A value given twice where each must be unique (a button index, a parameter name).
    Duplicate {
        /// What is duplicated, e.g. "button index".
        what: &'static str,
        /// The duplicated value.
        value: String,
    },
    /// Too many or too few items.
    Count {
        /// What is counted, e.g. "cards".
        what: &'static str,
        /// The fewest allowed.
        min: usize,
        /// The most allowed.
        max: usize,
        /// How many there are.
        found: usize,
    },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::Empty => f.write_str("must not be empty"),
            Violation::TooLong { max, len } => {
                write!(f, "must be at most {max} characters, found {len}")
            }
            Violation::BadChar { ch, allowed } => {
                write!(f, "contains {ch:?}; only {allowed} are allowed")
            }
            Violation::Emoji { ch } => write!(f, "must not contain emoji, found {ch:?}"),
            Violation::OutOfRange { value, min, max } => {
                write!(f, "must be between {min} and {max}, found {value}")
            }
            Violation::NotE164 { reason } => {
                write!(f, "is not an E.164 number (`+` then 1-15 digits): {reason}")
            }
            Violation::Unknown { what, suggestion } => {
                write!(f, "is not a known {what}")?;
                if let Some(s) = suggestion {
                    write!(f, "; did you mean `{s}`?")?;
                }
                Ok(())
            }
            Violation::NotObject { found } => write!(f, "must be a JSON object, found {found}"),
            Violation::EmptyObject => f.write_str("must be a JSON object with at least one member"),
            Violation::Invalid { reason } => write!(f, "is invalid: {reason}"),
            Violation::NotJson { reason } => write!(f, "could not be serialized as JSON: {reason}"),
            Violation::Duplicate { what, value } => write!(f, "has {what} `{value}` twice"),
            Violation::Count {
                what,
                min,
                max,
                found,
            } => {
                if min == max {
                    write!(f, "must have exactly {min} {what}, found {found}")
                } else if *min == 0 {
                    write!(f, "must have at most {max} {what}, found {found}")
                } else {
                    write!(f, "must have {min} to {max} {what}, found {found}")
                }
            }
        }
    }
}

impl std::error::Error for Violation {}

/// Counts characters the way WhatsApp's limits do: Unicode scalar values.
fn chars(s: &str) -> usize {
    // ASCII is the common case and its byte length is its character count.
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Checks that `s` is not empty and has at most `max` characters.
pub fn check_len(s: &str, max: usize) -> Result<(), Violation> {
    if s.is_empty() {
        return Err(Violation::Empty);
    }
    let len = chars(s);
    if len > max {
        return Err(Violation::TooLong { max, len });
    }
    Ok(())
}

/// Lowercase ASCII letters, digits and underscores: what template and parameter names share.
fn check_snake_chars(name: &str) -> Result<(), Violation> {
    match name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_'))
    {
        Some(ch) => Err(Violation::BadChar {
            ch,
            allowed: "lowercase ASCII letters, digits and underscores",
        }),
        None => Ok(()),
    }
}

/// Template name: 1-512 characters, lowercase letters, digits and underscores (Meta, Kaleyra).
pub fn check_template_name(name: &str) -> Result<(), Violation> {
    check_len(name, TEMPLATE_NAME_MAX)?;
    check_snake_chars(name)
}

/// The supported template languages as `(code, English name)`, in Meta's order.
pub fn languages() -> impl Iterator<Item = (&'static str, &'static str)> {
    LANGUAGES_TXT.lines().filter_map(|line| {
        let line = line.trim();
        let (code, name) = line.split_once('|')?;
        Some((code.trim(), name.trim()))
    })
}

/// Looks up a template language code (case-sensitive, with an underscore: `en_US`).
///
/// Returns the code as it is stored in the table, so that callers can keep a `&'static str`.
pub fn language(code: &str) -> Result<&'static str, Violation> {
    match languages().find(|(c, _)| *c == code) {
        Some((c, _)) => Ok(c),
        None => Err(Violation::Unknown {
            what: "template language code",
            suggestion: suggest(code, languages().map(|(c, _)| c)),
        }),
    }
}

/// Button index: 0 to 9, the button's position in the approved template.
pub fn check_button_index(index: i128) -> Result<u8, Violation> {
    u8::try_from(index)
        .ok()
        .filter(|i| *i <= BUTTON_INDEX_MAX)
        .ok_or(Violation::OutOfRange {
            value: index,
            min: 0,
            max: i128::from(BUTTON_INDEX_MAX),
        })
}

/// One-time password: 1-15 characters, no whitespace or control characters (Kaleyra's limit;
/// the character rule is this library's choice, since a code with a space cannot be copied whole).
pub fn check_otp(otp: &str) -> Result<(), Violation> {
    check_len(otp, OTP_MAX)?;
    if let Some(ch) = otp.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(Violation::BadChar {
            ch,
            allowed: "characters other than whitespace and control characters",
        });
    }
    Ok(())
}

/// A template body parameter: not empty, at most 1024 characters, and no newline, tab or more
/// than four consecutive spaces (Meta: "Param text cannot have new-line/tab characters or more
/// than 4 consecutive spaces").
pub fn check_body_parameter(text: &str) -> Result<(), Violation> {
    check_len(text, BODY_PARAMETER_MAX)?;
    check_parameter_text(text)
}

/// A template header text parameter: not empty, at most 60 characters, and the text-parameter
/// rule of [`check_body_parameter`] (Meta).
pub fn check_header_parameter(text: &str) -> Result<(), Violation> {
    check_len(text, HEADER_TEXT_MAX)?;
    check_parameter_text(text)
}

/// What WhatsApp refuses in any template text parameter: a newline (`\n`, and `\r`: **choice**,
/// it breaks a line too), a tab, or more than four consecutive spaces (Meta, error 132018 /
/// "Param text cannot have new-line/tab characters or more than 4 consecutive spaces").
pub fn check_parameter_text(text: &str) -> Result<(), Violation> {
    let mut spaces = 0usize;
    for ch in text.chars() {
        match ch {
            '\n' | '\r' | '\t' => {
                return Err(Violation::BadChar {
                    ch,
                    allowed: "characters other than newlines and tabs (WhatsApp refuses them in \
                              template parameters)",
                });
            }
            ' ' => {
                spaces += 1;
                if spaces > CONSECUTIVE_SPACES_MAX {
                    return Err(Violation::Invalid {
                        reason: "more than four consecutive spaces (WhatsApp refuses them in \
                                 template parameters)",
                    });
                }
            }
            _ => spaces = 0,
        }
    }
    Ok(())
}

/// Header text: not empty, at most 60 characters (Meta).
pub fn check_header_text(text: &str) -> Result<(), Violation> {
    check_len(text, HEADER_TEXT_MAX)
}

/// Interactive flow message body text: not empty, at most 1024 characters (Meta).
pub fn check_flow_body(text: &str) -> Result<(), Violation> {
    check_len(text, FLOW_BODY_MAX)
}

/// Interactive flow message footer text: not empty, at most 60 characters (Meta).
pub fn check_flow_footer(text: &str) -> Result<(), Violation> {
    check_len(text, FLOW_FOOTER_MAX)
}

/// A flow token, product retailer id, flow name or screen id: any non-empty text.
pub fn check_non_empty(text: &str) -> Result<(), Violation> {
    if text.is_empty() {
        Err(Violation::Empty)
    } else {
        Ok(())
    }
}

/// Flow call-to-action label: not empty, no emoji, at most 30 characters (Meta).
pub fn check_flow_cta(cta: &str) -> Result<(), Violation> {
    check_len(cta, FLOW_CTA_MAX)?;
    if let Some(ch) = cta.chars().find(|c| is_emoji(*c)) {
        return Err(Violation::Emoji { ch });
    }
    Ok(())
}

/// A numeric identifier (WABA id, flow id): 1 or more ASCII digits.
pub fn check_digits(id: &str) -> Result<(), Violation> {
    if id.is_empty() {
        return Err(Violation::Empty);
    }
    if let Some(ch) = id.chars().find(|c| !c.is_ascii_digit()) {
        return Err(Violation::BadChar {
            ch,
            allowed: "ASCII digits",
        });
    }
    Ok(())
}

/// `flow_action_payload` of an interactive flow message (Meta): sent only with `navigate`, and
/// its `data` belongs to a `screen`.
pub fn check_flow_payload(
    action: crate::layout::FlowAction,
    screen: bool,
    data: bool,
) -> Result<(), Violation> {
    use crate::layout::FlowAction;
    let reason = match action {
        FlowAction::DataExchange if screen => {
            "`data_exchange` takes no `screen`: the flow's endpoint chooses the first screen \
             (flow_action_payload is only sent with `navigate`)"
        }
        FlowAction::DataExchange if data => {
            "`data_exchange` takes no data: the flow's endpoint provides it \
             (flow_action_payload is only sent with `navigate`)"
        }
        FlowAction::Navigate if data && !screen => {
            "flow data needs a `screen`: it is the input of that first screen"
        }
        _ => return Ok(()),
    };
    Err(Violation::Invalid { reason })
}

/// Whether `c` is an emoji or part of an emoji sequence (pictographs, dingbats, symbols,
/// regional indicators, keycap and variation selectors, the zero-width joiner).
pub fn is_emoji(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00A9 | 0x00AE | 0x203C | 0x2049 | 0x2122 | 0x2139
            | 0x2194..=0x21AA
            | 0x200D
            | 0x20E3
            | 0x231A..=0x23FF
            | 0x24C2
            | 0x25AA..=0x25FE
            | 0x2600..=0x27BF
            | 0x2934..=0x2935
            | 0x2B05..=0x2B55
            | 0x3030 | 0x303D | 0x3297 | 0x3299
            | 0xFE0E..=0xFE0F
            | 0x1F000..=0x1FAFF
            | 0xE0020..=0xE007F
    )
}

/// Validates an E.164 phone number and calls `digit` for each of its digits, in order.
///
/// Accepted: a leading `+`, then 1-15 digits, the first not `0`; spaces, hyphens and parentheses
/// between them are ignored (Meta accepts them). A number without `+` is refused:
/// WhatsApp would prepend the business's own country code and could deliver to someone else.
pub fn for_each_phone_digit(number: &str, mut digit: impl FnMut(u8)) -> Result<(), Violation> {
    let trimmed = number.trim();
    let Some(rest) = trimmed.strip_prefix('+') else {
        return Err(Violation::NotE164 {
            reason: if trimmed.is_empty() {
                "it is empty"
            } else {
                "it must start with `+` and the country code"
            },
        });
    };
    let mut count = 0usize;
    for b in rest.bytes() {
        match b {
            b'0'..=b'9' => {
                if count == 0 && b == b'0' {
                    return Err(Violation::NotE164 {
                        reason: "a country code never starts with 0",
                    });
                }
                count += 1;
                if count > PHONE_DIGITS_MAX {
                    return Err(Violation::NotE164 {
                        reason: "it has more than 15 digits",
                    });
                }
                digit(b);
            }
            b' ' | b'-' | b'(' | b')' => {}
            _ => {
                return Err(Violation::NotE164 {
                    reason: "only digits, spaces, hyphens and parentheses may follow `+`",
                });
            }
        }
    }
    if count == 0 {
        return Err(Violation::NotE164 {
            reason: "it has no digits",
        });
    }
    Ok(())
}

/// Validates an E.164 number and returns it normalized: `+` and the digits only.
pub fn normalize_phone(number: &str) -> Result<String, Violation> {
    let mut out = String::with_capacity(PHONE_DIGITS_MAX + 1);
    out.push('+');
    for_each_phone_digit(number, |d| out.push(char::from(d)))?;
    Ok(out)
}

/// The nearest candidate to `input`, if one is close enough to be a likely typo.
///
/// Compares case-insensitively with `-` read as `_` first (so `en-us` finds `en_US`), then by
/// edit distance, allowing about one edit per three characters.
pub fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let folded = fold(input);
    let mut best: Option<(usize, &'a str)> = None;
    for cand in candidates {
        let d = if fold(cand) == folded {
            0
        } else {
            edit_distance(&folded, &fold(cand))
        };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, cand));
        }
    }
    let limit = (chars(input) / 3).max(1);
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

fn fold(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// Optimal string alignment distance: insertions, deletions, substitutions and transpositions
/// of neighbours each count one (`lnag` is one edit from `lang`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// Truncates `s` to at most `max` characters, on a character boundary (never splits a UTF-8
/// sequence, never panics). Kaleyra truncates `ref`, `ref1` and `ref2` this way.
pub fn truncate_chars(s: &str, max: usize) -> &str {
    // At most `max` bytes is at most `max` characters: nothing to count.
    if s.len() <= max {
        return s;
    }
    match s.char_indices().nth(max) {
        Some((byte, _)) => &s[..byte],
        None => s,
    }
}

// ------------------------------------------------------------------------ general templates

/// A named template parameter: lowercase ASCII letters, digits and underscores (Meta:
/// `parameter_format: NAMED`).
pub fn check_parameter_name(name: &str) -> Result<(), Violation> {
    if name.is_empty() {
        return Err(Violation::Empty);
    }
    check_snake_chars(name)
}

/// The body parameters of one template: all named or all positional (Meta: a template's
/// `parameter_format` is NAMED or POSITIONAL), each name valid and used once. `names` holds
/// each parameter's name, `None` for a positional one. On error, returns the position of the
/// offending parameter.
pub fn check_parameter_names(names: &[Option<&str>]) -> Result<(), (usize, Violation)> {
    let named = names.iter().filter(|n| n.is_some()).count();
    if named != 0 && named != names.len() {
        let at = names
            .iter()
            .position(|n| n.is_some() != names[0].is_some())
            .unwrap_or(0);
        return Err((
            at,
            Violation::Invalid {
                reason: "named and positional parameters are mixed: a template's parameters \
                         are all named ({{name}}) or all positional ({{1}}, {{2}}, ...)",
            },
        ));
    }
    for (i, name) in names.iter().enumerate() {
        let Some(name) = name else { continue };
        check_parameter_name(name).map_err(|v| (i, v))?;
        if names[..i].contains(&Some(name)) {
            return Err((
                i,
                Violation::Duplicate {
                    what: "parameter name",
                    value: (*name).to_owned(),
                },
            ));
        }
    }
    Ok(())
}

/// The buttons of one template (or of one carousel card), as `(sub_type, index)` in the order
/// given: each index 0-9 and used once, at most 10 buttons, at most one copy-code button (Meta:
/// "Templates are limited to one copy code button"). On error, returns the position of the
/// offending button.
pub fn check_buttons(
    buttons: &[(crate::layout::ButtonKind, i128)],
) -> Result<(), (usize, Violation)> {
    use crate::layout::ButtonKind;
    for (i, (kind, index)) in buttons.iter().enumerate() {
        check_button_index(*index).map_err(|v| (i, v))?;
        if buttons[..i].iter().any(|(_, other)| other == index) {
            return Err((
                i,
                Violation::Duplicate {
                    what: "button index",
                    value: index.to_string(),
                },
            ));
        }
        if *kind == ButtonKind::CopyCode
            && buttons[..i]
                .iter()
                .filter(|(k, _)| *k == ButtonKind::CopyCode)
                .count()
                >= COPY_CODE_BUTTONS_MAX
        {
            return Err((
                i,
                Violation::Invalid {
                    reason: "a template has at most one copy-code button",
                },
            ));
        }
        if i >= BUTTONS_MAX {
            return Err((
                i,
                Violation::Count {
                    what: "buttons",
                    min: 0,
                    max: BUTTONS_MAX,
                    found: buttons.len(),
                },
            ));
        }
    }
    Ok(())
}

/// How many cards a carousel has: 1 to 10 (Meta: up to 10 cards; the approved template fixes
/// the exact number).
pub fn check_card_count(cards: usize) -> Result<(), Violation> {
    if (1..=CARDS_MAX).contains(&cards) {
        Ok(())
    } else {
        Err(Violation::Count {
            what: "cards",
            min: 1,
            max: CARDS_MAX,
            found: cards,
        })
    }
}

/// The header of a carousel card: an image or a video (Meta: card headers are IMAGE or VIDEO).
pub fn check_card_header(kind: crate::layout::MediaKind) -> Result<(), Violation> {
    match kind {
        crate::layout::MediaKind::Image | crate::layout::MediaKind::Video => Ok(()),
        crate::layout::MediaKind::Document => Err(Violation::Invalid {
            reason: "a carousel card's header is an image or a video, not a document",
        }),
        crate::layout::MediaKind::Audio | crate::layout::MediaKind::Sticker => {
            Err(Violation::Invalid {
                reason: "a carousel card's header is an image or a video, not audio or a sticker",
            })
        }
    }
}

/// The components of a carousel template (Meta: a carousel template is body text and 1-10
/// cards; the header and the buttons are each card's, and a limited-time offer belongs to
/// another kind of template): no header, limited-time offer or button of its own.
pub fn check_carousel_template(
    header: bool,
    limited_time_offer: bool,
    buttons: usize,
) -> Result<(), Violation> {
    let reason = if header {
        "a carousel template has no header of its own: each card has one"
    } else if buttons > 0 {
        "a carousel template has no buttons of its own: each card has its buttons"
    } else if limited_time_offer {
        "a carousel template has no limited-time offer: it is body parameters and cards only"
    } else {
        return Ok(());
    };
    Err(Violation::Invalid { reason })
}

/// A carousel card: it has a header, an image or a video (Meta: every card has a media header
/// and its file is given when sending; see [`check_card_header`] for its kind).
pub fn check_card_has_header(header: bool) -> Result<(), Violation> {
    if header {
        Ok(())
    } else {
        Err(Violation::Invalid {
            reason: "a carousel card needs a header: an image or a video",
        })
    }
}

/// A button of a carousel card that takes a parameter when sent: quick reply or URL (Meta: card
/// buttons are quick-reply, URL and phone-number buttons, and a phone-number button takes no
/// parameter; facts §2.3: "Card buttons use quick_reply | url").
pub fn check_card_button(kind: crate::layout::ButtonKind) -> Result<(), Violation> {
    use crate::layout::ButtonKind;
    match kind {
        ButtonKind::QuickReply | ButtonKind::Url => Ok(()),
        ButtonKind::CopyCode | ButtonKind::Flow | ButtonKind::Catalog | ButtonKind::Mpm => {
            Err(Violation::Invalid {
                reason: "a carousel card's buttons are quick-reply and URL buttons",
            })
        }
    }
}

/// The buttons of one carousel card that take a parameter, as `(sub_type, index)` in the order
/// given: quick replies or URLs ([`check_card_button`]), at most 2 (Meta: each card has "up to
/// two buttons"), so at positions 0 and 1, each once. On error, returns the position of the
/// offending button.
pub fn check_card_buttons(
    buttons: &[(crate::layout::ButtonKind, i128)],
) -> Result<(), (usize, Violation)> {
    let last = i128::try_from(CARD_BUTTONS_MAX).unwrap_or(i128::MAX) - 1;
    for (i, (kind, index)) in buttons.iter().enumerate() {
        check_card_button(*kind).map_err(|v| (i, v))?;
        if !(0..=last).contains(index) {
            return Err((
                i,
                Violation::OutOfRange {
                    value: *index,
                    min: 0,
                    max: last,
                },
            ));
        }
    }
    check_buttons(buttons)?;
    if buttons.len() > CARD_BUTTONS_MAX {
        return Err((
            CARD_BUTTONS_MAX,
            Violation::Count {
                what: "buttons",
                min: 0,
                max: CARD_BUTTONS_MAX,
                found: buttons.len(),
            },
        ));
    }
    Ok(())
}

/// The ISO 4217 currency codes in use (alphabetic codes of national currencies and the
/// supranational ones; precious metals, testing and "no currency" codes left out; BGN left out
/// since Bulgaria adopted the euro on 2026-01-01).
pub const CURRENCY_CODES: [&str; 164] = [
    "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
    "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE", "CZK",
    "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS",
    "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD",
    "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD",
    "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT",
    "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK",
    "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
    "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP",
    "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS",
    "UAH", "UGX", "USD", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF",
    "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
];

/// A currency parameter's code: an ISO 4217 alphabetic code (Meta: `currency.code`), upper
/// case, from [`CURRENCY_CODES`]. Returns the code as stored in the table.
pub fn currency_code(code: &str) -> Result<&'static str, Violation> {
    // Three ASCII letters compared as one number: the table is sorted (a test keeps it so),
    // and big-endian numbers sort as their bytes do.
    fn key(code: &str) -> Option<u32> {
        match *code.as_bytes() {
            [a, b, c] => Some(u32::from_be_bytes([0, a, b, c])),
            _ => None,
        }
    }
    let found = key(code).and_then(|k| {
        CURRENCY_CODES
            .binary_search_by_key(&k, |c| key(c).unwrap_or(0))
            .ok()
    });
    match found {
        Some(i) => Ok(CURRENCY_CODES[i]),
        None => Err(Violation::Unknown {
            what: "ISO 4217 currency code",
            suggestion: suggest(code, CURRENCY_CODES.iter().copied()),
        }),
    }
}

/// The `fallback_value` of a currency or date-time parameter: the text shown where the
/// client cannot format the value; a template text parameter (Meta).
pub fn check_fallback_value(text: &str) -> Result<(), Violation> {
    check_body_parameter(text)
}

fn no_space_or_control(text: &str, allowed: &'static str) -> Result<(), Violation> {
    // ASCII (the usual case): whitespace and control characters are the bytes up to the space,
    // and DEL.
    if text.is_ascii() && !text.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Ok(());
    }
    match text.chars().find(|c| c.is_whitespace() || c.is_control()) {
        Some(ch) => Err(Violation::BadChar { ch, allowed }),
        None => Ok(()),
    }
}

/// A media link: `https://` then a host, at most 2000 characters, no spaces or control
/// characters (Meta takes a public URL; **choice**: https only, as DESIGN.md asks, so media
/// never travels in clear text).
pub fn check_media_link(url: &str) -> Result<(), Violation> {
    check_len(url, MEDIA_LINK_MAX)?;
    no_space_or_control(url, "URL characters (encode spaces as %20)")?;
    let Some(rest) = url
        .get(..8)
        .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
        .map(|_| &url[8..])
    else {
        return Err(Violation::Invalid {
            reason: "a media link must start with `https://`",
        });
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if rest[..host_end].is_empty() {
        return Err(Violation::Invalid {
            reason: "a media link needs a host after `https://`",
        });
    }
    Ok(())
}

/// A media id (from Kaleyra's media upload): not empty, no spaces or control characters.
pub fn check_media_id(id: &str) -> Result<(), Violation> {
    check_non_empty(id)?;
    no_space_or_control(id, "characters other than spaces and control characters")
}

/// A document's file name, as the recipient sees it: 1-255 characters, no control characters
/// and no path separators (Kaleyra's media upload limits names to 255 characters; **choice**:
/// `/` and `\` are refused because the name is a file name, not a path).
pub fn check_filename(name: &str) -> Result<(), Violation> {
    check_len(name, FILENAME_MAX)?;
    // ASCII (the usual case): the control characters are the bytes below the space, and DEL.
    if name.is_ascii()
        && !name
            .bytes()
            .any(|b| b < b' ' || b == 0x7f || b == b'/' || b == b'\\')
    {
        return Ok(());
    }
    match name
        .chars()
        .find(|c| c.is_control() || *c == '/' || *c == '\\')
    {
        Some(ch) => Err(Violation::BadChar {
            ch,
            allowed: "characters other than `/`, `\\` and control characters",
        }),
        None => Ok(()),
    }
}

/// A latitude in degrees: finite, -90 to 90.
pub fn check_latitude(degrees: f64) -> Result<(), Violation> {
    if degrees.is_finite() && (-90.0..=90.0).contains(&degrees) {
        Ok(())
    } else {
        Err(Violation::Invalid {
            reason: "a latitude is a number of degrees from -90 to 90",
        })
    }
}

/// A longitude in degrees: finite, -180 to 180.
pub fn check_longitude(degrees: f64) -> Result<(), Violation> {
    if degrees.is_finite() && (-180.0..=180.0).contains(&degrees) {
        Ok(())
    } else {
        Err(Violation::Invalid {
            reason: "a longitude is a number of degrees from -180 to 180",
        })
    }
}

/// A coupon code: 1-15 characters (Meta, coupon code templates), no whitespace or control
/// characters (**choice**: the code is copied to the clipboard whole, as an OTP is).
pub fn check_coupon_code(code: &str) -> Result<(), Violation> {
    check_len(code, COUPON_CODE_MAX)?;
    no_space_or_control(
        code,
        "characters other than whitespace and control characters",
    )
}

/// The suffix of a dynamic URL button, appended to the approved URL: 1-2000 characters, no
/// whitespace or control characters (**choice**: it becomes part of a URL).
pub fn check_url_suffix(text: &str) -> Result<(), Violation> {
    check_len(text, URL_SUFFIX_MAX)?;
    no_space_or_control(text, "URL characters (encode spaces as %20)")
}

/// A quick-reply button's payload, returned in the callback when tapped: not empty
/// (**choice**: Meta documents no other limit).
pub fn check_payload(text: &str) -> Result<(), Violation> {
    check_non_empty(text)
}

/// A limited-time offer's expiry, in milliseconds since the UNIX epoch: positive (Meta:
/// `expiration_time_ms`, a UNIX timestamp in milliseconds).
pub fn check_expiration_time_ms(ms: i128) -> Result<u64, Violation> {
    u64::try_from(ms)
        .ok()
        .filter(|ms| *ms > 0 && i64::try_from(*ms).is_ok())
        .ok_or(Violation::OutOfRange {
            value: ms,
            min: 1,
            max: i128::from(i64::MAX),
        })
}

/// The sections of a multi-product (MPM) button: 1-10 sections (Meta), each with a title of
/// 1-24 characters (Meta) and at least one product, 1-30 products in all (Kaleyra). `sections`
/// holds each section's title and product count.
pub fn check_mpm_sections(sections: &[(&str, usize)]) -> Result<(), Violation> {
    if !(1..=MPM_SECTIONS_MAX).contains(&sections.len()) {
        return Err(Violation::Count {
            what: "product sections",
            min: 1,
            max: MPM_SECTIONS_MAX,
            found: sections.len(),
        });
    }
    let mut products = 0usize;
    for (title, count) in sections {
        check_len(title, MPM_SECTION_TITLE_MAX)?;
        if *count == 0 {
            return Err(Violation::Count {
                what: "products in a section",
                min: 1,
                max: MPM_PRODUCTS_MAX,
                found: 0,
            });
        }
        products += count;
    }
    if products > MPM_PRODUCTS_MAX {
        return Err(Violation::Count {
            what: "products",
            min: 1,
            max: MPM_PRODUCTS_MAX,
            found: products,
        });
    }
    Ok(())
}

// ------------------------------------------------------------------------ session messages
// Issue 15, first part: the rules of free-form messages (facts: v2-session-flows-templates.md §1).

/// The most characters of a session text message's body (Meta: `text.body`, 4096).
pub const TEXT_BODY_MAX: usize = 4096;

/// The most characters of a media caption (Meta: `caption`, 1024).
pub const CAPTION_MAX: usize = 1024;

/// The most Unicode scalar values a reaction emoji may have: the longest emoji sequences
/// (families joined by U+200D, flags of subdivisions with tag characters) have about ten.
pub const REACTION_EMOJI_MAX: usize = 10;

/// The most characters of a message id (`wamid`) this library passes on; real ones are about
/// 60. **Choice**: a bound, so that a wrong value (a whole payload) is not sent.
pub const MESSAGE_ID_MAX: usize = 512;

/// A session text's body: not empty, at most 4096 characters (Meta).
pub fn check_text_body(text: &str) -> Result<(), Violation> {
    check_len(text, TEXT_BODY_MAX)
}

/// A media caption: not empty, at most 1024 characters (Meta).
pub fn check_caption(text: &str) -> Result<(), Violation> {
    check_len(text, CAPTION_MAX)
}

/// Which media take a caption: image, video and document; not audio or sticker (Meta).
pub fn check_caption_allowed(kind: crate::layout::MediaKind) -> Result<(), Violation> {
    use crate::layout::MediaKind;
    match kind {
        MediaKind::Image | MediaKind::Video | MediaKind::Document => Ok(()),
        MediaKind::Audio | MediaKind::Sticker => Err(Violation::Invalid {
            reason: "audio and stickers take no caption (only images, videos and documents)",
        }),
    }
}

/// The media a template header takes: image, video or document (Meta's header formats);
/// audio and stickers are for session messages only.
pub fn check_template_header_media(kind: crate::layout::MediaKind) -> Result<(), Violation> {
    use crate::layout::MediaKind;
    match kind {
        MediaKind::Image | MediaKind::Video | MediaKind::Document => Ok(()),
        MediaKind::Audio | MediaKind::Sticker => Err(Violation::Invalid {
            reason: "a template header is an image, a video or a document, not audio or a sticker",
        }),
    }
}

/// A message id (`wamid`) a message refers to (reaction, contextual reply, read receipt): not
/// empty, at most [`MESSAGE_ID_MAX`] characters, no spaces or control characters.
pub fn check_message_id(id: &str) -> Result<(), Violation> {
    check_len(id, MESSAGE_ID_MAX)?;
    no_space_or_control(id, "a message id's characters (no spaces)")
}

/// A reaction's emoji: one emoji (Meta: "emoji", an empty one removes the reaction, see
/// [`Reaction::remove`](crate::session::Reaction::remove)). **Choice**, without a Unicode
/// table: 1-[`REACTION_EMOJI_MAX`] scalar values, no spaces, control characters or ASCII,
/// except a keycap (`0`-`9`, `#`, `*`, then U+FE0F optionally, then U+20E3). WhatsApp checks
/// the exact emoji list; this catches text sent by mistake.
pub fn check_reaction_emoji(emoji: &str) -> Result<(), Violation> {
    if emoji.is_empty() {
        return Err(Violation::Empty);
    }
    let len = emoji.chars().count();
    if len > REACTION_EMOJI_MAX {
        return Err(Violation::TooLong {
            max: REACTION_EMOJI_MAX,
            len,
        });
    }
    let keycap = {
        let mut c = emoji.chars();
        matches!(c.next(), Some('0'..='9' | '#' | '*'))
            && matches!(
                (c.next(), c.next(), c.next()),
                (Some('\u{20E3}'), None, None) | (Some('\u{FE0F}'), Some('\u{20E3}'), None)
            )
    };
    if keycap {
        return Ok(());
    }
    match emoji
        .chars()
        .find(|c| c.is_ascii() || c.is_whitespace() || c.is_control())
    {
        Some(ch) => Err(Violation::BadChar {
            ch,
            allowed: "one emoji (no letters, digits, spaces or punctuation)",
        }),
        None => Ok(()),
    }
}

/// A WhatsApp id as callbacks give it (`from`, `wa_id`): the number's digits without `+`,
/// 1-15 of them (E.164). Returns the number with `+`.
pub fn wa_id_to_e164(wa_id: &str) -> Result<String, Violation> {
    check_digits(wa_id)?;
    if wa_id.len() > PHONE_DIGITS_MAX {
        return Err(Violation::NotE164 {
            reason: "it has more than 15 digits",
        });
    }
    let mut number = String::with_capacity(wa_id.len() + 1);
    number.push('+');
    number.push_str(wa_id);
    // The same normalization as `Recipient::new`, so that both give the same value.
    normalize_phone(&number)
}

// ---------------------------------------------- location and address requests, contacts
// Issue 15: the rules of the request messages and contact cards (facts:
// v2-session-flows-templates.md §1.8-§1.10, Meta's shapes where Kaleyra is silent).

/// The most characters of a location or address request's body (Meta: interactive
/// `body.text`, 1024).
pub const REQUEST_BODY_MAX: usize = 1024;

/// The most contact cards one contacts message holds (facts §1.10: "up to 257").
pub const CONTACTS_MAX: usize = 257;

/// The only country an address request may name (Meta: address messages are for India;
/// facts §1.9, Meta; Kaleyra's v1 page also names Singapore, which Meta no longer lists).
pub const ADDRESS_COUNTRY: &str = "IN";

/// The keys of an Indian address form (facts §1.9, Meta), in Meta's order: what
/// `parameters.values`, a saved address's `value` and `parameters.validation_errors` may name.
pub const ADDRESS_FIELDS: [&str; 11] = [
    "name",
    "phone_number",
    "in_pin_code",
    "house_number",
    "floor_number",
    "tower_number",
    "building_name",
    "address",
    "landmark_area",
    "city",
    "state",
];

/// The `type` values of a contact's phone (Meta: `CELL`, `MAIN`, `IPHONE`, `HOME`, `WORK`).
pub const CONTACT_PHONE_TYPES: [&str; 5] = ["CELL", "MAIN", "IPHONE", "HOME", "WORK"];

/// The `type` values of a contact's address, email and URL (Meta: `HOME`, `WORK`).
pub const CONTACT_TYPES: [&str; 2] = ["HOME", "WORK"];

/// The most characters of a contact's email address (RFC 5321: 320 with the domain).
pub const EMAIL_MAX: usize = 320;

/// The most characters of a contact's phone number as shown. **Choice**: a bound, so that a
/// wrong value (a whole payload) is not sent; Meta states none.
pub const CONTACT_PHONE_MAX: usize = 64;

/// A location or address request's body: not empty, at most 1024 characters (Meta).
pub fn check_request_body(text: &str) -> Result<(), Violation> {
    check_len(text, REQUEST_BODY_MAX)
}

/// An address request's country: `IN` (Meta).
pub fn check_address_country(country: &str) -> Result<(), Violation> {
    if country == ADDRESS_COUNTRY {
        Ok(())
    } else {
        Err(Violation::Invalid {
            reason: "address messages are for India only: the country is \"IN\"",
        })
    }
}

/// Looks up a key of the address form ([`ADDRESS_FIELDS`]), suggesting the nearest one.
pub fn address_field(key: &str) -> Result<&'static str, Violation> {
    ADDRESS_FIELDS
        .iter()
        .find(|k| **k == key)
        .copied()
        .ok_or_else(|| Violation::Unknown {
            what: "address field (Meta's Indian address form)",
            suggestion: suggest(key, ADDRESS_FIELDS),
        })
}

/// A pre-filled address value, a saved address's id or a validation error's message: not
/// empty (**choice**: Meta validates the fields' contents, e.g. the pin code, itself).
pub fn check_address_text(text: &str) -> Result<(), Violation> {
    check_non_empty(text)
}

/// A contacts message's card count: 1 to 257 (facts §1.10; **choice**: at least one, a
/// message without a card says nothing).
pub fn check_contact_count(cards: usize) -> Result<(), Violation> {
    if (1..=CONTACTS_MAX).contains(&cards) {
        Ok(())
    } else {
        Err(Violation::Count {
            what: "contact cards",
            min: 1,
            max: CONTACTS_MAX,
            found: cards,
        })
    }
}

/// A contact's name: `formatted_name` not empty and at least one of the other parts
/// (`first_name`, `last_name`, `middle_name`, `suffix`, `prefix`) given (Meta: "at least one of
/// the optional parameters needs to be included along with the formatted_name").
pub fn check_contact_name(formatted_name: &str, parts: usize) -> Result<(), Violation> {
    check_non_empty(formatted_name)?;
    if parts == 0 {
        return Err(Violation::Invalid {
            reason: "a contact's name needs a first name, last name, middle name, suffix or \
                     prefix besides the formatted name (Meta)",
        });
    }
    Ok(())
}

/// A name part, an organization member or an address member of a contact card: not empty
/// when given (**choice**: an empty member shows nothing; Meta states no length).
pub fn check_contact_text(text: &str) -> Result<(), Violation> {
    check_non_empty(text)
}

/// A contact's phone number as shown on the card: 1-64 characters with at least one digit,
/// only digits, spaces and `+ - ( ) .` (**choice**: Meta takes any string, e.g.
/// `"+1 (650) 555-1234"`; this catches a name or an email given by mistake).
pub fn check_contact_phone(phone: &str) -> Result<(), Violation> {
    check_len(phone, CONTACT_PHONE_MAX)?;
    if let Some(ch) = phone
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.')))
    {
        return Err(Violation::BadChar {
            ch,
            allowed: "digits, spaces and `+ - ( ) .`",
        });
    }
    if !phone.bytes().any(|b| b.is_ascii_digit()) {
        return Err(Violation::Invalid {
            reason: "a phone number needs digits",
        });
    }
    Ok(())
}

/// A contact phone's `wa_id`: a WhatsApp id, 1-15 digits without `+` (as
/// [`wa_id_to_e164`]).
pub fn check_contact_wa_id(wa_id: &str) -> Result<(), Violation> {
    wa_id_to_e164(wa_id).map(|_| ())
}

/// A contact's email address: 1-320 characters, one `@` with text on both sides, no
/// whitespace or control characters (**choice**: the shape only; Meta states none).
pub fn check_email(email: &str) -> Result<(), Violation> {
    check_len(email, EMAIL_MAX)?;
    no_space_or_control(
        email,
        "characters other than whitespace and control characters",
    )?;
    match email.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@') =>
        {
            Ok(())
        }
        _ => Err(Violation::Invalid {
            reason: "an email address is `name@domain`, with one `@`",
        }),
    }
}

/// A contact's URL: `http://` or `https://` then a host, at most 2000 characters, no spaces or
/// control characters (**choice**: unlike a media link, WhatsApp does not fetch it, so `http`
/// is allowed, as Meta's samples show).
pub fn check_contact_url(url: &str) -> Result<(), Violation> {
    check_len(url, MEDIA_LINK_MAX)?;
    no_space_or_control(url, "URL characters (encode spaces as %20)")?;
    let rest = ["https://", "http://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|s| s.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    });
    let Some(rest) = rest else {
        return Err(Violation::Invalid {
            reason: "a contact URL must start with `http://` or `https://`",
        });
    };
    if rest.split(['/', '?', '#']).next().is_none_or(str::is_empty) {
        return Err(Violation::Invalid {
            reason: "a contact URL needs a host",
        });
    }
    Ok(())
}

/// A contact's birthday: `YYYY-MM-DD` (Meta), a day that exists (leap years counted).
pub fn check_birthday(date: &str) -> Result<(), Violation> {
    const SHAPE: Violation = Violation::Invalid {
        reason: "a birthday is `YYYY-MM-DD`, e.g. 1990-04-12",
    };
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .map(|d| d.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(SHAPE);
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return Err(SHAPE);
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    if year == 0 || days == 0 || day == 0 || day > days {
        return Err(Violation::Invalid {
            reason: "a birthday is a day that exists (`YYYY-MM-DD`)",
        });
    }
    Ok(())
}

/// A contact address's `country_code`: two ASCII letters (Meta: "standard two-letter country
/// abbreviation"; Kaleyra's v1 sample `"us"`, so either case).
pub fn check_country_code(code: &str) -> Result<(), Violation> {
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(())
    } else {
        Err(Violation::Invalid {
            reason: "a country code is two letters (ISO 3166-1 alpha-2, e.g. IN)",
        })
    }
}

/// A contact address, email or URL `type`, or a phone's: one of [`CONTACT_TYPES`] or
/// [`CONTACT_PHONE_TYPES`] (Meta's values, upper case).
pub fn contact_type(value: &str, phone: bool) -> Result<&'static str, Violation> {
    let set: &[&'static str] = if phone {
        &CONTACT_PHONE_TYPES
    } else {
        &CONTACT_TYPES
    };
    set.iter()
        .find(|t| **t == value)
        .copied()
        .ok_or_else(|| Violation::Unknown {
            what: if phone {
                "phone type (CELL, MAIN, IPHONE, HOME, WORK)"
            } else {
                "type (HOME, WORK)"
            },
            suggestion: suggest(value, set.iter().copied()),
        })
}

#[cfg(test)]
mod request_tests {
    use super::*;

    #[test]
    fn request_bodies_and_the_country() {
        assert!(check_request_body(&"x".repeat(1024)).is_ok());
        assert_eq!(
            check_request_body(&"x".repeat(1025)),
            Err(Violation::TooLong {
                max: 1024,
                len: 1025
            })
        );
        assert_eq!(check_request_body(""), Err(Violation::Empty));
        assert!(check_address_country("IN").is_ok());
        assert!(check_address_country("SG").is_err());
        assert!(check_address_country("in").is_err());
        assert_eq!(address_field("in_pin_code"), Ok("in_pin_code"));
        assert_eq!(
            address_field("in_pincode"),
            Err(Violation::Unknown {
                what: "address field (Meta's Indian address form)",
                suggestion: Some("in_pin_code")
            })
        );
    }

    #[test]
    fn contact_rules() {
        assert!(check_contact_count(1).is_ok() && check_contact_count(257).is_ok());
        assert!(check_contact_count(0).is_err() && check_contact_count(258).is_err());
        assert!(check_contact_name("Asha Rao", 1).is_ok());
        assert_eq!(check_contact_name("", 1), Err(Violation::Empty));
        assert!(check_contact_name("Asha Rao", 0).is_err());
        for ok in ["+1 (650) 555-1234", "080.4000.1000", "9876543210"] {
            assert!(check_contact_phone(ok).is_ok(), "{ok}");
        }
        for bad in ["", "asha@example.com", "+ ( )", &"1".repeat(65)] {
            assert!(check_contact_phone(bad).is_err(), "{bad}");
        }
        assert!(check_contact_wa_id("16505551234").is_ok());
        assert!(check_contact_wa_id("+16505551234").is_err());
        assert!(check_email("a@b.c").is_ok());
        for bad in ["", "ab.c", "@b", "a@", "a@b@c", "a b@c"] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        assert!(check_contact_url("http://example.com").is_ok());
        assert!(check_contact_url("HTTPS://example.com/x").is_ok());
        for bad in [
            "example.com",
            "https://",
            "https:///x",
            "ftp://x",
            "https://a b",
        ] {
            assert!(check_contact_url(bad).is_err(), "{bad}");
        }
        for ok in ["1990-04-12", "2000-02-29", "2012-08-18"] {
            assert!(check_birthday(ok).is_ok(), "{ok}");
        }
        for bad in [
            "1990-4-12",
            "1990-02-30",
            "1900-02-29",
            "0000-01-01",
            "1990-13-01",
            "1990-00-10",
            "1990/04/12",
            "19900412",
        ] {
            assert!(check_birthday(bad).is_err(), "{bad}");
        }
        assert!(check_country_code("us").is_ok() && check_country_code("IN").is_ok());
        assert!(check_country_code("IND").is_err() && check_country_code("1N").is_err());
        assert_eq!(contact_type("CELL", true), Ok("CELL"));
        assert!(contact_type("CELL", false).is_err());
        assert!(matches!(
            contact_type("home", false),
            Err(Violation::Unknown {
                suggestion: Some("HOME"),
                ..
            })
        ));
    }
}

// ------------------------------------------------------------------------ media upload
// Issue 15, media upload: what `Upload` checks before anything is sent, and what the simulator
// checks on arrival (Meta's "Supported Media Types" table, RULES.md "Media upload (issue 15)").

/// One mebibyte: Meta's table says "MB"; **choice**: read as 1,048,576 bytes.
pub const MIB: u64 = 1024 * 1024;
/// One kibibyte: Meta's table says "KB"; **choice**: read as 1,024 bytes.
pub const KIB: u64 = 1024;
/// The largest image (JPEG, PNG) Meta takes: 5 MB.
pub const IMAGE_MAX_BYTES: u64 = 5 * MIB;
/// The largest video (MP4, 3GPP) Meta takes: 16 MB.
pub const VIDEO_MAX_BYTES: u64 = 16 * MIB;
/// The largest audio file (AAC, AMR, MP3, MP4 audio, OGG) Meta takes: 16 MB.
pub const AUDIO_MAX_BYTES: u64 = 16 * MIB;
/// The largest document (PDF, Office, plain text) Meta takes: 100 MB.
pub const DOCUMENT_MAX_BYTES: u64 = 100 * MIB;
/// The largest static sticker (WebP) Meta takes: 100 KB.
pub const STICKER_STATIC_MAX_BYTES: u64 = 100 * KIB;
/// The largest animated sticker (WebP) Meta takes: 500 KB.
pub const STICKER_ANIMATED_MAX_BYTES: u64 = 500 * KIB;

/// One row of Meta's supported-media table: a MIME type, the file name extensions it is
/// inferred from, the kind of media it is sent as, and its size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadType {
    /// The MIME type, as Kaleyra's `type` form field takes it (lowercase).
    pub mime: &'static str,
    /// The file name extensions (lowercase, without the dot) it is inferred from.
    pub extensions: &'static [&'static str],
    /// What it is sent as: `Media::image_id`, `Media::document_id`, ….
    pub kind: crate::layout::MediaKind,
    /// The largest file Meta takes, in bytes (for a sticker: a static one; an animated one
    /// may have [`STICKER_ANIMATED_MAX_BYTES`]).
    pub max_bytes: u64,
}

const fn upload_type(
    mime: &'static str,
    extensions: &'static [&'static str],
    kind: crate::layout::MediaKind,
    max_bytes: u64,
) -> UploadType {
    UploadType {
        mime,
        extensions,
        kind,
        max_bytes,
    }
}

/// Meta's supported media types (Cloud API reference, "Supported Media Types"): the only types
/// an upload may have.
pub const UPLOAD_TYPES: [UploadType; 18] = {
    use crate::layout::MediaKind::{Audio, Document, Image, Sticker, Video};
    [
        upload_type("image/jpeg", &["jpg", "jpeg"], Image, IMAGE_MAX_BYTES),
        upload_type("image/png", &["png"], Image, IMAGE_MAX_BYTES),
        upload_type("video/mp4", &["mp4"], Video, VIDEO_MAX_BYTES),
        upload_type("video/3gpp", &["3gp", "3gpp"], Video, VIDEO_MAX_BYTES),
        upload_type("audio/aac", &["aac"], Audio, AUDIO_MAX_BYTES),
        upload_type("audio/amr", &["amr"], Audio, AUDIO_MAX_BYTES),
        upload_type("audio/mpeg", &["mp3"], Audio, AUDIO_MAX_BYTES),
        upload_type("audio/mp4", &["m4a"], Audio, AUDIO_MAX_BYTES),
        upload_type("audio/ogg", &["ogg", "opus"], Audio, AUDIO_MAX_BYTES),
        upload_type("text/plain", &["txt"], Document, DOCUMENT_MAX_BYTES),
        upload_type("application/pdf", &["pdf"], Document, DOCUMENT_MAX_BYTES),
        upload_type("application/msword", &["doc"], Document, DOCUMENT_MAX_BYTES),
        upload_type(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            &["docx"],
            Document,
            DOCUMENT_MAX_BYTES,
        ),
        upload_type(
            "application/vnd.ms-excel",
            &["xls"],
            Document,
            DOCUMENT_MAX_BYTES,
        ),
        upload_type(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &["xlsx"],
            Document,
            DOCUMENT_MAX_BYTES,
        ),
        upload_type(
            "application/vnd.ms-powerpoint",
            &["ppt"],
            Document,
            DOCUMENT_MAX_BYTES,
        ),
        upload_type(
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            &["pptx"],
            Document,
            DOCUMENT_MAX_BYTES,
        ),
        upload_type("image/webp", &["webp"], Sticker, STICKER_STATIC_MAX_BYTES),
    ]
};

/// Other spellings taken for a table type (**choice**): `image/jpg` (Kaleyra's resumable upload
/// lists it), `video/3gp` (the extension's spelling, seen in copies of Meta's table).
const UPLOAD_TYPE_ALIASES: [(&str, &str); 2] =
    [("image/jpg", "image/jpeg"), ("video/3gp", "video/3gpp")];

/// Looks up a media type for upload, case-insensitively (`image/JPEG` is `image/jpeg`; the
/// aliases `image/jpg` and `video/3gp` are taken too). Any other type, and a type with
/// parameters (`audio/ogg; codecs=opus`), is refused with the nearest table type when one is
/// close.
pub fn upload_type_of(mime: &str) -> Result<&'static UploadType, Violation> {
    let lower = mime.trim().to_ascii_lowercase();
    let canonical = UPLOAD_TYPE_ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map_or(lower.as_str(), |(_, canonical)| canonical);
    UPLOAD_TYPES
        .iter()
        .find(|t| t.mime == canonical)
        .ok_or_else(|| Violation::Unknown {
            what: "media type for upload (Meta's table: image/jpeg, image/png, video/mp4, \
                   video/3gpp, audio/aac, audio/amr, audio/mpeg, audio/mp4, audio/ogg, \
                   text/plain, application/pdf, Office documents, image/webp)",
            suggestion: suggest(&lower, UPLOAD_TYPES.iter().map(|t| t.mime)),
        })
}

/// The media type a file name's extension says (case-insensitive: `Invoice.PDF` is
/// `application/pdf`), or `None` when the name has no extension in [`UPLOAD_TYPES`].
pub fn upload_type_for_name(name: &str) -> Option<&'static UploadType> {
    let (_, extension) = name.rsplit_once('.')?;
    let extension = extension.to_ascii_lowercase();
    UPLOAD_TYPES
        .iter()
        .find(|t| t.extensions.contains(&extension.as_str()))
}

/// How many bytes of a file's start [`webp_is_animated`] reads.
pub const WEBP_HEAD_LEN: usize = 21;

/// Whether a WebP file's first bytes say it is animated: `RIFF`, a size, `WEBP`, then the
/// extended header chunk `VP8X` whose flags byte has the animation bit (`0x02`) set (Google's
/// WebP container specification). A simple (lossy `VP8 ` or lossless `VP8L`) WebP is static.
pub fn webp_is_animated(head: &[u8]) -> bool {
    head.len() >= WEBP_HEAD_LEN
        && &head[0..4] == b"RIFF"
        && &head[8..12] == b"WEBP"
        && &head[12..16] == b"VP8X"
        && head[20] & 0x02 != 0
}

/// The largest file of this type Meta takes; an animated sticker may be larger than a static
/// one.
pub fn upload_max_bytes(upload_type: &UploadType, animated: bool) -> u64 {
    if upload_type.kind == crate::layout::MediaKind::Sticker && animated {
        STICKER_ANIMATED_MAX_BYTES
    } else {
        upload_type.max_bytes
    }
}

/// An upload's size: 1 byte to the type's limit (Meta's table; **choice**: an empty file is
/// refused, there is nothing to send).
pub fn check_upload_size(
    upload_type: &UploadType,
    size: u64,
    animated: bool,
) -> Result<(), Violation> {
    let max = upload_max_bytes(upload_type, animated);
    if (1..=max).contains(&size) {
        Ok(())
    } else {
        Err(Violation::OutOfRange {
            value: i128::from(size),
            min: 1,
            max: i128::from(max),
        })
    }
}

/// A size in the table's units, for messages: `5 MB`, `100 KB`, or bytes.
pub fn describe_bytes(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod upload_tests {
    use super::*;
    use crate::layout::MediaKind;

    #[test]
    fn the_table_is_metas() {
        let kind = |mime: &str| upload_type_of(mime).map(|t| (t.kind, t.max_bytes));
        assert_eq!(kind("image/jpeg"), Ok((MediaKind::Image, 5 * 1024 * 1024)));
        assert_eq!(kind("IMAGE/PNG"), Ok((MediaKind::Image, 5 * 1024 * 1024)));
        assert_eq!(kind("image/jpg"), Ok((MediaKind::Image, 5 * 1024 * 1024)));
        assert_eq!(kind("video/3gp"), Ok((MediaKind::Video, 16 * 1024 * 1024)));
        assert_eq!(kind("audio/ogg"), Ok((MediaKind::Audio, 16 * 1024 * 1024)));
        assert_eq!(
            kind("application/pdf"),
            Ok((MediaKind::Document, 100 * 1024 * 1024))
        );
        assert_eq!(kind("image/webp"), Ok((MediaKind::Sticker, 100 * 1024)));
        for refused in [
            "image/gif",
            "video/quicktime",
            "audio/ogg; codecs=opus",
            "",
            "pdf",
        ] {
            assert!(
                matches!(upload_type_of(refused), Err(Violation::Unknown { .. })),
                "{refused}"
            );
        }
        assert!(matches!(
            upload_type_of("image/jpe"),
            Err(Violation::Unknown {
                suggestion: Some("image/jpeg"),
                ..
            })
        ));
        // Every extension names one type.
        let mut extensions: Vec<_> = UPLOAD_TYPES.iter().flat_map(|t| t.extensions).collect();
        let all = extensions.len();
        extensions.sort();
        extensions.dedup();
        assert_eq!(extensions.len(), all);
    }

    #[test]
    fn types_are_inferred_from_the_extension() {
        let mime = |name: &str| upload_type_for_name(name).map(|t| t.mime);
        assert_eq!(mime("invoice.pdf"), Some("application/pdf"));
        assert_eq!(mime("Photo.JPG"), Some("image/jpeg"));
        assert_eq!(mime("a.b.docx"), Some(UPLOAD_TYPES[12].mime));
        assert_eq!(mime("clip.3gp"), Some("video/3gpp"));
        assert_eq!(mime("sticker.webp"), Some("image/webp"));
        assert_eq!(mime("archive.zip"), None);
        assert_eq!(mime("README"), None);
        assert_eq!(mime(""), None);
    }

    #[test]
    fn sizes_are_checked_against_the_table() {
        let Ok(image) = upload_type_of("image/png") else {
            panic!("image/png is in the table")
        };
        assert!(check_upload_size(image, 1, false).is_ok());
        assert!(check_upload_size(image, IMAGE_MAX_BYTES, false).is_ok());
        assert_eq!(
            check_upload_size(image, IMAGE_MAX_BYTES + 1, false),
            Err(Violation::OutOfRange {
                value: i128::from(IMAGE_MAX_BYTES + 1),
                min: 1,
                max: i128::from(IMAGE_MAX_BYTES)
            })
        );
        assert!(check_upload_size(image, 0, false).is_err(), "empty");
        let Ok(sticker) = upload_type_of("image/webp") else {
            panic!("image/webp is in the table")
        };
        assert!(check_upload_size(sticker, 100 * 1024, false).is_ok());
        assert!(check_upload_size(sticker, 100 * 1024 + 1, false).is_err());
        assert!(check_upload_size(sticker, 500 * 1024, true).is_ok());
        assert!(check_upload_size(sticker, 500 * 1024 + 1, true).is_err());
        assert_eq!(describe_bytes(5 * MIB), "5 MB");
        assert_eq!(describe_bytes(100 * KIB), "100 KB");
        assert_eq!(describe_bytes(1000), "1000 bytes");
    }

    #[test]
    fn animated_webp_is_told_from_static() {
        let mut animated = *b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x02";
        assert!(webp_is_animated(&animated));
        animated[20] = 0x10; // alpha only
        assert!(!webp_is_animated(&animated));
        assert!(!webp_is_animated(b"RIFF\0\0\0\0WEBPVP8 \x0a\0\0\0\x02"));
        assert!(!webp_is_animated(b"RIFF"));
        assert!(!webp_is_animated(b""));
    }
}

// ------------------------------------------------------------------------ reply buttons, lists, CTA URL
// Issue 15: the rules of interactive reply-button, list and CTA URL messages (facts §1.4-§1.6,
// Meta's limits where Kaleyra is silent). The interactive body (1024), header text (60) and
// footer (60) are the rules flows already have: [`check_flow_body`], [`check_header_text`],
// [`check_flow_footer`].

/// Most reply buttons in one message (Kaleyra §1.4: "up to three"; Meta).
pub const REPLY_BUTTONS_MAX: usize = 3;
/// Longest reply button title (Meta: 20 characters).
pub const REPLY_BUTTON_TITLE_MAX: usize = 20;
/// Longest reply button id (Meta: 256 characters).
pub const REPLY_BUTTON_ID_MAX: usize = 256;
/// Longest list button label, the button that opens the list (Meta: 20 characters).
pub const LIST_BUTTON_MAX: usize = 20;
/// Most sections in a list message (Kaleyra §1.5, Meta: 10).
pub const LIST_SECTIONS_MAX: usize = 10;
/// Most rows in a list message, all sections together (Meta's current reference: 10 in total,
/// stricter than Kaleyra's "ten sections of ten rows").
pub const LIST_ROWS_MAX: usize = 10;
/// Longest list row title (Meta: 24 characters).
pub const ROW_TITLE_MAX: usize = 24;
/// Longest list section title (Meta: 24 characters).
pub const SECTION_TITLE_MAX: usize = 24;
/// Longest list row description (Meta: 72 characters).
pub const ROW_DESCRIPTION_MAX: usize = 72;
/// Longest list row id (Meta: 200 characters).
pub const ROW_ID_MAX: usize = 200;
/// Longest body of a list message (Meta: 4096 characters; other interactive bodies 1024).
pub const LIST_BODY_MAX: usize = 4096;
/// Longest display text of a CTA URL button (Meta: 20 characters).
pub const CTA_DISPLAY_TEXT_MAX: usize = 20;
/// Longest CTA URL (Meta's URL limit, 2000 characters).
pub const CTA_URL_MAX: usize = 2000;

/// A reply button's title: 1-20 characters (Meta).
pub fn check_reply_button_title(title: &str) -> Result<(), Violation> {
    check_len(title, REPLY_BUTTON_TITLE_MAX)
}

/// A reply button's id: 1-256 characters (Meta).
pub fn check_reply_button_id(id: &str) -> Result<(), Violation> {
    check_len(id, REPLY_BUTTON_ID_MAX)
}

/// How many reply buttons a message has: 1-3 (Kaleyra §1.4, Meta).
pub fn check_reply_button_count(count: usize) -> Result<(), Violation> {
    if (1..=REPLY_BUTTONS_MAX).contains(&count) {
        Ok(())
    } else {
        Err(Violation::Count {
            what: "reply buttons",
            min: 1,
            max: REPLY_BUTTONS_MAX,
            found: count,
        })
    }
}

/// Values that must be unique (reply button titles and ids, list row ids, Meta): the index of
/// the first value that repeats an earlier one, with a [`Violation::Duplicate`] naming `what`.
pub fn check_unique<'s, I>(what: &'static str, values: I) -> Result<(), (usize, Violation)>
where
    I: IntoIterator<Item = &'s str>,
    I::IntoIter: Clone,
{
    let values = values.into_iter();
    // At most 10 values (buttons, rows): comparing each pair, without allocating.
    for (i, value) in values.clone().enumerate() {
        if values.clone().take(i).any(|earlier| earlier == value) {
            return Err((
                i,
                Violation::Duplicate {
                    what,
                    value: value.to_owned(),
                },
            ));
        }
    }
    Ok(())
}

/// A list's button label (the button that opens the list): 1-20 characters (Meta).
pub fn check_list_button(label: &str) -> Result<(), Violation> {
    check_len(label, LIST_BUTTON_MAX)
}

/// A list message's body: 1-4096 characters (Meta).
pub fn check_list_body(text: &str) -> Result<(), Violation> {
    check_len(text, LIST_BODY_MAX)
}

/// A list row's title: 1-24 characters (Meta).
pub fn check_row_title(title: &str) -> Result<(), Violation> {
    check_len(title, ROW_TITLE_MAX)
}

/// A list row's description: 1-72 characters (Meta).
pub fn check_row_description(text: &str) -> Result<(), Violation> {
    check_len(text, ROW_DESCRIPTION_MAX)
}

/// A list row's id: 1-200 characters (Meta).
pub fn check_row_id(id: &str) -> Result<(), Violation> {
    check_len(id, ROW_ID_MAX)
}

/// A list section's title: 1-24 characters (Meta).
pub fn check_section_title(title: &str) -> Result<(), Violation> {
    check_len(title, SECTION_TITLE_MAX)
}

/// How many rows a list has, all sections together: 1-10 (Meta's current reference).
pub fn check_list_row_count(rows: usize) -> Result<(), Violation> {
    if (1..=LIST_ROWS_MAX).contains(&rows) {
        Ok(())
    } else {
        Err(Violation::Count {
            what: "rows in a list (all sections together)",
            min: 1,
            max: LIST_ROWS_MAX,
            found: rows,
        })
    }
}

/// How many sections a list has: 1-10 (Kaleyra §1.5, Meta).
pub fn check_list_section_count(sections: usize) -> Result<(), Violation> {
    if (1..=LIST_SECTIONS_MAX).contains(&sections) {
        Ok(())
    } else {
        Err(Violation::Count {
            what: "sections in a list",
            min: 1,
            max: LIST_SECTIONS_MAX,
            found: sections,
        })
    }
}

/// How many rows one section has: at least one (Kaleyra's v1 list page).
pub fn check_section_row_count(rows: usize) -> Result<(), Violation> {
    if rows == 0 {
        Err(Violation::Count {
            what: "rows in a section",
            min: 1,
            max: LIST_ROWS_MAX,
            found: 0,
        })
    } else {
        Ok(())
    }
}

/// A section without a title: allowed only when the list has one section (Meta: "required if
/// the message has more than one section").
pub fn check_untitled_section(sections: usize) -> Result<(), Violation> {
    if sections > 1 {
        Err(Violation::Invalid {
            reason: "a section title may be left out only when the list has one section",
        })
    } else {
        Ok(())
    }
}

/// The media an interactive message's header takes: image, video or document (Meta's
/// interactive header types); audio and stickers are not headers.
pub fn check_interactive_header_media(kind: crate::layout::MediaKind) -> Result<(), Violation> {
    use crate::layout::MediaKind;
    match kind {
        MediaKind::Image | MediaKind::Video | MediaKind::Document => Ok(()),
        MediaKind::Audio | MediaKind::Sticker => Err(Violation::Invalid {
            reason: "an interactive header is text, an image, a video or a document, not audio \
                     or a sticker",
        }),
    }
}

/// A CTA URL button's display text: 1-20 characters (Meta).
pub fn check_cta_display_text(text: &str) -> Result<(), Violation> {
    check_len(text, CTA_DISPLAY_TEXT_MAX)
}

/// A CTA URL button's URL: `http://` or `https://` then a host, at most 2000 characters, no
/// spaces or control characters (Meta: the URL the button opens in the browser).
pub fn check_cta_url(url: &str) -> Result<(), Violation> {
    check_len(url, CTA_URL_MAX)?;
    no_space_or_control(url, "URL characters (encode spaces as %20)")?;
    let scheme = |s: &str| {
        url.get(..s.len())
            .filter(|p| p.eq_ignore_ascii_case(s))
            .map(|_| &url[s.len()..])
    };
    let Some(rest) = scheme("https://").or_else(|| scheme("http://")) else {
        return Err(Violation::Invalid {
            reason: "a CTA URL must start with `http://` or `https://`",
        });
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if rest[..host_end].is_empty() {
        return Err(Violation::Invalid {
            reason: "a CTA URL needs a host after the scheme",
        });
    }
    Ok(())
}

#[cfg(test)]
mod interactive_tests {
    use super::*;

    #[test]
    fn reply_buttons() {
        assert!(check_reply_button_title(&"a".repeat(20)).is_ok());
        assert_eq!(
            check_reply_button_title(&"a".repeat(21)),
            Err(Violation::TooLong { max: 20, len: 21 })
        );
        assert_eq!(check_reply_button_title(""), Err(Violation::Empty));
        assert!(check_reply_button_title(&"é".repeat(20)).is_ok());
        assert!(check_reply_button_id(&"a".repeat(256)).is_ok());
        assert!(check_reply_button_id(&"a".repeat(257)).is_err());
        assert!(check_reply_button_count(0).is_err());
        assert!(check_reply_button_count(3).is_ok());
        assert!(check_reply_button_count(4).is_err());
        assert_eq!(check_unique("title", ["a", "b", "c"]), Ok(()));
        assert_eq!(
            check_unique("title", ["a", "b", "a"]),
            Err((
                2,
                Violation::Duplicate {
                    what: "title",
                    value: "a".into()
                }
            ))
        );
    }

    #[test]
    fn lists() {
        assert!(check_list_button(&"a".repeat(20)).is_ok());
        assert!(check_list_button(&"a".repeat(21)).is_err());
        assert!(check_list_body(&"a".repeat(4096)).is_ok());
        assert!(check_list_body(&"a".repeat(4097)).is_err());
        assert!(check_row_title(&"a".repeat(24)).is_ok());
        assert!(check_row_title(&"a".repeat(25)).is_err());
        assert!(check_section_title(&"a".repeat(25)).is_err());
        assert!(check_row_description(&"a".repeat(72)).is_ok());
        assert!(check_row_description(&"a".repeat(73)).is_err());
        assert!(check_row_id(&"a".repeat(200)).is_ok());
        assert!(check_row_id(&"a".repeat(201)).is_err());
        assert!(check_list_row_count(10).is_ok());
        assert!(check_list_row_count(11).is_err());
        assert!(check_list_row_count(0).is_err());
        assert!(check_list_section_count(10).is_ok());
        assert!(check_list_section_count(11).is_err());
        assert!(check_section_row_count(0).is_err());
        assert!(check_untitled_section(1).is_ok());
        assert!(check_untitled_section(2).is_err());
    }

    #[test]
    fn cta_url() {
        assert!(check_cta_display_text(&"a".repeat(20)).is_ok());
        assert!(check_cta_display_text(&"a".repeat(21)).is_err());
        assert!(check_cta_url("https://example.com/a?b").is_ok());
        assert!(check_cta_url("http://example.com").is_ok());
        assert!(check_cta_url("HTTPS://example.com").is_ok());
        assert!(check_cta_url("ftp://example.com").is_err());
        assert!(check_cta_url("https://").is_err());
        assert!(check_cta_url("https://exa mple.com").is_err());
        assert!(check_cta_url("").is_err());
        assert!(check_cta_url(&format!("https://e.com/{}", "a".repeat(2000))).is_err());
    }
}

// ------------------------------------------------------------------------ template edits
// Issue 19: what WhatsApp lets an edit of a template change (Kaleyra's Edit Template page:
// v2-more-facts.md §1.3, v2-session-flows-templates.md §4.2). `kaleyra templates push` refuses
// these in its plan and the simulator refuses them on arrival, both through these functions.

/// Edits of an approved template allowed in any 24 hours (Kaleyra, Edit Template).
pub const APPROVED_EDITS_PER_DAY: usize = 1;
/// Edits of an approved template allowed in any 30 days (Kaleyra, Edit Template).
pub const APPROVED_EDITS_PER_30_DAYS: usize = 10;
/// Template API calls (create, edit, delete) per WhatsApp Business Account per hour (Kaleyra,
/// Create Template and Edit Template).
pub const TEMPLATE_CALLS_PER_HOUR: usize = 100;

/// Why WhatsApp does not let a template be edited.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EditRefusal {
    /// Only APPROVED, REJECTED or PAUSED templates can be edited.
    Status {
        /// Its status on the account.
        status: String,
    },
    /// The category of an approved template cannot be changed.
    ApprovedCategory {
        /// Its category on the account.
        from: String,
        /// The category asked for.
        to: String,
    },
    /// A template with a `VOICE_CALL` button cannot be edited.
    VoiceCall,
    /// Only a template's category and components can be edited.
    NotEditable {
        /// The member that differs.
        member: String,
    },
    /// An approved template can be edited once in 24 hours.
    TooSoon,
    /// An approved template can be edited 10 times in 30 days.
    TooMany,
}

impl fmt::Display for EditRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditRefusal::Status { status } => write!(
                f,
                "its status is {status}: WhatsApp edits only APPROVED, REJECTED or PAUSED \
                 templates (wait for the review to end)"
            ),
            EditRefusal::ApprovedCategory { from, to } => write!(
                f,
                "the category of an approved template cannot change ({from} -> {to}): keep \
                 {from}, or create the template under a new name"
            ),
            EditRefusal::VoiceCall => f.write_str(
                "a template with a VOICE_CALL button cannot be edited: create it under a new name",
            ),
            EditRefusal::NotEditable { member } => write!(
                f,
                "`{member}` differs, and WhatsApp edits only a template's category and \
                 components: create the template under a new name"
            ),
            EditRefusal::TooSoon => f.write_str(
                "an approved template can be edited once in 24 hours: push again tomorrow",
            ),
            EditRefusal::TooMany => f.write_str(
                "an approved template can be edited 10 times in 30 days: this one has been",
            ),
        }
    }
}

impl std::error::Error for EditRefusal {}

/// Whether a template in `status` (Meta's value) may be edited, and its category changed from
/// `from` to `to` (Meta's values; equal when it does not change). `voice_call`: it has a
/// `VOICE_CALL` button.
pub fn check_edit(status: &str, from: &str, to: &str, voice_call: bool) -> Result<(), EditRefusal> {
    let status = status.to_ascii_uppercase();
    if !matches!(status.as_str(), "APPROVED" | "REJECTED" | "PAUSED") {
        return Err(EditRefusal::Status { status });
    }
    if voice_call {
        return Err(EditRefusal::VoiceCall);
    }
    if status == "APPROVED" && !from.eq_ignore_ascii_case(to) {
        return Err(EditRefusal::ApprovedCategory {
            from: from.to_ascii_uppercase(),
            to: to.to_ascii_uppercase(),
        });
    }
    Ok(())
}

/// Whether one more edit is allowed, given the edits already made in the last 24 hours and in the
/// last 30 days. Only approved templates are limited (rejected and paused ones are not).
pub fn check_edit_frequency(
    status: &str,
    last_24_hours: usize,
    last_30_days: usize,
) -> Result<(), EditRefusal> {
    if !status.eq_ignore_ascii_case("APPROVED") {
        return Ok(());
    }
    if last_24_hours >= APPROVED_EDITS_PER_DAY {
        return Err(EditRefusal::TooSoon);
    }
    if last_30_days >= APPROVED_EDITS_PER_30_DAYS {
        return Err(EditRefusal::TooMany);
    }
    Ok(())
}

/// The members of a pulled template that describe the account's copy rather than the template:
/// Meta's read-only fields of a template (`id`, `status`, `rejected_reason`, `quality_score`,
/// `previous_category`, `correct_category`, `sub_category`) and Kaleyra's `company_id` (facts
/// §1.1). They are left out of a creation body and of the comparison `kaleyra templates push`
/// makes; every other member is sent as it is, modelled or not (`message_send_ttl_seconds`,
/// `cta_url_link_tracking_opted_out`, …).
pub const TEMPLATE_READ_ONLY_MEMBERS: [&str; 8] = [
    "id",
    "status",
    "rejected_reason",
    "quality_score",
    "previous_category",
    "correct_category",
    "sub_category",
    "company_id",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_table_has_metas_111_codes() {
        assert_eq!(languages().count(), 111);
        assert_eq!(language("en_US"), Ok("en_US"));
        assert_eq!(language("es_CR"), Ok("es_CR"));
        assert_eq!(language("prs_AF"), Ok("prs_AF"));
        // Case-sensitive, underscore only.
        assert!(language("en_us").is_err());
    }

    #[test]
    fn an_unknown_language_suggests_the_nearest() {
        assert_eq!(
            language("en-US"),
            Err(Violation::Unknown {
                what: "template language code",
                suggestion: Some("en_US")
            })
        );
        assert_eq!(suggest("pt_BT", languages().map(|l| l.0)), Some("pt_BR"));
        assert_eq!(suggest("klingon", languages().map(|l| l.0)), None);
        assert_eq!(suggest("lnag", ["name", "lang", "kind"]), Some("lang"));
        assert_eq!(suggest("nmae", ["name", "lang", "kind"]), Some("name"));
        assert_eq!(
            suggest("buton_index", ["button_index"]),
            Some("button_index")
        );
    }

    #[test]
    fn template_names() {
        assert!(check_template_name("auth1").is_ok());
        assert!(check_template_name(&"a".repeat(512)).is_ok());
        assert_eq!(
            check_template_name(&"a".repeat(513)),
            Err(Violation::TooLong { max: 512, len: 513 })
        );
        assert_eq!(check_template_name(""), Err(Violation::Empty));
        assert!(matches!(
            check_template_name("Auth1"),
            Err(Violation::BadChar { ch: 'A', .. })
        ));
        assert!(check_template_name("auth-1").is_err());
    }

    #[test]
    fn otps() {
        assert!(check_otp("J$FpXXXX").is_ok());
        assert!(check_otp("123456789012345").is_ok());
        assert!(matches!(
            check_otp("1234567890123456"),
            Err(Violation::TooLong { max: 15, len: 16 })
        ));
        assert!(check_otp("12 34").is_err());
        assert!(check_otp("12\u{7}4").is_err());
        assert_eq!(check_otp(""), Err(Violation::Empty));
    }

    #[test]
    fn button_index_range() {
        assert_eq!(check_button_index(0), Ok(0));
        assert_eq!(check_button_index(9), Ok(9));
        assert!(check_button_index(10).is_err());
        assert!(check_button_index(-1).is_err());
    }

    #[test]
    fn cta() {
        assert!(check_flow_cta("Book now").is_ok());
        assert!(check_flow_cta(&"x".repeat(30)).is_ok());
        assert!(check_flow_cta(&"x".repeat(31)).is_err());
        assert_eq!(
            check_flow_cta("Book \u{1F4C5}"),
            Err(Violation::Emoji { ch: '\u{1F4C5}' })
        );
        assert!(check_flow_cta("Réserver").is_ok());
    }

    #[test]
    fn phones() {
        assert_eq!(normalize_phone("+91 98765-43210").unwrap(), "+919876543210");
        assert_eq!(
            normalize_phone("+1 (555) 010-9999").unwrap(),
            "+15550109999"
        );
        assert!(normalize_phone("919876543210").is_err());
        assert!(normalize_phone("+0123").is_err());
        assert!(normalize_phone("+1234567890123456").is_err());
        assert!(normalize_phone("+").is_err());
        assert!(normalize_phone("+91x").is_err());
        assert!(normalize_phone("").is_err());
    }

    #[test]
    fn truncation_is_on_char_boundaries() {
        assert_eq!(truncate_chars("héllo", 2), "hé");
        assert_eq!(truncate_chars("abc", 255), "abc");
        let long = "é".repeat(300);
        assert_eq!(truncate_chars(&long, 255).chars().count(), 255);
    }

    #[test]
    fn template_text_parameters() {
        assert!(check_body_parameter("Hi    there").is_ok()); // four spaces
        assert!(check_body_parameter("Hi     there").is_err()); // five
        assert!(check_body_parameter("a\nb").is_err());
        assert!(check_body_parameter("a\tb").is_err());
        assert!(check_body_parameter("a\rb").is_err());
        assert!(check_header_parameter(&"x".repeat(60)).is_ok());
        assert!(check_header_parameter(&"x".repeat(61)).is_err());
    }

    #[test]
    fn parameter_names() {
        assert!(check_parameter_names(&[Some("first_name"), Some("order_2")]).is_ok());
        assert!(check_parameter_names(&[None, None]).is_ok());
        assert_eq!(check_parameter_names(&[Some("a"), None]).unwrap_err().0, 1);
        assert_eq!(check_parameter_names(&[None, Some("a")]).unwrap_err().0, 1);
        assert!(matches!(
            check_parameter_names(&[Some("a"), Some("a")]),
            Err((1, Violation::Duplicate { .. }))
        ));
        assert!(matches!(
            check_parameter_names(&[Some("First")]),
            Err((0, Violation::BadChar { ch: 'F', .. }))
        ));
    }

    #[test]
    fn buttons() {
        use crate::layout::ButtonKind::{CopyCode, QuickReply, Url};
        assert!(check_buttons(&[(Url, 0), (QuickReply, 1), (CopyCode, 2)]).is_ok());
        assert!(matches!(
            check_buttons(&[(Url, 0), (QuickReply, 0)]),
            Err((1, Violation::Duplicate { .. }))
        ));
        assert!(check_buttons(&[(Url, 10)]).is_err());
        assert_eq!(
            check_buttons(&[(CopyCode, 0), (CopyCode, 1)])
                .unwrap_err()
                .0,
            1
        );
        let eleven: Vec<_> = (0..11).map(|i| (QuickReply, i)).collect();
        // The eleventh has index 10, out of range, which is reported first.
        assert_eq!(check_buttons(&eleven).unwrap_err().0, 10);
    }

    #[test]
    fn currencies() {
        assert_eq!(currency_code("USD"), Ok("USD"));
        assert_eq!(currency_code("INR"), Ok("INR"));
        assert_eq!(
            currency_code("usd"),
            Err(Violation::Unknown {
                what: "ISO 4217 currency code",
                suggestion: Some("USD")
            })
        );
        assert!(currency_code("XXX").is_err());
        for code in ["", "US", "USDX", "ÜSD"] {
            assert!(currency_code(code).is_err(), "{code}");
        }
        // Every code in the table is found (the search compares codes as numbers).
        for code in CURRENCY_CODES {
            assert_eq!(currency_code(code), Ok(code));
        }
        let mut sorted = CURRENCY_CODES;
        sorted.sort_unstable();
        assert_eq!(sorted, CURRENCY_CODES, "kept sorted, no duplicates");
        assert!(CURRENCY_CODES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn carousel_rules() {
        use crate::layout::ButtonKind::{CopyCode, QuickReply, Url};
        assert!(check_carousel_template(false, false, 0).is_ok());
        assert!(check_carousel_template(true, false, 0).is_err());
        assert!(check_carousel_template(false, true, 0).is_err());
        assert!(check_carousel_template(false, false, 1).is_err());
        assert!(check_card_has_header(true).is_ok());
        assert!(check_card_has_header(false).is_err());
        assert_eq!(check_card_buttons(&[(QuickReply, 0), (Url, 1)]), Ok(()));
        assert!(matches!(
            check_card_buttons(&[(QuickReply, 0), (QuickReply, 0)]),
            Err((1, Violation::Duplicate { .. }))
        ));
        assert!(matches!(
            check_card_buttons(&[(Url, 2)]),
            Err((0, Violation::OutOfRange { max: 1, .. }))
        ));
        assert!(matches!(
            check_card_buttons(&[(CopyCode, 0)]),
            Err((0, Violation::Invalid { .. }))
        ));
    }

    #[test]
    fn media_links_and_files() {
        assert!(check_media_link("https://example.com/a.jpg").is_ok());
        assert!(check_media_link("HTTPS://example.com").is_ok());
        assert!(check_media_link("http://example.com/a.jpg").is_err());
        assert!(check_media_link("https://").is_err());
        assert!(check_media_link("https:///a").is_err());
        assert!(check_media_link("https://example.com/a b.jpg").is_err());
        assert!(check_media_link("https://ex").is_ok());
        assert!(check_media_link("").is_err());
        assert!(check_media_link("é").is_err());
        assert!(check_filename("Invoice 42.pdf").is_ok());
        assert!(check_filename("a/b.pdf").is_err());
        assert!(check_filename(&"a".repeat(256)).is_err());
        assert!(check_media_id("4621000000").is_ok());
        assert!(check_media_id("46 21").is_err());
    }

    #[test]
    fn coordinates_and_codes() {
        assert!(check_latitude(90.0).is_ok());
        assert!(check_latitude(90.1).is_err());
        assert!(check_latitude(f64::NAN).is_err());
        assert!(check_longitude(-180.0).is_ok());
        assert!(check_longitude(f64::INFINITY).is_err());
        assert!(check_coupon_code("SAVE25").is_ok());
        assert!(check_coupon_code("SAVE 25").is_err());
        assert!(check_coupon_code(&"A".repeat(16)).is_err());
        assert_eq!(
            check_expiration_time_ms(1_700_000_000_000),
            Ok(1_700_000_000_000)
        );
        assert!(check_expiration_time_ms(0).is_err());
        assert!(check_expiration_time_ms(-1).is_err());
        assert!(check_card_count(0).is_err());
        assert!(check_card_count(10).is_ok());
        assert!(check_card_count(11).is_err());
        use crate::layout::ButtonKind;
        assert!(check_card_button(ButtonKind::QuickReply).is_ok());
        assert!(check_card_button(ButtonKind::Url).is_ok());
        assert!(check_card_button(ButtonKind::CopyCode).is_err());
        assert!(check_card_button(ButtonKind::Mpm).is_err());
        assert!(check_card_header(crate::layout::MediaKind::Video).is_ok());
        assert!(check_card_header(crate::layout::MediaKind::Document).is_err());
    }

    #[test]
    fn mpm_sections() {
        assert!(check_mpm_sections(&[("Popular", 3), ("New", 2)]).is_ok());
        assert!(check_mpm_sections(&[]).is_err());
        assert!(check_mpm_sections(&[("Empty", 0)]).is_err());
        assert!(check_mpm_sections(&[("A", 20), ("B", 11)]).is_err());
        assert!(check_mpm_sections(&[(&"t".repeat(25), 1)]).is_err());
        let eleven: Vec<_> = (0..11).map(|_| ("S", 1)).collect();
        assert!(check_mpm_sections(&eleven).is_err());
    }

    #[test]
    fn session_rules() {
        assert!(check_text_body(&"x".repeat(TEXT_BODY_MAX)).is_ok());
        assert!(check_text_body(&"x".repeat(TEXT_BODY_MAX + 1)).is_err());
        assert!(check_caption(&"é".repeat(CAPTION_MAX)).is_ok());
        assert!(check_caption(&"é".repeat(CAPTION_MAX + 1)).is_err());
        use crate::layout::MediaKind;
        assert!(check_caption_allowed(MediaKind::Document).is_ok());
        assert!(check_caption_allowed(MediaKind::Sticker).is_err());
        assert!(check_template_header_media(MediaKind::Video).is_ok());
        assert!(check_template_header_media(MediaKind::Audio).is_err());
        assert!(check_card_header(MediaKind::Sticker).is_err());
        for ok in [
            "\u{1f44d}",
            "#\u{20e3}",
            "\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}",
        ] {
            assert_eq!(check_reaction_emoji(ok), Ok(()), "{ok:?}");
        }
        for bad in ["", "1", "#\u{20e3}x", "\u{1f44d}\n", "\u{1f44d}a"] {
            assert!(check_reaction_emoji(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            wa_id_to_e164("919876543210"),
            Ok("+919876543210".to_owned())
        );
        assert!(wa_id_to_e164("+919876543210").is_err());
        assert!(wa_id_to_e164(&"1".repeat(16)).is_err());
        assert!(check_message_id("wamid.HBgM").is_ok());
        assert!(check_message_id("a b").is_err());
        assert!(check_message_id(&"a".repeat(MESSAGE_ID_MAX + 1)).is_err());
    }
    #[test]
    fn template_edits() {
        assert_eq!(check_edit("APPROVED", "UTILITY", "utility", false), Ok(()));
        assert_eq!(
            check_edit("rejected", "UTILITY", "MARKETING", false),
            Ok(())
        );
        assert_eq!(check_edit("PAUSED", "UTILITY", "UTILITY", false), Ok(()));
        assert_eq!(
            check_edit("PENDING", "UTILITY", "UTILITY", false),
            Err(EditRefusal::Status {
                status: "PENDING".into()
            })
        );
        assert_eq!(
            check_edit("APPROVED", "UTILITY", "MARKETING", false),
            Err(EditRefusal::ApprovedCategory {
                from: "UTILITY".into(),
                to: "MARKETING".into()
            })
        );
        assert_eq!(
            check_edit("REJECTED", "UTILITY", "UTILITY", true),
            Err(EditRefusal::VoiceCall)
        );
        assert_eq!(check_edit_frequency("APPROVED", 0, 9), Ok(()));
        assert_eq!(
            check_edit_frequency("APPROVED", 1, 1),
            Err(EditRefusal::TooSoon)
        );
        assert_eq!(
            check_edit_frequency("APPROVED", 0, 10),
            Err(EditRefusal::TooMany)
        );
        assert_eq!(check_edit_frequency("REJECTED", 5, 50), Ok(()));
    }
}

// ------------------------------------------------------------------------ template creation
// Issue 19: Meta's rules for creating a template (Meta, "Create and manage templates" and the
// template components reference; Kaleyra §4.1: name 512, content 1024). The walk of a
// definition is `catalogue::TemplateDefinition::validate`; every limit and decision is here.

/// The most characters of a template's body text (Kaleyra §4.1: "Content at most 1024
/// characters"; Meta: body text 1024).
pub const TEMPLATE_BODY_MAX: usize = 1024;

/// The most characters of a template button's label (Meta: button `text`, 25 characters).
pub const BUTTON_LABEL_MAX: usize = 25;

/// The most quick-reply buttons of a template (Meta: "up to 10 quick reply buttons").
pub const QUICK_REPLY_BUTTONS_MAX: usize = 10;

/// The most URL buttons of a template (Meta: "up to 2 URL buttons").
pub const URL_BUTTONS_MAX: usize = 2;

/// The most phone-number buttons of a template (Meta: "up to 1 phone number button").
pub const PHONE_NUMBER_BUTTONS_MAX: usize = 1;

/// The most copy-code buttons of a template (Meta, coupon code templates: "Templates are
/// limited to one copy code button").
pub const COPY_CODE_BUTTONS_MAX: usize = 1;

/// The most characters of a phone-number button's number (Meta: `phone_number`, 20
/// characters).
pub const BUTTON_PHONE_MAX: usize = 20;

/// The longest expiry an authentication template's footer may announce, in minutes (Meta:
/// `code_expiration_minutes`, 1 to 90).
pub const CODE_EXPIRATION_MINUTES_MAX: i128 = 90;

/// The categories a template is created in (Kaleyra §4.1: "Marketing, Authentication and
/// Utility"; Meta's `category`).
pub const TEMPLATE_CATEGORIES: [&str; 3] = ["MARKETING", "UTILITY", "AUTHENTICATION"];

/// The `otp_type` values of an authentication template's OTP button (Meta: `COPY_CODE`,
/// `ONE_TAP`, `ZERO_TAP`).
pub const OTP_TYPES: [&str; 3] = ["COPY_CODE", "ONE_TAP", "ZERO_TAP"];

/// Which creation rule a template definition breaks ([`crate::catalogue::TemplateViolation`]).
/// Each names one rule of this section, in the order `RULES.md` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TemplateRule {
    /// `name`: 1-512 lowercase letters, digits and underscores ([`check_template_name`]).
    Name,
    /// `category`: MARKETING, UTILITY or AUTHENTICATION ([`template_category`]).
    Category,
    /// `language`: a known language code ([`language`]).
    Language,
    /// A member of the wrong JSON type (a `text` that is a number, `example` not an object).
    Shape,
    /// A component type given twice (Meta: one header, one body, one footer, one buttons).
    Repeated,
    /// A body is required (except in an authentication template) ([`check_template_body`]).
    BodyRequired,
    /// The body text: 1-1024 characters ([`check_template_body`]).
    BodyText,
    /// The placeholders: `{{1}}`..`{{n}}` in order from 1 without gaps, or names; not both
    /// ([`check_placeholders`]).
    Placeholders,
    /// `parameter_format` disagrees with what the body uses ([`check_parameter_format`]).
    ParameterFormat,
    /// The body's example does not match its placeholders ([`check_example_count`],
    /// [`check_named_examples`]).
    BodyExample,
    /// A text header: 1-60 characters ([`check_header_text`]), at most one parameter
    /// ([`check_header_placeholders`]). (Not named `HeaderText`: a variant of that name would
    /// make rustc spell out the `kaleyra::roles::HeaderText` trait in every derive error.)
    TextHeader,
    /// A text header's example missing or not matching its parameter.
    HeaderExample,
    /// A media header's example: an upload handle, not a URL ([`check_upload_handle`]).
    MediaHandle,
    /// The footer: 1-60 characters, no parameters ([`check_template_footer`]).
    Footer,
    /// The buttons: at most 10, per-type limits, quick replies grouped
    /// ([`check_template_buttons`]).
    Buttons,
    /// A button's label: 1-25 characters ([`check_button_label`]).
    ButtonLabel,
    /// A URL button's URL: at most 2000 characters, one variable at its end
    /// ([`check_button_url`]).
    ButtonUrl,
    /// A dynamic URL button's example missing ([`check_url_example`]).
    ButtonUrlExample,
    /// A phone-number button's number: E.164, at most 20 characters ([`check_button_phone`]).
    ButtonPhone,
    /// A copy-code button's example: 1-15 characters ([`check_coupon_code`]).
    CopyCodeExample,
    /// A flow button's members ([`check_flow_button`]).
    FlowButtonMembers,
    /// An authentication template's shape: no header, the body's text is Meta's, only an OTP
    /// button ([`check_authentication_component`]).
    Authentication,
    /// An authentication footer's `code_expiration_minutes`: 1 to 90
    /// ([`check_code_expiration_minutes`]).
    CodeExpiration,
    /// The OTP button: exactly one, `otp_type` known ([`check_otp_type`]), only in
    /// authentication templates.
    OtpButton,
    /// A one-tap or zero-tap OTP button's `supported_apps` ([`check_supported_app`]).
    SupportedApps,
}

/// A template's category for creation: MARKETING, UTILITY or AUTHENTICATION, in any case
/// (pulled files have them upper case). Returns the value as stored in
/// [`TEMPLATE_CATEGORIES`].
pub fn template_category(value: &str) -> Result<&'static str, Violation> {
    TEMPLATE_CATEGORIES
        .iter()
        .find(|c| c.eq_ignore_ascii_case(value))
        .copied()
        .ok_or_else(|| Violation::Unknown {
            what: "template category (MARKETING, UTILITY or AUTHENTICATION)",
            suggestion: suggest(value, TEMPLATE_CATEGORIES),
        })
}

/// A template's body text: 1-1024 characters (Kaleyra §4.1, Meta).
pub fn check_template_body(text: &str) -> Result<(), Violation> {
    check_len(text, TEMPLATE_BODY_MAX)
}

/// The placeholders of a body, in order of first appearance (each once, as
/// [`crate::catalogue::placeholders`] gives them): positional ones are `{{1}}`, `{{2}}`, …
/// in that order without gaps (Meta: parameters are numbered sequentially from 1), named ones
/// valid and each once ([`check_parameter_names`]), never both in one text. On error, returns
/// the position of the offending placeholder.
pub fn check_placeholders(
    found: &[crate::catalogue::Placeholder],
) -> Result<(), (usize, Violation)> {
    use crate::catalogue::Placeholder;
    let names: Vec<Option<&str>> = found
        .iter()
        .map(|p| match p {
            Placeholder::Named(n) => Some(n.as_str()),
            Placeholder::Positional(_) => None,
        })
        .collect();
    check_parameter_names(&names)?;
    for (i, p) in found.iter().enumerate() {
        if let Placeholder::Positional(n) = p
            && u64::from(*n) != i as u64 + 1
        {
            return Err((
                i,
                Violation::Invalid {
                    reason: "positional placeholders are numbered {{1}}, {{2}}, … in the \
                                 order they first appear, without gaps",
                },
            ));
        }
    }
    Ok(())
}

/// `parameter_format` (absent: positional, Meta's default) agrees with the body's
/// placeholders: NAMED with names (or none), POSITIONAL with numbers (or none).
pub fn check_parameter_format(
    declared: Option<crate::catalogue::ParameterFormat>,
    used: &crate::catalogue::Parameters,
) -> Result<(), Violation> {
    use crate::catalogue::{ParameterFormat, Parameters};
    match (declared, used) {
        (Some(ParameterFormat::Named), Parameters::Positional(n)) if *n > 0 => {
            Err(Violation::Invalid {
                reason: "`parameter_format` is NAMED but the body uses {{1}}-style placeholders",
            })
        }
        (None | Some(ParameterFormat::Positional), Parameters::Named(names))
            if !names.is_empty() =>
        {
            Err(Violation::Invalid {
                reason: "the body uses named placeholders: set `parameter_format` to NAMED \
                         (absent means POSITIONAL)",
            })
        }
        _ => Ok(()),
    }
}

/// An example gives one value per parameter (Meta: `example.body_text` is `[[one value per
/// placeholder]]`, `header_text` `[one value]`), each a non-empty text.
pub fn check_example_count(
    what: &'static str,
    expected: usize,
    found: usize,
) -> Result<(), Violation> {
    if expected == found {
        Ok(())
    } else {
        Err(Violation::Count {
            what,
            min: expected,
            max: expected,
            found,
        })
    }
}

/// Named examples (Meta: `example.body_text_named_params` / `header_text_named_params`, one
/// `{param_name, example}` per name): every name of the text has one, no other name, each once.
/// `given` holds each example's `param_name`. On error, returns the name at fault.
pub fn check_named_examples(names: &[String], given: &[&str]) -> Result<(), (String, Violation)> {
    for name in names {
        if !given.contains(&name.as_str()) {
            return Err((
                name.clone(),
                Violation::Invalid {
                    reason: "a named placeholder has no example (`{\"param_name\", \"example\"}`)",
                },
            ));
        }
    }
    for (i, g) in given.iter().enumerate() {
        if !names.iter().any(|n| n == g) {
            return Err((
                (*g).to_owned(),
                Violation::Invalid {
                    reason: "an example names a parameter the text does not have",
                },
            ));
        }
        if given[..i].contains(g) {
            return Err((
                (*g).to_owned(),
                Violation::Duplicate {
                    what: "example for parameter",
                    value: (*g).to_owned(),
                },
            ));
        }
    }
    Ok(())
}

/// A text header takes at most one parameter (Meta: "Supports 1 variable").
pub fn check_header_placeholders(count: usize) -> Result<(), Violation> {
    if count <= 1 {
        Ok(())
    } else {
        Err(Violation::Count {
            what: "header parameters",
            min: 0,
            max: 1,
            found: count,
        })
    }
}

/// A media header's example for creation: an upload handle (Meta: `header_handle`, from the
/// Resumable Upload API; Kaleyra §2.2), any opaque non-empty string that is not a URL. A
/// `http(s)://` link is the classic mistake: WhatsApp's review rejects it.
pub fn check_upload_handle(handle: &str) -> Result<(), Violation> {
    check_non_empty(handle)?;
    let lower = handle
        .trim_start()
        .get(..8)
        .unwrap_or("")
        .to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Err(Violation::Invalid {
            reason: "a media header example is an upload handle, not a URL: upload the file \
                     with `client.upload_resumable(…)` and give the handle it returns",
        });
    }
    Ok(())
}

/// A template's footer text: 1-60 characters (Meta: the same 60-character footer limit as
/// an interactive message's, [`check_flow_footer`]) and no parameters (Meta: footers take no
/// variables). `placeholders` is how many the text holds.
pub fn check_template_footer(text: &str, placeholders: usize) -> Result<(), Violation> {
    check_flow_footer(text)?;
    if placeholders > 0 {
        return Err(Violation::Invalid {
            reason: "a footer takes no parameters",
        });
    }
    Ok(())
}

/// The buttons of a template to create, by type in the order given: at most 10
/// ([`BUTTONS_MAX`]); at most 10 quick replies, 2 URL, 1 phone number, 1 copy code, 1 OTP;
/// quick replies in one group, not interleaved with other types (Meta: "buttons must be
/// organized into two groups: quick reply buttons and non-quick reply buttons"). On error,
/// returns the position of the offending button.
pub fn check_template_buttons(
    kinds: &[crate::catalogue::ButtonType],
) -> Result<(), (usize, Violation)> {
    use crate::catalogue::ButtonType;
    if kinds.len() > BUTTONS_MAX {
        return Err((
            BUTTONS_MAX,
            Violation::Count {
                what: "buttons",
                min: 0,
                max: BUTTONS_MAX,
                found: kinds.len(),
            },
        ));
    }
    let limits: [(ButtonType, usize, &'static str); 5] = [
        (
            ButtonType::QuickReply,
            QUICK_REPLY_BUTTONS_MAX,
            "quick-reply buttons",
        ),
        (ButtonType::Url, URL_BUTTONS_MAX, "URL buttons"),
        (
            ButtonType::PhoneNumber,
            PHONE_NUMBER_BUTTONS_MAX,
            "phone-number buttons",
        ),
        (
            ButtonType::CopyCode,
            COPY_CODE_BUTTONS_MAX,
            "copy-code buttons",
        ),
        (ButtonType::OneTimePassword, 1, "OTP buttons"),
    ];
    for (kind, max, what) in &limits {
        let found = kinds.iter().filter(|k| *k == kind).count();
        if found > *max {
            let at = kinds
                .iter()
                .enumerate()
                .filter(|(_, k)| *k == kind)
                .nth(*max)
                .map_or(0, |(i, _)| i);
            return Err((
                at,
                Violation::Count {
                    what,
                    min: 0,
                    max: *max,
                    found,
                },
            ));
        }
    }
    // Quick replies form one run: a quick reply after a run of them that another type ended.
    let mut run_ended = false;
    let mut seen = false;
    for (i, kind) in kinds.iter().enumerate() {
        let quick = *kind == ButtonType::QuickReply;
        if quick && run_ended {
            return Err((
                i,
                Violation::Invalid {
                    reason: "quick-reply buttons are grouped together, not interleaved with \
                             other button types (Meta: two groups, quick reply and the rest)",
                },
            ));
        }
        if quick {
            seen = true;
        } else if seen {
            run_ended = true;
        }
    }
    Ok(())
}

/// A template button's label: 1-25 characters (Meta).
pub fn check_button_label(text: &str) -> Result<(), Violation> {
    check_len(text, BUTTON_LABEL_MAX)
}

/// A URL button's URL for creation: 1-2000 characters ([`URL_SUFFIX_MAX`], Meta's URL limit),
/// at most one variable, `{{1}}`, at its very end (Meta: "supports 1 variable, appended to the
/// end of the URL string"). Returns whether it is dynamic (takes a suffix when sent).
pub fn check_button_url(url: &str) -> Result<bool, Violation> {
    check_len(url, URL_SUFFIX_MAX)?;
    let opens = url.matches("{{").count();
    match opens {
        0 => Ok(false),
        1 if url.ends_with("{{1}}") => Ok(true),
        1 => Err(Violation::Invalid {
            reason: "a URL's variable is `{{1}}`, at its very end (`https://example.com/{{1}}`)",
        }),
        _ => Err(Violation::Invalid {
            reason: "a URL takes at most one variable, `{{1}}`, at its end",
        }),
    }
}

/// A dynamic URL button's example (Meta: `example: ["suffix or full URL"]`, required when the
/// URL holds `{{1}}`): one non-empty value. `values` is the example's strings.
pub fn check_url_example(values: &[&str]) -> Result<(), Violation> {
    check_example_count("example values", 1, values.len())?;
    values.iter().try_for_each(|v| check_non_empty(v))
}

/// A phone-number button's number: at most 20 characters (Meta) and E.164, with or without the
/// leading `+` (issue 19: Meta's own examples omit it; [`for_each_phone_digit`] does the rest).
pub fn check_button_phone(number: &str) -> Result<(), Violation> {
    check_len(number, BUTTON_PHONE_MAX)?;
    let trimmed = number.trim();
    if trimmed.starts_with('+') {
        for_each_phone_digit(trimmed, |_| {})
    } else {
        for_each_phone_digit(&format!("+{trimmed}"), |_| {})
    }
}

/// A flow button's members (Meta: `text`, and one of `flow_id`, `flow_name` or `flow_json`
/// naming the flow; `navigate_screen` when `flow_action` is `navigate`, the default). The
/// arguments say which members are present.
pub fn check_flow_button(
    names_flow: bool,
    navigate: bool,
    navigate_screen: bool,
) -> Result<(), Violation> {
    if !names_flow {
        return Err(Violation::Invalid {
            reason: "a flow button names its flow: `flow_id`, `flow_name` or `flow_json`",
        });
    }
    if navigate && !navigate_screen {
        return Err(Violation::Invalid {
            reason: "a flow button with `flow_action: navigate` names its `navigate_screen`",
        });
    }
    Ok(())
}

/// A component of an authentication template (Meta, authentication templates): no header;
/// the body's text is Meta's fixed text, so the body gives none (only
/// `add_security_recommendation`); the footer gives only `code_expiration_minutes`, no text.
/// `kind` is the component type upper case, `has_text` whether it gives a `text`.
pub fn check_authentication_component(kind: &str, has_text: bool) -> Result<(), Violation> {
    match kind {
        "HEADER" => Err(Violation::Invalid {
            reason: "an authentication template has no header",
        }),
        "BODY" if has_text => Err(Violation::Invalid {
            reason: "an authentication template's body text is Meta's fixed text: give only \
                     `add_security_recommendation`",
        }),
        "FOOTER" if has_text => Err(Violation::Invalid {
            reason: "an authentication template's footer gives only `code_expiration_minutes`",
        }),
        "BODY" | "FOOTER" | "BUTTONS" => Ok(()),
        _ => Err(Violation::Invalid {
            reason: "an authentication template has only a body, a footer and its OTP button",
        }),
    }
}

/// An authentication footer's `code_expiration_minutes`: 1 to 90 (Meta).
pub fn check_code_expiration_minutes(minutes: i128) -> Result<(), Violation> {
    if (1..=CODE_EXPIRATION_MINUTES_MAX).contains(&minutes) {
        Ok(())
    } else {
        Err(Violation::OutOfRange {
            value: minutes,
            min: 1,
            max: CODE_EXPIRATION_MINUTES_MAX,
        })
    }
}

/// An OTP button's `otp_type`: COPY_CODE, ONE_TAP or ZERO_TAP, in any case (Meta). Returns the
/// value as stored in [`OTP_TYPES`].
pub fn check_otp_type(value: &str) -> Result<&'static str, Violation> {
    OTP_TYPES
        .iter()
        .find(|t| t.eq_ignore_ascii_case(value))
        .copied()
        .ok_or_else(|| Violation::Unknown {
            what: "otp_type (COPY_CODE, ONE_TAP or ZERO_TAP)",
            suggestion: suggest(value, OTP_TYPES),
        })
}

/// One app of a one-tap or zero-tap OTP button's `supported_apps` (Meta: `package_name` and
/// `signature_hash`, both required). The arguments are the two members, when present.
pub fn check_supported_app(
    package_name: Option<&str>,
    signature_hash: Option<&str>,
) -> Result<(), Violation> {
    match (package_name, signature_hash) {
        (Some(p), Some(s)) if !p.is_empty() && !s.is_empty() => Ok(()),
        _ => Err(Violation::Invalid {
            reason: "a supported app gives its `package_name` and `signature_hash`",
        }),
    }
}
