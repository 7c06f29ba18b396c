//! The simulated account and the state the server and the handle share.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::ledger::{Ledger, Receipt};
use super::received::Log;
use super::throughput::Throughput;
use super::{ApprovedTemplate, Counts, Fault, FaultKind, FaultPlan, ReceivedRequest};
use crate::catalogue::Catalogue;

/// The simulated account: fixed once the server starts.
pub(super) struct Account {
    pub(super) sid: String,
    pub(super) api_key: String,
    pub(super) sender: String,
    pub(super) waba_id: String,
    pub(super) strict: bool,
    /// Template names the catalogue does not have are accepted
    /// ([`MockServerBuilder::lenient`](super::MockServerBuilder::lenient); never when strict).
    pub(super) lenient: bool,
}

/// What the server and the handle share.
pub(super) struct Shared {
    pub(super) account: Account,
    pub(super) state: Mutex<State>,
    /// Posting callbacks (`callbacks.rs`).
    pub(super) callbacks: super::callbacks::Callbacks,
    /// The clock and the 24-hour window (`window.rs`).
    pub(super) window: super::window::Window,
    /// Uploaded media and the account's type (`media.rs`).
    pub(super) media: super::media::Store,
    /// Template review, edit history, hourly template limits (`review.rs`).
    pub(super) reviews: super::review::Reviews,
}

impl Shared {
    /// Locks the state; a panic elsewhere while it was held does not make it unusable.
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The state that changes while the server runs.
pub(super) struct State {
    /// The most recent requests, bounded in number and bytes.
    pub(super) received: Log,
    pub(super) counts: Counts,
    /// `counts.faults` by kind.
    pub(super) fault_counts: BTreeMap<FaultKind, u64>,
    pub(super) next_seq: u64,
    pub(super) next_message_id: u64,
    pub(super) faults: VecDeque<(usize, Fault)>,
    /// The account's templates: what the template route lists and sends are checked against.
    pub(super) catalogue: Catalogue,
    /// Faults at a rate, for the requests `faults` leaves alone.
    pub(super) plan: Option<FaultPlan>,
    /// The per-second limit on sends, if any.
    pub(super) throughput: Option<Throughput>,
    /// Every message body received, if asked.
    pub(super) ledger: Option<Ledger>,
    /// The account's flows and their states (`flows.rs`).
    pub(super) flows: super::flows::Flows,
}

/// What the handler needs to file a request's answer.
#[derive(Debug)]
pub(super) struct Ticket {
    pub(super) seq: u64,
    pub(super) fault: Option<Fault>,
    /// The body's digest, when the ledger is on and the request is a send.
    pub(super) digest: Option<u64>,
}

impl State {
    pub(super) fn add_template(&mut self, template: ApprovedTemplate) {
        self.catalogue
            .insert(super::catalogue::definition(&template));
    }

    /// Records a request that just arrived and takes the fault it gets, if any: a queued one
    /// first, else the plan's.
    pub(super) fn arrive(&mut self, request: ReceivedRequest) -> Ticket {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.counts.requests += 1;
        let digest = match &self.ledger {
            Some(_) if request.is_message() => Some(Ledger::digest(&request.body)),
            _ => None,
        };
        let request = ReceivedRequest { seq, ..request };
        self.counts.evicted += self.received.push(request);
        let fault = match self.faults.front_mut() {
            Some((n, fault)) if *n > 1 => {
                *n -= 1;
                Some(fault.clone())
            }
            Some(_) => self.faults.pop_front().map(|(_, fault)| fault),
            None => self.plan.as_ref().and_then(|plan| plan.fault_for(seq + 1)),
        };
        if let Some(fault) = &fault {
            self.counts.faults += 1;
            *self.fault_counts.entry(fault.kind()).or_default() += 1;
        }
        Ticket { seq, fault, digest }
    }

    /// Files how a request was answered: in the log (if it was not cleared or evicted
    /// meanwhile), the counters and the ledger. `body` is the request's, for the ledger.
    pub(super) fn answered(
        &mut self,
        ticket: &Ticket,
        status: u16,
        refusal: Option<String>,
        id: Option<String>,
        body: &[u8],
    ) {
        if status >= 400 {
            self.counts.refused += 1;
        }
        if id.is_some() {
            self.counts.accepted += 1;
        }
        if let (Some(ledger), Some(digest)) = (&mut self.ledger, ticket.digest) {
            let receipt = Receipt {
                status,
                accepted: id.is_some(),
                fault: ticket.fault.as_ref().map(Fault::kind),
            };
            ledger.record(digest, receipt, body);
        }
        self.counts.evicted += self.received.answer(ticket.seq, status, refusal, id);
    }

