-- Office sync (issue 19): change notices, the commands that move server-owned columns, and issue leases on the
-- server's clock.

-- ── Change notices ───────────────────────────────────────────────────────────────────────────────────────────
-- Every committed write to a synced table (or a conflict) wakes the listening desktops: NOTIFY is delivered at
-- commit and folded within a transaction. Desktops never depend on it: a missed notice is caught by the next
-- timed pull.
CREATE FUNCTION desk_notify() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    PERFORM pg_notify('desk_sync', TG_TABLE_NAME);
    RETURN NULL;
END $$;

CREATE TRIGGER notify AFTER INSERT OR UPDATE ON companies FOR EACH STATEMENT EXECUTE FUNCTION desk_notify();
CREATE TRIGGER notify AFTER INSERT OR UPDATE ON customers FOR EACH STATEMENT EXECUTE FUNCTION desk_notify();
CREATE TRIGGER notify AFTER INSERT OR UPDATE ON products FOR EACH STATEMENT EXECUTE FUNCTION desk_notify();
CREATE TRIGGER notify AFTER INSERT OR UPDATE ON documents FOR EACH STATEMENT EXECUTE FUNCTION desk_notify();
CREATE TRIGGER notify AFTER INSERT OR UPDATE ON document_lines FOR EACH STATEMENT EXECUTE FUNCTION desk_notify();
CREATE TRIGGER notify AFTER INSERT OR UPDATE ON payments FOR EACH STATEMENT EXECUTE FUNCTION desk_notify();
CREATE TRIGGER notify AFTER INSERT OR UPDATE ON conflicts FOR EACH STATEMENT EXECUTE FUNCTION desk_notify();

-- ── Commands ─────────────────────────────────────────────────────────────────────────────────────────────────
-- A document's state and fiscal data move only here (the guard and frozen triggers refuse them to a person):
-- the function checks the caller's role and membership itself, then the move itself, and writes only the
-- columns that command may set. Refusals are raised with a message a person can read; the desktop turns them
-- into a rejected op, never an error that jams its queue.
CREATE FUNCTION desk_command(cmd text, doc uuid, fields jsonb) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    d public.documents;
    r public.documents;
    settled constant text[] := ARRAY['issued', 'unpaid', 'partially_paid', 'paid'];
    allowed text[];
    -- the totals as the desktop computed them from the lines it queued or issued (a command carries them whole)
    totals constant text[] := ARRAY['gross', 'discounts', 'net', 'vat', 'total', 'net_cents', 'total_cents',
                                    'withholding', 'customer_key'];
    wanted text := fields ->> 'state';
