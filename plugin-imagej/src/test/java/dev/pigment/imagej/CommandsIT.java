package dev.pigment.imagej;

import static dev.pigment.imagej.ImageJTesting.assertSamePixels;
import static dev.pigment.imagej.ImageJTesting.newest;
import static dev.pigment.imagej.ImageJTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.Undo;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.gui.ShapeRoi;
import ij.measure.Calibration;
import ij.plugin.frame.RoiManager;
import ij.process.ImageProcessor;
import java.awt.event.KeyEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every command through its menu label and macro options, as {@code run("...", "...")} in a macro. */
class CommandsIT {
    @BeforeAll
    static void display() {
        ImageJTesting.requireDisplay();
        ImageJTesting.batchMode();
    }

    @AfterEach
    void close() {
        ImageJTesting.closeAll();
    }

    @Test
    void textToImageMakesAnRgbImageWithProvenanceAndReplaysTheSamePixels() {
        run(null, "Text to Image...", "prompt=[red heart] model=demo steps=4 seed=7");
        ImagePlus heart = newest();
        assertNotNull(heart);
        assertEquals("red heart", heart.getTitle());
        assertEquals(64, heart.getWidth());
        assertEquals(64, heart.getHeight());
        assertEquals(ImagePlus.COLOR_RGB, heart.getType());
        assertEquals("7", heart.getProp(ImageProvenance.SEED));
        assertEquals("demo", heart.getProp(ImageProvenance.MODEL));
        assertEquals(64, heart.getProp("pigment.model-sha256").length());
        assertEquals("4", heart.getProp("pigment.steps"));
        assertEquals("red heart", heart.getProp("pigment.prompt"));
        String info = (String) heart.getProperty("Info");
        assertTrue(info.contains("run(\"Text to Image...\", \"prompt=[red heart] "), info);
        assertTrue(info.contains(" seed=7"), info);

        run(heart, "Reuse Parameters", "");
        ImagePlus again = newest();
        assertNotSame(heart, again);
        assertSamePixels(heart.getProcessor(), again.getProcessor());
    }

    @Test
    void pngWithParametersReplaysToTheSamePixels(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        run(null, "Text to Image...", "prompt=[yellow star] model=demo steps=4 seed=21");
        ImagePlus star = newest();
        String png = dir.resolve("star.png").toString();
        run(star, "Save as PNG with Parameters...", "path=[" + png + "]");
        assertTrue(dev.pigment.core.image.PngFiles.readText(java.nio.file.Path.of(png)).get("parameters")
                .contains("Seed: 21"));
        ImageJTesting.closeAll();
        ImagePlus opened = IJ.openImage(png);
        assertEquals(null, opened.getProp(ImageProvenance.COMMAND), "a PNG carries no image properties");
        run(opened, "Reuse Parameters", "");
        ImagePlus again = newest();
        assertEquals("21", again.getProp(ImageProvenance.SEED));
        assertSamePixels(opened.getProcessor(), again.getProcessor());
    }

    @Test
    void batchMakesOneSlicePerSeedAndTinyFixturesRun() {
        run(null, "Text to Image...", "prompt=[red heart] model=demo steps=3 seed=11 batch=2");
        ImagePlus stack = newest();
        assertEquals(2, stack.getStackSize());
        assertEquals("seed 12", stack.getStack().getSliceLabel(2));
        run(null, "Text to Image...", "prompt=[red heart] model=demo steps=3 seed=12");
        assertSamePixels(stack.getStack().getProcessor(2), newest().getProcessor());

        run(null, "Text to Image...", "prompt=[apple] model=tiny-sd steps=2 seed=1 width=32 height=32");
        assertEquals("tiny-sd", newest().getProp(ImageProvenance.MODEL));
        assertEquals(32, newest().getWidth());
    }

    @Test
    void classicInpaintChangesOnlyTheSelectionAndUndoRestores() {
        ImagePlus imp = IJ.createImage("photo", "RGB ramp", 96, 64, 1);
        IJ.run(imp, "Add Noise", "");
        imp.show();
        ImageProcessor before = imp.getProcessor().duplicate();
        imp.setRoi(new OvalRoi(30, 20, 24, 18));
        Roi roi = imp.getRoi();
        run(imp, "Inpaint Selection...", "model=classic fill=patchmatch seed=3");
        assertOnlyInside(before, imp.getProcessor(), roi, true);
        assertEquals("classic", imp.getProp(ImageProvenance.MODEL));
        assertEquals("3", imp.getProp(ImageProvenance.SEED));
        Undo.undo();
        assertSamePixels(before, imp.getProcessor());
    }

