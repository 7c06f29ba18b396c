//! The simulator's media endpoint (issue 15): `POST /v2/{sid}/whatsapp/{sender}/media`, a
//! multipart form with `file` and `type` (facts §2.1), read with the `multer` crate. The body
//! is streamed: each chunk of the file is counted and hashed and then dropped, so a 100 MB file
//! costs the simulator about a chunk (a few hundred kilobytes at most).
//! The type and size are checked with the library's rules ([`crate::rules::upload_type_of`],
//! [`crate::rules::check_upload_size`]); an accepted file gets a media id, remembered, and a
//! send that names a media id the simulator does not know is refused
//! ([`unknown_media_id`]).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::task::{Poll, ready};

use axum::body::Body;
use futures_util::StreamExt;
use serde_json::Value;

use super::{MockServer, MockServerBuilder};
use crate::layout::MediaKind;
use crate::rules;

/// 401 "Unauthorised Account type": the body of facts §0.1 (code `WA-401`, member `account`),
/// which facts §2.1 says non-postpaid accounts get from the upload endpoint.
pub(super) const WA_401_ACCOUNT: &str = r#"{
    "code": "WA-401",
    "message": "API is not available for given customer.Please contact support for more info",
    "data": {},
    "error": {
        "account": "API is not available for given customer.Please contact support for more info"
    }
}"#;

/// The longest text field the simulator reads (a form's `type` is a few bytes): multer's
/// [`SizeLimit`](multer::SizeLimit) for `type` and `messaging_product`.
const SMALL_MAX: u64 = 8 * 1024;

/// The most bytes the multipart reader may hold that it has not handed out as a field's
/// content (a preamble, a part's headers, a chunk in flight), not counting the chunk it is
/// being given. multer buffers a preamble and part headers until it finds their end, and its
/// only bound on that is the whole body's size, which must stay unbounded for the `file` part
/// (a too-big file is refused by its size rule, after it is counted): this bound keeps a form
/// without boundaries or header ends from filling memory. multer is given one chunk per poll
/// ([`receive`]) and hands a file's content out as it comes, so a well-formed form holds at
/// most a chunk (hyper's are at most about 400 KiB) and never comes near it.
const HELD_MAX: u64 = 1024 * 1024;

/// A file the simulator accepted ([`MockServer::uploads`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadedMedia {
    /// The media id it answered.
    pub id: String,
    /// The form's `type`, as sent.
    pub mime: String,
    /// The kind of media the type is sent as.
    pub kind: MediaKind,
    /// The `file` part's file name, if it had one.
    pub file_name: Option<String>,
    /// How many bytes the file had.
    pub size: u64,
    /// The FNV-1a 64-bit hash of the file's bytes ([`fnv1a`]), to check they arrived intact.
    pub digest: u64,
}

/// The FNV-1a 64-bit hash the simulator computes of each uploaded file
/// ([`UploadedMedia::digest`]), continuing from `hash` (start with [`FNV_OFFSET`]).
pub fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The FNV-1a 64-bit offset basis: [`fnv1a`]'s start.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// The media the simulator knows, and whether the account may upload.
pub(super) struct Store {
    postpaid: bool,
    next: AtomicU64,
    known: Mutex<BTreeMap<String, Option<UploadedMedia>>>,
}

