#!/usr/bin/env bash
# The one command for the end-to-end benchmark. Publishes the gateway (src/Synaxis.Host) twice in Release,
# with and without ReadyToRun, builds the bench, installs the peer gateway (Portkey, bench/peer) with
# `npm ci` if it is missing, then runs the bench, which starts the fake upstream, the gateway and the
# peer as processes of their own on 127.0.0.1 and stops them when it ends. Arguments go to the bench:
#   bench/run.sh                     the full run (about ten minutes)
#   bench/run.sh --quick             a smoke run (about two minutes; numbers too short for conclusions)
#   bench/run.sh --scenario a,d      some scenarios only
#   bench/run.sh --markdown out.md   also write the tables as Markdown
#   bench/run.sh --metering          also a gateway with billing on (Azurite, an issued key): what metering adds
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "bench/run.sh: no runtime identifier for $(uname -m)" >&2; exit 2 ;;
esac

# No build servers left behind: they would idle beside the measurement.
publish() {
  dotnet publish src/Synaxis.Host/Synaxis.Host.csproj -c Release -r "$rid" --self-contained false \
    -p:PublishReadyToRun="$1" -o "bench/artifacts/$2" --disable-build-servers -nologo -v quiet
}
publish true host-r2r
publish false host-jit
dotnet build -c Release --disable-build-servers -nologo -v quiet bench/Synaxis.Bench/Synaxis.Bench.csproj

peer=()
if [[ " $* " == *" --no-peer "* ]]; then
  :
elif ! command -v node >/dev/null 2>&1; then
  echo "bench/run.sh: node is not installed, so the peer gateway (Portkey) is left out" >&2
  peer=(--no-peer)
else
  if [ ! -d bench/peer/node_modules ] || [ bench/peer/package-lock.json -nt bench/peer/node_modules ]; then
    (cd bench/peer && npm ci --no-audit --no-fund --loglevel=error) && touch bench/peer/node_modules
  fi
  peer=(--peer-dir bench/peer)
fi

# --metering adds a gateway with billing on, whose Table Storage is Azurite from tools/azurite.
metering=()
if [[ " $* " == *" --metering "* ]]; then
  if [ ! -d tools/azurite/node_modules ] || [ tools/azurite/package-lock.json -nt tools/azurite/node_modules ]; then
    (cd tools/azurite && npm ci --no-audit --no-fund --loglevel=error) && touch tools/azurite/node_modules
  fi
  metering=(--azurite-dir tools/azurite)
fi

exec dotnet bench/Synaxis.Bench/bin/Release/net10.0/Synaxis.Bench.dll \
  --host-dll bench/artifacts/host-r2r/Synaxis.Host.dll \
  --jit-host-dll bench/artifacts/host-jit/Synaxis.Host.dll \
  "${peer[@]}" "${metering[@]}" "$@"
