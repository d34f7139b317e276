-- A read-only role for API queries, for deployments that separate the migration role (owner of the schema)
-- from the role the running service uses. Use it when the API only reads (the admin import endpoint
-- writes, so run imports with the owner role or a separate deployment).
--
-- Run as the database owner or a superuser, once per database:
--   psql "$OWNER_DATABASE_URL" -v ro_password="'<a strong password>'" -f db/sql/create_readonly_user.sql
-- Then point the API at it: DATABASE_URL=postgresql://babyshield_readonly:<password>@host:5432/babyshield

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'babyshield_readonly') THEN
    CREATE ROLE babyshield_readonly LOGIN;
  END IF;
END
$$;

ALTER ROLE babyshield_readonly PASSWORD :ro_password;
-- A runaway query cannot hold a connection for long; the service's own DB_STATEMENT_TIMEOUT_MS applies too.
ALTER ROLE babyshield_readonly SET statement_timeout = '5s';
ALTER ROLE babyshield_readonly SET idle_in_transaction_session_timeout = '30s';
ALTER ROLE babyshield_readonly SET default_transaction_read_only = on;

GRANT CONNECT ON DATABASE :"DBNAME" TO babyshield_readonly;
GRANT USAGE ON SCHEMA public TO babyshield_readonly;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO babyshield_readonly;
-- Tables created by later migrations (run by the owner role) are readable too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO babyshield_readonly;
REVOKE CREATE ON SCHEMA public FROM babyshield_readonly;
