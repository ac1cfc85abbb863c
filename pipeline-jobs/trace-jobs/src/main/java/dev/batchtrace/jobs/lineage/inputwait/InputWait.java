package dev.batchtrace.jobs.lineage.inputwait;

import dev.batchtrace.connectors.kafka.KafkaSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Holds the lineage job's input back while the feedback topic has more than {@code waitAbove}
 * records its reader has not committed ({@link FeedbackBacklogRule}); {@link InputWaitFunction}
 * applies it after each input source.
 *
 * @param kafka the cluster of the feedback topic
 * @param feedbackTopic the feedback topic
 * @param feedbackGroupId the consumer group of the job's feedback source
 * @param waitAbove backlog (records) above which input waits; 0 turns the setting off
 * @param resumeBelow backlog below which held input goes on
 * @param pollInterval how often the backlog is read from Kafka
 */
public record InputWait(
        KafkaSettings kafka,
        String feedbackTopic,
        String feedbackGroupId,
        long waitAbove,
        long resumeBelow,
        Duration pollInterval)
        implements Serializable {

    public InputWait {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(feedbackTopic, "feedbackTopic");
        Objects.requireNonNull(feedbackGroupId, "feedbackGroupId");
        Objects.requireNonNull(pollInterval, "pollInterval");
        new FeedbackBacklogRule(waitAbove, resumeBelow); // validates
    }

    public boolean enabled() {
        return waitAbove > 0;
    }
}
