//! The committed flows at compile time (issue 16): `#[flow(name = …)]` and
//! `#[flow_response(flow = …)]` checked against `kaleyra-flows/` with kaleyra-core's
//! `flows::check` (the rules live there), each mismatch on its token.
//!
//! Found like the template catalogue: `KALEYRA_FLOWS` (a directory relative to the crate, or
//! `off`), else the nearest `kaleyra-flows/` up to the workspace root. Tracked like it: every
//! derive emits `option_env!("KALEYRA_FLOWS")`, and an `include_bytes!` (in a closure, never
//! evaluated) of `flows.json` and of the flow file it read, so that an edit re-checks on the next
//! build; with no directory, the package's and workspace root's `Cargo.toml` (the catalogue's
//! anchors). No directory (or `off`): a `name` is sent as `flow_name`, unchecked, as before.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use proc_macro2::{Literal, Span, TokenStream};
use quote::quote;

use kaleyra_core::catalogue::Discovery;
use kaleyra_core::flows::check::{DeclaredField, FlowMismatch, FlowPart};
use kaleyra_core::flows::{FlowsDir, JsonType};

use crate::ctxt::Ctxt;

/// The directory the derive checks against, or none.
pub enum Source {
    /// `KALEYRA_FLOWS=off`, none found, or the macro crate's own tests.
    Off,
    /// This directory (it may not exist when named by `KALEYRA_FLOWS`), named in messages as
    /// `shown`: as written in `KALEYRA_FLOWS`, or relative to the workspace root.
    Dir { dir: PathBuf, shown: String },
}

fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from)
}

pub fn source() -> Source {
    if cfg!(test) {
        return Source::Off;
    }
    let env = std::env::var_os(kaleyra_core::flows::ENV);
    match kaleyra_core::flows::discover(&manifest_dir(), env.as_deref()) {
        Discovery::File(dir) => {
            let shown = match env.as_deref().filter(|v| !v.is_empty()) {
                Some(written) => written.to_string_lossy().into_owned(),
                None => {
                    let root = kaleyra_core::catalogue::workspace_root(&manifest_dir());
                    dir.strip_prefix(&root)
                        .unwrap_or(&dir)
                        .display()
                        .to_string()
                }
            };
            Source::Dir { dir, shown }
        }
        _ => Source::Off,
    }
}

/// What every derive that names a flow emits so that the next build checks again: the
/// variable (an env-dep) and, when there is no directory, the anchors.
pub fn tracked(source: &Source) -> TokenStream {
    let env = Literal::string(kaleyra_core::flows::ENV);
    let mut out = quote!(
        const _: ::core::option::Option<&'static ::core::primitive::str> =
            ::core::option_env!(#env);
    );
    if matches!(source, Source::Off) && !cfg!(test) {
        for anchor in kaleyra_core::catalogue::anchors(&manifest_dir()) {
            out.extend(include_once(&anchor));
        }
    }
    out
}

/// `include_bytes!` of `path` once per compiler process (a rustc process compiles one crate),
/// so that Cargo rebuilds the crate when the file changes.
fn include_once(path: &Path) -> TokenStream {
    static SEEN: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    let key = manifest_dir().join(path);
    let first = SEEN
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key);
    if !first || !path.is_file() {
        return TokenStream::new();
    }
    let literal = Literal::string(&path.to_string_lossy());
    quote!(
        const _: fn() -> &'static [::core::primitive::u8] = || ::core::include_bytes!(#literal);
    )
}

/// The files the check of flow `name` reads, tracked.
fn track_files(dir: &Path, name: &str) -> TokenStream {
    let mut out = include_once(&dir.join(kaleyra_core::flows::INDEX_FILE));
    if let Ok(path) = kaleyra_core::flows::FlowsDir::flow_file(dir, name) {
        out.extend(include_once(&path));
    }
    out
}

/// The JSON type a Rust type writes or reads, where its name says (`String`, `i64`, `bool`,
/// `Vec<_>`, …); `Option<T>` is `T`'s.
pub fn json_type(ty: &syn::Type) -> Option<JsonType> {
    match ty {
        syn::Type::Reference(r) => json_type(&r.elem),
        syn::Type::Array(_) | syn::Type::Slice(_) => Some(JsonType::Array),
        syn::Type::Path(p) => {
            let last = p.path.segments.last()?;
            let inner = || match &last.arguments {
                syn::PathArguments::AngleBracketed(a) => match a.args.first() {
                    Some(syn::GenericArgument::Type(t)) => json_type(t),
                    _ => None,
                },
                _ => None,
            };
            match last.ident.to_string().as_str() {
                "String" | "str" | "Cow" | "char" => Some(JsonType::Text),
                "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64"
                | "u128" | "usize" => Some(JsonType::Integer),
                "f32" | "f64" => Some(JsonType::Number),
                "bool" => Some(JsonType::Boolean),
                "Vec" | "VecDeque" | "HashSet" | "BTreeSet" => Some(JsonType::Array),
                "HashMap" | "BTreeMap" | "Map" => Some(JsonType::Object),
                "Option" | "Box" | "Rc" | "Arc" => inner(),
                _ => None,
            }
        }
        _ => None,
    }
}

