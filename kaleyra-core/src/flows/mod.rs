//! WhatsApp Flows as code (issue 16): the flow lifecycle on [`Client`](crate::Client)
//! ([`lifecycle`]).

pub mod lifecycle;

pub use lifecycle::{
    FailedMigration, FlowAsset, FlowCategory, FlowDetails, FlowErrorPointer, FlowField, FlowFields,
    FlowPreview, FlowStatus, FlowUpdate, FlowValidationError, MAX_FLOW_JSON_BYTES, MigratedFlow,
    Migration, NewFlow,
};
