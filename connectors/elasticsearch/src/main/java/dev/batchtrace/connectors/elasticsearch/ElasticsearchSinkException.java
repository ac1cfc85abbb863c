package dev.batchtrace.connectors.elasticsearch;

import java.io.IOException;

/** Elasticsearch did not take a write and the sink will not retry it: the task must fail. */
public class ElasticsearchSinkException extends IOException {

    private static final long serialVersionUID = 1L;

    public ElasticsearchSinkException(String message) {
        super(message);
    }

    public ElasticsearchSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
