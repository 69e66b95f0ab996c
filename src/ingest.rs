//! Ingest: read inputs and extract them on worker threads, write them from one writer, in
//! input order, many documents a transaction.
//!
//! Memory stays flat: workers run at most a few documents ahead of the writer, and the writer
//! commits every [`BATCH_DOCS`] documents, [`BATCH_BYTES`] of text or [`BATCH_MILLIS`] ms.

use crate::model::Extraction;
use crate::pipeline::Extractor;
use crate::source::{Input, SourceError, read_input_lenient};
use crate::store::{IngestOutcome, Store, StoreError};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How many inputs a worker may run ahead of the writer, per worker.
const WINDOW: usize = 4;

/// At most this many documents wait for one commit.
pub const BATCH_DOCS: usize = 256;
/// At most this much document text (bytes) waits for one commit.
pub const BATCH_BYTES: usize = 4 << 20;
/// A document waits at most about this long for its commit.
pub const BATCH_MILLIS: u64 = 500;

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// Documents not seen before.
    pub new: usize,
    /// Documents stored already with the same content.
    pub unchanged: usize,
    /// Documents whose content changed: what they said before was replaced.
    pub replaced: usize,
    /// Inputs that could not be read (their errors went to the progress callback).
    pub failed: usize,
}

/// What the ingest tells its caller as it goes.
#[derive(Debug)]
pub enum Progress<'a> {
    /// An input was extracted (or skipped) and handed to the writer: `done` of `total`.
    Input {
        /// Inputs finished.
        done: usize,
        /// Inputs in all.
        total: usize,
        /// The input's name.
        name: &'a str,
    },
    /// An input could not be read; the run goes on.
    Failed(&'a SourceError),
}

/// Runs `work` on every input with `jobs` threads (at least one) and hands each result to `sink`
/// in input order, whatever order the threads finish in. Workers stay within a few inputs of
/// `sink`, so memory does not grow with the number of inputs. The first error of `sink` stops
/// the run and is returned.
pub fn in_order<T: Send, E>(
    inputs: &[Input],
    jobs: usize,
    work: impl Fn(&Input) -> T + Sync,
    mut sink: impl FnMut(usize, T) -> Result<(), E>,
) -> Result<(), E> {
    let jobs = jobs.max(1).min(inputs.len().max(1));
    if jobs == 1 {
        // One job: no threads, no channel, the same order by construction.
        for (i, input) in inputs.iter().enumerate() {
            sink(i, work(input))?;
        }
        return Ok(());
    }
    let next = AtomicUsize::new(0);
    // How many results `sink` has taken: workers stay within a window ahead of it.
    let taken = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<(usize, T)>(jobs * 2);
        for _ in 0..jobs {
            let tx = tx.clone();
            let (next, taken, stop, work) = (&next, &taken, &stop, &work);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(input) = inputs.get(i) else { break };
                    while i >= taken.load(Ordering::Acquire) + WINDOW * jobs && !stop.load(Ordering::Acquire) {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    if stop.load(Ordering::Acquire) || tx.send((i, work(input))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, T> = BTreeMap::new();
        let mut want = 0;
        for (i, result) in rx {
            pending.insert(i, result);
            while let Some(result) = pending.remove(&want) {
                if let Err(e) = sink(want, result) {
                    // Release the waiting workers: they stop at their next input.
                    stop.store(true, Ordering::Release);
                    return Err(e);
                }
                want += 1;
                taken.store(want, Ordering::Release);
            }
        }
        Ok(())
    })
}

/// One document of an input, as a worker leaves it for the writer.
enum Doc {
    /// Stored already with this content.
    Unchanged,
    /// Extracted, with its search words, to be written.
    Extracted(Box<(Extraction, Vec<(usize, String)>)>),
    /// Extraction failed on this document (a bug); the run goes on without it.
    Failed(SourceError),
}

/// Reads and extracts one input: what a worker does.
fn prepare(ex: &Extractor, known: &HashMap<String, String>, input: &Input) -> Result<Vec<Doc>, SourceError> {
    let (docs, errors) = read_input_lenient(input)?;
    Ok(errors
        .into_iter()
        .map(Doc::Failed)
        .chain(docs.into_iter().map(|d| {
            // An unchanged document is not extracted again.
            if known.get(&d.source) == Some(&d.id) {
                return Doc::Unchanged;
            }
            let source = d.source.clone();
            // One document that trips a bug must not take the run down with it.
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let x = ex.extract(d);
                let words = crate::store::sentence_words(&x);
                (x, words)
            })) {
                Ok(x) => Doc::Extracted(Box::new(x)),
                Err(_) => Doc::Failed(SourceError::Extraction { path: source }),
            }
        }))
        .collect())
}

