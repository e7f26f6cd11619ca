package dev.pigment.core.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A folder of graphs ONNX Runtime has already optimised, so that loading a model again skips the
 * optimiser and maps the weights instead of reading them.
 *
 * <p>Why: creating a session optimises the graph and copies every initializer into memory; for SD 2.1's
 * 3.46 GB UNet that was 2-4x a plain read of the weights. ONNX Runtime can write the graph it optimised
 * ({@code SessionOptions.setOptimizedModelFilePath}, initializers of 1 KiB and more in an external file);
 * a session from that file with optimisations off memory-maps that file and was 0.26-0.29x a read, with
 * bit-identical outputs (docs/benchmarks.md). The first load writes the entry (a full copy of the weights).
 *
 * <p>An entry is keyed by what the optimised graph depends on: the model file's real path, the size,
 * modification time and file identity of every file in the model's folder (the external weights live
 * there), the ONNX Runtime version, the optimisation level, the device and this CPU (the optimiser writes
 * layouts for the instruction set it runs on). An entry is written into a private temporary folder and
 * renamed into place only once complete, with a record of its files: sizes, a SHA-256 of the graph and a
 * CRC of 64 evenly spread 64 KiB samples of the weights. An entry whose record does not match is deleted
 * and rebuilt, never used; so is one ONNX Runtime refuses to load. A damaged byte that the samples miss is
 * not detected (checking every byte would cost the read the cache saves). Writing an entry replaces the
 * older entries of the same model file. Any failure of the cache falls back to a plain load.
 *
 * <p>CPU sessions only: other providers compile nodes that ONNX Runtime cannot write out.
 */
final class SessionCache {
    /** What a load did, for tests and logs. */
    enum Outcome { PLAIN, FROM_CACHE, WRITTEN }

    /** Makes a fresh set of the session options the component wants (without any cache setting). */
    @FunctionalInterface
    interface OptionsFactory {
        OrtSession.SessionOptions create() throws OrtException;
    }

    /** A session and how it was made. */
    record Loaded(OrtSession session, Outcome outcome) {
    }

    private static final String FORMAT = "pigment-session-cache 1";
    private static final String GRAPH = "model.onnx";
    private static final String DATA = "model.onnx.data";
    private static final String RECORD = "entry.properties";
    private static final int SAMPLES = 64;
    private static final int SAMPLE_BYTES = 64 << 10;
    private static final Duration ABANDONED = Duration.ofHours(6);

    private final Path root;

    SessionCache(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /**
     * A session for {@code model}: from a valid entry when there is one, else from the model itself,
     * writing a new entry on the way when the options allow it.
     *
     * @throws OrtException when ONNX Runtime cannot load the model itself (never because of the cache)
     */
    Loaded load(OrtEnvironment env, Path model, RuntimeOptions options, OptionsFactory factory) throws OrtException {
        if (!options.device().isCpu()) {
            return plain(env, model, factory);
        }
        String descriptor;
        try {
            descriptor = descriptor(model, options);
        } catch (IOException | UncheckedIOException e) {
            return plain(env, model, factory);
        }
        Path entry = root.resolve(sha256(descriptor.getBytes(StandardCharsets.UTF_8)).substring(0, 32));
        if (Files.isDirectory(entry)) {
            if (valid(entry, descriptor)) {
                try (OrtSession.SessionOptions so = factory.create()) {
                    so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
                    return new Loaded(env.createSession(entry.resolve(GRAPH).toString(), so), Outcome.FROM_CACHE);
                } catch (OrtException e) {
                    // ONNX Runtime refused the entry: rebuilt below from the model.
                }
            }
            deleteTree(entry);
        }
        return write(env, model, descriptor, entry, factory);
    }

    private static Loaded plain(OrtEnvironment env, Path model, OptionsFactory factory) throws OrtException {
        try (OrtSession.SessionOptions so = factory.create()) {
            return new Loaded(env.createSession(model.toString(), so), Outcome.PLAIN);
        }
    }

    /** Loads the model while ONNX Runtime writes its optimised graph into a temporary folder, then seals it. */
    private Loaded write(OrtEnvironment env, Path model, String descriptor, Path entry, OptionsFactory factory)
            throws OrtException {
        Path partial = entry.resolveSibling(entry.getFileName() + ".partial-" + UUID.randomUUID());
        OrtSession session;
        try {
            Files.createDirectories(partial);
        } catch (IOException e) {
            return plain(env, model, factory);
        }
        try (OrtSession.SessionOptions so = factory.create()) {
            // ONNX Runtime warns that such a graph is for this machine only: the key holds the CPU for that reason.
            so.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            so.setOptimizedModelFilePath(partial.resolve(GRAPH).toString());
            so.addConfigEntry("session.optimized_model_external_initializers_file_name", DATA);
            so.addConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
            session = env.createSession(model.toString(), so);
        } catch (OrtException e) {
            // The model or the writing failed: a plain load says which, with ONNX Runtime's own message.
            deleteTree(partial);
            return plain(env, model, factory);
        }
        try {
            seal(partial, descriptor);
            Files.move(partial, entry, StandardCopyOption.ATOMIC_MOVE);
            removeOthers(entry);
            return new Loaded(session, Outcome.WRITTEN);
        } catch (IOException | RuntimeException e) {
            // Another process may have put the same entry in place first; either way ours is not needed.
            deleteTree(partial);
            return new Loaded(session, Outcome.PLAIN);
        }
    }

    /** What the optimised graph depends on, one fact per line. */
    static String descriptor(Path model, RuntimeOptions options) throws IOException {
        Path real = model.toRealPath();
        StringBuilder sb = new StringBuilder(FORMAT).append('\n');
        sb.append("source=").append(real).append('\n');
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(real.getParent())) {
            dir.forEach(files::add);
        }
        files.sort(null);
        for (Path f : files) {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            if (a.isRegularFile()) {
                sb.append("file=").append(f.getFileName()).append(" size=").append(a.size())
                        .append(" mtime=").append(a.lastModifiedTime().toMillis())
                        .append(" id=").append(a.fileKey()).append('\n');
            }
        }
        sb.append("onnxruntime=").append(RuntimeInfo.onnxRuntimeVersion()).append('\n');
        sb.append("opt=").append(options.optLevel()).append(" device=").append(options.device().id()).append('\n');
        sb.append("cpu=").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append(' ').append(cpuIdentity()).append('\n');
        return sb.toString();
    }

