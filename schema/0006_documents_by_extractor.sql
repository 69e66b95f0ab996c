-- Documents by the extractor that stored them.
--
-- Every ingest first looks for documents stored by another extractor, to extract them again. The
-- extractor column comes after the text, so without an index that look-up read every document's
-- text: an ingest's first step grew with the database. With the index it reads only the entries
-- of other extractors (usually none). Documents are stored with the current extractor's
-- fingerprint, so new entries land at the end of its run.
CREATE INDEX documents_extractor ON documents(extractor);
