package io.pontoon.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AWS JSON (1.0 and 1.1) ↔ Pontoon's request and response protos, driven by the proto descriptors. The protos name
 * every field as AWS does, in snake_case (grpc-api/PROTOCOL.md), so one rule maps them: each word capitalised, with
 * a protocol's own spellings of some words ({@code md5} → {@code MD5} in SQS). Blobs are base64, as AWS JSON writes
 * them; absent and empty fields are left out of responses, as AWS leaves them out.
 */
public final class ProtoJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final Map<String, String> wordSpellings;
    private final Map<String, String> fieldSpellings;
    /** The Query protocol's form has only strings: numbers and booleans arrive as text. */
    private final boolean scalarsAsStrings;
    private final Timestamps timestamps;
    /** Repeated fields written even when empty (full proto names): the lists the service's model marks required. */
    private final Set<String> alwaysWritten;

    /**
     * How the protos' {@code *timestamp_ms} fields (epoch milliseconds) travel: as they are (SQS has none), or as AWS
     * timestamps named without the unit ({@code approximate_arrival_timestamp_ms} is {@code ApproximateArrivalTimestamp})
     * in epoch seconds (AWS JSON 1.1, a fraction for the milliseconds) or epoch milliseconds (AWS CBOR).
     */
    public enum Timestamps { AS_NUMBERS, EPOCH_SECONDS, EPOCH_MILLIS }
    private final Map<Descriptor, Map<String, FieldDescriptor>> fieldsByWireName = new ConcurrentHashMap<>();

    /**
     * @param wordSpellings  snake_case words and how this protocol spells them capitalised ({@code "md5" → "MD5"})
     * @param fieldSpellings the fields the protocol's model names against its own rule, by full proto field name
     *                       ({@code "pontoon.v1.CreateQueueRequest.tags" → "tags"})
     * @param scalarsAsStrings read numbers and booleans from strings too (the Query protocol's form)
     */
    public ProtoJson(Map<String, String> wordSpellings, Map<String, String> fieldSpellings, boolean scalarsAsStrings) {
        this(wordSpellings, fieldSpellings, scalarsAsStrings, Timestamps.AS_NUMBERS);
    }

    public ProtoJson(Map<String, String> wordSpellings, Map<String, String> fieldSpellings, boolean scalarsAsStrings, Timestamps timestamps) {
        this(wordSpellings, fieldSpellings, scalarsAsStrings, timestamps, Set.of());
    }

    /**
     * @param alwaysWritten repeated fields, by full proto name ({@code pontoon.v1.GetRecordsResponse.records}), that
     *                      are written as {@code []} when empty, because the model marks them required and clients
     *                      read them without a check ({@code response["Records"]} in boto3)
     */
    public ProtoJson(Map<String, String> wordSpellings, Map<String, String> fieldSpellings, boolean scalarsAsStrings, Timestamps timestamps,
                     Set<String> alwaysWritten) {
        this.alwaysWritten = Set.copyOf(alwaysWritten);
        this.scalarsAsStrings = scalarsAsStrings;
        this.timestamps = timestamps;
        this.wordSpellings = Map.copyOf(wordSpellings);
        this.fieldSpellings = Map.copyOf(fieldSpellings);
    }

    /** The protocol's name of a proto field: {@code md5_of_body} → {@code MD5OfBody}. */
    public String wireName(FieldDescriptor field) {
        String exception = fieldSpellings.get(field.getFullName());
        if (exception != null) {
            return exception;
        }
        String name = isTimestamp(field) ? field.getName().substring(0, field.getName().length() - 3) : field.getName();
        StringBuilder out = new StringBuilder();
        for (String word : name.split("_")) {
            String spelled = wordSpellings.get(word);
            out.append(spelled != null ? spelled : word.isEmpty() ? "" : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return out.toString();
    }

    private boolean isTimestamp(FieldDescriptor field) {
        return timestamps != Timestamps.AS_NUMBERS && field.getJavaType() == FieldDescriptor.JavaType.LONG
                && field.getName().endsWith("timestamp_ms");
    }

    /** Thrown for a body whose shape does not match the action's input; AWS answers it as a SerializationException. */
    public static final class ShapeException extends RuntimeException {
        ShapeException(String message) {
            super(message);
        }
    }

    /** Reads {@code json} (an object) into {@code builder}; members the action does not define are ignored, as AWS does. */
    public <B extends Message.Builder> B read(JsonNode json, B builder) {
        if (!json.isObject()) {
            throw new ShapeException("Expected a JSON object for " + builder.getDescriptorForType().getName() + ".");
        }
        Map<String, FieldDescriptor> fields = fieldsByWireName.computeIfAbsent(builder.getDescriptorForType(), this::index);
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            FieldDescriptor field = fields.get(member.getKey());
            if (field == null || member.getValue().isNull() || isEmptyQueryList(field, member.getValue())) {
                continue;
            }
            readField(field, member.getKey(), member.getValue(), builder);
        }
        return builder;
    }

    /** The Query protocol sends an empty list or map as an empty parameter ({@code TagKeys=}). */
    private boolean isEmptyQueryList(FieldDescriptor field, JsonNode value) {
        return scalarsAsStrings && field.isRepeated() && value.isTextual() && value.textValue().isEmpty();
    }

    private Map<String, FieldDescriptor> index(Descriptor descriptor) {
        Map<String, FieldDescriptor> byName = new HashMap<>();
        for (FieldDescriptor field : descriptor.getFields()) {
            byName.put(wireName(field), field);
        }
        return byName;
    }

    private void readField(FieldDescriptor field, String name, JsonNode value, Message.Builder builder) {
        if (field.isMapField()) {
            expect(value.isObject(), name, "an object");
            Descriptor entryType = field.getMessageType();
            FieldDescriptor keyField = entryType.findFieldByName("key");
            FieldDescriptor valueField = entryType.findFieldByName("value");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Message.Builder entry = builder.newBuilderForField(field);
                entry.setField(keyField, e.getKey());
                entry.setField(valueField, scalar(valueField, name + "." + e.getKey(), e.getValue(), entry));
                builder.addRepeatedField(field, entry.build());
            }
        } else if (field.isRepeated()) {
            expect(value.isArray(), name, "an array");
            for (JsonNode element : value) {
                builder.addRepeatedField(field, scalar(field, name, element, builder));
            }
        } else {
            builder.setField(field, scalar(field, name, value, builder));
        }
    }

    private Object scalar(FieldDescriptor field, String name, JsonNode value, Message.Builder owner) {
        return switch (field.getJavaType()) {
            case STRING -> {
                expect(value.isTextual(), name, "a string");
                yield value.textValue();
            }
            case INT -> {
                if (scalarsAsStrings && value.isTextual()) {
                    yield (int) parsedLong(value.textValue(), name, Integer.MIN_VALUE, Integer.MAX_VALUE);
                }
                expect(value.isIntegralNumber() && value.canConvertToInt(), name, "an integer");
                yield value.intValue();
            }
            case LONG -> {
                if (isTimestamp(field)) {
                    expect(value.isNumber(), name, "a timestamp");
                    yield timestamps == Timestamps.EPOCH_SECONDS ? Math.round(value.doubleValue() * 1000) : value.longValue();
                }
                if (scalarsAsStrings && value.isTextual()) {
                    yield parsedLong(value.textValue(), name, Long.MIN_VALUE, Long.MAX_VALUE);
                }
                expect(value.isIntegralNumber() && value.canConvertToLong(), name, "an integer");
                yield value.longValue();
            }
            case DOUBLE -> {
                expect(value.isNumber(), name, "a number");
                yield value.doubleValue();
            }
            case FLOAT -> {
                expect(value.isNumber(), name, "a number");
                yield value.floatValue();
            }
            case BOOLEAN -> {
                if (scalarsAsStrings && value.isTextual()) {
                    expect(value.textValue().equals("true") || value.textValue().equals("false"), name, "true or false");
                    yield Boolean.parseBoolean(value.textValue());
                }
                expect(value.isBoolean(), name, "a boolean");
                yield value.booleanValue();
            }
            case BYTE_STRING -> {
                if (value instanceof com.fasterxml.jackson.databind.node.BinaryNode binary) {
                    yield ByteString.copyFrom(binary.binaryValue());
                }
                expect(value.isTextual(), name, "a base64 string");
                try {
                    yield ByteString.copyFrom(Base64.getDecoder().decode(value.textValue()));
                } catch (IllegalArgumentException e) {
                    throw new ShapeException("Member " + name + " is not valid base64.");
                }
            }
            case ENUM -> {
                expect(value.isTextual(), name, "a string");
                var v = field.getEnumType().findValueByName(value.textValue().toUpperCase(Locale.ROOT));
                expect(v != null, name, "one of " + field.getEnumType().getValues());
                yield v;
            }
            case MESSAGE -> read(value, owner.newBuilderForField(field)).build();
        };
    }

    private static long parsedLong(String text, String name, long min, long max) {
        try {
            long v = Long.parseLong(text.strip());
            expect(v >= min && v <= max, name, "an integer");
            return v;
        } catch (NumberFormatException e) {
            throw new ShapeException("Member " + name + " must be an integer, not '" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'.");
        }
    }

    private static void expect(boolean ok, String name, String what) {
        if (!ok) {
            throw new ShapeException("Member " + name + " must be " + what + ".");
        }
    }

    /**
     * {@code message} as an AWS JSON object. Strings, blobs, lists and maps are left out when empty (but for the
     * lists the model requires) and messages when unset, as AWS leaves absent members out; numbers and booleans are always written (AWS answers
     * {@code "FailedRecordCount": 0} and {@code "SenderFault": false}, and the SDKs read a missing one as null).
     */
    public ObjectNode write(Message message) {
        ObjectNode out = NODES.objectNode();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (!written(message, field)) {
                continue;
            }
            String name = wireName(field);
            Object value = message.getField(field);
            if (field.isMapField()) {
                ObjectNode map = out.putObject(name);
                for (Object entry : (Iterable<?>) value) {
                    Message m = (Message) entry;
                    Descriptor t = m.getDescriptorForType();
                    map.set((String) m.getField(t.findFieldByName("key")), json(t.findFieldByName("value"), m.getField(t.findFieldByName("value"))));
                }
            } else if (field.isRepeated()) {
                var array = out.putArray(name);
                for (Object element : (Iterable<?>) value) {
                    array.add(json(field, element));
                }
            } else {
                out.set(name, json(field, value));
            }
        }
        return out;
    }

    /** Numbers and booleans always; strings, blobs, lists and maps when not empty (or required); messages and optionals when set. */
    private boolean written(Message message, FieldDescriptor field) {
        if (field.isRepeated()) {
            return message.getRepeatedFieldCount(field) > 0 || alwaysWritten.contains(field.getFullName());
        }
        boolean numberOrFlag = !field.hasPresence() && field.getJavaType() != FieldDescriptor.JavaType.STRING
                && field.getJavaType() != FieldDescriptor.JavaType.BYTE_STRING;
        return numberOrFlag || message.hasField(field);
    }

    private JsonNode json(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case STRING -> NODES.textNode((String) value);
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> !isTimestamp(field) ? NODES.numberNode((Long) value)
                    : timestamps == Timestamps.EPOCH_SECONDS ? NODES.numberNode((Long) value / 1000.0) : NODES.numberNode((Long) value);
            case DOUBLE -> NODES.numberNode((Double) value);
            case FLOAT -> NODES.numberNode((Float) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            // Written as base64 text by a JSON writer and as a byte string by a CBOR one.
            case BYTE_STRING -> NODES.binaryNode(((ByteString) value).toByteArray());
            case ENUM -> NODES.textNode(((com.google.protobuf.Descriptors.EnumValueDescriptor) value).getName());
            case MESSAGE -> write((Message) value);
        };
    }
}
