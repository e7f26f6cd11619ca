package dev.pigment.core.api;

/**
 * Cooperative cancellation: front ends call {@link #cancel()}, engines poll
 * {@link #throwIfCancelled()} between steps (never inside one ONNX call).
 */
public final class CancellationToken {
    private volatile boolean cancelled;

    /** A token that nobody can cancel, for callers that have no cancel button. */
    public static CancellationToken none() {
        return new CancellationToken();
    }

    public void cancel() {
        cancelled = true;
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
