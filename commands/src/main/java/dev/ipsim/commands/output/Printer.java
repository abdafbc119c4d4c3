package dev.ipsim.commands.output;


/**
 * iproute2's output layer ({@code lib/json_print.c}): one call per field serves text and JSON.
 *
 * <p>{@link Kind#ANY} writes the format in text mode and {@code "key": value} in JSON mode;
 * {@link Kind#TEXT} writes only in text mode; {@link Kind#JSON} only in JSON mode. Formats are
 * Java {@link String#format} patterns with one argument. Text accumulates in a buffer the
 * caller drains; so does JSON, which is complete once {@link #endJson()} is called.
 */
public final class Printer {

    /** {@code PRINT_FP}, {@code PRINT_JSON}, {@code PRINT_ANY}. */
    public enum Kind {
        TEXT, JSON, ANY
    }

    /** Colour classes of {@code lib/color.c}. */
    public enum Color {
        NONE, IFNAME, MAC, INET, INET6, OPERSTATE_UP, OPERSTATE_DOWN, OPERSTATE_UNKNOWN
    }

    private final StringBuilder out = new StringBuilder();
    private final boolean json;
    private final boolean pretty;
    private final String lineSeparator;
    private final Palette palette;
    private JsonWriter writer;

    /**
     * @param json     {@code -j}
     * @param pretty   {@code -p}
     * @param oneline  {@code -o}: line separator {@code \} instead of a newline
     * @param palette  colours for text mode, or {@code null} for none
     */
    public Printer(boolean json, boolean pretty, boolean oneline, Palette palette) {
        this.json = json;
        this.pretty = pretty;
        this.lineSeparator = oneline ? "\\" : "\n";
        this.palette = palette;
    }

    /** Maps colour classes to escape sequences. */
    public interface Palette {
        String start(Color color);

        String end();
    }

    public boolean isJson() {
        return json;
    }

    /** {@code _SL_}. */
    public String lineSeparator() {
        return lineSeparator;
    }

    private boolean jsonContext(Kind kind) {
        return writer != null && (kind == Kind.JSON || kind == Kind.ANY);
    }

    private boolean textContext(Kind kind) {
        return writer == null && (kind == Kind.TEXT || kind == Kind.ANY);
    }

    /** Whether JSON output is under way ({@code is_json_context}). */
    public boolean inJson() {
        return writer != null;
    }

    /** {@code new_json_obj}: starts the JSON document (an array) when {@code -j} was given. */
    public void beginJson() {
        beginJson(true);
    }

    /** {@code new_json_obj} / {@code new_json_obj_plain}. */
    public void beginJson(boolean array) {
        if (json) {
            writer = new JsonWriter(out);
            writer.setPretty(pretty);
            if (array) {
                writer.startArray();
            }
            arrayDocument = array;
        }
    }

    private boolean arrayDocument;

    /** {@code delete_json_obj}: closes the document and ends it with a newline. */
    public void endJson() {
        if (writer != null) {
            if (arrayDocument) {
                writer.endArray();
            }
            writer.finish();
            writer = null;
        }
    }

    public JsonWriter jsonWriter() {
        return writer;
    }

    private void text(Color color, String s) {
        if (palette != null && color != Color.NONE) {
            out.append(palette.start(color)).append(s).append(palette.end());
        } else {
            out.append(s);
        }
    }

    private static String format(String fmt, Object value) {
        return CFormat.format(fmt, value);
    }

    /** {@code print_string}. A {@code null} key in JSON writes a bare array element. */
    public void string(Kind kind, String key, String fmt, String value) {
        colorString(kind, Color.NONE, key, fmt, value);
    }

    /** {@code print_color_string}. */
    public void colorString(Kind kind, Color color, String key, String fmt, String value) {
        if (jsonContext(kind)) {
            if (key != null && value == null) {
                writer.name(key);
            } else if (key == null && value != null) {
                writer.string(value);
            } else {
                writer.name(key);
                writer.string(value);
            }
        } else if (textContext(kind)) {
            text(color, value == null ? fmt : format(fmt, value));
        }
    }

    /** {@code print_int}/{@code print_s64}. */
    public void integer(Kind kind, String key, String fmt, long value) {
        if (jsonContext(kind)) {
            if (key != null) {
                writer.name(key);
            }
            writer.number(value);
        } else if (textContext(kind)) {
            text(Color.NONE, format(fmt, value));
        }
    }

    /** {@code print_uint}/{@code print_u64}: the value is unsigned. */
    public void unsigned(Kind kind, String key, String fmt, long value) {
        if (jsonContext(kind)) {
            if (key != null) {
                writer.name(key);
            }
            writer.unsigned(value);
        } else if (textContext(kind)) {
            text(Color.NONE, format(fmt, Long.toUnsignedString(value)));
        }
    }

    /** {@code print_bool}: text mode prints {@code fmt} as is (it holds no placeholder). */
    public void bool(Kind kind, String key, String fmt, boolean value) {
        if (jsonContext(kind)) {
            if (key != null) {
                writer.name(key);
            }
            writer.bool(value);
        } else if (textContext(kind)) {
            text(Color.NONE, fmt.contains("%s") ? format(fmt, value ? "true" : "false") : fmt);
        }
    }

    /** {@code print_null}. */
    public void nullValue(Kind kind, String key, String fmt, String value) {
        if (jsonContext(kind)) {
            if (key != null) {
                writer.name(key);
            }
            writer.nullValue();
        } else if (textContext(kind)) {
            text(Color.NONE, value == null ? fmt : format(fmt, value));
        }
    }

    /** {@code print_hex}: JSON gets the hex digits as a string. */
    public void hex(Kind kind, String key, String fmt, long value) {
        if (jsonContext(kind)) {
            String digits = Long.toHexString(value & 0xFFFF_FFFFL);
            if (key != null) {
                writer.name(key);
            }
            writer.string(digits);
        } else if (textContext(kind)) {
            text(Color.NONE, format(fmt, value));
        }
    }

    /** Literal text, text mode only. */
    public void text(String s) {
        if (writer == null) {
            out.append(s);
        }
    }

    /** {@code print_nl}: the line separator in text mode, nothing in JSON. */
    public void newline() {
        if (writer == null) {
            out.append(lineSeparator);
        }
    }

    /** {@code open_json_object}. */
    public void openObject(String key) {
        if (writer != null) {
            if (key != null) {
                writer.name(key);
            }
            writer.startObject();
        }
    }

    /** {@code close_json_object}. */
    public void closeObject() {
        if (writer != null) {
            writer.endObject();
        }
    }

    /** {@code open_json_array}: JSON array under {@code str} as key, or {@code str} as text. */
    public void openArray(Kind kind, String str) {
        if (jsonContext(kind)) {
            if (str != null) {
                writer.name(str);
            }
            writer.startArray();
        } else if (textContext(kind)) {
            out.append(str);
        }
    }

    /** {@code close_json_array}. */
    public void closeArray(Kind kind, String str) {
        if (jsonContext(kind)) {
            writer.endArray();
        } else if (textContext(kind)) {
            out.append(str);
        }
    }

    /** Takes what has been written so far. */
    public String drain() {
        String s = out.toString();
        out.setLength(0);
        return s;
    }

    public boolean hasPending() {
        return out.length() > 0;
    }
}
