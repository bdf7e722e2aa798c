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
}
