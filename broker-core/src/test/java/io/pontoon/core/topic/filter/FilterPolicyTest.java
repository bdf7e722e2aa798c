package io.pontoon.core.topic.filter;

import io.pontoon.core.codec.Json;
import io.pontoon.core.topic.filter.FilterPolicy.Attribute;
import io.pontoon.core.topic.filter.FilterPolicy.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static io.pontoon.core.topic.filter.FilterPolicy.Scope.MESSAGE_ATTRIBUTES;
import static io.pontoon.core.topic.filter.FilterPolicy.Scope.MESSAGE_BODY;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Policy x message -> match, in both scopes. Policies are written with ' for " (see {@link #q}); most cases are the
 * examples of the AWS SNS developer guide (subscription filter policies, message filtering operators, AND/OR logic,
 * filter policy constraints).
 */
class FilterPolicyTest {

    /** Single quotes to double quotes, so that policies and bodies read as in the AWS guide. */
    private static String q(String text) {
        return text.replace('\'', '"');
    }

    /** Attributes as name, type, value triples. */
    private static Map<String, Attribute> attrs(String... nameTypeValue) {
        Map<String, Attribute> out = new LinkedHashMap<>();
        for (int i = 0; i < nameTypeValue.length; i += 3) {
            out.put(nameTypeValue[i], new Attribute(nameTypeValue[i + 1], nameTypeValue[i + 2]));
        }
        return out;
    }

    /** The message of the AWS guide's "Example filter policies", as attributes. */
    private static final Map<String, Attribute> GUIDE_ATTRIBUTES = attrs(
            "customer_interests", "String.Array", q("['soccer', 'rugby', 'hockey']"),
            "store", "String", "example_corp",
            "event", "String", "order_placed",
            "price_usd", "Number", "210.75");

    /** The same message as a body. */
    private static final String GUIDE_BODY = "{'customer_interests': ['soccer', 'rugby', 'hockey'], 'store': 'example_corp',"
            + " 'event': 'order_placed', 'price_usd': 210.75}";

    private static Arguments a(String policy, Map<String, Attribute> attributes, boolean matches) {
        return arguments((matches ? "matches    " : "no match   ") + policy + " ~ " + attributes, q(policy), attributes, matches);
    }

    private static Arguments b(String policy, String body, boolean matches) {
        return arguments((matches ? "matches    " : "no match   ") + policy + " ~ " + body, q(policy), q(body), matches);
    }

