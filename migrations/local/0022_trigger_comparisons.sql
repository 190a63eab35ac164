-- A trigger's `x IN ('a', 'b', 'c')` builds a temporary table each time the trigger fires (SQLite codes an IN list
-- of more than two constants as an ephemeral index, made once per statement but once per row inside a trigger):
-- 35 µs a row, most of a first pull's inserts. The same conditions as comparisons, nothing else changed.

DROP TRIGGER documents_issued_frozen;
CREATE TRIGGER documents_issued_frozen BEFORE UPDATE ON documents
WHEN (old.state = 'issued' OR old.state = 'unpaid' OR old.state = 'partially_paid' OR old.state = 'paid' OR old.state = 'cancelled')
 AND (old.state = 'cancelled'
      OR NOT (new.state = 'issued' OR new.state = 'unpaid' OR new.state = 'partially_paid' OR new.state = 'paid' OR new.state = 'cancelled')
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
      OR new.created_at IS NOT old.created_at OR new.deleted_at IS NOT old.deleted_at
      OR new.withholding_rate IS NOT old.withholding_rate OR new.withholding IS NOT old.withholding
      OR new.supply_date IS NOT old.supply_date OR new.issued_snapshot IS NOT old.issued_snapshot)
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable: correct them with a credit note');
END;

DROP TRIGGER documents_issued_no_delete;
CREATE TRIGGER documents_issued_no_delete BEFORE DELETE ON documents
WHEN (old.state = 'issued' OR old.state = 'unpaid' OR old.state = 'partially_paid' OR old.state = 'paid' OR old.state = 'cancelled')
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable: correct them with a credit note');
END;

DROP TRIGGER documents_report_delete;
CREATE TRIGGER documents_report_delete AFTER DELETE ON documents
WHEN old.deleted_at IS NULL AND (old.doc_type = 'FT' OR old.doc_type = 'FR' OR old.doc_type = 'FS' OR old.doc_type = 'ND' OR old.doc_type = 'NC')
 AND (old.state = 'issued' OR old.state = 'unpaid' OR old.state = 'partially_paid' OR old.state = 'paid')
BEGIN
    DELETE FROM report_months
    WHERE company_id = old.company_id AND month = CAST(replace(substr(old.issue_date, 1, 7), '-', '') AS INTEGER);
END;

DROP TRIGGER documents_report_insert;
CREATE TRIGGER documents_report_insert AFTER INSERT ON documents
WHEN new.deleted_at IS NULL AND (new.doc_type = 'FT' OR new.doc_type = 'FR' OR new.doc_type = 'FS' OR new.doc_type = 'ND' OR new.doc_type = 'NC')
 AND (new.state = 'issued' OR new.state = 'unpaid' OR new.state = 'partially_paid' OR new.state = 'paid')
BEGIN
    DELETE FROM report_months
    WHERE company_id = new.company_id AND month = CAST(replace(substr(new.issue_date, 1, 7), '-', '') AS INTEGER);
END;

DROP TRIGGER documents_report_update;
CREATE TRIGGER documents_report_update AFTER UPDATE ON documents
WHEN (old.deleted_at IS NULL AND (old.doc_type = 'FT' OR old.doc_type = 'FR' OR old.doc_type = 'FS' OR old.doc_type = 'ND' OR old.doc_type = 'NC')
      AND (old.state = 'issued' OR old.state = 'unpaid' OR old.state = 'partially_paid' OR old.state = 'paid'))
     IS NOT (new.deleted_at IS NULL AND (new.doc_type = 'FT' OR new.doc_type = 'FR' OR new.doc_type = 'FS' OR new.doc_type = 'ND' OR new.doc_type = 'NC')
      AND (new.state = 'issued' OR new.state = 'unpaid' OR new.state = 'partially_paid' OR new.state = 'paid'))
  OR (new.deleted_at IS NULL AND (new.doc_type = 'FT' OR new.doc_type = 'FR' OR new.doc_type = 'FS' OR new.doc_type = 'ND' OR new.doc_type = 'NC')
      AND (new.state = 'issued' OR new.state = 'unpaid' OR new.state = 'partially_paid' OR new.state = 'paid')
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

DROP TRIGGER document_lines_issued_no_delete;
CREATE TRIGGER document_lines_issued_no_delete BEFORE DELETE ON document_lines
WHEN (SELECT state = 'issued' OR state = 'unpaid' OR state = 'partially_paid' OR state = 'paid' OR state = 'cancelled' FROM documents WHERE id = old.document_id)
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable: correct them with a credit note');
END;

DROP TRIGGER document_lines_issued_no_insert;
CREATE TRIGGER document_lines_issued_no_insert BEFORE INSERT ON document_lines
WHEN (SELECT state = 'issued' OR state = 'unpaid' OR state = 'partially_paid' OR state = 'paid' OR state = 'cancelled' FROM documents WHERE id = new.document_id)
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable: correct them with a credit note');
END;

DROP TRIGGER document_lines_issued_no_update;
CREATE TRIGGER document_lines_issued_no_update BEFORE UPDATE ON document_lines
WHEN ((SELECT state = 'issued' OR state = 'unpaid' OR state = 'partially_paid' OR state = 'paid' OR state = 'cancelled' FROM documents WHERE id = old.document_id)
   OR (SELECT state = 'issued' OR state = 'unpaid' OR state = 'partially_paid' OR state = 'paid' OR state = 'cancelled' FROM documents WHERE id = new.document_id))
 AND (new.id IS NOT old.id OR new.document_id IS NOT old.document_id OR new.position IS NOT old.position
   OR new.product_id IS NOT old.product_id OR new.description IS NOT old.description OR new.unit IS NOT old.unit
   OR new.quantity IS NOT old.quantity OR new.unit_price IS NOT old.unit_price OR new.discount IS NOT old.discount
   OR new.tax_zone IS NOT old.tax_zone OR new.tax_code IS NOT old.tax_code OR new.exemption IS NOT old.exemption
   OR new.amount IS NOT old.amount OR new.created_at IS NOT old.created_at OR new.deleted_at IS NOT old.deleted_at
   OR new.sort_key IS NOT old.sort_key OR new.withholding_rate IS NOT old.withholding_rate)
BEGIN
    SELECT RAISE(ABORT, 'issued documents are immutable: correct them with a credit note');
END;
