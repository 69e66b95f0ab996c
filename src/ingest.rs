//! Ingest: read inputs and extract them on worker threads, write them from one writer, in
//! input order, each document in its own transaction.
//!
//! Memory stays flat: workers run at most a few documents ahead of the writer.
//!
//! A stop flag (Ctrl-C) ends the run after the input being written: what was written stays.

use crate::model::Extraction;
use crate::pipeline::Extractor;
use crate::source::{Input, ReadOptions, SourceError, holds_records, read_input_with, record_prefix};
use crate::store::{DocumentSelector, IngestOutcome, Store, StoreError};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

/// How an ingest runs.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// How inputs are read (a forced encoding).
    pub read: ReadOptions,
    /// When set, the run stops after the input being written.
    pub stop: Option<Arc<AtomicBool>>,
}

impl IngestOptions {
    fn stopped(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed))
    }
}

/// How many inputs a worker may run ahead of the writer, per worker.
const WINDOW: usize = 4;

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
    /// Stored documents extracted again under a new extractor (same content).
    pub reextracted: usize,
    /// Documents whose content is stored under another source already.
    pub duplicates: usize,
    /// Records gone from a re-read file, removed with what only they supported.
    pub removed: usize,
    /// Inputs skipped as not text (binary, undecodable).
    pub skipped: usize,
    /// Inputs skipped as empty.
    pub empty: usize,
    /// The run was stopped before its end (Ctrl-C).
    pub interrupted: bool,
}

