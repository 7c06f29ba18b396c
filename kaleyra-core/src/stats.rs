//! Counters of what a client sent and how it ended ([`Client::stats`](crate::Client::stats)).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::error::{ApiErrorKind, Error, TransportErrorKind};

/// What kind of error a message ended with, for counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FailureKind {
    /// [`Error::Validation`] (and [`Error::File`], which a message send never gives).
    Validation,
    /// [`Error::Config`].
    Config,
    /// [`Error::Api`], by kind.
    Api(ApiErrorKind),
    /// [`Error::Transport`], by kind.
    Transport(TransportErrorKind),
    /// [`Error::Decode`].
    Decode,
    /// The send was dropped before it ended (its `send` future, or the [`SendAll`](crate::SendAll)
    /// it belonged to): whether Kaleyra accepted it is unknown.
    Cancelled,
}

impl FailureKind {
    /// The kind of an error.
    pub fn of(error: &Error) -> FailureKind {
        match error {
            Error::Validation(_) | Error::File(_) | Error::InvalidTemplate(_) => {
                FailureKind::Validation
            }
            Error::Config(_) => FailureKind::Config,
            Error::Api(e) => FailureKind::Api(e.kind()),
            Error::Transport(e) => FailureKind::Transport(e.kind()),
            Error::Decode(_) | Error::Callback(_) => FailureKind::Decode,
        }
    }
}

/// A snapshot of a client's counters, shared by its clones, since it was built.
///
/// Every message given to [`Client::send`](crate::Client::send) or
/// [`Client::send_all`](crate::Client::send_all) counts once in `sent`, and once in `accepted` or
/// `failed` when it ends, however many requests it took: `sent == accepted + failed + in_flight()`.
///
/// ```
/// # async fn run(client: kaleyra::Client) {
/// use kaleyra::{ApiErrorKind, FailureKind};
///
/// let stats = client.stats();
/// println!(
///     "{} sent, {} accepted, {} failed ({} rate limited), {} retries",
///     stats.sent,
///     stats.accepted,
///     stats.failed,
///     stats.failed_with(FailureKind::Api(ApiErrorKind::RateLimited)),
///     stats.retried,
/// );
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Messages given to `send` or `send_all`.
    pub sent: u64,
    /// Messages Kaleyra accepted.
    pub accepted: u64,
    /// Messages that ended with an error (see [`Stats::failures`]).
    pub failed: u64,
    /// Requests sent again after a failure ([`Retry`](crate::Retry)).
    pub retried: u64,
    /// "Too many requests" answers (`WA429`, `130429`, HTTP `429`), retried or not; each may
    /// have slowed the rate limiter down.
    pub throttled: u64,
    failures: Vec<(FailureKind, u64)>,
}

impl Stats {
    /// Messages that ended with this kind of error.
    pub fn failed_with(&self, kind: FailureKind) -> u64 {
        self.failures
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    }

    /// The failed messages by kind of error, in the order the kinds first occurred.
    pub fn failures(&self) -> &[(FailureKind, u64)] {
        &self.failures
    }

    /// Messages sent but not ended yet.
    pub fn in_flight(&self) -> u64 {
        self.sent.saturating_sub(self.accepted + self.failed)
    }
}

/// The live counters: atomics for the common path, a lock only for failures.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    sent: AtomicU64,
    accepted: AtomicU64,
    failed: AtomicU64,
    retried: AtomicU64,
    throttled: AtomicU64,
    failures: Mutex<Vec<(FailureKind, u64)>>,
}

impl Counters {
    pub(crate) fn sent(&self) {
        self.sent.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn accepted(&self) {
        self.accepted.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn retried(&self) {
        self.retried.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn throttled(&self) {
        self.throttled.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn failed(&self, error: &Error) {
        self.failed_as(FailureKind::of(error));
    }

    pub(crate) fn failed_as(&self, kind: FailureKind) {
        {
            let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
            match failures.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, n)) => *n += 1,
                None => failures.push((kind, 1)),
            }
        }
        // After the kind, so that a snapshot never shows more failures than kinds add up to.
        self.failed.fetch_add(1, Ordering::Release);
    }

    pub(crate) fn snapshot(&self) -> Stats {
        // `failed` before the kinds: the kinds then add up to at least `failed`.
        let failed = self.failed.load(Ordering::Acquire);
        let accepted = self.accepted.load(Ordering::Relaxed);
        let failures = self
            .failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        Stats {
            // Read last, so that `sent >= accepted + failed` in every snapshot.
            sent: self.sent.load(Ordering::Relaxed).max(accepted + failed),
            accepted,
            failed,
            retried: self.retried.load(Ordering::Relaxed),
            throttled: self.throttled.load(Ordering::Relaxed),
            failures,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ApiError, ConfigError};

    #[test]
    fn counts_add_up() {
        let counters = Counters::default();
        for _ in 0..4 {
            counters.sent();
        }
        counters.accepted();
        let limited = Error::Api(ApiError::new(429, "WA429", "", Vec::new(), ""));
        counters.throttled();
        counters.retried();
        counters.failed(&limited);
        counters.failed(&limited);
        counters.failed(&ConfigError::new("sender", "is not set").into());
        let stats = counters.snapshot();
        assert_eq!(
            (stats.sent, stats.accepted, stats.failed, stats.in_flight()),
            (4, 1, 3, 0)
        );
        assert_eq!((stats.retried, stats.throttled), (1, 1));
        assert_eq!(
            stats.failed_with(FailureKind::Api(ApiErrorKind::RateLimited)),
            2
        );
        assert_eq!(stats.failed_with(FailureKind::Config), 1);
        assert_eq!(stats.failed_with(FailureKind::Decode), 0);
        assert_eq!(stats.failures().len(), 2);
    }
}
