//! Every export format through the real binary: golden files for the example corpus, the
//! readers people load the files with, hostile names through every format, the focus
//! diagram of the seed article, and the view options of `guanxi export`.
//!
//! The golden files in tests/golden/ are regenerated, after a deliberate change to
//! extraction or to a writer, with:
//!
//! ```text
//! UPDATE_EXPECT=1 cargo test --release --test exports
//! ```
//!
//! Checks that need a tool which is not installed (Graphviz's `dot`, Python with networkx and
//! rdflib) print `skipped: …` and pass; CI installs both (see .ci/run).

mod common;

use common::{dot_installed, guanxi, json, ok, root, run, tmp};
use graphviz_rust::dot_structures::{EdgeTy, Graph, Id, Stmt, Vertex};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

// ---------------------------------------------------------------------------------------------
// Running the binary

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The single-file formats: the name given to `guanxi export` and the file extension.
const FILE_FORMATS: [(&str, &str); 7] = [
    ("dot", "dot"),
    ("json", "json"),
    ("graphml", "graphml"),
    ("gexf", "gexf"),
    ("cypher", "cypher"),
    ("turtle", "ttl"),
    ("ntriples", "nt"),
];

/// Exports the whole graph of `db` in every format into `dir`: graph.dot, graph.json,
/// graph.graphml, graph.gexf, graph.cypher, graph.ttl, graph.nt, nodes.csv and
/// relationships.csv (the layout tests/readers.py expects). Extra view flags go to each export.
fn export_all(db: &Path, dir: &Path, view: &[&str]) {
    std::fs::create_dir_all(dir).unwrap();
    for (format, ext) in FILE_FORMATS {
        let out = dir.join(format!("graph.{ext}"));
        let mut args = vec!["export", format, "--out", s(&out)];
        args.extend_from_slice(view);
        ok(&args, db);
        assert!(out.exists(), "{format}: nothing written");
    }
    let mut args = vec!["export", "csv", "--out", s(dir)];
    args.extend_from_slice(view);
    ok(&args, db);
}

/// A database holding the example corpus.
fn example_db(dir: &Path) -> PathBuf {
    let db = dir.join("examples.db");
    ok(&["ingest", "examples/articles"], &db);
    db
}

/// `guanxi export json` with extra flags, parsed.
fn export_json(db: &Path, flags: &[&str]) -> Value {
    let mut args = vec!["export", "json"];
    args.extend_from_slice(flags);
    json(&ok(&args, db))
}