    /// A fresh message id: `A` and 19 digits, counting up from 1.
    pub(super) fn message_id(&mut self) -> String {
        self.next_message_id += 1;
        format!("A{:019}", self.next_message_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(log_limit: usize) -> State {
        State {
            received: Log::new(log_limit, crate::mock::DEFAULT_LOG_BYTES),
            counts: Counts::default(),
            fault_counts: BTreeMap::new(),
            next_seq: 0,
            next_message_id: 0,
            faults: VecDeque::new(),
            plan: None,
            throughput: None,
            ledger: None,
            catalogue: Catalogue::default(),
            flows: super::super::flows::Flows::default(),
        }
    }

    fn request() -> ReceivedRequest {
        ReceivedRequest {
            method: "POST".into(),
            path: "/v2/HX/whatsapp/1/messages".into(),
            query: None,
            api_key: None,
            content_type: None,
            body: b"{}".to_vec(),
            body_len: 2,
            json: None,
            status: 0,
            refusal: None,
            message_id: None,
            received_at: std::time::Instant::now(),
            seq: 0,
        }
    }

    #[test]
    fn faults_queue_up_and_count_down() {
        let mut state = state(100);
        state.faults = VecDeque::from([(2, Fault::LowBalance), (1, Fault::DropConnection)]);
        let tickets: Vec<_> = (0..4).map(|_| state.arrive(request())).collect();
        let faults: Vec<_> = tickets.iter().map(|t| t.fault.clone()).collect();
        assert_eq!(
            faults,
            [
                Some(Fault::LowBalance),
                Some(Fault::LowBalance),
                Some(Fault::DropConnection),
                None
            ]
        );
        state.answered(&tickets[2], 0, Some("dropped".into()), None, b"{}");
        let third = state
            .received
            .iter()
            .nth(2)
            .and_then(|r| r.refusal.as_deref());
        assert_eq!(third, Some("dropped"));
        assert_eq!(state.message_id(), "A0000000000000000001");
        assert_eq!(state.message_id(), "A0000000000000000002");
        assert_eq!(state.counts.faults, 3);
        assert_eq!(
            state.fault_counts,
            BTreeMap::from([(FaultKind::DropConnection, 1), (FaultKind::LowBalance, 2)])
        );
    }

    #[test]
    fn queued_faults_come_before_the_plan() {
        let mut state = state(100);
        state.plan = Some(FaultPlan::every(2, [Fault::DropConnection]));
        state.faults = VecDeque::from([(1, Fault::LowBalance)]);
        let faults: Vec<_> = (0..4).map(|_| state.arrive(request()).fault).collect();
        assert_eq!(
            faults,
            [
                Some(Fault::LowBalance),
                Some(Fault::DropConnection),
                None,
                Some(Fault::DropConnection)
            ]
        );
    }

    #[test]
    fn the_log_keeps_the_most_recent_and_counts_the_rest() {
        let mut state = state(3);
        state.ledger = Some(Ledger::default());
        let tickets: Vec<_> = (0..5).map(|_| state.arrive(request())).collect();
        for ticket in &tickets {
            state.answered(ticket, 202, None, Some("A1".into()), b"{}");
        }
        let seqs: Vec<u64> = state.received.iter().map(|r| r.seq).collect();
        assert_eq!(seqs, [2, 3, 4]);
        assert!(state.received.iter().all(|r| r.status == 202));
        assert_eq!(
            (
                state.counts.requests,
                state.counts.accepted,
                state.counts.evicted
            ),
            (5, 5, 2)
        );
        // The same body five times: one message, accepted five times.
        let summary = state
            .ledger
            .as_ref()
            .map(Ledger::summary)
            .unwrap_or_default();
        assert_eq!(
            (summary.messages, summary.receipts, summary.accepted_twice),
            (1, 5, 1)
        );

        let mut none = self::state(0);
        none.arrive(request());
        assert_eq!(none.received.len(), 0);
        assert_eq!(none.counts.evicted, 1);
    }
}
