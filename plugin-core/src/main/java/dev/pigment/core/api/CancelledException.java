package dev.pigment.core.api;

/** Thrown out of a job when its {@link CancellationToken} was cancelled; nothing was written. */
public final class CancelledException extends PigmentException {
    public CancelledException() {
        super(ErrorCode.CANCELLED, "Cancelled: nothing was changed.");
    }
}
