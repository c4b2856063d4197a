metadata description = 'Cognitive Services OpenAI User for the function app\'s identity on an Azure OpenAI account, which may live in another resource group or subscription: the keyless (Entra ID) calls need it.'

@description('Name of the Azure OpenAI (Cognitive Services) account, in the resource group this module is deployed to.')
param accountName string

@description('Object id of the function app\'s identity.')
param principalId string

@description('Resource id of the function app\'s identity; known before deployment, unlike its object id, so the assignment\'s name is too.')
param identityId string

// Cognitive Services OpenAI User: call deployments (chat, embeddings) with an Entra ID token.
var cognitiveServicesOpenAiUser = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource account 'Microsoft.CognitiveServices/accounts@2026-07-01' existing = {
  name: accountName
}

resource appCallsAzureOpenAi 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, identityId, cognitiveServicesOpenAiUser)
  scope: account
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesOpenAiUser)
  }
}
