package dev.pigment.core.runtime;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's components (text encoder, UNet, VAE...) under one {@link MemoryPolicy}.
 *
 * <p>With {@link MemoryPolicy#ONE_AT_A_TIME}, {@link #acquire} unloads every other component before
 * loading the requested one, so peak memory is that of the largest component rather than the sum.
 * Callers must therefore not hold on to a component across an {@code acquire} of another one.
 */
public final class ComponentGroup implements AutoCloseable {
    private final RuntimeOptions options;
    private final Map<String, OnnxComponent> components = new LinkedHashMap<>();

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

    public synchronized boolean has(String name) {
        return components.containsKey(name);
    }

    /** The component, loaded; under ONE_AT_A_TIME every other component is unloaded first. */
    public synchronized OnnxComponent acquire(String name) {
        OnnxComponent wanted = components.get(name);
        if (wanted == null) {
            throw new PigmentException(ErrorCode.MODEL_INVALID, "This model has no '" + name
                    + "' component; it has " + components.keySet() + ". The model folder is incomplete.");
        }
        if (options.memoryPolicy() == MemoryPolicy.ONE_AT_A_TIME) {
            for (OnnxComponent other : components.values()) {
                if (other != wanted) {
                    other.unload();
                }
            }
        }
        wanted.load();
        return wanted;
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
        for (OnnxComponent component : components.values()) {
            component.close();
        }
    }
}
