-- The runtime role the coordinator and the workers log in as: rows only, no schema rights. It may read and write
-- every table of the sweep store and of Orleans' clustering, use their sequences and call Orleans' functions; it may
-- not create, alter or drop anything, so the schema changes only in the deployment's migration step
-- (`sweep db migrate --orleans-clustering`, logged in as the owner role), and the hosts run with --no-migrate.
--
-- Run it in the store's database as the owner role, after `sweep db migrate` (it grants on the tables that exist, and
-- on those later migrations create, through default privileges); it is idempotent, so it may run after each upgrade:
--
--   psql "host=postgres dbname=sweeprunner user=sweeprunner" -v ON_ERROR_STOP=1 -v app_role=sweeprunner_app -f deploy/sql/runtime-role.sql
--
-- The role must exist; this file neither creates it nor holds its password, so that no password is ever in a file of
-- the repository. An administrator creates it once (psql sends the password hashed):
--
--   psql "host=postgres dbname=postgres user=postgres" -c 'CREATE ROLE sweeprunner_app LOGIN' -c '\password sweeprunner_app'

\if :{?app_role}
\else
\set app_role sweeprunner_app
\endif

GRANT CONNECT ON DATABASE :"DBNAME" TO :"app_role";

-- PostgreSQL 15 and later create no table in public for any role but the database's owner; older versions let every
-- role do so until this is revoked (there, only the schema's owner can revoke it: a warning otherwise).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app_role";

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO :"app_role";

-- What later migrations create (run as this same owner role) is granted too, without running this file again.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app_role";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO :"app_role";
