package io.pontoon.gateway.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pontoon.gateway.query.FormTree;

import java.util.Map;

/**
 * The SQS Query protocol's flattened parameters ({@code Attribute.1.Name=VisibilityTimeout},
 * {@code SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue=...}) read into the JSON protocol's
 * shape ({@code "Attributes": {"VisibilityTimeout": ...}}), so that one path serves both. Lists and maps are named
 * in the singular in the form and numbered from 1; the SQS model says which is which.
 */
final class SqsForm {
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

    private SqsForm() {
    }

    /** @param params every parameter but Action and Version, each given once */
    static ObjectNode read(String action, Map<String, String> params) {
        ObjectNode json = object(FormTree.of(params));
        if (action.equals("CreateQueue") && json.has("Tags")) {
            json.set("tags", json.remove("Tags")); // the one member the SQS model spells in lower camel case
        }
        return json;
    }

    private static ObjectNode object(Map<String, Object> tree) {
        ObjectNode out = NODES.objectNode();
        tree.forEach((name, child) -> {
            if (LISTS.containsKey(name)) {
                ArrayNode array = out.putArray(LISTS.get(name));
                FormTree.numbered(name, child).values().forEach(element -> array.add(value(element)));
            } else if (MAPS.containsKey(name)) {
                MapMember m = MAPS.get(name);
                ObjectNode map = out.putObject(m.json());
                for (Object entry : FormTree.numbered(name, child).values()) {
                    if (!(entry instanceof Map<?, ?> e) || !(e.get(m.key()) instanceof String key) || e.get(m.value()) == null) {
                        throw new FormTree.FormException("Each " + name + ".N needs a " + m.key() + " and a " + m.value() + ".");
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
}
