package dev.pigment.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.OvalRoi;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end in Debian's real ImageJ ({@code /usr/bin/imagej}): the built distribution is copied into a fresh
 * ImageJ folder (the wrapper's {@code $HOME/.imagej}), and a batch-mode macro calls every command through its
 * menu label, saves the results, and runs the docs/macros examples. The outputs are checked here.
 */
class RealImageJIT {
    private static final Path IMAGEJ = Path.of("/usr/bin/imagej");

    @TempDir
    static Path home;

    @BeforeAll
    static void requireImageJ() {
        if (!Files.isExecutable(IMAGEJ)) {
            String why = IMAGEJ + " is not installed (apt-get install imagej xvfb xauth)";
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true but " + why);
            }
            Assumptions.abort(why);
        }
        ImageJTesting.requireDisplay();
    }

    @Test
    void everyCommandAndExampleMacroRunsInARealImageJ() throws Exception {
        Path ijDir = home.resolve(".imagej");
        copyTree(Path.of(System.getProperty("pigment.dist")), ijDir);
        Path out = Files.createDirectories(home.resolve("out"));
        Path macros = Path.of(System.getProperty("pigment.repo"), "docs", "macros");
        Path driver = home.resolve("e2e.ijm");
        Files.writeString(driver, driverMacro(out, macros));
        String log = runImageJ(driver);
        assertTrue(log.contains("E2E OK"), log);

        ImagePlus heart = open(out, "heart.tif");
        assertEquals(64, heart.getWidth());
        assertEquals(ImagePlus.COLOR_RGB, heart.getType());
        assertEquals("7", heart.getProp(ImageProvenance.SEED), "provenance saved in the TIFF");
        assertEquals("demo", heart.getProp(ImageProvenance.MODEL));
        assertEquals("red heart", heart.getProp("pigment.prompt"));
        assertArrayEquals((int[]) heart.getProcessor().getPixels(),
                (int[]) open(out, "heart-replay.tif").getProcessor().getPixels(), "replay gives the same pixels");

        assertArrayEquals((int[]) heart.getProcessor().getPixels(),
                (int[]) open(out, "heart-from-png.tif").getProcessor().getPixels(), "replay from the PNG");
        assertTrue(log.contains("Model folders"), "Pigment Models listed the folders:\n" + log);

        ImagePlus photo = open(out, "photo.tif");
        ImagePlus inpainted = open(out, "photo-inpainted.tif");
        assertEquals(24, inpainted.getBitDepth());
        assertEquals("classic", inpainted.getProp(ImageProvenance.MODEL));
        OvalRoi oval = new OvalRoi(30, 20, 24, 18);
        int changedInside = 0;
        for (int y = 0; y < photo.getHeight(); y++) {
            for (int x = 0; x < photo.getWidth(); x++) {
                boolean same = photo.getProcessor().get(x, y) == inpainted.getProcessor().get(x, y);
                if (!oval.contains(x, y)) {
                    assertTrue(same, "pixel " + x + "," + y + " outside the selection changed");
                } else if (!same) {
                    changedInside++;
                }
            }
        }
        assertTrue(changedInside > 50, "inside changed: " + changedInside);

        ImagePlus grey = open(out, "grey16-pigment.tif");
        assertEquals(16, grey.getBitDepth());
        assertEquals(0.5, grey.getCalibration().pixelWidth);
        assertTrue(log.contains("styled-title=photo-inpainted-styled"), log);
        assertEquals("classic", open(out, "styled.tif").getProp(ImageProvenance.MODEL));
        assertEquals(3, open(out, "stack-inpainted.tif").getStackSize());
        assertEquals(3, countTifs(out.resolve("batch")));
        assertNotNull(open(out, "inpainted-rois.tif").getProp(ImageProvenance.SEED));
        assertEquals(2, countTifs(out.resolve("restyle").resolve("out")));
    }

    /** The zip holds exactly the distribution folder, so unzipping it into ImageJ/ is the same install. */
    @Test
    void zipMatchesTheDistributionFolder() throws IOException {
        Path dist = Path.of(System.getProperty("pigment.dist"));
        java.util.Set<String> files = new java.util.TreeSet<>();
        try (Stream<Path> s = Files.walk(dist)) {
            s.filter(Files::isRegularFile).forEach(f -> files.add(dist.relativize(f).toString().replace('\\', '/')));
        }
        java.util.Set<String> entries = new java.util.TreeSet<>();
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(dist.resolveSibling("imagej-dist.zip").toFile())) {
            zip.stream().filter(e -> !e.isDirectory()).forEach(e -> entries.add(e.getName()));
        }
        assertEquals(files, entries);
        assertTrue(files.stream().anyMatch(f -> f.matches("plugins/Pigment/Pigment_-[^/]+\\.jar")), files.toString());
        assertTrue(files.contains("models/demo/unet/model.onnx"), files.toString());
        assertFalse(files.stream().anyMatch(f -> f.startsWith("plugins/Pigment/") && f.contains("_")
                && !f.contains("Pigment_")), "only Pigment_ may carry '_' (ImageJ scans such jars for plugins)");
        // the core uses JNA directly and DJL brings it too: one pinned version, one jar
        assertEquals(1, files.stream().filter(f -> f.matches("plugins/Pigment/jna-[0-9.]+\\.jar")).count(),
                files.toString());
    }

    private static String driverMacro(Path out, Path macros) {
        String o = out + File.separator;
        return String.join("\n",
                "setBatchMode(true);",
                "out = \"" + o + "\";",
                "run(\"Text to Image...\", \"prompt=[red heart] model=demo steps=8 seed=7\");",
                "saveAs(\"Tiff\", out + \"heart.tif\");",
                "run(\"Reuse Parameters\");",
                "saveAs(\"Tiff\", out + \"heart-replay.tif\");",
                "run(\"Save as PNG with Parameters...\", \"path=[\" + out + \"heart.png]\");",
                "open(out + \"heart.png\");",
                "run(\"Reuse Parameters\");",
                "saveAs(\"Tiff\", out + \"heart-from-png.tif\");",
                "run(\"Pigment Models...\", \"model=demo\");",
                "newImage(\"photo\", \"RGB ramp\", 96, 64, 1);",
                "run(\"Add Specified Noise...\", \"standard=25\");",
                "saveAs(\"Tiff\", out + \"photo.tif\");",
                "makeOval(30, 20, 24, 18);",
                "run(\"Inpaint Selection...\", \"model=classic fill=patchmatch seed=3\");",
                "run(\"Select None\");",
                "saveAs(\"Tiff\", out + \"photo-inpainted.tif\");",
                "newImage(\"look\", \"RGB ramp\", 40, 40, 1);",
                "run(\"Invert\");",
                "selectImage(\"photo-inpainted.tif\");",
                "run(\"Style Transfer...\", \"reference=look model=classic method=color\");",
                "print(\"styled-title=\" + getTitle());",
                "saveAs(\"Tiff\", out + \"styled.tif\");",
                "newImage(\"grey16\", \"16-bit ramp\", 64, 64, 1);",
                "run(\"Properties...\", \"pixel_width=0.5 pixel_height=0.5\");",
                "run(\"Image to Image...\", \"prompt=[red heart] model=demo strength=0.5 steps=4 seed=2\");",
                "saveAs(\"Tiff\", out + \"grey16-pigment.tif\");",
                "run(\"Close All\");",
                macro(macros, "batch-text-to-image.ijm", o + "batch" + File.separator),
                "run(\"Close All\");",
                macro(macros, "inpaint-roi-manager.ijm", o),
                "run(\"Close All\");",
                macro(macros, "process-stack.ijm", o),
                "run(\"Close All\");",
                macro(macros, "restyle-folder.ijm", o + "restyle" + File.separator),
                "print(\"E2E OK\");",
                "");
    }

    private static String macro(Path macros, String name, String arg) {
        return "runMacro(\"" + macros.resolve(name) + "\", \"" + arg + "\");";
    }

    /** Runs the Debian wrapper in batch mode; returns everything ImageJ printed. */
    private static String runImageJ(Path macro) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(IMAGEJ.toString(), "-b", macro.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(home.resolve("imagej.log").toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().remove("PIGMENT_MODELS");
        Process p = pb.start();
        boolean done = p.waitFor(240, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String log = Files.readString(home.resolve("imagej.log"), StandardCharsets.UTF_8);
        assertTrue(done, "ImageJ did not finish in 240 s (a modal error dialog?):\n" + log);
        return log;
    }

    private static ImagePlus open(Path dir, String name) {
        Path file = dir.resolve(name);
        assertTrue(Files.isRegularFile(file), "missing output " + file);
        ImagePlus imp = IJ.openImage(file.toString());
        assertNotNull(imp, file.toString());
        return imp;
    }

    private static long countTifs(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.toString().endsWith(".tif")).count();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        assertFalse(Files.notExists(to.resolve("plugins/Pigment")), "plugins/Pigment copied");
    }
}
