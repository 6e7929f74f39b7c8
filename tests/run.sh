#!/usr/bin/env bash
# The test command (README, CI): makes sure what the tests need is installed and running, runs every
# test project, and ends with one plain line "N passed, N failed, N skipped".
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS="$ROOT/.nuke/temp/test-results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# No test may reach for real AWS credentials, a developer's profiles, or the instance metadata service.
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
# Builds started by tests run their local cloud's registry on a free port, so parallel tests and a developer's own
# ./build.sh local-cloud (port 5100) never meet.
export OPS_REGISTRY_PORT=0
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL \
      AWS_REGION AWS_DEFAULT_REGION AWS_MAX_ATTEMPTS AWS_RETRY_MODE

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
command -v python3 >/dev/null 2>&1 || need_packages+=(python3)
command -v aws >/dev/null 2>&1 || need_packages+=(awscli)
command -v git >/dev/null 2>&1 || need_packages+=(git)
command -v podman >/dev/null 2>&1 || need_packages+=(podman)
command -v docker-registry >/dev/null 2>&1 || need_packages+=(docker-registry)
command -v runc >/dev/null 2>&1 || need_packages+=(runc)
command -v setsid >/dev/null 2>&1 || need_packages+=(util-linux)
# Real data stores behind the local cloud's RDS, Redshift and ElastiCache (tests/Ops.LocalCloud.Tests/RealDataStoreTests.cs).
command -v redis-server >/dev/null 2>&1 || need_packages+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need_packages+=(postgresql)
if [ ${#need_packages[@]} -gt 0 ]; then
  echo "Installing ${need_packages[*]}..." >&2
  apt-get update -qq && apt-get install -y -qq "${need_packages[@]}" >/dev/null
fi

# Independent AWS checkers: moto (an emulator) and botocore/jmespath (the reference client libraries).
# They come with this workplace's machine image; Debian has no moto package and PyPI is out of reach.
if ! python3 -c "import botocore, jmespath" 2>/dev/null; then
  echo "error: python3 cannot import botocore and jmespath, which the AWS tests use as an independent oracle; install them (Debian: python3-botocore python3-jmespath) and rerun." >&2
  exit 1
fi
if ! command -v moto_server >/dev/null 2>&1; then
  echo "error: moto_server is not on PATH; the AWS client tests run against it. Install moto[server] (it ships with this workplace's machine image) and rerun." >&2
  exit 1
fi

# A version manager's shims (pyenv's, on this workplace's image) start a shell and the manager for every python3, aws and
# moto_server the tests run, hundreds of times: about 0.3 s each. The interpreter's own directory goes first on PATH, so
# each is started directly (the same programs the shims would have chosen).
if python_bin=$(python3 -c 'import os, sys; print(os.path.dirname(os.path.realpath(sys.executable)))' 2>/dev/null) \
   && [ -n "$python_bin" ] && [ "$python_bin" != "$(dirname "$(command -v python3)")" ]; then
  export PATH="$python_bin:$PATH"
fi

# A container engine for the image tests (tests/Ops.Docker.Tests): podman's Docker-compatible API on a socket of our own,
# its store under .nuke/temp. The tests' registries are plain HTTP on 127.0.0.1 (any port): podman must be told so
# before the service starts, because the service reads registries.conf once.
if [ -z "${DOCKER_HOST:-}" ]; then
  PODMAN_DIR="$ROOT/.nuke/temp/podman"
  mkdir -p "$PODMAN_DIR"
  if [ -w /etc/containers/registries.conf.d ] || mkdir -p /etc/containers/registries.conf.d 2>/dev/null; then
    printf '[[registry]]\nlocation = "127.0.0.1"\ninsecure = true\n' > /etc/containers/registries.conf.d/50-ops-local.conf
  fi
  podman --storage-driver=vfs --root "$PODMAN_DIR/storage" --runroot "$PODMAN_DIR/run" system service --time=0 \
    "unix://$PODMAN_DIR/podman.sock" > "$PODMAN_DIR/service.log" 2>&1 &
  podman_pid=$!
  trap 'kill "$podman_pid" 2>/dev/null; wait "$podman_pid" 2>/dev/null' EXIT
  for _ in $(seq 1 50); do [ -S "$PODMAN_DIR/podman.sock" ] && break; sleep 0.2; done
  export DOCKER_HOST="unix://$PODMAN_DIR/podman.sock"
fi

# --- run -----------------------------------------------------------------------------------------
# One build (Release: the local clouds, workers and clients the tests run are optimized code, as users run them), then
# the test projects in two lanes side by side: Ops.Stack.Tests (the longest) and the rest one after another, so that
# neither core waits for the other's project to end. Each project's output streams as it comes; every line names its
# test. The first ./build.sh a test starts would build the build project: that is done here, once, so two
# lanes never build it at the same time. The end-to-end tests run the worker as a stage gets it, published
# (ReadyToRun, no tiering: docs/worker.md); the build's own copy compiles itself in every process, which took more
# than half of the CPU of the rollout tests.
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
status=0
export OPS_TEST_WORKER="$ROOT/.nuke/temp/test-worker/Ops.Worker.dll"
if ! dotnet build "$ROOT/Ops.sln" -c Release -nologo -v quiet || ! "$ROOT/build.sh" --help >/dev/null \
   || ! dotnet publish "$ROOT/src/Ops.Worker/Ops.Worker.csproj" -c Release -o "$(dirname "$OPS_TEST_WORKER")" -nologo -v quiet; then
  status=1
else
  run_project() { # project name, then dotnet test's extra arguments
    local project="$1"; shift
    dotnet test "$ROOT/tests/$project" -c Release --no-build --logger "trx;LogFileName=$project.trx" --logger "console;verbosity=normal" \
      --results-directory "$RESULTS" --blame-hang-timeout 5m "$@"
  }
  lane() { # projects..., --, dotnet test's extra arguments
    local projects=() code=0
    while [ "$1" != "--" ]; do projects+=("$1"); shift; done
    shift
    for project in "${projects[@]}"; do run_project "$project" "$@" || code=1; done
    return $code
  }
  # Every test project under tests/ runs: the second lane takes them longest first, then any not named here.
  rest=()
  for project in Ops.LocalCloud.Tests Ops.Targets.Tests Ops.Build.Tests Ops.Worker.Tests Ops.Aws.Tests Ops.Docker.Tests \
                 $(grep -l '<IsTestProject>true</IsTestProject>' "$ROOT"/tests/*/*.csproj | xargs -n1 dirname | xargs -n1 basename); do
    [ "$project" = Ops.Stack.Tests ] || [[ " ${rest[*]} " == *" $project "* ]] || rest+=("$project")
  done
  lane Ops.Stack.Tests -- "$@" &
  stack_lane=$!
  lane "${rest[@]}" -- "$@" || status=1
  wait "$stack_lane" || status=1
fi

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
