# Evaluates modules/clf-orchestrator.nix with nixpkgs' module system alone (lib.evalModules),
# without the rest of NixOS: the options it sets elsewhere (users, systemd, networking, …) are
# declared here as free-form. It answers the failing assertions and the two systemd units
# rendered the way NixOS renders them, so systemd-probe.sh can run them under a real systemd.
#
#   nix-instantiate --eval --strict --json nix/tests/eval-module.nix \
#     --arg lib 'import /path/to/nixpkgs/lib' --arg settings '{ cattle.image = "x"; }'
# (or --arg lib "import nix/tests/stand-in-lib.nix" where nixpkgs is not reachable: NixFilesIT)
{ lib, settings ? { }, package ? "/nonexistent/clf" }:
let
  freeform = lib.mkOption { type = lib.types.lazyAttrsOf lib.types.anything; default = { }; };
  nixosOptionsUsed = {
    options = {
      assertions = lib.mkOption { type = lib.types.listOf lib.types.unspecified; default = [ ]; };
      users = freeform;
      environment = freeform;
      networking = freeform;
      systemd = freeform;
    };
  };
  evaluated = lib.evalModules {
    modules = [
      nixosOptionsUsed
      ../modules/clf-orchestrator.nix
      {
        services.clfOrchestrator = lib.recursiveUpdate {
          enable = true;
          # types.package accepts a derivation; this one only names the image directory.
          package = { type = "derivation"; name = "clf"; outPath = package; };
        } settings;
      }
    ];
    specialArgs = { pkgs = { }; };
  };
  cfg = evaluated.config;

  # As nixos/lib/systemd-lib.nix: booleans as true/false, a list as one line per element.
  value = v: if builtins.isBool v then lib.boolToString v else toString v;
  lines = name: v: map (item: "${name}=${value item}") (lib.toList v);
  section = attrs: lib.concatLists (lib.mapAttrsToList lines (lib.filterAttrs (_: v: v != null) attrs));
  # sections: [ name lines name lines … ], in the order they are written.
  unit = sections: lib.concatStringsSep "\n" (lib.concatMap (s: if builtins.isList s then s else [ "[${s}]" ]) sections) + "\n";
  unitSection = u: section ({ Description = u.description or null; }
    // lib.optionalAttrs (u ? requires) { Requires = u.requires; }
    // lib.optionalAttrs (u ? wants) { Wants = u.wants; }
    // lib.optionalAttrs (u ? after) { After = u.after; });

  service = cfg.systemd.services.clf-orchestrator;
  socket = cfg.systemd.sockets.clf-orchestrator;
in
{
  failedAssertions = map (a: a.message) (lib.filter (a: !a.assertion) cfg.assertions);
  firewall = cfg.networking.firewall;
  groups = lib.attrNames cfg.users.groups;
  etc = lib.mapAttrs (_: file: file.text) cfg.environment.etc;
  units = {
    "clf-orchestrator.service" = unit [
      "Unit" (unitSection service)
      "Service" (map (kv: "Environment=\"${kv}\"")
          (lib.mapAttrsToList (name: v: "${name}=${v}") service.environment)
        ++ section service.serviceConfig)
    ];
    "clf-orchestrator.socket" = unit [
      "Unit" (unitSection socket)
      "Socket" (lines "ListenStream" socket.listenStreams ++ section socket.socketConfig)
    ];
  };
}
