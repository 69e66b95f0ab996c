//! Big inputs for measuring ingest, made from the example articles (our own writing): a JSON Lines
//! file of a given size, or many tiny files in a deep directory tree. Every record and file is a
//! different text (a numbered line is added), so that each is its own document and none is
//! skipped as a duplicate.
//!
//! Usage:
//!   cargo run --release --example gen_corpus -- jsonl OUT.jsonl MEGABYTES
//!   cargo run --release --example gen_corpus -- tree OUT_DIR FILES [DEPTH]
//!
//! `jsonl` writes records `{"id", "date", "text"}` (every fifth one named by `url` instead of
//! `id`) until the file holds MEGABYTES MB. `tree` writes FILES files of one to three sentences
//! each, DEPTH (default 8) directories deep.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The plain-text example articles (.txt and .md; HTML pages hold markup, not prose), in name
/// order so that runs are repeatable.
fn articles() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/articles");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/articles")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "md"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("an example article"))
        .collect()
}

/// The sentences of the articles: cut after 。！？ or after `. ` and at line ends.
fn sentences(articles: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for a in articles {
        let mut cur = String::new();
        for c in a.chars() {
            if c == '\n' {
                if cur.trim().chars().count() >= 8 {
                    out.push(cur.trim().to_string());
                }
                cur.clear();
                continue;
            }
            cur.push(c);
            if matches!(c, '。' | '！' | '？') || (c == ' ' && cur.ends_with(". ")) {
                if cur.trim().chars().count() >= 8 {
                    out.push(cur.trim().to_string());
                }
                cur.clear();
            }
        }
    }
    out
}

fn jsonl(out: &Path, megabytes: u64) -> std::io::Result<()> {
    let arts = articles();
    let limit = megabytes << 20;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(out)?);
    let (mut written, mut i) = (0u64, 0usize);
    while written < limit {
        let text = format!("{}\n\n第{i}版。\n", arts[i % arts.len()]);
        // Dates spread over six years, so that --since/--until have something to cut.
        let date = format!("{}-{:02}-{:02}", 2020 + i % 6, 1 + i % 12, 1 + i % 28);
        let record = if i % 5 == 4 {
            serde_json::json!({ "url": format!("https://example.org/news/{i}"), "date": date, "text": text })
        } else {
            serde_json::json!({ "id": format!("gen-{i:08}"), "date": date, "text": text })
        };
        let line = serde_json::to_string(&record).expect("a record serialises");
        w.write_all(line.as_bytes())?;
        w.write_all(b"\n")?;
        written += line.len() as u64 + 1;
        i += 1;
    }
    w.flush()?;
    println!("{}: {i} records, {written} bytes", out.display());
    Ok(())
}

fn tree(out: &Path, files: usize, depth: usize) -> std::io::Result<()> {
    let sents = sentences(&articles());
    // Seven folders a level: FILES / 7^DEPTH files a leaf at most.
    for i in 0..files {
        let mut dir = out.to_path_buf();
        let mut k = i;
        for level in 0..depth {
            dir.push(format!("l{level}-{}", k % 7));
            k /= 7;
        }
        std::fs::create_dir_all(&dir)?;
        let n = 1 + i % 3;
        let mut text = String::new();
        for j in 0..n {
            text.push_str(&sents[(i * 7 + j * 13) % sents.len()]);
            text.push('\n');
        }
        text.push_str(&format!("第{i}条。\n"));
        std::fs::write(dir.join(format!("note-{i}.txt")), text)?;
    }
    println!("{}: {files} files, {depth} levels deep", out.display());
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_corpus jsonl OUT.jsonl MEGABYTES | gen_corpus tree OUT_DIR FILES [DEPTH]";
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["jsonl", out, mb] => jsonl(Path::new(out), mb.parse().expect(usage)),
        ["tree", out, n] => tree(Path::new(out), n.parse().expect(usage), 8),
        ["tree", out, n, d] => tree(Path::new(out), n.parse().expect(usage), d.parse().expect(usage)),
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
