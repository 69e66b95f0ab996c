//! Reading articles: `ingest` into the database, `build` (ingest and draw), `extract` (no
//! database), `candidates` (names the lexicon lacks).

use super::context::{Context, DbArg, open, open_existing};
use super::output::{Format, Table, emit};
use crate::pipeline::Extractor;
use crate::source::{Input, collect_inputs};
use crate::store::Store;
use anyhow::{Context as _, Result, bail};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// `guanxi ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files, directories, or `-` for standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The paths are facts shards (written by `guanxi extract --jsonl`), not articles: files,
    /// directories (every file in them but hidden ones and `_SUCCESS`), or `-`.
    #[arg(long)]
    facts: bool,
    #[command(flatten)]
    db: DbArg,
    #[command(flatten)]
    read: ReadArgs,
    /// Extract every stored document again, even those stored by this same lexicon and rules
    /// (documents stored by another version, lexicon or rules are extracted again anyway).
    #[arg(long)]
    reextract: bool,
    /// At most N documents a commit (default 1,024). Larger commits store faster; smaller ones
    /// show readers of the database new documents sooner (a commit also comes after 2 MB of text
    /// or two seconds).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    commit_every: Option<u64>,
    #[command(flatten)]
    run: RunArgs,
}

/// How inputs are read.
#[derive(Debug, Clone, Args, Default)]
pub struct ReadArgs {
    /// Read every input in this encoding instead of detecting it (utf-8, utf-16le, utf-16be,
    /// gbk, gb18030, big5, windows-1252, shift_jis, …).
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
}

impl ReadArgs {
    fn options(&self) -> Result<crate::source::ReadOptions> {
        let encoding = match &self.encoding {
            None => None,
            Some(label) => Some(crate::source::encoding_for_label(label).with_context(|| {
                format!("--encoding `{label}`: no such encoding (try utf-8, utf-16le, gbk, big5, windows-1252)")
            })?),
        };
        Ok(crate::source::ReadOptions { encoding })
    }
}

/// `guanxi remove`.
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Stored documents: a path as ingested (a file of records takes all its records), a record's
    /// source (`news.jsonl#id=42`), or a document's row id.
    #[arg(required = true)]
    docs: Vec<String>,
    #[command(flatten)]
    db: DbArg,
}

/// How a reading command runs: how many documents at once, and what it prints as it goes.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Documents extracted at once (default: one per core). Output and database are the same
    /// whatever the number.
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,
    /// No progress bar and no notes: errors, warnings and the final summary only. Without a
    /// terminal on standard error there is no progress bar either.
    #[arg(long, short)]
    quiet: bool,
}

impl RunArgs {
    fn jobs(&self) -> usize {
        self.jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1)
    }
}

/// `guanxi extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files, directories, or `-` for standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// json: the graph JSON of the ontology; table: entities and relations for people.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Stream: the paths are JSON Lines articles (`text` required; `id`, `url`, `title`, `date`
    /// optional), and each article becomes one line of facts on standard output, as it is read
    /// (docs/facts.md). A bad line is reported with its number and the run goes on (exit 2).
    ///
    /// Example: guanxi extract --jsonl - < articles.jsonl > facts.jsonl
    #[arg(long, conflicts_with = "format")]
    jsonl: bool,
    #[command(flatten)]
    read: ReadArgs,
    #[command(flatten)]
    run: RunArgs,
}

/// `guanxi build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Files or directories of articles.
    #[arg(required = true)]
    corpus: Vec<PathBuf>,
    /// Output directory (the database is OUT/guanxi.db).
    #[arg(long, short, default_value = "out")]
    out: PathBuf,
    #[command(flatten)]
    run: RunArgs,
}

/// `guanxi candidates`.
#[derive(Debug, Args)]
pub struct CandidatesArgs {
    /// Articles to scan (default: the documents in the database).
    paths: Vec<PathBuf>,
    /// Show strings seen at least this often.
    #[arg(long, default_value_t = 2)]
    min_count: usize,
    /// Output shape.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    db: DbArg,
}

pub fn ingest(ctx: &Context, a: IngestArgs) -> Result<u8> {
    if a.facts {
        return super::facts::ingest(ctx, &a.paths, &a.db);
    }
    // Bad lexicon or rule files are reported before the database is touched.
    let ex = ctx.extractor()?;
    let read = a.read.options()?;
    let mut store = open(&ctx.db(&a.db))?;
    let opts = crate::ingest::IngestOptions {
        read,
        stop: Some(stop_on_interrupt()),
        commit_every: a.commit_every.map(|n| n as usize),
    };
    let report = run_ingest(&ex, &mut store, &a.paths, &a.run, a.reextract, opts)?;
    writeln!(std::io::stdout(), "{}", summary(&report, &store)?)?;
    Ok(exit_code(&report))
}

