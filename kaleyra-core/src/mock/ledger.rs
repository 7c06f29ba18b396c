//! The ledger ([`MockServerBuilder::ledger`](super::MockServerBuilder::ledger)): every message
//! body the simulator received, by a 64-bit digest, with how each receipt was answered, so that
//! a test can prove no message was sent (or accepted) twice, in runs too long to keep every
//! request.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::FaultKind;

/// How one receipt of a message was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Receipt {
    /// The HTTP status answered; 0 if none was (the connection was dropped).
    pub status: u16,
    /// Whether the message was accepted (a `message_id` was issued), even if the answer did
    /// not reach the client ([`Fault::ResetMidBody`](super::Fault::ResetMidBody),
    /// [`Fault::SlowAnswer`](super::Fault::SlowAnswer)).
    pub accepted: bool,
    /// The fault injected into this receipt, if any.
    pub fault: Option<FaultKind>,
}

impl Receipt {
    /// A receipt (for comparing with [`Repeat::receipts`]).
    pub fn new(status: u16, accepted: bool, fault: Option<FaultKind>) -> Receipt {
        Receipt {
            status,
            accepted,
            fault,
        }
    }
}

/// A message body received more than once, and each receipt in the order they were decided.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Repeat {
    /// The body.
    pub body: Vec<u8>,
    /// Every receipt, the first included.
    pub receipts: Vec<Receipt>,
}

impl Repeat {
    /// How many receipts were accepted.
    pub fn accepted(&self) -> usize {
        self.receipts.iter().filter(|r| r.accepted).count()
    }
}

/// Totals of the ledger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LedgerSummary {
    /// Distinct message bodies received.
    pub messages: u64,
    /// Message requests received (a message received twice counts twice).
    pub receipts: u64,
    /// Distinct bodies received more than once.
    pub received_twice: u64,
    /// Distinct bodies accepted more than once.
    pub accepted_twice: u64,
}

/// About 40 bytes per distinct body; the body itself is kept only for repeats.
#[derive(Debug, Default)]
pub(super) struct Ledger {
    entries: HashMap<u64, Entry>,
    repeated: HashMap<u64, Vec<u8>>,
    receipts: u64,
}

#[derive(Debug)]
struct Entry {
    first: Receipt,
    more: Vec<Receipt>,
}

impl Ledger {
    /// The digest a body is filed under (SipHash with fixed keys: the same in every run).
    pub(super) fn digest(body: &[u8]) -> u64 {
        let mut hasher = DefaultHasher::new();
        body.hash(&mut hasher);
        hasher.finish()
    }

    pub(super) fn record(&mut self, digest: u64, receipt: Receipt, body: &[u8]) {
        self.receipts += 1;
        match self.entries.get_mut(&digest) {
            None => {
                self.entries.insert(
                    digest,
                    Entry {
                        first: receipt,
                        more: Vec::new(),
                    },
                );
            }
            Some(entry) => {
                entry.more.push(receipt);
                self.repeated.entry(digest).or_insert_with(|| body.to_vec());
            }
        }
    }

    pub(super) fn summary(&self) -> LedgerSummary {
        let mut summary = LedgerSummary {
            messages: self.entries.len() as u64,
            receipts: self.receipts,
            ..LedgerSummary::default()
        };
        for digest in self.repeated.keys() {
            summary.received_twice += 1;
            if self.entries.get(digest).is_some_and(|e| e.accepted() > 1) {
                summary.accepted_twice += 1;
            }
        }
        summary
    }

    pub(super) fn repeats(&self) -> Vec<Repeat> {
        self.repeated
            .iter()
            .filter_map(|(digest, body)| {
                let entry = self.entries.get(digest)?;
                let mut receipts = vec![entry.first];
                receipts.extend_from_slice(&entry.more);
                Some(Repeat {
                    body: body.clone(),
                    receipts,
                })
            })
            .collect()
    }
}

impl Entry {
    fn accepted(&self) -> usize {
        usize::from(self.first.accepted) + self.more.iter().filter(|r| r.accepted).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_found_with_their_receipts() {
        let mut ledger = Ledger::default();
        let ok = Receipt {
            status: 202,
            accepted: true,
            fault: None,
        };
        let failed = Receipt {
            status: 500,
            accepted: false,
            fault: Some(FaultKind::Status(500)),
        };
        let (a, b, c) = (&b"a"[..], &b"b"[..], &b"c"[..]);
        ledger.record(Ledger::digest(a), ok, a);
        ledger.record(Ledger::digest(b), failed, b);
        ledger.record(Ledger::digest(b), ok, b);
        ledger.record(Ledger::digest(c), ok, c);
        ledger.record(Ledger::digest(c), ok, c);
        let summary = ledger.summary();
        assert_eq!(
            (
                summary.messages,
                summary.receipts,
                summary.received_twice,
                summary.accepted_twice
            ),
            (3, 5, 2, 1)
        );
        let mut repeats = ledger.repeats();
        repeats.sort_by(|x, y| x.body.cmp(&y.body));
        assert_eq!(repeats[0].body, b"b");
        assert_eq!(repeats[0].receipts, [failed, ok]);
        assert_eq!(repeats[1].accepted(), 2);
        assert_eq!(Ledger::digest(a), Ledger::digest(b"a"));
    }
}
