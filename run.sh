#!/usr/bin/env bash
# Runs the gateway on http://localhost:8080 (the standalone host; no Azure Functions Core Tools needed).
# With no settings it serves the built-in mock model as gpt-4, so the seed's examples work at once.
set -euo pipefail
cd "$(dirname "$0")"
exec dotnet run --project src/Synaxis.Host -c Release -- "$@"
