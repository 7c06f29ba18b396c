//! The client's rate limit: messages per second per sender, paced by a token bucket that slows
//! down when Kaleyra or WhatsApp answers "too many requests", and recovers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use crate::layout::Route;

/// How fast a [`Client`](crate::Client) may send: messages per second for each sender (the
/// business number of the `{sender}` route, and the `{waba_id}` route, each with its own
/// bucket), or [`RateLimit::off`].
///
/// The default is WhatsApp's default throughput for a business number, 80 messages per second
/// (Meta raises it to 1,000 on request). The limit applies to [`Client::send`](crate::Client::send)
/// and [`Client::send_all`](crate::Client::send_all) alike, and clones of a client share it.
///
/// It is a token bucket (GCRA): requests start at most `per_second` a second, evenly spaced,
/// and up to `burst` of them may start at once after a quiet spell. The promise holds for the
/// instants requests actually start (not only for the slots handed out): in any interval of
/// `t` seconds at most `per_second × t + burst − 1` requests start, so with the default burst
/// of 1 no one-second window ever holds more than `per_second`. A waiter that wakes late (a
/// busy thread, a coarse timer) does not release the slots it missed all at once: they are
/// spread after it, about half an interval apart, and may catch up (the window is checked
/// against the last `per_second + burst − 1` starts; above 16,384 a second, starts are held a
/// full interval apart instead). A send cancelled while it waits gives its slot back.
///
/// When a request is answered `WA429`, `130429` or HTTP `429`, the sender's rate halves (down to
/// one message a second), nothing more starts for that sender until the server's `Retry-After`
/// has passed (one second if it gave none), and the rate then climbs back by the configured rate
/// every ten seconds: from half back to full in five seconds. That pause is bounded: it lasts at
/// most [`RateLimit::max_wait`] (default 60 s) and at most the client's
/// [`Retry::max_retry_after`](crate::Retry::max_retry_after), however long the server asked.
///
/// No send waits longer than [`RateLimit::max_wait`] for its slot: one whose slot is further
/// away fails at once with a [`TransportErrorKind::NotSent`](crate::TransportErrorKind::NotSent)
/// error (nothing was sent; retryable, its `retry_after` the time until the slot).
///
/// ```
/// use kaleyra::RateLimit;
///
/// assert_eq!(RateLimit::default(), RateLimit::per_second(80));
/// let fast = RateLimit::per_second(1_000).burst(10);
/// assert_eq!((fast.messages_per_second(), fast.burst_size()), (Some(1_000), 10));
/// assert_eq!(RateLimit::off().messages_per_second(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// 0: off.
    per_second: u32,
    burst: u32,
    max_wait: Duration,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit::per_second(RateLimit::WHATSAPP_DEFAULT)
    }
}

impl RateLimit {
    /// WhatsApp's default throughput for a business number: 80 messages per second.
    pub const WHATSAPP_DEFAULT: u32 = 80;

    /// The default [`RateLimit::max_wait`]: 60 seconds (as [`Retry`](crate::Retry)'s
    /// `max_retry_after`).
    pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(60);

    /// At most `messages` a second per sender, evenly spaced (burst 1). `0` turns the limit off.
    pub const fn per_second(messages: u32) -> RateLimit {
        RateLimit {
            per_second: messages,
            burst: 1,
            max_wait: RateLimit::DEFAULT_MAX_WAIT,
        }
    }

    /// No limit: requests start as fast as the concurrency allows, and `WA429` answers do not
    /// slow anything down (retries still wait as [`Retry`](crate::Retry) says).
    pub const fn off() -> RateLimit {
        RateLimit::per_second(0)
    }

    /// How many requests may start at once after a quiet spell (at least 1, the default).
    pub const fn burst(mut self, messages: u32) -> RateLimit {
        self.burst = if messages == 0 { 1 } else { messages };
        self
    }

    /// The longest a send waits for its slot (default 60 s), and the longest pause after "too
    /// many requests" whatever `Retry-After` said. A send whose slot is further away fails at
    /// once with [`TransportErrorKind::NotSent`](crate::TransportErrorKind::NotSent) instead of
    /// waiting: raise it for long queues at a low rate.
    ///
    /// ```
    /// use std::time::Duration;
    /// use kaleyra::RateLimit;
    ///
    /// let limit = RateLimit::per_second(10).max_wait(Duration::from_secs(5));
    /// assert_eq!(limit.longest_wait(), Duration::from_secs(5));
    /// ```
    pub const fn max_wait(mut self, max: Duration) -> RateLimit {
        self.max_wait = max;
        self
    }

