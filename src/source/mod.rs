//! Reading: files, directories (recursively) and standard input, in plain text,
//! Markdown, HTML, JSON and JSON Lines, into [`Document`]s with their sentences.
//!
//! In: paths. Out: documents, or a [`SourceError`] that names the file (and line).

mod decode;
mod html;
mod markdown;
mod sentences;

pub use decode::{decode as decode_bytes, encoding_for_label};
pub use sentences::{clauses, split_sentences};

use crate::model::Document;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The file could not be opened or read.
    #[error("{path}: {cause}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        cause: std::io::Error,
    },
    /// The bytes are not text in any encoding we know.
    #[error("{path}: not a text file ({reason})")]
    NotText {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// Extraction failed on a document (a bug in guanxi, reported instead of aborting the run).
    #[error("{path}: extraction failed (please report this document)")]
    Extraction {
        /// The document.
        path: String,
    },
    /// The file holds no text (or only markup): nothing to store.
    #[error("{path}: empty, skipped")]
    Empty {
        /// The file.
        path: String,
    },
    /// A `.json` file that is not an array of records.
    #[error("{path}: {message}")]
    NotRecords {
        /// The file.
        path: String,
        /// What was found instead.
        message: String,
    },
    /// A JSON Lines record is malformed.
    #[error("{path}:{line}: {message}")]
    BadRecord {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file on disk.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
    /// A path that does not exist: reading it reports the error, and the run goes on.
    Missing(PathBuf),
}

impl Input {
    /// How the input is named in messages and evidence.
    pub fn name(&self) -> String {
        match self {
            Input::File(p) | Input::Missing(p) => p.to_string_lossy().into_owned(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }
}

/// The file extensions read when walking a directory (a `.json` file is read when named: in a
/// directory it is more often data than articles).
pub const KNOWN_EXTENSIONS: [&str; 6] = ["txt", "md", "markdown", "html", "htm", "jsonl"];

/// How inputs are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Decode every input in this encoding instead of detecting one.
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

/// Expands paths into inputs: directories are walked recursively (files with a
/// known extension, in sorted order), `-` is standard input.
///
/// Each file is named by its canonical path (links and `..` resolved), relative to the working
/// directory when it lies under it: `a.txt`, `./a.txt`, `sub/../a.txt` and the absolute path are
/// one document.
pub fn collect_inputs<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<Input>, SourceError> {
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize).ok();
    let mut out = Vec::new();
    for p in paths {
        let p = p.as_ref();
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if p.is_dir() {
            walk(&canonical(p, cwd.as_deref()), &mut out, cwd.as_deref())?;
        } else if p.exists() {
            out.push(Input::File(canonical(p, cwd.as_deref())));
        } else {
            out.push(Input::Missing(p.to_path_buf()));
        }
    }
    Ok(out)
}

/// The canonical form of an existing path, relative to `cwd` when under it.
pub fn canonical(p: &Path, cwd: Option<&Path>) -> PathBuf {
    let Ok(abs) = std::fs::canonicalize(p) else {
        return p.to_path_buf();
    };
    match cwd.and_then(|c| abs.strip_prefix(c).ok()) {
        Some(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Some(rel) => rel.to_path_buf(),
        None => abs,
    }
}

/// The working directory, canonical (for [`canonical`]).
pub fn working_dir() -> Option<PathBuf> {
    std::env::current_dir().and_then(std::fs::canonicalize).ok()
}

fn walk(dir: &Path, out: &mut Vec<Input>, cwd: Option<&Path>) -> Result<(), SourceError> {
    let io = |e| SourceError::Io {
        path: dir.display().to_string(),
        cause: e,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        // A linked directory may lead back up the tree: only real directories are walked.
        if p.is_dir() && !p.is_symlink() {
            walk(&p, out, cwd)?;
        } else if !p.is_dir() && extension(&p).is_some_and(|e| KNOWN_EXTENSIONS.contains(&e.as_str())) {
            // A linked file is named by what it links to; a dangling link is reported when read.
            let target = if p.is_symlink() { canonical(&p, cwd) } else { p };
            out.push(Input::File(target));
        }
    }
    Ok(())
}

fn extension(p: &Path) -> Option<String> {
    p.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase())
}

/// Reads one input into documents (one, or one per line for JSON Lines). A bad JSON Lines record
/// is an error for the whole input; see [`read_input_lenient`] to keep the good ones.
pub fn read_input(input: &Input) -> Result<Vec<Document>, SourceError> {
    let (docs, mut errors) = read_input_lenient(input)?;
    if errors.is_empty() {
        Ok(docs)
    } else {
        Err(errors.remove(0))
    }
}

/// Reads one input, keeping the good records of a JSON Lines file and giving the errors of the bad
/// ones beside them. An input that cannot be read at all is an error.
pub fn read_input_lenient(input: &Input) -> Result<(Vec<Document>, Vec<SourceError>), SourceError> {
    read_input_with(input, &ReadOptions::default())
}

/// [`read_input_lenient`] with options (a forced encoding).
pub fn read_input_with(input: &Input, opts: &ReadOptions) -> Result<(Vec<Document>, Vec<SourceError>), SourceError> {
    if let Input::Missing(p) = input {
        return Err(SourceError::Io {
            path: p.display().to_string(),
            cause: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
        });
    }
    let name = input.name();
    let bytes = match input {
        Input::File(p) | Input::Missing(p) => std::fs::read(p).map_err(|e| SourceError::Io {
            path: name.clone(),
            cause: e,
        })?,
        Input::Stdin => {
            let mut b = Vec::new();
            std::io::stdin().read_to_end(&mut b).map_err(|e| SourceError::Io {
                path: name.clone(),
                cause: e,
            })?;
            b
        }
    };
    if bytes.is_empty() {
        return Err(SourceError::Empty { path: name });
    }
    let text = decode::decode(&bytes, opts.encoding).map_err(|reason| SourceError::NotText {
        path: name.clone(),
        reason,
    })?;
    let mut record_errors = Vec::new();
    let ext = match input {
        Input::File(p) | Input::Missing(p) => extension(p).unwrap_or_default(),
        Input::Stdin => sniff_kind(&text).to_string(),
    };
    let mut docs = match ext.as_str() {
        "html" | "htm" => {
            let page = html::visible_text(&text);
            vec![make_document(name, page.text, page.title, None, None)]
        }
        "jsonl" => {
            let (docs, errors) = read_jsonl(&name, &text);
            record_errors = errors;
            docs
        }
        "json" => {
            let (docs, errors) = read_json_array(&name, &text)?;
            record_errors = errors;
            docs
        }
        "md" | "markdown" => {
            let page = markdown::prose(&text);
            vec![make_document(name, page.text, page.title, None, None)]
        }
        _ => {
            let title = markdown_title(&text);
            vec![make_document(name, text, title, None, None)]
        }
    };
    if record_errors.is_empty() && docs.iter().all(|d| d.text.trim().is_empty()) {
        return Err(SourceError::Empty { path: input.name() });
    }
    // Each text piped in is its own document, named by its content (a record's own `id` stays).
    if *input == Input::Stdin {
        let stdin = Input::Stdin.name();
        for d in docs.iter_mut().filter(|d| d.source.starts_with(&stdin)) {
            d.source = format!("{}@{}", d.source, &d.id[..12]);
        }
    }
    Ok((docs, record_errors))
}

/// Builds a document from text read elsewhere (an API caller, a stream step).
///
/// ```
/// let d = guanxi::source::make_document("note".into(), "谷歌收购了DeepMind。它很有名。".into(), None, None, None);
/// assert_eq!(d.sentences.len(), 2);
/// assert_eq!(d.id.len(), 64);
/// ```
pub fn make_document(
    source: String,
    text: String,
    title: Option<String>,
    url: Option<String>,
    date: Option<String>,
) -> Document {
    // The id covers what a record says about itself too, so an edited title or date is a change.
    let mut hasher = Sha256::new();
    hasher.update(text.as_bytes());
    for part in [&title, &url, &date] {
        hasher.update([0u8]);
        hasher.update(part.as_deref().unwrap_or("").as_bytes());
    }
    let id = hex(&hasher.finalize());
    let sentences = split_sentences(&text);
    let date = date.or_else(|| find_date(&text));
    Document {
        id,
        source,
        title,
        url,
        date,
        text,
        sentences,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sniff_kind(text: &str) -> &'static str {
    let t = text.trim_start();
    if t.starts_with('<') && (t.contains("</") || t.to_ascii_lowercase().starts_with("<!doctype")) {
        "html"
    } else if t.starts_with('{')
        && t.lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('{'))
    {
        "jsonl"
    } else {
        "txt"
    }
}

fn markdown_title(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .and_then(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
}

/// A date written as `2024-03-20` (or `2024/03/20`, `2024年3月20日`) near the top of the text.
fn find_date(text: &str) -> Option<String> {
    let head: String = text.chars().take(400).collect();
    // Compiled once: compiling it cost more than reading a short document.
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"((?:19|20)\d{2})\s*[-/年]\s*(\d{1,2})\s*[-/月]\s*(\d{1,2})").expect("date pattern")
    });
    let c = DATE.captures(&head)?;
    let (y, m, d) = (&c[1], c[2].parse::<u32>().ok()?, c[3].parse::<u32>().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y}-{m:02}-{d:02}"))
}

