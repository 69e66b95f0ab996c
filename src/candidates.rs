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

/// What [`find`] found: the candidates, and the sources of the documents whose extraction failed.
#[derive(Debug, Default)]
pub struct Found {
    /// Candidates seen at least `min_count` times, strongest first.
    pub candidates: Vec<Candidate>,
    /// The documents left out because extracting them failed (a bug, reported, not a crash).
    pub failed: Vec<String>,
}

/// One sighting in a document: the string, what it looks like, where, and the context's strength.
type Sighting<'d> = (&'d str, &'static str, usize, usize);

/// Candidates seen at least `min_count` times in `docs`.
///
/// Documents are extracted a group at a time, so memory holds one group's extractions. A document
/// whose extraction or reading panics is left out and named in [`Found::failed`]; the others
/// still count.
pub fn find(ex: &Extractor, docs: &[Document], min_count: usize) -> Found {
    let mut seen: HashMap<String, Candidate> = HashMap::new();
    let mut failed = Vec::new();
    for chunk in docs.chunks(crate::stage::GROUP_DOCS) {
        for (d, x) in chunk.iter().zip(ex.extract_many(chunk.to_vec())) {
            let x = x.ok();
            let sightings = x
                .as_ref()
                .and_then(|x| std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sightings(ex, d, x))).ok());
            let Some(sightings) = sightings else {
                failed.push(d.source.clone());
                continue;
            };
            // In the order seen: a string keeps its first example, and its first kind unless a
            // typed context comes later.
            for (text, kind, pos, strength) in sightings {
                let c = seen.entry(text.to_string()).or_insert_with(|| Candidate {
                    text: text.to_string(),
                    kind: kind.to_string(),
                    count: 0,
                    score: 0,
                    example: sentence_at(d, pos),
                });
                c.count += 1;
                c.score += strength;
                // A typed context outranks a guess from the string's shape.
                if strength >= 3 && c.kind != kind {
                    c.kind = kind.to_string();
                }
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
    Found {
        candidates: out,
        failed,
    }
}

/// The sentence of `d` around byte `pos` (the example of a candidate).
fn sentence_at(d: &Document, pos: usize) -> String {
    d.sentences
        .iter()
        .find(|s| s.start <= pos && pos < s.end)
        .map(|s| d.sentence_text(s).to_string())
        .unwrap_or_default()
}

/// What one document shows, in the order of the passes below.
fn sightings<'d>(ex: &Extractor, d: &'d Document, x: &'d crate::model::Extraction) -> Vec<Sighting<'d>> {
    let mut out: Vec<Sighting> = Vec::new();
    let covered = |s: usize, e: usize| x.mentions.iter().any(|(_, m)| m.start < e && s < m.end);
    // Names typed from their context that the lexicon does not hold.
    let lexicon = ex.recognizer().lexicon();
    for (_, m) in &x.mentions {
        if matches!(m.source, MentionSource::Pattern | MentionSource::ShortForm)
            && m.etype.is_core()
            && m.etype != crate::model::EntityType::Event
            && lexicon.lookup(&m.canonical).is_empty()
        {
            out.push((&m.canonical, m.etype.as_str(), m.start, 3));
        }
    }
    for m in LATIN.find_iter(&d.text) {
        let t = m.as_str();
        let sentence_start = d.text[..m.start()].trim_end().ends_with(['.', '!', '?', '\n']) || m.start() == 0;
        if t.len() >= 3
            && !covered(m.start(), m.end())
            && !(sentence_start && !t.contains(' ') && t.chars().skip(1).all(|c| c.is_lowercase()))
        {
            out.push((t, "latin name", m.start(), 1));
        }
    }
    for c in TITLE.captures_iter(&d.text) {
        let g = c.get(1).unwrap();
        if !covered(g.start(), g.end()) {
            out.push((g.as_str(), "title", g.start(), 2));
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
            out.push((t, kind, w.start, 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(source: &str, text: &str) -> Document {
        crate::source::make_document(source.into(), text.into(), None, None, None)
    }

    #[test]
    fn a_name_typed_by_its_context_is_a_strong_candidate() {
        let ex = Extractor::embedded().unwrap();
        let docs = [
            doc("a.txt", "初创公司Zorbalite完成了新一轮融资。"),
            doc("b.txt", "Investors backed Zorbalite last week."),
        ];
        let found = find(&ex, &docs, 1);
        assert!(found.failed.is_empty());
        let c = found
            .candidates
            .iter()
            .find(|c| c.text == "Zorbalite")
            .expect("Zorbalite is a candidate");
        // Typed by its context in the first, a bare capitalised word in the second.
        assert_eq!((c.count, c.score, c.kind.as_str()), (2, 4, "company"), "{c:?}");
        assert_eq!(c.example, "初创公司Zorbalite完成了新一轮融资。");
    }

    #[test]
    fn documents_that_fail_are_named_and_nothing_crashes() {
        let ex = Extractor::failing();
        let docs = [
            doc("a.txt", "初创公司Zorbalite完成了新一轮融资。"),
            doc("b.txt", "谷歌收购了DeepMind。"),
        ];
        let found = find(&ex, &docs, 1);
        assert_eq!(found.failed, ["a.txt", "b.txt"]);
        assert!(found.candidates.is_empty());
    }
}
