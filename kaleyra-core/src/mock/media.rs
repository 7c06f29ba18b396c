//! The simulator's media endpoint (issue 15): `POST /v2/{sid}/whatsapp/{sender}/media`, a
//! multipart form with `file` and `type` (facts §2.1). The body is streamed: each chunk is
//! counted and hashed and then dropped, so a 100 MB file costs the simulator a few kilobytes.
//! The type and size are checked with the library's rules ([`crate::rules::upload_type_of`],
//! [`crate::rules::check_upload_size`]); an accepted file gets a media id, remembered, and a
//! send that names a media id the simulator does not know is refused
//! ([`unknown_media_id`]).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

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

/// The longest part headers, or text field, the simulator reads (a form's `type` is a few
/// bytes).
const SMALL_MAX: usize = 8 * 1024;

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
    error: Option<String>,
    mime: Option<String>,
    messaging_product: Option<String>,
    file: Option<FilePart>,
}

#[derive(Debug)]
struct FilePart {
    file_name: Option<String>,
    size: u64,
    digest: u64,
    /// The first bytes, to tell an animated WebP sticker from a static one.
    head: Vec<u8>,
}

/// Whether a request is an upload, whose body is streamed rather than read whole.
pub(super) fn is_upload(method: &axum::http::Method, path: &str) -> bool {
    method == axum::http::Method::POST && path.ends_with("/media")
}

/// The multipart boundary of a `multipart/form-data` Content-Type.
fn boundary(content_type: Option<&str>) -> Result<String, String> {
    let content_type = content_type.ok_or("no Content-Type: the upload is multipart/form-data")?;
    let mut params = content_type.split(';');
    let essence = params.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("multipart/form-data") {
        return Err(format!(
            "Content-Type {content_type:?}: the upload is multipart/form-data"
        ));
    }
    params
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_owned())
        .filter(|b| !b.is_empty() && b.len() <= 70)
        .ok_or_else(|| format!("Content-Type {content_type:?} has no multipart boundary"))
}

/// Streams the body through the multipart reader, keeping only the fields and the file's
/// summary. The body is read to its end even when the form is wrong (so that the answer is
/// read by the client).
pub(super) async fn receive(body: Body, content_type: Option<&str>) -> Received {
    let mut received = Received::default();
    let mut reader = match boundary(content_type) {
        Ok(boundary) => Some(Reader::new(&boundary)),
        Err(why) => {
            received.error = Some(why);
            None
        }
    };
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(e) => {
                received.error = Some(format!("the body could not be read: {e}"));
                return received;
            }
        };
        received.body_len += chunk.len();
        if let Some(r) = reader.as_mut()
            && let Err(why) = r.feed(&chunk, &mut received)
        {
            received.error.get_or_insert(why);
            reader = None;
        }
    }
    if let Some(r) = reader
        && !r.ended()
    {
        received
            .error
            .get_or_insert_with(|| "the multipart body ends before its closing boundary".into());
    }
    received
}

#[derive(Debug, PartialEq, Eq)]
enum State {
    /// Before the first delimiter.
    Preamble,
    /// After a delimiter: `\r\n` (a part follows) or `--` (the end).
    AfterDelimiter,
    Headers,
    Content,
    End,
}

/// Which part is being read.
#[derive(Debug)]
enum Part {
    File,
    Text { name: String, value: Vec<u8> },
}

/// A streaming multipart/form-data reader (RFC 7578): holds at most one chunk and a
/// delimiter's length of bytes.
struct Reader {
    /// `\r\n--boundary`: what ends a part's content.
    delimiter: Vec<u8>,
    buf: Vec<u8>,
    state: State,
    part: Option<Part>,
}

impl Reader {
    fn new(boundary: &str) -> Reader {
        Reader {
            delimiter: format!("\r\n--{boundary}").into_bytes(),
            // The preamble may be empty: the body may start with `--boundary`.
            buf: b"\r\n".to_vec(),
            state: State::Preamble,
            part: None,
        }
    }

    fn ended(&self) -> bool {
        self.state == State::End
    }

