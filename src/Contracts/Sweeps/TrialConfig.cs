using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SweepRunner.Contracts.Sweeps;

/// <summary>
/// The values of one trial, by parameter name in the order the sweep declares them, with a canonical JSON form and
/// its hash: two configs with the same values have the same hash whatever the order, so a sweep never runs one twice.
/// </summary>
public sealed class TrialConfig
{
    private readonly Dictionary<string, ParameterValue> byName;

    public TrialConfig(IEnumerable<KeyValuePair<string, ParameterValue>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = [.. values];
        byName = new Dictionary<string, ParameterValue>(Values, StringComparer.Ordinal);
        CanonicalJson = WriteCanonicalJson(byName);
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson)));
    }

    /// <summary>Name and value of every parameter, in declaration order.</summary>
    public IReadOnlyList<KeyValuePair<string, ParameterValue>> Values { get; }

    /// <summary>One JSON object, keys in ordinal order, no whitespace, reals always with a fraction or exponent.</summary>
    public string CanonicalJson { get; }

    /// <summary>Lowercase hex SHA-256 of <see cref="CanonicalJson"/>.</summary>
    public string Hash { get; }

    /// <summary>
    /// Reads back a <see cref="CanonicalJson"/> (as stored with a trial): a number with a fraction or exponent is a
    /// real, any other number an integer, so the config read has the hash of the one written.
    /// </summary>
    /// <exception cref="FormatException">The text is not a JSON object of scalars.</exception>
    public static TrialConfig FromCanonicalJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException("a trial config is a JSON object");
            return new TrialConfig([.. document.RootElement.EnumerateObject().Select(property => new KeyValuePair<string, ParameterValue>(property.Name, ReadValue(property)))]);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"a trial config is not valid JSON: {ex.Message}", ex);
        }
    }

    public ParameterValue this[string name] => byName[name];

    public bool TryGetValue(string name, out ParameterValue value) => byName.TryGetValue(name, out value!);

    public override string ToString() => CanonicalJson;

    private static ParameterValue ReadValue(JsonProperty property) =>
        ParameterValue.FromJson(property.Value)
        ?? throw new FormatException($"{property.Name}: a trial config value is a string, number or boolean, not {property.Value.ValueKind}");

    private static string WriteCanonicalJson(Dictionary<string, ParameterValue> values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(name);
                value.WriteJson(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
