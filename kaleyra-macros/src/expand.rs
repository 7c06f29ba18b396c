//! Generates the encoder: the layout from `kaleyra_core::layout` is walked here, at compile time,
//! so the template name, language and the whole JSON skeleton become static byte strings; only
//! the fields are checked and escaped per message.

use proc_macro2::{Ident, Literal, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Generics, Path, Type, WherePredicate, parse_quote};

use kaleyra_core::ButtonKind;
use kaleyra_core::layout::{self, FlowData, Piece, Pieces, Sink, Slot, Text};

use crate::ast::Input;
use crate::attr::Kind;
use crate::valid::{CardPlan, FlowPlan, FlowTarget, PlannedButton, TemplatePlan, TextSource};

/// How a slot is written.
enum Fill {
    /// A checked text bound to a local.
    Text(Ident),
    /// A field serialized as JSON by its role trait.
    Json {
        field: usize,
        role: Ident,
        what: String,
    },
    /// Code that writes the slot, and an expression for about how many bytes it writes.
    Code {
        write: TokenStream,
        hint: TokenStream,
    },
}

struct Gen<'a> {
    input: &'a Input<'a>,
    krate: &'a Path,
    checks: Vec<TokenStream>,
    fills: Vec<(Slot, Fill)>,
    bounds: Vec<WherePredicate>,
    /// The size of each filled value, from the fields alone (for `Card::len_hint`).
    hints: Vec<TokenStream>,
    /// How many locals have been bound.
    locals: usize,
}

impl<'a> Gen<'a> {
    fn new(input: &'a Input<'a>, krate: &'a Path) -> Self {
        Gen {
            input,
            krate,
            checks: Vec::new(),
            fills: Vec::new(),
            bounds: Vec::new(),
            hints: Vec::new(),
            locals: 0,
        }
    }

    fn what(&self, field: usize, role: &str) -> String {
        format!(
            "`{}.{}` ({role})",
            self.input.ident,
            self.input.fields[field].name()
        )
    }

