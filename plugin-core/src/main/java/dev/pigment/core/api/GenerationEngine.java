package dev.pigment.core.api;

/**
 * Something that serves a {@link GenerationRequest}: a diffusion pipeline or a classic (weight-free) engine.
 * Front ends cannot tell which served them except by {@link Provenance#modelId()}.
 */
public interface GenerationEngine extends AutoCloseable {

    /** The tasks this engine can run. */
    java.util.Set<Task> supportedTasks();

    /**
     * The {@code --option} keys this engine reads for {@code task}; requests with any other key are refused
     * (see {@link EngineOptions#requireKnown}).
     */
    default java.util.Set<String> optionKeys(Task task) {
        return java.util.Set.of();
    }

    /**
     * Runs one request to completion.
     *
     * @throws PigmentException with a user-facing message on bad input, {@link CancelledException} when cancelled
     */
    GenerationResult generate(GenerationRequest request, ProgressListener progress, CancellationToken cancel);

    /**
     * Ends native work in progress now (an ONNX Runtime run), from any thread, after the job's token was
     * cancelled; the job then ends with a {@link CancelledException}. Engines without native calls that
     * outlast a step need nothing here.
     */
    default void terminateNativeWork() {
    }

    @Override
    default void close() {
    }
}
