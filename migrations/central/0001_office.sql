-- Office mode's central schema (issue 18): the synced tables with a commit-ordered `rev`, tombstones, applied
-- op ids, companies and memberships, conflicts, an append-only audit written by triggers, the group roles with
-- their grants, row-level security per company (FORCE'd) and the guards on issued documents and server-owned
-- columns. Applied by `desk server init`; later files by `desk server upgrade`. Append-only, like local/.
--
-- Who is who: the role that ran `init` owns every object ("the server"); people log in with their own LOGIN
-- role, a member of exactly one of desk_admin, desk_accountant, desk_viewer. Policies and audit name people by
-- session_user (inside a SECURITY DEFINER function current_user is the owner, session_user still the person).

-- The group roles are cluster-wide; a cluster may hold other databases, so each person gets CONNECT on this
-- database only (desk_user_add), and PUBLIC none.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'desk_admin') THEN CREATE ROLE desk_admin NOLOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'desk_accountant') THEN CREATE ROLE desk_accountant NOLOGIN; END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'desk_viewer') THEN CREATE ROLE desk_viewer NOLOGIN; END IF;
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
END $$;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO desk_admin, desk_accountant, desk_viewer;

-- ── The clock ────────────────────────────────────────────────────────────────────────────────────────────────
-- One row, taken by every writing transaction (desk_stamp): its row lock is held until commit, so a transaction
-- that took rev N commits before any other can take N+1, and a pull of `rev > cursor` never skips a row that
-- commits late.
CREATE TABLE rev_clock (
    id  int PRIMARY KEY CHECK (id = 1),
    rev bigint NOT NULL
);
INSERT INTO rev_clock VALUES (1, 0);

CREATE FUNCTION desk_next_rev() RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS
$$ UPDATE public.rev_clock SET rev = rev + 1 WHERE id = 1 RETURNING rev $$;
REVOKE ALL ON FUNCTION desk_next_rev() FROM PUBLIC;

-- ── People and memberships ───────────────────────────────────────────────────────────────────────────────────
CREATE TABLE people (
    name       text PRIMARY KEY,
    role       text NOT NULL CHECK (role IN ('admin', 'accountant', 'viewer')),
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT session_user
);

-- ── The synced tables ────────────────────────────────────────────────────────────────────────────────────────
-- Columns as the desktop's Entity::COLUMNS declare them, minus Local ones (a test compares them), plus the
-- server's own: rev (commit order), updated_at (server time) and deleted_at (the tombstone). Values keep the
-- desktop's encoding (decimals as text, so 10.50 stays 10.50); ids are uuid.
CREATE TABLE companies (
    id             uuid PRIMARY KEY,
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    nif            text,
    address        text,
    postal_code    text,
    city           text,
    country        text NOT NULL DEFAULT 'PT',
    share_capital  text,
    registry       text,
    iban           text,
    payment_method text,
    vat_regime     text NOT NULL DEFAULT 'normal',
    rounding       text NOT NULL DEFAULT 'document' CHECK (rounding IN ('document', 'line')),
    created_at     text NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    rev            bigint NOT NULL DEFAULT 0,
    deleted_at     text
);
CREATE UNIQUE INDEX companies_nif ON companies (nif) WHERE deleted_at IS NULL AND nif IS NOT NULL;
CREATE INDEX companies_rev ON companies (rev);

CREATE TABLE memberships (
    user_name  text NOT NULL REFERENCES people (name),
    company_id uuid NOT NULL REFERENCES companies (id),
    added_at   timestamptz NOT NULL DEFAULT now(),
    added_by   text NOT NULL DEFAULT session_user,
    PRIMARY KEY (user_name, company_id)
);

