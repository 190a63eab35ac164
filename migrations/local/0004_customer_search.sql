-- Customer search at 100k rows (PRODUCT.md §6: p95 ≤ 10 ms). The list needs an exact count of matches and the
-- first page in name order. Counting through the table cost a row lookup per match; now the full-text index
-- answers the count alone:
-- * `search_scope` (a virtual generated column, indexed as a second FTS column) holds a token for the company
--   and the tokens `archived` / `deleted`, so a query can be limited to the company's visible customers
--   inside the index. User words are matched in the `search_text` column only, so they never hit these tokens.
-- * prefix indexes for 1–3 characters make the word-prefix queries people type ("l", "fer") cheap.
ALTER TABLE customers ADD COLUMN search_scope TEXT GENERATED ALWAYS AS (
    'k' || replace(company_id, '-', '')
    || CASE WHEN archived = 1 THEN ' archived' ELSE '' END
    || CASE WHEN deleted_at IS NOT NULL THEN ' deleted' ELSE '' END) VIRTUAL;

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
    prefix = '1 2 3'
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
