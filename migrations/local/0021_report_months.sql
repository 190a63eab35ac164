-- Reports over whole months read per-month summaries instead of every document (issue 17: each report over
-- 500k documents within 200 ms). Local derived caches, never synced: every desktop builds them from the rows
-- it has.
--
-- A month's summaries are valid while its row in `report_months` exists (and its rounding is the company's).
-- The first report that needs a month builds it from the documents; the triggers below delete the row whenever a
-- document enters or leaves the month's sales. That is the only way a month's sums change: a sale's amounts,
-- date, customer and lines are immutable (`documents_issued_frozen`, `document_lines_issued_*`), so a payment
-- (issued → paid) keeps the month valid. Months are YYYYMM integers.
CREATE TABLE report_months (
    company_id  TEXT NOT NULL,
    month       INTEGER NOT NULL,
    -- the rounding the month's VAT summary was computed with
    rounding    TEXT NOT NULL,
    PRIMARY KEY (company_id, month)
) STRICT, WITHOUT ROWID;

-- Sales per month: documents, net and total (credit notes subtract).
CREATE TABLE report_month_sales (
    company_id   TEXT NOT NULL,
    month        INTEGER NOT NULL,
    documents    INTEGER NOT NULL,
    net_cents    INTEGER NOT NULL,
    total_cents  INTEGER NOT NULL,
    PRIMARY KEY (company_id, month)
) STRICT, WITHOUT ROWID;

-- The customers of the sales reports, numbered: the key is the documents' NIF, or the name when there is none;
-- the label is the name on the newest sale with that key. Numbers keep the per-month rows small (the report by
-- customer adds one row per customer and month).
CREATE TABLE report_customers (
    id          INTEGER PRIMARY KEY,
    company_id  TEXT NOT NULL,
    key         TEXT NOT NULL,
    label       TEXT NOT NULL,
    label_date  TEXT NOT NULL,
    UNIQUE (company_id, key)
) STRICT;
CREATE TABLE report_month_customers (
    company_id   TEXT NOT NULL,
    customer     INTEGER NOT NULL,
    month        INTEGER NOT NULL,
    documents    INTEGER NOT NULL,
    net_cents    INTEGER NOT NULL,
    total_cents  INTEGER NOT NULL,
    PRIMARY KEY (company_id, customer, month)
) STRICT, WITHOUT ROWID;
-- (no index by month: SQLite then took it for every period and sorted 377k rows to group them, 5× slower than
-- reading the primary key in customer order)

-- Sales per product and month: the line's product, or its description when it has none (as the report groups).
CREATE TABLE report_month_products (
    company_id   TEXT NOT NULL,
    month        INTEGER NOT NULL,
    product_id   TEXT NOT NULL,
    description  TEXT NOT NULL,
    documents    INTEGER NOT NULL,
    net_cents    INTEGER NOT NULL,
    PRIMARY KEY (company_id, month, product_id, description)
) STRICT, WITHOUT ROWID;

-- The VAT summary per month, zone, code, exemption and rate: the sum of the documents' own summaries
-- (`document_vat`, desk-model's computation with the company's rounding).
CREATE TABLE report_month_vat (
    company_id   TEXT NOT NULL,
    month        INTEGER NOT NULL,
    zone         TEXT NOT NULL,
    code         TEXT NOT NULL,
    exemption    TEXT NOT NULL,
    percent      TEXT NOT NULL,
    base_cents   INTEGER NOT NULL,
    vat_cents    INTEGER NOT NULL,
    PRIMARY KEY (company_id, month, zone, code, exemption, percent)
) STRICT, WITHOUT ROWID;

-- A document entering or leaving a month's sales makes that month's summaries stale.
CREATE TRIGGER documents_report_insert AFTER INSERT ON documents
WHEN new.deleted_at IS NULL AND new.doc_type IN ('FT', 'FR', 'FS', 'ND', 'NC')
 AND new.state IN ('issued', 'unpaid', 'partially_paid', 'paid')
BEGIN
    DELETE FROM report_months
    WHERE company_id = new.company_id AND month = CAST(replace(substr(new.issue_date, 1, 7), '-', '') AS INTEGER);
END;
CREATE TRIGGER documents_report_update AFTER UPDATE ON documents
WHEN (old.deleted_at IS NULL AND old.doc_type IN ('FT', 'FR', 'FS', 'ND', 'NC')
      AND old.state IN ('issued', 'unpaid', 'partially_paid', 'paid'))
     IS NOT (new.deleted_at IS NULL AND new.doc_type IN ('FT', 'FR', 'FS', 'ND', 'NC')
      AND new.state IN ('issued', 'unpaid', 'partially_paid', 'paid'))
  OR (new.deleted_at IS NULL AND new.doc_type IN ('FT', 'FR', 'FS', 'ND', 'NC')
      AND new.state IN ('issued', 'unpaid', 'partially_paid', 'paid')
      AND (new.issue_date IS NOT old.issue_date OR new.company_id IS NOT old.company_id
           OR new.doc_type IS NOT old.doc_type OR new.net_cents IS NOT old.net_cents
           OR new.total_cents IS NOT old.total_cents OR new.customer_nif IS NOT old.customer_nif
           OR new.customer_name IS NOT old.customer_name))
BEGIN
    DELETE FROM report_months
    WHERE company_id = old.company_id AND month = CAST(replace(substr(old.issue_date, 1, 7), '-', '') AS INTEGER);
    DELETE FROM report_months
    WHERE company_id = new.company_id AND month = CAST(replace(substr(new.issue_date, 1, 7), '-', '') AS INTEGER);
END;
CREATE TRIGGER documents_report_delete AFTER DELETE ON documents
WHEN old.deleted_at IS NULL AND old.doc_type IN ('FT', 'FR', 'FS', 'ND', 'NC')
 AND old.state IN ('issued', 'unpaid', 'partially_paid', 'paid')
BEGIN
    DELETE FROM report_months
    WHERE company_id = old.company_id AND month = CAST(replace(substr(old.issue_date, 1, 7), '-', '') AS INTEGER);
END;

-- Aged receivables read the open documents from one small index, never the table.
CREATE INDEX documents_receivable ON documents (company_id, customer_nif, customer_name, due_date, issue_date, open_cents)
    WHERE deleted_at IS NULL AND open_cents > 0 AND state IN ('issued', 'unpaid', 'partially_paid');
