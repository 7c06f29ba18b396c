//! Runs the Kaleyra simulator standalone, for curl, a program in another language, or a callback
//! receiver in another process.
//!
//! ```text
//! $ cargo run --example mock_server
//! KALEYRA_BASE_URL=http://127.0.0.1:41234 KALEYRA_SID=HXAP16000000097IN KALEYRA_API_KEY=… KALEYRA_SENDER=+15550001234 KALEYRA_WABA_ID=109000000000001
//!
//! $ cargo run --example mock_server -- --callback-url http://127.0.0.1:8080/kaleyra --callback-secret s3cret
//! $ cargo run --example mock_server -- --help
//! ```
//!
//! Stdout gets exactly one line: shell assignments of the variables `Client::from_env` reads
//! (paste it before a command in another terminal). What is configured (templates, whether
//! unknown template names are accepted, where callbacks go) is printed on stderr; the simulator
//! then serves until Ctrl-C, and reports each request it answers and each callback it posts on
//! stderr, with the reason when it refuses one.
//!
//! Options (`--help` says the same):
//! - `--templates PATH`: serve another catalogue file (as `kaleyra templates pull` writes it)
//!   instead of the committed `kaleyra-templates.json`, e.g. to try `kaleyra templates check`
//!   against a changed account;
//! - `--lenient`: accept template names the catalogue does not have (by default they get
//!   WhatsApp's `132001`, as a real account answers them);
//! - `--callback-url URL`: post Kaleyra's callbacks (`sent`, `delivered`, `read` for every
//!   accepted message) to `URL`;
//! - `--callback-secret SECRET`: the callback profile's shared secret, sent in a custom header
//!   (`x-kaleyra-secret`, or `--callback-header NAME`) of every post: what a receiver built with
//!   `kaleyra::callback::router(Auth::header("x-kaleyra-secret", SECRET)?, …)` checks.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use kaleyra::mock::{CallbackAuth, MockServer, MockServerBuilder};

/// The header `--callback-secret` is sent in unless `--callback-header` names another: the one
/// README's receiver example checks.
const DEFAULT_SECRET_HEADER: &str = "x-kaleyra-secret";

/// Runs the Kaleyra simulator on 127.0.0.1 until Ctrl-C.
///
/// Prints one line on stdout: the shell variables `Client::from_env` reads (KALEYRA_BASE_URL,
/// KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_SENDER, KALEYRA_WABA_ID). Everything else goes to
/// stderr: what is configured, then each request answered and each callback posted.
#[derive(Debug, Parser, PartialEq)]
#[command(name = "mock_server", verbatim_doc_comment)]
struct Args {
    /// Serve the templates of this catalogue file (as `kaleyra templates pull` writes it)
    /// instead of the committed kaleyra-templates.json.
    #[arg(long, value_name = "PATH")]
    templates: Option<PathBuf>,

    /// Accept template names the catalogue does not have, as approved templates. By default
    /// they are refused with WhatsApp's 132001 ("Template name does not exist in the
    /// translation"), as a real account refuses them.
    #[arg(long)]
    lenient: bool,

    /// Post Kaleyra's callbacks to this URL: sent, delivered and read for every accepted
    /// message, in Kaleyra's v2 envelope with the message's ref, ref1 and ref2.
    #[arg(long, value_name = "URL")]
    callback_url: Option<String>,

    /// The callback profile's shared secret ("custom header" authentication): sent in the
    /// header x-kaleyra-secret (or --callback-header) of every callback post, which a receiver
    /// built with kaleyra::callback::Auth::header("x-kaleyra-secret", SECRET) accepts. Without
    /// it the posts carry no credentials.
    #[arg(long, value_name = "SECRET", requires = "callback_url")]
    callback_secret: Option<String>,

    /// The header that carries --callback-secret [default: x-kaleyra-secret].
    #[arg(long, value_name = "NAME", requires = "callback_secret")]
    callback_header: Option<String>,
}

