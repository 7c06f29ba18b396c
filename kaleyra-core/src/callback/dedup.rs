//! Handing each event over once: Kaleyra redelivers a callback it thinks failed, so the receiver
//! remembers which (message id, status) pairs and which incoming messages it has handed to the
//! handler.
//!
//! A key moves from absent to *in progress* when a delivery claims it, then to *done* when the
//! handler succeeded, or back to absent when it failed (so that the redelivery gets through).

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use super::content::IncomingMessage;
use super::status::Status;
use super::template::TemplateStatus;

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
/// callbacks, so that a redelivery to another instance is recognized too. Receivers in one
/// process share a store through an [`Arc`], which is a store too (`Receiver::dedup` shows how).
///
/// Keys are built by [`status_key`], [`message_key`] and [`template_status_key`]:
/// `"status/<id>/<status>"` (e.g. `"status/A0000000000000000001/delivered"`), `"message/<id>"`
/// and `"template/<id>"` (or `"template/<template id>/<event>/<time>"`), each part escaped; an
/// event without an id has no key and is never deduplicated.
///
/// # Claims that are never finished
///
/// The receiver completes or releases every key it claimed, even when the request is dropped
/// half-way (the client hung up, a timeout layer, a shutdown): what is left is finished in a
/// task spawned on the current runtime. That cannot cover a process that dies (a crash, a
/// `kill -9`, a runtime shut down before the task ran) or a `claim` dropped while the store was
/// answering it, so a store that outlives the process **must expire its in-progress claims**
/// (e.g. Redis `SET key 1 NX PX 300000`, longer than a handler may take): a claim left in
/// progress forever answers every redelivery of that event `503`, and the event never reaches
/// the handler. Done keys may expire too, later (Kaleyra's redeliveries come within hours).
///
/// `complete` and `release` may be called again for a key whose earlier call was dropped before
/// it returned: both must be idempotent, and a `release` of a key that is done must leave it
/// done.
pub trait DedupStore: Send + Sync + 'static {
    /// Claims `key`: [`Claim::New`] marks it in progress.
    fn claim(&self, key: &str) -> impl Future<Output = Claim> + Send;

    /// Marks a claimed key as handed over.
    fn complete(&self, key: &str) -> impl Future<Output = ()> + Send;

    /// Forgets a claimed key (the handler failed; the redelivery must get through).
    fn release(&self, key: &str) -> impl Future<Output = ()> + Send;
}

/// One store shared by several receivers (several routes, or several routers in one process).
impl<S: DedupStore> DedupStore for Arc<S> {
    fn claim(&self, key: &str) -> impl Future<Output = Claim> + Send {
        (**self).claim(key)
    }

    fn complete(&self, key: &str) -> impl Future<Output = ()> + Send {
        (**self).complete(key)
    }

    fn release(&self, key: &str) -> impl Future<Output = ()> + Send {
        (**self).release(key)
    }
}

/// Appends `part` with `%` and `/` percent-encoded, so that the parts of a key are told apart
/// whatever they hold (`"a/b"` + `"sent"` is not `"a"` + `"b/sent"`).
fn push_escaped(key: &mut String, part: &str) {
    for c in part.chars() {
        match c {
            '%' => key.push_str("%25"),
            '/' => key.push_str("%2F"),
            c => key.push(c),
        }
    }
}

/// The key of a status: `"status/<id>/<status>"`, each part escaped (`%` and `/`
/// percent-encoded); `None` when the id is empty: a status without an id is never deduplicated
/// (two of them may be about different messages).
pub fn status_key(status: &Status<'_>) -> Option<String> {
    if status.id.is_empty() {
        return None;
    }
    let state = status.state.as_str();
    let mut key = String::with_capacity(8 + status.id.len() + state.len());
    key.push_str("status/");
    push_escaped(&mut key, &status.id);
    key.push('/');
    push_escaped(&mut key, state);
    Some(key)
}

/// The key of an incoming message: `"message/<id>"`, the id escaped (`%` and `/`
/// percent-encoded); `None` when the id is empty: a message without an id is never
/// deduplicated.
pub fn message_key(message: &IncomingMessage<'_>) -> Option<String> {
    if message.id.is_empty() {
        return None;
    }
    let mut key = String::with_capacity(8 + message.id.len());
    key.push_str("message/");
    push_escaped(&mut key, &message.id);
    Some(key)
}

/// The key of a template status: `"template/<id>"` when Kaleyra gives the callback's `id`,
/// otherwise `"template/<message_template_id>/<event>/<time>"`, each part escaped (`%` and `/`
/// percent-encoded); `None` when neither an id nor a template id is given.
pub fn template_status_key(status: &TemplateStatus<'_>) -> Option<String> {
    let mut key = String::from("template/");
    match status.id.as_deref().filter(|id| !id.is_empty()) {
        Some(id) => push_escaped(&mut key, id),
        None => {
            if status.message_template_id.is_empty() {
                return None;
            }
            push_escaped(&mut key, &status.message_template_id);
            key.push('/');
            push_escaped(&mut key, status.event.as_str());
            key.push('/');
            push_escaped(&mut key, status.time.as_deref().unwrap_or(""));
        }
    }
    Some(key)
}