    static Stream<Arguments> attributeCases() {
        Map<String, Attribute> guide = GUIDE_ATTRIBUTES;
        return Stream.of(
                // The guide's example policies against its example message.
                a("{'store': ['example_corp'], 'event': [{'anything-but': 'order_cancelled'}], 'customer_interests': ['rugby', 'football', 'baseball'],"
                        + " 'price_usd': [{'numeric': ['>=', 100]}]}", guide, true),
                a("{'store': ['example_corp'], 'event': ['order_cancelled']}", guide, false),
                a("{'customer_interests': ['basketball', 'baseball']}", guide, false),
                a("{'price_usd': [{'numeric': ['>', 0, '<=', 150]}]}", guide, false),
                a("{'price_usd': [{'numeric': ['>', 200, '<=', 300]}]}", guide, true),
                a("{'store': [{'exists': true}]}", guide, true),
                a("{'store': [{'exists': false}]}", guide, false),
                a("{'encrypted': [{'exists': false}]}", guide, true),
                a("{'encrypted': [false], 'customer_interests': ['rugby']}", guide, false),
                a("{}", guide, true),
                a("{}", attrs(), true),
                a("{'store': ['example_corp']}", attrs(), false),

                // Exact string matching; String.Array elements are matched one by one.
                a("{'customer_interests': ['rugby', 'tennis']}", attrs("customer_interests", "String", "rugby"), true),
                a("{'customer_interests': ['rugby', 'tennis']}", attrs("customer_interests", "String", "tennis"), true),
                a("{'customer_interests': ['rugby', 'tennis']}", attrs("customer_interests", "String.Array", q("['rugby', 'tennis']")), true),
                a("{'customer_interests': ['rugby', 'tennis']}", attrs("customer_interests", "String", "baseball"), false),
                a("{'customer_interests': ['rugby', 'tennis']}", attrs("customer_interests", "String.Array", q("['baseball']")), false),
                a("{'customer_interests': ['rugby']}", attrs("customer_interests", "String", "Rugby"), false),
                a("{'customer_interests': ['rugby']}", attrs("customer_interests", "String.Array", "[]"), false),
                a("{'customer_interests': ['rugby']}", attrs("customer_interests", "String.Array", "not json"), false),
                a("{'customer_interests': ['rugby']}", attrs("customer_interests", "String.Array", q("[['rugby'], {'a': 'rugby'}]")), false),
                a("{'customer_interests': ['rugby']}", attrs("customer_interests", "String.custom", "rugby"), true),
                a("{'customer_interests': ['rugby']}", attrs("customer_interests", "Binary", "rugby"), false),
                a("{'code': ['5']}", attrs("code", "Number", "5"), false),
                a("{'code': ['5']}", attrs("code", "String", "5"), true),

                // Numeric exact matching: by value, Number attributes and String.Array numbers only.
                a("{'price_usd': [301.5]}", attrs("price_usd", "Number", "301.5"), true),
                a("{'price_usd': [301.5]}", attrs("price_usd", "Number", "301.50"), true),
                a("{'price_usd': [301.5]}", attrs("price_usd", "Number", "3.015E2"), true),
                a("{'price_usd': [301.5]}", attrs("price_usd", "Number.float", "301.5"), true),
                a("{'price_usd': [301.5]}", attrs("price_usd", "String", "301.5"), false),
                a("{'price_usd': [301.5]}", attrs("price_usd", "Number", "301.51"), false),
                a("{'price_usd': [{'numeric': ['=', 301.5]}]}", attrs("price_usd", "Number", "301.5"), true),
                a("{'price_usd': [{'numeric': ['=', 301.5]}]}", attrs("price_usd", "Number", "300"), false),
                a("{'price_usd': [5, 10]}", attrs("price_usd", "String.Array", "[1, 10.0]"), true),
                a("{'price_usd': [5]}", attrs("price_usd", "Number", "not a number"), false),
                a("{'price_usd': [5]}", attrs("price_usd", "Binary", "5"), false),

                // Numeric ranges.
                a("{'price_usd': [{'numeric': ['>', 0, '<=', 150]}]}", attrs("price_usd", "Number", "150"), true),
                a("{'price_usd': [{'numeric': ['>', 0, '<=', 150]}]}", attrs("price_usd", "Number", "0.00001"), true),
                a("{'price_usd': [{'numeric': ['>', 0, '<=', 150]}]}", attrs("price_usd", "Number", "0"), false),
                a("{'price_usd': [{'numeric': ['>', 0, '<=', 150]}]}", attrs("price_usd", "Number", "150.000001"), false),
                a("{'price_usd': [{'numeric': ['>=', 0, '<', 150]}]}", attrs("price_usd", "Number", "0"), true),
                a("{'price_usd': [{'numeric': ['>=', 0, '<', 150]}]}", attrs("price_usd", "Number", "150"), false),
                a("{'price_usd': [{'numeric': ['<', 0]}]}", attrs("price_usd", "Number", "-1000000000"), true),
                a("{'price_usd': [{'numeric': ['<', 0]}]}", attrs("price_usd", "Number", "-0"), false),
                a("{'price_usd': [{'numeric': ['>', 100]}]}", attrs("price_usd", "String", "200"), false),
                a("{'price_usd': [{'numeric': ['>', 100]}]}", attrs("price_usd", "String.Array", q("[50, '200', 150]")), true),
                a("{'price_usd': [{'numeric': ['>', 100]}]}", attrs("price_usd", "String.Array", q("[50, '200']")), false),
                a("{'price_usd': [{'numeric': ['>', 100]}, {'numeric': ['<', 10]}]}", attrs("price_usd", "Number", "5"), true),
                a("{'price_usd': [{'numeric': ['>', 100]}]}", attrs(), false),

                // anything-but: the key must be there, and no value of it may be excluded.
                a("{'customer_interests': [{'anything-but': ['rugby', 'tennis']}]}", attrs("customer_interests", "String", "baseball"), true),
                a("{'customer_interests': [{'anything-but': ['rugby', 'tennis']}]}", attrs("customer_interests", "String", "football"), true),
                a("{'customer_interests': [{'anything-but': ['rugby', 'tennis']}]}", attrs("customer_interests", "String", "rugby"), false),
                a("{'customer_interests': [{'anything-but': ['rugby', 'tennis']}]}", attrs("customer_interests", "String.Array", q("['baseball', 'golf']")), true),
                a("{'customer_interests': [{'anything-but': ['rugby', 'tennis']}]}", attrs("customer_interests", "String.Array", q("['rugby', 'baseball']")), false),
                a("{'customer_interests': [{'anything-but': ['rugby', 'tennis']}]}", attrs("customer_interests", "String.Array", "[]"), false),
                a("{'customer_interests': [{'anything-but': ['rugby', 'tennis']}]}", attrs(), false),
                a("{'customer_interests': [{'anything-but': ['rugby', 'tennis']}, {'exists': false}]}", attrs(), true),
                a("{'customer_interests': [{'anything-but': ['rugby', 'tennis']}]}", attrs("customer_interests", "Binary", "cnVnYnk="), false),
                a("{'event': [{'anything-but': 'order_cancelled'}]}", attrs("event", "String", "order_placed"), true),
                a("{'event': [{'anything-but': 'order_cancelled'}]}", attrs("event", "String", "order_cancelled"), false),
                a("{'price_usd': [{'anything-but': [100, 500]}]}", attrs("price_usd", "Number", "101"), true),
                a("{'price_usd': [{'anything-but': [100, 500]}]}", attrs("price_usd", "Number", "100.0"), false),
                a("{'price_usd': [{'anything-but': [100, 500]}]}", attrs("price_usd", "Number", "500"), false),
                a("{'price_usd': [{'anything-but': 100}]}", attrs("price_usd", "Number", "100"), false),
                a("{'price_usd': [{'anything-but': 100}]}", attrs("price_usd", "Number", "99"), true),
                a("{'event': [{'anything-but': {'prefix': 'order-'}}]}", attrs("event", "String", "data-entry"), true),
                a("{'event': [{'anything-but': {'prefix': 'order-'}}]}", attrs("event", "String", "order_number"), true),
                a("{'event': [{'anything-but': {'prefix': 'order-'}}]}", attrs("event", "String", "order-cancelled"), false),
                a("{'customer_interests': [{'anything-but': {'suffix': 'ball'}}]}", attrs("customer_interests", "String", "rugby"), true),
                a("{'customer_interests': [{'anything-but': {'suffix': 'ball'}}]}", attrs("customer_interests", "String", "baseball"), false),
                a("{'customer_interests': [{'anything-but': {'wildcard': 'base*'}}]}", attrs("customer_interests", "String", "basketball"), true),
                a("{'customer_interests': [{'anything-but': {'wildcard': 'base*'}}]}", attrs("customer_interests", "String", "baseball"), false),
                a("{'customer_interests': [{'anything-but': {'equals-ignore-case': ['RUGBY', 'Tennis']}}]}", attrs("customer_interests", "String", "rugby"), false),
                a("{'customer_interests': [{'anything-but': {'equals-ignore-case': 'RUGBY'}}]}", attrs("customer_interests", "String", "golf"), true),

                // prefix, suffix, equals-ignore-case, wildcard.
                a("{'customer_interests': [{'prefix': 'bas'}]}", attrs("customer_interests", "String", "baseball"), true),
                a("{'customer_interests': [{'prefix': 'bas'}]}", attrs("customer_interests", "String", "basketball"), true),
                a("{'customer_interests': [{'prefix': 'bas'}]}", attrs("customer_interests", "String", "rugby"), false),
                a("{'customer_interests': [{'prefix': 'bas'}]}", attrs("customer_interests", "String.Array", q("['rugby', 'bass']")), true),
                a("{'customer_interests': [{'suffix': 'ball'}]}", attrs("customer_interests", "String", "baseball"), true),
                a("{'customer_interests': [{'suffix': 'ball'}]}", attrs("customer_interests", "String", "rugby"), false),
                a("{'customer_interests': [{'equals-ignore-case': 'tennis'}]}", attrs("customer_interests", "String", "TENNIS"), true),
                a("{'customer_interests': [{'equals-ignore-case': 'tennis'}]}", attrs("customer_interests", "String", "Tennis"), true),
                a("{'customer_interests': [{'equals-ignore-case': 'tennis'}]}", attrs("customer_interests", "String", "baseball"), false),
                a("{'customer_interests': [{'wildcard': '*ball'}]}", attrs("customer_interests", "String", "baseball"), true),
                a("{'customer_interests': [{'wildcard': '*ball'}]}", attrs("customer_interests", "String", "rugby"), false),
                a("{'customer_interests': [{'wildcard': 'b*ll*'}]}", attrs("customer_interests", "String", "basketball club"), true),
                a("{'region': [{'wildcard': 'us-*-1'}]}", attrs("region", "String", "us-east-1"), true),
                a("{'region': [{'wildcard': 'us-*-1'}]}", attrs("region", "String", "us-east-2"), false),
                a("{'region': [{'wildcard': 'us-*-1'}]}", attrs("region", "Number", "1"), false),

                // exists, with Binary and custom types.
                a("{'store': [{'exists': true}]}", attrs("store", "Binary", "AAE="), true),
                a("{'store': [{'exists': false}]}", attrs("store", "Binary", "AAE="), false),
                a("{'store': [{'exists': true}]}", attrs("store", "String.Array", "[]"), true),
                a("{'store': [{'exists': true}]}", attrs("other", "String", "x"), false),

                // cidr, IPv4 and IPv6.
                a("{'source_ip': [{'cidr': '10.0.0.0/24'}]}", attrs("source_ip", "String", "10.0.0.0"), true),
                a("{'source_ip': [{'cidr': '10.0.0.0/24'}]}", attrs("source_ip", "String", "10.0.0.255"), true),
                a("{'source_ip': [{'cidr': '10.0.0.0/24'}]}", attrs("source_ip", "String", "10.1.1.0"), false),
                a("{'source_ip': [{'cidr': '10.0.0.0/24'}]}", attrs("source_ip", "String", "10.0.0"), false),
                a("{'source_ip': [{'cidr': '10.0.0.0/24'}]}", attrs("source_ip", "String", "10.0.0.256"), false),
                a("{'source_ip': [{'cidr': '10.0.0.0/24'}]}", attrs("source_ip", "String", "::ffff:10.0.0.1"), false),
                a("{'source_ip': [{'cidr': '10.0.0.0/24'}]}", attrs("source_ip", "String.Array", q("['192.168.0.1', '10.0.0.7']")), true),
                a("{'source_ip': [{'cidr': '172.16.0.0/12'}]}", attrs("source_ip", "String", "172.31.255.255"), true),
                a("{'source_ip': [{'cidr': '172.16.0.0/12'}]}", attrs("source_ip", "String", "172.32.0.0"), false),
                a("{'source_ip': [{'cidr': '0.0.0.0/0'}]}", attrs("source_ip", "String", "8.8.8.8"), true),
                a("{'source_ip': [{'cidr': '10.0.0.7/32'}]}", attrs("source_ip", "String", "10.0.0.7"), true),
                a("{'source_ip': [{'cidr': '10.0.0.7/32'}]}", attrs("source_ip", "String", "10.0.0.8"), false),
                a("{'source_ip': [{'cidr': '2001:db8::/32'}]}", attrs("source_ip", "String", "2001:db8::1"), true),
                a("{'source_ip': [{'cidr': '2001:db8::/32'}]}", attrs("source_ip", "String", "2001:0DB8:ffff:0:0:0:0:1"), true),
                a("{'source_ip': [{'cidr': '2001:db8::/32'}]}", attrs("source_ip", "String", "2001:db9::1"), false),
                a("{'source_ip': [{'cidr': '2001:db8::/32'}]}", attrs("source_ip", "String", "10.0.0.1"), false),
                a("{'source_ip': [{'cidr': '2001:db8::/32'}]}", attrs("source_ip", "String", "2001:db8::1::2"), false),
                a("{'source_ip': [{'cidr': '::ffff:10.0.0.0/120'}]}", attrs("source_ip", "String", "::ffff:10.0.0.9"), true),

                // AND across keys, OR within a key's array, "$or" across keys.
                a("{'customer_interests': ['rugby'], 'price_usd': [{'numeric': ['>', 100]}]}", guide, true),
                a("{'customer_interests': ['rugby'], 'price_usd': [{'numeric': ['>', 300]}]}", guide, false),
                a("{'customer_interests': ['rugby', 'football', 'baseball']}", attrs("customer_interests", "String", "football"), true),
                a("{'source': ['aws.cloudwatch'], '$or': [{'metricName': ['CPUUtilization']}, {'namespace': ['AWS/EC2']}]}",
                        attrs("source", "String", "aws.cloudwatch", "metricName", "String", "CPUUtilization"), true),
                a("{'source': ['aws.cloudwatch'], '$or': [{'metricName': ['CPUUtilization']}, {'namespace': ['AWS/EC2']}]}",
                        attrs("source", "String", "aws.cloudwatch", "namespace", "String", "AWS/EC2"), true),
                a("{'source': ['aws.cloudwatch'], '$or': [{'metricName': ['CPUUtilization']}, {'namespace': ['AWS/EC2']}]}",
                        attrs("source", "String", "aws.cloudwatch", "namespace", "String", "AWS/ES"), false),
                a("{'source': ['aws.cloudwatch'], '$or': [{'metricName': ['CPUUtilization']}, {'namespace': ['AWS/EC2']}]}",
                        attrs("metricName", "String", "CPUUtilization"), false),
                a("{'$or': [{'metricName': ['CPUUtilization']}, {'namespace': ['AWS/EC2']}], 'source': ['aws.cloudwatch']}",
                        attrs("source", "String", "aws.cloudwatch", "metricName", "String", "CPUUtilization", "namespace", "String", "other"), true),
                a("{'source': ['aws.cloudwatch'], '$or': [{'metricName': ['CPUUtilization', 'ReadLatency']},"
                        + " {'metricType': ['MetricType'], '$or': [{'metricId': [1234, 4321]}, {'spaces': [1000, 2000, 3000]}]}]}",
                        attrs("source", "String", "aws.cloudwatch", "metricType", "String", "MetricType", "spaces", "Number", "2000"), true),
                a("{'source': ['aws.cloudwatch'], '$or': [{'metricName': ['CPUUtilization', 'ReadLatency']},"
                        + " {'metricType': ['MetricType'], '$or': [{'metricId': [1234, 4321]}, {'spaces': [1000, 2000, 3000]}]}]}",
                        attrs("source", "String", "aws.cloudwatch", "metricType", "String", "MetricType", "spaces", "Number", "4000"), false),
                a("{'source': ['aws.cloudwatch'], '$or': [{'metricName': ['CPUUtilization', 'ReadLatency']},"
                        + " {'metricType': ['MetricType'], '$or': [{'metricId': [1234, 4321]}, {'spaces': [1000, 2000, 3000]}]}]}",
                        attrs("source", "String", "aws.cloudwatch", "metricId", "Number", "4321"), false),
                // "$or" with fewer than two objects is an ordinary attribute name (AWS).
                a("{'$or': ['x']}", attrs("$or", "String", "x"), true),
                a("{'$or': [{'prefix': 'ab'}]}", attrs("$or", "String", "abc"), true),

                // true, false and null compare with JSON literals in String.Array only.
                a("{'flag': [true]}", attrs("flag", "String.Array", "[true]"), true),
                a("{'flag': [true]}", attrs("flag", "String", "true"), false),
                a("{'flag': [null]}", attrs("flag", "String.Array", "[null]"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributeCases")
    void attributeScope(String name, String policy, Map<String, Attribute> attributes, boolean expected) {
        assertEquals(expected, FilterPolicy.compile(policy, MESSAGE_ATTRIBUTES).matchesAttributes(attributes));
    }

    static Stream<Arguments> bodyCases() {
        String guide = GUIDE_BODY;
        return Stream.of(
                b("{'store': ['example_corp'], 'event': [{'anything-but': 'order_cancelled'}], 'customer_interests': ['rugby', 'football', 'baseball'],"
                        + " 'price_usd': [{'numeric': ['>=', 100]}]}", guide, true),
                b("{'store': ['example_corp'], 'event': ['order_cancelled']}", guide, false),
                b("{'customer_interests': ['basketball', 'baseball']}", guide, false),
                b("{'price_usd': [210.75]}", guide, true),
                b("{'price_usd': ['210.75']}", guide, false),
                b("{'store': [{'exists': true}]}", guide, true),
                b("{'encrypted': [{'exists': false}]}", guide, true),
                b("{}", guide, true),
                b("{}", "{}", true),

                // Exact values of every JSON type.
                b("{'customer_interests': ['rugby', 'tennis']}", "{'customer_interests': 'rugby'}", true),
                b("{'customer_interests': ['rugby', 'tennis']}", "{'customer_interests': 'baseball'}", false),
                b("{'price': [100]}", "{'price': 100.0}", true),
                b("{'price': [100]}", "{'price': 1E+2}", true),
                b("{'price': [100]}", "{'price': '100'}", false),
                b("{'code': ['100']}", "{'code': 100}", false),
                b("{'encrypted': [false]}", "{'encrypted': false}", true),
                b("{'encrypted': [false]}", "{'encrypted': 'false'}", false),
                b("{'encrypted': [false]}", "{'encrypted': true}", false),
                b("{'deleted_at': [null]}", "{'deleted_at': null}", true),
                b("{'deleted_at': [null]}", "{'deleted_at': 'null'}", false),
                b("{'deleted_at': [null]}", "{}", false),
                b("{'deleted_at': [{'exists': true}]}", "{'deleted_at': null}", true),
                b("{'deleted_at': [{'exists': false}]}", "{'deleted_at': null}", false),

                // Arrays in the body: any element matches (anything-but: none may be excluded).
                b("{'customer_interests': ['rugby']}", "{'customer_interests': ['soccer', 'rugby']}", true),
                b("{'customer_interests': ['rugby']}", "{'customer_interests': [['soccer'], ['rugby']]}", true),
                b("{'customer_interests': ['rugby']}", "{'customer_interests': []}", false),
                b("{'customer_interests': [{'exists': true}]}", "{'customer_interests': []}", false),
                b("{'customer_interests': [{'exists': false}]}", "{'customer_interests': []}", true),
                b("{'customer_interests': [{'anything-but': ['rugby', 'tennis']}]}", "{'customer_interests': ['baseball', 'golf']}", true),
                b("{'customer_interests': [{'anything-but': ['rugby', 'tennis']}]}", "{'customer_interests': ['rugby', 'baseball']}", false),
                b("{'customer_interests': [{'anything-but': ['rugby', 'tennis']}]}", "{}", false),
                b("{'customer_interests': [{'anything-but': ['rugby', 'tennis']}, {'exists': false}]}", "{}", true),
                b("{'price': [{'numeric': ['>', 10]}]}", "{'price': [1, 2, 30]}", true),
                b("{'price': [{'anything-but': [100, 500]}]}", "{'price': 101}", true),
                b("{'price': [{'anything-but': [100, 500]}]}", "{'price': 500}", false),
                b("{'price': [{'anything-but': 100}]}", "{'price': null}", true),

                // Operators on body values.
                b("{'event': [{'anything-but': {'prefix': 'order-'}}]}", "{'event': 'data-entry'}", true),
                b("{'event': [{'anything-but': {'prefix': 'order-'}}]}", "{'event': 'order-cancelled'}", false),
                b("{'event': [{'anything-but': {'suffix': '-cancelled'}}]}", "{'event': 'order-cancelled'}", false),
                b("{'event': [{'anything-but': {'wildcard': 'order-*'}}]}", "{'event': 'order-cancelled'}", false),
                b("{'customer_interests': [{'prefix': 'bas'}]}", "{'customer_interests': 'basketball'}", true),
                b("{'customer_interests': [{'prefix': 'bas'}]}", "{'customer_interests': 'rugby'}", false),
                b("{'customer_interests': [{'suffix': 'ball'}]}", "{'customer_interests': 'baseball'}", true),
                b("{'customer_interests': [{'suffix': 'ball'}]}", "{'customer_interests': 'ballet'}", false),
                b("{'customer_interests': [{'equals-ignore-case': 'tennis'}]}", "{'customer_interests': 'TeNnIs'}", true),
                b("{'customer_interests': [{'equals-ignore-case': 'tennis'}]}", "{'customer_interests': 'tennis!'}", false),
                b("{'name': [{'equals-ignore-case': 'stra\u00dfe'}]}", "{'name': 'STRA\u00dfE'}", true),
                b("{'file': [{'wildcard': 'dir/*.png'}]}", "{'file': 'dir/image.png'}", true),
                b("{'file': [{'wildcard': 'dir/*.png'}]}", "{'file': 'dir/image.jpg'}", false),
                b("{'file': [{'wildcard': '*'}]}", "{'file': ''}", true),
                b("{'file': [{'wildcard': '*'}]}", "{'file': 1}", false),
                b("{'file': [{'wildcard': 'a*b*c'}]}", "{'file': 'abc'}", true),
                b("{'file': [{'wildcard': 'a*b*c'}]}", "{'file': 'axxbyybzc'}", true),
                b("{'file': [{'wildcard': 'a*b*c'}]}", "{'file': 'axxcyyb'}", false),
                b("{'file': [{'wildcard': 'ab*ba'}]}", "{'file': 'aba'}", false),
                b("{'file': [{'wildcard': 'ab*ba'}]}", "{'file': 'abba'}", true),
                b("{'file': [{'wildcard': '*x*y*'}]}", "{'file': 'yx'}", false),
                b("{'file': [{'wildcard': '*x*y*'}]}", "{'file': 'yxy'}", true),
                b("{'file': [{'wildcard': 'a\\\\*b'}]}", "{'file': 'a*b'}", true),
                b("{'file': [{'wildcard': 'a\\\\*b'}]}", "{'file': 'axb'}", false),
                b("{'file': [{'wildcard': 'a\\\\\\\\*'}]}", "{'file': 'a\\\\xyz'}", true),
                b("{'source_ip': [{'cidr': '10.0.0.0/24'}]}", "{'source_ip': '10.0.0.42'}", true),
                b("{'source_ip': [{'cidr': '10.0.0.0/24'}]}", "{'source_ip': '10.0.1.42'}", false),
                b("{'source_ip': [{'cidr': '10.0.0.0/24'}]}", "{'source_ip': 10}", false),
                b("{'source_ip': [{'cidr': 'fe80::/10'}]}", "{'source_ip': ['10.0.0.1', 'FE80::1:2']}", true),
                b("{'price': [{'numeric': ['>', 0, '<=', 150]}]}", "{'price': 150}", true),
                b("{'price': [{'numeric': ['>', 0, '<=', 150]}]}", "{'price': 0}", false),
                b("{'price': [{'numeric': ['=', 301.5]}]}", "{'price': 301.50}", true),

                // Nested keys follow nested objects; an array of objects matches when one element matches them all.
                b("{'store': {'location': ['Paris']}}", "{'store': {'location': 'Paris', 'name': 'x'}}", true),
                b("{'store': {'location': ['Paris']}}", "{'store': {'location': 'Rome'}}", false),
                b("{'store': {'location': ['Paris']}}", "{'store': 'Paris'}", false),
                b("{'store': {'location': ['Paris']}}", "{'location': 'Paris'}", false),
                b("{'store': {'location': ['Paris']}}", "{'store.location': 'Paris'}", false),
                b("{'store': {'location': {'city': [{'prefix': 'Par'}]}}}", "{'store': {'location': {'city': 'Paris'}}}", true),
                b("{'store': {'location': ['Rome'], 'size': [{'numeric': ['>', 1]}]}}",
                        "{'store': [{'location': 'Paris', 'size': 2}, {'location': 'Rome', 'size': 3}]}", true),
                b("{'store': {'location': ['Paris'], 'size': [3]}}",
                        "{'store': [{'location': 'Paris', 'size': 2}, {'location': 'Rome', 'size': 3}]}", false),
                b("{'store': {'location': [{'exists': false}]}}", "{}", true),
                b("{'store': {'location': [{'exists': false}]}}", "{'store': {'name': 'x'}}", true),
                b("{'store': {'location': [{'exists': false}]}}", "{'store': {'location': 'x'}}", false),
                b("{'store': [{'exists': true}]}", "{'store': {'location': 'Paris'}}", false),
                b("{'store': {'location': ['Paris'], '$or': [{'open': [true]}, {'size': [{'numeric': ['>', 100]}]}]}}",
                        "{'store': {'location': 'Paris', 'open': false, 'size': 120}}", true),
                b("{'store': {'location': ['Paris'], '$or': [{'open': [true]}, {'size': [{'numeric': ['>', 100]}]}]}}",
                        "{'store': {'location': 'Paris', 'open': false, 'size': 12}}", false),
                // AWS "Filter policy constraints": six leaf keys under four top-level keys is a valid body policy.
                b("{'state': ['SUCCESS'], 'severity': [{'exists': true}], 'message': [{'exists': true}], 'finding': {'standard_control': [{'exists': true}],"
                        + " 'region': [{'exists': true}], 'account': [{'exists': true}]}}",
                        "{'state': 'SUCCESS', 'severity': 3, 'message': 'm', 'finding': {'standard_control': 'c', 'region': 'r', 'account': 'a'}}", true),
                b("{'key_a': {'key_b': {'key_c': {'key_d': ['value_one', 'value_two', 'value_three', 'value_four']}}, 'key_e': {'key_f': ['value_one', 'value_two', 'value_three']}}}",
                        "{'key_a': {'key_b': {'key_c': {'key_d': 'value_four'}}, 'key_e': {'key_f': 'value_one'}}}", true),

                // "$or" in the body.
                b("{'source': ['aws.cloudwatch'], '$or': [{'metricName': ['CPUUtilization']}, {'namespace': ['AWS/EC2']}]}",
                        "{'source': 'aws.cloudwatch', 'namespace': 'AWS/EC2'}", true),
                b("{'source': ['aws.cloudwatch'], '$or': [{'metricName': ['CPUUtilization']}, {'namespace': ['AWS/EC2']}]}",
                        "{'source': 'aws.cloudwatch', 'namespace': 'AWS/ES'}", false),
                b("{'$or': [{'store': {'location': ['Paris']}}, {'price': [{'numeric': ['<', 10]}]}]}", "{'store': {'location': 'Paris'}, 'price': 99}", true),
                b("{'$or': [{'store': {'location': ['Paris']}}, {'price': [{'numeric': ['<', 10]}]}]}", "{'store': {'location': 'Rome'}, 'price': 9}", true),
                b("{'$or': [{'store': {'location': ['Paris']}}, {'price': [{'numeric': ['<', 10]}]}]}", "{'store': {'location': 'Rome'}, 'price': 99}", false),

                // A body that is not a JSON object matches nothing, not even {}.
                b("{}", "'just a string'", false),
                b("{}", "[{'store': 'x'}]", false),
                b("{'store': [{'exists': false}]}", "42", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodyCases")
    void bodyScope(String name, String policy, String body, boolean expected) {
        assertEquals(expected, FilterPolicy.compile(policy, MESSAGE_BODY).matchesBody(Json.parse(body)));
    }

    private static final String SIX_KEYS = "{'a': ['1'], 'b': ['1'], 'c': ['1'], 'd': ['1'], 'e': ['1'], 'f': ['1']}";

    private static Arguments bad(Scope scope, String policy, String expectedMessagePart) {
        String shown = policy.length() > 100 ? policy.substring(0, 97) + "..." : policy;
        return arguments(scope + " " + shown + " -> " + expectedMessagePart, scope, policy.startsWith("{") || policy.startsWith("[") ? q(policy) : policy,
                expectedMessagePart);
    }

    static Stream<Arguments> invalidPolicies() {
        return Stream.of(
                bad(MESSAGE_ATTRIBUTES, SIX_KEYS, "FilterPolicy: too many keys: 6 [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]; at most 5 are allowed"),
                bad(MESSAGE_BODY, SIX_KEYS, "too many keys: 6"),
                bad(MESSAGE_ATTRIBUTES, "{'a': ['1'], '$or': [{'b': ['1'], 'c': ['1']}, {'d': ['1'], 'e': ['1'], 'f': ['1']}]}", "too many keys: 6"),
                bad(MESSAGE_BODY, "{'a': ['1'], '$or': [{'b': ['1'], 'c': ['1']}, {'d': ['1'], 'e': ['1'], 'f': {'g': ['1']}}]}", "too many keys: 6"),
                bad(MESSAGE_ATTRIBUTES, "{'a': [1,2,3,4,5,6,7,8,9,10], 'b': [1,2,3,4,5,6,7,8,9,10], 'c': ['x', 'y']}",
                        "FilterPolicy: too many combinations: 200 "),
                bad(MESSAGE_BODY, "{'a': {'x': [1,2,3,4,5,6,7,8,9,10]}, 'b': {'y': {'z': [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]}}}", "too many combinations: 160"),
                bad(MESSAGE_ATTRIBUTES, "{'a': [1,2,3,4,5,6,7,8,9,10], '$or': [{'b': [1,2,3,4,5,6,7,8]}, {'c': [1,2,3,4,5,6,7,8]}]}",
                        "too many combinations: 160"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{'numeric': ['>', 100, '<', 10]}]}",
                        "FilterPolicy: \"price\": numeric range lower bound 100 is above upper bound 10"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{'numeric': ['>', 10, '<', 10]}]}", "\"price\": numeric range [\">\",10,\"<\",10] contains no number"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{'numeric': ['>', 1, '>=', 2]}]}", "\"price\": numeric range has two lower bounds"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{'numeric': ['<', 1, '<=', 2]}]}", "\"price\": numeric range has two upper bounds"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{'numeric': ['=', 1, '<', 2]}]}", "\"price\": numeric \"=\" cannot be combined"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{'numeric': ['!=', 1]}]}", "\"price\": numeric operator \"!=\" is not one of =, <, <=, >, >="),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{'numeric': ['>', '1']}]}", "\"price\": numeric operator \">\" must be followed by a number, not \"1\""),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{'numeric': ['>', 1, '<']}]}", "\"price\": \"numeric\" takes one or two operator-number pairs"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{'numeric': []}]}", "\"price\": \"numeric\" takes one or two operator-number pairs"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{'numeric': 5}]}", "\"price\": \"numeric\" takes one or two operator-number pairs"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [1000000001]}", "\"price\": number 1000000001 is outside the range -1000000000 to 1000000000"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{'numeric': ['>', -1000000000.5]}]}", "number -1000000000.5 is outside the range"),
                bad(MESSAGE_BODY, "{'price': [{'anything-but': [1, 1e10]}]}", "\"price\": number 1E+10 is outside the range"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [1.123456]}", "\"price\": number 1.123456 has more than 5 decimal places"),
                bad(MESSAGE_ATTRIBUTES, "{'store': {'location': ['Paris']}}",
                        "FilterPolicy: \"store\": a nested object is not allowed when the scope is MessageAttributes"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{'regex': 'a.*'}]}", "FilterPolicy: \"price\": unknown operator \"regex\""),
                bad(MESSAGE_BODY, "{'store': {'name': [{'begins-with': 'a'}]}}", "FilterPolicy: \"store.name\": unknown operator \"begins-with\""),
                bad(MESSAGE_ATTRIBUTES, "{'price': []}", "FilterPolicy: \"price\": the array of conditions is empty"),
                bad(MESSAGE_BODY, "{'store': {'location': []}}", "FilterPolicy: \"store.location\": the array of conditions is empty"),
                bad(MESSAGE_BODY, "{'store': {}}", "FilterPolicy: \"store\": an empty nested object"),
                bad(MESSAGE_ATTRIBUTES, "{'$or': [{}, {'a': ['x']}]}", "FilterPolicy: an \"$or\" branch is an empty object"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [}", "FilterPolicy: malformed JSON: unexpected character '}', expected a value at offset 11"),
                bad(MESSAGE_ATTRIBUTES, "{'a': ['x'], 'a': ['y']}", "FilterPolicy: malformed JSON: duplicate key \"a\""),
                bad(MESSAGE_ATTRIBUTES, "", "FilterPolicy: malformed JSON: unexpected end of input"),
                bad(MESSAGE_ATTRIBUTES, "{'a': ['" + "x".repeat(262_144) + "']}", "FilterPolicy: the policy is 262155 bytes; at most 262144 (256 KiB) are allowed"),
                bad(MESSAGE_ATTRIBUTES, "['a']", "FilterPolicy: the policy must be a JSON object, not [\"a\"]"),
                bad(MESSAGE_ATTRIBUTES, "{'price': 5}", "FilterPolicy: \"price\": the value must be an array of conditions, not 5"),
                bad(MESSAGE_BODY, "{'price': 'x'}", "FilterPolicy: \"price\": the value must be an array of conditions or a nested object, not \"x\""),
                bad(MESSAGE_ATTRIBUTES, "{'price': [['x']]}", "\"price\": an array inside the array of conditions is not allowed"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{}]}", "\"price\": an empty operator object {}"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{'prefix': 'a', 'suffix': 'b'}]}", "\"price\": an operator object must have exactly one key, not [\"prefix\",\"suffix\"]"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{'prefix': 5}]}", "\"price\": \"prefix\" takes a string, not 5"),
                bad(MESSAGE_ATTRIBUTES, "{'price': [{'exists': 'yes'}]}", "\"price\": \"exists\" takes true or false, not \"yes\""),
                bad(MESSAGE_ATTRIBUTES, "{'ip': [{'cidr': '10.0.0.0/33'}]}", "\"ip\": \"cidr\" \"10.0.0.0/33\" is not a CIDR block: prefix length \"33\" is not between 0 and 32"),
                bad(MESSAGE_ATTRIBUTES, "{'ip': [{'cidr': '10.0.0/24'}]}", "\"ip\": \"cidr\" \"10.0.0/24\" is not a CIDR block: \"10.0.0\" is not an IPv4 or IPv6 address"),
                bad(MESSAGE_ATTRIBUTES, "{'ip': [{'cidr': '10.0.0.1'}]}", "is not a CIDR block: missing /prefix-length"),
                bad(MESSAGE_ATTRIBUTES, "{'ip': [{'cidr': '2001:db8::/129'}]}", "prefix length \"129\" is not between 0 and 128"),
                bad(MESSAGE_ATTRIBUTES, "{'ip': [{'cidr': 'example.com/24'}]}", "\"example.com\" is not an IPv4 or IPv6 address"),
                bad(MESSAGE_ATTRIBUTES, "{'f': [{'wildcard': 'a**b'}]}", "\"f\": \"wildcard\" \"a**b\": consecutive '*' characters are not allowed"),
                bad(MESSAGE_ATTRIBUTES, "{'f': [{'wildcard': '*a*b*c*'}]}", "\"f\": \"wildcard\" \"*a*b*c*\" has 4 '*' characters; at most 3 are allowed"),
                bad(MESSAGE_ATTRIBUTES, "{'f': [{'wildcard': 'a\\\\b'}]}", "\"f\": \"wildcard\" \"a\\\\b\": a backslash may only escape"),
                bad(MESSAGE_ATTRIBUTES, "{'f': [{'anything-but': ['a', 1]}]}", "\"f\": \"anything-but\" takes a string, a number, a non-empty list"),
                bad(MESSAGE_ATTRIBUTES, "{'f': [{'anything-but': []}]}", "\"f\": \"anything-but\" takes a string, a number, a non-empty list"),
                bad(MESSAGE_ATTRIBUTES, "{'f': [{'anything-but': true}]}", "\"f\": \"anything-but\" takes"),
                bad(MESSAGE_ATTRIBUTES, "{'f': [{'anything-but': {'numeric': ['>', 1]}}]}", "\"f\": \"anything-but\" cannot be combined with \"numeric\""),
                bad(MESSAGE_ATTRIBUTES, "{'f': [{'anything-but': {'prefix': 1}}]}", "\"f\": \"prefix\" takes a string, not 1"),
                bad(MESSAGE_ATTRIBUTES, "{'$or': [{'numeric': 123}, {'prefix': 'abc'}]}", "\"$or\": \"numeric\" takes one or two operator-number pairs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPolicies")
    void invalidPoliciesAreRefusedNamingTheOffendingPart(String name, Scope scope, String policy, String expectedMessagePart) {
        FilterPolicyException e = assertThrows(FilterPolicyException.class, () -> FilterPolicy.compile(policy, scope));
        assertTrue(e.getMessage().contains(expectedMessagePart), () -> "message \"" + e.getMessage() + "\" lacks \"" + expectedMessagePart + "\"");
        assertInstanceOf(IllegalArgumentException.class, e);
    }

    @Test
    void theExactMessageForABadRange() {
        FilterPolicyException e = assertThrows(FilterPolicyException.class,
                () -> FilterPolicy.compile(q("{'price': [{'numeric': ['>', 100, '<=', 10]}]}"), MESSAGE_ATTRIBUTES));
        assertEquals("FilterPolicy: \"price\": numeric range lower bound 100 is above upper bound 10", e.getMessage());
    }

    @Test
    void limitsAreInclusive() {
        FilterPolicy.compile(q("{'a': ['1'], 'b': ['1'], 'c': ['1'], 'd': ['1'], 'e': ['1']}"), MESSAGE_ATTRIBUTES);
        FilterPolicy.compile(q("{'a': ['1'], '$or': [{'b': ['1']}, {'c': ['1'], 'd': ['1'], 'e': ['1'], 'b': ['2']}]}"), MESSAGE_ATTRIBUTES);
        FilterPolicy.compile(q("{'a': [1,2,3,4,5,6,7,8,9,10], 'b': [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}"), MESSAGE_ATTRIBUTES);
        // The guide's nested "$or": 1 x 2 + 1 x 1 x 2 + 1 x 1 x 3 = 7 combinations.
        FilterPolicy.compile(q("{'source': ['aws.cloudwatch'], '$or': [{'metricName': ['CPUUtilization', 'ReadLatency']},"
                + " {'metricType': ['MetricType'], '$or': [{'metricId': [1234, 4321]}, {'spaces': [1000, 2000, 3000]}]}]}"), MESSAGE_ATTRIBUTES);
        FilterPolicy.compile(q("{'p': [1000000000, -1000000000, 0.00001, -999999999.99999, 1.500000]}"), MESSAGE_ATTRIBUTES);
        FilterPolicy.compile(q("{'f': [{'wildcard': '*a*b*'}]}"), MESSAGE_ATTRIBUTES);
        String padding = "x".repeat(262_144 - q("{'a': ['']}").length() - 2);
        String atLimit = q("{'a': ['" + padding + "\u00e9']}");
        assertEquals(262_144, atLimit.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        FilterPolicy.compile(atLimit, MESSAGE_ATTRIBUTES);
        assertThrows(FilterPolicyException.class, () -> FilterPolicy.compile(atLimit.replace("\u00e9", "\u20ac"), MESSAGE_ATTRIBUTES),
                "bytes, not chars, are counted");
    }

    @Test
    void scopesAreNotMixed() {
        FilterPolicy attributes = FilterPolicy.compile("{}", MESSAGE_ATTRIBUTES);
        FilterPolicy body = FilterPolicy.compile("{}", MESSAGE_BODY);
        assertEquals(MESSAGE_ATTRIBUTES, attributes.scope());
        assertEquals(MESSAGE_BODY, body.scope());
        assertThrows(IllegalStateException.class, () -> attributes.matchesBody(Map.of()));
        assertThrows(IllegalStateException.class, () -> body.matchesAttributes(Map.of()));
        assertThrows(FilterPolicyException.class, () -> FilterPolicy.compile(null, MESSAGE_BODY));
    }

    @Test
    void aCompiledPolicyIsReusable() {
        FilterPolicy p = FilterPolicy.compile(q("{'n': [{'numeric': ['>', 5]}], 's': [{'prefix': 'a'}]}"), MESSAGE_ATTRIBUTES);
        for (int i = 0; i < 10; i++) {
            assertEquals(i > 5, p.matchesAttributes(attrs("n", "Number", String.valueOf(i), "s", "String", "abc")));
        }
    }
}
