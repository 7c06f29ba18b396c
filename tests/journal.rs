//! Feature `journal`: `send_all(…).journal(…)` against the simulator. A run stopped half-way
//! (the `SendAll` dropped with sends in flight, as a crash would leave them) and run again with
//! the same journal and input skips what was accepted, reports what was in flight as "may have
//! been sent" (resent only with `Retry::ambiguous`), and sends the rest; each message is
//! accepted once. The journal holds one entry per key however often it is run, and compacts.
//! The crash itself (SIGKILL of a child process) is `tests/journal_crash.rs`.

#![cfg(all(feature = "journal", feature = "mock"))]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use kaleyra::mock::MockServer;
use kaleyra::model::AuthenticationTemplate;
use kaleyra::scale::{Journal, JournalEntry};
use kaleyra::{
    Client, Error, ExtraInfo, Message, Otp, RateLimit, Retry, Template, TransportErrorKind,
};

fn message(i: usize) -> Message {
    AuthenticationTemplate::new("auth1", "en_US", Otp::new("123456").expect("otp"))
        .to("+919876543210")
        .expect("recipient")
        .extra_info(ExtraInfo::new().reference(format!("m{i}")))
}

/// A fresh journal path in the temp directory (a folder per test process, removed by the
/// test that used it when it passes).
fn journal_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kaleyra-journal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

fn client(server: &MockServer, retry: Retry) -> Client {
    Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .rate_limit(RateLimit::off())
        .retry(retry)
        .build()
        .expect("client")
}

/// How often the simulator accepted each message, by its reference.
fn accepted_by_ref(server: &MockServer) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for request in server.received() {
        if request.message_id.is_some() {
            let reference = request.json.as_ref().expect("json")["extra_info"]["ref"]
                .as_str()
                .expect("ref")
                .to_owned();
            *counts.entry(reference).or_default() += 1;
        }
    }
    counts
}

#[derive(Debug, Default)]
struct Run {
    sent: Vec<usize>,
    skipped: Vec<usize>,
    interrupted: Vec<usize>,
    ambiguous: Vec<usize>,
}

async fn run(client: &Client, journal: &Journal, n: usize, stop_after: Option<usize>) -> Run {
    let mut sending = client
        .send_all((0..n).map(|i| (i, message(i))))
        .concurrency(16)
        .journal(journal.clone());
    let mut run = Run::default();
    while let Some((i, result)) = sending.next().await {
        match result {
            Ok(a) if a.from_journal() => run.skipped.push(i),
            Ok(_) => run.sent.push(i),
            Err(Error::Transport(e)) if e.kind() == TransportErrorKind::Interrupted => {
                run.interrupted.push(i)
            }
            Err(e) if e.is_ambiguous() => run.ambiguous.push(i),
            Err(e) => panic!("message {i}: {e}"),
        }
        if stop_after.is_some_and(|stop| run.sent.len() >= stop) {
            break; // dropped below with sends in flight: a crash, as far as the journal knows
        }
    }
    run
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_skips_the_accepted_reports_the_in_flight_and_sends_the_rest() {
    let server = MockServer::start().await;
    let client = client(&server, Retry::none());
    let path = journal_path("rerun");
    let journal = Journal::open(&path).expect("journal");

    let first = run(&client, &journal, 300, Some(100)).await;
    let summary = journal.summary().expect("summary");
    assert!(summary.accepted >= 100, "{summary:?}");
    assert!(
        summary.in_flight <= 16,
        "at most the concurrency: {summary:?}"
    );

    let second = run(&client, &journal, 300, None).await;
    eprintln!(
        "first run: {} sent; second: {} sent, {} skipped, {} interrupted",
        first.sent.len(),
        second.sent.len(),
        second.skipped.len(),
        second.interrupted.len()
    );
    let mut skipped = second.skipped.clone();
    skipped.sort();
    let mut accepted_first = first.sent.clone();
    accepted_first.sort();
    // Accepted but not yet read when the first run stopped: in flight, as far as it knows.
    assert!(accepted_first.iter().all(|i| skipped.contains(i)));
    assert_eq!(
        second.sent.len() + second.skipped.len() + second.interrupted.len(),
        300
    );
    assert!(
        second.interrupted.len() <= 16,
        "{}",
        second.interrupted.len()
    );

    let counts = accepted_by_ref(&server);
    for i in 0..300 {
        let times = counts.get(&format!("m{i}")).copied().unwrap_or(0);
        if second.interrupted.contains(&i) {
            assert!(times <= 1, "m{i} accepted {times} times");
        } else {
            assert_eq!(times, 1, "m{i}");
        }
    }

    // A third run: everything was reported; the interrupted ones are "may have been sent" now.
    let third = run(&client, &journal, 300, None).await;
    assert!(
        third.sent.is_empty() && third.interrupted.is_empty(),
        "{third:?}"
    );
    assert_eq!(third.ambiguous.len(), second.interrupted.len());
    for i in &second.interrupted {
        assert_eq!(
            journal.entry(&i.to_string()).expect("entry"),
            Some(JournalEntry::MayHaveBeenSent)
        );
    }
    assert_eq!(journal.len().expect("len"), 300, "one entry per key");
    drop(journal);
    let _ = std::fs::remove_file(&path);
}

/// With `Retry::ambiguous(true)` the messages that may have been sent are sent again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_may_have_been_sent_is_resent_only_with_the_ambiguous_opt_in() {
    let server = MockServer::start().await;
    let path = journal_path("opt-in");
    let journal = Journal::open(&path).expect("journal");
    let first = run(&client(&server, Retry::none()), &journal, 200, Some(50)).await;
    let in_flight = journal.summary().expect("summary").in_flight;
    assert!(
        in_flight > 0,
        "some were in flight when it stopped ({first:?})"
    );
    let second = run(
        &client(&server, Retry::new(1).ambiguous(true)),
        &journal,
        200,
        None,
    )
    .await;
    assert!(second.interrupted.is_empty() && second.ambiguous.is_empty());
    assert_eq!(second.sent.len() + second.skipped.len(), 200);
    let summary = journal.summary().expect("summary");
    assert_eq!(summary.accepted, 200, "{summary:?}");
    drop(journal);
    let _ = std::fs::remove_file(&path);
}

