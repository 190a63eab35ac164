-- The documents list at 500k rows (PRODUCT.md §6: a filtered, sorted page of 100 in ≤ 20 ms). The sort indexes
-- now also carry the filter columns (type, state, date), so a page walks one index and tests each entry
-- without reading the table, and the counts of type/state/date filters never leave an index.
DROP INDEX documents_by_date;
CREATE INDEX documents_by_date ON documents (company_id, issue_date, id, doc_type, state) WHERE deleted_at IS NULL;
DROP INDEX documents_by_number;
CREATE INDEX documents_by_number ON documents (company_id, number_key, id, doc_type, state, issue_date) WHERE deleted_at IS NULL;
DROP INDEX documents_by_customer_name;
CREATE INDEX documents_by_customer_name ON documents (company_id, customer_key, id, doc_type, state, issue_date) WHERE deleted_at IS NULL;
DROP INDEX documents_by_total;
CREATE INDEX documents_by_total ON documents (company_id, total_cents, id, doc_type, state, issue_date) WHERE deleted_at IS NULL;
DROP INDEX documents_by_state_date;
CREATE INDEX documents_by_state_type_date ON documents (company_id, state, doc_type, issue_date, id) WHERE deleted_at IS NULL;
-- tombstones, for the fast count of an unfiltered list (all rows less these)
CREATE INDEX documents_tombstones ON documents (company_id) WHERE deleted_at IS NOT NULL;
