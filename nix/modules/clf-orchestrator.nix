# services.clfOrchestrator: the clf control plane on a NixOS host. Bots in the bot group talk
# to it over a systemd-owned Unix socket (0660); fresh cattle VMs fetch their env over a
# listener on the tailnet only. Secrets reach the daemon as systemd credentials
# (LoadCredential), never through the Nix store or the unit's environment.
{ config, lib, pkgs, ... }:

let
  cfg = config.services.clfOrchestrator;
  inherit (lib) mkOption mkEnableOption mkIf types literalExpression;
  csv = lib.concatStringsSep ",";
  identityFiles = lib.concatMapAttrs (name: identity: {
    "clf/identities/${name}/SOUL.md".text = identity.soul;
    "clf/identities/${name}/config.json".text = builtins.toJSON identity.config;
  }) cfg.identities;
  credentials =
    lib.optional (cfg.hcloudTokenFile != null) "HCLOUD_TOKEN:${cfg.hcloudTokenFile}"
    ++ lib.optional (cfg.tailscaleAuthKeyFile != null) "TAILSCALE_AUTH_KEY:${cfg.tailscaleAuthKeyFile}"
    ++ lib.optional (cfg.tailscaleOAuth.clientIdFile != null) "TAILSCALE_OAUTH_CLIENT_ID:${cfg.tailscaleOAuth.clientIdFile}"
    ++ lib.optional (cfg.tailscaleOAuth.clientSecretFile != null) "TAILSCALE_OAUTH_CLIENT_SECRET:${cfg.tailscaleOAuth.clientSecretFile}"
    ++ lib.optional (cfg.database.passwordFile != null) "CLF_DATABASE_PASSWORD:${cfg.database.passwordFile}"
    ++ lib.mapAttrsToList (name: file: "${name}:${file}") cfg.secretEnvFiles;
