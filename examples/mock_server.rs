//! Runs the Kaleyra simulator standalone, for curl or a program in another language.
//!
//! ```text
//! $ cargo run --example mock_server
//! KALEYRA_BASE_URL=http://127.0.0.1:41234 KALEYRA_SID=HXAP16000000097IN KALEYRA_API_KEY=… KALEYRA_SENDER=+15550001234 KALEYRA_WABA_ID=109000000000001
//! ```
//!
//! Stdout gets exactly one line: shell assignments of the variables `Client::from_env` reads
//! (paste it before a command in another terminal). The simulator then serves until Ctrl-C, and
//! reports each request it answers on stderr, with the reason when it refuses one.
//!
//! Its account has the templates of the committed `kaleyra-templates.json`;
//! `cargo run --example mock_server -- --templates PATH` serves another catalogue file instead
//! (e.g. to try `kaleyra templates check` against a changed account).

use std::time::Duration;

use kaleyra::mock::MockServer;

#[tokio::main]
async fn main() {
    let mut builder = MockServer::builder();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--templates", Some(path)) => builder = builder.templates_file(path),
            _ => {
                eprintln!("usage: cargo run --example mock_server [-- --templates PATH]");
                std::process::exit(2);
            }
        }
    }
    let server = match builder.try_start().await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("cannot start the Kaleyra simulator: {e}");
            std::process::exit(1);
        }
    };
    println!("{}", server.env_line());
    eprintln!("Kaleyra simulator on {}; Ctrl-C to stop", server.url());

    // Report each request on stderr as it is answered, until Ctrl-C.
    let mut reported = 0;
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
                // Only the requests not reported yet, not the whole log every tick.
                for request in server.received_since(reported) {
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
                    reported += 1;
                }
            }
        }
    }
    eprintln!("stopped after {} requests", server.received().len());
}
