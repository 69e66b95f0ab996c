//! Facts shards: `extract --jsonl` writes them, `ingest --facts` reads them.

use super::context::{Context, DbArg, open};
use crate::ingest::IngestReport;
use anyhow::{Context as _, Result};
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

/// `guanxi extract --jsonl PATHS`: one line of facts per article on standard output.
pub fn extract(ctx: &Context, paths: &[PathBuf]) -> Result<u8> {
    let ex = ctx.extractor()?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut failed = 0;
    let report_error = |e: crate::source::SourceError| eprintln!("error: {e}");
    for p in paths {
        let report = if p.as_os_str() == "-" {
            let name = crate::source::Input::Stdin.name();
            crate::facts::extract_jsonl(&ex, &name, std::io::stdin().lock(), &mut out, report_error)
        } else {
            let name = p.display().to_string();
            match std::fs::File::open(p) {
                Ok(f) => crate::facts::extract_jsonl(&ex, &name, f, &mut out, report_error),
                Err(e) => {
                    // One unreadable file is reported, and the others are read.
                    eprintln!("error: {name}: {e}");
                    failed += 1;
                    continue;
                }
            }
        };
        failed += report.with_context(|| format!("extracting {}", p.display()))?.failed;
    }
    Ok(if failed > 0 { 2 } else { 0 })
}

/// `guanxi ingest --facts PATHS`: facts shards into the database, in the order given (the files
/// of a directory in sorted order).
pub fn ingest(ctx: &Context, paths: &[PathBuf], db: &DbArg) -> Result<u8> {
    let mut store = open(&ctx.db(db))?;
    let mut report = IngestReport::default();
    let on_error = |e: &crate::facts::FactsError| eprintln!("error: {e}");
    for shard in shards(paths)? {
        if shard.as_os_str() == "-" {
            let name = crate::source::Input::Stdin.name();
            crate::facts::ingest_facts(&mut store, &name, std::io::stdin().lock(), &mut report, on_error)?;
            continue;
        }
        let name = shard.display().to_string();
        match std::fs::File::open(&shard) {
            Ok(f) => crate::facts::ingest_facts(&mut store, &name, BufReader::new(f), &mut report, on_error)?,
            Err(e) => {
                eprintln!("error: {name}: {e}");
                report.failed += 1;
            }
        }
    }
    writeln!(std::io::stdout(), "{}", super::ingest::summary(&report, &store)?)?;
    Ok(if report.failed > 0 { 2 } else { 0 })
}

/// The shards named: files as given, directories walked in sorted order without hidden files and
/// the markers Hadoop and Spark leave (`_SUCCESS`, `.part-00000.crc`).
fn shards(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('.') || name.starts_with('_') {
                continue;
            }
            if p.is_dir() && !p.is_symlink() {
                walk(&p, out)?;
            } else {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}
