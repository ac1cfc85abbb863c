package dev.batchtrace.connectors.elasticsearch;

import java.io.IOException;

/**
 * Elasticsearch refused the configured credentials (HTTP 401) or their rights (HTTP 403). Not
 * retried: the same request with the same credentials gets the same answer.
 */
public class ElasticsearchAuthException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ElasticsearchAuthException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** 401 or 403. */
    public int status() {
        return status;
    }
}
