package dev.pigment.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SIGINT and SIGTERM at random moments of a real generation (a real CLI process, the demo model through
 * ONNX Runtime, most of the time inside {@code OrtSession.run}): the process exits 130 / 143, prints
 * nothing on stdout and one line "cancelled" on stderr, and leaves no crash log.
 *
 * <p>The default suite sends {@value #DEFAULT_RUNS} of each signal; {@code -Dpigment.signalRuns=50}
 * with {@code -Dpigment.signalSize=512} runs the full figure recorded in docs/benchmarks.md.
 */
class SignalProcessTest {
    static final int DEFAULT_RUNS = 3;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"INT,130", "TERM,143"})
    void aSignalDuringGenerationCancelsCleanly(String signal, int expectedExit) throws Exception {
        int runs = Integer.getInteger("pigment.signalRuns", DEFAULT_RUNS);
        int size = Integer.getInteger("pigment.signalSize", 256);
        Random random = new Random(signal.hashCode());
        for (int i = 0; i < runs; i++) {
            signalOnce(signal, expectedExit, size, 1500 + random.nextInt(2500 * size / 256), i);
        }
    }

    private void signalOnce(String signal, int expectedExit, int size, int delayMillis, int run) throws Exception {
        Path work = Files.createDirectories(dir.resolve(signal + run));
        Path out = work.resolve("out.png");
        ProcessBuilder pb = CliProcess.builder(work, List.of(), "generate", "--model", "demo", "--seed", "1",
                "--steps", "200", "-W", Integer.toString(size), "-H", Integer.toString(size), "-q", "-o", out.toString(), "a red heart");
        Path stdout = work.resolve("stdout.txt");
        Path stderr = work.resolve("stderr.txt");
        // A JVM started with SIGINT ignored (as a background job of a script, e.g. the Maven run of this
        // test) keeps ignoring it, as a user's shell would want; the child gets the default handling back.
        List<String> command = new java.util.ArrayList<>(List.of("perl", "-e",
                "$SIG{INT} = 'DEFAULT'; $SIG{TERM} = 'DEFAULT'; exec @ARGV or die", "--"));
        command.addAll(pb.command());
        pb.command(command);
        Process p = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        Thread.sleep(delayMillis);
        assertTrue(p.isAlive(), "run " + run + ": still generating when signalled");
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "run " + run + ": exited after SIG" + signal);
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        String what = "run " + run + " after " + delayMillis + " ms, stderr: " + err;
        assertEquals(expectedExit, p.exitValue(), what);
        assertEquals("", Files.readString(stdout, StandardCharsets.UTF_8), what);
        assertFalse(err.contains("SIGSEGV") || err.contains("fatal error") || err.contains("Exception"), what);
        List<String> lines = err.lines().filter(l -> !l.startsWith("note: ")).toList();
        assertTrue(lines.isEmpty() || lines.equals(List.of("cancelled")), what);
        assertFalse(Files.exists(out), what);
        assertEquals(List.of(), crashLogs(work), what);
    }

    private static List<Path> crashLogs(Path work) throws IOException {
        try (Stream<Path> s = Files.list(work)) {
            return s.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList();
        }
    }
}
