//! Throughput of the commands a user runs, against the floor of bare jieba-rs word segmentation.
//!
//! ```text
//! cargo build --release && cargo run --release --example bench -- [--mb 50] [--doc-mb 2] [--db-docs 50000]
//! ```
//!
//! It writes a corpus of `--mb` MB of long documents (about 256 KB each) and as many MB of short
//! ones (about 2.5 KB each), generated from the example articles: their paragraphs shuffled and the
//! names in them swapped for other names of the same type from the lexicon, so no two documents
//! are alike. Then it runs `target/release/guanxi` (`--bin` to name another) on them as a user
//! would, one process per step, and prints for each step its time, MB/s, the ratio to bare
//! jieba-rs `cut` of the same files on one thread, documents/s and the process's peak RSS:
//! `extract` and `ingest` with 1 and 2 jobs, and re-ingesting the unchanged corpus. Last, how cost
//! grows with the size of one document (`--doc-mb` and twice that) and of the database (2,000
//! short documents into an empty database and into one of `--db-docs` documents).
//!
//! `--keep DIR` writes the corpus and databases into DIR and leaves them there; with
//! `--generate-only` the corpora (also `fresh` and `big` of the database-size step) are all it writes.
//!
//! MB are 10^6 bytes of UTF-8 text. A binary without `--jobs` is run pinned to one core with
//! `taskset` for the single-job figures.

use aho_corasick::{AhoCorasickBuilder, MatchKind};
use guanxi::model::EntityType;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// A small deterministic generator (SplitMix64): the same corpus on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

struct Options {
    mb: f64,
    doc_mb: f64,
    db_docs: usize,
    bin: PathBuf,
    keep: Option<PathBuf>,
    generate_only: bool,
}

const USAGE: &str = "usage: bench [--mb 50] [--doc-mb 2] [--db-docs 50000] [--bin PATH] [--keep DIR] [--generate-only]
  --mb N          MB of long and as many of short documents to generate
  --doc-mb N      size of the one-document step (and twice that)
  --db-docs N     documents in the large database of the database-size step
  --bin PATH      the guanxi binary to run (default target/release/guanxi)
  --keep DIR      write the corpora and databases into DIR and leave them there
  --generate-only write the corpora and stop";

/// Stops with `message` and the usage, exit code 2: a mistyped option is no crash.
fn usage_error(message: &str) -> ! {
    eprintln!("bench: {message}\n{USAGE}");
    std::process::exit(2)
}

fn number<T: std::str::FromStr>(option: &str, v: &str) -> T {
    v.parse()
        .unwrap_or_else(|_| usage_error(&format!("{option} takes a number, not `{v}`")))
}

fn options() -> Options {
    let mut o = Options {
        mb: 50.0,
        doc_mb: 2.0,
        db_docs: 50_000,
        bin: PathBuf::from("target/release/guanxi"),
        keep: None,
        generate_only: false,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0)
            }
            "--mb" => o.mb = number("--mb", &v),
            "--doc-mb" => o.doc_mb = number("--doc-mb", &v),
            "--db-docs" => o.db_docs = number("--db-docs", &v),
            "--bin" => o.bin = PathBuf::from(v),
            "--keep" => o.keep = Some(PathBuf::from(v)),
            "--generate-only" => {
                o.generate_only = true;
                i += 1;
                continue;
            }
            other => usage_error(&format!("unknown option `{other}`")),
        }
        i += 2;
    }
    o
}

/// Paragraphs of the example articles, by language, with their text as guanxi reads it.
fn paragraphs() -> Vec<String> {
    let inputs = guanxi::source::collect_inputs(&["examples/articles"]).expect("examples/articles");
    let mut out = Vec::new();
    for input in inputs {
        for d in guanxi::source::read_input(&input).expect("example article") {
            out.extend(
                d.text
                    .split('\n')
                    .map(str::trim)
                    .filter(|p| p.chars().count() >= 20)
                    .map(str::to_string),
            );
        }
    }
    out
}

