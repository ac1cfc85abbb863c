package dev.batchtrace.jobs.machine;

import dev.batchtrace.connectors.kafka.BacklogAwareWatermarks;
import dev.batchtrace.connectors.kafka.DeadLetterSplit;
import dev.batchtrace.connectors.kafka.Decoded;
import dev.batchtrace.connectors.kafka.KafkaConnectionCheck;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import dev.batchtrace.jobs.JobResilience;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine attribution job (issue 5): PLC machine events attributed in event time to the work
 * order running on their machine, summarised per run (and per idle hour), to topic
 * trace.machine-summaries, which the lineage job folds into its work-order and lot documents. Its
 * own job because PLC events outnumber every other stream 100-1000 to 1: it scales by machine on
 * its own, and a backlog of telemetry never delays the genealogy.
 *
 * <pre>
 *  work orders ---> STARTED/COMPLETED --> keyBy(workOrderId) WorkOrderMachinesFunction --+
 *                                                                                         |
 *  machine events ------------------------------------------------> keyBy(machineId) ----+--> MachineAttributionFunction
 *                                                                        --> trace.machine-summaries (exactly once)
 *                                                                        --> too late: trace.dead-letters
 *  undecodable records of both inputs --> trace.dead-letters
 * </pre>
 *
 * <p>Run: {@code flink run -c dev.batchtrace.jobs.machine.MachineJob trace-jobs-job.jar --config
 * machine.properties [--key value]...}. This class only wires; tests call {@link #defineWorkflow}.
 */
public final class MachineJob {

    private static final Logger LOG = LoggerFactory.getLogger(MachineJob.class);

    // Operator uids: stable across versions, savepoints map state by them. Never rename.
    public static final String UID_MACHINE_EVENTS_SOURCE = "machine-events-source";
    public static final String UID_MACHINE_EVENTS_SPLIT = "machine-events-split";
    public static final String UID_WORK_ORDERS_SOURCE = "machine-work-orders-source";
    public static final String UID_WORK_ORDERS_SPLIT = "machine-work-orders-split";
    public static final String UID_RUN_BOUNDARY_FILTER = "run-boundary-filter";
    public static final String UID_WORK_ORDER_MACHINES = "work-order-machines";
    public static final String UID_ATTRIBUTION = "machine-attribution";
    public static final String UID_SUMMARIES_SINK = "machine-summaries-sink";
    public static final String UID_DEAD_LETTERS_SINK = "machine-dead-letters-sink";

    private MachineJob() {}

    public static void main(String[] args) throws Exception {
        MachineJobConfig config = MachineJobConfig.fromArgs(args);
        LOG.info("machine job config: {}", config);
        // wrong credentials or TLS trust fail here, once, with the key to fix
        KafkaConnectionCheck.verify(config.kafka());
        new ConfluentSchemaRegistryClient(config.registry()).verifyAccess();
        StreamExecutionEnvironment env = environment(config);
        defineWorkflow(env, MachineSources.kafka(config), MachineSinks.kafka(config), config);
        env.execute(config.jobName());
    }

    public static StreamExecutionEnvironment environment(MachineJobConfig config) {
        Configuration flink = new Configuration();
        flink.set(StateBackendOptions.STATE_BACKEND, config.stateBackend());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        configure(env, config);
        return env;
    }

    /** Checkpointing (exactly once: the summaries sink commits on checkpoints), parallelism. */
    public static void configure(StreamExecutionEnvironment env, MachineJobConfig config) {
        env.enableCheckpointing(
                config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        env.setMaxParallelism(config.maxParallelism());
        JobResilience.apply(env); // checkpoint timeout and tolerance, restarts with backoff
        if (config.parallelism() > 0) {
            env.setParallelism(config.parallelism());
        }
    }

    /**
     * Event time per Kafka partition, bounded out of orderness; a quiet input counts as idle only
     * once its backlog is read (else a slow-starting input lets the other run ahead, issue 13); a
     * dead letter has no event time and never moves the watermark.
     */
    static <T> WatermarkStrategy<Decoded<T>> watermarks(
            MachineJobConfig config, String topic, BacklogAwareWatermarks.EventTime<T> eventTime) {
        return BacklogAwareWatermarks.forTopic(
                config.kafka(),
                topic,
                config.outOfOrderness(),
                config.sourceIdleTimeout(),
                eventTime);
    }

    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            MachineSources sources,
            MachineSinks sinks,
            MachineJobConfig config) {
        DeadLetterSplit.Result<MachineEvent> machineEvents =
                DeadLetterSplit.split(
                        env.fromSource(
                                        sources.machineEvents(),
                                        watermarks(
                                                config,
                                                config.topics().machineEvents(),
                                                (MachineEvent e) ->
                                                        e.getOccurredAt().toEpochMilli()),
                                        "machine events")
                                .uid(UID_MACHINE_EVENTS_SOURCE),
                        UID_MACHINE_EVENTS_SPLIT,
                        "machine events: split dead letters");
        DeadLetterSplit.Result<WorkOrderEvent> workOrders =
                DeadLetterSplit.split(
                        env.fromSource(
                                        sources.workOrders(),
                                        watermarks(
                                                config,
                                                config.topics().workOrders(),
                                                (WorkOrderEvent e) ->
                                                        e.getOccurredAt().toEpochMilli()),
                                        "work-order events")
                                .uid(UID_WORK_ORDERS_SOURCE),
                        UID_WORK_ORDERS_SPLIT,
                        "work-order events: split dead letters");

        DataStream<RunBoundary> boundaries =
                workOrders
                        .records()
                        .filter(
                                e ->
                                        e.getEventType() == WorkOrderEventType.STARTED
                                                || e.getEventType() == WorkOrderEventType.COMPLETED)
                        .uid(UID_RUN_BOUNDARY_FILTER)
                        .name("STARTED and COMPLETED only")
                        .keyBy(WorkOrderEvent::getWorkOrderId, Types.STRING)
                        .process(
                                new WorkOrderMachinesFunction(config.allowedLateness()),
                                TypeInformation.of(RunBoundary.class))
                        .uid(UID_WORK_ORDER_MACHINES)
                        .name("work order -> run boundaries per machine");

        SingleOutputStreamOperator<MachineSummaryUpdate> summaries =
                machineEvents
                        .records()
                        .keyBy(MachineEvent::getMachineId, Types.STRING)
                        .connect(boundaries.keyBy(RunBoundary::machineId, Types.STRING))
                        .transform(
                                "machine events -> run and idle summaries",
                                TypeInformation.of(MachineSummaryUpdate.class),
                                new MachineAttributionOperator(
                                        new MachineAttributionFunction(
                                                config.allowedLateness(),
                                                config.workOrderGrace(),
                                                config.emitInterval(),
                                                config.topics().machineEvents())))
                        .uid(UID_ATTRIBUTION);
        summaries.sinkTo(sinks.summaries()).uid(UID_SUMMARIES_SINK).name("machine summaries");

        DataStream<DeadLetter> deadLetters =
                machineEvents
                        .deadLetters()
                        .union(
                                workOrders.deadLetters(),
                                summaries.getSideOutput(MachineAttributionFunction.TOO_LATE));
        deadLetters.sinkTo(sinks.deadLetters()).uid(UID_DEAD_LETTERS_SINK).name("dead letters");
    }
}
