package dev.pigment.core.service;

import static org.junit.jupiter.api.Assertions.assertSame;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.runtime.RuntimeOptions;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Jobs run with the core's class loader as context loader, whatever the caller's is (ImageJ's threads). */
class WorkerClassLoaderTest {
    @Test
    void jobsSeeTheCoresClassLoader() {
        Thread caller = Thread.currentThread();
        ClassLoader before = caller.getContextClassLoader();
        caller.setContextClassLoader(new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader()));
        AtomicReference<ClassLoader> seen = new AtomicReference<>();
        try (GenerationService service = new GenerationService(new ModelRegistry(List.of()), RuntimeOptions.defaults(),
                1L << 30)) {
            RgbImage src = RgbImage.filled(32, 32, 0.5f, 0.5f, 0.5f);
            service.run(GenerationRequest.builder(Task.INPAINT).model("classic").source(src)
                    .mask(Mask.rectangle(32, 32, 4, 4, 6, 6)).seed(1).build(),
                    p -> seen.compareAndSet(null, Thread.currentThread().getContextClassLoader()),
                    CancellationToken.none());
        } finally {
            caller.setContextClassLoader(before);
        }
        assertSame(GenerationService.class.getClassLoader(), seen.get());
    }
}
