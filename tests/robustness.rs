//! Nothing breaks it: random text through extraction, inputs in any encoding, script and shape,
//! document identity, re-extraction, dates, bad lexicons, killed and concurrent runs.

mod common;

use common::{guanxi, json, ok, run, tmp};
use guanxi::pipeline::Extractor;
use guanxi::source::make_document;
use std::path::Path;

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

const PIECES: &[&str] = &[
    "谷歌",
    "收购",
    "投资",
    "创始人",
    "CEO",
    "表示",
    "《",
    "》",
    "·",
    "•",
    "，",
    "。",
    "、",
    "和",
    "与",
    "的",
    "被",
    "发布",
    "大模型",
    "GPT-4o",
    "Llama 3.1",
    "Qwen2-72B",
    "OpenAI",
    "Meta",
    "萨姆·阿尔特曼",
    "阿尔特曼",
    "王",
    "小川",
    "科技",
    "有限公司",
    "（简称“",
    "”）",
    "大会",
    "2024年",
    "融资",
    "B轮",
    "由",
    "领投",
    "Inc.",
    " Labs",
    " AI",
    "acquired",
    " by ",
    "the company",
    "its",
    "it",
    ", ",
    ". ",
    "\n",
    "\r\n",
    " ",
    "“",
    "”",
    "\"",
    "'s",
    "’s",
    "Ｇｏｏｇｌｅ",
    "１２３",
    "😀",
    "\u{200b}",
    "\u{202e}",
    "\u{0}",
    "\t",
    "–",
    "—",
    "(",
    ")",
    "（",
    "）",
    "$4 billion",
    "4亿美元",
    "Sam",
    "Altman",
    "Wang Xiaochuan",
    "Wang",
    "Lord",
    "Byron",
    "co-founder",
    "led by",
    "round",
    "否认",
    "这家公司",
    "其",
    "它",
    "书中",
    "一书中",
    "a16z",
    "Run:ai",
    "会议室",
    "三家的角逐",
    "between",
    "among",
];

#[test]
fn random_texts_never_panic() {
    let ex = Extractor::embedded().expect("embedded data loads");
    let mut rng = Lcg(0x5eed);
    for case in 0..400 {
        let n = 1 + (rng.next() % 60) as usize;
        let mut text = String::new();
        for _ in 0..n {
            let p = PIECES[(rng.next() as usize) % PIECES.len()];
            // Now and then a single character of a piece, to cut words and names anywhere.
            if rng.next().is_multiple_of(5) {
                if let Some(c) = p.chars().nth((rng.next() as usize) % p.chars().count()) {
                    text.push(c);
                }
            } else {
                text.push_str(p);
            }
        }
        let doc = make_document(format!("case-{case}"), text.clone(), None, None, None);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ex.extract(doc)));
        assert!(result.is_ok(), "extraction panicked on case {case}: {text:?}");
        let x = result.unwrap();
        for (_, m) in &x.mentions {
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end) && m.start <= m.end);
        }
    }
}

/// Runs a read-only SQL query on the database and gives the first column of the first row.
/// `guanxi --lexicon LEX ingest INPUT --db DB`, ready for more arguments.
fn ingest_with(lex: &Path, input: &Path, db: &Path) -> std::process::Command {
    let mut c = guanxi();
    c.args([
        "--lexicon",
        lex.to_str().unwrap(),
        "ingest",
        input.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    c
}

fn sql_count(db: &Path, query: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(query, [], |r| r.get(0)).unwrap()
}

fn stats(db: &Path) -> serde_json::Value {
    json(&ok(&["stats", "--format", "json"], db))
}

fn relation_exists(db: &Path, head: &str, rtype: &str, tail: &str) -> bool {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT count(*) FROM relations r JOIN entities h ON h.id = r.head_id JOIN entities t ON t.id = r.tail_id
         WHERE h.name = ?1 AND r.type = ?2 AND t.name = ?3",
        [head, rtype, tail],
        |r| r.get::<_, i64>(0),
    )
    .unwrap()
        > 0
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

// 1. Encodings and scripts.

#[test]
fn every_encoding_is_detected_and_traditional_chinese_is_matched() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let arts = dir.path().join("in");
    std::fs::create_dir(&arts).unwrap();
    let enc = |e: &'static encoding_rs::Encoding, t: &str| e.encode(t).0.into_owned();
    // Each file states one relation, so that a file read as junk shows as a missing relation.
    std::fs::write(
        arts.join("gbk.txt"),
        enc(
            encoding_rs::GBK,
            "百度与阿里巴巴在云计算市场展开竞争，双方都在加大投入。\n",
        ),
    )
    .unwrap();
    std::fs::write(
        arts.join("big5.txt"),
        enc(encoding_rs::BIG5, "微軟收購了動視暴雪，這筆交易耗時將近兩年才完成。\n"),
    )
    .unwrap();
    let le: Vec<u8> = "腾讯与字节跳动在短视频领域激烈竞争。\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(arts.join("utf16le.txt"), le).unwrap();
    let be: Vec<u8> = [0xfe, 0xff]
        .into_iter()
        .chain(
            "Amazon invested $4 billion in Anthropic.\n"
                .encode_utf16()
                .flat_map(u16::to_be_bytes),
        )
        .collect();
    std::fs::write(arts.join("utf16be.txt"), be).unwrap();
    std::fs::write(
        arts.join("cp1252.txt"),
        enc(
            encoding_rs::WINDOWS_1252,
            "Microsoft’s rival: Google competes with Microsoft in cloud “services”, says Zoë Müller.\n",
        ),
    )
    .unwrap();
    let bom: Vec<u8> = [0xef, 0xbb, 0xbf]
        .into_iter()
        .chain("谷歌收购了DeepMind。\n".bytes())
        .collect();
    std::fs::write(arts.join("bom.txt"), bom).unwrap();
    let out = run(&["ingest", arts.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("6 new"), "{}", stdout(&out));
    assert!(relation_exists(&db, "百度", "competes_with", "阿里巴巴"), "GBK");
    assert!(
        relation_exists(&db, "Microsoft", "acquires", "Activision Blizzard"),
        "Big5 Traditional"
    );
    assert!(relation_exists(&db, "Amazon", "invests_in", "Anthropic"), "UTF-16 BE");
    assert!(
        relation_exists(&db, "Google", "acquires", "Google DeepMind"),
        "UTF-8 with BOM"
    );
    let tencent = sql_count(&db, "SELECT count(*) FROM entities WHERE name IN ('腾讯', '字节跳动')");
    assert_eq!(tencent, 2, "UTF-16 LE without a mark");
    // The Traditional text is stored as written, and its mention points at the written name.
    let surface: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT m.surface FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE e.name = 'Microsoft' AND m.surface LIKE '微%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(surface, "微軟");
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM documents WHERE text LIKE '%收購%'"),
        1
    );
    // Queries find it by the traditional name too.
    let card = ok(&["show", "微軟"], &db);
    assert!(card.contains("Activision Blizzard"), "{card}");
    let names = ok(
        &[
            "query",
            "sql",
            "SELECT name FROM entities WHERE name = 'Zoë Müller' OR name = 'Google'",
        ],
        &db,
    );
    assert!(names.contains("Google"), "Windows-1252 read: {names}");
}

#[test]
fn a_traditional_name_finds_what_simplified_text_named() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let f = dir.path().join("s.txt");
    // Simplified text only: the Traditional names below were never seen.
    std::fs::write(&f, "英伟达与微软在人工智能芯片市场展开竞争。微软收购了动视暴雪。\n").unwrap();
    ok(&["ingest", f.to_str().unwrap()], &db);
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM aliases WHERE alias IN ('輝達', '微軟')"),
        0
    );
    let card = json(&ok(&["show", "輝達", "--format", "json"], &db));
    assert_eq!(card["name"], "NVIDIA", "{card}");
    let rivals = json(&ok(&["query", "competitors", "微軟", "--format", "json"], &db));
    let names: Vec<&str> = rivals
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["NVIDIA"], "{rivals}");
    let bought = ok(&["query", "acquisitions", "company:微軟"], &db);
    assert!(bought.contains("Activision Blizzard"), "{bought}");
    // Search takes Traditional words too.
    let hits = json(&ok(&["query", "search", "收購", "--format", "json"], &db));
    assert_eq!(hits.as_array().unwrap().len(), 1, "{hits}");
    assert_eq!(hits[0]["sentence"], "微软收购了动视暴雪。");
    // A name that is nothing in either script is still not found.
    let out = run(&["show", "微軟雲"], &db);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no entity named `微軟雲`"), "{}", stderr(&out));
}