CREATE TABLE customers (
    id                 uuid PRIMARY KEY,
    company_id         uuid NOT NULL REFERENCES companies (id),
    name               text NOT NULL,
    name_key           text NOT NULL DEFAULT '',
    nif                text,
    email              text,
    phone              text,
    address            text,
    postal_code        text,
    city               text,
    country            text NOT NULL DEFAULT 'PT',
    payment_terms_days bigint,
    notes              text,
    withholding_rate   text,
    archived           bigint NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    search_text        text NOT NULL DEFAULT '',
    created_at         text NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    rev                bigint NOT NULL DEFAULT 0,
    deleted_at         text
);
CREATE UNIQUE INDEX customers_company_nif ON customers (company_id, nif)
    WHERE deleted_at IS NULL AND nif IS NOT NULL AND nif <> '999999990';
CREATE INDEX customers_pull ON customers (company_id, rev);

CREATE TABLE products (
    id          uuid PRIMARY KEY,
    company_id  uuid NOT NULL REFERENCES companies (id),
    reference   text NOT NULL,
    name        text NOT NULL,
    name_key    text NOT NULL DEFAULT '',
    kind        text NOT NULL DEFAULT 'product',
    unit        text NOT NULL DEFAULT 'un',
    price       text NOT NULL,
    tax_zone    text NOT NULL DEFAULT 'PT',
    tax_code    text NOT NULL DEFAULT 'NOR',
    exemption   text,
    category    text,
    archived    bigint NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    search_text text NOT NULL DEFAULT '',
    created_at  text NOT NULL,
    withholding_rate text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    rev         bigint NOT NULL DEFAULT 0,
    deleted_at  text
);
CREATE UNIQUE INDEX products_company_reference ON products (company_id, reference) WHERE deleted_at IS NULL;
CREATE INDEX products_pull ON products (company_id, rev);

CREATE TABLE documents (
    id                     uuid PRIMARY KEY,
    company_id             uuid NOT NULL REFERENCES companies (id),
    doc_type               text NOT NULL,
    state                  text NOT NULL DEFAULT 'draft' CHECK (state IN
                               ('draft', 'issue_requested', 'issuing', 'issued', 'unpaid', 'partially_paid', 'paid', 'cancelled')),
    customer_id            uuid,
    customer_name          text NOT NULL DEFAULT '',
    customer_key           text NOT NULL DEFAULT '',
    customer_nif           text,
    issue_date             text NOT NULL,
    due_date               text,
    payment_terms          text,
    notes                  text,
    global_discount        text NOT NULL DEFAULT '0',
    retail_b2c             bigint NOT NULL DEFAULT 0,
    source_id              uuid,
    source_reason          text,
    gross                  text NOT NULL DEFAULT '0',
    discounts              text NOT NULL DEFAULT '0',
    net                    text NOT NULL DEFAULT '0',
    vat                    text NOT NULL DEFAULT '0',
    total                  text NOT NULL DEFAULT '0',
    net_cents              bigint NOT NULL DEFAULT 0,
    total_cents            bigint NOT NULL DEFAULT 0,
    received               text NOT NULL DEFAULT '0',
    credited               text NOT NULL DEFAULT '0',
    open_cents             bigint NOT NULL DEFAULT 0,
    issue_requested_at     text,
    moloni_id              bigint,
    moloni_document_set_id bigint,
    fiscal_number          text,
    fiscal_series          text,
    atcud                  text,
    hash4                  text,
    issued_at              text,
    created_at             text NOT NULL,
    withholding_rate       text,
    withholding            text NOT NULL DEFAULT '0',
    supply_date            text,
    issued_snapshot        text,
    cancel_reason          text,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    rev                    bigint NOT NULL DEFAULT 0,
    deleted_at             text,
    CHECK (state IN ('draft', 'issue_requested', 'issuing') OR fiscal_number IS NOT NULL)
);
CREATE INDEX documents_pull ON documents (company_id, rev);