BEGIN
    IF NOT (pg_has_role(session_user, 'desk_accountant', 'MEMBER') OR pg_has_role(session_user, 'desk_admin', 'MEMBER')) THEN
        RAISE EXCEPTION 'only accountants and administrators may issue or cancel documents' USING ERRCODE = '42501';
    END IF;
    SELECT * INTO d FROM public.documents WHERE id = doc FOR UPDATE;
    IF NOT FOUND OR NOT public.desk_is_member(d.company_id) THEN
        RAISE EXCEPTION 'document % is not on the server' , doc USING ERRCODE = '23503';
    END IF;
    IF d.deleted_at IS NOT NULL THEN
        RAISE EXCEPTION 'document % was deleted on another desktop', doc USING ERRCODE = '55000';
    END IF;
    CASE cmd
    WHEN 'issue.request' THEN
        IF d.state = 'issue_requested' THEN RETURN 'same'; END IF;
        IF d.state <> 'draft' OR wanted IS DISTINCT FROM 'issue_requested' THEN
            RAISE EXCEPTION 'document % is % and cannot be queued for issue', doc, d.state USING ERRCODE = '55000';
        END IF;
        allowed := ARRAY['state', 'issue_requested_at'] || totals;
    WHEN 'issue.withdraw' THEN
        IF d.state = 'draft' THEN RETURN 'same'; END IF;
        IF d.state <> 'issue_requested' OR wanted IS DISTINCT FROM 'draft' THEN
            RAISE EXCEPTION 'document % is % and cannot be withdrawn from the queue', doc, d.state USING ERRCODE = '55000';
        END IF;
        allowed := ARRAY['state', 'issue_requested_at'];
    WHEN 'issue.claim' THEN
        IF d.state = 'issuing' THEN RETURN 'same'; END IF;
        IF d.state <> 'issue_requested' OR wanted IS DISTINCT FROM 'issuing' THEN
            RAISE EXCEPTION 'document % is % and cannot be claimed for issue', doc, d.state USING ERRCODE = '55000';
        END IF;
        allowed := ARRAY['state'];
    WHEN 'issue.release' THEN
        IF d.state = wanted THEN RETURN 'same'; END IF;
        IF d.state <> 'issuing' OR wanted NOT IN ('issue_requested', 'draft') THEN
            RAISE EXCEPTION 'document % is % and cannot be released', doc, d.state USING ERRCODE = '55000';
        END IF;
        allowed := ARRAY['state'];
    WHEN 'issue.record' THEN
        IF d.state = ANY (settled) THEN
            IF d.fiscal_number = fields ->> 'fiscal_number' THEN RETURN 'same'; END IF;
            RAISE EXCEPTION 'document % was already issued as %', doc, d.fiscal_number USING ERRCODE = '55000';
        END IF;
        IF d.state NOT IN ('issue_requested', 'issuing', 'draft') OR NOT (wanted = ANY (settled))
           OR coalesce(fields ->> 'fiscal_number', '') = '' THEN
            RAISE EXCEPTION 'document % is % and cannot be recorded as issued', doc, d.state USING ERRCODE = '55000';
        END IF;
        allowed := ARRAY['state', 'moloni_id', 'moloni_document_set_id', 'fiscal_number', 'fiscal_series', 'atcud',
                         'hash4', 'issued_at', 'issued_snapshot', 'received', 'credited', 'open_cents',
                         'issue_requested_at'] || totals;
    WHEN 'moloni.pull' THEN
        -- a document issued in Moloni's own app, brought in by the Moloni sync as it stands there
        IF d.state = ANY (settled) OR d.state = 'cancelled' THEN
            IF d.moloni_id::text = fields ->> 'moloni_id' THEN RETURN 'same'; END IF;
            RAISE EXCEPTION 'document % was already issued as %', doc, d.fiscal_number USING ERRCODE = '55000';
        END IF;
        IF d.state <> 'draft' OR NOT (wanted = ANY (settled) OR wanted = 'cancelled')
           OR coalesce(fields ->> 'fiscal_number', '') = '' OR coalesce(fields ->> 'moloni_id', '') = '' THEN
            RAISE EXCEPTION 'document % is % and cannot take Moloni''s fiscal data', doc, d.state USING ERRCODE = '55000';
        END IF;
        allowed := ARRAY['state', 'moloni_id', 'moloni_document_set_id', 'fiscal_number', 'fiscal_series', 'atcud',
                         'hash4', 'issued_at', 'issued_snapshot', 'received', 'credited', 'open_cents',
                         'cancel_reason'] || totals;
    WHEN 'issue.cancel' THEN
        IF d.state = 'cancelled' THEN RETURN 'same'; END IF;
        IF NOT (d.state = ANY (settled)) OR wanted IS DISTINCT FROM 'cancelled'
           OR coalesce(fields ->> 'cancel_reason', '') = '' THEN
            RAISE EXCEPTION 'document % is % and cannot be cancelled', doc, d.state USING ERRCODE = '55000';
        END IF;
        allowed := ARRAY['state', 'cancel_reason'];
    ELSE
        RAISE EXCEPTION 'unknown command %', cmd USING ERRCODE = '22023';
    END CASE;
    r := jsonb_populate_record(d, (SELECT coalesce(jsonb_object_agg(k, v), '{}') FROM jsonb_each(fields) AS e(k, v)
                                   WHERE k = ANY (allowed)));
    UPDATE public.documents SET
        state = r.state, issue_requested_at = r.issue_requested_at, moloni_id = r.moloni_id,
        moloni_document_set_id = r.moloni_document_set_id, fiscal_number = r.fiscal_number,
        fiscal_series = r.fiscal_series, atcud = r.atcud, hash4 = r.hash4, issued_at = r.issued_at,
        issued_snapshot = r.issued_snapshot, received = r.received, credited = r.credited,
        open_cents = r.open_cents, cancel_reason = r.cancel_reason, gross = r.gross, discounts = r.discounts,
        net = r.net, vat = r.vat, total = r.total, net_cents = r.net_cents, total_cents = r.total_cents,
        withholding = r.withholding, customer_key = r.customer_key
    WHERE id = doc;
    RETURN 'applied';
