package dev.pigment.core.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The full-size benchmark: an SD 2.1 / SD-Turbo-architecture model folder with random weights
 * (written by {@code bench/sd21/build_sd21.py}) timed through Pigment and through ONNX Runtime's own
 * Java API on the same graph, with the UNet's arithmetic rate against the machine's measured FMA
 * peak ({@code bench/peak/fma_peak.c}). Every case runs in a fresh JVM, one after another (peak RSS
 * per case; GLIBC_TUNABLES is read at process start). Driven by {@code bench/sd21/run.sh}.
 *
 * <pre>
 * java -cp ... dev.pigment.core.bench.SdTurboBenchmark --model DIR --fma-gflops G [--only case,case (in this order)]
 * </pre>
 * Cases: unet-raw, unet-pigment, unet-raw-mp, unet-raw-noarena, unet-pigment-mp, load, load-nohuge, read, read-nohuge, e2e,
 * e2e-noprefetch, e2e-tiny, e2e-one, e2e-one-cache, load-cache, load-cache-nohuge, e2e-cache, check-unet, check-vae, check-text.
 */
public final class SdTurboBenchmark {
    private static final String HUGE = "glibc.malloc.hugetlb=1";

    private record Case(String name, String mode, int runs, boolean memoryPattern, boolean huge, String extra,
                        List<String> jvmFlags) {
    }

    private static final List<Case> CASES = List.of(
            new Case("unet-raw", "unet-raw", 4, false, true, "", List.of()),
            new Case("unet-pigment", "unet-pigment", 4, false, true, "", List.of()),
            new Case("unet-raw-mp", "unet-raw", 4, true, true, "", List.of()),
            new Case("unet-raw-noarena", "unet-raw", 4, false, true, "", List.of("-Dbench.arena=false")),
            new Case("unet-pigment-mp", "unet-pigment", 4, true, true, "", List.of()),
            new Case("load", "unet-pigment", 1, false, true, "", List.of()),
            new Case("load-nohuge", "unet-pigment", 1, false, false, "", List.of()),
            new Case("read", "read", 0, false, true, "", List.of()),
            new Case("read-nohuge", "read", 0, false, false, "", List.of()),
            new Case("e2e", "e2e", 2, false, true, "full", List.of()),
            new Case("e2e-noprefetch", "e2e", 1, false, true, "full", List.of("-Dpigment.prefetch=false")),
            new Case("e2e-tiny", "e2e", 2, false, true, "tiny", List.of()),
            new Case("e2e-one", "e2e", 1, false, true, "full", List.of("-Dbench.policy=ONE_AT_A_TIME")),
            // Pigment's session cache (-Dbench.sessionCache, default target/bench-session-cache): run twice, the
            // first JVM writes the entries, the next loads from them.
            new Case("e2e-one-cache", "e2e", 2, false, true, "full", List.of("-Dbench.policy=ONE_AT_A_TIME",
                    "-Dbench.sessionCache=" + System.getProperty("bench.sessionCache", "target/bench-session-cache"))),
            new Case("load-cache", "unet-pigment", 1, false, true, "", List.of(
                    "-Dbench.sessionCache=" + System.getProperty("bench.sessionCache", "target/bench-session-cache"))),
            new Case("load-cache-nohuge", "unet-pigment", 1, false, false, "", List.of(
                    "-Dbench.sessionCache=" + System.getProperty("bench.sessionCache", "target/bench-session-cache"))),
            new Case("e2e-cache", "e2e", 2, false, true, "full", List.of(
                    "-Dbench.sessionCache=" + System.getProperty("bench.sessionCache", "target/bench-session-cache"))),
            // -Dbench.check=DIR (build_sd21.py --check-dir): the exported graphs against PyTorch's outputs.
            new Case("check-unet", "check", 0, false, false, "unet", checkDir()),
            new Case("check-vae", "check", 0, false, false, "vae_decoder", checkDir()),
            new Case("check-text", "check", 0, false, false, "text_encoder", checkDir()));

