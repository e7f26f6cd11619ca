package dev.pigment.core.runtime;

/**
 * What runs the models, as users and provenance should see it. DJL's {@code Engine.getVersion()}
 * reports the ONNX Runtime version DJL was built against (1.21.1 for DJL 0.38), not the one on the
 * class path (the pom pins a newer one); the native library itself knows which it is.
 */
public final class RuntimeInfo {
    private RuntimeInfo() {
    }

    /** The version of the ONNX Runtime native library actually loaded, e.g. {@code 1.29.0}; starts the engine. */
    public static String onnxRuntimeVersion() {
        return DjlOnnxRuntime.environment().getVersion();
    }

    /** One line for {@code --version} and logs, e.g. {@code ONNX Runtime 1.29.0 (DJL 0.38.0)}; never throws. */
    public static String describe() {
        try {
            return "ONNX Runtime " + onnxRuntimeVersion() + " (DJL " + ai.djl.engine.Engine.getDjlVersion() + ")";
        } catch (RuntimeException | LinkageError e) {
            return "ONNX Runtime not available: " + e.getMessage();
        }
    }
}
