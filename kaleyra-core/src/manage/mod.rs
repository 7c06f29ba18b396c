//! Template management (issue 19): create, edit and delete the account's templates, and the
//! resumable upload that gives a media header its example handle.
//!
//! The endpoints are Kaleyra's `…/v2/{sid}/whatsapp/{waba_id}/message_templates` (facts §1,
//! `v2-session-flows-templates.md` §4) and `…/{waba_id}/resumable_media` (§2.2). Where Kaleyra's
//! pages stop (the creation body, how an edit names its template, the bulk-delete parameters,
//! the resumable upload's answer) the choices are in RULES.md, "Template management", each with
//! its source.
//!
//! - [`Client::create_template`](crate::Client::create_template): Meta's creation body
//!   ([`TemplateDefinition::creation_body`](crate::catalogue::TemplateDefinition::creation_body)),
//!   answered [`CreatedTemplate`];
//! - [`Client::edit_template`](crate::Client::edit_template) and
//!   [`Client::edit_template_parts`](crate::Client::edit_template_parts): the category and the
//!   components in separate calls ([`Edit`]), as Kaleyra requires;
//! - [`Client::delete_template`](crate::Client::delete_template) (one language by id, or every
//!   language of a name) and [`Client::delete_templates`](crate::Client::delete_templates)
//!   ([`BulkDelete`], its filters ANDed);
//! - [`Client::upload_resumable`](crate::Client::upload_resumable): an
//!   [`Upload`](crate::session::Upload) of one of the five types Kaleyra takes, answered
//!   [`UploadHandle`].
//!
//! - [`Client::apply_plan`](crate::Client::apply_plan): the calls of a push
//!   [`Plan`](crate::catalogue::Plan) (templates as code: `kaleyra templates push`), within
//!   Kaleyra's hourly budget, reported as [`Applied`].
//!
//! Every call takes the client's one request path (retries, span, body cap, typed errors);
//! none is held by the client's [`RateLimit`](crate::RateLimit), which is for messages:
//! Kaleyra's 100 template calls per WABA per hour are answered `WA429`, typed
//! [`ApiErrorKind::TemplateRateLimited`](crate::ApiErrorKind::TemplateRateLimited) and not
//! retried.

mod templates;
pub use templates::{BulkDelete, CreatedTemplate, DateRange, Edit, check_template_id};

#[cfg(feature = "mock")]
pub(crate) use templates::civil_date;

#[cfg(feature = "transport")]
mod push;
#[cfg(feature = "transport")]
pub use push::{Applied, Done, Stopped};

#[cfg(feature = "transport")]
mod resumable;
#[cfg(feature = "transport")]
pub use resumable::{RESUMABLE_MAX_BYTES, RESUMABLE_TYPES, UploadHandle, check_resumable};
