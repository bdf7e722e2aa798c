package io.pontoon.gateway.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import io.pontoon.gateway.query.QueryXml;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.util.Iterator;
import java.util.Map;

/**
 * The members of an SQS answer in the JSON protocol's shape, written as the Query protocol's XML inside
 * {@code <ActionResult>}: lists and maps flattened under their singular names ({@code <QueueUrl>} repeated,
 * {@code <Attribute><Name/><Value/></Attribute>}), as the SQS model says.
 */
final class SqsXml {
    /** Flattened lists: JSON member → the element each entry is written as. */
    private static final Map<String, String> LISTS = Map.of(
            "QueueUrls", "QueueUrl",
            "queueUrls", "QueueUrl",
            "Failed", "BatchResultErrorEntry",
            "Messages", "Message",
            "Results", "ListMessageMoveTasksResultEntry");
    /** Flattened maps: JSON member → the element of an entry, and the names of its key and value. */
    private static final Map<String, String[]> MAPS = Map.of(
            "Attributes", new String[]{"Attribute", "Name", "Value"},
            "Tags", new String[]{"Tag", "Key", "Value"},
            "MessageAttributes", new String[]{"MessageAttribute", "Name", "Value"});

    private SqsXml() {
    }

    /** Writes {@code answer}'s members as the SQS model flattens them. */
    static void members(XMLStreamWriter w, String action, JsonNode object) throws XMLStreamException {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            String name = member.getKey();
            JsonNode value = member.getValue();
            if (value.isArray()) {
                String entry = name.equals("Successful") ? action + "ResultEntry" : LISTS.getOrDefault(name, name);
                for (JsonNode element : value) {
                    node(w, action, entry, element);
                }
            } else if (value.isObject() && MAPS.containsKey(name)) {
                String[] m = MAPS.get(name);
                for (Iterator<Map.Entry<String, JsonNode>> entries = value.fields(); entries.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = entries.next();
                    w.writeStartElement(m[0]);
                    QueryXml.element(w, m[1], e.getKey());
                    node(w, action, m[2], e.getValue());
                    w.writeEndElement();
                }
            } else {
                node(w, action, name, value);
            }
        }
    }

    private static void node(XMLStreamWriter w, String action, String name, JsonNode value) throws XMLStreamException {
        if (value.isObject()) {
            w.writeStartElement(name);
            members(w, action, value);
            w.writeEndElement();
        } else {
            QueryXml.element(w, name, value.asText());
        }
    }
}
