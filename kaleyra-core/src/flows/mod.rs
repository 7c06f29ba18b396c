//! Flow JSON as code (issue 16): [`FlowJson`], Meta's Flow JSON document as Rust types, read with
//! [`FlowJson::from_slice`], built in code, written back with [`FlowJson::to_pretty_string`], and
//! checked with [`FlowJson::validate`] against Meta's publishing (or, with
//! [`FlowJson::validate_for`], sending) rules. RULES.md, "Flow JSON", lists every rule with its
//! source.
//!
//! The flow lifecycle on [`Client`](crate::Client) is in [`lifecycle`] (create, update, upload
//! the JSON, publish, deprecate, delete, get, list, assets, migrate).
//!
//! The committed flows (`kaleyra-flows/`: `flows.json` and one `<name>.json` per flow), which
//! the derives check at compile time, are read with [`FlowsDir`] and written with
//! [`write_index`] and [`write_flow`].
//!
//! ```
//! use kaleyra::flows::{FlowJson, Rule};
//!
//! let flow = FlowJson::from_slice(br#"{
//!   "version": "7.3",
//!   "screens": [{
//!     "id": "WELCOME", "title": "Welcome", "terminal": true,
//!     "layout": {"type": "SingleColumnLayout", "children": [
//!       {"type": "TextInput", "name": "full_name", "label": "Your full name, please"},
//!       {"type": "Footer", "label": "Done",
//!        "on-click-action": {"name": "complete", "payload": {"name": "${form.full_name}"}}}
//!     ]}
//!   }]
//! }"#)?;
//! let violations = flow.validate();
//! assert_eq!(violations[0].rule, Rule::TextLength);
//! assert_eq!(
//!     violations[0].to_string(),
//!     "screens[0].layout.children[0].label: at most 20 characters, found 22"
//! );
//! # Ok::<(), kaleyra::flows::FlowJsonError>(())
//! ```

pub mod check;
mod files;
mod json;
pub mod lifecycle;
pub(crate) mod model;
mod validate;

pub use files::{
    DIR_NAME, ENV, FlowEntry, FlowFile, FlowsDir, FlowsDirError, INDEX_FILE, discover, index_text,
    read_flow, write_flow, write_index,
};
pub use json::{
    Action, Choice, ChoiceOption, Component, DataSource, EmbeddedLink, FlowJson, FlowJsonError,
    Footer, Form, If, Image, Input, Layout, NavigationList, Next, OptIn, OrderedMap, RichText,
    Screen, Switch, Text,
};
pub use lifecycle::{
    FailedMigration, FlowAsset, FlowCategory, FlowDetails, FlowErrorPointer, FlowField, FlowFields,
    FlowPreview, FlowStatus, FlowUpdate, FlowValidationError, MAX_FLOW_JSON_BYTES, MigratedFlow,
    Migration, NewFlow,
};
pub use model::{CompletionField, DataField, JsonType};
pub use validate::{FlowViolation, PUBLISH_VERSIONS, Purpose, Rule, SEND_VERSIONS, Unchecked};