    /// The longest a send waits for its slot ([`RateLimit::max_wait`]).
    pub const fn longest_wait(&self) -> Duration {
        self.max_wait
    }

    /// The messages per second, or `None` when off.
    pub const fn messages_per_second(&self) -> Option<u32> {
        if self.per_second == 0 {
            None
        } else {
            Some(self.per_second)
        }
    }

    /// The burst size.
    pub const fn burst_size(&self) -> u32 {
        self.burst
    }
}

/// Never slower than this, however often the server says "too many" (the shared limiter of
/// feature `redis` too).
pub(crate) const MIN_RATE: f64 = 1.0;
/// After a slowdown the rate climbs back by the configured rate over this period.
pub(crate) const RECOVERY: Duration = Duration::from_secs(10);
/// The pause after "too many requests" when the server gives no `Retry-After`.
pub(crate) const DEFAULT_PAUSE: Duration = Duration::from_secs(1);
/// The window of the promise: no such window holds more than the rate plus the burst minus one
/// starts.
const WINDOW: Duration = Duration::from_secs(1);
/// How far behind its schedule of half intervals a late start may be and still go at once:
/// about two ticks of Tokio's 1 ms timer, whose rounding would otherwise make every waiter
/// refused by a few microseconds sleep a whole tick (at 1,000 a second that lost a quarter of
/// the rate). The window log still caps every second.
const TIMER_SLACK: Duration = Duration::from_millis(2);
/// The most starts remembered to keep that promise (16 bytes each, per route). Above it (a
/// limit over 16,384 a second), starts are held a full interval apart instead, which keeps
/// the promise too but lets no late start catch up.
const LOG_MAX: usize = 16_384;

/// The buckets of one client (and its clones): one per route.
#[derive(Debug)]
pub(crate) struct Limiter {
    sender: Bucket,
    waba: Bucket,
    /// The longest a send waits for its slot.
    max_wait: Duration,
    /// Feature `redis`: the buckets are kept in Redis, shared with the other clients of the
    /// number ([`SharedLimit`](crate::scale::SharedLimit)); the local ones are then unused.
    #[cfg(feature = "redis")]
    shared: Option<crate::scale::limit::Shared>,
}

/// The right to start one request, and the slowdown round it was granted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Permit {
    generation: u64,
}

#[cfg_attr(not(feature = "redis"), allow(dead_code))]
impl Permit {
    pub(crate) fn new(generation: u64) -> Permit {
        Permit { generation }
    }

    pub(crate) fn generation(self) -> u64 {
        self.generation
    }
}

/// Why a send may not start.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// Its slot is further away than `max_wait` (by this much).
    Wait(Duration),
    /// The shared limit's store could not be reached: fail closed.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    Unavailable(crate::Error),
}

impl Limiter {
    /// A limiter, or `None` when the limit is off. Pauses after "too many requests" last at
    /// most the limit's `max_wait`.
    pub(crate) fn new(limit: RateLimit) -> Option<Limiter> {
        limit.messages_per_second()?;
        Some(Limiter {
            sender: Bucket::new(limit, limit.max_wait),
            waba: Bucket::new(limit, limit.max_wait),
            max_wait: limit.max_wait,
            #[cfg(feature = "redis")]
            shared: None,
        })
    }

    /// The same limiter keeping its buckets in Redis instead (feature `redis`).
    #[cfg(feature = "redis")]
    pub(crate) fn with_shared(mut self, shared: crate::scale::limit::Shared) -> Limiter {
        self.shared = Some(shared);
        self
    }

    /// The longest pause after "too many requests".
    #[cfg(feature = "redis")]
    pub(crate) fn max_pause(&self) -> Duration {
        self.sender.max_pause
    }

    /// Waits until a request on `route` may start, locally or on the shared limit: the
    /// request path's entry ([`Limiter::acquire`] is the local bucket's).
    pub(crate) async fn start(&self, route: Route) -> Result<Permit, Refusal> {
        #[cfg(feature = "redis")]
        if let Some(shared) = &self.shared {
            return shared.acquire(route, self.max_wait).await;
        }
        self.acquire(route).await.map_err(Refusal::Wait)
    }

