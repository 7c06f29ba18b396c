//! Meta's Flow JSON rules (RULES.md, "Flow JSON", gives each one's source). One walk over the
//! typed document; every violation names its JSON path, dotted and indexed as the JSON is
//! (`screens[1].layout.children[2].label`).

use std::collections::HashSet;
use std::fmt;

use serde_json::{Map, Value};

use super::json::{Action, Component, DataSource, FlowJson, Screen};

/// Flow JSON versions Meta accepts for publishing a flow.
pub const PUBLISH_VERSIONS: &[&str] = &[
    "5.1", "6.0", "6.1", "6.2", "6.3", "7.0", "7.1", "7.2", "7.3",
];

/// Flow JSON versions a published flow may still be sent with: the publishing list and the
/// frozen versions (no longer publishable, still delivered).
pub const SEND_VERSIONS: &[&str] = &[
    "3.1", "4.0", "5.0", "5.1", "6.0", "6.1", "6.2", "6.3", "7.0", "7.1", "7.2", "7.3",
];

/// Which of Meta's version lists [`FlowJson::validate_for`] applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Purpose {
    /// Uploading and publishing ([`PUBLISH_VERSIONS`]); what [`FlowJson::validate`] applies.
    #[default]
    Publish,
    /// Sending an already published flow ([`SEND_VERSIONS`]).
    Send,
}

/// Which rule a [`FlowViolation`] breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// `version` is not one Meta accepts for the purpose.
    Version,
    /// 1 to 100 screens.
    ScreenCount,
    /// A screen id of letters and underscores only.
    ScreenId,
    /// Screen ids are unique.
    DuplicateScreenId,
    /// `SUCCESS` is reserved.
    ReservedScreenId,
    /// At least one terminal screen.
    NoTerminalScreen,
    /// Every terminal screen has a Footer.
    TerminalWithoutFooter,
    /// `success` only on a terminal screen.
    SuccessNotTerminal,
    /// The `complete` action only on a terminal screen.
    CompleteNotTerminal,
    /// `navigate` goes to an existing, other screen.
    NavigateTarget,
    /// `navigate`'s payload is the next screen's `data` (both ways).
    NavigatePayload,
    /// Every `data` entry is a schema with an `__example__`.
    DataExample,
    /// At most 50 components a screen.
    TooManyComponents,
    /// At most N components of a kind a screen (1 Footer, 2 EmbeddedLink, 3 Image, 5 OptIn, …).
    TooManyOfKind,
    /// A text longer than its component allows.
    TextLength,
    /// Too few or too many options or items.
    OptionCount,
    /// A number property outside its range (TextArea `max-length` at most 600).
    Limit,
    /// A property with a value Meta does not define (TextInput `input-type`).
    InvalidValue,
    /// An action Meta does not define.
    UnknownAction,
    /// `If` nested more than 3 deep.
    IfDepth,
    /// `If` with an empty `then`.
    IfEmptyThen,
    /// A Footer in one branch of an `If` must be in both, and then not outside it.
    IfFooter,
    /// `Switch` with no cases.
    SwitchEmptyCases,
    /// Form (input) names are unique in a screen.
    DuplicateName,
    /// A `${form.…}`, `${data.…}` or `${screen.…}` binding naming nothing.
    Binding,
    /// A feature newer than the document's `version`.
    VersionFeature,
    /// `routing_model` names every screen.
    RoutingScreenMissing,
    /// `routing_model` names only existing screens.
    RoutingTarget,
    /// `routing_model` has no cycle.
    RoutingCycle,
    /// At most 10 branches from a screen.
    RoutingBranches,
    /// Every route ends on a terminal screen.
    RoutingDeadEnd,
    /// `data_exchange` needs `data_api_version`.
    DataExchangeWithoutApiVersion,
    /// `data_api_version` needs `routing_model`.
    ApiVersionWithoutRouting,
}

