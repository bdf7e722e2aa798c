package io.pontoon.gateway;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/** Request bodies read into a tree and answers written from one, in JSON or CBOR (whichever the mapper speaks). */
public final class Bodies {
    private Bodies() {
    }

    /**
     * The body as an object; an empty body is an empty object, as AWS reads it.
     *
     * @throws IOException with a message for the caller if the body is not an object in the mapper's format
     */
    public static ObjectNode readObject(ObjectMapper mapper, byte[] body, String format) throws IOException {
        if (body.length == 0) {
            return mapper.createObjectNode();
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (JacksonException e) {
            throw new IOException("The request body is not valid " + format + ": " + e.getOriginalMessage());
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new IOException("The request body must be a " + format + " object.");
        }
        return object;
    }

    public static byte[] write(ObjectMapper mapper, ObjectNode tree) {
        try {
            return mapper.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new IllegalStateException("a tree always serialises", e);
        }
    }
}
