-- The local cache's foundation: settings, companies, customers with accent-blind search, and the two logs
-- every local edit writes in its own transaction: the audit trail (who/when/before/after) and the sync outbox.
-- Ids are UUIDv7 as text, made on this desktop. `rev` is the central server's revision last seen for a row
-- (NULL until office mode syncs it); `deleted_at` marks tombstones. Migrations are append-only.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE companies (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    nif         TEXT CHECK (nif IS NULL OR (length(nif) = 9 AND nif NOT GLOB '*[^0-9]*')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    rev         INTEGER,
    deleted_at  TEXT
) STRICT;

CREATE TABLE customers (
    id                  TEXT PRIMARY KEY NOT NULL,
    company_id          TEXT NOT NULL REFERENCES companies(id),
    name                TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- folded name (lower case, no accents): the sort key of every customer list
    name_key            TEXT NOT NULL,
    nif                 TEXT CHECK (nif IS NULL OR length(nif) BETWEEN 1 AND 30),
    email               TEXT,
    phone               TEXT,
    address             TEXT,
    postal_code         TEXT,
    city                TEXT,
    country             TEXT NOT NULL DEFAULT 'PT' CHECK (length(country) = 2),
    payment_terms_days  INTEGER CHECK (payment_terms_days IS NULL OR payment_terms_days BETWEEN 0 AND 365),
    notes               TEXT,
    archived            INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    -- folded words of name, NIF, e-mail and town, indexed by customers_fts
    search_text         TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    rev                 INTEGER,
    deleted_at          TEXT,
    moloni_id           INTEGER
) STRICT;

-- One NIF per company; the final-consumer NIF 999999990 may be shared.
CREATE UNIQUE INDEX customers_company_nif ON customers (company_id, nif)
    WHERE nif IS NOT NULL AND nif <> '999999990' AND deleted_at IS NULL;
CREATE INDEX customers_list ON customers (company_id, archived, name_key, id) WHERE deleted_at IS NULL;

CREATE VIRTUAL TABLE customers_fts USING fts5(
    search_text,
    content = 'customers',
    content_rowid = 'rowid',
    tokenize = "unicode61 remove_diacritics 2"
);
CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER customers_fts_update AFTER UPDATE OF search_text ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO customers_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;

-- Every local change, append-only: the triggers below refuse edits and deletes.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    company_id  TEXT,
    table_name  TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'command')),
    before      TEXT,
    after       TEXT
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

-- Ops waiting to be pushed to the central server (PRODUCT.md §4 rule 3), written in the same transaction
-- as the edit. `seq` is this desktop's sequence; old/new hold only the fields the op changed.
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id       TEXT NOT NULL UNIQUE,
    table_name  TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('insert', 'update', 'delete', 'command')),
    base_rev    INTEGER,
    old_values  TEXT,
    new_values  TEXT,
    created_at  TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'applied', 'rejected', 'conflict'))
) STRICT;
CREATE INDEX outbox_pending ON outbox (seq) WHERE state = 'pending';
