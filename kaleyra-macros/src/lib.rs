//! Derive macros of the [`kaleyra`](https://docs.rs/kaleyra) crate. Use them through `kaleyra`:
//! `#[derive(kaleyra::Template)]`, `#[derive(kaleyra::Card)]`, `#[derive(kaleyra::Flow)]`,
//! `#[derive(kaleyra::FlowResponse)]`, `#[derive(kaleyra::Buttons)]`, `#[derive(kaleyra::Menu)]`
//! and `kaleyra::otp!`.
//!
//! Each derive parses its attributes into a typed model (`attr`, `ast`), checks it with the
//! rules of `kaleyra::rules` (`valid`), and generates the encoder (`expand`); on error it
//! emits every error on its token and the impls' skeleton (`fallback`).

mod ast;
mod attr;
mod catalogue;
mod ctxt;
mod expand;
mod fallback;
mod flows;
mod valid;

use proc_macro::TokenStream;
use quote::quote;
use syn::{DeriveInput, LitStr, Path, parse_macro_input, parse_quote};

use crate::ast::Input;
use crate::attr::Kind;
use crate::ctxt::Ctxt;

/// Declares an approved WhatsApp template. See the `kaleyra` crate's documentation.
#[proc_macro_derive(Template, attributes(template))]
pub fn derive_template(input: TokenStream) -> TokenStream {
    let node = parse_macro_input!(input as DeriveInput);
    template(&node).into()
}

/// Declares one card of a carousel template. See the `kaleyra` crate's documentation.
#[proc_macro_derive(Card, attributes(card))]
pub fn derive_card(input: TokenStream) -> TokenStream {
    let node = parse_macro_input!(input as DeriveInput);
    card(&node).into()
}

/// Declares an interactive flow message. See the `kaleyra` crate's documentation.
#[proc_macro_derive(Flow, attributes(flow))]
pub fn derive_flow(input: TokenStream) -> TokenStream {
    let node = parse_macro_input!(input as DeriveInput);
    flow(&node).into()
}

/// Declares the answers of a WhatsApp flow, read from a flow reply's `response_json`. See the
/// `kaleyra` crate's documentation.
#[proc_macro_derive(FlowResponse, attributes(flow_response))]
pub fn derive_flow_response(input: TokenStream) -> TokenStream {
    let node = parse_macro_input!(input as DeriveInput);
    flow_response(&node).into()
}

/// Declares the reply buttons of an interactive message: an enum of 1-3 unit variants, each
/// `#[button(title = "…", id = "…")]`. See the `kaleyra` crate's documentation.
#[proc_macro_derive(Buttons, attributes(button))]
pub fn derive_buttons(input: TokenStream) -> TokenStream {
    let node = parse_macro_input!(input as DeriveInput);
    buttons(&node).into()
}

/// Declares the rows of a list message: an enum of 1-10 unit variants, each
/// `#[menu(section = "…", title = "…", description = "…", id = "…")]`, and
/// `#[menu(button = "…")]` on the enum. See the `kaleyra` crate's documentation.
#[proc_macro_derive(Menu, attributes(menu))]
pub fn derive_menu(input: TokenStream) -> TokenStream {
    let node = parse_macro_input!(input as DeriveInput);
    menu(&node).into()
}

