//! Media upload (issue 15): [`Upload`], a file checked against Meta's supported-media table
//! before anything is sent, and [`MediaId`], what `Client::upload_media` returns. The wire
//! facts are `v2-session-flows-templates.md` §2.1; the rules are in [`crate::rules`]
//! ([`upload_type_of`](rules::upload_type_of), [`check_upload_size`](rules::check_upload_size)).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use tokio::io::AsyncReadExt;

use crate::error::{DecodeError, Error, FileError, ValidationError};
use crate::layout::MediaKind;
use crate::rules::{self, UploadType, Violation};

/// How much of a file is read at a time while it is streamed: the most of it in memory.
const CHUNK: usize = 64 * 1024;

/// The id of an uploaded file, as Kaleyra returns it: give it to
/// [`Media::document_id`](crate::Media::document_id) (or `image_id`, `video_id`, `audio_id`,
/// `sticker_id`) to send the file in a session message or a template media header. Kaleyra
/// says an id can be used for many sends.
///
/// ```
/// use kaleyra::Media;
/// use kaleyra::session::MediaId;
///
/// let id = MediaId::new("4621000000000")?;          // an id kept from an earlier upload
/// let invoice = Media::document_id(&id)?.filename("invoice.pdf")?;
/// assert_eq!(invoice.get_id(), Some("4621000000000"));
/// assert!(MediaId::new("46 21").is_err());
/// # Ok::<(), kaleyra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MediaId(String);

