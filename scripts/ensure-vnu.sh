#!/usr/bin/env bash
# The browser tests check every public page's HTML with the Nu HTML checker
# (npm vnu-jar, a Java program). Install Java, npm and the jar pinned in
# tests_support/package.json when missing and we may. Elsewhere the HTML check
# is skipped with a reason; in CI (CI=true) a missing piece fails the build.
set -u
cd "$(dirname "$0")/.."
JAR=tests_support/node_modules/vnu-jar/build/dist/vnu.jar
VERSION=$(sed -n 's/.*"vnu-jar": *"\([^"]*\)".*/\1/p' tests_support/package.json)

apt_missing=()
command -v java >/dev/null || apt_missing+=(default-jre-headless)
command -v npm >/dev/null || apt_missing+=(npm)
if [ ${#apt_missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages for the HTML checks: ${apt_missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
  else
    echo "Missing ${apt_missing[*]} (sudo apt-get install ${apt_missing[*]}); HTML checks will be skipped."
  fi
fi

installed=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' tests_support/node_modules/vnu-jar/package.json 2>/dev/null)
if [ -f "$JAR" ] && [ "$installed" = "$VERSION" ]; then
  :  # already there
elif ! command -v npm >/dev/null; then
  :  # said above
elif ! npm view "vnu-jar@$VERSION" version >/dev/null 2>&1; then
  echo "The npm registry does not answer (npm view vnu-jar@$VERSION); HTML checks will be skipped."
else
  echo "Installing vnu-jar $VERSION into tests_support/node_modules..."
  (cd tests_support && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error "vnu-jar@$VERSION")
fi

if command -v java >/dev/null && [ -f "$JAR" ]; then exit 0; fi
if [ "${CI:-}" = "true" ]; then
  echo "CI: the HTML checks need Java and $JAR; failing."
  exit 1
fi
