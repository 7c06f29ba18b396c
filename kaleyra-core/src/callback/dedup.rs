//! Handing each event over once: Kaleyra redelivers a callback it thinks failed, so the receiver
//! remembers which (message id, status) pairs and which incoming messages it has handed to the
//! handler.
//!
//! A key moves from absent to *in progress* when a delivery claims it, then to *done* when the
//! handler succeeded, or back to absent when it failed (so that the redelivery gets through).

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Mutex, PoisonError};

use super::content::IncomingMessage;
use super::status::Status;

/// What a store knows about a key when a delivery claims it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Claim {
    /// Not seen before: the caller now holds it and must `complete` or `release` it.
    New,
    /// Another delivery of the same event is being handled right now.
    InProgress,
    /// Already handed over successfully.
    Done,
}

/// Where the receiver remembers what it has handed over. [`MemoryStore`] is the default;
/// implement this over a shared store (Redis, a database) when several instances receive
/// callbacks, so that a redelivery to another instance is recognized too.
///
/// Keys are `"<message id>/<status>"` for a status (e.g. `"A0000000000000000001/delivered"`)
/// and `"<wamid>/message"` for an incoming message: see [`status_key`] and [`message_key`].
pub trait DedupStore: Send + Sync + 'static {
    /// Claims `key`: [`Claim::New`] marks it in progress.
    fn claim(&self, key: &str) -> impl Future<Output = Claim> + Send;

    /// Marks a claimed key as handed over.
    fn complete(&self, key: &str) -> impl Future<Output = ()> + Send;

    /// Forgets a claimed key (the handler failed; the redelivery must get through).
    fn release(&self, key: &str) -> impl Future<Output = ()> + Send;
}

/// The key of a status: `"<id>/<status>"`.
pub fn status_key(status: &Status<'_>) -> String {
    format!("{}/{}", status.id, status.state.as_str())
}

/// The key of an incoming message: `"<id>/message"`.
pub fn message_key(message: &IncomingMessage<'_>) -> String {
    format!("{}/message", message.id)
}

/// A bounded in-memory [`DedupStore`]: remembers the last `capacity` keys (default 100,000,
/// about 10 MB), forgetting the oldest first. A redelivery of an event older than that is
/// handed over again.
#[derive(Debug)]
pub struct MemoryStore {
    capacity: usize,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Key -> done (false: in progress).
    keys: HashMap<Box<str>, bool>,
    /// Keys in the order they were first claimed, for eviction.
    order: VecDeque<Box<str>>,
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::new(100_000)
    }
}

impl MemoryStore {
    /// A store that remembers up to `capacity` keys (at least 1).
    pub fn new(capacity: usize) -> Self {
        MemoryStore {
            capacity: capacity.max(1),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// How many keys it remembers now.
    pub fn len(&self) -> usize {
        self.lock().keys.len()
    }

    /// Whether it remembers none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn claim_now(&self, key: &str) -> Claim {
        let mut inner = self.lock();
        match inner.keys.get(key) {
            Some(true) => return Claim::Done,
            Some(false) => return Claim::InProgress,
            None => {}
        }
        while inner.keys.len() >= self.capacity {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            inner.keys.remove(&oldest);
        }
        inner.keys.insert(key.into(), false);
        inner.order.push_back(key.into());
        Claim::New
    }
}

impl DedupStore for MemoryStore {
    async fn claim(&self, key: &str) -> Claim {
        self.claim_now(key)
    }

    async fn complete(&self, key: &str) {
        if let Some(done) = self.lock().keys.get_mut(key) {
            *done = true;
        }
    }

    async fn release(&self, key: &str) {
        let mut inner = self.lock();
        if inner.keys.remove(key).is_some() {
            // Released keys are recent: search from the back.
            if let Some(at) = inner.order.iter().rposition(|k| &**k == key) {
                inner.order.remove(at);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block_on<F: Future>(f: F) -> F::Output {
        // The memory store never waits: one poll completes it.
        let mut f = std::pin::pin!(f);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match f.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(v) => v,
            std::task::Poll::Pending => unreachable!("MemoryStore never waits"),
        }
    }

    #[test]
    fn claim_complete_release() {
        let store = MemoryStore::new(10);
        assert_eq!(block_on(store.claim("a/sent")), Claim::New);
        assert_eq!(block_on(store.claim("a/sent")), Claim::InProgress);
        block_on(store.complete("a/sent"));
        assert_eq!(block_on(store.claim("a/sent")), Claim::Done);
        assert_eq!(block_on(store.claim("b/sent")), Claim::New);
        block_on(store.release("b/sent"));
        assert_eq!(block_on(store.claim("b/sent")), Claim::New);
        assert_eq!(store.len(), 2);
    }

    #[test]
    fn bounded_oldest_first() {
        let store = MemoryStore::new(3);
        for key in ["1", "2", "3", "4"] {
            assert_eq!(block_on(store.claim(key)), Claim::New);
            block_on(store.complete(key));
        }
        assert_eq!(store.len(), 3);
        assert_eq!(block_on(store.claim("1")), Claim::New, "evicted");
        assert_eq!(block_on(store.claim("4")), Claim::Done);
    }
}
