package dev.batchtrace.connectors.kafka;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.avro.SystemLimitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the string, bytes and collection lengths Avro believes from a payload. Avro allocates a
 * string/bytes buffer or an array from the length varint before it reads the data, so a corrupt
 * value (e.g. a first varint {@code FE FF FF FF 07} = ~1 GiB string) would otherwise end in an
 * OutOfMemoryError that skips the dead-letter path and crash-loops the job. With the caps, Avro
 * throws a {@link SystemLimitException}, which the deserializer turns into a CORRUPT_PAYLOAD dead
 * letter.
 *
 * <p>Avro reads the system properties {@value #STRING_PROPERTY}, {@value #BYTES_PROPERTY} and
 * {@value #COLLECTION_PROPERTY} once, when {@link SystemLimitException} is initialized. {@link
 * #apply()} sets our defaults only where a property is not already set (a deployment overrides them
 * with {@code -D...} in Flink's {@code env.java.opts.all}), and makes Avro re-read them if it had
 * read them before. The properties are JVM-wide, so they apply to every job in a TaskManager.
 */
public final class AvroLimits {

    public static final String STRING_PROPERTY = SystemLimitException.MAX_STRING_LENGTH_PROPERTY;
    public static final String BYTES_PROPERTY = SystemLimitException.MAX_BYTES_LENGTH_PROPERTY;
    public static final String COLLECTION_PROPERTY =
            SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY;

    /** 16 MiB: far above any event of ours, far below a heap. */
    public static final int DEFAULT_MAX_STRING_LENGTH = 16 * 1024 * 1024;

    public static final int DEFAULT_MAX_BYTES_LENGTH = 16 * 1024 * 1024;

    /** One million items per array or map (an array of refs that size is ~8 MiB). */
    public static final int DEFAULT_MAX_COLLECTION_ITEMS = 1_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(AvroLimits.class);

    private AvroLimits() {}

    /** Sets the defaults where unset and makes sure Avro uses the properties. Idempotent. */
    public static synchronized void apply() {
        Map<String, String> set = defaultsToSet(System::getProperty);
        set.forEach(System::setProperty);
        if (!effective()) {
            reloadAvroLimits();
        }
        if (!effective()) {
            LOG.warn(
                    "Avro length limits are not in effect ({}={}, {}={}, {}={}): a corrupt record"
                            + " can exhaust the heap; pass them with -D in env.java.opts.all",
                    STRING_PROPERTY,
                    System.getProperty(STRING_PROPERTY),
                    BYTES_PROPERTY,
                    System.getProperty(BYTES_PROPERTY),
                    COLLECTION_PROPERTY,
                    System.getProperty(COLLECTION_PROPERTY));
        } else if (!set.isEmpty()) {
            LOG.info("Avro length limits defaulted: {}", set);
        }
    }

    /** The properties (and values) {@link #apply()} sets, given the current ones. */
    static Map<String, String> defaultsToSet(UnaryOperator<String> current) {
        Map<String, String> set = new LinkedHashMap<>();
        putIfUnset(set, current, STRING_PROPERTY, DEFAULT_MAX_STRING_LENGTH);
        putIfUnset(set, current, BYTES_PROPERTY, DEFAULT_MAX_BYTES_LENGTH);
        putIfUnset(set, current, COLLECTION_PROPERTY, DEFAULT_MAX_COLLECTION_ITEMS);
        return set;
    }

    private static void putIfUnset(
            Map<String, String> set, UnaryOperator<String> current, String key, int value) {
        String existing = current.apply(key);
        if (existing == null || existing.isBlank()) {
            set.put(key, Integer.toString(value));
        }
    }

    /** True when Avro rejects a length one above each configured property. */
    static boolean effective() {
        return rejects(STRING_PROPERTY, SystemLimitException::checkMaxStringLength)
                && rejects(BYTES_PROPERTY, SystemLimitException::checkMaxBytesLength)
                && rejects(COLLECTION_PROPERTY, SystemLimitException::checkMaxCollectionLength);
    }

    private interface Check {
        int check(long length);
    }

    private static boolean rejects(String property, Check check) {
        long limit;
        try {
            limit = Integer.parseUnsignedInt(System.getProperty(property, "").trim());
        } catch (NumberFormatException e) {
            return true; // Avro itself warns about a value it cannot parse; nothing to compare
        }
        try {
            check.check(limit + 1);
            return false;
        } catch (SystemLimitException | UnsupportedOperationException e) {
            return true;
        }
    }

    /**
     * Something in this JVM initialized SystemLimitException before us (e.g. Flink's Avro
     * serializer), so it holds the limits it read then. Its package-private resetLimits() (Avro's
     * own tests use it) re-reads the properties; reflection because there is no public API.
     */
    private static void reloadAvroLimits() {
        try {
            Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
            reset.setAccessible(true);
            reset.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot make Avro re-read its limits", e);
        }
    }
}
