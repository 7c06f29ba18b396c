//! Checks a parsed derive against the rules of `kaleyra_core::rules` (the same code the runtime
//! runs) and turns it into a plan for codegen. Every error is reported on its own token.

use std::collections::HashMap;

use proc_macro2::Span;
use syn::{Expr, Lit, Type};

use kaleyra_core::rules::{self, Violation};
use kaleyra_core::{ButtonKind, FlowAction, FlowMode};

use crate::ast::Input;
use crate::attr::{
    ButtonArgs, CardField, CardRole, FlowAttrs, FlowRole, Kind, Role, Spanned, Str, TemplateAttrs,
    TemplateField, TemplateRole,
};
use crate::ctxt::Ctxt;

/// What to generate for a `#[derive(Template)]`.
pub struct TemplatePlan {
    pub kind: Kind,
    pub name: String,
    pub lang: &'static str,
    pub button_index: u8,
    pub catalog_literal: Option<String>,
    pub otp: Option<usize>,
    pub body: Vec<usize>,
    pub flow_token: Option<usize>,
    pub flow_action_data: Option<usize>,
    pub product_retailer_id: Option<usize>,
    pub catalog_id: Option<usize>,
    /// General templates: the header, the body parameters, the buttons in index order, the
    /// limited-time offer and the carousel.
    pub header: Option<Parameter>,
    pub params: Vec<Parameter>,
    pub buttons: Vec<PlannedButton>,
    pub limited_time_offer: Option<usize>,
    pub carousel: Option<usize>,
}

/// What to generate for a `#[derive(Card)]`.
pub struct CardPlan {
    pub header: usize,
    pub params: Vec<usize>,
    pub buttons: Vec<PlannedButton>,
}

/// A text of a flow message: absent, fixed, or a field.
#[derive(Clone, PartialEq, Eq)]
pub enum TextSource {
    None,
    Literal(String),
    Field(usize),
}

pub enum FlowTarget {
    Id(String),
    Name(String),
}

/// What to generate for a `#[derive(Flow)]`.
pub struct FlowPlan {
    pub header: TextSource,
    pub body: TextSource,
    pub footer: TextSource,
    pub flow: FlowTarget,
    pub cta: String,
    pub mode: Option<FlowMode>,
    pub action: FlowAction,
    pub screen: Option<String>,
    pub token: Option<usize>,
    /// `(key, field index)` of each data member, in field order.
    pub data: Vec<(String, usize)>,
}

/// Where to report a problem with the attribute as a whole: the attribute, or the struct name.
fn whole(attr: Option<Span>, input: &Input) -> Span {
    attr.unwrap_or_else(|| input.ident.span())
}

fn check_str(cx: &Ctxt, s: &Str, what: &str, rule: fn(&str) -> Result<(), Violation>) -> bool {
    match rule(&s.value) {
        Ok(()) => true,
        Err(v) => {
            cx.error_at(s.span, format!("{what} {v}"));
            false
        }
    }
}

fn template_name(cx: &Ctxt, name: &Str) {
    if let Err(v) = rules::check_template_name(&name.value) {
        // A name that only breaks the character rule usually has a valid spelling nearby.
        let fixed: String = name
            .value
            .chars()
            .map(|c| match c {
                '-' | ' ' | '.' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        let hint = match v {
            Violation::BadChar { .. } if rules::check_template_name(&fixed).is_ok() => {
                format!(", did you mean `{fixed}`?")
            }
            _ => String::new(),
        };
        cx.error_at(name.span, format!("template name {v}{hint}"));
    }
}

fn language(cx: &Ctxt, lang: &Str) -> Option<&'static str> {
    match rules::language(&lang.value) {
        Ok(code) => Some(code),
        Err(Violation::Unknown {
            suggestion: Some(s),
            ..
        }) => {
            cx.error_at(
                lang.span,
                format!("unknown language `{}`, did you mean `{s}`?", lang.value),
            );
            None
        }
        Err(_) => {
            cx.error_at(
                lang.span,
                format!(
                    "unknown language `{}`: WhatsApp's template languages are codes like \
                     `en_US`, `pt_BR`, `hi` (case-sensitive, with an underscore)",
                    lang.value
                ),
            );
            None
        }
    }
}

/// Which roles a kind takes, for messages.
fn roles_of(kind: Kind) -> &'static [TemplateRole] {
    match kind {
        Kind::Otp => &[TemplateRole::Otp],
        Kind::Flow => &[
            TemplateRole::Body,
            TemplateRole::FlowToken,
            TemplateRole::FlowActionData,
        ],
        Kind::Product => &[
            TemplateRole::ProductRetailerId,
            TemplateRole::CatalogId,
            TemplateRole::Body,
        ],
        Kind::Standard => &[
            TemplateRole::Header,
            TemplateRole::Body,
            TemplateRole::Button,
            TemplateRole::LimitedTimeOffer,
            TemplateRole::Carousel,
        ],
    }
}

/// A role as the user writes it.
fn role_syntax(role: TemplateRole) -> String {
    match role {
        TemplateRole::Button => "#[template(button(…, index = N))]".to_owned(),
        r => format!("#[template({})]", r.name()),
    }
}

