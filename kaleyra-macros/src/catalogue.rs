//! The approved-template catalogue at compile time.
//!
//! - finds the file: `KALEYRA_TEMPLATES` (a path, or `off`), else the nearest
//!   `kaleyra-templates.json` from `CARGO_MANIFEST_DIR` up to the workspace root
//!   (kaleyra-core's `catalogue::discover`); no file: format rules only, and a warning;
//! - reads it once per compiler process (a static cache, refreshed if the file changes, for
//!   long-lived hosts such as rust-analyzer) as a [`CatalogueIndex`]: one pass that validates the
//!   text and finds every template, each read in full when a derive looks it up;
//! - checks a template's declaration with kaleyra-core's `catalogue::check`, the check
//!   `Catalogue::check` and the simulator run, and puts each mismatch on its token;
//! - makes the next build check again when anything the check read changes (stable Rust has no
//!   `tracked_path` / `tracked_env`): every derive emits `option_env!("KALEYRA_TEMPLATES")` (an
//!   env-dep: set, changed or unset rebuilds); the first derive of a crate emits
//!   `const _: fn() -> &'static [u8] = || ::core::include_bytes!("/abs/path");` (a closure, so
//!   that the bytes are never evaluated) for the file and for the package's and workspace root's
//!   `Cargo.toml` (kaleyra-core's `catalogue::anchors`, which `kaleyra templates pull` touches
//!   after writing, since a file that does not exist yet cannot be tracked). A file that cannot
//!   be read or parsed is reported once, by that derive, naming the file and line.
//!
//! [`check_plan`] builds the [`Declared`] of a template's plan: for a general template, the
//! header from [`header_of_type`] of the header field's type (or `DeclaredHeader::Text(Some(name))`
//! for `header = "name"`), the body positional or named, the limited-time offer, the buttons as
//! `(index, DeclaredButton::Kind(ButtonKind))`, and the carousel as
//! [`DeclaredCarousel::count_only`](kaleyra_core::catalogue::DeclaredCarousel::count_only)`(Some(N))`
//! for `[C; N]` or `(None)` for `Vec<C>` and `&[C]`; with the [`Spans`] of the tokens each part
//! comes from. `#[template(unchecked)]` skips it.
//!
//! A card type's fields are another derive's, which this one cannot see. So `#[derive(Card)]`
//! states its shape as `Card::SHAPE`, and for each distinct approved card this derive emits a
//! `const` (spanned on the carousel field) that compares `<C as Card>::SHAPE` with the card's
//! [`ApprovedCard`](kaleyra_core::catalogue::ApprovedCard) and panics with the run-time check's
//! words for the part that does not fit ([`CardRequirements`]): a compile error, E0080. Skipped
//! when the card type names one of the struct's type parameters (the run-time check remains).

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::SystemTime;

use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, quote_spanned};

use kaleyra_core::catalogue::{
    CardPart, CardRequirements, CatalogueIndex, Declared, DeclaredBody, DeclaredButton,
    DeclaredCarousel, DeclaredHeader, DeclaredKind, Discovery, Part, Subject,
};
use kaleyra_core::layout::ButtonKind;

use crate::ast::Input;
use crate::attr::{Kind, TemplateAttrs};
use crate::ctxt::Ctxt;
use crate::valid::TemplatePlan;

/// Where each part of a declaration was written, to put a mismatch on its token.
pub struct Spans {
    /// The `name = "…"` literal: the template as a whole, its status.
    pub name: Span,
    /// The `lang = "…"` literal.
    pub language: Span,
    /// The `kind = …` token (or the attribute): the category.
    pub kind: Span,
    /// The header field.
    pub header: Option<Span>,
    /// The positional body fields, in order.
    pub body: Vec<Span>,
    /// The named body parameters: each name's string literal.
    pub body_names: Vec<(String, Span)>,
    /// The limited-time offer field.
    pub limited_time_offer: Option<Span>,
    /// The button fields (or the `button_index` token), by index.
    pub buttons: Vec<(u8, Span)>,
    /// The carousel field: its count, and every part of its cards.
    pub carousel: Option<Span>,
}

