package io.pontoon.chaos;

import java.util.List;
import java.util.Map;

/**
 * One history event, Jepsen style. {@code type} is invoke, ok, fail or info (outcome unknown);
 * {@code f} is send, receive or delete for the workload, and kill, restart, pause, resume for the nemesis.
 * {@code value} is a String (send: the body), a List of Strings (receive: bodies returned; delete: bodies
 * whose receipt handles were deleted), or null (receive invoke).
 *
 * @param time    nanoseconds since the start of the run
 * @param process "p0".."pN" producers, "c0".. consumers, "nemesis"
 */
public record Op(long time, String process, String type, String f, Object value, String error) {
    public static final String INVOKE = "invoke";
    public static final String OK = "ok";
    public static final String FAIL = "fail";
    public static final String INFO = "info";

    public Op(long time, String process, String type, String f, Object value) {
        this(time, process, type, f, value, null);
    }

    public String toJson() {
        StringBuilder b = new StringBuilder(96);
        b.append("{\"time\":").append(time)
                .append(",\"process\":").append(Json.quote(process))
                .append(",\"type\":").append(Json.quote(type))
                .append(",\"f\":").append(Json.quote(f))
                .append(",\"value\":").append(Json.value(value));
        if (error != null) b.append(",\"error\":").append(Json.quote(error));
        return b.append('}').toString();
    }

    public static Op fromJson(String line) {
        Map<String, Object> m = Json.parseObject(line);
        Object t = m.get("time");
        return new Op(t == null ? 0 : ((Number) t).longValue(), String.valueOf(m.get("process")),
                (String) m.get("type"), (String) m.get("f"), m.get("value"), (String) m.get("error"));
    }

    /** The value as a list of strings (a single string becomes a one-element list; null an empty one). */
    @SuppressWarnings("unchecked")
    public List<String> values() {
        if (value == null) return List.of();
        if (value instanceof List<?> l) return (List<String>) l;
        return List.of(value.toString());
    }
}
