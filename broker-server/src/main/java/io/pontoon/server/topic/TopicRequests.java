package io.pontoon.server.topic;

import io.pontoon.core.error.BrokerException;
import io.pontoon.core.error.ErrorCode;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionQuery;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.topic.DeliveryPolicy;
import io.pontoon.core.topic.Subscription;
import io.pontoon.core.topic.Topic;
import io.pontoon.core.topic.TopicArns;
import io.pontoon.core.topic.TopicAttributes;
import io.pontoon.core.topic.TopicCommand;
import io.pontoon.core.topic.TopicQuery;
import io.pontoon.core.topic.TopicQueryResult;
import io.pontoon.core.topic.TopicResult;
import io.pontoon.core.topic.TopicValidator;
import io.pontoon.server.partition.PartitionAccess;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The topic model's requests on the serving node: validate, find the topic's partition, submit or read, and turn the
 * answer into values. Every check that needs no state runs here, before anything is replicated.
 */
final class TopicRequests {
    private static final int PAGE = 100;
    private final TopicPlacement placement;
    private final PartitionAccess partitions;
    private final SecureRandom random = new SecureRandom();
    private final String owner;

    /** @param owner the account id shown as topics' and subscriptions' Owner (aws.account.id) */
    TopicRequests(TopicPlacement placement, PartitionAccess partitions, String owner) {
        this.placement = placement;
        this.partitions = partitions;
        this.owner = owner;
    }

    String owner() {
        return owner;
    }

    // ---------------------------------------------------------------- topics

    CompletableFuture<String> create(String name, Map<String, String> attributes, Map<String, String> tags) {
        TopicCommand.CreateTopic c = new TopicCommand.CreateTopic(name, attributes, tags);
        TopicValidator.validate(c);
        return placement.place(name).thenCompose(p -> partitions.submit(p, c)).thenApply(r -> {
            expect(r, TopicResult.TopicCreated.class);
            return TopicArns.topic(name);
        });
    }

    /** Deleting a topic that does not exist succeeds (SNS). */
    CompletableFuture<Void> delete(String topicArn) {
        String name = TopicArns.topicName(topicArn, "TopicArn");
        return placement.lookup(name).handle((p, e) -> {
            if (e != null) {
                if (notFound(e)) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
                throw new CompletionException(cause(e));
            }
            return partitions.submit(p, new TopicCommand.DeleteTopic(name)).thenApply(TopicRequests::ok).thenCompose(r -> placement.unplace(name));
        }).thenCompose(f -> f);
    }

    CompletableFuture<Map<String, String>> topicAttributes(String topicArn) {
        String name = TopicArns.topicName(topicArn, "TopicArn");
        return topic(name).thenApply(t -> {
            Map<String, String> a = new LinkedHashMap<>();
            a.put("TopicArn", TopicArns.topic(name));
            a.put("Owner", owner);
            a.put("DisplayName", "");
            a.put("Policy", defaultPolicy(name));
            a.put("SubscriptionsConfirmed", String.valueOf(t.confirmedSubscriptions()));
            a.put("SubscriptionsPending", String.valueOf(t.pendingSubscriptions()));
            a.put("SubscriptionsDeleted", "0");
            a.put("EffectiveDeliveryPolicy", DeliveryPolicy.effective(t.attributes().get(TopicAttributes.DELIVERY_POLICY), null).toJson());
            if ("true".equals(t.attributes().get(TopicAttributes.FIFO_TOPIC))) {
                a.put(TopicAttributes.CONTENT_BASED_DEDUPLICATION, "false"); // a FIFO topic shows it even when never set
            }
            a.putAll(t.attributes());
            return a;
        });
    }

    CompletableFuture<Void> setTopicAttribute(String topicArn, String attribute, String value) {
        String name = TopicArns.topicName(topicArn, "TopicArn");
        return submitTo(name, new TopicCommand.SetTopicAttribute(name, attribute, value)).thenApply(r -> ok(r));
    }

    /** A page of topic ARNs (100 per page, as SNS) and the token of the next page, or null. */
    CompletableFuture<Page<String>> listTopics(String nextToken) {
        String after = nextToken == null || nextToken.isEmpty() ? "" : decodeName(nextToken);
        return placement.list(after, PAGE).thenApply(l -> new Page<>(l.placements().stream().map(p -> TopicArns.topic(p.name())).toList(),
                l.nextStartAfter() == null ? null : encode(l.nextStartAfter())));
    }

    record Page<T>(List<T> items, String nextToken) {
    }

    CompletableFuture<Map<String, String>> tags(String resourceArn) {
        return topic(TopicArns.topicName(resourceArn, "ResourceArn")).thenApply(Topic::tags);
    }

