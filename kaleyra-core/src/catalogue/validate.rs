//! Meta's creation rules applied to a template definition before it is created or edited
//! (issue 19). The walk is here; every rule is in [`crate::rules`] (section "template
//! creation"), each once.

use std::fmt;

use serde_json::{Map, Value};

use super::definition::{Category, Parameters, TemplateDefinition, placeholders};
use crate::catalogue::ButtonType;
use crate::rules::{self, TemplateRule, Violation};

/// One creation rule a template definition breaks: the template, the member at fault (a dotted
/// path into the definition, `components[2].buttons[0].url`) and the rule.
///
/// Displayed as `NAME (LANG): MEMBER: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateViolation {
    name: String,
    language: String,
    member: String,
    rule: TemplateRule,
    message: String,
}

impl TemplateViolation {
    /// The template's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its language.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The member at fault: `name`, `category`, `components[1].text`,
    /// `components[2].buttons[0].url`, …
    pub fn member(&self) -> &str {
        &self.member
    }

    /// The rule it breaks.
    pub fn rule(&self) -> TemplateRule {
        self.rule
    }

    /// Why, in a sentence.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TemplateViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}: {}",
            self.name, self.language, self.member, self.message
        )
    }
}

impl std::error::Error for TemplateViolation {}

impl TemplateDefinition {
    /// Meta's creation rules (`RULES.md`, "Template creation"): every violation, in the order
    /// of the definition's members; empty when the definition can be submitted for review.
    ///
    /// Apply it to what will be created or edited: a pulled template's media example is a
    /// URL, which creation refuses (it takes an upload handle).
    ///
    /// ```
    /// use kaleyra::catalogue::TemplateDefinition;
    /// use kaleyra::rules::TemplateRule;
    ///
    /// let t = TemplateDefinition::from_json(serde_json::json!({
    ///     "name": "order_update", "language": "en_US", "status": "PENDING",
    ///     "category": "UTILITY",
    ///     "components": [
    ///         {"type": "BODY", "text": "Hi {{1}}, order {{3}} ships today",
    ///          "example": {"body_text": [["Pablo", "860198-230332"]]}},
    ///         {"type": "BUTTONS", "buttons": [
    ///             {"type": "URL", "text": "Track", "url": "https://x.example/{{1}}/track"}
    ///         ]}
    ///     ]
    /// }))?;
    /// let violations = t.validate();
    /// assert_eq!(violations[0].rule(), TemplateRule::Placeholders);
    /// assert_eq!(violations[0].member(), "components[0].text");
    /// assert_eq!(violations[1].member(), "components[1].buttons[0].url");
    /// assert!(violations[1].to_string().starts_with("order_update (en_US): components[1].buttons[0].url: "));
    /// # Ok::<(), kaleyra::catalogue::DefinitionError>(())
    /// ```
    pub fn validate(&self) -> Vec<TemplateViolation> {
        let mut walk = Walk {
            name: self.name(),
            language: self.language(),
            out: Vec::new(),
        };
        walk.template(self);
        walk.out
    }
}

/// Where a text's examples are (Meta: `example.body_text: [[…]]`,
/// `example.body_text_named_params`, `example.header_text: […]`,
/// `example.header_text_named_params`).
#[derive(Clone, Copy)]
struct ExampleKeys {
    rule: TemplateRule,
    positional: &'static str,
    named: &'static str,
    /// `[[…]]` rather than `[…]`.
    nested: bool,
}

const BODY_EXAMPLE: ExampleKeys = ExampleKeys {
    rule: TemplateRule::BodyExample,
    positional: "body_text",
    named: "body_text_named_params",
    nested: true,
};

const HEADER_EXAMPLE: ExampleKeys = ExampleKeys {
    rule: TemplateRule::HeaderExample,
    positional: "header_text",
    named: "header_text_named_params",
    nested: false,
};

struct Walk<'d> {
    name: &'d str,
    language: &'d str,
    out: Vec<TemplateViolation>,
}

use crate::json::kind_of;

