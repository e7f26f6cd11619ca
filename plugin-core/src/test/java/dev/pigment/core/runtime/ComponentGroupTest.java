package dev.pigment.core.runtime;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.pigment.core.runtime.TinyModels.model;
import static dev.pigment.core.runtime.TinyModels.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComponentGroupTest {
    private static final List<String> NAMES = List.of("text_encoder", "unet", "vae_decoder");

    private static ComponentGroup group(MemoryPolicy policy) {
        ComponentGroup group = new ComponentGroup(RuntimeOptions.defaults().withThreads(1).withMemoryPolicy(policy));
        for (String name : NAMES) {
            group.add(name, model("tiny-sd", name));
        }
        return group;
    }

    @Test
    void oneAtATimeUnloadsEveryOtherComponent() {
        try (ComponentGroup group = group(MemoryPolicy.ONE_AT_A_TIME)) {
            assertTrue(group.has("unet"));
            assertFalse(group.has("transformer"));
            OnnxComponent text = group.acquire("text_encoder");
            assertTrue(text.isLoaded());
            OnnxComponent unet = group.acquire("unet");
            assertTrue(unet.isLoaded());
            assertFalse(text.isLoaded(), "text encoder must be unloaded before the UNet loads");
            OnnxComponent vae = group.acquire("vae_decoder");
            assertTrue(vae.isLoaded());
            assertFalse(unet.isLoaded());
            assertFalse(text.isLoaded());
            // Acquiring the same component again keeps it loaded and returns the same object.
            assertSame(vae, group.acquire("vae_decoder"));
            assertTrue(vae.isLoaded());
        }
    }

    @Test
    void keepLoadedKeepsEverything() {
        try (ComponentGroup group = group(MemoryPolicy.KEEP_LOADED)) {
            OnnxComponent text = group.acquire("text_encoder");
            OnnxComponent unet = group.acquire("unet");
            OnnxComponent vae = group.acquire("vae_decoder");
            assertTrue(text.isLoaded() && unet.isLoaded() && vae.isLoaded());
        }
    }

    @Test
    void registeredComponentsAreNotLoadedAndCloseUnloads() {
        ComponentGroup group = group(MemoryPolicy.KEEP_LOADED);
        OnnxComponent unet = group.add("vae_encoder", model("tiny-sd", "vae_encoder"));
        assertFalse(unet.isLoaded());
        group.acquire("vae_encoder");
        assertTrue(unet.isLoaded());
        group.close();
        assertFalse(unet.isLoaded());
        assertThrows(IllegalArgumentException.class, () -> group(MemoryPolicy.KEEP_LOADED).add("unet",
                model("tiny-sd", "unet")));
    }

    @Test
    void unknownComponentNamesTheKnownOnes() {
        try (ComponentGroup group = group(MemoryPolicy.KEEP_LOADED)) {
            PigmentException e = assertThrows(PigmentException.class, () -> group.acquire("transformer"));
            assertEquals(ErrorCode.MODEL_INVALID, e.code());
            assertTrue(e.getMessage().contains("transformer") && e.getMessage().contains("unet"), e.getMessage());
        }
    }

    @Test
    void oneAtATimeGivesTheSameNumbersAndSumsRunTime() {
        Map<String, Tensor> feeds = Map.of("latent_sample", Tensor.ofFloats(pattern(256, 1), 1, 4, 8, 8));
        float[] expected;
        try (ComponentGroup keep = group(MemoryPolicy.KEEP_LOADED)) {
            expected = keep.acquire("vae_decoder").run(feeds).get("sample").floats();
        }
        try (ComponentGroup one = group(MemoryPolicy.ONE_AT_A_TIME)) {
            assertEquals(0, one.totalRunNanos());
            float[] first = one.acquire("vae_decoder").run(feeds).get("sample").floats();
            one.acquire("text_encoder").run(Map.of("input_ids", Tensor.ofInts(new int[77], 1, 77)));
            float[] again = one.acquire("vae_decoder").run(feeds).get("sample").floats();
            assertEquals(0.0, TinyModels.maxAbsDiff(expected, first));
            assertEquals(0.0, TinyModels.maxAbsDiff(expected, again));
            long total = one.totalRunNanos();
            assertTrue(total > 0);
            assertEquals(total, one.acquire("unet").runNanos() + one.acquire("text_encoder").runNanos()
                    + one.acquire("vae_decoder").runNanos());
        }
    }
}
