# Stand-in for nixpkgs' nixos/lib/make-disk-image.nix when examples are evaluated without
# nixpkgs (eval-cattle-module.nix): hands back what it was asked to build.
{ config, lib, pkgs, name ? "nixos-disk-image", format ? "raw", partitionTableType ? "legacy", ... }@args:
{
  inherit name format partitionTableType;
  label = args.label or "nixos";
  outPath = "/nix/store/eval-only-${name}";
}