/// 2 when an input failed, 130 when interrupted, 3 when inputs were skipped as not text, else 0.
fn exit_code(r: &crate::ingest::IngestReport) -> u8 {
    if r.failed > 0 {
        2
    } else if r.interrupted {
        130
    } else if r.skipped > 0 {
        3
    } else {
        0
    }
}

/// A flag that Ctrl-C sets (the run stops after the document being written, and commits what it
/// was handed); a second Ctrl-C ends the process at once, which leaves the database consistent too
/// (each document is committed whole or not at all).
fn stop_on_interrupt() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    // Only one handler per process: when one is set already, Ctrl-C keeps its default.
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::Relaxed) {
            std::process::exit(130);
        }
        eprintln!("interrupted: stopping after the current document (Ctrl-C again to quit at once)");
    });
    stop
}

pub fn remove(ctx: &Context, a: RemoveArgs) -> Result<u8> {
    let mut store = open_existing(&ctx.db(&a.db))?;
    let cwd = crate::source::working_dir();
    let mut missing = 0;
    let mut out = std::io::stdout().lock();
    for d in &a.docs {
        let mut removed = store.remove_documents(&crate::store::DocumentSelector::Source(d.clone()))?;
        // A path written another way than it was ingested (`./a.txt`, an absolute path).
        if removed.is_empty() && std::path::Path::new(d).exists() {
            let c = crate::source::canonical(std::path::Path::new(d), cwd.as_deref());
            removed = store.remove_documents(&crate::store::DocumentSelector::Source(
                c.to_string_lossy().into_owned(),
            ))?;
        }
        if removed.is_empty()
            && let Ok(id) = d.parse::<i64>()
        {
            removed = store.remove_documents(&crate::store::DocumentSelector::Id(id))?;
        }
        if removed.is_empty() {
            eprintln!("error: no stored document `{d}`");
            missing += 1;
        }
        for s in removed {
            writeln!(out, "removed {s}")?;
        }
    }
    let c = store.counts()?;
    writeln!(
        out,
        "documents: {}  entities: {}  relations: {}  evidence: {}",
        c.documents, c.entities, c.relations, c.evidence
    )?;
    Ok(if missing > 0 { 1 } else { 0 })
}

pub fn extract(ctx: &Context, a: ExtractArgs) -> Result<u8> {
    if a.jsonl {
        return super::facts::extract(ctx, &a.paths);
    }
    let ex = ctx.extractor()?;
    let read = a.read.options()?;
    let inputs = collect_inputs(&a.paths)?;
    let bar = Bar::new(&inputs, a.run.quiet);
    let mut failed = 0;
    // Each extraction goes into the graph as it comes, so memory holds the graph, not the texts.
    let mut g = crate::graph::GraphBuilder::default();
    crate::ingest::extract(
        &ex,
        &inputs,
        a.run.jobs(),
        &read,
        |i, x| {
            g.add_extraction(&x);
            bar.done(i + 1);
        },
        |e| {
            failed += 1;
            bar.error(e);
        },
    );
    bar.finish();
    let g = g.finish();
    // Buffered: standard output flushes at every newline, a system call a line of pretty JSON.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match a.format {
        Format::Json => crate::export::json::write(&g, &mut out)?,
        Format::Table => {
            let (nodes, edges) = graph_tables(&g);
            nodes.write_aligned(&mut out)?;
            writeln!(out)?;
            edges.write_aligned(&mut out)?;
        }
        Format::Csv => {
            bail!("extract prints the graph JSON or tables; for CSV files use `guanxi export csv --out DIR`")
        }
    }
    out.flush()?;
    Ok(if failed > 0 { 2 } else { 0 })
}

pub fn build(ctx: &Context, a: BuildArgs) -> Result<u8> {
    let out = &a.out;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let db = out.join("guanxi.db");
    let ex = ctx.extractor()?;
    let mut store = open(&db)?;
    let report = run_ingest(&ex, &mut store, &a.corpus, &a.run, false, Default::default())?;
    // Every file is written before anything is printed, so a closed pipe cannot leave them out.
    let g = store.graph()?;
    let draw = crate::export::DrawOptions::default();
    // Diagrams leave out entities without a relation, as `guanxi export` and `render` do.
    let drawn = crate::graph::apply_view(
        &g,
        &crate::graph::ViewOptions {
            isolated: crate::graph::Isolated::DropAll,
            ..Default::default()
        },
    )?;
    let mut written = vec![db.clone()];
    for spec in crate::export::common::FORMATS.iter().filter(|s| s.in_build) {
        let path = out.join(format!("graph.{}", spec.extension));
        let view = if spec.is_drawing { &drawn } else { &g };
        super::export::write_to(Some(&path), |w| (spec.write)(view, &draw, w))?;
        written.push(path);
    }
    let svg = out.join("graph.svg");
    let rendered = super::export::graphviz_available();
    if rendered {
        super::export::render_dot(&crate::export::dot::to_dot(&drawn, &draw), "svg", &svg)?;
    }
    let mut o = std::io::stdout().lock();
    writeln!(o, "{}", summary(&report, &store)?)?;
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    writeln!(o, "wrote {}", names.join(", "))?;
    if rendered {
        writeln!(o, "wrote {}", svg.display())?;
    } else {
        writeln!(
            o,
            "Graphviz's `dot` is not installed: no graph.svg (install it with `apt-get install graphviz` or `brew install graphviz`)"
        )?;
    }
    Ok(exit_code(&report))
}

