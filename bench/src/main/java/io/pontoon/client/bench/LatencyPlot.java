package io.pontoon.client.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HDR latency plot in SVG, as HdrHistogram's plotter draws one: latency (ms) against percentile on a scale that
 * spreads the tail (x = log10(1 / (1 - p)), so 90 %, 99 %, 99.9 % ... are equally spaced), one line per recorded
 * operation. Written beside the load tool's JSON summary; any browser shows it.
 */
public final class LatencyPlot {
    private static final int WIDTH = 960, HEIGHT = 520, LEFT = 70, RIGHT = 250, TOP = 40, BOTTOM = 60;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};
    /** Points per line; the percentile scale reaches 99.999 % at most. */
    private static final int POINTS = 200;
    private static final double MAX_NINES = 5;

    private LatencyPlot() {
    }

    /** @param series latency recorders by the operation they measured, in legend order; empty ones are left out */
    public static String svg(String title, Map<String, Latencies> series) {
        List<Map.Entry<String, Latencies>> drawn = series.entrySet().stream().filter(e -> e.getValue().count() > 0).toList();
        double nines = drawn.stream().mapToDouble(e -> Math.min(MAX_NINES, Math.log10(e.getValue().count()))).max().orElse(1);
        nines = Math.max(1, Math.ceil(nines));
        double maxMs = drawn.stream().mapToDouble(e -> e.getValue().max() / 1e6).max().orElse(1);
        double yTop = niceCeiling(maxMs);
        StringBuilder s = new StringBuilder(32 * 1024);
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH, HEIGHT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n", LEFT, escape(title)));
        axes(s, nines, yTop);
        for (int i = 0; i < drawn.size(); i++) {
            String colour = COLOURS[i % COLOURS.length];
            Latencies h = drawn.get(i).getValue();
            List<String> points = new ArrayList<>();
            double reach = Math.min(nines, Math.log10(h.count()));
            for (int k = 0; k <= POINTS; k++) {
                double x = reach * k / POINTS;
                // the last point is the maximum: the line ends where the slowest operation was
                double percentile = k == POINTS ? 100 : 100 * (1 - Math.pow(10, -x));
                points.add(String.format(Locale.ROOT, "%.1f,%.1f", px(x, nines), py(h.percentile(percentile) / 1e6, yTop)));
            }
            s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"><title>%s</title></polyline>%n",
                    colour, String.join(" ", points), escape(drawn.get(i).getKey())));
            int ly = TOP + 20 + 22 * i;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n",
                    WIDTH - RIGHT + 15, ly - 4, WIDTH - RIGHT + 40, ly - 4, colour));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s (%,d)</text>%n", WIDTH - RIGHT + 46, ly, escape(drawn.get(i).getKey()),
                    h.count()));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static void axes(StringBuilder s, double nines, double yTop) {
        int x0 = LEFT, x1 = WIDTH - RIGHT, y0 = HEIGHT - BOTTOM, y1 = TOP;
        s.append(String.format(Locale.ROOT, "<path d=\"M%d %d V%d H%d\" stroke=\"black\" fill=\"none\"/>%n", x0, y1, y0, x1));
        for (int n = 0; n <= nines; n++) {
            double x = px(n, nines);
            String label = ninesLabel(n);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, y1, x, y0));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, y0 + 18, label));
        }
        for (int k = 0; k <= 5; k++) {
            double v = yTop * k / 5;
            double y = py(v, yTop);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", x0, y, x1, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", x0 - 6, y + 4, number(v)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n", (x0 + x1) / 2, y0 + 40));
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(18 %d) rotate(-90)\" text-anchor=\"middle\">latency (ms)</text>%n",
                (y0 + y1) / 2));
    }

    /** 90 % is "90%", 99 % "99%", 99.9 % "99.9%": the label of n nines. */
    static String ninesLabel(int n) {
        return n == 0 ? "0%" : n == 1 ? "90%" : "99" + (n > 2 ? "." + "9".repeat(n - 2) : "") + "%";
    }

    private static double px(double x, double nines) {
        return LEFT + (WIDTH - LEFT - RIGHT) * x / nines;
    }

    private static double py(double ms, double yTop) {
        return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * Math.min(ms, yTop) / yTop;
    }

    /** The smallest 1, 2, 2.5 or 5 times a power of ten at or above {@code v}. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