    /// Binds a text field, checked by its role trait (which names the rule).
    fn text(&mut self, slot: Slot, field: usize, role: &str, description: &str) {
        let krate = self.krate;
        let f = &self.input.fields[field];
        let ty = f.ty;
        let member = &f.member;
        let what = self.what(field, description);
        let role = Ident::new(role, Span::call_site());
        let local = self.local();
        let span = ty.span();
        self.checks.push(quote_spanned! {span=>
            let #local: &::core::primitive::str =
                <#ty as #krate::__private::roles::#role>::checked(&self.#member, #what)?;
        });
        self.hints.push(quote_spanned! {span=>
            <#ty as #krate::__private::roles::#role>::text(&self.#member).len()
        });
        if mentions_type_param(ty, self.input.generics) {
            self.bounds
                .push(parse_quote!(#ty: #krate::__private::roles::#role));
        }
        self.fills.push((slot, Fill::Text(local)));
    }

    /// A field serialized as JSON by its role trait (which checks the JSON's shape).
    fn json(&mut self, slot: Slot, field: usize, role: &str, description: &str) {
        let krate = self.krate;
        let ty = self.input.fields[field].ty;
        let role = Ident::new(role, Span::call_site());
        if mentions_type_param(ty, self.input.generics) {
            self.bounds
                .push(parse_quote!(#ty: #krate::__private::roles::#role));
        }
        let what = self.what(field, description);
        self.fills.push((slot, Fill::Json { field, role, what }));
    }

    /// The writes of a layout's pieces: the code, the length of its static text, and the
    /// expressions for the slots' sizes.
    fn lower(&self, pieces: Pieces) -> (Vec<TokenStream>, usize, Vec<TokenStream>) {
        let krate = self.krate;
        let out = out();
        let to = Ident::new("__kaleyra_to", Span::mixed_site());
        let mut writes = Vec::new();
        let mut static_len = 0usize;
        let mut reserve = Vec::new();
        for piece in pieces.0 {
            match piece {
                Piece::Static(text) => {
                    static_len += text.len();
                    let bytes = Literal::byte_string(text.as_bytes());
                    writes.push(quote!(#out.extend_from_slice(#bytes);));
                }
                Piece::Slot(Slot::To) => {
                    writes.push(quote!(#krate::__private::encode::recipient(#out, #to)?;));
                }
                Piece::Slot(slot) => match self.fills.iter().find(|(s, _)| *s == slot) {
                    Some((_, Fill::Text(local))) => {
                        reserve.push(quote!(#local.len()));
                        writes.push(quote!(#krate::__private::json::write_str(#out, #local);));
                    }
                    Some((_, Fill::Json { field, role, what })) => {
                        let f = &self.input.fields[*field];
                        let (ty, member) = (f.ty, &f.member);
                        writes.push(quote_spanned! {ty.span()=>
                            <#ty as #krate::__private::roles::#role>::write_json(
                                &self.#member, #out, #what)?;
                        });
                    }
                    Some((_, Fill::Code { write, hint })) => {
                        reserve.push(hint.clone());
                        writes.push(write.clone());
                    }
                    // The plan gives every slot of its layout a fill; keep the JSON valid anyway.
                    None => writes.push(quote!(#out.extend_from_slice(b"null");)),
                },
            }
        }
        (writes, static_len, reserve)
    }

    /// The impls, from the layout's pieces.
    fn finish(self, pieces: Pieces, kind: TokenStream, trait_name: Ident) -> TokenStream {
        let krate = self.krate;
        let out = out();
        let to = Ident::new("__kaleyra_to", Span::mixed_site());
        let (writes, static_len, reserve) = self.lower(pieces);
        // One allocation for the whole body: the static text, the recipient (`"+` and 15 digits
        // `"`), the texts before escaping, and room for a typical `extra_info`.
        let fixed = static_len + 20 + 160;
        let checks = &self.checks;
        let ident = self.input.ident;
        let mut generics = self.input.generics.clone();
        if !self.bounds.is_empty() {
            generics.make_where_clause().predicates.extend(self.bounds);
        }
        let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
        quote! {
            #[automatically_derived]
            impl #impl_generics #krate::__private::Encode for #ident #ty_generics #where_clause {
                const KIND: #krate::__private::MessageKind = #krate::__private::MessageKind::#kind;

                #[inline]
                fn encode(
                    &self,
                    #to: &::core::primitive::str,
                    #out: &mut #krate::__private::Vec<::core::primitive::u8>,
                ) -> ::core::result::Result<(), #krate::__private::Error> {
                    #(#checks)*
                    #out.reserve(#fixed #(+ #reserve)*);
                    #(#writes)*
                    ::core::result::Result::Ok(())
                }

            }

            #[automatically_derived]
            impl #impl_generics #krate::__private::#trait_name for #ident #ty_generics #where_clause {}
        }
    }
}

/// The output buffer of generated code. Locals and parameters of generated code are named
/// `__kaleyra_*`: mixed-site hygiene keeps them apart from the user's fields and locals, but a
/// user's `const` or unit struct of the same name would still turn a binding into a pattern.
fn out() -> Ident {
    Ident::new("__kaleyra_out", Span::mixed_site())
}

/// `::core::option::Option::Some("name")`, or `None`.
fn option_str(name: Option<&str>) -> TokenStream {
    match name {
        Some(name) => quote!(::core::option::Option::Some(#name)),
        None => quote!(::core::option::Option::None),
    }
}

/// A parameter's place, for messages: `{{1}}` or `{{name}}`.
fn placeholder(n: usize, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{{{{{name}}}}}"),
        None => format!("{{{{{}}}}}", n + 1),
    }
}

impl Gen<'_> {
    /// `<ty as roles::role>`, spanned on the type (so that a type that cannot fill the role is
    /// reported there), with a where-bound if `ty` names a type parameter.
    fn qualified(&mut self, ty: &Type, role: &str) -> TokenStream {
        let krate = self.krate;
        let role = Ident::new(role, Span::call_site());
        if mentions_type_param(ty, self.input.generics) {
            self.bounds
                .push(parse_quote!(#ty: #krate::__private::roles::#role));
        }
        quote_spanned!(ty.span()=> <#ty as #krate::__private::roles::#role>)
    }

    /// Fills `slot` with `<T as role>::method(&self.field, out, args…, what)?`, sized by
    /// `<T as role>::hint(&self.field)`.
    fn write_with(
        &mut self,
        slot: Slot,
        field: usize,
        (role, method, hint): (&str, &str, &str),
        args: &TokenStream,
        description: &str,
    ) {
        let f = &self.input.fields[field];
        let (ty, member) = (f.ty, &f.member);
        let what = self.what(field, description);
        let q = self.qualified(ty, role);
        let method = Ident::new(method, Span::call_site());
        let hint = Ident::new(hint, Span::call_site());
        let out = out();
        let write = quote_spanned! {ty.span()=>
            #q::#method(&self.#member, #out, #args #what)?;
        };
        let hint = quote_spanned!(ty.span()=> #q::#hint(&self.#member));
        self.hints.push(hint.clone());
        self.fills.push((slot, Fill::Code { write, hint }));
    }

    /// A body parameter (text, currency or date-time), positional or named; `role` is
    /// `TemplateParameter`, or `CardParameter` for a card's (its own words when a type does
    /// not fit).
    fn parameter(
        &mut self,
        slot: Slot,
        field: usize,
        (name, role): (Option<&str>, &str),
        description: &str,
    ) {
        let name = option_str(name);
        self.write_with(
            slot,
            field,
            (role, "write_parameter", "len_hint"),
            &quote!(#name,),
            description,
        );
    }

    /// Button `n` of the layout.
    fn button(&mut self, n: usize, button: &PlannedButton, whose: &str) {
        let slot = Slot::Button(n);
        let index = button.index;
        let (field, sub_type) = (button.field, button.kind.sub_type());
        let description = |what: &str| format!("{whose}{sub_type} button {index}'s {what}");
        let text_role = match button.kind {
            ButtonKind::Url => ("UrlSuffix", "suffix"),
            ButtonKind::QuickReply => ("QuickReplyPayload", "payload"),
            ButtonKind::CopyCode => ("CouponCode", "coupon code"),
            ButtonKind::Catalog => ("CatalogThumbnail", "thumbnail product"),
            ButtonKind::Flow => {
                let methods = ("FlowButtonAction", "write_flow_action", "flow_len_hint");
                let what = description("action");
                return self.write_with(slot, field, methods, &TokenStream::new(), &what);
            }
            ButtonKind::Mpm => {
                let methods = ("MpmButtonAction", "write_mpm_action", "mpm_len_hint");
                let what = description("action");
                return self.write_with(slot, field, methods, &TokenStream::new(), &what);
            }
            // `attr.rs` parses only the sub-types above; a new one needs its role here first.
            _ => return,
        };
        self.text(slot, field, text_role.0, &description(text_role.1));
    }

    /// A limited-time offer's expiry, checked before anything is written.
    fn expiration(&mut self, field: usize) {
        let krate = self.krate;
        let f = &self.input.fields[field];
        let (ty, member) = (f.ty, &f.member);
        let what = self.what(field, "the limited-time offer's expiry");
        let q = self.qualified(ty, "ExpirationTime");
        let local = self.local();
        self.checks.push(quote_spanned! {ty.span()=>
            let #local: ::core::primitive::u64 = #q::expiration_time_ms(&self.#member, #what)?;
        });
        let out = out();
        let write = quote!(#krate::__private::json::write_u64(#out, #local););
        self.fills.push((
            Slot::ExpirationTimeMs,
            Fill::Code {
                write,
                hint: quote!(20),
            },
        ));
    }

    /// A fresh local for a checked value.
    fn local(&mut self) -> Ident {
        self.locals += 1;
        Ident::new(
            &format!("__kaleyra_{}", self.locals - 1),
            Span::mixed_site(),
        )
    }

    /// A flow template's `flow_token` when it may be absent: `Option<T>` leaves the member
    /// out when `None`.
    fn flow_token_member(&mut self, field: usize) {
        let krate = self.krate;
        let f = &self.input.fields[field];
        let member = &f.member;
        let what = self.what(field, "the flow token");
        let local = self.local();
        let value = Ident::new("__kaleyra_value", Span::mixed_site());
        let out = out();
        let key = Literal::byte_string(layout::FLOW_TOKEN_KEY.as_bytes());
        let key_len = layout::FLOW_TOKEN_KEY.len() + 1;
        let put = quote! {
            #krate::__private::json::member_separator(#out);
            #out.extend_from_slice(#key);
            #krate::__private::json::write_str(#out, #value);
        };
        let (write, hint) = if let Some(inner) = f.option_inner() {
            let q = self.qualified(inner, "FlowToken");
            self.checks.push(quote_spanned! {inner.span()=>
                let #local: ::core::option::Option<&::core::primitive::str> = match &self.#member {
                    ::core::option::Option::Some(#value) => {
                        ::core::option::Option::Some(#q::checked(#value, #what)?)
                    }
                    ::core::option::Option::None => ::core::option::Option::None,
                };
            });
            (
                quote!(if let ::core::option::Option::Some(#value) = #local { #put }),
                quote!(::core::option::Option::map_or(#local, 0, ::core::primitive::str::len) + #key_len),
            )
        } else {
            let q = self.qualified(f.ty, "FlowToken");
            self.checks.push(quote_spanned! {f.ty.span()=>
                let #local: &::core::primitive::str = #q::checked(&self.#member, #what)?;
            });
            (
                quote!({ let #value = #local; #put }),
                quote!(#local.len() + #key_len),
            )
        };
        self.fills
            .push((Slot::FlowTokenMember, Fill::Code { write, hint }));
    }

    /// A flow template's `flow_action_data` when it may be absent (see
    /// [`Gen::flow_token_member`]).
    fn flow_action_data_member(&mut self, field: usize) {
        let krate = self.krate;
        let f = &self.input.fields[field];
        let member = &f.member;
        let what = self.what(field, "flow_action_data");
        let value = Ident::new("__kaleyra_value", Span::mixed_site());
        let out = out();
        let key = Literal::byte_string(layout::FLOW_ACTION_DATA_KEY.as_bytes());
        let key_len = layout::FLOW_ACTION_DATA_KEY.len() + 1;
        let write = if let Some(inner) = f.option_inner() {
            let q = self.qualified(inner, "FlowActionData");
            quote_spanned! {inner.span()=>
                if let ::core::option::Option::Some(#value) = &self.#member {
                    #krate::__private::json::member_separator(#out);
                    #out.extend_from_slice(#key);
                    #q::write_json(#value, #out, #what)?;
                }
            }
        } else {
            let q = self.qualified(f.ty, "FlowActionData");
            quote_spanned! {f.ty.span()=>
                #krate::__private::json::member_separator(#out);
                #out.extend_from_slice(#key);
                #q::write_json(&self.#member, #out, #what)?;
            }
        };
        self.fills.push((
            Slot::FlowActionDataMember,
            Fill::Code {
                write,
                hint: quote!(#key_len),
            },
        ));
    }

    /// The `Card` impl, from the card layout's pieces. The card writes into the template's
    /// buffer, which the template sized with the card's `len_hint`.
    fn finish_card(self, pieces: Pieces, shape: &TokenStream) -> TokenStream {
        let krate = self.krate;
        let out = out();
        let index = Ident::new("__kaleyra_index", Span::mixed_site());
        let (writes, static_len, _) = self.lower(pieces);
        // The card index has at most 3 digits.
        let card_len = static_len + 3;
        let hints = &self.hints;
        let checks = &self.checks;
        let ident = self.input.ident;
        let mut generics = self.input.generics.clone();
        if !self.bounds.is_empty() {
            generics.make_where_clause().predicates.extend(self.bounds);
        }
        let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
        quote! {
            #[automatically_derived]
            impl #impl_generics #krate::__private::Card for #ident #ty_generics #where_clause {
                #shape

                #[inline]
                fn write_card(
                    &self,
                    #index: ::core::primitive::u8,
                    #out: &mut #krate::__private::Vec<::core::primitive::u8>,
                ) -> ::core::result::Result<(), #krate::__private::Error> {
                    #(#checks)*
                    #(#writes)*
                    ::core::result::Result::Ok(())
                }

                #[inline]
                fn len_hint(&self) -> ::core::primitive::usize {
                    #card_len #(+ #hints)*
                }
            }
        }
    }
}

/// Walks a general template's layout, writing a named header (text: its role says so) as a
/// text parameter object around the checked text, with its name as static bytes.
struct NamedHeader<'a> {
    inner: &'a mut Pieces,
    name: Option<&'a str>,
}

impl Sink for NamedHeader<'_> {
    fn raw(&mut self, json: &str) {
        self.inner.raw(json);
    }
    fn string(&mut self, s: &str) {
        self.inner.string(s);
    }
    fn slot(&mut self, slot: Slot) {
        match (slot, self.name) {
            (Slot::HeaderParameter, Some(name)) => {
                layout::text_parameter_slot(self.inner, Some(name), slot);
            }
            _ => self.inner.slot(slot),
        }
    }
}

/// Whether a flow template's member is written, and how: a field of type `Option<T>` may leave
/// its member out. When one member may be absent, both are written as optional members, so
/// that they keep the documents' order (`flow_token`, then `flow_action_data`).
fn flow_presence(input: &Input, plan: &TemplatePlan, field: Option<usize>) -> layout::Presence {
    let optional = |f: Option<usize>| f.is_some_and(|f| input.fields[f].option_inner().is_some());
    match field {
        None => layout::Presence::Absent,
        Some(_) if optional(plan.flow_token) || optional(plan.flow_action_data) => {
            layout::Presence::Optional
        }
        Some(_) => layout::Presence::Always,
    }
}

fn standard(input: &Input, plan: &TemplatePlan, krate: &Path) -> TokenStream {
    let buttons: Vec<layout::Button> = plan
        .buttons
        .iter()
        .map(|b| layout::Button {
            kind: b.kind,
            index: b.index,
        })
        .collect();
    let header_name = plan.header.as_ref().and_then(|h| h.name.as_deref());
    let mut pieces = Pieces::default();
    layout::StandardTemplate {
        name: &plan.name,
        language: plan.lang,
        header: plan.header.is_some(),
        body_parameters: plan.params.len(),
        limited_time_offer: plan.limited_time_offer.is_some(),
        buttons: &buttons,
        carousel: plan.carousel.is_some(),
    }
    .walk(&mut NamedHeader {
        inner: &mut pieces,
        name: header_name,
    });

    let mut g = Gen::new(input, krate);
    if let Some(header) = &plan.header {
        match &header.name {
            Some(name) => g.text(
                Slot::HeaderParameter,
                header.field,
                "NamedHeader",
                &format!("the header {{{{{name}}}}}"),
            ),
            None => g.write_with(
                Slot::HeaderParameter,
                header.field,
                ("TemplateHeader", "write_header", "len_hint"),
                &quote!(::core::option::Option::None,),
                "the header",
            ),
        }
    }
    for (n, p) in plan.params.iter().enumerate() {
        let name = p.name.as_deref();
        g.parameter(
            Slot::Parameter(n),
            p.field,
            (name, "TemplateParameter"),
            &format!("body parameter {}", placeholder(n, name)),
        );
    }
    if let Some(f) = plan.limited_time_offer {
        g.expiration(f);
    }
    for (n, button) in plan.buttons.iter().enumerate() {
        g.button(n, button, "the ");
    }
    if let Some(f) = plan.carousel {
        g.write_with(
            Slot::Cards,
            f,
            ("Carousel", "write_cards", "len_hint"),
            &TokenStream::new(),
            "the carousel",
        );
    }
    g.finish(
        pieces,
        quote!(StandardTemplate),
        Ident::new("Template", Span::call_site()),
    )
}

pub fn card(input: &Input, plan: &CardPlan, krate: &Path) -> TokenStream {
    let buttons: Vec<layout::Button> = plan
        .buttons
        .iter()
        .map(|b| layout::Button {
            kind: b.kind,
            index: b.index,
        })
        .collect();
    let mut pieces = Pieces::default();
    layout::Card {
        header: true,
        body_parameters: plan.params.len(),
        buttons: &buttons,
    }
    .walk(&mut pieces);

    let mut g = Gen::new(input, krate);
    let index = Ident::new("__kaleyra_index", Span::mixed_site());
    let out = out();
    g.fills.push((
        Slot::CardIndex,
        Fill::Code {
            write: quote!(#krate::__private::json::write_u64(#out, ::core::convert::From::from(#index));),
            hint: quote!(3),
        },
    ));
    g.write_with(
        Slot::HeaderParameter,
        plan.header,
        ("CardHeader", "write_card_header", "len_hint"),
        &TokenStream::new(),
        "a card's header",
    );
    for (n, f) in plan.params.iter().enumerate() {
        g.parameter(
            Slot::Parameter(n),
            *f,
            (None, "CardParameter"),
            &format!("a card's body parameter {}", placeholder(n, None)),
        );
    }
    for (n, button) in plan.buttons.iter().enumerate() {
        g.button(n, button, "a card's ");
    }
    // What the template derive compares with the approved cards, at compile time.
    let body = plan.params.len();
    let mut declared: Vec<(u8, ButtonKind)> =
        plan.buttons.iter().map(|b| (b.index, b.kind)).collect();
    declared.sort_by_key(|(index, _)| *index);
    let buttons = declared
        .iter()
        .filter_map(|(index, kind)| Some((index, button_kind_path(*kind, krate)?)))
        .map(|(index, kind)| quote!((#index, #kind)));
    let shape = quote! {
        const SHAPE: ::core::option::Option<#krate::__private::CardShape<'static>> =
            ::core::option::Option::Some(#krate::__private::CardShape {
                header: true,
                body: #body,
                buttons: &[#(#buttons),*],
            });
    };
    g.finish_card(pieces, &shape)
}

/// `ButtonKind::X` through the facade, for the generated constants.
pub fn button_kind_path(kind: ButtonKind, krate: &Path) -> Option<TokenStream> {
    let variant = match kind {
        ButtonKind::QuickReply => quote!(QuickReply),
        ButtonKind::Url => quote!(Url),
        ButtonKind::CopyCode => quote!(CopyCode),
        ButtonKind::Flow => quote!(Flow),
        ButtonKind::Catalog => quote!(Catalog),
        ButtonKind::Mpm => quote!(Mpm),
        _ => return None,
    };
    Some(quote!(#krate::__private::ButtonKind::#variant))
}

/// Whether `ty` names one of the struct's type parameters (then it needs a where-bound; concrete
/// types are checked where they are used, so the error points at the field).
fn mentions_type_param(ty: &Type, generics: &Generics) -> bool {
    let params: Vec<&Ident> = generics.type_params().map(|p| &p.ident).collect();
    fn walk(tokens: TokenStream, params: &[&Ident]) -> bool {
        tokens.into_iter().any(|tt| match tt {
            TokenTree::Ident(i) => params.iter().any(|p| **p == i),
            TokenTree::Group(g) => walk(g.stream(), params),
            _ => false,
        })
    }
    !params.is_empty() && walk(quote!(#ty), &params)
}

pub fn template(input: &Input, plan: &TemplatePlan, krate: &Path) -> TokenStream {
    let mut pieces = Pieces::default();
    match plan.kind {
        Kind::Otp => layout::Authentication {
            name: &plan.name,
            language: plan.lang,
            button_index: plan.button_index,
        }
        .walk(&mut pieces),
        Kind::Flow => layout::FlowTemplate {
            name: &plan.name,
            language: plan.lang,
            button_index: plan.button_index,
            body_parameters: plan.body.len(),
            flow_token: flow_presence(input, plan, plan.flow_token),
            flow_action_data: flow_presence(input, plan, plan.flow_action_data),
        }
        .walk(&mut pieces),
        Kind::Product => layout::ProductTemplate {
            name: &plan.name,
            language: plan.lang,
            catalog_id: plan.catalog_literal.as_deref(),
            body_parameters: plan.body.len(),
        }
        .walk(&mut pieces),
        Kind::Standard => return standard(input, plan, krate),
    }

    let mut g = Gen::new(input, krate);
    if let Some(f) = plan.otp {
        g.text(Slot::Otp, f, "OtpCode", "the OTP");
    }
    for (n, f) in plan.body.iter().enumerate() {
        let description = format!("body parameter {{{{{}}}}}", n + 1);
        g.text(Slot::BodyParameter(n), *f, "BodyParameter", &description);
    }
    match plan.flow_token {
        Some(f) if flow_presence(input, plan, Some(f)) == layout::Presence::Optional => {
            g.flow_token_member(f);
        }
        Some(f) => g.text(Slot::FlowToken, f, "FlowToken", "the flow token"),
        None => {}
    }
    match plan.flow_action_data {
        Some(f) if flow_presence(input, plan, Some(f)) == layout::Presence::Optional => {
            g.flow_action_data_member(f);
        }
        Some(f) => g.json(
            Slot::FlowActionData,
            f,
            "FlowActionData",
            "flow_action_data",
        ),
        None => {}
    }
    if let Some(f) = plan.product_retailer_id {
        g.text(
            Slot::ProductRetailerId,
            f,
            "ProductRetailerId",
            "the product retailer id",
        );
    }
    if let Some(f) = plan.catalog_id {
        g.text(Slot::CatalogId, f, "CatalogId", "the catalog id");
    }
    let kind = match plan.kind {
        Kind::Otp => quote!(Authentication),
        Kind::Flow => quote!(FlowTemplate),
        Kind::Product => quote!(ProductTemplate),
        Kind::Standard => quote!(StandardTemplate),
    };
    g.finish(pieces, kind, Ident::new("Template", Span::call_site()))
}

pub fn flow(input: &Input, plan: &FlowPlan, krate: &Path) -> TokenStream {
    fn text(source: &TextSource) -> Text<'_> {
        match source {
            TextSource::None => Text::None,
            TextSource::Literal(s) => Text::Literal(s),
            TextSource::Field(_) => Text::Slot,
        }
    }
    let keys: Vec<&str> = plan.data.iter().map(|(k, _)| k.as_str()).collect();
    let mut pieces = Pieces::default();
    layout::FlowMessage {
        header: text(&plan.header),
        body: text(&plan.body),
        footer: text(&plan.footer),
        flow: match &plan.flow {
            FlowTarget::Id(id) => layout::FlowRef::Id(id),
            FlowTarget::Name(name) => layout::FlowRef::Name(name),
        },
        cta: &plan.cta,
        mode: plan.mode,
        action: plan.action,
        screen: plan.screen.as_deref(),
        token: plan.token.is_some(),
        data: if keys.is_empty() {
            FlowData::None
        } else {
            FlowData::Fields(&keys)
        },
    }
    .walk(&mut pieces);

    let mut g = Gen::new(input, krate);
    for (source, slot, role, description) in [
        (
            &plan.header,
            Slot::HeaderText,
            "HeaderText",
            "the header text",
        ),
        (&plan.body, Slot::BodyText, "BodyText", "the body text"),
        (
            &plan.footer,
            Slot::FooterText,
            "FooterText",
            "the footer text",
        ),
    ] {
        if let TextSource::Field(f) = source {
            g.text(slot, *f, role, description);
        }
    }
    if let Some(f) = plan.token {
        g.text(Slot::FlowToken, f, "FlowToken", "the flow token");
    }
    for (n, (key, f)) in plan.data.iter().enumerate() {
        g.json(
            Slot::DataField(n),
            *f,
            "FlowDataField",
            &format!("flow data `{key}`"),
        );
    }
    g.finish(
        pieces,
        quote!(FlowMessage),
        Ident::new("Flow", Span::call_site()),
    )
}

// ------------------------------------------------------------------ #[derive(FlowResponse)]

/// `impl FlowResponse`: each field read from its member of `response_json` (raw JSON parsed by
/// the field's own `Deserialize`), and written back the same way.
pub fn flow_response(
    input: &Input,
    plan: &crate::valid::FlowResponsePlan,
    krate: &Path,
) -> TokenStream {
    use crate::valid::ResponseSource;

    let json = Ident::new("__kaleyra_json", Span::mixed_site());
    let fields = Ident::new("__kaleyra_fields", Span::mixed_site());
    let writer = Ident::new("__kaleyra_writer", Span::mixed_site());
    let name = input.ident.to_string();
    let mut bounds: Vec<WherePredicate> = Vec::new();
    let mut reads = Vec::new();
    let mut writes = Vec::new();
    for (field, source) in input.fields.iter().zip(&plan.fields) {
        let (ty, member) = (field.ty, &field.member);
        let generic = mentions_type_param(ty, input.generics);
        match source {
            ResponseSource::Member { key, required } => {
                if generic {
                    bounds.push(parse_quote!(#ty: #krate::__private::roles::FlowResponseRead));
                    bounds.push(parse_quote!(#ty: #krate::__private::roles::FlowResponseWrite));
                }
                let skip_null = !required;
                reads.push(quote_spanned! {ty.span()=>
                    #member: #fields.get::<#ty>(#key, #required)?
                });
                writes.push(quote_spanned! {ty.span()=>
                    #writer.member::<#ty>(#key, &self.#member, #skip_null)?;
                });
            }
            ResponseSource::Skip => {
                if generic {
                    bounds.push(parse_quote!(#ty: ::core::default::Default));
                }
                reads.push(quote_spanned! {ty.span()=>
                    #member: <#ty as ::core::default::Default>::default()
                });
            }
        }
    }
    let token = match plan.token {
        Some(i) => {
            let f = &input.fields[i];
            let (ty, member) = (f.ty, &f.member);
            if mentions_type_param(ty, input.generics) {
                bounds.push(parse_quote!(#ty: #krate::__private::roles::FlowResponseToken));
            }
            quote_spanned! {ty.span()=>
                <#ty as #krate::__private::roles::FlowResponseToken>::token(&self.#member)
            }
        }
        None => quote!(::core::option::Option::None),
    };
    let ident = input.ident;
    let mut generics = input.generics.clone();
    if !bounds.is_empty() {
        generics.make_where_clause().predicates.extend(bounds);
    }
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::__private::FlowResponse for #ident #ty_generics #where_clause {
            fn from_response_json(
                #json: &::core::primitive::str,
            ) -> ::core::result::Result<Self, #krate::__private::Error> {
                let #fields = #krate::__private::flow_response::Fields::read(#json, #name)?;
                ::core::result::Result::Ok(Self { #(#reads,)* })
            }

            fn to_response_json(
                &self,
            ) -> ::core::result::Result<#krate::__private::String, #krate::__private::Error> {
                let mut #writer = #krate::__private::flow_response::Writer::new(#name);
                #(#writes)*
                ::core::result::Result::Ok(#writer.finish())
            }

            fn flow_token(&self) -> ::core::option::Option<&::core::primitive::str> {
                #token
            }
        }
    }
}

/// `impl FlowWithResponse` for a `#[derive(Flow)]` with `response = T`: the type is spanned on
/// `T`, so a `T` that is not a `FlowResponse` is reported there.
pub fn flow_pairing(node: &syn::DeriveInput, response: &Type, krate: &Path) -> TokenStream {
    let ident = &node.ident;
    let (impl_generics, ty_generics, where_clause) = node.generics.split_for_impl();
    let assoc = quote_spanned!(response.span()=> type Response = #response;);
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::__private::FlowWithResponse for #ident #ty_generics #where_clause {
            #assoc
        }
    }
}

// ------------------------------------------------------------------------ Buttons and Menu

/// `impl Choice`: the ids in declaration order, and the match between ids and variants.
fn choice_impl(ident: &Ident, krate: &Path, order: &[(Ident, String)]) -> TokenStream {
    let ids: Vec<&String> = order.iter().map(|(_, id)| id).collect();
    let variants: Vec<&Ident> = order.iter().map(|(v, _)| v).collect();
    quote! {
        #[automatically_derived]
        impl #krate::__private::Choice for #ident {
            const IDS: &'static [&'static ::core::primitive::str] = &[#(#ids),*];

            fn from_id(id: &::core::primitive::str) -> ::core::option::Option<Self> {
                match id {
                    #(#ids => ::core::option::Option::Some(Self::#variants),)*
                    _ => ::core::option::Option::None,
                }
            }

            fn id(&self) -> &'static ::core::primitive::str {
                match self {
                    #(Self::#variants => #ids,)*
                }
            }
        }
    }
}

fn option_lit(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// `#[derive(Buttons)]`: `impl Choice` and `Enum::ask(body)`, which returns the runtime
/// `session::Buttons` holding the checked literals as `const` buttons (no allocation).
pub fn buttons(ident: &Ident, plan: &crate::valid::ButtonsPlan, krate: &Path) -> TokenStream {
    let order: Vec<(Ident, String)> = plan
        .buttons
        .iter()
        .map(|b| (b.variant.clone(), b.id.clone()))
        .collect();
    let choice = choice_impl(ident, krate, &order);
    let ids = plan.buttons.iter().map(|b| &b.id);
    let titles = plan.buttons.iter().map(|b| &b.title);
    let doc = format!(
        "The reply-button message that asks for a `{ident}`, with this body (1-1024 \
         characters); `.header(…)`, `.footer(…)` and `.to(…)` follow."
    );
    quote! {
        #choice

        #[automatically_derived]
        impl #ident {
            #[doc = #doc]
            #[allow(dead_code)]
            pub fn ask<'__kaleyra>(
                body: impl ::core::convert::Into<
                    #krate::__private::Cow<'__kaleyra, ::core::primitive::str>,
                >,
            ) -> ::core::result::Result<
                #krate::__private::Buttons<'__kaleyra>,
                #krate::__private::Error,
            > {
                const BUTTONS: &[#krate::__private::ReplyButton<'static>] = &[
                    #(#krate::__private::ReplyButton::borrowed(#ids, #titles)),*
                ];
                #krate::__private::Buttons::__from_checked(body, BUTTONS)
            }
        }
    }
}

/// `#[derive(Menu)]`: `impl Choice` and `Enum::ask(body)`, which returns the runtime
/// `session::List` holding the checked literals as `const` sections (no allocation).
pub fn menu(ident: &Ident, plan: &crate::valid::MenuPlan, krate: &Path) -> TokenStream {
    let choice = choice_impl(ident, krate, &plan.order);
    let mut row_consts = Vec::new();
    let mut sections = Vec::new();
    for (n, (title, rows)) in plan.sections.iter().enumerate() {
        let name = Ident::new(&format!("ROWS_{n}"), Span::call_site());
        let rows = rows.iter().map(|r| {
            let (id, title) = (&r.id, &r.title);
            let description = option_lit(r.description.as_deref());
            quote!(#krate::__private::ListRow::borrowed(#id, #title, #description))
        });
        row_consts.push(quote! {
            const #name: &[#krate::__private::ListRow<'static>] = &[#(#rows),*];
        });
        let title = option_lit(title.as_deref());
        sections.push(quote!(#krate::__private::ListSection::borrowed(#title, #name)));
    }
    let button = &plan.button;
    let doc = format!(
        "The list message that asks for a `{ident}`, with this body (1-4096 characters); \
         `.header(…)`, `.footer(…)` and `.to(…)` follow."
    );
    quote! {
        #choice

        #[automatically_derived]
        impl #ident {
            #[doc = #doc]
            #[allow(dead_code)]
            pub fn ask<'__kaleyra>(
                body: impl ::core::convert::Into<
                    #krate::__private::Cow<'__kaleyra, ::core::primitive::str>,
                >,
            ) -> ::core::result::Result<
                #krate::__private::List<'__kaleyra>,
                #krate::__private::Error,
            > {
                #(#row_consts)*
                const SECTIONS: &[#krate::__private::ListSection<'static>] = &[#(#sections),*];
                #krate::__private::List::__from_checked(body, #button, SECTIONS)
            }
        }
    }
}