impl MediaId {
    /// An id obtained elsewhere (an earlier upload, stored): not empty, no spaces or control
    /// characters ([`rules::check_media_id`]).
    pub fn new(id: impl Into<String>) -> Result<MediaId, Error> {
        let id = id.into();
        rules::check_media_id(&id).map_err(|v| ValidationError::new("the media id", v))?;
        Ok(MediaId(id))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MediaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for MediaId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<MediaId> for String {
    fn from(id: MediaId) -> String {
        id.0
    }
}

/// So that `Media::document_id(&id)` takes a `&MediaId` (the constructors take
/// `impl Into<String>`).
impl From<&MediaId> for String {
    fn from(id: &MediaId) -> String {
        id.0.clone()
    }
}

#[derive(Clone)]
enum Source {
    /// Reopened and streamed for each attempt.
    Path(PathBuf),
    /// Shared by every attempt (no copy).
    Bytes(bytes::Bytes),
}

/// A file to upload with [`Client::upload_media`](crate::Client::upload_media), its type and
/// size already checked against Meta's supported-media table (RULES.md, "Media upload"):
/// image `image/jpeg`, `image/png` up to 5 MB; video `video/mp4`, `video/3gpp` up to 16 MB;
/// audio `audio/aac`, `audio/amr`, `audio/mpeg`, `audio/mp4`, `audio/ogg` up to 16 MB;
/// document `application/pdf`, `text/plain` and the Office types up to 100 MB; sticker
/// `image/webp` up to 100 KB (500 KB when animated). A file that breaks the table is refused
/// here, before anything is sent.
///
/// - [`Upload::from_path`] takes the type from the file name's extension (`.pdf`, `.jpg`,
///   `.docx`, …; any case);
/// - [`Upload::from_path_as`] takes it as given (a file named without its extension);
/// - [`Upload::from_bytes`] uploads bytes already in memory.
///
/// A file on disk is not read into memory: the upload streams it (and a retry reopens it).
///
/// ```no_run
/// # async fn run() -> Result<(), kaleyra::Error> {
/// use kaleyra::MediaKind;
/// use kaleyra::session::Upload;
///
/// let invoice = Upload::from_path("invoice.pdf").await?;
/// assert_eq!((invoice.mime(), invoice.kind()), ("application/pdf", MediaKind::Document));
/// let scan = Upload::from_path_as("/tmp/scan-0042", "image/png").await?;
/// # Ok(()) }
/// ```
///
/// ```
/// use kaleyra::session::Upload;
///
/// let note = Upload::from_bytes(b"Opening hours: 9-18".to_vec(), "text/plain", "hours.txt")?;
/// assert_eq!(note.size(), 19);
/// // Refused before anything is sent: not in Meta's table, or too large for its type.
/// assert!(Upload::from_bytes(vec![0; 10], "image/gif", "a.gif").is_err());
/// assert!(Upload::from_bytes(vec![0; 5 * 1024 * 1024 + 1], "image/png", "big.png").is_err());
/// # Ok::<(), kaleyra::Error>(())
/// ```
///
/// README's "Uploading media" example, compiled:
///
/// ```no_run
/// use kaleyra::prelude::*;
/// use kaleyra::session::{MediaMessage, Upload};
/// use kaleyra::ApiErrorKind;
///
/// async fn send_invoice(client: &Client) -> Result<(), Error> {
///     let invoice = client.upload_media(Upload::from_path("invoice.pdf").await?).await?;  // -> MediaId
///     let doc = MediaMessage::new(Media::document_id(&invoice)?.filename("invoice.pdf")?)
///         .caption("Your invoice")?
///         .to("+919876543210")?;
///     client.send(&doc).await?;
///
///     assert!(Upload::from_path("clip.mov").await.is_err());           // not in Meta's table
///     match client.upload_media(Upload::from_path("menu.pdf").await?).await {
///         // Kaleyra lets only postpaid accounts upload: send by https link instead.
///         Err(Error::Api(e)) if e.kind() == ApiErrorKind::PostpaidOnly => {
///             let menu = Media::document_link("https://example.com/menu.pdf")?;
///             client.send(&MediaMessage::new(menu).to("+919876543210")?).await?;
///         }
///         other => { other?; }
///     }
///     Ok(())
/// }
/// ```
#[derive(Clone)]
pub struct Upload {
    source: Source,
    file_name: String,
    upload_type: &'static UploadType,
    size: u64,
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Upload");
        if let Source::Path(path) = &self.source {
            s.field("path", path);
        }
        s.field("file_name", &self.file_name)
            .field("mime", &self.upload_type.mime)
            .field("size", &self.size)
            .finish()
    }
}

impl Upload {
    /// Opens the file at `path`, reads its size and takes its type from the file name's
    /// extension (Meta's table: `.jpg`/`.jpeg`, `.png`, `.mp4`, `.3gp`, `.aac`, `.amr`,
    /// `.mp3`, `.m4a`, `.ogg`, `.txt`, `.pdf`, `.doc(x)`, `.xls(x)`, `.ppt(x)`, `.webp`), then
    /// checks the size against the type's limit. The name the recipient's upload carries is the
    /// path's last component.
    ///
    /// Errors: [`Error::File`] if the file cannot be opened or is not a regular file;
    /// [`Error::Validation`] for an extension outside the table (use
    /// [`Upload::from_path_as`]), an empty file, or one over the type's limit.
    pub async fn from_path(path: impl AsRef<Path>) -> Result<Upload, Error> {
        let path = path.as_ref();
        let file_name = file_name(path)?;
        let upload_type = rules::upload_type_for_name(&file_name).ok_or_else(|| {
            ValidationError::new(
                format!("the type of `{file_name}`"),
                Violation::Unknown {
                    what: "file name extension for upload (Meta's table: jpg, jpeg, png, mp4, \
                           3gp, aac, amr, mp3, m4a, ogg, txt, pdf, doc, docx, xls, xlsx, ppt, \
                           pptx, webp; give the type with Upload::from_path_as)",
                    suggestion: None,
                },
            )
        })?;
        Upload::open(path, file_name, upload_type).await
    }

    /// Like [`Upload::from_path`], with the MIME type given (one of Meta's table, any case;
    /// `image/jpg` is taken as `image/jpeg`) instead of taken from the extension.
    pub async fn from_path_as(path: impl AsRef<Path>, mime: &str) -> Result<Upload, Error> {
        let path = path.as_ref();
        let upload_type = type_of(mime)?;
        let file_name = file_name(path)?;
        Upload::open(path, file_name, upload_type).await
    }

    /// Bytes already in memory (a `Vec<u8>`, a `bytes::Bytes`, a `&'static [u8]`), of the MIME
    /// type `mime` (Meta's table), uploaded under `file_name` (1-255 characters, no `/`, `\`
    /// or control characters). Checked as [`Upload::from_path`] checks a file.
    pub fn from_bytes(
        bytes: impl Into<bytes::Bytes>,
        mime: &str,
        file_name: impl Into<String>,
    ) -> Result<Upload, Error> {
        let bytes = bytes.into();
        let upload_type = type_of(mime)?;
        let file_name = file_name.into();
        check_file_name(&file_name)?;
        let size = bytes.len() as u64;
        check_size(
            &file_name,
            upload_type,
            size,
            rules::webp_is_animated(&bytes),
        )?;
        Ok(Upload {
            source: Source::Bytes(bytes),
            file_name,
            upload_type,
            size,
        })
    }

