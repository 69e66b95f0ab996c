//! The lexicon: known entities with their aliases in Chinese and English.
//!
//! The files of `data/lexicon/` are embedded in the binary; a user adds more
//! with [`Lexicon::load_dir`] without recompiling. In: TSV rows. Out: entries,
//! and a matcher that finds every alias in a text.

use crate::model::EntityType;
use crate::normalize::{NormText, match_key};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rustc_hash::FxHashMap;
use std::io::BufRead;
use std::path::Path;

/// The lexicon files shipped with guanxi.
pub const EMBEDDED: [(&str, &str); 9] = [
    (
        "data/lexicon/companies.tsv",
        include_str!("../../data/lexicon/companies.tsv"),
    ),
    (
        "data/lexicon/organizations.tsv",
        include_str!("../../data/lexicon/organizations.tsv"),
    ),
    ("data/lexicon/media.tsv", include_str!("../../data/lexicon/media.tsv")),
    ("data/lexicon/places.tsv", include_str!("../../data/lexicon/places.tsv")),
    ("data/lexicon/people.tsv", include_str!("../../data/lexicon/people.tsv")),
    ("data/lexicon/models.tsv", include_str!("../../data/lexicon/models.tsv")),
    ("data/lexicon/books.tsv", include_str!("../../data/lexicon/books.tsv")),
    (
        "data/lexicon/products.tsv",
        include_str!("../../data/lexicon/products.tsv"),
    ),
    ("data/lexicon/events.tsv", include_str!("../../data/lexicon/events.tsv")),
];

/// A bad lexicon file or row.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// A row that does not follow the format.
    #[error("{file}:{line}: {message}")]
    BadRow {
        /// The file.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A file that could not be read.
    #[error("{file}: {cause}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        cause: std::io::Error,
    },
}

/// One known entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexEntry {
    /// Canonical name.
    pub name: String,
    /// Type.
    pub etype: EntityType,
    /// Other surface forms.
    pub aliases: Vec<String>,
    /// For divisions: the parent's canonical name.
    pub parent: Option<String>,
    /// For models and products: the maker's canonical name.
    pub maker: Option<String>,
}

impl LexEntry {
    /// The name and every alias.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// A lexicon name found in a text: original byte span and the entries it may mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexMatch<'l> {
    /// Byte offset in the original text.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// Indices of the entries that have this name (usually one), borrowed from the lexicon.
    pub entries: &'l [usize],
}

/// The set of known entities, with an index by normalised name.
#[derive(Debug, Default)]
pub struct Lexicon {
    entries: Vec<LexEntry>,
    by_key: FxHashMap<String, Vec<usize>>,
    by_name: FxHashMap<(EntityType, String), usize>,
    /// The automaton over every key, with each pattern's entries: a match needs neither a hash
    /// look-up nor a copy.
    matcher: Option<(AhoCorasick, Vec<Vec<usize>>)>,
}

impl Lexicon {
    /// An empty lexicon.
    pub fn new() -> Self {
        Self::default()
    }

    /// The lexicon shipped with guanxi.
    pub fn embedded() -> Result<Self, LexiconError> {
        let mut lex = Lexicon::new();
        for (file, text) in EMBEDDED {
            lex.load_tsv(text.as_bytes(), file)?;
        }
        Ok(lex)
    }

