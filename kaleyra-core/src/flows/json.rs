//! The Flow JSON document as Rust types, with Meta's casing: component properties kebab-case
//! (`on-click-action`, `input-type`, `data-source`), the document's and screens' members
//! snake_case (`routing_model`, `data_api_version`, `refresh_on_back`). Every object keeps the
//! members it does not know (`extra`), and a component of a type this library does not know is
//! kept whole ([`Component::Unknown`]), so that a document read and written back is the same
//! JSON value.

use std::fmt;

use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// Members of an object that the types do not name, in the order read.
pub type Extra = Map<String, Value>;

/// A Flow JSON document: `version`, `screens` and the optional `data_api_version`,
/// `routing_model`; anything else is kept in `extra`.
#[derive(Debug, Clone, Serialize)]
pub struct FlowJson {
    /// The Flow JSON version, `"{major}.{minor}"` (`"7.3"`).
    pub version: String,
    /// The Data API version an endpoint flow uses (`"3.0"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_api_version: Option<String>,
    /// From each screen, the screens it may go to (endpoint flows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_model: Option<OrderedMap<Vec<String>>>,
    /// The screens, the first one shown first.
    pub screens: Vec<Screen>,
    /// Members not named above, kept as read.
    #[serde(flatten)]
    pub extra: Extra,
    /// The document as read, whose key order [`FlowJson::to_pretty_string`] keeps.
    #[serde(skip)]
    source: Option<Value>,
}

/// Why [`FlowJson::from_slice`] could not read a document. A document that is read but breaks
/// Meta's rules is not an error: [`FlowJson::validate`] reports it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FlowJsonError {
    /// Not JSON (with the line and column serde_json reports).
    #[error("not JSON: {0}")]
    Syntax(#[from] serde_json::Error),
    /// JSON, but not of the document's shape: a member missing or of the wrong JSON type.
    #[error("{}{}{message}", path, if path.is_empty() { "" } else { ": " })]
    Shape {
        /// Where, dotted and indexed (`screens[2]`), or empty for the document itself.
        path: String,
        /// What is wrong, in serde's words.
        message: String,
    },
}

impl FlowJson {
    /// A document of `version` with no screens yet (add them with [`FlowJson::with_screen`]).
    pub fn new(version: impl Into<String>) -> FlowJson {
        FlowJson {
            version: version.into(),
            data_api_version: None,
            routing_model: None,
            screens: Vec::new(),
            extra: Extra::new(),
            source: None,
        }
    }

    /// Adds a screen at the end.
    pub fn with_screen(mut self, screen: Screen) -> FlowJson {
        self.screens.push(screen);
        self
    }

    /// Sets `data_api_version` (endpoint flows).
    pub fn data_api_version(mut self, version: impl Into<String>) -> FlowJson {
        self.data_api_version = Some(version.into());
        self
    }

    /// Sets `routing_model`: for each screen id, the ids it may go to.
    pub fn routing_model<I, S, T>(mut self, routes: I) -> FlowJson
    where
        I: IntoIterator<Item = (S, Vec<T>)>,
        S: Into<String>,
        T: Into<String>,
    {
        self.routing_model = Some(OrderedMap(
            routes
                .into_iter()
                .map(|(from, to)| (from.into(), to.into_iter().map(Into::into).collect()))
                .collect(),
        ));
        self
    }

    /// Reads a document. Never panics: bytes that are not JSON, or JSON not of a Flow JSON's
    /// shape, are a [`FlowJsonError`]; a component of an unknown type is kept as
    /// [`Component::Unknown`] (see [`FlowJson::unchecked`]).
    pub fn from_slice(bytes: &[u8]) -> Result<FlowJson, FlowJsonError> {
        let value: Value = serde_json::from_slice(bytes)?;
        FlowJson::from_value(value)
    }

