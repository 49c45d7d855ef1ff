#!/usr/bin/env bash
# Runs the NixOS module's units under a real systemd and measures which hardening settings the
# daemon survives ("measure, don't guess"). Needs root, util-linux (unshare, nsenter, setpriv),
# systemd installed (not running), nix-instantiate, curl, the image (jlink/target/clf) and a copy
# of nixpkgs' lib/ (the module is evaluated with lib.evalModules, see eval-module.nix):
#
#   bash nix/tests/systemd-probe.sh /path/to/nixpkgs/lib
#
# systemd runs as PID 1 of a private PID, mount and network namespace (with a veth named tailscale0
# holding a tailnet address, so the cattle listener's "auto" host is exercised), with its own /run, /tmp, /var/tmp,
# /var/lib and a copy of /etc that holds the module's users, groups and /etc/clf files. It loads
# units only from the probe's directory (SYSTEMD_UNIT_PATH): the distribution's sysinit units
# (tmpfiles, sysctl, udev, …) would act on the host's files, so empty targets stand in for them.
# For each setting tried, a drop-in adds it, the service restarts, and a bot user enqueues and
# shows a job through the socket unit while the cattle listener answers /healthz.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
IMAGE=$REPO/jlink/target/clf
NIX_LIB=$(cd "${1:?usage: systemd-probe.sh /path/to/nixpkgs/lib}" && pwd)
[[ -x $IMAGE/bin/clf-orchestrator ]] || { echo "no image at $IMAGE (mvn -B package first)" >&2; exit 1; }
WORK=$REPO/jlink/target/systemd-probe
rm -rf "$WORK" && mkdir -p "$WORK"
PORT=18337

# Secrets as sops-nix would leave them: root-owned files that only PID 1 reads (LoadCredential).
mkdir -m 0700 "$WORK/secrets"
printf 'hcloud-probe-token\n' > "$WORK/secrets/hcloud"
printf 'tskey-probe\n' > "$WORK/secrets/tailscale"
printf 'zai-probe-key\n' > "$WORK/secrets/zai"

