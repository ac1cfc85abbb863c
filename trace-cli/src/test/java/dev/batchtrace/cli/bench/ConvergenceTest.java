package dev.batchtrace.cli.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ConvergenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean same(String expected, String stored) throws Exception {
        return Convergence.sameDocument(JSON.readTree(expected), JSON.readTree(stored));
    }

    @Test
    void aMeanAddedUpInAnotherOrderIsTheSame() throws Exception {
        assertTrue(
                same(
                        "{\"runs\":[{\"mean\":222.63333333333335,\"count\":3}]}",
                        "{\"runs\":[{\"mean\":222.63333333333333,\"count\":3}]}"));
    }

    @Test
    void realDifferencesAreNot() throws Exception {
        assertFalse(same("{\"mean\":222.6}", "{\"mean\":222.7}"));
        assertFalse(same("{\"count\":3}", "{\"count\":4}"));
        assertFalse(same("{\"a\":[\"L1\",\"L2\"]}", "{\"a\":[\"L1\"]}"));
        assertFalse(same("{\"a\":[\"L1\",\"L2\"]}", "{\"a\":[\"L2\",\"L1\"]}"));
        assertFalse(same("{\"a\":1}", "{\"b\":1}"));
        assertFalse(same("{\"a\":\"1\"}", "{\"a\":1}"));
        assertFalse(Convergence.sameDocument(JSON.createObjectNode(), null));
    }
}
