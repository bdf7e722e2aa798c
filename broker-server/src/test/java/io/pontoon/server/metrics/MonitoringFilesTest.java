package io.pontoon.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pontoon.api.v1.CreateQueueRequest;
import io.pontoon.api.v1.SendMessageRequest;
import io.pontoon.server.SharedCluster;
import io.pontoon.server.TestCluster;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The alert rules and the Grafana dashboard in deploy/monitoring use only metrics a running node exports, and are
 * well-formed: every rule has a name, an expression, a severity and a summary; every panel has a query.
 */
class MonitoringFilesTest {
    private static final Path DIR = Path.of("..", "deploy", "monitoring");
    private static final Pattern METRIC = Pattern.compile("\\bpontoon_[a-z_]+");

    @Test
    void everyPontoonMetricTheAlertsAndTheDashboardUseIsOneANodeExports() throws Exception {
        List<String> expressions = new ArrayList<>();
        JsonNode alerts = new YAMLMapper().readTree(DIR.resolve("pontoon-alerts.yml").toFile());
        for (JsonNode group : alerts.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                String name = rule.path("alert").asText();
                assertFalse(name.isEmpty(), rule.toString());
                assertFalse(rule.path("expr").asText().isEmpty(), name);
                assertTrue(Set.of("page", "warn").contains(rule.path("labels").path("severity").asText()), name);
                assertFalse(rule.path("annotations").path("summary").asText().isEmpty(), name);
                expressions.add(rule.get("expr").asText());
            }
        }
        JsonNode dashboard = new ObjectMapper().readTree(DIR.resolve("pontoon-dashboard.json").toFile());
        for (JsonNode panel : dashboard.get("panels")) {
            assertTrue(panel.get("targets").size() > 0, panel.path("title").asText());
            panel.get("targets").forEach(t -> expressions.add(t.get("expr").asText()));
        }
        Set<String> used = new TreeSet<>();
        for (String e : expressions) {
            Matcher m = METRIC.matcher(e);
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertTrue(used.size() >= 10, "the files use Pontoon's metrics: " + used);

        TestCluster cluster = SharedCluster.get();
        // Traffic, so that the per-queue and per-request meters exist.
        String url = cluster.sqs("n1").createQueue(CreateQueueRequest.newBuilder().setQueueName("monitoring-probe").build()).getQueueUrl();
        cluster.sqs("n1").sendMessage(SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody("x").build());
        TestCluster.await(() -> missing(cluster, used).isEmpty(), 20_000, "every metric used to be exported",
                () -> "missing: " + missing(cluster, used));
    }

    private static List<String> missing(TestCluster cluster, Set<String> used) {
        Set<String> exported = new TreeSet<>();
        for (String node : cluster.runningNodes()) {
            cluster.node(node).scrapeMetrics().lines().filter(l -> !l.startsWith("#"))
                    .map(l -> l.split("[{ ]", 2)[0]).forEach(exported::add);
        }
        return used.stream().filter(u -> !exported.contains(u)).toList();
    }
}
