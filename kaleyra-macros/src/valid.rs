//! Checks a parsed derive against the rules of `kaleyra_core::rules` (the same code the runtime
//! runs) and turns it into a plan for codegen. Every error is reported on its own token.

use std::collections::HashMap;

use proc_macro2::Span;

use kaleyra_core::rules::{self, Violation};
use kaleyra_core::{FlowAction, FlowMode};

use crate::ast::Input;
use crate::attr::{FlowAttrs, FlowRole, Kind, Role, Str, TemplateAttrs, TemplateRole};
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
    }
}

fn role_list(kind: Kind) -> String {
    roles_of(kind)
        .iter()
        .map(|r| format!("#[template({})]", r.name()))
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

pub fn check_template(
    cx: &Ctxt,
    input: &Input,
    attrs: &TemplateAttrs,
    roles: &[Option<Role<TemplateRole>>],
) -> Option<TemplatePlan> {
    let at = whole(attrs.attr, input);
    if attrs.attr.is_none() {
        cx.error_at(
            at,
            format!(
                "missing `#[template(name = \"…\", kind = otp|flow|product, lang = \"…\")]` on \
                 `{}`: it says which approved template this struct sends",
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
    if attrs.kind.is_none() {
        missing(
            "kind",
            "the template's kind: `kind = otp`, `kind = flow` or `kind = product`",
        );
    }
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
            Some(r) => by_role.entry(r.role).or_default().push((i, r.span)),
            None if field.is_phantom() => {}
            None => {
                let roles = match attrs.kind.as_ref().map(|k| roles_of(k.value)) {
                    Some([one]) => format!("mark it #[template({})]", one.name()),
                    Some(_) => format!(
                        "mark it with one of {}",
                        role_list(attrs.kind.as_ref().map_or(Kind::Flow, |k| k.value))
                    ),
                    None => "give it a role".to_owned(),
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
    let kind = attrs.kind.as_ref()?;
    for (role, found) in &by_role {
        if *role == TemplateRole::Skip || roles_of(kind.value).contains(role) {
            continue;
        }
        let message = match (kind.value, role) {
            (Kind::Otp, TemplateRole::Body) => "an authentication template's body is fixed by \
                 WhatsApp (\"<code> is your verification code\"): it takes no body parameters; \
                 the OTP goes in the #[template(otp)] field"
                .to_owned(),
            (_, TemplateRole::Otp) => format!(
                "#[template(otp)] belongs to `kind = otp`; a `kind = {}` template takes {}",
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