    /// "Too many requests" to a request started with `permit`, locally or on the shared limit
    /// ([`Limiter::throttled`] is the local bucket's). Returns whether it slowed down.
    pub(crate) async fn slow_down(
        &self,
        route: Route,
        permit: Permit,
        wait: Option<Duration>,
    ) -> bool {
        #[cfg(feature = "redis")]
        if let Some(shared) = &self.shared {
            return shared.throttled(route, permit, wait).await;
        }
        self.throttled(route, permit, wait)
    }

    /// The same limiter with its pauses also bounded by `max` (the retry policy's
    /// `max_retry_after`).
    pub(crate) fn with_max_pause(mut self, max: Duration) -> Limiter {
        for bucket in [&mut self.sender, &mut self.waba] {
            bucket.max_pause = bucket.max_pause.min(max);
        }
        self
    }

    /// The longest a send waits for its slot.
    pub(crate) fn max_wait(&self) -> Duration {
        self.max_wait
    }

    fn bucket(&self, route: Route) -> &Bucket {
        match route {
            Route::Sender => &self.sender,
            Route::Waba => &self.waba,
        }
    }

    /// Waits until a request on `route` may start; or, if that is more than `max_wait` away,
    /// returns at once how far away it is (nothing is reserved).
    pub(crate) async fn acquire(&self, route: Route) -> Result<Permit, Duration> {
        let deadline = Instant::now().checked_add(self.max_wait);
        self.bucket(route).acquire(deadline).await
    }

    /// The server said "too many" to a request started with `permit`: slow the route down,
    /// once per round (answers to requests started before the last slowdown are ignored).
    /// Returns whether it slowed down.
    pub(crate) fn throttled(&self, route: Route, permit: Permit, wait: Option<Duration>) -> bool {
        self.bucket(route).throttled(permit, wait, Instant::now())
    }

    /// The route's current rate, in messages per second.
    pub(crate) fn current_rate(&self, route: Route) -> f64 {
        #[cfg(feature = "redis")]
        if let Some(shared) = &self.shared {
            return shared.current_rate(route);
        }
        self.bucket(route)
            .lock()
            .rate(self.bucket(route).configured, Instant::now())
    }
}

#[derive(Debug)]
struct Bucket {
    configured: f64,
    burst: u32,
    /// How many starts a window may hold (the configured rate plus the burst minus one), when
    /// it is small enough to remember that many; `None`: starts spaced a full interval.
    window: Option<usize>,
    /// The longest pause after "too many requests".
    max_pause: Duration,
    /// Bumped by each slowdown; read without the lock by waiters that wake up.
    generation: AtomicU64,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// The theoretical arrival time of the next reservation (GCRA); `None` before the first.
    /// Waiters sleep until their reserved slot: this spreads their wake-ups.
    tat: Option<Instant>,
    /// The same over the instants requests were actually let through, at half the interval
    /// (a full one without a window log): a waiter woken late may catch up, but the slots a
    /// late timer missed are spread rather than released at once.
    started: Option<Instant>,
    /// The last `window` starts, oldest first: the promise is kept on these, whatever the
    /// timers did.
    log: std::collections::VecDeque<Instant>,
    /// The last slowdown: when sending resumes, and the rate it resumes at.
    slowed: Option<(Instant, f64)>,
}

impl State {
    /// The rate now: the configured one, or climbing back to it after a slowdown.
    fn rate(&mut self, configured: f64, now: Instant) -> f64 {
        let Some((at, rate)) = self.slowed else {
            return configured;
        };
        let climbed = rate
            + configured * now.saturating_duration_since(at).as_secs_f64() / RECOVERY.as_secs_f64();
        if climbed >= configured {
            self.slowed = None;
            configured
        } else {
            climbed
        }
    }
}

/// What [`Bucket::reserve`] gives: a permit now, or a slot to sleep until.
enum Grant {
    Now(Permit),
    Later(Slot),
}

/// A reserved slot: when to wake, in which round, and the interval it took from the schedule.
#[derive(Debug, Clone, Copy)]
struct Slot {
    at: Instant,
    generation: u64,
    interval: Duration,
}

/// Gives a waiter's slot back to the schedule if it is dropped before it starts.
struct Held<'a> {
    bucket: &'a Bucket,
    slot: Option<Slot>,
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        if let Some(slot) = self.slot.take() {
            self.bucket.give_back(slot);
        }
    }
}

