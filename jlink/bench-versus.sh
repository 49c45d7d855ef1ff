#!/usr/bin/env bash
# The image's daemon and CLI side by side with another implementation of protocol v1, driven
# by one protocol-only client over the Unix socket in alternating rounds (VersusBenchmark.java
# says what is measured and how the 200,000-job stores are made). Usage:
#
#   bash jlink/bench-versus.sh [OTHER_DAEMON_COMMAND [OTHER_SHOW_COMMAND [OTHER_VERSION_COMMAND]]]
#
# OTHER_DAEMON_COMMAND is run by sh with `exec` in front, with CLF_DB_PATH and CLF_SOCKET_PATH
# set, so its pid is the daemon's; OTHER_SHOW_COMMAND has {id} where the job id goes (its words
# are split by hyperfine -N, no shell). Without arguments: ours alone. VERSUS_ROUNDS (3),
# VERSUS_SECONDS (5), VERSUS_JOBS (200000), VERSUS_IDLE_SECONDS (60), VERSUS_ONLY
# (empty,full,cli) and VERSUS_FILL_DIR (keep the filled stores for later runs) change the run;
# CLF_JAVA_OPTS goes to our daemon.
# Needs hyperfine (Debian package); builds the image first if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine > /dev/null || { apt-get update -q && apt-get install -y -q hyperfine; }
[ -x jlink/target/clf/bin/clf-orchestrator ] || mvn -B -q -o package -DskipTests -pl jlink -am
# The reactor resolves the project's modules to their target/ folders (nothing is installed).
mvn -B -q -o -pl jlink -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/versus.classpath -Dmdep.includeScope=test
VERSUS_OTHER=${1:-} VERSUS_OTHER_SHOW=${2:-} VERSUS_OTHER_VERSION=${3:-} \
  java -cp "jlink/target/test-classes:$(cat jlink/target/versus.classpath)" clf.image.VersusBenchmark