    async fn open(
        path: &Path,
        file_name: String,
        upload_type: &'static UploadType,
    ) -> Result<Upload, Error> {
        check_file_name(&file_name)?;
        let file_error = |e: io::Error| FileError::new(path, e);
        let mut file = tokio::fs::File::open(path).await.map_err(file_error)?;
        let metadata = file.metadata().await.map_err(file_error)?;
        if !metadata.is_file() {
            return Err(file_error(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            ))
            .into());
        }
        let size = metadata.len();
        // Only a sticker's limit depends on its content (animated or not).
        let animated = if upload_type.kind == MediaKind::Sticker {
            let mut head = [0u8; rules::WEBP_HEAD_LEN];
            let mut read = 0;
            while read < head.len() {
                match file.read(&mut head[read..]).await.map_err(file_error)? {
                    0 => break,
                    n => read += n,
                }
            }
            rules::webp_is_animated(&head[..read])
        } else {
            false
        };
        check_size(&file_name, upload_type, size, animated)?;
        Ok(Upload {
            source: Source::Path(path.to_owned()),
            file_name,
            upload_type,
            size,
        })
    }

    /// The MIME type sent as Kaleyra's `type` field (lowercase, as in Meta's table).
    pub fn mime(&self) -> &'static str {
        self.upload_type.mime
    }

    /// What the uploaded id is sent as: [`MediaKind::Document`] for `Media::document_id`, and
    /// so on.
    pub fn kind(&self) -> MediaKind {
        self.upload_type.kind
    }

    /// The size in bytes, as checked.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The file name the upload carries.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The multipart form of one attempt, in the order of Kaleyra's sample (`file`, then
    /// `type`): a file is reopened and streamed in [`CHUNK`]s, exactly the size that was
    /// checked (a file that changed size since is an error, not a different upload).
    pub(crate) async fn form(&self) -> Result<reqwest::multipart::Form, Error> {
        let body = match &self.source {
            Source::Bytes(bytes) => reqwest::Body::from(bytes.clone()),
            Source::Path(path) => {
                let file_error = |e: io::Error| FileError::new(path, e);
                let file = tokio::fs::File::open(path).await.map_err(file_error)?;
                let now = file.metadata().await.map_err(file_error)?.len();
                if now != self.size {
                    return Err(file_error(io::Error::other(format!(
                        "its size changed since it was checked: {} bytes then, {now} now",
                        self.size
                    )))
                    .into());
                }
                let stream = tokio_util::io::ReaderStream::with_capacity(file.take(now), CHUNK);
                reqwest::Body::wrap_stream(stream)
            }
        };
        let part = reqwest::multipart::Part::stream_with_length(body, self.size)
            .file_name(self.file_name.clone())
            .mime_str(self.mime())
            .map_err(|_| {
                ValidationError::new(
                    "the media type",
                    Violation::Invalid {
                        reason: "not a MIME type",
                    },
                )
            })?;
        Ok(reqwest::multipart::Form::new()
            .part("file", part)
            .text("type", self.mime()))
    }
}

fn type_of(mime: &str) -> Result<&'static UploadType, Error> {
    rules::upload_type_of(mime).map_err(|v| ValidationError::new("the media type", v).into())
}

fn file_name(path: &Path) -> Result<String, Error> {
    match path.file_name() {
        Some(name) => Ok(name.to_string_lossy().into_owned()),
        None => Err(FileError::new(
            path,
            io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"),
        )
        .into()),
    }
}

fn check_file_name(name: &str) -> Result<(), Error> {
    rules::check_filename(name)
        .map_err(|v| ValidationError::new("the upload's file name", v).into())
}

fn check_size(
    name: &str,
    upload_type: &UploadType,
    size: u64,
    animated: bool,
) -> Result<(), Error> {
    rules::check_upload_size(upload_type, size, animated).map_err(|v| {
        let max = rules::describe_bytes(rules::upload_max_bytes(upload_type, animated));
        let sticker = match (upload_type.kind, animated) {
            (MediaKind::Sticker, true) => ", an animated sticker",
            (MediaKind::Sticker, false) => ", a static sticker",
            _ => "",
        };
        ValidationError::new(
            format!(
                "the size in bytes of `{name}` ({}{sticker}: at most {max})",
                upload_type.mime
            ),
            v,
        )
        .into()
    })
}

