package dev.batchtrace.lineage.closure;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A node of the genealogy: a lot ({@code lot:<lotCode>}) or a shipment ({@code
 * shipment:<dispatchId>}). The string form is the Kafka / Flink key of the node stage.
 */
public record NodeKey(Kind kind, String code) implements Comparable<NodeKey> {

    /** What a node is. */
    public enum Kind {
        LOT("lot"),
        SHIPMENT("shipment");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    public NodeKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(code, "code");
        if (code.isEmpty()) {
            throw new IllegalArgumentException("node code must not be empty");
        }
    }

    public static NodeKey lot(String lotCode) {
        return new NodeKey(Kind.LOT, lotCode);
    }

    public static NodeKey shipment(String dispatchId) {
        return new NodeKey(Kind.SHIPMENT, dispatchId);
    }

    public boolean isLot() {
        return kind == Kind.LOT;
    }

    public boolean isShipment() {
        return kind == Kind.SHIPMENT;
    }

    /** Parses {@code lot:CODE} or {@code shipment:ID} (the code may itself contain colons). */
    @JsonCreator
    public static NodeKey parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon > 0) {
            String prefix = text.substring(0, colon);
            for (Kind kind : Kind.values()) {
                if (kind.prefix.equals(prefix)) {
                    return new NodeKey(kind, text.substring(colon + 1));
                }
            }
        }
        throw new IllegalArgumentException(
                "not a node key (expected lot:<lotCode> or shipment:<dispatchId>): " + text);
    }

    @JsonValue
    @Override
    public String toString() {
        return kind.prefix + ":" + code;
    }

    @Override
    public int compareTo(NodeKey other) {
        return toString().compareTo(other.toString());
    }
}
