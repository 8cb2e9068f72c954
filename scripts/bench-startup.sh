#!/usr/bin/env bash
# Benchmark, not a test: the console's start-up under runtime settings, alternated so that each variant meets the same
# machine load. For each round and variant: start on an empty data folder (ready = first 200 on /healthz, then the
# settled idle RSS), stop, start again on that now existing database, the same. Prints medians per variant.
#
# Usage: scripts/bench-startup.sh [--rounds 3] [--publish-dir DIR] VARIANT...
#   VARIANT is name or name:ENV=value,ENV=value — e.g.  default  wks-gc:DOTNET_gcServer=0  nopgo:DOTNET_TieredPGO=0
#   --publish-dir  measure an already published console (else this tree is published into a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=3 publish="" variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --publish-dir) publish="$2"; shift 2 ;;
    *) variants+=("$1"); shift ;;
  esac
done
[ ${#variants[@]} -gt 0 ] || variants=(default)
work=$(mktemp -d)
pid=""
cleanup() { if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ -z "$publish" ]; then
  publish="$work/console"
  dotnet publish "$root/RustDesk.Web/RustDesk.Web.csproj" -c Release -o "$publish" -v q -nologo >/dev/null
fi
dotnet build "$root/bench/RustDesk.Load/RustDesk.Load.csproj" -c Release -v q -nologo >/dev/null
echo "load before: $(uptime | sed 's/.*load average: //')"

# run VARIANT-ENV DATA → "ready-ms rss-kb"
run() {
  local envs=$1 data=$2 started ready=""
  local -a extra=()
  [ -z "$envs" ] || IFS=',' read -ra extra <<< "$envs"
  started=$(date +%s%N)
  (cd "$publish" && exec env ASPNETCORE_URLS="http://127.0.0.1:21197" Storage__DataDirectory="$data" Bootstrap__AdminPassword="Bench-Password-77-1" \
    Logging__LogLevel__Default=Warning "${extra[@]}" dotnet RustDesk.Web.dll) > "$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:21197/healthz 2>/dev/null)" = 200 ]; then ready=$(( ($(date +%s%N) - started) / 1000000 )); break; fi
    kill -0 "$pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.01
  done
  local rss
  rss=$(dotnet "$root/bench/RustDesk.Load/bin/Release/net10.0/RustDesk.Load.dll" rss --pid "$pid" | sed -n 's/^RESULT rss kb=//p')
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  echo "$ready $rss"
}

declare -A empty_ready empty_rss ready rss
for round in $(seq 1 "$rounds"); do
  for v in "${variants[@]}"; do
    name=${v%%:*}; envs=""; [ "$name" = "$v" ] || envs=${v#*:}
    data="$work/data-$name-$round"
    read -r er erss < <(run "$envs" "$data")
    read -r xr xrss < <(run "$envs" "$data")
    empty_ready[$name]+="$er "; empty_rss[$name]+="$erss "; ready[$name]+="$xr "; rss[$name]+="$xrss "
    echo "round $round $name: empty ${er} ms ${erss} KB; existing ${xr} ms ${xrss} KB"
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "load after: $(uptime | sed 's/.*load average: //')"
echo
echo "| variant | ready, empty DB (ms) | ready, existing DB (ms) | idle RSS, existing DB (MB) |"
echo "|---|---|---|---|"
for v in "${variants[@]}"; do
  name=${v%%:*}
  echo "| $v | $(echo "${empty_ready[$name]}" | median) | $(echo "${ready[$name]}" | median) | $(( $(echo "${rss[$name]}" | median) / 1024 )) |"
done
