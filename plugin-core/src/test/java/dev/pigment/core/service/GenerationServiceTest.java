package dev.pigment.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.CancelledException;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.Phase;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.classic.ClassicEngine;
import dev.pigment.core.model.ModelFamily;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.pipeline.LatentDiffusionPipeline;
import dev.pigment.core.runtime.RuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationServiceTest {
    @TempDir
    Path dir;

    private static Path fixtures() throws Exception {
        return Path.of(GenerationServiceTest.class.getResource("/models").toURI());
    }

    private GenerationService service(Path root) {
        return new GenerationService(new ModelRegistry(List.of(root)), RuntimeOptions.defaults().withThreads(1), 1L << 30);
    }

    private static GenerationRequest txt2img(String model, int steps) {
        return GenerationRequest.builder(Task.TEXT_TO_IMAGE).model(model).prompt("red apple").seed(1).steps(steps).build();
    }

    @Test
    void routesClassicAndDiffusionModelsThroughOneQueue() throws Exception {
        try (GenerationService service = service(fixtures())) {
            RgbImage src = RgbImage.filled(32, 32, 0.5f, 0.2f, 0.1f);
            GenerationResult classic = service.run(GenerationRequest.builder(Task.INPAINT).model("classic").source(src)
                    .mask(Mask.rectangle(32, 32, 8, 8, 8, 8)).seed(1).build(), ProgressListener.NONE, CancellationToken.none());
            assertEquals("classic", classic.provenance().modelId());
            GenerationResult sd = service.run(txt2img("tiny-sd", 2), ProgressListener.NONE, CancellationToken.none());
            assertEquals("tiny-sd", sd.provenance().modelId());
        }
    }

    @Test
    void jobsRunInOrderAndAQueuedJobCanBeCancelled() throws Exception {
        try (GenerationService service = service(fixtures())) {
            CountDownLatch firstStarted = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            GenerationService.Job first = service.submit(txt2img("tiny-sd", 3), p -> {
                if (p.phase() == Phase.QUEUED) {
                    return; // heard on this thread, at submit
                }
                firstStarted.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(firstStarted.await(30, TimeUnit.SECONDS));
            GenerationService.Job second = service.submit(txt2img("tiny-sd", 3), ProgressListener.NONE);
            GenerationService.Job third = service.submit(txt2img("tiny-sd", 3), ProgressListener.NONE);
            second.cancel();
            release.countDown();
            assertEquals(1, first.result().get(30, TimeUnit.SECONDS).images().size());
            CompletionException e = assertThrows(CompletionException.class, () -> second.result().join());
            assertTrue(e.getCause() instanceof CancelledException);
            assertEquals(1, third.result().get(30, TimeUnit.SECONDS).images().size());
            assertTrue(third.id() > second.id() && second.id() > first.id());
        }
    }

    @Test
    void aJobHearsItsPlaceInTheQueueThenTheModelLoadOnlyWhenItIsCold() throws Exception {
        try (GenerationService service = service(fixtures())) {
            List<Progress> first = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<Progress> second = new java.util.concurrent.CopyOnWriteArrayList<>();
            CountDownLatch release = new CountDownLatch(1);
            GenerationService.Job a = service.submit(txt2img("tiny-sd", 2), p -> {
                first.add(p);
                if (p.phase() == Phase.DENOISE) {
                    await(release);
                }
            });
            GenerationService.Job b = service.submit(txt2img("tiny-sd", 2), second::add);
            assertEquals(Phase.QUEUED, first.get(0).phase());
            assertEquals(0, first.get(0).jobsAhead());
            assertEquals(Phase.QUEUED, second.get(0).phase());
            assertEquals(1, second.get(0).jobsAhead());
            release.countDown();
            GenerationResult ra = a.result().get(30, TimeUnit.SECONDS);
            GenerationResult rb = b.result().get(30, TimeUnit.SECONDS);
            assertEquals(List.of(Phase.QUEUED, Phase.LOAD, Phase.LOAD, Phase.ENCODE_PROMPT),
                    first.stream().map(Progress::phase).limit(4).toList());
            assertEquals(List.of(0, 1), first.stream().filter(p -> p.phase() == Phase.LOAD).map(Progress::step).toList());
            assertTrue(second.stream().noneMatch(p -> p.phase() == Phase.LOAD), "the model was already loaded");
            assertEquals("load", ra.timings().keySet().iterator().next());
            assertTrue(!rb.timings().containsKey("load"), rb.timings().toString());
        }
    }

    @Test
    void capabilitiesListEveryModelsTasksWithoutLoadingAndAgreeWithTheLoadedEngines() throws Exception {
        try (GenerationService service = service(fixtures())) {
            Capabilities caps = service.capabilities();
            assertEquals("classic", caps.models().get(0).id());
            assertEquals(GenerationRequest.MAX_SIDE, caps.limits().maxSide());
            assertEquals(GenerationRequest.MAX_BATCH, caps.limits().maxBatch());
            assertTrue(caps.schedulers().contains("euler"), caps.schedulers().toString());
            Capabilities.ModelCapabilities sd = caps.models().stream().filter(m -> m.id().equals("tiny-sd"))
                    .findFirst().orElseThrow();
            assertTrue(sd.recommended().isComplete());
            for (Capabilities.ModelCapabilities m : caps.models()) {
                // What the capabilities promise must be what the engine says once loaded.
                ModelInfo info = service.registry().resolve(m.id());
                if (m.family() == ModelFamily.STABLE_DIFFUSION) {
                    try (LatentDiffusionPipeline engine = new LatentDiffusionPipeline(info, RuntimeOptions.defaults())) {
                        assertEquals(engine.supportedTasks(), m.tasks(), m.id());
                    }
                }
            }
            assertEquals(new ClassicEngine().supportedTasks(), caps.models().get(0).tasks());
        }
    }

    @Test
    void aCancelWithTheLastEventStillGivesNoResult() throws Exception {
        try (GenerationService service = service(fixtures())) {
            CancellationToken token = new CancellationToken();
            ProgressListener cancelAtTheEnd = p -> {
                if (p.phase() == Phase.DECODE && p.step() == p.totalSteps()) {
                    token.cancel(); // the decode is done: nothing in the engine polls after this
                }
            };
            assertThrows(CancelledException.class, () -> service.run(txt2img("tiny-sd", 2), cancelAtTheEnd, token));
        }
    }

    @Test
    void capabilitiesListPerModelTheSchedulersItsEngineAccepts() throws Exception {
        try (GenerationService service = service(fixtures())) {
            Capabilities caps = service.capabilities();
            assertEquals(List.of(), caps.models().get(0).schedulers(), "the classic engines have no scheduler");
            Capabilities.ModelCapabilities sd = caps.models().stream().filter(m -> m.id().equals("tiny-sd"))
                    .findFirst().orElseThrow();
            assertEquals(List.of("euler", "euler-a", "ddim", "dpm++2m", "dpm++2m-karras", "lcm"), sd.schedulers());
            assertTrue(caps.schedulers().containsAll(sd.schedulers()));
            for (String id : caps.schedulers()) {
                GenerationRequest r = GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("tiny-sd").prompt("red apple")
                        .seed(1).steps(1).scheduler(id).build();
                if (sd.schedulers().contains(id)) {
                    service.run(r, ProgressListener.NONE, CancellationToken.none());
                } else {
                    PigmentException e = assertThrows(PigmentException.class,
                            () -> service.run(r, ProgressListener.NONE, CancellationToken.none()), id);
                    assertEquals(ErrorCode.BAD_REQUEST, e.code(), id + ": " + e.getMessage());
                }
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void closingTheServiceCancelsTheRunningJob() throws Exception {
        GenerationService service = service(fixtures());
        CountDownLatch running = new CountDownLatch(1);
        GenerationService.Job job = service.submit(txt2img("tiny-sd", 200), p -> {
            if (p.phase() == Phase.DENOISE && p.step() > 0) {
                running.countDown();
            }
        });
        assertTrue(running.await(30, TimeUnit.SECONDS));
        service.close();
        CompletionException e = assertThrows(CompletionException.class, () -> job.result().join());
        assertTrue(e.getCause() instanceof CancelledException, String.valueOf(e.getCause()));
    }

    @Test
    void aBrokenModelFolderGivesTheRegistrysExplanation() throws Exception {
        Path root = dir.resolve("models");
        copy(fixtures().resolve("tiny-sd"), root.resolve("broken"));
        Files.delete(root.resolve("broken/unet/model.onnx"));
        try (GenerationService service = service(root)) {
            PigmentException e = assertThrows(PigmentException.class,
                    () -> service.run(txt2img("broken", 2), ProgressListener.NONE, CancellationToken.none()));
            assertEquals(ErrorCode.MODEL_INVALID, e.code());
            assertTrue(e.getMessage().contains("unet/model.onnx"), e.getMessage());
        }
    }

    @Test
    void aTaskTheEngineCannotDoIsRefusedClearly() throws Exception {
        try (GenerationService service = service(fixtures())) {
            PigmentException e = assertThrows(PigmentException.class, () -> service.run(
                    GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("classic").prompt("x").build(),
                    ProgressListener.NONE, CancellationToken.none()));
            assertEquals(ErrorCode.BAD_REQUEST, e.code());
            assertTrue(e.getMessage().contains("text-to-image"), e.getMessage());
        }
    }

    @Test
    void theCacheEvictsTheLeastRecentlyUsedEngineOverBudget() {
        int[] closed = new int[3];
        try (EngineCache cache = new EngineCache(100)) {
            cache.get("a", 60, () -> engine(closed, 0));
            cache.get("b", 30, () -> engine(closed, 1));
            cache.get("a", 60, () -> engine(closed, 0));
            cache.get("c", 40, () -> engine(closed, 2));
            assertTrue(cache.contains("a") && cache.contains("c") && !cache.contains("b"));
            assertEquals(1, closed[1]);
            assertEquals(0, closed[0]);
        }
        assertEquals(1, closed[0]);
        assertEquals(1, closed[2]);
    }

    private static dev.pigment.core.api.GenerationEngine engine(int[] closed, int index) {
        return new dev.pigment.core.api.GenerationEngine() {
            @Override
            public java.util.Set<Task> supportedTasks() {
                return java.util.Set.of();
            }

            @Override
            public GenerationResult generate(GenerationRequest r, ProgressListener p, CancellationToken c) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
                closed[index]++;
            }
        };
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    void closeDuringARunStopsItInsideOnnxRuntimeAndFailsTheJobAsCancelled() throws Exception {
        Path models = Path.of(System.getProperty(ModelRegistry.HOME_PROPERTY, "."), "models");
        GenerationService service = service(models);
        CountDownLatch denoising = new CountDownLatch(1);
        GenerationService.Job job = service.submit(GenerationRequest.builder(Task.TEXT_TO_IMAGE).model("demo")
                .prompt("red heart").seed(1).steps(200).size(256, 256).build(), p -> {
                    if (p.phase() == Phase.DENOISE) {
                        denoising.countDown();
                    }
                });
        assertTrue(denoising.await(120, TimeUnit.SECONDS), "the job reached denoising");
        service.close();
        CompletionException e = assertThrows(CompletionException.class, () -> job.result().join());
        assertTrue(e.getCause() instanceof CancelledException, String.valueOf(e.getCause()));
    }
}
