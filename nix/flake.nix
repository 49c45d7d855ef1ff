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
      } // nixpkgs.lib.optionalAttrs (pkgs.system == "x86_64-linux") {
        # The example cattle image (examples/cattle-image.nix) as hcloud-upload-image takes it:
        # nix build ./nix#cattle-image, then upload result (README, "Build and upload the cattle image").
        cattle-image = pkgs.runCommand "clf-cattle.raw.xz" { nativeBuildInputs = [ pkgs.xz ]; } ''
          xz -T0 -9 -c ${self.nixosConfigurations.cattle-image.config.system.build.hetznerImage}/nixos.img > $out
        '';
      });

      nixosModules.clf-orchestrator = { pkgs, ... }: {
        imports = [ ./modules/clf-orchestrator.nix ];
        services.clfOrchestrator.package = nixpkgs.lib.mkDefault self.packages.${pkgs.system}.default;
      };

      # For a cattle image of your own: import it and set services.clfCattle (see examples/).
      nixosModules.clf-cattle = { pkgs, ... }: {
        imports = [ ./modules/clf-cattle.nix ];
        services.clfCattle.package = nixpkgs.lib.mkDefault self.packages.${pkgs.system}.default;
      };

      nixosConfigurations.cattle-image = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ self.nixosModules.clf-cattle ./examples/cattle-image.nix ];
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
      } // nixpkgs.lib.optionalAttrs (pkgs.system == "x86_64-linux") {
        # The example cattle image evaluates (its units, cloud-init, tailscale) without building the disk.
        cattle-image-evaluates = self.nixosConfigurations.cattle-image.config.system.build.toplevel;
      });
    };
}
