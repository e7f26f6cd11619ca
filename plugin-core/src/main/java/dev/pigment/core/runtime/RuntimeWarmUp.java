package dev.pigment.core.runtime;

import java.util.concurrent.TimeUnit;

/**
 * Starts ONNX Runtime (native library, environment, DJL's engine) on a background thread while the
 * caller does other start-up work (reading the model folder, loading the tokenizer): on a cold start
 * this takes the native load off the critical path (docs/benchmarks.md, "Demo 64x64 cold start").
 *
 * <p>A failure here is ignored: the first real use starts the engine again on its own thread and
 * reports the problem there. {@link #close()} waits for the thread, so a process never exits while the
 * native library is half-way through starting.
 */
public final class RuntimeWarmUp implements AutoCloseable {
    /** How long {@link #close()} waits; starting ONNX Runtime takes well under a second. */
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final Thread thread;

    private RuntimeWarmUp(Thread thread) {
        this.thread = thread;
    }

    /** Starts the engine in the background; the caller closes the result when it is done. */
    public static RuntimeWarmUp start() {
        Thread t = new Thread(RuntimeWarmUp::startEngine, "pigment-runtime-start");
        t.setDaemon(true);
        t.start();
        return new RuntimeWarmUp(t);
    }

    private static void startEngine() {
        try {
            DjlOnnxRuntime.engine();
        } catch (RuntimeException | LinkageError e) {
            // Reported by the first real use, with the caller's context.
        }
    }

    /** Waits for the background start to end (at once when the caller already needed the engine). */
    @Override
    public void close() {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(CLOSE_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
