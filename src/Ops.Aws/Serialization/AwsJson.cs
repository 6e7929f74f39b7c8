using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ops.Aws.Serialization;

/// <summary>System.Text.Json settings for the awsJson wires: model member names, nulls omitted, timestamps as epoch seconds.</summary>
public static class AwsJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters = { new EpochSecondsConverter() },
    };

    /// <summary>awsJson timestamps: epoch seconds (fractional allowed) on the wire; ISO strings accepted when reading.</summary>
    sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(reader.GetDouble() * 1000))
                : WireFormat.ParseTimestamp(reader.GetString() ?? throw new JsonException("A timestamp was null."));

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteRawValue((value.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture));
    }
}
