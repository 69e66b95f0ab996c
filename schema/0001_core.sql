-- guanxi core schema: documents and their sentences, entities with aliases,
-- mentions, relations and the evidence sentences that state them.
-- Offsets are in characters of the document text.

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL UNIQUE,          -- path, `path#line` for JSON Lines, `<stdin>`
    hash        TEXT NOT NULL,                 -- SHA-256 of the text
    title       TEXT,
    url         TEXT,
    date        TEXT,
    text        TEXT NOT NULL,
    ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
);

CREATE TABLE sentences (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (document_id, idx)
) WITHOUT ROWID;

CREATE TABLE entities (
    id     INTEGER PRIMARY KEY,
    key    TEXT NOT NULL UNIQUE,               -- type and normalised canonical name
    name   TEXT NOT NULL,
    type   TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}'      -- JSON object (an event's year)
);
CREATE INDEX entities_type ON entities(type);

CREATE TABLE aliases (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias     TEXT NOT NULL,
    match_key TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
) WITHOUT ROWID;
CREATE INDEX aliases_key ON aliases(match_key);

CREATE TABLE mentions (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    entity_id   INTEGER NOT NULL REFERENCES entities(id),
    sentence    INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    surface     TEXT NOT NULL,
    source      TEXT NOT NULL                  -- lexicon, pattern, short_form
);
CREATE INDEX mentions_entity ON mentions(entity_id);
CREATE INDEX mentions_document ON mentions(document_id);

CREATE TABLE relations (
    id      INTEGER PRIMARY KEY,
    head_id INTEGER NOT NULL REFERENCES entities(id),
    tail_id INTEGER NOT NULL REFERENCES entities(id),
    type    TEXT NOT NULL,
    UNIQUE (head_id, tail_id, type)
);
CREATE INDEX relations_tail ON relations(tail_id, type);
CREATE INDEX relations_type ON relations(type);

CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    relation_id INTEGER NOT NULL REFERENCES relations(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sentence    INTEGER NOT NULL,
    cue         TEXT NOT NULL,
    cue_start   INTEGER NOT NULL,
    attributes  TEXT NOT NULL DEFAULT '{}'     -- JSON object (amount, year)
);
CREATE INDEX evidence_relation ON evidence(relation_id);
CREATE INDEX evidence_document ON evidence(document_id);