pub fn candidates(ctx: &Context, a: CandidatesArgs) -> Result<u8> {
    let ex = ctx.extractor()?;
    let mut failed = 0;
    let docs: Vec<crate::model::Document> = if a.paths.is_empty() {
        open_existing(&ctx.db(&a.db))?
            .documents()?
            .into_iter()
            .map(|(source, text)| crate::source::make_document(source, text, None, None, None))
            .collect()
    } else {
        let mut docs = Vec::new();
        for input in collect_inputs(&a.paths)? {
            let (d, errors) = read_reporting(&input);
            failed += errors;
            docs.extend(d);
        }
        docs
    };
    let found = crate::candidates::find(&ex, &docs, a.min_count);
    for source in &found.failed {
        eprintln!(
            "error: {}",
            crate::source::SourceError::Extraction { path: source.clone() }
        );
    }
    failed += found.failed.len();
    let cands = found.candidates;
    emit(&mut std::io::stdout().lock(), a.format, &cands, || {
        let mut t = Table::new(&["candidate", "looks like", "count", "score", "example"]);
        for c in &cands {
            t.row(vec![
                c.text.clone(),
                c.kind.clone(),
                c.count.to_string(),
                c.score.to_string(),
                c.example.chars().take(60).collect(),
            ]);
        }
        t
    })?;
    Ok(if failed > 0 {
        2
    } else if cands.is_empty() {
        1
    } else {
        0
    })
}

pub(super) fn summary(r: &crate::ingest::IngestReport, store: &Store) -> Result<String> {
    let c = store.counts()?;
    let mut line = format!(
        "documents: {} new, {} unchanged, {} replaced, {} failed",
        r.new, r.unchanged, r.replaced, r.failed
    );
    // What is rare is said only when it happened.
    for (n, what) in [
        (r.reextracted, "extracted again"),
        (r.duplicates, "duplicate"),
        (r.removed, "removed"),
        (r.skipped, "skipped as not text"),
        (r.empty, "empty"),
    ] {
        if n > 0 {
            line.push_str(&format!(", {n} {what}"));
        }
    }
    if r.interrupted {
        line.push_str("\ninterrupted: what was written is kept; run the same command again to go on");
    }
    Ok(format!(
        "{line}\nentities: {}  relations: {}  evidence: {}",
        c.entities, c.relations, c.evidence
    ))
}

/// Extracts again the stored documents of another extractor (all of them when `reextract_all`),
/// then reads, extracts and stores `paths`; stops early when `stop` is set.
fn run_ingest(
    ex: &Extractor,
    store: &mut Store,
    paths: &[PathBuf],
    run: &RunArgs,
    reextract_all: bool,
    opts: crate::ingest::IngestOptions,
) -> Result<crate::ingest::IngestReport> {
    use crate::ingest::Progress;
    use crate::source::SourceError;
    let inputs = collect_inputs(paths)?;
    let bar = Bar::new(&inputs, run.quiet);
    let stop = opts.stop.clone();
    let stopped = || {
        stop.as_ref()
            .is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed))
    };
    let reextracted =
        crate::ingest::reextract(ex, store, reextract_all, run.jobs(), stop.as_deref(), |done, total| {
            bar.reextracted(done, total)
        })?;
    let mut report = if stopped() {
        crate::ingest::IngestReport {
            interrupted: true,
            ..Default::default()
        }
    } else {
        crate::ingest::ingest_with(ex, store, &inputs, run.jobs(), &opts, |p| match p {
            Progress::Failed(e) => bar.error(e),
            Progress::Skipped(e @ SourceError::Empty { .. }) => bar.note(&format!("note: {e}")),
            Progress::Skipped(e) => bar.warn(&format!("warning: skipped {e}")),
            Progress::Duplicate { source, of } => {
                bar.note(&format!("note: {source}: the same text as {of}, counted once"))
            }
            Progress::Removed(source) => bar.note(&format!("note: {source}: no longer in its file, removed")),
            Progress::Records { name, done } => bar.records(name, done),
            Progress::Input { done, .. } => bar.done(done),
        })?
    };
    report.reextracted += reextracted;
    bar.finish();
    Ok(report)
}

