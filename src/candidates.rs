//! The candidate queue: name-like strings that matched nothing, most frequent first,
//! so a user sees what to add to the lexicon next.

use crate::model::Document;
use crate::pipeline::Extractor;
use regex::Regex;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::LazyLock;

static LATIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*(?:\s[A-Z][A-Za-z0-9]+){0,2}\b").unwrap());
static TITLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"《([^《》\n]{1,40})》").unwrap());

/// A string that looks like a name and matched nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// The string.
    pub text: String,
    /// What it looks like: `latin name`, `title`, `chinese name`, `organisation`.
    pub kind: String,
    /// How often it was seen.
    pub count: usize,
    /// One sentence it was seen in.
    pub example: String,
}

/// Candidates seen at least `min_count` times in `docs`.
pub fn find(ex: &Extractor, docs: &[Document], min_count: usize) -> Vec<Candidate> {
    let mut seen: HashMap<String, Candidate> = HashMap::new();
    for d in docs {
        let x = ex.extract(d.clone());
        let covered = |s: usize, e: usize| x.mentions.iter().any(|(_, m)| m.start < e && s < m.end);
        let sentence_at = |pos: usize| {
            d.sentences
                .iter()
                .find(|s| s.start <= pos && pos < s.end)
                .map(|s| d.sentence_text(s).to_string())
                .unwrap_or_default()
        };
        let mut add = |text: &str, kind: &str, pos: usize| {
            let c = seen.entry(text.to_string()).or_insert_with(|| Candidate {
                text: text.to_string(),
                kind: kind.to_string(),
                count: 0,
                example: sentence_at(pos),
            });
            c.count += 1;
        };
        for m in LATIN.find_iter(&d.text) {
            let t = m.as_str();
            let sentence_start = d.text[..m.start()].trim_end().ends_with(['.', '!', '?', '\n']) || m.start() == 0;
            if t.len() >= 3
                && !covered(m.start(), m.end())
                && !(sentence_start && !t.contains(' ') && t.chars().skip(1).all(|c| c.is_lowercase()))
            {
                add(t, "latin name", m.start());
            }
        }
        for c in TITLE.captures_iter(&d.text) {
            let g = c.get(1).unwrap();
            if !covered(g.start(), g.end()) {
                add(g.as_str(), "title", g.start());
            }
        }
        for w in ex.recognizer().words(&d.text) {
            let t = &d.text[w.start..w.end];
            let kind = match w.tag.as_str() {
                "nr" | "nrfg" | "nrt" => "chinese name",
                "nt" => "organisation",
                "nz" => "proper noun",
                _ => continue,
            };
            if t.chars().count() >= 2 && !covered(w.start, w.end) {
                add(t, kind, w.start);
            }
        }
    }
    let mut out: Vec<Candidate> = seen.into_values().filter(|c| c.count >= min_count).collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.text.cmp(&b.text)));
    out
}
