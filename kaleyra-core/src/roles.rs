//! The roles a field of a derived template can play, as traits.
//!
//! Each text role names its rule once (in [`crate::rules`]); the derive calls `checked` on the
//! field, so the generated code never names a rule itself. A field type that cannot serve its
//! role fails to compile with a message that names the role.

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;

use crate::error::Error;
use crate::params::{Currency, DateTime, FlowButton, Location, Media, Mpm};
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

// ------------------------------------------------------------------------ general templates

/// Implements a whole-object role for the text types, writing `$write(out, name, text)`.
macro_rules! text_types {
    ($trait:ident :: $method:ident, $rule:path, |$out:ident, $name:ident, $text:ident| $write:expr) => {
        text_types!(@impl $trait::$method, $rule, |$out, $name, $text| $write,
            str, String, Cow<'_, str>, Box<str>, Rc<str>, Arc<str>);
    };
    (@impl $trait:ident :: $method:ident, $rule:path, |$out:ident, $name:ident, $text:ident| $write:expr, $($ty:ty),*) => {
        $(
            impl $trait for $ty {
                #[inline]
                fn $method(
                    &self,
                    $out: &mut Vec<u8>,
                    $name: Option<&str>,
                    what: &'static str,
                ) -> Result<(), Error> {
                    let $text = crate::encode::checked(self, $rule, what)?;
                    $write;
                    Ok(())
                }

                #[inline]
                fn len_hint(&self) -> usize {
                    self.len() + 64
                }
            }
        )*
    };
}

/// `#[template(header)]`: a general template's header parameter.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a template header",
    label = "the type of a `#[template(header)]` field",
    note = "a header is text (`String`, `&str`, `Cow<str>`; at most 60 characters), \
            `kaleyra::Media` (an image, video or document) or `kaleyra::Location`"
)]
pub trait TemplateHeader {
    /// Checks the value and writes the whole parameter object; `name` is its parameter name in
    /// a template with named parameters (text headers only).
    fn write_header(
        &self,
        out: &mut Vec<u8>,
        name: Option<&str>,
        what: &'static str,
    ) -> Result<(), Error>;

    /// About how many bytes it writes (an upper bound before escaping).
    fn len_hint(&self) -> usize;
}

text_types!(
    TemplateHeader::write_header,
    rules::check_header_parameter,
    |out, name, text| {
        crate::layout::text_parameter(&mut crate::layout::Direct(out), name, text)
    }
);

fn no_name(name: Option<&str>, what: &'static str) -> Result<(), Error> {
    match name {
        None => Ok(()),
        Some(_) => Err(crate::encode::invalid(
            what,
            "only a text header has a parameter name",
        )),
    }
}

impl TemplateHeader for Media {
    #[inline]
    fn write_header(
        &self,
        out: &mut Vec<u8>,
        name: Option<&str>,
        what: &'static str,
    ) -> Result<(), Error> {
        no_name(name, what)?;
        // Audio and stickers exist for session messages; a template header refuses them.
        rules::check_template_header_media(self.kind())
            .map_err(|v| crate::encode::violation(what, v))?;
        self.write(out);
        Ok(())
    }

    fn len_hint(&self) -> usize {
        Media::len_hint(self)
    }
}

impl TemplateHeader for Location {
    #[inline]
    fn write_header(
        &self,
        out: &mut Vec<u8>,
        name: Option<&str>,
        what: &'static str,
    ) -> Result<(), Error> {
        no_name(name, what)?;
        self.write(out);
        Ok(())
    }

    fn len_hint(&self) -> usize {
        Location::len_hint(self)
    }
}

impl<T: TemplateHeader + ?Sized> TemplateHeader for &T {
    #[inline]
    fn write_header(
        &self,
        out: &mut Vec<u8>,
        name: Option<&str>,
        what: &'static str,
    ) -> Result<(), Error> {
        (**self).write_header(out, name, what)
    }

    fn len_hint(&self) -> usize {
        (**self).len_hint()
    }
}

/// `#[template(body)]` / `#[template(body = "name")]` in a general template: one body
/// parameter (a card's is [`CardParameter`]).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a template body parameter",
    label = "the type of a body parameter field",
    note = "a body parameter is text (`String`, `&str`, `Cow<str>`), `kaleyra::Currency` or \
            `kaleyra::DateTime`"
)]
pub trait TemplateParameter {
    /// Checks the value and writes the whole parameter object, with `name` if the template's
    /// parameters are named.
    fn write_parameter(
        &self,
        out: &mut Vec<u8>,
        name: Option<&str>,
        what: &'static str,
    ) -> Result<(), Error>;

