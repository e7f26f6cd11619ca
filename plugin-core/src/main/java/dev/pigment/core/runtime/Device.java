package dev.pigment.core.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.pigment.core.api.PigmentException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;

/**
 * Where ONNX Runtime runs a model: the CPU (default) or a GPU execution provider, which exists only when the matching
 * ONNX Runtime build is on the classpath in place of the CPU one.
 *
 * @param kind  the execution provider
 * @param index the device number for GPU providers (0 for the CPU)
 */
public record Device(Kind kind, int index) {
    public static final Device CPU = new Device(Kind.CPU, 0);

    /** The providers Pigment can select, with the ONNX Runtime artifact that carries each. */
    public enum Kind {
        CPU("cpu", OrtProvider.CPU, "com.microsoft.onnxruntime:onnxruntime"),
        CUDA("cuda", OrtProvider.CUDA, "com.microsoft.onnxruntime:onnxruntime_gpu (with CUDA 12 and cuDNN 9 installed)"),
        ROCM("rocm", OrtProvider.ROCM, "an ONNX Runtime Java build with the ROCm provider"),
        DIRECT_ML("dml", OrtProvider.DIRECT_ML, "an ONNX Runtime Java build with the DirectML provider (Windows)");

        private final String id;
        private final OrtProvider provider;
        private final String artifact;

        Kind(String id, OrtProvider provider, String artifact) {
            this.id = id;
            this.provider = provider;
            this.artifact = artifact;
        }
    }

    public Device {
        Objects.requireNonNull(kind, "kind");
        if (index < 0 || (kind == Kind.CPU && index != 0)) {
            throw new IllegalArgumentException("device index " + index + " for " + kind);
        }
    }

    /**
     * Reads {@code cpu}, {@code cuda}, {@code cuda:1}, {@code rocm[:N]} or {@code dml[:N]}.
     *
     * @throws PigmentException BAD_REQUEST naming the value and the accepted forms
     */
    public static Device parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        String name = v.contains(":") ? v.substring(0, v.indexOf(':')) : v;
        for (Kind k : Kind.values()) {
            if (k.id.equals(name)) {
                try {
                    int index = v.contains(":") ? Integer.parseInt(v.substring(v.indexOf(':') + 1)) : 0;
                    if (index >= 0 && (k != Kind.CPU || index == 0) && index < 64) {
                        return new Device(k, index);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
        }
        throw PigmentException.badRequest("'" + value + "' is not a device: use cpu, cuda, cuda:N (N = GPU number),"
                + " rocm[:N] or dml[:N].");
    }

    /** As the user writes it, e.g. {@code cuda:1}. */
    public String id() {
        return kind == Kind.CPU || index == 0 ? kind.id : kind.id + ":" + index;
    }

    public boolean isCpu() {
        return kind == Kind.CPU;
    }

    /**
     * Adds this device's execution provider to the session options.
     *
     * @throws PigmentException BAD_REQUEST when the ONNX Runtime on the classpath does not have the provider,
     *         saying which artifact does
     */
    void addTo(OrtSession.SessionOptions options) throws OrtException {
        if (kind == Kind.CPU) {
            return;
        }
        EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
        if (!available.contains(kind.provider)) {
            throw PigmentException.badRequest("--device " + id() + " needs ONNX Runtime's " + kind.provider
                    + " provider, but the ONNX Runtime on the classpath has only " + available + ". Put "
                    + kind.artifact + " on the classpath in place of com.microsoft.onnxruntime:onnxruntime"
                    + " (same version), or use --device cpu.");
        }
        switch (kind) {
            case CUDA -> options.addCUDA(index);
            case ROCM -> options.addROCM(index);
            case DIRECT_ML -> options.addDirectML(index);
            default -> throw new IllegalStateException(kind.toString());
        }
    }
}
