#!/usr/bin/env bash
# The test command (README, CI): makes sure what the tests need is installed and running, runs every
# test project, and ends with one plain line "N passed, N failed, N skipped".
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS="$ROOT/.nuke/temp/test-results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# No test may reach for real AWS credentials or the instance metadata service.
export AWS_EC2_METADATA_DISABLED=true

# --- prerequisites -----------------------------------------------------------------------------
# The .NET SDK: the one on PATH, else the one build.sh installs from global.json into .nuke/temp.
if ! command -v dotnet >/dev/null 2>&1; then
  "$ROOT/build.sh" --help >/dev/null
  export PATH="$ROOT/.nuke/temp/dotnet-unix:$PATH"
fi

# Debian packages the tests call (installed only when missing; CI runs as root).
need_packages=()
command -v kill >/dev/null 2>&1 || need_packages+=(procps)
command -v cksum >/dev/null 2>&1 || need_packages+=(coreutils)
if [ ${#need_packages[@]} -gt 0 ]; then
  echo "Installing ${need_packages[*]}..." >&2
  apt-get update -qq && apt-get install -y -qq "${need_packages[@]}" >/dev/null
fi

# --- run -----------------------------------------------------------------------------------------
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
dotnet test "$ROOT/Ops.sln" --logger "trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" \
  --blame-hang-timeout 5m "$@"
status=$?

# --- count ---------------------------------------------------------------------------------------
passed=0 failed=0 skipped=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  get() { local v; v="$(echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p")"; echo "${v:-0}"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get total) - $(get executed)))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status without a failing test (a build error or a crashed test host); see above." >&2
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
