-- Document identity and re-extraction.

-- The fingerprint of the extractor that stored a document (guanxi's version and a hash of the
-- lexicon and rules in use): a document stored under another one is extracted again. Documents
-- stored before this column existed have '' and are extracted again by the next ingest.
ALTER TABLE documents ADD COLUMN extractor TEXT NOT NULL DEFAULT '';

-- The same content under a second path is one article: it is found by its hash.
CREATE INDEX documents_hash ON documents(hash);