#[test]
fn binary_input_is_skipped_with_a_warning_and_its_own_exit_code() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let bin = dir.path().join("photo.txt");
    std::fs::write(
        &bin,
        [
            0x89u8, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0x13, 0x07,
        ],
    )
    .unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "谷歌收购了DeepMind。").unwrap();
    let out = run(&["ingest", bin.to_str().unwrap(), good.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("warning: skipped") && err.contains("photo.txt") && err.contains("binary"),
        "{err}"
    );
    assert!(
        stdout(&out).contains("1 new") && stdout(&out).contains("1 skipped as not text"),
        "{}",
        stdout(&out)
    );
    assert_eq!(stats(&db)["documents"], 1);
}

#[test]
fn an_encoding_can_be_forced() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    // Too short for any detector to be sure of: Shift_JIS read as such only when told.
    let f = dir.path().join("sjis.txt");
    std::fs::write(&f, encoding_rs::SHIFT_JIS.encode("ソニー").0.as_ref()).unwrap();
    let out = run(&["ingest", "--encoding", "shift_jis", f.to_str().unwrap()], &db);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM documents WHERE text = 'ソニー'"),
        1
    );
    let out = run(&["ingest", "--encoding", "klingon", f.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--encoding `klingon`"), "{}", stderr(&out));
    // Forced UTF-8 on bytes that are not UTF-8 is a skip that says so.
    let gbk = dir.path().join("gbk.txt");
    std::fs::write(&gbk, encoding_rs::GBK.encode("百度发布了文心一言。").0.as_ref()).unwrap();
    let out = run(&["ingest", "--encoding", "utf-8", gbk.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("gbk.txt") && stderr(&out).contains("not valid UTF-8"),
        "{}",
        stderr(&out)
    );
}

// 2. Dates.

#[test]
fn dates_are_dates() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let f = dir.path().join("news.jsonl");
    std::fs::write(
        &f,
        "{\"id\":\"a\",\"text\":\"谷歌收购了DeepMind。\",\"date\":\"2014/1/26\"}\n\
         {\"id\":\"b\",\"text\":\"微软收购了动视暴雪。\",\"date\":\"not-a-date\"}\n\
         {\"id\":\"c\",\"text\":\"Amazon invested $4 billion in Anthropic.\",\"date\":\"2024-03-27T09:00:00Z\"}\n",
    )
    .unwrap();
    let out = run(&["ingest", f.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("news.jsonl:2:") && err.contains("`not-a-date` is not a date"),
        "{err}"
    );
    assert_eq!(
        sql_count(
            &db,
            "SELECT count(*) FROM documents WHERE date IN ('2014-01-26', '2024-03-27')"
        ),
        2
    );
    let edges = |since: &str| {
        json(&ok(&["export", "json", "--since", since], &db))["edges"]
            .as_array()
            .unwrap()
            .len()
    };
    assert!(edges("2024") > 0);
    assert!(edges("2020-01") < edges("2010"));
    assert_eq!(edges("2030-01-01"), 0);
    for (bad, why) in [
        ("2024-02-30", "no day 30"),
        ("2024-13", "no month 13"),
        ("soon", "not a number"),
    ] {
        let out = run(&["export", "json", "--until", bad], &db);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("--until") && stderr(&out).contains(why),
            "{}",
            stderr(&out)
        );
    }
}

// 3. Sizes and shapes.

#[test]
fn empty_files_are_skipped_with_a_note() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    std::fs::write(dir.path().join("blank.md"), "\n\n   \n").unwrap();
    std::fs::write(
        dir.path().join("markup.html"),
        "<html><script>x()</script><p hidden>谷歌</p></html>",
    )
    .unwrap();
    let out = run(&["ingest", dir.path().to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("empty, skipped").count(), 3, "{err}");
    assert!(err.contains("note: ") && err.contains("empty.txt"), "{err}");
    assert!(stdout(&out).contains("3 empty"), "{}", stdout(&out));
    assert_eq!(stats(&db)["documents"], 0);
}

#[test]
fn markdown_code_and_link_targets_and_hidden_html_are_not_prose() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    std::fs::write(
        dir.path().join("post.md"),
        "# 新闻\n\n谷歌与[OpenAI](https://amazon.com)展开竞争。\n\n```text\nMeta acquires Google.\n```\n\nSee <https://amazon.com>.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("page.html"),
        "<html><body><p>百度发布了文心一言。</p><div style=\"display:none\">Meta acquires Google.</div>\
         <span aria-hidden=\"true\">苹果收购了特斯拉。</span></body></html>",
    )
    .unwrap();
    ok(&["ingest", dir.path().to_str().unwrap()], &db);
    assert!(relation_exists(&db, "Google", "competes_with", "OpenAI"));
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM relations WHERE type = 'acquires'"),
        0
    );
    assert_eq!(
        sql_count(
            &db,
            "SELECT count(*) FROM entities WHERE name IN ('Amazon', 'Meta', 'Apple', 'Tesla')"
        ),
        0
    );
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM aliases WHERE alias LIKE '%amazon%'"),
        0
    );
    assert_eq!(
        sql_count(
            &db,
            "SELECT count(*) FROM documents WHERE text LIKE '%acquires%' OR text LIKE '%苹果%'"
        ),
        0
    );
}

#[test]
fn a_json_file_is_an_array_of_records_or_refused() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let arr = dir.path().join("records.json");
    std::fs::write(
        &arr,
        r#"[{"id": 1, "text": "谷歌收购了DeepMind。"}, {"id": 2, "text": "微软收购了动视暴雪。"}]"#,
    )
    .unwrap();
    let obj = dir.path().join("config.json");
    std::fs::write(&obj, r#"{"name": "Meta acquires Google", "version": 2}"#).unwrap();
    let out = run(&["ingest", arr.to_str().unwrap(), obj.to_str().unwrap()], &db);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("config.json: a .json file must be an array of records"),
        "{err}"
    );
    assert_eq!(stats(&db)["documents"], 2);
    assert!(relation_exists(&db, "Microsoft", "acquires", "Activision Blizzard"));
    assert_eq!(sql_count(&db, "SELECT count(*) FROM entities WHERE name = 'Meta'"), 0);
}