/// A bounded in-memory [`DedupStore`]: remembers the last `capacity` keys handed over (default
/// 100,000, about 10 MB), forgetting the oldest first. A redelivery of an event older than that
/// is handed over again.
///
/// A key in progress (its handler is running) is never forgotten, so that a redelivery during
/// the handler waits for it (`503`) instead of reaching the handler a second time: while more
/// than `capacity` events are being handled at once, the store holds more than `capacity` keys.
#[derive(Debug)]
pub struct MemoryStore {
    capacity: usize,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Key -> done (false: in progress).
    keys: HashMap<Box<str>, bool>,
    /// The done keys, in the order they were completed: the eviction order. Keys in progress
    /// are not in it, so they cannot be evicted and a release has nothing to remove from it.
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

    /// How many keys it remembers now (done and in progress).
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
        // Only done keys are evicted; with every key in progress the store grows past its
        // capacity (bounded by the requests being handled).
        while inner.keys.len() >= self.capacity {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            if inner.keys.get(&oldest) == Some(&true) {
                inner.keys.remove(&oldest);
            }
        }
        inner.keys.insert(key.into(), false);
        Claim::New
    }
}

impl DedupStore for MemoryStore {
    async fn claim(&self, key: &str) -> Claim {
        self.claim_now(key)
    }

    async fn complete(&self, key: &str) {
        let mut guard = self.lock();
        let inner = &mut *guard;
        if let Some(done) = inner.keys.get_mut(key)
            && !*done
        {
            *done = true;
            inner.order.push_back(key.into());
        }
    }

    async fn release(&self, key: &str) {
        let mut inner = self.lock();
        // Only a key in progress is released: a done key stays done (and in the eviction order).
        if inner.keys.get(key) == Some(&false) {
            inner.keys.remove(key);
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

    fn keys_of(body: &str) -> Vec<Option<String>> {
        let callback = super::super::Callback::from_str(body).unwrap();
        callback
            .statuses()
            .iter()
            .map(status_key)
            .chain(callback.messages().iter().map(message_key))
            .collect()
    }

    /// Issue 18: an empty id was a key like any other, and keys were not namespaced.
    #[test]
    fn keys_are_namespaced_escaped_and_absent_without_an_id() {
        let keys = keys_of(
            r#"{"meta_object": {"value": {"statuses": [
                {"id": "A1", "status": "DELIVERED"}, {"id": "wamid.X", "status": "message"},
                {"id": "a/b", "status": "sent"}, {"id": "a", "status": "b/sent"},
                {"id": "a%2Fb", "status": "sent"}, {"status": "sent"}, {"id": "", "status": "read"}],
            "messages": [{"id": "wamid.X"}, {"id": "b/message"}, {"type": "text"}]}}}"#,
        );
        let keys: Vec<_> = keys.iter().map(Option::as_deref).collect();
        assert_eq!(
            keys,
            [
                Some("status/A1/delivered"),
                Some("status/wamid.X/message"),
                Some("status/a%2Fb/sent"),
                Some("status/a/b%2Fsent"),
                Some("status/a%252Fb/sent"),
                None,
                None,
                Some("message/wamid.X"),
                Some("message/b%2Fmessage"),
                None,
            ]
        );
    }

    /// Issue 18: evicting a key in progress let the same event reach the handler twice.
    #[test]
    fn keys_in_progress_are_never_evicted() {
        let store = MemoryStore::new(2);
        assert_eq!(block_on(store.claim("slow")), Claim::New); // its handler is still running
        for key in ["1", "2", "3"] {
            assert_eq!(block_on(store.claim(key)), Claim::New);
            block_on(store.complete(key));
        }
        assert_eq!(
            block_on(store.claim("slow")),
            Claim::InProgress,
            "a redelivery while the first is being handled waits"
        );
        assert_eq!(
            block_on(store.claim("3")),
            Claim::Done,
            "the newest done key stays"
        );
        assert_eq!(
            block_on(store.claim("1")),
            Claim::New,
            "the oldest done key went"
        );
        // Past the capacity only while that many are in progress.
        block_on(store.complete("slow"));
        block_on(store.complete("1"));
        assert!(store.len() <= 3, "{}", store.len());
    }

    /// Issue 18: release scanned the whole eviction list under the lock. Keys in progress are
    /// not in that list at all, so release has nothing to scan.
    #[test]
    fn keys_in_progress_are_not_in_the_eviction_list() {
        let store = MemoryStore::new(1000);
        for i in 0..100 {
            assert_eq!(block_on(store.claim(&i.to_string())), Claim::New);
        }
        assert_eq!(store.lock().order.len(), 0);
        for i in 0..50 {
            block_on(store.complete(&i.to_string()));
        }
        for i in 50..100 {
            block_on(store.release(&i.to_string()));
        }
        assert_eq!(store.lock().order.len(), 50);
        assert_eq!(store.len(), 50);
        // A release of a key already done changes nothing (only claims are released).
        block_on(store.release("0"));
        assert_eq!(block_on(store.claim("0")), Claim::Done);
    }
}
