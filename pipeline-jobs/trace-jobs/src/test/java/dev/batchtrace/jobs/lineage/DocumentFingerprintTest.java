package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DocumentFingerprintTest {

    @Test
    void equalUpdatesHaveEqualFingerprints() {
        assertEquals(
                DocumentFingerprint.of(new DocumentUpdate("trace-lots", "LOT-1", "{\"a\":1}")),
                DocumentFingerprint.of(
                        new DocumentUpdate("trace-lots", "LOT-1", new String("{\"a\":1}"))));
    }

    @Test
    void anyDifferenceOfIndexIdBodyOrADeletionChangesIt() {
        Set<Long> seen = new HashSet<>();
        DocumentUpdate[] updates = {
            new DocumentUpdate("trace-lots", "LOT-1", "{\"a\":1}"),
            new DocumentUpdate("trace-lots", "LOT-1", "{\"a\":2}"),
            new DocumentUpdate("trace-lots", "LOT-1", "{\"a\":1} "),
            new DocumentUpdate("trace-lots", "LOT-2", "{\"a\":1}"),
            new DocumentUpdate("trace-shipments", "LOT-1", "{\"a\":1}"),
            new DocumentUpdate("trace-lots", "LOT-1", null),
            new DocumentUpdate("trace-lots", "LOT-1", ""),
            // the same characters split differently between the fields
            new DocumentUpdate("ab", "c", "x"),
            new DocumentUpdate("a", "bc", "x"),
            new DocumentUpdate("a", "b", "cx"),
        };
        for (DocumentUpdate update : updates) {
            assertEquals(true, seen.add(DocumentFingerprint.of(update)), "collides: " + update);
        }
    }

    @Test
    void aOneCharacterChangeAnywhereInALargeBodyChangesIt() {
        StringBuilder body = new StringBuilder("{\"ancestorLotCodes\":[");
        for (int i = 0; i < 20_000; i++) {
            body.append(i == 0 ? "" : ",").append("\"LOT-").append(i).append('"');
        }
        String json = body.append("]}").toString();
        long fingerprint = DocumentFingerprint.of(new DocumentUpdate("trace-lots", "L", json));
        for (int at : new int[] {3, json.length() / 2, json.length() - 3}) {
            char[] chars = json.toCharArray();
            chars[at] = chars[at] == '7' ? '8' : '7';
            assertNotEquals(
                    fingerprint,
                    DocumentFingerprint.of(
                            new DocumentUpdate("trace-lots", "L", new String(chars))),
                    "changed at " + at);
        }
    }
}
