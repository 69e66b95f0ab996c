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
    let mut store = open(&ctx.db(&a.db))?;
    let report = run_ingest(&ctx.extractor()?, &mut store, &a.paths)?;
    writeln!(std::io::stdout(), "{}", summary(&report, &store)?)?;
    Ok(if report.failed > 0 { 2 } else { 0 })
}

pub fn extract(ctx: &Context, a: ExtractArgs) -> Result<u8> {
    if a.jsonl {
        return super::facts::extract(ctx, &a.paths);
    }
    let ex = ctx.extractor()?;
    let mut out_docs = Vec::new();
    let mut failed = 0;
    for input in collect_inputs(&a.paths)? {
        let (docs, errors) = read_reporting(&input);
        failed += errors;
        out_docs.extend(docs.into_iter().map(|d| ex.extract(d)));
    }
    let g = crate::graph::from_extractions(&out_docs);
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
    let report = run_ingest(&ctx.extractor()?, &mut store, &a.corpus)?;
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

pub(super) fn summary(r: &crate::ingest::IngestReport, store: &Store) -> Result<String> {
    let c = store.counts()?;
    Ok(format!(
        "documents: {} new, {} unchanged, {} replaced, {} failed\nentities: {}  relations: {}  evidence: {}",
        r.new, r.unchanged, r.replaced, r.failed, c.entities, c.relations, c.evidence
    ))
}

fn run_ingest(ex: &Extractor, store: &mut Store, paths: &[PathBuf]) -> Result<crate::ingest::IngestReport> {
    let inputs = collect_inputs(paths)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let progress = inputs.len() >= 20;
    let report = crate::ingest::ingest(ex, store, &inputs, threads, |p| match p {
        crate::ingest::Progress::Failed(e) => eprintln!("error: {e}"),
        crate::ingest::Progress::Input { done, total, name } => {
            if progress && (done % 50 == 0 || done == total) {
                eprintln!("[{done}/{total}] {name}");
            }
        }
    })?;
    Ok(report)
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
