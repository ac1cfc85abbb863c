package dev.batchtrace.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FlinkCheckpointsTest {

    @Test
    void theLatestCompletedCheckpointIsRead() throws Exception {
        // the shape of Flink 2.x's /jobs/:id/checkpoints, trimmed
        String body =
                """
                {"counts":{"restored":0,"total":42,"in_progress":1,"completed":41,"failed":0},
                 "latest":{"completed":{"className":"completed","id":41,"status":"COMPLETED",
                   "is_savepoint":false,"trigger_timestamp":1764748800000,
                   "latest_ack_timestamp":1764748801234,"state_size":73400320,
                   "checkpointed_size":1048576,"end_to_end_duration":1234,"num_subtasks":30},
                   "savepoint":null,"failed":null,"restored":null}}
                """;
        FlinkCheckpoints.Latest latest = FlinkCheckpoints.parse(body);
        assertEquals(41, latest.id());
        assertEquals(73_400_320, latest.stateBytes());
        assertEquals(1_048_576, latest.checkpointedBytes());
        assertEquals(1_234, latest.durationMillis());
    }

    @Test
    void noCompletedCheckpointYetIsNone() throws Exception {
        FlinkCheckpoints.Latest latest =
                FlinkCheckpoints.parse("{\"latest\":{\"completed\":null,\"savepoint\":null}}");
        assertEquals(-1, latest.id());
        assertEquals(-1, latest.durationMillis());
    }
}