    CompletableFuture<Void> tag(String resourceArn, Map<String, String> add, List<String> remove) {
        String name = TopicArns.topicName(resourceArn, "ResourceArn");
        return submitTo(name, new TopicCommand.TagTopic(name, add, remove)).thenApply(r -> ok(r));
    }

    // ---------------------------------------------------------------- subscriptions

    /** The new (or existing) subscription's ARN, and whether it waits for confirmation. */
    CompletableFuture<TopicResult.Subscribed> subscribe(String topicArn, String protocol, String endpoint, Map<String, String> attributes) {
        String name = TopicArns.topicName(topicArn, "TopicArn");
        String token = protocol != null && protocol.startsWith("http") ? newToken() : null;
        return submitTo(name, new TopicCommand.Subscribe(name, protocol, endpoint, attributes, token))
                .thenApply(r -> expect(r, TopicResult.Subscribed.class));
    }

    CompletableFuture<String> confirm(String topicArn, String token) {
        String name = TopicArns.topicName(topicArn, "TopicArn");
        return submitTo(name, new TopicCommand.ConfirmSubscription(name, token))
                .thenApply(r -> TopicArns.subscription(name, expect(r, TopicResult.Subscribed.class).subscriptionId()));
    }

    CompletableFuture<Void> unsubscribe(String subscriptionArn) {
        String[] parts = TopicArns.subscriptionParts(subscriptionArn);
        return submitTo(parts[0], new TopicCommand.Unsubscribe(parts[0], parts[1])).thenApply(r -> ok(r));
    }

    CompletableFuture<Map<String, String>> subscriptionAttributes(String subscriptionArn) {
        String[] parts = TopicArns.subscriptionParts(subscriptionArn);
        return readFrom(parts[0], new TopicQuery.GetSubscription(parts[0], parts[1])).thenApply(r -> {
            TopicQueryResult.SubscriptionFound f = expect(r, TopicQueryResult.SubscriptionFound.class);
            Subscription s = f.subscription();
            Map<String, String> a = new LinkedHashMap<>();
            a.put("SubscriptionArn", s.arn());
            a.put("TopicArn", TopicArns.topic(s.topic()));
            a.put("Owner", owner);
            a.put("Protocol", s.protocol());
            a.put("Endpoint", s.endpoint());
            a.put("ConfirmationWasAuthenticated", String.valueOf(s.confirmed()));
            a.put("PendingConfirmation", String.valueOf(!s.confirmed()));
            a.put("RawMessageDelivery", "false");
            a.putAll(s.attributes());
            if (s.isHttp()) {
                a.put("EffectiveDeliveryPolicy", DeliveryPolicy.effective(f.topicDeliveryPolicy(),
                        s.attributes().get(TopicAttributes.DELIVERY_POLICY)).toJson());
            }
            return a;
        });
    }

    CompletableFuture<Void> setSubscriptionAttribute(String subscriptionArn, String attribute, String value) {
        String[] parts = TopicArns.subscriptionParts(subscriptionArn);
        return submitTo(parts[0], new TopicCommand.SetSubscriptionAttribute(parts[0], parts[1], attribute, value)).thenApply(r -> ok(r));
    }

    CompletableFuture<Page<Subscription>> subscriptionsOf(String topicArn, String nextToken) {
        String name = TopicArns.topicName(topicArn, "TopicArn");
        byte[] after = nextToken == null || nextToken.isEmpty() ? null : decodeKey(nextToken);
        return topic(name).thenCompose(t -> readFrom(name, new TopicQuery.ListSubscriptions(name, after, PAGE, false))).thenApply(r -> {
            TopicQueryResult.SubscriptionList l = expect(r, TopicQueryResult.SubscriptionList.class);
            return new Page<>(l.subscriptions(), l.next() == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(l.next()));
        });
    }

    /** Every subscription of the cluster, partition by partition; the token is (partition, key to continue after). */
    CompletableFuture<Page<Subscription>> subscriptions(String nextToken) {
        int partition = 0;
        byte[] after = null;
        if (nextToken != null && !nextToken.isEmpty()) {
            String token = decodeName(nextToken);
            int cut = token.indexOf(':');
            try {
                partition = Integer.parseInt(token.substring(0, cut));
                after = cut + 1 < token.length() ? HexFormat.of().parseHex(token.substring(cut + 1)) : null;
            } catch (RuntimeException e) {
                throw invalidToken();
            }
            if (partition < 0 || partition >= partitions.partitions()) {
                throw invalidToken();
            }
        }
        return collect(partition, after, new ArrayList<>());
    }