    /// Adds the rows of a TSV reader; `origin` names it in errors.
    ///
    /// ```
    /// let mut lex = guanxi::lexicon::Lexicon::new();
    /// lex.load_tsv("OpenAI\tcompany\tOpen AI\t\t\n".as_bytes(), "mine.tsv").unwrap();
    /// assert_eq!(lex.lookup("open ai")[0].name, "OpenAI");
    /// let err = lex.load_tsv("Foo\tplanet\t\t\t\n".as_bytes(), "bad.tsv").unwrap_err();
    /// assert!(err.to_string().starts_with("bad.tsv:1:"));
    /// ```
    pub fn load_tsv<R: BufRead>(&mut self, reader: R, origin: &str) -> Result<(), LexiconError> {
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| LexiconError::Io {
                file: origin.to_string(),
                cause: e,
            })?;
            let bad = |message: String| LexiconError::BadRow {
                file: origin.to_string(),
                line: i + 1,
                message,
            };
            let trimmed = line.trim_end_matches(['\r', '\n']);
            if trimmed.trim().is_empty() || trimmed.trim_start().starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = trimmed.split('\t').collect();
            // A field cannot hold a line break (it ends the row), and a carriage return or other
            // control character in a name is a file gone wrong, never a name to match.
            if let Some((col, c)) = cols
                .iter()
                .enumerate()
                .find_map(|(i, f)| f.chars().find(|c| c.is_control()).map(|c| (i + 1, c)))
            {
                return Err(bad(format!(
                    "control character U+{:04X} in column {col}: fields cannot hold line breaks or control characters",
                    c as u32
                )));
            }
            if cols.len() < 2 {
                return Err(bad(
                    "expected tab-separated columns: name, type, aliases, parent, maker".into(),
                ));
            }
            let name = cols[0].trim();
            if name.is_empty() {
                return Err(bad("empty name".into()));
            }
            let etype: EntityType = cols[1]
                .parse()
                .map_err(|e: crate::model::UnknownName| bad(e.to_string()))?;
            let mut aliases: Vec<String> = cols
                .get(2)
                .map(|a| {
                    a.split('|')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            let opt = |i: usize| {
                cols.get(i)
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .map(String::from)
            };
            // A Latin book title with a subtitle goes by its main title (`Supremacy`); the full
            // title stays an alias.
            let mut name = name.to_string();
            if etype == EntityType::Book
                && name.is_ascii()
                && let Some((main, _)) = name.clone().split_once(':')
                && main.trim().len() >= 4
            {
                aliases.push(name.clone());
                name = main.trim().to_string();
            }
            self.add(LexEntry {
                name,
                etype,
                aliases,
                parent: opt(3),
                maker: opt(4),
            });
        }
        self.matcher = None;
        Ok(())
    }

    /// Adds every `*.tsv` file of a directory (sorted by name).
    pub fn load_dir(&mut self, dir: &Path) -> Result<(), LexiconError> {
        let io = |e| LexiconError::Io {
            file: dir.display().to_string(),
            cause: e,
        };
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
            .collect();
        files.sort();
        for f in files {
            let file = std::fs::File::open(&f).map_err(|e| LexiconError::Io {
                file: f.display().to_string(),
                cause: e,
            })?;
            self.load_tsv(std::io::BufReader::new(file), &f.display().to_string())?;
        }
        Ok(())
    }

    /// Adds an entry; an entry of the same type and name gains the new aliases instead.
    pub fn add(&mut self, entry: LexEntry) {
        let id = (entry.etype, match_key(&entry.name));
        let idx = match self.by_name.get(&id) {
            Some(&i) => {
                let e = &mut self.entries[i];
                for a in entry.aliases {
                    if !e.aliases.contains(&a) {
                        e.aliases.push(a);
                    }
                }
                e.parent = entry.parent.or(e.parent.take());
                e.maker = entry.maker.or(e.maker.take());
                i
            }
            None => {
                self.entries.push(entry);
                self.by_name.insert(id, self.entries.len() - 1);
                self.entries.len() - 1
            }
        };
        let keys: Vec<String> = self.entries[idx].names().map(match_key).collect();
        for k in keys {
            if k.chars().count() < 2 || k.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            let v = self.by_key.entry(k).or_default();
            if !v.contains(&idx) {
                v.push(idx);
            }
        }
        self.matcher = None;
    }

    /// All entries.
    pub fn entries(&self) -> &[LexEntry] {
        &self.entries
    }

    /// One entry by index.
    pub fn entry(&self, i: usize) -> &LexEntry {
        &self.entries[i]
    }

    /// The entries that have this name or alias.
    pub fn lookup(&self, surface: &str) -> Vec<&LexEntry> {
        self.by_key
            .get(&match_key(surface))
            .map(|v| v.iter().map(|&i| &self.entries[i]).collect())
            .unwrap_or_default()
    }

