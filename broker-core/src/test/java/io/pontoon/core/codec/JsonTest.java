package io.pontoon.core.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class JsonTest {

    @Test
    void parsesEveryTypeKeepingOrderAndExactNumbers() {
        Object v = Json.parse(" {\"z\": 1.10, \"a\": [true, false, null, \"s\"], \"m\": {}, \"e\": -2.5E+3, \"n\": []} ");
        Map<?, ?> m = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(List.of("z", "a", "m", "e", "n"), new ArrayList<>(m.keySet()));
        assertEquals(new BigDecimal("1.10"), m.get("z"), "scale kept");
        assertEquals(2, ((BigDecimal) m.get("z")).scale());
        assertEquals(List.of(true, false, Json.NULL, "s"), m.get("a"));
        assertInstanceOf(ArrayList.class, m.get("a"));
        assertEquals(Map.of(), m.get("m"));
        assertEquals(0, new BigDecimal("-2500").compareTo((BigDecimal) m.get("e")));
        assertEquals(List.of(), m.get("n"));
        assertSame(Json.NULL, Json.parse("null"));
        assertEquals("null", Json.NULL.toString());
        assertEquals("x", Json.parse("\"x\""));
        assertEquals(new BigDecimal("0"), Json.parse("0"));
        assertEquals(new BigDecimal("-0.5e-7"), Json.parse("-0.5e-7"));
        assertEquals(new BigDecimal("123456789012345678901234567890.123456789"), Json.parse("123456789012345678901234567890.123456789"));
    }

    static Stream<Arguments> roundTrips() {
        return Stream.of(
                arguments("{}"), arguments("[]"), arguments("\"\""), arguments("0"), arguments("-1.50"), arguments("1E+400"),
                arguments("true"), arguments("false"), arguments("null"),
                arguments("{\"b\":1,\"a\":[1,\"two\",{\"x\":null}],\"c\":{\"d\":{\"e\":[[],{}]}}}"),
                arguments("\"quote \\\" backslash \\\\ slash / newline \\n tab \\t cr \\r bs \\b ff \\f nul \\u0000 us \\u001F\""),
                arguments("\"caf\u00e9 \u4e2d\u6587 \ud83d\ude00 \u2028\""),
                arguments("\"lone \\uD800 and \\uDC00\""));
    }

    @ParameterizedTest(name = "write(parse({0})) gives it back")
    @MethodSource("roundTrips")
    void compactTextRoundTrips(String text) {
        assertEquals(text, Json.write(Json.parse(text)));
        assertEquals(Json.parse(text), Json.parse(Json.write(Json.parse(text))));
    }

    @Test
    void writesJavaValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Type", "Notification");
        m.put("n", 42);
        m.put("l", 9_000_000_000L);
        m.put("big", new BigInteger("123456789012345678901234567890"));
        m.put("d", new BigDecimal("1.50"));
        m.put("list", List.of(1, "a", Json.NULL, false));
        assertEquals("{\"Type\":\"Notification\",\"n\":42,\"l\":9000000000,\"big\":123456789012345678901234567890,\"d\":1.50,"
                + "\"list\":[1,\"a\",null,false]}", Json.write(m));
    }

    @Test
    void escapesOnlyWhatMustBeEscaped() {
        assertEquals("\"a\\\"b\\\\c/d\"", Json.write("a\"b\\c/d"), "quote and backslash escaped, slash not");
        assertEquals("\"\\n\\r\\t\\b\\f\\u0000\\u0001\\u001F\u007f\"", Json.write("\n\r\t\b\f\u0000\u0001\u001f\u007f"));
        assertEquals("\"\u00e9\u4e2d\ud83d\ude00\u2028\"", Json.write("\u00e9\u4e2d\ud83d\ude00\u2028"), "non-ASCII written as is");
        assertEquals("\"\\uD800x\\uDC00\"", Json.write("\ud800x\udc00"), "unpaired surrogates escaped so the text encodes to UTF-8");
        assertEquals("\"\\uDC00\ud83d\ude00\"", Json.write("\udc00\ud83d\ude00"));
    }

    @Test
    void decodesEscapesAndUnicode() {
        assertEquals("\"\\/\b\f\n\r\t", Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""));
        assertEquals("\u00e9\ud83d\ude00", Json.parse("\"\\u00e9\\uD83D\\ude00\""));
        assertEquals("\u00e9\ud83d\ude00", Json.parse("\"\u00e9\ud83d\ude00\""));
        assertEquals("\u2028\u007f", Json.parse("\"\u2028\u007f\""), "only U+0000..U+001F must be escaped");
    }

    @Test
    void refusesWhatItCannotWrite() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(1.5d));
        assertThrows(IllegalArgumentException.class, () -> Json.write(1.5f));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Json.write(null)).getMessage().contains("Json.NULL"));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "a")));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThrows(IllegalArgumentException.class, () -> Json.write(cycle));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments("", "end of input, expected a value at offset 0"),
                arguments("   ", "at offset 3"),
                arguments("{", "expected a string key at offset 1"),
                arguments("{\"a\"", "expected ':' after an object key at offset 4"),
                arguments("{\"a\" 1}", "expected ':' after an object key at offset 5"),
                arguments("{a:1}", "unexpected character 'a', expected a string key at offset 1"),
                arguments("{'a':1}", "at offset 1"),
                arguments("{\"a\":1,}", "expected a string key at offset 7"),
                arguments("{\"a\":1 \"b\":2}", "expected ',' or '}' in an object at offset 7"),
                arguments("[1,]", "expected a value at offset 3"),
                arguments("[1 2]", "expected ',' or ']' in an array at offset 3"),
                arguments("[", "end of input, expected a value at offset 1"),
                arguments("1 2", "after the value at offset 2"),
                arguments("{} x", "after the value at offset 3"),
                arguments("01", "unexpected character '1' after the value at offset 1"),
                arguments("-", "expected a digit at offset 1"),
                arguments("+1", "unexpected character '+', expected a value at offset 0"),
                arguments("1.", "expected a digit after the decimal point at offset 2"),
                arguments(".5", "at offset 0"),
                arguments("1e", "expected a digit in the exponent at offset 2"),
                arguments("1e+", "expected a digit in the exponent at offset 3"),
                arguments("1e99999999999", "number out of range at offset 0"),
                arguments("NaN", "at offset 0"),
                arguments("Infinity", "at offset 0"),
                arguments("tru", "at offset 0"),
                arguments("nul", "at offset 0"),
                arguments("True", "at offset 0"),
                arguments("\"abc", "unterminated string starting at offset 0"),
                arguments("[\"a\nb\"]", "unescaped control character U+000A in a string at offset 3"),
                arguments("\"a\tb\"", "unescaped control character U+0009"),
                arguments("\"\\x\"", "invalid escape \\x at offset 1"),
                arguments("\"\\u12G4\"", "\\u must be followed by four hex digits at offset 1"),
                arguments("\"\\u12\"", "four hex digits"),
                arguments("\"\\", "unterminated escape at offset 1"),
                arguments("/* c */ 1", "at offset 0"),
                arguments("[1]\u00a0", "unexpected character U+00A0 after the value at offset 3"),
                arguments("{\"a\":1,\"a\":2}", "duplicate key \"a\" at offset 7"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("malformed")
    void malformedInputSaysWhatAndWhere(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().startsWith("JSON: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "message \"" + e.getMessage() + "\" lacks \"" + expected + "\"");
    }

    @Test
    void depthIsLimitedTo64() {
        assertEquals(64, Json.MAX_DEPTH);
        String ok = "[".repeat(64) + "]".repeat(64);
        Object parsed = Json.parse(ok);
        assertEquals(ok, Json.write(parsed));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(65) + "]".repeat(65)));
        assertEquals("JSON: nesting deeper than 64 at offset 64", e.getMessage());
        String objects = "{\"a\":".repeat(64) + "1" + "}".repeat(64);
        assertEquals(objects, Json.write(Json.parse(objects)));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":".repeat(65) + "1" + "}".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(100_000)), "deep input fails fast, no StackOverflowError");
        Object deep = List.of();
        for (int i = 0; i < 64; i++) {
            deep = List.of(deep);
        }
        Object tooDeep = deep;
        assertThrows(IllegalArgumentException.class, () -> Json.write(tooDeep));
    }
}
