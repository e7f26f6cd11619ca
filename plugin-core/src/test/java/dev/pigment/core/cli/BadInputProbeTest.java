package dev.pigment.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.GenerationRequest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile and careless user's probe, kept: each case runs the CLI with one bad value or broken
 * input and asserts the exit code, that the message names the problem (and is no stack trace or
 * "internal error"), and that no file in the working folder was created or changed.
 *
 * <p>{@code {dir}} in an argument stands for the folder holding the fixtures.
 */
class BadInputProbeTest {
    @TempDir
    static Path dir;

    @BeforeEach
    void fixtures() throws IOException {
        if (Files.exists(dir.resolve("in.png"))) {
            return;
        }
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64 * 64; i++) {
            img.setRGB(i % 64, i / 64, (i * 2654435761L % 0xFFFFFF > 0 ? (int) (i * 2654435761L % 0xFFFFFF) : 1));
        }
        ImageIO.write(img, "png", dir.resolve("in.png").toFile());
        BufferedImage mask = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        mask.getRaster().setSample(10, 10, 0, 255);
        ImageIO.write(mask, "png", dir.resolve("mask.png").toFile());
        ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("small-mask.png").toFile());
        byte[] png = Files.readAllBytes(dir.resolve("in.png"));
        Files.write(dir.resolve("truncated.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Files.writeString(dir.resolve("corrupt.png"), "this is not an image at all, only text pretending to be one");
        Files.write(dir.resolve("empty.png"), new byte[0]);
        BombPngs.craftedHeader(dir.resolve("liar.png"), 20000, 20000);
        BombPngs.real(dir.resolve("wide.png"), 8193, 10);
        Files.writeString(dir.resolve("a-file"), "x");
        Files.createDirectories(dir.resolve("models/broken/unet"));
        Files.writeString(dir.resolve("models/broken/model_index.json"), "{ not json");
        Files.createDirectories(dir.resolve("a-folder.png"));
        for (String twin : List.of("Twin", "twin")) {
            Files.createDirectories(dir.resolve("models/" + twin));
            Files.writeString(dir.resolve("models/" + twin + "/model_index.json"), "{}");
        }
    }

    static Stream<Arguments> cases() {
        String big = "x".repeat(GenerationRequest.MAX_PROMPT_CHARS + 1);
        return Stream.of(
                bad("corrupt image", 2, "corrupt.png", "inpaint", "--model", "classic", "--mask", "{dir}/mask.png", "{dir}/corrupt.png"),
                bad("truncated image", 2, "truncated.png", "inpaint", "--model", "classic", "--mask", "{dir}/mask.png", "{dir}/truncated.png"),
                bad("empty image", 2, "empty.png", "restyle", "--model", "classic", "--reference", "{dir}/in.png", "{dir}/empty.png"),
                bad("missing image", 2, "not found", "restyle", "--model", "classic", "--reference", "{dir}/in.png", "{dir}/nope.png"),
                bad("folder as image", 2, "folder", "restyle", "--model", "classic", "--reference", "{dir}/in.png", "{dir}/a-folder.png"),
                bad("header claims 20000x20000", 2, "20000x20000", "restyle", "--model", "classic", "--reference", "{dir}/in.png", "{dir}/liar.png"),
                bad("8193 wide input", 2, "8193x10", "restyle", "--model", "classic", "--reference", "{dir}/wide.png", "{dir}/in.png"),
                bad("mask of another size", 2, "32x32", "inpaint", "--model", "classic", "--mask", "{dir}/small-mask.png", "{dir}/in.png"),
                bad("traversal model id", 2, "../../etc", "generate", "--model", "../../etc", "a cat"),
                bad("unknown model", 3, "nosuchmodel", "generate", "--model", "nosuchmodel", "a cat"),
                bad("ids differing only in case", 2, "'Twin' and 'twin'", "generate", "--models-dir", "{dir}/models",
                        "--model", "TWIN", "a cat"),
                bad("broken model folder", 3, "model_index.json", "generate", "--models-dir", "{dir}/models", "--model", "broken", "a cat"),
                bad("negative threads", 2, "--threads", "generate", "--threads", "-3", "a cat"),
                bad("seed batch past the long range", 2, "seed=9223372036854775807", "generate", "--seed", "9223372036854775807", "--batch", "2", "a cat"),
                bad("seed below -1", 2, "seed=-5", "generate", "--seed", "-5", "a cat"),
                bad("seed beyond long", 2, "9223372036854775808", "generate", "--seed", "9223372036854775808", "a cat"),
                bad("strength NaN", 2, "NaN", "img2img", "--strength", "NaN", "-p", "a cat", "{dir}/in.png"),
                bad("guidance infinite", 2, "Infinity", "generate", "--guidance", "Infinity", "a cat"),
                bad("strength over 1", 2, "strength", "img2img", "--strength", "1.5", "-p", "a cat", "{dir}/in.png"),
                bad("width over the limit", 2, "8193", "generate", "--width", "8193", "a cat"),
                bad("batch 0", 2, "batch", "generate", "--batch", "0", "a cat"),
                bad("upscale 0", 2, "--upscale", "generate", "--upscale", "0", "a cat"),
                bad("prompt over the limit", 2, "4000", "generate", big),
                bad("unknown scheduler", 2, "bogus", "generate", "--scheduler", "bogus", "a cat"),
                bad("unknown output format", 2, ".gif", "generate", "-o", "{dir}/out.gif", "a cat"),
                bad("batch to standard output", 2, "--batch", "generate", "-o", "-", "--batch", "2", "a cat"),
                bad("output below a file", 2, "not a folder", "restyle", "--model", "classic", "--reference", "{dir}/in.png",
                        "-o", "{dir}/a-file/out.png", "{dir}/in.png"),
                bad("output is a folder", 2, "folder", "restyle", "--model", "classic", "--reference", "{dir}/in.png",
                        "-o", "{dir}/a-folder.png", "{dir}/in.png"),
                bad("classic cannot generate", 2, "classic", "generate", "--model", "classic", "a cat"),
                bad("memory policy", 2, "memory policy", "generate", "--memory-policy", "lots", "a cat"));
    }

    private static Arguments bad(String name, int code, String fragment, String... args) {
        return Arguments.of(name, code, fragment, args);
    }

    private static CliRun run(String... args) {
        List<String> resolved = new ArrayList<>();
        for (String a : args) {
            resolved.add(a.replace("{dir}", dir.toString()));
        }
        return CliRun.run(resolved.toArray(String[]::new));
    }

    /** Every file under the folder with a digest of its content and its mode. */
    private static Map<String, String> snapshot() throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String state = Files.isRegularFile(p) ? HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(p))) + " " + Files.getPosixFilePermissions(p) : "dir";
                files.put(dir.relativize(p).toString(), state);
            }
        }
        return files;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsRefusedPlainlyAndTouchesNoFile(String name, int code, String fragment, String[] args) throws Exception {
        Map<String, String> before = snapshot();
        CliRun r = run(args);
        assertEquals(code, r.code(), name + ": " + r.err());
        String err = r.err();
        assertTrue(err.contains(fragment), name + ": the message names '" + fragment + "': " + err);
        assertFalse(err.contains("internal error") || err.contains("\tat ") || err.contains("Exception"), name + ": " + err);
        assertEquals("", r.out(), name);
        assertEquals(before, snapshot(), name + ": no file created or changed");
    }

    @Test
    void modelIdsAreReadInAnyCaseForClassic() {
        CliRun r = run("models", "--check", "CLASSIC");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("classic"), r.out());
    }

    @Test
    void modelIdsAreReadInAnyCaseForADemoModel() throws Exception {
        Path work = Files.createTempDirectory("anycase");
        CliRun upper = run("generate", "--model", "DEMO", "--seed", "4", "--steps", "2", "-q", "-o",
                work.resolve("upper.png").toString(), "a cat");
        assertEquals(0, upper.code(), upper.err());
        CliRun exact = run("generate", "--model", "demo", "--seed", "4", "--steps", "2", "-q", "-o",
                work.resolve("exact.png").toString(), "a cat");
        assertEquals(0, exact.code(), exact.err());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(work.resolve("exact.png")),
                Files.readAllBytes(work.resolve("upper.png"))), "DEMO is the demo model");
    }

    @Test
    void threadsAboveTheCoresAreCappedWithANote() throws Exception {
        Path out = Files.createTempDirectory("threads").resolve("t.png");
        CliRun r = run("generate", "--threads", "1000", "--steps", "1", "--seed", "2", "-q", "-o", out.toString(), "a cat");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("--threads 1000") && r.err().contains("cores"), r.err());
    }

    @Test
    void concurrentRunsGiveTheSamePixelsAsSequentialOnes() throws Exception {
        Path work = Files.createTempDirectory("concurrent");
        String[] names = {"a.png", "b.png", "c.png"};
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<CliRun>> runs = new ArrayList<>();
            for (String n : List.of(names[0], names[1])) {
                runs.add(pool.submit(() -> run("generate", "--seed", "11", "--steps", "3", "-q", "-o",
                        work.resolve(n).toString(), "a red heart")));
            }
            for (java.util.concurrent.Future<CliRun> f : runs) {
                assertEquals(0, f.get().code(), f.get().err());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(0, run("generate", "--seed", "11", "--steps", "3", "-q", "-o", work.resolve(names[2]).toString(),
                "a red heart").code());
        byte[] sequential = Files.readAllBytes(work.resolve(names[2]));
        for (String n : List.of(names[0], names[1])) {
            assertTrue(java.util.Arrays.equals(sequential, Files.readAllBytes(work.resolve(n))), n);
        }
    }
}