impl Spans {
    fn of(&self, part: &Part) -> Span {
        match part {
            Part::Language => self.language,
            Part::Category => self.kind,
            Part::Header => self.header.unwrap_or(self.name),
            Part::BodyParameter(n) => self.body.get(*n).copied().unwrap_or(self.name),
            Part::BodyName(name) => self
                .body_names
                .iter()
                .find(|(n, _)| n == name)
                .map_or(self.name, |(_, s)| *s),
            Part::LimitedTimeOffer => self.limited_time_offer.unwrap_or(self.name),
            Part::Button(index) => self
                .buttons
                .iter()
                .find(|(i, _)| i == index)
                .map_or(self.name, |(_, s)| *s),
            Part::Carousel | Part::Card { .. } => self.carousel.unwrap_or(self.name),
            // The template as a whole, its status, and any part added later.
            _ => self.name,
        }
    }
}

/// Which catalogue the derive uses.
enum Source {
    /// `KALEYRA_TEMPLATES=off`, or the macro crate's own tests.
    Off,
    /// No file found from the package up to its workspace root.
    NotFound,
    /// This file, named in messages as `shown`: as written in `KALEYRA_TEMPLATES`, or relative
    /// to the workspace root; never relative to where the build runs (issue 20).
    File { path: PathBuf, shown: String },
}

fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from)
}

fn source() -> Source {
    // The macro crate's own tests (expansion snapshots) never depend on a file on the machine.
    if cfg!(test) {
        return Source::Off;
    }
    let dir = manifest_dir();
    let env = std::env::var_os(kaleyra_core::catalogue::ENV);
    match kaleyra_core::catalogue::discover(&dir, env.as_deref()) {
        Discovery::File(path) => {
            let shown = match env.as_deref().filter(|v| !v.is_empty()) {
                Some(written) => written.to_string_lossy().into_owned(),
                None => relative(&kaleyra_core::catalogue::workspace_root(&dir), &path)
                    .display()
                    .to_string(),
            };
            Source::File { path, shown }
        }
        Discovery::NotFound => Source::NotFound,
        Discovery::Off => Source::Off,
    }
}

/// A parsed file and the file's identity when it was read.
struct Cached {
    stamp: Option<(SystemTime, u64)>,
    catalogue: Result<Arc<CatalogueIndex>, String>,
}

struct Cache {
    files: HashMap<PathBuf, Cached>,
    /// Files this process has already emitted `include_bytes!` for and reported errors of.
    announced: HashSet<PathBuf>,
}

fn cache() -> MutexGuard<'static, Cache> {
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    CACHE
        .get_or_init(|| {
            Mutex::new(Cache {
                files: HashMap::new(),
                announced: HashSet::new(),
            })
        })
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// `to` relative to `from` (both absolute), e.g. `../../kaleyra-templates.json`; `to` itself
/// when there is no common root. Messages name the file this way so that they read the same on
/// every machine.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to_parts: Vec<Component> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return to.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to_parts[common..] {
        out.push(part.as_os_str());
    }
    out
}

/// The catalogue at `path`, parsed at most once per version of the file; and whether this is
/// the process's first use of it (then the caller emits its `include_bytes!` and reports its
/// error).
fn load(path: &Path, shown: &str) -> (Result<Arc<CatalogueIndex>, String>, bool) {
    let stamp = std::fs::metadata(path)
        .ok()
        .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
    let mut cache = cache();
    let first = cache.announced.insert(path.to_path_buf());
    if let Some(cached) = cache.files.get(path)
        && stamp.is_some()
        && cached.stamp == stamp
    {
        return (cached.catalogue.clone(), first);
    }
    let catalogue = match std::fs::read_to_string(path) {
        // Indexed, and each template read in full when a derive looks it up: a large catalogue
        // costs a build little more than its size to scan.
        Ok(text) => CatalogueIndex::new(text, shown)
            .map(Arc::new)
            .map_err(|e| e.to_string()),
        Err(e) => Err(format!(
            "template catalogue {shown} cannot be read: {e} (set {}=off to check without one)",
            kaleyra_core::catalogue::ENV
        )),
    };
    cache.files.insert(
        path.to_path_buf(),
        Cached {
            stamp,
            catalogue: catalogue.clone(),
        },
    );
    (catalogue, first)
}

