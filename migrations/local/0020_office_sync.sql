-- Office sync (issue 19), this desktop's side: groups the server refused (what was typed is kept with the
-- reason, for the sync centre and a retry), and the open conflicts as last read from the server, with a
-- person's decision waiting to be sent. Local tables: never synced.
CREATE TABLE office_rejections (
    id          INTEGER PRIMARY KEY,
    group_id    TEXT NOT NULL,
    op_id       TEXT NOT NULL UNIQUE,
    company_id  TEXT NOT NULL,
    entity      TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    command     TEXT,
    old_values  TEXT NOT NULL,
    new_values  TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          TEXT NOT NULL,
    dismissed_at TEXT
) STRICT;
CREATE INDEX office_rejections_open ON office_rejections (company_id) WHERE dismissed_at IS NULL;

CREATE TABLE office_conflicts (
    id          TEXT PRIMARY KEY NOT NULL,
    company_id  TEXT NOT NULL,
    entity      TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    field       TEXT NOT NULL,
    base        TEXT NOT NULL,
    theirs      TEXT NOT NULL,
    mine        TEXT NOT NULL,
    by_user     TEXT NOT NULL,
    at          TEXT NOT NULL,
    -- a person's decision not yet sent: mine, theirs or edited
    choice      TEXT,
    decided_at  TEXT
) STRICT;
CREATE INDEX office_conflicts_company ON office_conflicts (company_id);

-- A pull brings the server's revision of an issued document's lines (its rev, with every value as it was): that
-- is bookkeeping, not an edit. The freeze now refuses a change to anything else, as before.
DROP TRIGGER document_lines_issued_no_update;
CREATE TRIGGER document_lines_issued_no_update BEFORE UPDATE ON document_lines
WHEN ((SELECT state FROM documents WHERE id = old.document_id) IN ('issued', 'unpaid', 'partially_paid', 'paid', 'cancelled')
   OR (SELECT state FROM documents WHERE id = new.document_id) IN ('issued', 'unpaid', 'partially_paid', 'paid', 'cancelled'))
 AND (new.id IS NOT old.id OR new.document_id IS NOT old.document_id OR new.position IS NOT old.position
   OR new.product_id IS NOT old.product_id OR new.description IS NOT old.description OR new.unit IS NOT old.unit
   OR new.quantity IS NOT old.quantity OR new.unit_price IS NOT old.unit_price OR new.discount IS NOT old.discount
   OR new.tax_zone IS NOT old.tax_zone OR new.tax_code IS NOT old.tax_code OR new.exemption IS NOT old.exemption
   OR new.amount IS NOT old.amount OR new.created_at IS NOT old.created_at OR new.deleted_at IS NOT old.deleted_at
   OR new.sort_key IS NOT old.sort_key OR new.withholding_rate IS NOT old.withholding_rate)
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable: correct them with a credit note');
END;
