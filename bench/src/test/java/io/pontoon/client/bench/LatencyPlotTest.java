package io.pontoon.client.bench;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load tool's HDR latency plot: well-formed SVG, a line per recorded operation, the tail spread out to its nines. */
class LatencyPlotTest {
    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eachRecordedOperationIsOneLineRisingToItsMaximumAndEmptyOnesAreLeftOut() throws Exception {
        Latencies send = new Latencies(), receive = new Latencies(), none = new Latencies();
        for (int i = 1; i <= 10_000; i++) {
            send.record(i * 1_000L);          // 1 µs .. 10 ms
            receive.record(2 * i * 1_000L);   // twice as slow
        }
        Map<String, Latencies> series = new LinkedHashMap<>();
        series.put("SendMessageBatch", send);
        series.put("ReceiveMessage", receive);
        series.put("DeleteMessageBatch", none);
        Document d = parse(LatencyPlot.svg("send-receive <standard> & more", series));
        NodeList lines = d.getElementsByTagName("polyline");
        assertEquals(2, lines.getLength(), "one line per operation with values");
        assertEquals("SendMessageBatch", ((Element) lines.item(0)).getElementsByTagName("title").item(0).getTextContent());
        List<Double> sendY = ys((Element) lines.item(0)), receiveY = ys((Element) lines.item(1));
        for (int i = 1; i < sendY.size(); i++) {
            assertTrue(sendY.get(i) <= sendY.get(i - 1) + 1e-9, "latency never falls as the percentile rises (SVG y grows downwards)");
        }
        assertTrue(receiveY.get(receiveY.size() - 1) < sendY.get(sendY.size() - 1), "the slower operation ends higher");
        List<String> labels = new ArrayList<>();
        NodeList texts = d.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++) {
            labels.add(texts.item(i).getTextContent());
        }
        assertTrue(labels.containsAll(List.of("0%", "90%", "99%", "99.9%", "99.99%", "latency (ms)", "percentile")), labels.toString());
        assertTrue(labels.contains("send-receive <standard> & more"), "the title is escaped and kept: " + labels);
        assertTrue(labels.stream().anyMatch(l -> l.startsWith("ReceiveMessage (10,000)")), labels.toString());
    }

    @Test
    void thePlotSitsBesideTheJsonSummary() {
        assertEquals(Path.of("/tmp/out/result-latency.svg"), LoadTool.latencyPlotFile(Path.of("/tmp/out/result.json")));
        assertEquals(Path.of("summary-latency.svg"), LoadTool.latencyPlotFile(Path.of("summary")));
    }

    @Test
    void ninesLabelsReadAsPercentiles() {
        assertEquals(List.of("0%", "90%", "99%", "99.9%", "99.999%"),
                List.of(LatencyPlot.ninesLabel(0), LatencyPlot.ninesLabel(1), LatencyPlot.ninesLabel(2), LatencyPlot.ninesLabel(3), LatencyPlot.ninesLabel(5)));
        assertEquals(20.0, LatencyPlot.niceCeiling(13.2));
        assertEquals(250.0, LatencyPlot.niceCeiling(232));
        assertEquals(0.5, LatencyPlot.niceCeiling(0.31), 1e-12);
    }

    private static List<Double> ys(Element polyline) {
        List<Double> out = new ArrayList<>();
        for (String p : polyline.getAttribute("points").split(" ")) {
            out.add(Double.parseDouble(p.split(",")[1]));
        }
        return out;
    }
}