    @Test
    void everyTypeKeepsItsTypeCalibrationAndOutsidePixels() {
        for (String type : new String[] {"8-bit ramp", "16-bit ramp", "32-bit ramp", "RGB ramp"}) {
            ImagePlus imp = IJ.createImage(type, type, 64, 48, 1);
            IJ.run(imp, "Add Specified Noise...", "standard=20");
            Calibration cal = imp.getCalibration();
            cal.pixelWidth = 0.25;
            cal.setUnit("mm");
            int bits = imp.getBitDepth();
            ImageProcessor before = imp.getProcessor().duplicate();
            imp.setRoi(new Roi(20, 10, 12, 12));
            Roi roi = imp.getRoi();
            run(imp, "Inpaint Selection...", "model=classic fill=telea");
            assertEquals(bits, imp.getBitDepth(), type);
            assertEquals(0.25, imp.getCalibration().pixelWidth, type);
            assertEquals("mm", imp.getCalibration().getUnit(), type);
            assertOnlyInside(before, imp.getProcessor(), roi, true);
        }
    }

    @Test
    void strengthZeroLeavesEvenOutOfRangePixelsUntouched() {
        ImagePlus imp = IJ.createImage("wide", "16-bit ramp", 64, 48, 1);
        imp.setDisplayRange(20000, 30000);
        ImageProcessor before = imp.getProcessor().duplicate();
        imp.setRoi(new Roi(0, 0, 64, 48));
        run(imp, "Inpaint Selection...", "model=classic fill=telea strength=0");
        assertEquals("0", imp.getProp("pigment.strength"), "the command ran");
        assertSamePixels(before, imp.getProcessor());
    }

    @Test
    void diffusionInpaintWithTheDemoModelKeepsOutsidePixels() {
        ImagePlus imp = IJ.createImage("photo", "RGB ramp", 64, 64, 1);
        ImageProcessor before = imp.getProcessor().duplicate();
        imp.setRoi(new OvalRoi(16, 16, 30, 30));
        Roi roi = imp.getRoi();
        run(imp, "Inpaint Selection...", "prompt=[red heart] model=demo steps=4 seed=5 grow=2 feather=2");
        assertEquals("demo", imp.getProp(ImageProvenance.MODEL));
        Roi grown = new Roi(14, 14, 34, 34);
        assertOnlyInside(before, imp.getProcessor(), grown, true);
    }

    @Test
    void compositeRoisRoiManagerAndStacks() {
        ImagePlus imp = IJ.createImage("stack", "8-bit ramp", 64, 48, 3);
        IJ.run(imp, "Add Specified Noise...", "standard=30 stack");
        ImagePlus copy = imp.duplicate();
        ShapeRoi two = new ShapeRoi(new Roi(5, 5, 10, 10)).or(new ShapeRoi(new OvalRoi(40, 20, 12, 12)));
        imp.setRoi(two);
        run(imp, "Inpaint Selection...", "model=classic fill=telea stack seed=1");
        for (int s = 1; s <= 3; s++) {
            assertOnlyInside(copy.getStack().getProcessor(s), imp.getStack().getProcessor(s), two, true);
        }

        ImagePlus single = IJ.createImage("single", "RGB ramp", 64, 48, 1);
        IJ.run(single, "Add Noise", "");
        single.show();
        ImageProcessor before = single.getProcessor().duplicate();
        RoiManager rm = RoiManager.getRoiManager();
        rm.reset();
        rm.addRoi(new Roi(8, 8, 10, 10));
        rm.addRoi(new Roi(30, 20, 10, 10));
        rm.setSelectedIndexes(new int[] {0, 1});
        single.deleteRoi();
        run(single, "Inpaint Selection...", "model=classic fill=blur");
        Roi both = new ShapeRoi(new Roi(8, 8, 10, 10)).or(new ShapeRoi(new Roi(30, 20, 10, 10)));
        assertOnlyInside(before, single.getProcessor(), both, true);
        rm.reset();
        rm.close();
    }

    @Test
    void hyperstacksUseTheCurrentChannelAndStacksRunEverySlice() {
        ImagePlus hyper = IJ.createImage("hyper", "8-bit ramp", 48, 40, 2, 1, 1);
        hyper.setC(2);
        ImageProcessor ch1 = hyper.getStack().getProcessor(1).duplicate();
        ImageProcessor ch2 = hyper.getStack().getProcessor(2).duplicate();
        hyper.setRoi(new Roi(10, 10, 12, 12));
        run(hyper, "Inpaint Selection...", "model=classic fill=neutral");
        assertSamePixels(ch1, hyper.getStack().getProcessor(1));
        assertOnlyInside(ch2, hyper.getStack().getProcessor(2), new Roi(10, 10, 12, 12), true);

        ImagePlus stack = IJ.createImage("frames", "RGB ramp", 64, 64, 3);
        run(stack, "Image to Image...", "prompt=[red heart] model=demo strength=0.4 steps=3 seed=40 stack");
        ImagePlus out = newest();
        assertEquals(3, out.getStackSize());
        assertEquals("frames-pigment", out.getTitle());
        ImagePlus one = IJ.createImage("frame", "RGB ramp", 64, 64, 1);
        run(one, "Image to Image...", "prompt=[red heart] model=demo strength=0.4 steps=3 seed=42");
        assertSamePixels(newest().getProcessor(), out.getStack().getProcessor(3));
    }