    /// Reads a document already parsed as a JSON value.
    pub fn from_value(value: Value) -> Result<FlowJson, FlowJsonError> {
        let Value::Object(object) = &value else {
            return Err(shape("", "a Flow JSON document is a JSON object"));
        };
        let version = match object.get("version") {
            Some(Value::String(v)) => v.clone(),
            Some(_) => return Err(shape("version", "a string, \"{major}.{minor}\"")),
            None => return Err(shape("", "missing member `version`")),
        };
        let data_api_version = match object.get("data_api_version") {
            None => None,
            Some(Value::String(v)) => Some(v.clone()),
            Some(_) => return Err(shape("data_api_version", "a string, \"{major}.{minor}\"")),
        };
        let routing_model = match object.get("routing_model") {
            None => None,
            Some(v) => Some(
                OrderedMap::deserialize(v).map_err(|e| shape("routing_model", &e.to_string()))?,
            ),
        };
        let Some(Value::Array(items)) = object.get("screens") else {
            return Err(shape("screens", "missing, or not an array"));
        };
        // Screen by screen, so that a shape error names its screen.
        let mut screens = Vec::with_capacity(items.len());
        for (i, screen) in items.iter().enumerate() {
            screens.push(
                Screen::deserialize(screen)
                    .map_err(|e| shape(&format!("screens[{i}]"), &e.to_string()))?,
            );
        }
        let extra = object
            .iter()
            .filter(|(k, _)| {
                !matches!(
                    k.as_str(),
                    "version" | "data_api_version" | "routing_model" | "screens"
                )
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok(FlowJson {
            version,
            data_api_version,
            routing_model,
            screens,
            extra,
            source: Some(value),
        })
    }

    /// The document as JSON, compact.
    pub fn to_value(&self) -> Value {
        let mut value = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Some(source) = &self.source {
            reorder(&mut value, source);
        }
        value
    }

    /// The document written back, pretty-printed (two spaces), its members in the order they
    /// were read (then the ones added in code, in declaration order), unknown members kept.
    pub fn to_pretty_string(&self) -> String {
        serde_json::to_string_pretty(&self.to_value()).unwrap_or_default()
    }
}

fn shape(path: &str, message: &str) -> FlowJsonError {
    FlowJsonError::Shape {
        path: path.to_owned(),
        message: message.to_owned(),
    }
}

/// Puts `value`'s object members in `source`'s order where both have them (members only in
/// `value` follow, in their own order), and keeps the source's `null` members.
fn reorder(value: &mut Value, source: &Value) {
    match (value, source) {
        (Value::Object(map), Value::Object(src)) => {
            let mut old = std::mem::take(map);
            for (key, src_child) in src {
                if let Some(mut child) = old.shift_remove(key) {
                    reorder(&mut child, src_child);
                    map.insert(key.clone(), child);
                } else if src_child.is_null() {
                    // An optional member read as `null` is `None`, which is not written: put
                    // the `null` back, so that the document stays the same JSON value.
                    map.insert(key.clone(), Value::Null);
                }
            }
            map.extend(old);
        }
        (Value::Array(items), Value::Array(src)) => {
            for (item, src_item) in items.iter_mut().zip(src) {
                reorder(item, src_item);
            }
        }
        _ => {}
    }
}

/// One screen: its `id`, `layout`, optional `title`, `terminal`, `success`, `refresh_on_back`,
/// `sensitive`, and its `data` model (each entry a JSON schema with an `__example__`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Screen {
    /// The screen's id (letters and underscores; `SUCCESS` is reserved).
    pub id: String,
    /// The title in the top bar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Whether the flow can end on this screen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal: Option<bool>,
    /// On a terminal screen: whether ending here is a success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// Whether going back to this screen asks the endpoint again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_on_back: Option<bool>,
    /// Fields whose values the summary hides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<Vec<String>>,
    /// The data the screen receives: name → JSON schema with `__example__`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Map<String, Value>>,
    /// What the screen shows.
    pub layout: Layout,
    /// Members not named above, kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Screen {
    /// A screen `id` with a `SingleColumnLayout` of `children`.
    pub fn new(id: impl Into<String>, children: Vec<Component>) -> Screen {
        Screen {
            id: id.into(),
            title: None,
            terminal: None,
            success: None,
            refresh_on_back: None,
            sensitive: None,
            data: None,
            layout: Layout {
                kind: "SingleColumnLayout".into(),
                children,
                extra: Extra::new(),
            },
            extra: Extra::new(),
        }
    }

    /// Sets the title.
    pub fn title(mut self, title: impl Into<String>) -> Screen {
        self.title = Some(title.into());
        self
    }

    /// Marks the screen terminal (and, with `success`, how ending here counts).
    pub fn terminal(mut self, success: Option<bool>) -> Screen {
        self.terminal = Some(true);
        self.success = success;
        self
    }

    /// Declares one `data` entry: its JSON schema type and its `__example__`.
    pub fn data_entry(mut self, name: impl Into<String>, kind: &str, example: Value) -> Screen {
        let mut schema = Map::new();
        schema.insert("type".into(), Value::String(kind.into()));
        schema.insert("__example__".into(), example);
        self.data
            .get_or_insert_with(Map::new)
            .insert(name.into(), Value::Object(schema));
        self
    }

    /// Whether the screen is terminal.
    pub fn is_terminal(&self) -> bool {
        self.terminal == Some(true)
    }
}

/// A screen's layout: `type` (`SingleColumnLayout`) and its `children`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Layout {
    /// `"SingleColumnLayout"`, the only layout Meta defines.
    #[serde(rename = "type")]
    pub kind: String,
    /// The components, top to bottom.
    pub children: Vec<Component>,
    /// Members not named above, kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A JSON object whose members keep their order, typed values (`routing_model`, `Switch`'s
/// `cases`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V> OrderedMap<V> {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl<V: Serialize> Serialize for OrderedMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Visit<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = access.next_entry::<String, V>()? {
                    entries.push((k, v));
                }
                Ok(OrderedMap(entries))
            }
        }
        deserializer.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// An action (`on-click-action`, `on-select-action`, …): `name` (`navigate`, `complete`,
