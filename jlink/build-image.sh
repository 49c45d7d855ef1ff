#!/usr/bin/env bash
# Builds the clf runtime image at TARGET/clf from the resolved runtime class path.
# Run by Maven (exec-maven-plugin, package phase) as: build-image.sh TARGET CLASSPATH_FILE PICOCLI_SOURCES_JAR
# with JAVA_HOME set to the JDK that links the image. Re-runnable: it rewrites everything it makes.
#
#   1. modular jars are used as they are, but clf.cli's, clf.server's and clf.cattle's descriptors get
#      their main classes;
#   2. undertow-core, xnio-api, xnio-nio, wildfly-client-config and postgresql (pgjdbc) get our descriptors
#      (descriptors/*/module-info.java, compiled with --patch-module), minus schema/;
#   3. picocli is recompiled for Java 17 from its sources jar, so CDS can archive it;
#   4. jlink links the image; our launchers (clf, clf-orchestrator, clf-cattle) and the native
#      libraries are copied in;
#   5. AppCDS archives are recorded from a training run of the daemon serving the CLI.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TARGET=$(cd "${1:?target dir}" && pwd)
CLASSPATH_FILE=${2:?class path file}
PICOCLI_SOURCES=$(cd "$(dirname "${3:?picocli sources jar}")" && pwd)/$(basename "$3")
BIN=${JAVA_HOME:?JAVA_HOME must point to a JDK 17}/bin
# The JDK's own home, not JAVA_HOME: nixpkgs' JDK keeps its tree (jmods included) under
# lib/openjdk and links only bin/ at the top, so $JAVA_HOME/jmods does not exist there.
JDK_HOME=$("$BIN/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.home = //p')
JMODS=$JDK_HOME/jmods
[[ -f $JMODS/java.base.jmod ]] || { echo "no jmods at $JMODS (the JDK at $JAVA_HOME has none)" >&2; exit 1; }
WORK=$TARGET/image-work
IMAGE=$TARGET/clf
# Fixed timestamp so rebuilt jars are byte-for-byte the same (root pom: outputTimestamp).
DATE=2026-01-01T00:00:00Z

# Modules without a descriptor, in dependency order (each is compiled against the earlier ones).
PATCHED=(wildfly-client-config:wildfly.client.config xnio-api:xnio.api xnio-nio:xnio.nio undertow-core:undertow.core postgresql:org.postgresql.jdbc)

rm -rf "$WORK" "$IMAGE"
mkdir -p "$WORK/mods" "$WORK/patch" "$WORK/train"

artifact_of() { # jar path -> artifactId (file name less -VERSION.jar)
  local name
  name=$(basename "$1" .jar)
  echo "${name%-[0-9]*}"
}

extract() { # jar dir [entries...]: the JDK's jar tool, so the build needs no unzip
  mkdir -p "$2"
  (cd "$2" && "$BIN/jar" --extract --file "$1" "${@:3}")
}

patched_module_of() { # artifactId -> module name, or nothing
  local entry
  for entry in "${PATCHED[@]}"; do
    [[ ${entry%%:*} == "$1" ]] && echo "${entry#*:}"
  done
  return 0
}

declare -A JAR_OF=()
# The file has no final newline, so read reports end-of-file: that is expected.
IFS=: read -r -a JARS < "$CLASSPATH_FILE" || true
for jar in "${JARS[@]}"; do
  [[ $jar == *.jar ]] || { echo "not a jar on the runtime class path: $jar" >&2; exit 1; }
  artifact=$(artifact_of "$jar")
  JAR_OF[$artifact]=$jar
  if [[ -z $(patched_module_of "$artifact") && $artifact != picocli ]]; then
    cp "$jar" "$WORK/mods/"
  fi
done

# 1b. The launchers' modules: with a main class in its descriptor, jlink pre-resolves the module
#     graph that `-m clf.cli` (or clf.server, clf.cattle) boots (a SystemModules class of its own),
#     so no run resolves it again (~90 ms of the daemon's start).
for main in clf.cli/clf.cli.Main clf.server/clf.server.Main clf.cattle/clf.cattle.Main; do
  module=${main%%/*}
  "$BIN/jar" --update --date="$DATE" --file "$WORK/mods/$(basename "${JAR_OF[$module]:?$module is not on the runtime class path}")" \
    --main-class "${main#*/}"
done

# 2. Descriptors for the jars that have none. The schema/ folders (XSDs) of xnio-api and
#    wildfly-client-config would be a split package, and INDEX.LIST would list them.
for entry in "${PATCHED[@]}"; do
  artifact=${entry%%:*} module=${entry#*:}
  jar=${JAR_OF[$artifact]:?$artifact is not on the runtime class path}
  content=$WORK/patch/$module
  extract "$jar" "$content"
  rm -rf "$content/schema" "$content/META-INF/INDEX.LIST"
  mv "$content/META-INF/MANIFEST.MF" "$WORK/patch/$module.MF"
  version=$(basename "$jar" .jar)
  version=${version#"$artifact"-}
  "$BIN/javac" -nowarn -XDsuppressNotes --module-version "$version" -d "$WORK/patch/$module-descriptor" \
    --module-path "$WORK/mods" --patch-module "$module=$content" "$HERE/descriptors/$module/module-info.java"
  cp "$WORK/patch/$module-descriptor/module-info.class" "$content/"
  "$BIN/jar" --create --date="$DATE" --file "$WORK/mods/$module.jar" \
    --manifest "$WORK/patch/$module.MF" -C "$content" .
done

# 3. picocli, rebuilt from source for Java 17 (its jar holds Java 5 class files, which CDS skips).
#    String concatenation stays inline (StringBuilder), as in Java 5 class files: javac's default
#    for 9+ bootstraps each concatenation on first use, spinning method-handle classes that CDS
#    does not archive, a good part of every CLI run that builds picocli's model.
picocli_jar=${JAR_OF[picocli]:?picocli is not on the runtime class path}
picocli_version=$(basename "$picocli_jar" .jar)
picocli_version=${picocli_version#picocli-}
mkdir -p "$WORK/picocli/src" "$WORK/picocli/classes"
extract "$PICOCLI_SOURCES" "$WORK/picocli/src"
cp "$HERE/descriptors/info.picocli/module-info.java" "$WORK/picocli/src/"
"$BIN/javac" --release 17 -nowarn -XDsuppressNotes -XDstringConcat=inline --module-version "$picocli_version" \
  -d "$WORK/picocli/classes" $(find "$WORK/picocli/src/picocli" -name '*.java' | sort) "$WORK/picocli/src/module-info.java"
"$BIN/jar" --create --date="$DATE" --file "$WORK/mods/info.picocli.jar" -C "$WORK/picocli/classes" .

# 4. The image. Service providers are found by ServiceLoader only, so nothing requires them:
#    xnio.nio (XNIO's transport), jdk.random (RandomGenerator.getDefault(), used by clf.queue)
#    and jdk.crypto.ec (elliptic-curve TLS, which HTTPS to cloud APIs negotiates).
"$BIN/jlink" --module-path "$JMODS:$WORK/mods" \
  --add-modules clf.server,clf.cli,clf.cattle,xnio.nio,jdk.random,jdk.crypto.ec \
  --strip-debug --no-header-files --no-man-pages --compress=0 \
  --generate-cds-archive \
  --output "$IMAGE"

install -m 0755 "$HERE/launchers/clf" "$HERE/launchers/clf-orchestrator" "$HERE/launchers/clf-cattle" "$IMAGE/bin/"

# Native libraries load from the image (see the launchers), never from java.io.tmpdir, which
# a hardened unit mounts private and noexec. Only the build machine's architecture is shipped.
case $(uname -m) in
  x86_64) junix_arch=amd64 sqlite_arch=x86_64 jline_arch=x86_64 ;;
  aarch64) junix_arch=aarch64 sqlite_arch=aarch64 jline_arch=arm64 ;;
  *) echo "unsupported architecture: $(uname -m)" >&2; exit 1 ;;
esac
native=$IMAGE/lib/clf-native
mkdir -p "$native"
junix_jar=${JAR_OF[junixsocket-native-common]:?}
junix_version=$(basename "$junix_jar" .jar)
junix_version=${junix_version#junixsocket-native-common-}
junix_so=lib/$junix_arch-Linux-clang/jni/libjunixsocket-native-$junix_version.so
sqlite_so=org/sqlite/native/Linux/$sqlite_arch/libsqlitejdbc.so
jline_so=org/jline/nativ/Linux/$jline_arch/libjlinenative.so
extract "$junix_jar" "$WORK/native" "$junix_so"
extract "${JAR_OF[sqlite-jdbc]:?}" "$WORK/native" "$sqlite_so"
extract "${JAR_OF[jline-native]:?}" "$WORK/native" "$jline_so"
install -m 0644 "$WORK/native/$junix_so" "$native/libjunixsocket-native.so"
install -m 0644 "$WORK/native/$sqlite_so" "$native/libsqlitejdbc.so"
install -m 0644 "$WORK/native/$jline_so" "$native/libjlinenative.so"

# 5. AppCDS archives, trained on real use: the daemon (in dev mode, with its simulated Hetzner)
#    serves the CLI on scratch state, including a cattle spawn to done and the status report.
#    The daemon's is a dynamic archive written when SIGTERM ends it. The CLI's merges the class
#    lists of several commands (help, enqueue, show, list, events, cancel) into one static
#    archive, since a dynamic one would cover a single run's path only. Launchers use an
#    archive only if it exists.
train=$WORK/train
socket=$train/dev/orchestrator.sock
CLF_JAVA_OPTS="-XX:ArchiveClassesAtExit=$IMAGE/lib/clf-orchestrator.jsa" CLF_DEV_BOOT_DELAY_MS=100 \
  "$IMAGE/bin/clf-orchestrator" --dev --state-dir "$train/dev" > "$train/orchestrator.log" 2>&1 &
daemon=$!
trap 'kill -TERM $daemon 2>/dev/null || true' EXIT
for _ in $(seq 300); do
  [[ -S $socket ]] && break
  kill -0 $daemon 2>/dev/null || { cat "$train/orchestrator.log" >&2; echo "training daemon died" >&2; exit 1; }
  sleep 0.1
done
cli_run=0
cli() { # records the classes one CLI run loads
  cli_run=$((cli_run + 1))
  CLF_SOCKET_PATH=$socket CLF_JAVA_OPTS="-XX:DumpLoadedClassList=$train/cli-$cli_run.classlist" \
    "$IMAGE/bin/clf" "$@"
}
cli --help > /dev/null
job=$(cli jobs enqueue cattle.reap --dry-run --idempotency-key training)
cli jobs enqueue cattle.reap --dry-run --idempotency-key training --json > /dev/null
cli jobs show "$job" --json > /dev/null
cli jobs show "$job" > /dev/null
cli jobs list > /dev/null
cli jobs list --json > /dev/null
cli jobs events "$job" > /dev/null
later=$(cli jobs enqueue cattle.reap --dry-run --run-at "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)")
cli jobs cancel "$later" --json > /dev/null
spawn=$(cli jobs enqueue cattle.spawn --requester training --identity rex --task-id t --message training --ttl 1h)
cli jobs wait "$spawn" --timeout 60s --json > /dev/null
# The health checks and the status report: a supervisor's first /healthz comes right after start.
cli status --json > /dev/null || [[ $? -eq 2 ]] # 2: a check failed, which still trains the path
kill -TERM $daemon
trap - EXIT
wait $daemon || { cat "$train/orchestrator.log" >&2; echo "training daemon did not stop cleanly" >&2; exit 1; }
[[ -s $IMAGE/lib/clf-orchestrator.jsa ]] || { echo "no clf-orchestrator.jsa was written" >&2; exit 1; }
cat "$train"/cli-*.classlist | grep -v '^#' | sort -u > "$train/cli.classlist"
"$IMAGE/bin/java" -Xshare:dump -XX:SharedClassListFile="$train/cli.classlist" \
  -XX:SharedArchiveFile="$IMAGE/lib/clf-cli.jsa" --add-modules clf.cli > "$train/cli-dump.log" 2>&1 \
  || { cat "$train/cli-dump.log" >&2; echo "dumping clf-cli.jsa failed" >&2; exit 1; }

echo "clf runtime image: $IMAGE ($(du -sh "$IMAGE" | cut -f1))"
