#!/usr/bin/env bash
# Runs the gateway on http://localhost:8080 (the standalone host; no Azure Functions Core Tools needed).
# With no settings it serves the built-in mock model as gpt-4, so the seed's examples work at once.
# Billing state (issued keys, usage, budgets, rate limits) goes to Azurite's Table service on 127.0.0.1:10002,
# kept in .azurite/; set Synaxis__Billing__ConnectionString or Synaxis__Billing__TableServiceUri to use other storage.
set -euo pipefail
cd "$(dirname "$0")"

if [ -z "${Synaxis__Billing__ConnectionString:-}${Synaxis__Billing__TableServiceUri:-}" ]; then
  if ! command -v node >/dev/null 2>&1; then
    echo "node not found: installing Debian's nodejs" >&2
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
  fi
  if [ ! -d tools/azurite/node_modules ] || [ tools/azurite/package-lock.json -nt tools/azurite/node_modules ]; then
    (cd tools/azurite && npm ci --no-audit --no-fund --loglevel=error) && touch tools/azurite/node_modules
  fi
  if ! (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; then
    mkdir -p .azurite
    tools/azurite/node_modules/.bin/azurite-table --tableHost 127.0.0.1 --tablePort 10002 --location .azurite \
      --disableTelemetry --skipApiVersionCheck --loose --silent &
    azurite=$!
    trap 'kill "$azurite" 2>/dev/null || true' EXIT INT TERM
    for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null && break; sleep 0.1; done
  fi
  export Synaxis__Billing__ConnectionString="UseDevelopmentStorage=true"
fi

dotnet run --project src/Synaxis.Host -c Release -- "$@"
