#!/usr/bin/env bash
# The one test command: installs what the tests need, runs every test, and ends with "N passed, N failed".
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Browser]
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v oathtool >/dev/null 2>&1 || need+=(oathtool)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
# nginx in front of two consoles (Web/MultiInstance); Debian puts it in /usr/sbin.
{ command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null 2>&1 || need+=(nginx)
# Fonts so that screenshots and the QR code render the same on every machine.
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null || {
    echo "could not install ${need[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The house style (.editorconfig) first: whitespace and the style rules set to warning. Fast: no restore, no build.
dotnet restore RustDesk.Blazor.sln -v q >/dev/null || { echo "dotnet restore failed"; echo "0 passed, 1 failed"; exit 1; }
if ! dotnet format RustDesk.Blazor.sln --verify-no-changes --no-restore --severity warn -v q; then
  echo "dotnet format: the files above deviate from .editorconfig. Run 'dotnet format RustDesk.Blazor.sln' and commit the result."
  echo "0 passed, 1 failed"
  exit 1
fi

results="$(mktemp -d)"
dotnet test RustDesk.Blazor.sln --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
rm -rf "$results"
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi  # a build failure counts as a failure
echo "$passed passed, $failed failed"
exit $status
