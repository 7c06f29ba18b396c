//! A campaign that survives a crash: 3,000 one-time passwords sent through a journaled
//! `send_all` to the Kaleyra simulator, by a worker process that is killed with SIGKILL half-way
//! and started again. The second run skips what the first got accepted, reports what was in
//! flight at the kill as "may have been sent" (not sent again), and sends the rest; the
//! simulator's ledger then shows that no message was accepted twice.
//!
//! ```sh
//! cargo run --example campaign      # no configuration: a few seconds
//! ```
//!
//! The simulator runs in this process; the worker is this same program started again with
//! `KALEYRA_CAMPAIGN_WORKER` set (the simulator's URL and the journal's path), as a real
//! deployment would restart its worker after a crash.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kaleyra::mock::{DEFAULT_API_KEY, DEFAULT_SENDER, DEFAULT_SID, MockServer};
use kaleyra::prelude::*;
use kaleyra::scale::Journal;
use kaleyra::{RateLimit, Retry, TransportErrorKind};

const WORKER: &str = "KALEYRA_CAMPAIGN_WORKER";
const CUSTOMERS: u32 = 3_000;

/// The approved authentication template `auth1`.
#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Runtime::new()?;
    match std::env::var(WORKER) {
        Ok(setting) => runtime.block_on(worker(&setting)),
        Err(_) => runtime.block_on(campaign()),
    }
}

/// The worker: one run of the campaign, journaled.
async fn worker(setting: &str) -> Result<(), Box<dyn std::error::Error>> {
    let (url, path) = setting
        .split_once('|')
        .ok_or("KALEYRA_CAMPAIGN_WORKER: url|path")?;
    let client = Client::builder()
        .sid(DEFAULT_SID)
        .api_key(DEFAULT_API_KEY)
        .base_url(url)
        .sender(DEFAULT_SENDER)
        .rate_limit(RateLimit::per_second(1_000))
        .retry(Retry::new(3).backoff(Duration::from_millis(50)))
        .build()?;
    let journal = Journal::open(path)?;
    // Keyed by customer id: the journal tells the messages apart by these keys.
    let messages = (0..CUSTOMERS).map(|id| -> Result<(u32, Message), Error> {
        let code = Otp::new(&format!("{:06}", (id * 7919) % 1_000_000))?;
        let message = LoginCode { code }
            .to(format!("+9198765{id:05}"))?
            .extra_info(ExtraInfo::new().reference(format!("customer{id}")));
        Ok((id, message))
    });
    let messages: Vec<(u32, Message)> = messages.collect::<Result<_, _>>()?;
    let mut sending = client
        .send_all(messages)
        .concurrency(32)
        .journal(journal.clone());
    let (mut sent, mut earlier, mut interrupted, mut ambiguous, mut failed) = (0, 0, 0, 0, 0);
    while let Some((customer, result)) = sending.next().await {
        match result {
            Ok(accepted) if accepted.from_journal() => earlier += 1,
            Ok(_) => sent += 1,
            Err(Error::Transport(e)) if e.kind() == TransportErrorKind::Interrupted => {
                interrupted += 1;
                if interrupted <= 3 {
                    println!("    customer {customer}: {e}");
                }
            }
            Err(e) if e.is_ambiguous() => ambiguous += 1,
            Err(e) => {
                failed += 1;
                println!("    customer {customer}: not sent: {e}");
            }
        }
    }
    drop(sending);
    println!(
        "  worker: {sent} sent now, {earlier} skipped (accepted in an earlier run), \
         {interrupted} in flight at the crash (may have been sent, not sent again), \
         {ambiguous} other may-have-been-sent, {failed} not sent"
    );
    println!("  journal: {:?}", journal.summary()?);
    Ok(())
}

/// The simulator, and the worker started, killed, and started again.
async fn campaign() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::builder().ledger(true).start().await;
    let dir = std::env::temp_dir().join(format!("kaleyra-campaign-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("campaign.journal");
    let setting = format!("{}|{}", server.url(), path.display());
    let exe = std::env::current_exe()?;
    println!(
        "campaign of {CUSTOMERS} messages at 1,000 a second; journal {}",
        path.display()
    );

    println!("run 1: the worker starts; killed with SIGKILL after 1.5 s");
    let started = Instant::now();
    let mut child = Command::new(&exe)
        .env(WORKER, &setting)
        .stdout(Stdio::inherit())
        .spawn()?;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    child.kill()?; // SIGKILL: no destructor, no flush, as a crash
    let status = child.wait()?;
    println!(
        "  killed after {:.1} s ({status}); the simulator has accepted {} messages",
        started.elapsed().as_secs_f64(),
        server.counts().accepted
    );
    println!(
        "  journal after the kill: {:?}",
        Journal::open(&path)?.summary()?
    );

    println!("run 2: the worker starts again with the same journal and input");
    let status = Command::new(&exe).env(WORKER, &setting).status()?;
    if !status.success() {
        return Err(format!("the second run failed: {status}").into());
    }

    let ledger = server.ledger();
    println!(
        "simulator: {} distinct messages received, {} accepted in all, {} accepted twice",
        ledger.messages,
        server.counts().accepted,
        ledger.accepted_twice
    );
    let _ = std::fs::remove_dir_all(&dir);
    if ledger.accepted_twice != 0 {
        return Err("a message was accepted twice".into());
    }
    Ok(())
}
