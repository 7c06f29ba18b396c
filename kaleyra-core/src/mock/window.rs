//! The 24-hour customer-service window (issue 15), and the simulator's clock.
//!
//! WhatsApp lets a business send free-form (session) messages to a customer only within 24
//! hours of the customer's last message; after that only a template is delivered, and
//! anything else fails with Meta's 131047 ("Re-engagement message"). The simulator records
//! when each customer last wrote ([`MockServer::incoming`], [`MockServer::customer_wrote`]) and,
//! for every accepted message that is not a template (text, media, location, reaction,
//! contacts, any interactive message: flows, requests, buttons, lists, CTA URL), posts a
//! `failed` status with 131047 instead of `sent`/`delivered`/`read` when that customer has not
//! written within 24 hours. The send itself is accepted (`202` with a message id), as Kaleyra
//! accepts it: WhatsApp decides later. Read receipts are not messages and are not held to the
//! window (RULES.md, "Location and address requests, contacts, the 24-hour window").
//!
//! The clock is the system clock plus an offset that [`MockServer::advance_clock`] moves
//! forward, so that a test passes a day without waiting; callbacks' timestamps use it too.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::MockServer;
use crate::rules;

/// How long after a customer's message the business may send session messages (Meta).
pub const SESSION_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// How many customers' last messages the simulator remembers: past this, those whose window
/// closed are forgotten first, then the oldest (about 60 bytes each).
pub const REMEMBERED_CUSTOMERS: usize = 100_000;

/// The clock and the customers' last messages.
#[derive(Default)]
pub(super) struct Window {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// How far the clock was advanced.
    offset: Duration,
    /// When each customer (WhatsApp id: digits without `+`) last wrote, on the simulator's
    /// clock (since the UNIX epoch).
    last_wrote: HashMap<String, Duration>,
}

impl Window {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The simulator's time since the UNIX epoch.
    pub(super) fn now(&self) -> Duration {
        let offset = self.lock().offset;
        real_now().saturating_add(offset)
    }

    /// The simulator's time in whole seconds since the UNIX epoch, as callbacks write it.
    pub(super) fn now_secs(&self) -> u64 {
        self.now().as_secs()
    }

    fn advance(&self, by: Duration) {
        let mut state = self.lock();
        state.offset = state.offset.saturating_add(by);
    }

    /// Records that the customer `number` (E.164 or digits) wrote now.
    pub(super) fn wrote(&self, number: &str) {
        let now = self.now();
        let mut state = self.lock();
        state.last_wrote.insert(wa_id(number), now);
        if state.last_wrote.len() > REMEMBERED_CUSTOMERS {
            state
                .last_wrote
                .retain(|_, wrote| now.saturating_sub(*wrote) < SESSION_WINDOW);
            while state.last_wrote.len() > REMEMBERED_CUSTOMERS {
                let oldest = state
                    .last_wrote
                    .iter()
                    .min_by_key(|(_, wrote)| **wrote)
                    .map(|(id, _)| id.clone());
                match oldest {
                    Some(id) => state.last_wrote.remove(&id),
                    None => break,
                };
            }
        }
    }

    /// Whether every recipient of `to` (one number, or several separated by commas) wrote
    /// within the last 24 hours.
    fn open(&self, to: &str) -> bool {
        let now = self.now();
        let state = self.lock();
        to.split(',').all(|number| {
            state
                .last_wrote
                .get(&wa_id(number))
                .is_some_and(|wrote| now.saturating_sub(*wrote) < SESSION_WINDOW)
        })
    }

    /// Whether the accepted message `message` (a `messaging_object`, or the WABA route's flat
    /// body) is a session message to a customer whose window is closed: it then fails with
    /// 131047. Templates never are.
    pub(super) fn closed_for(&self, message: &Value) -> bool {
        let is_session = match message.get("type").and_then(Value::as_str) {
            Some("template") => false,
            // `type` defaults to text (facts §0.2).
            _ => true,
        };
        let to = message
            .get("to")
            .and_then(Value::as_str)
            .unwrap_or_default();
        is_session && !self.open(to)
    }
}

fn real_now() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// The customer's key: the digits of a valid number, else the text without `+` and spaces.
fn wa_id(number: &str) -> String {
    rules::normalize_phone(number)
        .map(|n| n.trim_start_matches('+').to_owned())
        .unwrap_or_else(|_| number.trim().trim_start_matches('+').to_owned())
}

impl MockServer {
    /// Moves the simulator's clock forward by `by` (it starts at the system clock). The
    /// 24-hour window ([`MockServer::customer_wrote`]) and the timestamps of callbacks follow
    /// it, so a test passes a day without waiting:
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use std::time::{Duration, SystemTime};
    ///
    /// let server = kaleyra::mock::MockServer::start().await;
    /// let before = server.now();
    /// server.advance_clock(Duration::from_secs(24 * 3600 + 1));
    /// assert!(server.now() > before + Duration::from_secs(24 * 3600));
    /// # }
    /// ```
    pub fn advance_clock(&self, by: Duration) {
        self.shared.window.advance(by);
    }

    /// The simulator's clock: the system clock plus what [`MockServer::advance_clock`] added.
    pub fn now(&self) -> SystemTime {
        UNIX_EPOCH + self.shared.window.now()
    }

    /// Records that the customer `number` wrote now, without posting a callback: a
    /// conversation that began before the test. [`MockServer::incoming`] records it too.
    /// For 24 hours on the simulator's clock, session messages to that customer are
    /// delivered; after that they fail with 131047 (see [`SESSION_WINDOW`]).
    pub fn customer_wrote(&self, number: &str) {
        self.shared.window.wrote(number);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_window_is_24_hours_on_the_advanced_clock() {
        let window = Window::default();
        let text = json!({"to": "+919876543210", "type": "text"});
        let template = json!({"to": "+919876543210", "type": "template"});
        assert!(window.closed_for(&text), "nobody wrote");
        assert!(!window.closed_for(&template), "templates are never held");
        window.wrote("919876543210");
        assert!(
            !window.closed_for(&text),
            "digits and E.164 are one customer"
        );
        window.advance(SESSION_WINDOW - Duration::from_secs(1));
        assert!(!window.closed_for(&text));
        window.advance(Duration::from_secs(1));
        assert!(window.closed_for(&text), "24 hours later it is closed");
        assert!(!window.closed_for(&template));
        window.wrote("+91 98765 43210");
        assert!(!window.closed_for(&text), "a new message reopens it");
        // Several recipients: every one must have written.
        let both = json!({"to": "+919876543210,+919876543211", "type": "text"});
        assert!(window.closed_for(&both));
        window.wrote("+919876543211");
        assert!(!window.closed_for(&both));
    }

    #[test]
    fn the_remembered_customers_are_bounded() {
        let window = Window::default();
        for n in 0..REMEMBERED_CUSTOMERS + 10 {
            window.wrote(&format!("+91{n:010}"));
        }
        assert_eq!(window.lock().last_wrote.len(), REMEMBERED_CUSTOMERS);
    }
}
