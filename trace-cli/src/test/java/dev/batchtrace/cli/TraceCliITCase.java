package dev.batchtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.gateway.JsonLinesReader;
import dev.batchtrace.connectors.gateway.ParsedEvent;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command and the stack commands, as a user runs them: {@code stack up}, {@code
 * status}, {@code publish}, {@code demo}, {@code down}, against real servers in a fresh work folder
 * on free ports.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TraceCliITCase {

    @TempDir static Path workDir;
    private static List<String> stackOptions;

    /** One command's exit code and what it printed. */
    @BeforeAll
    static void choosePorts() throws Exception {
        List<Integer> ports = freePorts(5);
        stackOptions =
                List.of(
                        "--work-dir", workDir.toString(),
                        "--kafka-port", ports.get(0).toString(),
                        "--kafka-controller-port", ports.get(1).toString(),
                        "--registry-port", ports.get(2).toString(),
                        "--elasticsearch-port", ports.get(3).toString(),
                        "--elasticsearch-transport-port", ports.get(4).toString());
    }

    @AfterAll
    static void stopStack() {
        trace("stack", "down");
    }

    @Test
    @Order(1)
    void stackUpStartsAllServersCreatesTopicsAndInstallsTemplates() {
        CliRun up = trace("stack", "up");
        assertEquals(0, up.exitCode(), up.out() + up.err());
        assertTrue(up.out().contains("topics: 11 present, 11 created"), up.out());
        assertEquals(3, countMatches(up.out(), "\\bRUNNING\\b"), up.out());
        assertTrue(up.out().contains("schema.registry.url"), up.out());

        CliRun again = trace("stack", "up");
        assertEquals(0, again.exitCode(), again.out() + again.err());
        assertTrue(again.out().contains("topics: 11 present, 0 created"), again.out());
    }

    @Test
    @Order(2)
    void statusReportsEveryServerRunning() {
        CliRun status = trace("stack", "status");
        assertEquals(0, status.exitCode(), status.out() + status.err());
        assertEquals(3, countMatches(status.out(), "\\bRUNNING\\b"), status.out());
    }

    @Test
    @Order(3)
    void publishReportsBadLinesByNumberAndPublishesTheRest() throws Exception {
        Path file = workDir.resolve("mixed.jsonl");
        List<String> sample = Files.readAllLines(StackOptions.sampleFactoryDay());
        String firstEvent =
                sample.stream().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
        Files.write(
                file, List.of(firstEvent, "{\"type\":\"GoodsReceipt\"", "# comment", firstEvent));

        CliRun publish = trace("publish", file.toString());

        assertEquals(PublishCommand.SOME_LINES_REJECTED, publish.exitCode(), publish.out());
        assertTrue(publish.out().contains("line 2 rejected"), publish.out());
        assertTrue(publish.out().contains("2 published, 1 rejected"), publish.out());
    }

    @Test
    @Order(4)
    void demoPublishesTheSampleDayRunsTheJobAndAnswersTheTraceQuestions() throws Exception {
        Map<String, Long> expected = new TreeMap<>();
        for (var line : new JsonLinesReader().readAll(StackOptions.sampleFactoryDay())) {
            ParsedEvent event = (ParsedEvent) line;
            expected.merge(event.topic(), 1L, Long::sum);
        }

        CliRun demo = trace("demo", "--web-ui-port", Integer.toString(freePorts(1).get(0)));

        assertEquals(0, demo.exitCode(), demo.out() + demo.err());
        long total = expected.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(demo.out().contains(total + " published, 0 rejected"), demo.out());
        Map<String, long[]> table = readBackTable(demo.out());
        for (Map.Entry<String, Long> topic : expected.entrySet()) {
            long[] row = table.get(topic.getKey());
            assertEquals(topic.getValue(), row[0], "published this run to " + topic.getKey());
            assertEquals(row[1], row[2], "every record decodes in " + topic.getKey());
            assertTrue(row[1] >= topic.getValue(), topic.getKey());
        }
        int documents =
                ReferenceCheck.forFile(StackOptions.sampleFactoryDay(), "http://unused")
                        .documentCount();
        assertTrue(
                demo.out()
                        .contains(
                                "all " + documents + " trace documents match the batch reference"),
                demo.out());
        assertTrue(demo.out().contains("no earlier checkpoint"), demo.out());
        // Q3: supplier SUP-POLY's lot L2611-01 reached C-100, C-200 and C-400, never C-300
        // (C-300 got SUP-FAST's screw lot with the same supplier lot code: the trap)
        String q3 = demo.out().substring(demo.out().indexOf("Q3."), demo.out().indexOf("Q4."));
        assertTrue(q3.contains("3 customers, 3 shipments"), q3);
        for (String customer : List.of("(C-100)", "(C-200)", "(C-400)")) {
            assertTrue(q3.contains(customer), customer + " in " + q3);
        }
        assertTrue(!q3.contains("(C-300)"), q3);
        String q1 = demo.out().substring(demo.out().indexOf("Q1."), demo.out().indexOf("Q2."));
        assertTrue(q1.contains("8 ancestor lots in all"), q1);
        assertTrue(!q1.contains("RM-261102-01"), "the reversed consumption is not an input: " + q1);

        // Q4: the sample day's HOLD on RM-261102-01 raised its alerts without anyone asking
        // (deploy/sample-data/README.md): two shipments, one shipped while on hold, three stock
        // lots
        String q4 = demo.out().substring(demo.out().indexOf("Q4."), demo.out().indexOf("Q5."));
        assertTrue(q4.contains("raised 6 alerts"), q4);
        assertEquals(2, countMatches(q4, "AFFECTED_SHIPMENT .*DN-26-700[12]"), q4);
        assertEquals(1, countMatches(q4, "SHIPPED_WHILE_ON_HOLD .*DN-26-7004"), q4);
        assertEquals(3, countMatches(q4, "AFFECTED_STOCK "), q4);
        assertTrue(!q4.contains("DN-26-7003"), q4);
        // Q5: the lot of IMM-02's hot run with alarm A-231, and the lot that failed QC
        String q5 = demo.out().substring(demo.out().indexOf("Q5."), demo.out().indexOf("== 6/6"));
        assertTrue(q5.contains("SA-261102-02"), q5);
        assertTrue(q5.contains("A-231 x1"), q5);
        assertTrue(q5.contains("FG-261102-02"), q5);
        assertTrue(q5.contains("QC-26-9007 functional_test"), q5);

        // the live hold of RM-261102-06: its three alerts arrive while the demo watches, then the
        // mock recall names the three customers (deploy/sample-data/README.md, "live hold")
        String hold = demo.out().substring(demo.out().indexOf("== 6/6"));
        assertTrue(hold.contains("1 published, 0 rejected"), hold);
        assertEquals(3, countMatches(hold, "ms +AFFECTED_SHIPMENT .*DN-26-700[234]"), hold);
        assertTrue(hold.contains("all 3 alerts for FLAG-26-0043 arrived"), hold);
        String recall = hold.substring(hold.indexOf("Mock recall of RM-261102-06"));
        for (String named :
                List.of("FG-261102-02", "FG-261102-03", "DN-26-7003", "C-200", "C-300", "C-400")) {
            assertTrue(recall.contains(named), named + " in " + recall);
        }
        assertTrue(recall.contains("100.0 %") || recall.contains("100 %"), recall);

        CliRun again = trace("demo", "--web-ui-port", Integer.toString(freePorts(1).get(0)));

        assertEquals(0, again.exitCode(), again.out() + again.err());
        assertTrue(again.out().contains("resuming from checkpoint"), again.out());
        int withHold =
                ReferenceCheck.forFiles(
                                List.of(StackOptions.sampleFactoryDay(), DemoHold.file()),
                                "http://unused")
                        .documentCount();
        assertTrue(again.out().contains("all " + withHold + " trace documents match"), again.out());
        String holdAgain = again.out().substring(again.out().indexOf("== 6/6"));
        assertTrue(holdAgain.contains("published by an earlier demo run"), holdAgain);
        assertEquals(3, countMatches(holdAgain, "earlier +AFFECTED_SHIPMENT "), holdAgain);
    }

    @Test
    @Order(5)
    void downStopsTheServersAndKeepsTheData() {
        CliRun down = trace("stack", "down");
        assertEquals(0, down.exitCode(), down.out() + down.err());
        assertEquals(0, countMatches(down.out(), "\\bRUNNING\\b"), down.out());

        CliRun status = trace("stack", "status");
        assertEquals(3, status.exitCode(), status.out());
        assertTrue(Files.isDirectory(workDir.resolve("kafka")), "Kafka data kept in " + workDir);
    }

    /** Rows of the demo's read-back table: topic -> {this run, in topic, decoded}. */
    private static Map<String, long[]> readBackTable(String out) {
        Map<String, long[]> rows = new TreeMap<>();
        Matcher row =
                Pattern.compile("(?m)^(\\S+\\.\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$")
                        .matcher(out);
        while (row.find()) {
            rows.put(
                    row.group(1),
                    new long[] {
                        Long.parseLong(row.group(2)),
                        Long.parseLong(row.group(3)),
                        Long.parseLong(row.group(4))
                    });
        }
        return rows;
    }

    private static CliRun trace(String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(stackOptions);
        return CliRun.trace(args.toArray(String[]::new));
    }

    private static int countMatches(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    private static List<Integer> freePorts(int count) throws Exception {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
