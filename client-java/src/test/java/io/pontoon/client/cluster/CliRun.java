package io.pontoon.client.cluster;

import io.pontoon.client.cli.PontoonCli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One CLI invocation against an endpoint, in-process: its exit code and what it printed. */
record CliRun(int code, String out, String err) {
    static CliRun cli(String endpoint, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        all[0] = "--endpoint";
        all[1] = endpoint;
        System.arraycopy(args, 0, all, 2, args.length);
        int code = PontoonCli.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
