package dev.pigment.core.service;

import dev.pigment.core.api.GenerationEngine;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Loaded engines by model id, least recently used first out, within a budget of model bytes on disk
 * (a fair proxy for the memory a loaded model takes). The newest engine always stays, even over budget.
 * Not thread-safe: the service calls it from its one worker at a time.
 */
final class EngineCache implements AutoCloseable {
    private final long budgetBytes;
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    private record Entry(GenerationEngine engine, long bytes) {
    }

    EngineCache(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    GenerationEngine get(String id, long bytes, Supplier<GenerationEngine> loader) {
        Entry e = entries.get(id);
        if (e != null) {
            return e.engine();
        }
        // Make room before loading, so two large models are never resident together when the budget forbids it.
        evictUntil(budgetBytes - bytes);
        GenerationEngine engine = loader.get();
        entries.put(id, new Entry(engine, bytes));
        return engine;
    }

    boolean contains(String id) {
        return entries.containsKey(id);
    }

    long residentBytes() {
        return entries.values().stream().mapToLong(Entry::bytes).sum();
    }

    void evict(String id) {
        Entry e = entries.remove(id);
        if (e != null) {
            e.engine().close();
        }
    }

    private void evictUntil(long target) {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (residentBytes() > Math.max(0, target) && it.hasNext()) {
            Entry e = it.next().getValue();
            it.remove();
            e.engine().close();
        }
    }

    @Override
    public void close() {
        entries.values().forEach(e -> e.engine().close());
        entries.clear();
    }
}
