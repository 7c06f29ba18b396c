//! Several instances, and sending that survives a crash (DESIGN.md, the section of that name).
//!
//! - Feature `redis`: [`RedisStore`], a callback [`DedupStore`](crate::callback::DedupStore)
//!   shared by every receiver behind a load balancer, and [`SharedLimit`], one
//!   [`RateLimit`](crate::RateLimit) shared by every client that sends from one number.
//! - Feature `journal`: [`Journal`], the record that lets
//!   [`SendAll::journal`](crate::SendAll::journal) resume a campaign after a crash without
//!   sending anything twice.
//!
//! What each does when its store is lost is a choice, stated where it is made and in RULES.md
//! ("Several instances and the send journal"): the limiter fails closed (nothing is sent), the
//! dedup store hands the event over (it is never dropped), the journal refuses to send what it
//! could not record.

#[cfg(feature = "redis")]
mod dedup;
#[cfg(feature = "journal")]
mod journal;
#[cfg(feature = "redis")]
pub(crate) mod limit;

#[cfg(feature = "redis")]
pub use dedup::{DEFAULT_CLAIM_TTL, DEFAULT_DONE_TTL, RedisStore};
#[cfg(feature = "journal")]
pub use journal::{Journal, JournalEntry, JournalSummary};
#[cfg(feature = "journal")]
pub(crate) use journal::{Lookup, Submitter, Write, Writer};
#[cfg(feature = "redis")]
pub use limit::SharedLimit;

/// A message the send journal could not record: not sent.
#[cfg(feature = "journal")]
pub(crate) fn journal_failed(why: &str) -> crate::Error {
    crate::TransportError::new(
        crate::TransportErrorKind::NotSent,
        format!("not sent: the send journal could not record it ({why})"),
    )
    .into()
}

/// A Redis failure as the library's typed error: nothing reached Kaleyra.
#[cfg(feature = "redis")]
pub(crate) fn redis_unavailable(what: &str, e: &::redis::RedisError) -> crate::Error {
    crate::TransportError::new(
        crate::TransportErrorKind::NotSent,
        format!("not sent: {what}: Redis did not answer ({e})"),
    )
    .into()
}

/// Connects to the Redis at `url` (`redis://`, `rediss://` through rustls, `redis+unix://`),
/// reconnecting by itself after a failure; every command waits at most `timeout`.
#[cfg(feature = "redis")]
pub(crate) async fn connect(
    url: &str,
    timeout: std::time::Duration,
) -> Result<::redis::aio::ConnectionManager, crate::Error> {
    let client = ::redis::Client::open(url)
        .map_err(|e| crate::ConfigError::new("Redis URL", e.to_string()))?;
    let config = ::redis::aio::ConnectionManagerConfig::new()
        .set_connection_timeout(Some(timeout))
        .set_response_timeout(Some(timeout))
        // A lost server is reported at once, not after a minute of reconnecting: the caller's
        // choice (fail closed, hand over) applies then; the manager reconnects in the
        // background for the next command.
        .set_number_of_retries(1)
        .set_max_delay(std::time::Duration::from_millis(500));
    client
        .get_connection_manager_with_config(config)
        .await
        .map_err(|e| redis_unavailable("connecting", &e))
}
