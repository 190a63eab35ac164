-- The lists at 100k customers and 500k documents, second pass (PRODUCT.md §6). Documents: a filtered, sorted
-- page of 100 in ≤ 20 ms.
-- * Number order with a type filter: a type's documents sit in one block of the number index (the key starts
--   with the series), so walking `documents_by_number` for "FT, FR, FS by number" crossed every OR/NC/ND entry
--   first. This index gives each type its own range; the engine merges the ranges of the types asked for.
CREATE INDEX documents_by_type_number ON documents (company_id, doc_type, number_key, id, state, issue_date) WHERE deleted_at IS NULL;
-- * Overdue lists walked a sort index of all documents and read each row for its balance and due date: newest
--   first, a month of documents not yet due came before the first overdue one. The open documents (about one in
--   eight) get sort indexes of their own that carry the due date and the other filter columns, and the due-date
--   index that counts them carries those columns too.
DROP INDEX documents_open_by_due;
CREATE INDEX documents_open_by_due ON documents (company_id, due_date, id, doc_type, state, issue_date) WHERE deleted_at IS NULL AND open_cents > 0;
CREATE INDEX documents_open_by_date ON documents (company_id, issue_date, id, due_date, doc_type, state) WHERE deleted_at IS NULL AND open_cents > 0;
CREATE INDEX documents_open_by_number ON documents (company_id, number_key, id, due_date, doc_type, state, issue_date) WHERE deleted_at IS NULL AND open_cents > 0;
CREATE INDEX documents_open_by_customer_name ON documents (company_id, customer_key, id, due_date, doc_type, state, issue_date) WHERE deleted_at IS NULL AND open_cents > 0;
CREATE INDEX documents_open_by_total ON documents (company_id, total_cents, id, due_date, doc_type, state, issue_date) WHERE deleted_at IS NULL AND open_cents > 0;

-- Customer search (p95 ≤ 10 ms): a prefix query longer than the longest prefix index merges the lists of every
-- term it matches before the first row, whatever the LIMIT, and the engine evaluates the words twice per page.
-- Typing a common word whole ("geral", every company e-mail) cost ~8 ms per evaluation at 100k customers; with
-- prefix indexes up to 5 characters it costs ~1 ms (the index grows from ~15 to ~21 MB at 100k customers).
-- Same table, columns, tokenizer and triggers as 0004; only `prefix` changes.
DROP TRIGGER customers_fts_insert;
DROP TRIGGER customers_fts_delete;
DROP TRIGGER customers_fts_update;
DROP TABLE customers_fts;
CREATE VIRTUAL TABLE customers_fts USING fts5(
    search_text,
    search_scope,
    content = 'customers',
    content_rowid = 'rowid',
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '1 2 3 4 5'
);
INSERT INTO customers_fts (customers_fts) VALUES ('rebuild');
CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (rowid, search_text, search_scope) VALUES (new.rowid, new.search_text, new.search_scope);
END;
CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, search_text, search_scope)
        VALUES ('delete', old.rowid, old.search_text, old.search_scope);
END;
CREATE TRIGGER customers_fts_update AFTER UPDATE OF search_text, company_id, archived, deleted_at ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, search_text, search_scope)
        VALUES ('delete', old.rowid, old.search_text, old.search_scope);
    INSERT INTO customers_fts (rowid, search_text, search_scope) VALUES (new.rowid, new.search_text, new.search_scope);
END;
