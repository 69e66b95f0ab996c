//! The HTML page in a real browser: headless Chromium opens the page exported from the example
//! corpus from disk, and the test reads back what the page reports in `#status` — the number
//! of nodes and edges it draws and the node a `#search=NAME` focused — and writes a screenshot.
//!
//! Chromium comes from Debian's `chromium` package (CI installs it, see .ci/run); another
//! binary can be named with GUANXI_CHROMIUM. Without one, the tests print `skipped: …` and pass.
//!
//! The screenshot is written to target/browser/graph.png on every run; with UPDATE_EXPECT=1 it
//! also replaces docs/graph.png, the picture in the README.

mod common;

use common::{json, ok, root, tmp};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The Chromium binary, if one is installed.
fn chromium() -> Option<PathBuf> {
    let mut names: Vec<String> = std::env::var("GUANXI_CHROMIUM").into_iter().collect();
    names.extend(["chromium", "chromium-browser", "google-chrome"].map(String::from));
    names.into_iter().map(PathBuf::from).find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The example corpus in a database, and its page and graph JSON exported with `flags`.
struct Exported {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    page: PathBuf,
    /// The graph JSON of the same view, every node kept.
    graph: Value,
}

fn export_examples(flags: &[&str]) -> Exported {
    let dir = tmp();
    let path = dir.path().to_path_buf();
    let db = path.join("examples.db");
    ok(&["ingest", "examples/articles"], &db);
    let page = path.join("graph.html");
    let mut args = vec!["export", "html", "--out", s(&page)];
    args.extend_from_slice(flags);
    ok(&args, &db);
    let mut args = vec!["export", "json"];
    args.extend_from_slice(flags);
    let graph = json(&ok(&args, &db));
    Exported {
        _dir: dir,
        dir: path,
        page,
        graph,
    }
}

/// Runs Chromium headless on the page with extra arguments; gives standard output and error.
/// Layout runs inside the virtual time budget, so the DOM is complete when it is dumped.
fn run_chromium(bin: &Path, profile: &Path, url: &str, args: &[&str]) -> (String, String) {
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=20000",
            "--window-size=1400,900",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    // Read both pipes on threads so that a full pipe cannot stall the browser.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).ok();
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        if let Some(status) = child.try_wait().expect("waiting for chromium") {
            let (stdout, stderr) = (out_t.join().unwrap(), err_t.join().unwrap());
            assert!(status.success(), "chromium failed ({status}): {stderr}");
            return (stdout, stderr);
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("chromium did not finish within 180 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn file_url(page: &Path, fragment: &str) -> String {
    let mut url = format!("file://{}", page.canonicalize().unwrap().display());
    if !fragment.is_empty() {
        url.push('#');
        url.push_str(fragment);
    }
    url
}

/// Percent-encodes a search for the URL fragment.
fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What the page reports in `<div id="status" …>`.
#[derive(Debug)]
struct Status {
    nodes: usize,
    edges: usize,
    labelled: usize,
    focus: String,
    ready: bool,
    error: Option<String>,
}

fn status_of(dom: &str) -> Status {
    let tag = regex::Regex::new(r#"<div id="status"([^>]*)>"#).unwrap();
    let attrs = tag
        .captures(dom)
        .unwrap_or_else(|| panic!("no #status in the page: {}", &dom[..dom.len().min(2000)]))[1]
        .to_string();
    let attr = |name: &str| {
        regex::Regex::new(&format!(r#"\s{name}="([^"]*)""#))
            .unwrap()
            .captures(&attrs)
            .map(|c| c[1].to_string())
    };
    let number = |name: &str| {
        attr(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("#status has no number {name}: {attrs}"))
    };
    Status {
        nodes: number("data-nodes"),
        edges: number("data-edges"),
        labelled: number("data-labelled"),
        focus: attr("data-focus").unwrap_or_default(),
        ready: attr("data-ready").as_deref() == Some("true"),
        error: attr("data-error"),
    }
}

/// Opens the page with a fragment and gives its status; fails on a script error.
fn open_page(bin: &Path, e: &Exported, fragment: &str) -> Status {
    open_file(bin, &e.dir, &e.page, fragment).0
}

/// Opens a page file with a fragment: its status and the DOM after the script ran.
fn open_file(bin: &Path, dir: &Path, page: &Path, fragment: &str) -> (Status, String) {
    let profile = dir.join(format!("profile-{}", fragment.len()));
    let (dom, stderr) = run_chromium(bin, &profile, &file_url(page, fragment), &["--dump-dom"]);
    let st = status_of(&dom);
    assert!(st.error.is_none(), "script error in the page: {:?}", st.error);
    // The page logs nothing: any console line is an error or a warning of the library.
    let console: Vec<&str> = stderr.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    assert!(st.ready, "the page did not finish: {st:?}");
    (st, dom)
}

/// The graph JSON embedded in a page.
fn page_data(page: &Path) -> Value {
    let text = std::fs::read_to_string(page).unwrap();
    let open = r#"<script id="graph-data" type="application/json">"#;
    let start = text.find(open).unwrap() + open.len();
    json(&text[start..start + text[start..].find("</script>").unwrap()])
}

/// The id in the page's data of the node named `name`.
fn page_id_of(page: &Path, name: &str) -> String {
    page_data(page)["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == name)
        .unwrap_or_else(|| panic!("{name} is not in the page"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Nodes with an edge and edges of a graph JSON: what the page draws of it.
fn drawn_counts(g: &Value) -> (usize, usize) {
    let edges = g["edges"].as_array().unwrap();
    let ends: BTreeSet<&str> = edges
        .iter()
        .flat_map(|e| [e["source"].as_str().unwrap(), e["target"].as_str().unwrap()])
        .collect();
    (ends.len(), edges.len())
}

#[test]
fn the_page_draws_every_node_and_edge_and_finds_names_in_both_scripts() {
    let Some(bin) = chromium() else {
        eprintln!("skipped: chromium is not installed (apt-get install chromium), the page is not opened");
        return;
    };
    let e = export_examples(&[]);
    let (nodes, edges) = drawn_counts(&e.graph);
    assert!(nodes > 100 && edges > 100, "{nodes} nodes, {edges} edges");

    let st = open_page(&bin, &e, "");
    assert_eq!((st.nodes, st.edges), (nodes, edges), "drawn nodes and edges");
    assert_eq!(st.focus, "");

    // A Chinese alias of an English name, and an English alias of a Chinese name, any case.
    for (query, name) in [("谷歌", "Google"), ("deepseek", "深度求索"), ("DeepSeek", "深度求索")] {
        let st = open_page(&bin, &e, &format!("search={}", encode(query)));
        assert_eq!(
            st.focus,
            page_id_of(&e.page, name),
            "search {query} should focus {name}"
        );
        assert_eq!((st.nodes, st.edges), (nodes, edges));
    }
    // A name that is nowhere focuses nothing.
    let st = open_page(&bin, &e, &format!("search={}", encode("没有这家公司")));
    assert_eq!(st.focus, "");
}

/// `guanxi export json` of the example database with flags, as drawn: nodes with an edge, edges.
fn json_drawn(e: &Exported, flags: &[&str]) -> (usize, usize) {
    let mut args = vec!["export", "json"];
    args.extend_from_slice(flags);
    drawn_counts(&json(&ok(&args, &e.dir.join("examples.db"))))
}

#[test]
fn the_page_filters_and_focuses_as_the_command_line_does() {
    let Some(bin) = chromium() else {
        eprintln!("skipped: chromium is not installed (apt-get install chromium), the page is not opened");
        return;
    };
    let e = export_examples(&[]);
    for (fragment, flags) in [
        ("focus=OpenAI", vec!["--focus", "OpenAI"]),
        ("focus=%E8%B0%B7%E6%AD%8C", vec!["--focus", "Google"]),
        ("min=2", vec!["--min-evidence", "2"]),
        (
            "types=company,model&relations=competes_with,develops",
            vec!["--types", "company,model", "--relations", "competes_with,develops"],
        ),
    ] {
        let expected = json_drawn(&e, &flags);
        assert!(expected.1 > 0, "{flags:?} has no edges");
        let st = open_page(&bin, &e, fragment);
        assert_eq!((st.nodes, st.edges), expected, "#{fragment} against {flags:?}");
    }
}

/// The card's part of a dumped DOM, with the entities of text put back.
fn card_text(dom: &str) -> String {
    let start = dom.find(r#"<div id="card""#).expect("a card");
    dom[start..]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[test]
fn a_node_card_lists_relations_both_ways_and_an_edge_card_its_evidence() {
    let Some(bin) = chromium() else {
        eprintln!("skipped: chromium is not installed (apt-get install chromium), the page is not opened");
        return;
    };
    let e = export_examples(&[]);
    let data = page_data(&e.page);
    let edges = data["edges"].as_array().unwrap();

    // The card of OpenAI: as many relations from it and to it as the graph has.
    let openai = page_id_of(&e.page, "OpenAI");
    let (outgoing, incoming) = (
        edges.iter().filter(|x| x["source"] == openai.as_str()).count(),
        edges.iter().filter(|x| x["target"] == openai.as_str()).count(),
    );
    assert!(outgoing > 0 && incoming > 0);
    let (_, dom) = open_file(&bin, &e.dir, &e.page, "search=OpenAI");
    let card = card_text(&dom);
    assert!(card.contains(&format!(r#"data-node="{openai}""#)), "{card}");
    assert!(card.contains(&format!("指向 ({outgoing})")), "{card}");
    assert!(card.contains(&format!("来自 ({incoming})")), "{card}");

    // The edge with the most evidence: every sentence, its document and its cue, marked.
    let (index, edge) = edges
        .iter()
        .enumerate()
        .max_by_key(|(i, x)| (x["evidence"].as_array().unwrap().len(), std::cmp::Reverse(*i)))
        .unwrap();
    let evidence = edge["evidence"].as_array().unwrap();
    assert!(evidence.len() >= 2, "{edge}");
    let (_, dom) = open_file(&bin, &e.dir, &e.page, &format!("edge={index}"));
    let card = card_text(&dom);
    assert!(card.contains(&format!(r#"data-edge="{index}""#)), "{card}");
    assert!(card.contains(&format!("证据 ({})", evidence.len())), "{card}");
    for ev in evidence {
        let (sentence, cue, doc) = (
            ev["sentence"].as_str().unwrap(),
            ev["cue"].as_str().unwrap(),
            ev["doc"].as_str().unwrap(),
        );
        let at = sentence.find(cue).expect("the cue is in its sentence");
        let marked = format!("{}<mark>{cue}</mark>{}", &sentence[..at], &sentence[at + cue.len()..]);
        assert!(card.contains(&marked), "{marked} is not in the card: {card}");
        assert!(card.contains(doc), "{doc} is not in the card");
    }
}

#[test]
fn a_filtered_english_page_draws_its_view() {
    let Some(bin) = chromium() else {
        eprintln!("skipped: chromium is not installed (apt-get install chromium), the page is not opened");
        return;
    };
    let e = export_examples(&["--relations", "competes_with,invests_in", "--lang", "en"]);
    let (nodes, edges) = drawn_counts(&e.graph);
    assert!(edges > 10, "{edges} edges");
    let st = open_page(&bin, &e, &format!("search={}", encode("谷歌")));
    assert_eq!((st.nodes, st.edges), (nodes, edges));
    assert_eq!(st.focus, page_id_of(&e.page, "Google"));
}

#[test]
fn a_screenshot_of_the_example_page_is_written() {
    let Some(bin) = chromium() else {
        eprintln!("skipped: chromium is not installed (apt-get install chromium), no screenshot");
        return;
    };
    let e = export_examples(&[]);
    let shot = root().join("target/browser/graph.png");
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&shot);
    run_chromium(
        &bin,
        &e.dir.join("profile-shot"),
        &file_url(&e.page, "search=OpenAI"),
        &[&format!("--screenshot={}", shot.display())],
    );
    let png = std::fs::read(&shot).unwrap_or_else(|err| panic!("no screenshot at {}: {err}", shot.display()));
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1400, 900));
    // A drawn graph with labels compresses far worse than an empty page.
    assert!(png.len() > 60_000, "the screenshot looks empty ({} bytes)", png.len());
    if std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1") {
        std::fs::copy(&shot, root().join("docs/graph.png")).unwrap();
        eprintln!("updated docs/graph.png");
    }
}

/// A graph of `n` companies where node i links to i+1 and to a few hubs, so that every node
/// has an edge and the degrees differ: what a large corpus looks like to the page.
fn large_graph(n: usize) -> guanxi::graph::GraphView {
    use guanxi::graph::{EdgeEvidence, GraphEdge, GraphNode, GraphView};
    use guanxi::model::{EntityType, RelationType};
    let nodes = (0..n)
        .map(|i| GraphNode {
            id: format!("n{}", i + 1),
            key: format!("company:entity {i}"),
            name: format!("Entity {i}"),
            etype: if i % 3 == 0 {
                EntityType::Person
            } else {
                EntityType::Company
            },
            aliases: vec![format!("Entity {i}"), format!("实体{i}")],
            mentions: 1,
            attributes: Default::default(),
        })
        .collect();
    let mut edges = Vec::new();
    for i in 0..n {
        for target in [(i + 1) % n, (i * 7 + 3) % 40] {
            if target != i {
                edges.push(GraphEdge {
                    source: i,
                    target,
                    rtype: RelationType::InvestsIn,
                    weight: 1,
                    attributes: Default::default(),
                    evidence: vec![EdgeEvidence {
                        doc: "generated.txt".into(),
                        sentence: format!("Entity {i} invested in Entity {target}."),
                        cue: "invested".into(),
                        date: None,
                    }],
                });
            }
        }
    }
    let mut g = GraphView { nodes, edges };
    g.normalise();
    g
}

#[test]
fn two_thousand_nodes_open_with_a_readable_number_of_labels() {
    let Some(bin) = chromium() else {
        eprintln!("skipped: chromium is not installed (apt-get install chromium), the page is not opened");
        return;
    };
    let g = large_graph(2000);
    let dir = tmp();
    let page = dir.path().join("large.html");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&page).unwrap());
    guanxi::export::html::write(&g, &guanxi::export::DrawOptions::default(), &mut out).unwrap();
    std::io::Write::flush(&mut out).unwrap();
    drop(out);
    let started = Instant::now();
    let (st, _) = open_file(&bin, dir.path(), &page, &format!("search={}", encode("实体1234")));
    eprintln!(
        "2,000 nodes: the page opened in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!((st.nodes, st.edges), (2000, g.edges.len()));
    // The hubs and the searched node are named, not all 2,000.
    assert!(st.labelled >= 20 && st.labelled <= 200, "{} labels", st.labelled);
    let id = &g.nodes[g.find("Entity 1234").unwrap()].id;
    assert_eq!(&st.focus, id);
}
