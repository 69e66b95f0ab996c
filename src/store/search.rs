//! Full-text search over the sentences that state relations: SQLite FTS5 over the sentences'
//! jieba words (FTS5's own tokenizers do not split Chinese words). Kept in step with the
//! documents: a stored document indexes its evidence sentences in its own transaction, and a
//! replaced one takes them out (a trigger of migration 0003).

use super::{Store, StoreError};
use crate::model::RelationType;
use crate::segment::JiebaSegmenter;
use rusqlite::{OptionalExtension, Transaction, params};

/// At most this many matching sentences, the most recently stored, are ranked by relevance.
pub const RANKED: usize = 500;

/// A sentence that matched a search, with the relations it states.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    /// The document's source.
    pub doc: String,
    /// The document's date, when known.
    pub date: Option<String>,
    /// The sentence.
    pub sentence: String,
    /// The relations the sentence states: head, relation, tail.
    pub relations: Vec<(String, RelationType, String)>,
}

/// The search index's segmenter: jieba's default dictionary, one for the whole process, so that
/// the threads that prepare documents share it.
static SEGMENTER: std::sync::LazyLock<JiebaSegmenter> = std::sync::LazyLock::new(JiebaSegmenter::plain);

/// The search words of the sentences of an extraction that state relations (the ones the index
/// holds), by sentence index: what [`Store::write_batch`] takes with each document. Segmenting
/// costs more than storing, so ingest computes these on its worker threads.
pub fn sentence_words(x: &crate::model::Extraction) -> Vec<(usize, String)> {
    let d = &x.document;
    let mut stated: Vec<usize> = x.relations.iter().map(|r| r.evidence.sentence_index).collect();
    stated.sort_unstable();
    stated.dedup();
    stated
        .into_iter()
        .filter_map(|i| {
            d.sentences
                .get(i)
                .map(|s| (i, SEGMENTER.search_terms(d.sentence_text(s)).join(" ")))
        })
        .collect()
}

/// Indexes one sentence of a stored document (once).
pub(super) fn index_sentence(
    tx: &Transaction,
    seg: &JiebaSegmenter,
    document_id: i64,
    sentence: i64,
    text: &str,
) -> Result<(), StoreError> {
    index_words(tx, document_id, sentence, &seg.search_terms(text).join(" "))
}

/// Registers one sentence of a stored document in the index (once) and gives the index row its
/// words will take, or `None` when the sentence was registered already. The words are written
/// later, a batch at a time, by [`index_pending`].
pub(super) fn register_sentence(
    tx: &rusqlite::Connection,
    document_id: i64,
    sentence: i64,
) -> Result<Option<i64>, StoreError> {
    let added = tx
        .prepare_cached("INSERT OR IGNORE INTO search_sentences (document_id, sentence) VALUES (?1, ?2)")?
        .execute(params![document_id, sentence])?;
    Ok((added == 1).then(|| tx.last_insert_rowid()))
}

/// Writes the words of registered sentences (index row, words) into the index, in one statement.
///
/// FTS5 writes the terms it holds in memory out as a new index segment at every statement that
/// opens a savepoint while it has some, which is every write statement of a transaction it is part
/// of: one statement for a whole batch writes one segment instead of one for every sentence.
pub(super) fn index_pending(tx: &rusqlite::Connection, pending: &mut Vec<(i64, &str)>) -> Result<(), StoreError> {
    if pending.is_empty() {
        return Ok(());
    }
    let rows = serde_json::to_string(&*pending).expect("index rows serialise");
    tx.prepare_cached("INSERT INTO search_words (rowid, words) SELECT value ->> 0, value ->> 1 FROM json_each(?1)")?
        .execute([rows])?;
    pending.clear();
    Ok(())
}

/// Indexes one sentence of a stored document (once) under its search words.
pub(super) fn index_words(
    tx: &rusqlite::Connection,
    document_id: i64,
    sentence: i64,
    words: &str,
) -> Result<(), StoreError> {
    let added = tx
        .prepare_cached("INSERT OR IGNORE INTO search_sentences (document_id, sentence) VALUES (?1, ?2)")?
        .execute(params![document_id, sentence])?;
    if added == 1 {
        let id = tx.last_insert_rowid();
        tx.prepare_cached("INSERT INTO search_words (rowid, words) VALUES (?1, ?2)")?
            .execute(params![id, words])?;
    }
    Ok(())
}

