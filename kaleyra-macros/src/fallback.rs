//! On error, still emit the impls (with an unreachable body), so that the rest of the user's
//! code type-checks and rust-analyzer keeps working while the errors are fixed.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::{DeriveInput, Path};

/// The `Card` impl's skeleton, for `#[derive(Card)]`.
pub fn card(node: &DeriveInput, krate: &Path, errors: TokenStream) -> TokenStream {
    let ident = &node.ident;
    let (impl_generics, ty_generics, where_clause) = node.generics.split_for_impl();
    quote! {
        #errors

        #[automatically_derived]
        impl #impl_generics #krate::__private::Card for #ident #ty_generics #where_clause {
            fn write_card(
                &self,
                _: ::core::primitive::u8,
                _: &mut #krate::__private::Vec<::core::primitive::u8>,
            ) -> ::core::result::Result<(), #krate::__private::Error> {
                ::core::unreachable!()
            }
        }
    }
}

pub fn expand(
    node: &DeriveInput,
    krate: &Path,
    kind: TokenStream,
    trait_name: &str,
    errors: TokenStream,
) -> TokenStream {
    let ident = &node.ident;
    let trait_name = Ident::new(trait_name, Span::call_site());
    let (impl_generics, ty_generics, where_clause) = node.generics.split_for_impl();
    quote! {
        #errors

        #[automatically_derived]
        impl #impl_generics #krate::__private::Encode for #ident #ty_generics #where_clause {
            const KIND: #krate::__private::MessageKind = #krate::__private::MessageKind::#kind;

            fn encode(
                &self,
                _: &::core::primitive::str,
                _: &mut #krate::__private::Vec<::core::primitive::u8>,
            ) -> ::core::result::Result<(), #krate::__private::Error> {
                ::core::unreachable!()
            }
        }

        #[automatically_derived]
        impl #impl_generics #krate::__private::#trait_name for #ident #ty_generics #where_clause {}
    }
}

/// The skeleton of `impl FlowResponse`, for a `#[derive(FlowResponse)]` with errors.
pub fn flow_response(node: &DeriveInput, krate: &Path, errors: TokenStream) -> TokenStream {
    let ident = &node.ident;
    let (impl_generics, ty_generics, where_clause) = node.generics.split_for_impl();
    quote! {
        #errors

        #[automatically_derived]
        impl #impl_generics #krate::__private::FlowResponse for #ident #ty_generics #where_clause {
            fn from_response_json(
                _: &::core::primitive::str,
            ) -> ::core::result::Result<Self, #krate::__private::Error> {
                ::core::unreachable!()
            }

            fn to_response_json(
                &self,
            ) -> ::core::result::Result<#krate::__private::String, #krate::__private::Error> {
                ::core::unreachable!()
            }

            fn flow_token(&self) -> ::core::option::Option<&::core::primitive::str> {
                ::core::unreachable!()
            }
        }
    }
}

/// The skeleton of `impl Choice` and `ask`, for a `#[derive(Buttons)]` or `#[derive(Menu)]`
/// with errors: `message` is `Buttons` or `List`, what `ask` returns.
pub fn choice(node: &DeriveInput, krate: &Path, message: &str, errors: TokenStream) -> TokenStream {
    let ident = &node.ident;
    let message = Ident::new(message, Span::call_site());
    let (impl_generics, ty_generics, where_clause) = node.generics.split_for_impl();
    quote! {
        #errors

        #[automatically_derived]
        impl #impl_generics #krate::__private::Choice for #ident #ty_generics #where_clause {
            const IDS: &'static [&'static ::core::primitive::str] = &[];

            fn from_id(_: &::core::primitive::str) -> ::core::option::Option<Self> {
                ::core::option::Option::None
            }

            fn id(&self) -> &'static ::core::primitive::str {
                ::core::unreachable!()
            }
        }

        #[automatically_derived]
        impl #impl_generics #ident #ty_generics #where_clause {
            #[allow(dead_code, missing_docs)]
            pub fn ask<'__kaleyra>(
                _: impl ::core::convert::Into<
                    #krate::__private::Cow<'__kaleyra, ::core::primitive::str>,
                >,
            ) -> ::core::result::Result<
                #krate::__private::#message<'__kaleyra>,
                #krate::__private::Error,
            > {
                ::core::unreachable!()
            }
        }
    }
}
