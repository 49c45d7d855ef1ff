#!/usr/bin/env bash
# The main job, on one machine: builds the runtime image if needed, starts clf-orchestrator
# from it with its embedded SQLite state in ./.clf-dev, and makes a round trip with bin/clf:
# the seed's enqueue, then show, list, events and cancel. Stops the daemon (SIGTERM) at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=jlink/target/clf
STATE=${CLF_DEMO_DIR:-$PWD/.clf-dev}

if [ ! -x "$IMAGE/bin/clf-orchestrator" ] || [ ! -x "$IMAGE/bin/clf" ]; then
  echo "== building the runtime image (mvn -B -q install -DskipTests)"
  mvn -B -q install -DskipTests
fi

mkdir -p "$STATE"
chmod 0700 "$STATE"
export CLF_DB_PATH=$STATE/state.sqlite
export CLF_SOCKET_PATH=$STATE/orchestrator.sock

echo "== starting $IMAGE/bin/clf-orchestrator (state in $STATE)"
"$IMAGE/bin/clf-orchestrator" > "$STATE/orchestrator.log" 2>&1 &
daemon=$!
trap 'kill -TERM $daemon 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q 'clf-orchestrator.ready' "$STATE/orchestrator.log" && break
  kill -0 $daemon 2>/dev/null || { cat "$STATE/orchestrator.log"; exit 1; }
  sleep 0.1
done
cat "$STATE/orchestrator.log"

task=$STATE/task.json
cat > "$task" <<'JSON'
{"schemaVersion": 1, "taskId": "demo-1", "type": "clawdbot.gateway.agent",
 "message": "Summarise the open pull requests of the clf repository."}
JSON

clf() { echo "\$ clf $*" >&2; "$IMAGE/bin/clf" "$@"; }
key=demo-$(date +%s)
job=$(clf jobs enqueue cattle.spawn --requester maren --idempotency-key "$key" --identity rex \
  --task-file "$task" --ttl 2h --json | sed -n 's/.*"jobId" *: *"\([^"]*\)".*/\1/p')
echo "job $job"
clf jobs enqueue cattle.spawn --requester maren --idempotency-key "$key" --identity rex \
  --task-file "$task" --ttl 2h --json
clf jobs show --job-id "$job" --json
clf jobs list --requester maren
clf jobs events --job-id "$job"
clf jobs cancel --job-id "$job" --json
clf jobs show --job-id "$job"

echo "== stopping the daemon (SIGTERM)"
kill -TERM $daemon
wait $daemon && echo "clf-orchestrator exited 0"
trap - EXIT
tail -n 3 "$STATE/orchestrator.log"
