//! Parses `#[template(...)]` and `#[flow(...)]` into a typed model. Every problem is reported
//! to the [`Ctxt`] on its own token and parsing goes on, so one build shows every mistake.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::spanned::Spanned as _;
use syn::{Attribute, Ident, Lit, LitInt, LitStr, Path, Token};

use kaleyra_core::rules;
use kaleyra_core::{ButtonKind, FlowAction, FlowMode};

use crate::ctxt::Ctxt;

/// A value with the span of the token it came from.
#[derive(Clone)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A string literal's value and span.
pub type Str = Spanned<String>;

/// `kind = otp | flow | product | standard` (no `kind`: standard).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Otp,
    Flow,
    Product,
    /// A general template: its components follow from the field roles.
    Standard,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Otp => "otp",
            Kind::Flow => "flow",
            Kind::Product => "product",
            Kind::Standard => "standard",
        }
    }
}

/// What the struct-level `#[template(...)]` says.
#[derive(Default)]
pub struct TemplateAttrs {
    /// The first `template` path, for errors about the attribute as a whole.
    pub attr: Option<Span>,
    pub name: Option<Str>,
    pub kind: Option<Spanned<Kind>>,
    pub lang: Option<Str>,
    pub button_index: Option<Spanned<i128>>,
    pub catalog_id: Option<Str>,
    pub krate: Option<Path>,
    /// `unchecked`: no check against the approved-template catalogue.
    pub unchecked: Option<Span>,
    /// Keys that were given but could not be read (already reported).
    pub broken: Vec<String>,
}

/// What the struct-level `#[flow(...)]` says.
#[derive(Default)]
pub struct FlowAttrs {
    pub attr: Option<Span>,
    pub id: Option<Str>,
    pub name: Option<Str>,
    pub cta: Option<Str>,
    pub screen: Option<Str>,
    pub action: Option<Spanned<FlowAction>>,
    pub mode: Option<Spanned<FlowMode>>,
    pub header: Option<Str>,
    pub body: Option<Str>,
    pub footer: Option<Str>,
    pub krate: Option<Path>,
    /// `response = T`: the `FlowResponse` the flow's completion is read into.
    pub response: Option<syn::Type>,
    /// `unchecked`: a `name` not checked against the committed flows (sent as `flow_name`).
    pub unchecked: Option<Span>,
    /// Keys that were given but could not be read (already reported).
    pub broken: Vec<String>,
}

/// The role of a field of a `#[derive(Template)]` struct.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum TemplateRole {
    Otp,
    Body,
    FlowToken,
    FlowActionData,
    ProductRetailerId,
    CatalogId,
    Skip,
    Header,
    Button,
    LimitedTimeOffer,
    Carousel,
}

impl TemplateRole {
    const ALL: [(&'static str, TemplateRole); 11] = [
        ("otp", TemplateRole::Otp),
        ("body", TemplateRole::Body),
        ("flow_token", TemplateRole::FlowToken),
        ("flow_action_data", TemplateRole::FlowActionData),
        ("product_retailer_id", TemplateRole::ProductRetailerId),
        ("catalog_id", TemplateRole::CatalogId),
        ("skip", TemplateRole::Skip),
        ("header", TemplateRole::Header),
        ("button", TemplateRole::Button),
        ("limited_time_offer", TemplateRole::LimitedTimeOffer),
        ("carousel", TemplateRole::Carousel),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, r)| *r == self)
            .map_or("", |(n, _)| n)
    }
}

/// The role of a field of a `#[derive(Flow)]` struct.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum FlowRole {
    Token,
    Header,
    Body,
    Footer,
    Skip,
    /// A member of `flow_action_payload.data`, under this key.
    Data(String),
}

const FLOW_ROLES: [&str; 6] = ["token", "header", "body", "footer", "skip", "rename"];

/// A field's role and the span of the token that gave it.
pub struct Role<R> {
    pub role: R,
    pub span: Span,
}

/// What `#[template(...)]` says about a field: its role, and the role's arguments.
pub struct TemplateField {
    pub role: Role<TemplateRole>,
    /// `header = "name"` / `body = "name"`: a named parameter.
    pub name: Option<Str>,
    /// `button(sub_type, index = N)`.
    pub button: Option<ButtonArgs>,
    /// The role was guessed after an unknown one was reported: check nothing else about it.
    pub guessed: bool,
}

/// The arguments of `button(sub_type, index = N)`; missing ones are reported by the checks.
pub struct ButtonArgs {
    /// The `button` token.
    pub span: Span,
    pub kind: Option<Spanned<ButtonKind>>,
    pub index: Option<Spanned<i128>>,
    /// Something in the list was already reported: a missing argument is not reported again.
    pub broken: bool,
}

/// The role of a field of a `#[derive(Card)]` struct.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CardRole {
    Header,
    Body,
    Button,
    Skip,
}

