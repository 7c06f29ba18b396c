//! [`Journal`]: what a [`send_all`](crate::Client::send_all) campaign has started and how each
//! message ended, in an embedded crash-safe store (redb), so that a run after a crash sends
//! nothing twice and loses nothing.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use redb::{Database, Durability, ReadableDatabase, ReadableTable, ReadableTableMetadata};

use crate::{ConfigError, Error};

/// The journal's one table: message key -> state byte, then the `message_id` for accepted.
const SENDS: redb::TableDefinition<&str, &[u8]> = redb::TableDefinition::new("kaleyra.sends");

const IN_FLIGHT: u8 = 1;
const ACCEPTED: u8 = 2;
const AMBIGUOUS: u8 = 3;

/// What the journal knows of one message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JournalEntry {
    /// Its request was about to be written to the network (or was) when the run stopped: it may
    /// have been sent.
    InFlight,
    /// Kaleyra accepted it.
    Accepted {
        /// Kaleyra's id of the message.
        message_id: String,
    },
    /// It ended "may have been sent" ([`Error::is_ambiguous`], or in flight at a crash and
    /// reported so by a later run).
    MayHaveBeenSent,
}

impl JournalEntry {
    fn decode(value: &[u8]) -> Option<JournalEntry> {
        match value.split_first()? {
            (&IN_FLIGHT, _) => Some(JournalEntry::InFlight),
            (&ACCEPTED, id) => Some(JournalEntry::Accepted {
                message_id: String::from_utf8_lossy(id).into_owned(),
            }),
            (&AMBIGUOUS, _) => Some(JournalEntry::MayHaveBeenSent),
            _ => None,
        }
    }
}

/// How many messages the journal holds in each state ([`Journal::summary`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct JournalSummary {
    /// In flight when the last run stopped.
    pub in_flight: u64,
    /// Accepted.
    pub accepted: u64,
    /// Ended "may have been sent".
    pub may_have_been_sent: u64,
}

/// The send journal: a file that records, for each message of a
/// [`send_all`](crate::Client::send_all) campaign, that it is about to be sent (durably, before
/// its request is handed to the network) and how it ended. Give it to
/// [`SendAll::journal`](crate::SendAll::journal); run the same campaign again with the same
/// journal after a crash (`kill -9`, a power cut) and it
///
/// - skips what was accepted (reported `Ok`, with [`Accepted::from_journal`](crate::Accepted::from_journal)),
/// - reports what was in flight at the crash, or ended "may have been sent", as an ambiguous
///   error ([`TransportErrorKind::Interrupted`](crate::TransportErrorKind::Interrupted) for the
///   former), sent again only with [`Retry::ambiguous`](crate::Retry::ambiguous),
/// - sends the rest (those never started, and those that failed without reaching Kaleyra).
///
/// Messages are told apart by their key in `send_all`'s input (its `Display` text): the
/// caller's key for `(key, message)` pairs (a customer id, an order number), the position
/// (`0`, `1`, …) for bare messages, which is stable only if the input is the same, in the same
/// order. Keys must be unique within a campaign.
///
/// The store is [redb](https://docs.rs/redb): copy-on-write B-trees with checksummed commits,
/// so a crash at any moment leaves the last committed state. It holds one entry per key of the
/// input (a few dozen bytes each): its size is bounded by the input, however often it is run;
/// [`Journal::compact`] gives the free pages back to the file system. One process at a time
/// opens a journal (a second `open` fails).
///
/// ```no_run
/// # async fn run(client: kaleyra::Client, rows: Vec<(u64, kaleyra::Message)>) -> Result<(), kaleyra::Error> {
/// use kaleyra::scale::Journal;
///
/// let journal = Journal::open("campaign-2026-12.journal")?;
/// let mut sending = client.send_all(rows).journal(journal.clone());
/// while let Some((customer, result)) = sending.next().await {
///     match result {
///         Ok(accepted) if accepted.from_journal() => println!("{customer}: accepted in an earlier run"),
///         Ok(accepted) => println!("{customer}: {}", accepted.message_id),
///         Err(e) if e.is_ambiguous() => println!("{customer}: may have been sent: {e}"),
///         Err(e) => println!("{customer}: not sent: {e}"),
///     }
/// }
/// println!("{:?}", journal.summary()?);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Journal {
    db: Arc<Database>,
    path: Arc<PathBuf>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// A journal failure as the library's typed error.
