//! The SQLite store, the only module that names rusqlite.
//!
//! Migrations in `schema/NNNN_name.sql` are applied in order inside one transaction and
//! tracked in `PRAGMA user_version`; a database newer than this binary is an error.
//! Documents are written many to a transaction, and a transaction holds whole documents: an
//! interrupted ingest leaves every document either wholly stored or not at all.

use crate::graph::{EdgeEvidence, GraphBuilder, GraphView};
use crate::model::{EntityType, Extraction, RelationType};
use crate::normalize::match_key;
use crate::segment::JiebaSegmenter;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

mod read;
mod search;

pub use read::{Direction, EntityInfo, EntityRow, EvidenceRow, LinkRow, SqlRows, TimelineRow, query_read_only};
pub use search::{RANKED, SearchHit, sentence_words};

/// The migrations, in order. Append only: never remove or edit an entry.
pub const MIGRATIONS: [(&str, &str); 7] = [
    ("0001_core", include_str!("../../schema/0001_core.sql")),
    (
        "0002_alias_sources",
        include_str!("../../schema/0002_alias_sources.sql"),
    ),
    ("0003_read_side", include_str!("../../schema/0003_read_side.sql")),
    (
        "0004_document_identity",
        include_str!("../../schema/0004_document_identity.sql"),
    ),
    ("0005_alias_counts", include_str!("../../schema/0005_alias_counts.sql")),
    (
        "0006_documents_by_extractor",
        include_str!("../../schema/0006_documents_by_extractor.sql"),
    ),
    (
        "0007_alias_counts_by_writer",
        include_str!("../../schema/0007_alias_counts_by_writer.sql"),
    ),
];

/// The documents stored under another extractor than `?1`. `<>` cannot use the index by
/// extractor; two ranges can, and read only the other extractors' entries. Unordered: asked for
/// in SQL, the row order made SQLite read the whole table, texts and all.
const STALE_DOCUMENTS: &str = "SELECT id FROM documents WHERE extractor < ?1 OR extractor > ?1";
/// Every document.
const ALL_DOCUMENTS: &str = "SELECT id FROM documents";

/// The schema version from which evidence sentences are in the search index.
const SEARCH_INDEX_VERSION: usize = 3;

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite said no.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// The database was made by a newer guanxi.
    #[error("the database is at schema version {found}, newer than this guanxi knows ({known}); use a newer guanxi")]
    TooNew {
        /// The database's version.
        found: i64,
        /// The newest this binary knows.
        known: i64,
    },
    /// Writing one document failed.
    #[error("storing {doc}: {cause}")]
    Document {
        /// The document's source.
        doc: String,
        /// What went wrong.
        cause: Box<StoreError>,
    },
    /// Stored data that does not parse (a type name, a JSON column).
    #[error("corrupt database: {0}")]
    Corrupt(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
    }
}

/// What writing a document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestOutcome {
    /// A document not seen before.
    New,
    /// The same source with the same content: nothing changed.
    Unchanged,
    /// The same source with new content: what it said before was replaced.
    Replaced,
    /// The same content, extracted again by a different extractor (lexicon, rules, version).
    Reextracted,
    /// The same content is stored under another source already: one article, not stored twice.
    Duplicate,
}

/// A stored document, as read back for extracting it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    /// The row id.
    pub id: i64,
    /// Its source.
    pub source: String,
    /// Its content hash (the document id).
    pub hash: String,
    /// Its title.
    pub title: Option<String>,
    /// Its URL.
    pub url: Option<String>,
    /// Its date.
    pub date: Option<String>,
    /// Its text.
    pub text: String,
}

/// Which stored documents to remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentSelector {
    /// The document with this row id.
    Id(i64),
    /// The document with this source, and, for a file of records, every record of it.
    Source(String),
    /// The records of a file (sources `FILE#…`) other than these.
    RecordsExcept {
        /// The file's record prefix (`FILE#`).
        prefix: String,
        /// The sources to keep.
        keep: std::collections::HashSet<String>,
    },
}

impl DocumentSelector {
    fn selects(&self, id: i64, source: &str) -> bool {
        match self {
            DocumentSelector::Id(i) => *i == id,
            DocumentSelector::Source(s) => {
                source == s
                    || source
                        .strip_prefix(s.as_str())
                        .is_some_and(|rest| rest.starts_with('#'))
            }
            DocumentSelector::RecordsExcept { prefix, keep } => {
                source.starts_with(prefix.as_str()) && !keep.contains(source)
            }
        }
    }
}

