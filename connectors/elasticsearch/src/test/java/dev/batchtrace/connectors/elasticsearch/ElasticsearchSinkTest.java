package dev.batchtrace.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransport;
import co.elastic.clients.transport.Endpoint;
import co.elastic.clients.transport.TransportOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the sink does around its writer: the client is never left open. */
class ElasticsearchSinkTest {

    @Test
    void theClientIsClosedWhenTheWriterCannotBeBuilt() {
        RecordingTransport transport = new RecordingTransport();
        IllegalStateException broken = new IllegalStateException("metric group unavailable");

        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                ElasticsearchSink.createWriter(
                                        ElasticsearchSettings.forHosts("http://127.0.0.1:1"),
                                        (Long i) -> null,
                                        new ElasticsearchClient(transport),
                                        TaskThreadMetricGroup.failingOnAddGroup(broken),
                                        new FakeTaskServices.RecordingMailbox(),
                                        FakeTaskServices.noTimers()));

        assertSame(broken, e);
        assertEquals(1, transport.closed.get(), "the client's transport was closed");
    }

    @Test
    void theWriterOwnsTheClientWhenItIsBuilt() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        ElasticsearchSinkWriter<Long> writer =
                ElasticsearchSink.createWriter(
                        ElasticsearchSettings.forHosts("http://127.0.0.1:1"),
                        (Long i) -> null,
                        new ElasticsearchClient(transport),
                        new TaskThreadMetricGroup(),
                        new FakeTaskServices.RecordingMailbox(),
                        FakeTaskServices.noTimers());
        assertEquals(0, transport.closed.get(), "still open while the writer runs");

        writer.close();

        assertTrue(transport.closed.get() >= 1, "closed with the writer");
    }

    /** A transport that sends nothing and counts how often it is closed. */
    private static final class RecordingTransport implements ElasticsearchTransport {
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public <RequestT, ResponseT, ErrorT> ResponseT performRequest(
                RequestT request,
                Endpoint<RequestT, ResponseT, ErrorT> endpoint,
                TransportOptions options) {
            throw new UnsupportedOperationException("no requests expected");
        }

        @Override
        public <RequestT, ResponseT, ErrorT> CompletableFuture<ResponseT> performRequestAsync(
                RequestT request,
                Endpoint<RequestT, ResponseT, ErrorT> endpoint,
                TransportOptions options) {
            return CompletableFuture.failedFuture(
                    new UnsupportedOperationException("no requests expected"));
        }

        @Override
        public JsonpMapper jsonpMapper() {
            return ElasticsearchClients.jsonpMapper();
        }

        @Override
        public TransportOptions options() {
            return null;
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }
}