    /// About how many bytes it writes (an upper bound before escaping).
    fn len_hint(&self) -> usize;
}

text_types!(
    TemplateParameter::write_parameter,
    rules::check_body_parameter,
    |out, name, text| {
        crate::layout::text_parameter(&mut crate::layout::Direct(out), name, text)
    }
);

impl TemplateParameter for Currency {
    #[inline]
    fn write_parameter(
        &self,
        out: &mut Vec<u8>,
        name: Option<&str>,
        _: &'static str,
    ) -> Result<(), Error> {
        self.write(out, name);
        Ok(())
    }

    fn len_hint(&self) -> usize {
        Currency::len_hint(self)
    }
}

impl TemplateParameter for DateTime {
    #[inline]
    fn write_parameter(
        &self,
        out: &mut Vec<u8>,
        name: Option<&str>,
        _: &'static str,
    ) -> Result<(), Error> {
        self.write(out, name);
        Ok(())
    }

    fn len_hint(&self) -> usize {
        DateTime::len_hint(self)
    }
}

impl<T: TemplateParameter + ?Sized> TemplateParameter for &T {
    #[inline]
    fn write_parameter(
        &self,
        out: &mut Vec<u8>,
        name: Option<&str>,
        what: &'static str,
    ) -> Result<(), Error> {
        (**self).write_parameter(out, name, what)
    }

    fn len_hint(&self) -> usize {
        (**self).len_hint()
    }
}

/// `#[card(body)]`: one body parameter of a carousel card; the types of
/// [`TemplateParameter`], with the card's own words when a type does not fit.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a carousel card's body parameter",
    label = "the type of a `#[card(body)]` field",
    note = "a card's body parameter is text (`String`, `&str`, `Cow<str>`), `kaleyra::Currency` \
            or `kaleyra::DateTime`"
)]
pub trait CardParameter {
    /// Checks the value and writes the whole parameter object.
    fn write_parameter(
        &self,
        out: &mut Vec<u8>,
        name: Option<&str>,
        what: &'static str,
    ) -> Result<(), Error>;

    /// About how many bytes it writes (an upper bound before escaping).
    fn len_hint(&self) -> usize;
}

// Each type of `TemplateParameter`, one by one: a blanket impl would report a wrong type with
// the template's words ("required for `f64` to implement `CardParameter`").
macro_rules! card_parameters {
    ($($ty:ty),*) => {
        $(
            impl CardParameter for $ty {
                #[inline]
                fn write_parameter(
                    &self,
                    out: &mut Vec<u8>,
                    name: Option<&str>,
                    what: &'static str,
                ) -> Result<(), Error> {
                    TemplateParameter::write_parameter(self, out, name, what)
                }

                #[inline]
                fn len_hint(&self) -> usize {
                    TemplateParameter::len_hint(self)
                }
            }
        )*
    };
}

card_parameters!(
    str,
    String,
    Cow<'_, str>,
    Box<str>,
    Rc<str>,
    Arc<str>,
    Currency,
    DateTime
);

impl<T: CardParameter + ?Sized> CardParameter for &T {
    #[inline]
    fn write_parameter(
        &self,
        out: &mut Vec<u8>,
        name: Option<&str>,
        what: &'static str,
    ) -> Result<(), Error> {
        (**self).write_parameter(out, name, what)
    }

    fn len_hint(&self) -> usize {
        (**self).len_hint()
    }
}

text_role!(
    /// `#[template(button(url, index = N))]`: the suffix of a dynamic URL button.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be the suffix of a URL button",
        label = "the type of a `button(url, …)` field",
        note = "a URL button's parameter is the text appended to its approved URL: `String`, `&str` or `Cow<str>`"
    )]
    UrlSuffix,
    rules::check_url_suffix
);

text_role!(
    /// `#[template(button(quick_reply, index = N))]`: the payload returned when the button is
    /// tapped.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be the payload of a quick-reply button",
        label = "the type of a `button(quick_reply, …)` field",
        note = "a quick-reply button's payload is text: `String`, `&str` or `Cow<str>`"
    )]
    QuickReplyPayload,
    rules::check_payload
);

text_role!(
    /// `#[template(button(copy_code, index = N))]`: the coupon code a copy-code button copies.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be the coupon code of a copy-code button",
        label = "the type of a `button(copy_code, …)` field",
        note = "a coupon code is text of at most 15 characters: `String`, `&str` or `Cow<str>`"
    )]
    CouponCode,
    rules::check_coupon_code
);

