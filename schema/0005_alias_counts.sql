-- Alias sources kept in document order, each alias counting the documents that give it, and
-- documents' sources and hashes in an index of their own.
--
-- alias_sources was keyed by entity: every stored document added rows all over that index, so in a
-- large database each commit rewrote a good part of its pages and storing slowed as the database
-- grew. Keyed by document, a new document's rows are appended. Replacing a document still takes back
-- the aliases only it gave: each alias counts its sources (kept by the triggers below), and an
-- alias no document gives any more goes.
ALTER TABLE aliases ADD COLUMN sources INTEGER NOT NULL DEFAULT 0;
UPDATE aliases SET sources = (SELECT count(*) FROM alias_sources s
    WHERE s.entity_id = aliases.entity_id AND s.alias = aliases.alias);

-- No foreign key on the entity: it would need an index by entity again (to find the rows of an
-- entity deleted), and an entity goes only once no document mentions it, when its documents' rows
-- are gone already.
CREATE TABLE alias_sources_by_document (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    entity_id   INTEGER NOT NULL,
    alias       TEXT NOT NULL,
    PRIMARY KEY (document_id, entity_id, alias)
) WITHOUT ROWID;
INSERT INTO alias_sources_by_document (document_id, entity_id, alias)
SELECT document_id, entity_id, alias FROM alias_sources ORDER BY document_id, entity_id, alias;
DROP TABLE alias_sources;
ALTER TABLE alias_sources_by_document RENAME TO alias_sources;

-- Rows deleted with their document (ON DELETE CASCADE) fire these too.
CREATE TRIGGER alias_sources_insert AFTER INSERT ON alias_sources BEGIN
    UPDATE aliases SET sources = sources + 1 WHERE entity_id = new.entity_id AND alias = new.alias;
END;
CREATE TRIGGER alias_sources_delete AFTER DELETE ON alias_sources BEGIN
    UPDATE aliases SET sources = sources - 1 WHERE entity_id = old.entity_id AND alias = old.alias;
END;

-- Which stored documents are unchanged is read at the start of every ingest: from an index that
-- holds the source and hash, not from the documents' rows, which hold their whole text.
CREATE INDEX documents_source_hash ON documents(source, hash);