/// An `Otp` from a string literal, checked at compile time (1-15 characters, no whitespace or
/// control characters).
#[proc_macro]
pub fn otp(input: TokenStream) -> TokenStream {
    let literal = match syn::parse::<LitStr>(input) {
        Ok(lit) => lit,
        Err(err) => {
            let err = syn::Error::new(
                err.span(),
                "otp! takes one string literal, e.g. `otp!(\"123456\")`",
            );
            return err.to_compile_error().into();
        }
    };
    let code = literal.value();
    if let Err(v) = kaleyra_core::rules::check_otp(&code) {
        return syn::Error::new(literal.span(), format!("OTP {v}"))
            .to_compile_error()
            .into();
    }
    quote!(const { ::kaleyra::__private::Otp::__from_checked(#literal) }).into()
}

fn default_crate() -> Path {
    parse_quote!(::kaleyra)
}

fn template(node: &DeriveInput) -> proc_macro2::TokenStream {
    let cx = Ctxt::new();
    let attrs = attr::template_attrs(&cx, &node.attrs);
    let krate = attrs.krate.clone().unwrap_or_else(default_crate);
    // What the expansion must carry whatever happens: the catalogue file's `include_bytes!`.
    let mut tracked = proc_macro2::TokenStream::new();
    let generated = Input::from_syn(&cx, node, "Template").and_then(|input| {
        let roles: Vec<_> = input
            .fields
            .iter()
            .map(|f| attr::template_role(&cx, f.original))
            .collect();
        let plan = valid::check_template(&cx, &input, &attrs, &roles)?;
        // Against the approved templates only once the format rules hold (a partial plan would
        // give spurious mismatches).
        if !cx.has_errors() {
            tracked = catalogue::check_plan(&cx, &input, &attrs, &plan, &krate);
        }
        (!cx.has_errors()).then(|| expand::template(&input, &plan, &krate))
    });
    match generated {
        Some(tokens) if !cx.has_errors() => quote!(#tokens #tracked),
        _ => {
            let kind = match attrs.kind.as_ref().map(|k| k.value) {
                Some(Kind::Otp) => quote!(Authentication),
                Some(Kind::Flow) => quote!(FlowTemplate),
                Some(Kind::Product) => quote!(ProductTemplate),
                Some(Kind::Standard) | None => quote!(StandardTemplate),
            };
            let errors = cx.into_compile_errors();
            fallback::expand(node, &krate, kind, "Template", quote!(#errors #tracked))
        }
    }
}

fn card(node: &DeriveInput) -> proc_macro2::TokenStream {
    let cx = Ctxt::new();
    let attrs = attr::card_attrs(&cx, &node.attrs);
    let krate = attrs.krate.clone().unwrap_or_else(default_crate);
    let generated = Input::from_syn(&cx, node, "Card").and_then(|input| {
        let roles: Vec<_> = input
            .fields
            .iter()
            .map(|f| attr::card_role(&cx, f.original))
            .collect();
        let plan = valid::check_card(&cx, &input, &roles)?;
        (!cx.has_errors()).then(|| expand::card(&input, &plan, &krate))
    });
    match generated {
        Some(tokens) if !cx.has_errors() => tokens,
        _ => fallback::card(node, &krate, cx.into_compile_errors()),
    }
}

fn flow(node: &DeriveInput) -> proc_macro2::TokenStream {
    let cx = Ctxt::new();
    let attrs = attr::flow_attrs(&cx, &node.attrs);
    let krate = attrs.krate.clone().unwrap_or_else(default_crate);
    let generated = Input::from_syn(&cx, node, "Flow").and_then(|input| {
        let roles: Vec<_> = input
            .fields
            .iter()
            .map(|f| attr::flow_role(&cx, f.original, &f.name()))
            .collect();
        let mut plan = valid::check_flow(&cx, &input, &attrs, &roles)?;
        let tracked = committed_flow(&cx, &input, &attrs, &mut plan);
        (!cx.has_errors()).then(|| {
            let tokens = expand::flow(&input, &plan, &krate);
            quote!(#tokens #tracked)
        })
    });
    let pairing = attrs
        .response
        .as_ref()
        .map(|response| expand::flow_pairing(node, response, &krate));
    let flow = match generated {
        Some(tokens) if !cx.has_errors() => tokens,
        _ => fallback::expand(
            node,
            &krate,
            quote!(FlowMessage),
            "Flow",
            cx.into_compile_errors(),
        ),
    };
    quote!(#flow #pairing)
}

/// `#[flow(name = …)]` checked against the committed flows (unless `unchecked`): on a fit, the
/// message sends the id `flows.json` gives; returns the tokens that track what was read.
fn committed_flow(
    cx: &Ctxt,
    input: &Input,
    attrs: &attr::FlowAttrs,
    plan: &mut valid::FlowPlan,
) -> proc_macro2::TokenStream {
    let (valid::FlowTarget::Name(name), Some(name_attr), None) =
        (&plan.flow, &attrs.name, attrs.unchecked)
    else {
        return proc_macro2::TokenStream::new();
    };
    let data: Vec<_> = plan
        .data
        .iter()
        .map(|(key, i)| {
            let field = &input.fields[*i];
            (
                kaleyra_core::flows::check::DeclaredField {
                    key: key.clone(),
                    json_type: flows::json_type(field.ty),
                    optional: field.option_inner().is_some(),
                },
                field.span(),
            )
        })
        .collect();
    let (id, tracked) = flows::check_send(
        cx,
        name,
        name_attr.span,
        plan.mode == Some(kaleyra_core::FlowMode::Draft),
        attrs.screen.as_ref().map(|s| (s.value.as_str(), s.span)),
        &data,
    );
    if let Some(id) = id {
        plan.flow = valid::FlowTarget::Id(id);
    }
    tracked
}

fn flow_response(node: &DeriveInput) -> proc_macro2::TokenStream {
    let cx = Ctxt::new();
    let attrs = attr::flow_response_attrs(&cx, &node.attrs);
    let krate = attrs.krate.clone().unwrap_or_else(default_crate);
    let generated = Input::from_syn(&cx, node, "FlowResponse").and_then(|input| {
        let fields: Vec<_> = input
            .fields
            .iter()
            .map(|f| attr::flow_response_field(&cx, f.original))
            .collect();
        let plan = valid::check_flow_response(&cx, &input, &fields)?;
        let tracked = attrs.flow.as_ref().map(|flow| {
            let declared: Vec<_> = plan
                .fields
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != plan.token)
                .filter_map(|(i, source)| match source {
                    valid::ResponseSource::Member { key, required } => Some((
                        kaleyra_core::flows::check::DeclaredField {
                            key: key.clone(),
                            json_type: flows::json_type(input.fields[i].ty),
                            optional: !required,
                        },
                        fields[i]
                            .rename
                            .as_ref()
                            .map_or_else(|| input.fields[i].span(), |r| r.span),
                    )),
                    valid::ResponseSource::Skip => None,
                })
                .collect();
            flows::check_response(&cx, &flow.value, flow.span, &declared)
        });
        (!cx.has_errors()).then(|| {
            let tokens = expand::flow_response(&input, &plan, &krate);
            quote!(#tokens #tracked)
        })
    });
    match generated {
        Some(tokens) if !cx.has_errors() => tokens,
        _ => fallback::flow_response(node, &krate, cx.into_compile_errors()),
    }
}

fn buttons(node: &DeriveInput) -> proc_macro2::TokenStream {
    let cx = Ctxt::new();
    let attrs = attr::buttons_attrs(&cx, &node.attrs);
    let krate = attrs.krate.clone().unwrap_or_else(default_crate);
    let example = "enum Delivery { #[button(title = \"Tomorrow\")] Tomorrow, … }";
    let generated = ast::EnumInput::from_syn(&cx, node, "Buttons", example).and_then(|input| {
        let variants: Vec<_> = input
            .variants
            .iter()
            .map(|v| attr::button_variant(&cx, v))
            .collect();
        let plan = valid::check_buttons_enum(&cx, &input, &variants)?;
        (!cx.has_errors()).then(|| expand::buttons(input.ident, &plan, &krate))
    });
    match generated {
        Some(tokens) if !cx.has_errors() => tokens,
        _ => fallback::choice(node, &krate, "Buttons", cx.into_compile_errors()),
    }
}

fn menu(node: &DeriveInput) -> proc_macro2::TokenStream {
    let cx = Ctxt::new();
    let attrs = attr::menu_attrs(&cx, &node.attrs);
    let krate = attrs.krate.clone().unwrap_or_else(default_crate);
    let example = "enum Slot { #[menu(title = \"09:00-12:00\")] Morning, … }";
    let generated = ast::EnumInput::from_syn(&cx, node, "Menu", example).and_then(|input| {
        let variants: Vec<_> = input
            .variants
            .iter()
            .map(|v| attr::menu_variant(&cx, v))
            .collect();
        let plan = valid::check_menu_enum(&cx, &input, &attrs, &variants)?;
        (!cx.has_errors()).then(|| expand::menu(input.ident, &plan, &krate))
    });
    match generated {
        Some(tokens) if !cx.has_errors() => tokens,
        _ => fallback::choice(node, &krate, "List", cx.into_compile_errors()),
    }
}

#[cfg(test)]
mod snapshot_tests;
