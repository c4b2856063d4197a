metadata description = 'The Key Vault holding provider keys and the gateway\'s own keys; access is by Azure RBAC only.'

@description('Name of the vault.')
param name string

@description('Region of the vault.')
param location string

@description('Tags for the vault.')
param tags object

@description('Days a deleted vault or secret can be recovered (7-90).')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('Purge protection cannot be turned off again and keeps a deleted vault\'s name taken for the retention period.')
param enablePurgeProtection bool

@description('Names of the secrets the deployment may write; a fixed list, so the loop below can be planned before deployment.')
param secretNames array

@description('Secret values by name; a name with no value or an empty one is skipped, so a later deployment does not blank a secret set by hand.')
@secure()
param secretValues object

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Role assignments, not access policies, decide who reads and writes secrets.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // The service rejects an explicit false, so the property is left out unless it is turned on.
    enablePurgeProtection: enablePurgeProtection ? true : null
    // Flex Consumption without a virtual network reaches the vault over its public endpoint.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = [
  for secretName in secretNames: if (!empty(secretValues[?secretName] ?? '')) {
    parent: vault
    name: secretName
    properties: {
      value: secretValues[secretName]
    }
  }
]

@description('URI of the vault (https://<name>.vault.azure.net/).')
output uri string = vault.properties.vaultUri
