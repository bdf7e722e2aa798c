package io.pontoon.gateway;

import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.utils.builder.SdkBuilder;

import java.util.Set;
import java.util.TreeSet;

/** The AWS SDK for Java v2's own model of a service, read from its generated classes. */
public final class SdkModels {
    private SdkModels() {
    }

    /**
     * The wire names of the members of the SDK shape {@code shape} in {@code modelPackage}
     * ({@code software.amazon.awssdk.services.sqs.model}), or null if the SDK has no such shape.
     */
    public static Set<String> locationNames(String modelPackage, String shape) throws ReflectiveOperationException {
        Class<?> type;
        try {
            type = Class.forName(modelPackage + "." + shape);
        } catch (ClassNotFoundException e) {
            return null;
        }
        SdkPojo pojo = (SdkPojo) ((SdkBuilder<?, ?>) type.getMethod("builder").invoke(null)).build();
        Set<String> names = new TreeSet<>();
        for (SdkField<?> field : pojo.sdkFields()) {
            names.add(field.locationName());
        }
        return names;
    }

    /** What {@link #nameProblems} found: the problems, and how many proto messages had an SDK shape to check. */
    public record NameCheck(java.util.List<String> problems, int checkedShapes) {
    }

    /**
     * Checks both ways, for every message of {@code file} that has an SDK shape of the same name: each proto field's
     * wire name (after {@code translated}, {@code "Message.Wire" -> "SdkName"}) is a member of the shape, and each
     * member of the shape is a field, unless {@code notInProto} names it ({@code "Message.Member"}).
     */
    public static NameCheck nameProblems(com.google.protobuf.Descriptors.FileDescriptor file, io.pontoon.gateway.ProtoJson json, String modelPackage,
                                         java.util.Map<String, String> translated, Set<String> notInProto) throws ReflectiveOperationException {
        java.util.List<String> problems = new java.util.ArrayList<>();
        int checked = 0;
        for (com.google.protobuf.Descriptors.Descriptor message : file.getMessageTypes()) {
            Set<String> sdkNames = locationNames(modelPackage, message.getName());
            if (sdkNames == null) {
                continue;
            }
            checked++;
            Set<String> protoNames = new TreeSet<>();
            for (com.google.protobuf.Descriptors.FieldDescriptor field : message.getFields()) {
                String wire = json.wireName(field);
                wire = translated.getOrDefault(message.getName() + "." + wire, wire);
                protoNames.add(wire);
                if (!sdkNames.contains(wire)) {
                    problems.add(message.getName() + "." + field.getName() + " is written as " + wire + "; the SDK knows " + sdkNames);
                }
            }
            for (String sdk : sdkNames) {
                if (!protoNames.contains(sdk) && !notInProto.contains(message.getName() + "." + sdk)) {
                    problems.add(message.getName() + " has no field for the SDK member " + sdk);
                }
            }
        }
        return new NameCheck(problems, checked);
    }
}
