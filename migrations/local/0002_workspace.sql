-- The offline workspace: products and services, local draft series, documents with their lines, issue
-- requests (PRODUCT.md §5) and payments. Same conventions as 0001: UUIDv7 text ids, RFC 3339 text timestamps,
-- ISO dates (YYYY-MM-DD) for document dates, decimals as TEXT (sqlx-sqlite has no Decimal codec; the engine
-- reads and writes them with rust_decimal and every amount comes from desk-model), `rev` = the central
-- server's revision last seen, `deleted_at` = tombstone. Integer `*_cents` columns are sort/filter keys that
-- mirror a TEXT amount to the cent; they are written from the same desk-model value in the same statement.

CREATE TABLE products (
    id              TEXT PRIMARY KEY NOT NULL,
    company_id      TEXT NOT NULL REFERENCES companies(id),
    reference       TEXT NOT NULL CHECK (length(reference) BETWEEN 1 AND 60),
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- folded name (lower case, no accents): the sort key of product lists
    name_key        TEXT NOT NULL,
    kind            TEXT NOT NULL DEFAULT 'product' CHECK (kind IN ('product', 'service')),
    unit            TEXT NOT NULL DEFAULT 'un' CHECK (length(unit) BETWEEN 1 AND 20),
    -- unit price excluding VAT, a decimal with at most 6 places
    price           TEXT NOT NULL,
    -- VAT: zone (PT, PT-AC, PT-MA), SAF-T code (NOR/INT/RED, or ISE/OUT with an exemption code M..)
    tax_zone        TEXT NOT NULL DEFAULT 'PT' CHECK (tax_zone IN ('PT', 'PT-AC', 'PT-MA')),
    tax_code        TEXT NOT NULL DEFAULT 'NOR' CHECK (tax_code IN ('NOR', 'INT', 'RED', 'ISE', 'OUT')),
    exemption       TEXT CHECK (exemption IS NULL OR exemption GLOB 'M[0-9][0-9]'),
    category        TEXT,
    archived        INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    -- folded words of reference, name and category, indexed by products_fts
    search_text     TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    rev             INTEGER,
    deleted_at      TEXT,
    moloni_id       INTEGER,
    CHECK ((tax_code IN ('ISE', 'OUT')) = (exemption IS NOT NULL))
) STRICT;

-- One reference per company among live products.
CREATE UNIQUE INDEX products_company_reference ON products (company_id, reference) WHERE deleted_at IS NULL;
CREATE INDEX products_list ON products (company_id, archived, name_key, id) WHERE deleted_at IS NULL;

CREATE VIRTUAL TABLE products_fts USING fts5(
    search_text,
    content = 'products',
    content_rowid = 'rowid',
    tokenize = "unicode61 remove_diacritics 2"
);
CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER products_fts_update AFTER UPDATE OF search_text ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO products_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;

-- Local draft numbering, one series per company and document type. Drafts NEVER get fiscal numbers: the
-- draft number ("Rascunho FT/12") only helps people talk about a draft. Two desktops may hand out the same
-- draft number offline; that is harmless because it is not fiscal. The fiscal series and number come from
-- Moloni at issue: `moloni_document_set_id` is the Moloni document set this series issues into.
CREATE TABLE document_series (
    id                      TEXT PRIMARY KEY NOT NULL,
    company_id              TEXT NOT NULL REFERENCES companies(id),
    doc_type                TEXT NOT NULL CHECK (doc_type IN ('FT', 'FR', 'FS', 'NC', 'ND', 'OR', 'RG')),
    name                    TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
    next_draft_number       INTEGER NOT NULL DEFAULT 1 CHECK (next_draft_number >= 1),
    moloni_document_set_id  INTEGER,
    moloni_series_name      TEXT,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    rev                     INTEGER,
    deleted_at              TEXT,
    UNIQUE (company_id, doc_type, name)
) STRICT;