/// Swaps lexicon names in a paragraph for other names of the same type.
struct Swapper {
    ac: aho_corasick::AhoCorasick,
    types: Vec<EntityType>,
    by_type: std::collections::HashMap<EntityType, Vec<String>>,
}

impl Swapper {
    fn new() -> Swapper {
        let lex = guanxi::lexicon::Lexicon::embedded().expect("embedded lexicon");
        let mut names = Vec::new();
        let mut types = Vec::new();
        let mut by_type: std::collections::HashMap<EntityType, Vec<String>> = Default::default();
        for e in lex.entries() {
            if !matches!(
                e.etype,
                EntityType::Company | EntityType::Person | EntityType::Model | EntityType::Organization
            ) {
                continue;
            }
            for n in e.names() {
                if n.chars().count() >= 2 {
                    names.push(n.to_string());
                    types.push(e.etype);
                    by_type.entry(e.etype).or_default().push(n.to_string());
                }
            }
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&names)
            .expect("names build an automaton");
        Swapper { ac, types, by_type }
    }

    fn swap(&self, text: &str, rng: &mut Rng) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in self.ac.find_iter(text) {
            out.push_str(&text[last..m.start()]);
            // Half the names stay, so the rules still see the names they know in their usual places.
            let pool = &self.by_type[&self.types[m.pattern().as_usize()]];
            if rng.below(2) == 0 {
                out.push_str(&pool[rng.below(pool.len())]);
            } else {
                out.push_str(&text[m.start()..m.end()]);
            }
            last = m.end();
        }
        out.push_str(&text[last..]);
        out
    }
}

/// Writes documents of about `doc_bytes` each until `total` bytes are written; gives the file count.
fn generate(dir: &Path, total: usize, doc_bytes: usize, seed: u64, paras: &[String], swap: &Swapper) -> usize {
    std::fs::create_dir_all(dir).expect("corpus directory");
    let mut rng = Rng(seed);
    let (mut written, mut files) = (0, 0);
    while written < total {
        let mut doc = String::new();
        while doc.len() < doc_bytes {
            doc.push_str(&swap.swap(&paras[rng.below(paras.len())], &mut rng));
            doc.push('\n');
        }
        written += doc.len();
        std::fs::write(dir.join(format!("{files:06}.txt")), &doc).expect("corpus file");
        files += 1;
    }
    files
}

fn files_of(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus directory")
        .map(|e| e.expect("directory entry").path())
        .collect();
    v.sort();
    v
}

fn bytes_of(dir: &Path) -> usize {
    files_of(dir)
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len() as usize))
        .sum()
}

/// Bare jieba-rs `cut` (HMM on) of every file, one thread, default dictionary: seconds.
fn jieba_floor(dir: &Path) -> f64 {
    let jieba = jieba_rs::Jieba::new();
    let texts: Vec<String> = files_of(dir)
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("corpus file"))
        .collect();
    let t = Instant::now();
    let mut words = 0;
    for text in &texts {
        words += jieba.cut(text, true).len();
    }
    assert!(words > 0);
    t.elapsed().as_secs_f64()
}

/// What a run of a command cost.
#[derive(Clone, Copy)]
struct Run {
    /// Wall-clock seconds.
    secs: f64,
    /// CPU seconds (user and system) of the process: on a machine shared with other work, the
    /// figure that load changes least.
    cpu: f64,
    /// Peak resident memory, MB.
    rss: f64,
}

/// Runs a command to its end: what it cost.
// The child is reaped by wait4, which clippy does not know of.
#[allow(clippy::zombie_processes)]
fn run(mut cmd: Command) -> Run {
    let err_path = std::env::temp_dir().join(format!("guanxi-bench-{}.err", std::process::id()));
    let err = std::fs::File::create(&err_path).expect("a file for standard error");
    let t = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(err)
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value, and wait4 only writes into the two out-pointers.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // wait4, not Child::wait: it gives the child's own peak RSS.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(r, pid, "wait4 failed");
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        let err = std::fs::read_to_string(&err_path).unwrap_or_default();
        panic!("{cmd:?} failed ({status}): {err}");
    }
    let _ = std::fs::remove_file(&err_path);
    // ru_maxrss is in KiB on Linux.
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Run {
        secs,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        rss: usage.ru_maxrss as f64 * 1024.0 / 1e6,
    }
}