impl Bucket {
    fn new(limit: RateLimit, max_pause: Duration) -> Bucket {
        let most = limit.per_second.max(1) as usize + limit.burst.max(1) as usize - 1;
        Bucket {
            configured: f64::from(limit.per_second.max(1)),
            burst: limit.burst.max(1),
            window: (most <= LOG_MAX).then_some(most),
            max_pause,
            generation: AtomicU64::new(0),
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The interval between requests at `rate`, and how far ahead of its slot a request may
    /// start (the burst).
    fn spacing(&self, rate: f64) -> (Duration, Duration) {
        let interval = Duration::from_secs_f64(1.0 / rate);
        (interval, interval.saturating_mul(self.burst - 1))
    }

    async fn acquire(&self, deadline: Option<Instant>) -> Result<Permit, Duration> {
        loop {
            let slot = match self.reserve(Instant::now(), deadline)? {
                Grant::Now(permit) => return Ok(permit),
                Grant::Later(slot) => slot,
            };
            let mut held = Held {
                bucket: self,
                slot: Some(slot),
            };
            let mut at = slot.at;
            loop {
                tokio::time::sleep_until(at).await;
                // A slowdown while this waited voids its slot: take a new one at the new rate.
                if self.generation.load(Ordering::Acquire) != slot.generation {
                    break;
                }
                match self.admit(Instant::now(), slot.generation) {
                    Ok(permit) => {
                        held.slot = None;
                        return Ok(permit);
                    }
                    // Woken with others (a late timer): the next start is later.
                    Err(next) => {
                        if deadline.is_some_and(|d| next > d) {
                            return Err(next.saturating_duration_since(Instant::now()));
                        }
                        at = next;
                    }
                }
            }
            // The slot belonged to a round that is over: nothing to give back.
            held.slot = None;
        }
    }

    /// A permit now, or a slot reserved for later; or, when the slot would be past
    /// `deadline`, how far away it is (nothing reserved). Slots are handed out at exact
    /// intervals, so that waking up late does not slow the rate; [`Bucket::admit`] then keeps
    /// the starts themselves spaced.
    fn reserve(&self, now: Instant, deadline: Option<Instant>) -> Result<Grant, Duration> {
        let mut state = self.lock();
        let generation = self.generation.load(Ordering::Acquire);
        let rate = state.rate(self.configured, now);
        let (interval, tolerance) = self.spacing(rate);
        let tat = state.tat.unwrap_or(now);
        let slot = tat.checked_sub(tolerance).unwrap_or(now).max(now);
        let at = slot.max(self.admitted_at(&state, now, tolerance));
        if deadline.is_some_and(|d| at > d) {
            return Err(at - now);
        }
        state.tat = Some(tat.max(now) + interval);
        if at <= now {
            self.record_start(&mut state, now, interval);
            Ok(Grant::Now(Permit { generation }))
        } else {
            Ok(Grant::Later(Slot {
                at,
                generation,
                interval,
            }))
        }
    }

    /// A waiter whose slot has come: let it start if the starts so far leave room, or say
    /// when there will be room.
    fn admit(&self, now: Instant, generation: u64) -> Result<Permit, Instant> {
        let mut state = self.lock();
        if self.generation.load(Ordering::Acquire) != generation {
            // A slowdown just now: the caller sees it at once and takes a new slot.
            return Err(now);
        }
        let rate = state.rate(self.configured, now);
        let (interval, tolerance) = self.spacing(rate);
        let allowed = self.admitted_at(&state, now, tolerance);
        if now >= allowed {
            self.record_start(&mut state, now, interval);
            Ok(Permit { generation })
        } else {
            Err(allowed)
        }
    }

    /// The earliest a request may start (at least `now`), given the actual starts so far: an
    /// interval after the last (half of one when the window log keeps the promise, so that a
    /// late start may catch up), and never a start more than the window holds.
    fn admitted_at(&self, state: &State, now: Instant, tolerance: Duration) -> Instant {
        // With a window log, late starts may run a little ahead of the half-interval schedule.
        let slack = match self.window {
            Some(_) => tolerance + TIMER_SLACK,
            None => tolerance,
        };
        let spread = state
            .started
            .and_then(|started| started.checked_sub(slack))
            .unwrap_or(now);
        let window = match self.window {
            // The oldest of the last `most` starts must have left the window.
            Some(most) if state.log.len() >= most => state.log[state.log.len() - most] + WINDOW,
            _ => now,
        };
        spread.max(window).max(now)
    }

    /// A request starts now.
    fn record_start(&self, state: &mut State, now: Instant, interval: Duration) {
        let step = match self.window {
            Some(_) => interval / 2,
            None => interval,
        };
        state.started = Some(state.started.unwrap_or(now).max(now) + step);
        if let Some(most) = self.window {
            if state.log.len() == most {
                state.log.pop_front();
            }
            state.log.push_back(now);
        }
    }

    /// A waiter gave up before its slot: the schedule moves back by the interval it took, so
    /// that cancelled sends do not push everyone else's slots ahead. (A later waiter may then
    /// be given the same instant as an earlier one; [`Bucket::admit`] still spaces them.)
    fn give_back(&self, slot: Slot) {
        let mut state = self.lock();
        if self.generation.load(Ordering::Acquire) != slot.generation {
            return;
        }
        if let Some(tat) = state.tat {
            state.tat = Some(tat.checked_sub(slot.interval).unwrap_or(tat));
        }
    }

    fn throttled(&self, permit: Permit, wait: Option<Duration>, now: Instant) -> bool {
        let mut state = self.lock();
        if self.generation.load(Ordering::Acquire) != permit.generation {
            return false;
        }
        let rate = (state.rate(self.configured, now) / 2.0)
            .max(MIN_RATE)
            .min(self.configured);
        // Nothing starts before the pause is over (bounded, whatever the server asked); then
        // at most the burst at once, and the rate climbs back from there.
        let pause = wait.unwrap_or(DEFAULT_PAUSE).min(self.max_pause);
        let resume = now + pause;
        state.slowed = Some((resume, rate));
        let (_, tolerance) = self.spacing(rate);
        state.tat = Some(resume + tolerance);
        state.started = Some(resume + tolerance);
        self.generation.fetch_add(1, Ordering::AcqRel);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// The start times of `n` requests taken back to back, relative to the first call.
    async fn starts(limiter: &Limiter, n: usize) -> Vec<Duration> {
        let t0 = Instant::now();
        let mut out = Vec::new();
        for _ in 0..n {
            let _ = limiter.acquire(Route::Sender).await;
            out.push(Instant::now() - t0);
        }
        out
    }

    #[test]
    fn settings() {
        assert!(Limiter::new(RateLimit::off()).is_none());
        assert_eq!(RateLimit::per_second(5).burst(0).burst_size(), 1);
        assert_eq!(RateLimit::per_second(0), RateLimit::off());
    }

    #[tokio::test(start_paused = true)]
    async fn requests_are_evenly_spaced() {
        let limiter = Limiter::new(RateLimit::per_second(100)).unwrap();
        let times = starts(&limiter, 5).await;
        assert_eq!(times, [ms(0), ms(10), ms(20), ms(30), ms(40)]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_starts_at_once_then_the_rate_applies() {
        let limiter = Limiter::new(RateLimit::per_second(100).burst(3)).unwrap();
        let times = starts(&limiter, 5).await;
        assert_eq!(times, [ms(0), ms(0), ms(0), ms(10), ms(20)]);
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_waiters_get_consecutive_slots() {
        let limiter = std::sync::Arc::new(Limiter::new(RateLimit::per_second(1000)).unwrap());
        let t0 = Instant::now();
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move {
                    let _ = limiter.acquire(Route::Sender).await;
                    Instant::now() - t0
                })
            })
            .collect();
        let mut times = Vec::new();
        for task in tasks {
            times.push(task.await.unwrap());
        }
        times.sort();
        let expected: Vec<_> = (0..20).map(ms).collect();
        assert_eq!(times, expected);
    }

    #[tokio::test(start_paused = true)]
    async fn any_second_holds_at_most_the_rate() {
        let limiter = Limiter::new(RateLimit::per_second(50)).unwrap();
        let times = starts(&limiter, 200).await;
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..]
                .iter()
                .take_while(|u| **u < *t + ms(1000))
                .count();
            assert!(
                in_window <= 50,
                "{in_window} starts in the second from {t:?}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn routes_have_their_own_buckets() {
        let limiter = Limiter::new(RateLimit::per_second(1)).unwrap();
        let t0 = Instant::now();
        let _ = limiter.acquire(Route::Sender).await;
        let _ = limiter.acquire(Route::Waba).await;
        assert_eq!(Instant::now() - t0, Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn too_many_requests_halves_the_rate_pauses_and_recovers() {
        let limiter = Limiter::new(RateLimit::per_second(100)).unwrap();
        let permit = limiter.acquire(Route::Sender).await.unwrap();
        assert!(limiter.throttled(Route::Sender, permit, Some(ms(2000))));
        // A second answer from the same round does not slow down again.
        assert!(!limiter.throttled(Route::Sender, permit, None));
        assert_eq!(limiter.current_rate(Route::Sender), 50.0);

        let t0 = Instant::now();
        let times = starts(&limiter, 3).await;
        // Nothing before Retry-After; then 50 a second (20 ms apart), climbing back.
        assert_eq!(times[0], ms(2000));
        assert!(times[1] - times[0] >= ms(17) && times[1] - times[0] <= ms(20));
        tokio::time::sleep_until(t0 + ms(7000)).await;
        assert_eq!(limiter.current_rate(Route::Sender), 100.0);

        // Without Retry-After: a one-second pause; and never below one a second.
        for _ in 0..20 {
            let permit = limiter.acquire(Route::Sender).await.unwrap();
            limiter.throttled(Route::Sender, permit, None);
        }
        assert!(limiter.current_rate(Route::Sender) >= MIN_RATE);
    }

    #[tokio::test(start_paused = true)]
    async fn a_slowdown_voids_the_slots_already_reserved() {
        let limiter = std::sync::Arc::new(Limiter::new(RateLimit::per_second(10)).unwrap());
        let first = limiter.acquire(Route::Sender).await.unwrap();
        let t0 = Instant::now();
        // This waiter reserved the slot at 100 ms before the slowdown.
        let waiter = {
            let limiter = limiter.clone();
            tokio::spawn(async move {
                let _ = limiter.acquire(Route::Sender).await;
                Instant::now() - t0
            })
        };
        tokio::task::yield_now().await;
        assert!(limiter.throttled(Route::Sender, first, Some(ms(500))));
        assert_eq!(waiter.await.unwrap(), ms(500));
    }

    /// Whether any window `[t, t + 1 s)` starting at a start holds more than `most` starts.
    fn busiest_second(times: &[Duration]) -> usize {
        let mut sorted = times.to_vec();
        sorted.sort();
        let mut busiest = 0;
        let mut end = 0;
        for (start, t) in sorted.iter().enumerate() {
            while end < sorted.len() && sorted[end] < *t + ms(1000) {
                end += 1;
            }
            busiest = busiest.max(end - start);
        }
        busiest
    }

    /// Waiters that take their slots concurrently: the time each actually starts.
    fn spawn_waiters(
        limiter: &std::sync::Arc<Limiter>,
        n: usize,
        t0: Instant,
    ) -> Vec<tokio::task::JoinHandle<Duration>> {
        (0..n)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move {
                    let _ = limiter.acquire(Route::Sender).await;
                    Instant::now() - t0
                })
            })
            .collect()
    }

    /// A timer that wakes late (the clock jumps 50 ms at once, as when the thread was busy):
    /// the slots it missed are spread after it, not released together, so no one-second
    /// window of actual starts holds more than the rate (burst 1), nor more than the rate plus
    /// the burst minus one with a burst.
    #[tokio::test(start_paused = true)]
    async fn slots_missed_by_a_late_wake_up_are_spread_not_bunched() {
        for (rate, burst) in [(500, 1), (100, 5)] {
            let limiter = std::sync::Arc::new(
                Limiter::new(RateLimit::per_second(rate).burst(burst)).unwrap(),
            );
            let t0 = Instant::now();
            let waiters = spawn_waiters(&limiter, (rate * 2) as usize, t0);
            for _ in 0..3 {
                tokio::task::yield_now().await;
            }
            tokio::time::advance(ms(50)).await;
            let mut times = Vec::new();
            for waiter in waiters {
                times.push(waiter.await.unwrap());
            }
            let busiest = busiest_second(&times);
            assert!(
                busiest <= (rate + burst - 1) as usize,
                "{rate}/s burst {burst}: {busiest} starts in one second"
            );
            // Spread, and still at the rate: all of them within about two seconds.
            times.sort();
            assert!(*times.last().unwrap() <= ms(2100), "{:?}", times.last());
        }
    }

    /// Sends that give up while waiting for a slot give it back: after fifty of them, the
    /// next send starts when it would have without them.
    #[tokio::test(start_paused = true)]
    async fn cancelled_waiters_give_their_slots_back() {
        let limiter = std::sync::Arc::new(Limiter::new(RateLimit::per_second(10)).unwrap());
        let _ = limiter.acquire(Route::Sender).await;
        let t0 = Instant::now();
        for _ in 0..50 {
            let waited = tokio::time::timeout(ms(1), limiter.acquire(Route::Sender)).await;
            assert!(waited.is_err(), "a slot is 100 ms away");
        }
        let _ = limiter.acquire(Route::Sender).await;
        assert_eq!(Instant::now() - t0, ms(100));

        // One cancelled in the middle of the queue (slots 100, 200, 300 ms): the schedule moves
        // back, so a newcomer is given 300 ms as the third waiter is; the two are spread (half
        // an interval apart less the timer slack, as late starts catching up are), never
        // released together.
        let t0 = Instant::now();
        let mut waiters = spawn_waiters(&limiter, 3, t0);
        tokio::task::yield_now().await;
        waiters.remove(1).abort();
        tokio::task::yield_now().await;
        waiters.extend(spawn_waiters(&limiter, 1, t0));
        let mut times = Vec::new();
        for waiter in waiters {
            times.push(waiter.await.unwrap());
        }
        times.sort();
        assert_eq!(times, [ms(100), ms(300), ms(348)]);
    }

    /// A slot more than `max_wait` away is not waited for: the send learns at once how far it
    /// is, and nothing is reserved.
    #[tokio::test(start_paused = true)]
    async fn a_slot_beyond_max_wait_fails_at_once() {
        let limiter = Limiter::new(RateLimit::per_second(1).max_wait(ms(2000))).unwrap();
        let t0 = Instant::now();
        for expected in [0, 1000, 2000] {
            limiter.acquire(Route::Sender).await.unwrap();
            assert_eq!(Instant::now() - t0, ms(expected));
        }
        // The next slot is at 3 s: 1 s away, within the bound.
        let t1 = Instant::now();
        let mut waiters: Vec<_> = (0..4)
            .map(|_| Box::pin(limiter.acquire(Route::Sender)))
            .collect();
        let mut refused = Vec::new();
        // Reserve them one after the other without waiting: poll each once, keep them alive.
        for (i, waiter) in waiters.iter_mut().enumerate() {
            match futures_util::FutureExt::now_or_never(waiter.as_mut()) {
                Some(Err(wait)) => refused.push((i, wait)),
                Some(Ok(_)) => panic!("no slot is free now"),
                None => {}
            }
        }
        // Slots at 1 s and 2 s from now are held (the futures are kept alive); the third,
        // 3 s away, is refused, and so is the fourth, since the third reserved nothing.
        assert_eq!(refused, [(2, ms(3000)), (3, ms(3000))]);
        assert_eq!(Instant::now(), t1);
        drop(waiters);
    }

    /// However long the server asks to pause, the pause lasts at most `max_wait` (and the
    /// retry policy's bound when the client sets one).
    #[tokio::test(start_paused = true)]
    async fn the_pause_after_too_many_requests_is_bounded() {
        let limiter = Limiter::new(RateLimit::per_second(100).max_wait(ms(5000))).unwrap();
        let permit = limiter.acquire(Route::Sender).await.unwrap();
        let t0 = Instant::now();
        assert!(limiter.throttled(Route::Sender, permit, Some(Duration::from_secs(86_400))));
        let _ = limiter.acquire(Route::Sender).await.unwrap();
        assert_eq!(Instant::now() - t0, ms(5000));

        let limiter = Limiter::new(RateLimit::per_second(100))
            .unwrap()
            .with_max_pause(ms(300));
        let permit = limiter.acquire(Route::Sender).await.unwrap();
        let t0 = Instant::now();
        assert!(limiter.throttled(Route::Sender, permit, Some(Duration::from_secs(86_400))));
        let _ = limiter.acquire(Route::Sender).await.unwrap();
        assert_eq!(Instant::now() - t0, ms(300));
    }
}
