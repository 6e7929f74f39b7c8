#!/usr/bin/env bash
# Start-up benchmark: warm `./build.sh --help`, `./build.sh info` and `./build.sh stack` (a target that reads the stack
# file and calls no cloud) against a .NET hello-world started the same way (`dotnet hello.dll`), measured alternately
# in one run: each round runs every command once, in turn, so a busy moment of the machine falls on all of them.
# Prints min / median / max wall time in ms and each median's ratio to the hello-world's, then the phases of one
# --help: the runtime's start (the hello-world), the build's own code, and build.sh's warm check.
#
#   bash bench/startup.sh            # ROUNDS=15 by default
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-15}"
cd "$ROOT"

HELLO="$(mktemp -d)"
trap 'rm -rf "$HELLO"' EXIT
cat > "$HELLO/hello.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
</Project>
EOF
echo 'System.Console.WriteLine("hello");' > "$HELLO/Program.cs"
dotnet build "$HELLO/hello.csproj" -c Release -o "$HELLO/out" --nologo -v quiet >/dev/null

./build.sh --help >/dev/null 2>&1 # builds the build project if its inputs changed

now_ns() { date +%s%N; }
names=(hello help info stack)
declare -A cmd=(
  [hello]="dotnet $HELLO/out/hello.dll"
  [help]="./build.sh --help"
  [info]="./build.sh info --stage dev"
  [stack]="./build.sh stack --stage dev"
)
declare -A label=(
  [hello]="dotnet hello.dll (a .NET hello-world)"
  [help]="./build.sh --help"
  [info]="./build.sh info --stage dev"
  [stack]="./build.sh stack --stage dev"
)
declare -A times=()
for name in "${names[@]}"; do ${cmd[$name]} >/dev/null 2>&1; done # warm-up: the OS cache
for _ in $(seq "$ROUNDS"); do
  for name in "${names[@]}"; do
    start=$(now_ns)
    ${cmd[$name]} >/dev/null 2>&1
    end=$(now_ns)
    times[$name]+="$(((end - start) / 1000000)) "
  done
done

median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
minimum() { printf '%s\n' $1 | sort -n | head -n 1; }
maximum() { printf '%s\n' $1 | sort -n | tail -n 1; }

echo "Ops start-up: $ROUNDS rounds, the commands alternating, after one warm-up; $(nproc) cores, SDK $(dotnet --version), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %6s %6s %6s  %s\n' "command" "min" "median" "max" "median / hello-world"
hello_median="$(median "${times[hello]}")"
for name in "${names[@]}"; do
  m="$(median "${times[$name]}")"
  printf '%-40s %6s %6s %6s  %s\n' "${label[$name]}" "$(minimum "${times[$name]}")" "$m" "$(maximum "${times[$name]}")" \
    "$(awk -v a="$m" -v b="$hello_median" 'BEGIN {printf "%.2f×", a / b}')"
done

# Phases of --help: the build's dll started directly, without build.sh's warm check (the difference is the check).
direct=()
for _ in $(seq "$ROUNDS"); do
  start=$(now_ns); dotnet .nuke/temp/build-bin/_build.dll --help >/dev/null 2>&1; end=$(now_ns); direct+=($(((end - start) / 1000000)))
done
help_median="$(median "${times[help]}")"
direct_median="$(median "${direct[*]}")"
echo
echo "phases of ./build.sh --help (medians, ms):"
printf '  %-44s %6s
' "the runtime's start (the hello-world)" "$hello_median"
printf '  %-44s %6s
' "the build's code (_build.dll --help − that)" "$((direct_median - hello_median))"
printf '  %-44s %6s
' "build.sh's warm check (./build.sh − _build.dll)" "$((help_median - direct_median))"