#[derive(Deserialize)]
struct Record {
    text: String,
    title: Option<String>,
    url: Option<String>,
    date: Option<String>,
    /// The record's own identity, when it has one (a string or a number): its document's name.
    id: Option<serde_json::Value>,
}

impl Record {
    /// The record's name inside its file: its `id`, else its `url`, else its line (or position),
    /// so that an edited or moved record stays the same document.
    fn key(&self, position: usize) -> String {
        match (&self.id, &self.url) {
            (Some(serde_json::Value::String(s)), _) if !s.is_empty() => format!("id={s}"),
            (Some(v @ serde_json::Value::Number(_)), _) => format!("id={v}"),
            (_, Some(u)) if !u.trim().is_empty() => format!("url={}", u.trim()),
            _ => position.to_string(),
        }
    }

    /// Checks the record and makes its document, or says what is wrong.
    fn into_document(self, name: &str, position: usize) -> Result<Document, String> {
        if self.text.trim().is_empty() {
            return Err("`text` is empty".into());
        }
        let date = match self.date.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => Some(crate::dates::parse_date(d).map_err(|e| format!("`date`: {e}"))?),
        };
        // An `id` names the record wherever it travels (another file, a shard, a stream).
        let source = match &self.id {
            Some(serde_json::Value::String(id)) if !id.trim().is_empty() => id.clone(),
            Some(v @ serde_json::Value::Number(_)) => v.to_string(),
            _ => format!("{name}#{}", self.key(position)),
        };
        Ok(make_document(source, self.text, self.title, self.url, date))
    }
}

