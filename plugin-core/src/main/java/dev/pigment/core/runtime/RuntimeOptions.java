package dev.pigment.core.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How ONNX Runtime sessions are created.
 *
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime choose (one per physical core)
 * @param interOpThreads threads across independent operators; 0 lets ONNX Runtime choose
 * @param optLevel graph optimisation level
 * @param memoryPolicy whether a {@link ComponentGroup} keeps every component loaded
 * @param memoryPattern ONNX Runtime's memory-pattern optimisation. Off by default: measured on a full-size
 *                      SD UNet it makes the second run ~0.9 s slower and the peak ~0.7 GB higher, and the
 *                      steady state is no faster, so the 1-4 step runs of turbo models and the one or two
 *                      runs of the text encoder and VAE per image only ever pay for it (docs/benchmarks.md)
 * @param device where sessions run: the CPU, or a GPU provider when its ONNX Runtime build is on the classpath
 * @param sessionCache a folder for ONNX Runtime's optimised graphs (see SessionCache), or null for none: later
 *                     loads of a model skip the optimiser and map its weights (0.26-0.29x a read of the weights
 *                     against 2-4x without, measured on SD 2.1's UNet), at the cost of a copy of the weights on
 *                     disk. Off unless asked for ({@code PIGMENT_SESSION_CACHE}, {@code --session-cache})
 */
public record RuntimeOptions(int intraOpThreads, int interOpThreads, OptLevel optLevel, MemoryPolicy memoryPolicy,
                             boolean memoryPattern, Device device, Path sessionCache) {

    /** Options without a session cache. */
    public RuntimeOptions(int intraOpThreads, int interOpThreads, OptLevel optLevel, MemoryPolicy memoryPolicy,
                          boolean memoryPattern, Device device) {
        this(intraOpThreads, interOpThreads, optLevel, memoryPolicy, memoryPattern, device, null);
    }

    /** Options on the CPU. */
    public RuntimeOptions(int intraOpThreads, int interOpThreads, OptLevel optLevel, MemoryPolicy memoryPolicy,
                          boolean memoryPattern) {
        this(intraOpThreads, interOpThreads, optLevel, memoryPolicy, memoryPattern, Device.CPU);
    }

    /** Options with the memory-pattern optimisation off (the measured choice for every component). */
    public RuntimeOptions(int intraOpThreads, int interOpThreads, OptLevel optLevel, MemoryPolicy memoryPolicy) {
        this(intraOpThreads, interOpThreads, optLevel, memoryPolicy, false);
    }

    public RuntimeOptions {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = ONNX Runtime default), was "
                    + intraOpThreads);
        }
        if (interOpThreads < 0) {
            throw new IllegalArgumentException("interOpThreads must be >= 0 (0 = ONNX Runtime default), was "
                    + interOpThreads);
        }
        Objects.requireNonNull(optLevel, "optLevel");
        Objects.requireNonNull(memoryPolicy, "memoryPolicy");
        Objects.requireNonNull(device, "device");
    }

    /**
     * ONNX Runtime's default threads, all optimisations, every component kept loaded; the session cache in the
     * folder environment variable {@code PIGMENT_SESSION_CACHE} names, if set.
     */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(0, 0, OptLevel.ALL_OPT, MemoryPolicy.KEEP_LOADED)
                .withSessionCache(sessionCacheFromEnvironment());
    }

    /** The folder {@code PIGMENT_SESSION_CACHE} names, or null when it is unset or blank. */
    public static Path sessionCacheFromEnvironment() {
        String value = System.getenv("PIGMENT_SESSION_CACHE");
        return value == null || value.isBlank() ? null : Path.of(value.trim());
    }

    /** The same options with {@code n} intra-op threads (0 = ONNX Runtime default). */
    public RuntimeOptions withThreads(int n) {
        return new RuntimeOptions(n, interOpThreads, optLevel, memoryPolicy, memoryPattern, device, sessionCache);
    }

    public RuntimeOptions withInterOpThreads(int n) {
        return new RuntimeOptions(intraOpThreads, n, optLevel, memoryPolicy, memoryPattern, device, sessionCache);
    }

    public RuntimeOptions withOptLevel(OptLevel level) {
        return new RuntimeOptions(intraOpThreads, interOpThreads, level, memoryPolicy, memoryPattern, device, sessionCache);
    }

    public RuntimeOptions withMemoryPolicy(MemoryPolicy policy) {
        return new RuntimeOptions(intraOpThreads, interOpThreads, optLevel, policy, memoryPattern, device, sessionCache);
    }

    public RuntimeOptions withMemoryPattern(boolean on) {
        return new RuntimeOptions(intraOpThreads, interOpThreads, optLevel, memoryPolicy, on, device, sessionCache);
    }

    /** The same options on another execution provider (checked when the first session is created). */
    public RuntimeOptions withDevice(Device d) {
        return new RuntimeOptions(intraOpThreads, interOpThreads, optLevel, memoryPolicy, memoryPattern, d, sessionCache);
    }

    /** The same options with ONNX Runtime's optimised graphs kept in {@code folder} (null: no cache). */
    public RuntimeOptions withSessionCache(Path folder) {
        return new RuntimeOptions(intraOpThreads, interOpThreads, optLevel, memoryPolicy, memoryPattern, device, folder);
    }
}