impl CardRole {
    const ALL: [(&'static str, CardRole); 4] = [
        ("header", CardRole::Header),
        ("body", CardRole::Body),
        ("button", CardRole::Button),
        ("skip", CardRole::Skip),
    ];
}

/// What `#[card(...)]` says about a field.
pub struct CardField {
    pub role: Role<CardRole>,
    pub button: Option<ButtonArgs>,
}

/// What the struct-level `#[card(...)]` says.
#[derive(Default)]
pub struct CardAttrs {
    pub krate: Option<Path>,
}

/// The key as written, for messages.
fn key_of(meta: &ParseNestedMeta) -> String {
    meta.path
        .get_ident()
        .map(|i| i.to_string())
        .unwrap_or_else(|| {
            let segments: Vec<String> = meta
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            segments.join("::")
        })
}

/// A value after `=`, as far as the grammar needs to tell them apart.
enum Value {
    Str(LitStr),
    Int(i128, Span),
    Path(Path),
    Other(&'static str, Span),
}

impl Value {
    fn parse(input: ParseStream) -> syn::Result<Value> {
        if input.peek(LitStr) {
            return Ok(Value::Str(input.parse()?));
        }
        if input.peek(Token![-]) && input.peek2(LitInt) {
            let minus: Token![-] = input.parse()?;
            let lit: LitInt = input.parse()?;
            let span = minus.span.join(lit.span()).unwrap_or(lit.span());
            return Ok(Value::Int(-lit.base10_parse::<i128>()?, span));
        }
        if input.peek(LitInt) {
            let lit: LitInt = input.parse()?;
            return Ok(Value::Int(lit.base10_parse::<i128>()?, lit.span()));
        }
        if input.peek(Lit) {
            let lit: Lit = input.parse()?;
            let what = match lit {
                Lit::Bool(_) => "a boolean",
                Lit::Float(_) => "a float",
                Lit::Char(_) => "a character",
                Lit::ByteStr(_) | Lit::CStr(_) | Lit::Byte(_) => "a byte literal",
                _ => "a literal",
            };
            return Ok(Value::Other(what, lit.span()));
        }
        if input.peek(Ident)
            || input.peek(Token![::])
            || input.peek(Token![crate])
            || input.peek(Token![self])
            || input.peek(Token![super])
        {
            return Ok(Value::Path(input.call(Path::parse_mod_style)?));
        }
        Err(input.error("expected a value"))
    }

    fn span(&self) -> Span {
        match self {
            Value::Str(s) => s.span(),
            Value::Int(_, span) | Value::Other(_, span) => *span,
            Value::Path(p) => p.span(),
        }
    }

    fn describe(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(..) => "an integer",
            Value::Path(_) => "a name",
            Value::Other(what, _) => what,
        }
    }
}

/// Reads `= value` after a key; reports a missing `=` and returns `None`.
fn value_of(cx: &Ctxt, meta: &ParseNestedMeta, example: &str) -> syn::Result<Option<Value>> {
    if !meta.input.peek(Token![=]) {
        cx.error_spanned_by(
            &meta.path,
            format!("`{}` needs a value: `{example}`", key_of(meta)),
        );
        skip_group(meta)?;
        return Ok(None);
    }
    let input = meta.value()?;
    Ok(Some(Value::parse(input)?))
}

/// Consumes a `(…)` after a key, so that parsing can go on after an error.
fn skip_group(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| {
            if inner.input.peek(Token![=]) {
                inner.value()?.parse::<proc_macro2::TokenTree>()?;
            }
            skip_group(&inner)
        })?;
    }
    Ok(())
}

fn expect_str(cx: &Ctxt, meta: &ParseNestedMeta, example: &str) -> syn::Result<Option<Str>> {
    Ok(match value_of(cx, meta, example)? {
        Some(Value::Str(s)) => Some(Spanned {
            value: s.value(),
            span: s.span(),
        }),
        Some(other) => {
            cx.error_at(
                other.span(),
                format!(
                    "`{}` takes a string literal, found {}: write `{example}`",
                    key_of(meta),
                    other.describe()
                ),
            );
            None
        }
        None => None,
    })
}

fn expect_int(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    example: &str,
) -> syn::Result<Option<Spanned<i128>>> {
    Ok(match value_of(cx, meta, example)? {
        Some(Value::Int(value, span)) => Some(Spanned { value, span }),
        Some(other) => {
            cx.error_at(
                other.span(),
                format!(
                    "`{}` takes an integer, found {}: write `{example}`",
                    key_of(meta),
                    other.describe()
                ),
            );
            None
        }
        None => None,
    })
}

