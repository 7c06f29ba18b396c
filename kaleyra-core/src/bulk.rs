//! Sending many messages: [`Client::send_all`].
//!
//! ```no_run
//! # async fn run(client: kaleyra::Client, rows: Vec<(u64, kaleyra::Message)>) {
//! use kaleyra::Error;
//!
//! // Any iterator (or stream, through `bulk::from_stream`) of messages, or of
//! // `(key, message)` pairs: each result comes back once, with its key.
//! let mut sending = client.send_all(rows).concurrency(128);
//! while let Some((customer, result)) = sending.next().await {
//!     match result {
//!         Ok(accepted) => println!("{customer}: {}", accepted.message_id),
//!         Err(e) if e.is_ambiguous() => println!("{customer}: may have been sent: {e}"),
//!         Err(e) => println!("{customer}: not sent: {e}"),
//!     }
//! }
//! # }
//! ```

use std::any::Any;
use std::borrow::Borrow;
use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use futures_core::Stream;
use futures_util::FutureExt as _;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::client::{Accepted, Client, Job, Progress};
use crate::error::{ConfigError, Error, TransportError, TransportErrorKind};
use crate::message::Message;
#[cfg(feature = "journal")]
use crate::scale::Write;

/// How many messages [`Client::send_all`] has in progress at once unless told otherwise
/// ([`SendAll::concurrency`]).
pub const DEFAULT_CONCURRENCY: usize = 64;

/// One item [`Client::send_all`] can send: a message, keyed by its position in the input
/// (`0, 1, 2…`), or a `(key, message)` pair, keyed by `key`. The message may be owned or
/// borrowed (`Message`, `&Message`, `Arc<Message>`, `Box<Message>`).
pub trait Outgoing {
    /// What the result comes back with.
    type Key;
    /// The message.
    type Message: Borrow<Message>;
    /// Splits the item; `position` is its place in the input, counting from 0.
    fn into_parts(self, position: usize) -> (Self::Key, Self::Message);
}