    /// The entry of this type and canonical name, if any.
    pub fn get(&self, etype: EntityType, name: &str) -> Option<&LexEntry> {
        self.by_name.get(&(etype, match_key(name))).map(|&i| &self.entries[i])
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Builds the matcher (done once; later calls are free until the lexicon changes).
    pub fn prepare(&mut self) {
        if self.matcher.is_some() {
            return;
        }
        let mut keys: Vec<String> = self.by_key.keys().cloned().collect();
        keys.sort();
        // Standard semantics, so that overlapping names are all found (see `find_overlapping`).
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&keys)
            .expect("lexicon keys build an automaton");
        let entries = keys.iter().map(|k| self.by_key[k].clone()).collect();
        self.matcher = Some((ac, entries));
    }

    /// Every lexicon name in `text`, overlapping ones included (`as Oracle` holds both `sora` and
    /// `oracle` once spaces are dropped: the caller keeps those at word boundaries).
    pub fn find_overlapping(&self, text: &str) -> Vec<LexMatch<'_>> {
        self.find_overlapping_in(&NormText::new(text))
    }

    /// [`Lexicon::find_overlapping`] over a text already normalised (spans of its original).
    pub fn find_overlapping_in(&self, norm: &NormText) -> Vec<LexMatch<'_>> {
        let Some((ac, entries)) = &self.matcher else {
            return Vec::new();
        };
        ac.find_overlapping_iter(&norm.text)
            .filter(|m| m.start() < m.end())
            .map(|m| {
                let (start, end) = norm.original_span(m.start(), m.end());
                LexMatch {
                    start,
                    end,
                    entries: &entries[m.pattern().as_usize()],
                }
            })
            .collect()
    }

    /// Every lexicon name in `text`, leftmost-longest (of overlapping names the one that starts first,
    /// then the longest), as spans of the original text. Word boundaries are not checked here.
    pub fn find_all(&self, text: &str) -> Vec<LexMatch<'_>> {
        let mut all = self.find_overlapping(text);
        all.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        let mut out: Vec<LexMatch> = Vec::new();
        for m in all {
            if out.last().is_none_or(|k| k.end <= m.start) {
                out.push(m);
            }
        }
        out
    }

    /// Every name and alias that contains Chinese characters (for the segmenter's dictionary).
    pub fn cjk_names(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .flat_map(|e| e.names())
            .filter(|n| n.chars().any(crate::normalize::is_cjk))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Lexicon {
        let mut lex = Lexicon::new();
        lex.load_tsv(
            "# test\nGoogle\tcompany\t谷歌\t\t\nLlama 3\tmodel\tLlama3\t\tMeta\nLlama\tmodel\tLLaMA\t\tMeta\n"
                .as_bytes(),
            "t.tsv",
        )
        .unwrap();
        lex.prepare();
        lex
    }

    #[test]
    fn aliases_in_both_scripts_find_one_entry() {
        let lex = small();
        assert_eq!(lex.lookup("谷歌")[0].name, "Google");
        assert_eq!(lex.lookup("GOOGLE")[0].name, "Google");
    }

    #[test]
    fn longest_name_wins_and_spans_point_into_the_original() {
        let lex = small();
        let text = "谷歌和Ｌｌａｍａ ３";
        let m = lex.find_all(text);
        assert_eq!(m.len(), 2);
        assert_eq!(&text[m[1].start..m[1].end], "Ｌｌａｍａ ３");
        assert_eq!(lex.entry(m[1].entries[0]).name, "Llama 3");
    }

    #[test]
    fn bad_type_names_file_and_line() {
        let mut lex = Lexicon::new();
        let err = lex
            .load_tsv("ok\tcompany\t\t\t\nbad\twidget\t\t\t\n".as_bytes(), "x.tsv")
            .unwrap_err();
        assert!(err.to_string().starts_with("x.tsv:2:"), "{err}");
    }

    #[test]
    fn embedded_lexicon_loads() {
        let lex = Lexicon::embedded().unwrap();
        assert!(lex.len() >= 1500, "only {} entries", lex.len());
        assert_eq!(lex.lookup("谷歌")[0].name, "Google");
    }
}