/// Indexes every evidence sentence not indexed yet (a database from before the index).
pub(super) fn index_all(tx: &Transaction, seg: &JiebaSegmenter) -> Result<(), StoreError> {
    let rows: Vec<(i64, i64, String)> = {
        let mut st = tx.prepare(
            "SELECT DISTINCT v.document_id, v.sentence, s.text FROM evidence v
             JOIN sentences s ON s.document_id = v.document_id AND s.idx = v.sentence",
        )?;
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?
    };
    for (doc, sentence, text) in rows {
        index_sentence(tx, seg, doc, sentence, &text)?;
    }
    Ok(())
}

/// The FTS5 query for a text: every word of it, each quoted (so no word is read as an operator).
/// A text in Traditional script also finds sentences written in Simplified: its Simplified
/// form's words are the alternative (the index holds the words as written).
fn fts_query(seg: &JiebaSegmenter, text: &str) -> Option<String> {
    let all_of = |text: &str| -> Option<String> {
        let mut terms = seg.search_terms(text);
        terms.sort();
        terms.dedup();
        if terms.is_empty() {
            return None;
        }
        Some(
            terms
                .iter()
                .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" AND "),
        )
    };
    let written = all_of(text)?;
    let simplified: String = text.chars().map(crate::script::simplify_char).collect();
    match all_of(&simplified) {
        Some(s) if simplified != text && s != written => Some(format!("({written}) OR ({s})")),
        _ => Some(written),
    }
}

impl Store {
    /// The evidence sentences that hold every word of `text`, best match first (FTS5's bm25).
    /// Ranking costs a few microseconds a match, so when more than [`RANKED`] sentences match, the
    /// most recently stored [`RANKED`] of them are ranked: news searches want recent sentences,
    /// and a common word then costs no more than a rare one.
    ///
    /// ```
    /// # let ex = guanxi::pipeline::Extractor::embedded().unwrap();
    /// let mut store = guanxi::store::Store::open_in_memory().unwrap();
    /// let doc = guanxi::source::make_document("a.txt".into(), "2023年Meta宣布裁员约2.1万人。".into(), None, None, None);
    /// store.write(&ex.extract(doc)).unwrap();
    /// let hits = store.search("裁员", 10).unwrap();
    /// assert!(hits[0].sentence.contains("Meta"));
    /// ```
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let Some(query) = fts_query(self.segmenter(), text) else {
            return Ok(Vec::new());
        };
        let floor: i64 = self
            .conn
            .prepare_cached(
                "SELECT rowid FROM search_words WHERE search_words MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ?2",
            )?
            .query_row(params![query, RANKED as i64 - 1], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        let found: Vec<(i64, i64, String, Option<String>, String)> = {
            let mut st = self.conn.prepare_cached(
                "SELECT ss.document_id, ss.sentence, d.source, d.date, s.text
                 FROM (SELECT rowid, rank FROM search_words WHERE search_words MATCH ?1 AND rowid >= ?3
                       ORDER BY rank LIMIT ?2) f
                 JOIN search_sentences ss ON ss.id = f.rowid
                 JOIN documents d ON d.id = ss.document_id
                 JOIN sentences s ON s.document_id = ss.document_id AND s.idx = ss.sentence
                 ORDER BY f.rank",
            )?;
            st.query_map(params![query, limit as i64, floor], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<_, _>>()?
        };
        let mut st = self.conn.prepare_cached(
            "SELECT DISTINCT h.name, r.type, t.name FROM evidence v JOIN relations r ON r.id = v.relation_id
             JOIN entities h ON h.id = r.head_id JOIN entities t ON t.id = r.tail_id
             WHERE v.document_id = ?1 AND v.sentence = ?2 ORDER BY r.type, h.name, t.name",
        )?;
        let mut hits = Vec::with_capacity(found.len());
        for (doc_id, sentence, doc, date, text) in found {
            let relations = st
                .query_map(params![doc_id, sentence], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
                })?
                .map(|row| {
                    let (h, t, tail) = row?;
                    Ok((h, super::read::relation_type(&t)?, tail))
                })
                .collect::<Result<_, StoreError>>()?;
            hits.push(SearchHit {
                doc,
                date,
                sentence: text,
                relations,
            });
        }
        Ok(hits)
    }
}