/// A bare name from a closed set, e.g. `kind = otp`.
fn expect_choice<T: Copy>(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    choices: &[(&'static str, T)],
) -> syn::Result<Option<Spanned<T>>> {
    let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
    let example = format!("{} = {}", key_of(meta), names[0]);
    let listed = names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(match value_of(cx, meta, &example)? {
        Some(Value::Path(path)) => {
            let word = path.get_ident().map(|i| i.to_string()).unwrap_or_default();
            match choices.iter().find(|(n, _)| *n == word) {
                Some((_, v)) => Some(Spanned {
                    value: *v,
                    span: path.span(),
                }),
                None => {
                    let hint = rules::suggest(&word, names.iter().copied())
                        .map(|s| format!(", did you mean `{s}`?"))
                        .unwrap_or_default();
                    cx.error_spanned_by(
                        &path,
                        format!(
                            "unknown {} `{}`{hint} (expected one of {listed})",
                            key_of(meta),
                            quote::ToTokens::to_token_stream(&path)
                                .to_string()
                                .replace(' ', "")
                        ),
                    );
                    None
                }
            }
        }
        Some(Value::Str(s)) => {
            let hint = if names.contains(&s.value().as_str()) {
                format!("write `{} = {}` without quotes", key_of(meta), s.value())
            } else {
                format!("expected one of {listed}, without quotes")
            };
            cx.error_spanned_by(
                &s,
                format!("`{}` takes a name, not a string: {hint}", key_of(meta)),
            );
            None
        }
        Some(other) => {
            cx.error_at(
                other.span(),
                format!(
                    "`{}` takes one of {listed}, found {}",
                    key_of(meta),
                    other.describe()
                ),
            );
            None
        }
        None => None,
    })
}

/// `crate = path` or `crate = "path"`.
fn expect_path(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Path>> {
    Ok(match value_of(cx, meta, "crate = kaleyra")? {
        Some(Value::Path(p)) => Some(p),
        Some(Value::Str(s)) => match s.parse_with(Path::parse_mod_style) {
            Ok(p) => Some(p),
            Err(_) => {
                cx.error_spanned_by(&s, "`crate` takes a path, e.g. `crate = ::kaleyra`");
                None
            }
        },
        Some(other) => {
            cx.error_at(
                other.span(),
                "`crate` takes a path, e.g. `crate = ::kaleyra`",
            );
            None
        }
        None => None,
    })
}

/// Stores a key's value, reporting a key given twice on its second occurrence. A `None` value
/// (unreadable, already reported) marks the key as broken.
fn set_key<T>(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    slot: &mut Option<T>,
    value: Option<T>,
    broken: &mut Vec<String>,
) {
    if value.is_none() {
        broken.push(key_of(meta));
    }
    set_once(cx, meta, slot, value);
}

/// Stores a key's value, reporting a key given twice on its second occurrence.
fn set_once<T>(cx: &Ctxt, meta: &ParseNestedMeta, slot: &mut Option<T>, value: Option<T>) {
    if slot.is_some() {
        cx.error_spanned_by(
            &meta.path,
            format!("`{}` is given twice; keep one", key_of(meta)),
        );
    } else if value.is_some() {
        *slot = value;
    }
}

/// Reports an unknown key with the nearest known one, and skips its value. Returns the
/// suggestion: that key was probably meant, so it should not also be reported missing.
fn unknown_key(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    what: &str,
    known: &[&'static str],
) -> syn::Result<Option<&'static str>> {
    let key = key_of(meta);
    let suggestion = rules::suggest(&key, known.iter().copied());
    let hint = suggestion
        .map(|s| format!(", did you mean `{s}`?"))
        .unwrap_or_else(|| {
            format!(
                " (expected one of {})",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
    cx.error_spanned_by(&meta.path, format!("unknown {what} `{key}`{hint}"));
    skip_value(meta)?;
    Ok(suggestion)
}

/// Runs `parse` over each `#[name(...)]`, reporting syntax errors without stopping.
fn each_attr(
    cx: &Ctxt,
    attrs: &[Attribute],
    name: &str,
    mut parse: impl FnMut(ParseNestedMeta) -> syn::Result<()>,
) -> Option<Span> {
    let mut first = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident(name)) {
        first.get_or_insert(attr.path().span());
        if let Err(err) = attr.parse_nested_meta(&mut parse) {
            cx.syn_error(err);
        }
    }
    first
}

const TEMPLATE_KEYS: [&str; 7] = [
    "name",
    "kind",
    "lang",
    "button_index",
    "catalog_id",
    "crate",
    "unchecked",
];

pub fn template_attrs(cx: &Ctxt, attrs: &[Attribute]) -> TemplateAttrs {
    let mut out = TemplateAttrs::default();
    out.attr = each_attr(cx, attrs, "template", |meta| {
        let key = key_of(&meta);
        match key.as_str() {
            "name" => {
                let v = expect_str(cx, &meta, "name = \"auth1\"")?;
                set_key(cx, &meta, &mut out.name, v, &mut out.broken);
            }
            "kind" => {
                let v = expect_choice(
                    cx,
                    &meta,
                    &[
                        ("otp", Kind::Otp),
                        ("flow", Kind::Flow),
                        ("product", Kind::Product),
                        ("standard", Kind::Standard),
                    ],
                )?;
                set_key(cx, &meta, &mut out.kind, v, &mut out.broken);
            }
            "lang" => {
                let v = expect_str(cx, &meta, "lang = \"en_US\"")?;
                set_key(cx, &meta, &mut out.lang, v, &mut out.broken);
            }
            "button_index" => {
                let v = expect_int(cx, &meta, "button_index = 0")?;
                set_key(cx, &meta, &mut out.button_index, v, &mut out.broken);
            }
            "catalog_id" => {
                let v = expect_str(cx, &meta, "catalog_id = \"194…\"")?;
                set_key(cx, &meta, &mut out.catalog_id, v, &mut out.broken);
            }
            "crate" => {
                let v = expect_path(cx, &meta)?;
                set_key(cx, &meta, &mut out.krate, v, &mut out.broken);
            }
            "unchecked" => {
                if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
                    cx.error_spanned_by(
                        &meta.path,
                        "`unchecked` takes no value: write `#[template(unchecked)]`",
                    );
                    skip_value(&meta)?;
                }
                set_once(cx, &meta, &mut out.unchecked, Some(meta.path.span()));
            }
            _ => out
                .broken
                .extend(unknown_key(cx, &meta, "template key", &TEMPLATE_KEYS)?.map(String::from)),
        }
        Ok(())
    });
    out
}

/// The struct-level keys of `#[flow(...)]` (`token` is refused there with its own message).
const FLOW_KEYS: [&str; 12] = [
    "id",
    "name",
    "cta",
    "screen",
    "action",
    "mode",
    "header",
    "body",
    "footer",
    "crate",
    "response",
    "unchecked",
];

pub fn flow_attrs(cx: &Ctxt, attrs: &[Attribute]) -> FlowAttrs {
    let mut out = FlowAttrs::default();
    out.attr = each_attr(cx, attrs, "flow", |meta| {
        let key = key_of(&meta);
        match key.as_str() {
            "id" => {
                let v = expect_str(cx, &meta, "id = \"1234567890\"")?;
                set_key(cx, &meta, &mut out.id, v, &mut out.broken);
            }
            "name" => {
                let v = expect_str(cx, &meta, "name = \"booking_flow\"")?;
                set_key(cx, &meta, &mut out.name, v, &mut out.broken);
            }
            "cta" => {
                let v = expect_str(cx, &meta, "cta = \"Book now\"")?;
                set_key(cx, &meta, &mut out.cta, v, &mut out.broken);
            }
            "screen" => {
                let v = expect_str(cx, &meta, "screen = \"WELCOME\"")?;
                set_key(cx, &meta, &mut out.screen, v, &mut out.broken);
            }
            "action" => {
                let v = expect_choice(
                    cx,
                    &meta,
                    &[
                        ("navigate", FlowAction::Navigate),
                        ("data_exchange", FlowAction::DataExchange),
                    ],
                )?;
                set_key(cx, &meta, &mut out.action, v, &mut out.broken);
            }
            "mode" => {
                let v = expect_choice(
                    cx,
                    &meta,
                    &[
                        ("published", FlowMode::Published),
                        ("draft", FlowMode::Draft),
                    ],
                )?;
                set_key(cx, &meta, &mut out.mode, v, &mut out.broken);
            }
            "header" => {
                let v = expect_str(cx, &meta, "header = \"…\"")?;
                set_key(cx, &meta, &mut out.header, v, &mut out.broken);
            }
            "body" => {
                let v = expect_str(cx, &meta, "body = \"…\"")?;
                set_key(cx, &meta, &mut out.body, v, &mut out.broken);
            }
            "footer" => {
                let v = expect_str(cx, &meta, "footer = \"…\"")?;
                set_key(cx, &meta, &mut out.footer, v, &mut out.broken);
            }
            "crate" => {
                let v = expect_path(cx, &meta)?;
                set_key(cx, &meta, &mut out.krate, v, &mut out.broken);
            }
            "response" => {
                let v = expect_type(cx, &meta, "response = BookingReply")?;
                set_key(cx, &meta, &mut out.response, v, &mut out.broken);
            }
            "unchecked" => {
                if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
                    cx.error_spanned_by(&meta.path, "`unchecked` takes no value");
                    skip_value(&meta)?;
                }
                set_once(cx, &meta, &mut out.unchecked, Some(meta.path.span()));
            }
            "token" => {
                cx.error_spanned_by(
                    &meta.path,
                    "the flow token varies per message: mark a field `#[flow(token)]` instead",
                );
                skip_value(&meta)?;
            }
            _ => out
                .broken
                .extend(unknown_key(cx, &meta, "flow key", &FLOW_KEYS)?.map(String::from)),
        }
        Ok(())
    });
    out
}

fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        let _ = Value::parse(meta.value()?)?;
    }
    skip_group(meta)
}

/// Records a field's role, reporting a second one.
fn set_role<R>(cx: &Ctxt, slot: &mut Option<Role<R>>, role: R, meta: &ParseNestedMeta) {
    if slot.is_some() {
        cx.error_spanned_by(
            &meta.path,
            "a field has one role; this one already has one (split it into two fields)",
        );
    } else {
        *slot = Some(Role {
            role,
            span: meta.path.span(),
        });
    }
}

/// `#[template(otp)]` and friends on a field.
pub fn template_role(cx: &Ctxt, field: &syn::Field) -> Option<TemplateField> {
    let mut role = None;
    let mut name = None;
    let mut button = None;
    let mut guessed = false;
    each_attr(cx, &field.attrs, "template", |meta| {
        let key = key_of(&meta);
        match TemplateRole::ALL.iter().find(|(n, _)| *n == key) {
            Some((_, r @ (TemplateRole::Header | TemplateRole::Body))) => {
                if meta.input.peek(Token![=]) {
                    let example = format!("{key} = \"first_name\"");
                    let v = expect_str(cx, &meta, &example)?;
                    set_once(cx, &meta, &mut name, v);
                } else if meta.input.peek(syn::token::Paren) {
                    cx.error_spanned_by(
                        &meta.path,
                        format!(
                            "`{key}` takes no list: write `#[template({key})]`, or \
                             `#[template({key} = \"name\")]` for a named parameter"
                        ),
                    );
                    skip_value(&meta)?;
                }
                set_role(cx, &mut role, *r, &meta);
            }
            Some((_, TemplateRole::Button)) => {
                let b = button_args(cx, &meta)?;
                set_role(cx, &mut role, TemplateRole::Button, &meta);
                button.get_or_insert(b);
            }
            Some((_, r)) => {
                if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
                    cx.error_spanned_by(
                        &meta.path,
                        format!("the role `{key}` takes no value: write `#[template({key})]`"),
                    );
                    skip_value(&meta)?;
                }
                set_role(cx, &mut role, *r, &meta);
            }
            None => {
                let names: Vec<&str> = TemplateRole::ALL.iter().map(|(n, _)| *n).collect();
                if TEMPLATE_KEYS.contains(&key.as_str()) && key != "catalog_id" {
                    cx.error_spanned_by(
                        &meta.path,
                        format!(
                            "`{key}` belongs on the struct's #[template(...)], not on a field; \
                             a field takes a role: one of {}",
                            names.join(", ")
                        ),
                    );
                    skip_value(&meta)?;
                    guess(&mut role, &mut guessed, TemplateRole::Skip, &meta);
                } else {
                    let meant = unknown_key(cx, &meta, "field role", &names)?
                        .and_then(|g| TemplateRole::ALL.iter().find(|(n, _)| *n == g))
                        .map_or(TemplateRole::Skip, |(_, r)| *r);
                    guess(&mut role, &mut guessed, meant, &meta);
                }
            }
        }
        Ok(())
    });
    role.map(|role| TemplateField {
        role,
        name,
        button,
        guessed,
    })
}

