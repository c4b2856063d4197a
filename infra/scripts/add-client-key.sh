#!/usr/bin/env bash
# Adds a new client API key to the vault secret the gateway reads its client keys from, and prints
# the key once (it is stored nowhere else). Keys already in the secret stay valid, so a key is
# rotated by adding a new one, moving clients to it, then deleting the old one from the secret.
#
#   infra/scripts/add-client-key.sh [vault-name]
#
# Without a vault name it uses AZURE_KEY_VAULT_NAME from the current azd environment. Needs the
# Azure CLI signed in as someone with Key Vault Secrets Officer on the vault (azd up grants it to
# the deploying user).
set -euo pipefail

secret=synaxis-client-keys
vault=${1:-$(azd env get-value AZURE_KEY_VAULT_NAME)}
key="sk-syn-$(openssl rand -hex 24)"

# The keys travel through a private temporary file, never on a command line where other users'
# process listings could see them.
scratch=$(mktemp)
trap 'rm -f "$scratch"' EXIT
chmod 600 "$scratch"

if existing=$(az keyvault secret show --vault-name "$vault" --name "$secret" --query value --output tsv 2>"$scratch"); then
  keys="${existing:+$existing,}$key"
elif grep -q SecretNotFound "$scratch"; then
  keys=$key
else
  cat "$scratch" >&2
  exit 1
fi

printf '%s' "$keys" >"$scratch"
az keyvault secret set --vault-name "$vault" --name "$secret" --file "$scratch" --encoding utf-8 --output none

echo "Added a key to $secret in $vault; the gateway accepts it once it re-reads the secret." >&2
echo "$key"
