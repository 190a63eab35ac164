-- Row security that does not cost a function call per row (issue 19, the first pull of a large office).
--
-- The policies called desk_is_member(company_id) for every row a statement read: a SECURITY DEFINER function
-- cannot be inlined, so a first pull of 600,000 rows made 600,000 membership lookups. The same rule, written as
-- `company_id = ANY ((SELECT desk_member_companies())::uuid[])`, is evaluated once per statement (an init plan) and then
-- compared per row. Who may see and write what is unchanged.

-- The companies the session's person belongs to while active (empty for anyone else).
CREATE FUNCTION desk_member_companies() RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS
$$ SELECT coalesce(array_agg(m.company_id), '{}')
     FROM public.memberships m JOIN public.people p ON p.name = m.user_name
    WHERE m.user_name = session_user AND p.active $$;
REVOKE ALL ON FUNCTION desk_member_companies() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION desk_member_companies() TO desk_viewer, desk_accountant, desk_admin;

ALTER POLICY member ON companies
    USING (id = ANY ((SELECT desk_member_companies())::uuid[])) WITH CHECK (id = ANY ((SELECT desk_member_companies())::uuid[]));
ALTER POLICY member ON customers
    USING (company_id = ANY ((SELECT desk_member_companies())::uuid[]))
    WITH CHECK (company_id = ANY ((SELECT desk_member_companies())::uuid[]));
ALTER POLICY member ON products
    USING (company_id = ANY ((SELECT desk_member_companies())::uuid[]))
    WITH CHECK (company_id = ANY ((SELECT desk_member_companies())::uuid[]));
ALTER POLICY member ON documents
    USING (company_id = ANY ((SELECT desk_member_companies())::uuid[]))
    WITH CHECK (company_id = ANY ((SELECT desk_member_companies())::uuid[]));
ALTER POLICY member ON document_lines
    USING (company_id = ANY ((SELECT desk_member_companies())::uuid[]))
    WITH CHECK (company_id = ANY ((SELECT desk_member_companies())::uuid[]));
ALTER POLICY member ON payments
    USING (company_id = ANY ((SELECT desk_member_companies())::uuid[]))
    WITH CHECK (company_id = ANY ((SELECT desk_member_companies())::uuid[]));
ALTER POLICY member ON applied_ops
    USING (company_id = ANY ((SELECT desk_member_companies())::uuid[]))
    WITH CHECK (company_id = ANY ((SELECT desk_member_companies())::uuid[]) AND db_user = session_user);
ALTER POLICY member ON conflicts
    USING (company_id = ANY ((SELECT desk_member_companies())::uuid[]))
    WITH CHECK (company_id = ANY ((SELECT desk_member_companies())::uuid[]));
ALTER POLICY member ON leases
    USING (company_id = ANY ((SELECT desk_member_companies())::uuid[]))
    WITH CHECK (company_id = ANY ((SELECT desk_member_companies())::uuid[]));
ALTER POLICY reads ON audit
    USING (company_id = ANY ((SELECT desk_member_companies())::uuid[]) OR (company_id IS NULL AND desk_is_admin()));
