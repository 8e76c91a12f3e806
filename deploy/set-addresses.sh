#!/bin/sh
# Copies a shipped configuration folder (deploy/prometheus, deploy/grafana/provisioning) to DEST with the loopback
# addresses its EDIT marks name replaced by the deployment's, so that compose and Kubernetes run the shipped files
# themselves rather than copies kept by hand:
#
#   SWEEPRUNNER_COORDINATOR  host:port of the coordinator's API    (shipped: 127.0.0.1:5080)
#   SWEEPRUNNER_PROMETHEUS   host:port of Prometheus               (shipped: 127.0.0.1:9090)
#   SWEEPRUNNER_POSTGRES     host:port of the store's PostgreSQL   (shipped: 127.0.0.1:5432)
#   SWEEPRUNNER_DATABASE     the store's database                  (shipped: sweeps)
#
# An unset variable keeps the shipped value.  Usage: set-addresses.sh SOURCE DEST
set -eu
source=$1 dest=$2
mkdir -p "$dest"
# -L: a Kubernetes ConfigMap volume holds symbolic links; the copies are plain files.
cp -RL "$source/." "$dest/"
find "$dest" -name '*.yml' -type f -exec sed -i \
    -e "s#127\.0\.0\.1:5080#${SWEEPRUNNER_COORDINATOR:-127.0.0.1:5080}#g" \
    -e "s#127\.0\.0\.1:9090#${SWEEPRUNNER_PROMETHEUS:-127.0.0.1:9090}#g" \
    -e "s#127\.0\.0\.1:5432#${SWEEPRUNNER_POSTGRES:-127.0.0.1:5432}#g" \
    -e "s#database: sweeps #database: ${SWEEPRUNNER_DATABASE:-sweeps} #" {} +
