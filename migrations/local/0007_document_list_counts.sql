-- The documents list at 500k rows, second pass (PRODUCT.md §6: a filtered, sorted page of 100 in ≤ 20 ms).
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
