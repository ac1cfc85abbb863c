package dev.batchtrace.jobs.lineage;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * Refuses state written by a newer version of the job (issue 13, rollback rules). Every checkpoint
 * and savepoint records the job's {@link LineageJob#STATE_VERSION} in this operator's union list
 * state; a job restored from a savepoint that a newer version wrote fails at start with a message
 * that says what to do instead (deploy that version or newer, or reprocess from scratch under a new
 * run id), instead of reading state it does not understand and diverging silently. A restore of an
 * older version's state (an upgrade) is allowed: the newer code must read what older versions wrote
 * (new state starts empty, changed state is migrated by the code that changed it). State of a
 * version from before this operator existed restores without this state: allowed (an upgrade).
 *
 * <p>An identity map on the goods receipts (chained, no shuffle): it only needs to be somewhere in
 * the job graph with a stable uid ({@link LineageJob#UID_STATE_VERSION_GUARD}).
 */
public final class StateVersionGuard<T> implements MapFunction<T, T>, CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    static final ListStateDescriptor<Integer> STATE_VERSIONS =
            new ListStateDescriptor<>("state-version", Types.INT);

    private final int version;
    private transient ListState<Integer> versions;

    public StateVersionGuard(int version) {
        this.version = version;
    }

    @Override
    public T map(T value) {
        return value;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        versions = context.getOperatorStateStore().getUnionListState(STATE_VERSIONS);
        if (!context.isRestored()) {
            return;
        }
        int newest = 0;
        for (Integer restored : versions.get()) {
            newest = Math.max(newest, restored);
        }
        if (newest > version) {
            throw new IllegalStateException(refusal(newest, version));
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        versions.update(new ArrayList<>(List.of(version)));
    }

    /** The message of a refused restore. */
    static String refusal(int written, int running) {
        return "Refusing to restore: this state (savepoint or checkpoint) was written by state version "
                + written
                + " of the lineage job, and this job is state version "
                + running
                + ", which cannot read it. Roll back by deploying a version with state version >= "
                + written
                + " from the newest savepoint, or reprocess from scratch under a new run id (new"
                + " feedback topic, groups and transactional ids; see deploy/kubernetes/README.md,"
                + " Rollback rules). Never restore an older savepoint of the same run.";
    }
}
