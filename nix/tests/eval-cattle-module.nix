# Evaluates modules/clf-cattle.nix (or, with example = true, examples/cattle-image.nix) with the
# module system of stand-in-lib.nix, nixpkgs not being reachable where the suite runs. It
# answers the failing assertions, the units rendered as NixOS renders them, the tailnet join
# script and the NixOS settings the module makes. NixFilesIT runs it:
#
#   nix-instantiate --eval --strict --json nix/tests/eval-cattle-module.nix \
#     --arg settings '{ services.clfCattle.taskCommand = "run-task"; }'
#
# Where nixpkgs is reachable, `nix flake check ./nix` evaluates the example image with NixOS
# itself (checks.cattle-image-evaluates).
{ settings ? { }, example ? false, package ? "/nonexistent/clf", tailscale ? "/nonexistent/tailscale", jq ? "/nonexistent/jq" }:
let
  lib = import ./stand-in-lib.nix;
  inherit (lib) mkOption types;
  drv = name: path: { type = "derivation"; inherit name; outPath = path; };
  pkgs = {
    writeShellScript = name: text: drv name "/nix/store/eval-only-${name}";
    jq = drv "jq" jq;
    cacert = drv "cacert" "/nonexistent/cacert";
  };

  # The NixOS options the modules read, with nixpkgs' defaults; everything else they set is
  # free-form here.
  nixosOptionsRead = {
    options.assertions = mkOption { type = types.listOf types.anything; default = [ ]; };
    options.services.tailscale = {
      enable = mkOption { type = types.bool; default = false; };
      package = mkOption { type = types.package; default = drv "tailscale" tailscale; };
      authKeyFile = mkOption { type = types.nullOr types.path; default = null; };
      extraDaemonFlags = mkOption { type = types.listOf types.str; default = [ ]; };
      openFirewall = mkOption { type = types.bool; default = false; };
    };
    options.services.cloud-init.enable = mkOption { type = types.bool; default = false; };
  };
  base = {
    services.clfCattle = {
      enable = lib.mkDefault true;
      # types.package accepts a derivation; this one only names the image directory.
      package = lib.mkDefault (drv "clf" package);
      taskCommand = lib.mkDefault "run-task";
    };
  };
  evaluated = lib.evalModules {
    modules = [ nixosOptionsRead ]
      ++ (if example then [ ../examples/cattle-image.nix { services.clfCattle.package = drv "clf" package; } ]
          else [ ../modules/clf-cattle.nix base ])
      ++ [ settings ];
    specialArgs = { inherit pkgs; modulesPath = ./stand-in-nixos/modules; };
  };
  cfg = evaluated.config;

  # As nixos/lib/systemd-lib.nix: booleans as true/false, a list as one line per element.
  value = v: if builtins.isBool v then lib.boolToString v else toString v;
  lines = name: v: map (item: "${name}=${value item}") (lib.toList v);
  section = attrs: lib.concatLists (lib.mapAttrsToList lines (lib.filterAttrs (_: v: v != null) attrs));
  render = s: lib.concatStringsSep "\n" ([ "[Unit]" ]
      ++ section ({ Description = s.description or null; }
        // lib.optionalAttrs (s ? wants) { Wants = s.wants; }
        // lib.optionalAttrs (s ? after) { After = s.after; }
        // (s.unitConfig or { }))
      ++ [ "[Service]" ]
      ++ map (kv: "Environment=\"${kv}\"") (lib.mapAttrsToList (name: v: "${name}=${v}") (s.environment or { }))
      ++ section s.serviceConfig
      ++ [ "[Install]" ] ++ lines "WantedBy" (s.wantedBy or [ ])) + "\n";
  services = cfg.systemd.services or { };
in
{
  failedAssertions = map (a: a.message) (builtins.filter (a: !a.assertion) cfg.assertions);
  units = lib.listToAttrs (lib.mapAttrsToList (name: s: { name = "${name}.service"; value = render s; }) services);
  path = map toString (services.clf-cattle.path or [ ]);
  joinScript = services.tailscaled-autoconnect.script or null;
  tailscale = { inherit (cfg.services.tailscale) enable extraDaemonFlags authKeyFile; };
  cloudInit = cfg.services.cloud-init.enable;
  tmpfiles = cfg.systemd.tmpfiles.rules or [ ];
  taskCommand = cfg.services.clfCattle.taskCommand;
  firewall = cfg.networking.firewall or { };
  openssh = cfg.services.openssh or { };
  image = if example then { inherit (cfg.system.build.hetznerImage) name format partitionTableType label; } else null;
}
