//! Every question of `guanxi query` asked of our example corpus (examples/articles) through the
//! real binary, checking the answers; and, when ../shared is present, the seed article's.

mod common;

use common::{guanxi, json, ok, root, run, tmp};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The example corpus ingested once for every test of this file.
fn examples_db() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("query-tests");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("examples.db");
        ok(&["ingest", "examples/articles"], &db);
        db
    })
}

fn ask(args: &[&str]) -> serde_json::Value {
    let mut a = vec!["query"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--format", "json"]);
    json(&ok(&a, examples_db()))
}

fn names(v: &serde_json::Value, field: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x[field].as_str().unwrap().to_string())
        .collect()
}

fn code(args: &[&str], db: &Path) -> (Option<i32>, String, String) {
    let out = run(args, db);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn competes_ranks_pairs_by_evidence() {
    let pairs = ask(&["competes"]);
    let first = &pairs[0];
    assert_eq!(
        (first["a"].as_str(), first["b"].as_str()),
        (Some("Google"), Some("Meta"))
    );
    assert!(first["sentences"].as_u64().unwrap() >= 2);
    let counts: Vec<u64> = pairs
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sentences"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let limited = ask(&["competes", "--limit", "2"]);
    assert_eq!(limited.as_array().unwrap().len(), 2);
}

#[test]
fn competitors_direct_and_through_shared_rivals() {
    let rivals = ask(&["competitors", "谷歌", "--indirect"]);
    let direct: Vec<&serde_json::Value> = rivals
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["sentences"].as_u64().unwrap() > 0)
        .collect();
    assert!(direct.iter().any(|r| r["name"] == "Meta"), "{rivals}");
    let xai = rivals
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "xAI")
        .expect("xAI is a rival of Google's rival OpenAI");
    assert_eq!(xai["sentences"], 0);
    assert_eq!(xai["via"][0], "OpenAI");
    // Without --indirect only direct rivals.
    assert!(!names(&ask(&["competitors", "Google"]), "name").contains(&"xAI".to_string()));
}

#[test]
fn investors_with_amounts_and_evidence() {
    let inv = ask(&["investors", "OpenAI", "--evidence"]);
    let ms = inv
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Microsoft")
        .expect("Microsoft invests in OpenAI");
    assert_eq!(ms["attributes"]["amount"], "130亿美元");
    assert_eq!(ms["role"], "invested in by");
    assert!(
        ms["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["sentence"].as_str().unwrap().contains("130亿美元")),
        "{ms}"
    );
    assert!(names(&inv, "name").contains(&"Thrive Capital".to_string()));
    // Without --evidence, no sentences.
    assert!(ask(&["investors", "OpenAI"])[0].get("evidence").is_none());
    // The table says it in words, the CSV has a header row.
    let table = ok(&["query", "investors", "OpenAI", "--evidence"], examples_db());
    assert!(
        table.starts_with("investor") && table.contains("    examples/articles/"),
        "{table}"
    );
    let csv = ok(&["query", "investors", "OpenAI", "--format", "csv"], examples_db());
    assert!(csv.starts_with("investor,type,relation,sentences,details\n"), "{csv}");
    assert!(csv.contains("Microsoft,company,invested in by,"), "{csv}");
}

#[test]
fn portfolio_acquisitions_founders_leaders_people() {
    assert_eq!(names(&ask(&["portfolio", "亚马逊"]), "name"), ["Anthropic"]);
    let deals = ask(&["acquisitions"]);
    let dnn = deals
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["b"] == "DNNresearch")
        .expect("Google bought DNNresearch");
    assert_eq!(dnn["a"], "Google");
    assert_eq!(dnn["attributes"]["amount"], "4400万美元");
    let bought = ask(&["acquisitions", "谷歌"]);
    assert!(bought.as_array().unwrap().iter().all(|d| d["role"] == "acquired"));
    assert!(names(&bought, "name").contains(&"DNNresearch".to_string()));
    assert!(names(&ask(&["founders", "OpenAI"]), "name").contains(&"Sam Altman".to_string()));
    assert_eq!(names(&ask(&["leaders", "阿里云"]), "name"), ["吴泳铭"]);
    let people = ask(&["people", "谷歌"]);
    assert!(
        names(&people, "name").contains(&"Geoffrey Hinton".to_string()),
        "{people}"
    );
}

#[test]
fn models_and_makers() {
    let models = names(&ask(&["models", "阿里云"]), "name");
    assert!(models.contains(&"Qwen2.5".to_string()), "{models:?}");
    assert_eq!(names(&ask(&["makers", "Qwen2.5"]), "name"), ["阿里云"]);
    // A model's maker by the model's other spelling.
    assert_eq!(names(&ask(&["makers", "qwen 2.5"]), "name"), ["阿里云"]);
}

