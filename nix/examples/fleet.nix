# An example fleet: one PostgreSQL host and two orchestrator hosts that share it, all on one
# tailnet, spawning into one Hetzner project. Each attribute is a NixOS module for one host
# (import it from that host's configuration). The orchestrators then share jobs, idempotency
# keys, bootstrap tokens, capacity (maxInstances holds for the fleet), per-requester quotas and
# rate limits; a host that dies leaves its jobs to the others when their leases run out.
# See the README, "Running several hosts".
{
  # The database host. PostgreSQL listens on the tailnet only; the clf role logs in with a
  # password (scram-sha-256), set once by hand:
  #   sudo -u postgres psql -c "ALTER ROLE clf PASSWORD '…'"
  # and written to each orchestrator's passwordFile (e.g. a sops-nix secret).
  database = { config, pkgs, ... }: {
    services.postgresql = {
      enable = true;
      package = pkgs.postgresql_15;
      ensureDatabases = [ "clf" ];
      ensureUsers = [ { name = "clf"; ensureDBOwnership = true; } ];
      settings = {
        listen_addresses = "localhost,100.64.0.1"; # this host's tailnet address
        # Two orchestrators with database.connections = 8 each, plus room for psql and backups.
        max_connections = 40;
        password_encryption = "scram-sha-256";
      };
      authentication = ''
        # TYPE  DATABASE  USER  ADDRESS          METHOD
        host    clf       clf   100.64.0.0/10    scram-sha-256
      '';
    };
    networking.firewall.interfaces.tailscale0.allowedTCPPorts = [ 5432 ];
  };

  # An orchestrator host (the same module on the second one, with its own bots). Its cattle
  # listener and bot socket are its own; only the store is shared.
  orchestrator = { config, pkgs, ... }: {
    imports = [ ../modules/clf-orchestrator.nix ];
    services.clfOrchestrator = {
      enable = true;
      # package = clf.packages.${pkgs.system}.default;  (from this repository's flake)
      database = {
        url = "postgresql://clf@database.example.ts.net:5432/clf?sslmode=prefer";
        passwordFile = "/run/secrets/clf-db-password";
        connections = 8;
      };
      bots = [ "bot-maren" ];
      hcloudTokenFile = "/run/secrets/hcloud-token";
      tailscaleOAuth = {
        clientIdFile = "/run/secrets/ts-oauth-id";
        clientSecretFile = "/run/secrets/ts-oauth-secret";
        tags = [ "tag:clf-cattle" ];
      };
      adminAuthorizedKeys = [ "ssh-ed25519 AAAA… admin@example" ];
      # The fleet's limits: every host must set the same ones, since each checks them against
      # the shared store (a host with a higher maxInstances would spawn past the others').
      cattle = {
        image = "clf-cattle";
        maxInstances = 10;
        maxPerRequester = 3;
      };
    };
  };
}
