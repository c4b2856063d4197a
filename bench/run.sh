#!/usr/bin/env bash
# The one command for the end-to-end benchmark: builds the gateway (src/Synaxis.Host) and the bench in
# Release, then runs the bench, which starts that gateway as its own process. Arguments go to the bench:
#   bench/run.sh            the full run (about a minute)
#   bench/run.sh --quick    a smoke run (numbers too short for conclusions)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# No build servers left behind: they would idle beside the measurement, and other builds on this machine share nothing with ours.
dotnet build -c Release --disable-build-servers -nologo -v quiet src/Synaxis.Host/Synaxis.Host.csproj
dotnet build -c Release --disable-build-servers -nologo -v quiet bench/Synaxis.Bench/Synaxis.Bench.csproj

exec dotnet bench/Synaxis.Bench/bin/Release/net10.0/Synaxis.Bench.dll \
  --host-dll src/Synaxis.Host/bin/Release/net10.0/Synaxis.Host.dll "$@"