/// Reads the upload's answer. Kaleyra's success body is not published (facts §2.1): Meta's
/// `{"id": "<MEDIA_ID>"}` and Kaleyra's envelope `{"code": …, "data": {"id": …}}` are both
/// read (**choice**, as the facts advise), any `2xx`. A refusal is Kaleyra's error as for any
/// call, and its `401` "Unauthorised account type" (`WA-401`/`WA401` with an `account` error,
/// or a message naming the account type) is [`ApiErrorKind::PostpaidOnly`](crate::ApiErrorKind::PostpaidOnly).
pub(crate) fn read_answer(
    status: u16,
    retry_after: Option<&[u8]>,
    body: &[u8],
) -> Result<MediaId, Error> {
    if let Err(e) = crate::response::publish(status, retry_after, body) {
        return Err(match e {
            Error::Api(api) if is_postpaid_only(&api) => Error::Api(api.postpaid_only()),
            other => other,
        });
    }
    #[derive(serde::Deserialize)]
    struct Data {
        id: Option<String>,
    }
    #[derive(serde::Deserialize)]
    struct Answer {
        id: Option<String>,
        data: Option<serde_json::Value>,
    }
    let id = serde_json::from_slice::<Answer>(body).ok().and_then(|a| {
        a.id.or_else(|| {
            a.data
                .and_then(|d| serde_json::from_value::<Data>(d).ok())
                .and_then(|d| d.id)
        })
    });
    match id.map(MediaId::new) {
        Some(Ok(id)) => Ok(id),
        _ => Err(DecodeError::new(
            Some(status),
            "the upload was accepted but the body has no media `id` (nor `data.id`)",
            String::from_utf8_lossy(body).into_owned(),
        )
        .into()),
    }
}

fn is_postpaid_only(e: &crate::ApiError) -> bool {
    let code = e.code().replace('-', "");
    e.status() == 401
        && code == "WA401"
        && (e.details().iter().any(|(field, _)| field == "account")
            || e.message().to_ascii_lowercase().contains("account type"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiErrorKind;

    #[test]
    fn an_upload_can_be_spawned() {
        fn send<T: Send>(_: &T) {}
        let client = crate::Client::builder()
            .sid("HX1")
            .api_key("key")
            .sender("+15550001234")
            .build();
        let upload = Upload::from_bytes(b"x".to_vec(), "text/plain", "x.txt");
        if let (Ok(client), Ok(upload)) = (client, upload) {
            // Never polled: only its type is checked.
            send(&client.upload_media(upload));
        } else {
            panic!("a client and an upload");
        }
    }

    #[test]
    fn answers_are_read_in_both_shapes() {
        let id = |body: &str| read_answer(200, None, body.as_bytes()).map(|id| id.0);
        assert_eq!(id(r#"{"id":"4621"}"#).ok().as_deref(), Some("4621"));
        assert_eq!(
            id(r#"{"code":"WA200","message":"ok","data":{"id":"77"},"error":{}}"#)
                .ok()
                .as_deref(),
            Some("77")
        );
        for bad in [
            r#"{}"#,
            r#"{"id":""}"#,
            r#"{"data":[]}"#,
            "<html>",
            r#"{"id":7}"#,
        ] {
            assert!(matches!(id(bad), Err(Error::Decode(_))), "{bad}");
        }
    }

    #[test]
    fn the_account_type_answer_is_postpaid_only() {
        let account = br#"{"code":"WA-401","message":"API is not available for given customer.Please contact support for more info","data":{},"error":{"account":"API is not available for given customer.Please contact support for more info"}}"#;
        let Err(Error::Api(e)) = read_answer(401, None, account) else {
            panic!("an API error")
        };
        assert_eq!(e.kind(), ApiErrorKind::PostpaidOnly);
        assert!(e.to_string().contains("postpaid"), "{e}");
        // Another WA-401 (the number's API version) stays what its code says.
        let version = br#"{"code":"WA-401","message":"The phone number you're using is associated with different Version of our WA API.","data":{},"error":{"phone_number":"x"}}"#;
        let Err(Error::Api(e)) = read_answer(401, None, version) else {
            panic!("an API error")
        };
        assert_eq!(e.kind(), ApiErrorKind::NotAvailable);
        assert!(!e.to_string().contains("postpaid"), "{e}");
    }
}
