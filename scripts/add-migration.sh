#!/usr/bin/env bash
# Adds an EF Core migration NAME for both providers (SQLite and SQL Server), each in its own folder.
# Usage: scripts/add-migration.sh NAME
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/add-migration.sh NAME}
dotnet tool restore >/dev/null
for provider in Sqlite SqlServer; do
  dotnet ef migrations add "$name" --project RustDesk.Core --startup-project RustDesk.Core \
    --context "${provider}ConsoleDbContext" --output-dir "Data/Migrations/$provider" \
    --namespace "RustDesk.Core.Data.Migrations.$provider"
done
# dotnet ef writes the model snapshot under a folder named after the namespace; keep it beside its migrations.
for provider in Sqlite SqlServer; do
  if [ -d "RustDesk.Core/RustDesk/Core/Data/Migrations/$provider" ]; then
    mv RustDesk.Core/RustDesk/Core/Data/Migrations/$provider/*.cs "RustDesk.Core/Data/Migrations/$provider/"
  fi
done
rm -rf RustDesk.Core/RustDesk
# The compiled models the console starts on follow the model (CompiledModelTests fail when they do not).
scripts/optimize-model.sh
