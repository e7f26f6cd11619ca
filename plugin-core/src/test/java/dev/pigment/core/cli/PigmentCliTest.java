package dev.pigment.core.cli;

import static dev.pigment.core.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.image.Mask;
import dev.pigment.core.image.PngFiles;
import dev.pigment.core.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PigmentCliTest {
    @TempDir
    Path dir;

    private static Path models() throws Exception {
        return Path.of(PigmentCliTest.class.getResource("/models").toURI());
    }

    @Test
    void generateWritesAPngWithParametersAndPrintsItsPath() throws Exception {
        Path out = dir.resolve("a.png");
        CliRun r = run("generate", "--models-dir", models().toString(), "--model", "tiny-sd", "--seed", "5", "--steps", "3",
                "-o", out.toString(), "--upscale", "2", "a", "red", "apple");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(out.toAbsolutePath().toString()), r.out());
        assertTrue(r.out().contains("seed 5"), r.out());
        assertEquals(128, PngFiles.read(out).getWidth());
        assertEquals(64, PngFiles.read(dir.resolve("a-raw.png")).getWidth());
        String params = PngFiles.readText(out).get("parameters");
        assertTrue(params.startsWith("a red apple\n"), params);
        assertTrue(params.contains("Steps: 3") && params.contains("Seed: 5") && params.contains("Model: tiny-sd"), params);
        assertTrue(r.err().contains("denoise"), "progress bar on stderr");

        Path again = dir.resolve("b.png");
        assertEquals(0, run("generate", "--models-dir", models().toString(), "--model", "tiny-sd", "--seed", "5",
                "--steps", "3", "-q", "-o", again.toString(), "a red apple").code());
        assertEquals(RgbImage.fromBufferedImage(PngFiles.read(dir.resolve("a-raw.png"))),
                RgbImage.fromBufferedImage(PngFiles.read(again)), "same seed, same pixels through the CLI");
    }

    @Test
    void badArgumentsGiveOneLineAndExitCodeTwo() {
        CliRun unknown = run("generate", "--no-such-flag");
        assertEquals(2, unknown.code());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());

        CliRun badNumber = run("generate", "--steps", "many");
        assertEquals(2, badNumber.code());
        assertTrue(badNumber.err().contains("many"), badNumber.err());

        CliRun outOfRange = run("generate", "--steps", "100000", "x");
        assertEquals(2, outOfRange.code());
        assertTrue(outOfRange.err().contains("steps=100000"), outOfRange.err());
        assertEquals(1, outOfRange.err().strip().lines().count(), outOfRange.err());

        CliRun noCommand = run();
        assertEquals(2, noCommand.code());
    }

    @Test
    void missingInputAndMaskSizeMismatchAreClearErrors() throws Exception {
        CliRun missing = run("img2img", "--model", "classic", dir.resolve("nope.png").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("not found"), missing.err());

        Path in = dir.resolve("in.png");
        Path mask = dir.resolve("mask.png");
        PngFiles.write(RgbImage.filled(40, 30, 0.2f, 0.4f, 0.6f).toBufferedImage(), in, Map.of());
        PngFiles.write(Mask.full(20, 30).toBufferedImage(), mask, Map.of());
        Path out = dir.resolve("out.png");
        CliRun mismatch = run("inpaint", "--models-dir", models().toString(), "--model", "tiny-sd", "--mask", mask.toString(),
                in.toString(), "-o", out.toString());
        assertEquals(2, mismatch.code());
        assertTrue(mismatch.err().contains("20x30") && mismatch.err().contains("40x30"), mismatch.err());
        assertFalse(Files.exists(out), "nothing written on error");
    }

    @Test
    void classicInpaintAndRestyleWorkWithNoModelInstalled() throws Exception {
        Path in = dir.resolve("in.png");
        Path mask = dir.resolve("mask.png");
        Path ref = dir.resolve("ref.png");
        RgbImage src = RgbImage.filled(48, 40, 0.2f, 0.5f, 0.3f).paste(RgbImage.filled(10, 10, 1f, 0f, 1f), 20, 15);
        PngFiles.write(src.toBufferedImage(), in, Map.of());
        PngFiles.write(Mask.rectangle(48, 40, 18, 13, 14, 14).toBufferedImage(), mask, Map.of());
        PngFiles.write(RgbImage.filled(16, 16, 0.9f, 0.8f, 0.1f).toBufferedImage(), ref, Map.of());

        Path filled = dir.resolve("filled.png");
        CliRun inpaint = run("inpaint", "--models-dir", dir.resolve("none").toString(), "--model", "classic",
                "--mask", mask.toString(), "--option", "fill=telea", in.toString(), "-o", filled.toString());
        assertEquals(0, inpaint.code(), inpaint.err());
        RgbImage out = RgbImage.fromBufferedImage(PngFiles.read(filled));
        assertEquals(RgbImage.to8(0.2f), RgbImage.to8(out.get(0, 24, 20)), "the magenta square is gone");
        assertEquals(src.quantized8().get(1, 2, 2), out.get(1, 2, 2), "outside the mask untouched");
        assertTrue(PngFiles.readText(filled).get("parameters").contains("Model: classic"));

        Path styled = dir.resolve("styled.png");
        CliRun restyle = run("restyle", "--model", "classic", "--reference", ref.toString(), in.toString(), "-o", styled.toString());
        assertEquals(0, restyle.code(), restyle.err());
        double[] means = RgbImage.fromBufferedImage(PngFiles.read(styled)).channelMeans();
        assertTrue(means[0] > 0.6 && means[2] < 0.3, java.util.Arrays.toString(means));
    }

    @Test
    void unknownModelNamesTheAvailableOnes() throws Exception {
        CliRun r = run("generate", "--models-dir", models().toString(), "--model", "no-such-model", "x");
        assertEquals(3, r.code());
        assertTrue(r.err().contains("no-such-model") && r.err().contains("tiny-sd"), r.err());
    }

    @Test
    void modelsListsFamilyAndChecksAFolder() throws Exception {
        CliRun list = run("models", "--models-dir", models().toString());
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("tiny-sd") && list.out().contains("stable-diffusion") && list.out().contains("classic"),
                list.out());
        CliRun check = run("models", "--models-dir", models().toString(), "--check", "tiny-sd");
        assertEquals(0, check.code(), check.out() + check.err());
    }
}