/// Node names by id of a graph JSON.
fn names_by_id(g: &Value) -> BTreeMap<String, String> {
    g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["id"].as_str().unwrap().to_string(),
                n["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Sorted node names of a graph JSON.
fn node_names(g: &Value) -> Vec<String> {
    let mut v: Vec<String> = names_by_id(g).into_values().collect();
    v.sort();
    v
}

/// (source name, relation, target name, weight) of every edge of a graph JSON, sorted.
fn edge_list(g: &Value) -> Vec<(String, String, String, u64)> {
    let names = names_by_id(g);
    let mut v: Vec<_> = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                names[e["source"].as_str().unwrap()].clone(),
                e["type"].as_str().unwrap().to_string(),
                names[e["target"].as_str().unwrap()].clone(),
                e["weight"].as_u64().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

fn counts(g: &Value) -> (usize, usize) {
    (
        g["nodes"].as_array().unwrap().len(),
        g["edges"].as_array().unwrap().len(),
    )
}

/// `guanxi stats --format json` entities and relations equal the graph's nodes and edges.
fn assert_stats_agree(db: &Path, g: &Value) {
    let stats = json(&ok(&["stats", "--format", "json"], db));
    let (nodes, edges) = counts(g);
    assert_eq!(
        stats["entities"].as_u64(),
        Some(nodes as u64),
        "stats entities vs export json nodes"
    );
    assert_eq!(
        stats["relations"].as_u64(),
        Some(edges as u64),
        "stats relations vs export json edges"
    );
}

// ---------------------------------------------------------------------------------------------
// External readers

fn python_readers_installed() -> bool {
    Command::new("python3")
        .args(["-c", "import networkx, rdflib"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Renders a DOT file with Graphviz; the SVG text, or None (and a note) without Graphviz.
fn render_svg(dot: &Path) -> Option<String> {
    if !dot_installed() {
        eprintln!(
            "skipped: Graphviz's dot is not installed, {} not rendered",
            dot.display()
        );
        return None;
    }
    let out = Command::new("dot").arg("-Tsvg").arg(dot).output().expect("dot runs");
    assert!(
        out.status.success(),
        "dot -Tsvg {} failed: {}",
        dot.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = String::from_utf8(out.stdout).expect("utf-8 SVG");
    assert!(svg.contains("<svg"), "no SVG from dot");
    Some(svg)
}

/// Runs tests/readers.py (NetworkX, rdflib, neo4j-admin's CSV rules) on an export directory.
fn check_with_python_readers(dir: &Path, nodes: usize, edges: usize) {
    if !python_readers_installed() {
        eprintln!("skipped: python3 with networkx and rdflib is not installed (pip install networkx rdflib)");
        return;
    }
    let out = Command::new("python3")
        .arg(root().join("tests/readers.py"))
        .arg(dir)
        .arg(nodes.to_string())
        .arg(edges.to_string())
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "tests/readers.py {} {nodes} {edges} failed:\n{stdout}\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" 0 failed"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// 1. Golden files

fn updating() -> bool {
    std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1")
}

/// The first line where two texts differ, for the failure message.
fn first_difference(expected: &str, actual: &str) -> String {
    let clip = |l: &str| -> String {
        let mut c: String = l.chars().take(200).collect();
        if l.chars().count() > 200 {
            c.push('…');
        }
        c
    };
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.split('\n').collect(), actual.split('\n').collect());
    for i in 0..e.len().max(a.len()) {
        let (el, al) = (e.get(i), a.get(i));
        if el != al {
            return format!(
                "first difference at line {}:\n  expected: {}\n  actual:   {}\n  ({} lines expected, {} actual)",
                i + 1,
                el.map_or("<end of file>".to_string(), |l| format!("{:?}", clip(l))),
                al.map_or("<end of file>".to_string(), |l| format!("{:?}", clip(l))),
                e.len(),
                a.len()
            );
        }
    }
    "the texts are equal".into()
}

/// Compares `actual` with the golden file, or writes it when UPDATE_EXPECT=1.
/// Returns a description of the mismatch, if any.
fn golden(name: &str, actual: &str) -> Option<String> {
    let path = root().join("tests/golden").join(name);
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(actual) {
            std::fs::write(&path, actual).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
            eprintln!("updated {}", path.display());
        }
        return None;
    }
    match std::fs::read_to_string(&path) {
        Err(e) => Some(format!("tests/golden/{name}: cannot read it ({e})")),
        Ok(expected) if expected == actual => None,
        Ok(expected) => Some(format!(
            "tests/golden/{name} differs from the export\n{}",
            first_difference(&expected, actual)
        )),
    }
}

#[test]
fn every_format_matches_its_golden_file_for_the_example_corpus() {
    let dir = tmp();
    // Two databases built from the same corpus: the exports must be byte-for-byte the same.
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    for out in [&first, &second] {
        std::fs::create_dir_all(out).unwrap();
        let db = example_db(out);
        export_all(&db, &out.join("export"), &[]);
    }
    let mut files: Vec<(String, String)> = FILE_FORMATS
        .iter()
        .map(|(_, ext)| (format!("graph.{ext}"), format!("examples.{ext}")))
        .collect();
    files.push(("nodes.csv".into(), "examples-nodes.csv".into()));
    files.push(("relationships.csv".into(), "examples-relationships.csv".into()));
    let mut failures = Vec::new();
    for (file, golden_name) in &files {
        let a = read(&first.join("export").join(file));
        let b = read(&second.join("export").join(file));
        assert!(a == b, "{file} is not deterministic: {}", first_difference(&a, &b));
        assert!(!a.is_empty(), "{file} is empty");
        if let Some(f) = golden(golden_name, &a) {
            failures.push(f);
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\nIf the change is intended, regenerate the golden files with\n  UPDATE_EXPECT=1 cargo test --release --test exports\nand review the diff.",
        failures.join("\n\n")
    );
}

#[test]
fn first_difference_names_the_line() {
    let d = first_difference("a\nb\nc\n", "a\nB\nc\n");
    assert!(
        d.contains("line 2") && d.contains("\"b\"") && d.contains("\"B\""),
        "{d}"
    );
    let d = first_difference("a\n", "a\nmore\n");
    assert!(d.contains("line 2") && d.contains("\"more\""), "{d}");
}

// ---------------------------------------------------------------------------------------------
// 2. Real readers on the example corpus

#[test]
fn example_exports_load_in_graphviz_networkx_and_rdflib_with_the_counts_of_stats() {
    let dir = tmp();
    let db = example_db(dir.path());
    let out = dir.path().join("export");
    export_all(&db, &out, &[]);
    let g = json(&read(&out.join("graph.json")));
    let (nodes, edges) = counts(&g);
    assert!(nodes > 20 && edges > 20, "{nodes} nodes, {edges} edges");
    assert_stats_agree(&db, &g);
    // The file and standard output are the same JSON.
    assert_eq!(export_json(&db, &[]), g);

    if let Some(svg) = render_svg(&out.join("graph.dot")) {
        let texts = svg_texts(&svg);
        assert!(texts.contains("OpenAI"), "OpenAI is not drawn");
    }
    check_with_python_readers(&out, nodes, edges);
}

// ---------------------------------------------------------------------------------------------
// 3. Hostile names

/// Names that break naive writers: quotes, backslashes, markup, braces, title marks, DOT
/// keywords, emoji, a zero-width space and a right-to-left override. Each occurs in
/// tests/fixtures/hostile.txt exactly as written here.
const HOSTILE: [(&str, &str); 19] = [
    ("Quote\"Labs", "company"),
    ("O'Reilly AI", "company"),
    ("Back\\Slash", "company"),
    ("<Angle&Co>", "company"),
    ("{Brace}Tech", "company"),
    ("《书》名科技", "company"),
    ("node", "company"),
    ("edge", "company"),
    ("graph", "company"),
    ("digraph", "company"),
    ("subgraph", "company"),
    ("strict", "company"),
    ("火箭🚀智能", "company"),
    ("零\u{200B}宽科技", "company"),
    ("\u{202E}Evil Corp", "company"),
    ("张\"引号\"三", "person"),
    ("李'单引'四", "person"),
    ("王\\反斜", "person"),
    ("The \"Quoted\" <Book> & {More}", "book"),
];

/// A lexicon directory holding hostile.tsv (name, type, aliases, parent, maker).
fn hostile_lexicon(dir: &Path) -> PathBuf {
    let lex = dir.join("lexicon");
    std::fs::create_dir_all(&lex).unwrap();
    let mut tsv = String::from("# Hostile names for the export tests: name, type, aliases, parent, maker\n");
    for (name, etype) in HOSTILE {
        tsv.push_str(&format!("{name}\t{etype}\t\t\t\n"));
    }
    std::fs::write(lex.join("hostile.tsv"), tsv).unwrap();
    lex
}

fn hostile_fixture() -> PathBuf {
    root().join("tests/fixtures/hostile.txt")
}

#[test]
fn the_hostile_fixture_holds_every_hostile_name() {
    let text = read(&hostile_fixture());
    for (name, _) in HOSTILE {
        assert!(text.contains(name), "tests/fixtures/hostile.txt lacks {name:?}");
    }
}

#[test]
fn extract_finds_the_hostile_entities_and_their_relations() {
    let dir = tmp();
    let lex = hostile_lexicon(dir.path());
    let fixture = hostile_fixture();
    let extract = |format: &str| {
        let out = guanxi()
            .args(["extract", s(&fixture), "--lexicon", s(&lex), "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let g = json(&extract("json"));
    assert_hostile_graph(&g);
    let table = extract("table");
    assert!(
        table.contains("<Angle&Co>") && table.contains("competes_with"),
        "{table}"
    );
}

/// Every hostile name is a node, exactly as written and with its type; enough relations
/// between hostile entities came out to exercise the edge writers.
fn assert_hostile_graph(g: &Value) {
    let nodes = g["nodes"].as_array().unwrap();
    for (name, etype) in HOSTILE {
        let node = nodes.iter().find(|n| n["name"] == name).unwrap_or_else(|| {
            panic!(
                "{name:?} is not a node (names: {:?}); if extraction changed, adjust tests/fixtures/hostile.txt",
                node_names(g)
            )
        });
        assert_eq!(node["type"], etype, "{name:?}");
        assert!(
            node["aliases"].as_array().unwrap().iter().any(|a| a == name),
            "{name:?} is not among its own aliases"
        );
    }
    let hostile: BTreeSet<&str> = HOSTILE.iter().map(|h| h.0).collect();
    let between: Vec<_> = edge_list(g)
        .into_iter()
        .filter(|(a, _, b, _)| hostile.contains(a.as_str()) && hostile.contains(b.as_str()))
        .collect();
    assert!(
        between.len() >= 8,
        "only {} relations between hostile entities: {between:?}",
        between.len()
    );
    let types: BTreeSet<&str> = between.iter().map(|e| e.1.as_str()).collect();
    for t in ["competes_with", "invests_in", "acquires", "founded"] {
        assert!(types.contains(t), "no {t} between hostile entities: {between:?}");
    }
}

/// A database ingested from the hostile-names fixture and lexicon, in `dir`.
fn hostile_db(dir: &Path) -> PathBuf {
    let lex = hostile_lexicon(dir);
    let db = dir.join("hostile.db");
    let out = guanxi()
        .args(["ingest", s(&hostile_fixture()), "--lexicon", s(&lex), "--db", s(&db)])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    db
}

#[test]
fn hostile_names_survive_every_format() {
    let dir = tmp();
    let db = hostile_db(dir.path());
    let exp = dir.path().join("export");
    export_all(&db, &exp, &[]);

    // JSON: parses, and the names are exactly those of the lexicon.
    let g = json(&read(&exp.join("graph.json")));
    assert_hostile_graph(&g);
    assert_stats_agree(&db, &g);
    let names = node_names(&g);
    let (nodes, edges) = counts(&g);

    // DOT: graphviz-rust parses it back to the same labels; Graphviz renders it.
    let dot = read(&exp.join("graph.dot"));
    let (labels, edge_count) = dot_labels(&dot);
    assert_eq!(labels, names, "DOT labels");
    assert_eq!(edge_count, edges, "DOT edges");
    if let Some(svg) = render_svg(&exp.join("graph.dot")) {
        let texts = svg_texts(&svg);
        for n in &names {
            assert!(texts.contains(n.as_str()), "{n:?} is not drawn in the SVG: {texts:?}");
        }
    }

    // GraphML and GEXF: well-formed XML whose names read back exactly.
    let graphml = xml_events(&read(&exp.join("graph.graphml"))).unwrap_or_else(|e| panic!("graph.graphml: {e}"));
    assert_eq!(graphml_names(&graphml), names, "GraphML names");
    assert_eq!(
        graphml
            .iter()
            .filter(|e| matches!(e, Xml::Open(n, _) if n == "edge"))
            .count(),
        edges
    );
    let gexf = xml_events(&read(&exp.join("graph.gexf"))).unwrap_or_else(|e| panic!("graph.gexf: {e}"));
    assert_eq!(gexf_labels(&gexf), names, "GEXF labels");
    assert_eq!(
        gexf.iter()
            .filter(|e| matches!(e, Xml::Open(n, _) if n == "edge"))
            .count(),
        edges
    );

    // CSV: RFC 4180 records with the header's number of fields; names read back.
    let node_rows = parse_csv(&read(&exp.join("nodes.csv"))).unwrap_or_else(|e| panic!("nodes.csv: {e}"));
    let rel_rows =
        parse_csv(&read(&exp.join("relationships.csv"))).unwrap_or_else(|e| panic!("relationships.csv: {e}"));
    assert_eq!(node_rows.len(), nodes + 1);
    assert_eq!(rel_rows.len(), edges + 1);
    for rows in [&node_rows, &rel_rows] {
        for r in rows.iter() {
            assert_eq!(r.len(), rows[0].len(), "{r:?}");
        }
    }
    let mut csv_names: Vec<String> = node_rows[1..].iter().map(|r| r[1].clone()).collect();
    csv_names.sort();
    assert_eq!(csv_names, names, "nodes.csv names");

    // Cypher: every literal closes on its line; names read back from `n.name = '…'`.
    let statements =
        cypher_statements(&read(&exp.join("graph.cypher"))).unwrap_or_else(|e| panic!("graph.cypher: {e}"));
    assert_eq!(statements.len(), nodes + edges);
    let mut cypher_names: Vec<String> = statements
        .iter()
        .filter(|(code, _)| code.starts_with("MERGE (n:"))
        .map(|(_, lits)| lits[1].clone())
        .collect();
    cypher_names.sort();
    assert_eq!(cypher_names, names, "Cypher names");

    // N-Triples: every line a triple of valid terms; rdfs:label reads back the names.
    let triples = parse_ntriples(&read(&exp.join("graph.nt"))).unwrap_or_else(|e| panic!("graph.nt: {e}"));
    let mut nt_names: Vec<String> = triples
        .iter()
        .filter(|t| t.1 == Term::Iri(RDFS_LABEL.into()))
        .map(|t| match &t.2 {
            Term::Literal(l) => l.clone(),
            other => panic!("label {other:?}"),
        })
        .collect();
    nt_names.sort();
    assert_eq!(nt_names, names, "N-Triples labels");

    // Turtle: literals close on their lines and nothing of a name is outside one.
    let ttl_labels = turtle_labels(&read(&exp.join("graph.ttl"))).unwrap_or_else(|e| panic!("graph.ttl: {e}"));
    assert_eq!(ttl_labels, names, "Turtle labels");

    // And the real readers, when installed.
    check_with_python_readers(&exp, nodes, edges);
}

// ---------------------------------------------------------------------------------------------
// 4. The focus diagram of the seed article

fn seed_article() -> Option<PathBuf> {
    let p = root().join("../shared/corpus/seed-article.txt");
    p.is_file().then_some(p)
}

#[test]
fn focus_on_openai_shows_exactly_its_neighbours() {
    let Some(seed) = seed_article() else {
        eprintln!("skipped: ../shared/corpus/seed-article.txt is not present, no focus check");
        return;
    };
    let dir = tmp();
    let db = dir.path().join("seed.db");
    ok(&["ingest", s(&seed)], &db);
    let full = edge_list(&export_json(&db, &[]));
    let focus = export_json(&db, &["--focus", "OpenAI", "--depth", "1"]);
    let names: BTreeSet<String> = node_names(&focus).into_iter().collect();

    let mut expected: BTreeSet<String> = full
        .iter()
        .filter_map(|(a, _, b, _)| match (a.as_str(), b.as_str()) {
            ("OpenAI", other) | (other, "OpenAI") => Some(other.to_string()),
            _ => None,
        })
        .collect();
    expected.insert("OpenAI".into());
    assert_eq!(names, expected, "OpenAI and its direct neighbours");

    let edges = edge_list(&focus);
    let touches = |n: &str| {
        edges
            .iter()
            .any(|(a, _, b, _)| (a == n && b == "OpenAI") || (a == "OpenAI" && b == n))
    };
    for n in names.iter().filter(|n| *n != "OpenAI") {
        assert!(touches(n), "{n} is in the focus view without an edge to OpenAI");
    }
    let has = |a: &str, r: &str, b: &str| edges.iter().any(|e| e.0 == a && e.1 == r && e.2 == b);
    for rival in ["Meta", "Google"] {
        assert!(
            has(rival, "competes_with", "OpenAI") || has("OpenAI", "competes_with", rival),
            "{rival} is not a rival of OpenAI: {edges:?}"
        );
    }
    assert!(has("Microsoft", "invests_in", "OpenAI"), "{edges:?}");
    for model in ["GPT-3", "GPT-4", "ChatGPT"] {
        assert!(
            has("OpenAI", "develops", model),
            "OpenAI does not develop {model}: {edges:?}"
        );
    }
    // Every edge of the view is an edge of the graph.
    for e in &edges {
        assert!(full.contains(e), "{e:?} is not in the full graph");
    }

    let dot_path = dir.path().join("focus.dot");
    ok(
        &[
            "export",
            "dot",
            "--focus",
            "OpenAI",
            "--depth",
            "1",
            "--out",
            s(&dot_path),
        ],
        &db,
    );
    // Chinese labels by default: a Chinese alias where there is one (Google is 谷歌).
    let (labels, edge_count) = dot_labels(&read(&dot_path));
    let zh = labels_in(&focus, "zh");
    assert_eq!(labels.into_iter().collect::<BTreeSet<_>>(), zh, "DOT focus labels");
    assert!(zh.contains("谷歌") && !zh.contains("Google"), "{zh:?}");
    assert_eq!(edge_count, edges.len());
    render_svg(&dot_path);
    ok(
        &[
            "export",
            "dot",
            "--focus",
            "OpenAI",
            "--lang",
            "en",
            "--out",
            s(&dot_path),
        ],
        &db,
    );
    let (labels, _) = dot_labels(&read(&dot_path));
    let en = labels_in(&focus, "en");
    assert_eq!(
        labels.into_iter().collect::<BTreeSet<_>>(),
        en,
        "DOT focus labels in English"
    );
    assert!(en.contains("Google") && !en.contains("谷歌"), "{en:?}");
}

/// True for a Han character.
fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// The label each node of a graph JSON should have in a language: its name when written in
/// that language (Chinese: with a Han character; English: Latin letters, no Han), else its
/// first such alias, else its name.
fn labels_in(g: &Value, lang: &str) -> BTreeSet<String> {
    let fits = |s: &str| match lang {
        "zh" => s.chars().any(is_han),
        _ => !s.chars().any(is_han) && s.chars().any(|c| c.is_ascii_alphabetic()),
    };
    g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let name = n["name"].as_str().unwrap();
            if fits(name) {
                return name.to_string();
            }
            n["aliases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .find(|a| fits(a))
                .unwrap_or(name)
                .to_string()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 5. View options through the command line

#[test]
fn types_keep_only_those_entities_and_the_edges_between_them() {
    let dir = tmp();
    let db = example_db(dir.path());
    let full = export_json(&db, &[]);
    let companies = export_json(&db, &["--types", "company"]);
    let nodes = companies["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty());
    assert!(nodes.iter().all(|n| n["type"] == "company"), "{nodes:?}");
    // Every company with an edge to a company, and those that never had an edge; a company
    // whose edges all went to other types is left out (see `--isolated`).
    let full_edges = edge_list(&full);
    let company_names: BTreeSet<String> = full["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["type"] == "company")
        .map(|n| n["name"].as_str().unwrap().to_string())
        .collect();
    let expected_edges: Vec<_> = full_edges
        .iter()
        .filter(|(a, _, b, _)| company_names.contains(a) && company_names.contains(b))
        .cloned()
        .collect();
    let expected_nodes: BTreeSet<String> = company_names
        .iter()
        .filter(|c| {
            let touches = |e: &(String, String, String, u64)| e.0 == **c || e.2 == **c;
            expected_edges.iter().any(touches) || !full_edges.iter().any(touches)
        })
        .cloned()
        .collect();
    let company: BTreeSet<String> = node_names(&companies).into_iter().collect();
    assert_eq!(company, expected_nodes);
    assert!(
        company.len() < company_names.len(),
        "some company in the examples is related only to people or models"
    );
    assert_eq!(edge_list(&companies), expected_edges);
    // --isolated keeps every company.
    let all = export_json(&db, &["--types", "company", "--isolated"]);
    assert_eq!(node_names(&all).into_iter().collect::<BTreeSet<_>>(), company_names);
    // Two types, comma-separated.
    let two = export_json(&db, &["--types", "company,model"]);
    let types: BTreeSet<&str> = two["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, BTreeSet::from(["company", "model"]));
}

#[test]
fn relations_keep_only_that_relation() {
    let dir = tmp();
    let db = example_db(dir.path());
    let full = edge_list(&export_json(&db, &[]));
    let rivals = edge_list(&export_json(&db, &["--relations", "competes_with"]));
    assert!(!rivals.is_empty());
    let expected: Vec<_> = full.iter().filter(|e| e.1 == "competes_with").cloned().collect();
    assert_eq!(rivals, expected);
    assert!(rivals.len() < full.len());
}

#[test]
fn min_evidence_drops_single_evidence_edges() {
    let dir = tmp();
    let db = example_db(dir.path());
    let full = edge_list(&export_json(&db, &[]));
    let strong = edge_list(&export_json(&db, &["--min-evidence", "2"]));
    let expected: Vec<_> = full.iter().filter(|e| e.3 >= 2).cloned().collect();
    assert_eq!(strong, expected);
    assert!(
        full.iter().any(|e| e.3 == 1),
        "the example corpus has single-evidence edges"
    );
    assert!(strong.iter().all(|e| e.3 >= 2));
}

#[test]
fn an_unknown_format_exits_2_and_lists_the_known_ones() {
    let dir = tmp();
    let db = example_db(dir.path());
    let out = run(&["export", "xls"], &db);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("xls"), "{err}");
    for f in ["dot", "json", "graphml", "gexf", "csv", "cypher", "turtle", "ntriples"] {
        assert!(err.contains(f), "{f} is not listed: {err}");
    }
    // An unknown extension on --out says the same.
    let out = run(&["export", "--out", s(&dir.path().join("g.xls"))], &db);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("graphml"));
}

#[test]
fn a_date_window_in_the_future_has_no_edges() {
    let dir = tmp();
    let db = example_db(dir.path());
    let future = export_json(&db, &["--since", "2099-01-01"]);
    assert_eq!(future["edges"].as_array().unwrap().len(), 0);
    // The window is what drops them: the example articles are dated.
    let past = export_json(&db, &["--since", "2000-01-01"]);
    assert!(!past["edges"].as_array().unwrap().is_empty());
    let before = export_json(&db, &["--until", "1999-12-31"]);
    assert_eq!(before["edges"].as_array().unwrap().len(), 0);
}

// ---------------------------------------------------------------------------------------------
// Small readers for the checks above

/// Undoes a DOT double-quoted string as Graphviz reads a label: `\"` is a quote and `\\`
/// a backslash (graphviz-rust keeps the quotes and escapes as written).
fn dot_unquote(id: &Id) -> String {
    let raw = match id {
        Id::Escaped(s) => s.strip_prefix('"').and_then(|s| s.strip_suffix('"')).expect("quoted"),
        Id::Plain(s) | Id::Html(s) | Id::Anonymous(s) => s.as_str(),
    };
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Parses DOT with graphviz-rust: the sorted labels of the graph's nodes (legend left out)
/// and the number of edges.
fn dot_labels(dot: &str) -> (Vec<String>, usize) {
    let graph = graphviz_rust::parse(dot).unwrap_or_else(|e| panic!("DOT does not parse: {e}"));
    let stmts = match graph {
        Graph::DiGraph { stmts, .. } | Graph::Graph { stmts, .. } => stmts,
    };
    fn walk(stmts: &[Stmt], labels: &mut Vec<String>, edges: &mut usize) {
        for st in stmts {
            match st {
                Stmt::Node(n) => {
                    if dot_unquote(&n.id.0).starts_with("legend_") {
                        continue;
                    }
                    let label = n
                        .attributes
                        .iter()
                        .find(|a| dot_unquote(&a.0) == "label")
                        .unwrap_or_else(|| panic!("node {:?} has no label", n.id));
                    labels.push(dot_unquote(&label.1));
                }
                Stmt::Subgraph(sub) => walk(&sub.stmts, labels, edges),
                Stmt::Edge(e) => {
                    *edges += match &e.ty {
                        EdgeTy::Pair(Vertex::N(_), Vertex::N(_)) => 1,
                        other => panic!("unexpected edge {other:?}"),
                    }
                }
                _ => {}
            }
        }
    }
    let (mut labels, mut edges) = (Vec::new(), 0);
    walk(&stmts, &mut labels, &mut edges);
    labels.sort();
    (labels, edges)
}

/// One event of an XML document.
#[derive(Debug, Clone, PartialEq)]
enum Xml {
    /// A start tag (or an empty-element tag, followed by its [`Xml::Close`]).
    Open(String, Vec<(String, String)>),
    Close(String),
    /// Character data, references resolved.
    Text(String),
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ':' | '_' | '-' | '.')
}

/// Resolves the references of text or an attribute value: the five predefined entities and
/// numeric character references; anything else is an error, as is a raw `<`.
fn xml_unescape(s: &str) -> Result<String, String> {
    if s.contains('<') {
        return Err(format!("raw < in {s:?}"));
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .find(';')
            .ok_or_else(|| format!("unterminated reference in {s:?}"))?;
        let name = &after[..end];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(h) = name.strip_prefix("#x") {
                    u32::from_str_radix(h, 16).ok()
                } else if let Some(d) = name.strip_prefix('#') {
                    d.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)
                    .filter(|&c| is_xml_char(c))
                    .ok_or_else(|| format!("bad reference &{name};"))?
            }
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A small XML 1.0 well-formedness checker for what our writers and Graphviz produce: an XML
/// declaration, then comments, a DOCTYPE without an internal subset, processing
/// instructions, and one root element whose tags balance, whose attributes are quoted,
/// unique and free of `<`, and whose references are the predefined or numeric ones. Only
/// XML 1.0 characters are allowed. Returns the document's events.
fn xml_events(xml: &str) -> Result<Vec<Xml>, String> {
    if let Some(c) = xml.chars().find(|&c| !is_xml_char(c)) {
        return Err(format!("character U+{:04X} is not allowed in XML 1.0", c as u32));
    }
    let mut rest = xml.strip_prefix("<?xml ").ok_or("no XML declaration")?;
    rest = &rest[rest.find("?>").ok_or("unterminated XML declaration")? + 2..];
    let mut events = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut roots = 0;
    loop {
        let lt = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..lt];
        if stack.is_empty() {
            if !text.trim().is_empty() {
                return Err(format!("text outside the root element: {text:?}"));
            }
        } else if !text.is_empty() {
            if text.contains("]]>") {
                return Err("]]> in text".into());
            }
            events.push(Xml::Text(xml_unescape(text)?));
        }
        rest = &rest[lt..];
        if rest.is_empty() {
            break;
        }
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->").ok_or("unterminated comment")? + 3..];
            continue;
        }
        if let Some(r) = rest.strip_prefix("<![CDATA[") {
            if stack.is_empty() {
                return Err("CDATA outside the root".into());
            }
            let end = r.find("]]>").ok_or("unterminated CDATA")?;
            events.push(Xml::Text(r[..end].to_string()));
            rest = &r[end + 3..];
            continue;
        }
        if let Some(r) = rest.strip_prefix("<!DOCTYPE") {
            if roots > 0 || r.contains('[') && r.find('[') < r.find('>') {
                return Err("DOCTYPE after the root or with an internal subset".into());
            }
            rest = &r[r.find('>').ok_or("unterminated DOCTYPE")? + 1..];
            continue;
        }
        if let Some(r) = rest.strip_prefix("<?") {
            rest = &r[r.find("?>").ok_or("unterminated processing instruction")? + 2..];
            continue;
        }
        if let Some(r) = rest.strip_prefix("</") {
            let gt = r.find('>').ok_or("unterminated end tag")?;
            let name = r[..gt].trim_end();
            let open = stack.pop().ok_or_else(|| format!("</{name}> without a start tag"))?;
            if open != name {
                return Err(format!("</{name}> closes <{open}>"));
            }
            events.push(Xml::Close(name.to_string()));
            rest = &r[gt + 1..];
            continue;
        }
        // A start tag: name, then attributes, then `>` or `/>`.
        let r = &rest[1..];
        let name_len = r.find(|c: char| !is_name_char(c)).unwrap_or(r.len());
        let name = &r[..name_len];
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.') {
            return Err(format!("bad tag name at {:?}", r.chars().take(30).collect::<String>()));
        }
        if stack.is_empty() {
            roots += 1;
            if roots > 1 {
                return Err(format!("a second root element <{name}>"));
            }
        }
        let mut r = &r[name_len..];
        let mut attrs: Vec<(String, String)> = Vec::new();
        let empty = loop {
            let trimmed = r.trim_start();
            let had_space = trimmed.len() < r.len();
            r = trimmed;
            if let Some(after) = r.strip_prefix("/>") {
                r = after;
                break true;
            }
            if let Some(after) = r.strip_prefix('>') {
                r = after;
                break false;
            }
            if !had_space {
                return Err(format!("no space before attribute in <{name}>"));
            }
            let eq = r
                .find('=')
                .ok_or_else(|| format!("attribute without value in <{name}>"))?;
            let aname = r[..eq].trim_end();
            if aname.is_empty() || !aname.chars().all(is_name_char) {
                return Err(format!("bad attribute name {aname:?} in <{name}>"));
            }
            if attrs.iter().any(|(n, _)| n == aname) {
                return Err(format!("repeated attribute {aname} in <{name}>"));
            }
            let v = r[eq + 1..].trim_start();
            let quote = v.chars().next().filter(|&q| q == '"' || q == '\'');
            let quote = quote.ok_or_else(|| format!("unquoted attribute {aname} in <{name}>"))?;
            let close = v[1..]
                .find(quote)
                .ok_or_else(|| format!("unterminated attribute {aname}"))?;
            attrs.push((aname.to_string(), xml_unescape(&v[1..1 + close])?));
            r = &v[1 + close + 1..];
        };
        events.push(Xml::Open(name.to_string(), attrs));
        if empty {
            events.push(Xml::Close(name.to_string()));
        } else {
            stack.push(name.to_string());
        }
        rest = r;
    }
    match (stack.is_empty(), roots) {
        (true, 1) => Ok(events),
        (false, _) => Err(format!("unclosed elements {stack:?}")),
        (true, n) => Err(format!("{n} root elements")),
    }
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// The text directly inside each element named `tag` whose attributes satisfy `pick`.
fn texts_of(events: &[Xml], tag: &str, pick: impl Fn(&[(String, String)]) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for e in events {
        match e {
            Xml::Open(n, attrs) if n == tag && pick(attrs) => current = Some(String::new()),
            Xml::Text(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(t);
                }
            }
            Xml::Close(n) if n == tag => {
                if let Some(c) = current.take() {
                    out.push(c);
                }
            }
            _ => {}
        }
    }
    out
}

/// The sorted `name` data of GraphML nodes.
fn graphml_names(events: &[Xml]) -> Vec<String> {
    let key = events
        .iter()
        .find_map(|e| match e {
            Xml::Open(n, a) if n == "key" && attr(a, "for") == Some("node") && attr(a, "attr.name") == Some("name") => {
                attr(a, "id").map(str::to_string)
            }
            _ => None,
        })
        .expect("a GraphML key for node names");
    // Only <data> inside <node>: track the enclosing element.
    let mut names = Vec::new();
    let mut in_node = false;
    let mut current: Option<String> = None;
    for e in events {
        match e {
            Xml::Open(n, _) if n == "node" => in_node = true,
            Xml::Close(n) if n == "node" => in_node = false,
            Xml::Open(n, a) if n == "data" && in_node && attr(a, "key") == Some(key.as_str()) => {
                current = Some(String::new())
            }
            Xml::Text(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(t);
                }
            }
            Xml::Close(n) if n == "data" => {
                if let Some(c) = current.take() {
                    names.push(c);
                }
            }
            _ => {}
        }
    }
    names.sort();
    names
}

/// The sorted `label` attributes of GEXF nodes.
fn gexf_labels(events: &[Xml]) -> Vec<String> {
    let mut v: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            Xml::Open(n, a) if n == "node" => Some(attr(a, "label").expect("a GEXF node label").to_string()),
            _ => None,
        })
        .collect();
    v.sort();
    v
}

/// The contents of the `<text>` elements of a Graphviz SVG, after checking it is well-formed.
fn svg_texts(svg: &str) -> BTreeSet<String> {
    let events = xml_events(svg).unwrap_or_else(|e| panic!("the SVG is not well-formed XML: {e}"));
    texts_of(&events, "text", |_| true).into_iter().collect()
}

/// An RFC 4180 reader: records of fields, quotes undone. Rows end with LF (CRLF accepted).
fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let (mut quoted, mut was_quoted) = (false, false);
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                    if !matches!(chars.peek(), None | Some(',') | Some('\n') | Some('\r')) {
                        return Err(format!("text after a closing quote in record {}", records.len() + 1));
                    }
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            '"' => {
                return Err(format!(
                    "quote inside an unquoted field in record {}",
                    records.len() + 1
                ));
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                was_quoted = false;
            }
            '\r' => return Err("bare CR outside quotes".into()),
            c => field.push(c),
        }
    }
    if quoted {
        return Err("unterminated quoted field".into());
    }
    if !field.is_empty() || !record.is_empty() || was_quoted {
        return Err("the last record does not end with a line break".into());
    }
    Ok(records)
}

/// Scans Cypher text one statement a line (`//` lines are comments): every single- or
/// double-quoted literal and every backticked name must close on its line, the line must
/// end with `;` outside them, and outside them there may be only ASCII (so nothing of a
/// name leaked into the code). Returns each statement's code with literals blanked, and
/// its literals' values.
fn cypher_statements(text: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut out = Vec::new();
    for (no, line) in text.lines().enumerate() {
        let no = no + 1;
        if line.trim().is_empty() || line.starts_with("//") {
            continue;
        }
        let mut code = String::new();
        let mut lits = Vec::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\'' | '"' => {
                    let mut lit = String::new();
                    loop {
                        match chars.next() {
                            None => return Err(format!("line {no}: unterminated string literal")),
                            Some(q) if q == c => break,
                            Some('\\') => match chars.next() {
                                Some('\\') => lit.push('\\'),
                                Some('\'') => lit.push('\''),
                                Some('"') => lit.push('"'),
                                Some('n') => lit.push('\n'),
                                Some('r') => lit.push('\r'),
                                Some('t') => lit.push('\t'),
                                Some('u') => {
                                    let hex: String = chars.by_ref().take(4).collect();
                                    let ch = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                                    lit.push(ch.ok_or_else(|| format!("line {no}: bad \\u{hex}"))?);
                                }
                                other => return Err(format!("line {no}: unknown escape \\{other:?}")),
                            },
                            Some(ch) if ch.is_control() => {
                                return Err(format!("line {no}: raw control character in a literal"));
                            }
                            Some(ch) => lit.push(ch),
                        }
                    }
                    code.push_str("''");
                    lits.push(lit);
                }
                '`' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            None => return Err(format!("line {no}: unterminated backticked name")),
                            Some('`') => {
                                if chars.clone().next() == Some('`') {
                                    chars.next();
                                    name.push('`');
                                } else {
                                    break;
                                }
                            }
                            Some(ch) => name.push(ch),
                        }
                    }
                    code.push_str("``");
                }
                c if !c.is_ascii() || c.is_ascii_control() => {
                    return Err(format!("line {no}: {c:?} outside a literal"));
                }
                c => code.push(c),
            }
        }
        if !code.trim_end().ends_with(';') {
            return Err(format!("line {no}: the statement does not end with ;"));
        }
        out.push((code, lits));
    }
    Ok(out)
}