CREATE TABLE documents (
    id                  TEXT PRIMARY KEY NOT NULL,
    company_id          TEXT NOT NULL REFERENCES companies(id),
    series_id           TEXT REFERENCES document_series(id),
    draft_number        INTEGER,
    doc_type            TEXT NOT NULL CHECK (doc_type IN ('FT', 'FR', 'FS', 'NC', 'ND', 'OR', 'RG')),
    state               TEXT NOT NULL DEFAULT 'draft' CHECK (state IN
                            ('draft', 'issue_requested', 'issuing', 'issued', 'unpaid', 'partially_paid', 'paid', 'cancelled')),
    -- the customer, and a snapshot of what the document shows (kept as it was at issue)
    customer_id         TEXT REFERENCES customers(id),
    customer_name       TEXT NOT NULL DEFAULT '',
    customer_key        TEXT NOT NULL DEFAULT '',
    customer_nif        TEXT,
    issue_date          TEXT NOT NULL CHECK (issue_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    due_date            TEXT CHECK (due_date IS NULL OR due_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    -- desk-model PaymentTerms as JSON ({"kind":"days","days":30})
    payment_terms       TEXT,
    notes               TEXT,
    global_discount     TEXT NOT NULL DEFAULT '0',
    retail_b2c          INTEGER NOT NULL DEFAULT 0 CHECK (retail_b2c IN (0, 1)),
    -- conversions: the quote an invoice comes from, the invoice a credit/debit note corrects or a receipt settles
    source_id           TEXT REFERENCES documents(id),
    source_reason       TEXT,
    -- totals as desk-model computed them (drafts) or Moloni returned them (issued)
    gross               TEXT NOT NULL DEFAULT '0',
    discounts           TEXT NOT NULL DEFAULT '0',
    net                 TEXT NOT NULL DEFAULT '0',
    vat                 TEXT NOT NULL DEFAULT '0',
    total               TEXT NOT NULL DEFAULT '0',
    net_cents           INTEGER NOT NULL DEFAULT 0,
    total_cents         INTEGER NOT NULL DEFAULT 0,
    -- settlement of issued receivables (FT, ND): receipts and credit notes, and what is still open
    received            TEXT NOT NULL DEFAULT '0',
    credited            TEXT NOT NULL DEFAULT '0',
    open_cents          INTEGER NOT NULL DEFAULT 0,
    -- sort key of the "number" column: the fiscal number once issued, the draft number before
    number_key          TEXT NOT NULL DEFAULT '',
    issue_requested_at  TEXT,
    -- Moloni's fiscal data: NULL until issued
    moloni_id           INTEGER UNIQUE,
    moloni_document_set_id INTEGER,
    fiscal_number       TEXT,
    fiscal_series       TEXT,
    atcud               TEXT,
    hash4               TEXT,
    issued_at           TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    rev                 INTEGER,
    deleted_at          TEXT,
    CHECK (state IN ('draft', 'issue_requested', 'issuing') OR fiscal_number IS NOT NULL)
) STRICT;

-- The lists: every sort has its own index so a page reads 100 index entries, not the table.
CREATE INDEX documents_by_date ON documents (company_id, issue_date, id) WHERE deleted_at IS NULL;
CREATE INDEX documents_by_type_date ON documents (company_id, doc_type, issue_date, id) WHERE deleted_at IS NULL;
CREATE INDEX documents_by_state_date ON documents (company_id, state, issue_date, id) WHERE deleted_at IS NULL;
CREATE INDEX documents_by_customer_date ON documents (company_id, customer_id, issue_date, id) WHERE deleted_at IS NULL;
CREATE INDEX documents_by_number ON documents (company_id, number_key, id) WHERE deleted_at IS NULL;
CREATE INDEX documents_by_customer_name ON documents (company_id, customer_key, id) WHERE deleted_at IS NULL;
CREATE INDEX documents_by_total ON documents (company_id, total_cents, id) WHERE deleted_at IS NULL;
-- Overdue = due before today with an open balance: only open documents are in this index.
CREATE INDEX documents_open_by_due ON documents (company_id, due_date, id) WHERE deleted_at IS NULL AND open_cents > 0;
CREATE INDEX documents_source ON documents (source_id) WHERE source_id IS NOT NULL;

-- Lines are rows with their own UUIDs (sync merges them one by one, sync-anchors §5.4), ordered by `position`.
-- The foreign key is DEFERRABLE so a sync pull (or the bulk sample loader) can write an issued document's lines
-- before its header inside one transaction: the freeze trigger below only sees a parent that already exists.
CREATE TABLE document_lines (
    id              TEXT PRIMARY KEY NOT NULL,
    document_id     TEXT NOT NULL REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
    position        INTEGER NOT NULL CHECK (position >= 0),
    product_id      TEXT REFERENCES products(id),
    description     TEXT NOT NULL,
    unit            TEXT,
    quantity        TEXT NOT NULL,
    unit_price      TEXT NOT NULL,
    discount        TEXT NOT NULL DEFAULT '0',
    tax_zone        TEXT NOT NULL CHECK (tax_zone IN ('PT', 'PT-AC', 'PT-MA')),
    tax_code        TEXT NOT NULL CHECK (tax_code IN ('NOR', 'INT', 'RED', 'ISE', 'OUT')),
    exemption       TEXT,
    -- the line amount after its own discount, rounded, as desk-model computed it
    amount          TEXT NOT NULL DEFAULT '0',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    rev             INTEGER,
    deleted_at      TEXT
) STRICT;
CREATE INDEX document_lines_by_document ON document_lines (document_id, position) WHERE deleted_at IS NULL;

-- Issued documents are immutable (PRODUCT.md §3), here as in the engine and on the central server.
--
-- Design: a document is frozen from the moment Moloni closes it (states issued, unpaid, partially_paid, paid,
-- cancelled). On the frozen row only the settlement may still change, because receipts and credit notes settle
-- it after issue: `state` (within the issued family, or to cancelled), `received`, `credited`, `open_cents`,
-- plus the bookkeeping `updated_at` and `rev` (a pull records the server's revision). Every other column, the
-- tombstone included, must stay as it was. A cancelled document is frozen completely. Deleting an issued row
-- is refused, and so is inserting, changing or deleting its lines. The transition into `issued` happens from
-- `issuing`, which is not frozen, so the one UPDATE that records Moloni's fiscal data passes.
CREATE TRIGGER documents_issued_frozen BEFORE UPDATE ON documents
WHEN old.state IN ('issued', 'unpaid', 'partially_paid', 'paid', 'cancelled')
 AND (old.state = 'cancelled'
      OR new.state NOT IN ('issued', 'unpaid', 'partially_paid', 'paid', 'cancelled')
      OR new.id IS NOT old.id OR new.company_id IS NOT old.company_id OR new.series_id IS NOT old.series_id
      OR new.draft_number IS NOT old.draft_number OR new.doc_type IS NOT old.doc_type
      OR new.customer_id IS NOT old.customer_id OR new.customer_name IS NOT old.customer_name
      OR new.customer_key IS NOT old.customer_key OR new.customer_nif IS NOT old.customer_nif
      OR new.issue_date IS NOT old.issue_date OR new.due_date IS NOT old.due_date
      OR new.payment_terms IS NOT old.payment_terms OR new.notes IS NOT old.notes
      OR new.global_discount IS NOT old.global_discount OR new.retail_b2c IS NOT old.retail_b2c
      OR new.source_id IS NOT old.source_id OR new.source_reason IS NOT old.source_reason
      OR new.gross IS NOT old.gross OR new.discounts IS NOT old.discounts OR new.net IS NOT old.net
      OR new.vat IS NOT old.vat OR new.total IS NOT old.total OR new.net_cents IS NOT old.net_cents
      OR new.total_cents IS NOT old.total_cents OR new.number_key IS NOT old.number_key
      OR new.issue_requested_at IS NOT old.issue_requested_at OR new.moloni_id IS NOT old.moloni_id
      OR new.moloni_document_set_id IS NOT old.moloni_document_set_id
      OR new.fiscal_number IS NOT old.fiscal_number OR new.fiscal_series IS NOT old.fiscal_series
      OR new.atcud IS NOT old.atcud OR new.hash4 IS NOT old.hash4 OR new.issued_at IS NOT old.issued_at
      OR new.created_at IS NOT old.created_at OR new.deleted_at IS NOT old.deleted_at)
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable: correct them with a credit note');
END;
CREATE TRIGGER documents_issued_no_delete BEFORE DELETE ON documents
WHEN old.state IN ('issued', 'unpaid', 'partially_paid', 'paid', 'cancelled')
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable: correct them with a credit note');
END;
CREATE TRIGGER document_lines_issued_no_insert BEFORE INSERT ON document_lines
WHEN (SELECT state FROM documents WHERE id = new.document_id) IN ('issued', 'unpaid', 'partially_paid', 'paid', 'cancelled')
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable: correct them with a credit note');
END;
CREATE TRIGGER document_lines_issued_no_update BEFORE UPDATE ON document_lines
WHEN (SELECT state FROM documents WHERE id = old.document_id) IN ('issued', 'unpaid', 'partially_paid', 'paid', 'cancelled')
  OR (SELECT state FROM documents WHERE id = new.document_id) IN ('issued', 'unpaid', 'partially_paid', 'paid', 'cancelled')
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable: correct them with a credit note');
END;
CREATE TRIGGER document_lines_issued_no_delete BEFORE DELETE ON document_lines
WHEN (SELECT state FROM documents WHERE id = old.document_id) IN ('issued', 'unpaid', 'partially_paid', 'paid', 'cancelled')
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable: correct them with a credit note');
END;

-- The issue queue in solo mode (sync-anchors §5.6 `moloni_jobs`, in SQLite): one request per document, claimed
-- with a lease and a fencing token that grows on every claim. At most one Moloni document is ever recorded
-- for a request (UNIQUE), and once recorded it never changes.
CREATE TABLE issue_requests (
    document_id         TEXT PRIMARY KEY NOT NULL REFERENCES documents(id),
    company_id          TEXT NOT NULL REFERENCES companies(id),
    -- written into the Moloni document, searched for before creating one: the document's own id
    our_reference       TEXT NOT NULL UNIQUE,
    state               TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'drafted', 'done', 'needs_attention', 'withdrawn')),
    moloni_document_id  INTEGER UNIQUE,
    fence               INTEGER NOT NULL DEFAULT 0,
    lease_owner         TEXT,
    lease_until         TEXT,
    attempts            INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT,
    requested_at        TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;
CREATE INDEX issue_requests_waiting ON issue_requests (requested_at) WHERE state IN ('pending', 'drafted');
CREATE TRIGGER issue_requests_moloni_id_once BEFORE UPDATE OF moloni_document_id ON issue_requests
WHEN old.moloni_document_id IS NOT NULL AND new.moloni_document_id IS NOT old.moloni_document_id
BEGIN
    SELECT RAISE(ABORT, 'the Moloni document of an issue request is recorded once');
END;

-- Payments received against issued invoices (FT, ND), partial included. Each prepares a receipt (RG) draft,
-- which Moloni issues later like any other document.
CREATE TABLE payments (
    id              TEXT PRIMARY KEY NOT NULL,
    company_id      TEXT NOT NULL REFERENCES companies(id),
    document_id     TEXT NOT NULL REFERENCES documents(id),
    receipt_id      TEXT REFERENCES documents(id),
    paid_on         TEXT NOT NULL CHECK (paid_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    amount          TEXT NOT NULL,
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    method          TEXT NOT NULL CHECK (length(method) BETWEEN 1 AND 60),
    notes           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    rev             INTEGER,
    deleted_at      TEXT
) STRICT;
CREATE INDEX payments_by_document ON payments (document_id, paid_on) WHERE deleted_at IS NULL;
