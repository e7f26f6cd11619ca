package dev.pigment.core.service;

import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.Task;
import dev.pigment.core.model.ModelFamily;
import dev.pigment.core.model.Recommended;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What this installation can do, known without loading any model: what a front end shows in its model list
 * and what the bridge sends in its handshake.
 *
 * @param models     every model the registry finds, the classic engines first
 * @param schedulers every scheduler id a request may name; each model lists the ones that suit it
 * @param limits     the request limits every front end must respect
 */
public record Capabilities(List<ModelCapabilities> models, List<String> schedulers, Limits limits) {
    public Capabilities {
        models = List.copyOf(models);
        schedulers = List.copyOf(schedulers);
        Objects.requireNonNull(limits, "limits");
    }

    /**
     * One model.
     *
     * @param tasks       what it can do (empty when this version cannot run its family)
     * @param recommended its size, steps and guidance (complete)
     * @param schedulers  the scheduler ids this model works with (its family's; others are refused), in the
     *                    order {@link Capabilities#schedulers()} lists them; empty for the classic engines
     */
    public record ModelCapabilities(String id, String displayName, ModelFamily family, Set<Task> tasks,
                                    Recommended recommended, List<String> schedulers) {
        public ModelCapabilities {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(displayName, "displayName");
            Objects.requireNonNull(family, "family");
            tasks = Set.copyOf(tasks);
            Objects.requireNonNull(recommended, "recommended");
            schedulers = List.copyOf(schedulers);
        }
    }

    /** The {@link GenerationRequest} limits. */
    public record Limits(int maxSide, int maxSteps, int maxBatch, int maxPromptChars) {
        public static final Limits REQUEST = new Limits(GenerationRequest.MAX_SIDE, GenerationRequest.MAX_STEPS,
                GenerationRequest.MAX_BATCH, GenerationRequest.MAX_PROMPT_CHARS);
    }
}
