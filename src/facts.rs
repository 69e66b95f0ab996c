//! Facts: everything one document says, as one line of JSON (format in `docs/facts.md`).
//!
//! In: an [`Extraction`] (or a JSON Lines article to extract). Out: a [`Facts`] value, written as
//! one line of a facts shard; and back: a shard's lines into the store.
//!
//! Facts make extraction a map step that can run anywhere (a shell pipe, a Spark or Hadoop
//! task) while one writer merges the shards into a database. A [`Facts`] value holds every field
//! of its extraction, so that [`Facts::into_extraction`] gives back exactly what was extracted and
//! a facts ingest stores the same rows as a plain ingest of the same articles. Offsets are in
//! characters (Unicode scalar values) of the document text, as in the database, so that readers
//! in any language can slice the text with them.

use crate::ingest::IngestReport;
use crate::model::{
    Document, Entity, EntityKey, EntityType, Evidence, Extraction, Mention, MentionSource, Relation, RelationType,
    Sentence,
};
use crate::pipeline::Extractor;
use crate::source::SourceError;
use crate::store::{IngestOutcome, Store, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};

/// The version of the facts format this guanxi writes and reads.
pub const VERSION: u32 = 1;

/// Everything one document says: the document, its entities, mentions and relations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// The format version ([`VERSION`]).
    pub v: u32,
    /// The document.
    pub doc: FactsDocument,
    /// Its entities, each once; mentions and relations point at them by index.
    pub entities: Vec<FactsEntity>,
    /// Its mentions, in document order.
    pub mentions: Vec<FactsMention>,
    /// Its relations, each with the sentence that states it.
    pub relations: Vec<FactsRelation>,
}

/// The document a line of facts is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactsDocument {
    /// The document's name: the record's `id`, or where it was read.
    pub id: String,
    /// The hex SHA-256 of its text, title, address and date: what makes an ingest incremental.
    pub hash: String,
    /// Title, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Address, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The text as read.
    pub text: String,
    /// Sentences as `[start, end)` character offsets into the text, in order.
    pub sentences: Vec<[usize; 2]>,
}

/// An entity as its document sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactsEntity {
    /// Identity across documents (`type:normalised name`): shards merge on it.
    pub key: String,
    /// Canonical name.
    pub name: String,
    /// Type.
    #[serde(rename = "type")]
    pub etype: EntityType,
    /// Every surface form seen, the name included.
    pub aliases: Vec<String>,
    /// How often the document mentions it.
    pub mention_count: usize,
    /// Attributes (an event's year).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

/// One stretch of text that names an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactsMention {
    /// Index of the entity in [`Facts::entities`].
    pub entity: usize,
    /// Character offset of the first character.
    pub start: usize,
    /// Character offset one past the last.
    pub end: usize,
    /// The text as written.
    pub surface: String,
    /// The type the mention was read as, when it is not its entity's (absent nearly always).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub etype: Option<EntityType>,
    /// The canonical name it points to, when it is not its entity's name (absent nearly always).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// How it was found.
    pub source: MentionSource,
    /// For events: the participants named inside the event name, as `[type, canonical name]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<(EntityType, String)>,
    /// Attributes (an event's year).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

/// A typed link between two entities of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactsRelation {
    /// Index of the head entity in [`Facts::entities`].
    pub head: usize,
    /// Index of the tail entity.
    pub tail: usize,
    /// The relation type.
    #[serde(rename = "type")]
    pub rtype: RelationType,
    /// Values the sentence gives (amount, year).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// Where it is stated.
    pub evidence: FactsEvidence,
}

/// The sentence that states a relation, and the cue that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactsEvidence {
    /// Index of the sentence in [`FactsDocument::sentences`].
    pub sentence: usize,
    /// The cue word or pattern.
    pub cue: String,
    /// Character offset of the cue in the text.
    pub cue_start: usize,
}

