//! [`RedisStore`]: the callback receivers' dedup store on Redis, shared by every instance.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use redis::Script;
use redis::aio::ConnectionManager;

use crate::Error;
use crate::callback::{Claim, DedupStore};

/// How long a claim lasts unless it is completed or released first: 5 minutes, longer than a
/// handler should take (the claim of an instance that died is forgotten after it, and the
/// redelivery is handed over).
pub const DEFAULT_CLAIM_TTL: Duration = Duration::from_secs(300);

/// How long a handed-over event is remembered: 24 hours (Kaleyra redelivers within hours).
pub const DEFAULT_DONE_TTL: Duration = Duration::from_secs(24 * 3600);

/// The value of a key whose event was handed over; a claim's value is its token.
const DONE: &str = "done";

/// Claims a key: absent -> the caller's token with the claim's expiry (0, new); the token of
/// a claim -> 1 (in progress); done -> 2.
const CLAIM: &str = r"
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 0
end
if v == 'done' then return 2 end
return 1
";

/// Forgets a claim only if it is still the caller's (its token): never another instance's
/// claim taken after the caller's expired, never a done key.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// A [`DedupStore`] on Redis, for receivers behind a load balancer: the same callback posted
/// to two instances is handed over once, whichever gets it first.
///
/// - A claim is `SET key <token> NX PX <claim ttl>` (in one script with the check of what is
///   there): it expires, so the claim of an instance killed in its handler does not block the
///   event: the redelivery after [`RedisStore::claim_ttl`] (default [`DEFAULT_CLAIM_TTL`]) is
///   handed over.
/// - `complete` marks the key done for [`RedisStore::done_ttl`] (default [`DEFAULT_DONE_TTL`]);
///   `release` deletes the key only while it still holds this store's token (a script), so a
///   late release never frees another instance's claim nor a done key. Both are idempotent.
/// - Keys are the receiver's (`status/<id>/<state>`, `message/<id>`) under a prefix, default
///   `"kaleyra:dedup:"`.
///
/// **When Redis cannot be reached** (down, a timeout), a claim answers [`Claim::New`]: the
/// event is handed over rather than dropped or refused, at the risk of handing it over twice
/// (a handler must tolerate that anyway: Kaleyra's delivery is at least once). Each such
/// failure is logged (`tracing` warning) and counted ([`RedisStore::failures`]);
/// [`RedisStore::try_claim`] gives the typed error to whoever wants to decide otherwise. A
/// failed `complete` or `release` is logged and counted too: the claim then expires by
/// itself.
///
/// ```no_run
/// # async fn run() -> Result<(), kaleyra::Error> {
/// use std::time::Duration;
/// use kaleyra::callback::{Auth, Callback, Receiver};
/// use kaleyra::scale::RedisStore;
///
/// // Every instance behind the load balancer connects to the same Redis.
/// let store = RedisStore::connect("redis://127.0.0.1:6379")
///     .await?
///     .claim_ttl(Duration::from_secs(120));
/// let app: axum::Router = Receiver::new(
///     Auth::header("x-kaleyra-secret", "a-long-shared-secret")?,
///     |callback: Callback<'static>| async move {
///         println!("{} statuses", callback.statuses().len());
///         Ok::<(), std::convert::Infallible>(())
///     },
/// )
/// .dedup(store)
/// .into_router();
/// # let _ = app; Ok(()) }
/// ```
pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    claim_ttl: Duration,
    done_ttl: Duration,
    claim: Script,
    release: Script,
    /// This store's id: the tokens of its claims start with it.
    id: u64,
    next: AtomicU64,
    /// The token of each claim this store holds, until it is completed or released.
    held: Mutex<HashMap<String, String>>,
    failures: AtomicU64,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("claim_ttl", &self.claim_ttl)
            .field("done_ttl", &self.done_ttl)
            .field("failures", &self.failures())
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// The longest any Redis command waits before it counts as a failure: 2 s.
    pub const TIMEOUT: Duration = Duration::from_secs(2);

    /// Connects to the Redis at `url` (`redis://host:port/db`, `rediss://` for TLS through
    /// rustls). Fails with [`Error::Config`] for a URL that is not one, and with a
    /// [`TransportErrorKind::NotSent`](crate::TransportErrorKind::NotSent) error when the server
    /// does not answer. After that the connection is re-established by itself.
    pub async fn connect(url: &str) -> Result<RedisStore, Error> {
        let connection = super::connect(url, Self::TIMEOUT).await?;
        let seed = std::collections::hash_map::RandomState::new();
        Ok(RedisStore {
            connection,
            prefix: "kaleyra:dedup:".into(),
            claim_ttl: DEFAULT_CLAIM_TTL,
            done_ttl: DEFAULT_DONE_TTL,
            claim: Script::new(CLAIM),
            release: Script::new(RELEASE),
            id: seed.hash_one(std::process::id()),
            next: AtomicU64::new(0),
            held: Mutex::new(HashMap::new()),
            failures: AtomicU64::new(0),
        })
    }

    /// How long a claim lasts unless completed or released (default [`DEFAULT_CLAIM_TTL`], at
    /// least 1 ms): longer than a handler may take, or a slow handler's event can be handed
    /// over a second time by another instance.
    pub fn claim_ttl(mut self, ttl: Duration) -> Self {
        self.claim_ttl = ttl.max(Duration::from_millis(1));
        self
    }

    /// How long a handed-over event is remembered (default [`DEFAULT_DONE_TTL`], at least 1 ms).
    pub fn done_ttl(mut self, ttl: Duration) -> Self {
        self.done_ttl = ttl.max(Duration::from_millis(1));
        self
    }

    /// The prefix of its Redis keys (default `"kaleyra:dedup:"`): give each application its
    /// own when they share a Redis.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How many Redis commands failed since it was connected (each claim that failed was
    /// handed over).
    pub fn failures(&self) -> u64 {
        self.failures.load(Ordering::Relaxed)
    }

    /// Claims `key` and says what Redis knows, or the typed error when Redis cannot be reached
    /// (a [`TransportErrorKind::NotSent`](crate::TransportErrorKind::NotSent) error). The
    /// [`DedupStore`] implementation calls this and hands the event over on an error.
    pub async fn try_claim(&self, key: &str) -> Result<Claim, Error> {
        let token = format!(
            "{:016x}-{}",
            self.id,
            self.next.fetch_add(1, Ordering::Relaxed)
        );
        let answer: i64 = self
            .claim
            .key(self.redis_key(key))
            .arg(&token)
            .arg(millis(self.claim_ttl))
            .invoke_async(&mut self.connection.clone())
            .await
            .map_err(|e| self.failed("claiming a callback", &e))?;
        Ok(match answer {
            0 => {
                self.lock().insert(key.to_owned(), token);
                Claim::New
            }
            2 => Claim::Done,
            _ => Claim::InProgress,
        })
    }

    fn redis_key(&self, key: &str) -> String {
        let mut full = String::with_capacity(self.prefix.len() + key.len());
        full.push_str(&self.prefix);
        full.push_str(key);
        full
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn failed(&self, what: &str, e: &redis::RedisError) -> Error {
        self.failures.fetch_add(1, Ordering::Relaxed);
        tracing::warn!(error = %e, "{what}: Redis did not answer");
        super::redis_unavailable(what, e)
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

impl DedupStore for RedisStore {
    async fn claim(&self, key: &str) -> Claim {
        // Redis lost: hand the event over rather than drop it (see the type's docs).
        self.try_claim(key).await.unwrap_or(Claim::New)
    }

    async fn complete(&self, key: &str) {
        let result: Result<(), _> = redis::cmd("SET")
            .arg(self.redis_key(key))
            .arg(DONE)
            .arg("PX")
            .arg(millis(self.done_ttl))
            .query_async(&mut self.connection.clone())
            .await;
        match result {
            // Forgotten only once done is recorded, so that a repeated call does it again.
            Ok(()) => {
                self.lock().remove(key);
            }
            Err(e) => {
                self.failed("recording a callback as handed over", &e);
            }
        }
    }

    async fn release(&self, key: &str) {
        let Some(token) = self.lock().get(key).cloned() else {
            return; // not this store's claim, or already released
        };
        let result: Result<i64, _> = self
            .release
            .key(self.redis_key(key))
            .arg(&token)
            .invoke_async(&mut self.connection.clone())
            .await;
        match result {
            Ok(_) => {
                self.lock().remove(key);
            }
            Err(e) => {
                self.failed("releasing a callback", &e);
            }
        }
    }
}