    private CompletableFuture<Page<Subscription>> collect(int partition, byte[] after, List<Subscription> into) {
        return partitions.read(partition, new TopicQuery.ListSubscriptions("", after, PAGE - into.size(), false)).thenCompose(r -> {
            TopicQueryResult.SubscriptionList l = expect(r, TopicQueryResult.SubscriptionList.class);
            into.addAll(l.subscriptions());
            if (l.next() != null) {
                return CompletableFuture.completedFuture(new Page<>(into, encode(partition + ":" + HexFormat.of().formatHex(l.next()))));
            }
            if (partition + 1 >= partitions.partitions()) {
                return CompletableFuture.completedFuture(new Page<>(into, null));
            }
            if (into.size() >= PAGE) {
                return CompletableFuture.completedFuture(new Page<>(into, encode((partition + 1) + ":")));
            }
            return collect(partition + 1, null, into);
        });
    }

    // ---------------------------------------------------------------- publishing

    /** The message ids (and, on a FIFO topic, sequence numbers) of the entries, in order. */
    CompletableFuture<TopicResult.Published> publish(String topicArn, List<TopicCommand.PublishEntry> entries) {
        String name = TopicArns.topicName(topicArn, "TopicArn");
        // The request id makes a resubmission of this command after a leader change a no-op (TopicCommand.Publish).
        TopicCommand.Publish p = new TopicCommand.Publish(name, entries, java.util.UUID.randomUUID().toString());
        TopicValidator.validate(p);
        return submitTo(name, p).thenApply(r -> expect(r, TopicResult.Published.class));
    }

    // ---------------------------------------------------------------- plumbing

    private CompletableFuture<Topic> topic(String name) {
        return readFrom(name, new TopicQuery.GetTopic(name)).thenApply(r -> expect(r, TopicQueryResult.TopicFound.class).topic());
    }

    /**
     * Submits to the topic's partition. A NotFound from a partition may come from a stale cached placement (the topic
     * was deleted and created again elsewhere): the placement is read again from the controller's leader, once.
     */
    private CompletableFuture<PartitionResult> submitTo(String topic, TopicCommand command) {
        return placement.lookup(topic).thenCompose(p -> partitions.submit(p, command).thenCompose(r -> {
            if (r instanceof PartitionResult.Error e && e.code() == ErrorCode.NOT_FOUND) {
                return placement.fresh(topic).thenCompose(q -> q == p ? CompletableFuture.completedFuture(r) : partitions.submit(q, command));
            }
            return CompletableFuture.completedFuture(r);
        }));
    }

    private CompletableFuture<QueryResult> readFrom(String topic, PartitionQuery query) {
        return placement.lookup(topic).thenCompose(p -> partitions.read(p, query).thenCompose(r -> {
            if (r instanceof QueryResult.Error e && e.code() == ErrorCode.NOT_FOUND) {
                return placement.fresh(topic).thenCompose(q -> q == p ? CompletableFuture.completedFuture(r) : partitions.read(q, query));
            }
            return CompletableFuture.completedFuture(r);
        }));
    }

    /** Null for Ok; a business failure becomes its exception. */
    private static Void ok(PartitionResult r) {
        expect(r, PartitionResult.Ok.class);
        return null;
    }

    static <T> T expect(Object answer, Class<T> type) {
        if (type.isInstance(answer)) {
            return type.cast(answer);
        }
        if (answer instanceof PartitionResult.Error e) {
            throw new BrokerException(e.code(), e.message());
        }
        if (answer instanceof QueryResult.Error e) {
            throw new BrokerException(e.code(), e.message());
        }
        throw new BrokerException(ErrorCode.INTERNAL_ERROR, "unexpected answer " + answer);
    }

    private String newToken() {
        byte[] b = new byte[64];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static boolean notFound(Throwable e) {
        return cause(e) instanceof BrokerException b && b.code() == ErrorCode.NOT_FOUND;
    }

    static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String encode(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeName(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidToken();
        }
    }

    private static byte[] decodeKey(String token) {
        try {
            return Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalidToken();
        }
    }

    private static BrokerException invalidToken() {
        return new BrokerException(ErrorCode.INVALID_PARAMETER, "Invalid parameter: NextToken is not a token this service gave out.");
    }

    /** SNS's default topic policy (stored and shown; enforcing policies is the security issue's). */
    private String defaultPolicy(String name) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Sid", "__default_statement_ID");
        statement.put("Effect", "Allow");
        statement.put("Principal", Map.of("AWS", "*"));
        statement.put("Action", List.of("SNS:Publish", "SNS:Subscribe", "SNS:Receive"));
        statement.put("Resource", TopicArns.topic(name));
        statement.put("Condition", Map.of("StringEquals", Map.of("AWS:SourceOwner", owner)));
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Version", "2008-10-17");
        policy.put("Id", "__default_policy_ID");
        policy.put("Statement", List.of(statement));
        return io.pontoon.core.codec.Json.write(policy);
    }
}