/// Why a line of facts could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FactsError {
    /// The line is not facts JSON.
    #[error("{path}:{line}: not a line of facts: {message}")]
    Json {
        /// The shard.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What the JSON parser said.
        message: String,
    },
    /// The line is facts of a version this guanxi does not read.
    #[error("{path}:{line}: facts version {found}, this guanxi reads version {VERSION}")]
    Version {
        /// The shard.
        path: String,
        /// 1-based line number.
        line: usize,
        /// The version found.
        found: u32,
    },
    /// The facts contradict themselves (an index or offset out of range).
    #[error("{path}:{line}: inconsistent facts: {message}")]
    Invalid {
        /// The shard.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The shard could not be read.
    #[error("{path}: {cause}")]
    Io {
        /// The shard.
        path: String,
        /// The cause.
        cause: std::io::Error,
    },
    /// Storing a document failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Byte offsets of a text to character offsets and back, for the offsets one document uses.
struct Offsets {
    /// The byte offset of every character boundary, the end of the text included.
    bytes: Vec<usize>,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        bytes.push(text.len());
        Offsets { bytes }
    }

    /// The character offset of a byte offset (of the character that holds it, inside one).
    fn char_of(&self, byte: usize) -> usize {
        self.bytes.partition_point(|&b| b <= byte).saturating_sub(1)
    }

    fn byte_of(&self, ch: usize) -> Option<usize> {
        self.bytes.get(ch).copied()
    }
}

impl Facts {
    /// The facts of one extraction.
    ///
    /// ```
    /// use guanxi::{facts::Facts, pipeline::Extractor, source::make_document};
    /// let ex = Extractor::embedded().unwrap();
    /// let x = ex.extract(make_document("a".into(), "谷歌收购了DeepMind。".into(), None, None, None));
    /// let facts = Facts::from_extraction(&x);
    /// assert_eq!(facts.into_extraction("a.facts", 1).unwrap(), x);
    /// ```
    pub fn from_extraction(x: &Extraction) -> Facts {
        let d = &x.document;
        let at = Offsets::new(&d.text);
        Facts {
            v: VERSION,
            doc: FactsDocument {
                id: d.source.clone(),
                hash: d.id.clone(),
                title: d.title.clone(),
                url: d.url.clone(),
                date: d.date.clone(),
                text: d.text.clone(),
                sentences: d
                    .sentences
                    .iter()
                    .map(|s| [at.char_of(s.start), at.char_of(s.end)])
                    .collect(),
            },
            entities: x
                .entities
                .iter()
                .map(|e| FactsEntity {
                    key: e.key.0.clone(),
                    name: e.name.clone(),
                    etype: e.etype,
                    aliases: e.aliases.clone(),
                    mention_count: e.mentions,
                    attributes: e.attributes.clone(),
                })
                .collect(),
            mentions: x
                .mentions
                .iter()
                .map(|(e, m)| FactsMention {
                    entity: *e,
                    start: at.char_of(m.start),
                    end: at.char_of(m.end),
                    surface: m.surface.clone(),
                    // Said only when it differs from the entity's, to keep shards small.
                    etype: x
                        .entities
                        .get(*e)
                        .is_none_or(|en| en.etype != m.etype)
                        .then_some(m.etype),
                    canonical: x
                        .entities
                        .get(*e)
                        .is_none_or(|en| en.name != m.canonical)
                        .then(|| m.canonical.clone()),
                    source: m.source,
                    participants: m.participants.clone(),
                    attributes: m.attributes.clone(),
                })
                .collect(),
            relations: x
                .relations
                .iter()
                .map(|r| FactsRelation {
                    head: r.head,
                    tail: r.tail,
                    rtype: r.rtype,
                    attributes: r.attributes.clone(),
                    evidence: FactsEvidence {
                        sentence: r.evidence.sentence_index,
                        cue: r.evidence.cue.clone(),
                        cue_start: at.char_of(r.evidence.cue_start),
                    },
                })
                .collect(),
        }
    }

