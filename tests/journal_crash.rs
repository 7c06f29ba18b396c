//! Feature `journal`: a campaign killed with SIGKILL and restarted, five times. A child
//! process (this test binary run again, entering `crash_child`) sends 20,000 journaled
//! messages to a simulator that lives in this process (so that it outlives each kill) and
//! fails 2% of the requests (a retryable WA500, or an accepted message whose answer is cut
//! off). It is killed at five seeded random moments, restarted each time with the same
//! journal and input, and the sixth run ends. Then every message is accepted exactly once at
//! the simulator, with the id the journal recorded, except those reported "may have been
//! sent" (in flight at a crash: at most the concurrency per crash; or cut off by a fault),
//! each accepted at most once; and none is missing.

#![cfg(all(feature = "journal", feature = "mock"))]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use kaleyra::mock::{Fault, FaultPlan, MockServer};
use kaleyra::model::AuthenticationTemplate;
use kaleyra::scale::{Journal, JournalEntry};
use kaleyra::{
    Client, Error, ExtraInfo, Message, Otp, RateLimit, Retry, Template, TransportErrorKind,
};

const MESSAGES: usize = 20_000;
const CONCURRENCY: usize = 32;
const CRASHES: usize = 5;
const SEED: u64 = 0x5EED_0017;
/// Set in the child's environment: the journal's path, and the simulator's URL.
const CHILD: &str = "KALEYRA_CRASH_CHILD_JOURNAL";
const URL: &str = "KALEYRA_CRASH_CHILD_URL";

fn message(i: usize) -> Message {
    AuthenticationTemplate::new("auth1", "en_US", Otp::new("123456").expect("otp"))
        .to("+919876543210")
        .expect("recipient")
        .extra_info(ExtraInfo::new().reference(format!("m{i}")))
}

/// A small seeded generator (xorshift64*): the kill moments are the same in every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

/// The child's side: one run of the campaign, printing each message that the journal
/// reports as interrupted or ambiguous. Without the environment variable (a normal test run)
/// there is nothing to do.
#[test]
fn crash_child() {
    let (Ok(path), Ok(url)) = (std::env::var(CHILD), std::env::var(URL)) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let client = Client::builder()
            .sid(kaleyra::mock::DEFAULT_SID)
            .api_key(kaleyra::mock::DEFAULT_API_KEY)
            .base_url(url)
            .sender(kaleyra::mock::DEFAULT_SENDER)
            .rate_limit(RateLimit::off())
            .retry(Retry::new(5).backoff(Duration::from_millis(5)))
            .build()
            .expect("client");
        let journal = Journal::open(&path).expect("journal");
        let mut sending = client
            .send_all((0..MESSAGES).map(|i| (i, message(i))))
            .concurrency(CONCURRENCY)
            .journal(journal);
        let (mut sent, mut skipped) = (0, 0);
        while let Some((i, result)) = sending.next().await {
            match result {
                Ok(a) if a.from_journal() => skipped += 1,
                Ok(_) => sent += 1,
                Err(Error::Transport(e)) if e.kind() == TransportErrorKind::Interrupted => {
                    println!("JOURNAL interrupted {i}");
                }
                Err(e) if e.is_ambiguous() => println!("JOURNAL ambiguous {i}"),
                Err(e) => println!("JOURNAL failed {i} {e}"),
            }
        }
        println!("JOURNAL done sent={sent} skipped={skipped}");
    });
}

/// What one child run printed.
#[derive(Debug, Default)]
struct Report {
    interrupted: Vec<usize>,
    ambiguous: Vec<usize>,
    failed: Vec<String>,
    done: bool,
}

fn run_child(journal: &std::path::Path, url: &str, kill_after: Option<Duration>) -> Report {
    let exe = std::env::current_exe().expect("test binary");
    let mut child = Command::new(exe)
        .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, journal)
        .env(URL, url)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("child");
    let stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut report = Report::default();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            // The first line follows libtest's "test crash_child ... ".
            let Some(at) = line.find("JOURNAL ") else {
                continue;
            };
            let mut words = line[at..].split_whitespace().skip(1);
            let what = words.next();
            let number = words.next().and_then(|n| n.parse::<usize>().ok());
            match (what, number) {
                (Some("interrupted"), Some(i)) => report.interrupted.push(i),
                (Some("ambiguous"), Some(i)) => report.ambiguous.push(i),
                (Some("failed"), _) => report.failed.push(line.clone()),
                (Some("done"), _) => report.done = true,
                _ => {}
            }
        }
        report
    });
    if let Some(delay) = kill_after {
        std::thread::sleep(delay);
        child.kill().expect("SIGKILL"); // SIGKILL on Unix
    }
    let status = child.wait().expect("wait");
    let report = reader.join().expect("reader");
    if kill_after.is_none() {
        assert!(status.success(), "the last run ended: {status}");
    }
    report
}

