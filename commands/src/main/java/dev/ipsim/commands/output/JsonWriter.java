package dev.ipsim.commands.output;

/**
 * A streaming JSON writer that produces iproute2's exact bytes ({@code lib/json_writer.c}):
 * compact {@code {"k":v}} by default; pretty mode indents by four spaces, puts a newline
 * before each object member, keeps scalar arrays on one line ({@code [ "a","b" ]}).
 */
public final class JsonWriter {

    private final StringBuilder out;
    private int depth;
    private boolean pretty;
    /** The separator owed before the next value: {@code '\0'} (none) or {@code ','}. */
    private char separator;

    public JsonWriter(StringBuilder out) {
        this.out = out;
    }

    public void setPretty(boolean pretty) {
        this.pretty = pretty;
    }

    public int depth() {
        return depth;
    }

    private void indent() {
        for (int i = 0; i < depth; i++) {
            out.append("    ");
        }
    }

    private void endOfLine() {
        if (!pretty) {
            return;
        }
        out.append('\n');
        indent();
    }

    private void endOfRecord() {
        if (separator != '\0') {
            out.append(separator);
        }
        separator = ',';
    }

    private void quoted(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\f' -> out.append("\\f");
                case '\b' -> out.append("\\b");
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                default -> out.append(c);
            }
        }
        out.append('"');
    }

    private void begin(char c) {
        endOfRecord();
        out.append(c);
        depth++;
        separator = '\0';
    }

    private void end(char c) {
        depth--;
        if (separator != '\0') {
            endOfLine();
        }
        out.append(c);
        separator = ',';
    }

    public void name(String name) {
        endOfRecord();
        endOfLine();
        separator = '\0';
        quoted(name);
        out.append(':');
        if (pretty) {
            out.append(' ');
        }
    }

    /** A raw value ({@code jsonw_printf}). */
    public void raw(String text) {
        endOfRecord();
        out.append(text);
    }

    public void startObject() {
        begin('{');
    }

    public void endObject() {
        end('}');
    }

    public void startArray() {
        begin('[');
        if (pretty) {
            out.append(' ');
        }
    }

    public void endArray() {
        if (pretty && separator != '\0') {
            out.append(' ');
        }
        separator = '\0';
        end(']');
    }

    public void string(String value) {
        endOfRecord();
        quoted(value);
    }

    public void bool(boolean value) {
        raw(value ? "true" : "false");
    }

    public void nullValue() {
        raw("null");
    }

    public void number(long value) {
        raw(Long.toString(value));
    }

    public void unsigned(long value) {
        raw(Long.toUnsignedString(value));
    }

    /** {@code jsonw_destroy}: the document ends with a newline. */
    public void finish() {
        out.append('\n');
    }
}