/// After an unknown role (already reported), the role that was probably meant (or `skip`), so
/// that the field is not also reported as having no role.
fn guess<R>(slot: &mut Option<Role<R>>, guessed: &mut bool, role: R, meta: &ParseNestedMeta) {
    if slot.is_none() {
        *slot = Some(Role {
            role,
            span: meta.path.span(),
        });
        *guessed = true;
    }
}

/// The arguments of `button(sub_type, index = N)`, each problem reported on its token.
fn button_args(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<ButtonArgs> {
    let mut args = ButtonArgs {
        span: meta.path.span(),
        kind: None,
        index: None,
        broken: false,
    };
    let sub_types: Vec<&str> = ButtonKind::ALL.iter().map(|k| k.sub_type()).collect();
    let listed = sub_types
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if !meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(
            &meta.path,
            format!(
                "`button` needs its sub-type and index: `button(url, index = 0)`; the sub-type \
                 is one of {listed}"
            ),
        );
        skip_value(meta)?;
        args.broken = true;
        return Ok(args);
    }
    meta.parse_nested_meta(|inner| {
        let key = key_of(&inner);
        if key == "index" {
            let v = expect_int(cx, &inner, "index = 0")?;
            args.broken |= v.is_none();
            set_once(cx, &inner, &mut args.index, v);
        } else if let Some(kind) = ButtonKind::from_sub_type(&key) {
            if inner.input.peek(Token![=]) || inner.input.peek(syn::token::Paren) {
                cx.error_spanned_by(
                    &inner.path,
                    format!("the sub-type takes no value: write `button({key}, index = 0)`"),
                );
                skip_value(&inner)?;
            }
            if args.kind.is_some() {
                cx.error_spanned_by(
                    &inner.path,
                    "a button has one sub-type; this one already has one",
                );
            } else {
                args.kind = Some(Spanned {
                    value: kind,
                    span: inner.path.span(),
                });
            }
        } else {
            let mut known = sub_types.clone();
            known.push("index");
            let hint = rules::suggest(&key, known.iter().copied())
                .map(|s| format!(", did you mean `{s}`?"))
                .unwrap_or_default();
            cx.error_spanned_by(
                &inner.path,
                format!(
                    "`{key}` is neither a button sub-type nor `index`{hint} (a button is \
                     `button(sub_type, index = N)`; the sub-types are {listed})"
                ),
            );
            skip_value(&inner)?;
            args.broken = true;
        }
        Ok(())
    })?;
    Ok(args)
}