impl Walk<'_> {
    fn push(&mut self, member: impl Into<String>, rule: TemplateRule, message: impl Into<String>) {
        self.out.push(TemplateViolation {
            name: self.name.to_owned(),
            language: self.language.to_owned(),
            member: member.into(),
            rule,
            message: message.into(),
        });
    }

    /// `what` followed by why the value breaks the rule.
    fn check(
        &mut self,
        member: impl Into<String>,
        rule: TemplateRule,
        what: &str,
        result: Result<(), Violation>,
    ) -> bool {
        match result {
            Ok(()) => true,
            Err(v) => {
                self.push(member, rule, format!("{what} {v}"));
                false
            }
        }
    }

    /// A string member: `None` (and a violation) when it is not a string; `Ok(None)` absent.
    fn string<'v>(
        &mut self,
        m: &'v Map<String, Value>,
        at: &str,
        key: &str,
    ) -> Result<Option<&'v str>, ()> {
        match m.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => {
                self.push(
                    format!("{at}{key}"),
                    TemplateRule::Shape,
                    format!("`{key}` must be a string, found {}", kind_of(other)),
                );
                Err(())
            }
        }
    }

    fn template(&mut self, t: &TemplateDefinition) {
        let raw = t.as_json();
        self.check(
            "name",
            TemplateRule::Name,
            "the template name",
            rules::check_template_name(t.name()),
        );
        match raw.get("category").and_then(Value::as_str) {
            Some(c) => {
                self.check(
                    "category",
                    TemplateRule::Category,
                    &format!("{c:?}"),
                    rules::template_category(c).map(|_| ()),
                );
            }
            None => self.push(
                "category",
                TemplateRule::Category,
                "a template to create has a category: MARKETING, UTILITY or AUTHENTICATION",
            ),
        }
        self.check(
            "language",
            TemplateRule::Language,
            &format!("{:?}", t.language()),
            rules::language(t.language()).map(|_| ()),
        );
        let authentication = *t.category() == Category::Authentication;
        let components = raw
            .get("components")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut seen: Vec<String> = Vec::new();
        let mut body = false;
        let mut otp_buttons = false;
        for (i, c) in components.iter().enumerate() {
            // `read` made sure each is an object with a string `type`.
            let Some(c) = c.as_object() else { continue };
            let kind = c
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_ascii_uppercase();
            let at = format!("components[{i}]");
            if matches!(kind.as_str(), "HEADER" | "BODY" | "FOOTER" | "BUTTONS") {
                if seen.contains(&kind) {
                    self.push(
                        &at,
                        TemplateRule::Repeated,
                        format!("a template has one {kind} component; this is the second"),
                    );
                    continue;
                }
                seen.push(kind.clone());
            }
            if kind == "BODY" {
                body = true;
            }
            if authentication {
                if kind == "BUTTONS" {
                    otp_buttons = true;
                }
                self.authentication(c, &at, &kind);
                continue;
            }
            match kind.as_str() {
                "HEADER" => self.header(t, c, &at),
                "BODY" => self.body(t, c, &at),
                "FOOTER" => self.footer(c, &at),
                "BUTTONS" => self.buttons(c, &at),
                // Carousels, limited-time offers and types this library does not model are
                // kept as given; their own rules are WhatsApp's to apply.
                _ => {}
            }
        }
        if authentication && !otp_buttons {
            self.push(
                "components",
                TemplateRule::OtpButton,
                "an authentication template has a BUTTONS component with one OTP button",
            );
        }
        if !authentication && !body {
            self.push(
                "components",
                TemplateRule::BodyRequired,
                "a template has a BODY component with its text",
            );
        }
    }

    /// Checks that `example.<key>` holds one value per positional placeholder (`[[…]]` for the
    /// body, `[…]` for the header), or one `{param_name, example}` per name.
    fn examples(
        &mut self,
        c: &Map<String, Value>,
        at: &str,
        params: &Parameters,
        keys: &ExampleKeys,
    ) {
        let ExampleKeys {
            rule,
            positional: positional_key,
            named: named_key,
            nested,
        } = *keys;
        if params.is_empty() {
            return;
        }
        let example = match c.get("example") {
            Some(Value::Object(e)) => e,
            None | Some(Value::Null) => {
                let key = match params {
                    Parameters::Positional(_) => positional_key,
                    Parameters::Named(_) => named_key,
                };
                self.push(
                    format!("{at}.example"),
                    rule,
                    format!(
                        "the text has {} parameter(s): give `example.{key}` with a value for each",
                        params.len()
                    ),
                );
                return;
            }
            Some(other) => {
                self.push(
                    format!("{at}.example"),
                    TemplateRule::Shape,
                    format!("`example` must be an object, found {}", kind_of(other)),
                );
                return;
            }
        };
        match params {
            Parameters::Positional(n) => {
                let member = format!("{at}.example.{positional_key}");
                let values = match example.get(positional_key) {
                    Some(Value::Array(outer)) if nested => match outer.first() {
                        Some(Value::Array(inner)) if outer.len() == 1 => Some(inner),
                        _ => None,
                    },
                    Some(Value::Array(values)) if !nested => Some(values),
                    _ => None,
                };
                let Some(values) = values else {
                    let shape = if nested { "[[…]]" } else { "[…]" };
                    self.push(
                        member,
                        rule,
                        format!(
                            "`{positional_key}` gives the {n} example value(s) as {shape}, one \
                             per placeholder"
                        ),
                    );
                    return;
                };
                if !self.check(
                    &member,
                    rule,
                    "the example",
                    rules::check_example_count("values", *n, values.len()),
                ) {
                    return;
                }
                for (j, v) in values.iter().enumerate() {
                    let member = if nested {
                        format!("{member}[0][{j}]")
                    } else {
                        format!("{member}[{j}]")
                    };
                    match v.as_str() {
                        Some(s) => {
                            self.check(
                                member,
                                rule,
                                "the example value",
                                rules::check_non_empty(s),
                            );
                        }
                        None => self.push(
                            member,
                            TemplateRule::Shape,
                            format!("an example value is a string, found {}", kind_of(v)),
                        ),
                    }
                }
            }
            Parameters::Named(names) => {
                let member = format!("{at}.example.{named_key}");
                let Some(list) = example.get(named_key).and_then(Value::as_array) else {
                    self.push(
                        member,
                        rule,
                        format!(
                            "`{named_key}` gives `{{\"param_name\", \"example\"}}` for each of \
                             {names:?}"
                        ),
                    );
                    return;
                };
                let mut given = Vec::with_capacity(list.len());
                for (j, e) in list.iter().enumerate() {
                    let name = e.get("param_name").and_then(Value::as_str);
                    let value = e.get("example").and_then(Value::as_str);
                    match (name, value) {
                        (Some(name), Some(value)) => {
                            given.push(name);
                            self.check(
                                format!("{member}[{j}].example"),
                                rule,
                                "the example value",
                                rules::check_non_empty(value),
                            );
                        }
                        _ => self.push(
                            format!("{member}[{j}]"),
                            TemplateRule::Shape,
                            "a named example is `{\"param_name\": \"…\", \"example\": \"…\"}`",
                        ),
                    }
                }
                if let Err((name, v)) = rules::check_named_examples(names, &given) {
                    self.push(member, rule, format!("parameter `{name}`: {v}"));
                }
            }
        }
    }

    fn header(&mut self, t: &TemplateDefinition, c: &Map<String, Value>, at: &str) {
        let format = c
            .get("format")
            .and_then(Value::as_str)
            .unwrap_or("TEXT")
            .to_ascii_uppercase();
        match format.as_str() {
            "TEXT" => {
                let member = format!("{at}.text");
                let Ok(text) = self.string(c, &format!("{at}."), "text") else {
                    return;
                };
                let text = text.unwrap_or("");
                if !self.check(
                    &member,
                    TemplateRule::TextHeader,
                    "the header text",
                    rules::check_header_text(text),
                ) {
                    return;
                }
                let found = placeholders(text);
                if !self.check(
                    &member,
                    TemplateRule::TextHeader,
                    "the header",
                    rules::check_header_placeholders(found.len()),
                ) {
                    return;
                }
                if let Err((_, v)) = rules::check_placeholders(&found) {
                    self.push(
                        &member,
                        TemplateRule::Placeholders,
                        format!("the header {v}"),
                    );
                    return;
                }
                let params = Parameters::of(text);
                if !self.check(
                    &member,
                    TemplateRule::ParameterFormat,
                    "the header",
                    rules::check_parameter_format(t.parameter_format(), &params),
                ) {
                    return;
                }
                self.examples(c, at, &params, &HEADER_EXAMPLE);
            }
            // GIF: Meta's components page (Marketing Messages API only).
            "IMAGE" | "VIDEO" | "GIF" | "DOCUMENT" => {
                let member = format!("{at}.example.header_handle");
                let handles = c
                    .get("example")
                    .and_then(|e| e.get("header_handle"))
                    .and_then(Value::as_array);
                match handles {
                    Some(handles) if !handles.is_empty() => {
                        for (j, h) in handles.iter().enumerate() {
                            let member = format!("{member}[{j}]");
                            match h.as_str() {
                                Some(h) => {
                                    self.check(
                                        member,
                                        TemplateRule::MediaHandle,
                                        &format!(
                                            "the {} header's example {h:?}",
                                            format.to_ascii_lowercase()
                                        ),
                                        rules::check_upload_handle(h),
                                    );
                                }
                                None => self.push(
                                    member,
                                    TemplateRule::Shape,
                                    format!("a handle is a string, found {}", kind_of(h)),
                                ),
                            }
                        }
                    }
                    _ => self.push(
                        member,
                        TemplateRule::MediaHandle,
                        format!(
                            "a {} header needs `example.header_handle: [handle]`, the handle \
                             `client.upload_resumable(…)` returns",
                            format.to_ascii_lowercase()
                        ),
                    ),
                }
            }
            // LOCATION takes no example; PRODUCT and new formats are WhatsApp's to check.
            _ => {}
        }
    }

    fn body(&mut self, t: &TemplateDefinition, c: &Map<String, Value>, at: &str) {
        let member = format!("{at}.text");
        let Ok(text) = self.string(c, &format!("{at}."), "text") else {
            return;
        };
        let Some(text) = text else {
            self.push(
                member,
                TemplateRule::BodyRequired,
                "the body has a `text` (1-1024 characters)",
            );
            return;
        };
        if !self.check(
            &member,
            TemplateRule::BodyText,
            "the body text",
            rules::check_template_body(text),
        ) {
            return;
        }
        if let Err((_, v)) = rules::check_placeholders(&placeholders(text)) {
            self.push(&member, TemplateRule::Placeholders, format!("the body {v}"));
            return;
        }
        let params = Parameters::of(text);
        let format_member = if t.as_json().get("parameter_format").is_some() {
            "parameter_format".to_owned()
        } else {
            member.clone()
        };
        if !self.check(
            format_member,
            TemplateRule::ParameterFormat,
            "the body",
            rules::check_parameter_format(t.parameter_format(), &params),
        ) {
            return;
        }
        self.examples(c, at, &params, &BODY_EXAMPLE);
    }

    fn footer(&mut self, c: &Map<String, Value>, at: &str) {
        let Ok(text) = self.string(c, &format!("{at}."), "text") else {
            return;
        };
        let text = text.unwrap_or("");
        self.check(
            format!("{at}.text"),
            TemplateRule::Footer,
            "the footer text",
            rules::check_template_footer(text, placeholders(text).len()),
        );
    }

    fn buttons(&mut self, c: &Map<String, Value>, at: &str) {
        let buttons = c
            .get("buttons")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let at = format!("{at}.buttons");
        let kinds: Vec<ButtonType> = buttons
            .iter()
            .map(|b| ButtonType::parse(b.get("type").and_then(Value::as_str).unwrap_or("")))
            .collect();
        if let Err((j, v)) = rules::check_template_buttons(&kinds) {
            self.push(
                format!("{at}[{j}]"),
                TemplateRule::Buttons,
                format!("the buttons {v}"),
            );
        }
        for (j, (b, kind)) in buttons.iter().zip(&kinds).enumerate() {
            let Some(b) = b.as_object() else { continue };
            let at = format!("{at}[{j}]");
            let prefix = format!("{at}.");
            let labelled = matches!(
                kind,
                ButtonType::QuickReply
                    | ButtonType::Url
                    | ButtonType::PhoneNumber
                    | ButtonType::Flow
            );
            if let Ok(text) = self.string(b, &prefix, "text")
                && (text.is_some() || labelled)
            {
                self.check(
                    format!("{at}.text"),
                    TemplateRule::ButtonLabel,
                    "the button label",
                    rules::check_button_label(text.unwrap_or("")),
                );
            }
            match kind {
                ButtonType::Url => self.url_button(b, &at),
                ButtonType::PhoneNumber => {
                    if let Ok(number) = self.string(b, &prefix, "phone_number") {
                        self.check(
                            format!("{at}.phone_number"),
                            TemplateRule::ButtonPhone,
                            "the phone number",
                            rules::check_button_phone(number.unwrap_or("")),
                        );
                    }
                }
                ButtonType::CopyCode => {
                    if let Ok(code) = self.string(b, &prefix, "example") {
                        self.check(
                            format!("{at}.example"),
                            TemplateRule::CopyCodeExample,
                            "the copy-code example",
                            rules::check_coupon_code(code.unwrap_or("")),
                        );
                    }
                }
                ButtonType::Flow => {
                    let present = |k: &str| b.get(k).is_some_and(|v| !v.is_null());
                    let navigate = b
                        .get("flow_action")
                        .and_then(Value::as_str)
                        .is_none_or(|a| a.eq_ignore_ascii_case("navigate"));
                    self.check(
                        &at,
                        TemplateRule::FlowButtonMembers,
                        "the flow button",
                        rules::check_flow_button(
                            present("flow_id") || present("flow_name") || present("flow_json"),
                            navigate,
                            present("navigate_screen"),
                        ),
                    );
                }
                ButtonType::OneTimePassword => self.push(
                    format!("{at}.type"),
                    TemplateRule::OtpButton,
                    "an OTP button belongs to an AUTHENTICATION template",
                ),
                _ => {}
            }
        }
    }

    fn url_button(&mut self, b: &Map<String, Value>, at: &str) {
        let Ok(url) = self.string(b, &format!("{at}."), "url") else {
            return;
        };
        let url = url.unwrap_or("");
        let dynamic = match rules::check_button_url(url) {
            Ok(dynamic) => dynamic,
            Err(v) => {
                self.push(
                    format!("{at}.url"),
                    TemplateRule::ButtonUrl,
                    format!("the URL {v}"),
                );
                return;
            }
        };
        if !dynamic {
            return;
        }
        let values: Option<Vec<&str>> = match b.get("example") {
            Some(Value::Array(values)) => values.iter().map(Value::as_str).collect(),
            // Meta's samples give an array; a single string is read as one value.
            Some(Value::String(s)) => Some(vec![s.as_str()]),
            _ => None,
        };
        match values {
            Some(values) => {
                self.check(
                    format!("{at}.example"),
                    TemplateRule::ButtonUrlExample,
                    "the URL's example",
                    rules::check_url_example(&values),
                );
            }
            None => self.push(
                format!("{at}.example"),
                TemplateRule::ButtonUrlExample,
                "a URL with `{{1}}` gives `example: [\"value\"]` for its variable",
            ),
        }
    }

    fn authentication(&mut self, c: &Map<String, Value>, at: &str, kind: &str) {
        let has_text = c.get("text").is_some_and(|v| !v.is_null());
        let member = if has_text && kind != "HEADER" {
            format!("{at}.text")
        } else {
            at.to_owned()
        };
        if !self.check(
            member,
            TemplateRule::Authentication,
            &format!("the {kind} component"),
            rules::check_authentication_component(kind, has_text),
        ) {
            return;
        }
        match kind {
            "BODY" => {
                if let Some(v) = c.get("add_security_recommendation")
                    && !v.is_boolean()
                {
                    self.push(
                        format!("{at}.add_security_recommendation"),
                        TemplateRule::Shape,
                        format!(
                            "`add_security_recommendation` is a boolean, found {}",
                            kind_of(v)
                        ),
                    );
                }
            }
            "FOOTER" => {
                if let Some(v) = c.get("code_expiration_minutes") {
                    let member = format!("{at}.code_expiration_minutes");
                    match v.as_i64() {
                        Some(n) => {
                            self.check(
                                member,
                                TemplateRule::CodeExpiration,
                                "`code_expiration_minutes`",
                                rules::check_code_expiration_minutes(i128::from(n)),
                            );
                        }
                        None => self.push(
                            member,
                            TemplateRule::CodeExpiration,
                            format!(
                                "`code_expiration_minutes` is a whole number of minutes (1-90), \
                                 found {}",
                                kind_of(v)
                            ),
                        ),
                    }
                }
            }
            "BUTTONS" => self.otp_buttons(c, at),
            _ => {}
        }
    }

    fn otp_buttons(&mut self, c: &Map<String, Value>, at: &str) {
        let buttons = c
            .get("buttons")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let at = format!("{at}.buttons");
        if buttons.len() != 1 {
            self.push(
                &at,
                TemplateRule::OtpButton,
                format!(
                    "an authentication template has exactly one button, its OTP button; found {}",
                    buttons.len()
                ),
            );
        }
        for (j, b) in buttons.iter().enumerate() {
            let Some(b) = b.as_object() else { continue };
            let at = format!("{at}[{j}]");
            let kind = ButtonType::parse(b.get("type").and_then(Value::as_str).unwrap_or(""));
            if kind != ButtonType::OneTimePassword {
                self.push(
                    format!("{at}.type"),
                    TemplateRule::OtpButton,
                    format!("an authentication template's button is an OTP button, not {kind}"),
                );
                continue;
            }
            let Ok(otp_type) = self.string(b, &format!("{at}."), "otp_type") else {
                continue;
            };
            let otp_type = match rules::check_otp_type(otp_type.unwrap_or("")) {
                Ok(t) => t,
                Err(v) => {
                    self.push(
                        format!("{at}.otp_type"),
                        TemplateRule::OtpButton,
                        format!("`otp_type` {v}"),
                    );
                    continue;
                }
            };
            if otp_type == "COPY_CODE" {
                continue;
            }
            self.supported_apps(b, &at, otp_type);
        }
    }

    /// ONE_TAP and ZERO_TAP name the Android apps that receive the code: `supported_apps`
    /// (or, in Meta's older form, `package_name` and `signature_hash` on the button).
    fn supported_apps(&mut self, b: &Map<String, Value>, at: &str, otp_type: &str) {
        let str_of =
            |m: &Map<String, Value>, k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
        match b.get("supported_apps") {
            Some(Value::Array(apps)) if !apps.is_empty() => {
                for (k, app) in apps.iter().enumerate() {
                    let (p, s) = match app.as_object() {
                        Some(app) => (str_of(app, "package_name"), str_of(app, "signature_hash")),
                        None => (None, None),
                    };
                    self.check(
                        format!("{at}.supported_apps[{k}]"),
                        TemplateRule::SupportedApps,
                        "the app",
                        rules::check_supported_app(p.as_deref(), s.as_deref()),
                    );
                }
            }
            None if b.contains_key("package_name") || b.contains_key("signature_hash") => {
                self.check(
                    at,
                    TemplateRule::SupportedApps,
                    "the OTP button",
                    rules::check_supported_app(
                        str_of(b, "package_name").as_deref(),
                        str_of(b, "signature_hash").as_deref(),
                    ),
                );
            }
            _ => self.push(
                format!("{at}.supported_apps"),
                TemplateRule::SupportedApps,
                format!(
                    "a {otp_type} button names its apps: `supported_apps: [{{\"package_name\", \
                     \"signature_hash\"}}]`"
                ),
            ),
        }
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
