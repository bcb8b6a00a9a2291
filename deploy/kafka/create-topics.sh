#!/usr/bin/env bash
# One-shot job (compose service `kafka-init`): creates Meldpunt's core topics, the CORE_TOPICS of
# contracts/topics.py. Idempotent: safe on every `docker compose up`. Partner topics
# (meldpunt.partner.<partner-id>.v1) are created by the router at start-up, not here.
set -euo pipefail

bootstrap="${BOOTSTRAP_SERVER:-kafka:9092}"
partitions="${TOPIC_PARTITIONS:-3}"
replication="${TOPIC_REPLICATION_FACTOR:-1}"
bin=/opt/kafka/bin

create() {
  local topic="$1"
  shift
  "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor "$replication" "$@"
}

# Ciphertext of raw reports: the anonymizer reads them within seconds, so they are kept for 7 days
# at most (set again below in case a service created the topic before this job ran).
create meldpunt.reports.raw.v1 --config retention.ms=604800000
"$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type topics \
  --entity-name meldpunt.reports.raw.v1 --add-config retention.ms=604800000
create meldpunt.receipts.v1
create meldpunt.reports.anonymized.v1
create meldpunt.routing.v1
create meldpunt.outcomes.v1
create meldpunt.feedback.v1
create meldpunt.deadletter.v1

"$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --list