    fn feed(&mut self, chunk: &[u8], out: &mut Received) -> Result<(), String> {
        self.buf.extend_from_slice(chunk);
        loop {
            match self.state {
                State::Preamble => match find(&self.buf, &self.delimiter) {
                    Some(at) => {
                        self.buf.drain(..at + self.delimiter.len());
                        self.state = State::AfterDelimiter;
                    }
                    None => {
                        self.keep_tail();
                        return Ok(());
                    }
                },
                State::AfterDelimiter => {
                    if self.buf.len() < 2 {
                        return Ok(());
                    }
                    match &self.buf[..2] {
                        b"\r\n" => self.state = State::Headers,
                        b"--" => self.state = State::End,
                        _ => return Err("a multipart delimiter is followed by junk".into()),
                    }
                    self.buf.drain(..2);
                }
                State::Headers => match find(&self.buf, b"\r\n\r\n") {
                    Some(at) => {
                        let headers = String::from_utf8_lossy(&self.buf[..at]).into_owned();
                        self.buf.drain(..at + 4);
                        self.part = Some(start_part(&headers, out)?);
                        self.state = State::Content;
                    }
                    None if self.buf.len() > SMALL_MAX => {
                        return Err("a part's headers are longer than 8 KiB".into());
                    }
                    None => return Ok(()),
                },
                State::Content => match find(&self.buf, &self.delimiter) {
                    Some(at) => {
                        let content: Vec<u8> = self.buf.drain(..at).collect();
                        self.content(&content, out)?;
                        self.buf.drain(..self.delimiter.len());
                        self.end_part(out)?;
                        self.state = State::AfterDelimiter;
                    }
                    None => {
                        // All but what may be the start of a delimiter is content.
                        let keep = self.delimiter.len() - 1;
                        if self.buf.len() > keep {
                            let content: Vec<u8> =
                                self.buf.drain(..self.buf.len() - keep).collect();
                            self.content(&content, out)?;
                        }
                        return Ok(());
                    }
                },
                State::End => {
                    // The epilogue is ignored.
                    self.buf.clear();
                    return Ok(());
                }
            }
        }
    }

    /// Keeps only what may be the start of a delimiter.
    fn keep_tail(&mut self) {
        let keep = self.delimiter.len() - 1;
        if self.buf.len() > keep {
            self.buf.drain(..self.buf.len() - keep);
        }
    }

