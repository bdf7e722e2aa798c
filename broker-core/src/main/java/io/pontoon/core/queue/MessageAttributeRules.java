package io.pontoon.core.queue;

import io.pontoon.core.Limits;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.queue.MessageAttribute;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** SQS rules for message attributes (names, data types, values) and their size contribution. */
final class MessageAttributeRules {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern DATA_TYPE = Pattern.compile("(String|Number|Binary)(\\.[A-Za-z0-9_.\\-]+)?");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,6})?");
    private static final BigDecimal MIN_MAGNITUDE = BigDecimal.ONE.scaleByPowerOfTen(Limits.MIN_NUMBER_EXPONENT);
    private static final BigDecimal MAX_MAGNITUDE = BigDecimal.ONE.scaleByPowerOfTen(Limits.MAX_NUMBER_EXPONENT);

    private MessageAttributeRules() {
    }

    static void check(Map<String, MessageAttribute> attributes) {
        if (attributes.size() > Limits.MAX_MESSAGE_ATTRIBUTES) {
            throw invalid("Number of message attributes [" + attributes.size() + "] exceeds the allowed maximum [" + Limits.MAX_MESSAGE_ATTRIBUTES + "].");
        }
        attributes.forEach(MessageAttributeRules::checkOne);
    }

    private static void checkOne(String name, MessageAttribute a) {
        checkName(name);
        if (a == null || a.dataType() == null || a.dataType().length() > Limits.MAX_MESSAGE_ATTRIBUTE_TYPE_LENGTH
                || !DATA_TYPE.matcher(a.dataType()).matches()) {
            throw invalid("The type of message (user) attribute '" + name + "' is invalid.");
        }
        if (a.dataType().startsWith("Binary")) {
            if (a.binaryValue() == null || a.binaryValue().length == 0 || a.stringValue() != null) {
                throw invalid("Message (user) attribute '" + name + "' must contain a non-empty value of type 'Binary'.");
            }
            return;
        }
        if (a.stringValue() == null || a.stringValue().isEmpty() || a.binaryValue() != null) {
            throw invalid("Message (user) attribute '" + name + "' must contain a non-empty value of type '" + baseType(a) + "'.");
        }
        if (!BodyRules.allowedCharacters(a.stringValue())) {
            throw invalid("Message (user) attribute '" + name + "' contains invalid characters.");
        }
        if (a.dataType().startsWith("Number")) {
            checkNumber(name, a.stringValue());
        }
    }

    private static void checkName(String name) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (name == null || name.isEmpty() || name.length() > Limits.MAX_MESSAGE_ATTRIBUTE_NAME_LENGTH
                || !NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".") || name.contains("..")
                || lower.startsWith("aws.") || lower.startsWith("amazon.")) {
            throw invalid("Message (user) attribute name '" + name + "' is invalid.");
        }
    }

    private static void checkNumber(String name, String value) {
        if (value.length() > 1_000 || !DECIMAL.matcher(value).matches()) {
            throw invalid("Value " + value + " for message attribute " + name + " is not a valid number.");
        }
        BigDecimal n = new BigDecimal(value).stripTrailingZeros();
        if (n.signum() == 0) {
            return;
        }
        BigDecimal abs = n.abs();
        if (n.precision() > Limits.MAX_NUMBER_PRECISION_DIGITS || abs.compareTo(MIN_MAGNITUDE) < 0 || abs.compareTo(MAX_MAGNITUDE) > 0) {
            throw invalid("Value " + value + " for message attribute " + name + " is out of the supported number range.");
        }
    }

    private static String baseType(MessageAttribute a) {
        int dot = a.dataType().indexOf('.');
        return dot < 0 ? a.dataType() : a.dataType().substring(0, dot);
    }

    private static BrokerException invalid(String msg) {
        return new BrokerException(ErrorCode.INVALID_PARAMETER_VALUE, msg);
    }
}
