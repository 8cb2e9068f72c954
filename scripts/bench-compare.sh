#!/usr/bin/env bash
# Benchmark, not a test (scripts/test.sh never runs it): the console side by side with the ASP.NET Core "Blazor Web App +
# Individual Accounts" template (issue 13). Generates the template in a temporary folder (nothing of it is committed),
# publishes both apps (Release), and measures both back to back on loopback with the same tool (bench/RustDesk.Load):
# ready after start, idle RSS, one password hash and the hash-bound limit, full sign-ins/s with N clients, memory per
# idle Blazor circuit (/settings vs /counter: settled RSS and the live managed heap), and the same for a copy of the template
# with MudBlazor (/mudcounter: the least a MudBlazor page holds); for the console also sign-ins with TOTP and click
# "Enable 2FA" → QR.
# Prints a Markdown report and, with --write, puts it into docs/performance.md between the bench-compare markers.
#
# Both apps are published as docs/deployment.md publishes the console: framework-dependent for linux-x64 with ReadyToRun
# (precompiled code, so start-up does not wait for the JIT); --jit publishes both without it (plain `dotnet publish`).
#
# The sign-ins are measured after --warmup-count sign-ins (300): the console's first ~200 sign-ins still JIT-compile
# (25,000 methods, ~23 % of the server's CPU in a perf profile after 45 sign-ins, none after 300), which is start-up,
# not the cost of a sign-in.
#
# Usage: scripts/bench-compare.sh [--write] [--clients 8] [--duration 30] [--warmup-count 300] [--circuits 40] [--samples 15] [--starts 5] [--skip-peer] [--jit]
# --starts: ready after start is the median of this many starts of each app (one start varies by hundreds of ms here).
# (also: scripts/bench.sh compare ...)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
write=0 clients=8 duration=30 warmup_count=300 circuits=40 samples=15 starts=5 skip_peer=0 r2r=1
while [ $# -gt 0 ]; do
  case "$1" in
    --write) write=1; shift ;;
    --clients) clients="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup-count) warmup_count="$2"; shift 2 ;;
    --circuits) circuits="$2"; shift 2 ;;
    --samples) samples="$2"; shift 2 ;;
    --starts) starts="$2"; shift 2 ;;
    --skip-peer) skip_peer=1; shift ;;
    --jit) r2r=0; shift ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done

