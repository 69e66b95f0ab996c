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
    #[command(flatten)]
    db: DbArg,
    #[command(flatten)]
    run: RunArgs,
}

/// How a reading command runs: how many documents at once, and what it prints as it goes.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Documents extracted at once (default: one per core). Output and database are the same
    /// whatever the number.
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,
    /// No progress bar: errors and the final summary only. Without a terminal on standard error
    /// there is no progress bar either.
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
    let mut store = open(&ctx.db(&a.db))?;
    let report = run_ingest(&ctx.extractor()?, &mut store, &a.paths, &a.run)?;
    writeln!(std::io::stdout(), "{}", summary(&report, &store)?)?;
    Ok(if report.failed > 0 { 2 } else { 0 })
}

pub fn extract(ctx: &Context, a: ExtractArgs) -> Result<u8> {
    let ex = ctx.extractor()?;
    let inputs = collect_inputs(&a.paths)?;
    let bar = Bar::new(&inputs, a.run.quiet);
    let mut failed = 0;
    // Each extraction goes into the graph as it comes, so memory holds the graph, not the texts.
    let mut g = crate::graph::GraphBuilder::default();
    crate::ingest::extract(
        &ex,
        &inputs,
        a.run.jobs(),
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
    let mut out = std::io::stdout().lock();
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
    Ok(if failed > 0 { 2 } else { 0 })
}

pub fn build(ctx: &Context, a: BuildArgs) -> Result<u8> {
    let out = &a.out;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let db = out.join("guanxi.db");
    let mut store = open(&db)?;
    let report = run_ingest(&ctx.extractor()?, &mut store, &a.corpus, &a.run)?;
    // Every file is written before anything is printed, so a closed pipe cannot leave them out.
    let g = store.graph()?;
    let draw = crate::export::DrawOptions::default();
    let json = out.join("graph.json");
    super::export::write_to(Some(&json), |w| crate::export::json::write(&g, w))?;
    let dot_path = out.join("graph.dot");
    let dot = crate::export::dot::to_dot(&g, &draw);
    std::fs::write(&dot_path, &dot).with_context(|| format!("writing {}", dot_path.display()))?;
    let svg = out.join("graph.svg");
    let rendered = super::export::graphviz_available();
    if rendered {
        super::export::render_dot(&dot, "svg", &svg)?;
    }
    let mut o = std::io::stdout().lock();
    writeln!(o, "{}", summary(&report, &store)?)?;
    writeln!(o, "wrote {}, {}, {}", db.display(), json.display(), dot_path.display())?;
    if rendered {
        writeln!(o, "wrote {}", svg.display())?;
    } else {
        writeln!(
            o,
            "Graphviz's `dot` is not installed: no graph.svg (install it with `apt-get install graphviz` or `brew install graphviz`)"
        )?;
    }
    Ok(if report.failed > 0 { 2 } else { 0 })
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
    let cands = crate::candidates::find(&ex, &docs, a.min_count);
    emit(&mut std::io::stdout().lock(), a.format, &cands, || {
        let mut t = Table::new(&["candidate", "looks like", "count", "example"]);
        for c in &cands {
            t.row(vec![
                c.text.clone(),
                c.kind.clone(),
                c.count.to_string(),
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

fn summary(r: &crate::ingest::IngestReport, store: &Store) -> Result<String> {
    let c = store.counts()?;
    Ok(format!(
        "documents: {} new, {} unchanged, {} replaced, {} failed\nentities: {}  relations: {}  evidence: {}",
        r.new, r.unchanged, r.replaced, r.failed, c.entities, c.relations, c.evidence
    ))
}

fn run_ingest(
    ex: &Extractor,
    store: &mut Store,
    paths: &[PathBuf],
    run: &RunArgs,
) -> Result<crate::ingest::IngestReport> {
    let inputs = collect_inputs(paths)?;
    let bar = Bar::new(&inputs, run.quiet);
    let report = crate::ingest::ingest(ex, store, &inputs, run.jobs(), |p| match p {
        crate::ingest::Progress::Failed(e) => bar.error(e),
        crate::ingest::Progress::Input { done, .. } => bar.done(done),
    })?;
    bar.finish();
    Ok(report)
}

/// The progress bar of a reading command on standard error: files, MB, MB/s and time left.
/// None when standard error is no terminal or with `--quiet`.
struct Bar {
    bar: Option<indicatif::ProgressBar>,
    /// Bytes of the inputs before each one (the bar counts bytes; inputs finish in order).
    before: Vec<u64>,
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
        Bar { bar, before }
    }

    /// `done` inputs are finished.
    fn done(&self, done: usize) {
        if let Some(b) = &self.bar {
            b.set_position(self.before[done.min(self.before.len() - 1)]);
            b.set_message(format!("{done}/{}", self.before.len() - 1));
        }
    }

    /// An error goes above the bar.
    fn error(&self, e: &crate::source::SourceError) {
        match &self.bar {
            Some(b) => b.suspend(|| eprintln!("error: {e}")),
            None => eprintln!("error: {e}"),
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
    match crate::source::read_input_lenient(input) {
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
