#!/usr/bin/env bash
# Regenerates the screen gallery in docs/screens/ (and docs/settings.png for the README) from the browser tests.
# Usage: scripts/screens.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTDESK_SCREENS=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build RustDesk.Blazor.sln -v q
dotnet test RustDesk.Tests --no-build \
  --filter "FullyQualifiedName~ScreenGalleryBrowserTests|FullyQualifiedName~SettingsBrowserTests.SignIn_AsBootstrapAdmin_ShowsSettingsAndSavesReadmeScreenshot"
echo "Saved: docs/screens/ ($(ls docs/screens/*.png | wc -l) images), docs/settings.png"