/// The progress bar of a reading command on standard error: files, MB, MB/s and time left.
/// None when standard error is no terminal or with `--quiet`.
///
/// Errors, and warnings of inputs skipped (exit code 3), are always printed; notes (duplicates,
/// records removed, empty inputs) but with `--quiet`. Without a bar, the only progress printed is
/// that of long steps that finish no input for a while: a streamed JSON Lines file every 1,000
/// records, and documents extracted again.
struct Bar {
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
    /// Bytes of the inputs before each one (the bar counts bytes; inputs finish in order).
    before: Vec<u64>,
    /// Inputs finished.
    done: std::cell::Cell<usize>,
    /// Records of the current input reported so far.
    records: std::cell::Cell<usize>,
}

impl Bar {
    fn new(inputs: &[Input], quiet: bool) -> Bar {
        use std::io::IsTerminal;
        let mut before = Vec::with_capacity(inputs.len() + 1);
        let mut total = 0;
        before.push(0);
        for i in inputs {
            if let Input::File(p) = i {
                total += std::fs::metadata(p).map_or(0, |m| m.len());
            }
            before.push(total);
        }
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let style = indicatif::ProgressStyle::with_template(
                "{bar:30} {msg} files  {decimal_bytes}/{decimal_total_bytes}  {decimal_bytes_per_sec}  {eta} left",
            )
            .expect("a valid progress template");
            indicatif::ProgressBar::new(total).with_style(style)
        });
        if let Some(b) = &bar {
            b.set_message(format!("0/{}", inputs.len()));
        }
        Bar {
            bar,
            quiet,
            before,
            done: Default::default(),
            records: Default::default(),
        }
    }

    /// `done` inputs are finished.
    fn done(&self, done: usize) {
        self.done.set(done);
        self.records.set(0);
        if let Some(b) = &self.bar {
            b.set_position(self.before[done.min(self.before.len() - 1)]);
            b.set_message(format!("{done}/{}", self.before.len() - 1));
        }
    }

    /// `done` records of the streamed file `name` are handed to the writer.
    fn records(&self, name: &str, done: usize) {
        let before = self.records.replace(done);
        match &self.bar {
            Some(b) => b.set_message(format!(
                "{}/{} ({done} records of {name})",
                self.done.get(),
                self.before.len() - 1
            )),
            None if !self.quiet && done / 1000 > before / 1000 => eprintln!("[{done} records] {name}"),
            None => {}
        }
    }

    /// `done` of `total` stored documents are extracted again.
    fn reextracted(&self, done: usize, total: usize) {
        match &self.bar {
            Some(b) => b.set_message(format!("{done}/{total} extracted again, 0/{}", self.before.len() - 1)),
            None if !self.quiet && (done.is_multiple_of(50) || done == total) => {
                eprintln!("[{done}/{total}] extracted again")
            }
            None => {}
        }
    }

    /// A line above the bar.
    fn line(&self, line: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// An error goes above the bar.
    fn error(&self, e: &crate::source::SourceError) {
        self.line(&format!("error: {e}"));
    }

    /// A warning goes above the bar, also with `--quiet`.
    fn warn(&self, line: &str) {
        self.line(line);
    }

    /// A note goes above the bar, but not with `--quiet`.
    fn note(&self, line: &str) {
        if !self.quiet {
            self.line(line);
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// Reads an input, reporting what could not be read (the whole input, or bad JSON Lines records)
/// and going on with the rest; gives the documents and the number of errors.
fn read_reporting(input: &Input) -> (Vec<crate::model::Document>, usize) {
    read_reporting_with(input, &Default::default())
}

fn read_reporting_with(input: &Input, read: &crate::source::ReadOptions) -> (Vec<crate::model::Document>, usize) {
    match crate::source::read_input_with(input, read) {
        Ok((docs, errors)) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            (docs, errors.len())
        }
        Err(e) => {
            eprintln!("error: {e}");
            (Vec::new(), 1)
        }
    }
}

fn graph_tables(g: &crate::graph::GraphView) -> (Table, Table) {
    let mut nodes = Table::new(&["entity", "type", "mentions", "aliases"]);
    for n in &g.nodes {
        nodes.row(vec![
            n.name.clone(),
            n.etype.to_string(),
            n.mentions.to_string(),
            n.aliases.join(" | "),
        ]);
    }
    let mut edges = Table::new(&["head", "relation", "tail", "sentences"]);
    for e in &g.edges {
        edges.row(vec![
            g.nodes[e.source].name.clone(),
            e.rtype.to_string(),
            g.nodes[e.target].name.clone(),
            e.weight.to_string(),
        ]);
    }
    (nodes, edges)
}
