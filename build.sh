#!/usr/bin/env bash
# Ops bootstrap: find (or install) the .NET SDK pinned in global.json, build the build project only
# when its inputs changed since the last build, then run it with all arguments and return its exit code.
set -eo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMP_DIR="$ROOT/.nuke/temp"
PROJECT="$ROOT/build/_build.csproj"
OUT_DIR="$TEMP_DIR/build-bin"
STAMP="$TEMP_DIR/build.stamp"
DOTNET_INSTALL_URL="https://dot.net/v1/dotnet-install.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The inputs of the build project: its sources, every src/ project it may reference, the files that steer restore
# and compilation, and this script (how it builds).
inputs() {
  local roots=(build src build.sh) f
  for f in global.json Directory.Build.props Directory.Packages.props NuGet.config nuget.config; do
    if [ -f "$ROOT/$f" ]; then roots+=("$f"); fi
  done
  (cd "$ROOT" && find "${roots[@]}" \( -name bin -o -name obj \) -prune -o -type f "$@")
}

# A checksum of the inputs' content: what decides whether to build, so a checkout or copy that keeps old times still
# rebuilds, and one that touched files without changing them does not.
fingerprint() {
  inputs -print | LC_ALL=C sort | (cd "$ROOT" && tr '\n' '\0' | xargs -0 cksum) | cksum
}

# A checksum of the inputs' names, sizes and modification times: cheap (no file is read), so a warm start reads only
# this; when it differs from the one recorded, the content decides. Empty where find has no -printf (BSD, macOS):
# there the content always decides.
listing() {
  local files
  files="$(inputs -printf '%p %s %T@\n' 2>/dev/null)" || return 0
  printf '%s\n' "$files" | LC_ALL=C sort | cksum
}

run() {
  exec "$1" "$OUT_DIR/_build.dll" "${@:2}"
}

# Warm path: inputs unchanged since the last build, and the dotnet that built it is still there.
if [ -f "$STAMP" ] && [ -f "$OUT_DIR/_build.dll" ]; then
  { read -r stamped_fingerprint; read -r stamped_dotnet; read -r stamped_listing; } < "$STAMP" || true
  if [ -n "$stamped_dotnet" ] && [ -x "$stamped_dotnet" ]; then
    current_listing="$(listing)"
    if [ -n "$current_listing" ] && [ "$stamped_listing" = "$current_listing" ]; then
      run "$stamped_dotnet" "$@"
    fi
    if [ "$stamped_fingerprint" = "$(fingerprint)" ]; then
      printf '%s\n%s\n%s\n' "$stamped_fingerprint" "$stamped_dotnet" "$current_listing" > "$STAMP.$$" && mv "$STAMP.$$" "$STAMP"
      run "$stamped_dotnet" "$@"
    fi
  fi
fi

# Cold path: find or install the SDK, then build.
sdk_version() {
  sed -n 's/.*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$ROOT/global.json" | head -n 1
}

if command -v dotnet >/dev/null 2>&1 && (cd "$ROOT" && dotnet --version >/dev/null 2>&1); then
  DOTNET_EXE="$(command -v dotnet)"
else
  DOTNET_DIR="$TEMP_DIR/dotnet-unix"
  DOTNET_EXE="$DOTNET_DIR/dotnet"
  if ! (cd "$ROOT" && "$DOTNET_EXE" --version >/dev/null 2>&1); then
    version="$(sdk_version)"
    echo "Installing .NET SDK ${version:-(latest LTS)} into .nuke/temp/dotnet-unix (no suitable dotnet on PATH)..." >&2
    mkdir -p "$TEMP_DIR"
    installer="$TEMP_DIR/dotnet-install.sh"
    no_sdk() {
      echo "error: $1. Install the .NET SDK ${version:-(see global.json)} yourself and put dotnet on PATH" \
           "(Debian/Ubuntu: the dotnet-sdk package from Microsoft's feed; elsewhere: https://dotnet.microsoft.com/download), then run again." >&2
      exit 1
    }
    if command -v curl >/dev/null 2>&1; then
      curl -fsSL --connect-timeout 10 "$DOTNET_INSTALL_URL" -o "$installer" 2>/dev/null \
        || no_sdk "no dotnet on PATH, and its installer could not be downloaded from $DOTNET_INSTALL_URL (no network?)"
    elif command -v wget >/dev/null 2>&1; then
      wget -q --timeout=10 "$DOTNET_INSTALL_URL" -O "$installer" \
        || no_sdk "no dotnet on PATH, and its installer could not be downloaded from $DOTNET_INSTALL_URL (no network?)"
    else
      no_sdk "no dotnet on PATH, and neither curl nor wget to download its installer"
    fi
    chmod +x "$installer"
    if [ -n "$version" ]; then
      "$installer" --install-dir "$DOTNET_DIR" --version "$version" --no-path || no_sdk "the .NET SDK $version could not be installed into .nuke/temp/dotnet-unix (output above)"
    else
      "$installer" --install-dir "$DOTNET_DIR" --channel LTS --no-path || no_sdk "the .NET SDK could not be installed into .nuke/temp/dotnet-unix (output above)"
    fi
  fi
fi
export DOTNET_ROOT="$(dirname "$DOTNET_EXE")"

mkdir -p "$TEMP_DIR"
build() {
  local before before_listing
  before="$(fingerprint)"
  before_listing="$(listing)"
  echo "Building the build project (its inputs changed since the last build)..." >&2
  # Quiet when it works; MSBuild's whole output (errors and summary) when it does not.
  if ! "$DOTNET_EXE" build "$PROJECT" -c Release --nologo -v minimal > "$TEMP_DIR/build.log" 2>&1; then
    cat "$TEMP_DIR/build.log" >&2
    echo "error: building the build project failed (output above, also in .nuke/temp/build.log); fix the error and run again." >&2
    exit 1
  fi
  # It builds where `dotnet build -c Release` does, so the two share their work (an output path of its own made every
  # project build again: 45 s after a solution build); what runs is a copy only this script writes, so it is always
  # what this script built from the inputs it stamps, whatever is built into bin/ later.
  local built
  built="$("$DOTNET_EXE" msbuild "$PROJECT" -p:Configuration=Release -getProperty:TargetDir 2>/dev/null)" || built=""
  if [ ! -f "${built%/}/_build.dll" ]; then
    echo "error: the build project built, but its output (_build.dll under ${built:-its TargetDir}) is not there; run again." >&2
    exit 1
  fi
  rm -rf "$OUT_DIR.$$"
  cp -a "${built%/}" "$OUT_DIR.$$"
  rm -rf "$OUT_DIR"
  mv "$OUT_DIR.$$" "$OUT_DIR"
  printf '%s\n%s\n%s\n' "$before" "$DOTNET_EXE" "$before_listing" > "$STAMP.tmp"
  mv "$STAMP.tmp" "$STAMP"
}

# Two cold runs at once must not build over each other: take a lock and look again.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$TEMP_DIR/build.lock"
  flock 9
  stamped_fingerprint=""
  [ -f "$STAMP" ] && read -r stamped_fingerprint < "$STAMP" || true
  if [ ! -f "$OUT_DIR/_build.dll" ] || [ "$stamped_fingerprint" != "$(fingerprint)" ]; then
    build
  fi
  exec 9>&-
else
  build
fi

run "$DOTNET_EXE" "$@"