    /// The extraction these facts were made from, checked for consistency; `path` and `line` name
    /// the facts in errors.
    pub fn into_extraction(self, path: &str, line: usize) -> Result<Extraction, FactsError> {
        let invalid = |message: String| FactsError::Invalid {
            path: path.to_string(),
            line,
            message,
        };
        if self.v != VERSION {
            return Err(FactsError::Version {
                path: path.to_string(),
                line,
                found: self.v,
            });
        }
        let d = self.doc;
        let at = Offsets::new(&d.text);
        let byte = |ch: usize, what: &str| {
            at.byte_of(ch)
                .ok_or_else(|| invalid(format!("{what} offset {ch} is past the end of the text")))
        };
        let mut sentences = Vec::with_capacity(d.sentences.len());
        for (index, [s, e]) in d.sentences.iter().copied().enumerate() {
            let (start, end) = (byte(s, "sentence")?, byte(e, "sentence")?);
            if start > end {
                return Err(invalid(format!("sentence {index} ends before it starts")));
            }
            sentences.push(Sentence { index, start, end });
        }
        let document = Document {
            id: d.hash,
            source: d.id,
            title: d.title,
            url: d.url,
            date: d.date,
            text: d.text,
            sentences,
        };
        let n = self.entities.len();
        let entity = |i: usize| {
            (i < n)
                .then_some(i)
                .ok_or_else(|| invalid(format!("entity index {i}, but there are {n} entities")))
        };
        let mut mentions = Vec::with_capacity(self.mentions.len());
        for m in self.mentions {
            let (start, end) = (byte(m.start, "mention")?, byte(m.end, "mention")?);
            if start > end {
                return Err(invalid(format!("mention `{}` ends before it starts", m.surface)));
            }
            let e = &self.entities[entity(m.entity)?];
            mentions.push((
                m.entity,
                Mention {
                    start,
                    end,
                    surface: m.surface,
                    etype: m.etype.unwrap_or(e.etype),
                    canonical: m.canonical.unwrap_or_else(|| e.name.clone()),
                    source: m.source,
                    participants: m.participants,
                    attributes: m.attributes,
                },
            ));
        }
        let mut relations = Vec::with_capacity(self.relations.len());
        for r in self.relations {
            let s = document.sentences.get(r.evidence.sentence).ok_or_else(|| {
                invalid(format!(
                    "sentence index {}, but there are {} sentences",
                    r.evidence.sentence,
                    document.sentences.len()
                ))
            })?;
            relations.push(Relation {
                head: entity(r.head)?,
                tail: entity(r.tail)?,
                rtype: r.rtype,
                attributes: r.attributes,
                evidence: Evidence {
                    doc: document.source.clone(),
                    sentence_index: r.evidence.sentence,
                    sentence: document.sentence_text(s).to_string(),
                    cue: r.evidence.cue,
                    cue_start: byte(r.evidence.cue_start, "cue")?,
                },
            });
        }
        let entities = self
            .entities
            .into_iter()
            .map(|e| Entity {
                key: EntityKey(e.key),
                name: e.name,
                etype: e.etype,
                aliases: e.aliases,
                mentions: e.mention_count,
                attributes: e.attributes,
            })
            .collect();
        Ok(Extraction {
            document,
            entities,
            mentions,
            relations,
        })
    }

    /// Parses one line of a facts shard; `path` and `line` name it in errors.
    pub fn parse(path: &str, line: usize, text: &str) -> Result<Facts, FactsError> {
        // The version is read first, so that a newer format says so instead of failing on a field.
        #[derive(Deserialize)]
        struct Versioned {
            v: u32,
        }
        let json = |e: serde_json::Error| {
            let msg = e.to_string();
            FactsError::Json {
                path: path.to_string(),
                line,
                message: msg.split(" at line ").next().unwrap_or(&msg).to_string(),
            }
        };
        let Versioned { v } = serde_json::from_str(text).map_err(json)?;
        if v != VERSION {
            return Err(FactsError::Version {
                path: path.to_string(),
                line,
                found: v,
            });
        }
        serde_json::from_str(text).map_err(json)
    }
}

/// What a run of [`extract_jsonl`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExtractReport {
    /// Articles extracted and written.
    pub written: usize,
    /// Lines that were not articles, or whose extraction failed.
    pub failed: usize,
}

