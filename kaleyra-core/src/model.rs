//! Builders for messages whose template is only known at run time.
//!
//! Prefer `#[derive(Template)]` and `#[derive(Flow)]`: they check names, languages and layout at
//! compile time. These builders check the same rules (the same code) when the message is built,
//! and write the same bytes.
//!
//! ```
//! use kaleyra_core::model::AuthenticationTemplate;
//! use kaleyra_core::{Otp, Template};
//!
//! let message = AuthenticationTemplate::new("auth1", "en_US", Otp::new("J$FpXXXX")?)
//!     .to("+91 98765 43210")?;
//! assert_eq!(message.to_json()["messaging_object"]["to"], "+919876543210");
//! # Ok::<(), kaleyra_core::Error>(())
//! ```

use serde_json::Value;

use crate::encode;
use crate::error::{Error, ValidationError};
use crate::json;
use crate::layout::{self, FlowAction, FlowMode, Sink, Slot, Text};
use crate::message::{Encode, Flow, MessageKind, Template};
use crate::rules::{self, Violation};
use crate::value::{Otp, invalid};

/// Walks a layout straight into `out`, filling slots with `fill`; stops filling at the first
/// error.
struct Writer<'o, F> {
    out: &'o mut Vec<u8>,
    fill: F,
    result: Result<(), Error>,
}

impl<F: FnMut(Slot, &mut Vec<u8>) -> Result<(), Error>> Sink for Writer<'_, F> {
    fn raw(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }
    fn string(&mut self, s: &str) {
        json::write_str(self.out, s);
    }
    fn slot(&mut self, slot: Slot) {
        if self.result.is_ok() {
            self.result = (self.fill)(slot, self.out);
        }
    }
}

fn run<F>(out: &mut Vec<u8>, fill: F, walk: impl FnOnce(&mut Writer<'_, F>)) -> Result<(), Error>
where
    F: FnMut(Slot, &mut Vec<u8>) -> Result<(), Error>,
{
    let mut writer = Writer {
        out,
        fill,
        result: Ok(()),
    };
    walk(&mut writer);
    writer.result
}

/// A slot this builder never lays out: a bug, reported rather than written as broken JSON.
fn unexpected(slot: Slot) -> Error {
    Error::Validation(ValidationError::new(
        "the message layout",
        Violation::NotJson {
            reason: format!("unexpected slot {slot:?}"),
        },
    ))
}

fn check_template(name: &str, language: &str, index: u8) -> Result<&'static str, Error> {
    rules::check_template_name(name).map_err(invalid("the template name"))?;
    rules::check_button_index(i128::from(index)).map_err(invalid("the button index"))?;
    Ok(rules::language(language).map_err(invalid("the language"))?)
}

fn body_parameter(out: &mut Vec<u8>, body: &[String], n: usize) -> Result<(), Error> {
    let text = body.get(n).map(String::as_str).unwrap_or_default();
    rules::check_body_parameter(text)
        .map_err(|v| ValidationError::new(format!("body parameter {{{{{}}}}}", n + 1), v))?;
    json::write_str(out, text);
    Ok(())
}

/// An authentication (OTP) template: the code goes into the body and into the URL button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticationTemplate {
    name: String,
    language: String,
    otp: Otp,
    button_index: u8,
}

impl AuthenticationTemplate {
    /// The approved template `name` in `language` (e.g. `"auth1"`, `"en_US"`), with its code.
    /// The button index defaults to 0.
    pub fn new(name: impl Into<String>, language: impl Into<String>, otp: Otp) -> Self {
        AuthenticationTemplate {
            name: name.into(),
            language: language.into(),
            otp,
            button_index: 0,
        }
    }

    /// The position of the template's URL (copy code) button, 0-9.
    pub fn button_index(mut self, index: u8) -> Self {
        self.button_index = index;
        self
    }
}

impl Encode for AuthenticationTemplate {
    const KIND: MessageKind = MessageKind::Authentication;

    fn encode(&self, to: &str, out: &mut Vec<u8>) -> Result<(), Error> {
        let language = check_template(&self.name, &self.language, self.button_index)?;
        let layout = layout::Authentication {
            name: &self.name,
            language,
            button_index: self.button_index,
        };
        let fill = |slot: Slot, out: &mut Vec<u8>| match slot {
            Slot::To => encode::recipient(out, to),
            Slot::Otp => {
                json::write_str(out, self.otp.as_str());
                Ok(())
            }
            other => Err(unexpected(other)),
        };
        run(out, fill, |w| layout.walk(w))
    }

    fn size_hint(&self) -> usize {
        // The layout, the name, the recipient and code, and a typical extra_info.
        560 + self.name.len()
    }
}

impl Template for AuthenticationTemplate {}

/// A flow template: a template whose button opens a WhatsApp flow.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowTemplate {
    name: String,
    language: String,
    button_index: u8,
    body: Vec<String>,
    flow_token: Option<String>,
    flow_action_data: Option<Value>,
}

