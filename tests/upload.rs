//! Media upload over HTTP against the simulator (issue 15): an upload then a send by its id
//! (session message and template header) accepted; a send by an unknown id refused; a wrong
//! type or a file too big refused before any request; the "postpaid accounts only" answer
//! typed; a retry reopening the file; the simulator's own checks of a form posted raw. The
//! memory bound of a 50 MB upload is tests/upload_memory.rs.

#![cfg(feature = "mock")]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use kaleyra::mock::{FNV_OFFSET, Fault, MockServer, fnv1a};
use kaleyra::model::StandardTemplate;
use kaleyra::prelude::*;
use kaleyra::session::{MediaId, MediaMessage, Upload};
use kaleyra::{ApiErrorKind, MediaKind, RateLimit, Retry, rules::Violation};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CUSTOMER: &str = "+919876543210";

fn client(server: &MockServer, retry: Retry) -> Client {
    Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .rate_limit(RateLimit::off())
        .retry(retry)
        .build()
        .expect("client configuration")
}

/// A fresh temporary directory for one test, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> std::io::Result<TempDir> {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "kaleyra-upload-{}-{test}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }

    fn file(&self, name: &str, content: &[u8]) -> std::io::Result<PathBuf> {
        let path = self.0.join(name);
        std::fs::write(&path, content)?;
        Ok(path)
    }

    /// A file of `len` zero bytes, sparse where the file system allows: nothing in memory.
    fn sized(&self, name: &str, len: u64) -> std::io::Result<PathBuf> {
        let path = self.0.join(name);
        std::fs::File::create(&path)?.set_len(len)?;
        Ok(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Bytes that are not all alike (CR LF and dashes included, as a multipart delimiter has).
fn content(len: usize) -> Vec<u8> {
    let pattern = b"%PDF-1.7\r\n--boundary?";
    (0..len)
        .map(|i| pattern[i % pattern.len()] ^ (i / pattern.len()) as u8)
        .collect()
}

fn api_error<T: std::fmt::Debug>(result: Result<T, Error>) -> kaleyra::ApiError {
    match result {
        Err(Error::Api(e)) => e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn violation<T: std::fmt::Debug>(result: Result<T, Error>) -> (String, Violation) {
    match result {
        Err(Error::Validation(e)) => (e.what().to_owned(), e.violation().clone()),
        other => panic!("expected Error::Validation, got {other:?}"),
    }
}

#[tokio::test]
async fn an_upload_then_a_send_by_its_id_is_accepted() -> TestResult {
    let dir = TempDir::new("send")?;
    let bytes = content(300_000);
    let path = dir.file("invoice.pdf", &bytes)?;
    let server = MockServer::builder().lenient().start().await;
    let client = client(&server, Retry::none());

    let upload = Upload::from_path(&path).await?;
    assert_eq!(
        (upload.mime(), upload.kind(), upload.size()),
        ("application/pdf", MediaKind::Document, 300_000)
    );
    let invoice: MediaId = client.upload_media(upload).await?;

    // What arrived: Kaleyra's route, a multipart form, the file's bytes intact.
    let received = server.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(
        request.path,
        format!("/v2/{}/whatsapp/{}/media", server.sid(), server.sender())
    );
    assert_eq!(request.status, 200, "{:?}", request.refusal);
    assert!(
        request
            .content_type
            .as_deref()
            .is_some_and(|ct| ct.starts_with("multipart/form-data; boundary=")),
        "{:?}",
        request.content_type
    );
    assert!(request.body.is_empty(), "an upload's body is not kept");
    assert!(request.body_len > bytes.len());
    let uploads = server.uploads();
    assert_eq!(uploads.len(), 1);
    assert_eq!(uploads[0].id, invoice.as_str());
    assert_eq!(uploads[0].mime, "application/pdf");
    assert_eq!(uploads[0].file_name.as_deref(), Some("invoice.pdf"));
    assert_eq!(uploads[0].size, bytes.len() as u64);
    assert_eq!(uploads[0].digest, fnv1a(FNV_OFFSET, &bytes));

    // Sent by that id: a session message, and a template's media header.
    let doc = MediaMessage::new(Media::document_id(&invoice)?.filename("invoice.pdf")?)
        .caption("Your invoice")?
        .to(CUSTOMER)?;
    client.send(&doc).await?;
    let template = StandardTemplate::new("invoice_ready", "en_US")
        .header(Media::document_id(&invoice)?)
        .body("Ada")
        .to(CUSTOMER)?;
    client.send(&template).await?;
    assert_eq!(server.counts().accepted, 2);
    Ok(())
}

#[tokio::test]
async fn a_send_by_an_unknown_media_id_is_refused() -> TestResult {
    let server = MockServer::builder().lenient().start().await;
    let client = client(&server, Retry::none());
    let session = MediaMessage::new(Media::image_id("4621999")?).to(CUSTOMER)?;
    let e = api_error(client.send(&session).await);
    assert_eq!((e.status(), e.kind()), (400, ApiErrorKind::BadPayload));
    let refusal = server.received()[0].refusal.clone().unwrap_or_default();
    assert!(
        refusal.contains("body.messaging_object.image.id \"4621999\""),
        "{refusal}"
    );
    let template = StandardTemplate::new("promo", "en_US")
        .header(Media::video_id("4621998")?)
        .to(CUSTOMER)?;
    assert_eq!(
        api_error(client.send(&template).await).kind(),
        ApiErrorKind::BadPayload
    );
    let refusal = server.received()[1].refusal.clone().unwrap_or_default();
    assert!(refusal.contains("video.id \"4621998\""), "{refusal}");

    // Registered (an id uploaded elsewhere), it is accepted.
    server.register_media("4621999");
    client.send(&session).await?;
    Ok(())
}

#[tokio::test]
async fn a_wrong_type_or_a_file_too_big_is_refused_before_any_request() -> TestResult {
    let dir = TempDir::new("refused")?;
    let server = MockServer::start().await;
    let client = client(&server, Retry::none());

    // Not in Meta's table: by extension, by type.
    let zip = dir.file("photos.zip", b"PK")?;
    let (what, v) = violation(Upload::from_path(&zip).await);
    assert!(what.contains("photos.zip"), "{what}");
    assert!(matches!(v, Violation::Unknown { .. }), "{v:?}");
    let gif = dir.file("cat.gif", b"GIF89a")?;
    assert!(matches!(
        violation(Upload::from_path(&gif).await).1,
        Violation::Unknown { .. }
    ));
    assert!(matches!(
        violation(Upload::from_path_as(&zip, "image/gif").await).1,
        Violation::Unknown { .. }
    ));
    assert!(matches!(
        violation(Upload::from_bytes(vec![1], "video/quicktime", "a.mov")).1,
        Violation::Unknown { .. }
    ));

    // Over the type's limit, by one byte; at the limit, accepted.
    let limits: [(&str, u64); 4] = [
        ("photo.png", 5 * 1024 * 1024),
        ("clip.mp4", 16 * 1024 * 1024),
        ("note.ogg", 16 * 1024 * 1024),
        ("report.pdf", 100 * 1024 * 1024),
    ];
    for (name, max) in limits {
        let at = dir.sized(&format!("at-{name}"), max)?;
        assert!(Upload::from_path(&at).await.is_ok(), "{name} at the limit");
        let over = dir.sized(name, max + 1)?;
        let (what, v) = violation(Upload::from_path(&over).await);
        assert!(what.contains(name), "{what}");
        assert_eq!(
            v,
            Violation::OutOfRange {
                value: i128::from(max + 1),
                min: 1,
                max: i128::from(max)
            }
        );
    }
    // Stickers: 100 KB static, 500 KB animated (WebP's VP8X animation flag).
    let mut animated = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x02".to_vec();
    animated.resize(500 * 1024, 0);
    assert!(Upload::from_bytes(animated.clone(), "image/webp", "wave.webp").is_ok());
    let path = dir.file("wave.webp", &animated)?;
    assert!(Upload::from_path(&path).await.is_ok());
    animated.push(0);
    assert!(Upload::from_bytes(animated, "image/webp", "wave.webp").is_err());
    let mut still = b"RIFF\0\0\0\0WEBPVP8 ".to_vec();
    still.resize(100 * 1024 + 1, 0);
    let path = dir.file("still.webp", &still)?;
    let (what, _) = violation(Upload::from_path(&path).await);
    assert!(what.contains("a static sticker: at most 100 KB"), "{what}");
    // Empty, and a name that is not a file name.
    let empty = dir.file("empty.pdf", b"")?;
    assert!(matches!(
        violation(Upload::from_path(&empty).await).1,
        Violation::OutOfRange { value: 0, .. }
    ));
    assert!(Upload::from_bytes(vec![1], "text/plain", "a/b.txt").is_err());
    // A missing file is a typed file error.
    match Upload::from_path(dir.0.join("missing.pdf")).await {
        Err(Error::File(e)) => assert_eq!(e.kind(), std::io::ErrorKind::NotFound),
        other => panic!("expected Error::File, got {other:?}"),
    }

    // A file that changed size since it was checked is not sent.
    let growing = dir.file("growing.pdf", b"%PDF-1.7")?;
    let upload = Upload::from_path(&growing).await?;
    std::fs::write(&growing, b"%PDF-1.7 and more")?;
    match client.upload_media(upload).await {
        Err(Error::File(e)) => assert!(e.to_string().contains("size changed"), "{e}"),
        other => panic!("expected Error::File, got {other:?}"),
    }

    assert_eq!(server.counts().requests, 0, "{:?}", server.received());
    Ok(())
}

#[tokio::test]
async fn the_postpaid_only_answer_is_typed() -> TestResult {
    let server = MockServer::builder().postpaid(false).start().await;
    // Not retried: it will not go away.
    let client = client(&server, Retry::new(3).backoff(Duration::from_millis(1)));
    let upload = Upload::from_bytes(b"hello".to_vec(), "text/plain", "hello.txt")?;
    let result = client.upload_media(upload).await;
    let Err(error) = result else {
        panic!("expected an error, got {result:?}")
    };
    assert!(!error.is_retryable() && !error.is_ambiguous());
    let shown = error.to_string();
    let Error::Api(e) = error else {
        panic!("expected Error::Api, got {error:?}")
    };
    assert_eq!(
        (e.status(), e.code(), e.kind()),
        (401, "WA-401", ApiErrorKind::PostpaidOnly)
    );
    assert!(shown.contains("postpaid"), "{shown}");
    assert!(shown.contains("link"), "says what to do instead: {shown}");
    assert_eq!(server.received().len(), 1);
    assert!(server.uploads().is_empty());
    Ok(())
}

#[tokio::test]
async fn a_retry_reopens_the_file_and_streams_it_again() -> TestResult {
    let dir = TempDir::new("retry")?;
    let bytes = content(200_000);
    let path = dir.file("menu.pdf", &bytes)?;
    let server = MockServer::start().await;
    let client = client(
        &server,
        Retry::new(2)
            .backoff(Duration::from_millis(1))
            .jitter(false),
    );
    // Kaleyra's "try again later" twice: safe to retry, nothing was stored.
    server.fail_next(2, Fault::server_error());
    let id = client.upload_media(Upload::from_path(&path).await?).await?;

    let received = server.received();
    assert_eq!(received.len(), 3);
    // Each attempt carried the whole file: a streamed body cannot be sent twice, so each
    // retry had to reopen it.
    assert!(received.iter().all(|r| r.body_len == received[0].body_len));
    assert!(received[0].body_len > bytes.len());
    assert_eq!(
        received.iter().map(|r| r.status).collect::<Vec<_>>(),
        [500, 500, 200]
    );
    let uploads = server.uploads();
    assert_eq!(uploads.len(), 1);
    assert_eq!(uploads[0].id, id.as_str());
    assert_eq!(uploads[0].digest, fnv1a(FNV_OFFSET, &bytes));
    Ok(())
}

#[tokio::test]
async fn both_answer_shapes_are_read() -> TestResult {
    let server = MockServer::start().await;
    let client = client(&server, Retry::none());
    let upload = || Upload::from_bytes(b"hi".to_vec(), "text/plain", "hi.txt");
    // Kaleyra's envelope around the id (its success body is not published).
    server.fail_next(
        1,
        Fault::status(
            200,
            r#"{"code":"WA200","message":"Success","data":{"id":"1098"},"error":{}}"#,
        ),
    );
    assert_eq!(client.upload_media(upload()?).await?.as_str(), "1098");
    // Meta's body, as the simulator answers.
    let id = client.upload_media(upload()?).await?;
    assert!(id.as_str().bytes().all(|b| b.is_ascii_digit()), "{id}");
    // A 2xx without an id is a decode error, not a made-up id.
    server.fail_next(1, Fault::status(200, r#"{"success":true}"#));
    assert!(matches!(
        client.upload_media(upload()?).await,
        Err(Error::Decode(_))
    ));
    Ok(())
}

/// A multipart form posted with reqwest directly: the simulator checks it on its own.
async fn post_form(
    server: &MockServer,
    form: reqwest::multipart::Form,
) -> Result<(u16, String), Box<dyn std::error::Error>> {
    let url = format!(
        "{}/v2/{}/whatsapp/{}/media",
        server.url(),
        server.sid(),
        server.sender()
    );
    let response = reqwest::Client::new()
        .post(url)
        .header("api-key", server.api_key())
        .multipart(form)
        .send()
        .await?;
    let status = response.status().as_u16();
    let refusal = server
        .received()
        .last()
        .and_then(|r| r.refusal.clone())
        .unwrap_or_default();
    Ok((status, refusal))
}

fn file_part(bytes: Vec<u8>, name: &str) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned())
}

#[tokio::test]
async fn the_simulator_checks_a_form_posted_raw() -> TestResult {
    use reqwest::multipart::Form;
    let server = MockServer::start().await;
    let big = vec![0u8; 5 * 1024 * 1024 + 1];
    let cases: Vec<(Form, &str)> = vec![
        (
            Form::new()
                .part("file", file_part(big, "a.png"))
                .text("type", "image/png"),
            "size in bytes (image/png: at most 5 MB) must be between 1 and 5242880",
        ),
        (
            Form::new()
                .part("file", file_part(vec![1], "a.gif"))
                .text("type", "image/gif"),
            "`type` \"image/gif\" is not a known media type",
        ),
        (
            Form::new().part("file", file_part(vec![1], "a.png")),
            "no `type` field",
        ),
        (Form::new().text("type", "image/png"), "no `file` part"),
        (
            Form::new()
                .part("file", file_part(vec![1], "a.png"))
                .text("type", "image/png")
                .text("caption", "x"),
            "unknown field `caption`",
        ),
        (
            Form::new()
                .part("file", file_part(vec![1], "a.png"))
                .text("type", "image/png")
                .text("messaging_product", "sms"),
            "`messaging_product`",
        ),
    ];
    for (form, wanted) in cases {
        let (status, refusal) = post_form(&server, form).await?;
        assert_eq!(status, 400, "{wanted}: {refusal}");
        assert!(refusal.contains(wanted), "{refusal}\n  wanted: {wanted}");
    }
    // Meta's form, with `messaging_product`, is accepted too.
    let form = Form::new()
        .part("file", file_part(vec![0xff, 0xd8], "a.jpg"))
        .text("type", "image/jpeg")
        .text("messaging_product", "whatsapp");
    assert_eq!(post_form(&server, form).await?.0, 200);
    assert!(server.uploads().len() == 1);
    Ok(())
}
