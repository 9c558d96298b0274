using System.Text;

namespace Mizan.Agent.Runtime.Containers;

/// <summary>
/// What the agent keeps of a container's last log lines before it stores them (the check step's log_tail) or sends
/// them (CheckSlot, mizanctl, webhooks): at most <see cref="MaxBytes"/> of UTF-8, the end kept and the cut marked, with
/// terminal escape sequences and control characters removed. The app's output is hostile text: it must not be able to
/// clear a terminal, rewrite what an operator sees, or grow a database row without bound.
/// </summary>
public static class LogTail
{
    /// <summary>The most UTF-8 bytes of log text kept, the cut marker aside.</summary>
    public const int MaxBytes = 8 * 1024;

    /// <summary>
    /// The most raw bytes read from the engine: escape sequences are removed after reading, so more than
    /// <see cref="MaxBytes"/> is read for an app that colours every line, yet a 100 MB line cannot fill the agent's memory.
    /// </summary>
    public const int MaxRawBytes = 8 * MaxBytes;

    /// <summary>The first line of a tail whose beginning was cut.</summary>
    public const string CutMarker = "[earlier output cut]";

    /// <summary>
    /// The kept tail of raw log bytes (only the last <see cref="MaxRawBytes"/> are read); <paramref name="cut"/> says they
    /// are already the end of a longer output.
    /// </summary>
    public static string FromBytes(ReadOnlySpan<byte> raw, bool cut)
    {
        if (raw.Length > MaxRawBytes)
        {
            raw = raw[^MaxRawBytes..];
            cut = true;
        }

        if (cut)
        {
            // The cut may have fallen inside a multi-byte character: start at the next whole one.
            while (!raw.IsEmpty && (raw[0] & 0b1100_0000) == 0b1000_0000)
            {
                raw = raw[1..];
            }
        }

        return From(Encoding.UTF8.GetString(raw), cut);
    }

    /// <summary>The kept tail of log text; <paramref name="cut"/> says it is the end of a longer output.</summary>
    public static string From(string text, bool cut = false)
    {
        var clean = WithoutControls(text).TrimEnd();
        var start = StartOfLastBytes(clean, MaxBytes);
        return start > 0 || cut ? $"{CutMarker}\n{clean[start..]}" : clean;
    }

    /// <summary>
    /// The text without ANSI/ECMA-48 escape sequences (CSI such as colours and cursor moves, OSC such as window titles
    /// and hyperlinks, DCS/SOS/PM/APC strings, and two-character escapes), their 8-bit C1 forms, other C0 and C1
    /// controls, and DEL. Newlines and tabs stay; a carriage return goes, so CRLF becomes LF.
    /// </summary>
    public static string WithoutControls(string text)
    {
        var builder = new StringBuilder(text.Length);
        var index = 0;
        while (index < text.Length)
        {
            var c = text[index];
            if (c is '\n' or '\t')
            {
                builder.Append(c);
                index++;
            }
            else if (c == '\u001b')
            {
                index = SkipEscape(text, index + 1);
            }
            else if (c is >= '\u0080' and <= '\u009f')
            {
                index = SkipSequenceBody(text, index + 1, (char)(c - 0x40));
            }
            else
            {
                if (!char.IsControl(c))
                {
                    builder.Append(c);
                }

                index++;
            }
        }

        return builder.ToString();
    }

    // After ESC: an introducer (the 7-bit form of a C1 control, '@' to '_') starts a sequence body; otherwise an
    // escape is intermediate bytes (' ' to '/') and one final byte ('0' to '~'), e.g. ESC ( B or ESC c.
    private static int SkipEscape(string text, int index)
    {
        if (index < text.Length && text[index] is >= '@' and <= '_')
        {
            return SkipSequenceBody(text, index + 1, text[index]);
        }

        while (index < text.Length && text[index] is >= ' ' and <= '/')
        {
            index++;
        }

        return index < text.Length && text[index] is >= '0' and <= '~' ? index + 1 : index;
    }

    private static int SkipSequenceBody(string text, int index, char introducer) => introducer switch
    {
        '[' => SkipControlSequence(text, index),
        ']' or 'P' or 'X' or '^' or '_' => SkipControlString(text, index),
        _ => index,
    };

    // CSI: parameter bytes ('0' to '?'), intermediate bytes (' ' to '/'), one final byte ('@' to '~').
    private static int SkipControlSequence(string text, int index)
    {
        while (index < text.Length && text[index] is >= '0' and <= '?')
        {
            index++;
        }

        while (index < text.Length && text[index] is >= ' ' and <= '/')
        {
            index++;
        }

        return index < text.Length && text[index] is >= '@' and <= '~' ? index + 1 : index;
    }

    // OSC, DCS, SOS, PM, APC: up to the string terminator (ESC \ or its C1 form), or BEL, which ends an OSC for most
    // terminals. An unterminated string ends at the line's end, so one bad sequence cannot hide the rest of the tail.
    private static int SkipControlString(string text, int index)
    {
        while (index < text.Length)
        {
            switch (text[index])
            {
                case '\u0007' or '\u009c':
                    return index + 1;
                case '\u001b' when index + 1 < text.Length && text[index + 1] == '\\':
                    return index + 2;
                case '\n':
                    return index;
                default:
                    index++;
                    break;
            }
        }

        return index;
    }

    // Where the last maxBytes of UTF-8 begin, on a character boundary (a surrogate pair is never split).
    private static int StartOfLastBytes(string text, int maxBytes)
    {
        var bytes = 0;
        var index = text.Length;
        while (index > 0)
        {
            var width = char.IsLowSurrogate(text[index - 1]) && index > 1 && char.IsHighSurrogate(text[index - 2]) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(index - width, width));
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            index -= width;
        }

        return index;
    }
}
