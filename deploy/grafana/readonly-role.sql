-- The read-only PostgreSQL role Grafana's "SweepRunner PostgreSQL" data source logs in as: SELECT on the sweep
-- store's tables, nothing else.
--
-- Run it in the store's database as the role that owns the tables (the one `sweep db migrate` and the coordinator
-- connect as), after the schema exists; it is idempotent, so run it again after an upgrade:
--
--   psql "host=db dbname=sweeps user=sweep" -v ON_ERROR_STOP=1 -f deploy/grafana/readonly-role.sql
--
-- It sets no password: the role cannot log in with a password until one is set, separately, so that the password is
-- never in a file of the repository. Set it interactively (psql sends it hashed) and give the same one to Grafana in
-- SWEEPRUNNER_GRAFANA_DB_PASSWORD:
--
--   psql "host=db dbname=sweeps user=sweep" -c '\password sweeprunner_grafana'

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'sweeprunner_grafana') THEN
        CREATE ROLE sweeprunner_grafana LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
    -- The database's name differs between deployments: CONNECT is granted on the current one.
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO sweeprunner_grafana', current_database());
END
$$;

GRANT USAGE ON SCHEMA public TO sweeprunner_grafana;
GRANT SELECT ON TABLE sweeps, trials, epoch_metrics, checkpoints, trial_figures TO sweeprunner_grafana;

-- Tables that later migrations create (run as the same owner) are readable too, without running this file again.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO sweeprunner_grafana;
