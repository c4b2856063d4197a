namespace Synaxis.Gateway.Http.Messages;

/// <summary>One Anthropic stream event: its <c>event:</c> name and its JSON.</summary>
internal readonly record struct AnthropicEvent(byte[] Type, byte[] Data);