const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";

#[derive(Debug, Clone, PartialEq)]
enum Term {
    Iri(String),
    Blank(String),
    Literal(String),
}

/// Reads an RDF string literal's body after its opening quote: the value and the rest.
fn read_literal(s: &str) -> Result<(String, &str), String> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &s[i + 1..])),
            '\\' => {
                let (_, e) = chars.next().ok_or("escape at the end")?;
                match e {
                    't' => out.push('\t'),
                    'b' => out.push('\u{8}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    'f' => out.push('\u{c}'),
                    '"' => out.push('"'),
                    '\'' => out.push('\''),
                    '\\' => out.push('\\'),
                    'u' | 'U' => {
                        let n = if e == 'u' { 4 } else { 8 };
                        let hex: String = chars.by_ref().take(n).map(|(_, h)| h).collect();
                        let ch = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                        out.push(ch.ok_or_else(|| format!("bad \\{e}{hex}"))?);
                    }
                    other => return Err(format!("unknown escape \\{other}")),
                }
            }
            '\n' | '\r' => return Err("raw line break in a literal".into()),
            c => out.push(c),
        }
    }
    Err("unterminated literal".into())
}

/// Reads one N-Triples term at the start of `s`: the term and the rest.
fn read_term(s: &str) -> Result<(Term, &str), String> {
    let s = s.trim_start_matches([' ', '\t']);
    if let Some(r) = s.strip_prefix('<') {
        let end = r.find('>').ok_or("unterminated IRI")?;
        let iri = &r[..end];
        if iri.is_empty() || iri.chars().any(|c| c <= ' ' || "<>\"{}|^`\\".contains(c)) {
            return Err(format!("character not allowed in the IRI {iri:?}"));
        }
        return Ok((Term::Iri(iri.to_string()), &r[end + 1..]));
    }
    if let Some(r) = s.strip_prefix("_:") {
        let end = r.find([' ', '\t']).ok_or("blank node at the end of a line")?;
        let label = &r[..end];
        if label.is_empty() || !label.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c)) {
            return Err(format!("bad blank node label {label:?}"));
        }
        return Ok((Term::Blank(label.to_string()), &r[end..]));
    }
    let r = s.strip_prefix('"').ok_or_else(|| format!("no term at {s:.30}"))?;
    let (value, mut rest) = read_literal(r)?;
    if let Some(dt) = rest.strip_prefix("^^<") {
        rest = &dt[dt.find('>').ok_or("unterminated datatype IRI")? + 1..];
    } else if let Some(lang) = rest.strip_prefix('@') {
        rest = &lang[lang.find(' ').unwrap_or(lang.len())..];
    }
    Ok((Term::Literal(value), rest))
}

