package dev.pigment.core.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the benchmarks that measure in a fresh JVM share: peak RSS cannot be reset, so each case runs as a child
 * process that prints one {@code RESULT key=value ...} line, and reads its memory from /proc/self/status.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** Runs the child and returns its RESULT pairs; fails with the child's whole output if it fails. */
    static Map<String, String> results(ProcessBuilder pb, String what) throws IOException, InterruptedException {
        Process p = pb.redirectErrorStream(true).start();
        Map<String, String> result = new LinkedHashMap<>();
        StringBuilder log = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                log.append(line).append('\n');
                if (line.startsWith("RESULT ")) {
                    for (String kv : line.substring(7).trim().split(" ")) {
                        String[] parts = kv.split("=", 2);
                        result.put(parts[0], parts[1]);
                    }
                }
            }
        }
        if (p.waitFor() != 0 || result.isEmpty()) {
            throw new IllegalStateException(what + " failed:\n" + log);
        }
        return result;
    }

    /** A /proc/self/status field in kB. */
    static long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("this benchmark needs Linux /proc/self/status", e);
        }
        throw new IllegalStateException(field + " not in /proc/self/status");
    }
}