fn failed(what: &str, e: impl std::fmt::Display) -> Error {
    ConfigError::new("journal", format!("{what}: {e}")).into()
}

impl Journal {
    /// Opens the journal at `path`, creating it if it does not exist. Fails with
    /// [`Error::Config`] (setting `"journal"`) when the file cannot be opened or is not a
    /// journal, or is open in another process.
    pub fn open(path: impl AsRef<Path>) -> Result<Journal, Error> {
        let path = path.as_ref();
        let db = Database::create(path)
            .map_err(|e| failed(&format!("cannot open {}", path.display()), e))?;
        let txn = db.begin_write().map_err(|e| failed("cannot write", e))?;
        txn.open_table(SENDS)
            .map_err(|e| failed("not a send journal", e))?;
        txn.commit().map_err(|e| failed("cannot write", e))?;
        Ok(Journal {
            db: Arc::new(db),
            path: Arc::new(path.to_owned()),
        })
    }

    /// Its file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What it knows of the message with key `key`.
    pub fn entry(&self, key: &str) -> Result<Option<JournalEntry>, Error> {
        let txn = self.db.begin_read().map_err(|e| failed("cannot read", e))?;
        let table = txn
            .open_table(SENDS)
            .map_err(|e| failed("cannot read", e))?;
        let value = table.get(key).map_err(|e| failed("cannot read", e))?;
        Ok(value.and_then(|v| JournalEntry::decode(v.value())))
    }

    /// Every key and what it knows of it, in key order (for reports; it reads the whole file).
    pub fn entries(&self) -> Result<Vec<(String, JournalEntry)>, Error> {
        let txn = self.db.begin_read().map_err(|e| failed("cannot read", e))?;
        let table = txn
            .open_table(SENDS)
            .map_err(|e| failed("cannot read", e))?;
        let mut all = Vec::new();
        for row in table.iter().map_err(|e| failed("cannot read", e))? {
            let (key, value) = row.map_err(|e| failed("cannot read", e))?;
            if let Some(entry) = JournalEntry::decode(value.value()) {
                all.push((key.value().to_owned(), entry));
            }
        }
        Ok(all)
    }

    /// How many messages it knows of (at most the number of distinct keys ever given to it).
    pub fn len(&self) -> Result<u64, Error> {
        let txn = self.db.begin_read().map_err(|e| failed("cannot read", e))?;
        let table = txn
            .open_table(SENDS)
            .map_err(|e| failed("cannot read", e))?;
        table.len().map_err(|e| failed("cannot read", e))
    }

    /// Whether it knows of none.
    pub fn is_empty(&self) -> Result<bool, Error> {
        Ok(self.len()? == 0)
    }

    /// How many messages it holds in each state.
    pub fn summary(&self) -> Result<JournalSummary, Error> {
        let mut summary = JournalSummary::default();
        for (_, entry) in self.entries()? {
            match entry {
                JournalEntry::InFlight => summary.in_flight += 1,
                JournalEntry::Accepted { .. } => summary.accepted += 1,
                JournalEntry::MayHaveBeenSent => summary.may_have_been_sent += 1,
            }
        }
        Ok(summary)
    }

    /// Gives the file's free pages back to the file system (the entries stay). Needs the only
    /// handle: fails with [`Error::Config`] while a clone of it (or a `send_all` using it) is
    /// alive.
    pub fn compact(&mut self) -> Result<(), Error> {
        let db = Arc::get_mut(&mut self.db).ok_or_else(|| {
            failed(
                "cannot compact",
                "the journal is in use (a clone or a send_all holds it)",
            )
        })?;
        db.compact(redb::CompactionMode::default())
            .map_err(|e| failed("cannot compact", e))?;
        Ok(())
    }
}

/// Lookups of one run: a read transaction reused for a few hundred keys (a fresh one per
/// key would cost more than the send), then renewed so that the file's old pages can be
/// reused. A lookup sees what earlier runs recorded (and part of this run's records: keys
/// must be unique within a campaign).
#[derive(Default)]
pub(crate) struct Lookup {
    table: Option<redb::ReadOnlyTable<&'static str, &'static [u8]>>,
    uses: usize,
}

