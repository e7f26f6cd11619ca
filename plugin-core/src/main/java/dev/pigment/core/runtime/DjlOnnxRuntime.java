package dev.pigment.core.runtime;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;

/**
 * Starts DJL's ONNX Runtime engine the way DJL expects: through {@link Engine#getEngine(String)},
 * before anything touches {@link OrtEnvironment} (DJL creates the process-wide environment with its
 * own threading options and logging level; creating it first ourselves would make DJL's copy a
 * second, differently configured handle to the same singleton).
 *
 * <p>DJL caches the engine, so this is cheap after the first call and holds no state of its own.
 */
final class DjlOnnxRuntime {
    static final String ENGINE_NAME = "OnnxRuntime";

    private DjlOnnxRuntime() {
    }

    /** DJL's ONNX Runtime engine, started offline. */
    static Engine engine() {
        keepOffline();
        // DJL finds its engines with ServiceLoader on the thread's context class loader. Inside ImageJ the
        // plugin's jars are visible only to ImageJ's plugin class loader, not to the calling thread's loader
        // (often the event thread's system loader), so the lookup would find no engine.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(DjlOnnxRuntime.class.getClassLoader());
        try {
            return Engine.getEngine(ENGINE_NAME);
        } catch (RuntimeException | LinkageError e) {
            throw new PigmentException(ErrorCode.RUNTIME,
                    "ONNX Runtime could not start on this machine (" + e.getMessage() + "). Pigment needs the "
                            + "onnxruntime and DJL onnxruntime-engine jars on the class path and a supported "
                            + "platform (Linux, Windows or macOS on x86_64/arm64).", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The environment DJL's engine created; only valid after {@link #engine()}. */
    static OrtEnvironment environment() {
        engine();
        return OrtEnvironment.getEnvironment();
    }

    /**
     * DJL otherwise contacts an AWS metadata address and a telemetry bucket when its engine starts.
     * Pigment never touches the network at run time, so unless the user decided explicitly (by the
     * environment variable or the system property), both switches are set before DJL reads them.
     */
    private static void keepOffline() {
        if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        // Before JNA (used just below) and ONNX Runtime load: both then map verified copies, not new temp files.
        NativeLibraryCache.useForBindings();
        OrtTelemetry.disable();
    }
}
