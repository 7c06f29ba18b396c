//! The expansion of one struct of each kind, pretty-printed and snapshot-tested, so that every
//! codegen change is reviewed (`cargo insta review`, or INSTA_UPDATE=always to accept).

use quote::quote;

fn expand(
    tokens: proc_macro2::TokenStream,
    derive: fn(&syn::DeriveInput) -> proc_macro2::TokenStream,
) -> String {
    let input: syn::DeriveInput = syn::parse2(tokens).expect("test input is a struct");
    let file: syn::File = syn::parse2(derive(&input)).expect("expansion is valid Rust");
    prettyplease::unparse(&file)
}

#[test]
fn authentication_template() {
    insta::assert_snapshot!(expand(
        quote! {
            #[template(name = "auth1", kind = otp, lang = "en_US")]
            struct LoginCode {
                #[template(otp)]
                code: Otp,
            }
        },
        crate::template
    ));
}

#[test]
fn flow_template() {
    insta::assert_snapshot!(expand(
        quote! {
            #[template(name = "flow_template20", kind = flow, lang = "en_US", button_index = 0)]
            struct Survey<T: serde::Serialize> {
                #[template(flow_token)]
                token: String,
                #[template(flow_action_data)]
                first_screen: T,
            }
        },
        crate::template
    ));
}

#[test]
fn product_template() {
    insta::assert_snapshot!(expand(
        quote! {
            #[template(name = "abandoned_cart_offer", kind = product, lang = "en_US")]
            struct CartOffer<'a> {
                #[template(product_retailer_id)]
                product: &'a str,
                #[template(catalog_id)]
                catalog: String,
                #[template(body)]
                code: String,
                #[template(body)]
                discount: std::borrow::Cow<'a, str>,
            }
        },
        crate::template
    ));
}

#[test]
fn flow_message() {
    insta::assert_snapshot!(expand(
        quote! {
            #[flow(id = "1234567890", cta = "Book now", screen = "WELCOME",
                   header = "Flow message header", body = "Flow message body",
                   footer = "Flow message footer")]
            struct Booking {
                #[flow(token)]
                token: String,
                date: String,
                guests: u8,
            }
        },
        crate::flow
    ));
}

#[test]
fn standard_template() {
    insta::assert_snapshot!(expand(
        quote! {
            #[template(name = "order_shipped", lang = "en_US")]
            struct OrderShipped<'a> {
                #[template(header)]
                invoice: Media,
                #[template(body)]
                customer: &'a str,
                #[template(body)]
                total: Currency,
                #[template(limited_time_offer)]
                expires: u64,
                #[template(button(quick_reply, index = 1))]
                stop: &'static str,
                #[template(button(url, index = 0))]
                tracking: String,
                #[template(button(flow, index = 2))]
                survey: FlowButton,
            }
        },
        crate::template
    ));
}

#[test]
fn standard_template_named() {
    insta::assert_snapshot!(expand(
        quote! {
            #[template(name = "welcome_named", lang = "en_US")]
            struct Welcome {
                #[template(header = "season")]
                season: String,
                #[template(body = "first_name")]
                first_name: String,
                #[template(button(copy_code, index = 0))]
                coupon: String,
            }
        },
        crate::template
    ));
}

#[test]
fn standard_template_carousel() {
    insta::assert_snapshot!(expand(
        quote! {
            #[template(name = "summer_carousel", lang = "en_US")]
            struct Summer<C: Card> {
                #[template(body)]
                name: String,
                #[template(carousel)]
                cards: Vec<C>,
            }
        },
        crate::template
    ));
}

#[test]
fn card() {
    insta::assert_snapshot!(expand(
        quote! {
            struct Offer {
                #[card(header)]
                image: Media,
                #[card(body)]
                price: Currency,
                #[card(button(url, index = 1))]
                link: String,
                #[card(button(quick_reply, index = 0))]
                payload: String,
            }
        },
        crate::card
    ));
}

#[test]
fn flow_template_with_optional_members() {
    insta::assert_snapshot!(expand(
        quote! {
            #[template(name = "flow_template20", kind = flow, lang = "en_US")]
            struct Survey {
                #[template(flow_token)]
                token: Option<String>,
                #[template(flow_action_data)]
                first_screen: serde_json::Value,
            }
        },
        crate::template
    ));
}

#[test]
fn card_errors_still_emit_the_skeleton() {
    insta::assert_snapshot!(expand(
        quote! {
            struct Offer {
                #[card(body)]
                price: String,
                #[card(button(copy_code, index = 0))]
                code: String,
            }
        },
        crate::card
    ));
}

#[test]
fn errors_still_emit_the_skeleton() {
    insta::assert_snapshot!(expand(
        quote! {
            #[template(name = "Auth-1", kind = otp, lang = "en-US", button_index = 10)]
            struct LoginCode {
                code: Otp,
            }
        },
        crate::template
    ));
}

#[test]
fn flow_response() {
    insta::assert_snapshot!(expand(
        quote! {
            struct Booked {
                #[flow_response(token)]
                token: String,
                date: String,
                #[flow_response(rename = "guest_count")]
                guests: u8,
                note: Option<String>,
                #[flow_response(skip)]
                seen: bool,
            }
        },
        crate::flow_response
    ));
}

#[test]
fn flow_with_response() {
    insta::assert_snapshot!(expand(
        quote! {
            #[flow(id = "1234567890", cta = "Book now", body = "Pick a date", response = Booked)]
            struct Booking {
                #[flow(token)]
                token: String,
            }
        },
        crate::flow
    ));
}

#[test]
fn reply_buttons() {
    insta::assert_snapshot!(expand(
        quote! {
            enum Delivery {
                #[button(title = "Tomorrow")]
                Tomorrow,
                #[button(id = "cancel", title = "Cancel order")]
                Cancel,
            }
        },
        crate::buttons
    ));
}

#[test]
fn menu() {
    insta::assert_snapshot!(expand(
        quote! {
            #[menu(button = "Pick a slot")]
            enum Slot {
                #[menu(section = "Morning", title = "09:00-12:00")]
                Morning,
                #[menu(section = "Afternoon", title = "12:00-15:00", description = "We call first")]
                Afternoon,
                #[menu(section = "Morning", id = "early", title = "08:00-09:00")]
                Early,
            }
        },
        crate::menu
    ));
}

#[test]
fn buttons_errors_still_emit_the_skeleton() {
    insta::assert_snapshot!(expand(
        quote! {
            enum Delivery {
                #[button(title = "Tomorrow, first thing in the morning")]
                Tomorrow,
            }
        },
        crate::buttons
    ));
}