/// `data_exchange`, `update_data`, `open_url`), with `next`, `payload` or `url`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Action {
    /// `navigate`, `complete`, `data_exchange`, `update_data` or `open_url`.
    pub name: String,
    /// `navigate`: the screen to go to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Next>,
    /// The data sent: the next screen's `data` (`navigate`), the answers (`complete`), the
    /// endpoint's request (`data_exchange`), the new values (`update_data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<Map<String, Value>>,
    /// `open_url`: the link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Members not named above, kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Action {
    fn new(name: &str, next: Option<Next>, payload: Option<Map<String, Value>>) -> Action {
        Action {
            name: name.into(),
            next,
            payload,
            url: None,
            extra: Extra::new(),
        }
    }

    /// `navigate` to `screen` with `payload`.
    pub fn navigate(screen: impl Into<String>, payload: Map<String, Value>) -> Action {
        let next = Next {
            kind: "screen".into(),
            name: screen.into(),
            extra: Extra::new(),
        };
        Action::new("navigate", Some(next), Some(payload))
    }

    /// `complete` the flow, sending `payload`.
    pub fn complete(payload: Map<String, Value>) -> Action {
        Action::new("complete", None, Some(payload))
    }

    /// `data_exchange` with the endpoint, sending `payload`.
    pub fn data_exchange(payload: Map<String, Value>) -> Action {
        Action::new("data_exchange", None, Some(payload))
    }

    /// `update_data` of the current screen (Flow JSON 6.0+).
    pub fn update_data(payload: Map<String, Value>) -> Action {
        Action::new("update_data", None, Some(payload))
    }

    /// `open_url` (Flow JSON 6.0+).
    pub fn open_url(url: impl Into<String>) -> Action {
        let mut action = Action::new("open_url", None, None);
        action.url = Some(url.into());
        action
    }
}

/// `navigate`'s `next`: `{"type": "screen", "name": "…"}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Next {
    /// `"screen"` (or `"plugin"`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The screen's id.
    pub name: String,
    /// Members not named above, kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

/// TextHeading, TextSubheading, TextBody, TextCaption.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Text {
    /// The text (or a `${data.…}` binding).
    pub text: String,
    /// `true`, `false` or a binding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible: Option<Value>,
    /// TextBody, TextCaption: `bold`, `italic`, `bold_italic`, `normal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font_weight: Option<Value>,
    /// TextBody, TextCaption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strikethrough: Option<Value>,
    /// TextBody, TextCaption: markdown (Flow JSON 5.1+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markdown: Option<bool>,
    /// Members not named above, kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Text {
    /// A text component's content.
    pub fn new(text: impl Into<String>) -> Text {
        Text {
            text: text.into(),
            visible: None,
            font_weight: None,
            strikethrough: None,
            markdown: None,
            extra: Extra::new(),
        }
    }
}

/// RichText (Flow JSON 5.1+): markdown, a string or an array of lines.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RichText {
    /// A string, an array of strings, or a binding.
    pub text: Value,
    /// `true`, `false` or a binding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible: Option<Value>,
    /// Members not named above, kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An input with a name and a label: TextInput, TextArea, DatePicker, CalendarPicker,
