//! Ingest: read inputs and extract them on worker threads, write them from one writer, in
//! input order, each document in its own transaction.
//!
//! Memory stays flat: workers run at most a few documents ahead of the writer.

use crate::model::Extraction;
use crate::pipeline::Extractor;
use crate::source::{Input, SourceError, read_input_lenient};
use crate::store::{IngestOutcome, Store, StoreError};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

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
}

enum Outcome {
    Failed(SourceError),
    Docs(Vec<Doc>),
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
    mut on: impl FnMut(Progress),
) -> Result<IngestReport, StoreError> {
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
                    let outcome = match read_input_lenient(input) {
                        Err(e) => Outcome::Failed(e),
                        // An unchanged document is not extracted again.
                        Ok((docs, errors)) => Outcome::Docs(
                            errors
                                .into_iter()
                                .map(Doc::Failed)
                                .chain(docs.into_iter().map(|d| {
                                    if known.get(&d.source) == Some(&d.id) {
                                        return Doc::Unchanged;
                                    }
                                    let source = d.source.clone();
                                    // One document that trips a bug must not take the run down with it.
                                    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ex.extract(d))) {
                                        Ok(x) => Doc::Extracted(Box::new(x)),
                                        Err(_) => Doc::Failed(SourceError::Extraction { path: source }),
                                    }
                                }))
                                .collect(),
                        ),
                    };
                    if tx.send((i, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Write in input order so that the database is the same whatever the threads did.
        let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
        let mut want = 0;
        for (i, outcome) in rx {
            pending.insert(i, outcome);
            while let Some(outcome) = pending.remove(&want) {
                match outcome {
                    Outcome::Failed(e) => {
                        report.failed += 1;
                        on(Progress::Failed(&e));
                    }
                    Outcome::Docs(docs) => {
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
                                    Err(e) => {
                                        // Release the waiting workers: they stop when the channel closes.
                                        written.store(usize::MAX / 2, Ordering::Release);
                                        return Err(StoreError::Document {
                                            doc: x.document.source.clone(),
                                            cause: Box::new(e),
                                        });
                                    }
                                },
                            }
                        }
                    }
                }
                want += 1;
                written.store(want, Ordering::Release);
                on(Progress::Input {
                    done: want,
                    total: inputs.len(),
                    name: &inputs[want - 1].name(),
                });
            }
        }
        Ok(())
    })?;
    Ok(report)
}
