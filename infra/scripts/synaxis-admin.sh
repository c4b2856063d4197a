#!/usr/bin/env bash
# The gateway's admin API from a shell: issue, list, change, top up and revoke client keys, and read usage.
#
#   synaxis-admin.sh create-key --owner acme [--name ci] [--models gpt-4,gpt-4o-mini] [--rpm 60] [--tpm 100000]
#                               [--credit 10] [--monthly-budget 50] [--expires 2027-01-31T00:00:00Z]
#   synaxis-admin.sh list [--owner acme]
#   synaxis-admin.sh get <key-id>
#   synaxis-admin.sh update <key-id> '{"requests_per_minute":120,"monthly_budget":null}'
#   synaxis-admin.sh top-up <key-id> <amount>
#   synaxis-admin.sh revoke <key-id>
#   synaxis-admin.sh usage [--start 2026-11-01] [--end 2026-11-30] [--key <key-id>] [--csv]
#
# SYNAXIS_URL is the gateway (default: SERVICE_API_URI of the current azd environment). SYNAXIS_ADMIN_KEY is the
# admin key; unset, it is read from the vault the azd environment names (AZURE_KEY_VAULT_NAME, secret
# synaxis-admin-key), which needs the Azure CLI signed in as someone who may read that secret.
# The admin API lives under /v1/admin: Azure Functions keeps every route that starts with /admin for itself.
set -euo pipefail

die() { echo "synaxis-admin: $*" >&2; exit 2; }

url=${SYNAXIS_URL:-}
if [ -z "$url" ]; then
  url=$(azd env get-value SERVICE_API_URI 2>/dev/null) || die "set SYNAXIS_URL (or run inside an azd environment)"
fi
url=${url%/}

admin_key=${SYNAXIS_ADMIN_KEY:-}
if [ -z "$admin_key" ]; then
  vault=$(azd env get-value AZURE_KEY_VAULT_NAME 2>/dev/null) || die "set SYNAXIS_ADMIN_KEY (or run inside an azd environment)"
  admin_key=$(az keyvault secret show --vault-name "$vault" --name synaxis-admin-key --query value --output tsv) \
    || die "could not read synaxis-admin-key from $vault"
fi

# JSON string escaping for values given on the command line.
json_string() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | awk 'BEGIN{printf "\""} {printf "%s", $0} END{printf "\""}'; }

# The admin key travels in a header file readable only by us, never on curl's command line (visible to `ps`).
headers=$(mktemp)
trap 'rm -f "$headers"' EXIT
chmod 600 "$headers"
printf 'Authorization: Bearer %s\n' "$admin_key" >"$headers"

call() { # method path [json]
  local args=(--silent --show-error --fail-with-body -X "$1" -H @"$headers" "$url/v1/admin$2")
  if [ $# -ge 3 ]; then args+=(-H 'Content-Type: application/json' --data-binary "$3"); fi
  curl "${args[@]}"
  echo
}

command=${1:-}; shift || true
case "$command" in
  create-key)
    body=""
    add() { body="${body:+$body,}\"$1\":$2"; }
    while [ $# -gt 0 ]; do
      case "$1" in
        --owner) add owner "$(json_string "$2")" ;;
        --name) add name "$(json_string "$2")" ;;
        --models) add allowed_models "[$(printf '%s\n' "$2" | tr ',' '\n' | while read -r m; do json_string "$m"; echo; done | paste -sd, -)]" ;;
        --rpm) add requests_per_minute "$2" ;;
        --tpm) add tokens_per_minute "$2" ;;
        --credit) add credit "$2" ;;
        --monthly-budget) add monthly_budget "$2" ;;
        --expires) add expires_at "$(json_string "$2")" ;;
        *) die "create-key: unknown option $1" ;;
      esac
      shift 2 || die "create-key: $1 needs a value"
    done
    call POST /keys "{$body}" ;;
  list)
    if [ "${1:-}" = "--owner" ]; then
      curl --silent --show-error --fail-with-body -G -H @"$headers" --data-urlencode "owner=${2:?--owner needs a value}" "$url/v1/admin/keys"; echo
    else
      call GET /keys
    fi ;;
  get) call GET "/keys/${1:?get <key-id>}" ;;
  update) call PATCH "/keys/${1:?update <key-id> <json>}" "${2:?update <key-id> <json>}" ;;
  top-up) call POST "/keys/${1:?top-up <key-id> <amount>}/credit" "{\"amount\":${2:?top-up <key-id> <amount>}}" ;;
  revoke) call POST "/keys/${1:?revoke <key-id>}/revoke" ;;
  usage)
    query=""
    while [ $# -gt 0 ]; do
      case "$1" in
        --start) query="$query&start=$2"; shift 2 ;;
        --end) query="$query&end=$2"; shift 2 ;;
        --key) query="$query&key_id=$2"; shift 2 ;;
        --csv) query="$query&format=csv"; shift ;;
        *) die "usage: unknown option $1" ;;
      esac
    done
    call GET "/usage?${query#&}" ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