    private static List<String> checkDir() {
        return List.of("-Dbench.check=" + System.getProperty("bench.check", "bench-check"));
    }

    private SdTurboBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        Path model = Path.of(opts.getOrDefault("--model", "plugin-core/target/bench-models/sd21-random"));
        if (opts.containsKey("--child")) {
            SdTurboChild.run(opts.get("--child"), model, Integer.parseInt(opts.get("--runs")),
                    Boolean.parseBoolean(opts.get("--mp")), opts.getOrDefault("--extra", ""));
            return;
        }
        Path tiny = model.resolve("vae_decoder_tiny/model.onnx");
        if (!Files.isRegularFile(tiny)) {
            // TAESD's real shape (64 channels, 3 blocks per stage, 3 upsamples), random weights.
            TaesdWriter.write(tiny, 4, 64, 3, 3, 11);
        }
        List<String> only = opts.containsKey("--only") ? Arrays.asList(opts.get("--only").split(",")) : null;
        double peak = Double.parseDouble(opts.getOrDefault("--fma-gflops", "0"));
        JsonObject flops = JsonParser.parseString(Files.readString(model.resolve("flops.json"))).getAsJsonObject();
        double unetGflop = 2 * flops.get("unet_macs_batch1_64x64").getAsDouble() / 1e9;
        double vaeGflop = 2 * flops.get("vae_decoder_macs_64x64").getAsDouble() / 1e9;
        System.out.printf(Locale.ROOT, "model %s: UNet %.0f GFLOP per call (512x512, batch 1), VAE decoder %.0f GFLOP; "
                + "FMA peak %.1f GFLOP/s%n", model, unetGflop, vaeGflop, peak);
        List<Case> cases = only == null ? CASES
                : only.stream().map(n -> CASES.stream().filter(c -> c.name().equals(n)).findFirst().orElseThrow(
                        () -> new IllegalArgumentException("no case " + n))).toList();
        for (Case c : cases) {
            Map<String, String> r = runChild(model, c);
            System.out.println(c.name() + ": " + r);
            if (r.containsKey("cpu_s") && peak > 0) {
                double[] wall = values(r.get("runs_s"));
                double[] cpu = values(r.get("cpu_s"));
                // Steady state = the runs after the first; CPU seconds / 2 threads = the step on 2 free cores.
                double[] after = cpu.length > 1 ? Arrays.copyOfRange(cpu, 1, cpu.length) : cpu;
                double steady = Arrays.stream(after).sorted().toArray()[after.length / 2] / 2;
                System.out.printf(Locale.ROOT, "  %s: median steady step %.2f CPU-s per core (wall %s s) = %.1f GFLOP/s "
                        + "= %.2fx the FMA-peak step (%.2f s)%n", c.name(), steady, r.get("runs_s"), unetGflop / steady,
                        steady / (unetGflop / peak), unetGflop / peak);
            }
        }
    }

    private static double[] values(String csv) {
        return Arrays.stream(csv.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static Map<String, String> runChild(Path model, Case c) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g", "-XX:MaxDirectMemorySize=6g",
                "-Dai.djl.offline=true", "-Dai.djl.default_engine=OnnxRuntime", "-DOPT_OUT_TRACKING=true"));
        command.addAll(c.jvmFlags());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SdTurboBenchmark.class.getName(),
                "--child", c.mode(), "--model", model.toString(), "--runs", Integer.toString(c.runs()),
                "--mp", Boolean.toString(c.memoryPattern()), "--extra", c.extra().isEmpty() ? "-" : c.extra()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        if (c.huge()) {
            pb.environment().put("GLIBC_TUNABLES", HUGE);
        } else {
            pb.environment().remove("GLIBC_TUNABLES");
        }
        return ChildJvm.results(pb, "benchmark case " + c.name());
    }
}
