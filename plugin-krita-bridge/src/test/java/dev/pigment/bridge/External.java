package dev.pigment.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs external programs for tests; a missing program skips the test, except under CI=true where it fails. */
final class External {
    private External() {
    }

    static void require(String program) {
        boolean found = System.getenv("PATH") != null && java.util.Arrays.stream(System.getenv("PATH").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
        if (!found) {
            missing(program + " is not installed (apt-get install it; .ci/run does)");
        }
    }

    /** Skips the test with the reason, or fails it when CI=true (where everything must be installed). */
    static void missing(String message) {
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + ": required when CI=true");
        }
        Assumptions.assumeTrue(false, message + ": skipped");
    }

    record Run(int exitCode, String output) {
    }

    /** Runs to completion (stdout and stderr merged), killing it after the timeout. */
    static Run run(List<String> command, Path dir, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile("pigment-run", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
        String out = Files.readString(log);
        Files.deleteIfExists(log);
        return new Run(done ? p.exitValue() : -1, done ? out : out + "\n[killed after " + timeoutSeconds + " s]");
    }

    static Path kritaDir() {
        return Path.of(System.getProperty("pigment.krita.dir", "krita")).toAbsolutePath();
    }
}
