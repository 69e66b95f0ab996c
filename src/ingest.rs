//! Ingest: read inputs and extract them on worker threads, write them from one writer, in
//! input order, many whole documents a transaction.
//!
//! Memory stays flat: a worker takes a group of small files at a time (see [`crate::stage`]) and
//! runs at most a few groups ahead of the writer, a JSON Lines file is read record by record a
//! chunk at a time, and the writer commits every [`BATCH_DOCS`] documents, [`BATCH_BYTES`] of
//! text or [`BATCH_MILLIS`] ms.
//!
//! A stop flag (Ctrl-C) ends the run after the input (or the chunk of records) being written:
//! what was handed to the writer is committed and stays. Workers finish the group in hand first;
//! the inputs of it not written are left for the next run.

use crate::model::Extraction;
use crate::pipeline::Extractor;
use crate::source::{Input, ReadOptions, SourceError, holds_records, read_input_with, record_prefix};
use crate::stage::GROUP_DOCS;
use crate::store::{DocumentSelector, IngestOutcome, Store, StoreError};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

/// How an ingest runs.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// How inputs are read (a forced encoding).
    pub read: ReadOptions,
    /// When set, the run stops after the input being written.
    pub stop: Option<Arc<AtomicBool>>,
    /// At most this many documents a commit ([`BATCH_DOCS`] when `None`).
    pub commit_every: Option<usize>,
}

impl IngestOptions {
    fn stopped(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed))
    }
}

/// How many items (inputs, or groups of inputs) a worker may run ahead of the writer, per worker.
const WINDOW: usize = 4;

/// Records of a JSON Lines file handed to the writer at a time.
const CHUNK: usize = 64;

/// Runs of consecutive inputs that a worker takes together ([`crate::stage::runs`] of their file
/// sizes): small files, few enough that each of `jobs` workers has two runs or more when there are
/// that many inputs. Standard input, missing files and JSON Lines files read as a stream go alone.
fn groups(inputs: &[Input], read: &ReadOptions, jobs: usize) -> Vec<std::ops::Range<usize>> {
    let most = GROUP_DOCS.min(inputs.len() / (jobs.max(1) * 2)).max(1);
    crate::stage::runs(inputs, most, |input| match input {
        Input::File(p) if !crate::source::streams(input, read) => std::fs::metadata(p).ok().map(|m| m.len()),
        _ => None,
    })
}

/// At most this many documents wait for one commit. Pages that many documents share (an index's
/// leaf, a popular entity's rows) are written once a commit: in a database of 19,000 documents,
/// commits of 1,024 documents wrote half the pages that commits of 256 did.
pub const BATCH_DOCS: usize = 1024;
/// At most this much document text (bytes) waits for one commit. An extraction takes some thirty
/// times its text in memory, and with several jobs one batch is written while the next fills.
pub const BATCH_BYTES: usize = 2 << 20;
/// A document waits at most about this long for its commit.
pub const BATCH_MILLIS: u64 = 2000;

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
    /// Records of a streamed JSON Lines file handed to the writer so far.
    Records {
        /// The file.
        name: &'a str,
        /// Records handed to the writer (or found unchanged) so far.
        done: usize,
    },
}

/// What a worker hands over for one input: parts as it goes (the chunks of a file read as a
/// stream), then the input's last piece.
pub enum Piece<P, T> {
    /// A part of the input; more follow.
    Part(P),
    /// The input's last piece.
    Last(T),
}

/// Runs `work` on every input with `jobs` threads (at least one) and hands each result to `sink`
/// in input order, whatever order the threads finish in. Workers stay within a few inputs of
/// `sink`, so memory does not grow with the number of inputs. The first error of `sink` stops
/// the run and is returned.
pub fn in_order<I: Sync, T: Send, E>(
    inputs: &[I],
    jobs: usize,
    work: impl Fn(&I) -> T + Sync,
    mut sink: impl FnMut(usize, T) -> Result<(), E>,
) -> Result<(), E> {
    in_order_parts(
        inputs,
        jobs,
        None,
        |input, _: &mut dyn FnMut(std::convert::Infallible) -> bool| work(input),
        |i, piece| match piece {
            Piece::Last(t) => sink(i, t).map(|()| ControlFlow::Continue(())),
            Piece::Part(never) => match never {},
        },
    )
}

