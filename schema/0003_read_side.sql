-- The read side: questions about one entity touch only the rows of their answer.

-- An entity's canonical name normalised for lookup (`match_key`: folded, separators dropped), so a
-- name resolves through an index whether or not it was ever seen as a surface form. The key is
-- `type:` followed by exactly this, so existing rows are filled from it.
ALTER TABLE entities ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE entities SET name_key = substr(key, instr(key, ':') + 1);
CREATE INDEX entities_name_key ON entities(name_key);

-- Both directions of every relation by type: (head, type) here, (tail, type) since 0001.
CREATE INDEX relations_head ON relations(head_id, type);

-- Full-text search over the sentences that state relations. FTS5's own tokenizers do not split
-- Chinese words, so the indexed text is the sentence's jieba search-mode words (lower case,
-- separated by spaces), written by guanxi when it stores a document; the sentence itself stays in
-- `sentences`. One row per evidence sentence, whose rowid is `search_sentences.id`.
CREATE TABLE search_sentences (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sentence    INTEGER NOT NULL,
    UNIQUE (document_id, sentence)
);
CREATE VIRTUAL TABLE search_words USING fts5(words, content = '', contentless_delete = 1);

-- A replaced document takes its sentences out of the index.
CREATE TRIGGER search_sentences_delete AFTER DELETE ON search_sentences BEGIN
    DELETE FROM search_words WHERE rowid = old.id;
END;

-- The relations a sentence states (search results), by document and sentence.
CREATE INDEX evidence_sentence ON evidence(document_id, sentence);
DROP INDEX evidence_document;
