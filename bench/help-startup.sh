#!/usr/bin/env bash
# Start-up benchmark: warm `./build.sh --help` against `dotnet run --project build -- --help`,
# side by side, each run RUNS times (default 7) after one warm-up; prints min / median / max in ms.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-7}"
cd "$ROOT"

now_ms() { date +%s%N | cut -c1-13; }

measure() { # label, command...
  local label="$1"; shift
  "$@" >/dev/null 2>&1 # warm-up: builds if needed, fills the OS cache
  local times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(now_ms)
    "$@" >/dev/null 2>&1
    end=$(now_ms)
    times+=($((end - start)))
  done
  local sorted
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  local median=${sorted[$((RUNS / 2))]}
  printf '%-48s %6s %6s %6s   runs: %s\n' "$label" "${sorted[0]}" "$median" "${sorted[-1]}" "${times[*]}"
}

echo "Ops start-up benchmark: $RUNS runs each after one warm-up, on $(nproc) cores, $(dotnet --version 2>/dev/null || echo '?') SDK"
printf '%-48s %6s %6s %6s\n' "command" "min" "median" "max"
measure "./build.sh --help (warm)" ./build.sh --help
measure "dotnet run --project build -- --help" dotnet run --project build -- --help
