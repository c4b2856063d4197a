#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the tests need, builds, tests, and prints one summary line.
set -euo pipefail
cd "$(dirname "$0")"

# The seed's JavaScript examples and the client SDK tests run under node (18 or later, for fetch).
if ! command -v node >/dev/null 2>&1; then
  echo "node not found: installing Debian's nodejs" >&2
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi

# The page tests drive the system's Chromium, headless, through playwright-core (no browser is downloaded).
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "chromium not found: installing Debian's chromium" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# The official client SDKs (openai, @anthropic-ai/sdk) that tests run against the gateway, and playwright-core,
# at the versions of tests/clients/package-lock.json.
if [ ! -d tests/clients/node_modules ] || [ tests/clients/package-lock.json -nt tests/clients/node_modules ]; then
  (cd tests/clients && npm ci --no-audit --no-fund --loglevel=error) && touch tests/clients/node_modules
fi

# Azurite (Microsoft's storage emulator) is the Table Storage that the billing tests run against.
if [ ! -d tools/azurite/node_modules ] || [ tools/azurite/package-lock.json -nt tools/azurite/node_modules ]; then
  (cd tools/azurite && npm ci --no-audit --no-fund --loglevel=error) && touch tools/azurite/node_modules
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Synaxis.Functions.sln 2>&1 | tee "$log" || status=$?

# One closing line over all test projects, e.g. "Tests: 120 passed, 0 failed, 0 skipped".
awk '/^(Passed|Failed)! +-/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:")  failed  += $(i + 1)
         if ($i == "Passed:")  passed  += $(i + 1)
         if ($i == "Skipped:") skipped += $(i + 1)
       }
       projects++
     }
     END { if (projects == 0) { print "Tests: 0 passed, 1 failed (no test project ran)"; exit 1 }
           printf "Tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log" || status=1
exit "$status"