/// Lookups per read transaction.
const LOOKUPS_PER_READ: usize = 512;

impl Lookup {
    pub(crate) fn get(
        &mut self,
        journal: &Journal,
        key: &str,
    ) -> Result<Option<JournalEntry>, Error> {
        if self.uses >= LOOKUPS_PER_READ {
            self.table = None;
        }
        let table = match &mut self.table {
            Some(table) => table,
            None => {
                self.uses = 0;
                let txn = journal
                    .db
                    .begin_read()
                    .map_err(|e| failed("cannot read", e))?;
                let table = txn
                    .open_table(SENDS)
                    .map_err(|e| failed("cannot read", e))?;
                self.table.insert(table)
            }
        };
        self.uses += 1;
        let value = table.get(key).map_err(|e| failed("cannot read", e))?;
        Ok(value.and_then(|v| JournalEntry::decode(v.value())))
    }
}

/// One change to the journal.
pub(crate) enum Write {
    /// About to be sent.
    InFlight(Box<str>),
    /// Accepted with this id.
    Accepted(Box<str>, String),
    /// Ended "may have been sent".
    Ambiguous(Box<str>),
    /// Ended without reaching Kaleyra: forgotten, so that the next run sends it.
    Forget(Box<str>),
}

struct Batch {
    writes: Vec<Write>,
    /// Must be on disk when its ticket is reported committed (the starts, the final flush).
    durable: bool,
    ticket: u64,
}

#[derive(Default)]
struct WriterState {
    /// Every ticket up to this one is committed.
    committed: u64,
    /// The first ticket whose commit failed, and why: it and every later one are not recorded.
    failed: Option<(u64, String)>,
    /// Who waits for a commit (the workers, for their starts; the reader, for the flush), with
    /// the ticket each one waits for.
    waiters: Vec<(u64, Waker)>,
}

/// The queue to the writer's thread: tickets are handed out in the order the batches are
/// queued, under one lock, so that "every ticket up to N is committed" means what it says.
struct Queue {
    tx: Option<mpsc::Sender<Batch>>,
    next: u64,
}

/// What the workers and the reader of one `send_all` share with its journal's writer: they
/// submit batches and wait for their commits.
pub(crate) struct Submitter {
    queue: Mutex<Queue>,
    state: Arc<Mutex<WriterState>>,
}

/// The journal's writer: a thread that commits what one `send_all`'s workers and reader give
/// it, as few transactions as it can (group commit): whatever queued while it was committing
/// goes into the next transaction, durable (fsync) if any of it must be.
pub(crate) struct Writer {
    journal: Journal,
    submitter: Arc<Submitter>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("journal", &self.journal)
            .finish_non_exhaustive()
    }
}

impl Writer {
    pub(crate) fn new(journal: Journal) -> Writer {
        let (tx, rx) = mpsc::channel::<Batch>();
        let state = Arc::new(Mutex::new(WriterState::default()));
        let db = Arc::clone(&journal.db);
        let shared = Arc::clone(&state);
        let spawned = std::thread::Builder::new()
            .name("kaleyra-journal".into())
            .spawn(move || write_loop(&db, &rx, &shared));
        let thread = match spawned {
            Ok(thread) => Some(thread),
            Err(e) => {
                // No thread: every batch fails (nothing is sent without its record).
                lock(&state).failed = Some((1, format!("cannot start its writer thread: {e}")));
                None
            }
        };
        Writer {
            journal,
            submitter: Arc::new(Submitter {
                queue: Mutex::new(Queue {
                    tx: Some(tx),
                    next: 0,
                }),
                state,
            }),
            thread,
        }
    }

    pub(crate) fn journal(&self) -> &Journal {
        &self.journal
    }

    /// The handle the workers submit through.
    pub(crate) fn submitter(&self) -> &Arc<Submitter> {
        &self.submitter
    }
}