/// What the ingest tells its caller as it goes.
#[derive(Debug)]
pub enum Progress<'a> {
    /// An input was written (or skipped): `done` of `total`.
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
    /// An input was skipped: not text, or empty.
    Skipped(&'a SourceError),
    /// A document's content is stored under another source already.
    Duplicate {
        /// The document.
        source: &'a str,
        /// Where its content is stored.
        of: &'a str,
    },
    /// A record gone from its file was removed.
    Removed(&'a str),
    /// Records of a streamed JSON Lines file written so far.
    Records {
        /// The file.
        name: &'a str,
        /// Records written (or found unchanged) so far.
        done: usize,
    },
}

/// Records of a JSON Lines file sent to the writer at a time.
const CHUNK: usize = 64;

enum Outcome {
    Failed(SourceError),
    /// Some records of a JSON Lines file read as a stream; more follow.
    Part(Vec<Doc>),
    /// The documents of an input, and for a file of records the sources it holds now (when all
    /// its records could be read).
    Docs(Vec<Doc>, Option<(String, HashSet<String>)>),
}

enum Doc {
    /// Stored already with this content.
    Unchanged,
    /// Extracted, to be written.
    Extracted(Box<Extraction>),
    /// Extraction failed on this document (a bug); the run goes on without it.
    Failed(SourceError),
}

/// Reads, extracts and stores `inputs` with `threads` workers (at least one).
pub fn ingest(
    ex: &Extractor,
    store: &mut Store,
    inputs: &[Input],
    threads: usize,
    on: impl FnMut(Progress),
) -> Result<IngestReport, StoreError> {
    ingest_with(ex, store, inputs, threads, &IngestOptions::default(), on)
}

/// [`ingest`] with options: a forced encoding, a stop flag.
pub fn ingest_with(
    ex: &Extractor,
    store: &mut Store,
    inputs: &[Input],
    threads: usize,
    opts: &IngestOptions,
    mut on: impl FnMut(Progress),
) -> Result<IngestReport, StoreError> {
    store.set_fingerprint(ex.fingerprint());
    let known: HashMap<String, String> = store.document_hashes()?;
    let mut report = IngestReport::default();
    let next = AtomicUsize::new(0);
    // How many inputs the writer has finished: workers stay within a window ahead of it.
    let written = AtomicUsize::new(0);
    let threads = threads.max(1).min(inputs.len().max(1));
    std::thread::scope(|scope| -> Result<(), StoreError> {
        let (tx, rx) = mpsc::sync_channel::<(usize, Outcome)>(threads * 2);
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, known, written) = (&next, &known, &written);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(input) = inputs.get(i) else { break };
                    while i >= written.load(Ordering::Acquire) + WINDOW * threads {
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                    if opts.stopped() {
                        break;
                    }
                    let prepare = |d: crate::model::Document| -> Doc {
                        // An unchanged document is not extracted again.
                        if known.get(&d.source) == Some(&d.id) {
                            return Doc::Unchanged;
                        }
                        let source = d.source.clone();
                        // One document that trips a bug must not take the run down with it.
                        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ex.extract(d))) {
                            Ok(x) => Doc::Extracted(Box::new(x)),
                            Err(_) => Doc::Failed(SourceError::Extraction { path: source }),
                        }
                    };
                    if crate::source::streams(input, &opts.read) {
                        // Record by record: memory stays one chunk a worker, and what is written stays
                        // written if the run stops.
                        let (mut members, mut had_errors, mut count) = (HashSet::new(), false, 0usize);
                        let result = crate::source::read_jsonl_stream(input, CHUNK, |docs, errors| {
                            // Only the writer's current input streams on.
                            while written.load(Ordering::Acquire) < i && !opts.stopped() {
                                std::thread::sleep(std::time::Duration::from_millis(1));
                            }
                            if opts.stopped() {
                                return false;
                            }
                            had_errors |= !errors.is_empty();
                            count += docs.len() + errors.len();
                            members.extend(docs.iter().map(|d| d.source.clone()));
                            let part: Vec<Doc> = errors
                                .into_iter()
                                .map(Doc::Failed)
                                .chain(docs.into_iter().map(prepare))
                                .collect();
                            tx.send((i, Outcome::Part(part))).is_ok()
                        });
                        let last = match result {
                            Err(e) => Outcome::Failed(e),
                            Ok(()) if count == 0 => Outcome::Failed(SourceError::Empty { path: input.name() }),
                            Ok(()) => Outcome::Docs(
                                Vec::new(),
                                (!had_errors).then(|| (record_prefix(&input.name()), members)),
                            ),
                        };
                        if tx.send((i, last)).is_err() {
                            break;
                        }
                        continue;
                    }
                    let outcome = match read_input_with(input, &opts.read) {
                        Err(e) => Outcome::Failed(e),
                        // An unchanged document is not extracted again.
                        Ok((docs, errors)) => {
                            let members = (holds_records(input) && errors.is_empty()).then(|| {
                                (
                                    record_prefix(&input.name()),
                                    docs.iter().map(|d| d.source.clone()).collect(),
                                )
                            });
                            Outcome::Docs(
                                errors
                                    .into_iter()
                                    .map(Doc::Failed)
                                    .chain(docs.into_iter().map(prepare))
                                    .collect(),
                                members,
                            )
                        }
                    };
                    if tx.send((i, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Write in input order so that the database is the same whatever the threads did.
        let mut pending: BTreeMap<usize, VecDeque<Outcome>> = BTreeMap::new();
        let mut want = 0;
        let mut records = 0;
        let fail = |e: StoreError| {
            // Release the waiting workers: they stop when the channel closes.
            written.store(usize::MAX / 2, Ordering::Release);
            e
        };
        for (i, outcome) in rx {
            pending.entry(i).or_default().push_back(outcome);
            while let Some(outcome) = pending.get_mut(&want).and_then(VecDeque::pop_front) {
                match outcome {
                    Outcome::Part(docs) => {
                        records += docs.len();
                        write_docs(store, docs, &mut report, &mut on).map_err(fail)?;
                        on(Progress::Records {
                            name: &inputs[want].name(),
                            done: records,
                        });
                        if opts.stopped() {
                            report.interrupted = true;
                            written.store(usize::MAX / 2, Ordering::Release);
                            return Ok(());
                        }
                        continue;
                    }
                    Outcome::Failed(e @ (SourceError::NotText { .. } | SourceError::Empty { .. })) => {
                        if matches!(e, SourceError::Empty { .. }) {
                            report.empty += 1;
                        } else {
                            report.skipped += 1;
                        }
                        on(Progress::Skipped(&e));
                    }
                    Outcome::Failed(e) => {
                        report.failed += 1;
                        on(Progress::Failed(&e));
                    }
                    Outcome::Docs(docs, members) => {
                        write_docs(store, docs, &mut report, &mut on).map_err(fail)?;
                        if let Some((prefix, keep)) = members {
                            prune_records(store, prefix, keep, &mut report, &mut on).map_err(fail)?;
                        }
                    }
                }
                pending.remove(&want);
                records = 0;
                want += 1;
                written.store(want, Ordering::Release);
                on(Progress::Input {
                    done: want,
                    total: inputs.len(),
                    name: &inputs[want - 1].name(),
                });
                if opts.stopped() {
                    report.interrupted = want < inputs.len();
                    // Release the waiting workers; leaving the loop drops the receiver, which ends them.
                    written.store(usize::MAX / 2, Ordering::Release);
                    return Ok(());
                }
            }
        }
        Ok(())
    })?;
    Ok(report)
}

/// Writes the documents of one input (or one part of it), each in its own transaction.
fn write_docs(
    store: &mut Store,
    docs: Vec<Doc>,
    report: &mut IngestReport,
    on: &mut impl FnMut(Progress),
) -> Result<(), StoreError> {
    for d in docs {
        match d {
            Doc::Unchanged => report.unchanged += 1,
            Doc::Failed(e) => {
                report.failed += 1;
                on(Progress::Failed(&e));
            }
            Doc::Extracted(x) => match store.write(&x) {
                Ok(IngestOutcome::New) => report.new += 1,
                Ok(IngestOutcome::Unchanged) => report.unchanged += 1,
                Ok(IngestOutcome::Replaced) => report.replaced += 1,
                Ok(IngestOutcome::Reextracted) => report.reextracted += 1,
                Ok(IngestOutcome::Duplicate) => {
                    report.duplicates += 1;
                    let of = store.source_of_hash(&x.document.id)?.unwrap_or_default();
                    on(Progress::Duplicate {
                        source: &x.document.source,
                        of: &of,
                    });
                }
                Err(e) => {
                    return Err(StoreError::Document {
                        doc: x.document.source.clone(),
                        cause: Box::new(e),
                    });
                }
            },
        }
    }
    Ok(())
}

/// Removes the records gone from a file that was read whole, with what only they supported.
fn prune_records(
    store: &mut Store,
    prefix: String,
    keep: HashSet<String>,
    report: &mut IngestReport,
    on: &mut impl FnMut(Progress),
) -> Result<(), StoreError> {
    let removed = store.remove_documents(&DocumentSelector::RecordsExcept { prefix, keep })?;
    for source in &removed {
        on(Progress::Removed(source));
    }
    report.removed += removed.len();
    Ok(())
}

/// Extracts again, from their stored text, the documents stored under another extractor than
/// `ex` (all of them when `all`), each in its own transaction; stops early when `stop` is set.
/// Gives how many were extracted again.
pub fn reextract(
    ex: &Extractor,
    store: &mut Store,
    all: bool,
    stop: Option<&AtomicBool>,
    mut on: impl FnMut(usize, usize),
) -> Result<usize, StoreError> {
    store.set_fingerprint(ex.fingerprint());
    let stale = store.stale_documents(ex.fingerprint(), all)?;
    let mut done = 0;
    for (i, id) in stale.iter().enumerate() {
        if stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
            break;
        }
        let Some(d) = store.stored_document(*id)? else { continue };
        let mut doc = crate::source::make_document(d.source, d.text, d.title, d.url, d.date);
        // The stored hash is what the source's file gives; kept so the next ingest sees it unchanged.
        doc.id = d.hash;
        let source = doc.source.clone();
        let x = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ex.extract(doc))) {
            Ok(x) => x,
            Err(_) => continue,
        };
        // Forced: the stored row's fingerprint is cleared first so that the write replaces it.
        if all {
            store.clear_fingerprint(*id)?;
        }
        store.write(&x).map_err(|e| StoreError::Document {
            doc: source,
            cause: Box::new(e),
        })?;
        done += 1;
        on(i + 1, stale.len());
    }
    Ok(done)
}