impl FlowTemplate {
    /// The approved template `name` in `language`. The button index defaults to 0.
    pub fn new(name: impl Into<String>, language: impl Into<String>) -> Self {
        FlowTemplate {
            name: name.into(),
            language: language.into(),
            button_index: 0,
            body: Vec::new(),
            flow_token: None,
            flow_action_data: None,
        }
    }

    /// The position of the template's flow button, 0-9.
    pub fn button_index(mut self, index: u8) -> Self {
        self.button_index = index;
        self
    }

    /// Adds the next body parameter (`{{1}}`, then `{{2}}`, ...).
    pub fn body_parameter(mut self, text: impl Into<String>) -> Self {
        self.body.push(text.into());
        self
    }

    /// The flow token, an identifier of the business's choosing (WhatsApp's default: "unused").
    pub fn flow_token(mut self, token: impl Into<String>) -> Self {
        self.flow_token = Some(token.into());
        self
    }

    /// `flow_action_data`: a JSON object (`{}` is allowed).
    pub fn flow_action_data(mut self, data: Value) -> Self {
        self.flow_action_data = Some(data);
        self
    }
}

impl Encode for FlowTemplate {
    const KIND: MessageKind = MessageKind::FlowTemplate;

    fn encode(&self, to: &str, out: &mut Vec<u8>) -> Result<(), Error> {
        let language = check_template(&self.name, &self.language, self.button_index)?;
        let layout = layout::FlowTemplate {
            name: &self.name,
            language,
            button_index: self.button_index,
            body_parameters: self.body.len(),
            flow_token: self.flow_token.is_some(),
            flow_action_data: self.flow_action_data.is_some(),
        };
        let fill = |slot: Slot, out: &mut Vec<u8>| match slot {
            Slot::To => encode::recipient(out, to),
            Slot::BodyParameter(n) => body_parameter(out, &self.body, n),
            Slot::FlowToken => encode::text(
                out,
                self.flow_token.as_deref().unwrap_or_default(),
                rules::check_non_empty,
                "the flow token",
            ),
            Slot::FlowActionData => match &self.flow_action_data {
                Some(data) => encode::json_object(out, data, false, "flow_action_data"),
                None => Err(unexpected(slot)),
            },
            other => Err(unexpected(other)),
        };
        run(out, fill, |w| layout.walk(w))
    }

    fn size_hint(&self) -> usize {
        let body: usize = self.body.iter().map(|b| b.len() + 24).sum();
        let token = self.flow_token.as_ref().map_or(0, String::len);
        640 + self.name.len() + body + token
    }
}

impl Template for FlowTemplate {}

/// A single-product template: a product from a catalog in the header, and body parameters.
/// Posted to the WABA route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductTemplate {
    name: String,
    language: String,
    product_retailer_id: String,
    catalog_id: String,
    body: Vec<String>,
}

impl ProductTemplate {
    /// The approved template `name` in `language`, showing `product_retailer_id` from
    /// `catalog_id`.
    pub fn new(
        name: impl Into<String>,
        language: impl Into<String>,
        product_retailer_id: impl Into<String>,
        catalog_id: impl Into<String>,
    ) -> Self {
        ProductTemplate {
            name: name.into(),
            language: language.into(),
            product_retailer_id: product_retailer_id.into(),
            catalog_id: catalog_id.into(),
            body: Vec::new(),
        }
    }

    /// Adds the next body parameter (`{{1}}`, then `{{2}}`, ...).
    pub fn body_parameter(mut self, text: impl Into<String>) -> Self {
        self.body.push(text.into());
        self
    }
}

impl Encode for ProductTemplate {
    const KIND: MessageKind = MessageKind::ProductTemplate;

    fn encode(&self, to: &str, out: &mut Vec<u8>) -> Result<(), Error> {
        let language = check_template(&self.name, &self.language, 0)?;
        let layout = layout::ProductTemplate {
            name: &self.name,
            language,
            catalog_id: None,
            body_parameters: self.body.len(),
        };
        let fill = |slot: Slot, out: &mut Vec<u8>| match slot {
            Slot::To => encode::recipient(out, to),
            Slot::ProductRetailerId => encode::text(
                out,
                &self.product_retailer_id,
                rules::check_non_empty,
                "the product retailer id",
            ),
            Slot::CatalogId => encode::text(
                out,
                &self.catalog_id,
                rules::check_non_empty,
                "the catalog id",
            ),
            Slot::BodyParameter(n) => body_parameter(out, &self.body, n),
            other => Err(unexpected(other)),
        };
        run(out, fill, |w| layout.walk(w))
    }

    fn size_hint(&self) -> usize {
        let body: usize = self.body.iter().map(|b| b.len() + 24).sum();
        640 + self.name.len() + self.product_retailer_id.len() + self.catalog_id.len() + body
    }
}

impl Template for ProductTemplate {}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FlowRef {
    Id(String),
    Name(String),
}

