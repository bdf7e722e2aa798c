package io.pontoon.gateway.sns;

import com.fasterxml.jackson.databind.JsonNode;
import io.pontoon.gateway.query.QueryXml;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.util.Iterator;
import java.util.Map;

/**
 * The members of an SNS answer in the JSON shape, written as the Query protocol's XML inside {@code <ActionResult>}.
 * SNS does not flatten: a list is {@code <Topics><member>...</member></Topics>} and a map
 * {@code <Attributes><entry><key/><value/></entry></Attributes>}. The only maps SNS answers with are attributes.
 */
final class SnsXml {
    private SnsXml() {
    }

    static void members(XMLStreamWriter w, JsonNode object) throws XMLStreamException {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            w.writeStartElement(member.getKey());
            JsonNode value = member.getValue();
            if (value.isArray()) {
                for (JsonNode element : value) {
                    w.writeStartElement("member");
                    content(w, element);
                    w.writeEndElement();
                }
            } else if (member.getKey().equals("Attributes")) {
                for (Iterator<Map.Entry<String, JsonNode>> entries = value.fields(); entries.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = entries.next();
                    w.writeStartElement("entry");
                    QueryXml.element(w, "key", e.getKey());
                    QueryXml.element(w, "value", e.getValue().asText());
                    w.writeEndElement();
                }
            } else {
                content(w, value);
            }
            w.writeEndElement();
        }
    }

    private static void content(XMLStreamWriter w, JsonNode value) throws XMLStreamException {
        if (value.isObject()) {
            members(w, value);
        } else {
            w.writeCharacters(value.asText());
        }
    }
}