impl Rule {
    /// The rule's name, snake_case (`text_length`).
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Version => "version",
            Rule::ScreenCount => "screen_count",
            Rule::ScreenId => "screen_id",
            Rule::DuplicateScreenId => "duplicate_screen_id",
            Rule::ReservedScreenId => "reserved_screen_id",
            Rule::NoTerminalScreen => "no_terminal_screen",
            Rule::TerminalWithoutFooter => "terminal_without_footer",
            Rule::SuccessNotTerminal => "success_not_terminal",
            Rule::CompleteNotTerminal => "complete_not_terminal",
            Rule::NavigateTarget => "navigate_target",
            Rule::NavigatePayload => "navigate_payload",
            Rule::DataExample => "data_example",
            Rule::TooManyComponents => "too_many_components",
            Rule::TooManyOfKind => "too_many_of_kind",
            Rule::TextLength => "text_length",
            Rule::OptionCount => "option_count",
            Rule::Limit => "limit",
            Rule::InvalidValue => "invalid_value",
            Rule::UnknownAction => "unknown_action",
            Rule::IfDepth => "if_depth",
            Rule::IfEmptyThen => "if_empty_then",
            Rule::IfFooter => "if_footer",
            Rule::SwitchEmptyCases => "switch_empty_cases",
            Rule::DuplicateName => "duplicate_name",
            Rule::Binding => "binding",
            Rule::VersionFeature => "version_feature",
            Rule::RoutingScreenMissing => "routing_screen_missing",
            Rule::RoutingTarget => "routing_target",
            Rule::RoutingCycle => "routing_cycle",
            Rule::RoutingBranches => "routing_branches",
            Rule::RoutingDeadEnd => "routing_dead_end",
            Rule::DataExchangeWithoutApiVersion => "data_exchange_without_api_version",
            Rule::ApiVersionWithoutRouting => "api_version_without_routing",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One broken rule: where (`screens[1].layout.children[2].label`), which, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowViolation {
    /// The JSON path, dotted and indexed; a screen-level rule names the screen (`screens[3]`),
    /// a document-level one its member (`routing_model`).
    pub path: String,
    /// The rule.
    pub rule: Rule,
    /// What is wrong (`at most 20 characters, found 27`).
    pub message: String,
}

impl fmt::Display for FlowViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A component this library does not know, kept as read and not checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchecked {
    /// Its JSON path (`screens[0].layout.children[3]`).
    pub path: String,
    /// Its `type`.
    pub component_type: String,
}

type Version = (u32, u32);

fn parse_version(v: &str) -> Option<Version> {
    let (major, minor) = v.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Meta's per-screen caps, by component type (Footer 1, EmbeddedLink 2, Image 3, OptIn 5,
/// NavigationList 2, PhotoPicker 1, DocumentPicker 1).
const KIND_CAPS: &[(&str, usize)] = &[
    ("Footer", 1),
    ("EmbeddedLink", 2),
    ("Image", 3),
    ("OptIn", 5),
    ("NavigationList", 2),
    ("PhotoPicker", 1),
    ("DocumentPicker", 1),
];

/// At most this many components a screen.
pub(crate) const MAX_COMPONENTS: usize = 50;

/// Components counted as shown at once: nested in a Form counted, an `If` or `Switch` counting
/// its largest branch (RULES.md gives the choice).
#[derive(Default, Clone, Copy)]
struct Counts {
    total: usize,
    kinds: [usize; 7],
}

impl Counts {
    fn max(self, other: Counts) -> Counts {
        let mut kinds = self.kinds;
        for (k, o) in kinds.iter_mut().zip(other.kinds) {
            *k = (*k).max(o);
        }
        Counts {
            total: self.total.max(other.total),
            kinds,
        }
    }
    fn add(&mut self, other: Counts) {
        self.total += other.total;
        for (k, o) in self.kinds.iter_mut().zip(other.kinds) {
            *k += o;
        }
    }
}

fn count(children: &[Component]) -> Counts {
    let mut counts = Counts::default();
    for c in children {
        match c {
            Component::Form(f) => counts.add(count(&f.children)),
            Component::If(i) => {
                let then = count(&i.then);
                let otherwise = i.otherwise.as_deref().map(count).unwrap_or_default();
                counts.add(then.max(otherwise));
            }
            Component::Switch(s) => {
                let mut most = Counts::default();
                for (_, case) in &s.cases.0 {
                    most = most.max(count(case));
                }
                counts.add(most);
            }
            c => {
                counts.total += 1;
                let kind = c.type_name();
                if let Some(i) = KIND_CAPS.iter().position(|(k, _)| *k == kind) {
                    counts.kinds[i] += 1;
                }
            }
        }
    }
    counts
}

/// Whether `children` hold a Footer (nested too).
fn has_footer(children: &[Component]) -> bool {
    children.iter().any(|c| match c {
        Component::Footer(_) => true,
        Component::Form(f) => has_footer(&f.children),
        Component::If(i) => has_footer(&i.then) || i.otherwise.as_deref().is_some_and(has_footer),
        Component::Switch(s) => s.cases.0.iter().any(|(_, c)| has_footer(c)),
        _ => false,
    })
}

/// Whether `children` hold a Footer inside an `If` or `Switch`.
fn has_footer_in_branch(children: &[Component]) -> bool {
    children.iter().any(|c| match c {
        Component::Form(f) => has_footer_in_branch(&f.children),
        Component::If(i) => has_footer(&i.then) || i.otherwise.as_deref().is_some_and(has_footer),
        Component::Switch(s) => s.cases.0.iter().any(|(_, c)| has_footer(c)),
        _ => false,
    })
}

fn collect_names<'a>(children: &'a [Component], names: &mut HashSet<&'a str>) {
    for c in children {
        match c {
            Component::Form(f) => collect_names(&f.children, names),
            Component::If(i) => {
                collect_names(&i.then, names);
                if let Some(e) = &i.otherwise {
                    collect_names(e, names);
                }
            }
            Component::Switch(s) => s.cases.0.iter().for_each(|(_, c)| collect_names(c, names)),
            c => {
                if let Some(n) = c.input_name() {
                    names.insert(n);
                }
            }
        }
    }
}

struct Check<'a> {
    flow: &'a FlowJson,
    version: Option<Version>,
    out: Vec<FlowViolation>,
    path: String,
    /// The screen being walked: its index, whether terminal, its input names and data names.
    screen: Option<&'a Screen>,
    names: HashSet<&'a str>,
    footer_in_branch: bool,
}

