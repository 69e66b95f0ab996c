//! The candidate queue: names the lexicon lacks, strongest context first, so a user sees what
//! to add to the lexicon next.
//!
//! A name the extractor typed from its context (`初创公司X`, `X, a start-up`, `chief executive X`)
//! is a real name the lexicon only lacks: it scores three per mention. A quoted or 《》 title
//! scores two, and a capitalised or name-tagged string that nothing typed scores one.

use crate::model::{Document, MentionSource};
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
    /// What it looks like: an entity type typed from context (`company`, `person`, …), else
    /// `latin name`, `title`, `chinese name`, `organisation` or `proper noun`.
    pub kind: String,
    /// How often it was seen.
    pub count: usize,
    /// The strength of its contexts, summed over its mentions: the ranking key.
    pub score: usize,
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
        let mut add = |text: &str, kind: &str, pos: usize, strength: usize| {
            let c = seen.entry(text.to_string()).or_insert_with(|| Candidate {
                text: text.to_string(),
                kind: kind.to_string(),
                count: 0,
                score: 0,
                example: sentence_at(pos),
            });
            c.count += 1;
            c.score += strength;
            // A typed context outranks a guess from the string's shape.
            if strength >= 3 && c.kind != kind {
                c.kind = kind.to_string();
            }
        };
        // Names typed from their context that the lexicon does not hold.
        let lexicon = ex.recognizer().lexicon();
        for (_, m) in &x.mentions {
            if matches!(m.source, MentionSource::Pattern | MentionSource::ShortForm)
                && m.etype.is_core()
                && m.etype != crate::model::EntityType::Event
                && lexicon.lookup(&m.canonical).is_empty()
            {
                add(&m.canonical, m.etype.as_str(), m.start, 3);
            }
        }
        for m in LATIN.find_iter(&d.text) {
            let t = m.as_str();
            let sentence_start = d.text[..m.start()].trim_end().ends_with(['.', '!', '?', '\n']) || m.start() == 0;
            if t.len() >= 3
                && !covered(m.start(), m.end())
                && !(sentence_start && !t.contains(' ') && t.chars().skip(1).all(|c| c.is_lowercase()))
            {
                add(t, "latin name", m.start(), 1);
            }
        }
        for c in TITLE.captures_iter(&d.text) {
            let g = c.get(1).unwrap();
            if !covered(g.start(), g.end()) {
                add(g.as_str(), "title", g.start(), 2);
            }
        }
        for w in ex.recognizer().words(&d.text) {
            let t = &d.text[w.start..w.end];
            let kind = match w.tag {
                "nr" | "nrfg" | "nrt" => "chinese name",
                "nt" => "organisation",
                "nz" => "proper noun",
                _ => continue,
            };
            if t.chars().count() >= 2 && !covered(w.start, w.end) {
                add(t, kind, w.start, 1);
            }
        }
    }
    let mut out: Vec<Candidate> = seen.into_values().filter(|c| c.count >= min_count).collect();
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.count.cmp(&a.count))
            .then(a.text.cmp(&b.text))
    });
    out
}