    @Test
    void editsMakeNewImagesOfTheSourceType() {
        ImagePlus grey = IJ.createImage("cells.tif", "16-bit ramp", 64, 64, 1);
        grey.getCalibration().pixelWidth = 0.5;
        grey.show();
        run(grey, "Image to Image...", "prompt=[red heart] model=demo strength=0.5 steps=4 seed=2");
        ImagePlus out = newest();
        assertEquals("cells-pigment", out.getTitle());
        assertEquals(16, out.getBitDepth());
        assertEquals(0.5, out.getCalibration().pixelWidth);
        assertEquals("2", out.getProp(ImageProvenance.SEED));

        ImagePlus ref = IJ.createImage("look", "RGB ramp", 40, 40, 1);
        IJ.run(ref, "Invert", "");
        ref.show();
        ImagePlus content = IJ.createImage("content", "RGB white", 48, 32, 1);
        IJ.run(content, "Add Noise", "");
        content.show();
        run(content, "Style Transfer...", "reference=look model=classic method=color");
        ImagePlus styled = newest();
        assertEquals("content-styled", styled.getTitle());
        assertEquals(48, styled.getWidth());
        assertEquals(24, styled.getBitDepth());
        String log = run(content, "Style Transfer...", "reference=look model=demo method=color steps=3 seed=4");
        assertFalse(log.contains("Pigment: Style"), log);
        assertEquals("demo", newest().getProp(ImageProvenance.MODEL));
    }

    @Test
    void badOptionsSayWhatIsWrongAndChangeNothing() {
        ImagePlus imp = IJ.createImage("photo", "RGB ramp", 64, 48, 1);
        imp.show();
        ImageProcessor before = imp.getProcessor().duplicate();
        String out = run(imp, "Inpaint Selection...", "model=classic");
        assertTrue(out.contains("Inpaint Selection needs a selection"), out);
        imp.setRoi(new Roi(4, 4, 10, 10));
        out = run(imp, "Inpaint Selection...", "model=nope");
        assertTrue(out.contains("No model 'nope'"), out);
        out = run(imp, "Inpaint Selection...", "model=classic steps=-1");
        assertTrue(out.contains("steps=-1 is out of range"), out);
        out = run(imp, "Style Transfer...", "reference=[not open] model=classic");
        assertTrue(out.contains("reference=[not open] is not an open image"), out);
        assertSamePixels(before, imp.getProcessor());
    }

    @Test
    void escapeCancelsBetweenStepsAndLeavesTheImageAsItWas() throws Exception {
        ImagePlus imp = IJ.createImage("photo", "RGB ramp", 256, 256, 1);
        imp.show();
        ImageProcessor before = imp.getProcessor().duplicate();
        imp.setRoi(new Roi(20, 20, 200, 200));
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        // Esc is held from 300 ms into the run until it returns (ImageJ resets it when a command starts).
        Thread esc = new Thread(() -> {
            IJ.wait(300);
            while (running.get()) {
                IJ.setKeyDown(KeyEvent.VK_ESCAPE);
                IJ.wait(10);
            }
        });
        esc.start();
        long t0 = System.nanoTime();
        String out;
        try {
            out = run(imp, "Inpaint Selection...", "prompt=[red heart] model=demo steps=500 seed=1");
        } finally {
            running.set(false);
            esc.join();
            IJ.resetEscape();
        }
        assertTrue(System.nanoTime() - t0 < 30e9, "cancel took too long");
        assertFalse(out.contains("Pigment: Inpaint"), "cancelled, not failed: " + out);
        assertSamePixels(before, imp.getProcessor());
        assertEquals(null, imp.getProp(ImageProvenance.SEED), "no result was written");
    }

    /** Text to Image offers the schedulers the chosen model accepts, following the model choice. */
    @Test
    void textToImageSchedulerChoiceFollowsTheModel() {
        CommandDialog d = TextToImage.dialog(PigmentSession.service());
        try {
            java.awt.Choice model = d.choiceOf("model");
            java.awt.Choice scheduler = d.choiceOf("scheduler");
            java.util.List<String> sd = java.util.List.of("default", "euler", "euler-a", "ddim", "dpm++2m",
                    "dpm++2m-karras", "lcm");
            assertEquals("demo", model.getSelectedItem());
            assertEquals(sd, items(scheduler), "no flow-match-euler for the demo's UNet");
            scheduler.select("ddim");
            pick(model, "classic");
            assertEquals(java.util.List.of("default"), items(scheduler));
            pick(model, "tiny-sd");
            assertEquals(sd, items(scheduler));
        } finally {
            d.dialog().dispose();
        }
    }