/// Row counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Documents.
    pub documents: usize,
    /// Entities.
    pub entities: usize,
    /// Mentions.
    pub mentions: usize,
    /// Relations.
    pub relations: usize,
    /// Evidence sentences.
    pub evidence: usize,
}

/// A guanxi database.
pub struct Store {
    conn: Connection,
    /// The fingerprint written with each document (see [`crate::pipeline::Extractor::fingerprint`]).
    fingerprint: String,
    /// The segmenter of the search index, loaded the first time a sentence is indexed or searched.
    search: std::cell::OnceCell<JiebaSegmenter>,
}

impl Store {
    /// Opens (creating if needed) and migrates a database file.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path)?;
        let store = Store::init(conn)?;
        // WAL only once the file is known to be ours and migrated.
        store.conn.pragma_update(None, "journal_mode", "WAL")?;
        Ok(store)
    }

    /// A database in memory (tests, `extract`).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Store, StoreError> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // Every statement of a document's write stays prepared across documents.
        conn.set_prepared_statement_cache_capacity(64);
        // A page cache that holds a whole batch of documents: with SQLite's default of 2 MB, a
        // batch's dirty pages spilled into the WAL again and again before its commit (hundreds of
        // page writes a document), and a large database's index pages were read again each time.
        conn.pragma_update(None, "cache_size", -65_536)?;
        // Statement journals (a statement's undo pages) kept in memory: in a temporary file they
        // were two system calls a page (hundreds a document).
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let search = std::cell::OnceCell::new();
        migrate(&mut conn, &search)?;
        Ok(Store {
            conn,
            search,
            fingerprint: String::new(),
        })
    }

    fn segmenter(&self) -> &JiebaSegmenter {
        self.search.get_or_init(JiebaSegmenter::plain)
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// The content hash stored for a source, if it was ingested.
    pub fn document_hash(&self, source: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT hash FROM documents WHERE source = ?1", [source], |r| r.get(0))
            .optional()?)
    }

    /// Every stored source with its content hash.
    pub fn document_hashes(&self) -> Result<HashMap<String, String>, StoreError> {
        let mut st = self.conn.prepare("SELECT source, hash FROM documents")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Sets the extractor fingerprint written with each document from now on.
    pub fn set_fingerprint(&mut self, fingerprint: &str) {
        self.fingerprint = fingerprint.to_string();
    }

    /// Writes one document's extraction in one transaction.
    ///
    /// A source stored with the same content and fingerprint is left alone; the same content under
    /// another source is a [`IngestOutcome::Duplicate`] and is not stored again. An error is what
    /// SQLite said; the caller names the document.
    pub fn write(&mut self, x: &Extraction) -> Result<IngestOutcome, StoreError> {
        let words = search::sentence_words(x);
        let (mut outcomes, error) = self.write_batch([(x, words.as_slice())])?;
        match error {
            Some(StoreError::Document { cause, .. }) => Err(*cause),
            Some(e) => Err(e),
            None => Ok(outcomes.pop().unwrap_or(IngestOutcome::Unchanged)),
        }
    }

    /// Writes many documents in one transaction: a document that fails leaves nothing behind, the
    /// ones before it are committed, and the ones after it are not tried. Gives the outcome of every
    /// document written, and the error that stopped the batch, if one did. One commit for many
    /// documents is what makes ingest fast; a crash still leaves every document wholly stored or
    /// not at all, since a commit holds whole documents.
    ///
    /// Each document comes with its evidence sentences' search words ([`sentence_words`]),
    /// computed by the caller, so that segmenting them can run on other threads.
    pub fn write_batch<'a>(
        &mut self,
        docs: impl IntoIterator<Item = (&'a Extraction, &'a [(usize, String)])>,
    ) -> Result<(Vec<IngestOutcome>, Option<StoreError>), StoreError> {
        let docs: Vec<_> = docs.into_iter().collect();
        // No savepoint per document: at every savepoint FTS5 writes what it holds in memory as a
        // new index segment, and merges them, which cost more than the rest of the document's rows.
        // A failing document is rare: the transaction is then rolled back and the documents
        // before it written again, as they were, in a new one.
        let (failed, cause) = {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let mut outcomes = Vec::with_capacity(docs.len());
            let mut failed = None;
            let mut pending = Vec::new();
            for (i, (x, words)) in docs.iter().enumerate() {
                match write_one(&tx, x, words, &self.fingerprint, &mut pending) {
                    Ok(outcome) => outcomes.push(outcome),
                    Err(e) => {
                        failed = Some((i, e));
                        break;
                    }
                }
            }
            match failed {
                None => {
                    search::index_pending(&tx, &mut pending)?;
                    tx.commit()?;
                    return Ok((outcomes, None));
                }
                // Dropping the transaction rolls it back (whatever SQLite already undid itself).
                Some(f) => f,
            }
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut outcomes = Vec::with_capacity(failed);
        let mut pending = Vec::new();
        for (x, words) in &docs[..failed] {
            outcomes.push(write_one(&tx, x, words, &self.fingerprint, &mut pending)?);
        }
        search::index_pending(&tx, &mut pending)?;
        tx.commit()?;
        let error = StoreError::Document {
            doc: docs[failed].0.document.source.clone(),
            cause: Box::new(cause),
        };
        Ok((outcomes, Some(error)))
    }

    /// Marks one stored document as extracted by no known extractor, so that it is extracted again.
    pub fn clear_fingerprint(&mut self, id: i64) -> Result<(), StoreError> {
        self.conn
            .execute("UPDATE documents SET extractor = '' WHERE id = ?1", [id])?;
        Ok(())
    }

    /// [`Store::clear_fingerprint`] for many documents, in one transaction.
    pub fn clear_fingerprints(&mut self, ids: &[i64]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut st = tx.prepare_cached("UPDATE documents SET extractor = '' WHERE id = ?1")?;
            for id in ids {
                st.execute([id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The source under which a content hash is stored, if any.
    pub fn source_of_hash(&self, hash: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT source FROM documents WHERE hash = ?1 ORDER BY id LIMIT 1",
                [hash],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every stored content hash.
    pub fn hashes(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut st = self.conn.prepare("SELECT hash FROM documents")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The row ids of the documents stored under another fingerprint than `fingerprint` (all of
    /// them when `all`), in row order.
    pub fn stale_documents(&self, fingerprint: &str, all: bool) -> Result<Vec<i64>, StoreError> {
        let mut st = self.conn.prepare(if all { ALL_DOCUMENTS } else { STALE_DOCUMENTS })?;
        let args: &[&dyn rusqlite::ToSql] = if all { &[] } else { &[&fingerprint] };
        let rows = st.query_map(args, |r| r.get(0))?;
        let mut ids: Vec<i64> = rows.collect::<Result<_, _>>()?;
        ids.sort_unstable();
        Ok(ids)
    }

    /// One stored document by row id.
    pub fn stored_document(&self, id: i64) -> Result<Option<StoredDocument>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, source, hash, title, url, date, text FROM documents WHERE id = ?1",
                [id],
                |r| {
                    Ok(StoredDocument {
                        id: r.get(0)?,
                        source: r.get(1)?,
                        hash: r.get(2)?,
                        title: r.get(3)?,
                        url: r.get(4)?,
                        date: r.get(5)?,
                        text: r.get(6)?,
                    })
                },
            )
            .optional()?)
    }

    /// The stored sources that start with `prefix` (the records of a file: `FILE#`), found through
    /// the index on sources rather than by reading every document.
    pub fn sources_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        // Every string that starts with `prefix` sorts from it up to `prefix` with its last
        // character one higher (without such a bound, up to the end).
        let mut chars: Vec<char> = prefix.chars().collect();
        let end: Option<String> = chars
            .pop()
            .and_then(|c| char::from_u32(c as u32 + 1))
            .map(|c| chars.into_iter().chain([c]).collect());
        let found: Vec<String> = match end {
            Some(end) => {
                let mut st = self
                    .conn
                    .prepare_cached("SELECT source FROM documents WHERE source >= ?1 AND source < ?2")?;
                let rows = st.query_map([prefix, end.as_str()], |r| r.get(0))?;
                rows.collect::<Result<_, _>>()?
            }
            None => {
                let mut st = self
                    .conn
                    .prepare_cached("SELECT source FROM documents WHERE source >= ?1")?;
                let rows = st.query_map([prefix], |r| r.get(0))?;
                rows.collect::<Result<_, _>>()?
            }
        };
        Ok(found.into_iter().filter(|s| s.starts_with(prefix)).collect())
    }

    /// Removes documents and what only they supported (relations no other document states,
    /// entities nothing else mentions, aliases nothing else gives), in one transaction. Gives the
    /// sources removed.
    pub fn remove_documents(&mut self, which: &DocumentSelector) -> Result<Vec<String>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let found: Vec<(i64, String)> = {
            let mut st = tx.prepare("SELECT id, source FROM documents ORDER BY id")?;
            let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            rows.collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .filter(|(id, source)| which.selects(*id, source))
                .collect()
        };
        for (id, _) in &found {
            tx.execute("DELETE FROM documents WHERE id = ?1", [id])?;
        }
        if !found.is_empty() {
            collect_garbage(&tx)?;
        }
        tx.commit()?;
        Ok(found.into_iter().map(|(_, s)| s).collect())
    }

    /// Row counts.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        let n = |t: &str| -> Result<usize, StoreError> {
            Ok(self
                .conn
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get::<_, i64>(0))? as usize)
        };
        Ok(Counts {
            documents: n("documents")?,
            entities: n("entities")?,
            mentions: n("mentions")?,
            relations: n("relations")?,
            evidence: n("evidence")?,
        })
    }

    /// The whole graph, in stable order (for exports: it holds every sentence of evidence).
    pub fn graph(&self) -> Result<GraphView, StoreError> {
        let mut g = GraphBuilder::default();
        let mut index: HashMap<i64, usize> = HashMap::new();
        let mut st = self.conn.prepare(
            "SELECT e.id, e.key, e.name, e.type, e.attributes, (SELECT count(*) FROM mentions m WHERE m.entity_id = e.id) FROM entities e",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?;
        let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
        let mut st2 = self.conn.prepare("SELECT entity_id, alias FROM aliases")?;
        for row in st2.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, alias) = row?;
            aliases.entry(id).or_default().push(alias);
        }
        for row in rows {
            let (id, key, name, t, attrs, mentions) = row?;
            let etype: EntityType = t
                .parse()
                .map_err(|e: crate::model::UnknownName| StoreError::Corrupt(e.to_string()))?;
            let attributes: BTreeMap<String, String> = serde_json::from_str(&attrs)
                .map_err(|e| StoreError::Corrupt(format!("entity {id} attributes: {e}")))?;
            let i = g.node(
                &key,
                &name,
                etype,
                aliases.remove(&id).unwrap_or_default(),
                mentions as usize,
                &attributes,
            );
            index.insert(id, i);
        }
        let mut st = self.conn.prepare(
            "SELECT r.head_id, r.tail_id, r.type, d.source, s.text, v.cue, d.date, v.attributes
             FROM relations r JOIN evidence v ON v.relation_id = r.id
             JOIN documents d ON d.id = v.document_id
             JOIN sentences s ON s.document_id = v.document_id AND s.idx = v.sentence
             ORDER BY r.id, v.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        for row in rows {
            let (h, t, rt, doc, sentence, cue, date, attrs) = row?;
            let rtype: RelationType = rt
                .parse()
                .map_err(|e: crate::model::UnknownName| StoreError::Corrupt(e.to_string()))?;
            let (Some(&s), Some(&tt)) = (index.get(&h), index.get(&t)) else {
                continue;
            };
            let attrs: BTreeMap<String, String> =
                serde_json::from_str(&attrs).map_err(|e| StoreError::Corrupt(format!("evidence attributes: {e}")))?;
            g.evidence(
                s,
                tt,
                rtype,
                &attrs,
                EdgeEvidence {
                    doc,
                    sentence,
                    cue,
                    date,
                },
            );
        }
        Ok(g.finish())
    }

    /// Frequent name-like strings of the stored documents' text are not kept; this gives the texts
    /// for tools that scan them again (the candidate queue).
    pub fn documents(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT source, text FROM documents ORDER BY source")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn migrate(conn: &mut Connection, search: &std::cell::OnceCell<JiebaSegmenter>) -> Result<(), StoreError> {
    let known = MIGRATIONS.len() as i64;
    // A current database needs no write lock: readers open it while an ingest writes.
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current == known {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > known {
        return Err(StoreError::TooNew { found: version, known });
    }
    let Ok(from) = usize::try_from(version) else {
        return Err(StoreError::Corrupt(format!(
            "schema version {version} is not one guanxi writes"
        )));
    };
    if from == 0 {
        // A file of another program: tables but no guanxi version.
        let tables: i64 = tx.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |r| {
            r.get(0)
        })?;
        if tables > 0 {
            return Err(StoreError::Corrupt(
                "not a guanxi database (it has tables but no guanxi schema version)".into(),
            ));
        }
    }
    for (_, sql) in &MIGRATIONS[from..] {
        tx.execute_batch(sql)?;
    }
    if from < SEARCH_INDEX_VERSION {
        // The words of a sentence are jieba's, which SQL cannot compute: sentences stored before
        // the index existed are indexed here.
        let unindexed: i64 = tx.query_row("SELECT count(*) FROM evidence", [], |r| r.get(0))?;
        if unindexed > 0 {
            search::index_all(&tx, search.get_or_init(JiebaSegmenter::plain))?;
        }
    }
    tx.pragma_update(None, "user_version", known)?;
    tx.commit()?;
    Ok(())
}

