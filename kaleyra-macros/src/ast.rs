//! The derive input as the macros see it: a struct and its fields.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Member, Type};

use crate::ctxt::Ctxt;

pub struct Input<'a> {
    pub ident: &'a Ident,
    pub generics: &'a Generics,
    pub fields: Vec<Field<'a>>,
}

pub struct Field<'a> {
    pub original: &'a syn::Field,
    pub member: Member,
    pub ty: &'a Type,
}

impl<'a> Field<'a> {
    /// The field's name as the user wrote it.
    pub fn name(&self) -> String {
        match &self.member {
            Member::Named(ident) => ident.unraw().to_string(),
            Member::Unnamed(index) => index.index.to_string(),
        }
    }

    pub fn span(&self) -> Span {
        match &self.original.ident {
            Some(ident) => ident.span(),
            None => self.original.ty.span(),
        }
    }

    /// `T` if the field's type is written `Option<T>` (or `core::option::Option<T>`,
    /// `std::option::Option<T>`): a value the message may leave out.
    pub fn option_inner(&self) -> Option<&'a Type> {
        let Type::Path(p) = self.ty else { return None };
        if p.qself.is_some() {
            return None;
        }
        let names: Vec<String> = p
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let is_option = match names.as_slice() {
            [one] => one == "Option",
            [krate, module, last] => {
                (krate == "core" || krate == "std") && module == "option" && last == "Option"
            }
            _ => false,
        };
        if !is_option {
            return None;
        }
        let last = p.path.segments.last()?;
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        match args.args.first() {
            Some(syn::GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
            _ => None,
        }
    }

    /// `PhantomData<…>` fields carry no value; they need no role.
    pub fn is_phantom(&self) -> bool {
        match self.ty {
            Type::Path(p) => p
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "PhantomData"),
            _ => false,
        }
    }
}

impl<'a> Input<'a> {
    /// Accepts a struct with named fields, or a unit struct; reports anything else.
    pub fn from_syn(cx: &Ctxt, node: &'a DeriveInput, derive: &str) -> Option<Input<'a>> {
        let fields = match &node.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => named
                    .named
                    .iter()
                    .map(|f| Field {
                        original: f,
                        member: Member::Named(
                            f.ident
                                .clone()
                                .unwrap_or_else(|| Ident::new("__unnamed", Span::call_site())),
                        ),
                        ty: &f.ty,
                    })
                    .collect(),
                Fields::Unit => Vec::new(),
                Fields::Unnamed(unnamed) => {
                    cx.error_spanned_by(
                        unnamed,
                        format!(
                            "#[derive({derive})] needs named fields: a field's name says what \
                             it is (write `struct {} {{ … }}`)",
                            node.ident
                        ),
                    );
                    return None;
                }
            },
            Data::Enum(data) => {
                cx.error_at(
                    data.enum_token.span,
                    format!("#[derive({derive})] applies to structs, not enums"),
                );
                return None;
            }
            Data::Union(data) => {
                cx.error_at(
                    data.union_token.span,
                    format!("#[derive({derive})] applies to structs, not unions"),
                );
                return None;
            }
        };
        Some(Input {
            ident: &node.ident,
            generics: &node.generics,
            fields,
        })
    }
}

/// The input of `#[derive(Buttons)]` and `#[derive(Menu)]`: an enum of unit variants, each one
/// a choice.
pub struct EnumInput<'a> {
    pub ident: &'a Ident,
    pub variants: Vec<&'a syn::Variant>,
}

impl<'a> EnumInput<'a> {
    /// Accepts an enum; reports a struct, a union, a generic enum and each variant with fields
    /// (a tap carries only an id, so a choice holds no data). Variants with fields are left out.
    pub fn from_syn(
        cx: &Ctxt,
        node: &'a DeriveInput,
        derive: &str,
        example: &str,
    ) -> Option<EnumInput<'a>> {
        let data = match &node.data {
            Data::Enum(data) => data,
            Data::Struct(data) => {
                cx.error_at(
                    data.struct_token.span,
                    format!(
                        "#[derive({derive})] applies to enums, not structs: each variant is a \
                         choice (write `{example}`)"
                    ),
                );
                return None;
            }
            Data::Union(data) => {
                cx.error_at(
                    data.union_token.span,
                    format!("#[derive({derive})] applies to enums, not unions (write `{example}`)"),
                );
                return None;
            }
        };
        if !node.generics.params.is_empty() {
            cx.error_spanned_by(
                &node.generics,
                format!("#[derive({derive})] takes an enum without generic parameters"),
            );
        }
        let mut variants = Vec::with_capacity(data.variants.len());
        for variant in &data.variants {
            match &variant.fields {
                Fields::Unit => variants.push(variant),
                fields => cx.error_spanned_by(
                    fields,
                    format!(
                        "#[derive({derive})] needs unit variants: a customer's tap carries only \
                         the choice's id, so `{}` cannot hold data (remove the fields)",
                        variant.ident
                    ),
                ),
            }
        }
        Some(EnumInput {
            ident: &node.ident,
            variants,
        })
    }
}
