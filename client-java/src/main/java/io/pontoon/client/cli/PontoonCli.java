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

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Command-line client.
 *
 * <pre>
 * pontoon [--endpoint host:port] COMMAND ...
 *   create-queue NAME [--attr K=V ...]
 *   list-queues [PREFIX]
 *   send QUEUE BODY [--group G] [--dedup-id D]
 *   set-attributes QUEUE --attr K=V ...
 *   redrive DLQ [--to QUEUE] [--rate N]
 *   move-tasks DLQ
 *   receive QUEUE [--wait S] [--max N] [--delete]
 *   delete QUEUE RECEIPT_HANDLE
 *   attributes QUEUE
 *   purge QUEUE
 *   delete-queue QUEUE
 *   transfer-leader PARTITION NODE
 *   replica-digests PARTITION
 * </pre>
 * QUEUE is a queue name or a {@code pontoon://queue/NAME} URL. The endpoint defaults to
 * {@code $PONTOON_ENDPOINT}, else 127.0.0.1:7001. Exit codes: 0 ok, 1 error (AWS code printed on
 * stderr), 2 usage error.
 */
public final class PontoonCli {
    public static final int EXIT_OK = 0;
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_USAGE = 2;

    private static final String USAGE = """
            usage: pontoon [--endpoint host:port] COMMAND ...
              create-queue NAME [--attr K=V ...]  create a queue, print its URL
              list-queues [PREFIX]                 list queue URLs
              send QUEUE BODY [--group G] [--dedup-id D]
                                                   send a message (FIFO: group and dedup id), print its id
              set-attributes QUEUE --attr K=V ...  e.g. --attr 'RedrivePolicy={"deadLetterTargetArn":...}'
              redrive DLQ [--to QUEUE] [--rate N]  move a dead-letter queue's messages back (or to QUEUE)
              move-tasks DLQ                       the dead-letter queue's recent move tasks
              receive QUEUE [--wait S] [--max N] [--delete]
                                                   receive messages (optionally delete them)
              delete QUEUE RECEIPT_HANDLE          delete a received message
              attributes QUEUE                     print all queue attributes
              purge QUEUE                          delete all messages of a queue
              delete-queue QUEUE                   delete a queue
              transfer-leader PARTITION NODE       move a partition's leadership to NODE (e.g. before a restart)
              replica-digests PARTITION            each node's applied index and state hash for PARTITION
            QUEUE is a name or pontoon://queue/NAME. Endpoint default: $PONTOON_ENDPOINT or 127.0.0.1:7001.""";

    private PontoonCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the CLI; returns the exit code. */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        String env = System.getenv("PONTOON_ENDPOINT");
        return run(argv, out, err, PontoonClient.builder().bootstrap(env != null && !env.isBlank() ? env : "127.0.0.1:7001"));
    }

    /** Runs the CLI with a preconfigured client builder (its bootstrap is replaced by --endpoint). */
    public static int run(String[] argv, PrintStream out, PrintStream err, PontoonClient.Builder builder) {
        List<String> args = new ArrayList<>(List.of(argv));
        try {
            while (!args.isEmpty() && args.get(0).startsWith("--")) {
                String opt = args.remove(0);
                switch (opt) {
                    case "--endpoint" -> builder.bootstrap(take(args, "--endpoint"));
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return EXIT_OK;
                    }
                    default -> throw new UsageException("unknown option " + opt);
                }
            }
            if (args.isEmpty()) throw new UsageException("missing command");
            String command = args.remove(0);
            if (command.equals("help")) {
                out.println(USAGE);
                return EXIT_OK;
            }
            try (PontoonClient client = builder.build()) {
                return execute(command, args, client, out);
            }
        } catch (UsageException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        } catch (PontoonException e) {
            err.println("error: " + e.awsCode() + " (" + e.statusCode() + "): " + messageOf(e));
            return EXIT_ERROR;
        }
    }

    private static String messageOf(PontoonException e) {
        String m = e.getMessage();
        String prefix = e.awsCode() + ": ";
        return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private static int execute(String command, List<String> args, PontoonClient client, PrintStream out) {
        switch (command) {
            case "create-queue" -> {
                String name = take(args, "NAME");
                out.println(client.createQueue(name, attrs(args)));
            }
            case "set-attributes" -> {
                String queue = url(take(args, "QUEUE"));
                Map<String, String> attrs = attrs(args);
                if (attrs.isEmpty()) throw new UsageException("set-attributes needs at least one --attr K=V");
                client.setQueueAttributes(queue, attrs);
                out.println("updated " + queue);
            }
            case "redrive" -> {
                String dlq = name(take(args, "DLQ"));
                StartMessageMoveTaskRequest.Builder req = StartMessageMoveTaskRequest.newBuilder().setSourceArn(arn(dlq));
                while (!args.isEmpty()) {
                    String opt = args.remove(0);
                    switch (opt) {
                        case "--to" -> req.setDestinationArn(arn(name(take(args, "--to"))));
                        case "--rate" -> req.setMaxNumberOfMessagesPerSecond(intArg(take(args, "--rate"), "--rate", 1, 500));
                        default -> throw new UsageException("unknown option " + opt);
                    }
                }
                out.println("TaskHandle: " + client.startMessageMoveTask(req.build()).getTaskHandle());
            }
            case "move-tasks" -> {
                String dlq = name(take(args, "DLQ"));
                noMore(args);
                ListMessageMoveTasksResponse r = client.listMessageMoveTasks(ListMessageMoveTasksRequest.newBuilder()
                        .setSourceArn(arn(dlq)).setMaxResults(10).build());
                if (r.getResultsCount() == 0) out.println("(no move tasks)");
                for (ListMessageMoveTasksResultEntry t : r.getResultsList()) {
                    out.println(t.getStatus() + " moved " + t.getApproximateNumberOfMessagesMoved() + " of "
                            + t.getApproximateNumberOfMessagesToMove() + " at <= " + t.getMaxNumberOfMessagesPerSecond() + "/s"
                            + (t.getDestinationArn().isEmpty() ? " back to the sources" : " to " + t.getDestinationArn())
                            + (t.getFailureReason().isEmpty() ? "" : " (" + t.getFailureReason() + ")"));
                }
            }
            case "list-queues" -> {
                String prefix = args.isEmpty() ? "" : args.remove(0);
                noMore(args);
                for (String url : client.listQueues(prefix)) out.println(url);
            }
            case "send" -> {
                String queue = url(take(args, "QUEUE"));
                SendMessageRequest.Builder req = SendMessageRequest.newBuilder().setQueueUrl(queue).setMessageBody(take(args, "BODY"));
                while (!args.isEmpty()) {
                    String opt = args.remove(0);
                    switch (opt) {
                        case "--group" -> req.setMessageGroupId(take(args, "--group"));
                        case "--dedup-id" -> req.setMessageDeduplicationId(take(args, "--dedup-id"));
                        default -> throw new UsageException("unknown option " + opt);
                    }
                }
                SendMessageResponse r = client.sendMessage(req.build());
                out.println("MessageId: " + r.getMessageId());
                out.println("MD5OfMessageBody: " + r.getMd5OfMessageBody());
                if (!r.getSequenceNumber().isEmpty()) out.println("SequenceNumber: " + r.getSequenceNumber());
            }
            case "receive" -> {
                String queue = url(take(args, "QUEUE"));
                int wait = 0;
                int max = 1;
                boolean delete = false;
                while (!args.isEmpty()) {
                    String opt = args.remove(0);
                    switch (opt) {
                        case "--wait" -> wait = intArg(take(args, "--wait"), "--wait", 0, 20);
                        case "--max" -> max = intArg(take(args, "--max"), "--max", 1, 10);
                        case "--delete" -> delete = true;
                        default -> throw new UsageException("unknown option " + opt);
                    }
                }
                List<Message> messages = client.receiveMessages(queue, max, wait);
                if (messages.isEmpty()) out.println("(no messages)");
                for (Message m : messages) {
                    out.println("MessageId: " + m.getMessageId());
                    out.println("ReceiptHandle: " + m.getReceiptHandle());
                    new TreeMap<>(m.getAttributesMap()).forEach((k, v) -> out.println("  " + k + ": " + v));
                    new TreeMap<>(m.getMessageAttributesMap()).forEach((k, v) -> out.println("  attr " + k + " ("
                            + v.getDataType() + "): " + (v.getDataType().startsWith("Binary")
                            ? v.getBinaryValue().size() + " bytes" : v.getStringValue())));
                    out.println("Body: " + m.getBody());
                    if (delete) {
                        client.deleteMessage(queue, m.getReceiptHandle());
                        out.println("(deleted)");
                    }
                    out.println();
                }
            }
            case "delete" -> {
                String queue = url(take(args, "QUEUE"));
                String handle = take(args, "RECEIPT_HANDLE");
                noMore(args);
                client.deleteMessage(queue, handle);
                out.println("deleted");
            }
            case "attributes" -> {
                String queue = url(take(args, "QUEUE"));
                noMore(args);
                new TreeMap<>(client.getQueueAttributes(queue)).forEach((k, v) -> out.println(k + ": " + v));
            }
            case "purge" -> {
                String queue = url(take(args, "QUEUE"));
                noMore(args);
                client.purgeQueue(queue);
                out.println("purged " + queue);
            }
            case "delete-queue" -> {
                String queue = url(take(args, "QUEUE"));
                noMore(args);
                client.deleteQueue(queue);
                out.println("deleted " + queue);
            }
            case "transfer-leader" -> {
                String partition = take(args, "PARTITION");
                String node = take(args, "NODE");
                noMore(args);
                TransferLeadershipResponse r = client.transferLeadership(partition, node);
                out.println("partition " + partition + " led by " + r.getLeaderNodeId() + " (term " + r.getLeaderTerm() + ")");
            }
            case "replica-digests" -> {
                String partition = take(args, "PARTITION");
                noMore(args);
                for (GetReplicaDigestResponse d : client.replicaDigests(partition)) {
                    out.println(d.getNodeId() + " applied=" + d.getAppliedIndex() + " sha256=" + d.getSha256());
                }
            }
            default -> throw new UsageException("unknown command " + command);
        }
        return EXIT_OK;
    }

    /** Repeated {@code --attr K=V} options. */
    private static Map<String, String> attrs(List<String> args) {
        Map<String, String> attrs = new TreeMap<>();
        while (!args.isEmpty()) {
            String opt = args.remove(0);
            if (!opt.equals("--attr")) throw new UsageException("unknown option " + opt);
            String kv = take(args, "--attr");
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new UsageException("--attr expects K=V, got " + kv);
            attrs.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return attrs;
    }

    private static String name(String queue) {
        return QueueUrls.nameOf(url(queue));
    }

    private static String arn(String queueName) {
        return QueueUrls.arnOf(queueName);
    }

    private static String url(String queue) {
        if (queue.startsWith(QueueUrls.PREFIX)) return queue;
        if (!QueueUrls.isValidName(queue)) throw new UsageException("invalid queue name: " + queue);
        return QueueUrls.toUrl(queue);
    }

    private static String take(List<String> args, String what) {
        if (args.isEmpty()) throw new UsageException("missing " + what);
        return args.remove(0);
    }

    private static void noMore(List<String> args) {
        if (!args.isEmpty()) throw new UsageException("unexpected argument " + args.get(0));
    }

    private static int intArg(String s, String name, int min, int max) {
        try {
            int v = Integer.parseInt(s);
            if (v < min || v > max) throw new UsageException(name + " must be in " + min + ".." + max);
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects a number, got " + s);
        }
    }

    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