macro_rules! by_position {
    ($($ty:ty),*) => {$(
        impl<'a> Outgoing for $ty {
            type Key = usize;
            type Message = $ty;
            fn into_parts(self, position: usize) -> (usize, $ty) {
                (position, self)
            }
        }
    )*};
}
by_position!(Message, &'a Message, Arc<Message>, Box<Message>);

impl<K, M: Borrow<Message>> Outgoing for (K, M) {
    type Key = K;
    type Message = M;
    fn into_parts(self, _position: usize) -> (K, M) {
        self
    }
}

/// What [`Client::send_all`] takes: any [`IntoIterator`] of [`Outgoing`] items, or a
/// [`Stream`] of them wrapped in [`from_stream`].
pub trait Messages {
    /// The items.
    type Item: Outgoing;
    /// The items as a stream.
    type Stream: Stream<Item = Self::Item>;
    /// Turns the input into a stream, pulled only as fast as the messages are sent.
    fn into_stream(self) -> Self::Stream;
}

impl<I> Messages for I
where
    I: IntoIterator,
    I::Item: Outgoing,
{
    type Item = I::Item;
    type Stream = Iter<I::IntoIter>;
    fn into_stream(self) -> Self::Stream {
        Iter(self.into_iter())
    }
}

/// A stream of [`Outgoing`] items for [`Client::send_all`] (see [`from_stream`]).
#[derive(Debug)]
pub struct FromStream<S>(S);

/// Sends the items of a stream (e.g. rows read from a database, or a channel's receiver): the
/// stream is polled for the next item only when there is room for it.
pub fn from_stream<S>(stream: S) -> FromStream<S>
where
    S: Stream,
    S::Item: Outgoing,
{
    FromStream(stream)
}

impl<S> Messages for FromStream<S>
where
    S: Stream,
    S::Item: Outgoing,
{
    type Item = S::Item;
    type Stream = S;
    fn into_stream(self) -> S {
        self.0
    }
}

/// An iterator as a stream (each item is ready at once).
#[derive(Debug)]
pub struct Iter<I>(I);

// The iterator is only called through `&mut`, never pinned.
impl<I> Unpin for Iter<I> {}

impl<I: Iterator> Stream for Iter<I> {
    type Item = I::Item;
    fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<I::Item>> {
        Poll::Ready(self.get_mut().0.next())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl Client {
    /// Sends every message of an iterator or a stream and yields each one's result once, with
    /// its key, in the order they finish.
    ///
    /// - Input: messages (keyed by their position, `0, 1, 2…`) or `(key, message)` pairs
    ///   ([`Outgoing`]); a [`Stream`] through [`from_stream`]. The input is pulled only when a
    ///   message can start, so memory stays bounded by the concurrency however long it is.
    /// - At most [`DEFAULT_CONCURRENCY`] messages are in progress at once
    ///   ([`SendAll::concurrency`] changes it), each waiting for the client's
    ///   [`RateLimit`](crate::RateLimit), retried as its [`Retry`](crate::Retry) policy says, and
    ///   counted in [`Client::stats`], exactly as [`Client::send`] does.
    /// - Each message ends exactly once: `Ok(Accepted)` or one typed [`Error`]. A message that
    ///   cannot be sent with this client's configuration (e.g. a product template without a
    ///   WABA id) ends with [`Error::Config`] and nothing is posted.
    ///
    /// The sends run in Tokio tasks (at most one per unit of concurrency), so they progress
    /// while the caller is busy with earlier results. Dropping the `SendAll` cancels those in
    /// progress: like dropping a `send` future, whether they reached Kaleyra is then unknown
    /// (they count as [`FailureKind::Cancelled`](crate::FailureKind::Cancelled)). A waiting
    /// reader is woken when 8 results wait, or a quarter of those in progress, not once per
    /// result: a reader in `block_on` (`#[tokio::main]`'s body) would otherwise pay a thread
    /// switch per message.
    ///
    /// ```no_run
    /// # async fn run(client: kaleyra::Client, messages: Vec<kaleyra::Message>) {
    /// let mut sending = client.send_all(&messages);
    /// while let Some((i, result)) = sending.next().await {
    ///     if let Err(e) = result {
    ///         eprintln!("message {i} to {:?} failed: {e}", messages[i].to_json()["messaging_object"]["to"]);
    ///     }
    /// }
    /// # }
    /// ```
    pub fn send_all<M: Messages>(&self, messages: M) -> SendAll<M::Stream> {
        SendAll {
            client: self.clone(),
            input: Some(Box::pin(messages.into_stream())),
            shared: Arc::new(Shared {
                pool: Mutex::new(Pool::default()),
                work: Notify::new(),
                #[cfg(feature = "journal")]
                writer: None,
            }),
            keys: Slots::default(),
            unsent: VecDeque::new(),
            workers: Vec::new(),
            pending: 0,
            concurrency: DEFAULT_CONCURRENCY,
            position: 0,
            #[cfg(feature = "journal")]
            journal: None,
        }
    }
}

/// The results of [`Client::send_all`]: a [`Stream`] of `(key, Result<Accepted, Error>)`, one
/// per message, also readable without a stream library through [`SendAll::next`].
///
/// How it runs: the reader (whoever polls it) pulls the input, prepares each message and queues
/// it; up to `concurrency` long-lived worker tasks take the queued messages one after the other,
/// deliver them and queue their results for the reader. A worker per slot rather than a task per
/// message spares a task's allocation and scheduling for each message; the keys never leave the
/// reader, so they need not be `Send`.
#[must_use = "nothing is sent until the results are read"]
pub struct SendAll<S>
where
    S: Stream,
    S::Item: Outgoing,
{
    client: Client,
    /// `None` once the input is exhausted.
    input: Option<Pin<Box<S>>>,
    shared: Arc<Shared>,
    /// The key of each message queued or in a worker, by its slot.
    keys: Slots<<S::Item as Outgoing>::Key>,
    /// Messages that ended before anything could be posted (e.g. a configuration error).
    unsent: VecDeque<Ended<<S::Item as Outgoing>::Key>>,
    workers: Vec<JoinHandle<()>>,
    /// Messages pulled from the input whose result has not been returned yet.
    pending: usize,
    concurrency: usize,
    position: usize,
    /// Feature `journal`: the send journal of this run ([`SendAll::journal`]).
    #[cfg(feature = "journal")]
    journal: Option<Box<Journaled<<S::Item as Outgoing>::Key>>>,
}

// The keys and results are only moved in and out of their queues, never pinned; the input is
// pinned in its own box.
impl<S> Unpin for SendAll<S>
where
    S: Stream,
    S::Item: Outgoing,
{
}

impl<S> std::fmt::Debug for SendAll<S>
where
    S: Stream,
    S::Item: Outgoing,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendAll")
            .field("concurrency", &self.concurrency)
            .field("in_progress", &self.in_progress())
            .field("started", &self.position)
            .field("input_done", &self.input.is_none())
            .finish()
    }
}

impl<S> SendAll<S>
where
    S: Stream,
    S::Item: Outgoing,
{
    /// At most `n` messages in progress at once (at least 1; default [`DEFAULT_CONCURRENCY`]).
    /// The rate limit still applies: concurrency only bounds how many wait or fly at a time.
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Records this run in a send journal (feature `journal`), so that it can be run again
    /// after a crash without sending anything twice or losing anything: see
    /// [`Journal`](crate::scale::Journal) for what a run does with what the journal knows.
    ///
    /// Each message is told apart by its key's `Display` text (the caller's key of a
    /// `(key, message)` pair; the position for bare messages, stable only for the same input in
    /// the same order). Before a message's request is handed to the network its key is on disk;
    /// its outcome is written after it ends, in the same transaction as the start of the next
    /// message its unit of the concurrency takes (and the starts and outcomes that queue while
    /// one transaction commits go into the next: a group commit), made durable at the latest
    /// before this stream ends. A crash between the two leaves the message "in flight": the
    /// next run reports it as such (at most the concurrency of them per crash). So that a unit
    /// never waits for the reader, up to `concurrency` more messages are pulled from the input
    /// and prepared ahead (not recorded until they start). A message the journal could not
    /// record is not sent: it ends with a [`TransportErrorKind::NotSent`] error.
    #[cfg(feature = "journal")]
    pub fn journal(mut self, journal: crate::scale::Journal) -> Self
    where
        <S::Item as Outgoing>::Key: std::fmt::Display,
    {
        let resend = self.client.retry().retries_ambiguous();
        let writer = crate::scale::Writer::new(journal);
        // Nothing has started yet (this is a builder): the workers to come share the writer.
        self.shared = Arc::new(Shared {
            pool: Mutex::new(Pool::default()),
            work: Notify::new(),
            writer: Some(Arc::clone(writer.submitter())),
        });
        self.journal = Some(Box::new(Journaled {
            writer,
            lookup: crate::scale::Lookup::default(),
            resend,
            name_of: |key| key.to_string().into_boxed_str(),
            outcomes: Vec::new(),
            flush: None,
        }));
        self
    }

    /// How many messages are in progress now: taken from the input and not yet ended.
    pub fn in_progress(&self) -> usize {
        self.pending - self.unsent.len() - self.shared.lock().done.len()
    }

    /// The next result, or `None` when every message has ended.
    pub async fn next(&mut self) -> Option<(<S::Item as Outgoing>::Key, Result<Accepted, Error>)> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads every result into a vector (in the order they finish). Memory grows with the
    /// input: for long inputs, read them one by one with [`SendAll::next`].
    pub async fn collect_all(
        mut self,
    ) -> Vec<(<S::Item as Outgoing>::Key, Result<Accepted, Error>)> {
        let mut all = Vec::with_capacity(self.size_hint().0);
        while let Some(done) = self.next().await {
            all.push(done);
        }
        all
    }

    /// Starts one message: queues it for a worker (starting one if none is free), or records
    /// its error at once if it cannot be sent. With a journal, what the journal knows decides
    /// first, and a message to send waits for its record to be committed.
    fn start(&mut self, item: S::Item) {
        let (key, message) = item.into_parts(self.position);
        self.position += 1;
        self.pending += 1;
        #[cfg(feature = "journal")]
        let name = match self.journal.as_mut() {
            Some(journal) => match journal.decide(&key) {
                Decision::Send(name) => Some(name),
                Decision::End(result) => {
                    self.unsent.push_back((key, result));
                    return;
                }
            },
            None => None,
        };
        let prepared = self.client.prepare(message.borrow()).and_then(|job| {
            let runtime = tokio::runtime::Handle::try_current().map_err(|_| {
                ConfigError::new(
                    "runtime",
                    "send_all must run inside a Tokio runtime (like every send)",
                )
            })?;
            Ok((job, runtime))
        });
        let (job, runtime) = match prepared {
            Ok(prepared) => prepared,
            Err(e) => {
                self.client.count_unsent(&e);
                self.unsent.push_back((key, Err(e)));
                return;
            }
        };
        let slot = self.keys.insert(key);
        #[cfg(feature = "journal")]
        if let Some(name) = name {
            // Prepared: a worker records its start and sends it once that is on disk.
            let spawn = {
                let mut pool = self.shared.lock();
                pool.prepared.push_back((slot, name, job));
                pool.low_water = self.concurrency / 2;
                let spawn = pool.prepared.len() > pool.idle && pool.alive < self.concurrency;
                if spawn {
                    pool.alive += 1;
                }
                spawn
            };
            if spawn {
                self.spawn_worker(&runtime);
            } else {
                self.shared.work.notify_one();
            }
            return;
        }
        self.enqueue(slot, job, &runtime);
    }

    /// Queues a prepared message for a worker, starting one if none is free.
    fn enqueue(&mut self, slot: usize, job: Job, runtime: &tokio::runtime::Handle) {
        let spawn = {
            let mut pool = self.shared.lock();
            pool.jobs.push_back((slot, job));
            // More queued than idle workers: one more worker, up to the concurrency.
            let spawn = pool.jobs.len() > pool.idle && pool.alive < self.concurrency;
            if spawn {
                pool.alive += 1;
            }
            spawn
        };
        if spawn {
            self.spawn_worker(runtime);
        } else {
            self.shared.work.notify_one();
        }
    }

    /// Starts one worker (counted in `Pool::alive` by the caller).
    fn spawn_worker(&mut self, runtime: &tokio::runtime::Handle) {
        {
            // Built outside the task: if the runtime drops the task unpolled (it is shutting
            // down), the guard still runs and the queued messages still end.
            let worker = Worker {
                shared: self.shared.clone(),
                current: None,
                progress: Progress::default(),
                idle: false,
            };
            let client = self.client.clone();
            // Workers only end with their runtime (or this `SendAll`): forget those gone.
            self.workers.retain(|w| !w.is_finished());
            self.workers.push(runtime.spawn(worker.run(client)));
        }
    }
}

impl<S> Stream for SendAll<S>
where
    S: Stream,
    S::Item: Outgoing,
{
    type Item = (<S::Item as Outgoing>::Key, Result<Accepted, Error>);

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        // Pull only as many inputs as there is room for: the backpressure. With a journal, a
        // concurrency's worth more are prepared ahead, so that a worker ending a message takes
        // the next one at once (their starts and its outcome in one commit).
        #[cfg(feature = "journal")]
        let room = match this.journal {
            Some(_) => this.concurrency.saturating_mul(2),
            None => this.concurrency,
        };
        #[cfg(not(feature = "journal"))]
        let room = this.concurrency;
        while this.pending < room {
            let Some(input) = this.input.as_mut() else {
                break;
            };
            match input.as_mut().poll_next(cx) {
                Poll::Ready(Some(item)) => this.start(item),
                Poll::Ready(None) => {
                    this.input = None;
                    this.shared.lock().input_done = true;
                }
                Poll::Pending => break,
            }
        }
        #[cfg(feature = "journal")]
        if let Some(journal) = this.journal.as_mut() {
            journal.submit();
        }
        if let Some(done) = this.unsent.pop_front() {
            this.pending -= 1;
            return Poll::Ready(Some(done));
        }
        let mut pool = this.shared.lock();
        while let Some((slot, outcome)) = pool.done.pop_front() {
            let Some(key) = this.keys.take(slot) else {
                continue; // every slot comes back once; nothing to give otherwise
            };
            drop(pool);
            this.pending -= 1;
            return match outcome {
                Ok(result) => Poll::Ready(Some((key, result))),
                // A bug in a send: surface it to the caller, as an un-spawned future would.
                Err(panic) => std::panic::resume_unwind(panic),
            };
        }
        if this.pending == 0 && this.input.is_none() {
            // With a journal: the outcomes are on disk before the end is reported.
            #[cfg(feature = "journal")]
            if let Some(journal) = this.journal.as_mut()
                && journal.flush(cx).is_pending()
            {
                return Poll::Pending;
            }
            return Poll::Ready(None);
        }
        // Nothing ended yet: a worker's result wakes us; an input that is not ready, its waker.
        match &pool.reader {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            _ => pool.reader = Some(cx.waker().clone()),
        }
        Poll::Pending
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let pending = self.pending;
        match &self.input {
            None => (pending, Some(pending)),
            Some(input) => {
                let (low, high) = input.size_hint();
                (
                    pending.saturating_add(low),
                    high.and_then(|h| h.checked_add(pending)),
                )
            }
        }
    }
}

