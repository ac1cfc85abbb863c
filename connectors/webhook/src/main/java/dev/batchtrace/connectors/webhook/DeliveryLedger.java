package dev.batchtrace.connectors.webhook;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The deliveries a receiver has already answered 2xx, kept outside Flink's state: a restore rolls
 * state back to the last checkpoint, but what a chat tool or mail gateway received stays received,
 * so the sink asks the ledger before it sends.
 */
public interface DeliveryLedger extends AutoCloseable {

    /** Whether this delivery (alert, status and URL; see {@link #key}) was answered 2xx. */
    boolean contains(String deliveryKey);

    /** Records a delivery answered 2xx; may return before it is durable (see {@link #flush}). */
    void record(String deliveryKey);

    /** Returns when everything recorded so far is durable; throws if any of it failed. */
    void flush() throws IOException;

    @Override
    void close();

    /** Opens one ledger per sink writer, on the task. */
    @FunctionalInterface
    interface Factory extends Serializable {
        DeliveryLedger open(int subtask) throws IOException;
    }

    /** No ledger: at least once, duplicates only in the window after the last checkpoint. */
    static Factory none() {
        return subtask -> NONE;
    }

    /**
     * The key of one delivery: the alert's idempotency key ({@code alertId/status}) and a digest of
     * the URL (a webhook URL often carries a secret token, the ledger must not).
     */
    static String key(String idempotencyKey, URI url) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(url.toString().getBytes(StandardCharsets.UTF_8));
            return idempotencyKey + " " + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    DeliveryLedger NONE =
            new DeliveryLedger() {
                @Override
                public boolean contains(String deliveryKey) {
                    return false;
                }

                @Override
                public void record(String deliveryKey) {}

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };
}
