# clf: the jlink runtime image (bin/clf, bin/clf-orchestrator, bin/clf-cattle), man pages and completions.
# Maven runs offline against a repository built from the lockfile maven-deps.json, one fetchurl
# per file (maven-repository.nix), so no hash is left to discover: after changing a pom.xml,
# run nix/update-maven-deps.sh and commit the lockfile it rewrites.
{ lib, stdenv, callPackage, maven, jdk17_headless, coreutils, makeWrapper }:

let
  mavenRepository = callPackage ./maven-repository.nix { };
in
stdenv.mkDerivation {
  pname = "clf";
  version = "0.1.0";

  src = lib.cleanSourceWith {
    src = ../.;
    # Paths relative to the checkout: a checkout that itself lies under some ".../target/..."
    # directory must not lose its whole source.
    filter = path: type:
      let relative = lib.removePrefix (toString ../.) (toString path);
      in !(lib.hasInfix "/target" relative) && !(lib.hasInfix "/.clf-dev" relative);
  };

  nativeBuildInputs = [ maven makeWrapper ];

  # jlink needs the JDK's jmods; the build links the image against the JDK that runs Maven.
  JAVA_HOME = jdk17_headless;

  # The goals (maven-goals) are those update-maven-deps.sh resolved the lockfile with and
  # MavenLockfileIT builds offline with. -DskipTests: the tests run in CI (`mvn -B verify`);
  # inside the sandbox they would need setpriv, tmux, … They are still compiled.
  # The repository is copied writable: Maven may record what it resolves there.
  buildPhase = ''
    runHook preBuild
    cp -rL ${mavenRepository} "$TMPDIR/m2"
    chmod -R u+w "$TMPDIR/m2"
    mvn -B -o -nsu -Dmaven.repo.local="$TMPDIR/m2" ${lib.fileContents ./maven-goals}
    runHook postBuild
  '';

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
    for launcher in $out/bin/clf $out/bin/clf-orchestrator $out/bin/clf-cattle; do
      wrapProgram "$launcher" --prefix PATH : ${lib.makeBinPath [ coreutils ]}
    done
  '';

  passthru = { inherit mavenRepository; };

  meta = {
    description = "Control plane that gives chat bots ephemeral cloud VMs without cloud credentials";
    license = lib.licenses.mit;
    platforms = [ "x86_64-linux" "aarch64-linux" ];
    mainProgram = "clf";
  };
}