#[test]
fn deep_directories_symlink_loops_and_unreadable_files_are_handled() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let mut deep = dir.path().join("corpus");
    for i in 0..60 {
        deep = deep.join(format!("d{i}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("deep.txt"), "谷歌收购了DeepMind。").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("corpus"), deep.join("loop")).unwrap();
        std::os::unix::fs::symlink(deep.join("deep.txt"), dir.path().join("corpus/link.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("nowhere.txt"), dir.path().join("corpus/dangling.txt")).unwrap();
    }
    let out = run(&["ingest", dir.path().join("corpus").to_str().unwrap()], &db);
    let err = stderr(&out);
    // The dangling link is an error naming it; the loop is not followed; the link is the file itself.
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("dangling.txt"), "{err}");
    assert!(stdout(&out).contains("1 new, 1 unchanged"), "{}", stdout(&out));
    assert_eq!(stats(&db)["documents"], 1);
}

#[test]
fn a_long_line_without_breaks_is_read() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let f = dir.path().join("dump.txt");
    let mut text = String::with_capacity(2_100_000);
    while text.len() < 2_000_000 {
        text.push_str("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ");
    }
    text.push_str("谷歌收购了DeepMind。");
    std::fs::write(&f, text).unwrap();
    let out = run(&["ingest", f.to_str().unwrap()], &db);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(relation_exists(&db, "Google", "acquires", "Google DeepMind"));
}

// 4. Document identity.

#[test]
fn one_file_is_one_document_and_one_text_one_article() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let text = "谷歌收购了DeepMind。";
    std::fs::write(a.join("x.txt"), text).unwrap();
    std::fs::write(b.join("copy.txt"), text).unwrap();
    let evidence = || sql_count(&db, "SELECT count(*) FROM evidence");
    // The same file by a relative path, an absolute path and a path through `..`: one document.
    let ingest_in = |cwd: &Path, paths: &[&str]| {
        let out = guanxi()
            .current_dir(cwd)
            .arg("ingest")
            .args(paths)
            .args(["--db", db.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        out
    };
    let abs = a.join("x.txt");
    let out = ingest_in(
        dir.path(),
        &["a/x.txt", abs.to_str().unwrap(), "b/../a/x.txt", "./a/x.txt"],
    );
    assert!(stdout(&out).contains("1 new, 3 unchanged"), "{}", stdout(&out));
    let first = evidence();
    assert!(first > 0);
    // A copy, and the same file named from another folder: the same text, counted once.
    let out = ingest_in(&b, &["copy.txt", "../a/x.txt"]);
    assert!(
        stdout(&out).contains("0 new") && stdout(&out).contains("2 duplicate"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("copy.txt: the same text as a/x.txt"),
        "{}",
        stderr(&out)
    );
    assert_eq!(evidence(), first, "no double evidence");
    assert_eq!(stats(&db)["documents"], 1);
}

#[test]
fn records_are_identified_and_gone_ones_removed_with_what_only_they_supported() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let f = dir.path().join("feed.jsonl");
    let google = "{\"id\":\"g1\",\"text\":\"谷歌收购了DeepMind。\"}";
    let microsoft = "{\"url\":\"https://example.org/ms\",\"text\":\"微软收购了动视暴雪。\"}";
    let amazon = "{\"id\":7,\"text\":\"Amazon invested $4 billion in Anthropic.\"}";
    std::fs::write(&f, format!("{google}\n{microsoft}\n{amazon}\n")).unwrap();
    ok(&["ingest", f.to_str().unwrap()], &db);
    assert_eq!(stats(&db)["documents"], 3);
    assert!(relation_exists(&db, "Microsoft", "acquires", "Activision Blizzard"));
    // Lines reordered and one gone: the others are unchanged, the gone one is removed.
    std::fs::write(&f, format!("{amazon}\n\n{google}\n")).unwrap();
    let out = run(&["ingest", f.to_str().unwrap()], &db);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2 unchanged") && stdout(&out).contains("1 removed"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("feed.jsonl#url=https://example.org/ms"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stats(&db)["documents"], 2);
    assert!(!relation_exists(&db, "Microsoft", "acquires", "Activision Blizzard"));
    assert_eq!(
        sql_count(
            &db,
            "SELECT count(*) FROM entities WHERE name IN ('Microsoft', 'Activision Blizzard')"
        ),
        0
    );
    assert!(relation_exists(&db, "Google", "acquires", "Google DeepMind"));
}

#[test]
fn remove_takes_a_document_and_what_it_alone_supported() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, "谷歌收购了DeepMind。微软收购了动视暴雪。").unwrap();
    std::fs::write(&b, "谷歌在2014年收购了DeepMind。").unwrap();
    ok(&["ingest", a.to_str().unwrap(), b.to_str().unwrap()], &db);
    let google_evidence = || {
        sql_count(
            &db,
            "SELECT count(*) FROM evidence v JOIN relations r ON r.id = v.relation_id JOIN entities h ON h.id = r.head_id WHERE h.name = 'Google' AND r.type = 'acquires'",
        )
    };
    assert_eq!(google_evidence(), 2);
    let out = ok(&["remove", a.to_str().unwrap()], &db);
    assert!(out.contains("removed") && out.contains("a.txt"), "{out}");
    assert_eq!(google_evidence(), 1, "b.txt still supports it");
    assert!(!relation_exists(&db, "Microsoft", "acquires", "Activision Blizzard"));
    let id = sql_count(&db, "SELECT id FROM documents");
    ok(&["remove", &id.to_string()], &db);
    assert_eq!(stats(&db)["documents"], 0);
    assert_eq!(sql_count(&db, "SELECT count(*) FROM relations"), 0);
    assert_eq!(sql_count(&db, "SELECT count(*) FROM entities"), 0);
    let out = run(&["remove", "nothing.txt"], &db);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no stored document `nothing.txt`"));
}

#[test]
fn a_write_that_fails_stops_the_ingest_and_keeps_the_documents_before_it() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let companies = ["谷歌", "微软", "百度", "腾讯", "阿里巴巴", "字节跳动"];
    for (i, c) in companies.iter().enumerate() {
        std::fs::write(corpus.join(format!("{i}.txt")), format!("{c}与OpenAI的竞争愈发激烈。")).unwrap();
    }
    // A database that refuses the fourth document halfway through its rows.
    ok(&["ingest", corpus.join("0.txt").to_str().unwrap()], &db);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON mentions
             WHEN (SELECT source FROM documents WHERE id = NEW.document_id) LIKE '%3.txt'
             BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        )
        .unwrap();
    for jobs in ["1", "2"] {
        let out = guanxi()
            .args([
                "ingest",
                corpus.to_str().unwrap(),
                "--db",
                db.to_str().unwrap(),
                "--jobs",
                jobs,
            ])
            .output()
            .unwrap();
        assert!(!out.status.success(), "jobs {jobs}: {}", stdout(&out));
        assert!(stderr(&out).contains("3.txt"), "jobs {jobs}: {}", stderr(&out));
        // The ones before it are stored, nothing of it, and nothing after it was tried.
        let stored = sql_count(&db, "SELECT count(*) FROM documents");
        assert_eq!(stored, 3, "jobs {jobs}");
        check_consistent(&db);
    }
}

