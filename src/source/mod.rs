//! Reading: files, directories (recursively) and standard input, in plain text,
//! Markdown, HTML and JSON Lines, into [`Document`]s with their sentences.
//!
//! In: paths. Out: documents, or a [`SourceError`] that names the file (and line).

mod html;
mod sentences;

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

/// The file extensions read when walking a directory.
pub const KNOWN_EXTENSIONS: [&str; 6] = ["txt", "md", "markdown", "html", "htm", "jsonl"];

/// Expands paths into inputs: directories are walked recursively (files with a
/// known extension, in sorted order), `-` is standard input.
pub fn collect_inputs<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<Input>, SourceError> {
    let mut out = Vec::new();
    for p in paths {
        // `./a.txt` and `a.txt` are one document.
        let p: PathBuf = p
            .as_ref()
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect();
        let p = if p.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            p
        };
        let p = p.as_path();
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if p.is_dir() {
            walk(p, &mut out)?;
        } else if p.exists() {
            out.push(Input::File(p.to_path_buf()));
        } else {
            out.push(Input::Missing(p.to_path_buf()));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<Input>) -> Result<(), SourceError> {
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
            walk(&p, out)?;
        } else if extension(&p).is_some_and(|e| KNOWN_EXTENSIONS.contains(&e.as_str())) {
            out.push(Input::File(p));
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
    let text = decode(&bytes).map_err(|reason| SourceError::NotText {
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
        _ => {
            let title = markdown_title(&text);
            vec![make_document(name, text, title, None, None)]
        }
    };
    // Each text piped in is its own document, named by its content.
    if *input == Input::Stdin {
        for d in &mut docs {
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

/// Decodes bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 for older Chinese pages.
fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(format!("invalid {} after its byte-order mark", enc.name()));
        }
        return Ok(text.into_owned());
    }
    if bytes.contains(&0) {
        return Err("contains NUL bytes".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                Err("neither UTF-8 nor GB18030".into())
            } else {
                Ok(text.into_owned())
            }
        }
    }
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
}

/// The records of a JSON Lines file, and the errors of the lines that are not records.
fn read_jsonl(name: &str, text: &str) -> (Vec<Document>, Vec<SourceError>) {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| SourceError::BadRecord {
            path: name.to_string(),
            line: i + 1,
            message,
        };
        let rec: Record = match serde_json::from_str(line) {
            Ok(r) => r,
            Err(e) => {
                // serde's own position counts within the line; ours names the line.
                let msg = e.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                errors.push(bad(format!("not a JSON record with a `text` field: {msg}")));
                continue;
            }
        };
        if rec.text.trim().is_empty() {
            errors.push(bad("`text` is empty".into()));
            continue;
        }
        docs.push(make_document(
            format!("{name}#{}", i + 1),
            rec.text,
            rec.title,
            rec.url,
            rec.date,
        ));
    }
    (docs, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb18030_text_is_decoded() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("百度发布文心一言");
        assert_eq!(decode(&bytes).unwrap(), "百度发布文心一言");
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode(&[0x89, b'P', b'N', b'G', 0, 0, 1]).is_err());
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
