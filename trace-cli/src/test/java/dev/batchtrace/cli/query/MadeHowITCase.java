package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.batchtrace.cli.CliRun;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchClients;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.stack.TestServers;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code trace lots}: which lots were made how, against a real Elasticsearch node holding the
 * sample factory day's documents (deploy/sample-data/README.md: IMM-02 runs WO-26-1002 hot, alarm
 * A-231 at 09:04, making SA-261102-02; FG-261102-02 fails its functional test).
 */
class MadeHowITCase {

    private static ElasticsearchClient client;
    private static TraceQueries queries;
    private static String url;

    @BeforeAll
    static void indexTheSampleDay() throws Exception {
        url = TestServers.elasticsearchUrl();
        client = ElasticsearchClients.create(ElasticsearchSettings.forHosts(url));
        IndexTemplates.install(client, line -> {});
        queries = new TraceQueries(client, url);
        SampleDayDocuments.index(client, Instant.parse("2026-11-02T16:30:05Z"));
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    private static Instant at(String hhmm) {
        return Instant.parse("2026-11-02T" + hhmm + ":00Z");
    }

    private static List<String> lots(MadeHowQuery query) {
        return queries.madeHow(query).lots().stream().map(MadeLot::lotCode).toList();
    }

    @Test
    void theLotThatFailedQc() {
        MadeLots failed = queries.madeHow(new MadeHowQuery("FAILED", null, null, null, null));
        assertEquals(
                List.of("FG-261102-02"), failed.lots().stream().map(MadeLot::lotCode).toList());
        assertEquals(List.of("QC-26-9007 functional_test"), failed.lots().get(0).failedChecks());
        assertTrue(lots(new MadeHowQuery("PASSED", null, null, null, null)).size() > 3);
    }

    @Test
    void lotsMadeOnAMachineInAWindowWhileAnAlarmWasActive() {
        MadeLots hot =
                queries.madeHow(
                        new MadeHowQuery(null, "IMM-02", "A-231", at("09:00"), at("10:00")));
        assertEquals(List.of("SA-261102-02"), hot.lots().stream().map(MadeLot::lotCode).toList());
        MadeLot.Run run = hot.lots().get(0).runs().get(0);
        assertEquals("WO-26-1002", run.workOrderId());
        assertEquals(at("07:05"), run.startedAt());
        assertEquals(at("10:32"), run.completedAt());
        assertEquals(
                List.of(new MadeLot.Alarm("A-231", 1, at("09:04"), at("09:04"), "FAULT")),
                run.alarms());

        // the alarm was not active later, nor on the other machine
        assertEquals(
                List.of(),
                lots(new MadeHowQuery(null, "IMM-02", "A-231", at("11:00"), at("12:00"))));
        assertEquals(List.of(), lots(new MadeHowQuery(null, "IMM-01", "A-231", null, null)));
        // any machine with the alarm; the machine's runs in a window without an alarm
        assertEquals(
                List.of("SA-261102-02"), lots(new MadeHowQuery(null, null, "A-231", null, null)));
        assertEquals(
                List.of("SA-261102-02"),
                lots(new MadeHowQuery(null, "IMM-02", null, at("10:00"), at("10:30"))));
        // WO-26-1004 ran on IMM-02 10:45-12:32 but its PLC sent nothing during the run: no run
        // summary, its lot is found by its machine and work-order window
        MadeLots quiet =
                queries.madeHow(new MadeHowQuery(null, "IMM-02", null, at("11:00"), at("12:00")));
        assertEquals(List.of("SA-261102-04"), quiet.lots().stream().map(MadeLot::lotCode).toList());
        assertEquals(List.of(), quiet.lots().get(0).runs());
        assertEquals(at("10:45"), quiet.lots().get(0).workOrderStartedAt());
        assertEquals(at("12:32"), quiet.lots().get(0).workOrderCompletedAt());
        assertEquals(
                List.of(), lots(new MadeHowQuery(null, "IMM-02", null, at("13:00"), at("14:00"))));
        // both conditions at once: failed QC and the hot run share no lot
        assertEquals(List.of(), lots(new MadeHowQuery("FAILED", "IMM-02", "A-231", null, null)));
    }

    @Test
    void theCommandPrintsTheLotsAndRefusesAnEmptyOrReversedQuery() {
        CliRun run =
                trace(
                        "lots",
                        "--machine",
                        "IMM-02",
                        "--alarm",
                        "A-231",
                        "--from",
                        "2026-11-02T09:00:00Z",
                        "--to",
                        "2026-11-02T10:00:00Z",
                        "--elasticsearch-url",
                        url);
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().startsWith("1 lot ("), run.out());
        assertTrue(run.out().contains("SA-261102-02"), run.out());
        assertTrue(run.out().contains("A-231 x1"), run.out());

        // a run without machine events: the lot's machine and its work order's window
        CliRun quiet =
                trace(
                        "lots",
                        "--machine",
                        "IMM-02",
                        "--from",
                        "2026-11-02T11:00:00Z",
                        "--to",
                        "2026-11-02T12:00:00Z",
                        "--elasticsearch-url",
                        url);
        assertEquals(0, quiet.exitCode(), quiet.err());
        assertTrue(
                quiet.out().contains("IMM-02   2026-11-02T10:45:00Z..2026-11-02T12:32:00Z"),
                quiet.out());

        CliRun json = trace("lots", "--qc-status", "failed", "--json", "--elasticsearch-url", url);
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(
                json.out().contains("\"lotCode\" : \"FG-261102-02\"")
                        || json.out().contains("\"lotCode\":\"FG-261102-02\""),
                json.out());

        assertEquals(2, trace("lots", "--elasticsearch-url", url).exitCode());
        CliRun reversed =
                trace(
                        "lots",
                        "--from",
                        "2026-11-02T10:00:00Z",
                        "--to",
                        "2026-11-02T09:00:00Z",
                        "--elasticsearch-url",
                        url);
        assertEquals(2, reversed.exitCode());
        assertTrue(reversed.err().contains("is after --to"), reversed.err());
        assertEquals(
                2, trace("lots", "--qc-status", "MAYBE", "--elasticsearch-url", url).exitCode());
    }

    private static CliRun trace(String... args) {
        return CliRun.trace(args);
    }
}
