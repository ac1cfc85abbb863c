package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.LineageCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;

/**
 * Small helpers for the Flink stores: model values are kept as the model's own bytes ({@link
 * LineageCodec#encodeValue}; the alert state of this module in {@link AlertStateCodec}), a stable
 * format that does not depend on Kryo handling records, {@code java.time} or sorted maps, and that
 * survives class changes a savepoint must outlive. Flink's state calls throw checked exceptions;
 * the model's store interfaces do not, so they are rethrown unchecked (the task fails and restores,
 * as for any state backend failure).
 */
final class FlinkState {

    private FlinkState() {}

    static <T> T value(ValueState<byte[]> state, Class<T> type) {
        try {
            byte[] bytes = state.value();
            return bytes == null ? null : AlertStateCodec.decodeValue(bytes, type);
        } catch (Exception e) {
            throw failure("read", e);
        }
    }

    static void update(ValueState<byte[]> state, Object value) {
        try {
            if (value == null) {
                state.clear();
            } else {
                state.update(AlertStateCodec.encodeValue(value));
            }
        } catch (Exception e) {
            throw failure("write", e);
        }
    }

    static <T> T get(MapState<String, byte[]> state, String key, Class<T> type) {
        try {
            byte[] bytes = state.get(key);
            return bytes == null ? null : AlertStateCodec.decodeValue(bytes, type);
        } catch (Exception e) {
            throw failure("read", e);
        }
    }

    static void put(MapState<String, byte[]> state, String key, Object value) {
        try {
            if (value == null) {
                state.remove(key);
            } else {
                state.put(key, AlertStateCodec.encodeValue(value));
            }
        } catch (Exception e) {
            throw failure("write", e);
        }
    }

    static boolean contains(MapState<String, Boolean> state, String key) {
        try {
            return state.contains(key);
        } catch (Exception e) {
            throw failure("read", e);
        }
    }

    static void mark(MapState<String, Boolean> state, String key) {
        try {
            state.put(key, Boolean.TRUE);
        } catch (Exception e) {
            throw failure("write", e);
        }
    }

    static void unmark(MapState<String, Boolean> state, String key) {
        try {
            state.remove(key);
        } catch (Exception e) {
            throw failure("write", e);
        }
    }

    /** The keys of a set-like MapState, copied (callers may write while they iterate). */
    static List<String> keys(MapState<String, Boolean> state) {
        try {
            List<String> keys = new ArrayList<>();
            for (String key : state.keys()) {
                keys.add(key);
            }
            return keys;
        } catch (Exception e) {
            throw failure("read", e);
        }
    }

    /**
     * The decoded entries of a MapState, copied: the protocol may put into the same map while it
     * walks it, which a RocksDB iterator does not promise to tolerate.
     */
    static <T> List<Map.Entry<String, T>> entries(MapState<String, byte[]> state, Class<T> type) {
        try {
            List<Map.Entry<String, T>> entries = new ArrayList<>();
            for (Map.Entry<String, byte[]> entry : state.entries()) {
                entries.add(
                        Map.entry(
                                entry.getKey(),
                                AlertStateCodec.decodeValue(entry.getValue(), type)));
            }
            return entries;
        } catch (Exception e) {
            throw failure("read", e);
        }
    }

    private static IllegalStateException failure(String what, Exception e) {
        if (e instanceof RuntimeException runtime && !(e instanceof IllegalStateException)) {
            return new IllegalStateException("lineage state " + what + " failed: " + e, runtime);
        }
        return new IllegalStateException("lineage state " + what + " failed: " + e, e);
    }
}
