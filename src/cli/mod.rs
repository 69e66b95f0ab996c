//! The command line: clap definitions, output as tables or JSON, exit codes.
//!
//! Exit codes: 0 success, 1 nothing found (an empty answer), 2 error.

mod commands;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Build a knowledge graph of the tech and AI industry from news articles.
///
/// Articles (Chinese, English or mixed; .txt, .md, .html, .jsonl, or `-` for stdin) go in;
/// companies, people, books, AI models and events come out, linked by typed relations that
/// each keep the sentence they came from. The graph lives in a SQLite file.
///
/// Start with:  guanxi build examples/articles --out out
#[derive(Debug, Parser)]
#[command(name = "guanxi", version, propagate_version = true)]
pub struct Cli {
    /// The database file (default: `db` in guanxi.toml, else guanxi.db).
    #[arg(long, global = true, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// A configuration file (default: guanxi.toml in the working directory, when present):
    /// `db = "news.db"` and `lexicon = ["my-lexicon"]`, paths relative to the file.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Extra lexicon and rule files: every *.tsv in DIR, and DIR/patterns.toml, DIR/relations.toml.
    /// Also read from the GUANXI_LEXICON environment variable (directories separated by `:`).
    #[arg(long, global = true, value_name = "DIR")]
    pub lexicon: Vec<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Output shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Output {
    /// Aligned columns for people.
    #[default]
    Table,
    /// JSON for programs.
    Json,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read articles into the database.
    ///
    /// Directories are read recursively. A document already stored with the same content is
    /// skipped; one whose content changed replaces what it said before. Each document is
    /// written in its own transaction, so an interrupted run leaves a consistent database.
    ///
    /// Example: guanxi ingest news/ today.html --db industry.db
    Ingest {
        /// Files, directories, or `-` for standard input.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print the graph of the given articles without touching a database.
    ///
    /// Example: guanxi extract article.txt --format json
    Extract {
        /// Files, directories, or `-` for standard input.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// json: the graph JSON of the ontology; table: entities and relations for people.
        #[arg(long, value_enum, default_value_t = Output::Json)]
        format: Output,
    },
    /// Ask the graph a question: who competes with whom, and the rivals of one entity.
    ///
    /// Example: guanxi query competitors 谷歌
    Query {
        /// The question.
        #[command(subcommand)]
        query: QueryCommand,
    },
    /// An entity's card: type, aliases, and its relations both ways with their evidence.
    ///
    /// Example: guanxi show 谷歌   (or Google: any alias, any script)
    Show {
        /// Name or alias.
        name: String,
        /// Output shape.
        #[arg(long, value_enum, default_value_t = Output::Table)]
        format: Output,
    },
    /// Write the graph in a file format: dot, json, graphml, gexf, csv, cypher, turtle, ntriples.
    ///
    /// The format comes from the argument or from the --out file's extension. csv writes
    /// nodes.csv and relationships.csv into the --out directory.
    ///
    /// Example: guanxi export dot --out graph.dot --focus OpenAI --depth 1
    Export {
        /// The format (optional when --out has a known extension).
        format: Option<String>,
        /// The format, as an option (same as the argument).
        #[arg(long = "format", value_name = "FORMAT", conflicts_with = "format")]
        format_flag: Option<String>,
        /// Output file (directory for csv); standard output when absent.
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Which part of the graph.
        #[command(flatten)]
        view: ViewArgs,
        /// How to draw it (DOT).
        #[command(flatten)]
        draw: DrawArgs,
    },
    /// Draw the graph to SVG, PNG or PDF with Graphviz.
    ///
    /// Example: guanxi render --format svg --out graph.svg --types company,model
    Render {
        /// svg, png or pdf (default: from --out, else svg).
        #[arg(long)]
        format: Option<String>,
        /// Output file (default graph.FORMAT).
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Which part of the graph.
        #[command(flatten)]
        view: ViewArgs,
        /// How to draw it.
        #[command(flatten)]
        draw: DrawArgs,
    },
    /// The main job: ingest a corpus into OUT/guanxi.db and write OUT/graph.json, OUT/graph.dot
    /// and OUT/graph.svg (when Graphviz is installed).
    ///
    /// Example: guanxi build examples/articles --out out
    Build {
        /// Files or directories of articles.
        #[arg(required = true)]
        corpus: Vec<PathBuf>,
        /// Output directory.
        #[arg(long, short, default_value = "out")]
        out: PathBuf,
    },
    /// Score extraction against hand annotations (precision, recall, F1 by the ontology's rules).
    ///
    /// Each gold file's `doc` is a path under --text-root. Scores are micro-averaged over the
    /// files; misses and false hits are listed first, the totals last.
    ///
    /// Example: guanxi eval --gold ../shared/gold/dev/*.json --text-root ../shared
    Eval {
        /// Gold annotation files.
        #[arg(long, required = true, num_args = 1..)]
        gold: Vec<PathBuf>,
        /// Where gold `doc` paths start.
        #[arg(long, default_value = ".")]
        text_root: PathBuf,
        /// Output shape.
        #[arg(long, value_enum, default_value_t = Output::Table)]
        format: Output,
        /// Only the totals.
        #[arg(long, short)]
        quiet: bool,
        /// Also a table of precision, recall and F1 by entity and relation type.
        #[arg(long)]
        by_type: bool,
    },
    /// Counts of documents, entities by type and relations by type.
    ///
    /// Example: guanxi stats --format json --db industry.db
    Stats {
        /// Output shape.
        #[arg(long, value_enum, default_value_t = Output::Table)]
        format: Output,
    },
    /// Frequent name-like strings that matched nothing: what to add to the lexicon next.
    ///
    /// Example: guanxi candidates news/ --min-count 2
    Candidates {
        /// Articles to scan (default: the documents in the database).
        paths: Vec<PathBuf>,
        /// Show strings seen at least this often.
        #[arg(long, default_value_t = 2)]
        min_count: usize,
        /// Output shape.
        #[arg(long, value_enum, default_value_t = Output::Table)]
        format: Output,
    },
}

/// Questions.
#[derive(Debug, Subcommand)]
pub enum QueryCommand {
    /// Every competing pair, with the number of sentences that say so.
    ///
    /// Example: guanxi query competes
    Competes {
        /// Output shape.
        #[arg(long, value_enum, default_value_t = Output::Table)]
        format: Output,
    },
    /// The rivals of one entity (any alias, any script).
    ///
    /// Example: guanxi query competitors Google
    Competitors {
        /// Name or alias.
        name: String,
        /// Output shape.
        #[arg(long, value_enum, default_value_t = Output::Table)]
        format: Output,
    },
}

/// Which part of the graph to show.
#[derive(Debug, Clone, Args, Default)]
pub struct ViewArgs {
    /// Only the neighbourhood of this entity.
    #[arg(long)]
    pub focus: Option<String>,
    /// Hops from the focus.
    #[arg(long, default_value_t = 1)]
    pub depth: usize,
    /// Entity types to keep, comma-separated (company,person,book,model,event,…).
    #[arg(long, value_delimiter = ',')]
    pub types: Vec<String>,
    /// Relation types to keep, comma-separated (competes_with,invests_in,…).
    #[arg(long, value_delimiter = ',')]
    pub relations: Vec<String>,
    /// Keep edges stated by at least this many sentences.
    #[arg(long, default_value_t = 1)]
    pub min_evidence: usize,
    /// Keep evidence from documents dated on or after this (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Keep evidence from documents dated on or before this.
    #[arg(long)]
    pub until: Option<String>,
}

/// How to draw.
#[derive(Debug, Clone, Args)]
pub struct DrawArgs {
    /// Label language: zh or en.
    #[arg(long, default_value = "zh")]
    pub lang: String,
    /// Group nodes: `type` puts each type in a cluster.
    #[arg(long)]
    pub cluster: Option<String>,
    /// Layout engine: dot, neato, fdp, sfdp, circo.
    #[arg(long, default_value = "dot")]
    pub engine: String,
    /// Direction: LR, TB, RL, BT.
    #[arg(long, default_value = "LR")]
    pub rankdir: String,
    /// Label font (a CJK-capable one, so Chinese labels are not boxes).
    #[arg(long, default_value = "Noto Sans CJK SC")]
    pub font: String,
}

/// Runs the command line and gives the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli) {
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

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
