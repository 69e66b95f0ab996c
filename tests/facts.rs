//! Extraction as a map step: the example corpus as JSON Lines, split into shards, extracted by
//! `guanxi extract --jsonl` in parallel (shell pipes, and the Spark job of examples/spark in
//! `local[2]`), merged with `guanxi ingest --facts`, must give the graph a plain `guanxi ingest`
//! of the same articles gives, node for node and edge for edge.
//!
//! The Spark test needs `spark-submit` (PySpark from pip) and Java; CI installs both (.ci/run).
//! Without them it fails and says what to install: it never skips.

mod common;

use common::{guanxi, ok, root, run, tmp};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn success(what: &str, out: Output) -> Output {
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The example corpus as JSON Lines, written by examples/spark/make_corpus.py.
fn example_corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus.jsonl");
    let out = Command::new("python3")
        .current_dir(root())
        .args(["examples/spark/make_corpus.py", "examples/articles", "-o", s(&corpus)])
        .output()
        .expect("python3 runs make_corpus.py");
    success("make_corpus.py", out);
    let articles = std::fs::read_to_string(&corpus).unwrap().lines().count();
    assert!(articles >= 17, "the example corpus has {articles} articles");
    corpus
}

/// Splits a JSON Lines file into `n` shards of whole lines, in order (`split -n l/N`).
fn split(corpus: &Path, n: usize, dir: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    let out = Command::new("split")
        .args(["-n", &format!("l/{n}"), "-d", s(corpus), s(&dir.join("shard-"))])
        .output()
        .expect("split runs");
    success("split", out);
    let mut shards: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    shards.sort();
    assert_eq!(shards.len(), n);
    shards
}

/// What a database holds, as the exports and read-only SQL show it.
struct Snapshot {
    graph: Value,
    graphml: String,
    nodes_csv: String,
    relationships_csv: String,
    documents: String,
    mentions: String,
}

fn snapshot(db: &Path, dir: &Path) -> Snapshot {
    std::fs::create_dir_all(dir).unwrap();
    let json = dir.join("graph.json");
    ok(&["export", "json", "--out", s(&json)], db);
    let graphml = dir.join("graph.graphml");
    ok(&["export", "graphml", "--out", s(&graphml)], db);
    let csv = dir.join("csv");
    ok(&["export", "csv", "--out", s(&csv)], db);
    let sql = |q: &str| ok(&["query", "sql", q, "--format", "csv"], db);
    let read = |p: PathBuf| std::fs::read_to_string(p).unwrap();
    Snapshot {
        graph: serde_json::from_str(&read(json)).unwrap(),
        graphml: read(graphml),
        nodes_csv: read(csv.join("nodes.csv")),
        relationships_csv: read(csv.join("relationships.csv")),
        documents: sql("SELECT source, hash, title, url, date, text FROM documents ORDER BY source"),
        mentions: sql(
            "SELECT d.source, m.sentence, m.start, m.end, m.surface, e.key, m.source FROM mentions m
             JOIN documents d ON d.id = m.document_id JOIN entities e ON e.id = m.entity_id
             ORDER BY d.source, m.start, m.end, e.key",
        ),
    }
}

/// Asserts two databases hold the same graph: node for node, edge for edge (with every sentence
/// of evidence), and the same documents and mentions.
fn assert_same_graph(plain: &Path, merged: &Path, dir: &Path) {
    let a = snapshot(plain, &dir.join("plain"));
    let b = snapshot(merged, &dir.join("merged"));
    let (an, bn) = (
        a.graph["nodes"].as_array().unwrap(),
        b.graph["nodes"].as_array().unwrap(),
    );
    let (ae, be) = (
        a.graph["edges"].as_array().unwrap(),
        b.graph["edges"].as_array().unwrap(),
    );
    assert!(
        an.len() > 100 && ae.len() > 100,
        "a small graph: {} nodes, {} edges",
        an.len(),
        ae.len()
    );
    for (i, (x, y)) in an.iter().zip(bn).enumerate() {
        assert_eq!(x, y, "node {i} differs");
    }
    assert_eq!(an.len(), bn.len(), "node counts differ");
    for (i, (x, y)) in ae.iter().zip(be).enumerate() {
        assert_eq!(x, y, "edge {i} differs");
    }
    assert_eq!(ae.len(), be.len(), "edge counts differ");
    assert_eq!(a.graph, b.graph);
    assert!(a.graphml == b.graphml, "the GraphML exports differ");
    assert!(a.nodes_csv == b.nodes_csv, "the Neo4j nodes.csv exports differ");
    assert!(
        a.relationships_csv == b.relationships_csv,
        "the Neo4j relationships.csv exports differ"
    );
    assert!(a.documents == b.documents, "the stored documents differ");
    assert!(a.mentions == b.mentions, "the stored mentions differ");
}

fn plain_ingest(corpus: &Path, dir: &Path) -> PathBuf {
    let db = dir.join("plain.db");
    ok(&["ingest", s(corpus)], &db);
    db
}