/// Parses N-Triples: one `subject predicate object .` a line.
fn parse_ntriples(text: &str) -> Result<Vec<(Term, Term, Term)>, String> {
    let mut out = Vec::new();
    for (no, line) in text.lines().enumerate() {
        let at = |e: String| format!("line {}: {e}", no + 1);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (s, r) = read_term(line).map_err(at)?;
        let (p, r) = read_term(r).map_err(at)?;
        let (o, r) = read_term(r).map_err(at)?;
        if r.trim() != "." {
            return Err(at(format!("{r:?} after the object")));
        }
        if matches!(s, Term::Literal(_)) || !matches!(p, Term::Iri(_)) {
            return Err(at("a literal subject or a predicate that is not an IRI".into()));
        }
        out.push((s, p, o));
    }
    Ok(out)
}

/// Scans Turtle line by line: comments skipped, every literal and IRI closes on its line,
/// outside them only ASCII. Returns the sorted values of `rdfs:label` literals.
fn turtle_labels(text: &str) -> Result<Vec<String>, String> {
    let mut labels = Vec::new();
    for (no, line) in text.lines().enumerate() {
        let at = |e: String| format!("line {}: {e}", no + 1);
        if line.starts_with('#') {
            continue;
        }
        let mut rest = line;
        let mut code = String::new();
        while let Some(i) = rest.find(['"', '<']) {
            code.push_str(&rest[..i]);
            if rest[i..].starts_with('<') {
                let end = rest[i..].find('>').ok_or_else(|| at("unterminated IRI".into()))?;
                let iri = &rest[i + 1..i + end];
                if iri.chars().any(|c| c <= ' ' || "<\"{}|^`\\".contains(c)) {
                    return Err(at(format!("character not allowed in the IRI {iri:?}")));
                }
                code.push_str("<>");
                rest = &rest[i + end + 1..];
            } else {
                let (value, r) = read_literal(&rest[i + 1..]).map_err(at)?;
                if code.trim_end().ends_with("rdfs:label") {
                    labels.push(value);
                }
                code.push_str("\"\"");
                rest = r;
            }
        }
        code.push_str(rest);
        if let Some(c) = code.chars().find(|c| !c.is_ascii() || c.is_ascii_control()) {
            return Err(at(format!("{c:?} outside a literal")));
        }
    }
    labels.sort();
    Ok(labels)
}