/// [`in_order`] where an input's result may come in parts: `work` gets a function that hands
/// one part to `sink` at once and says whether to go on. A part waits until its input is the one
/// `sink` is at, so only one input streams at a time and memory stays a part a worker; `sink`
/// gets every part of an input, then its [`Piece::Last`], before anything of the next input.
///
/// The run ends early when `sink` breaks or fails, and workers start no new input once `stop` is
/// set (their parts then say stop); the inputs `sink` did not get are the ones not done.
pub fn in_order_parts<I: Sync, P: Send, T: Send, E>(
    inputs: &[I],
    jobs: usize,
    stop: Option<&AtomicBool>,
    work: impl Fn(&I, &mut dyn FnMut(P) -> bool) -> T + Sync,
    mut sink: impl FnMut(usize, Piece<P, T>) -> Result<ControlFlow<()>, E>,
) -> Result<(), E> {
    let stopped = || stop.is_some_and(|s| s.load(Ordering::Relaxed));
    let jobs = jobs.max(1).min(inputs.len().max(1));
    if jobs == 1 {
        // One job: no threads, no channel, the same order by construction.
        for (i, input) in inputs.iter().enumerate() {
            if stopped() {
                break;
            }
            let mut ended: Option<Result<(), E>> = None;
            let t = work(input, &mut |p| {
                if ended.is_some() || stopped() {
                    return false;
                }
                match sink(i, Piece::Part(p)) {
                    Ok(ControlFlow::Continue(())) => true,
                    Ok(ControlFlow::Break(())) => {
                        ended = Some(Ok(()));
                        false
                    }
                    Err(e) => {
                        ended = Some(Err(e));
                        false
                    }
                }
            });
            if let Some(end) = ended {
                return end;
            }
            if sink(i, Piece::Last(t))?.is_break() {
                return Ok(());
            }
        }
        return Ok(());
    }
    let next = AtomicUsize::new(0);
    // How many inputs `sink` has finished: workers stay within a window ahead of it.
    let taken = AtomicUsize::new(0);
    // Set when `sink` ended the run.
    let quit = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<(usize, Piece<P, T>)>(jobs * 2);
        for _ in 0..jobs {
            let tx = tx.clone();
            let (next, taken, quit, work, stopped) = (&next, &taken, &quit, &work, &stopped);
            scope.spawn(move || {
                let over = || quit.load(Ordering::Acquire) || stopped();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(input) = inputs.get(i) else { break };
                    while i >= taken.load(Ordering::Acquire) + WINDOW * jobs && !over() {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    if over() {
                        break;
                    }
                    let t = work(input, &mut |p| {
                        // Only the input `sink` is at streams on.
                        while taken.load(Ordering::Acquire) < i && !over() {
                            std::thread::sleep(Duration::from_millis(1));
                        }
                        !over() && tx.send((i, Piece::Part(p))).is_ok()
                    });
                    if tx.send((i, Piece::Last(t))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, VecDeque<Piece<P, T>>> = BTreeMap::new();
        let mut want = 0;
        for (i, piece) in rx {
            pending.entry(i).or_default().push_back(piece);
            while let Some(piece) = pending.get_mut(&want).and_then(VecDeque::pop_front) {
                let last = matches!(piece, Piece::Last(_));
                match sink(want, piece) {
                    Ok(ControlFlow::Continue(())) => {}
                    end => {
                        // Release the waiting workers: they stop at their next input or part, and
                        // leaving drops the receiver, which ends a worker's send.
                        quit.store(true, Ordering::Release);
                        return end.map(|_| ());
                    }
                }
                if last {
                    pending.remove(&want);
                    want += 1;
                    taken.store(want, Ordering::Release);
                }
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

/// What a worker leaves for the writer at the end of an input.
enum Outcome {
    Failed(SourceError),
    /// A file read as a stream was cut short because the run stopped: the records handed over
    /// before stay, and nothing is said of the others.
    Cut,
    /// The documents of an input (none more for a streamed file: its records came in parts), and
    /// for a file of records the sources it holds now (when all its records could be read).
    Docs(Vec<Doc>, Option<(String, HashSet<String>)>),
}

/// Extracts documents, each with its search words, unless it is stored already with this
/// content; a stage at a time (see [`Extractor::extract_many`]).
fn prepare_docs(ex: &Extractor, known: &HashMap<String, String>, docs: Vec<crate::model::Document>) -> Vec<Doc> {
    // An unchanged document is not extracted again.
    let mut unchanged = Vec::with_capacity(docs.len());
    let mut todo = Vec::new();
    for d in docs {
        let same = known.get(&d.source) == Some(&d.id);
        unchanged.push(same);
        if !same {
            todo.push(d);
        }
    }
    let sources: Vec<String> = todo.iter().map(|d| d.source.clone()).collect();
    // One document that trips a bug must not take the run down with it.
    let extracted = crate::stage::map(ex.extract_many(todo), |x| {
        let words = crate::store::sentence_words(&x);
        (x, words)
    });
    let mut extracted = extracted.into_iter().zip(sources);
    unchanged
        .into_iter()
        .map(|same| {
            if same {
                return Doc::Unchanged;
            }
            match extracted.next().expect("one extraction for each document to extract") {
                (Ok(x), _) => Doc::Extracted(Box::new(x)),
                (Err(_), source) => Doc::Failed(SourceError::Extraction { path: source }),
            }
        })
        .collect()
}

/// What one input of a group gave when read: its read error, or the errors of its bad records and,
/// for a file of records read whole, its prefix and the sources it holds now.
type InputRead = Result<(Vec<SourceError>, Option<(String, HashSet<String>)>), SourceError>;

/// Reads every input of a group and gathers their documents in one list, to be extracted together:
/// each input's [`InputRead`], the documents, and for each document the index of its input.
fn read_group(inputs: &[Input], read: &ReadOptions) -> (Vec<InputRead>, Vec<crate::model::Document>, Vec<usize>) {
    let mut docs = Vec::new();
    let mut owners = Vec::new();
    let reads = inputs
        .iter()
        .enumerate()
        .map(|(k, input)| {
            read_input_with(input, read).map(|(ds, errors)| {
                let members = (holds_records(input) && errors.is_empty()).then(|| {
                    (
                        record_prefix(&input.name()),
                        ds.iter().map(|d| d.source.clone()).collect(),
                    )
                });
                owners.extend(std::iter::repeat_n(k, ds.len()));
                docs.extend(ds);
                (errors, members)
            })
        })
        .collect();
    (reads, docs, owners)
}

/// Reads and extracts a group of inputs (see [`groups`]): what a worker does. A JSON Lines file
/// read as a stream is a group of its own, its records handed to `part` a chunk at a time; the
/// documents of the other inputs of a group are extracted together.
fn prepare(
    ex: &Extractor,
    known: &HashMap<String, String>,
    read: &ReadOptions,
    inputs: &[Input],
    part: &mut dyn FnMut(Vec<Doc>) -> bool,
) -> Vec<Outcome> {
    if let [input] = inputs
        && crate::source::streams(input, read)
    {
        return vec![prepare_stream(ex, known, input, part)];
    }
    let (reads, docs, owners) = read_group(inputs, read);
    let mut outcomes: Vec<Outcome> = reads
        .into_iter()
        .map(|r| match r {
            Err(e) => Outcome::Failed(e),
            Ok((errors, members)) => Outcome::Docs(errors.into_iter().map(Doc::Failed).collect(), members),
        })
        .collect();
    for (k, doc) in owners.into_iter().zip(prepare_docs(ex, known, docs)) {
        if let Outcome::Docs(list, _) = &mut outcomes[k] {
            list.push(doc);
        }
    }
    outcomes
}

/// Reads and extracts a JSON Lines file record by record: memory stays one chunk a worker, and
/// what is written stays written if the run stops.
fn prepare_stream(
    ex: &Extractor,
    known: &HashMap<String, String>,
    input: &Input,
    part: &mut dyn FnMut(Vec<Doc>) -> bool,
) -> Outcome {
    let (mut members, mut had_errors, mut count, mut cut) = (HashSet::new(), false, 0usize, false);
    let result = crate::source::read_jsonl_stream(input, CHUNK, |docs, errors| {
        had_errors |= !errors.is_empty();
        count += docs.len() + errors.len();
        members.extend(docs.iter().map(|d| d.source.clone()));
        let docs: Vec<Doc> = errors
            .into_iter()
            .map(Doc::Failed)
            .chain(prepare_docs(ex, known, docs))
            .collect();
        cut = !part(docs);
        !cut
    });
    match result {
        Err(e) => Outcome::Failed(e),
        Ok(()) if cut => Outcome::Cut,
        Ok(()) if count == 0 => Outcome::Failed(SourceError::Empty { path: input.name() }),
        Ok(()) => Outcome::Docs(
            Vec::new(),
            (!had_errors).then(|| (record_prefix(&input.name()), members)),
        ),
    }
}

/// Documents waiting for their commit.
struct Batch {
    docs: Vec<(Extraction, Vec<(usize, String)>)>,
    /// Files of records read whole, whose records gone from them go once the documents are written:
    /// each file's prefix and the sources it still holds.
    prunes: Vec<(String, HashSet<String>)>,
    bytes: usize,
    since: Instant,
    max_docs: usize,
}

/// What writing one batch did: the outcomes counted, the duplicates with the source each
/// duplicates, and the error that stopped the batch, if one did.
#[derive(Default)]
struct Written {
    report: IngestReport,
    duplicates: Vec<(String, String)>,
    removed: Vec<String>,
    error: Option<StoreError>,
}

impl Written {
    /// Adds what was written to `report`, says the duplicates and removals, and gives the error.
    fn apply(self, report: &mut IngestReport, on: &mut impl FnMut(Progress)) -> Result<(), StoreError> {
        report.new += self.report.new;
        report.unchanged += self.report.unchanged;
        report.replaced += self.report.replaced;
        report.reextracted += self.report.reextracted;
        report.duplicates += self.report.duplicates;
        report.removed += self.removed.len();
        for (source, of) in &self.duplicates {
            on(Progress::Duplicate { source, of });
        }
        for source in &self.removed {
            on(Progress::Removed(source));
        }
        self.error.map_or(Ok(()), Err)
    }
}

/// Commits documents and counts what writing them did.
fn write_docs(store: &mut Store, docs: &[(Extraction, Vec<(usize, String)>)]) -> Result<Written, StoreError> {
    let mut w = Written::default();
    if docs.is_empty() {
        return Ok(w);
    }
    let (outcomes, error) = store.write_batch(docs.iter().map(|(x, w)| (x, w.as_slice())))?;
    for (o, (x, _)) in outcomes.into_iter().zip(docs) {
        match o {
            IngestOutcome::New => w.report.new += 1,
            IngestOutcome::Unchanged => w.report.unchanged += 1,
            IngestOutcome::Replaced => w.report.replaced += 1,
            IngestOutcome::Reextracted => w.report.reextracted += 1,
            IngestOutcome::Duplicate => {
                w.report.duplicates += 1;
                let of = store.source_of_hash(&x.document.id)?.unwrap_or_default();
                w.duplicates.push((x.document.source.clone(), of));
            }
        }
    }
    w.error = error;
    Ok(w)
}

/// Removes the records gone from a file that was read whole, with what only they supported.
fn prune_records(store: &mut Store, prefix: String, keep: HashSet<String>) -> Result<Written, StoreError> {
    let gone = |s: &String| s.starts_with(prefix.as_str()) && !keep.contains(s);
    let mut w = Written::default();
    if store.sources_with_prefix(&prefix)?.iter().any(gone) {
        w.removed = store.remove_documents(&DocumentSelector::RecordsExcept { prefix, keep })?;
    }
    Ok(w)
}

/// A batch for the writer: documents to write, then records gone from their files to remove.
struct Job {
    docs: Vec<(Extraction, Vec<(usize, String)>)>,
    prunes: Vec<(String, HashSet<String>)>,
}

impl Job {
    /// Writes the documents, then removes what is gone from the files read whole.
    fn run(self, store: &mut Store) -> Result<Written, StoreError> {
        let mut w = write_docs(store, &self.docs)?;
        if w.error.is_none() {
            for (prefix, keep) in self.prunes {
                w.removed.extend(prune_records(store, prefix, keep)?.removed);
            }
        }
        Ok(w)
    }
}

/// Where batches are written: on the thread that collects them (one job), or on a writer thread
/// of their own, so that the workers go on extracting while a batch is committed (with the
/// collecting thread doing the writing, they stood still for every commit).
enum Writer<'s> {
    Here(&'s mut Store),
    Thread {
        /// `None` once closed: the writer ends when it has written what it was handed.
        jobs: Option<mpsc::SyncSender<Job>>,
        written: mpsc::Receiver<Result<Written, StoreError>>,
    },
}

impl Writer<'_> {
    /// Says what the writer thread has written since last asked; its error, if it had one.
    fn collect(&mut self, report: &mut IngestReport, on: &mut impl FnMut(Progress)) -> Result<(), StoreError> {
        if let Writer::Thread { written, .. } = self {
            while let Ok(w) = written.try_recv() {
                w?.apply(report, on)?;
            }
        }
        Ok(())
    }

    /// Writes (or hands over) one job.
    fn run(&mut self, job: Job, report: &mut IngestReport, on: &mut impl FnMut(Progress)) -> Result<(), StoreError> {
        match self {
            Writer::Here(store) => job.run(store)?.apply(report, on),
            Writer::Thread { jobs, .. } => {
                if jobs.as_ref().is_none_or(|jobs| jobs.send(job).is_err()) {
                    // The writer stopped on an error: it is what it sent last.
                    return self.finish(report, on);
                }
                self.collect(report, on)
            }
        }
    }

    /// Waits for the writer thread to write everything handed over, and says what it wrote.
    fn finish(&mut self, report: &mut IngestReport, on: &mut impl FnMut(Progress)) -> Result<(), StoreError> {
        if let Writer::Thread { jobs, written } = self {
            *jobs = None;
            let mut first_error = Ok(());
            while let Ok(w) = written.recv() {
                let r = w.and_then(|w| w.apply(report, on));
                if first_error.is_ok() {
                    first_error = r;
                }
            }
            return first_error;
        }
        Ok(())
    }
}

/// The writer thread: writes the jobs in the order handed over, and stops at the first error.
fn write_jobs(store: &mut Store, jobs: mpsc::Receiver<Job>, written: mpsc::Sender<Result<Written, StoreError>>) {
    for job in jobs {
        let w = job.run(store);
        let failed = !matches!(&w, Ok(w) if w.error.is_none());
        if written.send(w).is_err() || failed {
            return;
        }
    }
}

impl Batch {
    fn new(max_docs: usize) -> Batch {
        Batch {
            docs: Vec::new(),
            prunes: Vec::new(),
            bytes: 0,
            since: Instant::now(),
            max_docs,
        }
    }

    fn full(&self) -> bool {
        self.docs.len() >= self.max_docs
            || self.bytes >= BATCH_BYTES
            || !self.docs.is_empty() && self.since.elapsed() >= Duration::from_millis(BATCH_MILLIS)
    }

    /// Takes the documents of one input (or one part of it): counts the ones not to write, and
    /// keeps the others for the next commit.
    fn add(&mut self, docs: Vec<Doc>, report: &mut IngestReport, on: &mut impl FnMut(Progress)) {
        for d in docs {
            match d {
                Doc::Unchanged => report.unchanged += 1,
                Doc::Failed(e) => {
                    report.failed += 1;
                    on(Progress::Failed(&e));
                }
                Doc::Extracted(x) => {
                    if self.docs.is_empty() {
                        self.since = Instant::now();
                    }
                    self.bytes += x.0.document.text.len();
                    self.docs.push(*x);
                }
            }
        }
    }

    /// Commits the waiting documents (hands them to the writer).
    fn flush(
        &mut self,
        writer: &mut Writer,
        report: &mut IngestReport,
        on: &mut impl FnMut(Progress),
    ) -> Result<(), StoreError> {
        if self.docs.is_empty() && self.prunes.is_empty() {
            return writer.collect(report, on);
        }
        let job = Job {
            docs: std::mem::take(&mut self.docs),
            prunes: std::mem::take(&mut self.prunes),
        };
        *self = Batch::new(self.max_docs);
        writer.run(job, report, on)
    }

    /// Removes the records gone from a file that was read whole, with what only they supported,
    /// once the waiting documents are written: as when each document had its own commit.
    fn prune(&mut self, prefix: String, keep: HashSet<String>) {
        self.prunes.push((prefix, keep));
    }
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
    if threads <= 1 {
        let mut writer = Writer::Here(store);
        collect_and_write(ex, &known, inputs, threads, opts, &mut writer, &mut report, &mut on)?;
        return Ok(report);
    }
    std::thread::scope(|scope| {
        // A rendezvous: one batch is written while the next fills, and no more wait.
        let (jobs, queue) = mpsc::sync_channel::<Job>(0);
        let (done, written) = mpsc::channel();
        scope.spawn(move || write_jobs(store, queue, done));
        let mut writer = Writer::Thread {
            jobs: Some(jobs),
            written,
        };
        let r = collect_and_write(ex, &known, inputs, threads, opts, &mut writer, &mut report, &mut on);
        // Whatever happened, the writer ends before the scope does.
        let f = writer.finish(&mut report, &mut on);
        r.and(f)
    })?;
    Ok(report)
}

/// Runs the workers and hands their documents, in input order, to `writer` a batch at a time.
#[allow(clippy::too_many_arguments)]
fn collect_and_write(
    ex: &Extractor,
    known: &HashMap<String, String>,
    inputs: &[Input],
    threads: usize,
    opts: &IngestOptions,
    writer: &mut Writer,
    report: &mut IngestReport,
    on: &mut impl FnMut(Progress),
) -> Result<(), StoreError> {
    let mut batch = Batch::new(opts.commit_every.unwrap_or(BATCH_DOCS).max(1));
    // Inputs finished, and records of the current one handed over so far.
    let (mut done, mut records) = (0, 0);
    // Written in input order, so that the database is the same whatever the threads did.
    let groups = groups(inputs, &opts.read, threads);
    let mut one = |i: usize, piece: Piece<Vec<Doc>, Outcome>| -> Result<ControlFlow<()>, StoreError> {
        match piece {
            Piece::Part(docs) => {
                records += docs.len();
                batch.add(docs, report, on);
                if batch.full() {
                    batch.flush(writer, report, on)?;
                }
                on(Progress::Records {
                    name: &inputs[i].name(),
                    done: records,
                });
                if opts.stopped() {
                    report.interrupted = true;
                    return Ok(ControlFlow::Break(()));
                }
                return Ok(ControlFlow::Continue(()));
            }
            Piece::Last(Outcome::Cut) => {
                report.interrupted = true;
                return Ok(ControlFlow::Break(()));
            }
            Piece::Last(Outcome::Failed(e @ (SourceError::NotText { .. } | SourceError::Empty { .. }))) => {
                if matches!(e, SourceError::Empty { .. }) {
                    report.empty += 1;
                } else {
                    report.skipped += 1;
                }
                on(Progress::Skipped(&e));
            }
            Piece::Last(Outcome::Failed(e)) => {
                report.failed += 1;
                on(Progress::Failed(&e));
            }
            Piece::Last(Outcome::Docs(docs, members)) => {
                batch.add(docs, report, on);
                if let Some((prefix, keep)) = members {
                    batch.prune(prefix, keep);
                }
            }
        }
        if batch.full() {
            batch.flush(writer, report, on)?;
        }
        records = 0;
        done = i + 1;
        on(Progress::Input {
            done,
            total: inputs.len(),
            name: &inputs[i].name(),
        });
        if opts.stopped() {
            report.interrupted = done < inputs.len();
            return Ok(ControlFlow::Break(()));
        }
        Ok::<_, StoreError>(ControlFlow::Continue(()))
    };
    in_order_parts(
        &groups,
        threads,
        opts.stop.as_deref(),
        |g, part| prepare(ex, known, &opts.read, &inputs[g.clone()], part),
        |gi, piece| match piece {
            Piece::Part(docs) => one(groups[gi].start, Piece::Part(docs)),
            Piece::Last(outcomes) => {
                for (i, outcome) in (groups[gi].start..).zip(outcomes) {
                    if one(i, Piece::Last(outcome))?.is_break() {
                        return Ok(ControlFlow::Break(()));
                    }
                }
                Ok(ControlFlow::Continue(()))
            }
        },
    )?;
    // What was handed over is committed, also when the run stopped.
    batch.flush(writer, report, on)?;
    // The workers may have seen the stop flag before the writer did.
    if done < inputs.len() && opts.stopped() {
        report.interrupted = true;
    }
    Ok(())
}

/// Reads and extracts `inputs` with `jobs` threads and hands each document's extraction to
/// `sink` in input order (no database). Inputs that cannot be read, and documents whose
/// extraction failed, go to `failed`.
pub fn extract(
    ex: &Extractor,
    inputs: &[Input],
    jobs: usize,
    read: &ReadOptions,
    mut sink: impl FnMut(usize, Extraction),
    mut failed: impl FnMut(&SourceError),
) {
    let groups = groups(inputs, read, jobs);
    let done: Result<(), std::convert::Infallible> = in_order(
        &groups,
        jobs,
        |g| prepare_extractions(ex, read, &inputs[g.clone()]),
        |gi, outcomes| {
            for (i, outcome) in (groups[gi].start..).zip(outcomes) {
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
            }
            Ok(())
        },
    );
    let Ok(()) = done;
}

/// What `extract` makes of one input: the input's error, or each document's extraction or error.
type Extractions = Result<Vec<Result<Extraction, SourceError>>, SourceError>;

/// Reads and extracts a group of inputs for `extract`, all their documents a stage at a time: no
/// search words, nothing to skip.
fn prepare_extractions(ex: &Extractor, read: &ReadOptions, inputs: &[Input]) -> Vec<Extractions> {
    let (reads, docs, owners) = read_group(inputs, read);
    let mut out: Vec<Extractions> = reads
        .into_iter()
        .map(|r| r.map(|(errors, _)| errors.into_iter().map(Err).collect()))
        .collect();
    let sources: Vec<String> = docs.iter().map(|d| d.source.clone()).collect();
    for ((k, x), source) in owners.into_iter().zip(ex.extract_many(docs)).zip(sources) {
        if let Ok(list) = &mut out[k] {
            list.push(x.map_err(|_| SourceError::Extraction { path: source }));
        }
    }
    out
}

/// Extracts again, from their stored text, the documents stored under another extractor than
/// `ex` (all of them when `all`) with `jobs` threads, the way [`ingest_with`] extracts: on
/// workers, written in row order by one writer, many documents a commit and each in its own
/// savepoint, so that a document is replaced wholly or not at all. Documents are read from the
/// store a batch at a time, so memory stays flat. Stops after the batch being written when `stop`
/// is set. Gives how many were extracted again.
pub fn reextract(
    ex: &Extractor,
    store: &mut Store,
    all: bool,
    jobs: usize,
    stop: Option<&AtomicBool>,
    mut on: impl FnMut(usize, usize),
) -> Result<usize, StoreError> {
    store.set_fingerprint(ex.fingerprint());
    let stale = store.stale_documents(ex.fingerprint(), all)?;
    let stopped = || stop.is_some_and(|s| s.load(Ordering::Relaxed));
    let (mut done, mut next) = (0, 0);
    while next < stale.len() && !stopped() {
        // A batch: as many documents as one commit of an ingest holds.
        let mut docs = Vec::new();
        let mut bytes = 0;
        while next < stale.len() && docs.len() < BATCH_DOCS && bytes < BATCH_BYTES {
            if let Some(d) = store.stored_document(stale[next])? {
                bytes += d.text.len();
                docs.push(d);
            }
            next += 1;
        }
        // Forced: the stored rows' fingerprints are cleared first so that the writes replace them
        // (a run stopped in between leaves them to the next ingest, which extracts them again).
        if all {
            store.clear_fingerprints(&docs.iter().map(|d| d.id).collect::<Vec<_>>())?;
        }
        let mut extracted: Vec<(Extraction, Vec<(usize, String)>)> = Vec::with_capacity(docs.len());
        // A worker extracts a group of documents at a time, a stage at a time.
        let groups: Vec<_> = crate::stage::runs(&docs, GROUP_DOCS, |d| Some(d.text.len() as u64))
            .into_iter()
            .map(|r| &docs[r])
            .collect();
        let none: Result<(), std::convert::Infallible> = in_order(
            &groups,
            jobs,
            |group| {
                let docs = group
                    .iter()
                    .map(|d| {
                        let mut doc = crate::source::make_document(
                            d.source.clone(),
                            d.text.clone(),
                            d.title.clone(),
                            d.url.clone(),
                            d.date.clone(),
                        );
                        // The stored hash is what the source's file gives; kept so the next ingest sees it unchanged.
                        doc.id = d.hash.clone();
                        doc
                    })
                    .collect();
                // One document that trips a bug is left as it is stored; the run goes on.
                crate::stage::map(ex.extract_many(docs), |x| {
                    let words = crate::store::sentence_words(&x);
                    (x, words)
                })
                .into_iter()
                .filter_map(Result::ok)
                .collect::<Vec<_>>()
            },
            |_, x| {
                extracted.extend(x);
                Ok(())
            },
        );
        let Ok(()) = none;
        let (outcomes, error) = store.write_batch(extracted.iter().map(|(x, w)| (x, w.as_slice())))?;
        done += outcomes.len();
        on(next, stale.len());
        if let Some(e) = error {
            return Err(e);
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stage::GROUP_BYTES;

    fn inputs(n: usize) -> Vec<Input> {
        (0..n).map(|i| Input::File(format!("{i}").into())).collect()
    }

    /// Input `n` comes in `n % 4` parts, then its last piece.
    fn pieces(jobs: usize, stop: Option<&AtomicBool>, stop_at: Option<usize>) -> Vec<String> {
        let inputs = inputs(40);
        let mut seen = Vec::new();
        let r: Result<(), ()> = in_order_parts(
            &inputs,
            jobs,
            stop,
            |input, part| {
                let n: usize = input.name().parse().unwrap();
                // Later inputs finish first, to shake the order.
                std::thread::sleep(Duration::from_micros(((40 - n) * 50) as u64));
                for k in 0..n % 4 {
                    if !part(format!("{n}.{k}")) {
                        return format!("{n} cut");
                    }
                }
                format!("{n}")
            },
            |i, piece| {
                match piece {
                    Piece::Part(p) => seen.push(p),
                    Piece::Last(t) => {
                        assert_eq!(t.split(' ').next().unwrap(), i.to_string());
                        seen.push(t);
                        if Some(i) == stop_at {
                            stop.unwrap().store(true, Ordering::Relaxed);
                        }
                    }
                }
                Ok(ControlFlow::Continue(()))
            },
        );
        r.unwrap();
        seen
    }

    #[test]
    fn small_files_are_grouped_and_others_go_alone() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, bytes: usize| {
            let p = dir.path().join(name);
            std::fs::write(&p, "字".repeat(bytes / 3) + &"a".repeat(bytes % 3)).unwrap();
            Input::File(p)
        };
        let feed = dir.path().join("feed.jsonl");
        std::fs::write(&feed, "{\"text\":\"谷歌收购了DeepMind。\"}\n").unwrap();
        let small = GROUP_BYTES as usize / 300;
        let n = GROUP_DOCS;
        let mut inputs: Vec<Input> = (0..2 * n + 3).map(|i| file(&format!("{i}.txt"), small)).collect();
        inputs.push(Input::Missing(dir.path().join("gone.txt")));
        inputs.push(file("x.txt", small));
        inputs.push(Input::File(feed));
        inputs.push(file("y.txt", small));
        inputs.push(file("big.txt", GROUP_BYTES as usize));
        inputs.push(file("z.txt", small));
        inputs.push(Input::Stdin);
        // The small files fill groups up to the count; the rest go alone or start a group anew, and
        // a file of the whole size closes its group.
        let m = 2 * n;
        let want = vec![
            0..n,
            n..m,
            m..m + 3,
            m + 3..m + 4,
            m + 4..m + 5,
            m + 5..m + 6,
            m + 6..m + 7,
            m + 7..m + 8,
            m + 8..m + 9,
            m + 9..m + 10,
        ];
        assert_eq!(groups(&inputs, &ReadOptions::default(), 1), want);
        // Up to the bytes.
        let half: Vec<Input> = (0..5)
            .map(|i| file(&format!("h{i}.txt"), GROUP_BYTES as usize / 2 - 16))
            .collect();
        assert_eq!(groups(&half, &ReadOptions::default(), 1), vec![0..2, 2..4, 4..5]);
        // And few enough files that every worker has two groups or more.
        let few: Vec<Input> = (0..40).map(|i| file(&format!("f{i}.txt"), small)).collect();
        assert_eq!(
            groups(&few, &ReadOptions::default(), 2),
            vec![0..10, 10..20, 20..30, 30..40]
        );
        // Fewer files than two a worker: one a group.
        assert_eq!(groups(&few[..9], &ReadOptions::default(), 4).len(), 9);
        assert_eq!(groups(&few[..5], &ReadOptions::default(), 2).len(), 5);
    }

    #[test]
    fn a_run_that_finds_every_document_stored_builds_no_recogniser() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..5 {
            std::fs::write(
                dir.path().join(format!("{i}.txt")),
                format!("谷歌收购了星河{i}号公司。"),
            )
            .unwrap();
        }
        let inputs = crate::source::collect_inputs(&[dir.path()]).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let first = Extractor::embedded().unwrap();
        ingest(&first, &mut store, &inputs, 2, |_| {}).unwrap();
        let again = Extractor::embedded().unwrap();
        let r = ingest(&again, &mut store, &inputs, 2, |_| {}).unwrap();
        assert_eq!((r.new, r.unchanged), (0, 5));
        assert!(!again.recognizer_built(), "jieba's dictionary was loaded for nothing");
        std::fs::write(dir.path().join("3.txt"), "百度发布了文心一言。").unwrap();
        let r = ingest(&again, &mut store, &inputs, 2, |_| {}).unwrap();
        assert_eq!((r.replaced, r.unchanged), (1, 4));
        assert!(again.recognizer_built());
    }

    #[test]
    fn grouped_files_give_what_each_file_gives_alone() {
        let ex = Extractor::embedded().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let texts = [
            "谷歌收购了DeepMind。",
            "OpenAI發佈了GPT-4。",
            "",
            "Anthropic, the maker of Claude, raised $2 billion from Amazon.",
            "百度与阿里巴巴在云计算市场展开竞争。它们都发布了大模型。",
        ];
        for i in 0..40 {
            let name = format!("{i:02}.txt");
            std::fs::write(dir.path().join(name), texts[i % texts.len()]).unwrap();
        }
        let inputs = crate::source::collect_inputs(&[dir.path()]).unwrap();
        assert!(groups(&inputs, &ReadOptions::default(), 1).len() < inputs.len());
        for jobs in [1, 2] {
            let (mut got, mut failed) = (Vec::new(), Vec::new());
            extract(
                &ex,
                &inputs,
                jobs,
                &ReadOptions::default(),
                |i, x| got.push((i, x)),
                |e| failed.push(e.to_string()),
            );
            let mut want = Vec::new();
            let mut want_failed = Vec::new();
            for (i, input) in inputs.iter().enumerate() {
                match read_input_with(input, &ReadOptions::default()) {
                    Ok((docs, _)) => want.extend(docs.into_iter().map(|d| (i, ex.extract(d)))),
                    Err(e) => want_failed.push(e.to_string()),
                }
            }
            assert_eq!(got, want);
            assert_eq!(failed, want_failed);
            assert_eq!(failed.len(), 8, "the empty files");
        }
    }

    #[test]
    fn parts_and_results_come_in_input_order_whatever_the_jobs() {
        let one = pieces(1, None, None);
        assert_eq!(one.len(), 40 + (0..40).map(|n| n % 4).sum::<usize>());
        assert_eq!(&one[..4], ["0", "1.0", "1", "2.0"]);
        assert_eq!(pieces(3, None, None), one);
        assert_eq!(pieces(8, None, None), one);
    }

    #[test]
    fn a_stop_ends_the_run_with_a_prefix_of_the_inputs() {
        let full = pieces(1, None, None);
        for jobs in [1, 3] {
            let stop = AtomicBool::new(false);
            let seen = pieces(jobs, Some(&stop), Some(10));
            let n = |s: &str| s.split([' ', '.']).next().unwrap().parse::<usize>().unwrap();
            // In input order, all a full run gives up to input 10, and not every input.
            assert!(seen.windows(2).all(|w| n(&w[0]) <= n(&w[1])), "{jobs}: {seen:?}");
            let upto = full.iter().position(|s| s == "10").unwrap() + 1;
            assert_eq!(&seen[..upto], &full[..upto], "{jobs}");
            assert!(seen.len() < full.len(), "{jobs}: {seen:?}");
        }
    }

    #[test]
    fn an_error_of_the_sink_ends_the_run() {
        let inputs = inputs(50);
        let mut taken = 0;
        let r = in_order(
            &inputs,
            4,
            |input| input.name(),
            |i, _| {
                taken += 1;
                if i == 7 { Err(i) } else { Ok(()) }
            },
        );
        assert_eq!(r, Err(7));
        assert_eq!(taken, 8);
    }

    /// A JSON Lines file streamed in chunks and a directory of texts, with a duplicate and records
    /// gone on the second run: every number of jobs stores the same, with the same counts.
    #[test]
    fn streamed_records_duplicates_and_pruning_are_the_same_with_any_number_of_jobs() {
        let ex = Extractor::embedded().unwrap();
        let run = |jobs: usize| {
            let dir = tempfile::tempdir().unwrap();
            let feed = dir.path().join("feed.jsonl");
            // Records without an id are named by their line: the ones gone can be told.
            let line = |i: usize| format!("{{\"text\":\"谷歌收购了星河{i}号公司。\"}}\n");
            std::fs::write(&feed, (0..150).map(line).collect::<String>()).unwrap();
            std::fs::write(dir.path().join("a.txt"), "微软收购了动视暴雪。").unwrap();
            std::fs::write(dir.path().join("b.txt"), "微软收购了动视暴雪。").unwrap();
            std::fs::write(dir.path().join("c.txt"), "谷歌收购了星河3号公司。").unwrap();
            let inputs = crate::source::collect_inputs(&[dir.path()]).unwrap();
            let mut store = Store::open_in_memory().unwrap();
            let mut notes = Vec::new();
            let first = ingest(&ex, &mut store, &inputs, jobs, |p| match p {
                Progress::Duplicate { source, of } => notes.push(format!("{source} = {of}")),
                Progress::Records { done, .. } => notes.push(format!("{done} records")),
                _ => {}
            })
            .unwrap();
            // Records 100.. are gone from the file.
            std::fs::write(&feed, (0..100).map(line).collect::<String>()).unwrap();
            let second = ingest(&ex, &mut store, &inputs, jobs, |_| {}).unwrap();
            let names = |s: &str| s.replace(&dir.path().display().to_string(), "");
            // Duplicates are said when their batch is committed: the order of notes may vary.
            let mut notes: Vec<String> = notes.iter().map(|n| names(n)).collect();
            notes.sort();
            let mut docs: Vec<String> = store
                .document_hashes()
                .unwrap()
                .into_keys()
                .map(|s| names(&s))
                .collect();
            docs.sort();
            (first, second, notes, docs, store.counts().unwrap())
        };
        let (first, second, notes, docs, counts) = run(1);
        assert_eq!((first.new, first.duplicates), (151, 2), "{first:?}");
        assert_eq!(
            (second.unchanged, second.removed, second.duplicates),
            (101, 50, 2),
            "{second:?}"
        );
        assert!(notes.contains(&"/b.txt = /a.txt".to_string()), "{notes:?}");
        assert!(notes.contains(&"128 records".to_string()), "{notes:?}");
        assert_eq!(docs.len(), 101);
        for jobs in [2, 5] {
            let (f, s, n, d, c) = run(jobs);
            assert_eq!(
                (&f, &s, &n, &d, &c),
                (&first, &second, &notes, &docs, &counts),
                "{jobs} jobs"
            );
        }
    }
}