impl Store {
    pub(super) fn new(postpaid: bool, registered: Vec<String>) -> Store {
        Store {
            postpaid,
            next: AtomicU64::new(0),
            known: Mutex::new(registered.into_iter().map(|id| (id, None)).collect()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Option<UploadedMedia>>> {
        self.known.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn knows(&self, id: &str) -> bool {
        self.lock().contains_key(id)
    }
}

/// What the streamed form held: the fields, the file's size, hash and first bytes.
#[derive(Debug, Default)]
pub(super) struct Received {
    /// The whole body's length.
    pub(super) body_len: usize,
    /// Why the form could not be read, if it could not.
    pub(super) error: Option<String>,
    pub(super) mime: Option<String>,
    messaging_product: Option<String>,
    pub(super) file: Option<FilePart>,
}

#[derive(Debug)]
pub(super) struct FilePart {
    pub(super) file_name: Option<String>,
    pub(super) size: u64,
    digest: u64,
    /// The first bytes, to tell an animated WebP sticker from a static one.
    head: Vec<u8>,
}

/// Whether a request is an upload, whose body is streamed rather than read whole.
pub(super) fn is_upload(method: &axum::http::Method, path: &str) -> bool {
    method == axum::http::Method::POST && path.ends_with("/media")
}

/// The multipart boundary of a `multipart/form-data` Content-Type ([`multer::parse_boundary`];
/// RFC 2046 allows 1-70 characters).
fn boundary(content_type: Option<&str>) -> Result<String, String> {
    let content_type = content_type.ok_or("no Content-Type: the upload is multipart/form-data")?;
    match multer::parse_boundary(content_type) {
        Ok(b) if !b.is_empty() && b.len() <= 70 => Ok(b),
        Ok(_) | Err(multer::Error::NoBoundary) => Err(format!(
            "Content-Type {content_type:?} has no multipart boundary"
        )),
        Err(_) => Err(format!(
            "Content-Type {content_type:?}: the upload is multipart/form-data"
        )),
    }
}

/// The error the body stream gives multer when multer holds more than [`HELD_MAX`].
#[derive(Debug)]
struct Unframed;

impl std::fmt::Display for Unframed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the form's preamble or a part's headers are longer than {HELD_MAX} bytes"
        )
    }
}

impl std::error::Error for Unframed {}

/// Streams the body through multer, keeping only the fields and the file's summary. The
/// body is read to its end even when the form is wrong (so that the answer is read by the
/// client).
pub(super) async fn receive(body: Body, content_type: Option<&str>) -> Received {
    let mut received = Received::default();
    let mut stream = body.into_data_stream();
    // Bytes given to multer, and bytes it handed back as field content: the difference is
    // what it holds.
    let fed = AtomicU64::new(0);
    let taken = AtomicU64::new(0);
    match boundary(content_type) {
        Ok(boundary) => {
            // One chunk per poll: multer reads all its stream has ready before it parses, so
            // an always-ready stream would be held whole; after each chunk this one says
            // "not yet" once (and wakes at once).
            let mut gave = false;
            let counted = futures_util::stream::poll_fn(|cx| {
                if std::mem::take(&mut gave) {
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                let chunk = match ready!(stream.poll_next_unpin(cx)) {
                    None => return Poll::Ready(None),
                    Some(Err(e)) => return Poll::Ready(Some(Err(BoxError::from(e)))),
                    Some(Ok(chunk)) => chunk,
                };
                let before = fed.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                if before.saturating_sub(taken.load(Ordering::Relaxed)) > HELD_MAX {
                    return Poll::Ready(Some(Err(BoxError::from(Unframed))));
                }
                gave = true;
                Poll::Ready(Some(Ok(chunk)))
            });
            let constraints = multer::Constraints::new()
                .allowed_fields(vec!["file", "type", "messaging_product"])
                .size_limit(
                    multer::SizeLimit::new()
                        .for_field("type", SMALL_MAX)
                        .for_field("messaging_product", SMALL_MAX),
                );
            let mut form = multer::Multipart::with_constraints(counted, boundary, constraints);
            if let Err(why) = read_form(&mut form, &taken, &mut received).await {
                received.error = Some(why);
            }
        }
        Err(why) => received.error = Some(why),
    }
    // What multer did not read (the rest after a refusal, an epilogue) is read and dropped.
    let mut read = fed.into_inner();
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) => read += chunk.len() as u64,
            Err(e) => {
                received
                    .error
                    .get_or_insert_with(|| format!("the body could not be read: {e}"));
                break;
            }
        }
    }
    received.body_len = usize::try_from(read).unwrap_or(usize::MAX);
    received
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Reads the form's parts into `out`: the file's chunks counted, hashed and dropped, the text
/// fields kept; `taken` counts the content bytes multer handed out.
async fn read_form(
    form: &mut multer::Multipart<'_>,
    taken: &AtomicU64,
    out: &mut Received,
) -> Result<(), String> {
    while let Some(mut field) = form.next_field().await.map_err(told)? {
        let name = field.name().unwrap_or_default().to_owned();
        let seen = match name.as_str() {
            "file" => out.file.is_some(),
            "type" => out.mime.is_some(),
            _ => out.messaging_product.is_some(),
        };
        if seen {
            return Err(format!("the form has the field `{name}` twice"));
        }
        if name == "file" {
            let mut file = FilePart {
                file_name: field.file_name().map(str::to_owned),
                size: 0,
                digest: FNV_OFFSET,
                head: Vec::with_capacity(rules::WEBP_HEAD_LEN),
            };
            while let Some(chunk) = field.chunk().await.map_err(told)? {
                taken.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                file.size += chunk.len() as u64;
                file.digest = fnv1a(file.digest, &chunk);
                let room = rules::WEBP_HEAD_LEN.saturating_sub(file.head.len());
                file.head.extend_from_slice(&chunk[..room.min(chunk.len())]);
            }
            out.file = Some(file);
        } else {
            let mut value = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(told)? {
                taken.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                value.extend_from_slice(&chunk);
            }
            let value = String::from_utf8(value)
                .map_err(|_| format!("the form field `{name}` is not UTF-8"))?;
            match name.as_str() {
                "type" => out.mime = Some(value),
                _ => out.messaging_product = Some(value),
            }
        }
    }
    Ok(())
}

