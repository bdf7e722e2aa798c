package io.pontoon.gateway.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.api.v1.ErrorDetail;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;

/**
 * The Query protocol's XML envelopes, the same for every service: {@code <ActionResponse>} with
 * {@code <ActionResult>} (the service writes its members) and {@code <ResponseMetadata>}, or {@code <ErrorResponse>}.
 */
public final class QueryXml {
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    private QueryXml() {
    }

    static byte[] response(QueryService service, String action, ObjectNode answer, String requestId) {
        return write(w -> {
            w.writeStartElement(action + "Response");
            w.writeDefaultNamespace(service.namespace());
            if (!service.actionsWithoutOutput().contains(action)) {
                w.writeStartElement(action + "Result");
                service.writeResult(w, action, answer);
                w.writeEndElement();
            }
            w.writeStartElement("ResponseMetadata");
            element(w, "RequestId", requestId);
            w.writeEndElement();
            w.writeEndElement();
        });
    }

    static byte[] error(String namespace, ErrorDetail error, String type, String requestId) {
        return write(w -> {
            w.writeStartElement("ErrorResponse");
            w.writeDefaultNamespace(namespace);
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

    public static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
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
