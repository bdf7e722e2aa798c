package io.pontoon.core.topic.filter;

import io.pontoon.core.codec.Json;
import io.pontoon.core.codec.Utf8;
import io.pontoon.core.topic.filter.Condition.AnythingBut;
import io.pontoon.core.topic.filter.Condition.Equals;
import io.pontoon.core.topic.filter.Condition.EqualsIgnoreCase;
import io.pontoon.core.topic.filter.Condition.Exists;
import io.pontoon.core.topic.filter.Condition.InCidr;
import io.pontoon.core.topic.filter.Condition.Numeric;
import io.pontoon.core.topic.filter.Condition.Prefix;
import io.pontoon.core.topic.filter.Condition.Suffix;
import io.pontoon.core.topic.filter.Condition.Wildcard;
import io.pontoon.core.topic.filter.FilterPolicy.Field;
import io.pontoon.core.topic.filter.FilterPolicy.Leaf;
import io.pontoon.core.topic.filter.FilterPolicy.Nested;
import io.pontoon.core.topic.filter.FilterPolicy.Node;
import io.pontoon.core.topic.filter.FilterPolicy.Scope;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Policy text to {@link Node}, refusing what SNS refuses (AWS "Filter policy constraints"):
 * <ul>
 * <li>at most {@value #MAX_POLICY_BYTES} bytes of UTF-8 (256 KiB), strict JSON, a JSON object at the top;</li>
 * <li>at most {@value #MAX_KEYS} distinct keys, counting as AWS documents: in attribute scope every key, in body scope
 * the top-level keys only (keys nested under them do not count); the keys of top-level "$or" branches are top-level
 * keys;</li>
 * <li>at most {@value #MAX_COMBINATIONS} combinations: the product over keys of the number of conditions in each
 * key's array (nested keys included), an "$or" contributing the sum of its branches' products;</li>
 * <li>numbers between -10^9 and 10^9 with at most {@value #MAX_DECIMALS} decimal places;</li>
 * <li>every key's value an array of conditions, or (body scope only) a nested object; no empty array or object;</li>
 * <li>only the documented operators, each with the argument shape AWS documents.</li>
 * </ul>
 * "$or" is the OR operator only where AWS recognises it: an array of at least two objects none of whose keys is an
 * operator name; anywhere else it is an ordinary key, as in SNS.
 */
final class PolicyCompiler {
    static final int MAX_POLICY_BYTES = 256 * 1024;
    static final int MAX_KEYS = 5;
    static final long MAX_COMBINATIONS = 150;
    static final int MAX_DECIMALS = 5;
    /** AWS documents no number; a bound keeps one value from being arbitrarily costly to match. */
    static final int MAX_WILDCARDS = 3;
    private static final BigDecimal MAX_MAGNITUDE = BigDecimal.valueOf(1_000_000_000);
    private static final Set<String> OPERATORS = Set.of("prefix", "suffix", "equals-ignore-case", "wildcard", "exists", "cidr", "numeric", "anything-but");

    private final Scope scope;

    private PolicyCompiler(Scope scope) {
        this.scope = scope;
    }

    static Node compile(String json, Scope scope) {
        if (json == null) {
            throw fail("the policy is missing");
        }
        long bytes = Utf8.length(json);
        if (bytes > MAX_POLICY_BYTES) {
            throw fail("the policy is " + bytes + " bytes; at most " + MAX_POLICY_BYTES + " (256 KiB) are allowed");
        }
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw fail("malformed JSON: " + e.getMessage().replaceFirst("^JSON: ", ""));
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw fail("the policy must be a JSON object, not " + describe(parsed));
        }
        Node root = new PolicyCompiler(scope).node(map, List.of(), null);
        Set<String> keys = new LinkedHashSet<>();
        topLevelKeys(root, keys);
        if (keys.size() > MAX_KEYS) {
            throw fail("too many keys: " + keys.size() + " " + Json.write(List.copyOf(keys)) + "; at most " + MAX_KEYS + " are allowed");
        }
        long combinations = combinations(root);
        if (combinations > MAX_COMBINATIONS) {
            throw fail("too many combinations: " + (combinations == Long.MAX_VALUE ? "more than 2^63" : combinations)
                    + " (the product of the number of values of each key, an $or adding up its branches); at most " + MAX_COMBINATIONS + " are allowed");
        }
        return root;
    }

    /** @param emptyRefusal why an empty object is refused here, or null where it is allowed (the whole policy: no filter) */
    private Node node(Map<?, ?> object, List<String> path, String emptyRefusal) {
        if (object.isEmpty() && emptyRefusal != null) {
            throw fail(path, emptyRefusal);
        }
        List<Field> fields = new ArrayList<>();
        List<List<Node>> ors = new ArrayList<>();
        for (Map.Entry<?, ?> e : object.entrySet()) {
            String key = (String) e.getKey();
            Object value = e.getValue();
            List<String> keyPath = append(path, key);
            if (key.equals("$or") && isOr(value)) {
                List<Node> branches = new ArrayList<>();
                for (Object branch : (List<?>) value) {
                    branches.add(node((Map<?, ?>) branch, path, "an \"$or\" branch is an empty object"));
                }
                ors.add(List.copyOf(branches));
            } else if (value instanceof List<?> list) {
                fields.add(new Leaf(key, conditions(list, keyPath)));
            } else if (value instanceof Map<?, ?> nested) {
                if (scope == Scope.MESSAGE_ATTRIBUTES) {
                    throw fail(keyPath, "a nested object is not allowed when the scope is MessageAttributes (only MessageBody); give an array of conditions");
                }
                fields.add(new Nested(key, node(nested, keyPath, "an empty nested object")));
            } else {
                throw fail(keyPath, "the value must be an array of conditions" + (scope == Scope.MESSAGE_BODY ? " or a nested object" : "")
                        + ", not " + describe(value));
            }
        }
        return new Node(List.copyOf(fields), List.copyOf(ors));
    }

    private static boolean isOr(Object value) {
        if (!(value instanceof List<?> list) || list.size() < 2) {
            return false;
        }
        for (Object branch : list) {
            if (!(branch instanceof Map<?, ?> m) || m.keySet().stream().anyMatch(OPERATORS::contains)) {
                return false;
            }
        }
        return true;
    }

    private List<Condition> conditions(List<?> array, List<String> path) {
        if (array.isEmpty()) {
            throw fail(path, "the array of conditions is empty");
        }
        List<Condition> out = new ArrayList<>();
        for (Object element : array) {
            out.add(switch (element) {
                case String s -> new Equals(s);
                case BigDecimal n -> new Equals(number(n, path));
                case Boolean b -> new Equals(b);
                case Json.Null n -> new Equals(n);
                case Map<?, ?> m -> operator(m, path);
                default -> throw fail(path, "an array inside the array of conditions is not allowed: " + describe(element));
            });
        }
        return List.copyOf(out);
    }

    private Condition operator(Map<?, ?> object, List<String> path) {
        if (object.size() != 1) {
            throw fail(path, object.isEmpty() ? "an empty operator object {}"
                    : "an operator object must have exactly one key, not " + Json.write(List.copyOf(object.keySet())));
        }
        Map.Entry<?, ?> e = object.entrySet().iterator().next();
        String op = (String) e.getKey();
        Object arg = e.getValue();
        return switch (op) {
            case "prefix" -> new Prefix(string(op, arg, path));
            case "suffix" -> new Suffix(string(op, arg, path));
            case "equals-ignore-case" -> new EqualsIgnoreCase(string(op, arg, path));
            case "wildcard" -> wildcard(string(op, arg, path), path);
            case "exists" -> {
                if (!(arg instanceof Boolean b)) {
                    throw fail(path, "\"exists\" takes true or false, not " + describe(arg));
                }
                yield new Exists(b);
            }
            case "cidr" -> {
                String text = string(op, arg, path);
                try {
                    yield new InCidr(Cidr.parse(text));
                } catch (IllegalArgumentException bad) {
                    throw fail(path, "\"cidr\" " + Json.write(text) + " is not a CIDR block: " + bad.getMessage());
                }
            }
            case "numeric" -> numeric(arg, path);
            case "anything-but" -> anythingBut(arg, path);
            default -> throw fail(path, "unknown operator " + Json.write(op) + " (known: " + String.join(", ", OPERATORS.stream().sorted().toList()) + ")");
        };
    }

    private static String string(String op, Object arg, List<String> path) {
        if (!(arg instanceof String s)) {
            throw fail(path, Json.write(op) + " takes a string, not " + describe(arg));
        }
        return s;
    }

    /** '*' matches any run of characters; "\*" is a literal star and "\\" a literal backslash. */
    private static Wildcard wildcard(String pattern, List<String> path) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean afterStar = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (afterStar) {
                    throw fail(path, "\"wildcard\" " + Json.write(pattern) + ": consecutive '*' characters are not allowed");
                }
                parts.add(part.toString());
                part.setLength(0);
                afterStar = true;
                continue;
            }
            if (c == '\\') {
                if (i + 1 >= pattern.length() || pattern.charAt(i + 1) != '*' && pattern.charAt(i + 1) != '\\') {
                    throw fail(path, "\"wildcard\" " + Json.write(pattern) + ": a backslash may only escape '*' or '\\'");
                }
                c = pattern.charAt(++i);
            }
            part.append(c);
            afterStar = false;
        }
        parts.add(part.toString());
        if (parts.size() - 1 > MAX_WILDCARDS) {
            throw fail(path, "\"wildcard\" " + Json.write(pattern) + " has " + (parts.size() - 1) + " '*' characters; at most " + MAX_WILDCARDS + " are allowed");
        }
        return new Wildcard(pattern, List.copyOf(parts));
    }

    private static Numeric numeric(Object arg, List<String> path) {
        if (!(arg instanceof List<?> list) || list.isEmpty() || list.size() % 2 != 0 || list.size() > 4) {
            throw fail(path, "\"numeric\" takes one or two operator-number pairs, like [\">\", 0, \"<=\", 150], not " + describe(arg));
        }
        BigDecimal lower = null;
        BigDecimal upper = null;
        boolean lowerInclusive = false;
        boolean upperInclusive = false;
        for (int i = 0; i < list.size(); i += 2) {
            if (!(list.get(i) instanceof String op) || !Set.of("=", "<", "<=", ">", ">=").contains(op)) {
                throw fail(path, "numeric operator " + describe(list.get(i)) + " is not one of =, <, <=, >, >=");
            }
            if (!(list.get(i + 1) instanceof BigDecimal n)) {
                throw fail(path, "numeric operator \"" + op + "\" must be followed by a number, not " + describe(list.get(i + 1)));
            }
            number(n, path);
            switch (op) {
                case "=" -> {
                    if (list.size() != 2) {
                        throw fail(path, "numeric \"=\" cannot be combined with another operator");
                    }
                    lower = upper = n;
                    lowerInclusive = upperInclusive = true;
                }
                case ">", ">=" -> {
                    if (lower != null) {
                        throw fail(path, "numeric range has two lower bounds");
                    }
                    lower = n;
                    lowerInclusive = op.equals(">=");
                }
                default -> {
                    if (upper != null) {
                        throw fail(path, "numeric range has two upper bounds");
                    }
                    upper = n;
                    upperInclusive = op.equals("<=");
                }
            }
        }
        if (lower != null && upper != null) {
            int c = lower.compareTo(upper);
            if (c > 0) {
                throw fail(path, "numeric range lower bound " + lower + " is above upper bound " + upper);
            }
            if (c == 0 && !(lowerInclusive && upperInclusive)) {
                throw fail(path, "numeric range " + Json.write(list) + " contains no number");
            }
        }
        return new Numeric(lower, lowerInclusive, upper, upperInclusive);
    }

    private static AnythingBut anythingBut(Object arg, List<String> path) {
        List<Condition> excluded = new ArrayList<>();
        switch (arg) {
            case String s -> excluded.add(new Equals(s));
            case BigDecimal n -> excluded.add(new Equals(number(n, path)));
            case List<?> list when !list.isEmpty() && list.stream().allMatch(String.class::isInstance) -> list.forEach(s -> excluded.add(new Equals(s)));
            case List<?> list when !list.isEmpty() && list.stream().allMatch(BigDecimal.class::isInstance) ->
                    list.forEach(n -> excluded.add(new Equals(number((BigDecimal) n, path))));
            case Map<?, ?> m when m.size() == 1 -> {
                Map.Entry<?, ?> e = m.entrySet().iterator().next();
                String op = (String) e.getKey();
                Object inner = e.getValue();
                switch (op) {
                    case "prefix" -> excluded.add(new Prefix(string(op, inner, path)));
                    case "suffix" -> excluded.add(new Suffix(string(op, inner, path)));
                    case "wildcard" -> excluded.add(wildcard(string(op, inner, path), path));
                    case "equals-ignore-case" -> {
                        if (inner instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(String.class::isInstance)) {
                            list.forEach(s -> excluded.add(new EqualsIgnoreCase((String) s)));
                        } else {
                            excluded.add(new EqualsIgnoreCase(string(op, inner, path)));
                        }
                    }
                    default -> throw fail(path, "\"anything-but\" cannot be combined with " + Json.write(op)
                            + " (only prefix, suffix, wildcard, equals-ignore-case)");
                }
            }
            default -> throw fail(path, "\"anything-but\" takes a string, a number, a non-empty list of strings or of numbers,"
                    + " or {\"prefix\"|\"suffix\"|\"wildcard\"|\"equals-ignore-case\": ...}; not " + describe(arg));
        }
        return new AnythingBut(List.copyOf(excluded));
    }

    private static BigDecimal number(BigDecimal n, List<String> path) {
        if (n.abs().compareTo(MAX_MAGNITUDE) > 0) {
            throw fail(path, "number " + n + " is outside the range -1000000000 to 1000000000");
        }
        if (n.stripTrailingZeros().scale() > MAX_DECIMALS) {
            throw fail(path, "number " + n + " has more than " + MAX_DECIMALS + " decimal places");
        }
        return n;
    }

    private static void topLevelKeys(Node node, Set<String> out) {
        node.fields().forEach(f -> out.add(f.name()));
        node.ors().forEach(branches -> branches.forEach(b -> topLevelKeys(b, out)));
    }

    /** Saturating at Long.MAX_VALUE: "$or" branches nested in "$or" branches could otherwise overflow. */
    private static long combinations(Node node) {
        long product = 1;
        for (Field f : node.fields()) {
            product = times(product, switch (f) {
                case Leaf leaf -> leaf.anyOf().size();
                case Nested nested -> combinations(nested.node());
            });
        }
        for (List<Node> branches : node.ors()) {
            long sum = 0;
            for (Node b : branches) {
                long c = combinations(b);
                sum = sum > Long.MAX_VALUE - c ? Long.MAX_VALUE : sum + c;
            }
            product = times(product, sum);
        }
        return product;
    }

    private static long times(long a, long b) {
        return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
    }

    private static List<String> append(List<String> path, String key) {
        List<String> out = new ArrayList<>(path);
        out.add(key);
        return out;
    }

    private static String describe(Object value) {
        String json = Json.write(value);
        return json.length() <= 60 ? json : json.substring(0, 57) + "...";
    }

    private static FilterPolicyException fail(String message) {
        return new FilterPolicyException("FilterPolicy: " + message);
    }

    private static FilterPolicyException fail(List<String> path, String message) {
        return path.isEmpty() ? fail(message) : fail(Json.write(String.join(".", path)) + ": " + message);
    }
}
