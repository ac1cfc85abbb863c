package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.LineageCodec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded state values by their bytes, least recently used out (issue 9: decoding the same closure
 * slots, links and headers again for every message and document was about a third of the node
 * stage's CPU). The same bytes always decode to the same value, so nothing is ever invalidated: a
 * write stores new bytes, whose first read decodes them. Only for immutable values (records of
 * unmodifiable collections), since readers share them. One per task (not thread-safe).
 */
final class DecodedValues {

    /** Keeps nothing: every value decoded again (the pieces not worth keeping). */
    static final DecodedValues NONE = new DecodedValues(0);

    /** A value this large is decoded each time (hashing it would cost about as much). */
    static final int MAX_VALUE_BYTES = 16 * 1024;

    private final long maxBytes;
    private long bytes;
    private long hits;
    private long misses;

    private final LinkedHashMap<Key, Object> values =
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, Object> eldest) {
                    if (bytes > maxBytes) {
                        bytes -= eldest.getKey().bytes.length;
                        return true;
                    }
                    return false;
                }
            };

    /**
     * @param maxBytes bound on the encoded bytes of the values kept (the decoded values take a few
     *     times that on the heap)
     */
    DecodedValues(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** {@code bytes} decoded as {@code type}, from the cache when these bytes were read before. */
    <T> T decode(byte[] encoded, Class<T> type) {
        if (maxBytes == 0) {
            return LineageCodec.decodeValue(encoded, type); // NONE: shared, counts nothing
        }
        if (encoded.length > MAX_VALUE_BYTES) {
            misses++;
            return LineageCodec.decodeValue(encoded, type);
        }
        Key key = new Key(type, encoded);
        Object cached = values.get(key);
        if (cached != null) {
            hits++;
            return type.cast(cached);
        }
        misses++;
        T value = LineageCodec.decodeValue(encoded, type);
        bytes += encoded.length;
        values.put(key, value);
        return value;
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    int size() {
        return values.size();
    }

    long bytes() {
        return bytes;
    }

    private static final class Key {
        private final Class<?> type;
        private final byte[] bytes;
        private final int hash;

        Key(Class<?> type, byte[] bytes) {
            this.type = type;
            this.bytes = bytes;
            this.hash = 31 * type.hashCode() + Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k
                    && k.hash == hash
                    && k.type == type
                    && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
