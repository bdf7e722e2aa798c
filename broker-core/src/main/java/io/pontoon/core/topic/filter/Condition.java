package io.pontoon.core.topic.filter;

import io.pontoon.core.codec.Json;

import java.math.BigDecimal;
import java.util.List;

/**
 * One element of a key's array in a filter policy. A key matches when any of its conditions matches the key's
 * values: the scalars found under it in the message (String, BigDecimal, Boolean or {@link Json#NULL}; several for a
 * String.Array attribute or a body array).
 */
sealed interface Condition {
    /** Whether one value satisfies the condition; a value of the wrong type never does. */
    boolean test(Object value);

    /**
     * Whether the key satisfies the condition. {@code present} can be true with no values: a Binary attribute is
     * there, but SNS compares nothing against it.
     */
    default boolean matches(boolean present, List<Object> values) {
        for (Object v : values) {
            if (test(v)) {
                return true;
            }
        }
        return false;
    }

    /** A bare string, number, boolean or null in the policy's array. Numbers compare by value: 5 equals 5.0. */
    record Equals(Object literal) implements Condition {
        @Override
        public boolean test(Object value) {
            return literal instanceof BigDecimal n ? value instanceof BigDecimal v && n.compareTo(v) == 0 : literal.equals(value);
        }
    }

    record Prefix(String prefix) implements Condition {
        @Override
        public boolean test(Object value) {
            return value instanceof String s && s.startsWith(prefix);
        }
    }

    record Suffix(String suffix) implements Condition {
        @Override
        public boolean test(Object value) {
            return value instanceof String s && s.endsWith(suffix);
        }
    }

    record EqualsIgnoreCase(String expected) implements Condition {
        @Override
        public boolean test(Object value) {
            return value instanceof String s && s.equalsIgnoreCase(expected);
        }
    }

    /**
     * {@code parts} are the literal runs between the '*'s (so n stars give n + 1 parts, possibly empty). With only
     * '*' as a metacharacter, placing each middle part at its leftmost occurrence is never worse than any other
     * placement, so one left-to-right pass decides: no backtracking, no regex.
     */
    record Wildcard(String pattern, List<String> parts) implements Condition {
        @Override
        public boolean test(Object value) {
            if (!(value instanceof String s)) {
                return false;
            }
            String first = parts.getFirst();
            if (parts.size() == 1) {
                return s.equals(first);
            }
            String last = parts.getLast();
            int end = s.length() - last.length();
            if (end < first.length() || !s.startsWith(first) || !s.endsWith(last)) {
                return false;
            }
            int at = first.length();
            for (String part : parts.subList(1, parts.size() - 1)) {
                int found = s.indexOf(part, at);
                if (found < 0 || found + part.length() > end) {
                    return false;
                }
                at = found + part.length();
            }
            return true;
        }
    }

    /** A null bound is open. {@code "="} is the range [n, n]. */
    record Numeric(BigDecimal lower, boolean lowerInclusive, BigDecimal upper, boolean upperInclusive) implements Condition {
        @Override
        public boolean test(Object value) {
            if (!(value instanceof BigDecimal v)) {
                return false;
            }
            if (lower != null) {
                int c = v.compareTo(lower);
                if (c < 0 || c == 0 && !lowerInclusive) {
                    return false;
                }
            }
            if (upper != null) {
                int c = v.compareTo(upper);
                return c < 0 || c == 0 && upperInclusive;
            }
            return true;
        }
    }

    record InCidr(Cidr block) implements Condition {
        @Override
        public boolean test(Object value) {
            return value instanceof String s && block.contains(s);
        }
    }

    /**
     * Matches a key that has values and none of them is excluded: AWS documents that a String.Array attribute
     * matches only if none of its elements is listed, so a single excluded element rejects the whole key. A value of
     * another type than the excluded ones (a number against a list of strings) is not excluded.
     */
    record AnythingBut(List<Condition> excluded) implements Condition {
        @Override
        public boolean test(Object value) {
            for (Condition c : excluded) {
                if (c.test(value)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean matches(boolean present, List<Object> values) {
            if (values.isEmpty()) {
                return false;
            }
            for (Object v : values) {
                if (!test(v)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** About the key, not its values: {@code false} is the one condition an absent key satisfies. */
    record Exists(boolean expected) implements Condition {
        @Override
        public boolean test(Object value) {
            return expected;
        }

        @Override
        public boolean matches(boolean present, List<Object> values) {
            return present == expected;
        }
    }
}
