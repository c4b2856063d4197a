metadata description = 'The user-assigned managed identity the function app runs as: storage, Key Vault and telemetry all trust it, and nothing holds a key.'

@description('Name of the identity.')
param name string

@description('Region of the identity.')
param location string

@description('Tags for the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}
