package io.pontoon.core.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Strict JSON (RFC 8259), both ways, for the documents the broker reads and writes itself: SNS filter policies,
 * DeliveryPolicy and RedrivePolicy, notification envelopes.
 *
 * <p>Types: an object is a {@code LinkedHashMap<String, Object>} (keys in document order), an array an
 * {@code ArrayList<Object>}, a string a {@code String}, a number a {@code BigDecimal} (exact, so "1.10" keeps its
 * scale and no precision is lost), {@code true}/{@code false} a {@code Boolean}, and {@code null} the singleton
 * {@link #NULL}: a Java null would make "the key is absent" ({@code map.get} returns null) indistinguishable from
 * "the key is null".
 *
 * <p>Parsing refuses anything RFC 8259 does not allow (comments, trailing commas, single quotes, leading zeros,
 * NaN, raw control characters in strings, text after the value) and, beyond the RFC, duplicate object keys (which
 * one wins differs between parsers, so a policy that relies on either is ambiguous) and nesting deeper than
 * {@link #MAX_DEPTH} (the parser recurses; the bound keeps hostile input from exhausting the stack). Errors are
 * {@link IllegalArgumentException}s naming what was wrong and the character offset where.
 */
public final class Json {
    /** The most arrays and objects that may enclose one another. */
    public static final int MAX_DEPTH = 64;

    /** JSON null. */
    public static final Null NULL = Null.NULL;

    /** The type of {@link #NULL}: an enum so that it stays a singleton, even through serialisation. */
    public enum Null {
        NULL;

        @Override
        public String toString() {
            return "null";
        }
    }

    private final String s;
    private int pos;

    private Json(String s) {
        this.s = s;
    }

    /** One JSON value, with optional surrounding whitespace and nothing else. */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.ws();
        Object value = p.value(0);
        p.ws();
        if (p.pos != text.length()) {
            throw p.error("unexpected " + p.describe() + " after the value");
        }
        return value;
    }

    /**
     * Compact JSON for a value of the types {@link #parse} returns, plus Integer, Long and BigInteger, with any
     * {@code Map} (String keys, written in its iteration order) and any {@code List}. Strings escape {@code "} and
     * {@code \}, use the short forms {@code \b \f \n \r \t} (as common writers such as Jackson do, so that a message
     * body inside an envelope reads as usual) and write other control characters as {@code \}{@code u00XX}
     * (upper-case hex); '/' and non-ASCII are written as they are, except an unpaired surrogate, which is escaped so
     * that the text still encodes to UTF-8. A Java null, a floating-point number or
     * any other type is refused: each would either lose information or need a convention the reader cannot know.
     */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, int depth) {
        if (v instanceof String str) {
            quote(b, str);
        } else if (v instanceof BigDecimal || v instanceof BigInteger || v instanceof Long || v instanceof Integer) {
            b.append(v);
        } else if (v instanceof Boolean || v == NULL) {
            b.append(v);
        } else if (v instanceof Map<?, ?> map) {
            checkDepth(depth);
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("JSON object keys must be strings, not " + e.getKey());
                }
                b.append(first ? "" : ",");
                quote(b, key);
                b.append(':');
                write(b, e.getValue(), depth + 1);
                first = false;
            }
            b.append('}');
        } else if (v instanceof List<?> list) {
            checkDepth(depth);
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                b.append(i == 0 ? "" : ",");
                write(b, list.get(i), depth + 1);
            }
            b.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + (v == null ? "a Java null (use Json.NULL)" : v.getClass().getName()) + " as JSON");
        }
    }

    private static void checkDepth(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("JSON nesting deeper than " + MAX_DEPTH + " (or a cycle)");
        }
    }

    private static void quote(StringBuilder b, String v) {
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    boolean paired = Character.isHighSurrogate(c) ? i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))
                            : !Character.isLowSurrogate(c) || i > 0 && Character.isHighSurrogate(v.charAt(i - 1));
                    if (c < 0x20 || !paired) {
                        b.append("\\u").append(hex4(c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static String hex4(char c) {
        String h = Integer.toHexString(c).toUpperCase(Locale.ROOT);
        return "0".repeat(4 - h.length()) + h;
    }

    private Object value(int depth) {
        if (pos >= s.length()) {
            throw error("unexpected end of input, expected a value");
        }
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || c >= '0' && c <= '9') {
                    yield number();
                }
                throw error("unexpected " + describe() + ", expected a value");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        enter(depth);
        Map<String, Object> out = new LinkedHashMap<>();
        ws();
        if (peekIs('}')) {
            pos++;
            return out;
        }
        while (true) {
            ws();
            int keyAt = pos;
            if (!peekIs('"')) {
                throw error("unexpected " + describe() + ", expected a string key");
            }
            String key = string();
            ws();
            expect(':', "after an object key");
            ws();
            if (out.containsKey(key)) {
                throw new IllegalArgumentException("JSON: duplicate key " + write(key) + " at offset " + keyAt);
            }
            out.put(key, value(depth));
            ws();
            if (peekIs('}')) {
                pos++;
                return out;
            }
            expect(',', "or '}' in an object");
        }
    }

    private List<Object> array(int depth) {
        enter(depth);
        List<Object> out = new ArrayList<>();
        ws();
        if (peekIs(']')) {
            pos++;
            return out;
        }
        while (true) {
            ws();
            out.add(value(depth));
            ws();
            if (peekIs(']')) {
                pos++;
                return out;
            }
            expect(',', "or ']' in an array");
        }
    }

    private void enter(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        pos++;
    }

    private String string() {
        int start = pos++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("JSON: unterminated string starting at offset " + start);
            }
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return b.toString();
            }
            if (c < 0x20) {
                throw error("unescaped control character U+" + hex4(c) + " in a string");
            }
            if (c != '\\') {
                b.append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= s.length()) {
                throw error("unterminated escape");
            }
            char e = s.charAt(pos + 1);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    int code = 0;
                    for (int i = pos + 2; i < pos + 6; i++) {
                        int d = i < s.length() ? Character.digit(s.charAt(i), 16) : -1;
                        if (d < 0) {
                            throw error("\\u must be followed by four hex digits");
                        }
                        code = code * 16 + d;
                    }
                    b.append((char) code);
                    pos += 4;
                }
                default -> throw error("invalid escape \\" + e);
            }
            pos += 2;
        }
    }

    private BigDecimal number() {
        int start = pos;
        if (peekIs('-')) {
            pos++;
        }
        if (peekIs('0')) {
            pos++;
        } else {
            digits("a digit");
        }
        if (peekIs('.')) {
            pos++;
            digits("a digit after the decimal point");
        }
        if (peekIs('e') || peekIs('E')) {
            pos++;
            if (peekIs('+') || peekIs('-')) {
                pos++;
            }
            digits("a digit in the exponent");
        }
        try {
            return new BigDecimal(s.substring(start, pos));
        } catch (NumberFormatException overflow) {
            throw new IllegalArgumentException("JSON: number out of range at offset " + start);
        }
    }

    private void digits(String what) {
        int start = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == start) {
            throw error("unexpected " + describe() + ", expected " + what);
        }
    }

    private Object literal(String word, Object value) {
        if (!s.startsWith(word, pos)) {
            throw error("unexpected " + describe() + ", expected a value");
        }
        pos += word.length();
        return value;
    }

    private void ws() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private boolean peekIs(char c) {
        return pos < s.length() && s.charAt(pos) == c;
    }

    private void expect(char c, String where) {
        if (!peekIs(c)) {
            throw error("unexpected " + describe() + ", expected '" + c + "' " + where);
        }
        pos++;
    }

    private String describe() {
        if (pos >= s.length()) {
            return "end of input";
        }
        char c = s.charAt(pos);
        return c < 0x20 || c > 0x7e ? "character U+" + hex4(c) : "character '" + c + "'";
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON: " + what + " at offset " + pos);
    }
}
