//! The simulated account and the state the server and the handle share.

use std::collections::{BTreeSet, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::{ApprovedTemplate, Fault, ReceivedRequest};

/// The simulated account: fixed once the server starts.
pub(super) struct Account {
    pub(super) sid: String,
    pub(super) api_key: String,
    pub(super) sender: String,
    pub(super) waba_id: String,
    pub(super) strict: bool,
}

/// What the server and the handle share.
pub(super) struct Shared {
    pub(super) account: Account,
    pub(super) state: Mutex<State>,
    /// Posting callbacks (`callbacks.rs`).
    pub(super) callbacks: super::callbacks::Callbacks,
}

impl Shared {
    /// Locks the state; a panic elsewhere while it was held does not make it unusable.
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The state that changes while the server runs.
pub(super) struct State {
    /// The requests, each with its arrival number so that its answer can be filled in later.
    pub(super) received: Vec<(u64, ReceivedRequest)>,
    pub(super) next_seq: u64,
    pub(super) next_message_id: u64,
    pub(super) faults: VecDeque<(usize, Fault)>,
    pub(super) templates: Vec<ApprovedTemplate>,
    pub(super) flows: BTreeSet<String>,
}

impl State {
    pub(super) fn add_template(&mut self, template: ApprovedTemplate) {
        self.templates
            .retain(|t| !(t.name == template.name && t.language == template.language));
        self.templates.push(template);
    }

    /// Records a request that just arrived and takes the fault it gets, if any.
    pub(super) fn arrive(&mut self, request: ReceivedRequest) -> (u64, Option<Fault>) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.received.push((seq, request));
        let fault = match self.faults.front_mut() {
            Some((n, fault)) if *n > 1 => {
                *n -= 1;
                Some(fault.clone())
            }
            Some(_) => self.faults.pop_front().map(|(_, fault)| fault),
            None => None,
        };
        (seq, fault)
    }

    /// Fills in how request `seq` was answered (if it was not cleared meanwhile).
    pub(super) fn answered(
        &mut self,
        seq: u64,
        status: u16,
        refusal: Option<String>,
        id: Option<String>,
    ) {
        if let Some((_, request)) = self.received.iter_mut().rev().find(|(s, _)| *s == seq) {
            request.status = status;
            request.refusal = refusal;
            request.message_id = id;
        }
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

    #[test]
    fn faults_queue_up_and_count_down() {
        let mut state = State {
            received: Vec::new(),
            next_seq: 0,
            next_message_id: 0,
            faults: VecDeque::from([(2, Fault::LowBalance), (1, Fault::DropConnection)]),
            templates: Vec::new(),
            flows: BTreeSet::new(),
        };
        let request = ReceivedRequest {
            method: "POST".into(),
            path: "/".into(),
            api_key: None,
            content_type: None,
            body: Vec::new(),
            json: None,
            status: 0,
            refusal: None,
            message_id: None,
        };
        let faults: Vec<_> = (0..4).map(|_| state.arrive(request.clone()).1).collect();
        assert_eq!(
            faults,
            [
                Some(Fault::LowBalance),
                Some(Fault::LowBalance),
                Some(Fault::DropConnection),
                None
            ]
        );
        state.answered(2, 0, Some("dropped".into()), None);
        assert_eq!(state.received[2].1.refusal.as_deref(), Some("dropped"));
        assert_eq!(state.message_id(), "A0000000000000000001");
        assert_eq!(state.message_id(), "A0000000000000000002");
    }
}
