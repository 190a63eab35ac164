-- One write path and an outbox a server can merge (issue 11, ARCHITECTURE.md "Sync"):
-- 1. The op: desktop, per-desktop sequence, group (one per local transaction), company, entity, command name,
--    schema version. The old outbox held solo-mode ops that were never sent and never will be (joining an office
--    sends a snapshot, not history), so it is replaced, not converted.
-- 2. Lines ordered by a fractional key that merges (two desktops inserting at one place both keep their line);
--    `position` stays as the local ordinal, recomputed from (sort_key, id).
-- 3. Natural keys never make a pull fail: a local row whose key an incoming row takes is marked `duplicate_of`
--    it and leaves the unique index (a merge screen resolves it).
-- 4. Draft numbers are local: a counter per company and type on this desktop, never synced.
-- 5. Demo companies (sample data) never sync.

DROP TABLE outbox;
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id           TEXT NOT NULL UNIQUE,
    desktop_id      TEXT NOT NULL,
    group_id        TEXT NOT NULL,
    company_id      TEXT NOT NULL,
    entity          TEXT NOT NULL,
    row_id          TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('insert', 'update', 'delete', 'command')),
    command         TEXT CHECK ((kind = 'command') = (command IS NOT NULL)),
    base_rev        INTEGER,
    old_values      TEXT NOT NULL,
    new_values      TEXT NOT NULL,
    schema_version  INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'rejected', 'conflict'))
) STRICT;
CREATE INDEX outbox_pending ON outbox (seq) WHERE state = 'pending';

ALTER TABLE document_lines ADD COLUMN sort_key TEXT NOT NULL DEFAULT '80';
-- The freeze trigger refuses any update of an issued document's lines; this one-time backfill is not an edit.
DROP TRIGGER document_lines_issued_no_update;
-- Two fractional-index bytes per key (fractional_index's hex form, terminator 0x80), in position order.
UPDATE document_lines SET sort_key = printf('%02x%02x80', 129 + position / 120, 129 + position % 120);
CREATE TRIGGER document_lines_issued_no_update BEFORE UPDATE ON document_lines
WHEN (SELECT state FROM documents WHERE id = old.document_id) IN ('issued', 'unpaid', 'partially_paid', 'paid', 'cancelled')
  OR (SELECT state FROM documents WHERE id = new.document_id) IN ('issued', 'unpaid', 'partially_paid', 'paid', 'cancelled')
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable: correct them with a credit note');
END;

ALTER TABLE customers ADD COLUMN duplicate_of TEXT;
ALTER TABLE products ADD COLUMN duplicate_of TEXT;
ALTER TABLE companies ADD COLUMN duplicate_of TEXT;
ALTER TABLE companies ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));

DROP INDEX customers_company_nif;
CREATE UNIQUE INDEX customers_company_nif ON customers (company_id, nif)
    WHERE nif IS NOT NULL AND nif <> '999999990' AND deleted_at IS NULL AND duplicate_of IS NULL;
DROP INDEX products_company_reference;
CREATE UNIQUE INDEX products_company_reference ON products (company_id, reference)
    WHERE deleted_at IS NULL AND duplicate_of IS NULL;
DROP INDEX companies_nif_unique;
CREATE UNIQUE INDEX companies_nif_unique ON companies (nif)
    WHERE nif IS NOT NULL AND deleted_at IS NULL AND duplicate_of IS NULL;

CREATE TABLE draft_counters (
    company_id  TEXT NOT NULL,
    doc_type    TEXT NOT NULL,
    next        INTEGER NOT NULL CHECK (next >= 1),
    PRIMARY KEY (company_id, doc_type)
) STRICT, WITHOUT ROWID;
INSERT INTO draft_counters (company_id, doc_type, next)
    SELECT company_id, doc_type, max(next_draft_number) FROM document_series GROUP BY company_id, doc_type;
