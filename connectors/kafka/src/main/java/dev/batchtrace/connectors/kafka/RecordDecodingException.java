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
        /** A timestamp before 2000 or more than a day in the future ({@link EventRules}). */
        TIMESTAMP_OUT_OF_RANGE(true),
        /** A NaN or infinite number. */
        INVALID_NUMBER(true),
        /** A negative quantity, cost or sample size. */
        NEGATIVE_QUANTITY(true),
        /** A blank identifier, or a field the event's type needs is missing. */
        MISSING_FIELD(true),
        /** A lower limit above the upper limit. */
        LIMITS_REVERSED(true),
        /** A string longer than a field may be. */
        FIELD_TOO_LONG(true),
        /** A list longer than it may be (e.g. a dispatch note's lines). */
        TOO_MANY_ITEMS(true),
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
