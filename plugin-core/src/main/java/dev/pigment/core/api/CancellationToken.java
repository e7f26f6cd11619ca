package dev.pigment.core.api;

/**
 * Cooperative cancellation: front ends call {@link #cancel()}, engines poll
 * {@link #throwIfCancelled()} between steps (never inside one ONNX call).
 */
public final class CancellationToken {
    private volatile boolean cancelled;
    private final java.util.List<Runnable> onCancel = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A token that nobody can cancel, for callers that have no cancel button. */
    public static CancellationToken none() {
        return new CancellationToken();
    }

    public void cancel() {
        cancelled = true;
        onCancel.forEach(Runnable::run);
    }

    /**
     * Runs {@code action} when the token is cancelled (at once if it already is), until the returned
     * registration is closed: for work that cannot poll, such as a native call inside one step.
     */
    public Registration whenCancelled(Runnable action) {
        onCancel.add(action);
        if (cancelled) {
            action.run();
        }
        return () -> onCancel.remove(action);
    }

    /** An action registered with {@link #whenCancelled}; closing it unregisters it. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public void throwIfCancelled() {
        if (cancelled) {
            throw new CancelledException();
        }
    }
}
