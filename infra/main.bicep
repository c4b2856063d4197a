targetScope = 'subscription'

metadata description = 'Synaxis Functions on Azure: the gateway on Flex Consumption with its identity, storage, Key Vault and telemetry.'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer Flex Consumption: az functionapp list-flexconsumption-locations.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the deploying principal (azd passes AZURE_PRINCIPAL_ID). It gets Key Vault Secrets Officer so it can set provider keys; empty grants nothing.')
param principalId string = ''

@description('Kind of the deploying principal (azd passes AZURE_PRINCIPAL_TYPE).')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Origins browsers may call the gateway from (platform CORS), e.g. ["https://app.example.com"]; ["*"] allows any origin. Empty allows none.')
param corsAllowedOrigins array = []

@description('Extra app settings, such as model catalog entries (Synaxis__Models__0__Name); they cannot replace the settings this template wires.')
param appSettings object = {}

@description('Resource id of an Azure OpenAI (Cognitive Services) account, in any resource group or subscription; when set, the app\'s identity gets Cognitive Services OpenAI User on it for keyless calls. Empty grants nothing.')
param azureOpenAiResourceId string = ''

@description('Most instances the function app scales out to (Flex Consumption allows 40-1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory per instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Days a deleted vault or secret can be recovered (7-90).')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionInDays int = 7

@description('Turns on Key Vault purge protection. It cannot be turned off again, and `azd down --purge` can then no longer free the vault name; turn it on for production.')
param keyVaultPurgeProtection bool = false

@description('Written to the vault as openai-api-key when not empty.')
@secure()
param openAiApiKey string = ''

@description('Written to the vault as anthropic-api-key when not empty.')
@secure()
param anthropicApiKey string = ''

@description('Written to the vault as gemini-api-key when not empty.')
@secure()
param geminiApiKey string = ''

@description('Written to the vault as azure-openai-api-key when not empty (Azure OpenAI also works keyless with Entra ID).')
@secure()
param azureOpenAiApiKey string = ''

@description('Written to the vault as synaxis-admin-key when not empty.')
@secure()
param adminKey string = ''

@description('Comma-separated client API keys, written to the vault as synaxis-client-keys when not empty.')
@secure()
param clientApiKeys string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

// The service key in azure.yaml; azd finds the function app by its azd-service-name tag.
var serviceName = 'api'
var names = {
  resourceGroup: '${abbrs.resourcesResourceGroups}${environmentName}'
  identity: '${abbrs.managedIdentityUserAssignedIdentities}${serviceName}-${resourceToken}'
  logAnalytics: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  applicationInsights: '${abbrs.insightsComponents}${resourceToken}'
  storageAccount: '${abbrs.storageStorageAccounts}${resourceToken}'
  keyVault: '${abbrs.keyVaultVaults}${resourceToken}'
  plan: '${abbrs.webServerFarms}${resourceToken}'
  functionApp: '${abbrs.webSitesFunctions}${serviceName}-${resourceToken}'
}
var deploymentContainerName = 'app-package'

// Vault secret names the code reads (the settings contract).
var apiKeysSecretName = 'synaxis-client-keys'
var adminKeySecretName = 'synaxis-admin-key'
var seededSecrets = {
  'openai-api-key': openAiApiKey
  'anthropic-api-key': anthropicApiKey
  'gemini-api-key': geminiApiKey
  'azure-openai-api-key': azureOpenAiApiKey
  '${adminKeySecretName}': adminKey
  '${apiKeysSecretName}': clientApiKeys
}

// /subscriptions/{id}/resourceGroups/{name}/providers/Microsoft.CognitiveServices/accounts/{name}. ARM may
// evaluate a skipped module's scope too, so an empty id stands for a scope that always exists.
var azureOpenAiIdSegments = split(azureOpenAiResourceId, '/')
var azureOpenAiAccount = empty(azureOpenAiResourceId)
  ? { subscriptionId: subscription().subscriptionId, resourceGroup: names.resourceGroup, name: '' }
  : { subscriptionId: azureOpenAiIdSegments[2], resourceGroup: azureOpenAiIdSegments[4], name: azureOpenAiIdSegments[8] }

resource resourceGroup 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: resourceGroup
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    name: names.storageAccount
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  scope: resourceGroup
  params: {
    name: names.keyVault
    location: location
    tags: tags
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
    enablePurgeProtection: keyVaultPurgeProtection
    secretNames: objectKeys(seededSecrets)
    secretValues: seededSecrets
  }
}

module roleAssignments 'modules/role-assignments.bicep' = {
  name: 'role-assignments'
  scope: resourceGroup
  params: {
    identityName: names.identity
    keyVaultName: names.keyVault
    storageAccountName: names.storageAccount
    applicationInsightsName: names.applicationInsights
    principalId: principalId
    principalType: principalType
  }
  // Names are known before deployment (so what-if can predict the assignments); the resources must exist first.
  dependsOn: [
    identity
    keyVault
    storage
    monitoring
  ]
}

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: names.identity
  scope: resourceGroup
}

// The Azure OpenAI account lives outside this template, often in another resource group or subscription.
module azureOpenAiAccess 'modules/azure-openai-access.bicep' = if (!empty(azureOpenAiResourceId)) {
  name: 'azure-openai-access'
  scope: az.resourceGroup(azureOpenAiAccount.subscriptionId, azureOpenAiAccount.resourceGroup)
  params: {
    accountName: azureOpenAiAccount.name
    principalId: appIdentity.properties.principalId
    identityId: appIdentity.id
  }
  dependsOn: [
    identity
  ]
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: resourceGroup
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    serviceName: serviceName
    identityName: names.identity
    storageAccountName: names.storageAccount
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: names.applicationInsights
    keyVaultName: names.keyVault
    apiKeysSecretName: apiKeysSecretName
    adminKeySecretName: adminKeySecretName
    corsAllowedOrigins: corsAllowedOrigins
    appSettings: appSettings
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
  // The host reads its storage and the vault as soon as it starts, so the grants (and with them
  // the resources they are on) must exist by then.
  dependsOn: [
    roleAssignments
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output SERVICE_API_NAME string = names.functionApp
output SERVICE_API_URI string = functionApp.outputs.uri
output AZURE_FUNCTION_APP_NAME string = names.functionApp
output AZURE_KEY_VAULT_NAME string = names.keyVault
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = names.storageAccount
