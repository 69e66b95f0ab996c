//! What the integration tests share: running the real binary and reading its output.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The crate's root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, run from the crate root (so that evidence `doc` paths are the relative
/// `examples/articles/…` on every machine) and without the user's extra lexicons.
pub fn guanxi() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_guanxi"));
    c.current_dir(root()).env_remove("GUANXI_LEXICON");
    c
}

/// Runs `guanxi ARGS --db DB`.
pub fn run(args: &[&str], db: &Path) -> Output {
    guanxi().args(args).arg("--db").arg(db).output().expect("guanxi runs")
}

/// Runs `guanxi ARGS --db DB`, which must succeed, and gives its standard output.
pub fn ok(args: &[&str], db: &Path) -> String {
    let out = run(args, db);
    assert!(
        out.status.success(),
        "guanxi {args:?} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// A temporary directory, removed when dropped.
pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Parses JSON output.
pub fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).expect("valid JSON")
}

/// True when Graphviz's `dot` runs.
pub fn dot_installed() -> bool {
    Command::new("dot").arg("-V").output().is_ok_and(|o| o.status.success())
}
