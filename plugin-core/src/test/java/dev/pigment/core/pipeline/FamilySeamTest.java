package dev.pigment.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.runtime.MemoryPolicy;
import dev.pigment.core.runtime.RuntimeOptions;
import org.junit.jupiter.api.Test;

/** The family seam: what the pipeline no longer does, and the small records behind it. */
class FamilySeamTest {

    @Test
    void buildingThePipelineCreatesNoSessionAndOneGenerationCreatesOneUnetSession() {
        RuntimeOptions oneAtATime = RuntimeOptions.defaults().withThreads(1).withMemoryPolicy(MemoryPolicy.ONE_AT_A_TIME);
        try (LatentDiffusionPipeline p = new LatentDiffusionPipeline(TinyModels.model("tiny-sd"), oneAtATime)) {
            assertEquals(0, p.components().sessionsCreated("unet"), "input specs come from the ONNX header");
            p.generate(GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("tiny-sd").prompt("apple").seed(1).steps(2)
                    .guidance(5.0).size(64, 64).build(), ProgressListener.NONE, CancellationToken.none());
            assertEquals(1, p.components().sessionsCreated("unet"));
            assertEquals(1, p.components().sessionsCreated("text_encoder"));
            assertEquals(1, p.components().sessionsCreated("vae_decoder"));
        }
    }

    @Test
    void aSchedulerOfAnotherFamilyIsRefusedNamingTheCompatibleOnes() {
        try (LatentDiffusionPipeline p = new LatentDiffusionPipeline(TinyModels.model("tiny-sd"),
                RuntimeOptions.defaults().withThreads(1))) {
            PigmentException e = assertThrows(PigmentException.class, () -> p.generate(
                    GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("tiny-sd").prompt("x").seed(1).steps(2)
                            .scheduler("flow-match-euler").size(64, 64).build(),
                    ProgressListener.NONE, CancellationToken.none()));
            assertEquals(ErrorCode.BAD_REQUEST, e.code());
            assertTrue(e.getMessage().contains("flow-match-euler") && e.getMessage().contains("euler, euler-a, ddim"),
                    e.getMessage());
        }
    }

    @Test
    void patchifyLaysTokensOutAsZImageDoesAndUnpatchifyInvertsIt() {
        // 2 channels, 2x4 latents, patch 2: token 0 covers x 0..1, token 1 covers x 2..3.
        float[] data = new float[16];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        Latents l = new Latents(data, 2, 2, 4);
        float[] tokens = l.patchify(2);
        // token 0 = (py,px,c): (0,0,0)=0 (0,0,1)=8 (0,1,0)=1 (0,1,1)=9 (1,0,0)=4 (1,0,1)=12 (1,1,0)=5 (1,1,1)=13
        assertArrayEquals(new float[] {0, 8, 1, 9, 4, 12, 5, 13}, java.util.Arrays.copyOf(tokens, 8));
        assertArrayEquals(data, Latents.unpatchify(tokens, 2, 2, 2, 4).data());
        assertThrows(IllegalArgumentException.class, () -> new Latents(new float[12], 1, 3, 4).patchify(2));
    }

    @Test
    void guidanceRulesFollowEachFamilysReference() {
        assertFalse(Guidance.stableDiffusion(1.0).on());
        assertTrue(Guidance.stableDiffusion(1.5).on());
        assertFalse(Guidance.zImage(0.0).on());
        assertTrue(Guidance.zImage(0.5).on());
        assertArrayEquals(new float[] {1 + 3 * (2 - 1)}, Guidance.stableDiffusion(3).combine(new float[] {2}, new float[] {1}));
        assertArrayEquals(new float[] {2 + 3 * (2 - 1)}, Guidance.zImage(3).combine(new float[] {2}, new float[] {1}));
    }

    @Test
    void schedulersWithoutCustomSigmasRefuseThemInsteadOfIgnoringThem() {
        dev.pigment.core.sched.Scheduler euler = dev.pigment.core.sched.Schedulers.create("euler",
                dev.pigment.core.sched.SchedulerConfig.empty(), w -> { });
        PigmentException e = assertThrows(PigmentException.class, () -> euler.setSigmas(new double[] {1.0, 0.5}));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
    }

    @Test
    void tokenLayoutPadsAndNumbersLikePatchifyAndEmbed() {
        TokenLayout t = new TokenLayout(2, 3, 7, 32);
        assertEquals(32, t.imageTotal());
        assertEquals(32, t.captionTotal());
        long[] txt = t.captionIds();
        assertEquals(1, txt[0]);
        assertEquals(32, txt[3 * 31]);
        long[] img = t.imageIds();
        // patch (row 1, col 2) is token 5: (caption total + 1, 1, 2); padding rows are (0, 0, 0)
        assertArrayEquals(new long[] {33, 1, 2}, java.util.Arrays.copyOfRange(img, 15, 18));
        assertArrayEquals(new long[] {0, 0, 0}, java.util.Arrays.copyOfRange(img, 18, 21));
        assertEquals(0, t.imagePadMask()[5]);
        assertEquals(1, t.imagePadMask()[6]);
        assertEquals(1, t.captionPadMask()[7]);
        float[] rows = TokenLayout.padRows(new float[] {1, 2, 3, 4}, 2, 3);
        assertArrayEquals(new float[] {1, 2, 3, 4, 3, 4}, rows);
    }
}