impl Args {
    /// The simulator these options configure.
    fn builder(&self) -> MockServerBuilder {
        let mut builder = MockServer::builder();
        if let Some(path) = &self.templates {
            builder = builder.templates_file(path);
        }
        if self.lenient {
            builder = builder.lenient();
        }
        if let Some(url) = &self.callback_url {
            builder = builder.callback_url(url);
        }
        if let Some(secret) = &self.callback_secret {
            builder = builder.callback_auth(CallbackAuth::header(self.secret_header(), secret));
        }
        builder
    }

    fn secret_header(&self) -> &str {
        self.callback_header
            .as_deref()
            .unwrap_or(DEFAULT_SECRET_HEADER)
    }

    /// What is configured, one line each (the secret itself is not shown).
    fn describe(&self, server: &MockServer) -> Vec<String> {
        let templates = server.templates().len();
        let mut lines = vec![
            match &self.templates {
                Some(path) => format!("templates: {templates} from {}", path.display()),
                None => format!("templates: the {templates} of kaleyra-templates.json"),
            },
            if server.is_lenient() {
                "unknown template names: accepted (--lenient)".to_owned()
            } else {
                "unknown template names: refused with 132001, as WhatsApp does (--lenient accepts them)"
                    .to_owned()
            },
        ];
        lines.push(match (&self.callback_url, &self.callback_secret) {
            (None, _) => "callbacks: off (--callback-url URL posts them)".to_owned(),
            (Some(url), None) => format!("callbacks: POST {url}, no credentials"),
            (Some(url), Some(secret)) => format!(
                "callbacks: POST {url} with header {}: <secret, {} characters>",
                self.secret_header(),
                secret.chars().count()
            ),
        });
        lines
    }
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let server = match args.builder().try_start().await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("cannot start the Kaleyra simulator: {e}");
            std::process::exit(1);
        }
    };
    println!("{}", server.env_line());
    for line in args.describe(&server) {
        eprintln!("{line}");
    }
    eprintln!("Kaleyra simulator on {}; Ctrl-C to stop", server.url());

    // Report each request on stderr as it is answered, and each callback post, until Ctrl-C.
    let mut next_seq = 0;
    let mut posts_reported = 0;
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        tokio::select! {
            result = &mut ctrl_c => {
                if let Err(e) = result {
                    eprintln!("cannot listen for Ctrl-C: {e}");
                }
                break;
            }
            _ = tick.tick() => {
                // Only the requests not reported yet (by arrival number: the log drops old
                // ones), not the whole log every tick.
                for request in server.received_from(next_seq) {
                    if request.status == 0 && request.refusal.is_none() {
                        // Still being answered; report it next time.
                        break;
                    }
                    eprintln!(
                        "{} {} -> {}{}",
                        request.method,
                        request.path,
                        request.status,
                        request.refusal.as_deref().map(|r| format!(" ({r})")).unwrap_or_default()
                    );
                    next_seq = request.seq + 1;
                }
                let posts = server.callback_counts().posts;
                if posts > posts_reported {
                    let new = usize::try_from(posts - posts_reported).unwrap_or(usize::MAX);
                    let log = server.callback_posts();
                    for post in &log[log.len().saturating_sub(new)..] {
                        let answer = post.status.map_or("no answer".to_owned(), |s| s.to_string());
                        eprintln!(
                            "callback {} {} (attempt {}) -> {answer}",
                            post.event, post.message_id, post.attempt
                        );
                    }
                    posts_reported = posts;
                }
            }
        }
    }
    eprintln!("stopped after {} requests", server.counts().requests);
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use clap::CommandFactory;
    use kaleyra::callback::{self, Auth, Callback};
    use kaleyra::model::AuthenticationTemplate;
    use kaleyra::{Client, Otp, Template};

    use super::*;

    fn parse(args: &[&str]) -> Result<Args, clap::Error> {
        Args::try_parse_from(std::iter::once("mock_server").chain(args.iter().copied()))
    }

    #[test]
    fn help_describes_every_option() {
        let help = Args::command().render_long_help().to_string();
        for option in [
            "--templates <PATH>",
            "--lenient",
            "--callback-url <URL>",
            "--callback-secret <SECRET>",
            "--callback-header <NAME>",
            "132001",
            "x-kaleyra-secret",
        ] {
            assert!(help.contains(option), "{option} is not in:\n{help}");
        }
    }

    #[test]
    fn a_secret_needs_a_url() {
        assert!(parse(&["--callback-secret", "s"]).is_err());
        assert!(parse(&["--callback-url", "http://127.0.0.1:9/"]).is_ok());
        assert!(parse(&["--unknown"]).is_err());
    }

    #[tokio::test]
    async fn lenient_accepts_unknown_templates_and_the_default_refuses_them()
    -> Result<(), Box<dyn std::error::Error>> {
        let unknown = AuthenticationTemplate::new("login_code", "de", Otp::new("998877")?)
            .to("+919876543210")?;
        for (args, accepted) in [(&[][..], false), (&["--lenient"][..], true)] {
            let args = parse(args)?;
            let server = args.builder().start().await;
            let client = Client::builder()
                .sid(server.sid())
                .api_key(server.api_key())
                .base_url(server.url())
                .sender(server.sender())
                .build()?;
            let result = client.send(&unknown).await;
            assert_eq!(result.is_ok(), accepted, "{args:?}: {result:?}");
            assert!(args.describe(&server)[1].contains(if accepted {
                "accepted"
            } else {
                "132001"
            }));
        }
        Ok(())
    }

    /// `--callback-url` and `--callback-secret` reach a receiver in another process the way
    /// README's receiver checks them.
    #[tokio::test]
    async fn callbacks_carry_the_secret_a_header_receiver_checks()
    -> Result<(), Box<dyn std::error::Error>> {
        let received = Arc::new(AtomicUsize::new(0));
        let handler = {
            let received = Arc::clone(&received);
            move |callback: Callback<'static>| {
                let received = Arc::clone(&received);
                async move {
                    received.fetch_add(callback.statuses().len(), Ordering::SeqCst);
                    Ok::<(), String>(())
                }
            }
        };
        let router = axum::Router::new().nest(
            "/kaleyra",
            callback::router(Auth::header("x-kaleyra-secret", "s3cret")?, handler),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/kaleyra", listener.local_addr()?);
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });

        let args = parse(&["--callback-url", &url, "--callback-secret", "s3cret"])?;
        let server = args.builder().start().await;
        assert_eq!(
            args.describe(&server)[2],
            format!("callbacks: POST {url} with header x-kaleyra-secret: <secret, 6 characters>")
        );
        let client = Client::builder()
            .sid(server.sid())
            .api_key(server.api_key())
            .base_url(server.url())
            .sender(server.sender())
            .build()?;
        let message = AuthenticationTemplate::new("auth1", "en_US", Otp::new("123456")?)
            .to("+919876543210")?;
        client.send(&message).await?;
        server.callbacks_settled().await;
        let statuses: Vec<Option<u16>> = server.callback_posts().iter().map(|p| p.status).collect();
        assert_eq!(statuses, [Some(200), Some(200), Some(200)]);
        assert_eq!(received.load(Ordering::SeqCst), 3);

        // Another header name: the same receiver refuses the posts.
        let args = parse(&[
            "--callback-url",
            &url,
            "--callback-secret",
            "s3cret",
            "--callback-header",
            "x-other",
        ])?;
        let server = args.builder().start().await;
        let client = Client::builder()
            .sid(server.sid())
            .api_key(server.api_key())
            .base_url(server.url())
            .sender(server.sender())
            .build()?;
        client.send(&message).await?;
        server.callbacks_settled().await;
        assert!(
            server
                .callback_posts()
                .iter()
                .all(|p| p.status == Some(401))
        );
        Ok(())
    }
}