/// The journal holds one entry per key of the input, however often the input is run; compact
/// gives free pages back, and needs the only handle.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn growth_is_bounded_by_the_input_and_compact_shrinks_it() {
    let server = MockServer::start().await;
    let client = client(&server, Retry::none());
    let path = journal_path("growth");
    let mut journal = Journal::open(&path).expect("journal");
    for _ in 0..3 {
        let run = run(&client, &journal, 2_000, None).await;
        assert_eq!(run.sent.len() + run.skipped.len(), 2_000);
    }
    assert_eq!(journal.len().expect("len"), 2_000);
    let clone = journal.clone();
    assert!(journal.compact().is_err(), "a clone holds it");
    drop(clone);
    let before = std::fs::metadata(&path).expect("file").len();
    journal.compact().expect("compact");
    let after = std::fs::metadata(&path).expect("file").len();
    eprintln!("journal of 2,000 keys: {before} bytes, {after} after compact");
    assert!(after <= before);
    assert_eq!(journal.len().expect("len"), 2_000);
    drop(journal);
    let _ = std::fs::remove_file(&path);
}

/// Not a timed test (nothing asserted): how long 20,000 sends take with and without the
/// journal, printed for the record; the benchmark is `kaleyra-bench/benches/journal.rs`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journaled_and_plain_send_all_report_their_durations() {
    let server = MockServer::builder().log_limit(0).start().await;
    let client = client(&server, Retry::none());
    let path = journal_path("speed");
    let journal = Journal::open(&path).expect("journal");
    let n = 20_000;
    let t = Instant::now();
    let mut sending = client.send_all((0..n).map(message)).concurrency(64);
    while sending.next().await.is_some() {}
    let plain = t.elapsed();
    let t = Instant::now();
    let mut sending = client
        .send_all((0..n).map(message))
        .concurrency(64)
        .journal(journal.clone());
    while sending.next().await.is_some() {}
    let journaled = t.elapsed();
    eprintln!("{n} sends: plain {plain:?}, journaled {journaled:?}");
    assert_eq!(journal.summary().expect("summary").accepted, n as u64);
    drop(journal);
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_dir(path.parent().expect("its folder"));
}