#[test]
fn neighbors_by_depth_and_relation() {
    let near = ask(&["neighbors", "衡图科技"]);
    assert!(near.as_array().unwrap().iter().all(|n| n["distance"] == 1));
    assert!(names(&near, "name").contains(&"青岚资本".to_string()));
    let investors = ask(&["neighbors", "衡图科技", "--relations", "invests_in"]);
    let mut inv = names(&investors, "name");
    inv.sort();
    assert_eq!(inv, ["北辰创投", "青岚资本"]);
    let far = ask(&["neighbors", "衡图科技", "--depth", "2"]);
    let lab = far
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "华为诺亚方舟实验室")
        .expect("the lab where a founder worked is two hops away");
    assert_eq!(lab["distance"], 2);
    assert_eq!(lab["from"], "林思远");
}

#[test]
fn path_hops_carry_relations_and_evidence() {
    let paths = ask(&["path", "林思远", "华为"]);
    let hops = paths[0]["hops"].as_array().unwrap();
    assert_eq!(hops.len(), 2, "{paths}");
    assert_eq!(hops[0]["from"], "林思远");
    assert_eq!(hops[0]["role"], "works at");
    assert_eq!(hops[1]["to"], "华为");
    assert!(hops.iter().all(|h| !h["evidence"].as_array().unwrap().is_empty()));
    // Too far apart for one hop: an empty answer.
    let (c, _, err) = code(&["query", "path", "林思远", "华为", "--max-hops", "1"], examples_db());
    assert_eq!(c, Some(1), "{err}");
    assert!(err.contains("no path"), "{err}");
    // --all gives every shortest path, all of the same length.
    let all = ask(&["path", "Meta", "OpenAI", "--all", "--max-hops", "2"]);
    let lens: Vec<usize> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["hops"].as_array().unwrap().len())
        .collect();
    assert!(!lens.is_empty() && lens.iter().all(|&l| l == lens[0]), "{lens:?}");
}

#[test]
fn rank_by_each_measure() {
    let pr = ask(&["rank", "--by", "pagerank", "--type", "company", "--limit", "5"]);
    let top = names(&pr, "name");
    assert_eq!(top.len(), 5);
    assert!(top[..3].contains(&"OpenAI".to_string()), "{top:?}");
    assert!(pr.as_array().unwrap().iter().all(|r| r["type"] == "company"));
    let deg = ask(&["rank"]);
    let scores: Vec<f64> = deg
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert_eq!(
        deg[0]["score"].as_f64().unwrap() as u64,
        deg[0]["degree"].as_u64().unwrap()
    );
    let bt = names(&ask(&["rank", "--by", "betweenness", "--limit", "3"]), "name");
    assert!(bt.contains(&"Google".to_string()), "{bt:?}");
}

#[test]
fn communities_group_the_players_of_one_story() {
    let groups = ask(&["communities"]);
    let hengtu = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["members"].as_array().unwrap().iter().any(|m| m["name"] == "衡图科技"))
        .expect("衡图科技's group");
    let members: Vec<&str> = hengtu["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(
        members.contains(&"青岚资本") && !members.contains(&"OpenAI"),
        "{members:?}"
    );
}

#[test]
fn timeline_in_date_order() {
    let rows = ask(&["timeline", "Meta"]);
    let dates: Vec<String> = names(&rows, "date");
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .any(|r| r["relation"] == "develops" && r["tail"] == "Llama 3"),
        "{rows}"
    );
    // Without a name: only relations whose sentence gives a year.
    let all = ask(&["timeline"]);
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|r| r["date"].as_str().unwrap().len() >= 4)
    );
}

#[test]
fn search_finds_chinese_words_whole() {
    let hits = ask(&["search", "裁员"]);
    let first = &hits[0];
    assert!(first["sentence"].as_str().unwrap().contains("裁员"), "{hits}");
    assert!(
        hits.as_array()
            .unwrap()
            .iter()
            .any(|h| h["relations"].as_array().unwrap().iter().any(|r| r[0] == "Meta")),
        "{hits}"
    );
    // Every word must be there.
    let both = ask(&["search", "开源", "Meta"]);
    assert!(both.as_array().unwrap().iter().all(|h| {
        let s = h["sentence"].as_str().unwrap();
        s.contains("开源") && s.contains("Meta")
    }));
    let (c, _, _) = code(&["query", "search", "量子纠缠"], examples_db());
    assert_eq!(c, Some(1));
}

