package io.pontoon.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's timeline as an SVG picture, in the manner of Jepsen's plots: the faults as shaded spans (a kill until the
 * node is restarted, a pause until it is resumed, a partition until it heals; other nemesis events as marks), the
 * operations completed per second by kind, and every operation's latency (log scale) at the time it was invoked,
 * coloured by its outcome. Written as {@code timeline.svg} beside each run's history.
 */
final class Timeline {
    private static final int WIDTH = 1100, LEFT = 70, RIGHT = 150, FAULTS_TOP = 40, FAULTS_H = 70, RATE_TOP = 130, RATE_H = 180,
            LATENCY_TOP = 350, LATENCY_H = 260, HEIGHT = 660;
    /** Latency points drawn at most; beyond it every k-th operation is drawn, so the file stays small. */
    static final int MAX_POINTS = 20_000;
    private static final Map<String, String> FAULT_ENDS = Map.of("kill", "restarted", "pause", "resume", "partition", "heal-partition");
    private static final String[] COLOURS = {"#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#17becf"};

    private Timeline() {
    }

    /** A span of a fault, in nanoseconds since the run began. */
    record Span(String label, long from, long to) {
    }

    static String svg(String title, List<Op> ops) {
        long end = ops.stream().mapToLong(Op::time).max().orElse(1);
        double seconds = Math.max(1, end / 1e9);
        StringBuilder s = new StringBuilder(256 * 1024);
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                WIDTH, HEIGHT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"14\">%s</text>%n", LEFT, escape(title)));
        List<Span> spans = faultSpans(ops, end);
        faults(s, spans, ops, seconds);
        rates(s, ops, seconds);
        latencies(s, ops, seconds);
        timeAxis(s, seconds);
        s.append("</svg>\n");
        return s.toString();
    }

    /** Kills, pauses and partitions from their start to their end (or to the end of the history). */
    static List<Span> faultSpans(List<Op> ops, long end) {
        List<Span> spans = new ArrayList<>();
        Map<String, Long> open = new LinkedHashMap<>();
        for (Op op : ops) {
            if (!"nemesis".equals(op.process())) {
                continue;
            }
            String subject = String.valueOf(op.value());
            if (FAULT_ENDS.containsKey(op.f())) {
                open.putIfAbsent(op.f() + " " + subject, op.time());
            } else {
                FAULT_ENDS.forEach((start, stop) -> {
                    Long from = stop.equals(op.f()) ? open.remove(start + " " + subject) : null;
                    if (from != null) {
                        spans.add(new Span(start + " " + subject, from, op.time()));
                    }
                });
            }
        }
        open.forEach((label, from) -> spans.add(new Span(label, from, end)));
        return spans;
    }

    private static void faults(StringBuilder s, List<Span> spans, List<Op> ops, double seconds) {
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">faults</text>%n", 8, FAULTS_TOP + 14));
        for (int i = 0; i < spans.size(); i++) {
            Span sp = spans.get(i);
            double x0 = x(sp.from() / 1e9, seconds), x1 = x(sp.to() / 1e9, seconds);
            int y = FAULTS_TOP + (i % 3) * 22;
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"#f4a3a3\"><title>%s</title></rect>%n",
                    x0, y, Math.max(1, x1 - x0), escape(sp.label())));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", x0 + 2, y + 13, escape(sp.label())));
            // the same span, faintly, over the other panels
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#f4a3a3\" opacity=\"0.25\"/>%n",
                    x0, RATE_TOP, Math.max(1, x1 - x0), LATENCY_TOP + LATENCY_H - RATE_TOP));
        }
        for (Op op : ops) {
            if ("nemesis".equals(op.process()) && !FAULT_ENDS.containsKey(op.f()) && !FAULT_ENDS.containsValue(op.f()) && !"restart".equals(op.f())) {
                double x = x(op.time() / 1e9, seconds);
                s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\" stroke-dasharray=\"3 3\"><title>%s</title></line>%n",
                        x, FAULTS_TOP, x, LATENCY_TOP + LATENCY_H, escape(op.f() + " " + op.value())));
            }
        }
    }

    /** Completed operations per second, one line per kind of operation. */
    private static void rates(StringBuilder s, List<Op> ops, double seconds) {
        int buckets = (int) Math.ceil(seconds);
        Map<String, int[]> perSecond = new TreeMap<>();
        for (Op op : ops) {
            if (Op.OK.equals(op.type()) && !"nemesis".equals(op.process())) {
                perSecond.computeIfAbsent(op.f(), f -> new int[buckets + 1])[(int) Math.min(buckets, op.time() / 1_000_000_000L)]++;
            }
        }
        int max = perSecond.values().stream().flatMapToInt(java.util.Arrays::stream).max().orElse(1);
        double top = Math.max(1, max);
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(18 %d) rotate(-90)\" text-anchor=\"middle\">ok ops / s</text>%n", RATE_TOP + RATE_H / 2));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>%n", LEFT - 6, RATE_TOP + 4, max));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n", LEFT - 6, RATE_TOP + RATE_H));
        s.append(String.format(Locale.ROOT, "<path d=\"M%d %d V%d H%d\" stroke=\"black\" fill=\"none\"/>%n", LEFT, RATE_TOP, RATE_TOP + RATE_H, WIDTH - RIGHT));
        int i = 0;
        for (Map.Entry<String, int[]> e : perSecond.entrySet()) {
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (int b = 0; b < e.getValue().length; b++) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(Math.min(b + 0.5, seconds), seconds), RATE_TOP + RATE_H - RATE_H * e.getValue()[b] / top));
            }
            s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"><title>%s</title></polyline>%n",
                    colour, points.toString().strip(), escape(e.getKey())));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n", WIDTH - RIGHT + 10, RATE_TOP + 14 + 16 * i, colour,
                    escape(e.getKey())));
            i++;
        }
    }

    /** Each completed operation at its invoke time, at the height of its latency (log scale), coloured by outcome. */
    private static void latencies(StringBuilder s, List<Op> ops, double seconds) {
        Map<String, Op> pending = new HashMap<>();
        List<double[]> points = new ArrayList<>(); // invoke s, latency ms, outcome
        for (Op op : ops) {
            if ("nemesis".equals(op.process())) {
                continue;
            }
            if (Op.INVOKE.equals(op.type())) {
                pending.put(op.process(), op);
            } else {
                Op invoke = pending.remove(op.process());
                if (invoke != null) {
                    points.add(new double[]{invoke.time() / 1e9, Math.max(0.1, (op.time() - invoke.time()) / 1e6),
                            Op.OK.equals(op.type()) ? 0 : Op.FAIL.equals(op.type()) ? 1 : 2});
                }
            }
        }
        double maxMs = points.stream().mapToDouble(p -> p[1]).max().orElse(1);
        int decades = Math.max(1, (int) Math.ceil(Math.log10(maxMs) + 1)); // from 0.1 ms
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(18 %d) rotate(-90)\" text-anchor=\"middle\">latency (ms)</text>%n",
                LATENCY_TOP + LATENCY_H / 2));
        s.append(String.format(Locale.ROOT, "<path d=\"M%d %d V%d H%d\" stroke=\"black\" fill=\"none\"/>%n", LEFT, LATENCY_TOP, LATENCY_TOP + LATENCY_H,
                WIDTH - RIGHT));
        for (int d = 0; d <= decades; d++) {
            double y = LATENCY_TOP + LATENCY_H - (double) LATENCY_H * d / decades;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", LEFT, y, WIDTH - RIGHT, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4,
                    d == 0 ? "0.1" : String.valueOf((long) Math.pow(10, d - 1))));
        }
        String[] colours = {"#1f77b4", "#d62728", "#ff7f0e"};
        int step = Math.max(1, (points.size() + MAX_POINTS - 1) / MAX_POINTS);
        for (int i = 0; i < points.size(); i++) {
            double[] p = points.get(i);
            if (i % step != 0 && p[2] == 0) {
                continue; // every failure and indeterminate outcome is drawn; ok ones are thinned
            }
            double y = LATENCY_TOP + LATENCY_H - LATENCY_H * (Math.log10(p[1]) + 1) / decades;
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.5\" fill=\"%s\"/>%n", x(p[0], seconds), y, colours[(int) p[2]]));
        }
        String[] names = {"ok", "fail", "info (unknown)"};
        for (int k = 0; k < 3; k++) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n", WIDTH - RIGHT + 10, LATENCY_TOP + 14 + 16 * k, colours[k],
                    names[k]));
        }
    }

    private static void timeAxis(StringBuilder s, double seconds) {
        int step = seconds <= 30 ? 5 : seconds <= 120 ? 10 : seconds <= 600 ? 60 : 300;
        for (int t = 0; t <= seconds; t += step) {
            double x = x(t, seconds);
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x, LATENCY_TOP + LATENCY_H + 16, t));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">seconds since the run began</text>%n",
                (LEFT + WIDTH - RIGHT) / 2, LATENCY_TOP + LATENCY_H + 34));
    }

    private static double x(double second, double seconds) {
        return LEFT + (WIDTH - LEFT - RIGHT) * second / seconds;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
