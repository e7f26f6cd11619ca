package dev.pigment.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.imagej.scijava.ImageToImageCommand;
import dev.pigment.imagej.scijava.InpaintSelectionCommand;
import dev.pigment.imagej.scijava.StyleTransferCommand;
import dev.pigment.imagej.scijava.TextToImageCommand;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;

/** The SciJava commands in a plain scijava-common Context (no ImageJ, no display), as Fiji scripts call them. */
class ScijavaCommandsTest {
    private static Context context;
    private static CommandService commands;

    @BeforeAll
    static void start() {
        context = new Context(CommandService.class);
        commands = context.service(CommandService.class);
    }

    @AfterAll
    static void stop() {
        context.dispose();
    }

    @Test
    void commandsAreIndexedHeadlessWithTheMacroKeysAsParameterNames() {
        CommandInfo info = commands.getCommand(TextToImageCommand.class);
        assertTrue(info.canRunHeadless());
        List<String> inputs = new java.util.ArrayList<>();
        info.inputs().forEach(i -> inputs.add(i.getName()));
        assertEquals(List.of("prompt", "negative", "model", "width", "height", "steps", "guidance", "scheduler",
                "seed", "batch"), inputs);
        assertTrue(ImageJKeys.TEXT_TO_IMAGE.containsAll(inputs));
        assertTrue(commands.getCommand(InpaintSelectionCommand.class).canRunHeadless());
        assertTrue(commands.getCommand(ImageToImageCommand.class).canRunHeadless());
        assertTrue(commands.getCommand(StyleTransferCommand.class).canRunHeadless());
    }

    @Test
    void textToImageRunsTheDemoModelDeterministically() throws Exception {
        Map<String, Object> in = Map.of("prompt", "red heart", "model", "demo", "steps", 3, "seed", 7L);
        ImagePlus a = (ImagePlus) commands.run(TextToImageCommand.class, true, in).get().getOutput("result");
        ImagePlus b = (ImagePlus) commands.run(TextToImageCommand.class, true, in).get().getOutput("result");
        assertEquals(64, a.getWidth());
        assertEquals("7", a.getProp(ImageProvenance.SEED));
        org.junit.jupiter.api.Assertions.assertArrayEquals((int[]) a.getProcessor().getPixels(),
                (int[]) b.getProcessor().getPixels());
    }

    @Test
    void defaultsMatchTheMenuCommandWithTheKeysOmitted() throws Exception {
        // An earlier call's values must not leak into a later one that omits them (SciJava would persist them).
        commands.run(TextToImageCommand.class, true, Map.of("prompt", "x", "steps", 2, "guidance", "0",
                "model", "demo")).get();
        ImagePlus scijava = (ImagePlus) commands.run(TextToImageCommand.class, true,
                Map.of("prompt", "red heart", "seed", 11L)).get().getOutput("result");
        ImagePlus menu = Commands.textToImage(Map.of("prompt", "red heart", "seed", "11"));
        // Guidance in particular: the model's scale, not 0 (which turns guidance off).
        org.junit.jupiter.api.Assertions.assertArrayEquals((int[]) menu.getProcessor().getPixels(),
                (int[]) scijava.getProcessor().getPixels());
    }

    @Test
    void parametersSetToNullActAsOmitted() throws Exception {
        Map<String, Object> in = new java.util.HashMap<>();
        in.put("prompt", "red heart");
        in.put("seed", 11L);
        for (String key : List.of("negative", "model", "guidance", "scheduler")) {
            in.put(key, null);
        }
        Module m = commands.run(TextToImageCommand.class, true, in).get();
        ImagePlus withNulls = (ImagePlus) m.getOutput("result");
        ImagePlus menu = Commands.textToImage(Map.of("prompt", "red heart", "seed", "11"));
        org.junit.jupiter.api.Assertions.assertArrayEquals((int[]) menu.getProcessor().getPixels(),
                (int[]) withNulls.getProcessor().getPixels());
    }

    @Test
    void inpaintChangesOnlyTheSelectionAndStyleTransferMakesANewImage() throws Exception {
        ColorProcessor cp = new ColorProcessor(48, 40);
        for (int i = 0; i < cp.getPixelCount(); i++) {
            cp.set(i, (i * 7919) & 0xffffff);
        }
        ImagePlus imp = new ImagePlus("noise", cp);
        int[] before = ((int[]) cp.getPixels()).clone();
        imp.setRoi(new Roi(10, 10, 12, 12));
        Module m = commands.run(InpaintSelectionCommand.class, true, Map.of("image", imp, "model", "classic",
                "fill", "telea")).get();
        assertEquals(imp, m.getOutput("image"));
        int[] after = (int[]) imp.getProcessor().getPixels();
        boolean inside = false;
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 48; x++) {
                int i = y * 48 + x;
                boolean in = x >= 10 && x < 22 && y >= 10 && y < 22;
                if (!in) {
                    assertEquals(before[i], after[i], "outside pixel " + x + "," + y);
                } else {
                    inside |= before[i] != after[i];
                }
            }
        }
        assertTrue(inside);

        ImagePlus ref = new ImagePlus("ref", new ColorProcessor(20, 20));
        ImagePlus styled = (ImagePlus) commands.run(StyleTransferCommand.class, true, Map.of("image", imp,
                "reference", ref, "model", "classic")).get().getOutput("result");
        assertEquals("noise-styled", styled.getTitle());
        assertFalse(styled == imp);
    }
}