/// Why multer could not read the form, naming the field where it can.
fn told(e: multer::Error) -> String {
    match e {
        multer::Error::UnknownField {
            field_name: Some(name),
        } => format!(
            "the form has an unknown field `{name}` (Kaleyra's upload takes `file` and `type`)"
        ),
        multer::Error::UnknownField { field_name: None } => {
            "a part has no Content-Disposition name".to_owned()
        }
        multer::Error::FieldSizeExceeded { limit, field_name } => format!(
            "the form field `{}` is longer than {limit} bytes",
            field_name.unwrap_or_default()
        ),
        multer::Error::IncompleteStream | multer::Error::IncompleteFieldData { .. } => {
            "the multipart body ends before its closing boundary".to_owned()
        }
        multer::Error::StreamReadFailed(e) if e.is::<Unframed>() => e.to_string(),
        multer::Error::StreamReadFailed(e) => format!("the body could not be read: {e}"),
        other => format!("the multipart form could not be read: {other}"),
    }
}

/// The answer to an upload, as the server files it.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) body: String,
    pub(super) refusal: Option<String>,
}

impl Answer {
    fn refuse(status: u16, body: &str, why: impl Into<String>) -> Answer {
        Answer {
            status,
            body: body.to_owned(),
            refusal: Some(why.into()),
        }
    }
}

/// Answers an upload to `…/whatsapp/{id}/media` whose form was `received`: `id` must be the
/// sender number (else `401 WA401`), the account postpaid (else `401 WA-401` "Unauthorised
/// account type"), the form `file` and `type` (and optionally `messaging_product`
/// `whatsapp`), the type in Meta's table and the size within its limit (else `400 WA400`);
/// then `200 {"id": "<media id>"}`, Meta's body (Kaleyra's is not published).
pub(super) fn answer(shared: &super::Shared, id: &str, received: Option<&Received>) -> Answer {
    let account = &shared.account;
    let is_sender = id == account.sender
        || rules::normalize_phone(id).is_ok_and(|number| number == account.sender);
    if !is_sender {
        return Answer::refuse(
            401,
            super::bodies::WA401,
            format!("{id:?} is not the account's sender number"),
        );
    }
    let store = &shared.media;
    if !store.postpaid {
        return Answer::refuse(
            401,
            WA_401_ACCOUNT,
            "the account is not postpaid (MockServerBuilder::postpaid(false)): Kaleyra lets \
             only postpaid accounts upload media",
        );
    }
    let bad = |why: String| Answer::refuse(400, super::bodies::WA400, why);
    let Some(received) = received else {
        return bad("the upload's body was not read".to_owned());
    };
    if let Some(why) = &received.error {
        return bad(why.clone());
    }
    if let Some(product) = &received.messaging_product
        && product != "whatsapp"
    {
        return bad(format!(
            "form field `messaging_product` is {product:?}; the only value is \"whatsapp\""
        ));
    }
    let Some(mime) = &received.mime else {
        return bad("the form has no `type` field (the file's MIME type)".to_owned());
    };
    let upload_type = match rules::upload_type_of(mime) {
        Ok(t) => t,
        Err(v) => return bad(format!("form field `type` {mime:?} {v}")),
    };
    let Some(file) = &received.file else {
        return bad("the form has no `file` part".to_owned());
    };
    if let Some(name) = &file.file_name
        && let Err(v) = rules::check_filename(name)
    {
        return bad(format!("the `file` part's filename {v}"));
    }
    let animated = rules::webp_is_animated(&file.head);
    if let Err(v) = rules::check_upload_size(upload_type, file.size, animated) {
        return bad(format!(
            "the `file` part's size in bytes ({}: at most {}) {v}",
            upload_type.mime,
            rules::describe_bytes(rules::upload_max_bytes(upload_type, animated))
        ));
    }
    let n = store.next.fetch_add(1, Ordering::Relaxed) + 1;
    // Numeric, as Meta's media ids are.
    let media_id = format!("4621{n:011}");
    let uploaded = UploadedMedia {
        id: media_id.clone(),
        mime: mime.clone(),
        kind: upload_type.kind,
        file_name: file.file_name.clone(),
        size: file.size,
        digest: file.digest,
    };
    store.lock().insert(media_id.clone(), Some(uploaded));
    let mut body = String::from(r#"{"id":"#);
    body.push_str(&crate::json::string(&media_id));
    body.push('}');
    Answer {
        status: 200,
        body,
        refusal: None,
    }
}

/// The member names of media objects: `"image": {"id": …}` and the like, in session messages,
/// template media headers and carousel cards alike.
const MEDIA_KEYS: [&str; 5] = ["image", "video", "audio", "document", "sticker"];

/// Finds, anywhere in a send's body, a media object by `id` the simulator does not know (not
/// uploaded to it, nor [registered](MockServer::register_media)), and says which: the refusal
/// of the send (`400 WA400`, RULES.md).
pub(super) fn unknown_media_id(shared: &super::Shared, body: &Value) -> Result<(), String> {
    walk(&shared.media, body, &mut String::from("body"))
}

fn walk(store: &Store, value: &Value, at: &mut String) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let len = at.len();
                at.push('.');
                at.push_str(key);
                if MEDIA_KEYS.contains(&key.as_str())
                    && let Some(Value::String(id)) = value.get("id")
                    && !store.knows(id)
                {
                    return Err(format!(
                        "{at}.id {id:?} is not a media id the simulator issued \
                         (Client::upload_media) or knows (MockServer::register_media)"
                    ));
                }
                walk(store, value, at)?;
                at.truncate(len);
            }
            Ok(())
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("[{i}]"));
                walk(store, item, at)?;
                at.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