/// The sources of a file's records start with this.
pub fn record_prefix(name: &str) -> String {
    format!("{name}#")
}

/// True for files whose records are documents of their own (JSON Lines, JSON arrays).
pub fn holds_records(input: &Input) -> bool {
    match input {
        Input::File(p) => matches!(extension(p).as_deref(), Some("jsonl" | "json")),
        _ => false,
    }
}

/// A `.json` file: an array of records, each like a JSON Lines record.
fn read_json_array(name: &str, text: &str) -> Result<(Vec<Document>, Vec<SourceError>), SourceError> {
    let refuse = |message: String| SourceError::NotRecords {
        path: name.to_string(),
        message,
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| refuse(format!("not valid JSON: {e}")))?;
    let serde_json::Value::Array(items) = value else {
        let found = match value {
            serde_json::Value::Object(_) => "an object",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Number(_) => "a number",
            _ => "something else",
        };
        return Err(refuse(format!(
            "a .json file must be an array of records with a `text` field, this is {found} (one record per line: use .jsonl)"
        )));
    };
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        // Records are counted from 1, as lines are.
        let bad = |message: String| SourceError::BadRecord {
            path: format!("{name} record"),
            line: i + 1,
            message,
        };
        match serde_json::from_value::<Record>(item) {
            Ok(rec) => match rec.into_document(name, i + 1) {
                Ok(d) => docs.push(d),
                Err(m) => errors.push(bad(m)),
            },
            Err(e) => errors.push(bad(format!("not a record with a `text` field: {e}"))),
        }
    }
    Ok((docs, errors))
}

