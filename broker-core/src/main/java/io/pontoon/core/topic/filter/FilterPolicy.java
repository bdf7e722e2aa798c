package io.pontoon.core.topic.filter;

import io.pontoon.core.codec.Json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An SNS subscription filter policy, compiled once (on Subscribe / SetSubscriptionAttributes, or when a node loads
 * the subscription) and then matched against every published message without looking at the policy text again.
 *
 * <p>A policy is an object of keys; the message matches when every key matches (AND) and, for every {@code "$or"},
 * at least one of its branches matches. A key matches when any condition in its array matches (OR). What the
 * conditions are and which policies are refused is in {@link PolicyCompiler}; how one condition treats a value, in
 * {@link Condition}. Instances are immutable and safe to share between threads.
 */
public final class FilterPolicy {
    /** Which part of a message the policy looks at: the subscription's FilterPolicyScope attribute. */
    public enum Scope { MESSAGE_ATTRIBUTES, MESSAGE_BODY }

    /**
     * A message attribute as published. {@code dataType} is "String", "Number", "Binary" or "String.Array", optionally
     * with a custom suffix ("Number.int"); for Binary, {@code stringValue} is ignored.
     */
    public record Attribute(String dataType, String stringValue) {
    }

    /** A policy object: its keys (all must match) and its "$or" groups (one branch of each must match). */
    record Node(List<Field> fields, List<List<Node>> ors) {
    }

    sealed interface Field {
        String name();
    }

    /** A key with its array of conditions. */
    record Leaf(String name, List<Condition> anyOf) implements Field {
    }

    /** A body key whose value is a nested policy object. */
    record Nested(String name, Node node) implements Field {
    }

    private record Values(boolean present, List<Object> values) {
    }

    private static final Values ABSENT = new Values(false, List.of());

    private final Scope scope;
    private final Node root;

    private FilterPolicy(Scope scope, Node root) {
        this.scope = scope;
        this.root = root;
    }

    /** @throws FilterPolicyException when SNS would refuse the policy, naming the offending part */
    public static FilterPolicy compile(String policyJson, Scope scope) {
        Objects.requireNonNull(scope, "scope");
        return new FilterPolicy(scope, PolicyCompiler.compile(policyJson, scope));
    }

    public Scope scope() {
        return scope;
    }

    /** For a MESSAGE_ATTRIBUTES policy: the attributes by name (a message without attributes passes an empty map). */
    public boolean matchesAttributes(Map<String, Attribute> attributes) {
        requireScope(Scope.MESSAGE_ATTRIBUTES);
        return matches(root, attributes, false);
    }

    /**
     * For a MESSAGE_BODY policy: the body as {@link Json#parse} returns it. A body that is not a JSON object (or was
     * not JSON at all: pass anything else) matches nothing, as in SNS.
     */
    public boolean matchesBody(Object parsedJsonBody) {
        requireScope(Scope.MESSAGE_BODY);
        return parsedJsonBody instanceof Map<?, ?> body && matches(root, body, true);
    }

    private void requireScope(Scope expected) {
        if (scope != expected) {
            throw new IllegalStateException("this filter policy has scope " + scope + ", not " + expected);
        }
    }

    private static boolean matches(Node node, Map<?, ?> source, boolean body) {
        for (Field field : node.fields()) {
            Object value = source.get(field.name());
            boolean ok = switch (field) {
                case Leaf leaf -> matches(leaf.anyOf(), body ? bodyValues(value) : attributeValues((Attribute) value));
                case Nested nested -> matchesNested(nested.node(), value);
            };
            if (!ok) {
                return false;
            }
        }
        for (List<Node> branches : node.ors()) {
            boolean any = false;
            for (Node branch : branches) {
                if (matches(branch, source, body)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(List<Condition> anyOf, Values v) {
        for (Condition c : anyOf) {
            if (c.matches(v.present(), v.values())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A nested policy object is matched against each object under the key (an array of objects gives several), so
     * that keys of one nested object must all match within the same element. With no object there at all, its keys
     * are all absent: only {@code "exists": false} conditions can then hold.
     */
    private static boolean matchesNested(Node node, Object value) {
        List<Map<?, ?>> objects = new ArrayList<>();
        collectObjects(value, objects);
        if (objects.isEmpty()) {
            return matches(node, Map.of(), true);
        }
        for (Map<?, ?> object : objects) {
            if (matches(node, object, true)) {
                return true;
            }
        }
        return false;
    }

    private static void collectObjects(Object value, List<Map<?, ?>> out) {
        if (value instanceof Map<?, ?> m) {
            out.add(m);
        } else if (value instanceof List<?> list) {
            list.forEach(e -> collectObjects(e, out));
        }
    }

    /** The scalars under a body key, arrays flattened. An object is not a value (exists applies to leaves only). */
    private static Values bodyValues(Object value) {
        if (value == null) {
            return ABSENT;
        }
        List<Object> out = new ArrayList<>();
        collectScalars(value, out);
        return out.isEmpty() ? ABSENT : new Values(true, out);
    }

    private static void collectScalars(Object value, List<Object> out) {
        if (value instanceof List<?> list) {
            list.forEach(e -> collectScalars(e, out));
        } else if (!(value instanceof Map<?, ?>)) {
            out.add(value);
        }
    }

    /**
     * SNS compares policies with String, Number and String.Array attributes only: a Binary attribute (or one of an
     * unknown type, or a Number or String.Array whose value does not parse) is present for {@code exists} but has
     * no value to compare.
     */
    private static Values attributeValues(Attribute a) {
        if (a == null) {
            return ABSENT;
        }
        String type = a.dataType() == null ? "" : a.dataType();
        String base = type.equals("String.Array") ? type : type.substring(0, type.indexOf('.') < 0 ? type.length() : type.indexOf('.'));
        String text = a.stringValue();
        List<Object> values = new ArrayList<>();
        if (text != null) {
            switch (base) {
                case "String" -> values.add(text);
                case "Number" -> {
                    try {
                        values.add(new BigDecimal(text));
                    } catch (NumberFormatException notANumber) {
                        // no value to compare
                    }
                }
                case "String.Array" -> {
                    try {
                        if (Json.parse(text) instanceof List<?> elements) {
                            for (Object e : elements) {
                                if (!(e instanceof List<?>) && !(e instanceof Map<?, ?>)) {
                                    values.add(e);
                                }
                            }
                        }
                    } catch (IllegalArgumentException notAnArray) {
                        // no value to compare
                    }
                }
                default -> {
                }
            }
        }
        return new Values(true, values);
    }

    @Override
    public String toString() {
        return "FilterPolicy[" + scope + ", " + root + "]";
    }
}
