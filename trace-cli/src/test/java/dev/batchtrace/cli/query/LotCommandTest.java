package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.cli.CliRun;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code trace lot}'s options are checked before Elasticsearch is asked anything. */
class LotCommandTest {

    @Test
    void aLimitOutside1To10000IsAUsageError() throws Exception {
        String nowhere = nowhere();
        for (String limit : new String[] {"0", "-5", "10001"}) {
            CliRun run = run("RM-1", "--limit", limit, "--elasticsearch-url", nowhere);
            assertEquals(2, run.exitCode(), limit + ": " + run.err());
            assertTrue(
                    run.err().contains("--limit must be 1 to 10000 (or --all for every lot"),
                    run.err());
            assertTrue(run.err().contains("not " + limit), run.err());
        }
        CliRun notANumber = run("RM-1", "--limit", "many", "--elasticsearch-url", nowhere);
        assertEquals(2, notANumber.exitCode(), notANumber.err());
    }

    @Test
    void validLimitsAndAllGoOnToElasticsearch() throws Exception {
        // nothing listens there: exit 5 shows the options were accepted and the query was tried
        String nowhere = nowhere();
        for (String[] args :
                new String[][] {
                    {"RM-1", "--limit", "1"},
                    {"RM-1", "--limit", "10000"},
                    {"RM-1"},
                    {"RM-1", "--all", "--limit", "0"},
                    {"RM-1", "--all", "--json"}
                }) {
            String[] withUrl = java.util.Arrays.copyOf(args, args.length + 2);
            withUrl[args.length] = "--elasticsearch-url";
            withUrl[args.length + 1] = nowhere;
            CliRun run = run(withUrl);
            assertEquals(5, run.exitCode(), String.join(" ", args) + ": " + run.err());
            assertTrue(run.err().contains("cannot reach Elasticsearch at " + nowhere), run.err());
        }
    }

    private static String nowhere() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private static CliRun run(String... args) {
        return CliRun.of(new CommandLine(new LotCommand()), args);
    }
}
