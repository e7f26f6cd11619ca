package dev.pigment.core.service;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Task;
import dev.pigment.core.model.AttentionLayout;
import dev.pigment.core.model.ExportConventions;
import dev.pigment.core.model.ModelFamily;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.OnnxModelHeader;
import dev.pigment.core.model.VaeConfig;
import dev.pigment.core.runtime.MemoryPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
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
    /**
     * A fused attention operator (onnxruntime's {@code MultiHeadAttention} and kin) holds one score buffer: measured
     * ~1.5 GB for 30 heads x 4160 tokens (one buffer: 2.1 GB) on the full-size synthetic Z-Image
     * (docs/benchmarks.md, ZImageMemoryBenchmark).
     */
    static final int FUSED_ATTENTION_BUFFERS = 1;
    static final Set<String> FUSED_ATTENTION = Set.of("com.microsoft:MultiHeadAttention", "com.microsoft:Attention",
            "com.microsoft:GroupQueryAttention", "com.microsoft:PackedMultiHeadAttention", "Attention");
    /** ONNX Runtime keeps weights in its own layout and pre-packed copies: measured 1.5-2x the file size. */
    static final double WEIGHT_FACTOR = 2.0;
    /**
     * Block-quantized weights ({@code MatMulNBits}) stay as stored: the int4 synthetic Z-Image's 2.9 GB transformer
     * file ran its 1024 px step with the whole process at 4.3 GB, attention included (docs/benchmarks.md).
     */
    static final double QUANTIZED_WEIGHT_FACTOR = 1.2;
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
     * The estimate for running {@code model} at {@code width x height} (the size the model itself works at),
     * with an empty prompt.
     *
     * @param loaded whether the model's weights are already resident (a cached engine)
     */
    public MemoryEstimate estimate(ModelInfo model, MemoryPolicy policy, boolean loaded, int width, int height,
                                   boolean guided, long sourcePixels) {
        return estimate(model, policy, loaded, width, height, guided, sourcePixels, "");
    }

    /**
     * The estimate for running {@code model} at {@code width x height} with {@code prompt}. A DiT attends over
     * image and caption tokens together at every layer, so the caption counts in its attention.
     */
    public MemoryEstimate estimate(ModelInfo model, MemoryPolicy policy, boolean loaded, int width, int height,
                                   boolean guided, long sourcePixels, String prompt) {
        AttentionLayout layout = AttentionLayout.read(model.folder());
        long tokens = attentionTokens(model, layout, width, height, prompt);
        Set<String> ops = denoiserOperators(model);
        int buffers = ops.stream().anyMatch(FUSED_ATTENTION::contains) ? FUSED_ATTENTION_BUFFERS : ATTENTION_BUFFERS;
        long denoiser = buffers * (guided ? 2L : 1L) * layout.heads() * tokens * tokens * 4;
        // The VAE decoder's mid-block attends too (one head, one token per latent pixel of a tile). The components
        // run one after the other, so the larger of the two is the peak; it is the VAE's for a DiT, whose own
        // attention sits at the coarser patch grid (measured on the Z-Image fixture: 512 px peaks in the VAE).
        int vaeDown = VaeConfig.read(model.folder()).downscale();
        long vaeTokens = Math.min((long) width * height, DECODER_TILE_PIXELS) / ((long) vaeDown * vaeDown);
        long vae = AttentionLayout.vaeMidAttention(model.folder()) ? ATTENTION_BUFFERS * vaeTokens * vaeTokens * 4 : 0;
        long attention = Math.max(denoiser, vae);
        long decoder = DECODER_MAPS * (long) layout.vaeTopChannels() * Math.min((long) width * height, DECODER_TILE_PIXELS) * 4;
        long images = 12L * (4L * width * height + 3L * sourcePixels);
        // The export recipe quantizes every component alike, so the denoiser's operators say how weights are stored.
        double factor = ops.contains("com.microsoft:MatMulNBits") ? QUANTIZED_WEIGHT_FACTOR : WEIGHT_FACTOR;
        long weights = loaded ? 0 : (long) (factor * residentWeights(model, policy));
        return new MemoryEstimate(weights, attention, decoder, images, loaded ? 0 : RUNTIME_BYTES);
    }

    /** The denoiser graph's operators; none when it cannot be read (the load reports that, not the estimate). */
    static Set<String> denoiserOperators(ModelInfo model) {
        String denoiser = model.family().denoiser();
        if (denoiser == null) {
            return Set.of();
        }
        try {
            return OnnxModelHeader.read(model.componentFile(denoiser)).operators();
        } catch (PigmentException e) {
            return Set.of();
        }
    }

    /** Tokens in the denoiser's largest self-attention: its grid, plus the caption for a DiT. */
    static long attentionTokens(ModelInfo model, AttentionLayout layout, int width, int height, String prompt) {
        int down = gridStep(model, layout);
        return (long) Math.ceil(width / (double) down) * (long) Math.ceil(height / (double) down)
                + captionTokens(model, prompt);
    }

    /** Pixels per attention token along one side: the VAE's downscale times the patch (or UNet level) halving. */
    private static int gridStep(ModelInfo model, AttentionLayout layout) {
        return VaeConfig.read(model.folder()).downscale() << layout.level();
    }

    /**
     * Caption tokens in a DiT's joint attention, from above: the template with the prompt has at least one UTF-8
     * byte per token, capped at the export's maximum and padded as the export pads. Zero for the UNet family,
     * whose text only enters through cross-attention (77 keys, small).
     */
    static long captionTokens(ModelInfo model, String prompt) {
        if (model.family() != ModelFamily.FLOW_MATCH_DIT) {
            return 0;
        }
        ExportConventions c = model.manifest().export() != null ? model.manifest().export() : ExportConventions.Z_IMAGE;
        long bytes = c.applyTemplate(prompt == null ? "" : prompt).getBytes(StandardCharsets.UTF_8).length;
        long n = Math.min(bytes, c.maxPromptTokens());
        return (n + c.padTokensTo() - 1) / c.padTokensTo() * c.padTokensTo();
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
        String prompt = request.prompt() == null ? "" : request.prompt();
        MemoryEstimate e = estimate(model, policy, loaded, run[0], run[1], guided, sourcePixels, prompt);
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
        String size = run[0] + "x" + run[1];
        if (policy == MemoryPolicy.KEEP_LOADED && !loaded) {
            MemoryEstimate one = estimate(model, MemoryPolicy.ONE_AT_A_TIME, false, run[0], run[1], guided, sourcePixels,
                    prompt);
            if (one.total() <= available) {
                // Large models (Z-Image Turbo int4: 4.8 GB one at a time, 10.4 GB all loaded) fit only this way.
                throw new PigmentException(ErrorCode.OUT_OF_MEMORY, "Not started: " + model.id() + " needs about "
                        + MemoryEstimate.human(e.total()) + " at " + size + " with all its parts loaded together, but"
                        + " only " + MemoryEstimate.human(available) + " is available. Loading one part at a time"
                        + " needs about " + MemoryEstimate.human(one.total()) + ": use the one-at-a-time memory policy"
                        + " (command line: --memory-policy one-at-a-time).");
            }
        }
        int[] fits = largestThatFits(model, policy, loaded, run, guided, sourcePixels, available, prompt);
        throw new PigmentException(ErrorCode.OUT_OF_MEMORY, "Not started: " + model.id() + " needs about "
                + MemoryEstimate.human(e.total()) + " at " + size + " (attention " + MemoryEstimate.human(e.attention())
                + ", weights " + MemoryEstimate.human(e.weights()) + ") but only " + MemoryEstimate.human(available)
                + " is available. " + (fits == null ? "Close other programs" : "At most " + fits[0] + "x" + fits[1]
                + " fits; use a smaller size") + (request.task() == Task.TEXT_TO_IMAGE ? "." : ", or edit a selection."));
    }

    /** The largest size with the same aspect (multiples of the model's token grid) that fits, or null when none does. */
    int[] largestThatFits(ModelInfo model, MemoryPolicy policy, boolean loaded, int[] run, boolean guided,
                          long sourcePixels, long available, String prompt) {
        int step = gridStep(model, AttentionLayout.read(model.folder()));
        int unit = model.family() == ModelFamily.FLOW_MATCH_DIT ? step : 8;
        for (double s = 0.9; s > 0.01; s *= 0.9) {
            int w = Math.max(unit, (int) (run[0] * s) / unit * unit);
            int h = Math.max(unit, (int) (run[1] * s) / unit * unit);
            if (estimate(model, policy, loaded, w, h, guided, sourcePixels, prompt).total() <= available) {
                return new int[] {w, h};
            }
            if (w == unit && h == unit) {
                break;
            }
        }
        return null;
    }
}
