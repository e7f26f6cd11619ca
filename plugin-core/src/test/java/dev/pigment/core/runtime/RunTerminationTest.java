package dev.pigment.core.runtime;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancelledException;
import dev.pigment.core.model.ModelRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A run inside ONNX Runtime can be ended from another thread (the mechanism behind Ctrl-C, SIGTERM and
 * GenerationService.close()): the running thread leaves native code with a CancelledException.
 */
class RunTerminationTest {
    @Test
    void terminateRunEndsARunInProgressWithCancelled() throws Exception {
        Path decoder = Path.of(System.getProperty(ModelRegistry.HOME_PROPERTY, "."), "models", "demo", "vae_decoder", "model.onnx");
        try (OnnxComponent vae = new OnnxComponent("vae_decoder", decoder, RuntimeOptions.defaults().withThreads(1))) {
            String input = vae.inputs().get(0).name();
            Tensor latents = Tensor.ofFloats(new float[4 * 96 * 96], 1, 4, 96, 96);
            CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> {
                // Runs back to back, so a terminate request finds one in progress.
                while (true) {
                    vae.run(Map.of(input, latents));
                }
            });
            Throwable ended = null;
            for (int i = 0; i < 600 && ended == null; i++) {
                vae.terminateRun();
                try {
                    loop.get(50, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    ended = e.getCause();
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    // try again
                }
            }
            assertInstanceOf(CancelledException.class, ended, "the run loop ended by termination");
            assertTrue(vae.isLoaded(), "the component stays usable");
            assertTrue(vae.run(Map.of(input, Tensor.ofFloats(new float[4 * 8 * 8], 1, 4, 8, 8))).size() > 0,
                    "the next run is not terminated");
        }
    }
}
