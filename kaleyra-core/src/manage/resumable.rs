//! Kaleyra's resumable upload (`POST /v2/{sid}/whatsapp/{waba_id}/resumable_media`,
//! `v2-session-flows-templates.md` §2.2): the handle a media header's example needs when a
//! template is created. The file is a [`Upload`], streamed as `upload_media` streams it; the
//! rules of this endpoint (five types, 100 MB, the file name's characters) are here, once.

use std::fmt;

use serde_json::Value;
use tracing::field::Empty;

use crate::client::{Body, Client, FormFuture};
use crate::error::{DecodeError, Error, ValidationError};
use crate::rules::{self, Violation};
use crate::session::Upload;

/// The MIME types Kaleyra's resumable upload takes (§2.2, DOC); `image/jpg` is sent as
/// `image/jpeg` (an [`Upload`] normalises it).
pub const RESUMABLE_TYPES: [&str; 5] = [
    "application/pdf",
    "image/jpeg",
    "image/jpg",
    "image/png",
    "video/mp4",
];

/// The largest file the resumable upload takes: 100 MB (§2.2, DOC), counted as the media
/// table counts its megabytes (MiB).
pub const RESUMABLE_MAX_BYTES: u64 = 100 * rules::MIB;

/// The characters a resumable upload's file name must not contain (§2.2, DOC).
const FORBIDDEN_IN_NAME: [char; 6] = ['\\', '/', '<', '@', '%', ' '];

/// Checks an [`Upload`] against the resumable endpoint's rules: one of [`RESUMABLE_TYPES`],
/// at most [`RESUMABLE_MAX_BYTES`], a file name of 1-255 characters without `\`, `/`, `<`,
/// `@`, `%` or a space. (The [`Upload`] itself was checked against Meta's media table.)
pub fn check_resumable(upload: &Upload) -> Result<(), Error> {
    let name = upload.file_name();
    if !RESUMABLE_TYPES.contains(&upload.mime()) {
        return Err(ValidationError::new(
            format!("the type of `{name}` ({})", upload.mime()),
            Violation::Unknown {
                what: "type for a resumable upload (application/pdf, image/jpeg, image/jpg, \
                       image/png, video/mp4)",
                suggestion: None,
            },
        )
        .into());
    }
    if upload.size() > RESUMABLE_MAX_BYTES {
        return Err(ValidationError::new(
            format!("the size of `{name}` in bytes (a resumable upload: at most 100 MB)"),
            Violation::OutOfRange {
                value: i128::from(upload.size()),
                min: 1,
                max: i128::from(RESUMABLE_MAX_BYTES),
            },
        )
        .into());
    }
    let len = name.chars().count();
    if len == 0 || len > 255 {
        return Err(ValidationError::new(
            "the file name of a resumable upload",
            Violation::TooLong { max: 255, len },
        )
        .into());
    }
    if let Some(ch) = name.chars().find(|c| FORBIDDEN_IN_NAME.contains(c)) {
        return Err(ValidationError::new(
            format!("the file name `{name}` of a resumable upload"),
            Violation::BadChar {
                ch,
                allowed: "characters other than \\, /, <, @, % and spaces",
            },
        )
        .into());
    }
    Ok(())
}

/// What a resumable upload returns: the handle to give a media header's example
/// (`"example": {"header_handle": ["<handle>"]}`), valid 24 hours (§2.2), and Kaleyra's
/// record id when the answer names one.
///
/// Kaleyra's answer is not visible (**choice**, RULES.md): the handle is read from
/// `uploaded_file_handle` (the key of Kaleyra's upload callback), `h` (Meta's) or `handle`, in
/// `data` or at the top; failing those, `resumable_media_id` or `id` is taken as the handle.
///
/// ```
/// use kaleyra::manage::UploadHandle;
///
/// let handle = UploadHandle::new("4::aW1hZ2UvcG5n:ARb")?;
/// assert_eq!(handle.as_str(), "4::aW1hZ2UvcG5n:ARb");
/// assert!(UploadHandle::new("").is_err());
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UploadHandle {
    handle: String,
    resumable_media_id: Option<String>,
}

impl UploadHandle {
    /// A handle obtained elsewhere (kept from an earlier upload): not empty, no spaces or
    /// control characters.
    pub fn new(handle: impl Into<String>) -> Result<UploadHandle, Error> {
        let handle = handle.into();
        rules::check_media_id(&handle).map_err(|v| ValidationError::new("the upload handle", v))?;
        Ok(UploadHandle {
            handle,
            resumable_media_id: None,
        })
    }

    /// The handle.
    pub fn as_str(&self) -> &str {
        &self.handle
    }

    /// Kaleyra's id of the upload (`resumable_media_id`, for
    /// `GET …/resumable_media?id=`), when the answer gave one besides the handle.
    pub fn resumable_media_id(&self) -> Option<&str> {
        self.resumable_media_id.as_deref()
    }
}

impl fmt::Display for UploadHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.handle)
    }
}

impl AsRef<str> for UploadHandle {
    fn as_ref(&self) -> &str {
        &self.handle
    }
}

impl From<UploadHandle> for String {
    fn from(handle: UploadHandle) -> String {
        handle.handle
    }
}

