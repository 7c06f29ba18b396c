//! What the compile-time checks read from a flow: a screen's `data` model and what the flow's
//! terminal screens send in `complete`.

use serde_json::Value;

use super::json::{Component, FlowJson, Screen};

/// A JSON type, as a `data` schema or a `complete` payload fixes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JsonType {
    /// `"string"`. (Not named `String`: a variant of that name would make rustc spell out
    /// `std::string::String` in every derive error that lists types.)
    Text,
    /// `"number"`.
    Number,
    /// `"integer"`.
    Integer,
    /// `"boolean"`.
    Boolean,
    /// `"array"`.
    Array,
    /// `"object"`.
    Object,
}

impl JsonType {
    /// From a JSON schema's `type` (`"string"`, `"number"`, …).
    pub fn from_schema(name: &str) -> Option<JsonType> {
        Some(match name {
            "string" => JsonType::Text,
            "number" => JsonType::Number,
            "integer" => JsonType::Integer,
            "boolean" => JsonType::Boolean,
            "array" => JsonType::Array,
            "object" => JsonType::Object,
            _ => return None,
        })
    }

    /// The type of a literal JSON value (`None` for `null`).
    pub fn of(value: &Value) -> Option<JsonType> {
        Some(match value {
            Value::String(_) => JsonType::Text,
            Value::Number(n) if n.is_i64() || n.is_u64() => JsonType::Integer,
            Value::Number(_) => JsonType::Number,
            Value::Bool(_) => JsonType::Boolean,
            Value::Array(_) => JsonType::Array,
            Value::Object(_) => JsonType::Object,
            Value::Null => return None,
        })
    }

    /// The schema's name of the type.
    pub fn as_str(self) -> &'static str {
        match self {
            JsonType::Text => "string",
            JsonType::Number => "number",
            JsonType::Integer => "integer",
            JsonType::Boolean => "boolean",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }
}

/// One entry of a screen's `data` model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataField {
    /// Its name.
    pub name: String,
    /// Its schema's `type`, when it names one.
    pub json_type: Option<JsonType>,
}

/// One answer a flow's terminal screens send in `complete`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionField {
    /// The payload's member name.
    pub name: String,
    /// Its JSON type where the flow fixes it (a literal, a `data` entry with a `type`, or an
    /// input whose answer has one type); `None` when terminal screens disagree or it is unknown.
    pub json_type: Option<JsonType>,
    /// Whether every `complete` action of the flow sends it.
    pub always: bool,
}

impl Screen {
    /// The screen's `data` model, in declaration order.
    pub fn data_model(&self) -> Vec<DataField> {
        self.data
            .iter()
            .flatten()
            .map(|(name, schema)| DataField {
                name: name.clone(),
                json_type: schema
                    .get("type")
                    .and_then(Value::as_str)
                    .and_then(JsonType::from_schema),
            })
            .collect()
    }

    /// The input named `name` anywhere in the screen (in a Form, If or Switch too).
    pub fn input(&self, name: &str) -> Option<&Component> {
        fn find<'a>(children: &'a [Component], name: &str) -> Option<&'a Component> {
            children.iter().find_map(|c| match c {
                Component::Form(f) => find(&f.children, name),
                Component::If(i) => find(&i.then, name)
                    .or_else(|| i.otherwise.as_deref().and_then(|e| find(e, name))),
                Component::Switch(s) => s.cases.0.iter().find_map(|(_, c)| find(c, name)),
                c if c.input_name() == Some(name) => Some(c),
                _ => None,
            })
        }
        find(&self.layout.children, name)
    }
}

/// The JSON type of an input's answer, where it has one.
fn answer_type(component: &Component) -> Option<JsonType> {
    match component {
        Component::TextInput(_)
        | Component::TextArea(_)
        | Component::DatePicker(_)
        | Component::RadioButtonsGroup(_)
        | Component::Dropdown(_) => Some(JsonType::Text),
        Component::CheckboxGroup(_)
        | Component::ChipsSelector(_)
        | Component::PhotoPicker(_)
        | Component::DocumentPicker(_) => Some(JsonType::Array),
        Component::OptIn(_) => Some(JsonType::Boolean),
        _ => None,
    }
}

