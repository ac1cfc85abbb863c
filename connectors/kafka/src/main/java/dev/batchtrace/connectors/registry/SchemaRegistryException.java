package dev.batchtrace.connectors.registry;

/** A registry call failed; {@link #kind()} says what an operator should look at. */
public class SchemaRegistryException extends RuntimeException {

    public enum Kind {
        /** Connection refused, DNS, TLS handshake or timeout: check the URL and the network. */
        UNREACHABLE,
        /** 401/403: check the basic auth user info and the registry's ACLs. */
        UNAUTHORIZED,
        /** No schema with the requested id (the bytes were written against another registry?). */
        SCHEMA_NOT_FOUND,
        /** Nothing registered under the subject. */
        SUBJECT_NOT_FOUND,
        /** 409: the registry's compatibility rules reject the schema. */
        INCOMPATIBLE,
        /**
         * 422: the registry could not parse the schema; or the schema the registry returned is not
         * valid Avro.
         */
        INVALID_SCHEMA,
        /** The registry returned a schema of another type (JSON Schema, Protobuf), not Avro. */
        NOT_AVRO,
        /** Anything else (5xx, unexpected response body). */
        REGISTRY_ERROR
    }

    private final Kind kind;
    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(Kind kind, String message, int httpStatus, int errorCode) {
        this(kind, message, httpStatus, errorCode, null);
    }

    public SchemaRegistryException(
            Kind kind, String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or -1 when there was no response. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code}, or -1 when absent. */
    public int errorCode() {
        return errorCode;
    }
}