/// PhotoPicker, DocumentPicker (each uses the properties Meta gives it).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Input {
    /// The form name (`${form.<name>}`).
    pub name: String,
    /// The label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// TextInput, TextArea, DatePicker: the hint under the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helper_text: Option<String>,
    /// PhotoPicker, DocumentPicker, CalendarPicker: the description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// TextInput: `text`, `number`, `email`, `password`, `passcode`, `phone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_type: Option<String>,
    /// TextInput: a regular expression the answer must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// `true`, `false` or a binding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<Value>,
    /// `true`, `false` or a binding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible: Option<Value>,
    /// `true`, `false` or a binding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<Value>,
    /// The initial value (outside a Form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_value: Option<Value>,
    /// The error shown (or a binding).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<Value>,
    /// TextInput: the minimum number of characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_chars: Option<Value>,
    /// TextInput: the maximum number of characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_chars: Option<Value>,
    /// TextArea: the maximum length (at most 600).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<Value>,
    /// DatePicker, CalendarPicker: run when a date is chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_select_action: Option<Action>,
    /// Members not named above (`min-date`, `max-date`, `unavailable-dates`, `mode`,
    /// `photo-source`, `max-uploaded-photos`, …), kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Input {
    /// An input `name` with `label`.
    pub fn new(name: impl Into<String>, label: impl Into<String>) -> Input {
        Input {
            name: name.into(),
            label: Some(label.into()),
            helper_text: None,
            description: None,
            input_type: None,
            pattern: None,
            required: None,
            visible: None,
            enabled: None,
            init_value: None,
            error_message: None,
            min_chars: None,
            max_chars: None,
            max_length: None,
            on_select_action: None,
            extra: Extra::new(),
        }
    }
}

/// A choice among options: CheckboxGroup, RadioButtonsGroup, Dropdown, ChipsSelector.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Choice {
    /// The form name (`${form.<name>}`).
    pub name: String,
    /// The label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The description (CheckboxGroup, RadioButtonsGroup, ChipsSelector).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The options, or a binding to them.
    pub data_source: DataSource,
    /// `true`, `false` or a binding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<Value>,
    /// `true`, `false` or a binding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible: Option<Value>,
    /// `true`, `false` or a binding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<Value>,
    /// The initial selection (outside a Form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_value: Option<Value>,
    /// CheckboxGroup, ChipsSelector: at least this many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_selected_items: Option<Value>,
    /// CheckboxGroup, ChipsSelector: at most this many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_selected_items: Option<Value>,
    /// Run when an option is chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_select_action: Option<Action>,
    /// Run when an option is unchosen (Flow JSON 6.0+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_unselect_action: Option<Action>,
    /// Members not named above, kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Choice {
    /// A choice `name` with `label` among `options`.
    pub fn new(
        name: impl Into<String>,
        label: impl Into<String>,
        options: Vec<ChoiceOption>,
    ) -> Choice {
        Choice {
            name: name.into(),
            label: Some(label.into()),
            description: None,
            data_source: DataSource::Options(options),
            required: None,
            visible: None,
            enabled: None,
            init_value: None,
            min_selected_items: None,
            max_selected_items: None,
            on_select_action: None,
            on_unselect_action: None,
            extra: Extra::new(),
        }
    }
}

/// A choice's `data-source`: the options, or a `${data.…}` binding.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DataSource {
    /// The options, in order.
    Options(Vec<ChoiceOption>),
    /// A binding (`"${data.options}"`).
    Binding(String),
}

/// One option: `id`, `title`, optional `description`, `metadata`, `enabled`, `image`, ….
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChoiceOption {
    /// What is sent when chosen.
    pub id: String,
    /// What is shown.
    pub title: String,
    /// The description under the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The text on the right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
    /// Members not named above (`enabled`, `image`, `alt-text`, `color`), kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ChoiceOption {
    /// An option `id` shown as `title`.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> ChoiceOption {
        ChoiceOption {
            id: id.into(),
            title: title.into(),
            description: None,
            metadata: None,
            extra: Extra::new(),
        }
    }
}

