package dev.batchtrace.cli.explorer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AccessGuardTest {

    @Test
    void loopbackNeedsNothingAnyOtherAddressNeedsATokenOrBasicAuth() {
        assertTrue(AccessGuard.of("127.0.0.1", null, null, null).open());
        assertTrue(AccessGuard.of("localhost", null, null, null).open());
        assertTrue(AccessGuard.of("::1", null, null, null).open());

        IllegalArgumentException refused =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> AccessGuard.of("0.0.0.0", null, null, null));
        assertTrue(refused.getMessage().startsWith("refusing to serve trace data on 0.0.0.0"));
        assertThrows(
                IllegalArgumentException.class, () -> AccessGuard.of("0.0.0.0", " ", null, null));

        assertFalse(AccessGuard.of("0.0.0.0", "s3cret", null, null).open());
        assertFalse(AccessGuard.of("0.0.0.0", null, "quality", "pw").open());
        assertFalse(AccessGuard.of("127.0.0.1", "s3cret", null, null).open(), "asked for");
    }

    @Test
    void basicAuthWithoutPasswordIsRefused() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> AccessGuard.of("0.0.0.0", null, "quality", null));
        assertTrue(e.getMessage().contains(ServeCommand.PASSWORD_ENV), e.getMessage());
    }
}