pub fn card_attrs(cx: &Ctxt, attrs: &[Attribute]) -> CardAttrs {
    let mut out = CardAttrs::default();
    let mut broken = Vec::new();
    each_attr(cx, attrs, "card", |meta| {
        let key = key_of(&meta);
        match key.as_str() {
            "crate" => {
                let v = expect_path(cx, &meta)?;
                set_key(cx, &meta, &mut out.krate, v, &mut broken);
            }
            _ if CardRole::ALL.iter().any(|(n, _)| *n == key) => {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "`{key}` is a field role: put `#[card({key})]` on the field that holds it"
                    ),
                );
                skip_value(&meta)?;
            }
            _ => {
                unknown_key(cx, &meta, "card key", &["crate"])?;
            }
        }
        Ok(())
    });
    out
}

/// `#[card(header)]` and friends on a field.
pub fn card_role(cx: &Ctxt, field: &syn::Field) -> Option<CardField> {
    let mut role = None;
    let mut button = None;
    each_attr(cx, &field.attrs, "card", |meta| {
        let key = key_of(&meta);
        match CardRole::ALL.iter().find(|(n, _)| *n == key) {
            Some((_, CardRole::Button)) => {
                let b = button_args(cx, &meta)?;
                set_role(cx, &mut role, CardRole::Button, &meta);
                button.get_or_insert(b);
            }
            Some((_, r)) => {
                if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
                    let more = if *r == CardRole::Body {
                        " (a card's body parameters are positional: {{1}}, {{2}}, … in field order)"
                    } else {
                        ""
                    };
                    cx.error_spanned_by(
                        &meta.path,
                        format!("the role `{key}` takes no value: write `#[card({key})]`{more}"),
                    );
                    skip_value(&meta)?;
                }
                set_role(cx, &mut role, *r, &meta);
            }
            None if key == "crate" => {
                cx.error_spanned_by(
                    &meta.path,
                    "`crate` belongs on the struct's #[card(...)], not on a field",
                );
                skip_value(&meta)?;
                guess(&mut role, &mut false, CardRole::Skip, &meta);
            }
            None => {
                let names: Vec<&str> = CardRole::ALL.iter().map(|(n, _)| *n).collect();
                let meant = unknown_key(cx, &meta, "card field role", &names)?
                    .and_then(|g| CardRole::ALL.iter().find(|(n, _)| *n == g))
                    .map_or(CardRole::Skip, |(_, r)| *r);
                guess(&mut role, &mut false, meant, &meta);
            }
        }
        Ok(())
    });
    role.map(|role| CardField { role, button })
}