/// The button at the bottom of a screen.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Footer {
    /// The button's label.
    pub label: String,
    /// Caption on the left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_caption: Option<String>,
    /// Caption in the center.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub center_caption: Option<String>,
    /// Caption on the right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right_caption: Option<String>,
    /// `true`, `false` or a binding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<Value>,
    /// What the button does.
    pub on_click_action: Action,
    /// Members not named above, kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Footer {
    /// A footer button `label` running `action`.
    pub fn new(label: impl Into<String>, action: Action) -> Footer {
        Footer {
            label: label.into(),
            left_caption: None,
            center_caption: None,
            right_caption: None,
            enabled: None,
            on_click_action: action,
            extra: Extra::new(),
        }
    }
}

/// A checkbox to agree to something (at most 5 a screen).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct OptIn {
    /// The form name.
    pub name: String,
    /// The text (at most 120 characters).
    pub label: String,
    /// `true`, `false` or a binding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<Value>,
    /// `true`, `false` or a binding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible: Option<Value>,
    /// The initial state (outside a Form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_value: Option<Value>,
    /// The "Read more" action (`navigate`, `data_exchange`, `open_url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_click_action: Option<Action>,
    /// Members not named above, kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

impl OptIn {
    /// An opt-in `name` with `label`.
    pub fn new(name: impl Into<String>, label: impl Into<String>) -> OptIn {
        OptIn {
            name: name.into(),
            label: label.into(),
            required: None,
            visible: None,
            init_value: None,
            on_click_action: None,
            extra: Extra::new(),
        }
    }
}

/// A link inside a screen (at most 2 a screen).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct EmbeddedLink {
    /// The link's text (at most 25 characters).
    pub text: String,
    /// What it does.
    pub on_click_action: Action,
    /// `true`, `false` or a binding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible: Option<Value>,
    /// Members not named above, kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EmbeddedLink {
    /// A link `text` running `action`.
    pub fn new(text: impl Into<String>, action: Action) -> EmbeddedLink {
        EmbeddedLink {
            text: text.into(),
            on_click_action: action,
            visible: None,
            extra: Extra::new(),
        }
    }
}

/// An image, base64 (at most 3 a screen).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Image {
    /// The image, base64 (or a binding).
    pub src: String,
    /// Members not named above (`width`, `height`, `scale-type`, `aspect-ratio`, `alt-text`,
    /// `visible`), kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

/// NavigationList (Flow JSON 6.2+): a list of items, each going somewhere.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct NavigationList {
    /// The name.
    pub name: String,
    /// The items (objects), or a binding to them.
    pub list_items: Value,
    /// The action of every item (unless an item has its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_click_action: Option<Action>,
    /// Members not named above (`label`, `description`, `media-size`), kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Form: a group of inputs (optional since Flow JSON 4.0).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Form {
    /// The form's name.
    pub name: String,
    /// Its components.
    pub children: Vec<Component>,
    /// Members not named above (`init-values`, `error-messages`), kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Form {
    /// A form `name` of `children`.
    pub fn new(name: impl Into<String>, children: Vec<Component>) -> Form {
        Form {
            name: name.into(),
            children,
            extra: Extra::new(),
        }
    }
}

/// If (Flow JSON 4.0+): `then` when `condition` holds, else `else`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct If {
    /// A boolean expression over bindings (`"${form.age} > 18"`).
    pub condition: String,
    /// Shown when it holds (not empty).
    pub then: Vec<Component>,
    /// Shown when it does not.
    #[serde(default, rename = "else", skip_serializing_if = "Option::is_none")]
    pub otherwise: Option<Vec<Component>>,
    /// Members not named above, kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

impl If {
    /// `then` when `condition` holds, else `otherwise`.
    pub fn new(
        condition: impl Into<String>,
        then: Vec<Component>,
        otherwise: Option<Vec<Component>>,
    ) -> If {
        If {
            condition: condition.into(),
            then,
            otherwise,
            extra: Extra::new(),
        }
    }
}

/// Switch (Flow JSON 4.0+): the components of the case that `value` names.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Switch {
    /// A binding (`"${data.kind}"`).
    pub value: String,
    /// Each case's components (not empty).
    pub cases: OrderedMap<Vec<Component>>,
    /// Members not named above, kept as read.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Switch {
    /// The components of the case `value` names, among `cases`.
    pub fn new<K: Into<String>>(
        value: impl Into<String>,
        cases: impl IntoIterator<Item = (K, Vec<Component>)>,
    ) -> Switch {
        Switch {
            value: value.into(),
            cases: OrderedMap(cases.into_iter().map(|(k, v)| (k.into(), v)).collect()),
            extra: Extra::new(),
        }
    }
}