impl From<&UploadHandle> for String {
    fn from(handle: &UploadHandle) -> String {
        handle.handle.clone()
    }
}

impl Client {
    /// Uploads a file to Kaleyra's resumable-media endpoint (`POST
    /// /v2/{sid}/whatsapp/{waba_id}/resumable_media`, multipart `file` and `type`, §2.2) and
    /// returns the handle a template's media header example takes. Needs the WABA id.
    ///
    /// Checked before anything is sent ([`check_resumable`]): the five types, 100 MB, the file
    /// name. The file is streamed as [`Client::upload_media`] streams it (a retry reopens it).
    /// Kaleyra allows 20 uploads per WABA per hour: past that, `WA429` is
    /// [`ApiErrorKind::TemplateRateLimited`](crate::ApiErrorKind::TemplateRateLimited), not
    /// retried. A span `kaleyra.upload_resumable` (MIME type, bytes, attempts, last status).
    ///
    /// ```no_run
    /// # async fn run(client: kaleyra::Client) -> Result<(), kaleyra::Error> {
    /// use kaleyra::session::Upload;
    ///
    /// let handle = client.upload_resumable(Upload::from_path("banner.png").await?).await?;
    /// let header = serde_json::json!({
    ///     "type": "HEADER", "format": "IMAGE",
    ///     "example": {"header_handle": [handle.as_str()]}
    /// });
    /// # let _ = header; Ok(()) }
    /// ```
    pub async fn upload_resumable(&self, upload: Upload) -> Result<UploadHandle, Error> {
        check_resumable(&upload)?;
        let url = self.waba_endpoint("resumable_media")?;
        let span = tracing::info_span!(
            "kaleyra.upload_resumable",
            mime = upload.mime(),
            bytes = upload.size(),
            attempts = Empty,
            status = Empty,
        );
        let make = || -> FormFuture<'_> { Box::pin(upload.form()) };
        self.call_managed(
            reqwest::Method::POST,
            &url,
            Body::Form(&make),
            &span,
            read_handle,
        )
        .await
    }
}

/// Reads the upload's answer (see [`UploadHandle`] for the keys taken).
fn read_handle(
    status: u16,
    retry_after: Option<&[u8]>,
    body: &[u8],
) -> Result<UploadHandle, Error> {
    if !(200..300).contains(&status) {
        return Err(super::templates::refusal(status, retry_after, body));
    }
    let decode = |why: &str| -> Error {
        DecodeError::new(
            Some(status),
            why.to_owned(),
            String::from_utf8_lossy(body).into_owned(),
        )
        .into()
    };
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| decode("the resumable upload's answer is not JSON"))?;
    let data = match value.get("data") {
        Some(data @ Value::Object(_)) => data,
        _ => &value,
    };
    let text = |key: &str| match data.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let record = text("resumable_media_id");
    let handle = ["uploaded_file_handle", "h", "handle"]
        .iter()
        .find_map(|key| text(key))
        .or_else(|| record.clone())
        .or_else(|| text("id"))
        .ok_or_else(|| decode("the file was uploaded but the answer names no handle"))?;
    if rules::check_media_id(&handle).is_err() {
        return Err(decode("the answer's upload handle is empty or has spaces"));
    }
    Ok(UploadHandle {
        resumable_media_id: record.filter(|r| *r != handle),
        handle,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_read_from_the_plausible_keys() {
        let read = |body: &str| read_handle(200, None, body.as_bytes());
        let h = read(r#"{"code":"WA200","data":{"resumable_media_id":639,"uploaded_file_handle":"4::aW:ARb"},"error":{}}"#).unwrap();
        assert_eq!(
            (h.as_str(), h.resumable_media_id()),
            ("4::aW:ARb", Some("639"))
        );
        assert_eq!(read(r#"{"h":"4::x"}"#).unwrap().as_str(), "4::x");
        let h = read(r#"{"data":{"resumable_media_id":"639"}}"#).unwrap();
        assert_eq!((h.as_str(), h.resumable_media_id()), ("639", None));
        assert_eq!(read(r#"{"id":"upload:1"}"#).unwrap().as_str(), "upload:1");
        assert!(matches!(read(r#"{"data":{}}"#), Err(Error::Decode(_))));
        assert!(matches!(read(r#"{"h":"a b"}"#), Err(Error::Decode(_))));
        assert!(matches!(read("<html>"), Err(Error::Decode(_))));
    }

    #[test]
    fn only_the_five_types_and_plain_names() {
        let ok = Upload::from_bytes(vec![1; 10], "image/png", "banner.png").unwrap();
        assert!(check_resumable(&ok).is_ok());
        let pdf = Upload::from_bytes(vec![1; 10], "application/pdf", "menu.pdf").unwrap();
        assert!(check_resumable(&pdf).is_ok());
        let text = Upload::from_bytes(vec![1; 10], "text/plain", "a.txt").unwrap();
        assert!(
            check_resumable(&text)
                .unwrap_err()
                .to_string()
                .contains("resumable")
        );
        for name in ["my banner.png", "a@b.png", "50%.png", "a<b.png"] {
            let u = Upload::from_bytes(vec![1; 10], "image/png", name).unwrap();
            assert!(check_resumable(&u).is_err(), "{name}");
        }
    }
}
