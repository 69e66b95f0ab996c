//! Many jobs give what one job gives, and a run without a terminal prints only its summary.

mod common;

use common::{guanxi, ok, root, tmp};
use std::path::Path;
use std::process::Output;

/// A corpus of 60 documents (more than the workers' window ahead of the writer): each example
/// article under several names, with a line of our own that makes every copy a new document, and
/// one file that is not text.
fn corpus(dir: &Path) {
    let articles = root().join("examples/articles");
    let mut names: Vec<_> = std::fs::read_dir(&articles)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    names.sort();
    for i in 0..60 {
        let src = &names[i % names.len()];
        let ext = src.extension().unwrap().to_str().unwrap();
        let text = std::fs::read_to_string(src).unwrap();
        let text = if ext == "html" {
            text.replace("</body>", &format!("<p>第{i}份副本。</p></body>"))
        } else {
            format!("{text}\n第{i}份副本。\n")
        };
        std::fs::write(dir.join(format!("{i:03}.{ext}")), text).unwrap();
    }
    std::fs::write(dir.join("030-broken.txt"), [0u8, 159, 146, 150, 0, 0, 1, 2]).unwrap();
}

fn guanxi_run(args: &[&str]) -> Output {
    guanxi().args(args).output().expect("guanxi runs")
}

#[test]
fn extract_with_many_jobs_prints_what_one_job_prints() {
    let dir = tmp();
    corpus(dir.path());
    let d = dir.path().to_str().unwrap();
    let one = guanxi_run(&["extract", d, "--format", "json", "--jobs", "1"]);
    let three = guanxi_run(&["extract", d, "--format", "json", "--jobs", "3"]);
    // The broken file is reported and the run goes on, in both.
    assert_eq!(one.status.code(), Some(2));
    assert_eq!(three.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&three.stderr).contains("030-broken.txt"));
    assert!(one.stdout.len() > 10_000, "{}", String::from_utf8_lossy(&one.stdout));
    assert!(
        one.stdout == three.stdout,
        "the graph JSON differs between 1 and 3 jobs"
    );
}

#[test]
fn ingest_with_many_jobs_stores_what_one_job_stores() {
    let dir = tmp();
    let corpus_dir = dir.path().join("corpus");
    std::fs::create_dir(&corpus_dir).unwrap();
    corpus(&corpus_dir);
    let d = corpus_dir.to_str().unwrap();
    let (db1, db3) = (dir.path().join("one.db"), dir.path().join("three.db"));
    for (db, jobs) in [(&db1, "1"), (&db3, "3")] {
        let out = guanxi()
            .args(["ingest", d, "--jobs", jobs, "--db"])
            .arg(db)
            .output()
            .unwrap();
        // The file that is not text is skipped with a warning: exit code 3.
        assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("60 new"));
    }
    // The same graph, the same counts, and the same rows in the same order (ids included).
    for args in [&["export", "json"][..], &["stats", "--format", "json"]] {
        assert_eq!(ok(args, &db1), ok(args, &db3), "{args:?}");
    }
    let rows = |db: &Path| -> Vec<String> {
        let conn = rusqlite::Connection::open(db).unwrap();
        let mut st = conn
            .prepare(
                "SELECT d.source || '|' || m.entity_id || '|' || m.start || '|' || m.surface
                 FROM mentions m JOIN documents d ON d.id = m.document_id ORDER BY m.id",
            )
            .unwrap();
        st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let (a, b) = (rows(&db1), rows(&db3));
    assert!(a.len() > 500, "{}", a.len());
    assert!(a == b, "mention rows differ between 1 and 3 jobs");
}

#[test]
fn without_a_terminal_or_with_quiet_only_the_summary_is_printed() {
    let dir = tmp();
    let corpus_dir = dir.path().join("corpus");
    std::fs::create_dir(&corpus_dir).unwrap();
    corpus(&corpus_dir);
    std::fs::remove_file(corpus_dir.join("030-broken.txt")).unwrap();
    let d = corpus_dir.to_str().unwrap();
    let db = dir.path().join("g.db");
    for quiet in [true, false] {
        let mut c = guanxi();
        c.args(["ingest", d, "--db"]).arg(&db);
        if quiet {
            c.arg("--quiet");
        }
        let out = c.output().unwrap();
        assert!(out.status.success());
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "quiet: {quiet}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 2, "{stdout}");
        assert!(lines[0].starts_with("documents: "), "{stdout}");
        assert!(lines[1].starts_with("entities: "), "{stdout}");
    }
    let out = guanxi_run(&["extract", d, "--quiet"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    // A warning is no progress: it is still reported (a file skipped as not text, exit code 3).
    std::fs::write(corpus_dir.join("zz-broken.txt"), [0u8, 159, 146, 150, 0, 0]).unwrap();
    let out = guanxi()
        .args(["ingest", d, "--quiet", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("zz-broken.txt"), "{stderr}");
    // An error as well, and it makes the exit code 2; a streamed file of records shows no progress.
    std::fs::write(
        corpus_dir.join("zz-records.jsonl"),
        "{\"text\":\"谷歌收购了DeepMind。\"}\nnot json\n",
    )
    .unwrap();
    let out = guanxi()
        .args(["ingest", d, "--quiet", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    assert!(stderr.contains("zz-records.jsonl:2"), "{stderr}");
}
