package dev.pigment.core.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The "about 6 GB" claim for Z-Image Turbo, measured with ONNX Runtime's own Java API (no Pigment code): the
 * baseline for {@link ZImagePigmentRun}, on the same synthetic folder ({@link ZImageFolder}: Z-Image Turbo's real
 * dimensions, random weights, written on demand, never committed).
 *
 * <p>Run: {@code ZImageMemoryBenchmark <dir> <blocks> <size> <one|keep> [int4|fp16]}; prints the peak RSS (VmHWM)
 * after each phase, the seconds of the single DiT step, and a {@code RESULT} line. One configuration per fresh
 * JVM, because VmHWM cannot be reset.
 */
public final class ZImageMemoryBenchmark {
    static final int CAPTION_TOKENS = 64;

    private ZImageMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int blocks = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        boolean keep = args[3].equals("keep");
        String precision = args.length > 4 ? args[4] : "int4";
        ZImageFolder.ensure(dir, blocks, precision);
        System.out.printf(Locale.ROOT, "built (%s): VmHWM %d MiB%n", ZImageFolder.size(dir), status("VmHWM") >> 20);
        run(dir.resolve("text_encoder/model.onnx"), dir.resolve("transformer/model.onnx"),
                dir.resolve("vae_decoder/model.onnx"), size, keep);
    }

    private static void run(Path te, Path dit, Path vae, int size, boolean keep) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(2);
        List<OrtSession> loaded = new ArrayList<>();
        if (keep) {
            loaded.add(env.createSession(te.toString(), options));
            loaded.add(env.createSession(dit.toString(), options));
            loaded.add(env.createSession(vae.toString(), options));
        }
        int latent = size / 8;
        int imageTokens = (latent / 2) * (latent / 2);
        long t0 = System.nanoTime();
        phase(env, keep ? loaded.get(0) : null, te, options, "text_encoder", Map.of("input_ids",
                OnnxTensor.createTensor(env, LongBuffer.allocate(CAPTION_TOKENS), new long[] {1, CAPTION_TOKENS})));
        long t1 = System.nanoTime();
        phase(env, keep ? loaded.get(1) : null, dit, options, "transformer", Map.of(
                "hidden_states", tensor(env, 1, imageTokens, ZImageFolder.PATCH_FEATURES),
                "timestep", tensor(env, 1),
                "encoder_hidden_states", tensor(env, 1, CAPTION_TOKENS, ZImageFolder.CAP),
                "img_ids", longs(env, imageTokens, 3), "txt_ids", longs(env, CAPTION_TOKENS, 3),
                "img_pad_mask", longs(env, imageTokens), "txt_pad_mask", longs(env, CAPTION_TOKENS)));
        long t2 = System.nanoTime();
        phase(env, keep ? loaded.get(2) : null, vae, options, "vae_decoder", Map.of(
                "latent_sample", tensor(env, 1, 16, latent, latent)));
        long t3 = System.nanoTime();
        System.out.printf(Locale.ROOT, "size %d tokens %d: text %.1f s, transformer step %.1f s (incl. load %s), "
                + "vae %.1f s; peak RSS %d MiB%n", size, imageTokens + CAPTION_TOKENS, (t1 - t0) / 1e9,
                (t2 - t1) / 1e9, keep ? "no" : "yes", (t3 - t2) / 1e9, status("VmHWM") >> 20);
        System.out.printf(Locale.ROOT, "RESULT runner=raw-ort size=%d policy=%s peak_mb=%d%n", size,
                keep ? "keep" : "one", status("VmHWM") >> 20);
        for (OrtSession s : loaded) {
            s.close();
        }
    }

    private static void phase(OrtEnvironment env, OrtSession kept, Path file, OrtSession.SessionOptions options,
            String name, Map<String, OnnxTensor> inputs) throws OrtException {
        long start = System.nanoTime();
        OrtSession session = kept != null ? kept : env.createSession(file.toString(), options);
        long loaded = System.nanoTime();
        long cpu = cpuNanos();
        try (OrtSession.Result r = session.run(inputs)) {
            // CPU seconds / 2 threads: the wall time the run would take on this machine's 2 cores unshared.
            System.out.printf(Locale.ROOT, "%s: load %.1f s, run %.1f s wall, %.1f s CPU, VmHWM %d MiB, VmRSS %d MiB%n",
                    name, (loaded - start) / 1e9, (System.nanoTime() - loaded) / 1e9, (cpuNanos() - cpu) / 1e9,
                    status("VmHWM") >> 20, status("VmRSS") >> 20);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
            if (kept == null) {
                session.close();
            }
        }
    }

    private static OnnxTensor tensor(OrtEnvironment env, long... shape) throws OrtException {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        FloatBuffer b = FloatBuffer.allocate((int) n);
        for (int i = 0; i < n; i++) {
            b.put(i, (float) Math.sin(i * 0.37));
        }
        return OnnxTensor.createTensor(env, b, shape);
    }

    private static OnnxTensor longs(OrtEnvironment env, long... shape) throws OrtException {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return OnnxTensor.createTensor(env, LongBuffer.allocate((int) n), shape);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