impl<'a> Check<'a> {
    fn report(&mut self, rule: Rule, path: &str, message: String) {
        self.out.push(FlowViolation {
            path: path.to_owned(),
            rule,
            message,
        });
    }

    /// Reports at the current path plus `suffix`.
    fn here(&mut self, rule: Rule, suffix: &str, message: String) {
        let path = format!("{}{}", self.path, suffix);
        self.report(rule, &path, message);
    }

    fn at_least(&mut self, min: Version, what: &str, suffix: &str) {
        if let Some(v) = self.version
            && v < min
        {
            self.here(
                Rule::VersionFeature,
                suffix,
                format!(
                    "{what} needs Flow JSON {}.{} or later, the document is {}",
                    min.0, min.1, self.flow.version
                ),
            );
        }
    }

    fn text(&mut self, suffix: &str, text: Option<&str>, max: usize) {
        let Some(text) = text else { return };
        // A binding's value is known only when the flow runs.
        if text.contains("${") {
            self.bindings_in(suffix, text);
            return;
        }
        let n = text.chars().count();
        if n > max {
            self.here(
                Rule::TextLength,
                suffix,
                format!("at most {max} characters, found {n}"),
            );
        }
    }

    fn value_bindings(&mut self, suffix: &str, value: Option<&Value>) {
        match value {
            Some(Value::String(s)) => self.bindings_in(suffix, s),
            Some(Value::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    self.value_bindings(&format!("{suffix}[{i}]"), Some(v));
                }
            }
            Some(Value::Object(map)) => {
                for (k, v) in map {
                    self.value_bindings(&format!("{suffix}.{k}"), Some(v));
                }
            }
            _ => {}
        }
    }

    /// Every `${…}` in `text` names what exists.
    fn bindings_in(&mut self, suffix: &str, text: &str) {
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else { break };
            let binding = &after[..end];
            rest = &after[end + 1..];
            if let Some(message) = self.binding_problem(binding) {
                self.here(Rule::Binding, suffix, message);
            }
        }
    }

    fn binding_problem(&self, binding: &str) -> Option<String> {
        let screen = self.screen?;
        let (target, inner) = match binding.strip_prefix("screen.") {
            Some(rest) => {
                let (id, inner) = rest.split_once('.').unwrap_or((rest, ""));
                match self.flow.screen(id) {
                    Some(s) => (s, inner),
                    None => return Some(format!("`${{{binding}}}`: no screen `{id}`")),
                }
            }
            None => (screen, binding),
        };
        fn first(s: &str) -> &str {
            s.split(['.', '[']).next().unwrap_or(s)
        }
        if let Some(name) = inner.strip_prefix("form.") {
            let name = first(name);
            let exists = if std::ptr::eq(target, screen) {
                self.names.contains(name)
            } else {
                target.input(name).is_some()
            };
            if !exists {
                return Some(format!(
                    "`${{{binding}}}`: no input named `{name}` on screen `{}`",
                    target.id
                ));
            }
        } else if let Some(name) = inner.strip_prefix("data.") {
            let name = first(name);
            if !target.data.as_ref().is_some_and(|d| d.contains_key(name)) {
                return Some(format!(
                    "`${{{binding}}}`: screen `{}` declares no data `{name}`",
                    target.id
                ));
            }
        }
        None
    }

    fn action(&mut self, suffix: &str, action: &'a Action) {
        // Actions are walked inside a screen only; no screen, nothing to check against.
        let Some(screen) = self.screen else { return };
        match action.name.as_str() {
            "navigate" => {
                let target = action.next.as_ref().map(|n| n.name.as_str());
                match target.and_then(|t| self.flow.screen(t)) {
                    None => self.here(
                        Rule::NavigateTarget,
                        &format!("{suffix}.next"),
                        format!("`navigate` to a screen that does not exist: {:?}", target.unwrap_or("")),
                    ),
                    Some(t) if std::ptr::eq(t, screen) => self.here(
                        Rule::NavigateTarget,
                        &format!("{suffix}.next.name"),
                        format!("`navigate` to its own screen `{}`", t.id),
                    ),
                    Some(t) => {
                        let empty = Map::new();
                        let data = t.data.as_ref().unwrap_or(&empty);
                        let payload = action.payload.as_ref().unwrap_or(&empty);
                        for key in payload.keys() {
                            if !data.contains_key(key) {
                                self.here(
                                    Rule::NavigatePayload,
                                    &format!("{suffix}.payload.{key}"),
                                    format!("screen `{}` declares no data `{key}`", t.id),
                                );
                            }
                        }
                        let missing: Vec<&str> =
                            data.keys().filter(|k| !payload.contains_key(*k)).map(String::as_str).collect();
                        if !missing.is_empty() {
                            self.here(
                                Rule::NavigatePayload,
                                &format!("{suffix}.payload"),
                                format!("missing data of screen `{}`: {}", t.id, missing.join(", ")),
                            );
                        }
                    }
                }
            }
            "complete" => {
                if !screen.is_terminal() {
                    self.here(
                        Rule::CompleteNotTerminal,
                        suffix,
                        format!("`complete` on screen `{}`, which is not terminal", screen.id),
                    );
                }
            }
            "data_exchange" => {
                if self.flow.data_api_version.is_none() {
                    self.here(
                        Rule::DataExchangeWithoutApiVersion,
                        suffix,
                        "`data_exchange` needs `data_api_version` in the document".into(),
                    );
                }
            }
            "update_data" => self.at_least((6, 0), "`update_data`", suffix),
            "open_url" => self.at_least((6, 0), "`open_url`", suffix),
            other => self.here(
                Rule::UnknownAction,
                &format!("{suffix}.name"),
                format!("unknown action `{other}` (navigate, complete, data_exchange, update_data, open_url)"),
            ),
        }
        if let Some(payload) = &action.payload {
            for (k, v) in payload {
                self.value_bindings(&format!("{suffix}.payload.{k}"), Some(v));
            }
        }
    }

    fn children(
        &mut self,
        children: &'a [Component],
        key: &str,
        depth: usize,
        seen: &mut HashSet<&'a str>,
    ) {
        let base = self.path.len();
        for (i, c) in children.iter().enumerate() {
            use std::fmt::Write;
            let _ = write!(self.path, ".{key}[{i}]");
            self.component(c, depth, seen);
            self.path.truncate(base);
        }
    }

    fn name(&mut self, name: &'a str, seen: &mut HashSet<&'a str>) {
        if !seen.insert(name) {
            self.here(
                Rule::DuplicateName,
                ".name",
                format!("a second input named `{name}` on this screen"),
            );
        }
    }

    fn options(&mut self, source: &DataSource, min: usize, max: usize) {
        let DataSource::Options(options) = source else {
            if let DataSource::Binding(b) = source {
                self.bindings_in(".data-source", b);
            }
            return;
        };
        let n = options.len();
        if n < min || n > max {
            self.here(
                Rule::OptionCount,
                ".data-source",
                format!("{min} to {max} options, found {n}"),
            );
        }
        for (i, o) in options.iter().enumerate() {
            self.text(&format!(".data-source[{i}].title"), Some(&o.title), 30);
            self.text(
                &format!(".data-source[{i}].description"),
                o.description.as_deref(),
                300,
            );
            self.text(
                &format!(".data-source[{i}].metadata"),
                o.metadata.as_deref(),
                20,
            );
        }
    }

    fn component(&mut self, c: &'a Component, depth: usize, seen: &mut HashSet<&'a str>) {
        match c {
            Component::TextHeading(t) | Component::TextSubheading(t) => {
                self.text(".text", Some(&t.text), 80);
                self.value_bindings(".visible", t.visible.as_ref());
            }
            Component::TextBody(t) | Component::TextCaption(t) => {
                let max = if matches!(c, Component::TextBody(_)) {
                    4096
                } else {
                    409
                };
                self.text(".text", Some(&t.text), max);
                if t.markdown == Some(true) {
                    self.at_least((5, 1), "`markdown`", ".markdown");
                }
                self.value_bindings(".visible", t.visible.as_ref());
            }
            Component::RichText(t) => {
                self.at_least((5, 1), "RichText", "");
                self.value_bindings(".text", Some(&t.text));
            }
            Component::TextInput(x)
            | Component::TextArea(x)
            | Component::DatePicker(x)
            | Component::CalendarPicker(x) => {
                self.name(&x.name, seen);
                let label = match c {
                    Component::DatePicker(_) | Component::CalendarPicker(_) => 40,
                    _ => 20,
                };
                self.text(".label", x.label.as_deref(), label);
                self.text(".helper-text", x.helper_text.as_deref(), 80);
                let error_max = if matches!(c, Component::TextInput(_)) {
                    30
                } else {
                    80
                };
                if let Some(Value::String(e)) = &x.error_message {
                    self.text(".error-message", Some(e), error_max);
                }
                if let Component::TextInput(_) = c
                    && let Some(t) = &x.input_type
                    && !matches!(
                        t.as_str(),
                        "text" | "number" | "email" | "password" | "passcode" | "phone"
                    )
                {
                    self.here(
                        Rule::InvalidValue,
                        ".input-type",
                        format!("`{t}` is not an input-type (text, number, email, password, passcode, phone)"),
                    );
                }
                if let Component::TextArea(_) = c
                    && let Some(n) = x.max_length.as_ref().and_then(Value::as_u64)
                    && n > 600
                {
                    self.here(
                        Rule::Limit,
                        ".max-length",
                        format!("at most 600, found {n}"),
                    );
                }
                if let Component::CalendarPicker(_) = c {
                    self.at_least((6, 1), "CalendarPicker", "");
                }
                for (k, v) in [
                    (".required", &x.required),
                    (".visible", &x.visible),
                    (".enabled", &x.enabled),
                    (".init-value", &x.init_value),
                ] {
                    self.value_bindings(k, v.as_ref());
                }
                if let Some(a) = &x.on_select_action {
                    self.action(".on-select-action", a);
                }
            }
            Component::PhotoPicker(x) | Component::DocumentPicker(x) => {
                self.name(&x.name, seen);
                self.text(".label", x.label.as_deref(), 30);
                self.text(".description", x.description.as_deref(), 300);
            }
            Component::CheckboxGroup(x)
            | Component::RadioButtonsGroup(x)
            | Component::Dropdown(x)
            | Component::ChipsSelector(x) => {
                self.name(&x.name, seen);
                let (label, min, max) = match c {
                    Component::Dropdown(_) => (20, 1, 200),
                    Component::ChipsSelector(_) => (80, 2, 20),
                    _ => (30, 1, 20),
                };
                if let Component::ChipsSelector(_) = c {
                    self.at_least((6, 3), "ChipsSelector", "");
                }
                self.text(".label", x.label.as_deref(), label);
                self.text(".description", x.description.as_deref(), 300);
                self.options(&x.data_source, min, max);
                for (k, v) in [
                    (".required", &x.required),
                    (".visible", &x.visible),
                    (".enabled", &x.enabled),
                    (".init-value", &x.init_value),
                ] {
                    self.value_bindings(k, v.as_ref());
                }
                if let Some(a) = &x.on_select_action {
                    self.action(".on-select-action", a);
                }
                if let Some(a) = &x.on_unselect_action {
                    self.at_least((6, 0), "`on-unselect-action`", ".on-unselect-action");
                    self.action(".on-unselect-action", a);
                }
            }
            Component::Footer(f) => {
                self.text(".label", Some(&f.label), 35);
                self.text(".left-caption", f.left_caption.as_deref(), 15);
                self.text(".center-caption", f.center_caption.as_deref(), 15);
                self.text(".right-caption", f.right_caption.as_deref(), 15);
                self.value_bindings(".enabled", f.enabled.as_ref());
                if self.footer_in_branch && depth == 0 {
                    self.here(
                        Rule::IfFooter,
                        "",
                        "a Footer outside an If, on a screen with a Footer inside one".into(),
                    );
                }
                self.action(".on-click-action", &f.on_click_action);
            }
            Component::OptIn(o) => {
                self.name(&o.name, seen);
                self.text(".label", Some(&o.label), 120);
                self.value_bindings(".required", o.required.as_ref());
                self.value_bindings(".visible", o.visible.as_ref());
                if let Some(a) = &o.on_click_action {
                    self.action(".on-click-action", a);
                }
            }
            Component::EmbeddedLink(l) => {
                self.text(".text", Some(&l.text), 25);
                self.value_bindings(".visible", l.visible.as_ref());
                self.action(".on-click-action", &l.on_click_action);
            }
            Component::Image(i) => {
                if i.src.contains("${") {
                    self.bindings_in(".src", &i.src);
                }
            }
            Component::NavigationList(n) => {
                self.at_least((6, 2), "NavigationList", "");
                self.name(&n.name, seen);
                match &n.list_items {
                    Value::Array(items) if items.is_empty() || items.len() > 20 => self.here(
                        Rule::OptionCount,
                        ".list-items",
                        format!("1 to 20 items, found {}", items.len()),
                    ),
                    Value::String(b) => self.bindings_in(".list-items", b),
                    _ => {}
                }
                if let Some(a) = &n.on_click_action {
                    self.action(".on-click-action", a);
                }
            }
            Component::Form(f) => self.children(&f.children, "children", depth, seen),
            Component::If(i) => {
                self.at_least((4, 0), "If", "");
                if depth + 1 > 3 {
                    self.here(Rule::IfDepth, "", "`If` nested more than 3 deep".into());
                }
                self.bindings_in(".condition", &i.condition);
                if i.then.is_empty() {
                    self.here(
                        Rule::IfEmptyThen,
                        ".then",
                        "`then` must not be empty".into(),
                    );
                }
                let then_footer = has_footer(&i.then);
                let else_footer = i.otherwise.as_deref().is_some_and(has_footer);
                if then_footer != else_footer {
                    self.here(
                        Rule::IfFooter,
                        "",
                        "a Footer in one branch of an If must be in the other (`then` and `else`)"
                            .into(),
                    );
                }
                // Branches are exclusive: a name may repeat across them, not within one.
                let mut then_seen = seen.clone();
                self.children(&i.then, "then", depth + 1, &mut then_seen);
                let mut else_seen = seen.clone();
                if let Some(e) = &i.otherwise {
                    self.children(e, "else", depth + 1, &mut else_seen);
                }
                seen.extend(then_seen);
                seen.extend(else_seen);
            }
            Component::Switch(s) => {
                self.at_least((4, 0), "Switch", "");
                self.bindings_in(".value", &s.value);
                if s.cases.0.is_empty() {
                    self.here(
                        Rule::SwitchEmptyCases,
                        ".cases",
                        "`cases` must not be empty".into(),
                    );
                }
                let mut all = Vec::new();
                for (key, case) in &s.cases.0 {
                    let mut case_seen = seen.clone();
                    self.children(case, &format!("cases.{key}"), depth + 1, &mut case_seen);
                    all.push(case_seen);
                }
                for s in all {
                    seen.extend(s);
                }
            }
            Component::Unknown(_) => {}
        }
    }

    fn screen(&mut self, i: usize, screen: &'a Screen) {
        self.path.clear();
        use std::fmt::Write;
        let _ = write!(self.path, "screens[{i}]");
        self.screen = Some(screen);
        self.names.clear();
        collect_names(&screen.layout.children, &mut self.names);
        if screen.success.is_some() && !screen.is_terminal() {
            self.here(
                Rule::SuccessNotTerminal,
                ".success",
                "`success` on a screen that is not terminal".into(),
            );
        }
        for (name, schema) in screen.data.iter().flatten() {
            if !schema
                .as_object()
                .is_some_and(|s| s.contains_key("__example__"))
            {
                self.here(
                    Rule::DataExample,
                    &format!(".data.{name}"),
                    format!("data `{name}` has no `__example__`"),
                );
            }
        }
        let children = &screen.layout.children;
        let counts = count(children);
        if counts.total > MAX_COMPONENTS {
            self.here(
                Rule::TooManyComponents,
                "",
                format!(
                    "at most {MAX_COMPONENTS} components, found {}",
                    counts.total
                ),
            );
        }
        let footer_in_branch = has_footer_in_branch(children);
        for (k, (kind, cap)) in KIND_CAPS.iter().enumerate() {
            // A Footer both inside and outside an If is the IfFooter rule, reported where it is.
            if counts.kinds[k] > *cap && !(k == 0 && footer_in_branch) {
                self.here(
                    Rule::TooManyOfKind,
                    "",
                    format!("at most {cap} {kind}, found {}", counts.kinds[k]),
                );
            }
        }
        if screen.is_terminal() && counts.kinds[0] == 0 {
            self.here(
                Rule::TerminalWithoutFooter,
                "",
                format!("terminal screen `{}` has no Footer", screen.id),
            );
        }
        self.footer_in_branch = footer_in_branch;
        self.path.push_str(".layout");
        let mut seen = HashSet::new();
        self.children(children, "children", 0, &mut seen);
    }

    fn routing(&mut self) {
        let flow = self.flow;
        if flow.data_api_version.is_some() && flow.routing_model.is_none() {
            self.report(
                Rule::ApiVersionWithoutRouting,
                "data_api_version",
                "`data_api_version` needs a `routing_model`".into(),
            );
        }
        let Some(model) = &flow.routing_model else {
            return;
        };
        for s in &flow.screens {
            if model.get(&s.id).is_none() {
                self.report(
                    Rule::RoutingScreenMissing,
                    "routing_model",
                    format!("screen `{}` is missing from routing_model", s.id),
                );
            }
        }
        let mut broken = false;
        for (from, to) in &model.0 {
            let path = format!("routing_model.{from}");
            let Some(screen) = flow.screen(from) else {
                self.report(Rule::RoutingTarget, &path, format!("no screen `{from}`"));
                broken = true;
                continue;
            };
            if to.len() > 10 {
                self.report(
                    Rule::RoutingBranches,
                    &path,
                    format!("at most 10 branches, found {}", to.len()),
                );
            }
            for t in to {
                if flow.screen(t).is_none() {
                    self.report(
                        Rule::RoutingTarget,
                        &path,
                        format!("routes to `{t}`, which is not a screen"),
                    );
                    broken = true;
                }
            }
            if to.is_empty() && !screen.is_terminal() {
                self.report(
                    Rule::RoutingDeadEnd,
                    &path,
                    format!("screen `{from}` routes nowhere and is not terminal"),
                );
            }
        }
        if broken {
            return;
        }
        // Cycles: depth-first, marking screens on the current route.
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            OnRoute,
            Done,
        }
        let index = |id: &str| model.0.iter().position(|(k, _)| k == id);
        let mut marks = vec![Mark::New; model.0.len()];
        fn visit(
            at: usize,
            model: &super::json::OrderedMap<Vec<String>>,
            index: &dyn Fn(&str) -> Option<usize>,
            marks: &mut [Mark],
        ) -> Option<usize> {
            marks[at] = Mark::OnRoute;
            for t in &model.0[at].1 {
                let Some(next) = index(t) else { continue };
                match marks[next] {
                    Mark::OnRoute => return Some(at),
                    Mark::New => {
                        if let Some(found) = visit(next, model, index, marks) {
                            return Some(found);
                        }
                    }
                    Mark::Done => {}
                }
            }
            marks[at] = Mark::Done;
            None
        }
        for start in 0..model.0.len() {
            if marks[start] == Mark::New
                && let Some(at) = visit(start, model, &index, &mut marks)
            {
                let from = &model.0[at].0;
                self.report(
                    Rule::RoutingCycle,
                    &format!("routing_model.{from}"),
                    format!("a cycle through screen `{from}`"),
                );
                return;
            }
        }
    }
}

