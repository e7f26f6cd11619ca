package dev.pigment.core.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a job produced.
 *
 * @param images     the images with the seed actually used for each
 * @param timings    wall time per phase, keyed by {@link Phase#id()}, in order; "load" only when the job had to load the model
 * @param provenance model, prompt and every resolved parameter
 * @param notes      things the user should know (prompt truncated, empty mask, scheduler fallback...)
 */
public record GenerationResult(List<GeneratedImage> images, Map<String, Duration> timings, Provenance provenance,
                               List<String> notes) {
    public GenerationResult {
        images = List.copyOf(images);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("a result needs at least one image");
        }
        timings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(timings));
        Objects.requireNonNull(provenance, "provenance");
        notes = List.copyOf(notes);
    }

    public GeneratedImage first() {
        return images.get(0);
    }

    public Duration totalTime() {
        return timings.values().stream().reduce(Duration.ZERO, Duration::plus);
    }
}
