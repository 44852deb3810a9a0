using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NeuralNet.Persistence;

namespace NeuralNet.Data;

/// <summary>
/// The scaler file: a small JSON document a person can read and any language can write, holding a scaler's type
/// and its two lists of statistics as numbers that round-trip exactly.
/// </summary>
/// <remarks>
/// <code>
/// { "format": "neuralnet-scaler", "version": 1, "type": "standard", "mean": [2, 30], "standard_deviation": [0.8165, 21.6] }
/// </code>
/// The type is <c>standard</c> (keys <c>mean</c>, <c>standard_deviation</c>) or <c>min_max</c> (keys <c>minimum</c>,
/// <c>range</c>). Loading refuses another format or version, the other type, missing or non-numeric lists, values that
/// are not finite (or not finite in the precision loaded), lists of different lengths, and negative scales, each with a
/// <see cref="DataFormatException"/> saying what was expected and what was found.
/// </remarks>
internal static class ScalerFile
{
    public const string Format = "neuralnet-scaler";
    public const int Version = 1;

    public static void Save<T>(string path, string type, (string Key, T[] Values) offsets, (string Key, T[] Values) scales)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, Encode(type, offsets, scales));
    }

    public static void Save<T>(Stream stream, string type, (string Key, T[] Values) offsets, (string Key, T[] Values) scales)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Encode(type, offsets, scales));
    }

    /// <summary>Reads the two lists of a scaler of <paramref name="type"/> from a file.</summary>
    public static (T[] Offsets, T[] Scales) Load<T>(string path, string type, string offsetKey, string scaleKey)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load<T>(stream, type, offsetKey, scaleKey);
    }

    /// <summary>Reads the two lists of a scaler of <paramref name="type"/> from a stream, to its end.</summary>
    public static (T[] Offsets, T[] Scales) Load<T>(Stream stream, string type, string offsetKey, string scaleKey)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new DataFormatException($"Expected a scaler file (JSON), but the content is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"expected a JSON object, but found {root.ValueKind}");
            }

            string? format = Text(root, "format");
            if (format != Format)
            {
                throw Invalid($"expected \"format\": \"{Format}\", but found {Quote(format)}");
            }

            if (!root.TryGetProperty("version", out JsonElement version) || !version.TryGetInt32(out int number) || number != Version)
            {
                throw Invalid($"expected \"version\": {Version}, but found {(root.TryGetProperty("version", out JsonElement v) ? v.GetRawText() : "none")}; it was written by a newer NeuralNet, or is not a scaler file");
            }

            string? found = Text(root, "type");
            if (found != type)
            {
                throw Invalid($"expected a scaler of type \"{type}\", but the file holds {Quote(found)}; load it with the scaler class of its type");
            }

            return (Numbers<T>(root, offsetKey), Numbers<T>(root, scaleKey));
        }
    }

    /// <summary>The exception for an invalid scaler file.</summary>
    public static DataFormatException Invalid(string detail) => new($"The scaler file is not valid: {detail}.");

    /// <summary>The exception for statistics a scaler refused, with the scaler's message.</summary>
    public static DataFormatException Invalid(ArgumentException refused)
        => new($"The scaler file is not valid: {refused.Message.Replace($" (Parameter '{refused.ParamName}')", string.Empty, StringComparison.Ordinal).TrimEnd('.')}.", refused);

    private static byte[] Encode<T>(string type, (string Key, T[] Values) offsets, (string Key, T[] Values) scales)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteNumber("version", Version);
            writer.WriteString("type", type);
            foreach ((string key, T[] values) in new[] { offsets, scales })
            {
                writer.WriteStartArray(key);
                foreach (T value in values)
                {
                    // A float widens to double exactly, and the shortest text of a double reads back to the same bits.
                    writer.WriteNumberValue(double.CreateChecked(value));
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static T[] Numbers<T>(JsonElement root, string key)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!root.TryGetProperty(key, out JsonElement list) || list.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"expected \"{key}\" as a list of numbers, but found {(list.ValueKind == JsonValueKind.Undefined ? "none" : list.ValueKind.ToString())}");
        }

        var values = new T[list.GetArrayLength()];
        int index = 0;
        foreach (JsonElement item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out double value) || !double.IsFinite(value))
            {
                throw Invalid($"expected \"{key}\"[{index}] to be a finite number, but found {item.GetRawText()}");
            }

            values[index] = T.CreateChecked(value);
            if (!T.IsFinite(values[index]))
            {
                throw Invalid(string.Create(CultureInfo.InvariantCulture, $"\"{key}\"[{index}] is {value:R}, beyond the range of {typeof(T).Name}; load the scaler as double"));
            }

            index++;
        }

        return values;
    }

    private static string? Text(JsonElement root, string key)
        => root.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Quote(string? text) => text is null ? "none" : $"\"{text}\"";
}
