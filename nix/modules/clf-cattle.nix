# services.clfCattle: the VM side of clf on a cattle image (issue 13 §3). A fresh Hetzner server
# boots from the image; cloud-init writes what the daemon sent in its user data (clf.server's
# CloudInit: the task, the one-time bootstrap token, the tailnet join key, the public env), and
# then:
#
#   1. cloud-init's runcmd restarts tailscaled and tailscaled-autoconnect; the latter (defined
#      here) joins the tailnet with the key cloud-init wrote, as the server's own host name;
#   2. clf-cattle.service (after cloud-final) runs bin/clf-cattle, which fetches the secret env
#      over the tailnet, runs the task command, reports the outcome and powers the VM off.
#
# The same paths and unit names as the original implementation's image, so either image works
# with either control plane.
{ config, lib, pkgs, ... }:

let
  cfg = config.services.clfCattle;
  inherit (lib) mkOption mkEnableOption mkIf mkDefault types literalExpression;

  # Written by cloud-init (clf.server.internal.cattle.spawn.CloudInit: TAILSCALE_KEY_PATH and the
  # directories of TASK_PATH and BOOTSTRAP_PATH).
  keyPath = "/run/secrets/tailscale_auth_key";
  taskDir = "/var/lib/clawdlets";
  bootstrapDir = "/run/clawdlets";

  # What bin/clf-cattle reads (issue 13 §1). Kept in one place: if the agent renames one, only
  # this block changes.
  agentEnv = {
    CLF_CATTLE_TASK_COMMAND = cfg.taskCommand;
    CLF_CATTLE_AUTO_SHUTDOWN = if cfg.autoShutdown then "1" else "0";
    CLF_CATTLE_TIME_MARGIN_SECONDS = toString cfg.timeoutMarginSec;
    # The secret env lives here, on tmpfs, in the unit's own RuntimeDirectory (0700): never on
    # the disk, and removed by systemd when the unit stops.
    CLF_CATTLE_ENV_FILE = "/run/clf-cattle/env";
  };

  tailscale = config.services.tailscale.package;

  # Joins once, with the key cloud-init wrote. The key is handed over as "file:PATH", so it is
  # never on a command line (ps, /proc/PID/cmdline) or in the journal. Waits for tailscaled's
  # backend after the restart cloud-init just made; a node already Running is left alone (the
  # key is single-use: a second `up` with it would fail).
  join = ''
    set -euo pipefail
    state=""
    for _ in $(seq 1 60); do
      state=$(${tailscale}/bin/tailscale status --json --peers=false 2>/dev/null | ${pkgs.jq}/bin/jq -r '.BackendState // ""') || state=""
      case "$state" in
        ""|NoState|Starting) sleep 1 ;;
        *) break ;;
      esac
    done
    if [ "$state" = Running ]; then
      echo "already on the tailnet"
      exit 0
    fi
    # The server's name, which cloud-init made the host name: the daemon's peer verification
    # expects the node to carry it.
    name=$(cat /proc/sys/kernel/hostname)
    exec ${tailscale}/bin/tailscale up --auth-key "file:${keyPath}" --hostname "$name" ${lib.escapeShellArgs cfg.tailnet.extraUpFlags}
  '';