CREATE TABLE document_lines (
    id          uuid PRIMARY KEY,
    -- the document's company, set by the server (desk_line_company), so row security needs no join
    company_id  uuid NOT NULL REFERENCES companies (id),
    document_id uuid NOT NULL REFERENCES documents (id) DEFERRABLE INITIALLY DEFERRED,
    position    bigint NOT NULL DEFAULT 0,
    sort_key    text NOT NULL DEFAULT '80',
    product_id  uuid,
    description text NOT NULL,
    unit        text,
    quantity    text NOT NULL,
    unit_price  text NOT NULL,
    discount    text NOT NULL DEFAULT '0',
    tax_zone    text NOT NULL,
    tax_code    text NOT NULL,
    exemption   text,
    amount      text NOT NULL DEFAULT '0',
    created_at  text NOT NULL,
    withholding_rate text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    rev         bigint NOT NULL DEFAULT 0,
    deleted_at  text
);
CREATE INDEX document_lines_pull ON document_lines (company_id, rev);
CREATE INDEX document_lines_document ON document_lines (document_id);

CREATE TABLE payments (
    id           uuid PRIMARY KEY,
    company_id   uuid NOT NULL REFERENCES companies (id),
    document_id  uuid NOT NULL REFERENCES documents (id) DEFERRABLE INITIALLY DEFERRED,
    receipt_id   uuid,
    paid_on      text NOT NULL,
    amount       text NOT NULL,
    amount_cents bigint NOT NULL,
    method       text NOT NULL,
    notes        text,
    created_at   text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    rev          bigint NOT NULL DEFAULT 0,
    deleted_at   text
);
CREATE INDEX payments_pull ON payments (company_id, rev);

-- ── Sync bookkeeping (filled by the push of issue 19) ────────────────────────────────────────────────────────
-- An op applied once: its id is recorded in the transaction that applies it, so a replay does nothing.
CREATE TABLE applied_ops (
    op_id      uuid PRIMARY KEY,
    client_id  uuid NOT NULL,
    seq        bigint NOT NULL,
    group_id   uuid,
    company_id uuid NOT NULL REFERENCES companies (id),
    db_user    text NOT NULL DEFAULT session_user,
    applied_at timestamptz NOT NULL DEFAULT now(),
    result     jsonb NOT NULL DEFAULT '{}',
    UNIQUE (client_id, seq)
);

-- A field both sides changed differently, waiting for a person: one open entry per (row, field).
CREATE TABLE conflicts (
    id          uuid PRIMARY KEY,
    company_id  uuid NOT NULL REFERENCES companies (id),
    entity      text NOT NULL,
    row_id      uuid NOT NULL,
    field       text NOT NULL,
    base        jsonb,
    theirs      jsonb,
    mine        jsonb,
    op_id       uuid,
    db_user     text NOT NULL DEFAULT session_user,
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    resolved_by text,
    resolved_at timestamptz
);
CREATE UNIQUE INDEX conflicts_open ON conflicts (entity, row_id, field) WHERE status = 'open';