impl MockServer {
    /// The files uploaded so far and accepted, in the order of their ids.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), kaleyra::Error> {
    /// use kaleyra::mock::{FNV_OFFSET, MockServer, fnv1a};
    /// use kaleyra::prelude::*;
    /// use kaleyra::session::{MediaMessage, Upload};
    ///
    /// let server = MockServer::start().await;
    /// let client = Client::builder()
    ///     .sid(server.sid())
    ///     .api_key(server.api_key())
    ///     .base_url(server.url())
    ///     .sender(server.sender())
    ///     .build()?;
    ///
    /// let hours = b"Open 9-18, Monday to Saturday".to_vec();
    /// let id = client.upload_media(Upload::from_bytes(hours.clone(), "text/plain", "hours.txt")?).await?;
    /// let uploaded = &server.uploads()[0];
    /// assert_eq!((uploaded.id.as_str(), uploaded.size), (id.as_str(), 29));
    /// assert_eq!(uploaded.digest, fnv1a(FNV_OFFSET, &hours));
    ///
    /// let doc = MediaMessage::new(Media::document_id(&id)?.filename("hours.txt")?).to("+919876543210")?;
    /// client.send(&doc).await?;
    /// // A media id the simulator never issued is refused (400 WA400).
    /// let unknown = MediaMessage::new(Media::document_id("999")?).to("+919876543210")?;
    /// assert!(client.send(&unknown).await.is_err());
    /// # Ok(()) }
    /// ```
    pub fn uploads(&self) -> Vec<UploadedMedia> {
        self.shared
            .media
            .lock()
            .values()
            .filter_map(Clone::clone)
            .collect()
    }

    /// Makes `id` a media id the simulator knows, as if it had been uploaded (an id a test
    /// took from elsewhere): sends by it are accepted.
    pub fn register_media(&self, id: &str) {
        self.shared
            .media
            .lock()
            .entry(id.to_owned())
            .or_insert(None);
    }
}

impl MockServerBuilder {
    /// Whether the account is postpaid (default `true`). Kaleyra lets only postpaid accounts
    /// upload media; with `false` every upload is answered `401` with the documents'
    /// "Unauthorised account type" body (`WA-401`, member `account`), which the client reads
    /// as [`ApiErrorKind::PostpaidOnly`](crate::ApiErrorKind::PostpaidOnly).
    pub fn postpaid(mut self, postpaid: bool) -> Self {
        self.postpaid = postpaid;
        self
    }

    /// Registers a media id (see [`MockServer::register_media`]).
    pub fn media_id(mut self, id: impl Into<String>) -> Self {
        self.media_ids.push(id.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(boundary: &str, parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let mut body = b"preamble\r\n".to_vec();
        for (name, file_name, content) in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let file_name = file_name.map_or(String::new(), |f| format!("; filename=\"{f}\""));
            body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"{file_name}\r\n\r\n")
                    .as_bytes(),
            );
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        body
    }

