using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Synaxis.Infra.Tests.Bicep;

/// <summary>
/// Reads infra/main.parameters.json the way azd does before a deployment: <c>${NAME}</c> and
/// <c>${NAME=default}</c> are replaced from the azd environment, and a string that ends up empty
/// leaves the template's default in force.
/// </summary>
internal static partial class AzdParameters
{
    public static JsonObject Read(IReadOnlyDictionary<string, string> environment)
    {
        var text = File.ReadAllText(Path.Combine(Repository.Infra, "main.parameters.json"));
        var parameters = JsonNode.Parse(text)!["parameters"]!.AsObject();
        var values = new JsonObject();
        foreach (var (name, parameter) in parameters)
        {
            var value = Substitute(parameter!["value"]!, environment);
            if (value is JsonValue scalar && scalar.TryGetValue<string>(out var s) && s.Length == 0)
            {
                continue;
            }

            values[name] = value;
        }

        return values;
    }

    /// <summary>The same values as a .bicepparam file for <c>bicep snapshot</c>.</summary>
    public static string ToBicepParam(string usingPath, JsonObject values)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"using '{usingPath.Replace('\\', '/')}'\n\n");
        foreach (var (name, value) in values)
        {
            text.Append(CultureInfo.InvariantCulture, $"param {name} = ");
            WriteLiteral(text, value, indent: 0);
            text.Append('\n');
        }

        return text.ToString();
    }

    private static JsonNode? Substitute(JsonNode node, IReadOnlyDictionary<string, string> environment) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Substitute(p.Value, environment)))),
        JsonArray a => new JsonArray(a.Select(v => v is null ? null : Substitute(v, environment)).ToArray()),
        JsonValue v when v.TryGetValue<string>(out var s) => JsonValue.Create(Variable().Replace(s, m =>
            environment.TryGetValue(m.Groups["name"].Value, out var value) ? value : m.Groups["default"].Value)),
        _ => node.DeepClone(),
    };

    private static void WriteLiteral(StringBuilder text, JsonNode? node, int indent)
    {
        var pad = new string(' ', indent + 2);
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject o:
                text.Append("{\n");
                foreach (var (key, value) in o)
                {
                    text.Append(pad).Append(Quote(key)).Append(": ");
                    WriteLiteral(text, value, indent + 2);
                    text.Append('\n');
                }

                text.Append(' ', indent).Append('}');
                break;
            case JsonArray a:
                text.Append("[\n");
                foreach (var value in a)
                {
                    text.Append(pad);
                    WriteLiteral(text, value, indent + 2);
                    text.Append('\n');
                }

                text.Append(' ', indent).Append(']');
                break;
            case JsonValue v when v.TryGetValue<string>(out var s):
                text.Append(Quote(s));
                break;
            default:
                text.Append(node.ToJsonString());
                break;
        }
    }

    private static string Quote(string value) =>
        "'" + value.Replace("\\", "\\\\").Replace("'", "\\'").Replace("${", "\\${").Replace("\n", "\\n") + "'";

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:=(?<default>[^}]*))?\}")]
    private static partial Regex Variable();
}