impl Submitter {
    /// Queues `writes`; returns its ticket.
    pub(crate) fn submit(&self, writes: Vec<Write>, durable: bool) -> u64 {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.next += 1;
        let ticket = queue.next;
        let sent = queue.tx.as_ref().is_some_and(|tx| {
            tx.send(Batch {
                writes,
                durable,
                ticket,
            })
            .is_ok()
        });
        drop(queue);
        if !sent {
            let mut state = lock(&self.state);
            if state.failed.is_none() {
                state.failed = Some((ticket, "its writer thread stopped".into()));
            }
        }
        ticket
    }

    /// Whether `ticket` is committed (`Err` with why when it cannot be); registers the waker
    /// otherwise.
    pub(crate) fn poll(&self, ticket: u64, cx: &mut Context<'_>) -> Poll<Result<(), String>> {
        let mut state = lock(&self.state);
        if let Some((first, why)) = &state.failed
            && ticket >= *first
        {
            return Poll::Ready(Err(why.clone()));
        }
        if state.committed >= ticket {
            return Poll::Ready(Ok(()));
        }
        match state.waiters.iter_mut().find(|(t, _)| *t == ticket) {
            Some((_, w)) if w.will_wake(cx.waker()) => {}
            Some((_, w)) => *w = cx.waker().clone(),
            None => state.waiters.push((ticket, cx.waker().clone())),
        }
        Poll::Pending
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // The thread commits what is queued (durably) and ends: waited for (one commit at
        // most), so that the journal is whole, and free for `compact`, once `send_all` is gone.
        // The sender lives only in the queue (workers submit through it), so this ends it.
        self.submitter
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .tx = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn lock(state: &Mutex<WriterState>) -> std::sync::MutexGuard<'_, WriterState> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

fn write_loop(db: &Database, rx: &mpsc::Receiver<Batch>, state: &Mutex<WriterState>) {
    // Whether a non-durable commit still waits for a durable one.
    let mut pending = false;
    let mut woken = Vec::new();
    while let Ok(first) = rx.recv() {
        // What queued during the last commit goes into this one. No waiting for more: a
        // message waiting for its commit holds a unit of the concurrency (measured: waiting
        // 0.5 ms to gather bigger batches cost more throughput than the commits it saved).
        let mut batches = vec![first];
        batches.extend(rx.try_iter());
        let durable = batches.iter().any(|b| b.durable);
        let last = batches.last().map_or(0, |b| b.ticket);
        let result = commit(db, &batches, durable);
        let mut s = lock(state);
        let failed = match result {
            Ok(()) => {
                s.committed = last;
                pending = !durable;
                false
            }
            Err(e) => {
                let first = batches.first().map_or(last, |b| b.ticket);
                s.failed.get_or_insert((first, e));
                true
            }
        };
        let committed = s.committed;
        // Woken outside the lock: a waker may run its task's scheduling code.
        s.waiters.retain(|(ticket, waker)| {
            let done = failed || *ticket <= committed;
            if done {
                woken.push(waker.clone());
            }
            !done
        });
        drop(s);
        woken.drain(..).for_each(Waker::wake);
        if failed {
            // Every later batch fails too (`Submitter::poll`, and `submit` once this is gone).
            return;
        }
    }
    // The reader is gone: make the outcomes committed without fsync durable too.
    if pending {
        let _ = commit(db, &[], true);
    }
}

fn commit(db: &Database, batches: &[Batch], durable: bool) -> Result<(), String> {
    let mut txn = db.begin_write().map_err(|e| e.to_string())?;
    txn.set_durability(if durable {
        Durability::Immediate
    } else {
        Durability::None
    })
    .map_err(|e| e.to_string())?;
    {
        let mut table = txn.open_table(SENDS).map_err(|e| e.to_string())?;
        for write in batches.iter().flat_map(|b| &b.writes) {
            let result = match write {
                Write::InFlight(key) => table.insert(&**key, &[IN_FLIGHT][..]).map(drop),
                Write::Accepted(key, id) => {
                    let mut value = Vec::with_capacity(1 + id.len());
                    value.push(ACCEPTED);
                    value.extend_from_slice(id.as_bytes());
                    table.insert(&**key, &value[..]).map(drop)
                }
                Write::Ambiguous(key) => table.insert(&**key, &[AMBIGUOUS][..]).map(drop),
                Write::Forget(key) => table.remove(&**key).map(drop),
            };
            result.map_err(|e| e.to_string())?;
        }
    }
    txn.commit().map_err(|e| e.to_string())
}