text_role!(
    /// `#[template(button(catalog, index = N))]`: the retailer id of the product shown as the
    /// catalog's thumbnail.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be the thumbnail of a catalog button",
        label = "the type of a `button(catalog, …)` field",
        note = "a catalog button's parameter is a product retailer id: `String`, `&str` or `Cow<str>`"
    )]
    CatalogThumbnail,
    rules::check_non_empty
);

/// `#[template(button(flow, index = N))]` / `#[template(button(mpm, index = N))]`: the
/// `action` object of a flow or multi-product button.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the parameter of a flow or multi-product button",
    label = "the type of a `button(flow, …)` or `button(mpm, …)` field",
    note = "a flow button takes `kaleyra::FlowButton` (token and action data); a multi-product \
            button takes `kaleyra::Mpm` (thumbnail and product sections)"
)]
pub trait ButtonAction {
    /// Which button it fills.
    const KIND: crate::layout::ButtonKind;

    /// Checks the value and writes the `action` object.
    fn write_action(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error>;

    /// About how many bytes it writes (an upper bound before escaping).
    fn len_hint(&self) -> usize;
}

impl ButtonAction for FlowButton {
    const KIND: crate::layout::ButtonKind = crate::layout::ButtonKind::Flow;

    #[inline]
    fn write_action(&self, out: &mut Vec<u8>, _: &'static str) -> Result<(), Error> {
        self.write(out);
        Ok(())
    }

    fn len_hint(&self) -> usize {
        FlowButton::len_hint(self)
    }
}

impl ButtonAction for Mpm {
    const KIND: crate::layout::ButtonKind = crate::layout::ButtonKind::Mpm;

    #[inline]
    fn write_action(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error> {
        // Built without a section, it is refused here, naming the field.
        self.sections_rule()
            .map_err(|v| crate::encode::violation(what, v))?;
        self.write(out);
        Ok(())
    }

    fn len_hint(&self) -> usize {
        Mpm::len_hint(self)
    }
}

impl<T: ButtonAction + ?Sized> ButtonAction for &T {
    const KIND: crate::layout::ButtonKind = T::KIND;

    #[inline]
    fn write_action(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error> {
        (**self).write_action(out, what)
    }

    fn len_hint(&self) -> usize {
        (**self).len_hint()
    }
}

/// `#[template(limited_time_offer)]`: when the offer expires.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the expiry of a limited-time offer",
    label = "the type of a `#[template(limited_time_offer)]` field",
    note = "a limited-time offer's expiry is milliseconds since the UNIX epoch (`u64` or `i64`) \
            or a `std::time::SystemTime`"
)]
pub trait ExpirationTime {
    /// The expiry in milliseconds since the UNIX epoch, checked.
    fn expiration_time_ms(&self, what: &'static str) -> Result<u64, Error>;
}

impl ExpirationTime for u64 {
    #[inline]
    fn expiration_time_ms(&self, what: &'static str) -> Result<u64, Error> {
        rules::check_expiration_time_ms(i128::from(*self))
            .map_err(|v| crate::encode::violation(what, v))
    }
}

impl ExpirationTime for i64 {
    #[inline]
    fn expiration_time_ms(&self, what: &'static str) -> Result<u64, Error> {
        rules::check_expiration_time_ms(i128::from(*self))
            .map_err(|v| crate::encode::violation(what, v))
    }
}

impl ExpirationTime for std::time::SystemTime {
    fn expiration_time_ms(&self, what: &'static str) -> Result<u64, Error> {
        let ms = self
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i128::try_from(d.as_millis()).unwrap_or(i128::MAX));
        rules::check_expiration_time_ms(ms).map_err(|v| crate::encode::violation(what, v))
    }
}

impl<T: ExpirationTime + ?Sized> ExpirationTime for &T {
    #[inline]
    fn expiration_time_ms(&self, what: &'static str) -> Result<u64, Error> {
        (**self).expiration_time_ms(what)
    }
}

text_role!(
    /// `#[template(header = "name")]`: a named header parameter, which is text (a media or
    /// location header has no name).
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be a named header parameter",
        label = "the type of a `#[template(header = \"…\")]` field",
        note = "a named header parameter is text (`String`, `&str`, `Cow<str>`; at most 60 characters); \
                a media or location header has no name: write `#[template(header)]`"
    )]
    NamedHeader,
    rules::check_header_parameter
);

