//! The roles a field of a derived template can play, as traits.
//!
//! Each text role names its rule once (in [`crate::rules`]); the derive calls `checked` on the
//! field, so the generated code never names a rule itself. A field type that cannot serve its
//! role fails to compile with a message that names the role.

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;

use crate::error::Error;
use crate::rules;
use crate::value::Otp;

macro_rules! text_role {
    ($(#[$attr:meta])* $trait:ident, $rule:path) => {
        $(#[$attr])*
        pub trait $trait {
            /// The text.
            fn text(&self) -> &str;

            /// The text, checked against the role's rule; `what` names the field in the error.
            #[inline]
            fn checked(&self, what: &'static str) -> Result<&str, Error> {
                crate::encode::checked(self.text(), $rule, what)
            }
        }

        impl $trait for str {
            #[inline]
            fn text(&self) -> &str {
                self
            }
        }
        impl $trait for String {
            #[inline]
            fn text(&self) -> &str {
                self
            }
        }
        impl $trait for Cow<'_, str> {
            #[inline]
            fn text(&self) -> &str {
                self
            }
        }
        impl $trait for Box<str> {
            #[inline]
            fn text(&self) -> &str {
                self
            }
        }
        impl $trait for Rc<str> {
            #[inline]
            fn text(&self) -> &str {
                self
            }
        }
        impl $trait for Arc<str> {
            #[inline]
            fn text(&self) -> &str {
                self
            }
        }
        impl $trait for Otp {
            #[inline]
            fn text(&self) -> &str {
                self.as_str()
            }
        }
        impl<T: $trait + ?Sized> $trait for &T {
            #[inline]
            fn text(&self) -> &str {
                (**self).text()
            }
        }
        impl<T: $trait + ?Sized> $trait for &mut T {
            #[inline]
            fn text(&self) -> &str {
                (**self).text()
            }
        }
    };
}

text_role!(
    /// `#[template(otp)]`: the one-time password of an authentication template.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be the OTP of an authentication template",
        label = "the type of a `#[template(otp)]` field",
        note = "an OTP field holds `kaleyra::Otp` (checked when built, or at compile time with `otp!`), `String`, `&str` or `Cow<str>`"
    )]
    OtpCode,
    rules::check_otp
);

text_role!(
    /// `#[template(body)]`: a template body parameter.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be a template body parameter",
        label = "the type of a `#[template(body)]` field",
        note = "a body parameter is text: `String`, `&str`, `Cow<str>` (format numbers and dates into text first)"
    )]
    BodyParameter,
    rules::check_body_parameter
);

text_role!(
    /// `#[template(flow_token)]` / `#[flow(token)]`: the flow token.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be a flow token",
        label = "the type of a flow token field",
        note = "a flow token is text: `String`, `&str` or `Cow<str>`"
    )]
    FlowToken,
    rules::check_non_empty
);

text_role!(
    /// `#[template(product_retailer_id)]`: the product's id in the catalog.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be a product retailer id",
        label = "the type of a `#[template(product_retailer_id)]` field",
        note = "a product retailer id is text: `String`, `&str` or `Cow<str>`"
    )]
    ProductRetailerId,
    rules::check_non_empty
);

text_role!(
    /// `#[template(catalog_id)]`: the catalog's id.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be a catalog id",
        label = "the type of a `#[template(catalog_id)]` field",
        note = "a catalog id is text: `String`, `&str` or `Cow<str>`"
    )]
    CatalogId,
    rules::check_non_empty
);

text_role!(
    /// `#[flow(header)]`: the header text of an interactive flow message.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be the header text of a flow message",
        label = "the type of a `#[flow(header)]` field",
        note = "header text is `String`, `&str` or `Cow<str>`"
    )]
    HeaderText,
    rules::check_header_text
);

text_role!(
    /// `#[flow(body)]`: the body text of an interactive flow message.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be the body text of a flow message",
        label = "the type of a `#[flow(body)]` field",
        note = "body text is `String`, `&str` or `Cow<str>`"
    )]
    BodyText,
    rules::check_flow_body
);

text_role!(
    /// `#[flow(footer)]`: the footer text of an interactive flow message.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be the footer text of a flow message",
        label = "the type of a `#[flow(footer)]` field",
        note = "footer text is `String`, `&str` or `Cow<str>`"
    )]
    FooterText,
    rules::check_flow_footer
);

/// `#[template(flow_action_data)]`: a flow template's `flow_action_data`, any value that
/// serializes to a JSON object (`{}` is allowed).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the flow_action_data of a flow template",
    label = "the type of a `#[template(flow_action_data)]` field",
    note = "flow_action_data is any `serde::Serialize` type that serializes to a JSON object: a struct deriving `Serialize`, a map, or `serde_json::Value`"
)]
pub trait FlowActionData {
    /// Serializes the value, which must be a JSON object.
    fn write_json(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error>;
}

impl<T: serde::Serialize + ?Sized> FlowActionData for T {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error> {
        crate::encode::json_object(out, self, false, what)
    }
}

/// A data field of `#[derive(Flow)]`: one member of `flow_action_payload.data`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a member of a flow message's data",
    label = "a data field: the fields of a `#[derive(Flow)]` struct without a role form `flow_action_payload.data`",
    note = "a data field's type must implement `serde::Serialize`; mark a field that is not sent `#[flow(skip)]`"
)]
pub trait FlowDataField {
    /// Serializes the value.
    fn write_json(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error>;
}

impl<T: serde::Serialize + ?Sized> FlowDataField for T {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error> {
        crate::encode::json_value(out, self, what)
    }
}

/// A field of a `#[derive(FlowResponse)]` struct, read from a flow reply's `response_json`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a flow response",
    label = "a field of a `#[derive(FlowResponse)]` struct",
    note = "a flow response field's type must implement `serde::Deserialize` and own its data (`String`, not `&str`); mark a field that is not in the response `#[flow_response(skip)]`"
)]
pub trait FlowResponseRead: serde::de::DeserializeOwned {}

impl<T: serde::de::DeserializeOwned> FlowResponseRead for T {}

/// A field of a `#[derive(FlowResponse)]` struct, written into a `response_json` (the simulator
/// posts flow completions built from a value).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written into a flow response",
    label = "a field of a `#[derive(FlowResponse)]` struct",
    note = "a flow response field's type must implement `serde::Serialize` too (derive both `Serialize` and `Deserialize`); mark a field that is not in the response `#[flow_response(skip)]`"
)]
pub trait FlowResponseWrite: serde::Serialize {}

impl<T: serde::Serialize + ?Sized> FlowResponseWrite for T {}

/// `#[flow_response(token)]`: the flow token a completed flow carries back.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a flow token",
    label = "the type of a `#[flow_response(token)]` field",
    note = "a flow token is text: `String`, `Box<str>` or `Cow<'static, str>`, or an `Option` of one when the token may be missing"
)]
pub trait FlowResponseToken {
    /// The token, if there is one.
    fn token(&self) -> Option<&str>;
}

impl FlowResponseToken for String {
    #[inline]
    fn token(&self) -> Option<&str> {
        Some(self)
    }
}
impl FlowResponseToken for Box<str> {
    #[inline]
    fn token(&self) -> Option<&str> {
        Some(self)
    }
}
impl FlowResponseToken for Cow<'static, str> {
    #[inline]
    fn token(&self) -> Option<&str> {
        Some(self)
    }
}
impl<T: FlowResponseToken> FlowResponseToken for Option<T> {
    #[inline]
    fn token(&self) -> Option<&str> {
        self.as_ref()?.token()
    }
}
