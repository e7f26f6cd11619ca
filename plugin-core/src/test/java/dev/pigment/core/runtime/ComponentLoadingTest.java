package dev.pigment.core.runtime;

import static dev.pigment.core.runtime.TinyModels.model;
import static dev.pigment.core.runtime.TinyModels.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import dev.pigment.core.api.PigmentException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Background loading (prefetch), resident components, the memory-pattern switch, version reporting. */
class ComponentLoadingTest {
    private static ComponentGroup group(MemoryPolicy policy) {
        ComponentGroup group = new ComponentGroup(RuntimeOptions.defaults().withThreads(1).withMemoryPolicy(policy));
        group.add("unet", model("tiny-sd", "unet"));
        group.add("vae_decoder", model("tiny-sd", "vae_decoder"));
        return group;
    }

    @Test
    void prefetchLoadsInTheBackgroundUnderKeepLoaded() throws Exception {
        try (ComponentGroup group = group(MemoryPolicy.KEEP_LOADED)) {
            OnnxComponent unet = group.acquire("unet");
            group.prefetch("vae_decoder").get(60, TimeUnit.SECONDS);
            OnnxComponent vae = group.acquire("vae_decoder");
            assertTrue(vae.isLoaded(), "prefetched");
            assertTrue(unet.isLoaded(), "keep-loaded keeps the UNet");
            assertSame(vae, group.acquire("vae_decoder"));
        }
    }

    @Test
    void prefetchDoesNothingUnderOneAtATime() throws Exception {
        try (ComponentGroup group = new ComponentGroup(RuntimeOptions.defaults().withThreads(1)
                .withMemoryPolicy(MemoryPolicy.ONE_AT_A_TIME))) {
            OnnxComponent unet = group.add("unet", model("tiny-sd", "unet"));
            OnnxComponent vae = group.add("vae_decoder", model("tiny-sd", "vae_decoder"));
            group.acquire("unet");
            group.prefetch("vae_decoder").get(60, TimeUnit.SECONDS);
            assertTrue(unet.isLoaded(), "a prefetch must not unload the component in use");
            assertFalse(vae.isLoaded(), "loading beside the UNet would break the policy's memory bound");
        }
    }

    @Test
    void aFailedPrefetchIsReportedByTheNextAcquire(@TempDir Path dir) throws Exception {
        try (ComponentGroup group = new ComponentGroup(RuntimeOptions.defaults().withThreads(1))) {
            group.add("vae_decoder", dir.resolve("missing.onnx"));
            group.prefetch("vae_decoder").get(60, TimeUnit.SECONDS);
            PigmentException e = org.junit.jupiter.api.Assertions.assertThrows(PigmentException.class,
                    () -> group.acquire("vae_decoder"));
            assertTrue(e.getMessage().contains("missing.onnx"), e.getMessage());
        }
    }

    @Test
    void residentComponentsSurviveOneAtATimeAndUnloadNothing() {
        try (ComponentGroup group = group(MemoryPolicy.ONE_AT_A_TIME)) {
            OnnxComponent tiny = group.addResident("vae_decoder_tiny", model("tiny-sd", "vae_decoder"));
            OnnxComponent unet = group.acquire("unet");
            group.acquire("vae_decoder_tiny");
            assertTrue(unet.isLoaded(), "acquiring a resident component keeps the UNet");
            OnnxComponent vae = group.acquire("vae_decoder");
            assertFalse(unet.isLoaded(), "the policy still applies between ordinary components");
            assertTrue(tiny.isLoaded() && vae.isLoaded(), "the resident one is never unloaded by the policy");
        }
    }

    @Test
    void memoryPatternOnAndOffGiveIdenticalOutputs() {
        Map<String, Tensor> feeds = Map.of("latent_sample", Tensor.ofFloats(pattern(4 * 64, 5), 1, 4, 8, 8));
        RuntimeOptions base = RuntimeOptions.defaults().withThreads(1);
        assertFalse(base.memoryPattern(), "off by default (measured choice, docs/benchmarks.md)");
        float[] off;
        float[] on;
        try (OnnxComponent c = new OnnxComponent("vae_decoder", model("tiny-sd", "vae_decoder"), base)) {
            off = c.run(feeds).get("sample").floats();
        }
        try (OnnxComponent c = new OnnxComponent("vae_decoder", model("tiny-sd", "vae_decoder"),
                base.withMemoryPattern(true))) {
            c.run(feeds);
            on = c.run(feeds).get("sample").floats();
        }
        assertArrayEquals(off, on);
    }

    @Test
    void theVersionReportedIsTheNativeLibraryOnTheClassPath() {
        String jarVersion = OrtEnvironment.class.getPackage().getImplementationVersion();
        assertEquals(jarVersion, RuntimeInfo.onnxRuntimeVersion());
        assertTrue(RuntimeInfo.describe().startsWith("ONNX Runtime " + jarVersion + " (DJL "), RuntimeInfo.describe());
    }
}
