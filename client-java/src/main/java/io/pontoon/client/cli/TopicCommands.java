package io.pontoon.client.cli;

import io.pontoon.api.v1.MessageAttributeValue;
import io.pontoon.api.v1.PublishRequest;
import io.pontoon.api.v1.SubscribeRequest;
import io.pontoon.api.v1.Subscription;
import io.pontoon.client.PontoonClient;
import io.pontoon.client.TopicClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code pontoon topic ...}: SNS-style topics from the command line. */
@Command(name = "topic", description = "Topics (SNS): create, list, subscribe, unsubscribe, publish, attributes, delete.",
        subcommands = {TopicCommands.Create.class, TopicCommands.ListTopics.class, TopicCommands.Subscribe.class, TopicCommands.Subscriptions.class,
                TopicCommands.Unsubscribe.class, TopicCommands.Publish.class, TopicCommands.Attributes.class, TopicCommands.Delete.class})
final class TopicCommands {
    static final String ARN_PREFIX = "arn:aws:sns:pontoon:000000000000:";

    @ParentCommand
    PontoonCli cli;

    /** A topic subcommand: connects, runs, closes. */
    abstract static class TopicCommand implements Callable<Integer> {
        @ParentCommand
        TopicCommands group;

        @Override
        public final Integer call() throws Exception {
            try (PontoonClient client = group.cli.connect()) {
                run(client.topics(), group.cli.out());
            }
            return PontoonCli.EXIT_OK;
        }

        abstract void run(TopicClient topics, PrintStream out) throws Exception;
    }

    /** A topic named by its name or its ARN (a name becomes the canonical ARN, which every cluster accepts). */
    static String arn(String topic) {
        return topic.startsWith("arn:") ? topic : ARN_PREFIX + topic;
    }

    @Command(name = "create", description = "Create a topic (idempotent); prints its ARN.")
    static final class Create extends TopicCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--attribute", description = "NAME=VALUE, e.g. DisplayName=Orders (repeatable).") Map<String, String> attributes = new HashMap<>();

        void run(TopicClient topics, PrintStream out) {
            out.println(topics.createTopic(io.pontoon.api.v1.CreateTopicRequest.newBuilder().setName(name).putAllAttributes(attributes).build())
                    .getTopicArn());
        }
    }

    @Command(name = "list", description = "Every topic's ARN.")
    static final class ListTopics extends TopicCommand {
        void run(TopicClient topics, PrintStream out) {
            topics.listTopics().forEach(out::println);
        }
    }

    @Command(name = "subscribe", description = "Subscribe a queue (--queue NAME) or an HTTP(S) endpoint (--url URL); prints the subscription ARN.")
    static final class Subscribe extends TopicCommand {
        @Parameters(paramLabel = "TOPIC", description = "Topic name or ARN.") String topic;
        @Option(names = "--queue", description = "A Pontoon queue's name.") String queue;
        @Option(names = "--url", description = "An http:// or https:// endpoint (pending until it confirms).") String url;
        @Option(names = "--filter", description = "A filter policy (JSON) on message attributes.") String filter;
        @Option(names = "--raw", description = "Deliver the message alone, not the SNS envelope.") boolean raw;

        void run(TopicClient topics, PrintStream out) {
            if ((queue == null) == (url == null)) {
                throw new IllegalArgumentException("give exactly one of --queue and --url");
            }
            SubscribeRequest.Builder b = SubscribeRequest.newBuilder().setTopicArn(arn(topic)).setReturnSubscriptionArn(true);
            if (queue != null) {
                b.setProtocol("sqs").setEndpoint(io.pontoon.api.QueueUrls.arnOf(queue));
            } else {
                b.setProtocol(url.startsWith("https:") ? "https" : "http").setEndpoint(url);
            }
            if (filter != null) {
                b.putAttributes("FilterPolicy", filter);
            }
            if (raw) {
                b.putAttributes("RawMessageDelivery", "true");
            }
            out.println(topics.subscribe(b.build()).getSubscriptionArn());
        }
    }

    @Command(name = "subscriptions", description = "A topic's subscriptions (ARN, protocol, endpoint).")
    static final class Subscriptions extends TopicCommand {
        @Parameters(paramLabel = "TOPIC", description = "Topic name or ARN.") String topic;

        void run(TopicClient topics, PrintStream out) {
            for (Subscription s : topics.listSubscriptionsByTopic(arn(topic))) {
                out.println(s.getSubscriptionArn() + " " + s.getProtocol() + " " + s.getEndpoint());
            }
        }
    }

    @Command(name = "unsubscribe", description = "Remove a subscription by its ARN.")
    static final class Unsubscribe extends TopicCommand {
        @Parameters(paramLabel = "SUBSCRIPTION_ARN") String subscription;

        void run(TopicClient topics, PrintStream out) {
            topics.unsubscribe(subscription);
            out.println("unsubscribed " + subscription);
        }
    }

    @Command(name = "publish", description = "Publish a message; prints its MessageId.")
    static final class Publish extends TopicCommand {
        @Parameters(paramLabel = "TOPIC", description = "Topic name or ARN.") String topic;
        @Parameters(paramLabel = "MESSAGE") String message;
        @Option(names = "--subject") String subject;
        @Option(names = "--attribute", description = "NAME=VALUE, a String message attribute (repeatable).") Map<String, String> attributes = new TreeMap<>();

        void run(TopicClient topics, PrintStream out) {
            PublishRequest.Builder b = PublishRequest.newBuilder().setTopicArn(arn(topic)).setMessage(message);
            if (subject != null) {
                b.setSubject(subject);
            }
            attributes.forEach((k, v) -> b.putMessageAttributes(k, MessageAttributeValue.newBuilder().setDataType("String").setStringValue(v).build()));
            out.println(topics.publish(b.build()).getMessageId());
        }
    }

    @Command(name = "attributes", description = "A topic's attributes; with --set NAME=VALUE, change one first.")
    static final class Attributes extends TopicCommand {
        @Parameters(paramLabel = "TOPIC", description = "Topic name or ARN.") String topic;
        @Option(names = "--set", description = "NAME=VALUE to set (repeatable).") Map<String, String> set = new TreeMap<>();

        void run(TopicClient topics, PrintStream out) {
            set.forEach((k, v) -> topics.setTopicAttribute(arn(topic), k, v));
            new TreeMap<>(topics.getTopicAttributes(arn(topic))).forEach((k, v) -> out.println(k + "=" + v));
        }
    }

    @Command(name = "delete", description = "Delete a topic and its subscriptions.")
    static final class Delete extends TopicCommand {
        @Parameters(paramLabel = "TOPIC", description = "Topic name or ARN.") String topic;

        void run(TopicClient topics, PrintStream out) {
            topics.deleteTopic(arn(topic));
            out.println("deleted " + topic);
        }
    }
}
