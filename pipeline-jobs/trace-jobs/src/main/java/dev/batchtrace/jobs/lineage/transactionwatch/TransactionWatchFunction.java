package dev.batchtrace.jobs.lineage.transactionwatch;

import dev.batchtrace.connectors.kafka.HangingTransactions;
import dev.batchtrace.jobs.KafkaPoller;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Gauge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes records on unchanged; its first subtask checks the job's transactional topics for hanging
 * transactions every {@link TransactionWatch#interval()} on a daemon thread ({@link
 * HangingTransactions}) and logs each one found by two checks in a row as an error naming the
 * partition, the offset where read_committed readers stop and the command that ends it (gauge
 * {@value #METRIC_HANGING_TRANSACTIONS}). A hanging transaction cannot be ended without dropping
 * its records, so the job does not do it by itself, nor fail: a restart would not end it either. A
 * check that cannot run (Kafka down, no rights to describe producers or transactions) is logged
 * once and tried again at the next interval.
 */
public final class TransactionWatchFunction<T> extends RichMapFunction<T, T> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TransactionWatchFunction.class);

    /** Gauge: hanging transactions reported and not gone yet (first subtask only). */
    public static final String METRIC_HANGING_TRANSACTIONS = "hangingTransactions";

    /** How often a hanging transaction that stays is reported again. */
    static final Duration REPEAT = Duration.ofMinutes(10);

    /**
     * How long a transaction whose producer the coordinator shows nothing of must stay open before
     * it counts as hanging: longer than the jobs' transaction timeout (15 min, {@code
     * transaction.max.timeout.ms}'s default), after which a coordinator that knows it aborts it.
     */
    static final Duration UNCONFIRMED_AFTER = Duration.ofMinutes(16);

    private final TransactionWatch setting;
    private transient HangingTransactions checker;
    private transient HangingReport report;
    private transient ScheduledExecutorService poller;
    private transient volatile int hanging;
    private transient boolean failingLogged;

    public TransactionWatchFunction(TransactionWatch setting) {
        this.setting = setting;
    }

    @Override
    public void open(OpenContext openContext) {
        if (!setting.enabled() || getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() != 0) {
            return;
        }
        getRuntimeContext()
                .getMetricGroup()
                .gauge(METRIC_HANGING_TRANSACTIONS, (Gauge<Integer>) () -> hanging);
        checker =
                new HangingTransactions(
                        setting.kafka().clientProperties(true), Duration.ofSeconds(10));
        report = new HangingReport(setting.kafka().bootstrapServers(), REPEAT, UNCONFIRMED_AFTER);
        poller =
                KafkaPoller.start(
                        "batchtrace-hanging-transactions",
                        setting.interval(),
                        setting.interval(),
                        this::check);
    }

    @Override
    public T map(T value) {
        return value;
    }

    /** One check (the poller's thread). */
    void check() {
        try {
            // every open transaction is asked about: a record's timestamp need not be its append
            // time
            var found = checker.find(setting.topics(), Duration.ZERO);
            failingLogged = false;
            for (HangingReport.Line line : report.update(found, Instant.now())) {
                if (line.error()) {
                    LOG.error(line.text());
                } else {
                    LOG.info(line.text());
                }
            }
            hanging = report.reportedCount();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!failingLogged) {
                failingLogged = true;
                LOG.warn(
                        "Cannot check {} for hanging Kafka transactions (tried again every {}): {}",
                        setting.topics(),
                        setting.interval(),
                        e.toString());
            }
        }
    }

    /** Hanging transactions reported and not gone (0 on other subtasks). */
    int hanging() {
        return hanging;
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
        if (checker != null) {
            checker.close();
            checker = null;
        }
    }
}