// 5. Re-extraction.

#[test]
fn a_lexicon_change_reaches_stored_documents() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let f = dir.path().join("a.txt");
    std::fs::write(&f, "澜舟远航宣布完成新一轮融资。谷歌收购了DeepMind。").unwrap();
    ok(&["ingest", f.to_str().unwrap()], &db);
    let named = || sql_count(&db, "SELECT count(*) FROM entities WHERE name = 'Lanzhou Voyage'");
    assert_eq!(named(), 0);
    let lex = dir.path().join("lex");
    std::fs::create_dir(&lex).unwrap();
    std::fs::write(lex.join("mine.tsv"), "Lanzhou Voyage\tcompany\t澜舟远航\n").unwrap();
    // Another input than the stored one: the stored one is extracted again all the same.
    let other = dir.path().join("b.txt");
    std::fs::write(&other, "百度发布了文心一言。").unwrap();
    let out = ingest_with(&lex, &other, &db).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 new") && stdout(&out).contains("1 extracted again"),
        "{}",
        stdout(&out)
    );
    assert_eq!(named(), 1);
    // Nothing changed: nothing is extracted again, unless asked.
    let again = |extra: &[&str]| {
        let out = ingest_with(&lex, &f, &db).args(extra).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let out = again(&[]);
    assert!(out.contains("1 unchanged") && !out.contains("extracted again"), "{out}");
    let out = again(&["--reextract"]);
    assert!(out.contains("2 extracted again"), "{out}");
    assert_eq!(named(), 1);
    // Back to the embedded lexicon: the name goes again.
    ok(&["ingest", f.to_str().unwrap()], &db);
    assert_eq!(named(), 0);
    let fingerprints = sql_count(&db, "SELECT count(DISTINCT extractor) FROM documents");
    assert_eq!(fingerprints, 1);
}

#[test]
fn re_extraction_runs_on_workers_and_ends_as_a_fresh_ingest() {
    let dir = tmp();
    let corpus = dir.path().join("corpus");
    // More documents than one commit holds, so that re-extraction goes over several batches.
    // The example articles in text and Markdown, fifteen of them: copies for more than one commit.
    let total = big_corpus(&corpus, guanxi::ingest::BATCH_DOCS / 15 + 1) as u64;
    assert!(total > guanxi::ingest::BATCH_DOCS as u64);
    let lex = dir.path().join("lex");
    std::fs::create_dir(&lex).unwrap();
    // An invented company of the example articles gets a lexicon entry: its node is renamed.
    std::fs::write(lex.join("mine.tsv"), "Lingshu Intelligence\tcompany\t灵枢智能\t\t\n").unwrap();
    let with_lexicon = |db: &Path, extra: &[&str]| {
        let out = guanxi()
            .args(["--lexicon", lex.to_str().unwrap(), "ingest", corpus.to_str().unwrap()])
            .args(["--db", db.to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let fresh = dir.path().join("fresh.db");
    with_lexicon(&fresh, &["--jobs", "2"]);
    let renamed = |db: &Path| sql_count(db, "SELECT count(*) FROM entities WHERE name = 'Lingshu Intelligence'");
    assert_eq!(renamed(&fresh), 1);
    let db = dir.path().join("g.db");
    ok(&["ingest", corpus.to_str().unwrap()], &db);
    assert_eq!(renamed(&db), 0);
    assert_ne!(graph_by_name(&db), graph_by_name(&fresh));
    // The lexicon changed: every stored document is extracted again, on two workers.
    let out = with_lexicon(&db, &["--jobs", "2"]);
    assert!(
        out.contains(&format!("{total} extracted again")) && out.contains("0 new"),
        "{out}"
    );
    check_consistent(&db);
    assert_eq!(stats(&db)["documents"], total);
    assert_eq!(graph_by_name(&db), graph_by_name(&fresh));
    let evidence = "SELECT count(*) FROM evidence";
    assert_eq!(sql_count(&db, evidence), sql_count(&fresh, evidence));
    let search = "SELECT count(*) FROM search_sentences";
    assert_eq!(sql_count(&db, search), sql_count(&fresh, search));
    // Forced, on one worker: the same graph again.
    let out = with_lexicon(&db, &["--reextract", "--jobs", "1"]);
    assert!(out.contains(&format!("{total} extracted again")), "{out}");
    assert_eq!(graph_by_name(&db), graph_by_name(&fresh));
    assert_eq!(sql_count(&db, "SELECT count(DISTINCT extractor) FROM documents"), 1);
}

// 8. Bad lexicon and rule files.

#[test]
fn a_bad_lexicon_is_reported_before_anything_is_written() {
    let dir = tmp();
    let db = dir.path().join("never.db");
    let lex = dir.path().join("lex");
    std::fs::create_dir(&lex).unwrap();
    std::fs::write(lex.join("bad.tsv"), "Good Co\tcompany\t好公司\nEnterprise\tspaceship\n").unwrap();
    let f = dir.path().join("a.txt");
    std::fs::write(&f, "谷歌收购了DeepMind。").unwrap();
    let out = ingest_with(&lex, &f, &db).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("bad.tsv") && err.contains(":2") && err.contains("spaceship"),
        "{err}"
    );
    assert!(!db.exists(), "the database was created");
    std::fs::remove_file(lex.join("bad.tsv")).unwrap();
    std::fs::write(
        lex.join("relations.toml"),
        "[[rule]]\nrelation = \"acquires\"\ncues = [\n",
    )
    .unwrap();
    let out = ingest_with(&lex, &f, &db).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("relations.toml"), "{}", stderr(&out));
    assert!(!db.exists(), "the database was created");
    // A word list too long for one expression is the file's error, said once, not a crash of
    // every document.
    std::fs::remove_file(lex.join("relations.toml")).unwrap();
    let mut rng = Lcg(7);
    let words: Vec<String> = (0..20_000)
        .map(|_| {
            let w: String = (0..12).map(|_| (b'a' + (rng.next() % 26) as u8) as char).collect();
            format!("\"{w}\"")
        })
        .collect();
    std::fs::write(
        lex.join("patterns.toml"),
        format!("person_roles = [{}]\n", words.join(",")),
    )
    .unwrap();
    let out = ingest_with(&lex, &f, &db).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("patterns.toml") && err.contains("shorten"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!db.exists(), "the database was created");
}

// 6. Crash safety, 7. concurrency.

/// A corpus big enough to be caught mid-run: the example articles, each in `copies` versions
/// (a numbered line added), so that every file is its own document.
fn big_corpus(dir: &Path, copies: usize) -> usize {
    let src = common::root().join("examples/articles");
    let mut n = 0;
    for entry in std::fs::read_dir(&src).unwrap() {
        let p = entry.unwrap().path();
        let Some(ext) = p.extension().and_then(|e| e.to_str()).map(str::to_string) else {
            continue;
        };
        if !["txt", "md"].contains(&ext.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        for i in 0..copies {
            let sub = dir.join(format!("part{}", i % 10));
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::write(sub.join(format!("{stem}-{i}.{ext}")), format!("{text}\n\n第{i}版。\n")).unwrap();
            n += 1;
        }
    }
    n
}

/// Nodes and edges (with their weights) by name: the graph whatever the row ids.
fn graph_by_name(db: &Path) -> (Vec<String>, Vec<String>) {
    let g = json(&ok(&["export", "json"], db));
    let nodes = g["nodes"].as_array().unwrap();
    let name = |i: &serde_json::Value| -> String {
        let id = i.as_str().map(str::to_string).unwrap_or_else(|| i.to_string());
        nodes
            .iter()
            .find(|n| {
                n["id"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| n["id"].to_string())
                    == id
            })
            .map(|n| format!("{}:{}", n["type"], n["name"]))
            .unwrap_or(id)
    };
    let mut ns: Vec<String> = nodes
        .iter()
        .map(|n| format!("{}:{} {}", n["type"], n["name"], n["mentions"]))
        .collect();
    let mut es: Vec<String> = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} -{}-> {} x{}",
                name(&e["source"]),
                e["type"],
                name(&e["target"]),
                e["weight"]
            )
        })
        .collect();
    ns.sort();
    es.sort();
    (ns, es)
}

