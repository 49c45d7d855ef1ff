# clf: the jlink runtime image (bin/clf, bin/clf-orchestrator), man pages and completions.
# Built with nixpkgs' Maven support; the dependency hash is fixed (update it with the hash
# `nix build` reports after a dependency change).
{ lib, maven, jdk17_headless, coreutils, makeWrapper }:

maven.buildMavenPackage {
  pname = "clf";
  version = "0.1.0";

  src = lib.cleanSourceWith {
    src = ../.;
    filter = path: type: !(lib.hasInfix "/target" path) && !(lib.hasInfix "/.clf-dev" path);
  };

  # jlink needs the JDK's jmods; the build links the image against the JDK that runs Maven.
  mvnJdk = jdk17_headless;
  # Not yet known: no nixpkgs was reachable where this was written. The first `nix build`
  # fails and prints the real hash; put it here.
  mvnHash = lib.fakeHash;
  # The tests run in CI (`mvn -B verify`); inside the sandbox they would need setpriv, tmux, …
  # (buildMavenPackage passes -DskipTests to both of its Maven runs.)
  doCheck = false;

  nativeBuildInputs = [ makeWrapper ];

  installPhase = ''
    runHook preInstall
    mkdir -p $out
    cp -r jlink/target/clf/. $out/
    install -Dm644 -t $out/share/man/man1 man/*.1
    install -Dm644 -t $out/share/man/man8 man/*.8
    install -Dm644 completions/clf.bash $out/share/bash-completion/completions/clf
    install -Dm644 -t $out/share/zsh/site-functions completions/_clf
    install -Dm644 -t $out/share/fish/vendor_completions.d completions/clf.fish
    runHook postInstall
  '';

  # The launchers resolve their own directory with readlink(1).
  postFixup = ''
    for launcher in $out/bin/clf $out/bin/clf-orchestrator; do
      wrapProgram "$launcher" --prefix PATH : ${lib.makeBinPath [ coreutils ]}
    done
  '';

  meta = {
    description = "Control plane that gives chat bots ephemeral cloud VMs without cloud credentials";
    license = lib.licenses.mit;
    platforms = [ "x86_64-linux" "aarch64-linux" ];
    mainProgram = "clf";
  };
}