#[test]
fn the_small_readers_reject_broken_files() {
    assert!(xml_events("<?xml version=\"1.0\"?>\n<a><b></a>").is_err());
    assert!(xml_events("<?xml version=\"1.0\"?>\n<a x=\"<\"/>").is_err());
    assert!(xml_events("<?xml version=\"1.0\"?>\n<a>&nbsp;</a>").is_err());
    assert!(xml_events("<?xml version=\"1.0\"?>\n<a/><b/>").is_err());
    assert!(xml_events("<?xml version=\"1.0\"?>\n<a x=\"1\" x=\"2\"/>").is_err());
    assert_eq!(
        xml_events("<?xml version=\"1.0\"?>\n<!-- c --><a x='&lt;&#10;'>&amp;</a>").unwrap(),
        vec![
            Xml::Open("a".into(), vec![("x".into(), "<\n".into())]),
            Xml::Text("&".into()),
            Xml::Close("a".into())
        ]
    );
    assert!(parse_csv("a,\"b\n").is_err());
    assert!(parse_csv("a,b\"c\n").is_err());
    assert_eq!(
        parse_csv("a,\"b,\"\"c\"\"\nd\"\n").unwrap(),
        vec![vec!["a".to_string(), "b,\"c\"\nd".to_string()]]
    );
    assert!(cypher_statements("MERGE (n {k: 'open});\n").is_err());
    assert!(cypher_statements("MERGE (n {k: 'a'}) SET n.x = 名;\n").is_err());
    assert_eq!(
        cypher_statements("MERGE (n {k: 'it\\'s'});\n").unwrap()[0].1,
        vec!["it's".to_string()]
    );
    assert!(parse_ntriples("<a> <b> \"open .\n").is_err());
    assert!(parse_ntriples("<a b> <c> <d> .\n").is_err());
    assert!(turtle_labels("<a> rdfs:label \"x\" ; rdfs:comment 名 .\n").is_err());
    assert_eq!(
        turtle_labels("<a> rdfs:label \"q\\\"\" .\n").unwrap(),
        vec!["q\"".to_string()]
    );
    assert_eq!(
        dot_labels("digraph { \"a\"[label=\"x\\\"y\\\\\"] \"a\" -> \"a\" }"),
        (vec!["x\"y\\".to_string()], 1)
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Diagrams: nodes without edges, the engine by size, the legend

/// The value of a graph attribute in DOT text (`layout="sfdp"` → `sfdp`).
fn graph_attr(dot: &str, name: &str) -> Option<String> {
    let graph = graphviz_rust::parse(dot).unwrap_or_else(|e| panic!("DOT does not parse: {e}"));
    let stmts = match graph {
        Graph::DiGraph { stmts, .. } | Graph::Graph { stmts, .. } => stmts,
    };
    stmts.iter().find_map(|st| match st {
        Stmt::GAttribute(graphviz_rust::dot_structures::GraphAttributes::Graph(attrs)) => {
            attrs.iter().find(|a| dot_unquote(&a.0) == name).map(|a| match &a.1 {
                Id::Html(h) => h.clone(),
                other => dot_unquote(other),
            })
        }
        _ => None,
    })
}

#[test]
fn a_diagram_of_one_relation_draws_only_the_entities_it_links() {
    let dir = tmp();
    let db = example_db(dir.path());
    let rivals = export_json(&db, &["--relations", "competes_with"]);
    let linked: BTreeSet<String> = edge_list(&rivals)
        .iter()
        .flat_map(|(a, _, b, _)| [a.clone(), b.clone()])
        .collect();
    let dot_path = dir.path().join("rivals.dot");
    let flags = [
        "export",
        "dot",
        "--relations",
        "competes_with",
        "--lang",
        "en",
        "--out",
        s(&dot_path),
    ];
    ok(&flags, &db);
    let (labels, edges) = dot_labels(&read(&dot_path));
    assert_eq!(edges, edge_list(&rivals).len());
    // Every drawn entity is one end of a competition.
    let mut linked_only = rivals.clone();
    linked_only["nodes"]
        .as_array_mut()
        .unwrap()
        .retain(|n| linked.contains(n["name"].as_str().unwrap()));
    assert_eq!(
        labels.into_iter().collect::<BTreeSet<_>>(),
        labels_in(&linked_only, "en")
    );
    // The whole diagram leaves out what has no edge; --isolated keeps everything.
    let full = export_json(&db, &["--isolated"]);
    let all_dot = dir.path().join("all.dot");
    ok(&["export", "dot", "--out", s(&all_dot)], &db);
    let with_edge: BTreeSet<String> = edge_list(&full)
        .iter()
        .flat_map(|(a, _, b, _)| [a.clone(), b.clone()])
        .collect();
    assert!(
        with_edge.len() < counts(&full).0,
        "the examples have entities without edges"
    );
    assert_eq!(dot_labels(&read(&all_dot)).0.len(), with_edge.len());
    ok(&["export", "dot", "--isolated", "--out", s(&all_dot)], &db);
    assert_eq!(dot_labels(&read(&all_dot)).0.len(), counts(&full).0);
}

#[test]
fn the_engine_follows_the_size_unless_asked() {
    let dir = tmp();
    let db = example_db(dir.path());
    let dot_of = |flags: &[&str]| {
        let mut args = vec!["export", "dot"];
        args.extend_from_slice(flags);
        ok(&args, &db)
    };
    let big = dot_of(&[]);
    assert!(dot_labels(&big).0.len() > 60);
    assert_eq!(graph_attr(&big, "layout").as_deref(), Some("sfdp"));
    assert_eq!(graph_attr(&big, "overlap").as_deref(), Some("false"));
    let small = dot_of(&["--focus", "OpenAI"]);
    assert!(dot_labels(&small).0.len() <= 60);
    assert_eq!(graph_attr(&small, "layout").as_deref(), Some("dot"));
    let asked = dot_of(&["--engine", "neato"]);
    assert_eq!(graph_attr(&asked, "layout").as_deref(), Some("neato"));
    let out = run(&["export", "dot", "--engine", "spring"], &db);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sfdp"));
}

#[test]
fn the_legend_is_the_graph_label_under_every_engine_and_explains_edge_styles() {
    let dir = tmp();
    let db = example_db(dir.path());
    let dot_path = dir.path().join("g.dot");
    for (lang, title, types, dashed) in [
        ("zh", "图例", ["公司", "人物", "模型"], "虚线"),
        ("en", "Legend", ["company", "person", "model"], "dashed"),
    ] {
        ok(&["export", "dot", "--lang", lang, "--out", s(&dot_path)], &db);
        let dot = read(&dot_path);
        let legend = graph_attr(&dot, "label").expect("a graph label");
        assert!(
            legend.starts_with("<<table") || legend.starts_with("<table"),
            "{legend}"
        );
        for text in [title, dashed].iter().chain(types.iter()) {
            assert!(legend.contains(text), "{text} is not in the legend: {legend}");
        }
        // No legend drawn as nodes, which other engines would scatter among the entities.
        assert!(!dot.contains("legend_"), "legend nodes in the DOT");
        for engine in ["dot", "sfdp", "neato", "fdp"] {
            let p = dir.path().join(format!("{engine}.dot"));
            ok(
                &["export", "dot", "--lang", lang, "--engine", engine, "--out", s(&p)],
                &db,
            );
            if let Some(svg) = render_svg(&p) {
                let texts = svg_texts(&svg);
                assert!(texts.contains(title), "{engine}: no legend title in the SVG");
                assert!(
                    texts.iter().any(|t| t.contains(dashed)),
                    "{engine}: the legend does not explain dashed edges"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 7. The HTML page (the browser itself is in tests/browser.rs)

/// The text of `<script id="ID" …>…</script>` in a page.
fn script_text<'a>(page: &'a str, id: &str) -> &'a str {
    let open = format!("<script id=\"{id}\" type=\"application/json\">");
    let start = page.find(&open).unwrap_or_else(|| panic!("no {id} script")) + open.len();
    let end = start + page[start..].find("</script>").expect("script closes");
    &page[start..end]
}

#[test]
fn hostile_names_cannot_break_out_of_the_page_data() {
    let dir = tmp();
    let db = hostile_db(dir.path());
    let page_path = dir.path().join("graph.html");
    ok(&["export", "html", "--isolated", "--out", s(&page_path)], &db);
    let page = read(&page_path);
    // Exactly the page's own four scripts; no name opened or closed one, or a comment.
    assert_eq!(page.matches("<script").count(), 4, "script elements");
    assert_eq!(page.matches("</script>").count(), 4, "script ends");
    assert!(!page.contains("<!--"), "a comment opened");
    let data = script_text(&page, "graph-data");
    for bad in ['<', '>', '\u{2028}', '\u{2029}'] {
        assert!(!data.contains(bad), "{bad:?} unescaped in the page data");
    }
    // The data is the graph JSON, names exactly as written.
    let g = json(data);
    assert_eq!(g, export_json(&db, &["--isolated"]));
    assert_hostile_graph(&g);
    let meta = json(script_text(&page, "graph-meta"));
    for n in g["nodes"].as_array().unwrap() {
        assert_eq!(meta["labels"][n["id"].as_str().unwrap()], n["name"], "label of {n}");
    }
}

#[test]
fn the_page_takes_the_view_options_and_the_language() {
    let dir = tmp();
    let db = example_db(dir.path());
    let page_of = |flags: &[&str]| {
        let mut args = vec!["export", "html"];
        args.extend_from_slice(flags);
        ok(&args, &db)
    };
    let focus = page_of(&["--focus", "OpenAI", "--lang", "en"]);
    let g = json(script_text(&focus, "graph-data"));
    assert_eq!(g, export_json(&db, &["--focus", "OpenAI"]));
    let meta = json(script_text(&focus, "graph-meta"));
    assert_eq!(meta["lang"], "en");
    assert!(focus.contains("<html lang=\"en\">"));
    let rivals = page_of(&["--relations", "competes_with", "--min-evidence", "1"]);
    let g = json(script_text(&rivals, "graph-data"));
    assert!(
        g["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["type"] == "competes_with")
    );
    let labels: BTreeSet<String> = json(script_text(&rivals, "graph-meta"))["labels"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(labels, labels_in(&g, "zh"));
    // The extension alone picks the format.
    let p = dir.path().join("g.html");
    ok(&["export", "--out", s(&p)], &db);
    assert!(read(&p).starts_with("<!DOCTYPE html>"));
}