-- ── The audit ────────────────────────────────────────────────────────────────────────────────────────────────
-- Written only by desk_audit (triggers); nobody holds INSERT, UPDATE, DELETE or TRUNCATE on it, and triggers
-- refuse UPDATE, DELETE and TRUNCATE even to its owner.
CREATE TABLE audit (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    db_user    text NOT NULL DEFAULT session_user,
    tbl        text NOT NULL,
    row_id     text NOT NULL,
    company_id uuid,
    action     text NOT NULL CHECK (action IN ('INSERT', 'UPDATE', 'DELETE')),
    before     jsonb,
    after      jsonb,
    txid       xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_row ON audit (tbl, row_id);

-- ── Who is asking ────────────────────────────────────────────────────────────────────────────────────────────
CREATE FUNCTION desk_is_admin() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS
$$ SELECT pg_has_role(session_user, 'desk_admin', 'MEMBER') $$;

-- Members of a company, active. SECURITY DEFINER so a policy can read memberships whatever the caller's grants.
CREATE FUNCTION desk_is_member(company uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
$$ SELECT EXISTS (SELECT 1 FROM public.memberships m JOIN public.people p ON p.name = m.user_name
                  WHERE m.user_name = session_user AND m.company_id = company AND p.active) $$;

-- The session's person and role, for the app to show what it may do.
CREATE FUNCTION desk_session(OUT user_name text, OUT role text, OUT active boolean)
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS
$$ SELECT session_user::text,
          CASE WHEN pg_has_role(session_user, 'desk_admin', 'MEMBER') THEN 'admin'
               WHEN pg_has_role(session_user, 'desk_accountant', 'MEMBER') THEN 'accountant'
               WHEN pg_has_role(session_user, 'desk_viewer', 'MEMBER') THEN 'viewer' END,
          coalesce((SELECT p.active FROM public.people p WHERE p.name = session_user), false) $$;

-- The server's schema version (the newest migration applied), readable by every member.
CREATE FUNCTION desk_schema_version() RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
$$ BEGIN RETURN (SELECT max(version) FROM public._sqlx_migrations WHERE success); END $$;

-- Whether the statement runs as the server (the tables' owner, inside one of its SECURITY DEFINER functions)
-- rather than as a person.
CREATE FUNCTION desk_is_server(tbl oid) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS
$$ SELECT current_user::regrole = (SELECT relowner FROM pg_class WHERE oid = tbl)::regrole
          AND current_user <> session_user $$;

-- ── Triggers ─────────────────────────────────────────────────────────────────────────────────────────────────
-- rev from the clock and the server's time on every insert and update, whoever writes.
-- (SECURITY DEFINER: only the server may take from the clock, so nobody can hold or skip it by hand)
CREATE FUNCTION desk_stamp() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    NEW.rev := public.desk_next_rev();
    NEW.updated_at := now();
    RETURN NEW;
END $$;

-- Fixed columns (TG_ARGV[0], comma-separated) never change; server-owned ones (TG_ARGV[1]) only as the server.
CREATE FUNCTION desk_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    c text;
    n jsonb := to_jsonb(NEW);
    o jsonb;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        o := to_jsonb(OLD);
        FOREACH c IN ARRAY string_to_array(TG_ARGV[0], ',') LOOP
            IF n -> c IS DISTINCT FROM o -> c THEN
                RAISE EXCEPTION 'column %.% is fixed at insert and cannot change', TG_TABLE_NAME, c
                    USING ERRCODE = '42501';
            END IF;
        END LOOP;
    END IF;
    IF TG_ARGV[1] <> '' AND NOT public.desk_is_server(TG_RELID) THEN
        FOREACH c IN ARRAY string_to_array(TG_ARGV[1], ',') LOOP
            IF (TG_OP = 'INSERT' AND n -> c <> 'null'::jsonb) OR (TG_OP = 'UPDATE' AND n -> c IS DISTINCT FROM o -> c) THEN
                RAISE EXCEPTION 'column %.% is written by the server only', TG_TABLE_NAME, c
                    USING ERRCODE = '42501';
            END IF;
        END LOOP;
    END IF;
    RETURN NEW;
END $$;

-- A document's state: the server's commands move it; a person may only create drafts and, once issued, move
-- its settlement (unpaid ↔ partially paid ↔ paid as payments come in). From issue_requested on nothing else of
-- the document changes, and once cancelled nothing at all.
CREATE FUNCTION desk_document_frozen() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    settlement constant text[] := ARRAY['issued', 'unpaid', 'partially_paid', 'paid'];
    server boolean := public.desk_is_server(TG_RELID);
    moving constant text[] := ARRAY['received', 'credited', 'open_cents', 'state', 'rev', 'updated_at'];
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state <> 'draft' AND NOT server THEN
            RAISE EXCEPTION 'a document is created as a draft; only the server issues it' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.state <> 'draft' THEN
            RAISE EXCEPTION 'document % is issued or queued for issue and cannot be deleted', OLD.id
                USING ERRCODE = '55000';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.state = 'cancelled' THEN
        RAISE EXCEPTION 'document % is cancelled and cannot change', OLD.id USING ERRCODE = '55000';
    END IF;
    IF NEW.state IS DISTINCT FROM OLD.state AND NOT server
       AND NOT (OLD.state = ANY (settlement) AND NEW.state = ANY (settlement)) THEN
        RAISE EXCEPTION 'the state of document % is moved by the server only', OLD.id USING ERRCODE = '42501';
    END IF;
    IF OLD.state = ANY (settlement) AND NOT server
       AND to_jsonb(NEW) - moving IS DISTINCT FROM to_jsonb(OLD) - moving THEN
        RAISE EXCEPTION 'document % is issued and cannot change: issue a credit note to correct it', OLD.id
            USING ERRCODE = '55000';
    END IF;
    IF OLD.state IN ('issue_requested', 'issuing') AND NOT server
       AND to_jsonb(NEW) - ARRAY['rev', 'updated_at'] IS DISTINCT FROM to_jsonb(OLD) - ARRAY['rev', 'updated_at'] THEN
        RAISE EXCEPTION 'document % is queued for issue and cannot change', OLD.id USING ERRCODE = '55000';
    END IF;
    RETURN NEW;
END $$;

-- The state of a document whatever the caller may see (for the lines' guard).
CREATE FUNCTION desk_document_state(doc uuid, OUT state text, OUT company_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
$$ SELECT d.state, d.company_id FROM public.documents d WHERE d.id = doc $$;
REVOKE ALL ON FUNCTION desk_document_state(uuid) FROM PUBLIC;

-- A line takes its document's company, and the lines of a document past draft never change.
CREATE FUNCTION desk_line_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    d record;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT * INTO d FROM public.desk_document_state(OLD.document_id);
        IF d.state IS NOT NULL AND d.state <> 'draft' THEN
            RAISE EXCEPTION 'the lines of document % cannot change: it is issued or queued for issue', OLD.document_id
                USING ERRCODE = '55000';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    END IF;
    SELECT * INTO d FROM public.desk_document_state(NEW.document_id);
    IF d.state IS NULL THEN
        RAISE EXCEPTION 'document % does not exist on the server', NEW.document_id USING ERRCODE = '23503';
    END IF;
    IF d.state <> 'draft' THEN
        RAISE EXCEPTION 'the lines of document % cannot change: it is issued or queued for issue', NEW.document_id
            USING ERRCODE = '55000';
    END IF;
    NEW.company_id := d.company_id;
    RETURN NEW;
END $$;

-- One audit entry per row changed, with the person, the time, and the row before and after.
CREATE FUNCTION desk_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    b jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    a jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    r jsonb := coalesce(a, b);
BEGIN
    INSERT INTO public.audit (db_user, tbl, row_id, company_id, action, before, after)
    VALUES (session_user, TG_TABLE_NAME,
            coalesce(r ->> 'id', r ->> 'name', (r ->> 'user_name') || ' ' || (r ->> 'company_id')),
            CASE WHEN TG_TABLE_NAME = 'companies' THEN (r ->> 'id')::uuid ELSE (r ->> 'company_id')::uuid END,
            TG_OP, b, a);
    RETURN NULL;
END $$;

CREATE FUNCTION desk_audit_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = '42501';
END $$;

-- The admin who adds a company becomes its first member.
CREATE FUNCTION desk_company_added() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM public.people WHERE name = session_user) THEN
        INSERT INTO public.memberships (user_name, company_id) VALUES (session_user, NEW.id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION desk_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION desk_audit_append_only();

CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON companies FOR EACH ROW EXECUTE FUNCTION desk_stamp();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION desk_stamp();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON products FOR EACH ROW EXECUTE FUNCTION desk_stamp();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON documents FOR EACH ROW EXECUTE FUNCTION desk_stamp();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON document_lines FOR EACH ROW EXECUTE FUNCTION desk_stamp();
CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON payments FOR EACH ROW EXECUTE FUNCTION desk_stamp();

CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON companies FOR EACH ROW
    EXECUTE FUNCTION desk_guard('id,created_at', '');
CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON customers FOR EACH ROW
    EXECUTE FUNCTION desk_guard('id,company_id,created_at', '');
CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON products FOR EACH ROW
    EXECUTE FUNCTION desk_guard('id,company_id,created_at', '');
CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON documents FOR EACH ROW
    EXECUTE FUNCTION desk_guard('id,company_id,source_id,created_at',
        'issue_requested_at,moloni_id,moloni_document_set_id,fiscal_number,fiscal_series,atcud,hash4,issued_at,issued_snapshot,cancel_reason');
CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON document_lines FOR EACH ROW
    EXECUTE FUNCTION desk_guard('id,company_id,document_id,created_at', '');
CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON payments FOR EACH ROW
    EXECUTE FUNCTION desk_guard('id,company_id,document_id,receipt_id,created_at', '');

CREATE TRIGGER frozen BEFORE INSERT OR UPDATE OR DELETE ON documents FOR EACH ROW EXECUTE FUNCTION desk_document_frozen();
-- runs before `guard` (triggers fire in name order), so a line's company comes from its document
CREATE TRIGGER a_line_guard BEFORE INSERT OR UPDATE OR DELETE ON document_lines FOR EACH ROW EXECUTE FUNCTION desk_line_guard();
CREATE TRIGGER company_added AFTER INSERT ON companies FOR EACH ROW EXECUTE FUNCTION desk_company_added();

CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON companies FOR EACH ROW EXECUTE FUNCTION desk_audit();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON customers FOR EACH ROW EXECUTE FUNCTION desk_audit();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON products FOR EACH ROW EXECUTE FUNCTION desk_audit();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON documents FOR EACH ROW EXECUTE FUNCTION desk_audit();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON document_lines FOR EACH ROW EXECUTE FUNCTION desk_audit();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION desk_audit();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON people FOR EACH ROW EXECUTE FUNCTION desk_audit();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON memberships FOR EACH ROW EXECUTE FUNCTION desk_audit();
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON conflicts FOR EACH ROW EXECUTE FUNCTION desk_audit();

-- ── Row-level security, FORCE'd so the owner is held too ─────────────────────────────────────────────────────
ALTER TABLE companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE companies FORCE ROW LEVEL SECURITY;
CREATE POLICY member ON companies USING (desk_is_member(id)) WITH CHECK (desk_is_member(id));
CREATE POLICY admin_adds ON companies FOR INSERT WITH CHECK (desk_is_admin());

ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE customers FORCE ROW LEVEL SECURITY;
CREATE POLICY member ON customers USING (desk_is_member(company_id)) WITH CHECK (desk_is_member(company_id));
ALTER TABLE products ENABLE ROW LEVEL SECURITY;
ALTER TABLE products FORCE ROW LEVEL SECURITY;
CREATE POLICY member ON products USING (desk_is_member(company_id)) WITH CHECK (desk_is_member(company_id));
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents FORCE ROW LEVEL SECURITY;
CREATE POLICY member ON documents USING (desk_is_member(company_id)) WITH CHECK (desk_is_member(company_id));
ALTER TABLE document_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_lines FORCE ROW LEVEL SECURITY;
CREATE POLICY member ON document_lines USING (desk_is_member(company_id)) WITH CHECK (desk_is_member(company_id));
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments FORCE ROW LEVEL SECURITY;
CREATE POLICY member ON payments USING (desk_is_member(company_id)) WITH CHECK (desk_is_member(company_id));
ALTER TABLE applied_ops ENABLE ROW LEVEL SECURITY;
ALTER TABLE applied_ops FORCE ROW LEVEL SECURITY;
CREATE POLICY member ON applied_ops USING (desk_is_member(company_id))
    WITH CHECK (desk_is_member(company_id) AND db_user = session_user);
ALTER TABLE conflicts ENABLE ROW LEVEL SECURITY;
ALTER TABLE conflicts FORCE ROW LEVEL SECURITY;
CREATE POLICY member ON conflicts USING (desk_is_member(company_id)) WITH CHECK (desk_is_member(company_id));

-- people: every member sees who is who (names and roles); changes only through the desk_user_* functions.
ALTER TABLE people ENABLE ROW LEVEL SECURITY;
ALTER TABLE people FORCE ROW LEVEL SECURITY;
CREATE POLICY everyone_reads ON people FOR SELECT USING (true);
CREATE POLICY admin_writes ON people USING (desk_is_admin()) WITH CHECK (desk_is_admin());

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY own_or_admin ON memberships FOR SELECT USING (user_name = session_user OR desk_is_admin());
CREATE POLICY admin_writes ON memberships USING (desk_is_admin()) WITH CHECK (desk_is_admin());

-- audit: read by admins and accountants, for the companies they belong to (admins also the entries of no
-- company: people); written by desk_audit as the owner.
ALTER TABLE audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit FORCE ROW LEVEL SECURITY;
CREATE POLICY reads ON audit FOR SELECT
    USING (desk_is_member(company_id) OR (company_id IS NULL AND desk_is_admin()));
CREATE POLICY trigger_writes ON audit FOR INSERT WITH CHECK (db_user = session_user);

-- ── Grants ───────────────────────────────────────────────────────────────────────────────────────────────────
-- Nobody deletes: deletes are tombstones (deleted_at). Nobody writes people, memberships or audit directly.
GRANT SELECT ON companies, customers, products, documents, document_lines, payments, people, memberships, conflicts
    TO desk_viewer, desk_accountant, desk_admin;
GRANT INSERT, UPDATE ON customers, products, documents, document_lines, payments, conflicts
    TO desk_accountant, desk_admin;
GRANT SELECT, INSERT ON applied_ops TO desk_accountant, desk_admin;
GRANT UPDATE ON companies TO desk_accountant, desk_admin;
GRANT INSERT ON companies TO desk_admin;
GRANT SELECT ON audit TO desk_accountant, desk_admin;

REVOKE ALL ON FUNCTION desk_is_admin(), desk_is_member(uuid), desk_session(), desk_schema_version(), desk_is_server(oid)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION desk_is_admin(), desk_is_member(uuid), desk_session(), desk_schema_version(), desk_is_server(oid)
    TO desk_viewer, desk_accountant, desk_admin;

-- ── People, through functions that check who calls ───────────────────────────────────────────────────────────
-- SECURITY DEFINER as the owner (who has CREATEROLE): desk_admin members get no CREATEROLE themselves, which in
-- PostgreSQL before 16 would let them grant any role in the cluster. Each function checks the caller is an
-- admin, touches only roles listed in `people`, grants only the desk groups, and takes a SCRAM verifier, never
-- a password (the desktop computes it, so no cleartext reaches the server or its logs).
CREATE FUNCTION desk_require_admin() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
BEGIN
    IF NOT pg_has_role(session_user, 'desk_admin', 'MEMBER') THEN
        RAISE EXCEPTION 'only an administrator may manage users' USING ERRCODE = '42501';
    END IF;
END $$;

CREATE FUNCTION desk_check_verifier(verifier text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, public AS $$
BEGIN
    IF verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' THEN
        RAISE EXCEPTION 'a password must arrive as a SCRAM-SHA-256 verifier, never as text' USING ERRCODE = '22023';
    END IF;
END $$;

CREATE FUNCTION desk_group(role text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, public AS $$
BEGIN
    IF role NOT IN ('admin', 'accountant', 'viewer') THEN
        RAISE EXCEPTION 'unknown role %: admin, accountant or viewer', role USING ERRCODE = '22023';
    END IF;
    RETURN 'desk_' || role;
END $$;

CREATE FUNCTION desk_require_person(who text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM public.people WHERE name = who) THEN
        RAISE EXCEPTION 'there is no user % on this server', who USING ERRCODE = '42704';
    END IF;
END $$;

-- The last active admin stays: without one nobody could manage users again.
CREATE FUNCTION desk_keep_an_admin(who text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM public.people WHERE role = 'admin' AND active AND name <> who) THEN
        RAISE EXCEPTION 'user % is the last active administrator', who USING ERRCODE = '55000';
    END IF;
END $$;

CREATE FUNCTION desk_user_set_companies(who text, companies uuid[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    c uuid;
BEGIN
    PERFORM public.desk_require_admin();
    PERFORM public.desk_require_person(who);
    FOREACH c IN ARRAY coalesce(companies, '{}') LOOP
        IF NOT public.desk_is_member(c) THEN
            RAISE EXCEPTION 'company % is not one of yours', c USING ERRCODE = '42501';
        END IF;
    END LOOP;
    -- only the memberships of companies the admin belongs to change
    DELETE FROM public.memberships m
     WHERE m.user_name = who AND public.desk_is_member(m.company_id) AND NOT (m.company_id = ANY (coalesce(companies, '{}')));
    INSERT INTO public.memberships (user_name, company_id)
    SELECT who, x FROM unnest(coalesce(companies, '{}')) AS x ON CONFLICT DO NOTHING;
END $$;

CREATE FUNCTION desk_user_add(who text, verifier text, role text, companies uuid[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    grp text := public.desk_group(role);
BEGIN
    PERFORM public.desk_require_admin();
    PERFORM public.desk_check_verifier(verifier);
    IF who !~ '^[a-z][a-z0-9_.-]{1,62}$' OR who ~ '^(pg_|desk_)' THEN
        RAISE EXCEPTION 'invalid user name %: 2 to 63 lower-case letters, digits, _ . -, starting with a letter', who
            USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = who) THEN
        RAISE EXCEPTION 'a database user % already exists', who USING ERRCODE = '42710';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN INHERIT PASSWORD %L IN ROLE %I', who, verifier, grp);
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), who);
    INSERT INTO public.people (name, role) VALUES (who, role);
    PERFORM public.desk_user_set_companies(who, companies);
END $$;

CREATE FUNCTION desk_user_set_role(who text, new_role text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    grp text := public.desk_group(new_role);
    g text;
BEGIN
    PERFORM public.desk_require_admin();
    PERFORM public.desk_require_person(who);
    IF new_role <> 'admin' THEN PERFORM public.desk_keep_an_admin(who); END IF;
    FOREACH g IN ARRAY ARRAY['desk_admin', 'desk_accountant', 'desk_viewer'] LOOP
        IF g <> grp AND pg_has_role(who, g, 'MEMBER') THEN
            EXECUTE format('REVOKE %I FROM %I', g, who);
        END IF;
    END LOOP;
    EXECUTE format('GRANT %I TO %I', grp, who);
    UPDATE public.people SET role = new_role WHERE name = who;
END $$;

-- An admin resets anyone's password; a person may change their own.
CREATE FUNCTION desk_user_reset(who text, verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF who <> session_user THEN PERFORM public.desk_require_admin(); END IF;
    PERFORM public.desk_require_person(who);
    PERFORM public.desk_check_verifier(verifier);
    EXECUTE format('ALTER ROLE %I PASSWORD %L', who, verifier);
END $$;

CREATE FUNCTION desk_user_disable(who text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    PERFORM public.desk_require_admin();
    PERFORM public.desk_require_person(who);
    PERFORM public.desk_keep_an_admin(who);
    EXECUTE format('ALTER ROLE %I NOLOGIN', who);
    UPDATE public.people SET active = false WHERE name = who;
END $$;

CREATE FUNCTION desk_user_enable(who text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    PERFORM public.desk_require_admin();
    PERFORM public.desk_require_person(who);
    EXECUTE format('ALTER ROLE %I LOGIN', who);
    UPDATE public.people SET active = true WHERE name = who;
END $$;

REVOKE ALL ON FUNCTION desk_require_admin(), desk_check_verifier(text), desk_group(text), desk_require_person(text),
    desk_keep_an_admin(text), desk_user_set_companies(text, uuid[]), desk_user_add(text, text, text, uuid[]),
    desk_user_set_role(text, text), desk_user_reset(text, text), desk_user_disable(text), desk_user_enable(text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION desk_user_set_companies(text, uuid[]), desk_user_add(text, text, text, uuid[]),
    desk_user_set_role(text, text), desk_user_disable(text), desk_user_enable(text) TO desk_admin;
GRANT EXECUTE ON FUNCTION desk_user_reset(text, text) TO desk_viewer, desk_accountant, desk_admin;

-- The role that initialises the server is its first administrator (the grant first: row security holds the
-- owner too, and only admins write people).
DO $$
BEGIN
    EXECUTE format('GRANT desk_admin TO %I', current_user);
END $$;
INSERT INTO people (name, role) SELECT current_user, 'admin';
