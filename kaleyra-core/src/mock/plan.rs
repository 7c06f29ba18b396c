//! Faults at a rate ([`MockServer::inject`](super::MockServer::inject)): every Nth request, or a
//! seeded random share of them, for load tests.

use super::Fault;

/// Which requests get a fault, and which faults they get, in turn.
///
/// Requests are numbered from 1 in the order they arrive (every path, refused ones included).
/// A plan is deterministic: the same numbers get the same faults for the same plan, so a
/// failing run can be replayed. Faults queued with [`MockServer::fail_next`](super::MockServer::fail_next)
/// come first; a plan applies to the requests they leave alone.
///
/// ```
/// use std::time::Duration;
/// use kaleyra::mock::{Fault, FaultPlan};
///
/// // Requests 50, 100, 150…: a WA500, then an HTML 502, then a reset, then again.
/// let plan = FaultPlan::every(50, [Fault::server_error(), Fault::bad_gateway_html(), Fault::DropConnection]);
/// assert_eq!(plan.fault_for(50), Some(Fault::server_error()));
/// assert_eq!(plan.fault_for(150), Some(Fault::DropConnection));
/// assert_eq!(plan.fault_for(51), None);
///
/// // About 2% of requests, chosen by a seeded hash of their number.
/// let plan = FaultPlan::random(0.02, 7, [Fault::rate_limited(Some(Duration::from_secs(1)))]);
/// let hit = (1..=100_000).filter(|n| plan.fault_for(*n).is_some()).count();
/// assert!((1_800..2_200).contains(&hit));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FaultPlan {
    pick: Pick,
    faults: Vec<Fault>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Pick {
    Every(u64),
    /// A request is hit when its hash is below `threshold` (a share of `u64::MAX`).
    Random {
        threshold: u64,
        seed: u64,
    },
}

impl FaultPlan {
    /// Requests `n`, `2n`, `3n`… get `faults` in turn (cycling). `n == 0` or no faults: none.
    pub fn every(n: u64, faults: impl IntoIterator<Item = Fault>) -> FaultPlan {
        FaultPlan {
            pick: Pick::Every(n),
            faults: faults.into_iter().collect(),
        }
    }

    /// Each request gets a fault with probability `share` (clamped to 0–1), chosen by a hash
    /// of `seed` and its number; the fault is chosen from `faults` by another part of the hash.
    pub fn random(share: f64, seed: u64, faults: impl IntoIterator<Item = Fault>) -> FaultPlan {
        let share = if share.is_nan() {
            0.0
        } else {
            share.clamp(0.0, 1.0)
        };
        // Saturating float-to-int conversion: 1.0 gives u64::MAX.
        let threshold = (share * u64::MAX as f64) as u64;
        FaultPlan {
            pick: Pick::Random { threshold, seed },
            faults: faults.into_iter().collect(),
        }
    }

    /// The fault request number `n` (from 1) gets, if any.
    pub fn fault_for(&self, n: u64) -> Option<Fault> {
        if self.faults.is_empty() {
            return None;
        }
        let len = self.faults.len() as u64;
        let index = match self.pick {
            Pick::Every(0) => return None,
            Pick::Every(every) => {
                if n == 0 || !n.is_multiple_of(every) {
                    return None;
                }
                (n / every - 1) % len
            }
            Pick::Random { threshold, seed } => {
                let hit = splitmix64(seed ^ n);
                if hit >= threshold {
                    return None;
                }
                splitmix64(hit) % len
            }
        };
        usize::try_from(index)
            .ok()
            .and_then(|i| self.faults.get(i))
            .cloned()
    }
}

/// A good 64-bit mix (Steele, Lea and Flood's SplitMix64 finalizer).
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_nth_cycles_through_the_faults() {
        let plan = FaultPlan::every(3, [Fault::LowBalance, Fault::DropConnection]);
        let got: Vec<_> = (1..=12).map(|n| plan.fault_for(n)).collect();
        assert_eq!(
            got,
            [
                None,
                None,
                Some(Fault::LowBalance),
                None,
                None,
                Some(Fault::DropConnection),
                None,
                None,
                Some(Fault::LowBalance),
                None,
                None,
                Some(Fault::DropConnection),
            ]
        );
        assert_eq!(FaultPlan::every(0, [Fault::LowBalance]).fault_for(5), None);
        assert_eq!(FaultPlan::every(1, []).fault_for(1), None);
    }

    #[test]
    fn random_shares_are_seeded_and_about_right() {
        let faults = [Fault::LowBalance, Fault::DropConnection];
        let plan = FaultPlan::random(0.1, 42, faults.clone());
        let hits: Vec<_> = (1..=10_000).filter_map(|n| plan.fault_for(n)).collect();
        assert!((900..1100).contains(&hits.len()), "{}", hits.len());
        let drops = hits.iter().filter(|f| **f == Fault::DropConnection).count();
        assert!((400..600).contains(&drops), "{drops}");
        // Same seed, same requests; another seed, others.
        let again: Vec<_> = (1..=10_000).filter_map(|n| plan.fault_for(n)).collect();
        assert_eq!(hits, again);
        let other = FaultPlan::random(0.1, 43, faults.clone());
        assert!((1..=10_000).any(|n| plan.fault_for(n) != other.fault_for(n)));
        assert_eq!(FaultPlan::random(0.0, 1, faults.clone()).fault_for(9), None);
        assert!(
            FaultPlan::random(1.0, 1, faults.clone())
                .fault_for(9)
                .is_some()
        );
        assert_eq!(FaultPlan::random(f64::NAN, 1, faults).fault_for(9), None);
    }
}