/// Checks `declared` against the catalogue, if there is one, reporting every mismatch on its
/// token. Returns what the expansion must include: the file's `include_bytes!` on the first
/// derive of the compilation that reads it.
pub fn check(
    cx: &Ctxt,
    declared: &Declared,
    spans: &Spans,
    cards: Option<&CardType>,
) -> TokenStream {
    if cfg!(test) {
        return TokenStream::new();
    }
    // Every derive names the variable, so that rustc records it in the crate's dependencies
    // (an env-dep): setting, changing or unsetting it re-runs the check on the next build.
    let env = Literal::string(kaleyra_core::catalogue::ENV);
    let mut tracked = quote!(
        const _: ::core::option::Option<&'static ::core::primitive::str> =
            ::core::option_env!(#env);
    );
    let source = source();
    if !matches!(source, Source::Off) {
        tracked.extend(track_anchors());
    }
    let (path, shown) = match source {
        Source::Off => return tracked,
        Source::NotFound => {
            tracked.extend(no_catalogue_warning(spans.name));
            return tracked;
        }
        Source::File { path, shown } => (path, shown),
    };
    let (catalogue, first) = load(&path, &shown);
    // A file that cannot be read is an error (reported below) that fails the build, and a
    // failed build is always rebuilt: only a readable file needs tracking.
    if first && path.is_file() {
        tracked.extend(include(&path));
    }
    let mut shapes = TokenStream::new();
    match catalogue {
        Ok(catalogue) => {
            if let Err(mismatches) = catalogue.check_declared(declared) {
                for m in &mismatches {
                    cx.error_at(spans.of(m.part()), m);
                }
            }
            if let (Some(cards), Some(Ok(template))) =
                (cards, catalogue.get(&declared.name, &declared.language))
            {
                shapes = card_shape_checks(template, cards);
            }
        }
        Err(e) if first => cx.error_at(spans.name, e),
        // Reported by the first derive of this compilation.
        Err(_) => {}
    }
    quote!(#tracked #shapes)
}

/// `const _: fn() -> &'static [u8] = || include_bytes!("/abs/path");`: rustc records the file
/// in the crate's dependencies, so that Cargo rebuilds the crate when the file changes (a
/// closure, so that the bytes are never evaluated).
fn include(path: &Path) -> TokenStream {
    let literal = Literal::string(&path.to_string_lossy());
    quote!(
        const _: fn() -> &'static [::core::primitive::u8] = || ::core::include_bytes!(#literal);
    )
}

/// Whether this process has not yet done `what` for the crate being compiled (a rustc process
/// compiles one crate; a long-lived host such as rust-analyzer expands many).
fn first_time(what: &str) -> bool {
    let key = manifest_dir().join(what);
    cache().announced.insert(key)
}

/// The package's and its workspace root's `Cargo.toml`, included once per crate: a catalogue
/// that appears (or moves nearer) after a build cannot be tracked before it exists, so the
/// derive tracks these files, which always exist, and `kaleyra templates pull` touches them
/// after writing (kaleyra-core's `catalogue::touch_anchors`).
fn track_anchors() -> TokenStream {
    if !first_time("\0anchors") {
        return TokenStream::new();
    }
    kaleyra_core::catalogue::anchors(&manifest_dir())
        .iter()
        .map(|p| include(p))
        .collect()
}

/// A compiler warning, once per crate, when no catalogue is found: only the format rules were
/// checked. Stable Rust has no warning API for proc macros, so the expansion uses a deprecated
/// item (the warning is `deprecated`; Cargo replays it while the crate is not rebuilt, and caps
/// it in dependencies).
fn no_catalogue_warning(span: Span) -> TokenStream {
    if !first_time("\0warning") {
        return TokenStream::new();
    }
    let note = Literal::string(&format!(
        "no {file} found from this package up to its workspace root: only the format rules \
         were checked, not the account's approved templates. Run `kaleyra templates pull` (the \
         next build checks against the file it writes; a file added another way is checked \
         once Cargo.toml or this source changes), set {env} to a catalogue file, or set \
         {env}=off to build without one and without this warning",
        file = kaleyra_core::catalogue::FILE_NAME,
        env = kaleyra_core::catalogue::ENV,
    ));
    quote_spanned! {span=>
        const _: () = {
            #[deprecated(note = #note)]
            #[allow(non_upper_case_globals)]
            const kaleyra_templates_json_not_found: () = ();
            kaleyra_templates_json_not_found
        };
    }
}

/// A carousel field's card type, for the compile-time check of its shape.
pub struct CardType {
    /// The type, with `'static` for every lifetime (a `const` cannot name the struct's).
    pub ty: TokenStream,
    /// How the type is written, for messages.
    pub shown: String,
    /// The carousel field, where an error is reported.
    pub span: Span,
    /// The facade's path.
    pub krate: syn::Path,
}

impl CardType {
    /// The card type of a carousel field (`[C; N]`, `Vec<C>`, `&[C]`, …): `None` when the field
    /// is of another shape, or the card type names one of the struct's type parameters (a `const`
    /// cannot; the run-time check still applies).
    pub fn of(
        field: &syn::Field,
        span: Span,
        generics: &syn::Generics,
        krate: &syn::Path,
    ) -> Option<CardType> {
        let elem = card_elem(&field.ty)?;
        let params: Vec<String> = generics
            .type_params()
            .map(|p| p.ident.to_string())
            .chain(generics.const_params().map(|p| p.ident.to_string()))
            .collect();
        let tokens = quote!(#elem);
        if mentions(&tokens, &params) {
            return None;
        }
        Some(CardType {
            ty: static_lifetimes(tokens),
            shown: quote!(#elem)
                .to_string()
                .replace(" < ", "<")
                .replace(" >", ">"),
            span,
            krate: krate.clone(),
        })
    }
}

/// The element type of a carousel field.
fn card_elem(ty: &syn::Type) -> Option<&syn::Type> {
    match ty {
        syn::Type::Reference(r) => card_elem(&r.elem),
        syn::Type::Array(a) => Some(&a.elem),
        syn::Type::Slice(s) => Some(&s.elem),
        syn::Type::Path(p) => {
            let last = p.path.segments.last()?;
            if last.ident != "Vec" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(a) = &last.arguments else {
                return None;
            };
            match a.args.first() {
                Some(syn::GenericArgument::Type(t)) => Some(t),
                _ => None,
            }
        }
        _ => None,
    }
}

fn mentions(tokens: &TokenStream, names: &[String]) -> bool {
    tokens.clone().into_iter().any(|tt| match tt {
        proc_macro2::TokenTree::Ident(i) => names.iter().any(|n| i == n),
        proc_macro2::TokenTree::Group(g) => mentions(&g.stream(), names),
        _ => false,
    })
}

/// Every lifetime (`'a`, `'_`) made `'static`.
fn static_lifetimes(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut after_quote = false;
    for tt in tokens {
        let tt = match tt {
            proc_macro2::TokenTree::Ident(i) if after_quote => {
                proc_macro2::TokenTree::Ident(proc_macro2::Ident::new("static", i.span()))
            }
            proc_macro2::TokenTree::Group(g) => {
                let mut group =
                    proc_macro2::Group::new(g.delimiter(), static_lifetimes(g.stream()));
                group.set_span(g.span());
                proc_macro2::TokenTree::Group(group)
            }
            other => other,
        };
        after_quote = matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == '\'');
        out.push(tt);
    }
    out.into_iter().collect()
}

/// One `const` per distinct approved card: it compares the card type's `SHAPE` with the card
/// and fails the build with the part that does not fit.
fn card_shape_checks(
    template: &kaleyra_core::catalogue::TemplateDefinition,
    cards: &CardType,
) -> TokenStream {
    let krate = &cards.krate;
    let ty = &cards.ty;
    let count = template.carousel().map_or(0, <[_]>::len);
    let mut seen: Vec<kaleyra_core::catalogue::CardRequirements> = Vec::new();
    let mut out = TokenStream::new();
    for n in 0..count {
        let Some(card) = CardRequirements::of(template, n) else {
            continue;
        };
        // Cards of the same shape are checked once (with the first one's words).
        if seen.iter().any(|s| s.approved() == card.approved()) {
            continue;
        }
        let approved = card.approved();
        let (present, absent) = (approved.header_present, approved.header_absent);
        let body = match approved.body {
            Some(n) => quote!(::core::option::Option::Some(#n)),
            None => quote!(::core::option::Option::None),
        };
        let buttons = approved.buttons.iter().map(|b| {
            let accepts = match b
                .accepts
                .and_then(|k| crate::expand::button_kind_path(k, krate))
            {
                Some(path) => quote!(::core::option::Option::Some(#path)),
                None => quote!(::core::option::Option::None),
            };
            let required = b.required;
            quote!(#krate::__private::ApprovedButton { accepts: #accepts, required: #required })
        });
        let part = |part: CardPart| Literal::string(&card.message(part, &cards.shown));
        let (header_msg, body_msg) = (part(CardPart::Header), part(CardPart::Body));
        let button_arms = (0..=kaleyra_core::rules::BUTTON_INDEX_MAX).map(|i| {
            let msg = part(CardPart::Button(i));
            quote_spanned!(cards.span=>
                ::core::option::Option::Some(#krate::__private::CardPart::Button(#i)) => {
                    ::core::panic!("{}", #msg)
                }
            )
        });
        out.extend(quote_spanned! {cards.span=>
            const _: () = {
                match (#krate::__private::ApprovedCard {
                    header_present: #present,
                    header_absent: #absent,
                    body: #body,
                    buttons: &[#(#buttons),*],
                })
                .mismatch_of(<#ty as #krate::__private::Card>::SHAPE)
                {
                        ::core::option::Option::Some(#krate::__private::CardPart::Header) => {
                            ::core::panic!("{}", #header_msg)
                        }
                        ::core::option::Option::Some(#krate::__private::CardPart::Body) => {
                            ::core::panic!("{}", #body_msg)
                        }
                    #(#button_arms)*
                    _ => {}
                }
            };
        });
        seen.push(card);
    }
    out
}

/// The shape a header field of this type gives: text for string types, a media kind known at
/// run time for `Media`, a location for `Location`, otherwise only "a parameter" (its role trait
/// decides what it writes).
pub fn header_of_type(ty: &syn::Type) -> DeclaredHeader {
    let mut ty = ty;
    while let syn::Type::Reference(r) = ty {
        ty = &r.elem;
    }
    let syn::Type::Path(p) = ty else {
        return DeclaredHeader::Any;
    };
    let Some(last) = p.path.segments.last() else {
        return DeclaredHeader::Any;
    };
    match last.ident.to_string().as_str() {
        "str" | "String" | "Cow" | "Otp" => DeclaredHeader::Text(None),
        // `Box<str>`, `Rc<str>`, `Arc<str>`: the text types the header role takes.
        "Box" | "Rc" | "Arc" if holds_str(&last.arguments) => DeclaredHeader::Text(None),
        "Media" => DeclaredHeader::Media(None),
        "Location" => DeclaredHeader::Location,
        _ => DeclaredHeader::Any,
    }
}

/// Whether a path segment's arguments are `<str>`.
fn holds_str(arguments: &syn::PathArguments) -> bool {
    let syn::PathArguments::AngleBracketed(a) = arguments else {
        return false;
    };
    matches!(
        a.args.first(),
        Some(syn::GenericArgument::Type(syn::Type::Path(p))) if p.path.is_ident("str")
    ) && a.args.len() == 1
}

/// The number of cards of a carousel field `[C; N]` (or `&[C; N]`) with a literal `N`; `None`
/// for a `Vec`, a slice or a length only the type checker knows.
fn array_len(ty: &syn::Type) -> Option<usize> {
    match ty {
        syn::Type::Reference(r) => array_len(&r.elem),
        syn::Type::Array(a) => match &a.len {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(n),
                ..
            }) => n.base10_parse().ok(),
            _ => None,
        },
        _ => None,
    }
}

/// Checks a template's plan against its approved template (after the format rules passed).
pub fn check_plan(
    cx: &Ctxt,
    input: &Input,
    attrs: &TemplateAttrs,
    plan: &TemplatePlan,
    krate: &syn::Path,
) -> TokenStream {
    if attrs.unchecked.is_some() {
        return TokenStream::new();
    }
    let (Some(name), Some(lang)) = (&attrs.name, &attrs.lang) else {
        return TokenStream::new();
    };
    // A general template may have no `kind`: the category is then reported on the attribute.
    let kind_span = attrs
        .kind
        .as_ref()
        .map(|k| k.span)
        .or(attrs.attr)
        .unwrap_or(name.span);
    let field = |i: usize| input.fields.get(i).map_or(name.span, |f| f.span());
    let button_span = attrs.button_index.as_ref().map_or(kind_span, |b| b.span);
    let mut cards = None;
    let mut declared = Declared::new(
        &plan.name,
        plan.lang,
        match plan.kind {
            Kind::Otp => DeclaredKind::Authentication,
            Kind::Flow => DeclaredKind::Flow,
            Kind::Product => DeclaredKind::Product,
            Kind::Standard => DeclaredKind::Standard,
        },
        Subject::Struct,
    );
    let mut spans = Spans {
        name: name.span,
        language: lang.span,
        kind: kind_span,
        header: None,
        body: plan.body.iter().map(|&i| field(i)).collect(),
        body_names: Vec::new(),
        limited_time_offer: None,
        buttons: Vec::new(),
        carousel: None,
    };
    declared.body = DeclaredBody::Positional(plan.body.len());
    match plan.kind {
        Kind::Otp => {
            declared.buttons = vec![(plan.button_index, DeclaredButton::OneTimePassword)];
            spans.buttons = vec![(plan.button_index, button_span)];
            // The OTP field is the body parameter too; a body mismatch is not checked for
            // authentication templates (WhatsApp fixes their body).
            spans.body = plan.otp.map(field).into_iter().collect();
        }
        Kind::Flow => {
            declared.buttons = vec![(plan.button_index, DeclaredButton::Kind(ButtonKind::Flow))];
            spans.buttons = vec![(plan.button_index, button_span)];
        }
        Kind::Product => {
            declared.header = Some(DeclaredHeader::Product);
            spans.header = Some(plan.product_retailer_id.map_or(kind_span, field));
        }
        Kind::Standard => {
            if let Some(header) = &plan.header {
                declared.header = Some(match &header.name {
                    Some(name) => DeclaredHeader::Text(Some(name.clone())),
                    None => header_of_type(input.fields[header.field].ty),
                });
                spans.header = Some(field(header.field));
            }
            if plan.params.iter().any(|p| p.name.is_some()) {
                declared.body = DeclaredBody::Named(
                    plan.params.iter().filter_map(|p| p.name.clone()).collect(),
                );
                spans.body = Vec::new();
                spans.body_names = plan
                    .params
                    .iter()
                    // On the `"name"` literal: a misspelt name is what is wrong (issue 18).
                    .filter_map(|p| {
                        let span = p.name_span.unwrap_or_else(|| field(p.field));
                        p.name.clone().map(|n| (n, span))
                    })
                    .collect();
            } else {
                declared.body = DeclaredBody::Positional(plan.params.len());
                spans.body = plan.params.iter().map(|p| field(p.field)).collect();
            }
            if let Some(f) = plan.limited_time_offer {
                declared.limited_time_offer = true;
                spans.limited_time_offer = Some(field(f));
            }
            declared.buttons = plan
                .buttons
                .iter()
                .map(|b| (b.index, DeclaredButton::Kind(b.kind)))
                .collect();
            spans.buttons = plan
                .buttons
                .iter()
                .map(|b| (b.index, field(b.field)))
                .collect();
            if let Some(f) = plan.carousel {
                declared.carousel =
                    Some(DeclaredCarousel::count_only(array_len(input.fields[f].ty)));
                spans.carousel = Some(field(f));
                cards = CardType::of(input.fields[f].original, field(f), input.generics, krate);
            }
        }
    }
    check(cx, &declared, &spans, cards.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(
                Path::new("/w/app/crate"),
                Path::new("/w/app/kaleyra-templates.json")
            ),
            PathBuf::from("../kaleyra-templates.json")
        );
        assert_eq!(
            relative(Path::new("/w/app"), Path::new("/w/app/t/c.json")),
            PathBuf::from("t/c.json")
        );
    }

    #[test]
    fn header_types() {
        let ty = |s: &str| syn::parse_str::<syn::Type>(s).unwrap();
        assert_eq!(header_of_type(&ty("&'a str")), DeclaredHeader::Text(None));
        assert_eq!(
            header_of_type(&ty("kaleyra::Media")),
            DeclaredHeader::Media(None)
        );
        assert_eq!(header_of_type(&ty("Location")), DeclaredHeader::Location);
        assert_eq!(header_of_type(&ty("T")), DeclaredHeader::Any);
        assert_eq!(
            header_of_type(&ty("std::sync::Arc<str>")),
            DeclaredHeader::Text(None)
        );
        assert_eq!(header_of_type(&ty("Box<str>")), DeclaredHeader::Text(None));
        assert_eq!(header_of_type(&ty("Box<Media>")), DeclaredHeader::Any);
    }
}