#[test]
fn shell_pipes_build_the_graph_of_a_plain_ingest() {
    let dir = tmp();
    let corpus = example_corpus(dir.path());
    let shards = split(&corpus, 4, &dir.path().join("shards"));
    let facts = dir.path().join("facts");
    std::fs::create_dir_all(&facts).unwrap();
    // Four extractions at once, as four map tasks would run them.
    let script = r#"set -e
        bin="$1"; out="$2"; shift 2
        pids=""
        for shard in "$@"; do
            "$bin" extract --jsonl - < "$shard" > "$out/$(basename "$shard").facts" &
            pids="$pids $!"
        done
        for pid in $pids; do wait "$pid"; done"#;
    let out = Command::new("sh")
        .env_remove("GUANXI_LEXICON")
        .current_dir(root())
        .args(["-c", script, "sh", env!("CARGO_BIN_EXE_guanxi"), s(&facts)])
        .args(&shards)
        .output()
        .expect("sh runs");
    success("the parallel extraction", out);
    let lines: usize = std::fs::read_dir(&facts)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap().lines().count())
        .sum();
    assert_eq!(lines, std::fs::read_to_string(&corpus).unwrap().lines().count());

    let merged = dir.path().join("merged.db");
    let report = ok(&["ingest", "--facts", s(&facts)], &merged);
    assert!(report.contains(&format!("documents: {lines} new")), "{report}");
    assert_same_graph(&plain_ingest(&corpus, dir.path()), &merged, dir.path());

    // Incremental by document hash, like any ingest.
    let again = ok(&["ingest", "--facts", s(&facts)], &merged);
    assert!(
        again.contains(&format!("0 new, {lines} unchanged, 0 replaced")),
        "{again}"
    );
}

#[test]
fn the_spark_job_builds_the_graph_of_a_plain_ingest() {
    let found = Command::new("spark-submit").arg("--version").output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "spark-submit does not run: install PySpark (`pip install pyspark`) and Java 17 (see .ci/run)"
    );
    let dir = tmp();
    let corpus = example_corpus(dir.path());
    let shards = split(&corpus, 3, &dir.path().join("shards"));
    let facts = dir.path().join("facts");
    let out = Command::new("spark-submit")
        .current_dir(root())
        .env_remove("GUANXI_LEXICON")
        .args(["--master", "local[2]", "--files", env!("CARGO_BIN_EXE_guanxi")])
        .arg("examples/spark/job.py")
        .args(&shards)
        .args(["--output", s(&facts), "--strict"])
        .output()
        .expect("spark-submit runs");
    success("the Spark job", out);
    let parts = std::fs::read_dir(&facts)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("part-"))
        .count();
    assert!(parts >= 3, "{parts} facts shards");
    assert!(facts.join("_SUCCESS").exists());

    let merged = dir.path().join("merged.db");
    let report = ok(&["ingest", "--facts", s(&facts)], &merged);
    assert!(report.contains(" 0 failed"), "{report}");
    assert_same_graph(&plain_ingest(&corpus, dir.path()), &merged, dir.path());
}

#[test]
fn bad_lines_are_reported_by_number_and_the_rest_goes_on() {
    let dir = tmp();
    let articles = dir.path().join("in.jsonl");
    std::fs::write(
        &articles,
        "{\"id\":\"a\",\"text\":\"谷歌收购了DeepMind。\"}\n\
         {\"id\":\"b\",\"text\":\"百度发布了文心一言。\"\n\
         \n\
         {\"id\":\"c\",\"title\":\"no text\"}\n\
         {\"text\":\"Amazon invested $4 billion in Anthropic.\"}\n",
    )
    .unwrap();
    let out = guanxi().args(["extract", "--jsonl", s(&articles)]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "bad lines make the exit code 2");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let name = articles.display().to_string();
    assert!(stderr.contains(&format!("{name}:2:")), "{stderr}");
    assert!(stderr.contains(&format!("{name}:4:")), "{stderr}");
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let ids: Vec<String> = stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["doc"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["a".to_string(), format!("{name}#5")]);

    // A shard with a bad line: that line is named, the others are stored.
    let mut shard_lines: Vec<&str> = stdout.lines().collect();
    shard_lines.insert(1, "{\"v\":1,\"doc\":{\"id\":\"x\"}}");
    let shard = dir.path().join("part-00000");
    std::fs::write(&shard, shard_lines.join("\n") + "\n").unwrap();
    let db = dir.path().join("g.db");
    let out = run(&["ingest", "--facts", s(&shard)], &db);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:2: not a line of facts", shard.display())),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("documents: 2 new, 0 unchanged, 0 replaced, 1 failed"),
        "{stdout}"
    );
}

#[test]
fn facts_stream_through_standard_input_and_an_edited_article_replaces_its_facts() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let extract = |articles: &str| {
        let mut child = guanxi()
            .args(["extract", "--jsonl", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(articles.as_bytes()).unwrap();
        success("extract --jsonl -", child.wait_with_output().unwrap()).stdout
    };
    let ingest = |facts: Vec<u8>| {
        let mut child = guanxi()
            .args(["ingest", "--facts", "-", "--db", s(&db)])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&facts).unwrap();
        String::from_utf8(success("ingest --facts -", child.wait_with_output().unwrap()).stdout).unwrap()
    };
    let first = ingest(extract("{\"id\":\"n1\",\"text\":\"谷歌收购了DeepMind。\"}\n"));
    assert!(first.contains("documents: 1 new"), "{first}");
    let edited = ingest(extract("{\"id\":\"n1\",\"text\":\"微软投资了OpenAI。\"}\n"));
    assert!(edited.contains("0 new, 0 unchanged, 1 replaced"), "{edited}");
    let investors = ok(&["query", "investors", "OpenAI"], &db);
    assert!(investors.contains("Microsoft"), "{investors}");
    let gone = run(&["query", "acquisitions", "Google"], &db);
    assert_eq!(gone.status.code(), Some(1), "what the old text said is gone");
}