/// One component of a layout, by its `type`. A type this library does not know is kept as
/// [`Component::Unknown`] and reported by [`FlowJson::unchecked`], never as an error.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Component {
    /// `TextHeading`: at most 80 characters.
    TextHeading(Text),
    /// `TextSubheading`: at most 80 characters.
    TextSubheading(Text),
    /// `TextBody`: at most 4096 characters.
    TextBody(Text),
    /// `TextCaption`: at most 409 characters.
    TextCaption(Text),
    /// `RichText` (Flow JSON 5.1+).
    RichText(RichText),
    /// `TextInput`.
    TextInput(Input),
    /// `TextArea`.
    TextArea(Input),
    /// `DatePicker`.
    DatePicker(Input),
    /// `CalendarPicker` (Flow JSON 6.1+).
    CalendarPicker(Input),
    /// `PhotoPicker`.
    PhotoPicker(Input),
    /// `DocumentPicker`.
    DocumentPicker(Input),
    /// `CheckboxGroup`.
    CheckboxGroup(Choice),
    /// `RadioButtonsGroup`.
    RadioButtonsGroup(Choice),
    /// `Dropdown`.
    Dropdown(Choice),
    /// `ChipsSelector` (Flow JSON 6.3+).
    ChipsSelector(Choice),
    /// `Footer`.
    Footer(Footer),
    /// `OptIn`.
    OptIn(OptIn),
    /// `EmbeddedLink`.
    EmbeddedLink(EmbeddedLink),
    /// `Image`.
    Image(Image),
    /// `NavigationList` (Flow JSON 6.2+).
    NavigationList(NavigationList),
    /// `Form`.
    Form(Form),
    /// `If` (Flow JSON 4.0+).
    If(If),
    /// `Switch` (Flow JSON 4.0+).
    Switch(Switch),
    /// A component of another type, kept whole (not checked).
    Unknown(Value),
}

impl Component {
    /// Its `type`, as written in Flow JSON.
    pub fn type_name(&self) -> &str {
        match self {
            Component::TextHeading(_) => "TextHeading",
            Component::TextSubheading(_) => "TextSubheading",
            Component::TextBody(_) => "TextBody",
            Component::TextCaption(_) => "TextCaption",
            Component::RichText(_) => "RichText",
            Component::TextInput(_) => "TextInput",
            Component::TextArea(_) => "TextArea",
            Component::DatePicker(_) => "DatePicker",
            Component::CalendarPicker(_) => "CalendarPicker",
            Component::PhotoPicker(_) => "PhotoPicker",
            Component::DocumentPicker(_) => "DocumentPicker",
            Component::CheckboxGroup(_) => "CheckboxGroup",
            Component::RadioButtonsGroup(_) => "RadioButtonsGroup",
            Component::Dropdown(_) => "Dropdown",
            Component::ChipsSelector(_) => "ChipsSelector",
            Component::Footer(_) => "Footer",
            Component::OptIn(_) => "OptIn",
            Component::EmbeddedLink(_) => "EmbeddedLink",
            Component::Image(_) => "Image",
            Component::NavigationList(_) => "NavigationList",
            Component::Form(_) => "Form",
            Component::If(_) => "If",
            Component::Switch(_) => "Switch",
            Component::Unknown(v) => v.get("type").and_then(Value::as_str).unwrap_or(""),
        }
    }

    /// The form name of an input (TextInput, Dropdown, OptIn, …), if it is one.
    pub fn input_name(&self) -> Option<&str> {
        match self {
            Component::TextInput(i)
            | Component::TextArea(i)
            | Component::DatePicker(i)
            | Component::CalendarPicker(i)
            | Component::PhotoPicker(i)
            | Component::DocumentPicker(i) => Some(&i.name),
            Component::CheckboxGroup(c)
            | Component::RadioButtonsGroup(c)
            | Component::Dropdown(c)
            | Component::ChipsSelector(c) => Some(&c.name),
            Component::OptIn(o) => Some(&o.name),
            _ => None,
        }
    }
}