/// `#[flow(token)]`, `#[flow(rename = "key")]` and friends on a field. A field with no
/// attribute is a data member named after the field.
pub fn flow_role(cx: &Ctxt, field: &syn::Field, name: &str) -> Role<FlowRole> {
    let mut role = None;
    let mut rename: Option<Str> = None;
    each_attr(cx, &field.attrs, "flow", |meta| {
        let key = key_of(&meta);
        let simple = match key.as_str() {
            "token" => Some(FlowRole::Token),
            "header" => Some(FlowRole::Header),
            "body" => Some(FlowRole::Body),
            "footer" => Some(FlowRole::Footer),
            "skip" => Some(FlowRole::Skip),
            _ => None,
        };
        if let Some(r) = simple {
            if meta.input.peek(Token![=]) {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "on a field, `{key}` takes no value: the field holds it \
                         (write `#[flow({key})]`, or `{key} = \"…\"` on the struct for fixed text)"
                    ),
                );
                skip_value(&meta)?;
            }
            set_role(cx, &mut role, r, &meta);
        } else if key == "rename" {
            let v = expect_str(cx, &meta, "rename = \"key\"")?;
            set_once(cx, &meta, &mut rename, v);
        } else {
            unknown_key(cx, &meta, "field option", &FLOW_ROLES)?;
        }
        Ok(())
    });
    match (role, rename) {
        (Some(r), Some(rename)) => {
            if r.role != FlowRole::Skip {
                cx.error_at(
                    rename.span,
                    "`rename` names a data member; this field is not one",
                );
            }
            r
        }
        (Some(r), None) => r,
        (None, Some(rename)) => {
            if rename.value.is_empty() {
                cx.error_at(rename.span, "a data member's key must not be empty");
            }
            Role {
                role: FlowRole::Data(rename.value),
                span: rename.span,
            }
        }
        (None, None) => Role {
            role: FlowRole::Data(name.to_owned()),
            span: field
                .ident
                .as_ref()
                .map_or_else(|| field.ty.span(), |i| i.span()),
        },
    }
}

