package dev.pigment.core.service;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Task;
import dev.pigment.core.model.AttentionLayout;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.VaeConfig;
import dev.pigment.core.runtime.MemoryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Refuses a job before anything is loaded when its estimated peak memory exceeds what the machine can give,
 * naming the estimate and the largest size that fits. The estimate and its calibration are in docs/memory.md.
 */
public final class MemoryGuard {
    /**
     * Attention score buffers alive at the peak (QK^T or its scaled copy, the softmax, a transient), measured
     * on the demo model through the launcher's JVM: about 2 at 384 px, so 3 keeps the estimate above.
     */
    static final int ATTENTION_BUFFERS = 3;
    /** ONNX Runtime keeps weights in its own layout and pre-packed copies: measured 1.5-2x the file size. */
    static final double WEIGHT_FACTOR = 2.0;
    /** The ONNX Runtime library, its thread pools and arenas before any model is loaded. */
    static final long RUNTIME_BYTES = 150L << 20;
    /** The VAE decoder keeps about this many full-resolution feature maps alive at once. */
    static final int DECODER_MAPS = 4;
    /** Pixels of one VAE tile (Pigment decodes larger images in 512 px tiles). */
    static final long DECODER_TILE_PIXELS = 512L * 512;

    private final LongSupplier availableBytes;
    private final LongSupplier heapFreeBytes;

    /** @param availableBytes what the machine can still give (MemAvailable), Long.MAX_VALUE when unknown */
    public MemoryGuard(LongSupplier availableBytes) {
        this(availableBytes, MemoryGuard::heapFree);
    }

    /** @param heapFreeBytes what the JVM heap can still grow by (images live there; model memory is native) */
    public MemoryGuard(LongSupplier availableBytes, LongSupplier heapFreeBytes) {
        this.availableBytes = availableBytes;
        this.heapFreeBytes = heapFreeBytes;
    }

    static long heapFree() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() == Long.MAX_VALUE ? Long.MAX_VALUE : rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** This machine's MemAvailable from /proc/meminfo; no limit where that file does not exist. */
    public static MemoryGuard forThisMachine() {
        return new MemoryGuard(MemoryGuard::memAvailable);
    }

    static long memAvailable() {
        Path info = Path.of("/proc/meminfo");
        try (Stream<String> lines = Files.lines(info)) {
            return lines.filter(l -> l.startsWith("MemAvailable:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).orElse(Long.MAX_VALUE);
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The estimate for running {@code model} at {@code width x height} (the size the model itself works at).
     *
     * @param loaded whether the model's weights are already resident (a cached engine)
     */
    public MemoryEstimate estimate(ModelInfo model, MemoryPolicy policy, boolean loaded, int width, int height,
                                   boolean guided, long sourcePixels) {
        AttentionLayout layout = AttentionLayout.read(model.folder());
        int down = VaeConfig.read(model.folder()).downscale() << layout.level();
        long tokens = (long) Math.ceil(width / (double) down) * (long) Math.ceil(height / (double) down);
        long attention = ATTENTION_BUFFERS * (guided ? 2L : 1L) * layout.heads() * tokens * tokens * 4;
        long decoder = DECODER_MAPS * (long) layout.vaeTopChannels() * Math.min((long) width * height, DECODER_TILE_PIXELS) * 4;
        long images = 12L * (4L * width * height + 3L * sourcePixels);
        long weights = loaded ? 0 : (long) (WEIGHT_FACTOR * residentWeights(model, policy));
        return new MemoryEstimate(weights, attention, decoder, images, loaded ? 0 : RUNTIME_BYTES);
    }

    /** All ONNX files under keep-loaded; the largest one under one-at-a-time. */
    static long residentWeights(ModelInfo model, MemoryPolicy policy) {
        try (Stream<Path> files = Files.walk(model.folder())) {
            long[] sizes = files.filter(p -> p.toString().endsWith(".onnx") || p.toString().endsWith(".onnx_data")
                    || p.toString().endsWith(".pb")).mapToLong(p -> p.toFile().length()).toArray();
            return policy == MemoryPolicy.ONE_AT_A_TIME ? java.util.Arrays.stream(sizes).max().orElse(0)
                    : java.util.Arrays.stream(sizes).sum();
        } catch (IOException e) {
            return model.sizeBytes();
        }
    }

    /** Refuses the job when it would not fit; {@code run} is the size the model itself works at. */
    public void check(ModelInfo model, MemoryPolicy policy, boolean loaded, GenerationRequest request, int[] run) {
        boolean guided = request.guidanceOr(model.recommended().guidance()) > 1;
        long sourcePixels = request.source() == null ? 0 : request.source().pixelCount();
        MemoryEstimate e = estimate(model, policy, loaded, run[0], run[1], guided, sourcePixels);
        long heap = heapFreeBytes.getAsLong();
        if (e.images() > heap) {
            throw new PigmentException(ErrorCode.OUT_OF_MEMORY, "Not started: the images of this job need about "
                    + MemoryEstimate.human(e.images()) + " of Java heap but only " + MemoryEstimate.human(heap)
                    + " is free. Give Java more memory (e.g. PIGMENT_JAVA_OPTS=-Xmx8g, or ImageJ's Edit > Options >"
                    + " Memory) or edit a smaller image.");
        }
        long available = availableBytes.getAsLong();
        if (available == Long.MAX_VALUE) {
            return;
        }
        if (e.total() <= available) {
            return;
        }
        int[] fits = largestThatFits(model, policy, loaded, run, guided, sourcePixels, available);
        String size = run[0] + "x" + run[1];
        throw new PigmentException(ErrorCode.OUT_OF_MEMORY, "Not started: " + model.id() + " needs about "
                + MemoryEstimate.human(e.total()) + " at " + size + " (attention " + MemoryEstimate.human(e.attention())
                + ", weights " + MemoryEstimate.human(e.weights()) + ") but only " + MemoryEstimate.human(available)
                + " is available. " + (fits == null ? "Close other programs" : "At most " + fits[0] + "x" + fits[1]
                + " fits; use a smaller size") + (request.task() == Task.TEXT_TO_IMAGE ? "." : ", or edit a selection."));
    }

    /** The largest size with the same aspect (multiples of 8) that fits, or null when none does. */
    int[] largestThatFits(ModelInfo model, MemoryPolicy policy, boolean loaded, int[] run, boolean guided,
                          long sourcePixels, long available) {
        for (double s = 0.9; s > 0.01; s *= 0.9) {
            int w = Math.max(8, (int) (run[0] * s) / 8 * 8);
            int h = Math.max(8, (int) (run[1] * s) / 8 * 8);
            if (estimate(model, policy, loaded, w, h, guided, sourcePixels).total() <= available) {
                return new int[] {w, h};
            }
            if (w == 8 && h == 8) {
                break;
            }
        }
        return null;
    }
}
