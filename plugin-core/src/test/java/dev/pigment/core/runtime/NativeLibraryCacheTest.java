package dev.pigment.core.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native-library cache (issue 13): copies are used only when they match the jar, a damaged or
 * truncated one is extracted again, and nothing breaks when the cache cannot be written.
 */
class NativeLibraryCacheTest {
    private static final String FOLDER = "ai/native/linux-x64/";

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Path jar(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    private static Map<String, byte[]> libraries(long seed) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put(FOLDER + "libmain.so", bytes(300_000, seed));
        m.put(FOLDER + "libjni.so", bytes(20_000, seed + 1));
        m.put(FOLDER + "libmain.so.dSYM/Contents/Info.plist", bytes(100, seed + 2)); // sub-folder: left out
        m.put("ai/native/win-x64/main.dll", bytes(1000, seed + 3)); // another platform: left out
        return m;
    }

    @Test
    void extractsOnceAndReplacesADamagedOrTruncatedCopy(@TempDir Path dir) throws Exception {
        Map<String, byte[]> content = libraries(1);
        Path jar = jar(dir.resolve("lib.jar"), content);
        NativeLibraryCache cache = new NativeLibraryCache(dir.resolve("cache"));

        Path folder = cache.extract("lib", Optional.of(jar), FOLDER).orElseThrow();
        Path main = folder.resolve("libmain.so");
        Path jni = folder.resolve("libjni.so");
        assertArrayEquals(content.get(FOLDER + "libmain.so"), Files.readAllBytes(main));
        assertArrayEquals(content.get(FOLDER + "libjni.so"), Files.readAllBytes(jni));
        try (var listing = Files.list(folder)) {
            assertEquals(2, listing.count(), "only the folder's own files, no sub-folders, no leftovers");
        }

        // A good copy is used as it is, not written again.
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(jni, old);
        Files.setLastModifiedTime(main, old);
        assertEquals(folder, cache.extract("lib", Optional.of(jar), FOLDER).orElseThrow());
        assertEquals(old, Files.getLastModifiedTime(jni));

        // Same size, one byte changed: caught by the checksum.
        byte[] damaged = Files.readAllBytes(main);
        damaged[damaged.length / 2] ^= 1;
        Files.write(main, damaged);
        assertEquals(folder, cache.extract("lib", Optional.of(jar), FOLDER).orElseThrow());
        assertArrayEquals(content.get(FOLDER + "libmain.so"), Files.readAllBytes(main));
        assertEquals(old, Files.getLastModifiedTime(jni), "the intact library is left alone");

        // Cut short (a full disk, an interrupted copy): caught by the size.
        Files.write(main, Arrays.copyOf(damaged, 4096));
        cache.extract("lib", Optional.of(jar), FOLDER).orElseThrow();
        assertArrayEquals(content.get(FOLDER + "libmain.so"), Files.readAllBytes(main));
    }

    @Test
    void anotherVersionGetsItsOwnFolder(@TempDir Path dir) throws Exception {
        NativeLibraryCache cache = new NativeLibraryCache(dir.resolve("cache"));
        Path a = cache.extract("lib", Optional.of(jar(dir.resolve("a.jar"), libraries(1))), FOLDER).orElseThrow();
        Path b = cache.extract("lib", Optional.of(jar(dir.resolve("b.jar"), libraries(7))), FOLDER).orElseThrow();
        assertNotEquals(a, b);
        try (ZipFile zip = new ZipFile(dir.resolve("a.jar").toFile())) {
            assertTrue(NativeLibraryCache.matches(a.resolve("libmain.so"), zip.getEntry(FOLDER + "libmain.so")),
                    "version a's copy is still intact");
        }
    }

    @Test
    void nothingToUseWhenTheJarTheFolderOrTheCacheIsMissing(@TempDir Path dir) throws Exception {
        Path jar = jar(dir.resolve("lib.jar"), libraries(1));
        NativeLibraryCache cache = new NativeLibraryCache(dir.resolve("cache"));
        assertTrue(cache.extract("lib", Optional.empty(), FOLDER).isEmpty());
        assertTrue(cache.extract("lib", Optional.of(dir.resolve("none.jar")), FOLDER).isEmpty());
        assertTrue(cache.extract("lib", Optional.of(jar), "ai/native/osx-aarch64/").isEmpty());

        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        assertTrue(new NativeLibraryCache(notAFolder).extract("lib", Optional.of(jar), FOLDER).isEmpty(),
                "an unwritable cache leaves the binding to extract as before");
    }

    @Test
    void theOnnxRuntimeJarHasThisPlatformsFolder(@TempDir Path dir) throws Exception {
        // Guards the folder name copied from ONNX Runtime's loader: a rename there would silently disable the cache.
        Path jar = NativeLibraryCache.jarOf("ai.onnxruntime.OrtEnvironment").orElseThrow();
        Path folder = new NativeLibraryCache(dir).extract("onnxruntime", Optional.of(jar),
                "ai/onnxruntime/native/" + NativeLibraryCache.onnxRuntimePlatform() + "/").orElseThrow();
        assertTrue(Files.size(folder.resolve(System.mapLibraryName("onnxruntime"))) > 1_000_000);
        assertTrue(Files.isRegularFile(folder.resolve(System.mapLibraryName("onnxruntime4j_jni"))));
        Path jna = NativeLibraryCache.jarOf("com.sun.jna.Native").orElseThrow();
        assertFalse(new NativeLibraryCache(dir).extract("jna", Optional.of(jna),
                "com/sun/jna/" + NativeLibraryCache.jnaPlatform() + "/").isEmpty());
    }

    /** A fresh JVM running the real CLI: a demo generation, with the library loading logged. */
    private static String generate(Path cache, Path png) throws Exception {
        String javaExe = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaExe, "-Xlog:library=info", "-Dai.djl.offline=true",
                "-Dpigment.home=" + System.getProperty("pigment.home"), "-D" + NativeLibraryCache.FOLDER_PROPERTY + "=" + cache,
                "-cp", System.getProperty("java.class.path"), "dev.pigment.core.cli.PigmentCli",
                "generate", "--model", "demo", "-q", "--seed", "7", "-o", png.toString(), "apple")
                .redirectErrorStream(true);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void theCliLoadsOnnxRuntimeFromTheCacheAndRepairsIt(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        String first = generate(cache, dir.resolve("a.png"));
        Path lib;
        try (var folders = Files.list(cache)) {
            lib = folders.filter(f -> f.getFileName().toString().startsWith("onnxruntime-")).findFirst().orElseThrow()
                    .resolve(System.mapLibraryName("onnxruntime"));
        }
        assertTrue(first.contains("Loaded library " + lib), "ONNX Runtime mapped from the cache: " + first);

        byte[] damaged = Files.readAllBytes(lib);
        damaged[damaged.length / 3] ^= 0x55;
        Files.write(lib, damaged);
        String second = generate(cache, dir.resolve("b.png"));
        assertTrue(second.contains("Loaded library " + lib), second);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.png")), Files.readAllBytes(dir.resolve("b.png")),
                "same image from the repaired library");
        try (ZipFile zip = new ZipFile(NativeLibraryCache.jarOf("ai.onnxruntime.OrtEnvironment").orElseThrow().toFile())) {
            assertTrue(NativeLibraryCache.matches(lib, zip.getEntry("ai/onnxruntime/native/"
                    + NativeLibraryCache.onnxRuntimePlatform() + "/" + lib.getFileName())), "the damaged copy was replaced");
        }
    }
}
