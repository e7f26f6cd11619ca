package dev.pigment.core.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Keeps the native libraries that ONNX Runtime's and JNA's Java bindings ship inside their jars in one
 * per-user folder (named by the launcher, see {@link #FOLDER_PROPERTY}), so that a start maps an
 * already-extracted copy instead of inflating them into a new temporary folder every time (ONNX Runtime:
 * 28 MB, about 0.1 s of every cold start; docs/benchmarks.md).
 *
 * <p>A copy is used only when its size and CRC-32 equal those the jar records for the entry, checked at
 * every start (a few ms: the file is read from the page cache the loader maps next anyway); a missing,
 * damaged or other-version copy is extracted again to a private file and moved into place in one step,
 * so a concurrent start never sees half a library. The folder is named after the entries' checksums, so
 * two versions never share one. Whenever anything fails the bindings are left to extract as before.
 */
public final class NativeLibraryCache {
    /**
     * The cache folder; unset (or {@code off}) disables the cache. The {@code ./pigment} launcher sets it;
     * a host application's JVM (ImageJ, Fiji) does not, because the binding properties this class sets
     * are process-wide and another plugin's own ONNX Runtime or JNA of another version would read them too.
     */
    public static final String FOLDER_PROPERTY = "pigment.native.cache";

    private final Path root;

    /** A cache in {@code root}; nothing is written until {@link #extract} is called. */
    public NativeLibraryCache(Path root) {
        this.root = root;
    }

    /** The cache the process uses: the folder {@value #FOLDER_PROPERTY} names; empty when unset or off. */
    public static Optional<NativeLibraryCache> standard() {
        String chosen = System.getProperty(FOLDER_PROPERTY);
        return chosen == null || chosen.isBlank() || chosen.equalsIgnoreCase("off") ? Optional.empty()
                : Optional.of(new NativeLibraryCache(Path.of(chosen)));
    }

    /**
     * Points ONNX Runtime and JNA at verified copies of their libraries, unless the user already chose
     * where they load from. Call before either binding starts; later calls change nothing.
     */
    public static synchronized void useForBindings() {
        Optional<NativeLibraryCache> cache = standard();
        if (cache.isEmpty()) {
            return;
        }
        if (System.getProperty("onnxruntime.native.path") == null
                && System.getProperty("onnxruntime.native.onnxruntime.path") == null) {
            cache.get().extract("onnxruntime", jarOf("ai.onnxruntime.OrtEnvironment"),
                    "ai/onnxruntime/native/" + onnxRuntimePlatform() + "/")
                    .ifPresent(folder -> System.setProperty("onnxruntime.native.path", folder.toString()));
        }
        if (System.getProperty("jna.boot.library.path") == null) {
            cache.get().extract("jna", jarOf("com.sun.jna.Native"), "com/sun/jna/" + jnaPlatform() + "/")
                    .ifPresent(folder -> System.setProperty("jna.boot.library.path", folder.toString()));
        }
    }

    /**
     * Makes sure the cache holds a verified copy of every file directly inside {@code resourceFolder} of
     * {@code jar} (sub-folders such as macOS debug symbols are left out).
     *
     * @return the folder holding the copies; empty when the jar or the folder in it is missing or the
     *         copies could not be written (the caller then lets the binding extract them itself)
     */
    public Optional<Path> extract(String name, Optional<Path> jar, String resourceFolder) {
        if (jar.isEmpty()) {
            return Optional.empty();
        }
        try (ZipFile zip = new ZipFile(jar.get().toFile())) {
            List<ZipEntry> entries = filesIn(zip, resourceFolder);
            if (entries.isEmpty()) {
                return Optional.empty();
            }
            Path folder = root.resolve(name + "-" + fingerprint(entries));
            for (ZipEntry entry : entries) {
                ensureCopy(zip, entry, folder.resolve(fileName(entry)));
            }
            return Optional.of(folder);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True when {@code file} has exactly the size and CRC-32 the jar records for {@code entry}. */
    static boolean matches(Path file, ZipEntry entry) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != entry.getSize()) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            CRC32 crc = new CRC32();
            crc.update(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
            return crc.getValue() == entry.getCrc();
        }
    }

    private static void ensureCopy(ZipFile zip, ZipEntry entry, Path target) throws IOException {
        if (matches(target, entry)) {
            return;
        }
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".partial");
        try {
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            if (!matches(partial, entry)) {
                throw new IOException("extracted " + entry.getName() + " does not match the jar");
            }
            partial.toFile().setExecutable(true);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static List<ZipEntry> filesIn(ZipFile zip, String resourceFolder) {
        List<ZipEntry> found = new ArrayList<>();
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements()) {
            ZipEntry e = all.nextElement();
            String rest = e.getName().startsWith(resourceFolder) ? e.getName().substring(resourceFolder.length()) : "";
            if (!e.isDirectory() && !rest.isEmpty() && rest.indexOf('/') < 0 && e.getSize() >= 0 && e.getCrc() >= 0) {
                found.add(e);
            }
        }
        return found;
    }

    /** Names the folder after the entries' checksums, so a library of another version has its own. */
    private static String fingerprint(List<ZipEntry> entries) {
        CRC32 crc = new CRC32();
        for (ZipEntry e : entries) {
            String line = e.getName() + ":" + e.getSize() + ":" + e.getCrc() + "\n";
            crc.update(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    private static String fileName(ZipEntry entry) {
        return entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
    }

    /** The jar a class comes from, without initialising the class; empty when it is not in a jar file. */
    static Optional<Path> jarOf(String className) {
        try {
            Class<?> c = Class.forName(className, false, NativeLibraryCache.class.getClassLoader());
            CodeSource source = c.getProtectionDomain().getCodeSource();
            Path path = source == null ? null : Path.of(source.getLocation().toURI());
            return path != null && Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
        } catch (ClassNotFoundException | URISyntaxException | RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** ONNX Runtime's name for this platform's folder (its OnnxRuntime.initOsArch). */
    static String onnxRuntimePlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win"
                : os.contains("nux") ? "linux" : "unknown";
        String a = arch.startsWith("amd64") || arch.startsWith("x86_64") ? "x64" : arch;
        return o + "-" + a;
    }

    /** JNA's name for this platform's folder. */
    static String jnaPlatform() {
        return com.sun.jna.Platform.RESOURCE_PREFIX;
    }
}
