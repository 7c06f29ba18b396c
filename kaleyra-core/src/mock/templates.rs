//! The templates the simulated account has had approved.

/// The category of an approved template, which decides the message kind it is sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TemplateCategory {
    /// An authentication template: the OTP in the body and in a URL button.
    Authentication,
    /// A flow template: a flow button, optionally body parameters.
    Flow,
    /// A single-product template: a product header and body parameters, on the WABA route.
    Product,
    /// A general template: any header, body, limited-time offer, buttons and carousel (Meta's
    /// template components), on the sender route.
    Standard,
}

/// A template the simulated account has had approved, described by its name, language,
/// category and number of body parameters (the simulator's first, simpler way to add one). It
/// joins the account's catalogue as the template object Meta would return for it: an
/// authentication template with an OTP button at index 0, a flow template with a flow button at
/// index 0, a single-product template with a product header, or a general template with only a
/// body. For any other shape, give the whole object:
/// [`MockServer::add_template`](super::MockServer::add_template).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApprovedTemplate {
    pub(super) name: String,
    pub(super) language: String,
    pub(super) category: TemplateCategory,
    pub(super) body_parameters: usize,
}

impl ApprovedTemplate {
    /// A template of `category` with no body parameters (set them with
    /// [`ApprovedTemplate::body_parameters`]).
    pub fn new(
        name: impl Into<String>,
        language: impl Into<String>,
        category: TemplateCategory,
    ) -> Self {
        ApprovedTemplate {
            name: name.into(),
            language: language.into(),
            category,
            body_parameters: 0,
        }
    }

    /// An authentication template, e.g. `("auth1", "en_US")`. Its body is fixed (the OTP), so
    /// its body parameter count is not checked.
    pub fn authentication(name: impl Into<String>, language: impl Into<String>) -> Self {
        ApprovedTemplate::new(name, language, TemplateCategory::Authentication)
    }

    /// A flow template without body parameters, e.g. `("flow_template20", "en_US")`.
    pub fn flow(name: impl Into<String>, language: impl Into<String>) -> Self {
        ApprovedTemplate::new(name, language, TemplateCategory::Flow)
    }

    /// A single-product template with `body_parameters` body parameters, e.g.
    /// `("abandoned_cart_offer", "en_US", 2)`.
    pub fn product(
        name: impl Into<String>,
        language: impl Into<String>,
        body_parameters: usize,
    ) -> Self {
        ApprovedTemplate::new(name, language, TemplateCategory::Product)
            .body_parameters(body_parameters)
    }

    /// A general template with `body_parameters` body parameters, e.g.
    /// `("order_shipped", "en_US", 3)`.
    pub fn standard(
        name: impl Into<String>,
        language: impl Into<String>,
        body_parameters: usize,
    ) -> Self {
        ApprovedTemplate::new(name, language, TemplateCategory::Standard)
            .body_parameters(body_parameters)
    }

    /// Sets how many body parameters (`{{1}}`..`{{n}}`) a message must give.
    pub fn body_parameters(mut self, n: usize) -> Self {
        self.body_parameters = n;
        self
    }

    /// The template's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its language code.
    pub fn language(&self) -> &str {
        &self.language
    }

    /// Its category.
    pub fn category(&self) -> TemplateCategory {
        self.category
    }

    /// How many body parameters it takes.
    pub fn body_parameter_count(&self) -> usize {
        self.body_parameters
    }
}
