//! Property tests for general templates (`kaleyra::model::StandardTemplate` and the value types
//! `Media`, `Location`, `Currency`, `DateTime`, `FlowButton`, `Mpm`):
//!
//! - each constructor accepts exactly what an oracle written here accepts; the oracles are
//!   written from the rules' sources (Meta's and Kaleyra's limits as RULES.md and this
//!   repository's RULES.md state them), never by calling `kaleyra::rules`;
//! - a whole template is accepted exactly when every oracle accepts its values and its shape
//!   (parameter names, buttons, limited-time offer, cards);
//! - what is accepted encodes to JSON that parses back to the same values, and
//!   `as_bytes() == serde_json::to_vec(&to_json())`;
//! - `write_message` into a reused buffer appends the same bytes, and leaves the buffer as it
//!   was on error;
//! - nothing panics, whatever the input.

use kaleyra::model::{CarouselCard, StandardTemplate};
use kaleyra::{Currency, DateTime, Error, FlowButton, Location, Media, Mpm, Template};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::{Value, json};

const RECIPIENT: &str = "+919876543210";

/// Deterministic runs: a fixed seed and no failure files in the source tree.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(0x7374_616e_6461_7264),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Oracles, from the rules' sources
// ---------------------------------------------------------------------------------------------

/// WhatsApp counts characters as Unicode scalar values.
fn len(s: &str) -> usize {
    s.chars().count()
}

