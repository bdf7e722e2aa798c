package io.pontoon.gateway.query;

import java.util.Map;
import java.util.TreeMap;

/**
 * A Query protocol form's dotted parameter names ({@code Attributes.entry.1.key}) as a tree of nested maps with
 * string leaves, the first step of reading a form into the JSON protocol's shape. How the tree's numbered branches
 * become lists and maps is each service's own rule: SQS flattens them ({@code Attribute.1.Name}), SNS wraps them
 * ({@code Tags.member.1.Key}, {@code Attributes.entry.1.key}).
 */
public final class FormTree {
    private static final int MAX_INDEX = 1_000;

    private FormTree() {
    }

    /** Thrown for a form whose names do not make a tree, or whose numbered members are not numbered. */
    public static final class FormException extends RuntimeException {
        public FormException(String message) {
            super(message);
        }
    }

    /** @param params every parameter but Action and Version, each given once */
    public static Map<String, Object> of(Map<String, String> params) {
        Map<String, Object> tree = new TreeMap<>();
        params.forEach((name, value) -> put(tree, name.split("\\.", -1), 0, value, name));
        return tree;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, String[] path, int i, String value, String name) {
        if (path[i].isEmpty()) {
            throw new FormException("The parameter " + name + " is not a valid name.");
        }
        if (i == path.length - 1) {
            if (tree.putIfAbsent(path[i], value) != null) {
                throw new FormException("The parameter " + name + " conflicts with another parameter.");
            }
            return;
        }
        Object child = tree.computeIfAbsent(path[i], k -> new TreeMap<String, Object>());
        if (!(child instanceof Map)) {
            throw new FormException("The parameter " + name + " conflicts with another parameter.");
        }
        put((Map<String, Object>) child, path, i + 1, value, name);
    }

    /** The branches {@code name.1}, {@code name.2}, ... of {@code node} in the order of their numbers (1 to 1000). */
    @SuppressWarnings("unchecked")
    public static Map<Integer, Object> numbered(String name, Object node) {
        if (!(node instanceof Map)) {
            throw new FormException("The parameter " + name + " must be numbered: " + name + ".1, " + name + ".2, ...");
        }
        Map<Integer, Object> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) node).entrySet()) {
            int n;
            try {
                n = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw new FormException("The parameter " + name + "." + e.getKey() + " must be numbered: " + name + ".1, " + name + ".2, ...");
            }
            if (n < 1 || n > MAX_INDEX) {
                throw new FormException("The parameter " + name + "." + n + " is out of range (1 to " + MAX_INDEX + ").");
            }
            out.put(n, e.getValue());
        }
        return out;
    }
}
