package dev.pigment.core.runtime;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A model's components (text encoder, UNet, VAE...) under one {@link MemoryPolicy}.
 *
 * <p>With {@link MemoryPolicy#ONE_AT_A_TIME}, {@link #acquire} unloads every other component before
 * loading the requested one, so peak memory is that of the largest component rather than the sum.
 * Callers must therefore not hold on to a component across an {@code acquire} of another one.
 * Small <em>resident</em> components (a tiny preview decoder) are exempt: they are never unloaded
 * by the policy and acquiring them unloads nothing, so a preview between two UNet steps does not
 * force the UNet to load again.
 */
public final class ComponentGroup implements AutoCloseable {
    /** {@code -Dpigment.prefetch=false}: load lazily, for measuring what prefetching saves (docs/benchmarks.md). */
    private static final boolean PREFETCH_OFF = "false".equals(System.getProperty("pigment.prefetch"));

    private final RuntimeOptions options;
    private final Map<String, OnnxComponent> components = new LinkedHashMap<>();
    private final Set<String> resident = new HashSet<>();
    /** Created on the first {@link #prefetch}; one thread, so background loads never compete with each other. */
    private ExecutorService loader;

    public ComponentGroup(RuntimeOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public RuntimeOptions options() {
        return options;
    }

    /** Registers a component; nothing is loaded until {@link #acquire}. */
    public synchronized OnnxComponent add(String name, Path file) {
        Objects.requireNonNull(name, "name");
        if (components.containsKey(name)) {
            throw new IllegalArgumentException("component '" + name + "' is already registered");
        }
        OnnxComponent component = new OnnxComponent(name, file, options);
        components.put(name, component);
        return component;
    }

    /** Registers a small component that stays loaded under every memory policy (see the class comment). */
    public synchronized OnnxComponent addResident(String name, Path file) {
        OnnxComponent component = add(name, file);
        resident.add(name);
        return component;
    }

    public synchronized boolean has(String name) {
        return components.containsKey(name);
    }

    /** The component, loaded; under ONE_AT_A_TIME every other non-resident component is unloaded first. */
    public synchronized OnnxComponent acquire(String name) {
        OnnxComponent wanted = get(name);
        if (options.memoryPolicy() == MemoryPolicy.ONE_AT_A_TIME && !resident.contains(name)) {
            for (Map.Entry<String, OnnxComponent> other : components.entrySet()) {
                if (other.getValue() != wanted && !resident.contains(other.getKey())) {
                    other.getValue().unload();
                }
            }
        }
        // Waits for a background load of this component (prefetch) to finish rather than loading twice.
        wanted.load();
        return wanted;
    }

    /**
     * Starts loading a component on a background thread so that its session creation overlaps other
     * work (the VAE decoder during the denoising steps). Under ONE_AT_A_TIME it does nothing:
     * loading early would hold two large components at once, which that policy exists to avoid.
     * A failure is not reported here; the next {@link #acquire} loads again and reports it.
     *
     * @return completes when the background load has finished (or at once when nothing was started)
     */
    public synchronized CompletableFuture<Void> prefetch(String name) {
        OnnxComponent wanted = get(name);
        if (options.memoryPolicy() == MemoryPolicy.ONE_AT_A_TIME || wanted.isLoaded() || PREFETCH_OFF) {
            return CompletableFuture.completedFuture(null);
        }
        if (loader == null) {
            loader = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "pigment-prefetch");
                t.setDaemon(true);
                return t;
            });
        }
        return CompletableFuture.runAsync(() -> {
            try {
                wanted.load();
            } catch (RuntimeException e) {
                // acquire() loads again in the caller's thread and reports the failure there.
            }
        }, loader);
    }

    private OnnxComponent get(String name) {
        OnnxComponent component = components.get(name);
        if (component == null) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "This model has no '" + name
                    + "' component; it has " + components.keySet() + ". The model folder is incomplete.");
        }
        return component;
    }

    /**
     * The generation has ended (normally or not). Under ONE_AT_A_TIME every non-resident component is
     * unloaded, so an idle model (the bridge's server between jobs) holds none of its sessions, weights
     * or ONNX Runtime arenas; the next generation starts with the text encoder, which would unload the
     * last one used anyway, so this costs no extra load. KEEP_LOADED keeps everything.
     */
    public synchronized void endGeneration() {
        if (options.memoryPolicy() != MemoryPolicy.ONE_AT_A_TIME) {
            return;
        }
        components.forEach((name, component) -> {
            if (!resident.contains(name)) {
                component.unload();
            }
        });
    }

    /** The names of the components that currently hold a session, in registration order. */
    public synchronized List<String> loaded() {
        return components.entrySet().stream().filter(e -> e.getValue().isLoaded()).map(Map.Entry::getKey).toList();
    }

    /** Sessions created so far for this component (0 when it is not registered). */
    public synchronized int sessionsCreated(String name) {
        OnnxComponent c = components.get(name);
        return c == null ? 0 : c.sessionsCreated();
    }

    /** Sum of {@link OnnxComponent#runNanos()} over all components. */
    public synchronized long totalRunNanos() {
        return components.values().stream().mapToLong(OnnxComponent::runNanos).sum();
    }

    /** Ends any run inside ONNX Runtime now (see {@link OnnxComponent#terminateRun}); from any thread. */
    public void terminateRuns() {
        List<OnnxComponent> all;
        synchronized (this) {
            all = List.copyOf(components.values());
        }
        all.forEach(OnnxComponent::terminateRun);
    }

    @Override
    public synchronized void close() {
        if (loader != null) {
            // A running load holds its component's lock, so close() below waits for it to finish.
            loader.shutdownNow();
        }
        for (OnnxComponent component : components.values()) {
            component.close();
        }
    }
}
