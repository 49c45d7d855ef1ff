# Evaluates package.nix (and maven-repository.nix through it) without nixpkgs, which is not
# reachable where the suite runs: the nixpkgs functions they call are stood in for by ones that
# hand back their arguments. What this checks is the wiring — every lockfile entry becomes a
# fetchurl of Maven Central with its SHA-256, at its repository path, and the build runs Maven
# offline against that repository with the goals of maven-goals. NixFilesIT runs it:
#
#   nix-instantiate --eval --strict --json nix/tests/eval-package.nix
let
  lib = {
    importJSON = file: builtins.fromJSON (builtins.readFile file);
    fileContents = file: builtins.head (builtins.match "[[:space:]]*(.*[^[:space:]])[[:space:]]*" (builtins.readFile file));
    # The filter is asked about a build output and a source file, beside the real checkout.
    cleanSourceWith = { src, filter }:
      assert !(filter "${toString src}/jlink/target" "directory");
      assert filter "${toString src}/README.md" "regular";
      src;
    removePrefix = prefix: string:
      let length = builtins.stringLength prefix;
      in if builtins.substring 0 length string == prefix
        then builtins.substring length (builtins.stringLength string - length) string
        else string;
    hasInfix = infix: string: builtins.match ".*${infix}.*" string != null;
    makeBinPath = packages: builtins.concatStringsSep ":" (map (package: "${package}/bin") packages);
    licenses.mit = "mit";
  };
  fetchurl = { url, sha256 }: { inherit url sha256; };
  linkFarm = name: entries: { inherit name entries; outPath = "/nix/store/eval-only-${name}"; };
  callPackage = file: overrides: import file ({ inherit lib fetchurl linkFarm; } // overrides);
  package = import ../package.nix {
    inherit lib callPackage;
    stdenv.mkDerivation = attributes: attributes;
    maven = "maven";
    jdk17_headless = "jdk17_headless";
    coreutils = "coreutils";
    makeWrapper = "makeWrapper";
  };
in
{
  # Not src: turning the source path into JSON would copy the tree into the store.
  inherit (package) pname version buildPhase;
  # Not the repository itself: having an outPath, it would turn into that string.
  repository = { inherit (package.passthru.mavenRepository) name entries; };
  repositoryPath = package.passthru.mavenRepository.outPath;
  # Forces the stand-in cleanSourceWith, whose asserts try the source filter.
  sourceFilterChecked = builtins.seq package.src true;
}