    /** The model name and instruction-set flags of the first CPU (Linux), hashed: what the optimiser targets. */
    private static String cpuIdentity() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return "unknown";
        }
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            StringBuilder sb = new StringBuilder();
            lines.takeWhile(l -> !l.isBlank())
                    .filter(l -> l.startsWith("model name") || l.startsWith("flags") || l.startsWith("Features")
                            || l.startsWith("CPU part"))
                    .forEach(sb::append);
            return sha256(sb.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }

    private static void seal(Path partial, String descriptor) throws IOException {
        Properties p = new Properties();
        p.setProperty("descriptor", descriptor);
        Path graph = partial.resolve(GRAPH);
        p.setProperty("graph.size", Long.toString(Files.size(graph)));
        p.setProperty("graph.sha256", sha256(Files.readAllBytes(graph)));
        Path data = partial.resolve(DATA);
        if (Files.exists(data)) {
            p.setProperty("data.size", Long.toString(Files.size(data)));
            p.setProperty("data.samples", Long.toString(samples(data)));
        }
        try (var out = Files.newOutputStream(partial.resolve(RECORD))) {
            p.store(out, "Pigment session cache entry: ONNX Runtime's optimised graph of descriptor's source");
        }
    }

    /** Whether the entry is complete, for this descriptor, and its files are what was written. */
    static boolean valid(Path entry, String descriptor) {
        try {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(entry.resolve(RECORD))) {
                p.load(in);
            }
            if (!descriptor.equals(p.getProperty("descriptor"))) {
                return false;
            }
            Path graph = entry.resolve(GRAPH);
            if (Files.size(graph) != Long.parseLong(p.getProperty("graph.size", "-1"))
                    || !sha256(Files.readAllBytes(graph)).equals(p.getProperty("graph.sha256"))) {
                return false;
            }
            Path data = entry.resolve(DATA);
            String size = p.getProperty("data.size");
            if (size == null) {
                return !Files.exists(data);
            }
            return Files.size(data) == Long.parseLong(size)
                    && Long.toString(samples(data)).equals(p.getProperty("data.samples"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** CRC32 of {@link #SAMPLES} blocks spread evenly over the file, its last block included. */
    private static long samples(Path file) throws IOException {
        CRC32 crc = new CRC32();
        try (FileChannel ch = FileChannel.open(file)) {
            long size = ch.size();
            ByteBuffer buf = ByteBuffer.allocate(SAMPLE_BYTES);
            for (int i = 0; i < SAMPLES; i++) {
                long at = Math.max(0, (size - SAMPLE_BYTES) * i / (SAMPLES - 1));
                buf.clear();
                while (buf.hasRemaining() && ch.read(buf, at + buf.position()) > 0) {
                    // reads until the block is full or the file ends
                }
                buf.flip();
                crc.update(buf);
            }
        }
        return crc.getValue();
    }

    /** Deletes the other entries of the same model file, and temporary folders abandoned by dead writers. */
    private void removeOthers(Path keep) {
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root)) {
            for (Path other : dir) {
                if (other.equals(keep) || !Files.isDirectory(other)) {
                    continue;
                }
                if (other.getFileName().toString().contains(".partial-")) {
                    if (Files.getLastModifiedTime(other).toInstant().isBefore(Instant.now().minus(ABANDONED))) {
                        deleteTree(other);
                    }
                } else if (sameSource(other, keep)) {
                    deleteTree(other);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Old entries only cost disk; the next write tries again.
        }
    }

    private static boolean sameSource(Path entry, Path keep) {
        return sourceOf(entry).equals(sourceOf(keep)) && !sourceOf(entry).isEmpty();
    }

    private static String sourceOf(Path entry) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(entry.resolve(RECORD))) {
            p.load(in);
        } catch (IOException e) {
            return "";
        }
        return p.getProperty("descriptor", "").lines().filter(l -> l.startsWith("source=")).findFirst().orElse("");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the next cleanup
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException | UncheckedIOException e) {
            // left for the next cleanup
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