// ------------------------------------------------------------------ #[derive(FlowResponse)]

/// What the struct-level `#[flow_response(...)]` says.
#[derive(Default)]
pub struct FlowResponseAttrs {
    pub krate: Option<Path>,
    /// `flow = "booking"`: the committed flow whose `complete` payload the fields must match.
    pub flow: Option<Str>,
}

/// What a field's `#[flow_response(...)]` says.
#[derive(Default)]
pub struct FlowResponseFieldAttrs {
    /// `token`: the field holds `flow_token`.
    pub token: Option<Span>,
    /// `rename = "key"`: the member it is read from.
    pub rename: Option<Str>,
    /// `skip`: not read; filled with `Default::default()`.
    pub skip: Option<Span>,
}

const FLOW_RESPONSE_KEYS: [&str; 2] = ["crate", "flow"];
const FLOW_RESPONSE_FIELD_KEYS: [&str; 3] = ["token", "rename", "skip"];

pub fn flow_response_attrs(cx: &Ctxt, attrs: &[Attribute]) -> FlowResponseAttrs {
    let mut out = FlowResponseAttrs::default();
    let mut broken = Vec::new();
    each_attr(cx, attrs, "flow_response", |meta| {
        let key = key_of(&meta);
        if key == "crate" {
            let v = expect_path(cx, &meta)?;
            set_key(cx, &meta, &mut out.krate, v, &mut broken);
        } else if key == "flow" {
            let v = expect_str(cx, &meta, "flow = \"booking\"")?;
            set_key(cx, &meta, &mut out.flow, v, &mut broken);
        } else if FLOW_RESPONSE_FIELD_KEYS.contains(&key.as_str()) {
            cx.error_spanned_by(
                &meta.path,
                format!(
                    "`{key}` belongs on a field, not on the struct: write \
                     `#[flow_response({key}{})]` above the field",
                    if key == "rename" { " = \"…\"" } else { "" }
                ),
            );
            skip_value(&meta)?;
        } else {
            unknown_key(cx, &meta, "flow_response key", &FLOW_RESPONSE_KEYS)?;
        }
        Ok(())
    });
    out
}

/// A bare flag on a field (`token`, `skip`): reports a value and a second occurrence.
fn flag(cx: &Ctxt, meta: &ParseNestedMeta, slot: &mut Option<Span>) -> syn::Result<()> {
    let key = key_of(meta);
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(
            &meta.path,
            format!("`{key}` takes no value: write `#[flow_response({key})]`"),
        );
        skip_value(meta)?;
    }
    set_once(cx, meta, slot, Some(meta.path.span()));
    Ok(())
}

pub fn flow_response_field(cx: &Ctxt, field: &syn::Field) -> FlowResponseFieldAttrs {
    let mut out = FlowResponseFieldAttrs::default();
    each_attr(cx, &field.attrs, "flow_response", |meta| {
        let key = key_of(&meta);
        match key.as_str() {
            "token" => flag(cx, &meta, &mut out.token)?,
            "skip" => flag(cx, &meta, &mut out.skip)?,
            "rename" => {
                let v = expect_str(cx, &meta, "rename = \"key\"")?;
                set_once(cx, &meta, &mut out.rename, v);
            }
            "crate" => {
                cx.error_spanned_by(
                    &meta.path,
                    "`crate` belongs on the struct's #[flow_response(...)], not on a field",
                );
                skip_value(&meta)?;
            }
            _ => {
                unknown_key(cx, &meta, "flow_response option", &FLOW_RESPONSE_FIELD_KEYS)?;
            }
        }
        Ok(())
    });
    out
}

/// `key = Type` (e.g. `response = BookingReply`).
pub fn expect_type(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    example: &str,
) -> syn::Result<Option<syn::Type>> {
    if !meta.input.peek(Token![=]) {
        cx.error_spanned_by(
            &meta.path,
            format!("`{}` needs a type: `{example}`", key_of(meta)),
        );
        skip_group(meta)?;
        return Ok(None);
    }
    let input = meta.value()?;
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        cx.error_spanned_by(
            &lit,
            format!(
                "`{}` takes a type, not a string: write `{example}`",
                key_of(meta)
            ),
        );
        return Ok(None);
    }
    Ok(Some(input.parse()?))
}

// ------------------------------------------------------------------------ Buttons and Menu

/// What `#[button(...)]` says about one variant of a `#[derive(Buttons)]` enum.
#[derive(Default)]
pub struct ButtonVariant {
    pub title: Option<Str>,
    pub id: Option<Str>,
    /// Keys that were given but could not be read (already reported).
    pub broken: Vec<String>,
}

/// What the enum-level `#[button(...)]` / `#[menu(...)]` says.
#[derive(Default)]
pub struct ChoiceAttrs {
    /// `#[menu(button = "…")]`: the label of the button that opens the list.
    pub button: Option<Str>,
    pub krate: Option<Path>,
    pub broken: Vec<String>,
}

