-- Which document gave each alias, so that replacing a document takes back the aliases only it gave.

CREATE TABLE alias_sources (
    entity_id   INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias       TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (entity_id, alias, document_id)
) WITHOUT ROWID;
CREATE INDEX alias_sources_document ON alias_sources(document_id);

-- Aliases stored before this table existed keep a source in every document that mentions their entity.
INSERT OR IGNORE INTO alias_sources (entity_id, alias, document_id)
SELECT DISTINCT a.entity_id, a.alias, m.document_id FROM aliases a JOIN mentions m ON m.entity_id = a.entity_id;
