package io.pontoon.client.cli;

import io.pontoon.api.QueueUrls;
import io.pontoon.api.v1.GetReplicaDigestResponse;
import io.pontoon.api.v1.ListMessageMoveTasksRequest;
import io.pontoon.api.v1.ListMessageMoveTasksResponse;
import io.pontoon.api.v1.ListMessageMoveTasksResultEntry;
import io.pontoon.api.v1.Message;
import io.pontoon.api.v1.SendMessageRequest;
import io.pontoon.api.v1.SendMessageResponse;
import io.pontoon.api.v1.StartMessageMoveTaskRequest;
import io.pontoon.api.v1.TransferLeadershipResponse;
import io.pontoon.client.PontoonClient;
import io.pontoon.client.PontoonException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * The {@code pontoon} command-line client (picocli). QUEUE is a queue name or a {@code pontoon://queue/NAME} URL;
 * the endpoint defaults to {@code $PONTOON_ENDPOINT}, else 127.0.0.1:7001. Exit codes: 0 ok, 1 error (the AWS
 * code is printed on stderr), 2 usage error. {@code pontoon help COMMAND} describes a command.
 */
@Command(name = "pontoon", mixinStandardHelpOptions = true, version = "pontoon CLI",
        description = "Pontoon command-line client: queues, messages, dead-letter redrive and operator calls.",
        subcommands = {CommandLine.HelpCommand.class, PontoonCli.CreateQueue.class, PontoonCli.ListQueues.class, PontoonCli.Send.class,
                PontoonCli.Receive.class, PontoonCli.Delete.class, PontoonCli.Attributes.class, PontoonCli.SetAttributes.class,
                PontoonCli.Tag.class, PontoonCli.Untag.class, PontoonCli.Tags.class, PontoonCli.Purge.class, PontoonCli.DeleteQueue.class,
                PontoonCli.Redrive.class, PontoonCli.MoveTasks.class, PontoonCli.TransferLeader.class, PontoonCli.ReplicaDigests.class,
                StreamCommands.class, TopicCommands.class},
        footer = "QUEUE is a name or pontoon://queue/NAME. Endpoint default: $PONTOON_ENDPOINT or 127.0.0.1:7001. With a TLS cluster, set PONTOON_TLS_CA to its CA certificate; with auth.mode=sigv4, PONTOON_ACCESS_KEY_ID and PONTOON_SECRET_ACCESS_KEY.")
public final class PontoonCli {
    public static final int EXIT_OK = 0;
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_USAGE = 2;
    /** The largest body SQS accepts (MaximumMessageSize at most 1 MiB, attributes included). */
    static final int MAX_BODY_BYTES = 1_048_576;

    @Option(names = "--endpoint", paramLabel = "HOST:PORT", description = "Any node's client endpoint.")
    private String endpoint;

    private PontoonClient.Builder builder;
    private PrintStream out;
    private InputStream stdin;

    private PontoonCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the CLI; returns the exit code. */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        String env = System.getenv("PONTOON_ENDPOINT");
        String ca = System.getenv("PONTOON_TLS_CA"); // a cluster with tls.enabled: the CA certificate to trust
        return run(argv, out, err, PontoonClient.builder().bootstrap(env != null && !env.isBlank() ? env : "127.0.0.1:7001")
                .tlsTrust(ca != null && !ca.isBlank() ? java.nio.file.Path.of(ca) : null)
                .credentials(blankToNull(System.getenv("PONTOON_ACCESS_KEY_ID")), System.getenv("PONTOON_SECRET_ACCESS_KEY")), System.in);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Runs the CLI with a preconfigured client builder (its bootstrap is replaced by --endpoint). */
    public static int run(String[] argv, PrintStream out, PrintStream err, PontoonClient.Builder builder) {
        return run(argv, out, err, builder, System.in);
    }

    /** As {@link #run(String[], PrintStream, PrintStream, PontoonClient.Builder)}, reading bodies given as "-" from {@code stdin}. */
    public static int run(String[] argv, PrintStream out, PrintStream err, PontoonClient.Builder builder, InputStream stdin) {
        PontoonCli cli = new PontoonCli();
        cli.builder = builder;
        cli.out = out;
        cli.stdin = stdin;
        CommandLine cmd = new CommandLine(cli);
        cmd.setOut(new java.io.PrintWriter(out, true));
        cmd.setErr(new java.io.PrintWriter(err, true));
        cmd.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof PontoonException p) {
                err.println("error: " + p.awsCode() + " (" + p.statusCode() + "): " + messageOf(p));
                return EXIT_ERROR;
            }
            if (e instanceof IllegalStateException) { // an operation that ended badly (a move task that failed)
                err.println("error: " + e.getMessage());
                return EXIT_ERROR;
            }
            if (e instanceof IllegalArgumentException || e instanceof CommandLine.ParameterException) {
                err.println("error: " + e.getMessage());
                commandLine.usage(err);
                return EXIT_USAGE;
            }
            throw e;
        });
        if (argv.length == 0) {
            err.println("error: missing command");
            cmd.usage(err);
            return EXIT_USAGE;
        }
        return cmd.execute(argv);
    }

    /** A client for the cluster this invocation names (--endpoint, else the environment's or the default endpoint). */
    PontoonClient connect() {
        if (endpoint != null) {
            builder.bootstrap(endpoint);
        }
        return builder.build();
    }

    PrintStream out() {
        return out;
    }

    InputStream stdin() {
        return stdin;
    }

    private static String messageOf(PontoonException e) {
        String m = e.getMessage();
        String prefix = e.awsCode() + ": ";
        return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    /** A command that talks to the cluster. */
    abstract static class ClusterCommand implements Callable<Integer> {
        @ParentCommand
        PontoonCli cli;

        @Override
        public final Integer call() throws Exception {
            if (cli.endpoint != null) {
                cli.builder.bootstrap(cli.endpoint);
            }
            try (PontoonClient client = cli.builder.build()) {
                run(client, cli.out);
            }
            return EXIT_OK;
        }

        abstract void run(PontoonClient client, PrintStream out) throws Exception;

        InputStream stdin() {
            return cli.stdin;
        }
    }

    /** The bytes of {@code source} (a file, or "-" for standard input), at most {@link #MAX_BODY_BYTES}. */
    static byte[] readInput(String source, InputStream stdin) throws IOException {
        try (InputStream in = source.equals("-") ? stdin : Files.newInputStream(Path.of(source))) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new IllegalArgumentException("the input from " + (source.equals("-") ? "standard input" : source)
                        + " is larger than the " + MAX_BODY_BYTES + "-byte limit");
            }
            return bytes;
        }
    }

    static String url(String queue) {
        if (queue.startsWith(QueueUrls.PREFIX)) return queue;
        if (!QueueUrls.isValidName(queue)) throw new IllegalArgumentException("invalid queue name: " + queue);
        return QueueUrls.toUrl(queue);
    }

    static String arn(String queue) {
        return QueueUrls.arnOf(QueueUrls.nameOf(url(queue)));
    }

    @Command(name = "create-queue", description = "Create a queue and print its URL.")
    static final class CreateQueue extends ClusterCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--attr", paramLabel = "K=V", description = "A queue attribute, e.g. FifoQueue=true.") Map<String, String> attrs = new TreeMap<>();
        @Option(names = "--tag", paramLabel = "K=V", description = "A tag.") Map<String, String> tags = new TreeMap<>();

        void run(PontoonClient client, PrintStream out) {
            out.println(client.createQueue(io.pontoon.api.v1.CreateQueueRequest.newBuilder().setQueueName(name).putAllAttributes(attrs)
                    .putAllTags(tags).build()).getQueueUrl());
        }
    }

    @Command(name = "list-queues", description = "List queue URLs.")
    static final class ListQueues extends ClusterCommand {
        @Parameters(paramLabel = "PREFIX", defaultValue = "", arity = "0..1") String prefix;

        void run(PontoonClient client, PrintStream out) {
            client.listQueues(prefix).forEach(out::println);
        }
    }

    @Command(name = "send", description = {"Send a message and print its id.",
            "The body is BODY, or the contents of --body-file FILE; '-' for either reads standard input (up to 1 MiB, UTF-8)."})
    static final class Send extends ClusterCommand {
        @Parameters(index = "0", paramLabel = "QUEUE") String queue;
        @Parameters(index = "1", paramLabel = "BODY", arity = "0..1") String body;
        @Option(names = "--body-file", paramLabel = "FILE") String bodyFile;
        @Option(names = "--group", description = "MessageGroupId (FIFO).") String group;
        @Option(names = "--dedup-id", description = "MessageDeduplicationId (FIFO).") String dedupId;

        void run(PontoonClient client, PrintStream out) throws IOException {
            SendMessageRequest.Builder req = SendMessageRequest.newBuilder().setQueueUrl(url(queue)).setMessageBody(body());
            if (group != null) req.setMessageGroupId(group);
            if (dedupId != null) req.setMessageDeduplicationId(dedupId);
            SendMessageResponse r = client.sendMessage(req.build());
            out.println("MessageId: " + r.getMessageId());
            out.println("MD5OfMessageBody: " + r.getMd5OfMessageBody());
            if (!r.getSequenceNumber().isEmpty()) out.println("SequenceNumber: " + r.getSequenceNumber());
        }

        private String body() throws IOException {
            if ((body == null) == (bodyFile == null)) {
                throw new IllegalArgumentException("give the body either as BODY or with --body-file FILE ('-' reads standard input)");
            }
            if (body != null && !body.equals("-")) {
                return body;
            }
            String source = body != null ? "-" : bodyFile;
            return utf8(readInput(source, stdin()), source);
        }

        private static String utf8(byte[] bytes, String source) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("the body from " + source + " is not UTF-8 text (SQS bodies are text)");
            }
        }
    }

    @Command(name = "receive", description = "Receive messages (and optionally delete them).")
    static final class Receive extends ClusterCommand {
        @Parameters(paramLabel = "QUEUE") String queue;
        @Option(names = "--wait", description = "Long poll up to this many seconds (0..20).") int wait;
        @Option(names = "--max", description = "At most this many messages (1..10).") int max = 1;
        @Option(names = "--delete", description = "Delete each message after printing it.") boolean delete;

        void run(PontoonClient client, PrintStream out) {
            if (wait < 0 || wait > 20) throw new IllegalArgumentException("--wait must be in 0..20");
            if (max < 1 || max > 10) throw new IllegalArgumentException("--max must be in 1..10");
            String url = url(queue);
            List<Message> messages = client.receiveMessages(url, max, wait);
            if (messages.isEmpty()) out.println("(no messages)");
            for (Message m : messages) {
                out.println("MessageId: " + m.getMessageId());
                out.println("ReceiptHandle: " + m.getReceiptHandle());
                new TreeMap<>(m.getAttributesMap()).forEach((k, v) -> out.println("  " + k + ": " + v));
                new TreeMap<>(m.getMessageAttributesMap()).forEach((k, v) -> out.println("  attr " + k + " (" + v.getDataType() + "): "
                        + (v.getDataType().startsWith("Binary") ? v.getBinaryValue().size() + " bytes" : v.getStringValue())));
                out.println("Body: " + m.getBody());
                if (delete) {
                    client.deleteMessage(url, m.getReceiptHandle());
                    out.println("(deleted)");
                }
                out.println();
            }
        }
    }

    @Command(name = "delete", description = "Delete a received message.")
    static final class Delete extends ClusterCommand {
        @Parameters(index = "0", paramLabel = "QUEUE") String queue;
        @Parameters(index = "1", paramLabel = "RECEIPT_HANDLE") String handle;

        void run(PontoonClient client, PrintStream out) {
            client.deleteMessage(url(queue), handle);
            out.println("deleted");
        }
    }

    @Command(name = "attributes", description = "Print all queue attributes.")
    static final class Attributes extends ClusterCommand {
        @Parameters(paramLabel = "QUEUE") String queue;

        void run(PontoonClient client, PrintStream out) {
            new TreeMap<>(client.getQueueAttributes(url(queue))).forEach((k, v) -> out.println(k + ": " + v));
        }
    }

    @Command(name = "set-attributes", description = "Set queue attributes, e.g. --attr 'RedrivePolicy={\"deadLetterTargetArn\":...}'.")
    static final class SetAttributes extends ClusterCommand {
        @Parameters(paramLabel = "QUEUE") String queue;
        @Option(names = "--attr", paramLabel = "K=V", required = true) Map<String, String> attrs;

        void run(PontoonClient client, PrintStream out) {
            client.setQueueAttributes(url(queue), attrs);
            out.println("updated " + url(queue));
        }
    }

    @Command(name = "tag", description = "Add or overwrite queue tags (at most 50 per queue).")
    static final class Tag extends ClusterCommand {
        @Parameters(paramLabel = "QUEUE") String queue;
        @Option(names = "--tag", paramLabel = "K=V", required = true) Map<String, String> tags;

        void run(PontoonClient client, PrintStream out) {
            client.tagQueue(url(queue), tags);
            out.println("tagged " + url(queue));
        }
    }

    @Command(name = "untag", description = "Remove queue tags by key.")
    static final class Untag extends ClusterCommand {
        @Parameters(index = "0", paramLabel = "QUEUE") String queue;
        @Parameters(index = "1..*", paramLabel = "KEY", arity = "1..*") List<String> keys;

        void run(PontoonClient client, PrintStream out) {
            client.untagQueue(url(queue), keys);
            out.println("untagged " + url(queue));
        }
    }

    @Command(name = "tags", description = "Print a queue's tags.")
    static final class Tags extends ClusterCommand {
        @Parameters(paramLabel = "QUEUE") String queue;

        void run(PontoonClient client, PrintStream out) {
            Map<String, String> tags = new TreeMap<>(client.listQueueTags(url(queue)));
            if (tags.isEmpty()) out.println("(no tags)");
            tags.forEach((k, v) -> out.println(k + ": " + v));
        }
    }

    @Command(name = "purge", description = "Delete all messages of a queue.")
    static final class Purge extends ClusterCommand {
        @Parameters(paramLabel = "QUEUE") String queue;

        void run(PontoonClient client, PrintStream out) {
            client.purgeQueue(url(queue));
            out.println("purged " + url(queue));
        }
    }

    @Command(name = "delete-queue", description = "Delete a queue.")
    static final class DeleteQueue extends ClusterCommand {
        @Parameters(paramLabel = "QUEUE") String queue;

        void run(PontoonClient client, PrintStream out) {
            client.deleteQueue(url(queue));
            out.println("deleted " + url(queue));
        }
    }

    @Command(name = "redrive", description = "Move a dead-letter queue's messages back to their sources (or to --to QUEUE).")
    static final class Redrive extends ClusterCommand {
        @Parameters(paramLabel = "DLQ") String dlq;
        @Option(names = "--to", paramLabel = "QUEUE") String to;
        @Option(names = "--rate", paramLabel = "N", description = "At most N messages per second (1..500).") Integer rate;
        @Option(names = "--wait", description = "Show the task's progress until it ends; exit 1 if it fails or is cancelled.") boolean waitForIt;

        void run(PontoonClient client, PrintStream out) throws InterruptedException {
            StartMessageMoveTaskRequest.Builder req = StartMessageMoveTaskRequest.newBuilder().setSourceArn(arn(dlq));
            if (to != null) req.setDestinationArn(arn(to));
            if (rate != null) {
                if (rate < 1 || rate > 500) throw new IllegalArgumentException("--rate must be in 1..500");
                req.setMaxNumberOfMessagesPerSecond(rate);
            }
            out.println("TaskHandle: " + client.startMessageMoveTask(req.build()).getTaskHandle());
            if (waitForIt) {
                awaitEnd(client, out);
            }
        }

        /** Prints the newest task of the DLQ (one runs at a time, so: this one) each time it moves on, until it ends. */
        private void awaitEnd(PontoonClient client, PrintStream out) throws InterruptedException {
            String shown = "";
            while (true) {
                ListMessageMoveTasksResponse r = client.listMessageMoveTasks(ListMessageMoveTasksRequest.newBuilder()
                        .setSourceArn(arn(dlq)).setMaxResults(1).build());
                ListMessageMoveTasksResultEntry t = r.getResults(0);
                long total = t.getApproximateNumberOfMessagesToMove();
                String line = t.getStatus() + " moved " + t.getApproximateNumberOfMessagesMoved() + " of " + total
                        + (total > 0 ? " (" + 100 * t.getApproximateNumberOfMessagesMoved() / total + "%)" : "")
                        + (t.getFailureReason().isEmpty() ? "" : ": " + t.getFailureReason());
                if (!line.equals(shown)) {
                    out.println(line);
                    out.flush();
                    shown = line;
                }
                if (!"RUNNING".equals(t.getStatus())) {
                    if (!"COMPLETED".equals(t.getStatus())) {
                        throw new IllegalStateException("the move task ended " + t.getStatus());
                    }
                    return;
                }
                Thread.sleep(PROGRESS_POLL_MS); // a person's progress display, polled: not a wait on a test condition
            }
        }
    }

    /** How often {@code redrive --wait} looks at its task. */
    static final long PROGRESS_POLL_MS = 500;

    @Command(name = "move-tasks", description = "The dead-letter queue's recent move tasks.")
    static final class MoveTasks extends ClusterCommand {
        @Parameters(paramLabel = "DLQ") String dlq;

        void run(PontoonClient client, PrintStream out) {
            ListMessageMoveTasksResponse r = client.listMessageMoveTasks(ListMessageMoveTasksRequest.newBuilder()
                    .setSourceArn(arn(dlq)).setMaxResults(10).build());
            if (r.getResultsCount() == 0) out.println("(no move tasks)");
            for (ListMessageMoveTasksResultEntry t : r.getResultsList()) {
                out.println(t.getStatus() + " moved " + t.getApproximateNumberOfMessagesMoved() + " of "
                        + t.getApproximateNumberOfMessagesToMove() + (t.hasMaxNumberOfMessagesPerSecond() ? " at <= " + t.getMaxNumberOfMessagesPerSecond() + "/s" : "")
                        + (t.getDestinationArn().isEmpty() ? " back to the sources" : " to " + t.getDestinationArn())
                        + (t.getFailureReason().isEmpty() ? "" : " (" + t.getFailureReason() + ")"));
            }
        }
    }

    @Command(name = "transfer-leader", description = "Move a partition's leadership to NODE (e.g. before a restart).")
    static final class TransferLeader extends ClusterCommand {
        @Parameters(index = "0", paramLabel = "PARTITION") String partition;
        @Parameters(index = "1", paramLabel = "NODE") String node;

        void run(PontoonClient client, PrintStream out) {
            TransferLeadershipResponse r = client.transferLeadership(partition, node);
            out.println("partition " + partition + " led by " + r.getLeaderNodeId() + " (term " + r.getLeaderTerm() + ")");
        }
    }

    @Command(name = "replica-digests", description = {"Each node's applied index and state hash for PARTITION.",
            "Replicas at the same applied index must have the same hash; one behind its commit index is still catching up."})
    static final class ReplicaDigests extends ClusterCommand {
        @Parameters(paramLabel = "PARTITION") String partition;

        void run(PontoonClient client, PrintStream out) {
            List<GetReplicaDigestResponse> digests = client.replicaDigests(partition);
            long newest = digests.stream().mapToLong(GetReplicaDigestResponse::getAppliedIndex).max().orElse(0);
            for (GetReplicaDigestResponse d : digests) {
                long behind = Math.max(d.getCommitIndex(), newest) - d.getAppliedIndex();
                out.println(d.getNodeId() + " applied=" + d.getAppliedIndex() + " commit=" + d.getCommitIndex() + " sha256=" + d.getSha256()
                        + (behind > 0 ? "  (catching up: " + behind + " entries behind)" : ""));
            }
            out.println(ReplicaVerdict.of(digests));
        }
    }
}