/// Every action of `children` (nested ones too), with `f`.
pub(crate) fn each_action<'a>(children: &'a [Component], f: &mut dyn FnMut(&'a super::Action)) {
    for c in children {
        match c {
            Component::Footer(x) => f(&x.on_click_action),
            Component::EmbeddedLink(x) => f(&x.on_click_action),
            Component::OptIn(x) => x.on_click_action.iter().for_each(&mut *f),
            Component::NavigationList(x) => x.on_click_action.iter().for_each(&mut *f),
            Component::TextInput(x)
            | Component::TextArea(x)
            | Component::DatePicker(x)
            | Component::CalendarPicker(x)
            | Component::PhotoPicker(x)
            | Component::DocumentPicker(x) => x.on_select_action.iter().for_each(&mut *f),
            Component::CheckboxGroup(x)
            | Component::RadioButtonsGroup(x)
            | Component::Dropdown(x)
            | Component::ChipsSelector(x) => {
                x.on_select_action.iter().for_each(&mut *f);
                x.on_unselect_action.iter().for_each(&mut *f);
            }
            Component::Form(x) => each_action(&x.children, f),
            Component::If(x) => {
                each_action(&x.then, f);
                if let Some(e) = &x.otherwise {
                    each_action(e, f);
                }
            }
            Component::Switch(x) => x.cases.0.iter().for_each(|(_, c)| each_action(c, f)),
            _ => {}
        }
    }
}

/// The type a payload value sends from `screen`: a literal's, a `${data.x}`'s schema type, a
/// `${form.x}`'s answer type.
fn value_type(flow: &FlowJson, screen: &Screen, value: &Value) -> Option<JsonType> {
    let Value::String(s) = value else {
        return JsonType::of(value);
    };
    let Some(inner) = s.strip_prefix("${").and_then(|r| r.strip_suffix('}')) else {
        return Some(JsonType::Text);
    };
    let (screen, inner) = match inner.strip_prefix("screen.") {
        Some(rest) => {
            let (id, rest) = rest.split_once('.')?;
            (flow.screen(id)?, rest)
        }
        None => (screen, inner),
    };
    if let Some(name) = inner.strip_prefix("form.") {
        screen.input(name).and_then(answer_type)
    } else if let Some(name) = inner.strip_prefix("data.") {
        screen
            .data_model()
            .into_iter()
            .find(|f| f.name == name)
            .and_then(|f| f.json_type)
    } else {
        None
    }
}

impl FlowJson {
    /// What the flow's `complete` actions send (on its terminal screens): every member name
    /// once, in the order first met, with its JSON type where every `complete` that sends it
    /// agrees on one, and whether every `complete` sends it.
    pub fn completion_fields(&self) -> Vec<CompletionField> {
        let mut fields: Vec<CompletionField> = Vec::new();
        let mut seen_types: Vec<Option<JsonType>> = Vec::new();
        let mut completes = 0usize;
        let mut counts: Vec<usize> = Vec::new();
        for screen in &self.screens {
            let mut actions = Vec::new();
            each_action(&screen.layout.children, &mut |a| {
                if a.name == "complete" {
                    actions.push(a)
                }
            });
            for action in actions {
                completes += 1;
                for (name, value) in action.payload.iter().flatten() {
                    let t = value_type(self, screen, value);
                    match fields.iter().position(|f| &f.name == name) {
                        Some(i) => {
                            counts[i] += 1;
                            if seen_types[i] != t {
                                seen_types[i] = None;
                            }
                        }
                        None => {
                            fields.push(CompletionField {
                                name: name.clone(),
                                json_type: t,
                                always: false,
                            });
                            seen_types.push(t);
                            counts.push(1);
                        }
                    }
                }
            }
        }
        for (i, f) in fields.iter_mut().enumerate() {
            f.json_type = seen_types[i];
            f.always = counts[i] == completes;
        }
        fields
    }
}
