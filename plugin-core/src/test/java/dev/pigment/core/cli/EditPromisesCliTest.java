package dev.pigment.core.cli;

import static dev.pigment.core.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.image.Mask;
import dev.pigment.core.image.PngFiles;
import dev.pigment.core.image.RgbImage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What README and --help promise about edits, guidance, options and seeds, checked through the CLI. */
class EditPromisesCliTest {
    @TempDir
    Path dir;

    private static String models() throws Exception {
        return Path.of(EditPromisesCliTest.class.getResource("/models").toURI()).toString();
    }

    private Path image(String name, int w, int h) {
        Path p = dir.resolve(name);
        PngFiles.write(RgbImage.filled(w, h, 0.8f, 0.5f, 0.2f).toBufferedImage(), p, Map.of());
        return p;
    }

    @Test
    void widthAndHeightOnEditsResizeTheInputInsteadOfFailing() throws Exception {
        Path in = image("in.png", 64, 48);
        Path mask = dir.resolve("mask.png");
        PngFiles.write(Mask.rectangle(64, 48, 10, 10, 20, 20).toBufferedImage(), mask, Map.of());
        Path out = dir.resolve("out.png");
        CliRun i2i = run("img2img", "--models-dir", models(), "--model", "tiny-sd", "--steps", "2", "-q", "-W", "32", "-H", "32",
                "-o", out.toString(), in.toString());
        assertEquals(0, i2i.code(), i2i.err());
        assertEquals(32, PngFiles.read(out).getWidth());
        assertTrue(i2i.err().contains("resized from 64x48 to 32x32"), i2i.err());
        CliRun inp = run("inpaint", "--models-dir", models(), "--model", "tiny-sd", "--steps", "2", "-q", "-W", "32",
                "--mask", mask.toString(), "-o", out.toString(), in.toString());
        assertEquals(0, inp.code(), inp.err());
        assertEquals(24, PngFiles.read(out).getHeight(), "-W alone keeps the aspect");
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithASuggestion() {
        Path in = image("in.png", 32, 32);
        Path mask = dir.resolve("mask.png");
        PngFiles.write(Mask.rectangle(32, 32, 8, 8, 8, 8).toBufferedImage(), mask, Map.of());
        CliRun r = run("inpaint", "--model", "classic", "--mask", mask.toString(), "--option", "fil=telea", "-q",
                "-o", dir.resolve("o.png").toString(), in.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("Did you mean 'fill'?") && r.err().contains("Known options:"), r.err());
    }

    @Test
    void aMistypedFlagGetsASuggestion() {
        CliRun r = run("generate", "--guidence", "3", "x");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("did you mean --guidance?"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void guidanceZeroMeansOffNotTheModelsDefault() throws Exception {
        Path out = dir.resolve("g0.png");
        CliRun r = run("generate", "--models-dir", models(), "--model", "tiny-sd", "--seed", "3", "--steps", "2", "-q",
                "--guidance", "0", "-o", out.toString(), "apple");
        assertEquals(0, r.code(), r.err());
        assertTrue(PngFiles.readText(out).get("parameters").contains("CFG scale: 0,"), PngFiles.readText(out).toString());
    }

    @Test
    void aSeedIsPrintedOnlyWhenTheEngineUsedOne() {
        Path in = image("in.png", 32, 32);
        Path ref = image("ref.png", 16, 16);
        Path out = dir.resolve("r.png");
        CliRun colour = run("restyle", "--model", "classic", "--reference", ref.toString(), "-q", "-o", out.toString(),
                in.toString());
        assertEquals(0, colour.code(), colour.err());
        assertFalse(colour.out().contains("seed"), colour.out());
        assertFalse(PngFiles.readText(out).get("parameters").contains("Seed:"));
        CliRun texture = run("restyle", "--model", "classic", "--reference", ref.toString(), "--option", "method=distribution",
                "--seed", "4", "-q", "-o", out.toString(), in.toString());
        assertTrue(texture.out().contains("seed 4"), texture.out());
    }
}