#[test]
fn search_follows_a_replaced_document() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let article = dir.path().join("a.txt");
    // Only sentences that state a relation are indexed: both versions state one.
    std::fs::write(&article, "谷歌与OpenAI展开激烈竞争，并宣布裁员。").unwrap();
    ok(&["ingest", article.to_str().unwrap()], &db);
    assert!(ok(&["query", "search", "裁员"], &db).contains("并宣布裁员"));
    std::fs::write(&article, "谷歌与OpenAI展开激烈竞争，并宣布扩招。").unwrap();
    ok(&["ingest", article.to_str().unwrap()], &db);
    let (c, out, _) = code(&["query", "search", "裁员"], &db);
    assert_eq!(c, Some(1), "{out}");
    assert!(ok(&["query", "search", "扩招"], &db).contains("并宣布扩招"));
}

#[test]
fn entities_list_and_find_names() {
    let people = ask(&["entities", "--type", "person", "陈"]);
    assert_eq!(names(&people, "name"), ["陈启航"]);
    // Any alias, case and separators ignored; most mentioned first.
    let found = ask(&["entities", "open ai"]);
    assert_eq!(found[0]["name"], "OpenAI");
    let all = ask(&["entities", "--type", "company"]);
    let counts: Vec<u64> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["mentions"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]));
    let (c, _, _) = code(&["query", "entities", "不存在的名字"], examples_db());
    assert_eq!(c, Some(1));
}

#[test]
fn show_is_short_by_default_and_speaks_in_words() {
    let card = ok(&["show", "Meta"], examples_db());
    assert!(card.starts_with("Meta (company) · "), "{card}");
    assert!(
        card.contains("more (--all)"),
        "at most two sentences a relation: {card}"
    );
    let short = ok(&["show", "Meta", "--limit", "5"], examples_db());
    assert!(short.contains("more relations (--limit N or --all)"), "{short}");
    assert!(card.contains("\ndevelops Llama 3 (model)"), "{card}");
    // No internal cue labels such as `[maker]` or `[的]`, and no `1 mentions`.
    assert!(
        !card.contains("[maker]") && !card.contains("[的]") && !card.contains(" 1 mentions"),
        "{card}"
    );
    let short = json(&ok(
        &["query", "show", "Meta", "--limit", "3", "--format", "json"],
        examples_db(),
    ));
    assert_eq!(short["relations"].as_array().unwrap().len(), 3);
    let total = short["total_relations"].as_u64().unwrap();
    let all = json(&ok(&["show", "Meta", "--all", "--format", "json"], examples_db()));
    assert_eq!(all["relations"].as_array().unwrap().len() as u64, total);
    assert!(total > 3);
}

#[test]
fn names_resolve_through_the_lexicon_in_any_script() {
    // The articles write 萨姆·阿尔特曼 and Sam Altman; the lexicon knows 奥特曼 too.
    for name in ["Sam Altman", "萨姆·阿尔特曼", "阿尔特曼", "奥特曼", "person:altman"] {
        let card = json(&ok(&["show", name, "--format", "json"], examples_db()));
        assert_eq!(card["name"], "Sam Altman", "{name}");
    }
}

#[test]
fn an_unknown_name_is_empty_with_suggestions() {
    let (c, out, err) = code(&["query", "investors", "Antrhopic"], examples_db());
    assert_eq!(c, Some(1), "{out}");
    assert!(
        err.contains("no entity named `Antrhopic`") && err.contains("Anthropic"),
        "{err}"
    );
    let (c, _, _) = code(&["show", "Nokia"], examples_db());
    assert_eq!(c, Some(1));
}

#[test]
fn an_ambiguous_name_lists_its_candidates() {
    let dir = tmp();
    let lex = dir.path().join("lex");
    std::fs::create_dir(&lex).unwrap();
    std::fs::write(
        lex.join("mine.tsv"),
        "凤凰科技\tcompany\tPhoenix\t\t\n凤凰一号\tmodel\tPhoenix\t\t凤凰科技\n",
    )
    .unwrap();
    let article = dir.path().join("a.txt");
    std::fs::write(&article, "凤凰科技发布了凤凰一号，与OpenAI展开竞争。").unwrap();
    let db = dir.path().join("g.db");
    let lexicon = lex.to_str().unwrap();
    ok(&["ingest", article.to_str().unwrap(), "--lexicon", lexicon], &db);
    let (c, _, err) = code(&["show", "Phoenix", "--lexicon", lexicon], &db);
    assert_eq!(c, Some(2), "{err}");
    assert!(
        err.contains("凤凰科技 (company)") && err.contains("凤凰一号 (model)") && err.contains("TYPE:NAME"),
        "{err}"
    );
    let card = json(&ok(
        &["show", "model:Phoenix", "--lexicon", lexicon, "--format", "json"],
        &db,
    ));
    assert_eq!(card["name"], "凤凰一号");
}