/// An interactive flow message: a body, an optional header and footer, and a button that opens
/// a flow.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowMessage {
    flow: FlowRef,
    cta: String,
    body: String,
    header: Option<String>,
    footer: Option<String>,
    token: Option<String>,
    mode: Option<FlowMode>,
    action: FlowAction,
    screen: Option<String>,
    data: Option<Value>,
}

impl FlowMessage {
    fn new(flow: FlowRef, cta: String, body: String) -> Self {
        FlowMessage {
            flow,
            cta,
            body,
            header: None,
            footer: None,
            token: None,
            mode: None,
            action: FlowAction::Navigate,
            screen: None,
            data: None,
        }
    }

    /// The flow with numeric id `flow_id`, opened by a button labelled `cta`, under `body`.
    pub fn with_id(
        flow_id: impl Into<String>,
        cta: impl Into<String>,
        body: impl Into<String>,
    ) -> Self {
        FlowMessage::new(FlowRef::Id(flow_id.into()), cta.into(), body.into())
    }

    /// The flow named `flow_name`, opened by a button labelled `cta`, under `body`.
    pub fn with_name(
        flow_name: impl Into<String>,
        cta: impl Into<String>,
        body: impl Into<String>,
    ) -> Self {
        FlowMessage::new(FlowRef::Name(flow_name.into()), cta.into(), body.into())
    }

    /// Header text (at most 60 characters).
    pub fn header(mut self, text: impl Into<String>) -> Self {
        self.header = Some(text.into());
        self
    }

    /// Footer text (at most 60 characters).
    pub fn footer(mut self, text: impl Into<String>) -> Self {
        self.footer = Some(text.into());
        self
    }

    /// The flow token, an identifier of the business's choosing.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Send the draft or the published flow (WhatsApp's default: published).
    pub fn mode(mut self, mode: FlowMode) -> Self {
        self.mode = Some(mode);
        self
    }

    /// `navigate` (default) or `data_exchange`.
    pub fn action(mut self, action: FlowAction) -> Self {
        self.action = action;
        self
    }

    /// The first screen to open (`navigate` only).
    pub fn screen(mut self, screen: impl Into<String>) -> Self {
        self.screen = Some(screen.into());
        self
    }

    /// The first screen's input data: a non-empty JSON object (`navigate` with a screen only).
    pub fn data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    fn check(&self) -> Result<(), Error> {
        match &self.flow {
            FlowRef::Id(id) => rules::check_digits(id).map_err(invalid("the flow id"))?,
            FlowRef::Name(n) => rules::check_non_empty(n).map_err(invalid("the flow name"))?,
        }
        rules::check_flow_cta(&self.cta).map_err(invalid("the flow CTA"))?;
        rules::check_flow_body(&self.body).map_err(invalid("the body text"))?;
        if let Some(h) = &self.header {
            rules::check_header_text(h).map_err(invalid("the header text"))?;
        }
        if let Some(f) = &self.footer {
            rules::check_flow_footer(f).map_err(invalid("the footer text"))?;
        }
        if let Some(s) = &self.screen {
            rules::check_non_empty(s).map_err(invalid("the screen"))?;
        }
        rules::check_flow_payload(self.action, self.screen.is_some(), self.data.is_some())
            .map_err(invalid("the flow message"))?;
        Ok(())
    }
}

fn literal(text: &Option<String>) -> Text<'_> {
    text.as_deref().map_or(Text::None, Text::Literal)
}

impl Encode for FlowMessage {
    const KIND: MessageKind = MessageKind::FlowMessage;

    fn encode(&self, to: &str, out: &mut Vec<u8>) -> Result<(), Error> {
        self.check()?;
        let layout = layout::FlowMessage {
            header: literal(&self.header),
            body: Text::Literal(&self.body),
            footer: literal(&self.footer),
            flow: match &self.flow {
                FlowRef::Id(id) => layout::FlowRef::Id(id),
                FlowRef::Name(n) => layout::FlowRef::Name(n),
            },
            cta: &self.cta,
            mode: self.mode,
            action: self.action,
            screen: self.screen.as_deref(),
            token: self.token.is_some(),
            data: if self.data.is_some() {
                layout::FlowData::Object
            } else {
                layout::FlowData::None
            },
        };
        let fill = |slot: Slot, out: &mut Vec<u8>| match slot {
            Slot::To => encode::recipient(out, to),
            Slot::FlowToken => encode::text(
                out,
                self.token.as_deref().unwrap_or_default(),
                rules::check_non_empty,
                "the flow token",
            ),
            Slot::Data => match &self.data {
                Some(data) => encode::json_object(out, data, true, "the flow data"),
                None => Err(unexpected(slot)),
            },
            other => Err(unexpected(other)),
        };
        run(out, fill, |w| layout.walk(w))
    }

    fn size_hint(&self) -> usize {
        let text = |t: &Option<String>| t.as_ref().map_or(0, |t| t.len() + 32);
        800 + self.body.len()
            + self.cta.len()
            + text(&self.header)
            + text(&self.footer)
            + text(&self.token)
            + text(&self.screen)
    }
}

impl Flow for FlowMessage {}
