package dev.batchtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query commands' logging (a fresh JVM each: Log4j picks its implementation once per JVM). */
class QueryLoggingTest {

    @TempDir Path dir;

    @Test
    void libraryWarningsAndErrorsStillReachStderrAndNothingLess() throws Exception {
        Run run = probe();
        assertEquals(0, run.exit, run.err);
        assertEquals("", run.out, "nothing on stdout: it is the answer's");
        // both logging APIs the Elasticsearch client and httpclient use
        assertTrue(run.err.contains("ERROR Jcl jcl error"), run.err);
        assertTrue(run.err.contains("WARN Slf4j slf4j warn"), run.err);
        assertFalse(run.err.contains("info"), run.err);
        assertTrue(
                run.err.contains("context org.apache.logging.log4j.simple.SimpleLoggerContext"),
                "no log4j-core set up: " + run.err);
    }

    @Test
    void aLog4jConfigurationChosenForTheJvmIsKept() throws Exception {
        Run run = probe("-Dlog4j2.configurationFile=log4j2.xml");
        assertEquals(0, run.exit, run.err);
        assertTrue(run.err.contains("Jcl: jcl error"), "log4j2.xml's pattern: " + run.err);
        assertTrue(run.err.contains("context org.apache.logging.log4j.core."), run.err);
    }

    private Run probe(String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(
                List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        File out = dir.resolve("out").toFile();
        File err = dir.resolve("err").toFile();
        Process process =
                new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe JVM finished");
        return new Run(
                process.exitValue(),
                Files.readString(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }

    private record Run(int exit, String out, String err) {}

    /** What a query command does: install, then libraries log through their APIs. */
    public static final class Probe {
        public static void main(String[] args) {
            QueryLogging.install();
            org.apache.commons.logging.LogFactory.getLog("dev.example.Jcl").error("jcl error");
            org.apache.commons.logging.LogFactory.getLog("dev.example.Jcl").info("jcl info");
            org.slf4j.LoggerFactory.getLogger("dev.example.Slf4j").warn("slf4j warn");
            org.slf4j.LoggerFactory.getLogger("dev.example.Slf4j").info("slf4j info");
            System.err.println(
                    "context "
                            + org.apache.logging.log4j.LogManager.getContext(false)
                                    .getClass()
                                    .getName());
        }
    }
}
