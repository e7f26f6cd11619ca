package dev.pigment.core.runtime;

import dev.pigment.core.bench.TaesdWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimised-graph cache ({@link SessionCache}) through {@link OnnxComponent}, on a small decoder with
 * external weights run by the real ONNX Runtime: a cached load gives the same bits as a plain one, and an
 * entry that is stale or damaged is rebuilt, never used.
 */
class SessionCacheTest {
    private static final RuntimeOptions PLAIN = new RuntimeOptions(1, 1, OptLevel.ALL_OPT, MemoryPolicy.KEEP_LOADED);

    @TempDir
    Path dir;

    private Path model() throws IOException {
        Path file = dir.resolve("model/vae_decoder_tiny/model.onnx");
        if (!Files.exists(file)) {
            TaesdWriter.write(file, 4, 8, 1, 1, 7);
        }
        return file;
    }

    private Path cache() {
        return dir.resolve("cache");
    }

    /** Loads the model with the options, runs it once; returns the output's bits and how it loaded. */
    private Result run(RuntimeOptions options) throws IOException {
        try (OnnxComponent c = new OnnxComponent("vae_decoder_tiny", model(), options)) {
            c.load();
            float[] latents = new float[4 * 8 * 8];
            for (int i = 0; i < latents.length; i++) {
                latents[i] = (float) Math.sin(i * 0.37);
            }
            Tensor out = c.run(Map.of("latent_sample", Tensor.ofFloats(latents, 1, 4, 8, 8))).values().iterator().next();
            return new Result(c.lastLoad(), out.floats());
        }
    }

    private record Result(SessionCache.Outcome outcome, float[] output) {
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> s = Files.list(cache())) {
            return s.toList();
        }
    }

    @Test
    void aCachedLoadGivesBitIdenticalOutputs() throws IOException {
        RuntimeOptions cached = PLAIN.withSessionCache(cache());
        Result plain = run(PLAIN);
        Result first = run(cached);
        Result second = run(cached);
        assertEquals(SessionCache.Outcome.PLAIN, plain.outcome());
        assertEquals(SessionCache.Outcome.WRITTEN, first.outcome());
        assertEquals(SessionCache.Outcome.FROM_CACHE, second.outcome());
        assertArrayEquals(plain.output(), first.output());
        assertArrayEquals(plain.output(), second.output(), "a cached load must give the same bits");
        List<Path> entries = entries();
        assertEquals(1, entries.size(), entries.toString());
        assertTrue(Files.size(entries.get(0).resolve("model.onnx.data")) > 0, "weights are kept outside the graph");
    }

    @Test
    void aDamagedEntryIsRebuiltNeverUsed() throws IOException {
        RuntimeOptions cached = PLAIN.withSessionCache(cache());
        float[] expected = run(PLAIN).output();
        run(cached);
        Path entry = entries().get(0);
        // A flipped weight (the first block is always sampled), a truncated graph, a missing record.
        try (FileChannel ch = FileChannel.open(entry.resolve("model.onnx.data"), StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), 0);
        }
        assertRebuilt(cached, expected);
        entry = entries().get(0);
        byte[] graph = Files.readAllBytes(entry.resolve("model.onnx"));
        Files.write(entry.resolve("model.onnx"), java.util.Arrays.copyOf(graph, graph.length / 2));
        assertRebuilt(cached, expected);
        Files.delete(entries().get(0).resolve("entry.properties"));
        assertRebuilt(cached, expected);
        assertEquals(SessionCache.Outcome.FROM_CACHE, run(cached).outcome());
    }

    private void assertRebuilt(RuntimeOptions cached, float[] expected) throws IOException {
        Result r = run(cached);
        assertEquals(SessionCache.Outcome.WRITTEN, r.outcome(), "a damaged entry must be rebuilt, not used");
        assertArrayEquals(expected, r.output());
        assertEquals(1, entries().size());
    }

    @Test
    void aChangedModelGetsANewEntryAndTheOldOneGoes() throws IOException {
        RuntimeOptions cached = PLAIN.withSessionCache(cache());
        run(cached);
        Path old = entries().get(0);
        // New weights in place (same size, as a re-export would write): the key sees the new time.
        Path weights = model().resolveSibling("weights.pb");
        Files.setLastModifiedTime(weights, FileTime.fromMillis(Files.getLastModifiedTime(weights).toMillis() + 5000));
        assertEquals(SessionCache.Outcome.WRITTEN, run(cached).outcome());
        List<Path> entries = entries();
        assertEquals(1, entries.size());
        assertTrue(!entries.get(0).equals(old), "the stale entry is replaced");
    }

    @Test
    void anUnusableCacheFolderFallsBackToAPlainLoad() throws IOException {
        Files.writeString(cache(), "not a folder");
        Result r = run(PLAIN.withSessionCache(cache()));
        assertEquals(SessionCache.Outcome.PLAIN, r.outcome());
        assertArrayEquals(run(PLAIN).output(), r.output());
    }
}
