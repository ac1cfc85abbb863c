package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Map;
import org.apache.avro.SystemLimitException;
import org.junit.jupiter.api.Test;

class AvroLimitsTest {

    @Test
    void loadingTheDeserializerCapsAvroLengths() throws Exception {
        Class.forName(AvroRecordDeserializer.class.getName()); // runs its static initializer

        assertLimitsAreTheDefaults();
    }

    @Test
    void limitsApplyEvenWhenAvroReadItsPropertiesFirst() throws Exception {
        // As if something decoded Avro before our classes were loaded: no properties, no limits.
        System.clearProperty(AvroLimits.STRING_PROPERTY);
        System.clearProperty(AvroLimits.BYTES_PROPERTY);
        System.clearProperty(AvroLimits.COLLECTION_PROPERTY);
        try {
            resetAvroLimits();
            assertDoesNotThrow(
                    () ->
                            SystemLimitException.checkMaxStringLength(
                                    AvroLimits.DEFAULT_MAX_STRING_LENGTH + 1L),
                    "precondition: Avro has no string limit");

            AvroLimits.apply();

            assertLimitsAreTheDefaults();
        } finally {
            AvroLimits.apply(); // leave this JVM capped for the other tests
        }
    }

    @Test
    void aDeploymentsOwnSettingWins() {
        Map<String, String> set =
                AvroLimits.defaultsToSet(
                        key -> key.equals(AvroLimits.STRING_PROPERTY) ? "67108864" : null);

        assertEquals(
                Map.of(
                        AvroLimits.BYTES_PROPERTY,
                        Integer.toString(AvroLimits.DEFAULT_MAX_BYTES_LENGTH),
                        AvroLimits.COLLECTION_PROPERTY,
                        Integer.toString(AvroLimits.DEFAULT_MAX_COLLECTION_ITEMS)),
                set);
    }

    private static void assertLimitsAreTheDefaults() {
        assertThrows(
                SystemLimitException.class,
                () ->
                        SystemLimitException.checkMaxStringLength(
                                AvroLimits.DEFAULT_MAX_STRING_LENGTH + 1L));
        assertThrows(
                SystemLimitException.class,
                () ->
                        SystemLimitException.checkMaxBytesLength(
                                AvroLimits.DEFAULT_MAX_BYTES_LENGTH + 1L));
        assertThrows(
                SystemLimitException.class,
                () ->
                        SystemLimitException.checkMaxCollectionLength(
                                AvroLimits.DEFAULT_MAX_COLLECTION_ITEMS + 1L));
        assertEquals(
                AvroLimits.DEFAULT_MAX_STRING_LENGTH,
                SystemLimitException.checkMaxStringLength(AvroLimits.DEFAULT_MAX_STRING_LENGTH));
        assertTrue(AvroLimits.effective());
    }

    private static void resetAvroLimits() throws Exception {
        Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
        reset.setAccessible(true);
        reset.invoke(null);
    }
}