/// The records of a JSON Lines file, and the errors of the lines that are not records.
fn read_jsonl(name: &str, text: &str) -> (Vec<Document>, Vec<SourceError>) {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        match record_line(name, i + 1, line) {
            Some(Ok(d)) => docs.push(d),
            Some(Err(e)) => errors.push(e),
            None => {}
        }
    }
    (docs, errors)
}

/// One line of a JSON Lines file: a document, an error naming the line, or nothing (a blank line).
fn record_line(name: &str, line_no: usize, line: &str) -> Option<Result<Document, SourceError>> {
    if line.trim().is_empty() {
        return None;
    }
    let bad = |message: String| SourceError::BadRecord {
        path: name.to_string(),
        line: line_no,
        message,
    };
    let rec: Record = match serde_json::from_str(line) {
        Ok(r) => r,
        Err(e) => {
            // serde's own position counts within the line; ours names the line.
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            return Some(Err(bad(format!("not a JSON record with a `text` field: {msg}"))));
        }
    };
    Some(rec.into_document(name, line_no).map_err(bad))
}

/// One line of a JSON Lines input (`text` required; `id`, `title`, `url`, `date` optional) as a
/// document, `None` for a blank line. `line` is 1-based and names the record in errors.
///
/// A record with an `id` is named by it alone, so that it keeps its name whichever file, shard
/// or stream it travels in; otherwise `NAME#url=URL` or `NAME#LINE`.
///
/// ```
/// let d = guanxi::source::parse_record("a.jsonl", 3, r#"{"id":"news/1","text":"谷歌收购了DeepMind。"}"#)
///     .unwrap()
///     .unwrap();
/// assert_eq!(d.source, "news/1");
/// let e = guanxi::source::parse_record("a.jsonl", 4, r#"{"title":"no text"}"#).unwrap_err();
/// assert!(e.to_string().starts_with("a.jsonl:4:"));
/// ```
pub fn parse_record(name: &str, line: usize, text: &str) -> Result<Option<Document>, SourceError> {
    record_line(name, line, text).transpose()
}

/// True for a JSON Lines file that can be read as a stream, line by line: UTF-8 (JSON's own
/// encoding), neither forced to another encoding nor UTF-16.
pub fn streams(input: &Input, opts: &ReadOptions) -> bool {
    let Input::File(p) = input else { return false };
    if extension(p).as_deref() != Some("jsonl") || opts.encoding.is_some_and(|e| e != encoding_rs::UTF_8) {
        return false;
    }
    let mut head = [0u8; 4096];
    let n = std::fs::File::open(p).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    let head = &head[..n];
    !head.contains(&0) && !head.starts_with(&[0xff, 0xfe]) && !head.starts_with(&[0xfe, 0xff])
}

