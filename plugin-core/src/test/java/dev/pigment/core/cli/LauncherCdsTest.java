package dev.pigment.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archive (issue 13): recorded by a generation (or PIGMENT_CDS=record, as the
 * build does), and a truncated archive, which crashes JDK 17 at start, is never used. Runs the real
 * {@code ./pigment} script on a copy of the layout it expects, with a one-class jar.
 */
class LauncherCdsTest {

    /** The jar's main class: says it ran, with its arguments. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("probe " + String.join(" ", args));
            System.out.println("jvm " + String.join(" ",
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        }
    }

    private static Path layout(Path root) throws IOException {
        Path launcher = Path.of(System.getProperty("user.dir")).getParent().resolve("pigment");
        Files.copy(launcher, root.resolve("pigment"));
        root.resolve("pigment").toFile().setExecutable(true);
        Path jar = Files.createDirectories(root.resolve("plugin-core/target")).resolve("pigment-core-9.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Probe.class.getName());
        String entry = Probe.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out, manifest);
             InputStream in = Probe.class.getClassLoader().getResourceAsStream(entry)) {
            jos.putNextEntry(new JarEntry(entry));
            in.transferTo(jos);
        }
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        return jar.resolveSibling("pigment-core-9.jsa");
    }

    private static String run(Path root, Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("pigment").toString()).redirectErrorStream(true);
        pb.command().addAll(List.of(args));
        pb.environment().remove("PIGMENT_CDS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "the launcher must run whatever the archive's state: " + out);
        return out;
    }

    private static long recordedSize(Path cds) throws IOException {
        assertTrue(Files.size(cds) > 0, "archive recorded");
        long size = Long.parseLong(Files.readString(cds.resolveSibling(cds.getFileName() + ".size")).trim());
        assertEquals(Files.size(cds), size, "the size file matches the archive");
        return size;
    }

    @Test
    void aGenerationRecordsTheArchiveAndATruncatedOneIsNeverUsed(@TempDir Path root) throws Exception {
        Path cds = layout(root);
        assertTrue(run(root, Map.of(), "generate", "x").contains("probe generate x"));
        long size = recordedSize(cds);

        // Truncated in place (a full disk, a copy cut short): JDK 17 would abort at start with it.
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(cds), 4096);
        cds.toFile().setWritable(true);
        Files.write(cds, head);
        assertTrue(run(root, Map.of(), "generate", "y").contains("probe generate y"));
        assertEquals(size, recordedSize(cds), "recorded again, whole");
        assertTrue(run(root, Map.of(), "generate", "z").contains("probe generate z"), "the whole archive is used");

        // Damaged in place, same size (measured: JDK 17 crashes on it unless it checks the archive's checksums).
        cds.toFile().setWritable(true);
        byte[] damaged = Files.readAllBytes(cds);
        for (int i = 64; i < damaged.length; i += 4096) {
            damaged[i] ^= 0x5a;
        }
        Files.write(cds, damaged);
        String out = run(root, Map.of(), "generate", "w");
        assertTrue(out.contains("probe generate w") && jvmFlags(out).contains("-XX:SharedArchiveFile="), out);
    }

    @Test
    void recordModeWritesTheArchiveAsTheBuildDoes(@TempDir Path root) throws Exception {
        Path cds = layout(root);
        assertTrue(run(root, Map.of("PIGMENT_CDS", "record"), "generate", "b").contains("probe generate b"));
        recordedSize(cds);
        Files.delete(cds);
        assertTrue(run(root, Map.of("PIGMENT_CDS", "0"), "generate", "c").contains("probe generate c"));
        assertTrue(Files.notExists(cds), "PIGMENT_CDS=0 records nothing");
    }

    /** The JVM flags the launcher gave the probe. */
    private static String jvmFlags(String out) {
        return out.lines().filter(l -> l.startsWith("jvm ")).findFirst().orElseThrow();
    }

