package dev.batchtrace.connectors.kafka;

import java.util.Objects;

/** A Kafka value could not be turned into a record; {@link #reason()} says why. */
public class RecordDecodingException extends Exception {

    public enum Reason {
        /** No bytes at all (null value / tombstone or zero-length). */
        EMPTY(true),
        /** Fewer than the 5 header bytes (magic byte + schema id). */
        TOO_SHORT(true),
        /**
         * The first byte is not the Confluent magic byte 0: not written by a registry serializer.
         */
        WRONG_MAGIC_BYTE(true),
        /** The registry does not know the schema id in the header. */
        UNKNOWN_SCHEMA_ID(true),
        /**
         * Avro could not decode the payload with the writer schema (garbage, truncated, trailing).
         */
        CORRUPT_PAYLOAD(true),
        /**
         * The registry has the id, but its schema cannot decode Avro: a JSON Schema or Protobuf
         * schema (the value came from another serializer), or text Avro cannot parse. Asking again
         * gets the same answer, so it is the record's.
         */
        UNUSABLE_SCHEMA(true),
        /** The writer schema cannot be resolved to the reader schema (breaking schema change). */
        INCOMPATIBLE_SCHEMA(true),
        /** The registry could not be reached: not the record's fault, retry later. */
        REGISTRY_UNREACHABLE(false),
        /** The registry answered with an error (auth, 5xx): not the record's fault. */
        REGISTRY_ERROR(false);

        private final boolean recordFault;

        Reason(boolean recordFault) {
            this.recordFault = recordFault;
        }

        /**
         * True when the bytes themselves are bad, so dead-lettering them is right; false when the
         * failure is environmental and the record would decode fine on a retry.
         */
        public boolean isRecordFault() {
            return recordFault;
        }
    }

    private final Reason reason;

    public RecordDecodingException(Reason reason, String message) {
        this(reason, message, null);
    }

    public RecordDecodingException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
