//! The simulator's per-second limit ([`MockServerBuilder::rate_limit`](super::MockServerBuilder::rate_limit)):
//! past it, a send is answered `429 WA429` as Kaleyra does when too many requests arrive.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(1);

/// At most `limit` sends let through in any one-second window, for each of the two routes
/// (the sender number's and the WABA id's).
///
/// A sliding window over the sends it let through: one refused does not count against the
/// limit (RULES.md).
#[derive(Debug)]
pub(super) struct Throughput {
    limit: usize,
    sender: VecDeque<Instant>,
    waba: VecDeque<Instant>,
}

impl Throughput {
    pub(super) fn new(per_second: u32) -> Throughput {
        let limit = usize::try_from(per_second).unwrap_or(usize::MAX);
        Throughput {
            limit,
            sender: VecDeque::new(),
            waba: VecDeque::new(),
        }
    }

    /// Lets a send through, or returns how long until one would be let through.
    pub(super) fn admit(&mut self, waba: bool, now: Instant) -> Result<(), Duration> {
        let window = if waba {
            &mut self.waba
        } else {
            &mut self.sender
        };
        while window
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW)
        {
            window.pop_front();
        }
        if window.len() < self.limit {
            window.push_back(now);
            return Ok(());
        }
        let oldest = window.front().copied().unwrap_or(now);
        Err(WINDOW.saturating_sub(now.saturating_duration_since(oldest)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sliding_window_per_route() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut limit = Throughput::new(2);
        assert_eq!(limit.admit(false, t0), Ok(()));
        assert_eq!(limit.admit(false, t0 + ms(100)), Ok(()));
        assert_eq!(limit.admit(false, t0 + ms(400)), Err(ms(600)));
        // Refusals do not count; the WABA route has its own window.
        assert_eq!(limit.admit(true, t0 + ms(400)), Ok(()));
        assert_eq!(limit.admit(false, t0 + ms(1000)), Ok(()));
        assert_eq!(limit.admit(false, t0 + ms(1050)), Err(ms(50)));
        assert_eq!(limit.admit(false, t0 + ms(1100)), Ok(()));
        // Zero lets nothing through.
        assert_eq!(Throughput::new(0).admit(false, t0), Err(WINDOW));
    }
}
