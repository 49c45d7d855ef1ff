#!/usr/bin/env bash
# Rewrites nix/maven-deps.json, the lockfile of every file the Nix build reads from its Maven
# repository. Run it after changing any pom.xml (a dependency, a plugin, a module):
#
#   nix/update-maven-deps.sh [OUTPUT]          (default: nix/maven-deps.json)
#
# It builds a copy of the tree (no target/ nor .clf-dev, as the derivation's source) with the
# derivation's goals (nix/maven-goals) against an empty local repository, online, and records
# each file Maven put there with its SHA-256. Needs mvn (MVN overrides it), network access to
# Maven Central, sha256sum; MAVEN_SETTINGS names a settings.xml to use (default: none). The Nix
# build fetches the same files from Maven Central by these hashes and runs Maven offline
# (nix/maven-repository.nix, nix/package.nix).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTPUT=$(realpath -m "${1:-$ROOT/nix/maven-deps.json}")
MVN=${MVN:-mvn}
CENTRAL=https://repo.maven.apache.org/maven2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/src" "$work/repo"
tar -C "$ROOT" --exclude=./.git --exclude=target --exclude=.clf-dev -cf - . | tar -C "$work/src" -xf -

read -r -a goals < "$ROOT/nix/maven-goals"
# The developer's ~/.m2/settings.xml (mirrors, repositories) must not change what is resolved:
# the derivation has none. MAVEN_SETTINGS names other settings (MavenLockfileIT: a mirror).
settings=${MAVEN_SETTINGS:-$work/settings.xml}
echo '<settings/>' > "$work/settings.xml"
(cd "$work/src" && "$MVN" -B -nsu -s "$settings" -Dmaven.repo.local="$work/repo" "${goals[@]}") \
  > "$work/build.log" 2>&1 || { tail -n 60 "$work/build.log" >&2; echo "the build failed; lockfile unchanged" >&2; exit 1; }

# Maven's own records of where a file came from and when it was last checked are left out:
# offline, Maven takes an untracked file as present. Checksum files are not read offline.
# Repository metadata cannot be pinned (Central rewrites it), so a build that needs it (a
# version range, a SNAPSHOT, a plugin without a version) is refused here.
cd "$work/repo"
metadata=$(find . -type f -name 'maven-metadata*.xml' | sort)
if [[ -n $metadata ]]; then
  printf 'the build read repository metadata, which cannot be locked; pin the versions that need:\n%s\n' "$metadata" >&2
  exit 1
fi
mapfile -t files < <(find . -type f ! -name _remote.repositories ! -name '*.lastUpdated' \
  ! -name resolver-status.properties ! -name '*.sha1' ! -name '*.md5' -printf '%P\n' | LC_ALL=C sort)
[[ ${#files[@]} -gt 0 ]] || { echo "the build resolved nothing from $work/repo" >&2; exit 1; }

{
  printf '{\n  "repository": "%s",\n  "artifacts": [\n' "$CENTRAL"
  last=$((${#files[@]} - 1))
  for i in "${!files[@]}"; do
    hash=$(sha256sum "${files[$i]}" | cut -d' ' -f1)
    separator=,
    [[ $i -eq $last ]] && separator=
    printf '    { "path": "%s", "sha256": "%s" }%s\n' "${files[$i]}" "$hash" "$separator"
  done
  printf '  ]\n}\n'
} > "$work/maven-deps.json"
mv "$work/maven-deps.json" "$OUTPUT"
echo "$OUTPUT: ${#files[@]} files, $(du -sh . | cut -f1)"