in
{
  options.services.clfCattle = {
    enable = mkEnableOption "the clf cattle agent (fetches its env over the tailnet, runs the task, reports, powers off)";

    package = mkOption {
      type = types.package;
      description = "The clf package; its bin/clf-cattle is the agent.";
    };

    taskCommand = mkOption {
      type = types.str;
      example = "clawdbot-run";
      description = ''
        What the agent runs for the task (CLF_CATTLE_TASK_COMMAND), with the fetched env and the
        task file. Its exit code is the task's outcome. Put the programs it needs in `path`.
      '';
    };

    autoShutdown = mkOption {
      type = types.bool;
      default = true;
      description = ''
        Power the VM off when the task has been reported. A spawn's own autoShutdown (the
        public env cloud-init writes) overrides this per VM.
      '';
    };

    timeoutMarginSec = mkOption {
      type = types.ints.between 0 3600;
      default = 120;
      description = ''
        The task is stopped this long before the server's expires-at label, so that its outcome
        is reported before the reaper deletes the server.
      '';
    };

    environmentFile = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "/etc/clf-cattle/task.env";
      description = ''
        Extra, non-secret variables for the agent and the task command (systemd
        EnvironmentFile). It is baked into the image: secrets come from the control plane.
      '';
    };

    path = mkOption {
      type = types.listOf types.package;
      default = [ ];
      example = literalExpression "[ pkgs.git pkgs.nodejs_22 ]";
      description = "Packages on the PATH of the agent and the task command.";
    };

    readWritePaths = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "/var/cache/task" ];
      description = ''
        Further paths the task may write (the file system is read-only to it otherwise, apart
        from /var/lib/clawdlets, /run/clawdlets, its runtime directory and a private /tmp).
      '';
    };

    tailnet = {
      ephemeralNode = mkOption {
        type = types.bool;
        default = true;
        description = ''
          Keep tailscaled's state in memory (--state=mem:), which registers the node as
          ephemeral whatever the key says, so it leaves the tailnet soon after the VM is gone.
          A key the daemon mints is ephemeral already; this covers a static key that is not.
          The VM cannot rejoin after a reboot (its key is single-use anyway).
        '';
      };
      extraUpFlags = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "--accept-dns=false" ];
        description = "More flags for `tailscale up` (the key, the host name and nothing else are set here).";
      };
    };
  };

  config = mkIf cfg.enable {
    assertions = [
      { assertion = cfg.taskCommand != "";
        message = "services.clfCattle.taskCommand must name the task to run."; }
      { assertion = config.services.tailscale.enable;
        message = "services.clfCattle needs services.tailscale.enable: the VM fetches its env over the tailnet."; }
      { assertion = config.services.cloud-init.enable;
        message = "services.clfCattle needs services.cloud-init.enable: the task, token and join key come as user data."; }
      { assertion = config.services.tailscale.authKeyFile == null;
        message = "services.clfCattle joins the tailnet itself (tailscaled-autoconnect, with ${keyPath}); leave services.tailscale.authKeyFile unset."; }
    ];

    services.cloud-init.enable = mkDefault true;
    services.tailscale.enable = mkDefault true;
    services.tailscale.extraDaemonFlags = lib.optional cfg.tailnet.ephemeralNode "--state=mem:";

    environment.systemPackages = [ cfg.package ];

    # The original image's directories (root only), so the units' ReadWritePaths exist before
    # cloud-init writes into them.
    systemd.tmpfiles.rules = [
      "d ${taskDir} 0700 root root -"
      "d ${bootstrapDir} 0755 root root -"
      "d ${bootstrapDir}/cattle 0700 root root -"
    ];

    # The name cloud-init's runcmd restarts (the original's; nixpkgs defines a unit of that name
    # only with services.tailscale.authKeyFile, which the assertion above keeps unset). Not
    # ordered after cloud-final: runcmd runs inside cloud-final and waits for this restart, so
    # that ordering would deadlock. At boot, before cloud-init has written the key, the
    # condition skips it (inactive, not failed).
    systemd.services.tailscaled-autoconnect = {
      description = "Join the tailnet with the key cloud-init wrote (clf cattle)";
      after = [ "tailscaled.service" "network-online.target" ];
      wants = [ "tailscaled.service" "network-online.target" ];
      wantedBy = [ "multi-user.target" ];
      unitConfig.ConditionPathExists = keyPath;
      script = join;
      serviceConfig = {
        Type = "oneshot";
        # tailscale(1) talks to tailscaled over its socket; it needs nothing else.
        NoNewPrivileges = true;
        PrivateTmp = true;
        ProtectSystem = "strict";
        ProtectHome = true;
        UMask = "0077";
        TimeoutStartSec = 120;
      };
    };

    systemd.services.clf-cattle = {
      description = "clf cattle agent: fetch the env, run the task, report, power off";
      after = [ "network-online.target" "cloud-final.service" "tailscaled.service" "tailscaled-autoconnect.service" ];
      wants = [ "network-online.target" "cloud-final.service" "tailscaled.service" ];
      wantedBy = [ "multi-user.target" ];
      path = cfg.path;
      environment = agentEnv;
      serviceConfig = {
        # One run per boot: the task ends, its outcome is reported, the VM goes.
        Type = "oneshot";
        ExecStart = "${cfg.package}/bin/clf-cattle";
        EnvironmentFile = lib.optional (cfg.environmentFile != null) cfg.environmentFile;
        # The agent enforces the task's limit itself (expires-at minus timeoutMarginSec) and the
        # reaper deletes the server at expires-at; a systemd timeout would kill the agent before
        # it could report.
        TimeoutStartSec = "infinity";
        # Root, not DynamicUser: cloud-init writes the task, token and key as root-only files
        # (0400/0600, root:root), and powering off asks PID 1 as root.
        User = "root";
        RuntimeDirectory = "clf-cattle";
        RuntimeDirectoryMode = "0700";
        WorkingDirectory = taskDir;
        UMask = "0077";
        # The whole file system is read-only but for the task's files, the bootstrap directory
        # (the agent deletes the used token), the runtime directory and a private /tmp.
        ProtectSystem = "strict";
        ReadWritePaths = [ taskDir bootstrapDir ] ++ cfg.readWritePaths;
        PrivateTmp = true;
        ProtectHome = true;
        NoNewPrivileges = true;
        PrivateDevices = true;
        ProtectKernelTunables = true;
        ProtectKernelModules = true;
        ProtectKernelLogs = true;
        ProtectControlGroups = true;
        ProtectClock = true;
        RestrictSUIDSGID = true;
        RestrictRealtime = true;
        LockPersonality = true;
        KeyringMode = "private";
        # No capabilities: reading root's own files and asking PID 1 to power off need none.
        CapabilityBoundingSet = "";
        AmbientCapabilities = "";
        # Netlink for tools that read the interfaces (tailscale status); no raw sockets.
        RestrictAddressFamilies = [ "AF_UNIX" "AF_INET" "AF_INET6" "AF_NETLINK" ];
        SystemCallArchitectures = "native";
        SystemCallFilter = [ "@system-service" ];
        SystemCallErrorNumber = "EPERM";
        # Left out on purpose: MemoryDenyWriteExecute (the JVM's JIT needs W+X pages; the
        # original set it and its runner could not start a JIT), PrivateNetwork (the tailnet),
        # RestrictNamespaces and PrivateUsers (task commands that sandbox themselves use them).
      };
    };
  };
}
