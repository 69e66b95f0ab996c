//! The command line: clap definitions, one module per group of commands, one output module for
//! tables, JSON and CSV, and exit codes.
//!
//! Exit codes: 0 an answer, 1 nothing found (an empty answer, an unknown name), 2 an error,
//! 3 (ingest, build) some inputs skipped as not text, 130 (ingest) stopped by Ctrl-C.

mod context;
mod eval;
mod export;
mod facts;
mod ingest;
mod output;
mod query;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Build a knowledge graph of the tech and AI industry from news articles.
///
/// Articles (Chinese, English or mixed; .txt, .md, .html, .jsonl, or `-` for stdin) go in;
/// companies, people, books, AI models and events come out, linked by typed relations that
/// each keep the sentence they came from. The graph lives in a SQLite file.
///
/// Start with:  guanxi build examples/articles --out out
/// then ask:    guanxi query investors OpenAI --db out/guanxi.db --evidence
#[derive(Debug, Parser)]
#[command(name = "guanxi", version, propagate_version = true)]
pub struct Cli {
    /// A configuration file (default: guanxi.toml in the working directory, when present):
    /// `db = "news.db"` and `lexicon = ["my-lexicon"]`, paths relative to the file.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Extra lexicon and rule files: every *.tsv in DIR, and DIR/patterns.toml, DIR/relations.toml.
    /// Also read from the GUANXI_LEXICON environment variable (directories separated by `:`).
    /// Queries resolve names through its aliases too.
    #[arg(long, global = true, value_name = "DIR")]
    pub lexicon: Vec<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read articles into the database.
    ///
    /// Directories are read recursively. A document already stored with the same content is
    /// skipped; one whose content changed replaces what it said before. Documents are extracted
    /// on every core (`--jobs N`) and written in input order, many to a transaction; an
    /// interrupted run (Ctrl-C stops after the current document) leaves each document wholly
    /// stored or not at all. On a terminal a progress bar shows files, MB, MB/s and the time
    /// left; `--quiet` prints only errors, warnings and the summary.
    ///
    /// Example: guanxi ingest news/ today.html --db industry.db
    Ingest(ingest::IngestArgs),
    /// Remove stored documents and what only they supported (relations no other document states,
    /// entities nothing else mentions).
    ///
    /// Example: guanxi remove news/old.html   (or a record `news.jsonl#id=42`, or a row id)
    Remove(ingest::RemoveArgs),
    /// Print the graph of the given articles without touching a database.
    ///
    /// Example: guanxi extract article.txt --format json
    Extract(ingest::ExtractArgs),
    /// Ask the graph a question: rivals, investors, founders, models, paths, rankings, timelines, search.
    ///
    /// Names may be any alias in any script (谷歌 = Google, 阿尔特曼 = Sam Altman), or TYPE:NAME
    /// when a name is shared. Every question takes --format table|json|csv and --evidence, and
    /// exits 1 when nothing is found.
    ///
    /// Example: guanxi query investors OpenAI --evidence
    Query(query::QueryArgs),
    /// An entity's card: type, aliases, and its relations both ways with their evidence
    /// (the same as `guanxi query show`).
    ///
    /// Example: guanxi show 谷歌   (or Google: any alias, any script)
    Show(query::ShowArgs),
    /// Write the graph in a file format: dot, json, html, graphml, gexf, csv, cypher, turtle, ntriples.
    ///
    /// The format comes from the argument or from the --out file's extension. csv writes
    /// nodes.csv and relationships.csv into the --out directory. html is one page that opens
    /// from disk in a browser: search, filters, cards and the sentences behind every edge.
    ///
    /// Example: guanxi export html --out graph.html --lang en
    Export(export::ExportArgs),
    /// Draw the graph to SVG, PNG or PDF with Graphviz.
    ///
    /// Example: guanxi render --format svg --out graph.svg --types company,model
    Render(export::RenderArgs),
    /// The main job: ingest a corpus into OUT/guanxi.db and write OUT/graph.json, OUT/graph.dot,
    /// OUT/graph.html (open it in a browser) and OUT/graph.svg (when Graphviz is installed).
    ///
    /// Example: guanxi build examples/articles --out out
    Build(ingest::BuildArgs),
    /// Score extraction against hand annotations (precision, recall, F1 by the ontology's rules).
    ///
    /// Each gold file's `doc` is a path under --text-root. Scores are micro-averaged over the
    /// files; misses and false hits are listed first, the totals last.
    ///
    /// Example: guanxi eval --gold ../shared/gold/dev/*.json --text-root ../shared
    Eval(eval::EvalArgs),
    /// Counts of documents, entities by type and relations by type.
    ///
    /// Example: guanxi stats --format json --db industry.db
    Stats(query::StatsArgs),
    /// Names the lexicon lacks, strongest first: what to add to the lexicon next.
    ///
    /// A name typed from its context (`初创公司X`, `X, a start-up`, `chief executive X`) scores 3
    /// per mention, a quoted or 《》 title 2, any other capitalised or name-like string 1.
    ///
    /// Example: guanxi candidates news/ --min-count 2
    Candidates(ingest::CandidatesArgs),
}

/// Runs the command line and gives the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    let ctx = context::Context::new(cli.config.as_deref(), &cli.lexicon)?;
    match cli.command {
        Command::Ingest(a) => ingest::ingest(&ctx, a),
        Command::Extract(a) => ingest::extract(&ctx, a),
        Command::Remove(a) => ingest::remove(&ctx, a),
        Command::Build(a) => ingest::build(&ctx, a),
        Command::Candidates(a) => ingest::candidates(&ctx, a),
        Command::Query(a) => query::run(&ctx, a),
        Command::Show(a) => query::show(&ctx, a),
        Command::Stats(a) => query::stats(&ctx, a),
        Command::Export(a) => export::export(&ctx, a),
        Command::Render(a) => export::render(&ctx, a),
        Command::Eval(a) => eval::eval(&ctx, a),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