impl<S> Drop for SendAll<S>
where
    S: Stream,
    S::Item: Outgoing,
{
    fn drop(&mut self) {
        // Nobody reads any more: the queued messages are not sent, those in a worker are
        // cancelled (and counted so by the client).
        {
            let mut pool = self.shared.lock();
            pool.closed = true;
            pool.jobs.clear();
            pool.done.clear();
            #[cfg(feature = "journal")]
            pool.prepared.clear();
        }
        for worker in &self.workers {
            worker.abort();
        }
    }
}

/// One message's key and result.
type Ended<K> = (K, Result<Accepted, Error>);

/// What the reader of a [`SendAll`] and its workers share.
struct Shared {
    pool: Mutex<Pool>,
    /// Wakes an idle worker when a message is queued.
    work: Notify,
    /// Feature `journal`: the journal's writer, which the workers give the starts and outcomes.
    #[cfg(feature = "journal")]
    writer: Option<Arc<crate::scale::Submitter>>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Pool> {
        // The lock is never held across code that can panic; a poisoned pool is still whole.
        self.pool.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A message's end as a worker reports it: its result, or the panic of a bug in the send.
type Outcome = Result<Result<Accepted, Error>, Box<dyn Any + Send>>;

#[derive(Default)]
struct Pool {
    /// Prepared messages waiting for a worker, with their slot.
    jobs: VecDeque<(usize, Job)>,
    /// Ended messages waiting for the reader.
    done: VecDeque<(usize, Outcome)>,
    /// The reader's waker, while it waits for `done`.
    reader: Option<Waker>,
    /// Workers waiting for a job.
    idle: usize,
    /// Workers started and not yet ended.
    alive: usize,
    /// Messages taken by a worker and not yet ended.
    running: usize,
    /// The `SendAll` is gone.
    closed: bool,
    /// The input is exhausted.
    input_done: bool,
    /// Feature `journal`: prepared messages not yet started (not in the journal), with their
    /// slot and journal name; a worker records the start of one and sends it.
    #[cfg(feature = "journal")]
    prepared: VecDeque<(usize, Box<str>, Job)>,
    /// Fewer prepared than this wake the reader (0 without a journal).
    #[cfg(feature = "journal")]
    low_water: usize,
}

impl Pool {
    /// A worker's message ended. The reader is woken once a few results wait, or a quarter of
    /// what is outstanding: a wake-up per result costs a thread switch when the reader sits in
    /// `block_on`, and the slots it would refill are a small share of the concurrency.
    fn finish(&mut self, slot: usize, outcome: Outcome) {
        self.running -= 1;
        self.done.push_back((slot, outcome));
        let done = self.done.len();
        #[cfg(feature = "journal")]
        let (outstanding, low) = (
            self.running + self.jobs.len() + self.prepared.len() + done,
            self.prepared.len() < self.low_water && !self.input_done,
        );
        #[cfg(not(feature = "journal"))]
        let (outstanding, low) = (self.running + self.jobs.len() + done, false);
        if done >= WAKE_BATCH || done * WAKE_SHARE >= outstanding || low {
            self.wake_reader();
        }
    }

    fn wake_reader(&mut self) {
        if let Some(reader) = self.reader.take() {
            reader.wake();
        }
    }
}

/// At most this many results wait for the reader before it is woken.
const WAKE_BATCH: usize = 8;
/// Fewer wait when they are at least 1 / `WAKE_SHARE` of what is outstanding, so that a few
/// slow messages never hold back the others' results.
const WAKE_SHARE: usize = 4;

/// One worker: takes queued messages one after the other until the `SendAll` is dropped.
struct Worker {
    shared: Arc<Shared>,
    /// The slot of the message it is delivering.
    current: Option<usize>,
    /// Whether that message may have reached the server.
    progress: Progress,
    /// Whether it is counted in `Pool::idle`.
    idle: bool,
}

impl Worker {
    async fn run(mut self, client: Client) {
        #[cfg(feature = "journal")]
        if let Some(writer) = self.shared.writer.clone() {
            return self.run_journaled(client, writer).await;
        }
        loop {
            let Some((slot, job)) = self.wait_for(|pool| pool.jobs.pop_front()).await else {
                return;
            };
            self.current = Some(slot);
            self.progress.reset();
            let outcome = AssertUnwindSafe(client.deliver(job, Some(&self.progress)))
                .catch_unwind()
                .await;
            self.current = None;
            let mut pool = self.shared.lock();
            if pool.closed {
                return;
            }
            pool.finish(slot, outcome);
        }
    }
}

impl Worker {
    /// Waits until `take` finds a message in the pool (the worker counted busy), or the run
    /// is closed (`None`). Idle meanwhile.
    async fn wait_for<T>(&mut self, take: impl Fn(&mut Pool) -> Option<T>) -> Option<T> {
        loop {
            // Registered before the queue is looked at, so that a message queued in between
            // still wakes this worker.
            let notified = self.shared.work.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            {
                let mut pool = self.shared.lock();
                if pool.closed {
                    return None;
                }
                let taken = take(&mut pool);
                Worker::mark(&mut self.idle, &mut pool, taken.is_some());
                if taken.is_some() {
                    return taken;
                }
            }
            notified.await;
        }
    }

    /// Counts a worker busy (it took a message) or idle (`idle`: whether it is) in the pool.
    fn mark(idle: &mut bool, pool: &mut Pool, took: bool) {
        if took {
            pool.running += 1;
            if *idle {
                *idle = false;
                pool.idle -= 1;
            }
        } else if !*idle {
            *idle = true;
            pool.idle += 1;
        }
    }

    /// A worker of a journaled run: records a message's start, sends it once that is on disk,
    /// then records its outcome together with the start of the next prepared message (one
    /// transaction: the unit passes from one message to the next at once, so that at most
    /// the concurrency are "in flight" at a crash, and it never waits for the reader).
    #[cfg(feature = "journal")]
    async fn run_journaled(mut self, client: Client, writer: Arc<crate::scale::Submitter>) {
        // The next message, its start submitted with the last one's outcome (its ticket).
        let mut next: Option<(u64, usize, Box<str>, Job)> = None;
        loop {
            let (ticket, slot, name, job) = match next.take() {
                Some(next) => next,
                None => {
                    let taken = self.wait_for(|pool| pool.prepared.pop_front()).await;
                    let Some((slot, name, job)) = taken else {
                        return;
                    };
                    let ticket = writer.submit(vec![Write::InFlight(name.clone())], true);
                    (ticket, slot, name, job)
                }
            };
            self.current = Some(slot);
            self.progress.reset();
            // Sent only once its start is on disk.
            let (outcome, recorded) = match std::future::poll_fn(|cx| writer.poll(ticket, cx)).await
            {
                Ok(()) => (
                    AssertUnwindSafe(client.deliver(job, Some(&self.progress)))
                        .catch_unwind()
                        .await,
                    true,
                ),
                Err(why) => (Ok(Err(crate::scale::journal_failed(&why))), false),
            };
            self.current = None;
            let mut writes = Vec::with_capacity(2);
            // A panic leaves it "in flight": whether it reached Kaleyra is unknown.
            if let (true, Ok(result)) = (recorded, &outcome) {
                writes.push(outcome_write(name, result));
            }
            let taken = {
                let mut pool = self.shared.lock();
                let taken = if pool.closed {
                    None
                } else {
                    pool.prepared.pop_front()
                };
                if taken.is_some() {
                    pool.running += 1;
                }
                taken
            };
            // Submitted before the result is handed over (the reader's final flush comes
            // after), and even when nobody reads any more: the writer still commits what is
            // queued, so a message Kaleyra accepted is not left "in flight" for the next run.
            match taken {
                Some((slot, name, job)) => {
                    writes.push(Write::InFlight(name.clone()));
                    next = Some((writer.submit(writes, true), slot, name, job));
                }
                None if !writes.is_empty() => {
                    writer.submit(writes, false);
                }
                None => {}
            }
            let mut pool = self.shared.lock();
            if pool.closed {
                return;
            }
            pool.finish(slot, outcome);
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let mut pool = self.shared.lock();
        pool.alive -= 1;
        if self.idle {
            pool.idle -= 1;
        }
        if pool.closed {
            return;
        }
        // Dropped while the reader still waits: the runtime is shutting down. What this worker
        // held, and (if no worker is left) what is queued, ends with an error: "may have been
        // sent" only for a request that was on the wire (or an earlier attempt that may have
        // been accepted); "not sent" for the others, which are safe to send again.
        if let Some(slot) = self.current.take() {
            pool.running -= 1;
            let outcome = if self.progress.may_have_been_sent() {
                cancelled_on_the_wire()
            } else {
                not_sent()
            };
            pool.done.push_back((slot, outcome));
        }
        if pool.alive == 0 {
            while let Some((slot, _job)) = pool.jobs.pop_front() {
                pool.done.push_back((slot, not_sent()));
            }
            #[cfg(feature = "journal")]
            while let Some((slot, _name, _job)) = pool.prepared.pop_front() {
                pool.done.push_back((slot, not_sent()));
            }
        }
        pool.wake_reader();
    }
}

/// A send dropped by a runtime shutdown while its request was on the wire: ambiguous.
fn cancelled_on_the_wire() -> Outcome {
    Ok(Err(TransportError::new(
        TransportErrorKind::Other,
        "the send was cancelled: the Tokio runtime is shutting down while the request was on \
         the wire, so it may have been sent",
    )
    .into()))
}

/// A message a runtime shutdown dropped before its request was written: nothing was sent.
fn not_sent() -> Outcome {
    Ok(Err(TransportError::new(
        TransportErrorKind::NotSent,
        "not sent: the Tokio runtime shut down before the request was written",
    )
    .into()))
}

/// The keys of the messages in progress, by slot; slots are reused.
struct Slots<K> {
    keys: Vec<Option<K>>,
    free: Vec<usize>,
}

impl<K> Default for Slots<K> {
    fn default() -> Self {
        Slots {
            keys: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<K> Slots<K> {
    fn insert(&mut self, key: K) -> usize {
        match self.free.pop() {
            Some(slot) => {
                self.keys[slot] = Some(key);
                slot
            }
            None => {
                self.keys.push(Some(key));
                self.keys.len() - 1
            }
        }
    }

    fn take(&mut self, slot: usize) -> Option<K> {
        let key = self.keys.get_mut(slot)?.take()?;
        self.free.push(slot);
        Some(key)
    }
}

/// The journal's record of a message's end.
#[cfg(feature = "journal")]
fn outcome_write(name: Box<str>, result: &Result<Accepted, Error>) -> Write {
    match result {
        Ok(accepted) => Write::Accepted(name, accepted.message_id.clone()),
        Err(e) if e.is_ambiguous() => Write::Ambiguous(name),
        // Nothing reached Kaleyra: forgotten, so that the next run sends it.
        Err(_) => Write::Forget(name),
    }
}

/// What the journal says of a message pulled from the input.
#[cfg(feature = "journal")]
enum Decision {
    /// Send it (its journal name).
    Send(Box<str>),
    /// It ends now with this result, unsent.
    End(Result<Accepted, Error>),
}

/// A `send_all` run's side of its journal: the writer, the lookups, and the reader's own
/// writes (the workers record the starts and outcomes).
#[cfg(feature = "journal")]
struct Journaled<K> {
    writer: crate::scale::Writer,
    lookup: crate::scale::Lookup,
    /// [`Retry::ambiguous`](crate::Retry::ambiguous): what may have been sent is sent again.
    resend: bool,
    name_of: fn(&K) -> Box<str>,
    /// The reader's writes not yet submitted (messages reported "may have been sent").
    outcomes: Vec<Write>,
    /// The final commit's ticket, once submitted.
    flush: Option<u64>,
}

/// The reader's writes wait until this many gather, or the end (committed without fsync: a
/// write lost in a crash only makes the next run say "in flight" again).
#[cfg(feature = "journal")]
const OUTCOMES_PER_COMMIT: usize = 256;

#[cfg(feature = "journal")]
impl<K> Journaled<K> {
    fn decide(&mut self, key: &K) -> Decision {
        use crate::scale::JournalEntry;
        let name = (self.name_of)(key);
        match self.lookup.get(self.writer.journal(), &name) {
            Err(e) => Decision::End(Err(crate::scale::journal_failed(&e.to_string()))),
            Ok(None) => Decision::Send(name),
            Ok(Some(JournalEntry::Accepted { message_id })) => Decision::End(Ok(Accepted {
                message_id,
                from_journal: true,
            })),
            Ok(Some(_)) if self.resend => Decision::Send(name),
            Ok(Some(JournalEntry::InFlight)) => {
                // Reported once as interrupted; from now on it is "may have been sent".
                self.outcomes.push(Write::Ambiguous(name));
                Decision::End(Err(TransportError::new(
                    TransportErrorKind::Interrupted,
                    "may have been sent: it was in flight when an earlier run stopped (the send \
                     journal recorded its start, not its end); not sent again without \
                     Retry::ambiguous",
                )
                .into()))
            }
            Ok(Some(_)) => Decision::End(Err(TransportError::new(
                TransportErrorKind::Other,
                "may have been sent: it ended so in an earlier run (the send journal); not sent \
                 again without Retry::ambiguous",
            )
            .into())),
        }
    }

    /// The reader's writes, once enough have gathered.
    fn submit(&mut self) {
        if self.outcomes.len() >= OUTCOMES_PER_COMMIT {
            let writes = std::mem::take(&mut self.outcomes);
            self.writer.submitter().submit(writes, false);
        }
    }

    /// Every outcome durable: the end of the run.
    fn flush(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let ticket = match self.flush {
            Some(ticket) => ticket,
            None => {
                let writes = std::mem::take(&mut self.outcomes);
                let ticket = self.writer.submitter().submit(writes, true);
                self.flush = Some(ticket);
                ticket
            }
        };
        // A failure here only loses outcomes: the next run says "may have been sent".
        self.writer.submitter().poll(ticket, cx).map(drop)
    }
}

/// A `SendAll` dropped before its end: the outcomes it returned are recorded (the writer
/// commits what is queued, durably, before its thread ends); the sends it cancels stay "in
/// flight" (whether they reached Kaleyra is unknown).
#[cfg(feature = "journal")]
impl<K> Drop for Journaled<K> {
    fn drop(&mut self) {
        if !self.outcomes.is_empty() {
            let writes = std::mem::take(&mut self.outcomes);
            self.writer.submitter().submit(writes, true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_all_is_send_when_its_keys_and_input_are() {
        fn send<T: Send>() {}
        send::<SendAll<Iter<std::vec::IntoIter<(String, Message)>>>>();
        send::<SendAll<Iter<std::slice::Iter<'static, Message>>>>();
    }
}
