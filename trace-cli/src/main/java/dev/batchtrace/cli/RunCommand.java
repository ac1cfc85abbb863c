package dev.batchtrace.cli;

import dev.batchtrace.jobs.lineage.LineageJobConfig;
import dev.batchtrace.stack.StackConfig;
import dev.batchtrace.stack.StackStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trace run}: the lineage job in a local Flink until stopped (Ctrl-C). */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run the lineage job in a local Flink (RocksDB state, web UI on 127.0.0.1:8082) until"
                    + " stopped with Ctrl-C.",
            "Without --config it runs against the local stack and starts it if needed. Checkpoints"
                    + " are kept in the work folder; the next run resumes from the newest one."
        })
final class RunCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Job settings (properties: bootstrap.servers, schema.registry.url,"
                            + " elasticsearch.hosts, topic.*, lineage.*; TLS and credentials as in"
                            + " the README's \"Secured connections\"; see"
                            + " pipeline-jobs/trace-jobs/README.md). Without it: the local stack.")
    Path configFile;

    @Option(
            names = "--web-ui-port",
            description = "Port of the Flink web UI (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + LocalLineageRun.DEFAULT_WEB_UI_PORT)
    int webUiPort;

    @Mixin StackOptions stack;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        StackConfig stackConfig = stack.toConfig();
        Map<String, String> overrides = Map.of();
        if (configFile == null) {
            StackStatus status = StackSetup.up(stack, out);
            if (!status.allRunning()) {
                StackPrinter.print(status, stack.endpoints(), out);
                return 1;
            }
        } else {
            overrides = LineageJobConfig.argsToMap("--config", configFile.toString());
        }
        LocalLineageRun.Resume resume = LocalLineageRun.resume(stackConfig.workDir());
        Map<String, String> settings =
                LocalLineageRun.settings(stack.endpoints(), resume.runId(), overrides);
        out.println("Lineage job: " + LineageJobConfig.fromMap(settings).jobName());
        JobClient job =
                LocalLineageRun.start(
                        settings,
                        stackConfig.workDir(),
                        resume,
                        webUiPort,
                        line -> {
                            out.println(line);
                            out.flush();
                        });
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    // cancelling keeps the newest checkpoint for the next run
                                    try {
                                        job.cancel().get();
                                    } catch (Exception e) {
                                        // the JVM is going down either way
                                    }
                                },
                                "cancel-lineage-job"));
        out.println("Running until Ctrl-C.");
        out.flush();
        job.getJobExecutionResult().get();
        return 0;
    }
}