work=$(mktemp -d)
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}
cleanup() { stop_server; rm -rf "$work"; }
trap cleanup EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
report="$work/report.md"
log() { echo "$*" >&2; }
load() { dotnet "$root/bench/RustDesk.Load/bin/Release/net10.0/RustDesk.Load.dll" "$@" || log "load $1 failed"; }
# The RESULT line of a scenario (also logged); a scenario that fails leaves its cells empty instead of ending the run.
result() { local r; r=$({ grep '^RESULT' || true; } | tail -1 | sed 's/^RESULT //'); log "  $r"; echo "$r"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GB RAM, $(. /etc/os-release && echo "$PRETTY_NAME"), .NET SDK $(dotnet --version), runtime $(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/{v=$2} END{print v}')"
log "machine: $machine"
log "load before: $(uptime)"

# --- build ------------------------------------------------------------------------------------------------------
log "publishing the console, building the tools"
publish_flags=()
if [ "$r2r" = 1 ]; then publish_flags=(-r linux-x64 --self-contained false -p:PublishReadyToRun=true); fi
dotnet publish "$root/RustDesk.Web/RustDesk.Web.csproj" -c Release -o "$work/console" "${publish_flags[@]}" -v q -nologo >/dev/null
dotnet build "$root/bench/RustDesk.Load/RustDesk.Load.csproj" -c Release -v q -nologo >/dev/null
dotnet build "$root/bench/RustDesk.Bench/RustDesk.Bench.csproj" -c Release -v q -nologo >/dev/null
if [ "$skip_peer" = 0 ]; then
  log "generating and publishing the template (dotnet new blazor -au Individual --interactivity Server)"
  (cd "$work" && dotnet new blazor -au Individual --interactivity Server -n Peer -o peer-src >/dev/null)
  dotnet publish "$work/peer-src/Peer.csproj" -c Release -o "$work/peer" "${publish_flags[@]}" -v q -nologo >/dev/null
  cp "$work/peer-src/Data/app.db" "$work/peer-app.db"
  # The same template with MudBlazor (the console's component library, fixed by the stack), for one row only: memory
  # per circuit of a page holding what every MudBlazor page needs (its four providers) and one MudButton, /mudcounter.
  # The published template above stays as generated.
  log "adding MudBlazor to a copy of the template (/mudcounter)"
  cp -r "$work/peer-src" "$work/peer-mud-src" && rm -rf "$work/peer-mud-src/bin" "$work/peer-mud-src/obj"
  mud_version=$(sed -n 's/.*Include="MudBlazor" Version="\([^"]*\)".*/\1/p' "$root/Directory.Packages.props")
  (cd "$work/peer-mud-src" && dotnet add package MudBlazor --version "$mud_version" >/dev/null)
  sed -i 's#^builder.Services.AddRazorComponents()#builder.Services.AddMudServices();\nbuilder.Services.AddRazorComponents()#;1i using MudBlazor.Services;' "$work/peer-mud-src/Program.cs"
  sed -i 's#<link rel="stylesheet" href="@Assets\["app.css"\]" />#&\n    <link rel="stylesheet" href="@Assets["_content/MudBlazor/MudBlazor.min.css"]" />#;s#<script src="@Assets\["_framework/blazor.web.js"\]"></script>#&\n    <script src="@Assets["_content/MudBlazor/MudBlazor.min.js"]"></script>#' "$work/peer-mud-src/Components/App.razor"
  echo '@using MudBlazor' >> "$work/peer-mud-src/Components/_Imports.razor"
  cat > "$work/peer-mud-src/Components/Pages/MudCounter.razor" <<'RAZOR'
@page "/mudcounter"
@rendermode InteractiveServer

<PageTitle>Counter</PageTitle>
<MudThemeProvider />
<MudPopoverProvider />
<MudDialogProvider />
<MudSnackbarProvider />

<MudText Typo="Typo.h3">Counter</MudText>
<p role="status">Current count: @currentCount</p>
<MudButton Variant="Variant.Filled" Color="Color.Primary" OnClick="IncrementCount">Click me</MudButton>

@code {
    private int currentCount = 0;
    private void IncrementCount() => currentCount++;
}
RAZOR
  dotnet publish "$work/peer-mud-src/Peer.csproj" -c Release -o "$work/peer-mud" "${publish_flags[@]}" -v q -nologo >/dev/null
fi

# --- start / stop -----------------------------------------------------------------------------------------------
# start_app console|peer PORT DATA-DIR: starts the app, prints "ms-to-first-200 rss-kb" (RSS settled, idle).
password="Bench-Password-$RANDOM-1"
start_app() {
  local app=$1 port=$2 data=$3 probe started
  if [ "$app" = console ]; then
    probe="http://127.0.0.1:$port/healthz"
    started=$(date +%s%N)
    (cd "$work/console" && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" Storage__DataDirectory="$data" \
      Bootstrap__AdminPassword="$password" ReverseProxy__KnownProxies="127.0.0.1" \
      Logging__LogLevel__Default=Warning "Logging__LogLevel__Microsoft.AspNetCore=Error" \
      dotnet RustDesk.Web.dll) > "$work/$app-$port.log" 2>&1 &
  else
    probe="http://127.0.0.1:$port/"
    started=$(date +%s%N)
    (cd "$work/peer" && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" ConnectionStrings__DefaultConnection="DataSource=$data/app.db;Cache=Shared" \
      Logging__LogLevel__Default=Warning dotnet "$work/peer/Peer.dll") > "$work/$app-$port.log" 2>&1 &
  fi
  server_pid=$!
  local ready=""
  for _ in $(seq 1 3000); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$probe" 2>/dev/null)" = 200 ]; then ready=$(( ($(date +%s%N) - started) / 1000000 )); break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/$app-$port.log" >&2; log "$app did not start"; exit 1; fi
    sleep 0.01
  done
  [ -n "$ready" ] || { log "$app not ready"; exit 1; }
  if [ "${4:-}" = norss ]; then echo "$ready -"; return; fi
  # The dotnet host is the process itself (exec), so $server_pid is the server.
  local rss
  rss=$(load rss --pid "$server_pid" | result)
  echo "$ready $(field "$rss" kb)"
}

# ready_only console|peer PORT DATA-DIR: one more start for the ready figure (no RSS reading), then stopped; prints ms.
ready_only() { start_app "$@" norss > "$work/ready.out"; stop_server; cut -d' ' -f1 "$work/ready.out"; }
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# --- measure ----------------------------------------------------------------------------------------------------
declare -A R
port=21190

# Console, empty database (a fresh data folder: migrations, roles, the administrator).
log "console: start on an empty database"
start_app console $port "$work/c-empty" > "$work/start.out"; read -r ready R[c_rss_empty] < "$work/start.out"
stop_server
readies=("$ready")
for i in $(seq 2 "$starts"); do readies+=("$(ready_only console $port "$work/c-empty-$i")"); done
R[c_ready_empty]=$(median "${readies[@]}"); R[c_ready_empty_all]="${readies[*]}"
log "  ready on empty databases: ${readies[*]} ms"
# Console, existing database: users seeded through Core's services (same hasher settings), TOTP keys for the 2FA run.
log "console: seeding an existing database"
seed() { dotnet "$root/bench/RustDesk.Bench/bin/Release/net10.0/RustDesk.Bench.dll" seed --data "$work/c-data" --password "$password" "$@" 2>&1 | tail -1 >&2; }
seed --users 400 --totp --prefix totp- --out "$work/totp-users.tsv"
seed --users 40 --prefix pw- --out "$work/pw-users.tsv"
log "console: start on the existing database"
readies=()
for i in $(seq 2 "$starts"); do readies+=("$(ready_only console $port "$work/c-data")"); done
start_app console $port "$work/c-data" > "$work/start.out"; read -r ready R[c_rss] < "$work/start.out"
readies+=("$ready"); R[c_ready]=$(median "${readies[@]}"); R[c_ready_all]="${readies[*]}"
log "  ready on the existing database: ${readies[*]} ms"
console_pid=$server_pid
url="http://127.0.0.1:$port/"
log "console: one hash; sign-ins"
hc=$(load hash --iterations 210000 | result)
tc=$(load throughput --pid "$console_pid" --url "$url" --users-file "$work/pw-users.tsv" --clients "$clients" --duration "$duration" --warmup-count "$warmup_count" | result)
tt=$(load throughput --pid "$console_pid" --url "$url" --users-file "$work/totp-users.tsv" --totp --clients "$clients" --duration "$duration" --warmup-count "$warmup_count" | result)
first_pw=$(head -1 "$work/pw-users.tsv" | cut -f1)
cs=$(load cost --pid "$console_pid" --url "$url" --user "$first_pw" --password "$password" --count 60 --warmup 20 --hash-ms "$(field "$hc" cpu_ms)" | result)
log "console: circuits; QR"
cc=$(load circuits --url "$url" --user admin --password "$password" --pid "$console_pid" --circuits "$circuits" --path /settings | result)
qr=$(load qr --url "$url" --user admin --password "$password" --samples "$samples" --client-address 198.51.100.250 | result)
stop_server

if [ "$skip_peer" = 0 ]; then
  port=21191
  mkdir -p "$work/p-data"
  cp "$work/peer-app.db" "$work/p-data/app.db"
  log "peer: start on its database (the template's app.db: schema, no users)"
  readies=()
  for i in $(seq 2 "$starts"); do readies+=("$(ready_only peer $port "$work/p-data")"); done
  start_app peer $port "$work/p-data" > "$work/start.out"; read -r ready R[p_rss] < "$work/start.out"
  readies+=("$ready"); R[p_ready]=$(median "${readies[@]}"); R[p_ready_all]="${readies[*]}"
  log "  ready on its database: ${readies[*]} ms"
  url="http://127.0.0.1:$port/"
  peer_user="bench@example.com"
  log "peer: registering a user through its register page"
  token=$(curl -s -c "$work/jar" "${url}Account/Register" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"\|name="__RequestVerificationToken" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
  curl -s -b "$work/jar" -o /dev/null -w '%{http_code}\n' --data-urlencode "_handler=register" --data-urlencode "Input.Email=$peer_user" \
    --data-urlencode "Input.Password=$password" --data-urlencode "Input.ConfirmPassword=$password" \
    --data-urlencode "__RequestVerificationToken=$token" "${url}Account/Register" >&2
  # The template requires a confirmed address and mails the link through a no-op sender; confirm it in its database.
  sqlite3 "$work/p-data/app.db" "UPDATE AspNetUsers SET EmailConfirmed = 1 WHERE NormalizedEmail = upper('$peer_user');"
  hp=$(load hash --iterations 100000 | result)
  tp=$(load throughput --pid "$server_pid" --app peer --url "$url" --user "$peer_user" --password "$password" --clients "$clients" --duration "$duration" --warmup-count "$warmup_count" | result)
  cs_p=$(load cost --pid "$server_pid" --app peer --url "$url" --user "$peer_user" --password "$password" --count 60 --warmup 20 --hash-ms "$(field "$hp" cpu_ms)" | result)
  cp_=$(load circuits --app peer --url "$url" --pid "$server_pid" --circuits "$circuits" --path /counter | result)
  stop_server
  log "peer with MudBlazor: circuits on /mudcounter"
  mkdir -p "$work/pm-data"
  cp "$work/peer-app.db" "$work/pm-data/app.db"
  (cd "$work/peer-mud" && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" ConnectionStrings__DefaultConnection="DataSource=$work/pm-data/app.db;Cache=Shared" \
    Logging__LogLevel__Default=Warning dotnet "$work/peer-mud/Peer.dll") > "$work/peer-mud.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 3000); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" = 200 ] && break; sleep 0.01; done
  cm=$(load circuits --app peer --url "$url" --pid "$server_pid" --circuits "$circuits" --path /mudcounter | result)
  stop_server
fi
load_after=$(uptime | sed 's/.*load average: //')

# --- report -----------------------------------------------------------------------------------------------------
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f %%", 100 * a / b }'; }
{
  echo "Run of $(date -u '+%Y-%m-%d %H:%M') UTC, console $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo '+changes'); machine: $machine."
  echo "Load average at the end of the run: $load_after (the machine is shared; compare within a row, not across runs)."
  echo "Both apps published $([ "$r2r" = 1 ] && echo "for linux-x64 with ReadyToRun (as docs/deployment.md publishes the console)" || echo "without ReadyToRun (--jit)")."
  echo
  echo "| measure | the console | the template | target | met |"
  echo "|---|---|---|---|---|"
  # The limit on this (shared) machine: what all cores hashing together reached, measured just before the sign-ins.
  c_limit=$(field "$hc" parallel); c_ps=$(field "$tc" persec)
  if [ "$skip_peer" = 0 ]; then p_limit=$(field "$hp" parallel); p_ps=$(field "$tp" persec); fi
  echo "| one password hash (PBKDF2-SHA512): wall / CPU | $(field "$hc" ms) / $(field "$hc" cpu_ms) ms at 210k | ${hp:+$(field "$hp" ms) / $(field "$hp" cpu_ms) ms at 100k} | | |"
  echo "| hash-bound limit: cores ÷ one hash / $(nproc) threads hashing together | $(field "$hc" limit) / **$c_limit** per s | ${hp:+$(field "$hp" limit) / **$p_limit** per s} | | |"
  echo "| full sign-ins/s, $clients clients (GET form + POST + landing page), after $warmup_count warm-up sign-ins | $c_ps ($(pct "$c_ps" "$c_limit") of limit) | ${tp:+$p_ps ($(pct "$p_ps" "$p_limit") of limit)} | ≥ 90 % of limit | $(awk -v a="$c_ps" -v b="$c_limit" 'BEGIN{print (a >= 0.9*b) ? "yes" : "no"}') |"
  share() { awk -v h="$1" -v c="$2" 'BEGIN { if (c > 0) printf "%.0f %%", 100 * h / c }'; }
  echo "| server CPU per sign-in (its CPU time ÷ sign-ins) / share of it that is the one hash | $(field "$tc" cpu_ms) ms / **$(share "$(field "$hc" cpu_ms)" "$(field "$tc" cpu_ms)")** | ${tp:+$(field "$tp" cpu_ms) ms / **$(share "$(field "$hp" cpu_ms)" "$(field "$tp" cpu_ms)")**} | hash ≥ 90 % | $(awk -v h="$(field "$hc" cpu_ms)" -v c="$(field "$tc" cpu_ms)" 'BEGIN{print (c > 0 && h >= 0.9*c) ? "yes" : "no"}') |"
  cost() { [ -n "$1" ] && echo "$(field "$1" form_ms) / $(field "$1" landing_ms) / $(field "$1" post_ms) ($(field "$1" post_rest_ms)) ms"; }
  echo "| server CPU per request, one at a time: form / landing page / password POST (its non-hash part) | $(cost "$cs") | ${cs_p:+$(cost "$cs_p")} | | |"
  echo "| server cores used during the sign-ins | $(field "$tc" cores) | ${tp:+$(field "$tp" cores)} | | |"
  echo "| sign-in latency p50 / p95 / p99 ms | $(field "$tc" p50) / $(field "$tc" p95) / $(field "$tc" p99) | ${tp:+$(field "$tp" p50) / $(field "$tp" p95) / $(field "$tp" p99)} | | |"
  echo "| sign-ins/s with TOTP step, $clients clients | $(field "$tt" persec) (p95 $(field "$tt" p95) ms, failed $(field "$tt" failed)) | — | | |"
  echo "| memory per idle circuit (settled RSS, slope from $(( circuits / 2 )) to $circuits tabs) | $(field "$cc" per_circuit_kb) KB on /settings | ${cp_:+$(field "$cp_" per_circuit_kb) KB on /counter} | ≤ template | ${cp_:+$(awk -v a="$(field "$cc" per_circuit_kb)" -v b="$(field "$cp_" per_circuit_kb)" 'BEGIN{print (a <= b) ? "yes" : "no"}')} |"
  echo "| live managed heap per idle circuit (after a full collection, same slope) | $(field "$cc" heap_per_circuit_kb) KB on /settings | ${cp_:+$(field "$cp_" heap_per_circuit_kb) KB on /counter} | ≤ template | ${cp_:+$(awk -v a="$(field "$cc" heap_per_circuit_kb)" -v b="$(field "$cp_" heap_per_circuit_kb)" 'BEGIN{print (a <= b) ? "yes" : "no"}')} |"
  echo "| the template with MudBlazor: its four providers and one MudButton (/mudcounter), per idle circuit: RSS / live heap | | ${cm:+$(field "$cm" per_circuit_kb) / $(field "$cm" heap_per_circuit_kb) KB} | | |"
  echo "| ready after start (first 200), empty database, median of $starts starts | ${R[c_ready_empty]} ms (${R[c_ready_empty_all]// /, }) | | ≤ 2,000 ms | $([ "${R[c_ready_empty]}" -le 2000 ] && echo yes || echo no) |"
  echo "| ready after start (first 200), existing database, median of $starts starts | ${R[c_ready]} ms (${R[c_ready_all]// /, }) | ${R[p_ready]:+${R[p_ready]} ms (${R[p_ready_all]// /, })} | ≤ 1,000 ms | $([ "${R[c_ready]}" -le 1000 ] && echo yes || echo no) |"
  echo "| idle RSS after start (settled) | $(( R[c_rss] / 1024 )) MB | ${R[p_rss]:+$(( R[p_rss] / 1024 )) MB} | ≤ template | ${R[p_rss]:+$([ "${R[c_rss]}" -le "${R[p_rss]}" ] && echo yes || echo no)} |"
  echo "| click Enable 2FA → QR painted (median of $(field "$qr" n)) | $(field "$qr" median) ms (min $(field "$qr" min), p95 $(field "$qr" p95)) | no QR | < 100 ms | $([ "$(field "$qr" median)" -lt 100 ] && echo yes || echo no) |"
} > "$report"
cat "$report"
if [ "$write" = 1 ]; then
  python3 - "$root/docs/performance.md" "$report" <<'PY'
import sys, re
doc, rep = sys.argv[1], open(sys.argv[2]).read()
text = open(doc).read()
start, end = "<!-- bench-compare:start -->", "<!-- bench-compare:end -->"
block = start + "\n" + rep.strip() + "\n" + end
text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda m: block, text, flags=re.S) if start in text else text + "\n" + block + "\n"
open(doc, "w").write(text)
PY
  log "written into docs/performance.md"
fi
