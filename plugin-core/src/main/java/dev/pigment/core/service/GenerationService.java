package dev.pigment.core.service;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.GenerationEngine;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.Phase;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Progress;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.classic.ClassicEngine;
import dev.pigment.core.model.ModelComponent;
import dev.pigment.core.model.ModelFamily;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.pipeline.LatentDiffusionPipeline;
import dev.pigment.core.runtime.RuntimeOptions;
import dev.pigment.core.sched.Schedulers;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one entry point every front end uses: a single queue (jobs run one at a time, in order), a
 * cache of loaded models within a memory budget, and cancellation of running or queued jobs.
 */
public final class GenerationService implements AutoCloseable {
    private final ModelRegistry registry;
    private final RuntimeOptions runtimeOptions;
    private final MemoryGuard memoryGuard;
    private final EngineCache cache;
    private final ExecutorService worker;
    private final AtomicLong jobIds = new AtomicLong();
    /** Jobs submitted and not yet finished, so a new job can say how many are ahead of it. */
    private final AtomicInteger pending = new AtomicInteger();
    /** Tokens of jobs queued or running, so close() can stop them instead of pulling models from under them. */
    private final java.util.Set<CancellationToken> active = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param memoryBudgetBytes how many bytes of models may stay loaded between jobs; the least recently
     *                          used model is closed first when a new one would exceed it
     */
    public GenerationService(ModelRegistry registry, RuntimeOptions runtimeOptions, long memoryBudgetBytes) {
        this(registry, runtimeOptions, memoryBudgetBytes, MemoryGuard.forThisMachine());
    }

