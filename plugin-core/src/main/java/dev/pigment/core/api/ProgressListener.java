package dev.pigment.core.api;

/** Receives progress events on the generating thread; implementations must return quickly. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = p -> { };

    void onProgress(Progress progress);

    /** Whether the engine should spend time computing previews for this listener. */
    default boolean wantsPreview() {
        return false;
    }
}
