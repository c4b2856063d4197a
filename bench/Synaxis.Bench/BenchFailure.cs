namespace Synaxis.Bench;

/// <summary>The run cannot produce numbers worth reading; the message says why, and the bench exits non-zero.</summary>
internal sealed class BenchFailure(string message) : Exception(message);
