# The Maven repository the build runs offline against: each file of maven-deps.json, fetched
# from Maven Central and checked against its SHA-256, at its path in the Maven layout.
# Regenerate maven-deps.json with update-maven-deps.sh after changing a pom.xml.
{ lib, fetchurl, linkFarm }:

let
  lock = lib.importJSON ./maven-deps.json;
in
linkFarm "clf-maven-repository" (map
  (artifact: {
    name = artifact.path;
    path = fetchurl {
      url = "${lock.repository}/${artifact.path}";
      inherit (artifact) sha256;
    };
  })
  lock.artifacts)
