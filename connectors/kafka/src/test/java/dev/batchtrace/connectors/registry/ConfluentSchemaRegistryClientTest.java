package dev.batchtrace.connectors.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.batchtrace.connectors.kafka.AvroRecordDeserializer;
import dev.batchtrace.connectors.kafka.RecordDecodingException;
import dev.batchtrace.connectors.kafka.RecordDecodingException.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Protocol details against a scripted HTTP server (JDK's built-in one): headers, paths, error
 * mapping. The real registry is exercised by RegistryWireFormatITCase.
 */
class ConfluentSchemaRegistryClientTest {

    private static final Schema SCHEMA =
            SchemaBuilder.record("Thing")
                    .namespace("test")
                    .fields()
                    .requiredString("id")
                    .endRecord();

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authHeaders = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = "{}";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String requestBody =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(
                exchange.getRequestMethod()
                        + " "
                        + exchange.getRequestURI().getRawPath()
                        + " "
                        + requestBody);
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        authHeaders.add(auth == null ? "" : auth);
        byte[] response = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, response.length);
        exchange.getResponseBody().write(response);
        exchange.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7/";
    }

    @Test
    void registerPostsTheSchemaAndCachesTheId() {
        body = "{\"id\":17}";
        ConfluentSchemaRegistryClient client =
                new ConfluentSchemaRegistryClient(RegistrySettings.of(url()));

        assertEquals(17, client.register("mes.goods-receipts-value", SCHEMA));
        assertEquals(17, client.register("mes.goods-receipts-value", SCHEMA));
        assertEquals(SCHEMA, client.getSchemaById(17), "registered schema is cached by id");

        assertEquals(1, requests.size(), requests.toString());
        String request = requests.get(0);
        assertTrue(
                request.startsWith(
                        "POST /apis/ccompat/v7/subjects/mes.goods-receipts-value/versions "),
                request);
        assertTrue(request.contains("\\\"name\\\":\\\"Thing\\\""), request);
        assertEquals(1, client.httpCalls());
    }

    @Test
    void getSchemaByIdParsesAndCaches() {
        body =
                "{\"schema\":"
                        + com.fasterxml.jackson.databind.node.TextNode.valueOf(SCHEMA.toString())
                        + "}";
        ConfluentSchemaRegistryClient client =
                new ConfluentSchemaRegistryClient(RegistrySettings.of(url()));
        assertEquals(SCHEMA, client.getSchemaById(5));
        assertEquals(SCHEMA, client.getSchemaById(5));
        assertEquals(List.of("GET /apis/ccompat/v7/schemas/ids/5 "), requests);
    }

    @Test
    void basicAuthIsSentAnd401IsAnAuthErrorNamingTheUser() {
        status = 401;
        body = "{\"error_code\":401,\"message\":\"Unauthorized\"}";
        RegistrySettings settings =
                RegistrySettings.fromMap(
                        java.util.Map.of(
                                RegistrySettings.URL,
                                url(),
                                RegistrySettings.BASIC_AUTH_USER_INFO,
                                "svc-flink:s3cret"));
        ConfluentSchemaRegistryClient client = new ConfluentSchemaRegistryClient(settings);

        SchemaRegistryException e =
                assertThrows(SchemaRegistryException.class, () -> client.getSchemaById(1));

        assertEquals(SchemaRegistryException.Kind.UNAUTHORIZED, e.kind());
        assertEquals(401, e.httpStatus());
        assertTrue(e.getMessage().contains("svc-flink"), e.getMessage());
        assertTrue(!e.getMessage().contains("s3cret"), "never print the password");
        assertEquals(
                "Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString(
                                        "svc-flink:s3cret".getBytes(StandardCharsets.UTF_8)),
                authHeaders.get(0));
    }

    @Test
    void conflictIsIncompatibleWithTheRegistryMessage() {
        status = 409;
        body = "{\"error_code\":0,\"message\":\"Incompatible: field sequence has no default\"}";
        ConfluentSchemaRegistryClient client =
                new ConfluentSchemaRegistryClient(RegistrySettings.of(url()));
        SchemaRegistryException e =
                assertThrows(
                        SchemaRegistryException.class, () -> client.register("s-value", SCHEMA));
        assertEquals(SchemaRegistryException.Kind.INCOMPATIBLE, e.kind());
        assertTrue(e.getMessage().contains("field sequence has no default"), e.getMessage());
        assertTrue(e.getMessage().contains("s-value"), e.getMessage());
    }

    @Test
    void conflictFromAConcurrentFirstRegistrationResolvesByLookup() {
        // Apicurio answers 409 "already exists" to the loser of two concurrent first registrations.
        server.removeContext("/");
        server.createContext(
                "/",
                exchange -> {
                    String path = exchange.getRequestURI().getRawPath();
                    requests.add(exchange.getRequestMethod() + " " + path);
                    boolean lookup = !path.endsWith("/versions");
                    byte[] response =
                            (lookup
                                            ? "{\"subject\":\"s-value\",\"id\":8,\"version\":1}"
                                            : "{\"error_code\":0,\"message\":\"already exists\"}")
                                    .getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(lookup ? 200 : 409, response.length);
                    exchange.getResponseBody().write(response);
                    exchange.close();
                });
        ConfluentSchemaRegistryClient client =
                new ConfluentSchemaRegistryClient(RegistrySettings.of(url()));

        assertEquals(8, client.register("s-value", SCHEMA));
        assertEquals(
                List.of(
                        "POST /apis/ccompat/v7/subjects/s-value/versions",
                        "POST /apis/ccompat/v7/subjects/s-value"),
                requests);
    }

    @Test
    void missingSchemaIdAndMissingSubjectAreTold() {
        status = 404;
        body = "{\"error_code\":40403,\"message\":\"Schema not found\"}";
        ConfluentSchemaRegistryClient client =
                new ConfluentSchemaRegistryClient(RegistrySettings.of(url()));
        SchemaRegistryException byId =
                assertThrows(SchemaRegistryException.class, () -> client.getSchemaById(99));
        assertEquals(SchemaRegistryException.Kind.SCHEMA_NOT_FOUND, byId.kind());
        assertTrue(byId.getMessage().contains("99"));

        body = "{\"error_code\":40402,\"message\":\"No artifact with ID 'x-value'\"}";
        SchemaRegistryException bySubject =
                assertThrows(
                        SchemaRegistryException.class,
                        () -> client.getLatestSchemaMetadata("x-value"));
        assertEquals(SchemaRegistryException.Kind.SUBJECT_NOT_FOUND, bySubject.kind());
        assertEquals(40402, bySubject.errorCode());
    }

    @Test
    void negativeSchemaIdNeverReachesTheRegistry() {
        ConfluentSchemaRegistryClient client =
                new ConfluentSchemaRegistryClient(RegistrySettings.of(url()));
        SchemaRegistryException e =
                assertThrows(SchemaRegistryException.class, () -> client.getSchemaById(-1));
        assertEquals(SchemaRegistryException.Kind.SCHEMA_NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("-1"), e.getMessage());

        // Header 00 FF FF FF FF from a Kafka value: a dead letter, not a registry fault.
        RecordDecodingException decoding =
                assertThrows(
                        RecordDecodingException.class,
                        () ->
                                AvroRecordDeserializer.forWriterSchema(client)
                                        .deserialize(
                                                new byte[] {
                                                    0,
                                                    (byte) 0xff,
                                                    (byte) 0xff,
                                                    (byte) 0xff,
                                                    (byte) 0xff,
                                                    2,
                                                    'a'
                                                }));
        assertEquals(Reason.UNKNOWN_SCHEMA_ID, decoding.reason());
        assertEquals(List.of(), requests);
        assertEquals(0, client.httpCalls());
    }

    @Test
    void jsonSchemaForAnIdIsNotAvroAndARecordFault() {
        body = "{\"schemaType\":\"JSON\",\"schema\":\"{\\\"type\\\":\\\"object\\\"}\"}";
        ConfluentSchemaRegistryClient client =
                new ConfluentSchemaRegistryClient(RegistrySettings.of(url()));
        SchemaRegistryException e =
                assertThrows(SchemaRegistryException.class, () -> client.getSchemaById(31));
        assertEquals(SchemaRegistryException.Kind.NOT_AVRO, e.kind());
        assertTrue(e.getMessage().contains("JSON"), e.getMessage());

        AvroRecordDeserializer<GenericRecord> deserializer =
                AvroRecordDeserializer.forWriterSchema(client);
        byte[] value = {0, 0, 0, 0, 31, 2, 'a'};
        RecordDecodingException decoding =
                assertThrows(RecordDecodingException.class, () -> deserializer.deserialize(value));
        assertEquals(Reason.UNUSABLE_SCHEMA, decoding.reason(), decoding.getMessage());
        assertTrue(decoding.reason().isRecordFault());
        // The next record with that id is answered from memory, not by another request.
        int asked = requests.size();
        assertThrows(RecordDecodingException.class, () -> deserializer.deserialize(value));
        assertEquals(asked, requests.size());
    }

    @Test
    void unparsableSchemaForAnIdIsInvalidSchemaAndARecordFault() {
        body = "{\"schema\":" + TextNode.valueOf("{\"type\":\"record\",\"name\":") + "}";
        ConfluentSchemaRegistryClient client =
                new ConfluentSchemaRegistryClient(RegistrySettings.of(url()));
        SchemaRegistryException e =
                assertThrows(SchemaRegistryException.class, () -> client.getSchemaById(32));
        assertEquals(SchemaRegistryException.Kind.INVALID_SCHEMA, e.kind());

        RecordDecodingException decoding =
                assertThrows(
                        RecordDecodingException.class,
                        () ->
                                AvroRecordDeserializer.forWriterSchema(client)
                                        .deserialize(new byte[] {0, 0, 0, 0, 32, 2, 'a'}));
        assertEquals(Reason.UNUSABLE_SCHEMA, decoding.reason(), decoding.getMessage());
    }

    @Test
    void badRequestOrUnprocessableForAnIdIsAnUnknownId() {
        ConfluentSchemaRegistryClient client =
                new ConfluentSchemaRegistryClient(RegistrySettings.of(url()));
        for (int code : new int[] {400, 422}) {
            status = code;
            body = "{\"error_code\":" + code + ",\"message\":\"bad id\"}";
            SchemaRegistryException e =
                    assertThrows(
                            SchemaRegistryException.class, () -> client.getSchemaById(40 + code));
            assertEquals(SchemaRegistryException.Kind.SCHEMA_NOT_FOUND, e.kind(), e.getMessage());
            assertEquals(code, e.httpStatus());
            assertTrue(e.getMessage().contains(String.valueOf(40 + code)), e.getMessage());
            RecordDecodingException decoding =
                    assertThrows(
                            RecordDecodingException.class,
                            () ->
                                    AvroRecordDeserializer.forWriterSchema(client)
                                            .deserialize(new byte[] {0, 0, 0, 0, 9, 2, 'a'}));
            assertEquals(Reason.UNKNOWN_SCHEMA_ID, decoding.reason(), decoding.getMessage());
        }
    }

    @Test
    void closedPortIsUnreachableQuicklyWithTheUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String dead = "http://127.0.0.1:" + port;
        ConfluentSchemaRegistryClient client =
                new ConfluentSchemaRegistryClient(
                        RegistrySettings.of(dead)
                                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)));
        long start = System.nanoTime();
        SchemaRegistryException e =
                assertThrows(SchemaRegistryException.class, () -> client.getSchemaById(1));
        assertEquals(SchemaRegistryException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().contains(dead), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5);
    }

    @Test
    void hangingRegistryTimesOut() {
        server.removeContext("/");
        server.createContext(
                "/",
                exchange -> {
                    try {
                        Thread.sleep(3_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.close();
                });
        ConfluentSchemaRegistryClient client =
                new ConfluentSchemaRegistryClient(
                        RegistrySettings.of(url())
                                .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300)));
        SchemaRegistryException e =
                assertThrows(SchemaRegistryException.class, () -> client.getSchemaById(1));
        assertEquals(SchemaRegistryException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().contains("HttpTimeoutException"), e.getMessage());
    }
}
