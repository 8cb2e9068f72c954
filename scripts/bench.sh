#!/usr/bin/env bash
# Benchmark, not a test (scripts/test.sh never runs it): p50/p95/p99 of a legitimate full sign-in (GET the form,
# POST the password, GET the landing page), alone and while a separate process floods /account/login with wrong
# passwords. Starts the console (a Release build) on a loopback port with a fresh data folder and 127.0.0.1 as its
# known proxy, so that the load tool's X-Forwarded-For tells the legitimate client and the flood apart; runs
# bench/RustDesk.Load's signin-under-flood scenario; stops the console. Results and method: docs/performance.md.
#
# Usage: scripts/bench.sh [--ref GIT-REF] [--port 21180] [load tool options, e.g. --count 30 --rate 50 --addresses 200]
#   --ref   measure the console of another commit (exported with git archive into a temporary folder), e.g. the
#           commit before the rate limits, for the "before" figures; the load tool is always this tree's.
# Other modes (issue 13; results and method in docs/performance.md):
#   scripts/bench.sh compare [--write] [...]   the console side by side with the Identity template (scripts/bench-compare.sh)
#   scripts/bench.sh micro [BenchmarkDotNet args] micro-benchmarks, short job (default filter: second factor and QR)
#   scripts/bench.sh scale [--users 100000] [--audit 1000000] [--runs 20]   users grid and audit page on a big database
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
case "${1:-}" in
  compare) shift; exec bash scripts/bench-compare.sh "$@" ;;
  micro|scale)
    mode=$1; shift
    dotnet build bench/RustDesk.Bench/RustDesk.Bench.csproj -c Release -v q -nologo >/dev/null
    echo "load: $(uptime)"
    cd bench/RustDesk.Bench
    if [ "$mode" = micro ]; then
      [ $# -gt 0 ] || set -- --filter '*SecondFactorBenchmarks*' '*QrCodeBenchmarks*'
      dotnet bin/Release/net10.0/RustDesk.Bench.dll "$@" --job short
    else
      dotnet bin/Release/net10.0/RustDesk.Bench.dll scale "$@"
    fi
    echo "load: $(uptime)"
    exit 0 ;;
esac
ref="" port=21180 load_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --ref) ref="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    *) load_args+=("$1"); shift ;;
  esac
done

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

tree="$root"
if [ -n "$ref" ]; then
  tree="$work/tree"
  mkdir -p "$tree"
  git archive "$ref" | tar -x -C "$tree"
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB RAM, $(. /etc/os-release && echo "$PRETTY_NAME"), .NET $(dotnet --version)"
echo "console: ${ref:-working tree} ($(git -C "$root" rev-parse --short "${ref:-HEAD}"))"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$tree/RustDesk.Web/RustDesk.Web.csproj" -c Release -v q -nologo >/dev/null
dotnet build "$root/bench/RustDesk.Load/RustDesk.Load.csproj" -c Release -v q -nologo >/dev/null

password="Bench-Password-$RANDOM-1"
(
  cd "$tree/RustDesk.Web"
  exec env ASPNETCORE_URLS="http://127.0.0.1:$port" \
    Storage__DataDirectory="$work/data" \
    Bootstrap__AdminPassword="$password" \
    ReverseProxy__KnownProxies="127.0.0.1" \
    Logging__LogLevel__Default="Warning" \
    "Logging__LogLevel__Microsoft.AspNetCore=Error" \
    dotnet bin/Release/net10.0/RustDesk.Web.dll
) > "$work/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.log"; echo "the console did not start"; exit 1; fi
  sleep 0.5
done

RD_LOAD_PASSWORD="$password" dotnet "$root/bench/RustDesk.Load/bin/Release/net10.0/RustDesk.Load.dll" \
  signin-under-flood --url "http://127.0.0.1:$port/" "${load_args[@]}"