/// Reads JSON Lines articles from `input` and writes one line of facts per article to `out`, in
/// input order. Articles are extracted a group at a time (see [`crate::stage`]): those whose lines
/// have come in already, up to a group, so that a slow stream waits for no line that has not come
/// (memory stays one group however long the stream). A bad line goes to `on_error`, naming `name`
/// and its line number, and the run goes on; a failure to read or write is an error, after the
/// lines read before it.
pub fn extract_jsonl(
    ex: &Extractor,
    name: &str,
    input: impl std::io::Read,
    out: &mut impl Write,
    mut on_error: impl FnMut(SourceError),
) -> std::io::Result<ExtractReport> {
    let stdin = name == crate::source::Input::Stdin.name();
    let mut input = std::io::BufReader::with_capacity(crate::stage::GROUP_BYTES as usize, input);
    let mut report = ExtractReport::default();
    let mut buf = Vec::new();
    let mut line = 0;
    // Why the stream ended, once it has: its end (`None`) or a read error.
    let mut end: Option<Option<std::io::Error>> = None;
    while end.is_none() {
        // A group of lines, in order: each an article (its line number) or a bad line's error.
        let mut group: Vec<Result<usize, SourceError>> = Vec::new();
        let mut docs = Vec::new();
        let mut bytes = 0;
        // The next read may wait for input: what was written goes out first, so that a slow
        // stream's reader has every article's facts while the next article is awaited.
        if !input.buffer().contains(&b'\n') {
            out.flush()?;
        }
        while group.len() < crate::stage::GROUP_DOCS && bytes < crate::stage::GROUP_BYTES {
            // After the first line, only lines that have come in whole: a slow stream's articles
            // are not held back for the next ones.
            if !group.is_empty() && !input.buffer().contains(&b'\n') {
                break;
            }
            buf.clear();
            match input.read_until(b'\n', &mut buf) {
                Ok(0) => {
                    end = Some(None);
                    break;
                }
                Ok(_) => {}
                Err(e) => {
                    end = Some(Some(e));
                    break;
                }
            }
            line += 1;
            bytes += buf.len() as u64;
            let text = match std::str::from_utf8(&buf) {
                Ok(t) => t.strip_suffix('\n').unwrap_or(t),
                Err(e) => {
                    group.push(Err(SourceError::BadRecord {
                        path: name.to_string(),
                        line,
                        message: format!("not UTF-8 ({e})"),
                    }));
                    continue;
                }
            };
            match crate::source::parse_record(name, line, text) {
                // A record without an `id` piped in is named by its content too, as in any ingest.
                Ok(Some(mut d)) if stdin && d.source == format!("{name}#{line}") => {
                    d.source = format!("{}@{}", d.source, &d.id[..12]);
                    docs.push(d);
                    group.push(Ok(line));
                }
                Ok(Some(d)) => {
                    docs.push(d);
                    group.push(Ok(line));
                }
                Ok(None) => {}
                Err(e) => group.push(Err(e)),
            }
        }
        // One article that trips a bug must not take the stream down with it.
        let mut extracted = ex.extract_many(docs).into_iter();
        for item in group {
            let x = item.and_then(|line| {
                extracted
                    .next()
                    .expect("an extraction for each article")
                    .map_err(|_| SourceError::Extraction {
                        path: format!("{name}:{line}"),
                    })
            });
            match x {
                Ok(x) => {
                    serde_json::to_writer(&mut *out, &Facts::from_extraction(&x))?;
                    out.write_all(b"\n")?;
                    report.written += 1;
                }
                Err(e) => {
                    report.failed += 1;
                    on_error(e);
                }
            }
        }
    }
    out.flush()?;
    match end {
        Some(Some(e)) => Err(e),
        _ => Ok(report),
    }
}

