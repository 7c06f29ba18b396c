//! Generates the encoder: the layout from `kaleyra_core::layout` is walked here, at compile time,
//! so the template name, language and the whole JSON skeleton become static byte strings; only
//! the fields are checked and escaped per message.

use proc_macro2::{Ident, Literal, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Generics, Path, Type, WherePredicate, parse_quote};

use kaleyra_core::layout::{self, FlowData, Piece, Pieces, Slot, Text};

use crate::ast::Input;
use crate::attr::Kind;
use crate::valid::{FlowPlan, FlowTarget, TemplatePlan, TextSource};

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
}

struct Gen<'a> {
    input: &'a Input<'a>,
    krate: &'a Path,
    checks: Vec<TokenStream>,
    fills: Vec<(Slot, Fill)>,
    bounds: Vec<WherePredicate>,
}

impl<'a> Gen<'a> {
    fn new(input: &'a Input<'a>, krate: &'a Path) -> Self {
        Gen {
            input,
            krate,
            checks: Vec::new(),
            fills: Vec::new(),
            bounds: Vec::new(),
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
        let local = Ident::new(
            &format!("__kaleyra_{}", self.fills.len()),
            Span::mixed_site(),
        );
        let span = ty.span();
        self.checks.push(quote_spanned! {span=>
            let #local: &::core::primitive::str =
                <#ty as #krate::__private::roles::#role>::checked(&self.#member, #what)?;
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

    /// The impls, from the layout's pieces.
    fn finish(self, pieces: Pieces, kind: TokenStream, trait_name: Ident) -> TokenStream {
        let krate = self.krate;
        let out = Ident::new("out", Span::mixed_site());
        let to = Ident::new("to", Span::mixed_site());
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
                    // The plan gives every slot of its layout a fill; keep the JSON valid anyway.
                    None => writes.push(quote!(#out.extend_from_slice(b"null");)),
                },
            }
        }
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
            flow_token: plan.flow_token.is_some(),
            flow_action_data: plan.flow_action_data.is_some(),
        }
        .walk(&mut pieces),
        Kind::Product => layout::ProductTemplate {
            name: &plan.name,
            language: plan.lang,
            catalog_id: plan.catalog_literal.as_deref(),
            body_parameters: plan.body.len(),
        }
        .walk(&mut pieces),
    }

    let mut g = Gen::new(input, krate);
    if let Some(f) = plan.otp {
        g.text(Slot::Otp, f, "OtpCode", "the OTP");
    }
    for (n, f) in plan.body.iter().enumerate() {
        let description = format!("body parameter {{{{{}}}}}", n + 1);
        g.text(Slot::BodyParameter(n), *f, "BodyParameter", &description);
    }
    if let Some(f) = plan.flow_token {
        g.text(Slot::FlowToken, f, "FlowToken", "the flow token");
    }
    if let Some(f) = plan.flow_action_data {
        g.json(
            Slot::FlowActionData,
            f,
            "FlowActionData",
            "flow_action_data",
        );
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
