package dev.pigment.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Python client's own tests (krita/tests), against a live server this test starts. */
class PythonClientTest {
    @Test
    void thePythonClientTestsPassAgainstALiveServer() throws Exception {
        External.require("python3");
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null)) {
            External.Run r = External.run(List.of("python3", "-m", "unittest", "discover", "-v", "-s", "tests", "-t", "."),
                    External.kritaDir(), Map.of("PIGMENT_PORT", String.valueOf(s.port()), "PYTHONDONTWRITEBYTECODE", "1"), 600);
            System.out.println(r.output());
            assertEquals(0, r.exitCode(), r.output());
            assertTrue(r.output().contains("OK") && !r.output().contains("skipped"), r.output());
        }
    }
}
