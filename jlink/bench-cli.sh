#!/usr/bin/env bash
# CLI start-up benchmark: median wall time of `clf jobs show ID --json` (a bot's hot path) and
# of `clf --version`, each a whole process, against a daemon from the image (dev mode) on
# scratch state. With an argument, the directory of another build's image (say, of the commit
# before a change), its `clf` runs the same two commands against the same daemon in the same
# hyperfine run, so both are measured on one machine at one time.
# Needs hyperfine (Debian package); builds the image first if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=jlink/target/clf
command -v hyperfine > /dev/null || { apt-get update -q && apt-get install -y -q hyperfine; }
[ -x "$IMAGE/bin/clf" ] || mvn -B -q package -DskipTests -pl jlink -am
dir=$(mktemp -d)
export CLF_SOCKET_PATH=$dir/dev/orchestrator.sock
"$IMAGE/bin/clf-orchestrator" --dev --state-dir "$dir/dev" > "$dir/orchestrator.log" 2>&1 &
daemon=$!
trap 'kill -TERM $daemon; wait $daemon; rm -rf "$dir"' EXIT
for _ in $(seq 100); do [ -S "$CLF_SOCKET_PATH" ] && break; sleep 0.1; done
job=$("$IMAGE/bin/clf" jobs enqueue cattle.reap --dry-run)
commands=()
for image in "$IMAGE" ${1:+"$1"}; do
  commands+=("$image/bin/clf jobs show $job --json" "$image/bin/clf --version")
done
hyperfine -N --warmup 5 --runs 40 --export-json "$dir/cli.json" "${commands[@]}" | grep -vE '^\s*$'
python3 -c 'import json,sys; [print("median %6.1f ms  %s" % (r["median"]*1000, r["command"])) for r in json.load(open(sys.argv[1]))["results"]]' "$dir/cli.json"
