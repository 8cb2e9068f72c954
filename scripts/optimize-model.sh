#!/usr/bin/env bash
# Regenerates EF Core's compiled models (one per provider) from the model in code: start-up then loads the model
# instead of building it by convention (docs/performance.md). Run after every model change; scripts/add-migration.sh
# runs it, and CompiledModelTests fail when a compiled model no longer matches the code.
# Usage: scripts/optimize-model.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite SqlServer; do
  rm -rf "RustDesk.Core/Data/CompiledModels/$provider"
  dotnet ef dbcontext optimize --project RustDesk.Core --startup-project RustDesk.Core \
    --context "${provider}ConsoleDbContext" --output-dir "Data/CompiledModels/$provider" \
    --namespace "RustDesk.Core.Data.CompiledModels.$provider"
done