fn no_whitespace_or_control(s: &str) -> bool {
    !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A template text parameter (Meta): 1..=max characters; "Param text cannot have
/// new-line/tab characters or more than 4 consecutive spaces" (`\r` counts as a new line, repo
/// RULES.md).
fn text_ok(s: &str, max: usize) -> bool {
    (1..=max).contains(&len(s)) && !s.contains(['\n', '\r', '\t']) && !s.contains("     ")
}

/// Body parameter and fallback value: 1024 (Meta).
fn body_ok(s: &str) -> bool {
    text_ok(s, 1024)
}

/// Header text parameter: 60 (Meta).
fn header_ok(s: &str) -> bool {
    text_ok(s, 60)
}

/// Media link (repo RULES.md): `https://` (any case) and a non-empty host, at most 2000
/// characters, no spaces or control characters.
fn link_ok(s: &str) -> bool {
    let Some(scheme) = s.get(..8) else {
        return false;
    };
    let host = s[8..].split(['/', '?', '#']).next().unwrap_or("");
    scheme.eq_ignore_ascii_case("https://")
        && !host.is_empty()
        && len(s) <= 2000
        && no_whitespace_or_control(s)
}

/// Media id: not empty, no spaces or control characters.
fn media_id_ok(s: &str) -> bool {
    !s.is_empty() && no_whitespace_or_control(s)
}

/// Document file name (Kaleyra's upload: 1-255 characters; no control characters, no `/` or
/// `\`).
fn filename_ok(s: &str) -> bool {
    (1..=255).contains(&len(s)) && !s.chars().any(|c| c.is_control() || c == '/' || c == '\\')
}

/// URL button suffix: 1-2000 characters (Meta's URL limit), no whitespace or control.
fn url_suffix_ok(s: &str) -> bool {
    (1..=2000).contains(&len(s)) && no_whitespace_or_control(s)
}

/// Coupon code: 1-15 characters (Meta), no whitespace or control.
fn coupon_ok(s: &str) -> bool {
    (1..=15).contains(&len(s)) && no_whitespace_or_control(s)
}

/// Payload, flow token, product retailer ids: not empty.
fn non_empty(s: &str) -> bool {
    !s.is_empty()
}

/// Named parameter: lowercase ASCII letters, digits and underscores (Meta).
fn name_ok(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// ISO 4217 list one (current codes) as this test's author knows it for 2026: national
/// currencies, the supranational ones and the fund codes, without precious metals (XAG, XAU,
/// XPD, XPT), the testing code XTS and "no currency" XXX (the exclusions repo RULES.md names).
/// Written independently of `kaleyra::rules::CURRENCY_CODES`.
const ISO_4217: &str = "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BOV \
    BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP \
    DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD \
    IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA \
    MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP \
    PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL \
    THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYI UYU UYW UZS VED VES VND VUV WST XAF XCD \
    XCG XOF XPF YER ZAR ZMW ZWG";

/// Codes whose place in the current list this test cannot settle from its sources (units of
/// account, a fund code, and currencies replaced in 2022-2026: ANG by XCG, BGN by EUR, SLL by
/// SLE, ZWL by ZWG, and CUC): the library may accept or refuse them.
const UNSETTLED: &str = "USN XDR XSU XUA XBA XBB XBC XBD ANG BGN CUC SLL ZWL";

fn currency_code_ok(code: &str) -> Option<bool> {
    if UNSETTLED.split(' ').any(|c| c == code) {
        return None;
    }
    Some(ISO_4217.split_whitespace().any(|c| c == code))
}

/// MPM sections (Meta: up to 10 sections, titles of at most 24 characters; Kaleyra: up to 30
/// products), each section with at least one product.
fn sections_ok(sections: &[(String, Vec<String>)]) -> bool {
    (1..=10).contains(&sections.len())
        && sections
            .iter()
            .all(|(title, products)| (1..=24).contains(&len(title)) && !products.is_empty())
        && sections.iter().map(|(_, p)| p.len()).sum::<usize>() <= 30
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// Characters that stress a JSON writer and the text rules: quotes, backslashes, C0 controls,
/// newline, tab, carriage return, spaces (runs of them), DEL, separators, multi-byte UTF-8,
/// emoji, and any char at all.
fn nasty_char() -> impl Strategy<Value = char> {
    (0u8..16, any::<u32>()).prop_map(|(choice, r)| {
        let pick = |lo: u32, hi: u32| char::from_u32(lo + r % (hi - lo + 1)).unwrap_or('\u{FFFD}');
        match choice {
            0 => '"',
            1 => '\\',
            2 => pick(0, 0x1F),
            3 => ' ',
            4 => ' ',
            5 => '\u{7F}',
            6 => '\u{2028}',
            7 => '\u{A0}',
            8 => pick(0x80, 0x7FF),
            9 => pick(0x1F300, 0x1FAFF),
            10 => '/',
            _ => pick(u32::from('a'), u32::from('z')),
        }
    })
}

/// Text: mostly short escape-heavy strings, now and then any string or one near `max`.
/// Friendly text is escape-heavy too, but usually within the text rules.
fn text(max: usize, friendly: bool) -> BoxedStrategy<String> {
    // Words separated by runs of spaces: four are allowed, five are not.
    let spaced = |most: usize| {
        (vec("[a-z\"é]{1,4}", 2..4), 1..=most).prop_map(|(words, n)| words.join(&" ".repeat(n)))
    };
    if friendly {
        return prop_oneof![
            1 => spaced(4),
            4 => vec(
            prop::sample::select(vec!['a', 'Z', 'é', '"', '\\', '😀', ' ', '\u{1}', '\u{2028}', '/']),
            1..10,
        )
        .prop_map(String::from_iter),
        ]
        .boxed();
    }
    prop_oneof![
        2 => spaced(6),
        6 => vec(nasty_char(), 0..12).prop_map(String::from_iter),
        2 => vec(prop::sample::select(vec!['a', 'é', '"', '😀']), 1..8).prop_map(String::from_iter),
        1 => any::<String>(),
        1 => (prop::sample::select(vec!['x', 'é', '€', '😀']), max - 2..max + 3)
            .prop_map(|(c, n)| std::iter::repeat_n(c, n).collect()),
    ]
    .boxed()
}

/// URLs: mostly valid https links, sometimes another scheme, no host, spaces, or any string.
fn link(friendly: bool) -> BoxedStrategy<String> {
    if friendly {
        return "https://example\\.com/[a-zA-Z0-9/%\"é?#]{0,10}".boxed();
    }
    let path = vec(
        prop::sample::select(vec!['a', 'Z', '0', '/', '?', '#', '%', '"', '\\', 'é', ' ']),
        0..12,
    )
    .prop_map(String::from_iter);
    let scheme = prop::sample::select(vec![
        "https://", "HTTPS://", "Https://", "http://", "https:/", "ftp://", "", "https://",
    ]);
    let host = prop::sample::select(vec!["example.com", "e", "", "/x", "?", "#", "a b"]);
    prop_oneof![
        6 => (scheme, host, path).prop_map(|(s, h, p)| format!("{s}{h}{p}")),
        1 => any::<String>(),
        1 => (1990usize..2010).prop_map(|n| format!("https://e.com/{}", "a".repeat(n - 14))),
    ]
    .boxed()
}

/// Short identifiers: usually fine, sometimes empty, with spaces or controls.
fn ident(friendly: bool) -> BoxedStrategy<String> {
    if friendly {
        return "[A-Za-z0-9_.\"\\\\é-]{1,12}".boxed();
    }
    prop_oneof![
        6 => "[A-Za-z0-9_.-]{1,16}",
        1 => Just(String::new()),
        2 => vec(nasty_char(), 0..8).prop_map(String::from_iter),
        1 => (14usize..18).prop_map(|n| "C".repeat(n)),
    ]
    .boxed()
}

/// Parameter names: usually valid, sometimes upper case, empty or odd.
fn param_name(friendly: bool) -> BoxedStrategy<String> {
    if friendly {
        return "[a-z0-9_]{1,10}".boxed();
    }
    prop_oneof![
        8 => "[a-z0-9_]{1,10}",
        1 => "[A-Za-z -]{0,6}",
        1 => any::<String>(),
    ]
    .boxed()
}

fn currency_code(friendly: bool) -> BoxedStrategy<String> {
    let valid = prop::sample::select(vec!["USD", "INR", "EUR", "BRL", "JPY", "XAF", "ZWG", "VED"])
        .prop_map(str::to_owned);
    if friendly {
        return valid.boxed();
    }
    prop_oneof![
        6 => valid,
        2 => "[A-Z]{3}",
        1 => prop::sample::select(vec!["usd", "XXX", "XAU", "US", "USDD", "", "U$D", "XTS"])
            .prop_map(str::to_owned),
        1 => any::<String>(),
    ]
    .boxed()
}

#[derive(Debug, Clone)]
struct MediaSpec {
    /// 0 image, 1 video, 2 document.
    kind: u8,
    link: bool,
    source: String,
    filename: Option<String>,
}

fn media_spec(friendly: bool) -> impl Strategy<Value = MediaSpec> {
    let filename = if friendly {
        "[A-Za-z0-9 ._\"é-]{1,20}".boxed()
    } else {
        text(255, false)
    };
    (
        0u8..3,
        any::<bool>(),
        link(friendly),
        ident(friendly),
        prop::option::weighted(0.4, filename),
    )
        .prop_map(move |(kind, by_link, url, id, filename)| MediaSpec {
            kind,
            link: by_link,
            source: if by_link { url } else { id },
            // Friendly: a file name only on a document.
            filename: filename.filter(|_| !friendly || kind == 2),
        })
}

impl MediaSpec {
    fn oracle(&self) -> bool {
        let source = if self.link {
            link_ok(&self.source)
        } else {
            media_id_ok(&self.source)
        };
        let filename = match &self.filename {
            None => true,
            Some(name) => self.kind == 2 && filename_ok(name),
        };
        source && filename
    }

    fn build(&self) -> Result<Media, Error> {
        let s = self.source.clone();
        let media = match (self.kind, self.link) {
            (0, true) => Media::image_link(s),
            (0, false) => Media::image_id(s),
            (1, true) => Media::video_link(s),
            (1, false) => Media::video_id(s),
            (_, true) => Media::document_link(s),
            (_, false) => Media::document_id(s),
        }?;
        match &self.filename {
            Some(name) => media.filename(name.clone()),
            None => Ok(media),
        }
    }

    fn kind_str(&self) -> &'static str {
        ["image", "video", "document"][usize::from(self.kind.min(2))]
    }

    /// The parameter object it must encode to.
    fn expected(&self) -> Value {
        let mut inner = serde_json::Map::new();
        inner.insert(
            (if self.link { "link" } else { "id" }).to_owned(),
            json!(self.source),
        );
        if let Some(name) = &self.filename {
            inner.insert("filename".to_owned(), json!(name));
        }
        json!({"type": self.kind_str(), self.kind_str(): inner})
    }
}

#[derive(Debug, Clone)]
enum ParamSpec {
    Text(String),
    Currency(String, i64, String),
    DateTime(String),
}

fn param_spec(friendly: bool) -> impl Strategy<Value = ParamSpec> {
    prop_oneof![
        4 => text(1024, friendly).prop_map(ParamSpec::Text),
        2 => (currency_code(friendly), any::<i64>(), text(1024, friendly))
            .prop_map(|(c, a, f)| ParamSpec::Currency(c, a, f)),
        1 => text(1024, friendly).prop_map(ParamSpec::DateTime),
    ]
}

impl ParamSpec {
    /// Whether the value's constructor accepts it (`None`: the oracle cannot say).
    fn value_oracle(&self) -> Option<bool> {
        match self {
            ParamSpec::Text(_) => Some(true),
            ParamSpec::Currency(code, _, fallback) => {
                currency_code_ok(code).map(|ok| ok && body_ok(fallback))
            }
            ParamSpec::DateTime(fallback) => Some(body_ok(fallback)),
        }
    }

    /// Whether sending accepts it (text is checked when the message is built).
    fn send_oracle(&self) -> bool {
        match self {
            ParamSpec::Text(t) => body_ok(t),
            _ => true,
        }
    }

    fn build(&self) -> Result<kaleyra::model::Parameter, Error> {
        Ok(match self {
            ParamSpec::Text(t) => t.clone().into(),
            ParamSpec::Currency(code, amount, fallback) => {
                Currency::new(code, *amount, fallback.clone())?.into()
            }
            ParamSpec::DateTime(fallback) => DateTime::new(fallback.clone())?.into(),
        })
    }

    fn expected(&self, name: Option<&str>) -> Value {
        let mut object = serde_json::Map::new();
        let (kind, value) = match self {
            ParamSpec::Text(t) => ("text", json!(t)),
            ParamSpec::Currency(code, amount, fallback) => (
                "currency",
                json!({"fallback_value": fallback, "code": code, "amount_1000": amount}),
            ),
            ParamSpec::DateTime(fallback) => ("date_time", json!({"fallback_value": fallback})),
        };
        object.insert("type".to_owned(), json!(kind));
        if let Some(name) = name {
            object.insert("parameter_name".to_owned(), json!(name));
        }
        object.insert(kind.to_owned(), value);
        Value::Object(object)
    }
}

#[derive(Debug, Clone)]
enum HeaderSpec {
    Text(Option<String>, String),
    Media(MediaSpec),
    Location(f64, f64, String, String),
}

fn coordinate(max: f64, friendly: bool) -> BoxedStrategy<f64> {
    if friendly {
        return (-max..=max).boxed();
    }
    prop_oneof![
        6 => -max..=max,
        1 => prop::sample::select(vec![max, -max, 0.0, -0.0, max + 1e-9, -max - 0.5]),
        1 => any::<f64>(),
    ]
    .boxed()
}

fn header_spec(friendly: bool) -> impl Strategy<Value = HeaderSpec> {
    prop_oneof![
        (prop::option::of(param_name(friendly)), text(60, friendly))
            .prop_map(|(n, t)| HeaderSpec::Text(n, t)),
        media_spec(friendly).prop_map(HeaderSpec::Media),
        (
            coordinate(90.0, friendly),
            coordinate(180.0, friendly),
            text(8, false),
            text(8, false)
        )
            .prop_map(|(a, o, n, d)| HeaderSpec::Location(a, o, n, d)),
    ]
}

#[derive(Debug, Clone)]
enum ButtonSpec {
    Url(String),
    QuickReply(String),
    CopyCode(String),
    Catalog(String),
    Flow(Option<String>, Option<Value>),
    Mpm(String, Vec<(String, Vec<String>)>),
}

fn json_value(friendly: bool) -> BoxedStrategy<Value> {
    let object = vec(
        (
            "[a-z\"\\\\é]{0,6}",
            prop_oneof![
                any::<i64>().prop_map(Value::from),
                text(8, false).prop_map(Value::from),
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
            ],
        ),
        0..4,
    )
    .prop_map(|members| Value::Object(members.into_iter().collect()));
    if friendly {
        return object.boxed();
    }
    prop_oneof![
        4 => object,
        1 => Just(json!([1, 2])),
        1 => Just(json!("text")),
        1 => Just(Value::Null),
    ]
    .boxed()
}

fn sections(friendly: bool) -> BoxedStrategy<Vec<(String, Vec<String>)>> {
    if friendly {
        return vec(("[A-Za-z é]{1,12}", vec("[A-Z0-9-]{1,6}", 1..4)), 1..4).boxed();
    }
    let title = prop_oneof![
        5 => "[A-Za-z ]{1,12}",
        1 => Just(String::new()),
        1 => (23usize..27).prop_map(|n| "t".repeat(n)),
    ];
    let products = prop_oneof![
        6 => vec("[A-Z0-9-]{1,6}", 1..5),
        1 => vec(ident(false), 0..3),
        1 => vec("[A-Z]{1,3}", 10..18),
    ];
    vec((title, products), 0..12).boxed()
}

fn button_spec(friendly: bool) -> impl Strategy<Value = ButtonSpec> {
    let url = if friendly {
        "[A-Za-z0-9/?=&%\"é-]{1,20}".boxed()
    } else {
        text(2000, false)
    };
    prop_oneof![
        3 => url.prop_map(ButtonSpec::Url),
        2 => ident(friendly).prop_map(ButtonSpec::QuickReply),
        2 => ident(friendly).prop_map(ButtonSpec::CopyCode),
        1 => ident(friendly).prop_map(ButtonSpec::Catalog),
        2 => (prop::option::of(ident(friendly)), prop::option::of(json_value(friendly)))
            .prop_map(|(t, d)| ButtonSpec::Flow(t, d)),
        2 => (ident(friendly), sections(friendly)).prop_map(|(t, s)| ButtonSpec::Mpm(t, s)),
    ]
}

impl ButtonSpec {
    fn value_oracle(&self) -> bool {
        match self {
            ButtonSpec::Flow(token, data) => {
                token.as_deref().is_none_or(non_empty) && data.as_ref().is_none_or(Value::is_object)
            }
            ButtonSpec::Mpm(thumbnail, sections) => {
                // Each `section` call checks the sections so far.
                non_empty(thumbnail)
                    && (1..=sections.len()).all(|n| {
                        let so_far = &sections[..n];
                        so_far.iter().all(|(_, p)| p.iter().all(|p| non_empty(p)))
                            && sections_ok(so_far)
                    })
            }
            _ => true,
        }
    }

    fn send_oracle(&self) -> bool {
        match self {
            ButtonSpec::Url(s) => url_suffix_ok(s),
            ButtonSpec::QuickReply(s) | ButtonSpec::Catalog(s) => non_empty(s),
            ButtonSpec::CopyCode(s) => coupon_ok(s),
            ButtonSpec::Flow(..) => true,
            ButtonSpec::Mpm(_, sections) => !sections.is_empty(),
        }
    }

    fn sub_type(&self) -> &'static str {
        match self {
            ButtonSpec::Url(_) => "url",
            ButtonSpec::QuickReply(_) => "quick_reply",
            ButtonSpec::CopyCode(_) => "copy_code",
            ButtonSpec::Catalog(_) => "catalog",
            ButtonSpec::Flow(..) => "flow",
            ButtonSpec::Mpm(..) => "mpm",
        }
    }

    fn add(&self, t: StandardTemplate, index: u8) -> Result<StandardTemplate, Error> {
        Ok(match self {
            ButtonSpec::Url(s) => t.url_button(index, s.clone()),
            ButtonSpec::QuickReply(s) => t.quick_reply_button(index, s.clone()),
            ButtonSpec::CopyCode(s) => t.copy_code_button(index, s.clone()),
            ButtonSpec::Catalog(s) => t.catalog_button(index, s.clone()),
            ButtonSpec::Flow(token, data) => {
                let mut flow = FlowButton::new();
                if let Some(token) = token {
                    flow = flow.token(token.clone())?;
                }
                if let Some(data) = data {
                    flow = flow.action_data(data)?;
                }
                t.flow_button(index, flow)
            }
            ButtonSpec::Mpm(thumbnail, sections) => {
                let mut mpm = Mpm::new(thumbnail.clone())?;
                for (title, products) in sections {
                    mpm = mpm.section(title.clone(), products.clone())?;
                }
                t.mpm_button(index, mpm)
            }
        })
    }

    fn expected(&self, index: u8) -> Value {
        let parameter = match self {
            ButtonSpec::Url(s) => json!({"type": "text", "text": s}),
            ButtonSpec::QuickReply(s) => json!({"type": "payload", "payload": s}),
            ButtonSpec::CopyCode(s) => json!({"type": "coupon_code", "coupon_code": s}),
            ButtonSpec::Catalog(s) => {
                json!({"type": "action", "action": {"thumbnail_product_retailer_id": s}})
            }
            ButtonSpec::Flow(token, data) => {
                let mut action = serde_json::Map::new();
                if let Some(token) = token {
                    action.insert("flow_token".to_owned(), json!(token));
                }
                if let Some(data) = data {
                    action.insert("flow_action_data".to_owned(), data.clone());
                }
                json!({"type": "action", "action": action})
            }
            ButtonSpec::Mpm(thumbnail, sections) => json!({"type": "action", "action": {
                "thumbnail_product_retailer_id": thumbnail,
                "sections": sections.iter().map(|(title, products)| json!({
                    "title": title,
                    "product_items": products.iter()
                        .map(|p| json!({"product_retailer_id": p})).collect::<Vec<_>>()
                })).collect::<Vec<_>>()
            }}),
        };
        json!({"type": "button", "sub_type": self.sub_type(), "index": index,
               "parameters": [parameter]})
    }
}

#[derive(Debug, Clone)]
struct CardSpec {
    header: Option<MediaSpec>,
    body: Vec<ParamSpec>,
    /// (index, quick reply?, value)
    buttons: Vec<(u8, bool, String)>,
}

fn card_spec(friendly: bool) -> impl Strategy<Value = CardSpec> {
    (
        prop::option::weighted(0.95, media_spec(friendly)),
        vec(param_spec(friendly), 0..3),
        vec((0u8..3, any::<bool>(), ident(friendly)), 0..3),
    )
        .prop_map(move |(header, body, buttons)| CardSpec {
            // Friendly cards have an image or video header.
            header: match header {
                Some(m) if friendly => Some(MediaSpec {
                    kind: m.kind % 2,
                    filename: None,
                    ..m
                }),
                None if friendly => Some(MediaSpec {
                    kind: 0,
                    link: false,
                    source: "1".to_owned(),
                    filename: None,
                }),
                other => other,
            },
            body,
            // Friendly cards number their buttons 0, 1, 2 (a third is refused: at most two).
            buttons: buttons
                .into_iter()
                .enumerate()
                .map(|(i, (index, quick, value))| {
                    let index = if friendly {
                        u8::try_from(i).unwrap_or(0)
                    } else {
                        index
                    };
                    (index, quick, value)
                })
                .collect(),
        })
}

/// A whole general template.
#[derive(Debug, Clone)]
struct Spec {
    header: Option<HeaderSpec>,
    /// Each body parameter with its name, if named.
    body: Vec<(Option<String>, ParamSpec)>,
    offer: Option<u64>,
    buttons: Vec<(u8, ButtonSpec)>,
    cards: Option<Vec<CardSpec>>,
}

/// A template spec: hostile (most values break a rule somewhere) or friendly (escape-heavy but
/// usually valid, so that what is accepted gets checked too).
fn spec(friendly: bool) -> impl Strategy<Value = Spec> {
    // Mostly all named or all positional; sometimes mixed.
    let modes = if friendly { 0u8..4 } else { 0u8..5 };
    let body = (
        modes,
        vec((param_name(friendly), param_spec(friendly)), 0..4),
    )
        .prop_map(|(mode, params)| {
            params
                .into_iter()
                .enumerate()
                .map(|(i, (name, p))| {
                    let named = match mode {
                        0 | 1 => false,
                        2 | 3 => true,
                        _ => i % 2 == 0,
                    };
                    (named.then_some(name), p)
                })
                .collect::<Vec<_>>()
        });
    let offer = prop::option::weighted(
        0.2,
        prop_oneof![
            4 => 1u64..=i64::MAX as u64,
            1 => prop::sample::select(vec![0, 1, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX]),
        ],
    );
    let cards = if friendly { 1usize..5 } else { 0usize..12 };
    // Friendly buttons take distinct indexes, in shuffled order.
    let distinct = Just((0u8..10).collect::<Vec<_>>()).prop_shuffle();
    (
        prop::option::weighted(0.7, header_spec(friendly)),
        body,
        offer,
        vec((0u8..12, button_spec(friendly)), 0..4),
        distinct,
        prop::option::weighted(0.3, vec(card_spec(friendly), cards)),
    )
        .prop_map(move |(header, body, offer, buttons, distinct, cards)| {
            // The builder has a carousel once a card is added: no cards is no carousel.
            let cards = cards.filter(|c| !c.is_empty());
            // A friendly carousel template has a body and cards only.
            let plain = !(friendly && cards.is_some());
            Spec {
                header: header.filter(|_| plain),
                body,
                offer: offer.filter(|_| plain),
                buttons: buttons
                    .into_iter()
                    .zip(distinct)
                    .map(|((index, b), other)| (if friendly { other } else { index }, b))
                    .filter(|_| plain)
                    .collect(),
                cards,
            }
        })
}

impl Spec {
    /// Whether every value's constructor accepts its input (`None`: the oracle cannot say).
    fn values_oracle(&self) -> Option<bool> {
        let mut ok = Some(true);
        let mut and = |v: Option<bool>| {
            ok = match (ok, v) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            }
        };
        match &self.header {
            Some(HeaderSpec::Media(m)) => and(Some(m.oracle())),
            Some(HeaderSpec::Location(lat, lon, _, _)) => and(Some(
                lat.is_finite()
                    && (-90.0..=90.0).contains(lat)
                    && lon.is_finite()
                    && (-180.0..=180.0).contains(lon),
            )),
            _ => {}
        }
        for (_, p) in &self.body {
            and(p.value_oracle());
        }
        for (_, b) in &self.buttons {
            and(Some(b.value_oracle()));
        }
        for card in self.cards.iter().flatten() {
            if let Some(m) = &card.header {
                and(Some(m.oracle()));
            }
            for p in &card.body {
                and(p.value_oracle());
            }
        }
        ok
    }

    /// Whether sending accepts the template, its values having been built.
    fn send_oracle(&self) -> bool {
        let header = match &self.header {
            Some(HeaderSpec::Text(_, t)) => header_ok(t),
            _ => true,
        };
        // Names: the text header's and the body's, all given or none, each valid and once.
        let mut names: Vec<Option<&str>> = Vec::new();
        if let Some(HeaderSpec::Text(name, _)) = &self.header {
            names.push(name.as_deref());
        }
        names.extend(self.body.iter().map(|(n, _)| n.as_deref()));
        let given: Vec<&str> = names.iter().flatten().copied().collect();
        let names_ok = (given.is_empty() || given.len() == names.len())
            && given.iter().all(|n| name_ok(n))
            && given
                .iter()
                .enumerate()
                .all(|(i, n)| !given[..i].contains(n));
        let body = self.body.iter().all(|(_, p)| p.send_oracle());
        let offer = self.offer.is_none_or(|ms| ms >= 1 && ms <= i64::MAX as u64);
        let buttons = buttons_ok(
            &self
                .buttons
                .iter()
                .map(|(i, b)| (*i, b.sub_type() == "copy_code"))
                .collect::<Vec<_>>(),
        ) && self.buttons.iter().all(|(_, b)| b.send_oracle());
        // Meta: a carousel template has body parameters and cards only.
        let cards = self.cards.as_ref().is_none_or(|cards| {
            self.header.is_none()
                && self.offer.is_none()
                && self.buttons.is_empty()
                && (1..=10).contains(&cards.len())
                && cards.iter().all(|card| {
                    card.header.as_ref().is_some_and(|m| m.kind != 2)
                        && card.body.iter().all(ParamSpec::send_oracle)
                        // Meta: "up to two buttons" per card, so at positions 0 and 1.
                        && card.buttons.len() <= 2
                        && card.buttons.iter().all(|(i, ..)| *i <= 1)
                        && buttons_ok(
                            &card
                                .buttons
                                .iter()
                                .map(|(i, ..)| (*i, false))
                                .collect::<Vec<_>>(),
                        )
                        && card.buttons.iter().all(|(_, quick, value)| {
                            if *quick {
                                non_empty(value)
                            } else {
                                url_suffix_ok(value)
                            }
                        })
                })
        });
        header && names_ok && body && offer && buttons && cards
    }

    fn build(&self) -> Result<StandardTemplate, Error> {
        let mut t = StandardTemplate::new("any_template", "en_US");
        match &self.header {
            None => {}
            Some(HeaderSpec::Text(Some(name), text)) => {
                t = t.named_header(name.clone(), text.clone());
            }
            Some(HeaderSpec::Text(None, text)) => t = t.header(text.clone()),
            Some(HeaderSpec::Media(m)) => t = t.header(m.build()?),
            Some(HeaderSpec::Location(lat, lon, name, address)) => {
                t = t.header(
                    Location::new(*lat, *lon)?
                        .name(name.clone())
                        .address(address.clone()),
                );
            }
        }
        for (name, p) in &self.body {
            t = match name {
                Some(name) => t.named_body(name.clone(), p.build()?),
                None => t.body(p.build()?),
            };
        }
        if let Some(ms) = self.offer {
            t = t.limited_time_offer(ms);
        }
        for (index, b) in &self.buttons {
            t = b.add(t, *index)?;
        }
        for card in self.cards.iter().flatten() {
            let mut c = CarouselCard::new();
            if let Some(m) = &card.header {
                c = c.header(m.build()?);
            }
            for p in &card.body {
                c = c.body(p.build()?);
            }
            for (index, quick, value) in &card.buttons {
                c = if *quick {
                    c.quick_reply_button(*index, value.clone())
                } else {
                    c.url_button(*index, value.clone())
                };
            }
            t = t.card(c);
        }
        Ok(t)
    }

    /// The components it must encode to (the values read back), in the documented order.
    fn expected_components(&self) -> Vec<Value> {
        let mut out = Vec::new();
        match &self.header {
            None => {}
            Some(HeaderSpec::Text(name, text)) => {
                out.push(json!({"type": "header", "parameters": [
                    ParamSpec::Text(text.clone()).expected(name.as_deref())]}));
            }
            Some(HeaderSpec::Media(m)) => {
                out.push(json!({"type": "header", "parameters": [m.expected()]}));
            }
            Some(HeaderSpec::Location(lat, lon, name, address)) => {
                let mut location = serde_json::Map::new();
                location.insert("latitude".to_owned(), json!(lat));
                location.insert("longitude".to_owned(), json!(lon));
                // An empty name or address is left out.
                if !name.is_empty() {
                    location.insert("name".to_owned(), json!(name));
                }
                if !address.is_empty() {
                    location.insert("address".to_owned(), json!(address));
                }
                out.push(json!({"type": "header", "parameters": [
                    {"type": "location", "location": location}]}));
            }
        }
        if !self.body.is_empty() {
            out.push(json!({"type": "body", "parameters": self.body.iter()
                .map(|(n, p)| p.expected(n.as_deref())).collect::<Vec<_>>()}));
        }
        if let Some(ms) = self.offer {
            out.push(json!({"type": "limited_time_offer", "parameters": [
                {"type": "limited_time_offer", "limited_time_offer": {"expiration_time_ms": ms}}]}));
        }
        let mut buttons: Vec<&(u8, ButtonSpec)> = self.buttons.iter().collect();
        buttons.sort_by_key(|(i, _)| *i);
        out.extend(buttons.iter().map(|(i, b)| b.expected(*i)));
        if let Some(cards) = &self.cards {
            let cards: Vec<Value> = cards
                .iter()
                .enumerate()
                .map(|(n, card)| {
                    let mut components = Vec::new();
                    if let Some(m) = &card.header {
                        components.push(json!({"type": "header", "parameters": [m.expected()]}));
                    }
                    if !card.body.is_empty() {
                        components.push(json!({"type": "body", "parameters": card.body.iter()
                            .map(|p| p.expected(None)).collect::<Vec<_>>()}));
                    }
                    let mut buttons: Vec<&(u8, bool, String)> = card.buttons.iter().collect();
                    buttons.sort_by_key(|(i, ..)| *i);
                    for (i, quick, value) in buttons {
                        let b = if *quick {
                            ButtonSpec::QuickReply(value.clone())
                        } else {
                            ButtonSpec::Url(value.clone())
                        };
                        components.push(b.expected(*i));
                    }
                    json!({"card_index": n, "components": components})
                })
                .collect();
            out.push(json!({"type": "carousel", "cards": cards}));
        }
        out
    }
}

