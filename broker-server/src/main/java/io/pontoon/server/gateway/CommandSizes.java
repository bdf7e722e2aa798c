package io.pontoon.server.gateway;

import io.pontoon.core.command.PartitionCommand;
import io.pontoon.core.queue.MessageAttribute;

import java.util.Map;

/** An upper-bound estimate of a command's encoded size, to keep group-committed entries under the entry limit. */
final class CommandSizes {
    private static final int OVERHEAD = 256;

    private CommandSizes() {
    }

    static int estimate(PartitionCommand command) {
        if (command instanceof PartitionCommand.SendMessages send) {
            long bytes = OVERHEAD;
            for (PartitionCommand.SendEntry e : send.entries()) {
                bytes += OVERHEAD + 3L * e.body().length();
                for (Map.Entry<String, MessageAttribute> a : e.attributes().entrySet()) {
                    MessageAttribute v = a.getValue();
                    bytes += 3L * (a.getKey().length() + v.dataType().length())
                            + (v.stringValue() != null ? 3L * v.stringValue().length() : v.binaryValue().length);
                }
            }
            return (int) Math.min(Integer.MAX_VALUE, bytes);
        }
        return OVERHEAD * 8;
    }
}