    /// `body` given to [`receive`] in chunks of `chunk` bytes, as a hyper body would be.
    async fn read(body: &[u8], chunk: usize) -> Received {
        let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = body
            .chunks(chunk)
            .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
            .collect();
        let body = Body::from_stream(futures_util::stream::iter(chunks));
        receive(body, Some("multipart/form-data; boundary=XyZ")).await
    }

    #[tokio::test]
    async fn forms_are_read_whatever_the_chunks() {
        // Content holding CR LF, dashes and a near-delimiter.
        let file: Vec<u8> = b"RIFF\r\n--XyAbc\r\n--Xy\r\n-".repeat(50);
        let body = form(
            "XyZ",
            &[
                ("file", Some("a.webp"), &file),
                ("type", None, b"image/webp"),
            ],
        );
        for chunk in [1, 2, 3, 7, 64, body.len()] {
            let out = read(&body, chunk).await;
            assert_eq!(out.error, None, "chunk {chunk}");
            assert_eq!(out.body_len, body.len());
            assert_eq!(out.mime.as_deref(), Some("image/webp"));
            let f = out.file.as_ref().expect("a file part");
            assert_eq!(f.size, file.len() as u64, "chunk {chunk}");
            assert_eq!(f.digest, fnv1a(FNV_OFFSET, &file));
            assert_eq!(f.head, file[..rules::WEBP_HEAD_LEN]);
            assert_eq!(f.file_name.as_deref(), Some("a.webp"));
        }
    }

    #[tokio::test]
    async fn malformed_forms_are_told() {
        let unknown = form("XyZ", &[("caption", None, b"x")]);
        let out = read(&unknown, 5).await;
        assert!(out.error.is_some_and(|e| e.contains("`caption`")));
        // Read to its end all the same.
        assert_eq!(out.body_len, unknown.len());
        let twice = form("XyZ", &[("type", None, b"a"), ("type", None, b"b")]);
        assert!(
            read(&twice, 5)
                .await
                .error
                .is_some_and(|e| e.contains("`type` twice"))
        );
        let body = form("XyZ", &[("type", None, b"image/png")]);
        let cut = &body[..body.len() - 8];
        assert!(
            read(cut, 5)
                .await
                .error
                .is_some_and(|e| e.contains("closing boundary"))
        );
        let latin1 = form("XyZ", &[("type", None, b"image/p\xe9ng")]);
        assert!(
            read(&latin1, 5)
                .await
                .error
                .is_some_and(|e| e.contains("`type` is not UTF-8"))
        );
        assert_eq!(
            boundary(Some("multipart/form-data; boundary=\"ab\"")),
            Ok("ab".into())
        );
        assert!(boundary(Some("application/json")).is_err());
        assert!(boundary(None).is_err());
        assert!(boundary(Some("multipart/form-data")).is_err());
    }

    #[tokio::test]
    async fn a_huge_form_is_refused_without_being_held() {
        // A text field past its limit, named.
        let long = vec![b'a'; SMALL_MAX as usize + 1];
        let out = read(&form("XyZ", &[("type", None, &long)]), 512).await;
        assert!(
            out.error
                .is_some_and(|e| e.contains("`type` is longer than 8192 bytes"))
        );
        // No boundary, and a part's headers that never end: refused once multer holds more
        // than HELD_MAX (it would hold the whole body), the rest read and dropped.
        let junk = vec![b'x'; 3 * HELD_MAX as usize];
        let out = read(&junk, 4096).await;
        assert!(
            out.error.as_deref().is_some_and(|e| e.contains("preamble")),
            "{:?}",
            out.error
        );
        assert_eq!(out.body_len, junk.len());
        let mut headers = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\nX: ".to_vec();
        headers.extend_from_slice(&junk);
        let out = read(&headers, 4096).await;
        assert!(out.error.as_deref().is_some_and(|e| e.contains("headers")));
        assert_eq!(out.body_len, headers.len());
        // A file far bigger than HELD_MAX passes: its chunks are handed out as they come.
        let file = vec![7u8; 3 * HELD_MAX as usize];
        let out = read(
            &form(
                "XyZ",
                &[
                    ("file", Some("a.pdf"), &file),
                    ("type", None, b"application/pdf"),
                ],
            ),
            4096,
        )
        .await;
        assert_eq!(out.error, None);
        assert_eq!(out.file.map(|f| f.size), Some(file.len() as u64));
    }
}