END $$;
REVOKE ALL ON FUNCTION desk_command(text, uuid, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION desk_command(text, uuid, jsonb) TO desk_accountant, desk_admin;

-- ── Leases on the server's clock (issuing, the Moloni master sync) ──────────────────────────────────────────
-- One holder at a time per key (an issue request: `issue:<document>`; a company's Moloni sync: `moloni:<company>`),
-- measured on the server's clock so no desktop's clock matters; every take raises the fence, and a holder's
-- writes carry it, so a desktop whose lease ran out cannot act on a stale one.
CREATE TABLE leases (
    key        text PRIMARY KEY,
    company_id uuid NOT NULL REFERENCES companies (id),
    holder     uuid NOT NULL,
    db_user    text NOT NULL DEFAULT session_user,
    fence      bigint NOT NULL,
    until      timestamptz NOT NULL
);
ALTER TABLE leases ENABLE ROW LEVEL SECURITY;
ALTER TABLE leases FORCE ROW LEVEL SECURITY;
CREATE POLICY member ON leases USING (desk_is_member(company_id)) WITH CHECK (desk_is_member(company_id));
GRANT SELECT ON leases TO desk_viewer, desk_accountant, desk_admin;

-- Takes (or renews) the lease on `lease_key` for `holder` for `seconds`; returns its fence, or NULL when another
-- holder's lease is still running.
CREATE FUNCTION desk_lease_take(lease_key text, company uuid, holder uuid, seconds int) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    l public.leases;
BEGIN
    IF NOT public.desk_is_member(company)
       OR NOT (pg_has_role(session_user, 'desk_accountant', 'MEMBER') OR pg_has_role(session_user, 'desk_admin', 'MEMBER')) THEN
        RAISE EXCEPTION 'only the company''s accountants and administrators may take its leases' USING ERRCODE = '42501';
    END IF;
    INSERT INTO public.leases (key, company_id, holder, fence, until)
    VALUES (lease_key, company, holder, 1, clock_timestamp() + make_interval(secs => seconds))
    ON CONFLICT (key) DO NOTHING
    RETURNING * INTO l;
    IF FOUND THEN RETURN l.fence; END IF;
    UPDATE public.leases SET holder = desk_lease_take.holder, db_user = session_user,
           fence = CASE WHEN leases.holder = desk_lease_take.holder AND leases.until > clock_timestamp()
                        THEN leases.fence ELSE leases.fence + 1 END,
           until = clock_timestamp() + make_interval(secs => seconds)
     WHERE key = lease_key AND (leases.holder = desk_lease_take.holder OR leases.until <= clock_timestamp())
    RETURNING * INTO l;
    IF FOUND THEN RETURN l.fence; END IF;
    RETURN NULL;
END $$;

-- Whether `holder` still holds `lease_key` with `fence` (checked, inside the same transaction, before a write
-- that the lease guards).
CREATE FUNCTION desk_lease_held(lease_key text, holder uuid, fence bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
$$ SELECT EXISTS (SELECT 1 FROM public.leases l WHERE l.key = lease_key AND l.holder = desk_lease_held.holder
                  AND l.fence = desk_lease_held.fence AND l.until > clock_timestamp()
                  AND public.desk_is_member(l.company_id)) $$;

-- Gives a lease up (its holder only).
CREATE FUNCTION desk_lease_release(lease_key text, holder uuid) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS
$$ UPDATE public.leases SET until = clock_timestamp() WHERE key = lease_key AND leases.holder = desk_lease_release.holder
       AND public.desk_is_member(company_id) $$;

REVOKE ALL ON FUNCTION desk_lease_take(text, uuid, uuid, int), desk_lease_held(text, uuid, bigint),
    desk_lease_release(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION desk_lease_take(text, uuid, uuid, int), desk_lease_held(text, uuid, bigint),
    desk_lease_release(text, uuid) TO desk_accountant, desk_admin;

-- The newest revision handed out (a pull's progress bar measures against it).
CREATE FUNCTION desk_head() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
$$ SELECT rev FROM public.rev_clock WHERE id = 1 $$;
REVOKE ALL ON FUNCTION desk_head() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION desk_head() TO desk_viewer, desk_accountant, desk_admin;

-- A pull reads `rev > cursor ORDER BY rev` across every company the person belongs to: an index on rev alone lets
-- it read one page of rows instead of sorting the table each time (row security then checks only those).
CREATE INDEX customers_rev ON customers (rev);
CREATE INDEX products_rev ON products (rev);
CREATE INDEX documents_rev ON documents (rev);
CREATE INDEX document_lines_rev ON document_lines (rev);
CREATE INDEX payments_rev ON payments (rev);