fn report(cx: &Ctxt, mismatches: &[FlowMismatch], spans: &dyn Fn(&FlowPart) -> Span) {
    for m in mismatches {
        cx.error_at(spans(&m.part), m);
    }
}

/// The committed flows in `dir`, loaded once per compiler process while `flows.json` is
/// unchanged (its modification time and length): the derives of one crate share the load and
/// each flow's check (`FlowsDir` resolves a flow once), as the catalogue's static cache does.
fn load(cx: &Ctxt, dir: &Path, shown: &str, span: Span) -> Option<FlowsDir> {
    type Key = (PathBuf, Option<std::time::SystemTime>, u64);
    static LOADED: OnceLock<Mutex<HashMap<Key, FlowsDir>>> = OnceLock::new();
    let meta = std::fs::metadata(dir.join(kaleyra_core::flows::INDEX_FILE)).ok();
    let key = (
        dir.to_path_buf(),
        meta.as_ref().and_then(|m| m.modified().ok()),
        meta.as_ref().map_or(0, std::fs::Metadata::len),
    );
    let cache = LOADED.get_or_init(Default::default);
    let cached = cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
        .cloned();
    if let Some(d) = cached {
        return Some(d.with_shown(shown));
    }
    match FlowsDir::load(dir) {
        Ok(d) => {
            cache
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(key, d.clone());
            Some(d.with_shown(shown))
        }
        Err(e) => {
            let full = dir.display().to_string();
            cx.error_at(
                span,
                format!(
                    "{} (the committed flows; set {}=off to build without the check)",
                    e.to_string().replacen(&full, shown, 1),
                    kaleyra_core::flows::ENV
                ),
            );
            None
        }
    }
}

/// A `#[derive(Flow)]` with `name = …`: checks it, reports each mismatch; returns the flow's id
/// from `flows.json` when it fits (then the message sends `flow_id`), and the tracking tokens.
pub fn check_send(
    cx: &Ctxt,
    name: &str,
    name_span: Span,
    draft: bool,
    screen: Option<(&str, Span)>,
    data: &[(DeclaredField, Span)],
) -> (Option<String>, TokenStream) {
    let source = source();
    let mut tokens = tracked(&source);
    let Source::Dir { dir, shown } = source else {
        return (None, tokens);
    };
    tokens.extend(track_files(&dir, name));
    let Some(flows) = load(cx, &dir, &shown, name_span) else {
        return (None, tokens);
    };
    let declared: Vec<DeclaredField> = data.iter().map(|(d, _)| d.clone()).collect();
    match kaleyra_core::flows::check::check_send(
        &flows,
        name,
        draft,
        screen.map(|(s, _)| s),
        &declared,
    ) {
        Ok(id) => (Some(id), tokens),
        Err(mismatches) => {
            report(cx, &mismatches, &|part| match part {
                FlowPart::Screen => screen.map_or(name_span, |(_, s)| s),
                FlowPart::Field(key) => data
                    .iter()
                    .find(|(d, _)| &d.key == key)
                    .map_or(name_span, |(_, s)| *s),
                _ => name_span,
            });
            (None, tokens)
        }
    }
}

/// A `#[derive(FlowResponse)]` with `flow = …`: checks the fields against what the flow's
/// `complete` actions send; returns the tracking tokens.
pub fn check_response(
    cx: &Ctxt,
    name: &str,
    name_span: Span,
    fields: &[(DeclaredField, Span)],
) -> TokenStream {
    let source = source();
    let mut tokens = tracked(&source);
    let Source::Dir { dir, shown } = source else {
        return tokens;
    };
    tokens.extend(track_files(&dir, name));
    let Some(flows) = load(cx, &dir, &shown, name_span) else {
        return tokens;
    };
    let declared: Vec<DeclaredField> = fields.iter().map(|(d, _)| d.clone()).collect();
    let mismatches = kaleyra_core::flows::check::check_response(&flows, name, &declared);
    report(cx, &mismatches, &|part| match part {
        FlowPart::Field(key) => fields
            .iter()
            .find(|(d, _)| &d.key == key)
            .map_or(name_span, |(_, s)| *s),
        _ => name_span,
    });
    tokens
}
