package dev.batchtrace.cli;

import dev.batchtrace.connectors.kafka.AvroKafkaDeserializer;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.jobs.lineage.LineageJobConfig;
import dev.batchtrace.lineage.holds.HoldAlert;
import dev.batchtrace.stack.Checkout;
import dev.batchtrace.stack.StackException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The demo's live hold (deploy/sample-data/demo-hold.jsonl): quality flags a raw lot of the sample
 * day while the job runs, and the alerts the job raises are printed as they arrive on trace.alerts.
 */
final class DemoHold {
    static final String FLAG_ID = "FLAG-26-0043";
    static final String LOT = "RM-261102-06";
    private static final Duration ALERTS_TIMEOUT = Duration.ofMinutes(2);

    private DemoHold() {}

    static Path file() throws StackException {
        return Checkout.locate().root().resolve("deploy/sample-data/demo-hold.jsonl");
    }

    /** Whether an earlier demo run already published the hold (it stays in the topic). */
    static boolean published(Endpoints endpoints) throws Exception {
        return PublishedEvents.alreadyPublished(file(), endpoints);
    }

    /**
     * Publishes the hold unless an earlier run did, then prints each alert of the flag as it
     * arrives on the alerts topic (read_committed: only what the job committed), until every alert
     * the batch reference expects has arrived.
     */
    static boolean flagAndWatch(
            Endpoints endpoints, Map<String, HoldAlert> expected, PrintWriter out)
            throws Exception {
        boolean earlier = published(endpoints);
        long flaggedAt = System.nanoTime();
        if (earlier) {
            out.println(
                    "  "
                            + FLAG_ID
                            + " was published by an earlier demo run; its alerts are already in"
                            + " trace.alerts:");
        } else {
            EventPublisher.Summary summary =
                    PublishCommand.publish(
                            file(),
                            endpoints.kafkaBootstrapServers(),
                            endpoints.schemaRegistryUrl(),
                            out);
            if (!summary.rejected().isEmpty()) {
                return false;
            }
            out.println("  alerts as the job raises them (trace.alerts):");
        }
        out.printf(
                "  %9s  %-22s %-13s %-11s %-9s %12s  %s%n",
                "AFTER", "KIND", "LOT", "SHIPMENT", "CUSTOMER", "QUANTITY", "PATH");
        out.flush();
        AvroKafkaDeserializer<TraceAlert> decoder =
                AvroKafkaDeserializer.forSpecific(
                        new ConfluentSchemaRegistryClient(
                                RegistrySettings.of(endpoints.schemaRegistryUrl())),
                        TraceAlert.class);
        String topic = LineageJobConfig.Topics.defaults().alerts();
        Set<String> seen = new TreeSet<>();
        boolean complete =
                TopicReader.follow(
                        endpoints.kafkaBootstrapServers(),
                        topic,
                        ALERTS_TIMEOUT,
                        record -> {
                            TraceAlert alert;
                            try {
                                alert = decoder.deserialize(topic, record.value());
                            } catch (RuntimeException e) {
                                return false;
                            }
                            // a recomputing run raises the same ids again: print each once
                            if (alert == null
                                    || !FLAG_ID.equals(alert.getFlagId())
                                    || !seen.add(alert.getAlertId())) {
                                return false;
                            }
                            out.printf(
                                    "  %9s  %-22s %-13s %-11s %-9s %12s  %s%n",
                                    earlier
                                            ? "earlier"
                                            : (System.nanoTime() - flaggedAt) / 1_000_000 + " ms",
                                    alert.getKind(),
                                    alert.getLotCode(),
                                    alert.getDispatchId() == null ? "-" : alert.getDispatchId(),
                                    alert.getCustomerId() == null ? "-" : alert.getCustomerId(),
                                    alert.getQuantity() + " " + alert.getUnit(),
                                    String.join(" > ", alert.getPath()));
                            out.flush();
                            return seen.containsAll(expected.keySet());
                        });
        if (!complete) {
            out.printf(
                    "error: after %s only %d of the %d alerts the batch reference expects for %s"
                            + " arrived on %s%n",
                    ALERTS_TIMEOUT, seen.size(), expected.size(), FLAG_ID, topic);
        } else {
            out.printf(
                    "  all %d alerts for %s arrived (each alert id once)%n",
                    expected.size(), FLAG_ID);
        }
        return complete;
    }
}