fn role_list(kind: Kind) -> String {
    roles_of(kind)
        .iter()
        .map(|r| role_syntax(*r))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reports every field after the first with the same single-use role.
fn at_most_one(cx: &Ctxt, found: &[(usize, Span)], message: &str) -> Option<usize> {
    for (_, span) in found.iter().skip(1) {
        cx.error_at(*span, message);
    }
    found.first().map(|(i, _)| *i)
}

/// Runs a rule over a growing list, one item at a time, so that every offending item is
/// reported (the rules stop at the first problem): an item that breaks the rule is reported
/// and left out of the list the next ones are checked against.
fn each_violation<T: Clone>(
    items: &[T],
    rule: impl Fn(&[T]) -> Result<(), (usize, Violation)>,
    mut report: impl FnMut(usize, Violation),
) {
    let mut accepted: Vec<T> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        accepted.push(item.clone());
        if let Err((_, v)) = rule(&accepted) {
            report(i, v);
            accepted.pop();
        }
    }
}

/// A violation as a sentence about `subject` (an `Invalid` one says its reason alone).
fn sentence(subject: &str, v: &Violation) -> String {
    match v {
        Violation::Invalid { reason } => (*reason).to_owned(),
        v => format!("{subject} {v}"),
    }
}

/// A body (or header) parameter: its field and, if named, its name.
pub struct Parameter {
    pub field: usize,
    pub name: Option<String>,
    /// The name's string literal, where a mistake in the name is reported.
    pub name_span: Option<proc_macro2::Span>,
}

/// A button: its field, sub-type and index.
#[derive(Clone, Copy)]
pub struct PlannedButton {
    pub field: usize,
    pub kind: ButtonKind,
    pub index: u8,
}

/// `rules::check_buttons` (a template's) or `rules::check_card_buttons` (a card's).
type ButtonsRule = fn(&[(ButtonKind, i128)]) -> Result<(), (usize, Violation)>;