impl Serialize for Component {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        fn with_type<T: Serialize, S: Serializer>(
            kind: &str,
            inner: &T,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            let Value::Object(fields) =
                serde_json::to_value(inner).map_err(serde::ser::Error::custom)?
            else {
                return Err(serde::ser::Error::custom("a component is an object"));
            };
            let mut map = serializer.serialize_map(Some(fields.len() + 1))?;
            map.serialize_entry("type", kind)?;
            for (k, v) in &fields {
                map.serialize_entry(k, v)?;
            }
            map.end()
        }
        let kind = self.type_name();
        match self {
            Component::TextHeading(c)
            | Component::TextSubheading(c)
            | Component::TextBody(c)
            | Component::TextCaption(c) => with_type(kind, c, serializer),
            Component::RichText(c) => with_type(kind, c, serializer),
            Component::TextInput(c)
            | Component::TextArea(c)
            | Component::DatePicker(c)
            | Component::CalendarPicker(c)
            | Component::PhotoPicker(c)
            | Component::DocumentPicker(c) => with_type(kind, c, serializer),
            Component::CheckboxGroup(c)
            | Component::RadioButtonsGroup(c)
            | Component::Dropdown(c)
            | Component::ChipsSelector(c) => with_type(kind, c, serializer),
            Component::Footer(c) => with_type(kind, c, serializer),
            Component::OptIn(c) => with_type(kind, c, serializer),
            Component::EmbeddedLink(c) => with_type(kind, c, serializer),
            Component::Image(c) => with_type(kind, c, serializer),
            Component::NavigationList(c) => with_type(kind, c, serializer),
            Component::Form(c) => with_type(kind, c, serializer),
            Component::If(c) => with_type(kind, c, serializer),
            Component::Switch(c) => with_type(kind, c, serializer),
            Component::Unknown(v) => v.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Component {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let Value::Object(mut map) = value else {
            return Err(de::Error::custom("a component is a JSON object"));
        };
        let kind = match map.get("type") {
            Some(Value::String(kind)) => kind.clone(),
            _ => return Err(de::Error::custom("a component has a string `type`")),
        };
        fn read<T: DeserializeOwned, E: de::Error>(
            kind: &str,
            map: Map<String, Value>,
        ) -> Result<T, E> {
            T::deserialize(Value::Object(map)).map_err(|e| E::custom(format_args!("{kind}: {e}")))
        }
        let known = matches!(
            kind.as_str(),
            "TextHeading"
                | "TextSubheading"
                | "TextBody"
                | "TextCaption"
                | "RichText"
                | "TextInput"
                | "TextArea"
                | "DatePicker"
                | "CalendarPicker"
                | "PhotoPicker"
                | "DocumentPicker"
                | "CheckboxGroup"
                | "RadioButtonsGroup"
                | "Dropdown"
                | "ChipsSelector"
                | "Footer"
                | "OptIn"
                | "EmbeddedLink"
                | "Image"
                | "NavigationList"
                | "Form"
                | "If"
                | "Switch"
        );
        if !known {
            return Ok(Component::Unknown(Value::Object(map)));
        }
        map.shift_remove("type");
        let k = kind.as_str();
        Ok(match k {
            "TextHeading" => Component::TextHeading(read(k, map)?),
            "TextSubheading" => Component::TextSubheading(read(k, map)?),
            "TextBody" => Component::TextBody(read(k, map)?),
            "TextCaption" => Component::TextCaption(read(k, map)?),
            "RichText" => Component::RichText(read(k, map)?),
            "TextInput" => Component::TextInput(read(k, map)?),
            "TextArea" => Component::TextArea(read(k, map)?),
            "DatePicker" => Component::DatePicker(read(k, map)?),
            "CalendarPicker" => Component::CalendarPicker(read(k, map)?),
            "PhotoPicker" => Component::PhotoPicker(read(k, map)?),
            "DocumentPicker" => Component::DocumentPicker(read(k, map)?),
            "CheckboxGroup" => Component::CheckboxGroup(read(k, map)?),
            "RadioButtonsGroup" => Component::RadioButtonsGroup(read(k, map)?),
            "Dropdown" => Component::Dropdown(read(k, map)?),
            "ChipsSelector" => Component::ChipsSelector(read(k, map)?),
            "Footer" => Component::Footer(read(k, map)?),
            "OptIn" => Component::OptIn(read(k, map)?),
            "EmbeddedLink" => Component::EmbeddedLink(read(k, map)?),
            "Image" => Component::Image(read(k, map)?),
            "NavigationList" => Component::NavigationList(read(k, map)?),
            "Form" => Component::Form(read(k, map)?),
            "If" => Component::If(read(k, map)?),
            _ => Component::Switch(read(k, map)?),
        })
    }
}
