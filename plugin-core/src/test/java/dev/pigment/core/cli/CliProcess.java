package dev.pigment.core.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CLI as its own JVM, as a user's shell does: what only a real process shows (the command
 * line as the native libraries see it, signals, exit codes, crash logs) needs one. ONNX Runtime's
 * telemetry switch is removed from the child's environment so the core's own switch is what is tested.
 */
final class CliProcess {
    /** A finished run. */
    record Result(int code, String out, String err, byte[] stdoutBytes) {
    }

    private CliProcess() {
    }

    static ProcessBuilder builder(Path workDir, List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Dai.djl.default_engine=OnnxRuntime");
        String home = System.getProperty("pigment.home");
        if (home != null) {
            cmd.add("-Dpigment.home=" + home);
        }
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(PigmentCli.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().remove("ORT_DISABLE_TELEMETRY");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        return pb;
    }

    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        return run(workDir, List.of(), args);
    }

    static Result run(Path workDir, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("pigment-cli", ".out");
        Path err = Files.createTempFile("pigment-cli", ".err");
        try {
            Process p = builder(workDir, jvmOptions, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("pigment " + String.join(" ", args) + " did not finish in 120 s");
            }
            byte[] stdout = Files.readAllBytes(out);
            return new Result(p.exitValue(), new String(stdout, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), stdout);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
