using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Mizan.Agent.Access;

/// <summary>Reads a request's string (or int32, as digits) field by its proto name, for the interceptors that see every request untyped.</summary>
public static class RequestFields
{
    public static string? Text(object? request, string name) =>
        request is IMessage message && message.Descriptor.FindFieldByName(name) is { } field
            ? field.FieldType switch
            {
                FieldType.String => field.Accessor.GetValue(message) as string,
                FieldType.Int32 => ((int)field.Accessor.GetValue(message)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            }
            : null;
}
