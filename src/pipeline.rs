//! Drives the text stages for one document: mentions → entities → relations.
//!
//! An [`Extractor`] is built once (lexicon, segmenter, rules) and holds no
//! per-document state, so documents can be extracted in any order or in parallel.

use crate::lexicon::{Lexicon, LexiconError};
use crate::mention::{PatternConfig, Recognizer};
use crate::model::{Document, Extraction};
use crate::relation::{RuleError, RuleSet};
use std::path::Path;

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
    recognizer: Recognizer,
    rules: RuleSet,
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
        for dir in dirs {
            let dir = dir.as_ref();
            if !dir.is_dir() {
                return Err(ConfigError::Other(format!("{}: not a directory", dir.display())));
            }
            lexicon.load_dir(dir)?;
            let read =
                |p: &Path| std::fs::read_to_string(p).map_err(|e| ConfigError::Other(format!("{}: {e}", p.display())));
            let pf = dir.join("patterns.toml");
            if pf.exists() {
                patterns
                    .extend(PatternConfig::parse(&read(&pf)?, &pf.display().to_string()).map_err(ConfigError::Other)?);
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
            recognizer: Recognizer::new(lexicon, patterns),
            rules,
        })
    }

    /// The lexicon in use.
    pub fn lexicon(&self) -> &Lexicon {
        self.recognizer.lexicon()
    }

    /// The recogniser (for tools that look at mentions, such as the candidate queue).
    pub fn recognizer(&self) -> &Recognizer {
        &self.recognizer
    }

    /// Extracts entities and relations from one document.
    pub fn extract(&self, document: Document) -> Extraction {
        let mentions = self.recognizer.recognise(&document);
        let (mut entities, mut mentions) = crate::resolve::resolve(mentions);
        let relations = crate::relation::extract(&document, &mut entities, &mut mentions, &self.rules, self.lexicon());
        Extraction {
            document,
            entities,
            mentions,
            relations,
        }
    }
}
