//! Sending many messages: [`Client::send_all`].
//!
//! ```no_run
//! # async fn run(client: kaleyra_core::Client, rows: Vec<(u64, kaleyra_core::Message)>) {
//! use kaleyra_core::Error;
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

use std::borrow::Borrow;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::stream::FuturesUnordered;
use tokio::task::JoinHandle;

use crate::client::{Accepted, Client};
use crate::error::{ConfigError, Error, TransportError, TransportErrorKind};
use crate::message::Message;

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
    /// The sends run as Tokio tasks, so they progress while the caller is busy with earlier
    /// results. Dropping the `SendAll` cancels those in progress: like dropping a `send`
    /// future, whether they reached Kaleyra is then unknown (they count as
    /// [`FailureKind::Cancelled`](crate::FailureKind::Cancelled)). Reading the results in a task
    /// on the runtime rather than in `block_on` (`#[tokio::main]`'s body) spares a thread
    /// wake-up per message, a few percent of throughput at tens of thousands a second.
    ///
    /// ```no_run
    /// # async fn run(client: kaleyra_core::Client, messages: Vec<kaleyra_core::Message>) {
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
            running: FuturesUnordered::new(),
            concurrency: DEFAULT_CONCURRENCY,
            position: 0,
        }
    }
}

/// The results of [`Client::send_all`]: a [`Stream`] of `(key, Result<Accepted, Error>)`, one
/// per message, also readable without a stream library through [`SendAll::next`].
#[must_use = "nothing is sent until the results are read"]
pub struct SendAll<S>
where
    S: Stream,
    S::Item: Outgoing,
{
    client: Client,
    /// `None` once the input is exhausted.
    input: Option<Pin<Box<S>>>,
    running: FuturesUnordered<Running<<S::Item as Outgoing>::Key>>,
    concurrency: usize,
    position: usize,
}

impl<S> std::fmt::Debug for SendAll<S>
where
    S: Stream,
    S::Item: Outgoing,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendAll")
            .field("concurrency", &self.concurrency)
            .field("in_progress", &self.running.len())
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

    /// How many messages are in progress now.
    pub fn in_progress(&self) -> usize {
        self.running.len()
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

    /// Starts one message: a task that sends it, or its error at once if it cannot be sent.
    fn start(&mut self, item: S::Item) {
        let (key, message) = item.into_parts(self.position);
        self.position += 1;
        let prepared = self.client.prepare(message.borrow()).and_then(|job| {
            let runtime = tokio::runtime::Handle::try_current().map_err(|_| {
                ConfigError::new(
                    "runtime",
                    "send_all must run inside a Tokio runtime (like every send)",
                )
            })?;
            Ok((job, runtime))
        });
        let state = match prepared {
            Ok((job, runtime)) => {
                let client = self.client.clone();
                State::Task(runtime.spawn(async move { client.deliver(job).await }))
            }
            Err(e) => {
                self.client.count_unsent(&e);
                State::Done(Some(Err(e)))
            }
        };
        self.running.push(Running {
            key: Some(key),
            state,
        });
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
        // Pull only as many inputs as there is room for: the backpressure.
        while this.running.len() < this.concurrency {
            let Some(input) = this.input.as_mut() else {
                break;
            };
            match input.as_mut().poll_next(cx) {
                Poll::Ready(Some(item)) => this.start(item),
                Poll::Ready(None) => this.input = None,
                Poll::Pending => break,
            }
        }
        match Pin::new(&mut this.running).poll_next(cx) {
            Poll::Ready(Some(done)) => Poll::Ready(Some(done)),
            Poll::Ready(None) if this.input.is_none() => Poll::Ready(None),
            // Nothing in progress, and the input is not ready: its waker wakes us.
            Poll::Ready(None) | Poll::Pending => Poll::Pending,
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let running = self.running.len();
        match &self.input {
            None => (running, Some(running)),
            Some(input) => {
                let (low, high) = input.size_hint();
                (
                    running.saturating_add(low),
                    high.and_then(|h| h.checked_add(running)),
                )
            }
        }
    }
}

/// One message in progress; its key stays here, outside the task, so that it comes back
/// whatever happens to the task.
struct Running<K> {
    key: Option<K>,
    state: State,
}

enum State {
    Task(JoinHandle<Result<Accepted, Error>>),
    Done(Option<Result<Accepted, Error>>),
}

// The key is only moved out, never pinned.
impl<K> Unpin for Running<K> {}

impl<K> Future for Running<K> {
    type Output = (K, Result<Accepted, Error>);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let result = match &mut this.state {
            State::Task(handle) => match Pin::new(handle).poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(result)) => result,
                // A bug in a send: surface it to the caller, as an un-spawned future would.
                Poll::Ready(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                Poll::Ready(Err(_)) => Err(TransportError::new(
                    TransportErrorKind::Other,
                    "the send was cancelled: the Tokio runtime is shutting down",
                )
                .into()),
            },
            State::Done(result) => match result.take() {
                Some(result) => result,
                None => return Poll::Pending,
            },
        };
        match this.key.take() {
            Some(key) => Poll::Ready((key, result)),
            // Polled again after it finished: it has nothing more to give.
            None => Poll::Pending,
        }
    }
}

impl<K> Drop for Running<K> {
    fn drop(&mut self) {
        if let State::Task(handle) = &self.state {
            handle.abort();
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
