//! Drives the text stages for one document: mentions → entities → relations.
//!
//! An [`Extractor`] is built once (lexicon, segmenter, rules) and holds no
//! per-document state, so documents can be extracted in any order or in parallel.

use crate::lexicon::{Lexicon, LexiconError};
use crate::mention::{PatternConfig, Recognizer};
use crate::model::{Document, Extraction, Mention};
use crate::relation::{RuleError, RuleSet};
use crate::stage::Staged;
use std::path::Path;
use std::sync::LazyLock;

/// Why the extractor could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A bad lexicon file.
    #[error(transparent)]
    Lexicon(#[from] LexiconError),
    /// A bad rules file.
    #[error(transparent)]
    Rules(#[from] RuleError),
    /// A bad pattern file, or an unreadable file.
    #[error("{0}")]
    Other(String),
}

/// The text stages, ready to run.
pub struct Extractor {
    /// Built on first use: building it (jieba's dictionary with the lexicon's names) is most of a
    /// run's start-up, which a run that finds every document stored already need not pay.
    recognizer: LazyLock<Recognizer, Box<dyn FnOnce() -> Recognizer + Send>>,
    rules: RuleSet,
    fingerprint: String,
}

/// Hashes what decides an extraction: guanxi's version and every lexicon and rule text in use.
struct Fingerprint(sha2::Sha256);

impl Fingerprint {
    fn new() -> Self {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        for (name, text) in crate::lexicon::EMBEDDED {
            Self::part(&mut h, name, text);
        }
        Self::part(&mut h, "patterns", crate::mention::EMBEDDED_PATTERNS);
        Self::part(&mut h, "relations", crate::relation::EMBEDDED_RULES);
        Self::part(&mut h, "events", crate::relation::EMBEDDED_EVENTS);
        Fingerprint(h)
    }

    fn part(h: &mut sha2::Sha256, name: &str, text: &str) {
        use sha2::Digest;
        // Lengths first, so that no two sets of files hash alike by moving text between them.
        h.update((name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update((text.len() as u64).to_le_bytes());
        h.update(text.as_bytes());
    }

    fn add(&mut self, name: &str, text: &str) {
        Self::part(&mut self.0, name, text);
    }

    fn finish(self) -> String {
        use sha2::Digest;
        let digest = self.0.finalize();
        let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        format!("{}+{hex}", env!("CARGO_PKG_VERSION"))
    }
}

impl Extractor {
    /// The extractor with the embedded lexicon and rules.
    pub fn embedded() -> Result<Self, ConfigError> {
        Self::with_extensions::<&Path>(&[])
    }

    /// The embedded lexicon and rules, extended by user directories: every `*.tsv` is a lexicon
    /// file, `patterns.toml` extends the name patterns, `relations.toml` adds relation rules and `events.toml`
    /// event classes and frames.
    pub fn with_extensions<P: AsRef<Path>>(dirs: &[P]) -> Result<Self, ConfigError> {
        let mut lexicon = Lexicon::embedded()?;
        let mut patterns = PatternConfig::embedded();
        let mut rules = RuleSet::embedded();
        let mut fingerprint = Fingerprint::new();
        for dir in dirs {
            let dir = dir.as_ref();
            if !dir.is_dir() {
                return Err(ConfigError::Other(format!("{}: not a directory", dir.display())));
            }
            lexicon.load_dir(dir)?;
            let read =
                |p: &Path| std::fs::read_to_string(p).map_err(|e| ConfigError::Other(format!("{}: {e}", p.display())));
            // Every file read counts in the fingerprint, by name within its directory and content.
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .map_err(|e| ConfigError::Other(format!("{}: {e}", dir.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|e| e == "tsv")
                        || ["patterns.toml", "relations.toml", "events.toml"]
                            .iter()
                            .any(|n| p.file_name().is_some_and(|f| f == *n))
                })
                .collect();
            files.sort();
            for f in files {
                let name = f
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                fingerprint.add(&name, &read(&f)?);
            }
            let pf = dir.join("patterns.toml");
            if pf.exists() {
                patterns
                    .extend(PatternConfig::parse(&read(&pf)?, &pf.display().to_string()).map_err(ConfigError::Other)?);
                // Built once here (a few milliseconds) so that lists too long for an expression are
                // this file's error now, not a failure of every document later.
                patterns
                    .check()
                    .map_err(|e| ConfigError::Other(format!("{}: {e}", pf.display())))?;
            }
            for file in ["relations.toml", "events.toml"] {
                let rf = dir.join(file);
                if rf.exists() {
                    rules.extend(RuleSet::parse(&read(&rf)?, &rf.display().to_string())?);
                }
            }
        }
        rules.check()?;
        Ok(Extractor {
            recognizer: LazyLock::new(Box::new(move || Recognizer::new(lexicon, patterns))),
            rules,
            fingerprint: fingerprint.finish(),
        })
    }

    /// What decides this extractor's output: guanxi's version and a hash of the lexicon and rule
    /// texts in use (`0.1.0+1a2b3c4d5e6f7a8b`). A stored document extracted under another one is
    /// extracted again by `ingest`.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The lexicon in use.
    pub fn lexicon(&self) -> &Lexicon {
        self.recognizer().lexicon()
    }

    /// An extractor whose recogniser panics when it is built: how a bug in recognition shows, for
    /// the tests of what callers do with documents that fail.
    #[cfg(test)]
    pub(crate) fn failing() -> Self {
        let mut ex = Self::embedded().expect("embedded extractor");
        ex.recognizer = LazyLock::new(Box::new(|| panic!("a recogniser that cannot be built")));
        ex
    }

    /// Whether the recogniser has been built yet.
    #[cfg(test)]
    pub(crate) fn recognizer_built(&self) -> bool {
        LazyLock::get(&self.recognizer).is_some()
    }

    /// The recogniser (for tools that look at mentions, such as the candidate queue).
    pub fn recognizer(&self) -> &Recognizer {
        // Built once: the other threads that ask meanwhile wait for it.
        &self.recognizer
    }

    /// Extracts entities and relations from one document.
    ///
    /// Traditional Chinese is read through its simplified form (see [`crate::script`]); the
    /// document keeps its own text, and mentions and evidence their own words, at the same offsets.
    pub fn extract(&self, document: Document) -> Extraction {
        match self.extract_many(vec![document]).pop() {
            Some(Ok(x)) => x,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => unreachable!("one extraction for one document"),
        }
    }

    /// Extracts many documents, each as [`Extractor::extract`] does, a stage at a time (see
    /// [`crate::stage`]): every document of a group is segmented before the first is matched
    /// against the lexicon, and so on. Groups hold at most [`crate::stage::GROUP_DOCS`] documents
    /// and [`crate::stage::GROUP_BYTES`] of text. Results come in the documents' order.
    ///
    /// A document whose extraction panics (a bug) gives `Err`; the others are extracted all the
    /// same.
    ///
    /// ```
    /// let ex = guanxi::pipeline::Extractor::embedded().unwrap();
    /// let doc = |s: &str, t: &str| guanxi::source::make_document(s.into(), t.into(), None, None, None);
    /// let xs = ex.extract_many(vec![doc("a", "谷歌收购了DeepMind。"), doc("b", "OpenAI發佈了GPT-4。")]);
    /// assert_eq!(xs[0].as_ref().unwrap(), &ex.extract(doc("a", "谷歌收购了DeepMind。")));
    /// assert_eq!(xs[1].as_ref().unwrap(), &ex.extract(doc("b", "OpenAI發佈了GPT-4。")));
    /// ```
    pub fn extract_many(&self, documents: Vec<Document>) -> Vec<Staged<Extraction>> {
        let runs = crate::stage::runs(&documents, crate::stage::GROUP_DOCS, |d| Some(d.text.len() as u64));
        let mut documents = documents.into_iter();
        runs.into_iter()
            .flat_map(|r| self.extract_group(documents.by_ref().take(r.len()).collect()))
            .collect()
    }

    /// [`Extractor::extract_many`] of one group.
    fn extract_group(&self, documents: Vec<Document>) -> Vec<Staged<Extraction>> {
        // Nothing to extract builds no recogniser: a run that finds every document unchanged
        // never pays for jieba's dictionary.
        if documents.is_empty() {
            return Vec::new();
        }
        // A recogniser that cannot be built (a bad pattern in a user's file) fails every
        // document, as it did one by one, and not the whole run.
        let recognizer = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.recognizer())) {
            Ok(r) => r,
            Err(panic) => {
                let mut out = vec![Err(panic)];
                out.extend((1..documents.len()).map(|_| Err(crate::stage::failed_before())));
                return out;
            }
        };
        let docs = crate::stage::map(documents.into_iter().map(Ok).collect(), simplified);
        // Words and mentions borrow from the documents, which stay put until all are recognised.
        let borrowed = docs
            .iter()
            .map(|d| d.as_ref().map_err(|_| crate::stage::failed_before()))
            .collect();
        let segmented = crate::stage::map(borrowed, |(d, _)| (d, recognizer.words(&d.text)));
        let mentions = recognizer.recognise_many(segmented);
        let docs = docs
            .into_iter()
            .zip(mentions)
            .map(|(d, m)| d.and_then(|d| m.map(|m| (d, m))))
            .collect();
        crate::stage::map(docs, |((document, original), mentions)| {
            self.finish(document, original, mentions)
        })
    }

    /// The last stage: entities and relations from a document's mentions, and the document's own
    /// text back.
    fn finish(&self, mut document: Document, original: Option<String>, mentions: Vec<Mention>) -> Extraction {
        let (mut entities, mut mentions) = crate::resolve::resolve(mentions);
        let mut relations =
            crate::relation::extract(&document, &mut entities, &mut mentions, &self.rules, self.lexicon());
        if let Some(original) = original {
            // The offsets are the same in both texts: words are taken back from the original.
            let back = |s: usize, e: usize, fallback: &str| original.get(s..e).unwrap_or(fallback).to_string();
            for (e, m) in &mut mentions {
                let written = back(m.start, m.end, &m.surface);
                if written != m.surface
                    && let Some(ent) = entities.get_mut(*e)
                {
                    // The alias as written (微軟), beside the lexicon's own (微软).
                    if let Some(a) = ent.aliases.iter_mut().find(|a| **a == m.surface) {
                        *a = written.clone();
                    }
                    ent.aliases.dedup();
                }
                m.surface = written;
            }
            for r in &mut relations {
                if let Some(s) = document.sentences.get(r.evidence.sentence_index) {
                    r.evidence.sentence = back(s.start, s.end, &r.evidence.sentence);
                }
            }
            document.text = original;
        }
        // An extraction waits for its commit with many others: the room its vectors grew into
        // (events are pushed onto the resolved mentions, which were sized exactly) is given back.
        entities.shrink_to_fit();
        mentions.shrink_to_fit();
        relations.shrink_to_fit();
        Extraction {
            document,
            entities,
            mentions,
            relations,
        }
    }
}

/// A document read through its simplified form, with its own text when that differs.
fn simplified(mut document: Document) -> (Document, Option<String>) {
    let original = match crate::script::simplify(&document.text) {
        std::borrow::Cow::Owned(simplified) => Some(std::mem::replace(&mut document.text, simplified)),
        std::borrow::Cow::Borrowed(_) => None,
    };
    (document, original)
}