/// Reads a JSON Lines file record by record, giving `each` the documents and errors of `chunk`
/// lines at a time (memory stays one chunk); stops early when `each` says false. A line that is
/// not UTF-8 is an error on that line.
pub fn read_jsonl_stream(
    input: &Input,
    chunk: usize,
    mut each: impl FnMut(Vec<Document>, Vec<SourceError>) -> bool,
) -> Result<(), SourceError> {
    use std::io::BufRead;
    let name = input.name();
    let Input::File(p) = input else {
        return Err(SourceError::Io {
            path: name,
            cause: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file"),
        });
    };
    let io = |e| SourceError::Io {
        path: name.clone(),
        cause: e,
    };
    let mut reader = std::io::BufReader::new(std::fs::File::open(p).map_err(io)?);
    let (mut docs, mut errors) = (Vec::new(), Vec::new());
    let mut buf = Vec::new();
    let mut line_no = 0;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf).map_err(io)? == 0 {
            break;
        }
        line_no += 1;
        let bytes = if line_no == 1 {
            buf.strip_prefix(&[0xef, 0xbb, 0xbf][..]).unwrap_or(&buf)
        } else {
            &buf[..]
        };
        match std::str::from_utf8(bytes) {
            Ok(line) => match record_line(&name, line_no, line.trim_end_matches(['\n', '\r'])) {
                Some(Ok(d)) => docs.push(d),
                Some(Err(e)) => errors.push(e),
                None => continue,
            },
            Err(_) => errors.push(SourceError::BadRecord {
                path: name.clone(),
                line: line_no,
                message: "not UTF-8 (JSON Lines are UTF-8)".into(),
            }),
        }
        if docs.len() + errors.len() >= chunk && !each(std::mem::take(&mut docs), std::mem::take(&mut errors)) {
            return Ok(());
        }
    }
    if !docs.is_empty() || !errors.is_empty() {
        each(docs, errors);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_named_by_id_then_url_then_line() {
        let (docs, errors) = read_jsonl(
            "a.jsonl",
            "{\"id\":\"x1\",\"text\":\"好\"}\n{\"id\":7,\"text\":\"好\"}\n{\"url\":\"https://e.com/a\",\"text\":\"好\"}\n{\"text\":\"好\"}\n",
        );
        assert!(errors.is_empty());
        let names: Vec<&str> = docs.iter().map(|d| d.source.as_str()).collect();
        assert_eq!(
            names,
            // A record's own id names it alone, whatever file carries it.
            ["x1", "7", "a.jsonl#url=https://e.com/a", "a.jsonl#4"]
        );
    }

    #[test]
    fn a_bad_date_is_an_error_on_its_line() {
        let (docs, errors) = read_jsonl(
            "a.jsonl",
            "{\"text\":\"好\",\"date\":\"2024/3/5\"}\n{\"text\":\"好\",\"date\":\"not-a-date\"}\n",
        );
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].date.as_deref(), Some("2024-03-05"));
        let e = errors[0].to_string();
        assert!(
            e.starts_with("a.jsonl:2:") && e.contains("not-a-date") && e.contains("YYYY-MM-DD"),
            "{e}"
        );
    }

    #[test]
    fn a_json_file_is_an_array_of_records_or_refused() {
        let (docs, errors) = read_json_array("a.json", r#"[{"text":"谷歌收购了DeepMind。"},{"title":"x"}]"#).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].source, "a.json#1");
        assert!(errors[0].to_string().starts_with("a.json record:2:"), "{}", errors[0]);
        let e = read_json_array("b.json", r#"{"text":"谷歌"}"#).unwrap_err().to_string();
        assert!(e.starts_with("b.json:") && e.contains("an object"), "{e}");
        let e = read_json_array("c.json", "Meta acquires").unwrap_err().to_string();
        assert!(e.contains("not valid JSON"), "{e}");
    }

    #[test]
    fn jsonl_errors_name_the_line() {
        let (docs, errors) = read_jsonl("a.jsonl", "{\"text\":\"好\"}\n{\"title\":\"x\"}\n");
        assert_eq!(docs.len(), 1);
        assert!(errors[0].to_string().starts_with("a.jsonl:2:"), "{}", errors[0]);
    }

    #[test]
    fn dates_are_found_near_the_top() {
        assert_eq!(
            find_date("标题\n2023-03-17 10:52:00\n正文").as_deref(),
            Some("2023-03-17")
        );
        assert_eq!(find_date("时间:2025年7月14日").as_deref(), Some("2025-07-14"));
        assert_eq!(find_date("没有日期"), None);
    }
}