/// Reads the simulator's log as it grows: how often each message (by its reference) was
/// accepted, and with which ids.
struct Tally {
    next: u64,
    accepted: BTreeMap<usize, Vec<String>>,
    requests: u64,
}

impl Tally {
    fn drain(&mut self, server: &MockServer) {
        let new = server.received_from(self.next);
        if let Some(first) = new.first() {
            assert_eq!(
                first.seq, self.next,
                "the log lost requests before they were read"
            );
        }
        for request in new {
            self.next = request.seq + 1;
            self.requests += 1;
            let (Some(id), Some(json)) = (request.message_id, request.json) else {
                continue;
            };
            let reference = json["extra_info"]["ref"].as_str().expect("ref");
            let i = reference[1..].parse::<usize>().expect("m<i>");
            self.accepted.entry(i).or_default().push(id);
        }
    }
}

#[test]
fn killed_five_times_the_campaign_sends_each_message_once_and_loses_none() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime.block_on(
        MockServer::builder()
            .faults(FaultPlan::random(
                0.02,
                SEED,
                [Fault::server_error(), Fault::ResetMidBody],
            ))
            .log_limit(50_000)
            .log_bytes(256 * 1024 * 1024)
            .start(),
    );
    let dir = std::env::temp_dir().join(format!("kaleyra-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("campaign.journal");
    let _ = std::fs::remove_file(&path);

    let mut tally = Tally {
        next: 0,
        accepted: BTreeMap::new(),
        requests: 0,
    };
    let mut rng = Rng(SEED);
    let mut reported: BTreeSet<usize> = BTreeSet::new();
    let mut ambiguous: BTreeSet<usize> = BTreeSet::new();
    for run in 0..=CRASHES {
        // 0.15 to 0.75 s into each of the first five runs; the sixth runs to its end.
        let kill_after = (run < CRASHES).then(|| Duration::from_millis(150 + rng.below(600)));
        let report = run_child(&path, &server.url(), kill_after);
        tally.drain(&server);
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        if run < CRASHES {
            assert!(!report.done, "run {run} ended before it was killed");
        } else {
            assert!(report.done, "the last run ended");
        }
        let new: BTreeSet<usize> = report
            .interrupted
            .iter()
            .copied()
            .filter(|i| !reported.contains(i))
            .collect();
        eprintln!(
            "run {run}: kill after {kill_after:?}; {} reported in flight at the last crash \
             ({} new), {} ambiguous; {} requests so far",
            report.interrupted.len(),
            new.len(),
            report.ambiguous.len(),
            tally.requests
        );
        assert!(
            new.len() <= CONCURRENCY,
            "at most the concurrency in flight per crash: {}",
            new.len()
        );
        reported.extend(new);
        ambiguous.extend(report.ambiguous.iter().copied());
    }
    runtime.block_on(async { tokio::time::sleep(Duration::from_millis(50)).await });
    tally.drain(&server);

    let journal = Journal::open(&path).expect("journal");
    let entries: BTreeMap<usize, JournalEntry> = journal
        .entries()
        .expect("entries")
        .into_iter()
        .map(|(k, e)| (k.parse().expect("position key"), e))
        .collect();
    assert_eq!(entries.len(), MESSAGES, "none is missing from the journal");
    let mut may_have_been_sent = 0;
    for i in 0..MESSAGES {
        let accepted = tally.accepted.get(&i).map_or(&[][..], Vec::as_slice);
        match &entries[&i] {
            JournalEntry::Accepted { message_id } => {
                assert_eq!(
                    accepted,
                    std::slice::from_ref(message_id),
                    "m{i} accepted once, as recorded"
                );
            }
            JournalEntry::MayHaveBeenSent => {
                may_have_been_sent += 1;
                assert!(
                    reported.contains(&i) || ambiguous.contains(&i),
                    "m{i} was reported"
                );
                assert!(
                    accepted.len() <= 1,
                    "m{i} accepted {} times",
                    accepted.len()
                );
            }
            JournalEntry::InFlight => panic!("m{i} still in flight after the last run"),
            other => panic!("m{i}: {other:?}"),
        }
    }
    eprintln!(
        "{CRASHES} kills: {} accepted once, {may_have_been_sent} may have been sent \
         ({} in flight at a crash, {} cut off by a fault); {} requests",
        MESSAGES - may_have_been_sent,
        reported.len(),
        ambiguous.difference(&reported).count(),
        tally.requests
    );
    assert!(reported.len() <= CRASHES * CONCURRENCY);
    let _ = std::fs::remove_dir_all(&dir);
}