    private static java.util.List<String> items(java.awt.Choice c) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < c.getItemCount(); i++) {
            out.add(c.getItem(i));
        }
        return out;
    }

    /** Selects as the user would: AWT's select() fires no event, so the listeners are told. */
    private static void pick(java.awt.Choice c, String item) {
        c.select(item);
        for (java.awt.event.ItemListener l : c.getItemListeners()) {
            l.itemStateChanged(new java.awt.event.ItemEvent(c, java.awt.event.ItemEvent.ITEM_STATE_CHANGED, item,
                    java.awt.event.ItemEvent.SELECTED));
        }
    }

    /** Esc arriving with the engine's last event (the decode done) must still keep the image as it was. */
    @Test
    void escapeAtTheEndOfTheDecodeWritesNothing() {
        assertEscapeWritesNothing((r, p) -> Generation.run(r, p, e -> {
            if (e.phase() == dev.pigment.core.api.Phase.DECODE && e.step() == e.totalSteps()) {
                IJ.setKeyDown(KeyEvent.VK_ESCAPE); // after Generation polled Esc for this event: no poll follows
            }
        }));
    }

    /** Esc between the decoded result and the paste (the race the first round saw) must write nothing. */
    @Test
    void escapeBetweenDecodeAndPasteWritesNothing() {
        assertEscapeWritesNothing((r, p) -> {
            dev.pigment.core.api.GenerationResult done = Generation.run(r, p);
            IJ.setKeyDown(KeyEvent.VK_ESCAPE);
            return done;
        });
    }

    private static void assertEscapeWritesNothing(Generation.Runner runner) {
        ImagePlus imp = IJ.createImage("photo", "RGB ramp", 64, 64, 1);
        ImageProcessor before = imp.getProcessor().duplicate();
        Roi roi = new Roi(8, 8, 40, 40);
        imp.setRoi(roi);
        java.util.Map<String, String> values = new java.util.HashMap<>(java.util.Map.of(
                "prompt", "red heart", "model", "demo", "steps", "3", "seed", "5", ImageJKeys.GROW, "0",
                ImageJKeys.FEATHER, "0"));
        IJ.resetEscape();
        try {
            org.junit.jupiter.api.Assertions.assertThrows(dev.pigment.core.api.CancelledException.class,
                    () -> InpaintSelection.apply(imp, roi, values, runner));
        } finally {
            IJ.resetEscape();
        }
        assertSamePixels(before, imp.getProcessor());
        assertEquals(null, imp.getProp(ImageProvenance.SEED), "no result was written");
        assertFalse(imp.changes);
    }

    @Test
    void modelsCommandExplainsABrokenModel() throws Exception {
        java.nio.file.Path broken = java.nio.file.Path.of(System.getProperty("pigment.dist"), "models", "half-copied");
        java.nio.file.Files.createDirectories(broken.resolve("unet"));
        java.nio.file.Files.writeString(broken.resolve("model_index.json"), "{\"_class_name\": \"StableDiffusionPipeline\"}");
        try {
            String out = run(null, "Pigment Models...", "model=demo");
            assertTrue(out.contains("half-copied"), out);
            assertTrue(out.contains("BROKEN"), out);
            assertTrue(out.contains("unet"), out);
        } finally {
            try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(broken)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void modelsCommandListsModelsAndSetsTheDefault() {
        String out = run(null, "Pigment Models...", "model=classic");
        assertTrue(out.contains("demo"), out);
        assertTrue(out.contains("classic"), out);
        assertTrue(out.contains("Model folders"), out);
        assertEquals("classic", PigmentSession.defaultModel());
        run(null, "Pigment Models...", "model=demo");
        assertEquals("demo", PigmentSession.defaultModel());
    }

    /** Outside {@code roi} every pixel is bit-identical; inside, some changed (if {@code changedInside}). */
    private static void assertOnlyInside(ImageProcessor before, ImageProcessor after, Roi roi, boolean changedInside) {
        boolean anyInside = false;
        for (int y = 0; y < before.getHeight(); y++) {
            for (int x = 0; x < before.getWidth(); x++) {
                boolean differs = ImageJTesting.differs(before, after, x, y);
                if (!roi.contains(x, y)) {
                    assertFalse(differs, "pixel " + x + "," + y + " outside the selection changed");
                } else {
                    anyInside |= differs;
                }
            }
        }
        assertEquals(changedInside, anyInside, "inside changed");
    }
}