    @Test
    void oneShotCommandsGetTheClientJitAndTheServerKeepsTheFullOne(@TempDir Path root) throws Exception {
        layout(root);
        Map<String, String> noArchive = Map.of("PIGMENT_CDS", "0");
        for (String command : List.of("generate", "inpaint", "models", "--version")) {
            assertTrue(jvmFlags(run(root, noArchive, command)).contains("-XX:TieredStopAtLevel=1"), command);
        }
        assertTrue(jvmFlags(run(root, Map.of(), "generate", "x")).contains("-XX:TieredStopAtLevel=1"), "recording run");
        assertTrue(jvmFlags(run(root, Map.of(), "generate", "y")).contains("-XX:TieredStopAtLevel=1"), "archive run");
        String cache = jvmFlags(run(root, Map.of("PIGMENT_CDS", "0", "XDG_CACHE_HOME", root.resolve("c").toString()),
                "generate"));
        assertTrue(cache.contains("-Dpigment.native.cache=" + root.resolve("c/pigment/native")), cache);
        String serve = jvmFlags(run(root, noArchive, "serve", "--port", "0"));
        assertTrue(serve.contains("-Dpigment.home=") && !serve.contains("TieredStopAtLevel"), serve);
        String chosen = jvmFlags(run(root, Map.of("PIGMENT_CDS", "0", "PIGMENT_JAVA_OPTS", "-XX:TieredStopAtLevel=4"),
                "generate"));
        assertTrue(chosen.indexOf("-XX:TieredStopAtLevel=4") > chosen.indexOf("-XX:TieredStopAtLevel=1"),
                "the user's setting comes last and wins: " + chosen);
    }

    /** A JDK 25+ installation's bin folder on this machine (JAVA_VERSION in its release file), if any. */
    private static java.util.Optional<Path> jdk25Bin() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return java.util.Optional.empty();
        }
        try (var homes = Files.list(jvms)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")) && major(h) >= 25)
                    .map(h -> h.resolve("bin")).findFirst();
        }
    }

    private static int major(Path javaHome) {
        try {
            String v = Files.readAllLines(javaHome.resolve("release")).stream()
                    .filter(l -> l.startsWith("JAVA_VERSION=")).findFirst().orElse("JAVA_VERSION=\"0\"");
            return Integer.parseInt(v.replaceAll("^JAVA_VERSION=\"?(\\d+).*", "$1"));
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    @Test
    void onJdk25TheLauncherRecordsAndUsesAnAotCacheAndIgnoresABadOne(@TempDir Path root) throws Exception {
        java.util.Optional<Path> bin = jdk25Bin();
        org.junit.jupiter.api.Assumptions.assumeTrue(bin.isPresent(), "no JDK 25+ in /usr/lib/jvm: AOT cache not tested");
        Path aot = layout(root).resolveSibling("pigment-core-9.aot");
        Map<String, String> env = Map.of("PATH", bin.get() + ":" + System.getenv("PATH"));

        String recording = run(root, env, "generate", "a");
        assertTrue(recording.contains("probe generate a") && jvmFlags(recording).contains("-XX:AOTMode=record"), recording);
        recordedSize(aot);
        assertTrue(Files.notExists(aot.resolveSibling("pigment-core-9.jsa")), "no AppCDS archive on JDK 25");
        String using = jvmFlags(run(root, env, "generate", "b"));
        assertTrue(using.contains("-XX:AOTCache=" + aot) && using.contains("--enable-native-access=ALL-UNNAMED"), using);

        // A cache whose size differs from the recorded one is not used but recorded again.
        aot.toFile().setWritable(true);
        Files.write(aot, java.util.Arrays.copyOf(Files.readAllBytes(aot), 4096));
        assertTrue(jvmFlags(run(root, env, "generate", "c")).contains("-XX:AOTMode=record"));
        assertTrue(recordedSize(aot) > 4096, "recorded again, whole (its size varies by a page between recordings)");

        // Damaged inside with the right size: JDK 25 checks the cache and runs without it, it never crashes.
        aot.toFile().setWritable(true);
        byte[] damaged = Files.readAllBytes(aot);
        for (int i = 64; i < damaged.length; i += 4096) {
            damaged[i] ^= 0x5a;
        }
        Files.write(aot, damaged);
        String out = run(root, env, "generate", "d");
        assertTrue(out.contains("probe generate d") && jvmFlags(out).contains("-XX:AOTCache="), out);
    }
}