/// Buttons (Meta): indexes 0-9, each once; at most one copy-code button.
fn buttons_ok(buttons: &[(u8, bool)]) -> bool {
    buttons.iter().all(|(i, _)| *i <= 9)
        && buttons
            .iter()
            .enumerate()
            .all(|(k, (i, _))| !buttons[..k].iter().any(|(j, _)| j == i))
        && buttons.iter().filter(|(_, copy)| *copy).count() <= 1
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn media_constructors_agree_with_the_oracle(spec in prop_oneof![media_spec(false), media_spec(true)]) {
        let built = spec.build();
        prop_assert_eq!(built.is_ok(), spec.oracle(), "{:?}: {:?}", spec, built);
        if let Ok(media) = built {
            let kind = ["image", "video", "document"][usize::from(spec.kind)];
            prop_assert_eq!(media.kind().as_str(), kind);
            prop_assert_eq!(media.get_link(), spec.link.then_some(spec.source.as_str()));
            prop_assert_eq!(media.get_id(), (!spec.link).then_some(spec.source.as_str()));
            prop_assert_eq!(media.get_filename(), spec.filename.as_deref());
        }
    }

    #[test]
    fn location_agrees_with_the_oracle(lat in coordinate(90.0, false), lon in coordinate(180.0, false)) {
        let oracle = lat.is_finite() && (-90.0..=90.0).contains(&lat)
            && lon.is_finite() && (-180.0..=180.0).contains(&lon);
        let built = Location::new(lat, lon);
        prop_assert_eq!(built.is_ok(), oracle, "{} {}", lat, lon);
    }

    #[test]
    fn currency_and_date_time_agree_with_the_oracle(
        code in currency_code(false), amount in any::<i64>(), fallback in text(1024, false),
    ) {
        let built = Currency::new(&code, amount, fallback.clone());
        if let Some(code_ok) = currency_code_ok(&code) {
            prop_assert_eq!(built.is_ok(), code_ok && body_ok(&fallback), "{:?} {:?}", code, built);
        }
        if let Ok(c) = built {
            prop_assert_eq!((c.code(), c.amount_1000(), c.fallback_value()),
                (code.as_str(), amount, fallback.as_str()));
        }
        let date = DateTime::new(fallback.clone());
        prop_assert_eq!(date.is_ok(), body_ok(&fallback));
    }

    /// Each button's value alone: the constructors (flow, multi-product) and the send-time
    /// checks (URL suffix, payload, coupon code, catalog thumbnail, sections present).
    #[test]
    fn button_values_agree_with_the_oracle(b in prop_oneof![button_spec(false), button_spec(true)]) {
        let built = b.add(StandardTemplate::new("t", "en_US"), 0);
        prop_assert_eq!(built.is_ok(), b.value_oracle(), "{:?}", b);
        if let Ok(template) = built {
            let sent = template.to(RECIPIENT);
            prop_assert_eq!(sent.is_ok(), b.send_oracle(), "{:?}: {:?}", b, sent);
            if let Ok(message) = sent {
                prop_assert_eq!(
                    &message.to_json()["messaging_object"]["template"]["components"][0],
                    &b.expected(0)
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// The whole template: accepted exactly when the oracles accept; then the JSON reads back
    /// to the values given, `as_bytes` is serde_json's compact text of `to_json`, and a reused
    /// buffer gets the same bytes (or, on error, is left as it was).
    #[test]
    fn a_template_is_accepted_exactly_when_the_oracles_accept_it(
        spec in prop_oneof![1 => spec(false), 2 => spec(true)],
    ) {
        let values = spec.values_oracle();
        let template = match spec.build() {
            Ok(t) => {
                if let Some(values) = values {
                    prop_assert!(values, "a constructor accepted what the oracle refuses: {:?}", spec);
                }
                t
            }
            Err(e) => {
                prop_assert!(matches!(e, Error::Validation(_)), "{:?}", e);
                if let Some(values) = values {
                    prop_assert!(!values, "a constructor refused {:?}: {}", spec, e);
                }
                return Ok(());
            }
        };

        let mut buffer = b"previous body".to_vec();
        let written = template.write_message(RECIPIENT, None, &mut buffer);
        let message = template.to(RECIPIENT);
        prop_assert_eq!(message.is_ok(), spec.send_oracle(), "{:?}: {:?}", spec, message);
        prop_assert_eq!(written.is_ok(), message.is_ok());
        let message = match message {
            Ok(m) => m,
            Err(e) => {
                prop_assert!(matches!(e, Error::Validation(_)), "{:?}", e);
                prop_assert_eq!(&buffer[..], b"previous body", "the buffer changed on error");
                return Ok(());
            }
        };
        prop_assert_eq!(&buffer[..13], b"previous body");
        prop_assert_eq!(&buffer[13..], message.as_bytes());

        let json = message.to_json();
        prop_assert_eq!(serde_json::to_vec(&json).ok(), Some(message.as_bytes().to_vec()));
        let template_json = &json["messaging_object"]["template"];
        let components = template_json.get("components").cloned();
        let expected = spec.expected_components();
        if expected.is_empty() {
            prop_assert_eq!(components, None);
        } else {
            prop_assert_eq!(components, Some(Value::Array(expected)));
        }
        prop_assert_eq!(&json["messaging_object"]["to"], RECIPIENT);
    }

    #[test]
    fn text_parameters_agree_with_the_oracles(body in text(1024, false), header in text(60, false)) {
        let as_body = StandardTemplate::new("t", "en_US").body(body.clone()).to(RECIPIENT);
        prop_assert_eq!(as_body.is_ok(), body_ok(&body), "{:?}", body);
        if let Ok(m) = as_body {
            prop_assert_eq!(
                &m.to_json()["messaging_object"]["template"]["components"][0]["parameters"][0]["text"],
                &json!(body)
            );
            prop_assert_eq!(serde_json::to_vec(&m.to_json()).ok(), Some(m.as_bytes().to_vec()));
        }
        let as_header = StandardTemplate::new("t", "en_US").header(header.clone()).to(RECIPIENT);
        prop_assert_eq!(as_header.is_ok(), header_ok(&header), "{:?}", header);
    }
}

/// Every three-letter upper-case code: the library's currency table agrees with the oracle's
/// list, except for the codes the oracle leaves unsettled.
#[test]
fn currency_codes_agree_with_the_oracle_everywhere() {
    let mut disagree = Vec::new();
    for a in b'A'..=b'Z' {
        for b in b'A'..=b'Z' {
            for c in b'A'..=b'Z' {
                let code = String::from_utf8(vec![a, b, c]).unwrap_or_default();
                let accepted = Currency::new(&code, 1, "1").is_ok();
                if let Some(expected) = currency_code_ok(&code)
                    && accepted != expected
                {
                    disagree.push(code);
                }
            }
        }
    }
    assert!(
        disagree.is_empty(),
        "the library and ISO 4217 disagree on {disagree:?}"
    );
    assert_eq!(ISO_4217.split_whitespace().count(), 163);
}
