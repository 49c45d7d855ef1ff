#!/usr/bin/env bash
# The main job, on one machine: builds the runtime image if needed, starts clf-orchestrator from
# it in dev mode (embedded SQLite state, a simulated Hetzner, a sample identity "rex", simulated
# VMs that each run the real agent bin/clf-cattle: it fetches the env over the cattle listener,
# runs the sample task and reports), and runs the seed's spawn with bin/clf to done: enqueue, a
# deduplicated repeat, wait, show, the agent's end, events, list; then a spawn whose sample task
# fails (message "exit 3"). Stops the daemon at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=jlink/target/clf
STATE=${CLF_DEMO_DIR:-$PWD/.clf-dev}

if [ ! -x "$IMAGE/bin/clf-orchestrator" ] || [ ! -x "$IMAGE/bin/clf" ] || [ ! -x "$IMAGE/bin/clf-cattle" ]; then
  echo "== building the runtime image (mvn -B -q install -DskipTests)"
  mvn -B -q install -DskipTests
fi

mkdir -p "$STATE"
echo "== starting $IMAGE/bin/clf-orchestrator --dev --state-dir $STATE"
"$IMAGE/bin/clf-orchestrator" --dev --state-dir "$STATE" > "$STATE.log" 2>&1 &
daemon=$!
trap 'kill -TERM $daemon 2>/dev/null || true' EXIT
for _ in $(seq 200); do
  grep -q '^export CLF_SOCKET_PATH=' "$STATE.log" && break
  kill -0 $daemon 2>/dev/null || { cat "$STATE.log"; exit 1; }
  sleep 0.1
done
cat "$STATE.log"
eval "$(grep '^export CLF_SOCKET_PATH=' "$STATE.log")"

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
clf jobs wait --job-id "$job" --timeout 60s > /dev/null && echo "job $job is done"
clf jobs show --job-id "$job" --json

# The server's agent runs on after the spawn is done: wait for its end, then show its life.
agent_end() { # job -> prints the agent's log once it has ended
  local server log
  server=$("$IMAGE/bin/clf" jobs show --job-id "$1" --json | sed -n 's/.*"name" *: *"\(cattle-[^"]*\)".*/\1/p' | head -n 1)
  log=$STATE/vms/$server/agent.log
  for _ in $(seq 600); do
    grep -q 'agent.end' "$log" 2>/dev/null && break
    sleep 0.1
  done
  echo "== the agent on $server ($log)"
  cat "$log"
  echo "== its task's output"
  cat "$STATE/vms/$server/root/var/lib/clf-cattle/task.log" 2>/dev/null || true
}
agent_end "$job"
clf jobs events --job-id "$job"

echo "== a task that fails: its message asks the sample task to exit 3"
failing=$(clf jobs enqueue cattle.spawn --requester maren --idempotency-key "$key-exit3" --identity rex \
  --task-id demo-exit-3 --message "exit 3" --ttl 1h)
clf jobs wait --job-id "$failing" --timeout 60s > /dev/null && echo "job $failing is done"
agent_end "$failing"
clf jobs events --job-id "$failing"
clf jobs list --requester maren
clf status

echo "== stopping the daemon (SIGTERM)"
kill -TERM $daemon
wait $daemon && echo "clf-orchestrator exited 0"
trap - EXIT
tail -n 2 "$STATE.log"