struct Guanxi {
    bin: PathBuf,
    has_jobs: bool,
    has_quiet: bool,
    taskset: bool,
}

impl Guanxi {
    fn new(bin: PathBuf) -> Guanxi {
        let help = |sub: &str| {
            let out = Command::new(&bin)
                .args([sub, "--help"])
                .output()
                .unwrap_or_else(|e| panic!("{}: {e} (build it with `cargo build --release`)", bin.display()));
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        let ingest_help = help("ingest");
        let taskset = Command::new("taskset")
            .args(["-c", "0", "true"])
            .status()
            .is_ok_and(|s| s.success());
        Guanxi {
            has_jobs: ingest_help.contains("--jobs") && help("extract").contains("--jobs"),
            has_quiet: ingest_help.contains("--quiet"),
            bin,
            taskset,
        }
    }

    fn command(&self, jobs: usize, args: &[&str]) -> Command {
        let mut c = if !self.has_jobs && jobs == 1 && self.taskset {
            let mut c = Command::new("taskset");
            c.args(["-c", "0"]).arg(&self.bin);
            c
        } else {
            Command::new(&self.bin)
        };
        c.args(args);
        if self.has_jobs {
            c.args(["--jobs", &jobs.to_string()]);
        }
        if self.has_quiet && args[0] != "extract" {
            c.arg("--quiet");
        }
        c
    }
}

struct Report {
    mb: f64,
    files: usize,
    floor: f64,
}

impl Report {
    fn line(&self, step: &str, r: Run) {
        println!(
            "{step:<34} {:>7.2} s {:>6.2} MB/s  ratio {:>5.3}  {:>7.0} docs/s  CPU {:>6.2} s  peak RSS {:>4.0} MB",
            r.secs,
            self.mb / r.secs,
            self.floor / r.secs,
            self.files as f64 / r.secs,
            r.cpu,
            r.rss
        );
    }
}

fn main() {
    let o = options();
    let g = Guanxi::new(o.bin.clone());
    let root = o
        .keep
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("guanxi-bench-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("bench directory");
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "guanxi bench: {} MB of long and of short documents, {} cores, load average {}",
        o.mb,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    println!(
        "binary {} (--jobs: {}, --quiet: {})",
        g.bin.display(),
        if g.has_jobs { "yes" } else { "no, 1 job = taskset -c 0" },
        if g.has_quiet { "yes" } else { "no" }
    );

    let t = Instant::now();
    let paras = paragraphs();
    let swap = Swapper::new();
    let total = (o.mb * 1e6) as usize;
    let corpora = [("long", 256_000usize, 1u64), ("short", 2_500, 2)];
    for (name, size, seed) in corpora {
        generate(&root.join(name), total, size, seed, &paras, &swap);
    }
    println!(
        "generated from {} paragraphs in {:.1} s",
        paras.len(),
        t.elapsed().as_secs_f64()
    );
    if o.generate_only {
        // The corpora of the database-size step too, as that step makes them.
        generate(&root.join("fresh"), 2_000 * 2_500, 2_500, 20, &paras, &swap);
        generate(&root.join("big"), o.db_docs * 2_500, 2_500, 21, &paras, &swap);
        println!("corpus in {} (fresh and big: the database-size step's)", root.display());
        return;
    }

    for (name, _, _) in corpora {
        let dir = root.join(name);
        let d = dir.to_str().expect("UTF-8 path");
        let bytes = bytes_of(&dir);
        let files = files_of(&dir).len();
        let floor = jieba_floor(&dir);
        let r = Report {
            mb: bytes as f64 / 1e6,
            files,
            floor,
        };
        println!(
            "\n== {name}: {files} files, {:.1} MB, {:.0} bytes each ==",
            r.mb,
            bytes as f64 / files as f64
        );
        println!(
            "{:<34} {floor:>8.2} s {:>7.2} MB/s  ratio 1.000",
            "jieba-rs cut, 1 thread (floor)",
            r.mb / floor
        );
        let mut ex = [0.0; 2];
        for jobs in [1, 2] {
            let x = run(g.command(jobs, &["extract", d, "--format", "json"]));
            ex[jobs - 1] = x.secs;
            r.line(&format!("extract --jobs {jobs}"), x);
        }
        let mut ing = [0.0; 2];
        for jobs in [1, 2] {
            let db = root.join(format!("{name}-{jobs}.db"));
            let x = run(g.command(jobs, &["ingest", d, "--db", db.to_str().expect("UTF-8 path")]));
            ing[jobs - 1] = x.secs;
            r.line(&format!("ingest --jobs {jobs} (new database)"), x);
        }
        let db = root.join(format!("{name}-2.db"));
        let x = run(g.command(2, &["ingest", d, "--db", db.to_str().expect("UTF-8 path")]));
        let s = x.secs;
        r.line("re-ingest unchanged, --jobs 2", x);
        println!(
            "2 jobs / 1 job: extract {:.2}x, ingest {:.2}x; re-ingest {:.1} % of the first ingest",
            ex[0] / ex[1],
            ing[0] / ing[1],
            100.0 * s / ing[1]
        );
        let _ = std::fs::remove_file(root.join(format!("{name}-1.db")));
    }

    // One document of doc-mb and one of twice that.
    println!("\n== cost by document size (extract --jobs 1) ==");
    let mut prev: Option<Run> = None;
    for (k, mb) in [o.doc_mb, 2.0 * o.doc_mb].into_iter().enumerate() {
        let dir = root.join(format!("one-{k}"));
        generate(
            &dir,
            (mb * 1e6) as usize,
            (mb * 1e6) as usize,
            10 + k as u64,
            &paras,
            &swap,
        );
        let x = run(g.command(1, &["extract", dir.to_str().expect("UTF-8 path"), "--format", "json"]));
        println!(
            "one document of {:>5.1} MB: {:>7.2} s  CPU {:>6.2} s  peak RSS {:>5.0} MB{}",
            bytes_of(&dir) as f64 / 1e6,
            x.secs,
            x.cpu,
            x.rss,
            prev.map_or(String::new(), |p| format!(
                "  ({:.2}x the half-size document, CPU {:.2}x)",
                x.secs / p.secs,
                x.cpu / p.cpu
            ))
        );
        prev = Some(x);
    }

    // 2,000 new documents into an empty database and into one of db-docs documents.
    println!("\n== cost by database size (ingest --jobs 2) ==");
    let fresh = root.join("fresh");
    generate(&fresh, 2_000 * 2_500, 2_500, 20, &paras, &swap);
    let big = root.join("big");
    generate(&big, o.db_docs * 2_500, 2_500, 21, &paras, &swap);
    let f = fresh.to_str().expect("UTF-8 path");
    let empty = run(g.command(
        2,
        &["ingest", f, "--db", root.join("empty.db").to_str().expect("UTF-8")],
    ));
    let big_db = root.join("big.db");
    let fill = run(g.command(
        2,
        &[
            "ingest",
            big.to_str().expect("UTF-8"),
            "--db",
            big_db.to_str().expect("UTF-8"),
        ],
    ));
    println!(
        "filling a database with {} documents: {:.1} s ({:.0} docs/s, CPU {:.1} s, peak RSS {:.0} MB)",
        files_of(&big).len(),
        fill.secs,
        files_of(&big).len() as f64 / fill.secs,
        fill.cpu,
        fill.rss
    );
    let full = run(g.command(2, &["ingest", f, "--db", big_db.to_str().expect("UTF-8")]));
    println!(
        "2,000 documents into an empty database: {:.2} s (CPU {:.2} s); into one of {} documents: {:.2} s (CPU {:.2} s): {:.2}x (CPU {:.2}x)",
        empty.secs,
        empty.cpu,
        files_of(&big).len(),
        full.secs,
        full.cpu,
        full.secs / empty.secs,
        full.cpu / empty.cpu
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "\nload average at the end {}",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    if o.keep.is_none() {
        let _ = std::fs::remove_dir_all(&root);
    }
}
