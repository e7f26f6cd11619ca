package dev.pigment.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.Phase;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.runtime.MemoryPolicy;
import dev.pigment.core.runtime.RuntimeOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a generation leaves loaded: nothing under one-at-a-time, everything under keep-loaded (issue 13). */
class PhaseReleaseTest {
    private static final List<String> ALL = List.of("text_encoder", "unet", "vae_decoder");

    private static GenerationRequest request() {
        return GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("tiny-sd").prompt("apple").seed(1).steps(2)
                .guidance(5.0).size(64, 64).build();
    }

    private static LatentDiffusionPipeline pipeline(MemoryPolicy policy) {
        return new LatentDiffusionPipeline(TinyModels.model("tiny-sd"),
                RuntimeOptions.defaults().withThreads(1).withMemoryPolicy(policy));
    }

    @Test
    void oneAtATimeHoldsNoSessionBetweenGenerationsAndLoadsEachComponentOncePerGeneration() {
        try (LatentDiffusionPipeline p = pipeline(MemoryPolicy.ONE_AT_A_TIME)) {
            for (int generation = 1; generation <= 2; generation++) {
                p.generate(request(), ProgressListener.NONE, CancellationToken.none());
                assertEquals(List.of(), p.components().loaded(), "after generation " + generation);
                for (String c : ALL) {
                    assertEquals(generation, p.components().sessionsCreated(c), c + " loads once per generation");
                }
            }
        }
    }

    @Test
    void oneAtATimeReleasesTheUnetWhenAGenerationIsCancelledMidway() {
        try (LatentDiffusionPipeline p = pipeline(MemoryPolicy.ONE_AT_A_TIME)) {
            CancellationToken token = new CancellationToken();
            ProgressListener cancelInDenoise = progress -> {
                if (progress.phase() == Phase.DENOISE && progress.step() >= 1) {
                    token.cancel();
                }
            };
            assertThrows(PigmentException.class, () -> p.generate(request(), cancelInDenoise, token));
            assertEquals(1, p.components().sessionsCreated("unet"), "the cancel came after the UNet loaded");
            assertEquals(List.of(), p.components().loaded());
        }
    }

    @Test
    void keepLoadedKeepsEveryComponentAndReloadsNothing() {
        try (LatentDiffusionPipeline p = pipeline(MemoryPolicy.KEEP_LOADED)) {
            p.generate(request(), ProgressListener.NONE, CancellationToken.none());
            p.generate(request(), ProgressListener.NONE, CancellationToken.none());
            assertEquals(ALL, p.components().loaded().stream().sorted().toList());
            for (String c : ALL) {
                assertEquals(1, p.components().sessionsCreated(c), c);
            }
        }
    }
}