impl FlowJson {
    /// The screen whose id is `id`.
    pub fn screen(&self, id: &str) -> Option<&Screen> {
        self.screens.iter().find(|s| s.id == id)
    }

    /// Meta's rules for publishing ([`Purpose::Publish`]): every violation, in document order.
    /// Empty when the document is valid.
    pub fn validate(&self) -> Vec<FlowViolation> {
        self.validate_for(Purpose::Publish)
    }

    /// Meta's rules, with the version list of `purpose`.
    pub fn validate_for(&self, purpose: Purpose) -> Vec<FlowViolation> {
        let mut check = Check {
            flow: self,
            version: parse_version(&self.version),
            out: Vec::new(),
            path: String::new(),
            screen: None,
            names: HashSet::new(),
            footer_in_branch: false,
        };
        let (list, what) = match purpose {
            Purpose::Publish => (PUBLISH_VERSIONS, "published"),
            Purpose::Send => (SEND_VERSIONS, "sent"),
        };
        if !list.contains(&self.version.as_str()) {
            check.report(
                Rule::Version,
                "version",
                format!(
                    "Flow JSON {:?} cannot be {what} (one of {})",
                    self.version,
                    list.join(", ")
                ),
            );
        }
        let n = self.screens.len();
        if n == 0 || n > 100 {
            check.report(
                Rule::ScreenCount,
                "screens",
                format!("1 to 100 screens, found {n}"),
            );
        }
        let mut ids = HashSet::new();
        for (i, s) in self.screens.iter().enumerate() {
            let path = format!("screens[{i}].id");
            if s.id == "SUCCESS" {
                check.report(
                    Rule::ReservedScreenId,
                    &path,
                    "`SUCCESS` is a reserved screen id".into(),
                );
            } else if s.id.is_empty() || !s.id.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
            {
                check.report(
                    Rule::ScreenId,
                    &path,
                    format!("`{}`: letters and underscores only", s.id),
                );
            }
            if !ids.insert(s.id.as_str()) {
                check.report(
                    Rule::DuplicateScreenId,
                    &path,
                    format!("a second screen `{}`", s.id),
                );
            }
        }
        if n > 0 && !self.screens.iter().any(Screen::is_terminal) {
            check.report(
                Rule::NoTerminalScreen,
                "screens",
                "no terminal screen".into(),
            );
        }
        for (i, s) in self.screens.iter().enumerate() {
            check.screen(i, s);
        }
        check.routing();
        check.out
    }

    /// The components of a type this library does not know: kept as read, not checked.
    pub fn unchecked(&self) -> Vec<Unchecked> {
        fn walk(children: &[Component], path: &str, out: &mut Vec<Unchecked>) {
            for (i, c) in children.iter().enumerate() {
                let p = format!("{path}[{i}]");
                match c {
                    Component::Unknown(_) => out.push(Unchecked {
                        path: p,
                        component_type: c.type_name().to_owned(),
                    }),
                    Component::Form(f) => walk(&f.children, &format!("{p}.children"), out),
                    Component::If(x) => {
                        walk(&x.then, &format!("{p}.then"), out);
                        if let Some(e) = &x.otherwise {
                            walk(e, &format!("{p}.else"), out);
                        }
                    }
                    Component::Switch(s) => {
                        for (k, case) in &s.cases.0 {
                            walk(case, &format!("{p}.cases.{k}"), out);
                        }
                    }
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        for (i, s) in self.screens.iter().enumerate() {
            walk(
                &s.layout.children,
                &format!("screens[{i}].layout.children"),
                &mut out,
            );
        }
        out
    }
}
