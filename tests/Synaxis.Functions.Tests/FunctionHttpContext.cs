using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Azure.Functions.Worker;
using Moq;

namespace Synaxis.Functions.Tests;

/// <summary>
/// A real <see cref="HttpContext"/> as the worker's ASP.NET Core integration hands it to a function,
/// with its response body on a pipe the test reads while the function is still writing.
/// </summary>
public sealed class FunctionHttpContext
{
    private readonly Pipe _body = new();

    public FunctionHttpContext(string method, string path, string? json = null, string? bearer = null)
    {
        var response = new StartTrackingResponseFeature();
        Context = new DefaultHttpContext();
        Context.Features.Set<IHttpResponseFeature>(response);
        Context.Features.Set<IHttpResponseBodyFeature>(new PipeBodyFeature(_body.Writer, response));
        Context.Request.Method = method;
        Context.Request.Path = path;
        if (json is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            Context.Request.Body = new MemoryStream(bytes);
            Context.Request.ContentLength = bytes.Length;
            Context.Request.ContentType = "application/json";
        }

        if (bearer is not null)
        {
            Context.Request.Headers.Authorization = "Bearer " + bearer;
        }
    }

    public DefaultHttpContext Context { get; }

    public CancellationTokenSource Invocation { get; } = new();

    /// <summary>The <see cref="FunctionContext"/> whose token the host cancels; nothing else of it is used.</summary>
    public FunctionContext FunctionContext
    {
        get
        {
            var context = new Mock<FunctionContext>();
            context.SetupGet(c => c.CancellationToken).Returns(Invocation.Token);
            return context.Object;
        }
    }

    public PipeReader Body => _body.Reader;

    /// <summary>Ends the response the way the worker does when the function returns.</summary>
    public Task CompleteAsync() => _body.Writer.CompleteAsync().AsTask();

    public async Task<string> ReadToEndAsync()
    {
        await CompleteAsync();
        using var reader = new StreamReader(Body.AsStream(), Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private sealed class StartTrackingResponseFeature : HttpResponseFeature
    {
        public bool Started { get; set; }

        public override bool HasStarted => Started;
    }

    private sealed class PipeBodyFeature(PipeWriter writer, StartTrackingResponseFeature response) : IHttpResponseBodyFeature
    {
        public Stream Stream => writer.AsStream();

        public PipeWriter Writer => writer;

        public void DisableBuffering()
        {
        }

        public Task StartAsync(CancellationToken cancellationToken = default)
        {
            response.Started = true;
            return Task.CompletedTask;
        }

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task CompleteAsync() => writer.CompleteAsync().AsTask();
    }
}