/// Stores the facts of one shard, line by line, each document in its own transaction. A document
/// stored already with the same hash is skipped, one whose hash changed replaced, as in any
/// ingest. A bad line goes to `on_error`, naming the shard and line, and the run goes on; a
/// database failure is an error.
pub fn ingest_facts(
    store: &mut Store,
    name: &str,
    mut input: impl BufRead,
    report: &mut IngestReport,
    mut on_error: impl FnMut(&FactsError),
) -> Result<(), FactsError> {
    let mut buf = String::new();
    let mut line = 0;
    loop {
        buf.clear();
        let read = input.read_line(&mut buf).map_err(|e| FactsError::Io {
            path: name.to_string(),
            cause: e,
        })?;
        if read == 0 {
            break;
        }
        line += 1;
        if buf.trim().is_empty() {
            continue;
        }
        let x = match Facts::parse(name, line, &buf).and_then(|f| {
            // An unchanged document is not converted again.
            if store.document_hash(&f.doc.id)?.as_ref() == Some(&f.doc.hash) {
                return Ok(None);
            }
            f.into_extraction(name, line).map(Some)
        }) {
            Ok(Some(x)) => x,
            Ok(None) => {
                report.unchanged += 1;
                continue;
            }
            Err(e @ FactsError::Store(_)) => return Err(e),
            Err(e) => {
                report.failed += 1;
                on_error(&e);
                continue;
            }
        };
        match store.write(&x) {
            Ok(IngestOutcome::New) => report.new += 1,
            Ok(IngestOutcome::Unchanged) => report.unchanged += 1,
            Ok(IngestOutcome::Replaced) => report.replaced += 1,
            Ok(IngestOutcome::Reextracted) => report.reextracted += 1,
            Ok(IngestOutcome::Duplicate) => report.duplicates += 1,
            Err(e) => {
                return Err(FactsError::Store(StoreError::Document {
                    doc: x.document.source.clone(),
                    cause: Box::new(e),
                }));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::make_document;

    fn example_extractions() -> Vec<Extraction> {
        let ex = Extractor::embedded().unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/articles");
        let inputs = crate::source::collect_inputs(&[dir]).unwrap();
        assert!(inputs.len() >= 10);
        inputs
            .iter()
            .flat_map(|i| crate::source::read_input(i).unwrap())
            .map(|d| ex.extract(d))
            .collect()
    }

    #[test]
    fn facts_give_back_exactly_what_was_extracted() {
        for x in example_extractions() {
            assert!(!x.relations.is_empty(), "{}", x.document.source);
            let line = serde_json::to_string(&Facts::from_extraction(&x)).unwrap();
            assert!(!line.contains('\n'));
            let back = Facts::parse("s", 1, &line).unwrap().into_extraction("s", 1).unwrap();
            assert_eq!(back, x, "{}", x.document.source);
        }
    }

    #[test]
    fn a_mention_read_otherwise_than_its_entity_says_so() {
        let ex = Extractor::embedded().unwrap();
        let mut x = ex.extract(make_document(
            "a".into(),
            "谷歌收购了DeepMind。".into(),
            None,
            None,
            None,
        ));
        x.mentions[0].1.canonical = "谷歌公司".into();
        x.mentions[0].1.etype = EntityType::Organization;
        let f = Facts::from_extraction(&x);
        assert_eq!(f.mentions[0].canonical.as_deref(), Some("谷歌公司"));
        assert_eq!(f.mentions[0].etype, Some(EntityType::Organization));
        assert_eq!(f.mentions[1].canonical, None);
        assert_eq!(f.into_extraction("s", 1).unwrap(), x);
    }

    #[test]
    fn offsets_are_in_characters() {
        let ex = Extractor::embedded().unwrap();
        let x = ex.extract(make_document(
            "a".into(),
            "今天，谷歌收购了DeepMind。".into(),
            None,
            None,
            None,
        ));
        let f = Facts::from_extraction(&x);
        let chars: Vec<char> = f.doc.text.chars().collect();
        let google = f
            .mentions
            .iter()
            .find(|m| m.surface == "谷歌")
            .expect("谷歌 is a mention");
        assert_eq!((google.start, google.end), (3, 5));
        assert_eq!(chars[google.start..google.end].iter().collect::<String>(), "谷歌");
    }

    #[test]
    fn inconsistent_facts_are_refused_with_their_line() {
        let ex = Extractor::embedded().unwrap();
        let x = ex.extract(make_document(
            "a".into(),
            "谷歌收购了DeepMind。".into(),
            None,
            None,
            None,
        ));
        let mut f = Facts::from_extraction(&x);
        f.relations[0].head = 99;
        let e = f.into_extraction("s.jsonl", 7).unwrap_err();
        assert!(e.to_string().starts_with("s.jsonl:7: inconsistent facts"), "{e}");
        let e = Facts::parse("s.jsonl", 3, r#"{"v":2,"doc":{}}"#).unwrap_err();
        assert!(matches!(e, FactsError::Version { found: 2, line: 3, .. }), "{e}");
        let e = Facts::parse("s.jsonl", 4, "{not json").unwrap_err();
        assert!(e.to_string().starts_with("s.jsonl:4: not a line of facts"), "{e}");
    }

    #[test]
    fn a_stream_reports_bad_lines_by_number_and_goes_on() {
        let ex = Extractor::embedded().unwrap();
        let input = "{\"id\":\"a\",\"text\":\"谷歌收购了DeepMind。\"}\nnot json\n\n{\"id\":\"b\"}\n{\"text\":\"百度发布了文心一言。\"}\n";
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let r = extract_jsonl(&ex, "in.jsonl", input.as_bytes(), &mut out, |e| {
            errors.push(e.to_string())
        })
        .unwrap();
        assert_eq!(r, ExtractReport { written: 2, failed: 2 });
        assert!(errors[0].starts_with("in.jsonl:2:"), "{errors:?}");
        assert!(errors[1].starts_with("in.jsonl:4:"), "{errors:?}");
        let lines: Vec<Facts> = String::from_utf8(out)
            .unwrap()
            .lines()
            .enumerate()
            .map(|(i, l)| Facts::parse("out", i + 1, l).unwrap())
            .collect();
        assert_eq!(lines[0].doc.id, "a");
        assert_eq!(lines[1].doc.id, "in.jsonl#5");
    }

    #[test]
    fn a_stream_longer_than_a_group_gives_each_article_its_own_facts_in_order() {
        let ex = Extractor::embedded().unwrap();
        let texts = [
            "谷歌收购了DeepMind。",
            "OpenAI發佈了GPT-4。",
            "Anthropic raised $2 billion from Amazon.",
        ];
        let n = crate::stage::GROUP_DOCS * 2 + 5;
        let mut input = String::new();
        for i in 0..n {
            // A bad line now and then, among the articles.
            if i % 50 == 7 {
                input.push_str("{\"text\":\"\"}\n");
            } else {
                input.push_str(&format!("{{\"id\":\"r{i}\",\"text\":\"{}\"}}\n", texts[i % 3]));
            }
        }
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let r = extract_jsonl(&ex, "in.jsonl", input.as_bytes(), &mut out, |e| {
            errors.push(e.to_string())
        })
        .unwrap();
        let bad: Vec<usize> = (0..n).filter(|i| i % 50 == 7).collect();
        assert_eq!(
            r,
            ExtractReport {
                written: n - bad.len(),
                failed: bad.len()
            }
        );
        let want_errors: Vec<String> = bad.iter().map(|i| format!("in.jsonl:{}:", i + 1)).collect();
        assert_eq!(errors.len(), bad.len());
        for (e, w) in errors.iter().zip(&want_errors) {
            assert!(e.starts_with(w.as_str()), "{e} / {w}");
        }
        let got: Vec<String> = String::from_utf8(out).unwrap().lines().map(str::to_string).collect();
        let want: Vec<String> = (0..n)
            .filter(|i| i % 50 != 7)
            .map(|i| {
                let d = crate::source::make_document(format!("r{i}"), texts[i % 3].to_string(), None, None, None);
                serde_json::to_string(&Facts::from_extraction(&ex.extract(d))).unwrap()
            })
            .collect();
        assert_eq!(got, want);
    }

    /// Serves `lines` one a read, then fails; counts the reads.
    struct Trickle {
        lines: Vec<String>,
        reads: std::rc::Rc<std::cell::Cell<usize>>,
    }

    impl std::io::Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.reads.get();
            self.reads.set(n + 1);
            let Some(line) = self.lines.get(n) else {
                return Err(std::io::Error::other("the feed broke"));
            };
            buf[..line.len()].copy_from_slice(line.as_bytes());
            Ok(line.len())
        }
    }

    /// Records, for each line of facts that reaches it, how many reads the input had served.
    struct Watch {
        reads: std::rc::Rc<std::cell::Cell<usize>>,
        seen: Vec<usize>,
    }

    impl Write for Watch {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            for _ in buf.iter().filter(|&&b| b == b'\n') {
                self.seen.push(self.reads.get());
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_slow_stream_gets_each_article_s_facts_before_the_next_line_and_a_read_error_last() {
        let ex = Extractor::embedded().unwrap();
        let reads = std::rc::Rc::new(std::cell::Cell::new(0));
        let lines = (0..3)
            .map(|i| format!("{{\"id\":\"r{i}\",\"text\":\"谷歌收购了星河{i}号公司。\"}}\n"))
            .collect();
        let input = Trickle {
            lines,
            reads: reads.clone(),
        };
        // Buffered, as standard output is: the facts must be flushed before the next read.
        let mut out = std::io::BufWriter::new(Watch {
            reads: reads.clone(),
            seen: Vec::new(),
        });
        let e = extract_jsonl(&ex, "feed", input, &mut out, |e| panic!("{e}")).unwrap_err();
        assert_eq!(e.to_string(), "the feed broke");
        // Each article's facts come out once its line is in, before the next is asked for.
        assert_eq!(out.get_ref().seen, vec![1, 2, 3]);
    }
}