/// Writes one document inside an open transaction.
///
/// A source stored with the same content and fingerprint is left alone; the same content under
/// another source is a [`IngestOutcome::Duplicate`] and is not stored again.
fn write_one<'w>(
    tx: &Connection,
    x: &Extraction,
    words: &'w [(usize, String)],
    fingerprint: &str,
    pending: &mut Vec<(i64, &'w str)>,
) -> Result<IngestOutcome, StoreError> {
    let old: Option<(i64, String, String)> = tx
        .prepare_cached("SELECT id, hash, extractor FROM documents WHERE source = ?1")?
        .query_row([&x.document.source], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let mut outcome = match &old {
        Some((_, h, f)) if *h == x.document.id && f == fingerprint => return Ok(IngestOutcome::Unchanged),
        Some((_, h, _)) if *h == x.document.id => IngestOutcome::Reextracted,
        Some(_) => IngestOutcome::Replaced,
        None => IngestOutcome::New,
    };
    if outcome != IngestOutcome::Reextracted {
        let elsewhere: Option<String> = tx
            .prepare_cached("SELECT source FROM documents WHERE hash = ?1 AND source <> ?2 LIMIT 1")?
            .query_row([&x.document.id, &x.document.source], |r| r.get(0))
            .optional()?;
        if elsewhere.is_some() {
            outcome = IngestOutcome::Duplicate;
        }
    }
    if let Some((id, _, _)) = &old {
        // The delete's trigger takes the old sentences out of the index: they must be in it.
        search::index_pending(tx, pending)?;
        tx.prepare_cached("DELETE FROM documents WHERE id = ?1")?
            .execute([id])?;
    }
    if outcome != IngestOutcome::Duplicate {
        insert_extraction(tx, x, words, fingerprint, pending)?;
    }
    if old.is_some() {
        collect_garbage(tx)?;
    }
    Ok(outcome)
}

/// Writes one document's rows; its sentences' search words go to `pending`, for
/// [`search::index_pending`].
fn insert_extraction<'w>(
    tx: &Connection,
    x: &Extraction,
    words: &'w [(usize, String)],
    fingerprint: &str,
    pending: &mut Vec<(i64, &'w str)>,
) -> Result<(), StoreError> {
    let d = &x.document;
    tx.prepare_cached(
        "INSERT INTO documents (source, hash, title, url, date, text, extractor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![d.source, d.id, d.title, d.url, d.date, d.text, fingerprint])?;
    let doc_id = tx.last_insert_rowid();
    // Character offsets, computed in one pass over the text.
    let mut char_at: HashMap<usize, usize> = HashMap::new();
    let mut wanted: Vec<usize> = d.sentences.iter().flat_map(|s| [s.start, s.end]).collect();
    wanted.extend(x.mentions.iter().flat_map(|(_, m)| [m.start, m.end]));
    wanted.extend(x.relations.iter().map(|r| r.evidence.cue_start));
    wanted.sort_unstable();
    wanted.dedup();
    let mut wi = 0;
    for (chars, (b, _)) in d
        .text
        .char_indices()
        .chain(std::iter::once((d.text.len(), ' ')))
        .enumerate()
    {
        while wi < wanted.len() && wanted[wi] <= b {
            char_at.insert(wanted[wi], chars);
            wi += 1;
        }
    }
    let c = |b: usize| char_at.get(&b).copied().unwrap_or(0) as i64;
    {
        let mut st = tx
            .prepare_cached("INSERT INTO sentences (document_id, idx, start, end, text) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for s in &d.sentences {
            st.execute(params![
                doc_id,
                s.index as i64,
                c(s.start),
                c(s.end),
                d.sentence_text(s)
            ])?;
        }
    }
    let mut ids = Vec::with_capacity(x.entities.len());
    {
        // Looked up first and written only when new or changed: an upsert with RETURNING cost
        // several times a lookup, and most entities of a document are stored already.
        let mut find = tx.prepare_cached("SELECT id, attributes FROM entities WHERE key = ?1")?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO entities (key, name, type, attributes, name_key) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut update = tx.prepare_cached("UPDATE entities SET attributes = ?2 WHERE id = ?1")?;
        // Each alias counts the stored documents that give it: one more for this document, which
        // gives each (entity, alias) once (two entities of a text may be one stored entity).
        let mut al = tx.prepare_cached(
            "INSERT INTO aliases (entity_id, alias, match_key, sources) VALUES (?1, ?2, ?3, 1)
             ON CONFLICT (entity_id, alias) DO UPDATE SET sources = sources + 1",
        )?;
        let mut src =
            tx.prepare_cached("INSERT INTO alias_sources (document_id, entity_id, alias) VALUES (?3, ?1, ?2)")?;
        let mut given: std::collections::HashSet<(i64, &str)> = std::collections::HashSet::new();
        for e in &x.entities {
            let attrs = serde_json::to_string(&e.attributes).unwrap_or_else(|_| "{}".into());
            // The key is `type:` and the normalised name.
            let name_key = e.key.0.split_once(':').map_or(e.key.0.as_str(), |(_, k)| k);
            let stored: Option<(i64, String)> =
                find.query_row([&e.key.0], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
            let id = match stored {
                Some((id, stored)) => {
                    if stored != attrs {
                        update.execute(params![id, attrs])?;
                    }
                    id
                }
                None => {
                    insert.execute(params![e.key.0, e.name, e.etype.as_str(), attrs, name_key])?;
                    tx.last_insert_rowid()
                }
            };
            for a in &e.aliases {
                if given.insert((id, a.as_str())) {
                    al.execute(params![id, a, match_key(a)])?;
                    src.execute(params![id, a, doc_id])?;
                }
            }
            ids.push(id);
        }
    }
    {
        let mut st = tx.prepare_cached(
            "INSERT INTO mentions (document_id, entity_id, sentence, start, end, surface, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (e, m) in &x.mentions {
            let sentence = d.sentences.partition_point(|s| s.end <= m.start) as i64;
            let source = match m.source {
                crate::model::MentionSource::Lexicon => "lexicon",
                crate::model::MentionSource::Pattern => "pattern",
                crate::model::MentionSource::ShortForm => "short_form",
            };
            st.execute(params![
                doc_id,
                ids[*e],
                sentence,
                c(m.start),
                c(m.end),
                m.surface,
                source
            ])?;
        }
    }
    {
        let mut find =
            tx.prepare_cached("SELECT id FROM relations WHERE head_id = ?1 AND tail_id = ?2 AND type = ?3")?;
        let mut rel = tx.prepare_cached("INSERT INTO relations (head_id, tail_id, type) VALUES (?1, ?2, ?3)")?;
        let mut ev = tx.prepare_cached(
            "INSERT INTO evidence (relation_id, document_id, sentence, cue, cue_start, attributes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for r in &x.relations {
            let (mut h, mut t) = (ids[r.head], ids[r.tail]);
            if r.rtype.is_symmetric() && h > t {
                std::mem::swap(&mut h, &mut t);
            }
            let rid: i64 = match find
                .query_row(params![h, t, r.rtype.as_str()], |row| row.get(0))
                .optional()?
            {
                Some(id) => id,
                None => {
                    rel.execute(params![h, t, r.rtype.as_str()])?;
                    tx.last_insert_rowid()
                }
            };
            let attrs = serde_json::to_string(&r.attributes).unwrap_or_else(|_| "{}".into());
            ev.execute(params![
                rid,
                doc_id,
                r.evidence.sentence_index as i64,
                r.evidence.cue,
                c(r.evidence.cue_start),
                attrs
            ])?;
        }
    }
    for (i, words) in words {
        if let Some(row) = search::register_sentence(tx, doc_id, *i as i64)? {
            pending.push((row, words.as_str()));
        }
    }
    Ok(())
}

/// After a document is replaced: relations nobody states any more, and entities nobody mentions
/// or relates, go.
fn collect_garbage(tx: &Connection) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM relations WHERE id NOT IN (SELECT relation_id FROM evidence)",
        [],
    )?;
    // An alias no stored document gives any more goes, but never the entity's own name.
    tx.execute(
        "DELETE FROM aliases WHERE sources <= 0
         AND alias <> (SELECT name FROM entities e WHERE e.id = aliases.entity_id)",
        [],
    )?;
    tx.execute(
        "DELETE FROM entities WHERE id NOT IN (SELECT entity_id FROM mentions)
         AND id NOT IN (SELECT head_id FROM relations) AND id NOT IN (SELECT tail_id FROM relations)",
        [],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Extractor;
    use crate::source::make_document;

    #[test]
    fn an_old_database_is_migrated_in_place() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0].1).unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO documents (id, source, hash, text) VALUES (1, 'a', 'h', 't');
             INSERT INTO entities (id, key, name, type) VALUES (1, 'company:google', 'Google', 'company');
             INSERT INTO aliases VALUES (1, '谷歌', '谷歌');
             INSERT INTO mentions (document_id, entity_id, sentence, start, end, surface, source)
                 VALUES (1, 1, 0, 0, 2, '谷歌', 'lexicon');",
        )
        .unwrap();
        migrate(&mut conn, &Default::default()).unwrap();
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, MIGRATIONS.len() as i64);
        let sources: i64 = conn
            .query_row("SELECT count(*) FROM alias_sources", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sources, 1);
    }

    #[test]
    fn sentences_stored_before_the_search_index_are_indexed_by_the_migration() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0].1).unwrap();
        conn.execute_batch(MIGRATIONS[1].1).unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 2;
             INSERT INTO documents (id, source, hash, text) VALUES (1, 'a', 'h', 'Meta宣布裁员。');
             INSERT INTO sentences VALUES (1, 0, 0, 8, 'Meta宣布裁员。');
             INSERT INTO entities (id, key, name, type) VALUES (1, 'company:meta', 'Meta', 'company'),
                 (2, 'event:meta裁员', 'Meta裁员', 'event');
             INSERT INTO relations (id, head_id, tail_id, type) VALUES (1, 1, 2, 'involved_in');
             INSERT INTO evidence (relation_id, document_id, sentence, cue, cue_start) VALUES (1, 1, 0, '裁员', 6);",
        )
        .unwrap();
        let store = Store::init(conn).unwrap();
        let hits = store.search("裁员", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].relations[0].0, "Meta");
        // The normalised names were filled from the keys.
        assert_eq!(store.entities_named("meta裁员").unwrap()[0].name, "Meta裁员");
    }

    #[test]
    fn a_batch_keeps_the_documents_before_a_failure_and_nothing_of_the_failed_one() {
        let ex = Extractor::embedded().unwrap();
        let mut store = Store::open_in_memory().unwrap();
        // SQLite refuses the second document halfway through its rows (after its sentences).
        store
            .conn
            .execute_batch(
                "CREATE TEMP TRIGGER refuse BEFORE INSERT ON mentions
                 WHEN (SELECT source FROM documents WHERE id = NEW.document_id) = 'b.txt'
                 BEGIN SELECT RAISE(ABORT, 'refused'); END;",
            )
            .unwrap();
        // Three texts, not one: the same text under a second source would be a duplicate, not stored.
        let x = |source: &str, company: &str| {
            let text = format!("{company}与OpenAI的竞争愈发激烈。");
            let d = make_document(source.into(), text, None, None, None);
            let x = ex.extract(d);
            let words = sentence_words(&x);
            (x, words)
        };
        let docs = [x("a.txt", "谷歌"), x("b.txt", "微软"), x("c.txt", "百度")];
        let (outcomes, error) = store.write_batch(docs.iter().map(|(x, w)| (x, w.as_slice()))).unwrap();
        assert_eq!(outcomes, vec![IngestOutcome::New]);
        assert!(
            matches!(&error, Some(StoreError::Document { doc, .. }) if doc == "b.txt"),
            "{error:?}"
        );
        let c = store.counts().unwrap();
        assert_eq!(c.documents, 1);
        let orphans: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM sentences WHERE document_id NOT IN (SELECT id FROM documents)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(orphans, 0);
        assert_eq!(
            store.document_hash("a.txt").unwrap(),
            Some(docs[0].0.document.id.clone())
        );
        assert_eq!(store.document_hash("c.txt").unwrap(), None);
        // The kept document's sentence is in the search index, once; the failed one's is not.
        let indexed = |word: &str| -> i64 {
            store
                .conn
                .query_row(
                    "SELECT count(*) FROM search_words WHERE search_words MATCH ?1",
                    [format!("\"{word}\"")],
                    |r| r.get(0),
                )
                .unwrap()
        };
        assert_eq!(indexed("谷歌"), 1);
        assert_eq!(indexed("微软"), 0);
    }

    #[test]
    fn an_edited_document_takes_back_its_aliases() {
        let ex = Extractor::embedded().unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let doc = |t: &str| make_document("a.txt".into(), t.into(), None, None, None);
        store
            .write(&ex.extract(doc("华控技术转移有限公司（简称“华控技术”）成立。华控技术很强。")))
            .unwrap();
        let has_alias = |s: &Store| {
            s.graph()
                .unwrap()
                .nodes
                .iter()
                .any(|n| n.aliases.iter().any(|a| a == "华控技术"))
        };
        assert!(has_alias(&store));
        let outcome = store
            .write(&ex.extract(doc("华控技术转移有限公司成立于北京。")))
            .unwrap();
        assert_eq!(outcome, IngestOutcome::Replaced);
        assert!(!has_alias(&store));
    }

    #[test]
    fn documents_of_another_extractor_are_found_through_the_index() {
        let store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute_batch(
                "INSERT INTO documents (id, source, hash, text, extractor) VALUES
                     (1, 'a', 'h1', 't', 'new'), (2, 'b', 'h2', 't', 'old'),
                     (3, 'c', 'h3', 't', 'new'), (4, 'd', 'h4', 't', ''), (5, 'e', 'h5', 't', 'z');",
            )
            .unwrap();
        assert_eq!(store.stale_documents("new", false).unwrap(), vec![2, 4, 5]);
        assert_eq!(store.stale_documents("new", true).unwrap(), vec![1, 2, 3, 4, 5]);
        // Every ingest asks this first: it must not read the documents' rows, texts and all.
        let plan: Vec<String> = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {STALE_DOCUMENTS}"))
            .unwrap()
            .query_map(["new"], |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!plan.iter().any(|p| p.starts_with("SCAN")), "{plan:?}");
        assert!(
            plan.iter().any(|p| p.contains("COVERING INDEX documents_extractor")),
            "{plan:?}"
        );
    }

    #[test]
    fn an_alias_counts_the_stored_documents_that_give_it() {
        let ex = Extractor::embedded().unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let doc = |s: &str, t: &str| make_document(s.into(), t.into(), None, None, None);
        let sources = |s: &Store| -> i64 {
            s.conn
                .query_row("SELECT sources FROM aliases WHERE alias = '华控技术'", [], |r| {
                    r.get(0)
                })
                .unwrap()
        };
        // Every alias's count is the number of its source rows.
        let counted = |s: &Store| {
            let wrong: i64 = s
                .conn
                .query_row(
                    "SELECT count(*) FROM aliases a WHERE sources <> (SELECT count(*) FROM alias_sources x
                         WHERE x.entity_id = a.entity_id AND x.alias = a.alias)",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(wrong, 0);
        };
        let text = "华控技术转移有限公司（简称“华控技术”）成立。华控技术很强。";
        store.write(&ex.extract(doc("a.txt", text))).unwrap();
        store
            .write(&ex.extract(doc("b.txt", &format!("{text}它在北京。"))))
            .unwrap();
        assert_eq!(sources(&store), 2);
        counted(&store);
        // One of the two goes: the alias stays, given by the other.
        store
            .write(&ex.extract(doc("a.txt", "华控技术转移有限公司成立于北京。")))
            .unwrap();
        assert_eq!(sources(&store), 1);
        counted(&store);
        // A document that names one entity twice over gives each of its aliases once.
        store
            .write(&ex.extract(doc("c.txt", "谷歌（Google）与Google公司是一家。谷歌很大。")))
            .unwrap();
        counted(&store);
        let removed = store
            .remove_documents(&DocumentSelector::Source("b.txt".into()))
            .unwrap();
        assert_eq!(removed, vec!["b.txt".to_string()]);
        let left: i64 = store
            .conn
            .query_row("SELECT count(*) FROM aliases WHERE alias = '华控技术'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(left, 0);
    }
}