/// `#[template(button(flow, index = N))]`: the parameter of a flow button. Only
/// [`FlowButton`] fills it, so that a multi-product button's [`Mpm`] cannot be put there.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the parameter of a flow button",
    label = "the type of a `button(flow, …)` field",
    note = "a flow button takes `kaleyra::FlowButton` (its flow token and action data); \
            `kaleyra::Mpm` goes in a `button(mpm, …)` field"
)]
pub trait FlowButtonAction: ButtonAction {
    /// Checks the value and writes the `action` object.
    #[inline]
    fn write_flow_action(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error> {
        self.write_action(out, what)
    }

    /// About how many bytes it writes.
    #[inline]
    fn flow_len_hint(&self) -> usize {
        self.len_hint()
    }
}

impl FlowButtonAction for FlowButton {}

impl<T: FlowButtonAction + ?Sized> FlowButtonAction for &T {}

/// `#[template(button(mpm, index = N))]`: the parameter of a multi-product button. Only
/// [`Mpm`] fills it, so that a flow button's [`FlowButton`] cannot be put there.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the parameter of a multi-product button",
    label = "the type of a `button(mpm, …)` field",
    note = "a multi-product button takes `kaleyra::Mpm` (its thumbnail and product sections); \
            `kaleyra::FlowButton` goes in a `button(flow, …)` field"
)]
pub trait MpmButtonAction: ButtonAction {
    /// Checks the value and writes the `action` object.
    #[inline]
    fn write_mpm_action(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error> {
        self.write_action(out, what)
    }

    /// About how many bytes it writes.
    #[inline]
    fn mpm_len_hint(&self) -> usize {
        self.len_hint()
    }
}

impl MpmButtonAction for Mpm {}

impl<T: MpmButtonAction + ?Sized> MpmButtonAction for &T {}

/// `#[card(header)]`: a carousel card's header, an image or a video.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the header of a carousel card",
    label = "the type of a `#[card(header)]` field",
    note = "a card's header is `kaleyra::Media`, an image or a video \
            (`Media::image_link`, `Media::image_id`, `Media::video_link`, `Media::video_id`)"
)]
pub trait CardHeader {
    /// Checks the value (an image or a video) and writes the whole parameter object.
    fn write_card_header(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error>;

    /// About how many bytes it writes (an upper bound before escaping).
    fn len_hint(&self) -> usize;
}

impl CardHeader for Media {
    #[inline]
    fn write_card_header(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error> {
        rules::check_card_header(self.kind()).map_err(|v| crate::encode::violation(what, v))?;
        self.write(out);
        Ok(())
    }

    fn len_hint(&self) -> usize {
        Media::len_hint(self)
    }
}

impl<T: CardHeader + ?Sized> CardHeader for &T {
    #[inline]
    fn write_card_header(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error> {
        (**self).write_card_header(out, what)
    }

    fn len_hint(&self) -> usize {
        (**self).len_hint()
    }
}

/// `#[template(carousel)]`: the cards of a carousel template, each a `#[derive(Card)]` struct.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the cards of a carousel",
    label = "the type of a `#[template(carousel)]` field",
    note = "a carousel is an array `[C; N]` (N checked at compile time), a `Vec<C>` or a slice \
            `&[C]` of a card type `C` that derives `kaleyra::Card`"
)]
pub trait Carousel {
    /// Checks the number of cards and writes them, `{card},{card},…`.
    fn write_cards(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error>;

    /// About how many bytes it writes (an upper bound before escaping).
    fn len_hint(&self) -> usize;
}

impl<C: crate::message::Card> Carousel for [C] {
    fn write_cards(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error> {
        rules::check_card_count(self.len()).map_err(|v| crate::encode::violation(what, v))?;
        for (index, card) in self.iter().enumerate() {
            if index > 0 {
                out.push(b',');
            }
            // At most CARDS_MAX cards, so the index fits.
            card.write_card(u8::try_from(index).unwrap_or(u8::MAX), out)?;
        }
        Ok(())
    }

    fn len_hint(&self) -> usize {
        self.iter().map(|card| card.len_hint() + 1).sum()
    }
}

impl<C: crate::message::Card, const N: usize> Carousel for [C; N] {
    #[inline]
    fn write_cards(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error> {
        self.as_slice().write_cards(out, what)
    }

    #[inline]
    fn len_hint(&self) -> usize {
        self.as_slice().len_hint()
    }
}

impl<C: crate::message::Card> Carousel for Vec<C> {
    #[inline]
    fn write_cards(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error> {
        self.as_slice().write_cards(out, what)
    }

    #[inline]
    fn len_hint(&self) -> usize {
        self.as_slice().len_hint()
    }
}

impl<T: Carousel + ?Sized> Carousel for &T {
    #[inline]
    fn write_cards(&self, out: &mut Vec<u8>, what: &'static str) -> Result<(), Error> {
        (**self).write_cards(out, what)
    }

    #[inline]
    fn len_hint(&self) -> usize {
        (**self).len_hint()
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
