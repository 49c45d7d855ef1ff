# Stand-in for nixpkgs' profile (virtio modules for QEMU guests) when examples are evaluated
# without nixpkgs (eval-cattle-module.nix): nothing the example's own settings depend on.
{ }
