//! Throughput figures: segmentation alone, extraction on one and on all cores, storing, and
//! loading the graph back for a query. Run with `cargo run --release --example bench [COPIES]`.
//!
//! The corpus is the example articles (plus the development articles when `../shared` is present),
//! repeated COPIES times (default 40) with a marker line so that every copy is a new document.

use guanxi::pipeline::Extractor;
use guanxi::source::{Input, collect_inputs, make_document, read_input};
use std::time::Instant;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.to_string()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|k| k.parse::<f64>().ok()))
        .map_or(0.0, |kib| kib / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let copies: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(40);
    let t = Instant::now();
    let ex = Extractor::embedded()?;
    println!(
        "load lexicon, rules and segmenter: {:.0} ms ({} lexicon entries)",
        t.elapsed().as_secs_f64() * 1e3,
        ex.lexicon().len()
    );

    let mut paths = vec![std::path::PathBuf::from("examples/articles")];
    if std::path::Path::new("../shared/corpus").is_dir() {
        paths.push("../shared/corpus".into());
    }
    let mut texts = Vec::new();
    for input in collect_inputs(&paths)? {
        if let Input::File(p) = &input
            && p.extension().is_some_and(|e| e == "md")
            && p.file_name().is_some_and(|n| n == "INDEX.md")
        {
            continue;
        }
        texts.extend(read_input(&input)?.into_iter().map(|d| d.text));
    }
    let docs: Vec<guanxi::model::Document> = (0..copies)
        .flat_map(|c| texts.iter().enumerate().map(move |(i, t)| (c, i, t)))
        .map(|(c, i, t)| make_document(format!("bench/{c}/{i}"), format!("{t}\n[copy {c}]"), None, None, None))
        .collect();
    let chars: usize = docs.iter().map(|d| d.text.chars().count()).sum();
    let mib = docs.iter().map(|d| d.text.len()).sum::<usize>() as f64 / (1024.0 * 1024.0);
    println!("corpus: {} documents, {} characters, {:.2} MiB", docs.len(), chars, mib);

    let t = Instant::now();
    let words: usize = docs.iter().map(|d| ex.recognizer().words(&d.text).len()).sum();
    let seg = t.elapsed().as_secs_f64();
    println!(
        "segmentation alone: {:.2} s, {:.0} chars/s, {:.2} MiB/s ({} words)",
        seg,
        chars as f64 / seg,
        mib / seg,
        words
    );

    let t = Instant::now();
    let mentions: usize = docs.iter().map(|d| ex.recognizer().recognise(d).len()).sum();
    let rec = t.elapsed().as_secs_f64();
    println!(
        "mentions alone: {:.2} s, {:.0} chars/s ({} mentions)",
        rec,
        chars as f64 / rec,
        mentions
    );

    let t = Instant::now();
    let mut relations = 0;
    for d in &docs {
        relations += ex.extract(d.clone()).relations.len();
    }
    let one = t.elapsed().as_secs_f64();
    println!(
        "extraction, 1 thread: {:.2} s, {:.0} chars/s, {:.1} docs/s ({} relations)",
        one,
        chars as f64 / one,
        docs.len() as f64 / one,
        relations
    );

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t = Instant::now();
    std::thread::scope(|s| {
        for chunk in docs.chunks(docs.len().div_ceil(threads)) {
            let ex = &ex;
            s.spawn(move || {
                chunk
                    .iter()
                    .map(|d| ex.extract(d.clone()).relations.len())
                    .sum::<usize>()
            });
        }
    });
    let par = t.elapsed().as_secs_f64();
    println!(
        "extraction, {threads} threads: {:.2} s, {:.0} chars/s ({:.2}x)",
        par,
        chars as f64 / par,
        one / par
    );

    let dir = std::env::temp_dir().join(format!("guanxi-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut store = guanxi::store::Store::open(&dir.join("bench.db"))?;
    let extractions: Vec<_> = docs.iter().map(|d| ex.extract(d.clone())).collect();
    let t = Instant::now();
    for x in &extractions {
        store.write(x)?;
    }
    let w = t.elapsed().as_secs_f64();
    let c = store.counts()?;
    println!(
        "store: {:.2} s, {:.0} docs/s, one transaction each ({} entities, {} relations, {} evidence)",
        w,
        docs.len() as f64 / w,
        c.entities,
        c.relations,
        c.evidence
    );
    let t = Instant::now();
    let nodes = store.graph()?.nodes.len();
    let load = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let pairs = guanxi::query::pairs(
        &store,
        guanxi::model::RelationType::CompetesWith,
        guanxi::query::Evidence::None,
        None,
    )?;
    let q = t.elapsed().as_secs_f64();
    println!(
        "whole graph load (exports, {} nodes): {:.1} ms; competing pairs in SQL: {:.2} ms ({} pairs; query figures: examples/query_bench.rs)",
        nodes,
        load * 1e3,
        q * 1e3,
        pairs.len()
    );
    println!("peak resident memory: {:.0} MiB", peak_rss_mib());
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
