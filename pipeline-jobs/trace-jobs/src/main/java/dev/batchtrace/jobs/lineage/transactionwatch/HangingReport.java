package dev.batchtrace.jobs.lineage.transactionwatch;

import dev.batchtrace.connectors.kafka.HangingTransactions.Hanging;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the watch says after each check: a hanging transaction the coordinator confirmed (it
 * describes the producer's transaction without the partition) is reported once two checks in a row
 * found it, so a single odd answer never raises an error; one whose producer the coordinator showed
 * nothing of (no rights to see it, or an id long gone) only once the watch has seen it open for
 * {@code unconfirmedAfter}, longer than any transaction may last before its coordinator aborts it.
 * Either is reported again every {@code repeat} while it stays, and once more when it is gone.
 * Flink-free; {@link TransactionWatchFunction} logs what it returns.
 */
final class HangingReport {

    /** One line for the log, and whether it is an error. */
    record Line(boolean error, String text) {}

    private final String bootstrapServers;
    private final Duration repeat;
    private final Duration unconfirmedAfter;
    private Map<Key, Instant> firstSeen = new HashMap<>();
    private final Map<Key, Instant> reported = new HashMap<>();

    /** The identity of one hanging transaction: where it starts and whose it is. */
    private record Key(String topic, int partition, long producerId, long startOffset) {
        static Key of(Hanging hanging) {
            return new Key(
                    hanging.partition().topic(),
                    hanging.partition().partition(),
                    hanging.producerId(),
                    hanging.startOffset());
        }
    }

    HangingReport(String bootstrapServers, Duration repeat, Duration unconfirmedAfter) {
        this.bootstrapServers = bootstrapServers;
        this.repeat = repeat;
        this.unconfirmedAfter = unconfirmedAfter;
    }

    /** The lines for one check's answer at {@code now}. */
    List<Line> update(List<Hanging> found, Instant now) {
        List<Line> lines = new ArrayList<>();
        Map<Key, Instant> seen = new HashMap<>();
        for (Hanging hanging : found) {
            Key key = Key.of(hanging);
            Instant since = firstSeen.getOrDefault(key, now);
            seen.put(key, since);
            boolean sure =
                    hanging.confirmed()
                            ? firstSeen.containsKey(key) // found by the check before too
                            : !now.isBefore(since.plus(unconfirmedAfter));
            if (!sure) {
                continue;
            }
            Instant last = reported.get(key);
            if (last == null || !now.isBefore(last.plus(repeat))) {
                reported.put(key, now);
                lines.add(new Line(true, message(hanging)));
            }
        }
        for (Key gone : new ArrayList<>(reported.keySet())) {
            if (!seen.containsKey(gone)) {
                reported.remove(gone);
                lines.add(
                        new Line(
                                false,
                                "The hanging Kafka transaction on "
                                        + gone.topic()
                                        + "-"
                                        + gone.partition()
                                        + " from offset "
                                        + gone.startOffset()
                                        + " (producer "
                                        + gone.producerId()
                                        + ") is gone: read_committed readers go on past it."));
            }
        }
        firstSeen = seen;
        return lines;
    }

    /** How many hanging transactions have been reported and not seen gone. */
    int reportedCount() {
        return reported.size();
    }

    private String message(Hanging hanging) {
        return "Hanging Kafka transaction: "
                + hanging
                + ". The coordinator will never write its commit or abort marker, so every"
                + " read_committed reader of "
                + hanging.partition()
                + " (this job's sources) stops at offset "
                + hanging.startOffset()
                + " for good, and the documents that depend on the records after it stop"
                + " changing. To end it (its records are dropped): "
                + hanging.abortCommand(bootstrapServers)
                + " ; then reprocess from the input topics for exact documents (README, \"Faults\").";
    }
}
