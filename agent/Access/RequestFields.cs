using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Mizan.Agent.Access;

/// <summary>Reads a request's string field by its proto name, for the interceptors that see every request untyped.</summary>
public static class RequestFields
{
    public static string? Text(object? request, string name) =>
        request is IMessage message && message.Descriptor.FindFieldByName(name) is { FieldType: FieldType.String } field
            ? field.Accessor.GetValue(message) as string
            : null;
}
