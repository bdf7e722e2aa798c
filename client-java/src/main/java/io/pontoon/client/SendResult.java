package io.pontoon.client;

/** Outcome of one message sent through {@link BatchingProducer}. */
public record SendResult(String messageId, String md5OfMessageBody, String md5OfMessageAttributes, String sequenceNumber) {}
