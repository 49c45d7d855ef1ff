# An example cattle image for Hetzner Cloud: NixOS with cloud-init (Hetzner's metadata service
# hands it the user data clf writes), tailscale and services.clfCattle. The flake builds it as
# packages.x86_64-linux.cattle-image (a raw disk, xz-compressed, for hcloud-upload-image; see the
# README, "Build and upload the cattle image"). Copy it and change the task: everything else is
# what clf's side expects.
{ config, lib, pkgs, modulesPath, ... }:

{
  imports = [
    ../modules/clf-cattle.nix
    (modulesPath + "/profiles/qemu-guest.nix")
  ];

  # The task. Its programs go on the agent's PATH; it gets the secret env and the task file.
  services.clfCattle = {
    enable = true;
    # A script (one path), so it runs the same whether the agent splits the command or hands
    # it to a shell. The task file is where cloud-init wrote it (clf.server's CloudInit.TASK_PATH).
    taskCommand = toString (pkgs.writeShellScript "sample-task" ''
      set -eu
      echo "task: $(${pkgs.jq}/bin/jq -r .message /var/lib/clawdlets/cattle/task.json)"
    '');
    autoShutdown = true;
  };

  # Hetzner's x86 servers boot the first disk with BIOS; the root file system is labelled
  # "nixos" by the image builder and grows to the server's disk on first boot.
  boot.loader.grub.device = "/dev/sda";
  boot.loader.grub.efiSupport = false;
  boot.initrd.availableKernelModules = [ "virtio_pci" "virtio_scsi" "virtio_blk" "virtio_net" "ata_piix" "sd_mod" ];
  boot.growPartition = true;
  fileSystems."/" = { device = "/dev/disk/by-label/nixos"; fsType = "ext4"; autoResize = true; };
  services.qemuGuest.enable = true;

  # Network from Hetzner's DHCP and RAs through networkd; cloud-init sets the host name (the
  # server's name, which the node then carries on the tailnet).
  networking.hostName = lib.mkDefault "clf-cattle";
  networking.useNetworkd = true;
  networking.useDHCP = false;
  systemd.network.networks."10-uplink" = {
    matchConfig.Name = "en*";
    networkConfig = { DHCP = "ipv4"; IPv6AcceptRA = true; };
  };
  services.cloud-init = {
    enable = true;
    network.enable = false; # networkd above; cloud-init only writes files, users and the host name
    # Ask Hetzner's metadata service only, instead of probing every cloud first.
    settings.datasource_list = [ "Hetzner" ];
  };

  # cloud-init creates the admin user with the keys the daemon sends (CLF_ADMIN_AUTHORIZED_KEYS).
  users.mutableUsers = true;
  services.openssh = {
    enable = true;
    openFirewall = false;
    settings = {
      PasswordAuthentication = false;
      KbdInteractiveAuthentication = false;
      PermitRootLogin = "no";
      AllowUsers = [ "admin" ];
    };
  };

  # Nothing public: SSH only over the tailnet; tailscale's own UDP port for direct connections.
  networking.firewall = {
    enable = true;
    allowedTCPPorts = [ ];
    interfaces.tailscale0.allowedTCPPorts = [ 22 ];
  };
  services.tailscale = {
    enable = true;
    openFirewall = true;
  };

  environment.systemPackages = [ pkgs.cacert ];
  time.timeZone = "UTC";
  system.stateVersion = "25.05";

  # The disk image hcloud-upload-image takes: raw (nixos.img), MBR (Hetzner boots x86 with
  # BIOS), with the "nixos" label the file system above expects. The flake compresses it.
  system.build.hetznerImage = import (modulesPath + "/../lib/make-disk-image.nix") {
    inherit config lib pkgs;
    name = "clf-cattle-image";
    format = "raw";
    partitionTableType = "legacy";
    diskSize = "auto";
    additionalSpace = "1G";
  };
}
