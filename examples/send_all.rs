//! Sending many: 400 one-time passwords through `Client::send_all` to the Kaleyra simulator,
//! at 200 messages a second, while the simulator fails every 40th request (a WA500, a WA429 with
//! Retry-After, an HTML 502 from a proxy, low balance, in turn). Safe failures are retried, the
//! others are reported once each; then the client's counters and the simulator's ledger.
//!
//! ```sh
//! cargo run --example send_all      # no configuration: a few seconds
//! ```

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use kaleyra::mock::{Fault, FaultPlan, MockServer};
use kaleyra::prelude::*;
use kaleyra::{RateLimit, Retry, Route};

/// The approved authentication template `auth1`.
#[derive(Template)]
#[template(name = "auth1", kind = otp, lang = "en_US")]
struct LoginCode {
    #[template(otp)]
    code: Otp,
}

/// A customer to send a code to.
struct Customer {
    id: u32,
    phone: String,
    code: String,
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let server = MockServer::builder()
        .ledger(true)
        .faults(FaultPlan::every(
            40,
            [
                Fault::server_error(),
                Fault::rate_limited(Some(Duration::from_secs(1))),
                Fault::bad_gateway_html(),
                Fault::LowBalance,
            ],
        ))
        .start()
        .await;
    let client = Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .rate_limit(RateLimit::per_second(200))
        .retry(Retry::new(3).backoff(Duration::from_millis(100)))
        .build()?;

    // The input is pulled lazily: a database cursor would do as well as this iterator.
    let customers = (0..400u32).map(|id| Customer {
        id,
        phone: format!("+9198765{id:05}"),
        code: format!("{:06}", (id * 7919) % 1_000_000),
    });
    let build = |c: &Customer| -> Result<Message, Error> {
        let code = Otp::new(&c.code)?;
        Ok(LoginCode { code }
            .to(&c.phone)?
            .extra_info(ExtraInfo::new().reference(format!("customer{}", c.id))))
    };
    let messages = customers.map(|c| (c.id, build(&c)));
    // A message that fails validation never reaches send_all; keep its error with its key.
    let mut invalid = Vec::new();
    let valid = messages.filter_map(|(id, m)| match m {
        Ok(m) => Some((id, m)),
        Err(e) => {
            invalid.push((id, e));
            None
        }
    });

    let started = Instant::now();
    let mut sending = client.send_all(valid).concurrency(64);
    let mut failures: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut accepted = 0;
    while let Some((customer, result)) = sending.next().await {
        match result {
            Ok(_) => accepted += 1,
            Err(e) => {
                let what = if e.is_ambiguous() {
                    format!("may have been sent, not retried: {e}")
                } else {
                    format!("not sent: {e}")
                };
                failures.entry(what).or_default().push(customer);
            }
        }
    }
    drop(sending);
    let elapsed = started.elapsed();

    println!(
        "sent 400 messages in {:.1} s: {accepted} accepted",
        elapsed.as_secs_f64()
    );
    for (what, mut customers) in failures {
        customers.sort_unstable();
        println!("  {} {what} (customers {customers:?})", customers.len());
    }
    for (id, e) in &invalid {
        println!("  customer {id}: invalid: {e}");
    }
    // Each WA429 halved the rate for the sender and paused it for the Retry-After; it climbs
    // back to the configured 200 a second over the following seconds.
    println!(
        "rate now: {:.0} messages a second",
        client.current_rate(Route::Sender).unwrap_or_default()
    );
    let stats = client.stats();
    println!(
        "client counters: {} sent, {} accepted, {} failed, {} retried, {} rate limited",
        stats.sent, stats.accepted, stats.failed, stats.retried, stats.throttled
    );
    for (kind, n) in stats.failures() {
        println!("  failed with {kind:?}: {n}");
    }
    let counts = server.counts();
    let ledger = server.ledger();
    println!(
        "simulator: {} requests, {} faults injected, {} messages accepted; {} messages received \
         twice (each after a fault that is safe to retry), {} accepted twice",
        counts.requests,
        counts.faults,
        counts.accepted,
        ledger.received_twice,
        ledger.accepted_twice
    );
    assert_eq!(ledger.accepted_twice, 0);
    Ok(())
}