    fn content(&mut self, bytes: &[u8], out: &mut Received) -> Result<(), String> {
        match &mut self.part {
            Some(Part::File) => {
                if let Some(file) = out.file.as_mut() {
                    file.size += bytes.len() as u64;
                    file.digest = fnv1a(file.digest, bytes);
                    let room = rules::WEBP_HEAD_LEN.saturating_sub(file.head.len());
                    file.head.extend_from_slice(&bytes[..room.min(bytes.len())]);
                }
                Ok(())
            }
            Some(Part::Text { name, value }) => {
                if value.len() + bytes.len() > SMALL_MAX {
                    return Err(format!("the form field `{name}` is longer than 8 KiB"));
                }
                value.extend_from_slice(bytes);
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn end_part(&mut self, out: &mut Received) -> Result<(), String> {
        if let Some(Part::Text { name, value }) = self.part.take() {
            let value = String::from_utf8(value)
                .map_err(|_| format!("the form field `{name}` is not UTF-8"))?;
            match name.as_str() {
                "type" => out.mime = Some(value),
                _ => out.messaging_product = Some(value),
            }
        }
        Ok(())
    }
}

/// Reads a part's headers: its `Content-Disposition: form-data; name="…"` (and `filename`).
fn start_part(headers: &str, out: &mut Received) -> Result<Part, String> {
    let disposition = headers
        .split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-disposition"))
        .map(|(_, value)| value.trim())
        .ok_or("a part has no Content-Disposition header")?;
    let mut params = disposition.split(';');
    if !params
        .next()
        .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("form-data"))
    {
        return Err(format!(
            "a part's Content-Disposition is {disposition:?}, not form-data"
        ));
    }
    let mut name = None;
    let mut file_name = None;
    for param in params {
        if let Some((key, value)) = param.split_once('=') {
            let value = value.trim().trim_matches('"').to_owned();
            match key.trim() {
                "name" => name = Some(value),
                "filename" => file_name = Some(value),
                _ => {}
            }
        }
    }
    let name = name.ok_or("a part's Content-Disposition has no name")?;
    let twice = |field: &str| Err(format!("the form has the field `{field}` twice"));
    match name.as_str() {
        "file" => {
            if out.file.is_some() {
                return twice("file");
            }
            out.file = Some(FilePart {
                file_name,
                size: 0,
                digest: FNV_OFFSET,
                head: Vec::with_capacity(rules::WEBP_HEAD_LEN),
            });
            Ok(Part::File)
        }
        "type" | "messaging_product" => {
            let seen = if name == "type" {
                out.mime.is_some()
            } else {
                out.messaging_product.is_some()
            };
            if seen {
                return twice(&name);
            }
            Ok(Part::Text {
                name,
                value: Vec::new(),
            })
        }
        other => Err(format!(
            "the form has an unknown field `{other}` (Kaleyra's upload takes `file` and `type`)"
        )),
    }
}

/// The first position of `needle` in `haystack`: a scan for its first byte, then a compare
/// (the bytes of a file rarely hold `\r`).
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let last_start = haystack.len().checked_sub(needle.len())?;
    let mut from = 0;
    while from <= last_start {
        let at = from
            + haystack[from..=last_start]
                .iter()
                .position(|b| *b == first)?;
        if haystack[at..at + needle.len()] == *needle {
            return Some(at);
        }
        from = at + 1;
    }
    None
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

    fn read(body: &[u8], chunk: usize) -> Received {
        let mut out = Received::default();
        let mut reader = Reader::new("XyZ");
        for piece in body.chunks(chunk) {
            out.body_len += piece.len();
            if let Err(e) = reader.feed(piece, &mut out) {
                out.error = Some(e);
                return out;
            }
        }
        if !reader.ended() {
            out.error = Some("unterminated".into());
        }
        out
    }

    #[test]
    fn forms_are_read_whatever_the_chunks() {
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
            let out = read(&body, chunk);
            assert_eq!(out.error, None, "chunk {chunk}");
            assert_eq!(out.mime.as_deref(), Some("image/webp"));
            let f = out.file.as_ref().expect("a file part");
            assert_eq!(f.size, file.len() as u64, "chunk {chunk}");
            assert_eq!(f.digest, fnv1a(FNV_OFFSET, &file));
            assert_eq!(f.head, file[..rules::WEBP_HEAD_LEN]);
            assert_eq!(f.file_name.as_deref(), Some("a.webp"));
        }
    }

    #[test]
    fn malformed_forms_are_told() {
        let unknown = form("XyZ", &[("caption", None, b"x")]);
        assert!(
            read(&unknown, 5)
                .error
                .is_some_and(|e| e.contains("`caption`"))
        );
        let twice = form("XyZ", &[("type", None, b"a"), ("type", None, b"b")]);
        assert!(read(&twice, 5).error.is_some_and(|e| e.contains("twice")));
        let body = form("XyZ", &[("type", None, b"image/png")]);
        let cut = &body[..body.len() - 8];
        assert!(read(cut, 5).error.is_some());
        assert_eq!(
            boundary(Some("multipart/form-data; boundary=\"ab\"")),
            Ok("ab".into())
        );
        assert!(boundary(Some("application/json")).is_err());
        assert!(boundary(None).is_err());
        assert!(boundary(Some("multipart/form-data")).is_err());
    }

    #[test]
    fn finds() {
        assert_eq!(find(b"abcabd", b"abd"), Some(3));
        assert_eq!(find(b"ab", b"abd"), None);
        assert_eq!(find(b"", b"a"), None);
        assert_eq!(find(b"xxab", b"ab"), Some(2));
    }
}