#[test]
fn sql_is_read_only() {
    let db = examples_db();
    let rows = ask(&[
        "sql",
        "SELECT type, count(*) AS n FROM entities GROUP BY type ORDER BY type",
    ]);
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .any(|r| r["type"] == "company" && r["n"].as_u64().unwrap() > 10),
        "{rows}"
    );
    let before = ask(&["sql", "SELECT count(*) AS n FROM relations"])[0]["n"].clone();
    let (c, _, err) = code(&["query", "sql", "DELETE FROM relations"], db);
    assert_eq!(c, Some(2));
    assert!(err.contains("readonly") || err.contains("read-only"), "{err}");
    assert_eq!(ask(&["sql", "SELECT count(*) AS n FROM relations"])[0]["n"], before);
    let (c, _, _) = code(&["query", "sql", "SELECT name FROM entities WHERE 0"], db);
    assert_eq!(c, Some(1));
}

#[test]
fn stats_counts_in_sql() {
    let s = json(&ok(&["stats", "--format", "json"], examples_db()));
    assert!(s["entities_by_type"]["company"].as_u64().unwrap() > 10);
    assert!(s["relations_by_type"]["invests_in"].as_u64().unwrap() >= 3);
    let articles = std::fs::read_dir(root().join("examples/articles"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_file())
        .count();
    assert_eq!(s["documents"].as_u64().unwrap() as usize, articles);
}

#[test]
fn every_question_has_an_example_and_db_only_where_it_applies() {
    let help = String::from_utf8(guanxi().args(["query", "--help"]).output().unwrap().stdout).unwrap();
    for q in [
        "competes",
        "competitors",
        "investors",
        "portfolio",
        "acquisitions",
        "founders",
        "leaders",
        "people",
        "models",
        "makers",
        "neighbors",
        "path",
        "rank",
        "communities",
        "timeline",
        "search",
        "entities",
        "show",
        "sql",
    ] {
        assert!(help.contains(q), "{q} missing from query --help");
        let sub = String::from_utf8(guanxi().args(["query", q, "--help"]).output().unwrap().stdout).unwrap();
        assert!(sub.contains("Example: guanxi query"), "{q} --help has no example");
    }
    let extract = String::from_utf8(guanxi().args(["extract", "--help"]).output().unwrap().stdout).unwrap();
    assert!(!extract.contains("--db"), "{extract}");
    let out = guanxi()
        .args(["build", "examples/articles", "--db", "x.db"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "build takes no --db");
}

fn shared() -> Option<PathBuf> {
    let p = root().join("../shared");
    p.join("corpus/seed-article.txt").is_file().then_some(p)
}

#[test]
fn the_seed_article_answers() {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared is not present, no seed-article answers");
        return;
    };
    let dir = tmp();
    let db = dir.path().join("seed.db");
    ok(
        &["ingest", shared.join("corpus/seed-article.txt").to_str().unwrap()],
        &db,
    );
    let q = |args: &[&str]| {
        let mut a = vec!["query"];
        a.extend_from_slice(args);
        a.extend_from_slice(&["--format", "json"]);
        json(&ok(&a, &db))
    };
    let inv = q(&["investors", "OpenAI", "--evidence"]);
    let ms = inv
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Microsoft")
        .expect("微软 invests in OpenAI");
    assert!(
        ms["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["sentence"].as_str().unwrap().contains("130亿美元")),
        "{ms}"
    );
    assert!(
        names(&q(&["models", "Meta"]), "name")
            .iter()
            .any(|m| m.starts_with("Llama"))
    );
    assert_eq!(names(&q(&["makers", "GPT-4"]), "name"), ["OpenAI"]);
    let (c, out, err) = code(&["query", "path", "杰弗里·辛顿", "Meta"], &db);
    match c {
        Some(0) => assert!(
            out.contains("Meta") && out.contains("    "),
            "a path with evidence: {out}"
        ),
        Some(1) => assert!(err.contains("no path"), "{err}"),
        other => panic!("path exited {other:?}: {err}"),
    }
    let hits = q(&["search", "裁员"]);
    assert!(
        hits.as_array()
            .unwrap()
            .iter()
            .any(|h| h["sentence"].as_str().unwrap().contains("Meta")),
        "{hits}"
    );
    let top = names(&q(&["rank", "--by", "pagerank", "--type", "company"]), "name");
    assert!(top.contains(&"OpenAI".to_string()), "{top:?}");
}
