-- Reports over the local cache (issue 17).
--
-- Sales by month and by customer read one covering index over a period, never the table.
CREATE INDEX documents_sales ON documents (company_id, issue_date, doc_type, state, net_cents, total_cents, customer_nif, customer_name)
    WHERE deleted_at IS NULL;
-- Each document's VAT summary per zone and rate as desk-model computed it, a local derived cache for the VAT
-- report: valid while the document's `updated_at` and the rounding it was computed with are the same (an issued
-- document never changes; a settlement or an edit makes it stale, and the next report recomputes it). Never
-- synced: every desktop derives it from the rows it has.
CREATE TABLE document_vat_state (
    document_id  TEXT PRIMARY KEY NOT NULL,
    updated_at   TEXT NOT NULL,
    rounding     TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE document_vat (
    document_id  TEXT NOT NULL,
    zone         TEXT NOT NULL,
    code         TEXT NOT NULL,
    exemption    TEXT NOT NULL DEFAULT '',
    percent      TEXT NOT NULL,
    base_cents   INTEGER NOT NULL,
    vat_cents    INTEGER NOT NULL,
    PRIMARY KEY (document_id, zone, code, exemption)
) STRICT, WITHOUT ROWID;
