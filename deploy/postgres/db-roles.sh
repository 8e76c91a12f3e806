#!/bin/sh
# The database roles besides the owner, applied after `sweep db migrate` (compose's db-roles step, the Kubernetes
# migration Job): the runtime role the coordinators and workers log in as (deploy/sql/runtime-role.sql) and Grafana's
# read-only role (deploy/grafana/readonly-role.sql), each with its password from a secret file. Idempotent: it runs
# again on every start and after every upgrade.
#
# Environment: PGHOST, PGPORT, PGDATABASE, PGUSER (the owner, who ran the migrations) as psql reads them; OWNER_PASSWORD_FILE,
# APP_PASSWORD_FILE, GRAFANA_PASSWORD_FILE: the secret files; SQL_DIR: where runtime-role.sql and readonly-role.sql are.
set -eu

PGPASSWORD=$(cat "$OWNER_PASSWORD_FILE")
export PGPASSWORD

# Creates login role $1, or on a later run sets its password again, from file $2. psql reads the file itself (a
# backquoted \set), so the password is in no command line.
login_role() {
    psql -X -q -v ON_ERROR_STOP=1 -v role="$1" -v password_file="$2" <<'SQL'
\set password `cat :'password_file'`
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'role', :'password') \gexec
SQL
}

login_role sweeprunner_app "$APP_PASSWORD_FILE"
psql -X -q -v ON_ERROR_STOP=1 -v app_role=sweeprunner_app -f "$SQL_DIR/runtime-role.sql"

login_role sweeprunner_grafana "$GRAFANA_PASSWORD_FILE"
psql -X -q -v ON_ERROR_STOP=1 -f "$SQL_DIR/readonly-role.sql"
echo "db-roles: sweeprunner_app and sweeprunner_grafana are ready"
