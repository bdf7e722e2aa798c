package io.pontoon.gateway.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.gateway.query.FormTree;

import java.util.Map;

/**
 * The SNS Query protocol's form read into the JSON shape of the SNS model. SNS does not flatten: a list is
 * {@code Name.member.N} ({@code TagKeys.member.1=env}, {@code PublishBatchRequestEntries.member.2.Id=b}) and a map is
 * {@code Name.entry.N} with {@code key} and {@code value} ({@code Attributes.entry.1.key=DisplayName}), or
 * {@code Name} and {@code Value} for message attributes, as the model names them. So the form says by itself which
 * branch is a list, a map or a structure, and no table of members is needed.
 */
final class SnsForm {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SnsForm() {
    }

    /** @param params every parameter but Action and Version, each given once */
    static ObjectNode read(Map<String, String> params) {
        return (ObjectNode) value("", FormTree.of(params));
    }

    @SuppressWarnings("unchecked")
    private static JsonNode value(String name, Object node) {
        if (node instanceof String text) {
            return NODES.textNode(text);
        }
        Map<String, Object> branch = (Map<String, Object>) node;
        if (branch.size() == 1 && branch.containsKey("member")) {
            ArrayNode list = NODES.arrayNode();
            FormTree.numbered(name + ".member", branch.get("member")).values().forEach(e -> list.add(value(name + ".member.N", e)));
            return list;
        }
        if (branch.size() == 1 && branch.containsKey("entry")) {
            ObjectNode map = NODES.objectNode();
            FormTree.numbered(name + ".entry", branch.get("entry")).values().forEach(e -> entry(name, e, map));
            return map;
        }
        ObjectNode structure = NODES.objectNode();
        branch.forEach((member, child) -> structure.set(member, value(name.isEmpty() ? member : name + "." + member, child)));
        return structure;
    }

    @SuppressWarnings("unchecked")
    private static void entry(String name, Object node, ObjectNode map) {
        Map<String, Object> entry = node instanceof Map ? (Map<String, Object>) node : Map.of();
        Object key = entry.containsKey("key") ? entry.get("key") : entry.get("Name");
        Object value = entry.containsKey("value") ? entry.get("value") : entry.get("Value");
        if (!(key instanceof String k) || value == null || entry.size() != 2) {
            throw new FormTree.FormException("Each " + name + ".entry.N needs a key and a value (key and value, or Name and Value).");
        }
        map.set(k, value(name + "." + k, value));
    }
}
