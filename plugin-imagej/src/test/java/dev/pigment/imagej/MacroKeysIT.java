package dev.pigment.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pigment.core.service.GenerationService;
import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pins every command's macro keys: recorded macros and scripts depend on them. Each key is checked against the
 * real dialog's label through ImageJ's own {@link Macro#trimKey}, the rule the Recorder and {@code run()} use.
 */
class MacroKeysIT {
    private static ImagePlus imp;

    @BeforeAll
    static void setUp() {
        ImageJTesting.requireDisplay();
        imp = IJ.createImage("keys", "8-bit ramp", 16, 16, 2);
    }

    @AfterAll
    static void tearDown() {
        ImageJTesting.closeAll();
    }

    @Test
    void textToImage() {
        GenerationService s = PigmentSession.service();
        assertKeys(List.of("prompt", "negative", "model", "width", "height", "steps", "guidance", "scheduler", "seed",
                "batch", "preview"), TextToImage.dialog(s));
        assertEquals(ImageJKeys.TEXT_TO_IMAGE, TextToImage.dialog(s).keys());
    }

    @Test
    void imageToImage() {
        assertKeys(List.of("prompt", "negative", "model", "strength", "steps", "guidance", "scheduler", "seed", "stack",
                "preview"), ImageToImage.dialog(imp, PigmentSession.service()));
        assertEquals(ImageJKeys.IMAGE_TO_IMAGE, ImageToImage.dialog(imp, PigmentSession.service()).keys());
    }

    @Test
    void inpaintSelection() {
        assertKeys(List.of("prompt", "negative", "model", "fill", "grow", "feather", "strength", "steps", "guidance",
                "scheduler", "seed", "stack", "preview"), InpaintSelection.dialog(imp, PigmentSession.service()));
        assertEquals(ImageJKeys.INPAINT, InpaintSelection.dialog(imp, PigmentSession.service()).keys());
    }

    @Test
    void styleTransfer() {
        assertKeys(List.of("reference", "style", "strength", "prompt", "model", "method", "steps", "seed", "stack"),
                StyleTransfer.dialog(imp, PigmentSession.service()));
        assertEquals(ImageJKeys.STYLE_TRANSFER, StyleTransfer.dialog(imp, PigmentSession.service()).keys());
    }

    private static void assertKeys(List<String> expected, CommandDialog d) {
        assertEquals(expected, d.keys());
        List<String> fromLabels = d.labels().stream().map(Macro::trimKey).toList();
        assertEquals(expected, fromLabels, "ImageJ derives these keys from the labels");
        assertEquals(expected.size(), expected.stream().distinct().count(), "duplicate keys");
        d.dialog().dispose();
    }
}