    /** @param memoryGuard refuses jobs that would not fit in memory, before anything is loaded */
    public GenerationService(ModelRegistry registry, RuntimeOptions runtimeOptions, long memoryBudgetBytes,
                             MemoryGuard memoryGuard) {
        this.memoryGuard = memoryGuard;
        this.registry = registry;
        this.runtimeOptions = runtimeOptions;
        this.cache = new EngineCache(memoryBudgetBytes);
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pigment-generation");
            t.setDaemon(true);
            // DJL finds engines and its native-library descriptors (tokenizers.properties) through the
            // context class loader; inside ImageJ only the plugin's own loader can see those jars.
            t.setContextClassLoader(GenerationService.class.getClassLoader());
            return t;
        });
    }

    /**
     * The JVM's maximum heap, at least 1 GiB: ONNX Runtime's memory is native, but a user who gave Java
     * more memory has more to spare for models too.
     */
    public static long defaultBudget() {
        return Math.max(1L << 30, Runtime.getRuntime().maxMemory());
    }

    public ModelRegistry registry() {
        return registry;
    }

    public List<ModelInfo> models() {
        return registry.list();
    }

    /**
     * What every model can do, its recommended settings, the schedulers and the request limits, read from the
     * model folders without loading any model.
     */
    public Capabilities capabilities() {
        List<Capabilities.ModelCapabilities> list = models().stream()
                .map(m -> new Capabilities.ModelCapabilities(m.id(), m.displayName(), m.family(), tasksOf(m),
                        m.recommended(), schedulersOf(m)))
                .toList();
        return new Capabilities(list, Schedulers.ids(), Capabilities.Limits.REQUEST);
    }

    /** The scheduler ids the model's denoiser accepts (its family's list), in {@link Schedulers#ids()} order. */
    static List<String> schedulersOf(ModelInfo model) {
        return Schedulers.ids().stream().filter(model.family().schedulers()::contains).toList();
    }

    /** The tasks the engine {@link #load}ed for this model would support, decided from its files alone. */
    static Set<Task> tasksOf(ModelInfo model) {
        return switch (model.family()) {
            case CLASSIC -> EnumSet.of(Task.INPAINT, Task.RESTYLE);
            case STABLE_DIFFUSION, FLOW_MATCH_DIT -> model.hasComponent(ModelComponent.VAE_ENCODER)
                    ? EnumSet.allOf(Task.class) : EnumSet.of(Task.TEXT_TO_IMAGE);
        };
    }

    /** A queued or running job. */
    public record Job(long id, GenerationRequest request, CancellationToken cancellation,
                      CompletableFuture<GenerationResult> result) {
        public void cancel() {
            cancellation.cancel();
        }
    }

    /**
     * Queues a job; it runs after every job submitted before it. Its future fails with a PigmentException.
     * The listener first hears {@link Progress#queued(int)} with the number of jobs ahead, on the calling thread.
     */
    public Job submit(GenerationRequest request, ProgressListener progress) {
        CancellationToken token = new CancellationToken();
        CompletableFuture<GenerationResult> future = new CompletableFuture<>();
        Job job = new Job(jobIds.incrementAndGet(), request, token, future);
        progress.onProgress(Progress.queued(pending.getAndIncrement()));
        try {
            worker.execute(() -> {
                try {
                    token.throwIfCancelled();
                    future.complete(execute(request, progress, token));
                } catch (Throwable t) {
                    future.completeExceptionally(t);
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.decrementAndGet();
            future.completeExceptionally(new PigmentException(ErrorCode.CANCELLED, "The service is shutting down."));
        }
        return job;
    }

    /** Runs a job on the calling thread, after any queued ones; blocks until done. */
    public GenerationResult run(GenerationRequest request, ProgressListener progress, CancellationToken cancel) {
        CompletableFuture<GenerationResult> f = CompletableFuture.supplyAsync(() -> execute(request, progress, cancel), worker);
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private GenerationResult execute(GenerationRequest request, ProgressListener progress, CancellationToken cancel) {
        active.add(cancel);
        try {
            cancel.throwIfCancelled();
            checkMemory(request);
            Loaded loaded = engineFor(request.modelId(), progress);
            GenerationEngine engine = loaded.engine();
            cancel.throwIfCancelled();
            if (!engine.supportedTasks().contains(request.task())) {
                throw PigmentException.badRequest("Model '" + request.modelId() + "' cannot do " + request.task().id()
                        + "; it supports " + engine.supportedTasks().stream().map(t -> t.id()).toList() + ".");
            }
            GenerationResult result;
            try (CancellationToken.Registration stop = cancel.whenCancelled(engine::terminateNativeWork)) {
                result = engine.generate(request, progress, cancel);
            }
            // a cancel that came during the last decode or with the last event: the caller must not get
            // a result it would write after the user said stop
            cancel.throwIfCancelled();
            return loaded.loadTime() == null ? result : withLoadTime(result, loaded.loadTime());
        } catch (OutOfMemoryError e) {
            cache.close();
            throw new PigmentException(ErrorCode.OUT_OF_MEMORY, "Out of memory while generating "
                    + request.widthOr(0) + "x" + request.heightOr(0) + ": use a smaller size or batch, or the"
                    + " one-at-a-time memory policy (--memory-policy one-at-a-time).");
        } finally {
            active.remove(cancel);
        }
    }

    private static GenerationResult withLoadTime(GenerationResult result, Duration load) {
        Map<String, Duration> timings = new LinkedHashMap<>();
        timings.put(Phase.LOAD.id(), load);
        timings.putAll(result.timings());
        return new GenerationResult(result.images(), timings, result.provenance(), result.notes());
    }

    /** An engine, and how long loading it took; null when it came from the cache. */
    private record Loaded(GenerationEngine engine, Duration loadTime) {
    }

    /** The model's engine from the cache, else loaded between two {@link Phase#LOAD} events. */
    private Loaded engineFor(String modelId, ProgressListener progress) {
        boolean classic = ModelRegistry.CLASSIC_ID.equalsIgnoreCase(modelId.trim());
        ModelInfo model = classic ? null : registry.resolve(modelId);
        String id = classic ? ModelRegistry.CLASSIC_ID : model.id();
        if (cache.contains(id)) {
            return new Loaded(cache.get(id, 0, () -> {
                throw new IllegalStateException("cached engine vanished: " + id);
            }), null);
        }
        long t0 = System.nanoTime();
        progress.onProgress(Progress.of(Phase.LOAD, 0, 1));
        // Every engine is wrapped: edits at the model's working size, composited only inside the mask.
        GenerationEngine engine = classic ? cache.get(id, 0, () -> new EditingEngine(new ClassicEngine(), null))
                : cache.get(id, model.sizeBytes(), () -> new EditingEngine(load(model), workingSize(model)));
        progress.onProgress(Progress.of(Phase.LOAD, 1, 1));
        return new Loaded(engine, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Refuses a model job that would not fit in memory, before its model is loaded. */
    private void checkMemory(GenerationRequest request) {
        if (ModelRegistry.CLASSIC_ID.equals(request.modelId())) {
            return;
        }
        ModelInfo model = registry.resolve(request.modelId());
        if (model.isClassic()) {
            return;
        }
        memoryGuard.check(model, runtimeOptions.memoryPolicy(), cache.contains(model.id()), request,
                EditingEngine.runSize(request, workingSize(model)));
    }

    /** The model's working resolution: its recommended size (pigment.json, else the UNet's trained size). */
    static EditingEngine.WorkingSize workingSize(ModelInfo model) {
        return new EditingEngine.WorkingSize(model.recommended().width(), model.recommended().height());
    }

    /** The one family switch of the service: exhaustive, so a new family without an engine does not compile. */
    private GenerationEngine load(ModelInfo model) {
        return switch (model.family()) {
            case STABLE_DIFFUSION, FLOW_MATCH_DIT -> new LatentDiffusionPipeline(model, runtimeOptions);
            case CLASSIC -> new ClassicEngine();
        };
    }

    @Override
    public void close() {
        active.forEach(CancellationToken::cancel);
        worker.shutdownNow();
        try {
            // Let a running job notice the cancellation before its models are closed under it.
            worker.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cache.close();
    }
}
