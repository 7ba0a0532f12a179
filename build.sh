#!/usr/bin/env bash
# Bootstrapper (Nuke shape): build the build project quietly, then run it with the given arguments.
set -euo pipefail
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD_PROJECT_FILE="$SCRIPT_DIR/build/_build.csproj"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Offline machine: use the installed dotnet (global.json picks the SDK); no dotnet-install.sh step.
# Output is shown only when the build fails, so a normal run prints just the targets' own lines.
if ! build_output="$(dotnet build "$BUILD_PROJECT_FILE" -nodeReuse:false -p:UseSharedCompilation=false \
    -nologo -clp:NoSummary -v:q 2>&1)"; then
  printf '%s\n' "$build_output" >&2
  exit 1
fi
exec dotnet run --project "$BUILD_PROJECT_FILE" --no-build -- "$@"
