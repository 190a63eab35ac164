-- Issuing through Moloni exactly once (issue 15): what each local record is in Moloni (customers, products,
-- taxes…), and what a Moloni draft was made from, so a draft made before the document changed is never closed.

-- This desktop's links to Moloni's records: (entity, our key) → Moloni's id, per company. Local: in office mode
-- the server's master sync owns them.
CREATE TABLE moloni_links (
    company_id  TEXT NOT NULL,
    entity      TEXT NOT NULL,
    local_key   TEXT NOT NULL,
    moloni_id   INTEGER NOT NULL,
    PRIMARY KEY (company_id, entity, local_key)
) STRICT, WITHOUT ROWID;

-- The fingerprint of the document's content when it was queued, and when its Moloni draft was made.
ALTER TABLE issue_requests ADD COLUMN content_hash TEXT;
ALTER TABLE issue_requests ADD COLUMN drafted_hash TEXT;

-- A recorded Moloni document never becomes another one; it may be forgotten (NULL) only after its Moloni draft
-- was deleted because the document changed.
DROP TRIGGER issue_requests_moloni_id_once;
CREATE TRIGGER issue_requests_moloni_id_once BEFORE UPDATE OF moloni_document_id ON issue_requests
WHEN old.moloni_document_id IS NOT NULL AND new.moloni_document_id IS NOT NULL
 AND new.moloni_document_id IS NOT old.moloni_document_id
BEGIN
    SELECT RAISE(ABORT, 'the Moloni document of an issue request is recorded once');
END;
