package io.pontoon.gateway.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * The SQS Query protocol's flattened parameters ({@code Attribute.1.Name=VisibilityTimeout},
 * {@code SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue=...}) read into the JSON protocol's
 * shape ({@code "Attributes": {"VisibilityTimeout": ...}}), so that one path serves both. Lists and maps are named
 * in the singular in the form and numbered from 1; the SQS model says which is which.
 */
final class QueryForm {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Flattened list members: form name → JSON member. */
    private static final Map<String, String> LISTS = Map.of(
            "AttributeName", "AttributeNames",
            "MessageSystemAttributeName", "MessageSystemAttributeNames",
            "MessageAttributeName", "MessageAttributeNames",
            "TagKey", "TagKeys",
            "SendMessageBatchRequestEntry", "Entries",
            "DeleteMessageBatchRequestEntry", "Entries",
            "ChangeMessageVisibilityBatchRequestEntry", "Entries");
    /** Flattened map members: form name → JSON member and the names of an entry's key and value. */
    private record MapMember(String json, String key, String value) {
    }

    private static final Map<String, MapMember> MAPS = Map.of(
            "Attribute", new MapMember("Attributes", "Name", "Value"),
            "Tag", new MapMember("Tags", "Key", "Value"),
            "MessageAttribute", new MapMember("MessageAttributes", "Name", "Value"),
            "MessageSystemAttribute", new MapMember("MessageSystemAttributes", "Name", "Value"));

    private QueryForm() {
    }

    /** Thrown for a form whose numbered members are not a list or map of the expected shape. */
    static final class FormException extends RuntimeException {
        FormException(String message) {
            super(message);
        }
    }

    /** @param params every parameter but Action and Version, each given once */
    static ObjectNode read(String action, Map<String, String> params) {
        Map<String, Object> tree = new TreeMap<>();
        params.forEach((name, value) -> put(tree, name.split("\\.", -1), 0, value, name));
        ObjectNode json = object(tree);
        if (action.equals("CreateQueue") && json.has("Tags")) {
            json.set("tags", json.remove("Tags")); // the one member the SQS model spells in lower camel case
        }
        return json;
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

    private static ObjectNode object(Map<String, Object> tree) {
        ObjectNode out = NODES.objectNode();
        tree.forEach((name, child) -> {
            if (LISTS.containsKey(name)) {
                ArrayNode array = out.putArray(LISTS.get(name));
                numbered(name, child).values().forEach(element -> array.add(value(element)));
            } else if (MAPS.containsKey(name)) {
                MapMember m = MAPS.get(name);
                ObjectNode map = out.putObject(m.json());
                for (Object entry : numbered(name, child).values()) {
                    if (!(entry instanceof Map<?, ?> e) || !(e.get(m.key()) instanceof String key) || e.get(m.value()) == null) {
                        throw new FormException("Each " + name + ".N needs a " + m.key() + " and a " + m.value() + ".");
                    }
                    map.set(key, value(e.get(m.value())));
                }
            } else {
                out.set(name, value(child));
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static JsonNode value(Object node) {
        return node instanceof String s ? NODES.textNode(s) : object((Map<String, Object>) node);
    }

    /** The members {@code name.1}, {@code name.2}, ... in the order of their numbers (1 to 1000). */
    @SuppressWarnings("unchecked")
    private static Map<Integer, Object> numbered(String name, Object node) {
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
            if (n < 1 || n > 1_000) {
                throw new FormException("The parameter " + name + "." + n + " is out of range (1 to 1000).");
            }
            out.put(n, e.getValue());
        }
        return out;
    }
}