/// Documents waiting for their commit.
struct Batch {
    docs: Vec<(Extraction, Vec<(usize, String)>)>,
    bytes: usize,
    since: Instant,
}

impl Batch {
    fn new() -> Batch {
        Batch {
            docs: Vec::new(),
            bytes: 0,
            since: Instant::now(),
        }
    }

    fn full(&self) -> bool {
        self.docs.len() >= BATCH_DOCS
            || self.bytes >= BATCH_BYTES
            || !self.docs.is_empty() && self.since.elapsed() >= Duration::from_millis(BATCH_MILLIS)
    }

    /// Commits the waiting documents and counts what writing them did.
    fn flush(&mut self, store: &mut Store, report: &mut IngestReport) -> Result<(), StoreError> {
        if self.docs.is_empty() {
            return Ok(());
        }
        let (outcomes, error) = store.write_batch(self.docs.iter().map(|(x, w)| (x, w.as_slice())))?;
        for o in outcomes {
            match o {
                IngestOutcome::New => report.new += 1,
                IngestOutcome::Unchanged => report.unchanged += 1,
                IngestOutcome::Replaced => report.replaced += 1,
            }
        }
        *self = Batch::new();
        error.map_or(Ok(()), Err)
    }
}

/// Reads, extracts and stores `inputs` with `threads` workers (at least one).
pub fn ingest(
    ex: &Extractor,
    store: &mut Store,
    inputs: &[Input],
    threads: usize,
    mut on: impl FnMut(Progress),
) -> Result<IngestReport, StoreError> {
    let known: HashMap<String, String> = store.document_hashes()?;
    let mut report = IngestReport::default();
    let mut batch = Batch::new();
    // Written in input order, so that the database is the same whatever the threads did.
    in_order(
        inputs,
        threads,
        |input| prepare(ex, &known, input),
        |i, outcome| {
            match outcome {
                Err(e) => {
                    report.failed += 1;
                    on(Progress::Failed(&e));
                }
                Ok(docs) => {
                    for d in docs {
                        match d {
                            Doc::Unchanged => report.unchanged += 1,
                            Doc::Failed(e) => {
                                report.failed += 1;
                                on(Progress::Failed(&e));
                            }
                            Doc::Extracted(x) => {
                                if batch.docs.is_empty() {
                                    batch.since = Instant::now();
                                }
                                batch.bytes += x.0.document.text.len();
                                batch.docs.push(*x);
                            }
                        }
                    }
                }
            }
            if batch.full() {
                batch.flush(store, &mut report)?;
            }
            on(Progress::Input {
                done: i + 1,
                total: inputs.len(),
                name: &inputs[i].name(),
            });
            Ok::<(), StoreError>(())
        },
    )?;
    batch.flush(store, &mut report)?;
    Ok(report)
}

/// Reads and extracts `inputs` with `jobs` threads and hands each document's extraction to
/// `sink` in input order (no database). Inputs that cannot be read, and documents whose
/// extraction failed, go to `failed`.
pub fn extract(
    ex: &Extractor,
    inputs: &[Input],
    jobs: usize,
    mut sink: impl FnMut(usize, Extraction),
    mut failed: impl FnMut(&SourceError),
) {
    let done: Result<(), std::convert::Infallible> = in_order(
        inputs,
        jobs,
        |input| prepare_extraction(ex, input),
        |i, outcome| {
            match outcome {
                Err(e) => failed(&e),
                Ok(docs) => {
                    for d in docs {
                        match d {
                            Ok(x) => sink(i, x),
                            Err(e) => failed(&e),
                        }
                    }
                }
            }
            Ok(())
        },
    );
    let Ok(()) = done;
}

/// Reads and extracts one input for `extract`: no search words, nothing to skip.
fn prepare_extraction(ex: &Extractor, input: &Input) -> Result<Vec<Result<Extraction, SourceError>>, SourceError> {
    let (docs, errors) = read_input_lenient(input)?;
    Ok(errors
        .into_iter()
        .map(Err)
        .chain(docs.into_iter().map(|d| {
            let source = d.source.clone();
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ex.extract(d)))
                .map_err(|_| SourceError::Extraction { path: source })
        }))
        .collect())
}
