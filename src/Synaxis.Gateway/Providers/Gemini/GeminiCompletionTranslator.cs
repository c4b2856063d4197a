using System.Text;
using System.Text.Json;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Providers.Gemini;

/// <summary>
/// A <c>generateContent</c> answer as an OpenAI <c>chat.completion</c>: one choice per candidate, text as
/// <c>content</c>, thought summaries as <c>reasoning_content</c>, function calls as <c>tool_calls</c>. A prompt
/// Gemini refused outright is a 400 <c>content_filter</c>, as Azure OpenAI answers a filtered prompt.
/// </summary>
internal static class GeminiCompletionTranslator
{
    public static CompletionResult Translate(GenerateContentResponse response, ProviderCall call, TimeProvider time)
    {
        if (response.Candidates is not { Count: > 0 })
        {
            return CompletionResult.Failed(response.PromptFeedback?.BlockReason is { } reason
                ? new UpstreamFailure(UpstreamFailureKind.Rejected, $"The prompt was blocked by Gemini's safety system ({reason}).")
                {
                    UpstreamStatus = 400, Type = "invalid_request_error", Param = "messages", Code = "content_filter",
                }
                : new UpstreamFailure(UpstreamFailureKind.ProtocolError, "The upstream's answer has no candidates."));
        }

        long characters = 0;
        var completion = new ChatCompletion
        {
            Id = "chatcmpl-" + (response.ResponseId ?? call.RequestId),
            Created = time.GetUtcNow().ToUnixTimeSeconds(),
            Model = response.ModelVersion ?? call.Deployment.UpstreamModel,
        };
        foreach (var candidate in response.Candidates)
        {
            var (message, calledTools, length) = Message(candidate.Content?.Parts ?? []);
            characters += length;
            completion.Choices.Add(new ChatChoice
            {
                Index = candidate.Index ?? completion.Choices.Count,
                Message = message,
                FinishReason = GeminiFinishReason.ToOpenAI(candidate.FinishReason ?? "STOP", calledTools),
            });
        }

        completion.Usage = response.UsageMetadata is { } metadata
            ? GeminiUsage.From(metadata)
            : TokenEstimator.Estimate(TokenEstimator.ForPrompt(call.Request), characters);
        return CompletionResult.Success(JsonSerializer.SerializeToUtf8Bytes(completion, GatewayJsonContext.Wire.ChatCompletion), completion.Usage);
    }

    private static (ResponseMessage Message, bool CalledTools, long Characters) Message(List<GeminiPart> parts)
    {
        var content = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new List<ToolCall>();
        long characters = 0;
        foreach (var part in parts)
        {
            if (part.FunctionCall is { } functionCall)
            {
                var arguments = functionCall.Args?.GetRawText() ?? "{}";
                calls.Add(new ToolCall
                {
                    Id = GeminiToolCallId.Create(functionCall.Id, part.ThoughtSignature),
                    Type = "function",
                    Function = new FunctionCall { Name = functionCall.Name, Arguments = arguments },
                });
                characters += (functionCall.Name?.Length ?? 0) + arguments.Length;
            }
            else if (part.Text is { } text)
            {
                (part.Thought == true ? reasoning : content).Append(text);
                characters += text.Length;
            }
        }

        var message = new ResponseMessage
        {
            Content = content.Length > 0 || calls.Count == 0 ? content.ToString() : null,
            ToolCalls = calls.Count > 0 ? calls : null,
        };
        if (reasoning.Length > 0)
        {
            message.ExtensionData = new() { ["reasoning_content"] = JsonSerializer.SerializeToElement(reasoning.ToString(), GatewayJsonContext.Wire.String) };
        }

        return (message, calls.Count > 0, characters);
    }
}
