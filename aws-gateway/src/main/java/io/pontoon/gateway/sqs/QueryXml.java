package io.pontoon.gateway.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.api.v1.ErrorDetail;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.Map;

/**
 * An SQS answer in the JSON protocol's shape, written as the Query protocol's XML: {@code <ActionResponse>} with
 * {@code <ActionResult>} and {@code <ResponseMetadata>}; lists and maps flattened under their singular names
 * ({@code <QueueUrl>} repeated, {@code <Attribute><Name/><Value/></Attribute>}), as the SQS model says.
 */
final class QueryXml {
    static final String NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();
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

    private QueryXml() {
    }

    static byte[] response(String action, ObjectNode answer, String requestId) {
        return write(w -> {
            w.writeStartElement(action + "Response");
            w.writeDefaultNamespace(NAMESPACE);
            if (!answer.isEmpty()) {
                w.writeStartElement(action + "Result");
                members(w, action, answer);
                w.writeEndElement();
            }
            w.writeStartElement("ResponseMetadata");
            element(w, "RequestId", requestId);
            w.writeEndElement();
            w.writeEndElement();
        });
    }

    static byte[] error(ErrorDetail error, String type, String requestId) {
        return write(w -> {
            w.writeStartElement("ErrorResponse");
            w.writeDefaultNamespace(NAMESPACE);
            w.writeStartElement("Error");
            element(w, "Type", type);
            element(w, "Code", error.getAwsCode());
            element(w, "Message", error.getMessage());
            w.writeEmptyElement("Detail");
            w.writeEndElement();
            element(w, "RequestId", requestId);
            w.writeEndElement();
        });
    }

    private static void members(XMLStreamWriter w, String action, JsonNode object) throws XMLStreamException {
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
                    element(w, m[1], e.getKey());
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
            element(w, name, value.asText());
        }
    }

    private static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(text);
        w.writeEndElement();
    }

    private interface Body {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter w = XML.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            body.write(w);
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing XML to memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
