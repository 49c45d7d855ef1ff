{
  description = "clf: ephemeral cloud VMs for chat bots, without cloud credentials";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      packages = forAllSystems (pkgs: rec {
        clf = pkgs.callPackage ./package.nix { };
        default = clf;
      });

      nixosModules.clf-orchestrator = { pkgs, ... }: {
        imports = [ ./modules/clf-orchestrator.nix ];
        services.clfOrchestrator.package = nixpkgs.lib.mkDefault self.packages.${pkgs.system}.default;
      };

      checks = forAllSystems (pkgs: {
        package = self.packages.${pkgs.system}.default;
        # The module evaluates with only enable, package and cattle.image set; missing secret
        # files become assertion messages, not evaluation errors.
        module-evaluates = (nixpkgs.lib.nixosSystem {
          inherit (pkgs) system;
          modules = [
            self.nixosModules.clf-orchestrator
            {
              boot.isContainer = true;
              system.stateVersion = "25.05";
              services.clfOrchestrator = { enable = true; cattle.image = "clf-cattle"; };
            }
          ];
        }).config.system.build.etc;
      });
    };
}
