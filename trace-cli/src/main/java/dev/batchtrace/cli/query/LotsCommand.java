package dev.batchtrace.cli.query;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code trace lots --qc-status FAILED} / {@code --machine M --alarm A --from T1 --to T2}: which
 * lots were made how, from the QC checks and machine runs on the trace-lots documents.
 */
@Command(
        name = "lots",
        mixinStandardHelpOptions = true,
        description = {
            "Which lots were made how: by QC status (--qc-status FAILED), and/or made on a machine"
                    + " (--machine M) in a time window (--from T1 --to T2, ISO-8601 UTC) while an"
                    + " alarm was active (--alarm A: the alarm code occurred in that run within the"
                    + " window). One query on trace-lots; the runs and alarms that matched are"
                    + " shown per lot.",
            "Exit codes: 0 answered (also when no lot matches), 5 Elasticsearch unreachable or"
                    + " trace indices missing, 2 usage error."
        })
public final class LotsCommand implements Callable<Integer> {

    @Option(
            names = "--qc-status",
            paramLabel = "STATUS",
            description = "PASSED, FAILED or PENDING.",
            converter = QcStatus.class)
    String qcStatus;

    @Option(names = "--machine", paramLabel = "M", description = "Machine id, as the PLC sends it.")
    String machineId;

    @Option(names = "--alarm", paramLabel = "A", description = "Alarm code, as the PLC sends it.")
    String alarmCode;

    @Option(
            names = "--from",
            paramLabel = "T1",
            description = "Start of the window, e.g. 2026-11-02T09:00:00Z.",
            converter = Time.class)
    Instant from;

    @Option(
            names = "--to",
            paramLabel = "T2",
            description = "End of the window, e.g. 2026-11-02T10:00:00Z.",
            converter = Time.class)
    Instant to;

    @Option(names = "--json", description = "Print the answer as JSON instead of a table.")
    boolean json;

    @Mixin ElasticsearchOptions elasticsearch;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        MadeHowQuery query;
        try {
            query = new MadeHowQuery(qcStatus, machineId, alarmCode, from, to);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (query.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "name at least one of --qc-status, --machine, --alarm, --from, --to");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (TraceQueries queries = TraceQueries.open(elasticsearch.settings())) {
            MadeLots answer = queries.madeHow(query);
            out.print(json ? TraceJson.write(answer) + "\n" : table(answer));
            out.flush();
            return 0;
        } catch (TraceQueryException e) {
            return QueryErrors.report(e, spec);
        }
    }

    /** The lots, one row per matching run, with the alarms that matched. */
    public static String table(MadeLots answer) {
        StringBuilder text = new StringBuilder();
        text.append(answer.lots().size())
                .append(answer.lots().size() == 1 ? " lot" : " lots")
                .append(" (")
                .append(answer.tookMs())
                .append(" ms)\n");
        if (answer.lots().isEmpty()) {
            return text.toString();
        }
        TextTable table =
                new TextTable(
                        "LOT",
                        "MATERIAL",
                        "WORK ORDER",
                        "PRODUCED",
                        "QC",
                        "FAILED CHECKS",
                        "MACHINE",
                        "RUN",
                        "ALARMS");
        for (MadeLot lot : answer.lots()) {
            List<MadeLot.Run> runs = lot.runs().isEmpty() ? null : lot.runs();
            if (runs == null) {
                table.row(
                        lot.lotCode(),
                        lot.materialCode(),
                        lot.workOrderId(),
                        lot.producedAt(),
                        lot.qcStatus(),
                        lot.failedChecks(),
                        lot.machineIds(), // no run summary: the lot's machines and window
                        window(lot.workOrderStartedAt(), lot.workOrderCompletedAt()),
                        null);
                continue;
            }
            for (MadeLot.Run run : runs) {
                List<String> alarms = new ArrayList<>();
                for (MadeLot.Alarm a : run.alarms()) {
                    alarms.add(
                            String.format(
                                    Locale.ROOT,
                                    "%s x%d %s..%s",
                                    a.code(),
                                    a.count(),
                                    a.firstAt(),
                                    a.lastAt()));
                }
                table.row(
                        lot.lotCode(),
                        lot.materialCode(),
                        run.workOrderId(),
                        lot.producedAt(),
                        lot.qcStatus(),
                        lot.failedChecks(),
                        run.machineId(),
                        window(run.startedAt(), run.completedAt()),
                        alarms);
            }
        }
        return text.append(table.render()).toString();
    }

    private static String window(Instant started, Instant completed) {
        if (started == null && completed == null) {
            return null;
        }
        return (started == null ? "" : started) + ".." + (completed == null ? "" : completed);
    }

    /** QC status names, case-insensitive. */
    static final class QcStatus implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String status = value.strip().toUpperCase(Locale.ROOT);
            if (!List.of("PASSED", "FAILED", "PENDING").contains(status)) {
                throw new IllegalArgumentException(
                        "'" + value + "' is not a QC status (PASSED, FAILED, PENDING)");
            }
            return status;
        }
    }

    /** ISO-8601 instants, e.g. 2026-11-02T09:00:00Z. */
    static final class Time implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value.strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "'" + value + "' is not an ISO-8601 UTC time like 2026-11-02T09:00:00Z");
            }
        }
    }
}