/// What `#[menu(...)]` says about one variant of a `#[derive(Menu)]` enum.
#[derive(Default)]
pub struct MenuVariant {
    pub section: Option<Str>,
    pub title: Option<Str>,
    pub description: Option<Str>,
    pub id: Option<Str>,
    pub broken: Vec<String>,
}

const BUTTON_KEYS: [&str; 2] = ["title", "id"];
const BUTTONS_ENUM_KEYS: [&str; 1] = ["crate"];
const MENU_KEYS: [&str; 4] = ["section", "title", "description", "id"];
const MENU_ENUM_KEYS: [&str; 2] = ["button", "crate"];

/// The enum-level `#[button(crate = …)]` of `#[derive(Buttons)]`.
pub fn buttons_attrs(cx: &Ctxt, attrs: &[Attribute]) -> ChoiceAttrs {
    let mut out = ChoiceAttrs::default();
    each_attr(cx, attrs, "button", |meta| {
        match key_of(&meta).as_str() {
            "crate" => {
                let v = expect_path(cx, &meta)?;
                set_key(cx, &meta, &mut out.krate, v, &mut out.broken);
            }
            key @ ("title" | "id") => {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "`{key}` belongs to a button: put `#[button({key} = \"…\")]` on the \
                         variant"
                    ),
                );
                skip_value(&meta)?;
            }
            _ => {
                unknown_key(cx, &meta, "button key", &BUTTONS_ENUM_KEYS)?;
            }
        }
        Ok(())
    });
    out
}

/// `#[button(title = "…", id = "…")]` on a variant.
pub fn button_variant(cx: &Ctxt, variant: &syn::Variant) -> ButtonVariant {
    let mut out = ButtonVariant::default();
    each_attr(cx, &variant.attrs, "button", |meta| {
        match key_of(&meta).as_str() {
            "title" => {
                let v = expect_str(cx, &meta, "title = \"Tomorrow\"")?;
                set_key(cx, &meta, &mut out.title, v, &mut out.broken);
            }
            "id" => {
                let v = expect_str(cx, &meta, "id = \"tomorrow\"")?;
                set_key(cx, &meta, &mut out.id, v, &mut out.broken);
            }
            _ => out
                .broken
                .extend(unknown_key(cx, &meta, "button key", &BUTTON_KEYS)?.map(String::from)),
        }
        Ok(())
    });
    out
}

/// The enum-level `#[menu(button = "…", crate = …)]` of `#[derive(Menu)]`.
pub fn menu_attrs(cx: &Ctxt, attrs: &[Attribute]) -> ChoiceAttrs {
    let mut out = ChoiceAttrs::default();
    each_attr(cx, attrs, "menu", |meta| {
        match key_of(&meta).as_str() {
            "button" => {
                let v = expect_str(cx, &meta, "button = \"Pick a slot\"")?;
                set_key(cx, &meta, &mut out.button, v, &mut out.broken);
            }
            "crate" => {
                let v = expect_path(cx, &meta)?;
                set_key(cx, &meta, &mut out.krate, v, &mut out.broken);
            }
            key @ ("section" | "title" | "description" | "id") => {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "`{key}` belongs to a row: put `#[menu({key} = \"…\")]` on the variant"
                    ),
                );
                skip_value(&meta)?;
            }
            _ => out
                .broken
                .extend(unknown_key(cx, &meta, "menu key", &MENU_ENUM_KEYS)?.map(String::from)),
        }
        Ok(())
    });
    out
}

/// `#[menu(section = "…", title = "…", description = "…", id = "…")]` on a variant.
pub fn menu_variant(cx: &Ctxt, variant: &syn::Variant) -> MenuVariant {
    let mut out = MenuVariant::default();
    each_attr(cx, &variant.attrs, "menu", |meta| {
        match key_of(&meta).as_str() {
            "section" => {
                let v = expect_str(cx, &meta, "section = \"Morning\"")?;
                set_key(cx, &meta, &mut out.section, v, &mut out.broken);
            }
            "title" => {
                let v = expect_str(cx, &meta, "title = \"09:00-12:00\"")?;
                set_key(cx, &meta, &mut out.title, v, &mut out.broken);
            }
            "description" => {
                let v = expect_str(cx, &meta, "description = \"We call first\"")?;
                set_key(cx, &meta, &mut out.description, v, &mut out.broken);
            }
            "id" => {
                let v = expect_str(cx, &meta, "id = \"morning\"")?;
                set_key(cx, &meta, &mut out.id, v, &mut out.broken);
            }
            "button" => {
                cx.error_spanned_by(
                    &meta.path,
                    "`button` is the list's button label: put `#[menu(button = \"…\")]` on the \
                     enum",
                );
                skip_value(&meta)?;
            }
            _ => out
                .broken
                .extend(unknown_key(cx, &meta, "menu key", &MENU_KEYS)?.map(String::from)),
        }
        Ok(())
    });
    out
}