settings="{
  cattle.image = \"clf-cattle\";
  cattle.secretsListenPort = $PORT;
  hcloudTokenFile = \"$WORK/secrets/hcloud\";
  tailscaleAuthKeyFile = \"$WORK/secrets/tailscale\";
  secretEnvFiles = { ZAI_API_KEY = \"$WORK/secrets/zai\"; };
  adminAuthorizedKeys = [ \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIProbeKeyProbeKeyProbeKeyProbeKeyProbeKey probe\" ];
  bots = [ \"bot-probe\" ];
  identities.probe = { soul = \"A probe.\"; config = { schemaVersion = 1; model.primary = \"zai/glm-4.6\"; }; };
}"
nix-instantiate --eval --strict --json "$REPO/nix/tests/eval-module.nix" \
  --arg lib "import $NIX_LIB" --arg settings "$settings" --argstr package "$IMAGE" > "$WORK/eval.json"

python3 - "$WORK" <<'PY'
import json, os, sys
work = sys.argv[1]
evaluated = json.load(open(f"{work}/eval.json"))
if evaluated["failedAssertions"]:
    sys.exit("assertions failed: " + "; ".join(evaluated["failedAssertions"]))
os.makedirs(f"{work}/units", exist_ok=True)
for name, text in evaluated["units"].items():
    open(f"{work}/units/{name}", "w").write(text)
for path, text in evaluated["etc"].items():
    os.makedirs(os.path.dirname(f"{work}/etc-extra/{path}"), exist_ok=True)
    open(f"{work}/etc-extra/{path}", "w").write(text)
PY

# The daemon's stdout would go to journald, which this systemd does not run.
cat >> "$WORK/units/clf-orchestrator.service" <<EOF
StandardOutput=append:$WORK/daemon.log
StandardError=append:$WORK/daemon.log
EOF

# /etc as the module makes it: its users and groups, and its /etc/clf files.
cp -a /etc "$WORK/etc"
cp -r "$WORK/etc-extra/." "$WORK/etc/"
cat >> "$WORK/etc/group" <<'EOF'
clf-orchestrator:x:2990:
clf-bots:x:2991:bot-probe
clf-admins:x:2992:
bot-probe:x:2993:
EOF
cat >> "$WORK/etc/passwd" <<'EOF'
clf-orchestrator:x:2990:990::/var/lib/clf/orchestrator:/usr/sbin/nologin
bot-probe:x:2993:993::/nonexistent:/usr/sbin/nologin
EOF

for target in clf-probe sysinit basic sockets shutdown local-fs network network-online multi-user paths timers slices; do
  printf '[Unit]\nDescription=%s (empty, probe)\nDefaultDependencies=no\n' "$target" > "$WORK/units/$target.target"
done
printf '[Unit]\nDescription=System Slice\nDefaultDependencies=no\n' > "$WORK/units/system.slice"

TAILNET_IP=100.100.7.7
cat > "$WORK/boot.sh" <<EOF
set -e
ip link set lo up
ip link add tailscale0 type veth peer name tailscale-peer
ip link set tailscale-peer up
ip addr add $TAILNET_IP/32 dev tailscale0
ip link set tailscale0 up
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
mount -t tmpfs -o mode=0755 tmpfs /var/lib
mount --bind "$WORK/etc" /etc
mkdir -p /run/systemd/system
# As on a booted host: systemd moves each service's credentials mount into /run/credentials from
# a child namespace, which reaches PID 1's view only through shared propagation.
mount --make-rshared /
exec env container=clf-probe SYSTEMD_UNIT_PATH="$WORK/units" /lib/systemd/systemd --system --unit=clf-probe.target
EOF
unshare --pid --fork --mount --mount-proc --net --propagation private bash "$WORK/boot.sh" > "$WORK/systemd.log" 2>&1 &
launcher=$!
pid1=""
# Killing the namespace's PID 1 ends every process in it; the launcher then exits.
cleanup() { [[ -n $pid1 ]] && kill -KILL "$pid1" 2>/dev/null; wait "$launcher" 2>/dev/null || true; }
trap cleanup EXIT

for _ in $(seq 100); do
  pid1=$(pgrep -f -n "systemd --system --unit=clf-probe.target" || true)
  [[ -n $pid1 ]] && in_ns() { nsenter -t "$pid1" -m -p -n "$@"; } && [[ $(in_ns systemctl is-system-running 2>/dev/null) == running ]] && break
  sleep 0.2
done
[[ -n $pid1 ]] || { cat "$WORK/systemd.log" >&2; echo "systemd did not start" >&2; exit 1; }
in_ns() { nsenter -t "$pid1" -m -p -n "$@"; }
echo "systemd $(in_ns systemctl --version | head -1 | cut -d' ' -f2) is PID 1 of the probe namespace (host pid $pid1); work dir $WORK"

in_ns systemctl start clf-orchestrator.socket
socket_mode=$(in_ns stat -c '%a %U %G' /run/clf/orchestrator.sock)
echo "socket: /run/clf/orchestrator.sock $socket_mode"
[[ $socket_mode == "660 clf-orchestrator clf-bots" ]] || { echo "unexpected socket owner/mode" >&2; exit 1; }

# One round trip as the bot: enqueue (socket activation starts the service), show, and the
# cattle listener's health. Prints "ok" or why not.
round_trip() {
  local task="$WORK/task.json" out
  printf '{"schemaVersion":1,"taskId":"probe","type":"clawdbot.gateway.agent","message":"probe"}' > "$task"
  chmod 0644 "$task"
  out=$(in_ns timeout 60 setpriv --reuid bot-probe --regid bot-probe --init-groups -- \
    "$IMAGE/bin/clf" jobs enqueue cattle.spawn --identity probe --task-file "$task" \
    --run-at 2099-01-01T00:00:00Z --json 2>&1) || { echo "enqueue failed: $out"; return; }
  local job
  job=$(sed -n 's/.*"jobId" *: *"\([^"]*\)".*/\1/p' <<< "$out")
  out=$(in_ns timeout 30 setpriv --reuid bot-probe --regid bot-probe --init-groups -- \
    "$IMAGE/bin/clf" jobs show --job-id "$job" --json 2>&1) || { echo "show failed: $out"; return; }
  grep -q '"requester" *: *"probe"' <<< "$out" || { echo "show answered: $out"; return; }
  for _ in $(seq 50); do
    in_ns curl -fsS "http://$TAILNET_IP:$PORT/healthz" > /dev/null 2>&1 && { echo ok; return; }
    sleep 0.2
  done
  echo "cattle listener does not answer /healthz"
}

try_setting() { # label, then drop-in lines
  local label=$1; shift
  local dropin=$WORK/units/clf-orchestrator.service.d
  # A crashing setting fails the socket too (start limit), so each one starts from both stopped.
  in_ns systemctl stop clf-orchestrator.service clf-orchestrator.socket 2>/dev/null || true
  in_ns systemctl reset-failed 2>/dev/null || true
  in_ns rm -rf "$dropin"
  if [[ $# -gt 0 ]]; then
    in_ns mkdir -p "$dropin"
    printf '[Service]\n%s\n' "$@" | in_ns tee "$dropin/probe.conf" > /dev/null
  fi
  in_ns systemctl daemon-reload
  in_ns systemctl start clf-orchestrator.socket
  : > "$WORK/daemon.log"
  local result
  result=$(round_trip | tr -s '\n ' '  ' | cut -c1-140)
  if [[ $result == ok ]]; then
    printf '%-52s works\n' "$label"
  else
    local why
    why=$(grep -m1 -E 'Error|error|Exception|SIGSYS|denied|failed' "$WORK/daemon.log" | cut -c1-150 || true)
    printf '%-52s FAILS: %s %s\n' "$label" "$result" "${why:+(log: $why)}"
  fi
}

echo "== the module's own settings"
try_setting "as the module sets it"
in_ns systemctl show clf-orchestrator.service -p ActiveState -p MainPID -p User | tr '\n' ' '; echo
grep -q '"cattle.enabled"\|cattle.enabled' "$WORK/daemon.log" && echo "daemon log: cattle enabled (credentials were read)"
if grep -q 'hcloud-probe-token\|zai-probe-key\|tskey-probe' "$WORK/daemon.log"; then
  echo "a secret appears in the daemon log" >&2; exit 1
fi
echo "exposure: $(in_ns systemd-analyze security --no-pager clf-orchestrator.service 2>/dev/null | tail -1)"

echo "== settings the module leaves out, one at a time (each is expected to fail; see the module)"
try_setting "MemoryDenyWriteExecute=yes" "MemoryDenyWriteExecute=yes"
try_setting "PrivateUsers=yes" "PrivateUsers=yes"
try_setting "PrivateNetwork=yes" "PrivateNetwork=yes"
try_setting "RestrictAddressFamilies=AF_UNIX (no inet)" "RestrictAddressFamilies=" "RestrictAddressFamilies=AF_UNIX"