fn check_consistent(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 0, "dangling references");
    // A stored document has all its sentences and every sentence its document.
    let half: i64 = conn
        .query_row(
            "SELECT count(*) FROM documents d WHERE (SELECT count(*) FROM sentences s WHERE s.document_id = d.id) = 0
                OR (SELECT max(idx) + 1 FROM sentences s WHERE s.document_id = d.id)
                   <> (SELECT count(*) FROM sentences s WHERE s.document_id = d.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(half, 0, "a half-stored document");
}

#[test]
fn killed_ingests_leave_a_sound_database_and_a_rerun_the_same_graph() {
    let dir = tmp();
    let corpus = dir.path().join("corpus");
    let total = big_corpus(&corpus, 80);
    let reference = dir.path().join("reference.db");
    let started = std::time::Instant::now();
    ok(&["ingest", corpus.to_str().unwrap()], &reference);
    let full = started.elapsed();
    assert_eq!(stats(&reference)["documents"], total as u64);
    let db = dir.path().join("killed.db");
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = Lcg(seed);
    let mut stored: Vec<i64> = Vec::new();
    // The kills land within `window` of a run's start. The reference run shared the machine with
    // the other tests; a run that finished before its kill says runs are faster now, and the window
    // shrinks so that kills keep landing while documents are written (commits of 64 documents, so
    // that a run has many); a run killed before its first commit widens it again. At least 24
    // kills, more (up to 60) until 5 of them landed mid-run.
    let mut window = full;
    let partial = |stored: &[i64]| stored.iter().filter(|&&n| n > 0 && n < total as i64).count();
    for kill in 0..60 {
        if kill >= 24 && partial(&stored) >= 5 {
            break;
        }
        // A run over a complete database only finds everything unchanged: start again, so that the
        // kills land while documents are being written.
        if stored.last() == Some(&(total as i64)) {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
            }
        }
        let mut child = guanxi()
            .args(["ingest", corpus.to_str().unwrap(), "--db", db.to_str().unwrap()])
            .args(["--commit-every", "64"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Anywhere in a full run's time, from opening the file to the last commit.
        let at = std::time::Duration::from_micros(rng.next() % (window.as_micros() as u64).max(1));
        std::thread::sleep(at);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        if db.exists() {
            check_consistent(&db);
            let docs = sql_count(&db, "SELECT count(*) FROM documents");
            stored.push(docs);
        } else {
            stored.push(-1);
        }
        eprintln!(
            "kill {kill} (seed {seed:#x}) after {at:?}: {} documents",
            stored.last().unwrap()
        );
        match *stored.last().unwrap() {
            n if n == total as i64 => window = window * 3 / 4,
            n if n <= 0 => window = (window * 5 / 4).min(full),
            _ => {}
        }
    }
    assert!(partial(&stored) >= 5, "few kills landed mid-run: {stored:?}");
    let out = run(&["ingest", corpus.to_str().unwrap()], &db);
    assert!(out.status.success(), "{}", stderr(&out));
    check_consistent(&db);
    assert_eq!(stats(&db)["documents"], total as u64);
    assert_eq!(graph_by_name(&db), graph_by_name(&reference));
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM evidence"),
        sql_count(&reference, "SELECT count(*) FROM evidence")
    );
}

/// Sends SIGINT through the shell's own `kill` (no extra package needed).
#[cfg(unix)]
fn interrupt(pid: u32) {
    let status = std::process::Command::new("sh")
        .args(["-c", &format!("kill -INT {pid}")])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Polls `stats` until the database holds at least one document; gives the counts seen.
fn wait_for_documents(db: &Path) -> Vec<i64> {
    let mut seen = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        assert!(std::time::Instant::now() < deadline, "nothing stored");
        if db.exists() {
            let out = run(&["stats", "--format", "json"], db);
            if out.status.success() {
                let n = json(&stdout(&out))["documents"].as_i64().unwrap();
                seen.push(n);
                if n > 0 {
                    return seen;
                }
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn a_json_lines_file_is_streamed_and_an_interrupt_keeps_what_was_done() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let f = dir.path().join("dump.jsonl");
    let total = 8000;
    let mut lines = String::new();
    for i in 0..total {
        lines.push_str(&format!(
            "{{\"id\":\"r{i}\",\"text\":\"谷歌收购了星河{i}号公司。百度与阿里巴巴在第{i}个市场展开竞争。\"}}\n"
        ));
    }
    std::fs::write(&f, lines).unwrap();
    let child = guanxi()
        .args(["ingest", f.to_str().unwrap(), "--db", db.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Records are committed as the file is read: they show before the file is done.
    wait_for_documents(&db);
    interrupt(child.id());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    check_consistent(&db);
    let kept = sql_count(&db, "SELECT count(*) FROM documents");
    assert!(kept > 0 && kept < total, "{kept} of {total}");
    // Going on stores the rest; nothing is pruned from a file read only in part.
    let out = run(&["ingest", f.to_str().unwrap()], &db);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("{} new, {kept} unchanged", total - kept)),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains(" records] ") || total - kept < 1000,
        "progress: {}",
        stderr(&out)
    );
    assert_eq!(stats(&db)["documents"], total);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_after_the_current_document_and_says_so() {
    let dir = tmp();
    let corpus = dir.path().join("corpus");
    let total = big_corpus(&corpus, 120) as i64;
    let db = dir.path().join("g.db");
    // Small commits: the first comes early, so the interrupt finds most of the corpus still to do
    // (with the default size, the last documents could be extracted before it arrives).
    let child = guanxi()
        .args([
            "ingest",
            corpus.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--commit-every",
            "64",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Queries answer while the ingest writes; the interrupt comes once something is stored.
    let seen = wait_for_documents(&db);
    interrupt(child.id());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("interrupted: stopping after the current document"),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("interrupted: what was written is kept"),
        "{}",
        stdout(&out)
    );
    check_consistent(&db);
    let kept = sql_count(&db, "SELECT count(*) FROM documents");
    assert!(kept > 0 && kept < total, "{kept} of {total}");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    // Going on stores the rest, once.
    let out = run(&["ingest", corpus.to_str().unwrap()], &db);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("{} new, {kept} unchanged", total - kept)),
        "{}",
        stdout(&out)
    );
}

#[test]
fn two_writers_wait_for_each_other_and_readers_answer_meanwhile() {
    let dir = tmp();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    let na = big_corpus(&a, 60) as u64;
    std::fs::create_dir_all(&b).unwrap();
    for (i, t) in [
        "谷歌收购了DeepMind。",
        "微软收购了动视暴雪。",
        "Amazon invested $4 billion in Anthropic.",
    ]
    .iter()
    .enumerate()
    {
        std::fs::write(b.join(format!("{i}.txt")), t).unwrap();
    }
    let db = dir.path().join("g.db");
    // The file exists before the writers start, so that both open a guanxi database.
    ok(&["ingest", b.join("0.txt").to_str().unwrap()], &db);
    let spawn = |p: &Path| {
        guanxi()
            .args(["ingest", p.to_str().unwrap(), "--db", db.to_str().unwrap()])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let first = spawn(&a);
    let second = spawn(&b);
    let mut answers = 0;
    for _ in 0..5 {
        let out = run(&["query", "acquisitions", "Google", "--format", "json"], &db);
        assert!(
            out.status.success(),
            "a query failed during the ingest: {}",
            stderr(&out)
        );
        answers += 1;
    }
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(answers, 5);
    check_consistent(&db);
    assert_eq!(stats(&db)["documents"], na + 3);
}

// 9. Hostile names.

const OBRIEN: &str = "O'Brien & \"Sons\" <Labs>";
const BACKSLASH: &str = "Back\\slash AI";
const DROP: &str = "'; DROP TABLE entities; --";
const PERCENT: &str = "100% Pure_AI";
const DECOY: &str = "Acme 100x Labs";
const ARROW: &str = "{Curly} -> \"Arrow\" Labs";
const ZERO_WIDTH: &str = "Zero\u{200b}Width Corp";
const RIGHT_TO_LEFT: &str = "\u{202e}Reverse\u{202c} Inc";
const PERSON: &str = "林\"反斜\\杠\"";
const MODEL: &str = "Drop%Model_1";
/// The event the acquisition makes (its name is the buyer's, the cue and the bought).
const EVENT: &str = "'; DROP TABLE entities; --收购100% Pure_AI";
/// Every hostile name of the fixture: each is stored, ranked and exported.
const HOSTILE_NAMES: [&str; 11] = [
    OBRIEN,
    BACKSLASH,
    DROP,
    PERCENT,
    DECOY,
    ARROW,
    ZERO_WIDTH,
    RIGHT_TO_LEFT,
    PERSON,
    MODEL,
    EVENT,
];

/// A lexicon of names that break naive SQL, LIKE patterns, DOT, XML and terminals (each with a
/// Chinese alias the text uses), and JSON Lines records whose ids are hostile too.
fn hostile_corpus(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let lex = dir.join("lex");
    std::fs::create_dir_all(&lex).unwrap();
    let rows = [
        (OBRIEN, "company", "奥布莱恩父子"),
        (BACKSLASH, "company", "反斜杠智能|C:\\AI\\"),
        (DROP, "company", "删表科技"),
        (PERCENT, "company", "百分百智能"),
        (DECOY, "company", "普通科技"),
        (ARROW, "company", "花括号实验室"),
        (ZERO_WIDTH, "company", "零宽科技"),
        (RIGHT_TO_LEFT, "company", "反转公司"),
        (PERSON, "person", ""),
        (MODEL, "model", ""),
    ];
    let tsv: String = rows.iter().map(|(n, t, a)| format!("{n}\t{t}\t{a}\t\t\n")).collect();
    std::fs::write(lex.join("hostile.tsv"), tsv).unwrap();
    let records = [
        (
            "'; DROP TABLE documents; --",
            "2024-03-01",
            "奥布莱恩父子与反斜杠智能在云计算市场展开竞争。删表科技收购了百分百智能。".to_string(),
        ),
        (
            "a\"b<c>&d",
            "2024-05-01",
            "花括号实验室投资了零宽科技。反转公司与普通科技在芯片市场展开竞争。".to_string(),
        ),
        (
            "x%_y",
            "2025-01-09",
            format!("{PERSON}创立了删表科技。删表科技发布了大模型{MODEL}。{OBRIEN}与{ARROW}展开竞争。"),
        ),
    ];
    let lines: String = records
        .iter()
        .map(|(id, date, text)| format!("{}\n", serde_json::json!({"id": id, "date": date, "text": text})))
        .collect();
    let f = dir.join("hostile.jsonl");
    std::fs::write(&f, lines).unwrap();
    (lex, f)
}

/// Every string in a JSON value (the names, wherever an answer puts them).
fn strings(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(a) => a.iter().flat_map(strings).collect(),
        serde_json::Value::Object(o) => o.values().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

/// The `name` of every row of a JSON answer, sorted.
fn row_names(v: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = v
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

/// Text of the `<text>` elements of an SVG, XML entities decoded.
fn svg_texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in svg.split("<text").skip(1) {
        let Some(body) = piece.split_once('>').map(|(_, b)| b) else {
            continue;
        };
        let Some(raw) = body.split_once("</text>").map(|(t, _)| t) else {
            continue;
        };
        let mut s = String::new();
        let mut rest = raw;
        while let Some(at) = rest.find('&') {
            s.push_str(&rest[..at]);
            let end = rest[at..].find(';').expect("an entity ends") + at;
            let entity = &rest[at + 1..end];
            let c = match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                e if e.starts_with("#x") => char::from_u32(u32::from_str_radix(&e[2..], 16).unwrap()).unwrap(),
                e if e.starts_with('#') => char::from_u32(e[1..].parse().unwrap()).unwrap(),
                e => panic!("unknown entity &{e};"),
            };
            s.push(c);
            rest = &rest[end + 1..];
        }
        s.push_str(rest);
        out.push(s);
    }
    out
}

#[test]
fn hostile_names_go_through_every_query_and_every_export() {
    let dir = tmp();
    let db = dir.path().join("g.db");
    let (lex, input) = hostile_corpus(dir.path());
    let lex = lex.to_str().unwrap().to_string();
    let q = |args: &[&str]| -> std::process::Output {
        guanxi()
            .args(args)
            .args(["--lexicon", &lex, "--db", db.to_str().unwrap()])
            .output()
            .unwrap()
    };
    // A JSON answer, which must come with exit 0.
    let answer = |args: &[&str]| -> serde_json::Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let out = q(&all);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        json(&stdout(&out))
    };
    let out = q(&["ingest", input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stats(&db)["documents"], 3);
    let entities_before = sql_count(&db, "SELECT count(*) FROM entities");
    assert_eq!(entities_before, 11);

    // Each query finds the entity named, however hostile the name, and answers exactly.
    let card = answer(&["show", OBRIEN]);
    assert_eq!(card["name"], OBRIEN);
    let others: Vec<String> = card["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["other"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(others.len(), 2);
    assert!(others.contains(&BACKSLASH.to_string()) && others.contains(&ARROW.to_string()));
    assert!(strings(&card).contains(&"'; DROP TABLE documents; --".to_string()));
    let mut rivals = vec![BACKSLASH.to_string(), ARROW.to_string()];
    rivals.sort();
    assert_eq!(row_names(&answer(&["query", "competitors", OBRIEN])), rivals);
    // An alias with a colon and backslashes, a name with a zero-width space, one with a
    // right-to-left override.
    assert_eq!(row_names(&answer(&["query", "competitors", "C:\\AI\\"])), [OBRIEN]);
    assert_eq!(row_names(&answer(&["query", "investors", ZERO_WIDTH])), [ARROW]);
    assert_eq!(row_names(&answer(&["query", "portfolio", ARROW])), [ZERO_WIDTH]);
    assert_eq!(row_names(&answer(&["query", "competitors", RIGHT_TO_LEFT])), [DECOY]);
    assert_eq!(row_names(&answer(&["query", "acquisitions", DROP])), [PERCENT]);
    assert_eq!(row_names(&answer(&["query", "founders", DROP])), [PERSON]);
    assert_eq!(row_names(&answer(&["query", "people", DROP])), [PERSON]);
    assert_eq!(row_names(&answer(&["query", "models", DROP])), [MODEL]);
    assert_eq!(row_names(&answer(&["query", "makers", MODEL])), [DROP]);
    let typed = format!("company:{DROP}");
    assert_eq!(answer(&["show", &typed])["name"], DROP);
    let path = answer(&["query", "path", OBRIEN, ZERO_WIDTH]);
    let hops = path[0]["hops"].as_array().unwrap();
    let steps: Vec<(&str, &str)> = hops
        .iter()
        .map(|h| (h["from"].as_str().unwrap(), h["to"].as_str().unwrap()))
        .collect();
    assert_eq!(steps, [(OBRIEN, ARROW), (ARROW, ZERO_WIDTH)]);
    let near = row_names(&answer(&["query", "neighbors", PERCENT]));
    assert_eq!(near, [DROP, EVENT]);
    let timeline = answer(&["query", "timeline", DROP]);
    let dates: std::collections::BTreeSet<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates.into_iter().collect::<Vec<_>>(), ["2024-03-01", "2025-01-09"]);
    assert!(strings(&timeline).contains(&"x%_y".to_string()));
    let ranked = row_names(&answer(&["query", "rank"]));
    for name in HOSTILE_NAMES {
        assert!(ranked.contains(&name.to_string()), "{name:?} not ranked: {ranked:?}");
    }
    assert_eq!(answer(&["query", "competes"]).as_array().unwrap().len(), 3);
    let groups = answer(&["query", "communities", "--min-size", "2"]);
    assert!(strings(&groups).contains(&RIGHT_TO_LEFT.to_string()), "{groups}");

    // LIKE's `%` and `_` are characters like any other: `0%` is not "0 then anything" (which
    // would take Acme 100x Labs), `p_r` not "p, any letter, r" (Pure_AI); `_` alone finds the
    // names that hold one, not every name.
    let mut percent = vec![PERCENT.to_string(), EVENT.to_string()];
    percent.sort();
    assert_eq!(row_names(&answer(&["query", "entities", "0%"])), percent);
    let out = q(&["query", "entities", "p_r"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let mut underscore = vec![PERCENT.to_string(), EVENT.to_string(), MODEL.to_string()];
    underscore.sort();
    assert_eq!(row_names(&answer(&["query", "entities", "_"])), underscore);
    // Search: words are looked for as words; a pattern character matches nothing by itself.
    let hits = answer(&["query", "search", MODEL]);
    assert_eq!(hits.as_array().unwrap().len(), 1, "{hits}");
    assert_eq!(hits[0]["doc"], "x%_y");
    let hits = answer(&["query", "search", "百分百智能"]);
    assert_eq!(hits.as_array().unwrap().len(), 1, "{hits}");
    assert_eq!(hits[0]["doc"], "'; DROP TABLE documents; --");
    for pattern in ["%", "_", "\"", "'; DROP TABLE documents; --", "* OR NEAR(a b)"] {
        let out = q(&["query", "search", pattern]);
        assert_eq!(out.status.code(), Some(1), "{pattern:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("error"), "{pattern:?}: {}", stderr(&out));
    }
    // A name with a line break is no name stored: not found, with a suggestion.
    let out = q(&["show", "O'Brien\n"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("did you mean {OBRIEN}")),
        "{}",
        stderr(&out)
    );
    // The user's SQL is the user's: it reads the name back, and cannot write.
    let sql = format!("SELECT name FROM entities WHERE name = '{}'", DROP.replace('\'', "''"));
    assert!(strings(&answer(&["query", "sql", &sql])).contains(&DROP.to_string()));
    let out = q(&["query", "sql", "DROP TABLE entities"]);
    assert_ne!(out.status.code(), Some(0));
    assert_eq!(sql_count(&db, "SELECT count(*) FROM entities"), entities_before);

    // Every export reads back in its real reader with the same names.
    let exp = dir.path().join("export");
    std::fs::create_dir(&exp).unwrap();
    for (format, file) in [
        ("json", "graph.json"),
        ("dot", "graph.dot"),
        ("graphml", "graph.graphml"),
        ("gexf", "graph.gexf"),
        ("turtle", "graph.ttl"),
        ("ntriples", "graph.nt"),
        ("cypher", "graph.cypher"),
    ] {
        let path = exp.join(file);
        let out = q(&["export", format, "--lang", "en", "--out", path.to_str().unwrap()]);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
    }
    let out = q(&["export", "csv", "--out", exp.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let g = json(&std::fs::read_to_string(exp.join("graph.json")).unwrap());
    let mut names: Vec<String> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    let mut expected: Vec<String> = HOSTILE_NAMES.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(names, expected);
    let (nodes, edges) = (names.len(), g["edges"].as_array().unwrap().len());
    assert_eq!(edges, 9);
    // DOT: graphviz-rust's parser takes it; Graphviz draws every name as written.
    let dot = std::fs::read_to_string(exp.join("graph.dot")).unwrap();
    graphviz_rust::parse(&dot).unwrap_or_else(|e| panic!("graph.dot does not parse: {e}"));
    if common::dot_installed() {
        let out = std::process::Command::new("dot")
            .arg("-Tsvg")
            .arg(exp.join("graph.dot"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let texts = svg_texts(&stdout(&out));
        for name in &expected {
            assert!(texts.contains(name), "{name:?} is not drawn: {texts:?}");
        }
    } else {
        eprintln!("skipped: Graphviz's dot is not installed");
    }
    // GraphML, GEXF, Turtle, N-Triples and CSV: NetworkX, rdflib and neo4j-admin's rules, with
    // the names agreeing across formats.
    let readers = std::process::Command::new("python3")
        .args(["-c", "import networkx, rdflib"])
        .output()
        .is_ok_and(|o| o.status.success());
    if readers {
        let out = std::process::Command::new("python3")
            .arg(common::root().join("tests/readers.py"))
            .arg(&exp)
            .arg(nodes.to_string())
            .arg(edges.to_string())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
        assert!(stdout(&out).contains("7 passed, 0 failed"), "{}", stdout(&out));
    } else {
        eprintln!("skipped: python3 with networkx and rdflib is not installed");
    }

    // A document named by a hostile id is removed by it, with what only it supported.
    let out = q(&["remove", "'; DROP TABLE documents; --"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stats(&db)["documents"], 2);
    assert!(!relation_exists(&db, DROP, "acquires", PERCENT));
    assert!(relation_exists(&db, PERSON, "founded", DROP));
    check_consistent(&db);
}

#[test]
fn a_lexicon_field_cannot_hold_a_line_break() {
    let dir = tmp();
    let db = dir.path().join("never.db");
    let f = dir.path().join("a.txt");
    std::fs::write(&f, "谷歌收购了DeepMind。").unwrap();
    let lex = dir.path().join("lex");
    std::fs::create_dir(&lex).unwrap();
    let try_lexicon = |tsv: &str| {
        std::fs::write(lex.join("names.tsv"), tsv).unwrap();
        let out = guanxi()
            .args(["--lexicon", lex.to_str().unwrap(), "ingest", f.to_str().unwrap()])
            .args(["--db", db.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{tsv:?}");
        assert!(!db.exists(), "the database was created");
        stderr(&out)
    };
    // A name broken over two lines: its first line is a row without a type.
    let err = try_lexicon("Good Co\tcompany\t好公司\nTwo\nLines Inc\tcompany\t\n");
    assert!(err.contains("names.tsv:2:") && err.contains("tab-separated"), "{err}");
    // A carriage return or another control character inside a field.
    let err = try_lexicon("Good Co\tcompany\t好公司\nCarriage\rReturn\tcompany\t\n");
    assert!(
        err.contains("names.tsv:2:") && err.contains("U+000D in column 1"),
        "{err}"
    );
    let err = try_lexicon("Bell Co\tcompany\t铃\u{7}声\n");
    assert!(
        err.contains("names.tsv:1:") && err.contains("U+0007 in column 3"),
        "{err}"
    );
    // A line ending in CRLF is no control character in a field.
    std::fs::write(lex.join("names.tsv"), "Good Co\tcompany\t好公司\r\n").unwrap();
    let out = guanxi()
        .args(["--lexicon", lex.to_str().unwrap(), "ingest", f.to_str().unwrap()])
        .args(["--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

// 10. Properties (proptest).

mod properties {
    use guanxi::normalize::NormText;
    use guanxi::pipeline::Extractor;
    use guanxi::source::make_document;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn extractor() -> &'static Extractor {
        static EX: OnceLock<Extractor> = OnceLock::new();
        EX.get_or_init(|| Extractor::embedded().expect("embedded data loads"))
    }

    /// Text made of the pieces news holds, cut anywhere, in any script.
    fn news_text() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(super::PIECES.to_vec()).prop_map(str::to_string);
        let traditional =
            prop::sample::select(vec!["微軟", "收購", "輝達", "競爭", "臺灣", "雲端", "著名"]).prop_map(str::to_string);
        let any = any::<String>();
        prop::collection::vec(prop_oneof![6 => piece, 2 => traditional, 1 => any], 0..40).prop_map(|v| v.concat())
    }

    /// Characters of every kind normalisation treats differently: full-width forms, CJK, Latin,
    /// combining marks, emoji, compatibility characters that NFKC expands (ﬁ, ㈱, ①, ㎏) and
    /// separators.
    fn mixed_script() -> impl Strategy<Value = String> {
        let c = prop_oneof![
            proptest::char::range('\u{ff01}', '\u{ff5e}'),
            proptest::char::range('\u{4e00}', '\u{9fff}'),
            proptest::char::range('a', 'z'),
            proptest::char::range('A', 'Z'),
            proptest::char::range('\u{300}', '\u{36f}'),
            proptest::char::range('\u{1f300}', '\u{1f64f}'),
            prop::sample::select(vec![
                'ﬁ', '㈱', '①', '㎏', 'Ⅻ', ' ', '·', '-', '_', '.', '\u{3000}', '\u{200b}', '\u{202e}'
            ]),
        ];
        prop::collection::vec(c, 0..40).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn normalised_offsets_point_at_the_right_characters(s in "\\PC{0,40}|[ＡＢＣａｂｃ１２３－ .·Ａ-Ｚ谷歌GPTo4\u{301}é-]{0,30}") {
            let n = NormText::new(&s);
            for (i, c) in n.text.char_indices() {
                let (a, b) = n.original_span(i, i + c.len_utf8());
                prop_assert!(a < b && s.is_char_boundary(a) && s.is_char_boundary(b), "{s:?} {i}");
                // The original characters there fold to a text that holds this one.
                prop_assert!(NormText::new(&s[a..b]).text.contains(c), "{s:?}: {c:?} from {:?}", &s[a..b]);
            }
        }

        #[test]
        fn mixed_scripts_normalise_to_offsets_in_order_on_the_right_characters(s in mixed_script()) {
            let n = NormText::new(&s);
            let mut last = (0, 0);
            for (i, c) in n.text.char_indices() {
                let (a, b) = n.original_span(i, i + c.len_utf8());
                prop_assert!(a < b && s.is_char_boundary(a) && s.is_char_boundary(b), "{s:?} {i}");
                prop_assert_eq!(s[a..].chars().next().map(char::len_utf8), Some(b - a), "one original character: {:?}", s);
                prop_assert!(NormText::new(&s[a..b]).text.contains(c), "{s:?}: {c:?} from {:?}", &s[a..b]);
                // Offsets never go back: a match's span is a slice of the original.
                prop_assert!((a, b) >= last, "{s:?}: {:?} after {:?}", (a, b), last);
                last = (a, b);
            }
            prop_assert_eq!(NormText::new(&s).text, n.text);
        }

        #[test]
        fn extraction_of_mixed_scripts_is_deterministic(s in mixed_script()) {
            let ex = extractor();
            let one = ex.extract(make_document("m".into(), s.clone(), None, None, None));
            let two = ex.extract(make_document("m".into(), s.clone(), None, None, None));
            prop_assert_eq!(&one, &two);
            for (_, m) in &one.mentions {
                prop_assert_eq!(&s[m.start..m.end], m.surface.as_str());
            }
        }

        #[test]
        fn simplification_keeps_every_offset(s in news_text()) {
            let t = guanxi::script::simplify(&s);
            prop_assert_eq!(t.len(), s.len());
            for ((i, a), (j, b)) in s.char_indices().zip(t.char_indices()) {
                prop_assert_eq!(i, j);
                prop_assert!(a == b || guanxi::script::simplify_char(a) == b);
            }
        }

        #[test]
        fn extraction_is_deterministic(s in news_text()) {
            let ex = extractor();
            let one = ex.extract(make_document("a".into(), s.clone(), None, None, None));
            let two = ex.extract(make_document("a".into(), s.clone(), None, None, None));
            prop_assert_eq!(&one, &two);
            for (_, m) in &one.mentions {
                prop_assert!(s.is_char_boundary(m.start) && s.is_char_boundary(m.end) && m.start <= m.end);
                prop_assert_eq!(&s[m.start..m.end], m.surface.as_str());
            }
        }

        #[test]
        fn any_bytes_decode_and_extract_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
            // Decoding either gives text or says why not; the text goes through extraction.
            match guanxi::source::decode_bytes(&bytes, None) {
                Ok(text) => {
                    let x = extractor().extract(make_document("b".into(), text.clone(), None, None, None));
                    prop_assert_eq!(x.document.text, text);
                }
                Err(why) => prop_assert!(!why.is_empty()),
            }
        }
    }
}