/// Checks the buttons of a template or a card with `rules::check_buttons` (every problem on
/// its token) and returns them in index order. `fields` holds each button field's index and
/// arguments; missing arguments are reported here.
fn check_buttons(
    cx: &Ctxt,
    fields: &[(usize, &ButtonArgs)],
    rule: ButtonsRule,
    whose: &str,
) -> Vec<PlannedButton> {
    let listed = ButtonKind::ALL
        .iter()
        .map(|k| format!("`{}`", k.sub_type()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut complete: Vec<(usize, &ButtonArgs, ButtonKind, i128)> = Vec::new();
    for (field, args) in fields {
        match (&args.kind, &args.index) {
            (Some(kind), Some(index)) => complete.push((*field, args, kind.value, index.value)),
            _ if args.broken => {}
            (None, _) => cx.error_at(
                args.span,
                format!(
                    "this button needs its sub-type, one of {listed}: `button(url, index = 0)`"
                ),
            ),
            (Some(kind), None) => cx.error_at(
                args.span,
                format!(
                    "this button needs its index, its position (0-{}) in the approved template: \
                     `button({}, index = 0)`",
                    rules::BUTTON_INDEX_MAX,
                    kind.value.sub_type()
                ),
            ),
        }
    }
    let given: Vec<(ButtonKind, i128)> = complete.iter().map(|(_, _, k, i)| (*k, *i)).collect();
    let mut planned = Vec::new();
    let mut bad = vec![false; complete.len()];
    each_violation(&given, rule, |i, v| {
        bad[i] = true;
        let (_, args, _, _) = complete[i];
        let index_span = args.index.as_ref().map_or(args.span, |s| s.span);
        let kind_span = args.kind.as_ref().map_or(args.span, |s| s.span);
        match &v {
            Violation::OutOfRange { max, .. } => cx.error_at(
                index_span,
                format!(
                    "button index {v} (a {whose} has at most {} buttons)",
                    max + 1
                ),
            ),
            Violation::Duplicate { .. } => cx.error_at(
                index_span,
                format!(
                    "{}: each button's index is its own position in the approved template",
                    sentence(&format!("this {whose}"), &v)
                ),
            ),
            Violation::Invalid { .. } => cx.error_at(kind_span, sentence("", &v)),
            _ => cx.error_at(args.span, sentence(&format!("this {whose}"), &v)),
        }
    });
    for ((field, _, kind, index), bad) in complete.iter().zip(bad) {
        if let (false, Ok(index)) = (bad, u8::try_from(*index)) {
            planned.push(PlannedButton {
                field: *field,
                kind: *kind,
                index,
            });
        }
    }
    planned.sort_by_key(|b| b.index);
    planned
}

/// A parameter name's nearest valid spelling, if it only breaks the character rule.
fn parameter_name_hint(name: &str) -> String {
    let fixed: String = name
        .chars()
        .map(|c| match c {
            '-' | ' ' | '.' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    if fixed != name && rules::check_parameter_name(&fixed).is_ok() {
        format!(", did you mean `{fixed}`?")
    } else {
        String::new()
    }
}

pub fn check_template(
    cx: &Ctxt,
    input: &Input,
    attrs: &TemplateAttrs,
    roles: &[Option<TemplateField>],
) -> Option<TemplatePlan> {
    let at = whole(attrs.attr, input);
    if attrs.attr.is_none() {
        cx.error_at(
            at,
            format!(
                "missing `#[template(name = \"…\", lang = \"…\")]` on `{}`: it says which approved \
                 template this struct sends (with `kind = otp|flow|product` for those kinds)",
                input.ident
            ),
        );
        return None;
    }
    let missing = |key: &str, what: &str| {
        if !attrs.broken.iter().any(|k| k == key) {
            cx.error_at(at, format!("missing `{key}`: {what}"));
        }
    };
    match &attrs.name {
        Some(name) => template_name(cx, name),
        None => missing(
            "name",
            "the approved template's name, e.g. `name = \"auth1\"`",
        ),
    }
    let lang = match &attrs.lang {
        Some(lang) => language(cx, lang),
        None => {
            missing(
                "lang",
                "the approved template's language code, e.g. `lang = \"en_US\"`",
            );
            None
        }
    };
    // No `kind` is a general template; a `kind` that could not be read leaves the kind unknown.
    let kind_broken = attrs.kind.is_none() && attrs.broken.iter().any(|k| k == "kind");
    let kind = attrs.kind.as_ref().map_or(
        Spanned {
            value: Kind::Standard,
            span: at,
        },
        Clone::clone,
    );
    let button_index = match &attrs.button_index {
        Some(index) => match rules::check_button_index(index.value) {
            Ok(i) => i,
            Err(v) => {
                cx.error_at(
                    index.span,
                    format!(
                        "button index {v} (a template has at most {} buttons)",
                        rules::BUTTON_INDEX_MAX + 1
                    ),
                );
                0
            }
        },
        None => 0,
    };
    if let Some(catalog) = &attrs.catalog_id {
        check_str(cx, catalog, "catalog id", rules::check_non_empty);
    }

    // Fields: every one has a role, and the kind takes it.
    let mut by_role: HashMap<TemplateRole, Vec<(usize, Span)>> = HashMap::new();
    for (i, (field, role)) in input.fields.iter().zip(roles).enumerate() {
        match role {
            // A guessed role (after an unknown one, already reported) is not checked further.
            Some(r) if r.guessed && !roles_of(kind.value).contains(&r.role.role) => {}
            Some(r) => by_role
                .entry(r.role.role)
                .or_default()
                .push((i, r.role.span)),
            None if field.is_phantom() => {}
            None => {
                let roles = match (kind_broken, roles_of(kind.value)) {
                    (true, _) => "give it a role".to_owned(),
                    (false, [one]) => format!("mark it {}", role_syntax(*one)),
                    (false, _) => format!("mark it with one of {}", role_list(kind.value)),
                };
                cx.error_at(
                    field.span(),
                    format!(
                        "field `{}` has no role: {roles} (or #[template(skip)] if it is not sent)",
                        field.name()
                    ),
                );
            }
        }
    }
    if kind_broken {
        return None;
    }
    let general = if attrs.kind.is_some() {
        "a general template (`kind = standard`)"
    } else {
        "a general template (no `kind`)"
    };
    for (role, found) in &by_role {
        if *role == TemplateRole::Skip || roles_of(kind.value).contains(role) {
            continue;
        }
        let owner = match role {
            TemplateRole::Otp => Some(Kind::Otp),
            TemplateRole::FlowToken | TemplateRole::FlowActionData => Some(Kind::Flow),
            TemplateRole::ProductRetailerId | TemplateRole::CatalogId => Some(Kind::Product),
            _ => None,
        };
        let message = match (kind.value, role, owner) {
            (Kind::Otp, TemplateRole::Body, _) => "an authentication template's body is fixed by \
                 WhatsApp (\"<code> is your verification code\"): it takes no body parameters; \
                 the OTP goes in the #[template(otp)] field"
                .to_owned(),
            (Kind::Standard, _, Some(owner)) => {
                let fix = if attrs.kind.is_some() {
                    format!("write `kind = {}`", owner.name())
                } else {
                    format!("add `kind = {}` to #[template(...)]", owner.name())
                };
                let flow_button = if owner == Kind::Flow {
                    "; in a general template, a flow button is a \
                     #[template(button(flow, index = N))] field holding a `kaleyra::FlowButton`"
                } else {
                    ""
                };
                format!(
                    "{} belongs to `kind = {}`: {fix}; {general} takes {}{flow_button}",
                    role_syntax(*role),
                    owner.name(),
                    role_list(Kind::Standard)
                )
            }
            (_, TemplateRole::Otp, _) => format!(
                "#[template(otp)] belongs to `kind = otp`; a `kind = {}` template takes {}",
                kind.value.name(),
                role_list(kind.value)
            ),
            (_, _, None) => format!(
                "{} belongs to a general template (without `kind`); a `kind = {}` template \
                 takes {}",
                role_syntax(*role),
                kind.value.name(),
                role_list(kind.value)
            ),
            _ => format!(
                "#[template({})] does not apply to `kind = {}`, which takes {}",
                role.name(),
                kind.value.name(),
                role_list(kind.value)
            ),
        };
        for (_, span) in found {
            cx.error_at(*span, &message);
        }
    }
    // Kinds with positional body parameters (an authentication template has none: reported above).
    if kind.value != Kind::Standard && roles_of(kind.value).contains(&TemplateRole::Body) {
        for field in roles.iter().flatten() {
            if let (TemplateRole::Body, Some(name)) = (field.role.role, &field.name) {
                cx.error_at(
                    name.span,
                    format!(
                        "named parameters belong to general templates; a `kind = {}` \
                         template's body parameters are positional ({{{{1}}}}, {{{{2}}}}, … in \
                         field order): write #[template(body)]",
                        kind.value.name()
                    ),
                );
            }
        }
    }
    let get = |role| by_role.get(&role).map(Vec::as_slice).unwrap_or_default();

    let mut plan = TemplatePlan {
        kind: kind.value,
        name: attrs
            .name
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_default(),
        lang: lang.unwrap_or("en_US"),
        button_index,
        catalog_literal: None,
        otp: None,
        body: Vec::new(),
        flow_token: None,
        flow_action_data: None,
        product_retailer_id: None,
        catalog_id: None,
        header: None,
        params: Vec::new(),
        buttons: Vec::new(),
        limited_time_offer: None,
        carousel: None,
    };
    match kind.value {
        Kind::Otp => {
            plan.otp = at_most_one(
                cx,
                get(TemplateRole::Otp),
                "a second #[template(otp)] field: an authentication template has one code \
                 (it is sent twice, in the body and in the button, from one field)",
            );
            if plan.otp.is_none() {
                cx.error_at(
                    kind.span,
                    "`kind = otp` needs a field marked #[template(otp)]: the code WhatsApp shows \
                     in the message and copies with its button",
                );
            }
        }
        Kind::Flow => {
            plan.body = get(TemplateRole::Body).iter().map(|(i, _)| *i).collect();
            plan.flow_token = at_most_one(
                cx,
                get(TemplateRole::FlowToken),
                "a second #[template(flow_token)] field: a flow button has one flow token",
            );
            plan.flow_action_data = at_most_one(
                cx,
                get(TemplateRole::FlowActionData),
                "a second #[template(flow_action_data)] field: a flow button has one \
                 flow_action_data object",
            );
        }
        Kind::Product => {
            plan.body = get(TemplateRole::Body).iter().map(|(i, _)| *i).collect();
            plan.product_retailer_id = at_most_one(
                cx,
                get(TemplateRole::ProductRetailerId),
                "a second #[template(product_retailer_id)] field: a single-product template \
                 shows one product",
            );
            if plan.product_retailer_id.is_none() {
                cx.error_at(
                    kind.span,
                    "`kind = product` needs a field marked #[template(product_retailer_id)]: \
                     the product to show",
                );
            }
            plan.catalog_id = at_most_one(
                cx,
                get(TemplateRole::CatalogId),
                "a second #[template(catalog_id)] field: a single-product template has one \
                 catalog",
            );
            match (&attrs.catalog_id, plan.catalog_id) {
                (Some(literal), Some(_)) => cx.error_at(
                    literal.span,
                    "the catalog id is given twice: here and by a #[template(catalog_id)] \
                     field; keep one",
                ),
                (Some(literal), None) => plan.catalog_literal = Some(literal.value.clone()),
                (None, None) if !attrs.broken.iter().any(|k| k == "catalog_id") => cx.error_at(
                    kind.span,
                    "`kind = product` needs a catalog id: a field marked \
                     #[template(catalog_id)], or `catalog_id = \"…\"` here",
                ),
                (None, _) => {}
            }
            if let Some(index) = &attrs.button_index {
                cx.error_at(
                    index.span,
                    "a single-product template has no button to index: remove `button_index`",
                );
            }
        }
        Kind::Standard => check_standard(cx, input, attrs, roles, &by_role, &mut plan),
    }
    if let (Some(literal), true) = (&attrs.catalog_id, kind.value != Kind::Product) {
        cx.error_at(
            literal.span,
            format!(
                "`catalog_id` applies to `kind = product` only, not `kind = {}`",
                kind.value.name()
            ),
        );
    }
    Some(plan)
}

/// The components of a general template: one header, parameters all named or all positional,
/// buttons, at most one limited-time offer and one carousel.
fn check_standard(
    cx: &Ctxt,
    input: &Input,
    attrs: &TemplateAttrs,
    roles: &[Option<TemplateField>],
    by_role: &HashMap<TemplateRole, Vec<(usize, Span)>>,
    plan: &mut TemplatePlan,
) {
    let get = |role| by_role.get(&role).map(Vec::as_slice).unwrap_or_default();
    let field = |i: usize| roles[i].as_ref();
    if let Some(index) = &attrs.button_index {
        cx.error_at(
            index.span,
            "`button_index` is for `kind = otp` and `kind = flow`; in a general template each \
             button field gives its own index: #[template(button(url, index = 0))]",
        );
    }
    let header = at_most_one(
        cx,
        get(TemplateRole::Header),
        "a second #[template(header)] field: a template has one header",
    );
    plan.limited_time_offer = at_most_one(
        cx,
        get(TemplateRole::LimitedTimeOffer),
        "a second #[template(limited_time_offer)] field: a template has one limited-time offer",
    );
    plan.carousel = at_most_one(
        cx,
        get(TemplateRole::Carousel),
        "a second #[template(carousel)] field: a template has one carousel, whose cards are one \
         field (an array `[C; N]`, a `Vec<C>` or a slice `&[C]`)",
    );

    // Parameter names: a named header (text) and the body, all named or all positional.
    let name_of = |i: usize| field(i).and_then(|f| f.name.as_ref());
    let mut items: Vec<(usize, Option<&Str>, Span)> = Vec::new();
    if let Some(h) = header.filter(|h| name_of(*h).is_some()) {
        items.push((
            h,
            name_of(h),
            field(h).map_or(input.ident.span(), |f| f.role.span),
        ));
    }
    for (i, span) in get(TemplateRole::Body) {
        items.push((*i, name_of(*i), *span));
    }
    let names: Vec<Option<&str>> = items
        .iter()
        .map(|(_, n, _)| n.map(|n| n.value.as_str()))
        .collect();
    each_violation(&names, rules::check_parameter_names, |i, v| {
        let (_, name, role_span) = items[i];
        let span = name.map_or(role_span, |n| n.span);
        let message = match (&v, name) {
            (Violation::Invalid { .. }, _) => sentence("", &v),
            (Violation::Duplicate { .. }, _) => format!(
                "{}: each named parameter appears once",
                sentence("this template", &v)
            ),
            (_, Some(name)) => format!("parameter name {v}{}", parameter_name_hint(&name.value)),
            (_, None) => sentence("parameter name", &v),
        };
        cx.error_at(span, message);
    });
    plan.header = header.map(|i| Parameter {
        field: i,
        name: name_of(i).map(|n| n.value.clone()),
        name_span: name_of(i).map(|n| n.span),
    });
    plan.params = get(TemplateRole::Body)
        .iter()
        .map(|(i, _)| Parameter {
            field: *i,
            name: name_of(*i).map(|n| n.value.clone()),
            name_span: name_of(*i).map(|n| n.span),
        })
        .collect();

    let buttons: Vec<(usize, &ButtonArgs)> = get(TemplateRole::Button)
        .iter()
        .filter_map(|(i, _)| field(*i).and_then(|f| f.button.as_ref()).map(|b| (*i, b)))
        .collect();
    plan.buttons = check_buttons(cx, &buttons, rules::check_buttons, "template");

    if let Some(carousel) = plan.carousel {
        // Meta: a carousel template's header and buttons are its cards'.
        if let Err(Violation::Invalid { reason }) = rules::check_carousel_template(true, false, 0) {
            for (_, span) in get(TemplateRole::Header) {
                cx.error_at(
                    *span,
                    format!("{reason}; move this to the card struct's #[card(header)]"),
                );
            }
        }
        if let Err(Violation::Invalid { reason }) = rules::check_carousel_template(false, false, 1)
        {
            for (_, span) in get(TemplateRole::Button) {
                cx.error_at(
                    *span,
                    format!("{reason}; move this to the card struct's #[card(button(…))]"),
                );
            }
        }
        if let Err(Violation::Invalid { reason }) = rules::check_carousel_template(false, true, 0) {
            for (_, span) in get(TemplateRole::LimitedTimeOffer) {
                cx.error_at(*span, reason);
            }
        }
        if let Type::Array(array) = input.fields[carousel].ty {
            check_card_array(cx, array);
        }
    }
}

/// `[C; N]` with a literal `N`: 1-10 cards (another length expression is checked when sent).
fn check_card_array(cx: &Ctxt, array: &syn::TypeArray) {
    if let Expr::Lit(syn::ExprLit {
        lit: Lit::Int(lit), ..
    }) = &array.len
        && let Ok(n) = lit.base10_parse::<usize>()
        && let Err(v) = rules::check_card_count(n)
    {
        cx.error_at(
            lit.span(),
            format!("a carousel {v} (Meta: up to {} cards)", rules::CARDS_MAX),
        );
    }
}

pub fn check_card(cx: &Ctxt, input: &Input, roles: &[Option<CardField>]) -> Option<CardPlan> {
    let mut headers = Vec::new();
    let mut params = Vec::new();
    let mut buttons = Vec::new();
    for (i, (field, role)) in input.fields.iter().zip(roles).enumerate() {
        match role {
            Some(f) => match f.role.role {
                CardRole::Header => headers.push((i, f.role.span)),
                CardRole::Body => params.push(i),
                CardRole::Button => {
                    if let Some(args) = &f.button {
                        buttons.push((i, args));
                    }
                }
                CardRole::Skip => {}
            },
            None if field.is_phantom() => {}
            None => cx.error_at(
                field.span(),
                format!(
                    "field `{}` has no role: mark it #[card(header)], #[card(body)] or \
                     #[card(button(quick_reply | url, index = N))] (or #[card(skip)] if it is \
                     not sent)",
                    field.name()
                ),
            ),
        }
    }
    let header = at_most_one(
        cx,
        &headers,
        "a second #[card(header)] field: a card has one header",
    );
    if rules::check_card_has_header(header.is_some()).is_err() {
        cx.error_at(
            input.ident.span(),
            format!(
                "`{}` needs a field marked #[card(header)]: every carousel card has an image or \
                 video header (`kaleyra::Media`)",
                input.ident
            ),
        );
    }
    let mut card_buttons = Vec::new();
    for (i, args) in buttons {
        match &args.kind {
            Some(kind) if rules::check_card_button(kind.value).is_err() => {
                cx.error_at(
                    kind.span,
                    format!(
                        "a carousel card's buttons are `quick_reply` or `url`, not `{}` \
                         (Meta: card buttons are quick replies, URLs and phone numbers)",
                        kind.value.sub_type()
                    ),
                );
            }
            _ => card_buttons.push((i, args)),
        }
    }
    let buttons = check_buttons(cx, &card_buttons, rules::check_card_buttons, "card");
    Some(CardPlan {
        header: header?,
        params,
        buttons,
    })
}

pub fn check_flow(
    cx: &Ctxt,
    input: &Input,
    attrs: &FlowAttrs,
    roles: &[Role<FlowRole>],
) -> Option<FlowPlan> {
    let at = whole(attrs.attr, input);
    if attrs.attr.is_none() {
        cx.error_at(
            at,
            format!(
                "missing `#[flow(id = \"…\", cta = \"…\", body = \"…\")]` on `{}`: it says which \
                 flow the message opens and what it shows",
                input.ident
            ),
        );
        return None;
    }
    let missing = |key: &str, what: &str| {
        if !attrs.broken.iter().any(|k| k == key) {
            cx.error_at(at, format!("missing `{key}`: {what}"));
        }
    };

    let flow = match (&attrs.id, &attrs.name) {
        (Some(_), Some(name)) => {
            cx.error_at(
                name.span,
                "give the flow's `id` or its `name`, not both (WhatsApp takes exactly one of \
                 flow_id and flow_name)",
            );
            None
        }
        (Some(id), None) => {
            check_str(cx, id, "flow id", rules::check_digits);
            Some(FlowTarget::Id(id.value.clone()))
        }
        (None, Some(name)) => {
            check_str(cx, name, "flow name", rules::check_non_empty);
            Some(FlowTarget::Name(name.value.clone()))
        }
        (None, None) => {
            if !attrs.broken.iter().any(|k| k == "id" || k == "name") {
                cx.error_at(
                    at,
                    "missing the flow: `id = \"…\"` (its numeric id) or `name = \"…\"`",
                );
            }
            None
        }
    };
    match &attrs.cta {
        Some(cta) => {
            check_str(cx, cta, "flow CTA", rules::check_flow_cta);
        }
        None => missing(
            "cta",
            "the label of the button that opens the flow, e.g. `cta = \"Book now\"`",
        ),
    }
    if let Some(screen) = &attrs.screen {
        check_str(cx, screen, "screen", rules::check_non_empty);
    }

    // Field roles.
    let mut token = Vec::new();
    let mut header = Vec::new();
    let mut body = Vec::new();
    let mut footer = Vec::new();
    let mut data: Vec<(String, usize)> = Vec::new();
    let mut data_spans: Vec<Span> = Vec::new();
    for (i, (field, role)) in input.fields.iter().zip(roles).enumerate() {
        match &role.role {
            FlowRole::Token => token.push((i, role.span)),
            FlowRole::Header => header.push((i, role.span)),
            FlowRole::Body => body.push((i, role.span)),
            FlowRole::Footer => footer.push((i, role.span)),
            FlowRole::Skip => {}
            FlowRole::Data(_) if field.is_phantom() => {}
            FlowRole::Data(key) => {
                if data.iter().any(|(k, _)| k == key) {
                    cx.error_at(
                        role.span,
                        format!("the data member `{key}` is given twice; rename one"),
                    );
                } else {
                    data.push((key.clone(), i));
                    data_spans.push(role.span);
                }
            }
        }
    }
    let token = at_most_one(
        cx,
        &token,
        "a second #[flow(token)] field: a flow message has one flow token",
    );
    let text = |literal: &Option<Str>,
                fields: &[(usize, Span)],
                key: &str,
                rule: fn(&str) -> Result<(), Violation>|
     -> TextSource {
        let field = at_most_one(
            cx,
            fields,
            &format!("a second #[flow({key})] field: a flow message has one {key}"),
        );
        match (literal, field) {
            (Some(_), Some(_)) => {
                for (_, span) in fields {
                    cx.error_at(
                        *span,
                        format!(
                            "the {key} is given twice: as `{key} = \"…\"` on the struct and by \
                             this field; keep one"
                        ),
                    );
                }
                TextSource::None
            }
            (Some(lit), None) => {
                check_str(cx, lit, &format!("{key} text"), rule);
                TextSource::Literal(lit.value.clone())
            }
            (None, Some(i)) => TextSource::Field(i),
            (None, None) => TextSource::None,
        }
    };
    let header = text(&attrs.header, &header, "header", rules::check_header_text);
    let body_text = text(&attrs.body, &body, "body", rules::check_flow_body);
    let footer = text(&attrs.footer, &footer, "footer", rules::check_flow_footer);
    if body_text == TextSource::None && attrs.body.is_none() && body.is_empty() {
        missing(
            "body",
            "WhatsApp requires a flow message's body text: `body = \"…\"`, or a field marked \
             #[flow(body)]",
        );
    }

    let action = attrs
        .action
        .as_ref()
        .map_or(FlowAction::Navigate, |a| a.value);
    if let Err(v) = rules::check_flow_payload(action, attrs.screen.is_some(), !data.is_empty()) {
        let reason = match &v {
            Violation::Invalid { reason } => *reason,
            _ => "",
        };
        let span = match (action, &attrs.screen) {
            (FlowAction::DataExchange, Some(screen)) => screen.span,
            _ => data_spans.first().copied().unwrap_or(at),
        };
        if action == FlowAction::Navigate {
            // Data without a screen: point at the data and say where the screen goes.
            cx.error_at(
                span,
                format!(
                    "{reason}; add `screen = \"…\"` to #[flow(...)] or #[flow(skip)] this field"
                ),
            );
        } else {
            cx.error_at(span, reason);
        }
    }

    Some(FlowPlan {
        header,
        body: body_text,
        footer,
        flow: flow?,
        cta: attrs
            .cta
            .as_ref()
            .map(|c| c.value.clone())
            .unwrap_or_default(),
        mode: attrs.mode.as_ref().map(|m| m.value),
        action,
        screen: attrs.screen.as_ref().map(|s| s.value.clone()),
        token,
        data,
    })
}

// ------------------------------------------------------------------ #[derive(FlowResponse)]

/// How one field of a `#[derive(FlowResponse)]` struct is filled.
pub enum ResponseSource {
    /// Read from the member `key`; `required` unless the field is an `Option`.
    Member { key: String, required: bool },
    /// Not read: `Default::default()`.
    Skip,
}

/// What to generate for a `#[derive(FlowResponse)]`.
pub struct FlowResponsePlan {
    /// Each field's source, in field order.
    pub fields: Vec<ResponseSource>,
    /// The field holding `flow_token`.
    pub token: Option<usize>,
}

/// The member a flow response's token is read from (Meta's flow response webhook).
pub const FLOW_TOKEN_KEY: &str = "flow_token";

/// Whether `ty` is written `Option<…>` (then the member may be missing), as serde decides.
pub fn is_option(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last().is_some_and(|s| {
            s.ident == "Option"
                && matches!(&s.arguments, syn::PathArguments::AngleBracketed(a) if a.args.len() == 1)
        }),
        syn::Type::Group(g) => is_option(&g.elem),
        syn::Type::Paren(p) => is_option(&p.elem),
        _ => false,
    }
}

pub fn check_flow_response(
    cx: &Ctxt,
    input: &Input,
    attrs: &[crate::attr::FlowResponseFieldAttrs],
) -> Option<FlowResponsePlan> {
    for lifetime in input.generics.lifetimes() {
        cx.error_at(
            lifetime.lifetime.span(),
            format!(
                "a flow response owns its data (it is read from `response_json`, which does not \
                 outlive the callback): remove `{}` and use owned types (`String`, not `&str`)",
                lifetime.lifetime
            ),
        );
    }
    let mut fields = Vec::with_capacity(input.fields.len());
    let mut tokens: Vec<(usize, Span)> = Vec::new();
    // Which field reads each member, to report a member read twice.
    let mut keys: HashMap<String, String> = HashMap::new();
    for (i, (field, attr)) in input.fields.iter().zip(attrs).enumerate() {
        if let (Some(skip), Some(token)) = (attr.skip, attr.token) {
            cx.error_at(
                skip.join(token).unwrap_or(skip),
                "a field is either the flow token or skipped, not both",
            );
        }
        if let Some(rename) = &attr.rename {
            if attr.token.is_some() {
                cx.error_at(
                    rename.span,
                    format!(
                        "the token field is always read from `{FLOW_TOKEN_KEY}`: remove \
                         `rename`"
                    ),
                );
            } else if attr.skip.is_some() {
                cx.error_at(rename.span, "a skipped field is not read: remove `rename`");
            } else if rename.value.is_empty() {
                cx.error_at(rename.span, "a member's key must not be empty");
            }
        }
        if attr.skip.is_some() || (field.is_phantom() && attr.token.is_none()) {
            fields.push(ResponseSource::Skip);
            continue;
        }
        let (key, span) = match (attr.token, &attr.rename) {
            (Some(span), _) => {
                tokens.push((i, span));
                if tokens.len() > 1 {
                    // A second token field: reported once, below.
                    fields.push(ResponseSource::Skip);
                    continue;
                }
                (FLOW_TOKEN_KEY.to_owned(), span)
            }
            (None, Some(rename)) => (rename.value.clone(), rename.span),
            (None, None) => (field.name(), field.span()),
        };
        if let Some(other) = keys.get(&key) {
            cx.error_at(
                span,
                format!(
                    "the member `{key}` is already read by field `{other}`; rename one \
                     (`#[flow_response(rename = \"…\")]`)"
                ),
            );
        } else {
            keys.insert(key.clone(), field.name());
        }
        fields.push(ResponseSource::Member {
            key,
            required: !is_option(field.ty),
        });
    }
    let token = at_most_one(
        cx,
        &tokens,
        "a second #[flow_response(token)] field: a flow reply carries one flow_token",
    );
    Some(FlowResponsePlan { fields, token })
}

// ------------------------------------------------------------------------ Buttons and Menu

/// One choice of a `#[derive(Buttons)]` or `#[derive(Menu)]` enum.
pub struct PlannedChoice {
    pub variant: syn::Ident,
    pub id: String,
    pub title: String,
    pub description: Option<String>,
}

/// What to generate for a `#[derive(Buttons)]`: the buttons in declaration order.
pub struct ButtonsPlan {
    pub buttons: Vec<PlannedChoice>,
}

/// What to generate for a `#[derive(Menu)]`: the button label and the sections, each with its
/// rows in declaration order.
pub struct MenuPlan {
    pub button: String,
    /// Every variant and its id, in declaration order (`Choice::IDS`).
    pub order: Vec<(syn::Ident, String)>,
    pub sections: Vec<(Option<String>, Vec<PlannedChoice>)>,
}

/// Reports every value that repeats an earlier one (`rules::check_unique`) on its own token.
fn unique(cx: &Ctxt, what: &'static str, values: &[(String, Span)], hint: &str) {
    for i in 0..values.len() {
        if let Err((at, v)) =
            rules::check_unique(what, values[..=i].iter().map(|(s, _)| s.as_str()))
            && at == i
        {
            cx.error_at(values[i].1, format!("the enum {v}; {hint}"));
        }
    }
}

/// A choice's id: `id = "…"` or the variant's name; checked with `rule`.
fn choice_id(
    cx: &Ctxt,
    variant: &syn::Variant,
    id: Option<&Str>,
    what: &str,
    rule: fn(&str) -> Result<(), Violation>,
) -> (String, Span) {
    match id {
        Some(id) => {
            check_str(cx, id, what, rule);
            (id.value.clone(), id.span)
        }
        None => {
            let name = syn::ext::IdentExt::unraw(&variant.ident).to_string();
            if let Err(v) = rule(&name) {
                cx.error_at(
                    variant.ident.span(),
                    format!("{what} (the variant's name) {v}: give `id = \"…\"`"),
                );
            }
            (name, variant.ident.span())
        }
    }
}

/// A choice's title, required.
fn choice_title(
    cx: &Ctxt,
    variant: &syn::Variant,
    title: Option<&Str>,
    broken: &[String],
    attr: &str,
    what: &str,
    rule: fn(&str) -> Result<(), Violation>,
) -> Option<(String, Span)> {
    match title {
        Some(title) => {
            check_str(cx, title, what, rule);
            Some((title.value.clone(), title.span))
        }
        None => {
            if !broken.iter().any(|k| k == "title") {
                cx.error_at(
                    variant.ident.span(),
                    format!(
                        "`{}` needs a title, what the customer sees: `#[{attr}(title = \"…\")]`",
                        variant.ident
                    ),
                );
            }
            None
        }
    }
}

/// Checks a `#[derive(Buttons)]` enum with the reply-button rules of kaleyra-core's `rules` module.
pub fn check_buttons_enum(
    cx: &Ctxt,
    input: &crate::ast::EnumInput,
    variants: &[crate::attr::ButtonVariant],
) -> Option<ButtonsPlan> {
    if let Err(v) = rules::check_reply_button_count(input.variants.len()) {
        let span = input
            .variants
            .get(rules::REPLY_BUTTONS_MAX)
            .map_or(input.ident.span(), |v| v.ident.span());
        let hint = if input.variants.is_empty() {
            "declare one variant per button".to_owned()
        } else {
            format!(
                "WhatsApp shows at most {} reply buttons (for up to {} choices, use \
                 #[derive(Menu)])",
                rules::REPLY_BUTTONS_MAX,
                rules::LIST_ROWS_MAX
            )
        };
        cx.error_at(span, format!("#[derive(Buttons)] {v}: {hint}"));
    }
    let mut buttons = Vec::with_capacity(variants.len());
    let (mut ids, mut titles) = (Vec::new(), Vec::new());
    for (variant, attrs) in input.variants.iter().zip(variants) {
        let title = choice_title(
            cx,
            variant,
            attrs.title.as_ref(),
            &attrs.broken,
            "button",
            "button title",
            rules::check_reply_button_title,
        );
        let id = choice_id(
            cx,
            variant,
            attrs.id.as_ref(),
            "button id",
            rules::check_reply_button_id,
        );
        ids.push(id.clone());
        if let Some(title) = title {
            titles.push(title.clone());
            buttons.push(PlannedChoice {
                variant: variant.ident.clone(),
                id: id.0,
                title: title.0,
                description: None,
            });
        }
    }
    unique(
        cx,
        "button title",
        &titles,
        "titles must differ, so that the customer can tell the buttons apart",
    );
    unique(
        cx,
        "button id",
        &ids,
        "ids must differ, so that a tap says which button it was (`id` defaults to the \
         variant's name)",
    );
    Some(ButtonsPlan { buttons })
}

/// Checks a `#[derive(Menu)]` enum with the list rules of kaleyra-core's `rules` module.
pub fn check_menu_enum(
    cx: &Ctxt,
    input: &crate::ast::EnumInput,
    attrs: &crate::attr::ChoiceAttrs,
    variants: &[crate::attr::MenuVariant],
) -> Option<MenuPlan> {
    let button = match &attrs.button {
        Some(button) => {
            check_str(
                cx,
                button,
                "the list button label",
                rules::check_list_button,
            );
            button.value.clone()
        }
        None => {
            if !attrs.broken.iter().any(|k| k == "button") {
                cx.error_at(
                    input.ident.span(),
                    "#[derive(Menu)] needs the label of the button that opens the list: \
                     `#[menu(button = \"Pick a slot\")]` on the enum",
                );
            }
            String::new()
        }
    };
    if let Err(v) = rules::check_list_row_count(input.variants.len()) {
        let span = input
            .variants
            .get(rules::LIST_ROWS_MAX)
            .map_or(input.ident.span(), |v| v.ident.span());
        let hint = if input.variants.is_empty() {
            "declare one variant per row".to_owned()
        } else {
            format!(
                "each variant is a row, and WhatsApp shows at most {} rows in a list",
                rules::LIST_ROWS_MAX
            )
        };
        cx.error_at(span, format!("#[derive(Menu)] {v}: {hint}"));
    }
    let named = variants.iter().filter(|v| v.section.is_some()).count();
    let mut sections: Vec<(Option<String>, Span, Vec<PlannedChoice>)> = Vec::new();
    let (mut ids, mut order) = (Vec::new(), Vec::new());
    for (variant, attrs) in input.variants.iter().zip(variants) {
        let title = choice_title(
            cx,
            variant,
            attrs.title.as_ref(),
            &attrs.broken,
            "menu",
            "row title",
            rules::check_row_title,
        );
        if let Some(description) = &attrs.description {
            check_str(
                cx,
                description,
                "row description",
                rules::check_row_description,
            );
        }
        let id = choice_id(
            cx,
            variant,
            attrs.id.as_ref(),
            "row id",
            rules::check_row_id,
        );
        ids.push(id.clone());
        order.push((variant.ident.clone(), id.0.clone()));
        let section = match &attrs.section {
            Some(section) => {
                check_str(cx, section, "section title", rules::check_section_title);
                Some(section)
            }
            None => {
                if named > 0
                    && !attrs.broken.iter().any(|k| k == "section")
                    && let Err(v) = rules::check_untitled_section(2)
                {
                    cx.error_at(
                        variant.ident.span(),
                        format!(
                            "`{}` names no `section` while other variants do: {}; give it \
                             `section = \"…\"`",
                            variant.ident,
                            sentence("", &v)
                        ),
                    );
                }
                None
            }
        };
        let key = section.map(|s| s.value.clone());
        let index = match sections.iter().position(|(t, _, _)| *t == key) {
            Some(index) => index,
            None => {
                let span = section.map_or(variant.ident.span(), |s| s.span);
                sections.push((key, span, Vec::new()));
                sections.len() - 1
            }
        };
        if let Some(title) = title {
            sections[index].2.push(PlannedChoice {
                variant: variant.ident.clone(),
                id: id.0,
                title: title.0,
                description: attrs.description.as_ref().map(|d| d.value.clone()),
            });
        }
    }
    if let Err(v) = rules::check_list_section_count(sections.len())
        && let Some((_, span, _)) = sections.get(rules::LIST_SECTIONS_MAX)
    {
        cx.error_at(*span, format!("#[derive(Menu)] {v}"));
    }
    unique(
        cx,
        "row id",
        &ids,
        "ids must differ, so that a choice says which row it was (`id` defaults to the \
         variant's name)",
    );
    Some(MenuPlan {
        button,
        order,
        sections: sections
            .into_iter()
            .map(|(title, _, rows)| (title, rows))
            .collect(),
    })
}
