package dev.batchtrace.connectors.webhook;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * One alert for one webhook that no receiver has answered 2xx yet: the webhook sink's checkpointed
 * state. The URL is known by {@code deliveryKey} (its digest), so no secret of it lands in a
 * checkpoint.
 */
public record PendingDelivery(String idempotencyKey, String deliveryKey, byte[] body) {

    public PendingDelivery {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(deliveryKey, "deliveryKey");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingDelivery p
                && idempotencyKey.equals(p.idempotencyKey)
                && deliveryKey.equals(p.deliveryKey)
                && Arrays.equals(body, p.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(idempotencyKey, deliveryKey, Arrays.hashCode(body));
    }

    /** Version 1: the two keys as UTF, the body's length and bytes. */
    static final class Serializer implements SimpleVersionedSerializer<PendingDelivery> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(PendingDelivery p) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(p.body.length + 128);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(p.idempotencyKey);
                out.writeUTF(p.deliveryKey);
                out.writeInt(p.body.length);
                out.write(p.body);
            }
            return bytes.toByteArray();
        }

        @Override
        public PendingDelivery deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown pending-delivery state version " + version);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                String idempotencyKey = in.readUTF();
                String deliveryKey = in.readUTF();
                byte[] body = new byte[in.readInt()];
                in.readFully(body);
                return new PendingDelivery(idempotencyKey, deliveryKey, body);
            }
        }
    }
}