in
{
  options.services.clfOrchestrator = {
    enable = mkEnableOption "the clf orchestrator (bot job queue and Hetzner cattle)";

    package = mkOption {
      type = types.package;
      description = "The clf package (bin/clf, bin/clf-orchestrator).";
    };

    dbPath = mkOption {
      type = types.str;
      default = "/var/lib/clf/orchestrator/state.sqlite";
      description = "The job store. Its directory is kept 0700; tokens.sqlite and capacity.sqlite sit beside it.";
    };

    database = {
      url = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "postgresql://clf@db.example.ts.net:5432/clf?sslmode=verify-full";
        description = ''
          A shared PostgreSQL store (CLF_DATABASE_URL), for several hosts that spawn into one
          Hetzner project: jobs, tokens, capacity, quotas and rate limits then hold across all of
          them. null: the SQLite file at dbPath, one host's own. No password in the URL: use
          passwordFile. postgresql:///clf?host=/run/postgresql reaches a local server's socket.
        '';
      };
      passwordFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        example = "/run/secrets/clf-db-password";
        description = "File holding the PostgreSQL password (e.g. from sops-nix). Passed with LoadCredential as CLF_DATABASE_PASSWORD; null for peer authentication over a local socket.";
      };
      connections = mkOption {
        type = types.ints.between 2 200;
        default = 8;
        description = "PostgreSQL connections this host holds for all its stores, plus one that hears other hosts' enqueues (CLF_DATABASE_CONNECTIONS). The server's max_connections must cover every host's.";
      };
    };

    socketPath = mkOption {
      type = types.str;
      default = "/run/clf/orchestrator.sock";
      description = "The bot socket (systemd socket unit, mode 0660, group botGroup).";
    };

    botGroup = mkOption {
      type = types.str;
      default = "clf-bots";
      description = "Members may use the bot socket.";
    };

    bots = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "bot-maren" ];
      description = "Existing users added to botGroup. User bot-NAME acts as requester NAME.";
    };

    requesterPrefix = mkOption {
      type = types.str;
      default = "bot-";
      description = "Bots are the users named PREFIX+NAME (requester NAME: 1-63 chars of [a-z0-9._-], starting and ending with a letter or digit, not itself starting with the prefix). Other users who are not operators are refused.";
    };

    metricsListen = mkOption {
      type = types.str;
      default = "";
      example = "127.0.0.1:9464";
      description = "Also serve GET /metrics (and nothing else) over TCP at this loopback ADDR:PORT for Prometheus; empty = off. Loopback only (127.0.0.0/8, [::1], localhost). Never forward the bot socket to TCP instead: that exposes the whole bot API.";
    };

    operatorGroup = mkOption {
      type = types.str;
      default = "clf-admins";
      description = "Members (and root) act for any requester and see every job.";
    };

    workerConcurrency = mkOption {
      type = types.ints.between 1 64;
      default = 2;
      description = "Jobs run at once.";
    };

    maxConnections = mkOption {
      type = types.ints.between 2 4096;
      default = 256;
      description = "Bot-socket connections served at once; more are answered 503 and closed.";
    };

    maxConnectionsPerUid = mkOption {
      type = types.ints.between 1 4095;
      default = 32;
      description = ''
        Bot-socket connections one Unix user may hold (operators exempt); more are answered 429
        quota_exceeded. Must be less than maxConnections, so one user at its cap leaves room for
        the others; maxConnections >= this times the number of bots guarantees each its share.
      '';
    };

    hetznerReservePercent = mkOption {
      type = types.ints.between 0 90;
      default = 10;
      description = ''
        Share of Hetzner's rate limit kept for the daemon's own reaps and deletes: below it, every
        other Hetzner call (spawns, bots' reaps) waits, and its job says so in its events.
      '';
    };

    logLevel = mkOption {
      type = types.enum [ "info" "debug" ];
      default = "info";
      description = "debug: also log a line per request (job.enqueued, job.cancel); with info they are counted in one log.summary line a minute. INFO lines are held to 100 a second so WARN and ERROR lines never meet journald's rate limit.";
    };

    shutdownGraceMs = mkOption {
      type = types.ints.unsigned;
      default = 20000;
      description = "How long running jobs get on stop before they are released to run again later.";
    };

    reapInterval = mkOption {
      type = types.str;
      default = "5m";
      description = "How often the daemon enqueues a cattle.reap job.";
    };

    retentionDays = mkOption {
      type = types.ints.between 1 3650;
      default = 30;
      description = "Ended jobs and used tokens older than this are pruned daily.";
    };

    # Each bot's share of the queue (README "One bot cannot crowd out another"); operators are exempt.
    limits = {
      botMaxPriority = mkOption {
        type = types.ints.between 0 1000000;
        default = 10;
        description = "Bots may use priorities from minus this to this (CLF_BOT_MAX_PRIORITY).";
      };
      maxActivePerRequester = mkOption {
        type = types.ints.between 1 1000000;
        default = 100;
        description = "A bot's queued and running jobs, at most (CLF_MAX_ACTIVE_PER_REQUESTER).";
      };
      enqueueRatePerRequester = mkOption {
        type = types.ints.between 1 100000;
        default = 10;
        description = "A bot's enqueues a second once its burst is spent (CLF_ENQUEUE_RATE_PER_REQUESTER).";
      };
      enqueueBurstPerRequester = mkOption {
        type = types.ints.between 1 1000000;
        default = 50;
        description = "Enqueues a bot may make at once (CLF_ENQUEUE_BURST_PER_REQUESTER).";
      };
      maxQueuedPayloadBytesPerRequester = mkOption {
        type = types.ints.between 262144 2147483647;
        default = 4194304;
        description = "Bytes of payload of a bot's queued jobs, at most (CLF_MAX_QUEUED_PAYLOAD_BYTES_PER_REQUESTER).";
      };
      maxRunAtAhead = mkOption {
        type = types.str;
        default = "365d";
        description = "How far ahead a job's runAt may be, for everyone (CLF_MAX_RUN_AT_AHEAD; at most 3650d).";
      };
    };

    hcloudTokenFile = mkOption {
      type = types.nullOr types.path;
      default = null;
      example = "/run/secrets/hcloud_token";
      description = "File holding the Hetzner Cloud API token (e.g. from sops-nix). Passed with LoadCredential.";
    };

    tailscaleAuthKeyFile = mkOption {
      type = types.nullOr types.path;
      default = null;
      example = "/run/secrets/tailscale_auth_key";
      description = ''
        File holding the tailnet join key put into every cattle VM's user data, where any process
        on the VM can read it from Hetzner's metadata service (the daemon warns of it at start).
        Not needed with tailscaleOAuth, which mints a single-use key per VM instead.
      '';
    };

    # Issue 13 §5: no long-lived join key in user data.
    tailscaleOAuth = {
      clientIdFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        example = "/run/secrets/tailscale_oauth_client_id";
        description = "File holding the id of a Tailscale OAuth client with the auth_keys scope (TAILSCALE_OAUTH_CLIENT_ID, a credential).";
      };
      clientSecretFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        example = "/run/secrets/tailscale_oauth_client_secret";
        description = ''
          File holding that client's secret (TAILSCALE_OAUTH_CLIENT_SECRET). With both set, the
          daemon mints for each VM a single-use, ephemeral, pre-authorized key tagged `tags`,
          expiring with the VM's bootstrap token, and only that key goes into its user data.
        '';
      };
      tags = mkOption {
        type = types.listOf types.str;
        default = [ "tag:clf-cattle" ];
        description = "Tags of each minted key (CLF_TAILSCALE_TAGS); the OAuth client must own them.";
      };
    };

    secretEnvFiles = mkOption {
      type = types.attrsOf types.path;
      default = { };
      example = literalExpression ''{ ZAI_API_KEY = "/run/secrets/zai"; }'';
      description = "Provider keys (and GITHUB_TOKEN) handed to VMs through the tailnet listener, by variable name.";
    };

    adminAuthorizedKeys = mkOption {
      type = types.listOf types.str;
      default = [ ];
      description = "SSH public keys of the cattle VMs' admin user.";
    };

    identities = mkOption {
      type = types.attrsOf (types.submodule {
        options = {
          soul = mkOption { type = types.lines; description = "SOUL.md of the identity."; };
          config = mkOption {
            type = types.attrs;
            example = { schemaVersion = 1; model.primary = "openai/gpt-4o"; };
            description = "config.json of the identity (model.primary decides which provider keys a VM gets).";
          };
        };
      });
      default = { };
      description = "Identities a spawn may name, installed under /etc/clf/identities.";
    };

    cattle = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "Make Hetzner cattle VMs (cattle.spawn / cattle.reap). Off: those jobs are refused.";
      };
      image = mkOption {
        type = types.str;
        default = "";
        example = "label:role=clf-cattle";
        description = "Hetzner image of the cattle VMs: a numeric image id, a system image name, or label:SELECTOR (the newest available snapshot with those labels, looked up at spawn time).";
      };
      serverType = mkOption { type = types.str; default = "cx23"; description = "Hetzner server type (one still sold; see `hcloud server-type list`)."; };
      location = mkOption { type = types.str; default = "nbg1"; description = "Hetzner location."; };
      allowedImages = mkOption { type = types.listOf types.str; default = [ ]; description = "Other images bots may ask for."; };
      allowedServerTypes = mkOption { type = types.listOf types.str; default = [ ]; description = "Other server types bots may ask for."; };
      allowedLocations = mkOption { type = types.listOf types.str; default = [ ]; description = "Other locations bots may ask for."; };
      maxInstances = mkOption { type = types.ints.between 1 1000; default = 10; description = "Cattle servers at once, host-wide."; };
      maxPerRequester = mkOption { type = types.ints.between 1 1000; default = 3; description = "Cattle servers at once per requester."; };
      adoptLegacy = mkOption { type = types.bool; default = true; description = "Count and reap the original implementation's servers (managed-by=clawdlets) and reuse its firewall clawdlets-cattle-base while ours does not exist."; };
      defaultTtl = mkOption { type = types.str; default = "2h"; description = "VM lifetime when a spawn names none."; };
      maxTtl = mkOption { type = types.str; default = "24h"; description = "Longest VM lifetime a spawn may ask for."; };
      labels = mkOption { type = types.attrsOf types.str; default = { }; description = "Extra Hetzner labels of every cattle server."; };
      autoShutdown = mkOption { type = types.bool; default = true; description = "VMs power off when their task ends."; };
      deleteOnFinish = mkOption { type = types.bool; default = true; description = "Delete a server within a minute of its agent reporting the task finished, instead of at its TTL."; };
      secretsListenHost = mkOption { type = types.str; default = "auto"; description = "Listener address; auto = tailscale0's IPv4. Wildcards are refused."; };
      secretsListenPort = mkOption { type = types.port; default = 18337; description = "Listener port (opened on tailscale0 only)."; };
      secretsBaseUrl = mkOption { type = types.str; default = ""; description = "What VMs call; empty = derived from the listener."; };
      bootstrapTtlMs = mkOption { type = types.ints.between 30000 900000; default = 600000; description = "One-time token lifetime from server creation."; };
      verifyPeer = mkOption {
        type = types.enum [ "auto" "required" "off" ];
        default = "auto";
        description = ''
          Whether a VM's environment goes only to the tailnet node named like its server (asked of
          tailscaled's LocalAPI with whois; another node gets 403, the token stays usable).
          auto: on when tailscaleSocket exists at start, else off (logged); required: the daemon
          does not start without it (recommended with services.tailscale.enable); off: any holder
          of a token gets its environment.
        '';
      };
      tailscaleSocket = mkOption {
        type = types.str;
        default = "/var/run/tailscale/tailscaled.sock";
        description = "tailscaled's LocalAPI socket (services.tailscale's default location).";
      };
    };
  };

  config = mkIf cfg.enable {
    assertions = [
      { assertion = cfg.maxConnectionsPerUid < cfg.maxConnections;
        message = "services.clfOrchestrator.maxConnectionsPerUid must be less than maxConnections, so one bot user at its cap leaves room for the others."; }
      { assertion = !cfg.cattle.enable || cfg.cattle.image != "";
        message = "services.clfOrchestrator.cattle.image must be set (or set cattle.enable = false)."; }
      { assertion = !cfg.cattle.enable || cfg.hcloudTokenFile != null;
        message = "services.clfOrchestrator.hcloudTokenFile must point to the Hetzner API token file (e.g. a sops-nix secret)."; }
      { assertion = !cfg.cattle.enable || cfg.tailscaleAuthKeyFile != null || cfg.tailscaleOAuth.clientSecretFile != null;
        message = "services.clfOrchestrator.tailscaleOAuth (recommended: a key minted per VM) or tailscaleAuthKeyFile must be set for VMs to join the tailnet."; }
      { assertion = (cfg.tailscaleOAuth.clientIdFile == null) == (cfg.tailscaleOAuth.clientSecretFile == null);
        message = "services.clfOrchestrator.tailscaleOAuth needs both clientIdFile and clientSecretFile."; }
      { assertion = !cfg.cattle.enable || cfg.adminAuthorizedKeys != [ ];
        message = "services.clfOrchestrator.adminAuthorizedKeys needs at least one SSH public key for the VMs' admin user."; }
      { assertion = lib.hasPrefix "/" cfg.socketPath && lib.hasPrefix "/" cfg.dbPath;
        message = "services.clfOrchestrator.socketPath and dbPath must be absolute."; }
      { assertion = cfg.database.passwordFile == null || cfg.database.url != null;
        message = "services.clfOrchestrator.database.passwordFile needs database.url (the SQLite store has no password)."; }
      { assertion = cfg.database.url == null || lib.hasPrefix "postgresql://" cfg.database.url || lib.hasPrefix "postgres://" cfg.database.url;
        message = "services.clfOrchestrator.database.url must start with postgresql://."; }
      { assertion = lib.hasPrefix "/" cfg.cattle.tailscaleSocket;
        message = "services.clfOrchestrator.cattle.tailscaleSocket must be absolute."; }
    ];

    users.groups.clf-orchestrator = { };
    users.groups.${cfg.botGroup}.members = cfg.bots;
    users.groups.${cfg.operatorGroup} = { };
    users.users.clf-orchestrator = {
      isSystemUser = true;
      group = "clf-orchestrator";
      home = "/var/lib/clf/orchestrator";
    };

    environment.systemPackages = [ cfg.package ];
    environment.etc = identityFiles // {
      "clf/admin_authorized_keys".text = lib.concatStringsSep "\n" cfg.adminAuthorizedKeys + "\n";
    };

    networking.firewall.interfaces.tailscale0.allowedTCPPorts = lib.optional cfg.cattle.enable cfg.cattle.secretsListenPort;

    systemd.sockets.clf-orchestrator = {
      description = "clf orchestrator bot socket";
      wantedBy = [ "sockets.target" ];
      listenStreams = [ cfg.socketPath ];
      socketConfig = {
        SocketUser = "clf-orchestrator";
        SocketGroup = cfg.botGroup;
        SocketMode = "0660";
        DirectoryMode = "0755";
        RemoveOnStop = true;
      };
    };

    systemd.services.clf-orchestrator = {
      description = "clf orchestrator (bot jobs and Hetzner cattle)";
      wantedBy = [ "multi-user.target" ];
      requires = [ "clf-orchestrator.socket" ];
      # A PostgreSQL on this host starts first (its unit exists only where it is enabled).
      after = [ "clf-orchestrator.socket" "network-online.target" "tailscaled.service" ]
        ++ lib.optional (cfg.database.url != null) "postgresql.service";
      wants = [ "network-online.target" ];
      environment = lib.optionalAttrs (cfg.database.url != null) {
        CLF_DATABASE_URL = cfg.database.url;
        CLF_DATABASE_CONNECTIONS = toString cfg.database.connections;
      } // {
        CLF_DB_PATH = cfg.dbPath;
        CLF_SOCKET_PATH = cfg.socketPath;
        CLF_REQUESTER_PREFIX = cfg.requesterPrefix;
        CLF_METRICS_LISTEN = cfg.metricsListen;
        CLF_OPERATOR_GROUP = cfg.operatorGroup;
        CLF_WORKER_CONCURRENCY = toString cfg.workerConcurrency;
        CLF_SHUTDOWN_GRACE_MS = toString cfg.shutdownGraceMs;
        CLF_LOG_LEVEL = cfg.logLevel;
        CLF_MAX_CONNECTIONS = toString cfg.maxConnections;
        CLF_MAX_CONNECTIONS_PER_UID = toString cfg.maxConnectionsPerUid;
        CLF_HETZNER_RESERVE_PERCENT = toString cfg.hetznerReservePercent;
        CLF_REAP_INTERVAL = cfg.reapInterval;
        CLF_RETENTION_DAYS = toString cfg.retentionDays;
        CLF_BOT_MAX_PRIORITY = toString cfg.limits.botMaxPriority;
        CLF_MAX_ACTIVE_PER_REQUESTER = toString cfg.limits.maxActivePerRequester;
        CLF_ENQUEUE_RATE_PER_REQUESTER = toString cfg.limits.enqueueRatePerRequester;
        CLF_ENQUEUE_BURST_PER_REQUESTER = toString cfg.limits.enqueueBurstPerRequester;
        CLF_MAX_QUEUED_PAYLOAD_BYTES_PER_REQUESTER = toString cfg.limits.maxQueuedPayloadBytesPerRequester;
        CLF_MAX_RUN_AT_AHEAD = cfg.limits.maxRunAtAhead;
        CLF_CATTLE_ENABLED = if cfg.cattle.enable then "1" else "0";
        CLF_CATTLE_IMAGE = cfg.cattle.image;
        CLF_CATTLE_SERVER_TYPE = cfg.cattle.serverType;
        CLF_CATTLE_LOCATION = cfg.cattle.location;
        CLF_CATTLE_ALLOWED_IMAGES = csv cfg.cattle.allowedImages;
        CLF_CATTLE_ALLOWED_SERVER_TYPES = csv cfg.cattle.allowedServerTypes;
        CLF_CATTLE_ALLOWED_LOCATIONS = csv cfg.cattle.allowedLocations;
        CLF_CATTLE_MAX_INSTANCES = toString cfg.cattle.maxInstances;
        CLF_CATTLE_MAX_PER_REQUESTER = toString cfg.cattle.maxPerRequester;
        CLF_CATTLE_ADOPT_LEGACY = if cfg.cattle.adoptLegacy then "1" else "0";
        CLF_CATTLE_DEFAULT_TTL = cfg.cattle.defaultTtl;
        CLF_CATTLE_MAX_TTL = cfg.cattle.maxTtl;
        CLF_CATTLE_LABELS_JSON = builtins.toJSON cfg.cattle.labels;
        CLF_CATTLE_AUTO_SHUTDOWN = if cfg.cattle.autoShutdown then "1" else "0";
        CLF_CATTLE_DELETE_ON_FINISH = if cfg.cattle.deleteOnFinish then "1" else "0";
        CLF_CATTLE_SECRETS_LISTEN_HOST = cfg.cattle.secretsListenHost;
        CLF_CATTLE_SECRETS_LISTEN_PORT = toString cfg.cattle.secretsListenPort;
        CLF_CATTLE_SECRETS_BASE_URL = cfg.cattle.secretsBaseUrl;
        CLF_CATTLE_BOOTSTRAP_TTL_MS = toString cfg.cattle.bootstrapTtlMs;
        CLF_CATTLE_VERIFY_PEER = cfg.cattle.verifyPeer;
        CLF_TAILSCALE_SOCKET = cfg.cattle.tailscaleSocket;
        CLF_TAILSCALE_TAGS = csv cfg.tailscaleOAuth.tags;
        CLF_IDENTITIES_ROOT = "/etc/clf/identities";
        CLF_ADMIN_AUTHORIZED_KEYS_FILE = "/etc/clf/admin_authorized_keys";
      };
      serviceConfig = {
        Type = "simple";
        ExecStart = "${cfg.package}/bin/clf-orchestrator";
        User = "clf-orchestrator";
        Group = "clf-orchestrator";
        Sockets = "clf-orchestrator.socket";
        StateDirectory = "clf/orchestrator";
        StateDirectoryMode = "0700";
        WorkingDirectory = "/var/lib/clf/orchestrator";
        LoadCredential = credentials;
        Restart = "on-failure";
        RestartSec = 5;
        # Running jobs get the grace period, then are released; systemd must wait for that.
        TimeoutStopSec = cfg.shutdownGraceMs / 1000 + 30;
        # Hardening, measured under systemd 252 by nix/tests/systemd-probe.sh (a bot round trip
        # through the socket and the cattle listener on tailscale0, one setting at a time).
        # Left out because they break the daemon there: MemoryDenyWriteExecute (the JIT: the
        # JVM does not start), PrivateUsers (peer credentials on the bot socket then say
        # "nobody", so every bot becomes requester nobody), PrivateNetwork and an inet-less
        # RestrictAddressFamilies (Hetzner and the tailnet listener need the host's network).
        # The daemon reaches tailscaled's LocalAPI socket (cattle.verifyPeer): connect(2) to a
        # Unix socket passes ProtectSystem's read-only mounts (the kernel's read-only check covers
        # files, directories and links, not sockets); the socket is 0666 and tailscaled grants
        # every local user the read access whois needs.
        NoNewPrivileges = true;
        PrivateTmp = true;
        PrivateDevices = true;
        PrivateIPC = true;
        ProtectSystem = "strict";
        ProtectHome = true;
        ProtectKernelTunables = true;
        ProtectKernelModules = true;
        ProtectKernelLogs = true;
        ProtectControlGroups = true;
        ProtectClock = true;
        ProtectHostname = true;
        ProtectProc = "invisible";
        ProcSubset = "pid";
        KeyringMode = "private";
        RestrictNamespaces = true;
        RestrictRealtime = true;
        RestrictSUIDSGID = true;
        LockPersonality = true;
        RemoveIPC = true;
        UMask = "0077";
        CapabilityBoundingSet = "";
        AmbientCapabilities = "";
        RestrictAddressFamilies = [ "AF_UNIX" "AF_INET" "AF_INET6" ];
        SystemCallArchitectures = "native";
        SystemCallFilter = [ "@system-service" "~@privileged" "~@resources" ];
        SystemCallErrorNumber = "EPERM";
      };
    };
  };
}
