package dev.pigment.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.PigmentException;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTypesTest {
    @TempDir
    Path dir;

    private static RgbImage pattern(int w, int h) {
        int[] argb = new int[w * h];
        for (int i = 0; i < argb.length; i++) {
            argb[i] = 0xFF000000 | (i * 37 % 256) << 16 | (i * 11 % 256) << 8 | (i * 101 % 256);
        }
        return RgbImage.fromArgb(argb, w, h);
    }

    @Test
    void pixelFormatsRoundTripExactly() {
        RgbImage img = pattern(7, 5);
        assertEquals(img, RgbImage.fromArgb(img.toArgb(), 7, 5));
        assertEquals(img, RgbImage.fromBgra(img.toBgra(), 7, 5));
        assertEquals(img, RgbImage.fromBufferedImage(img.toBufferedImage()));
        byte[] bgra = img.toBgra();
        assertEquals((byte) RgbImage.to8(img.get(2, 0, 0)), bgra[0], "blue first, as Krita's U8 RGBA is in memory");
        assertEquals((byte) 0xFF, bgra[3]);
        assertEquals(img, img.quantized8());
        assertThrows(IllegalArgumentException.class, () -> RgbImage.fromBgra(new byte[3], 1, 1));
    }

    @Test
    void zeroPixelImagesAreAUserError() {
        PigmentException e = assertThrows(PigmentException.class, () -> Mask.empty(0, 4));
        assertTrue(e.getMessage().contains("0x4"), e.getMessage());
    }

    @Test
    void cropPasteAndBlendKeepWhatTheyShould() {
        RgbImage img = pattern(10, 8);
        RgbImage part = img.crop(3, 2, 4, 5);
        assertEquals(img.get(1, 3, 2), part.get(1, 0, 0));
        assertEquals(img.get(0, 6, 6), part.get(0, 3, 4));
        RgbImage white = RgbImage.filled(4, 5, 1, 1, 1);
        RgbImage pasted = img.paste(white, 8, 6);
        assertEquals(1f, pasted.get(0, 9, 7));
        assertEquals(img.get(0, 7, 7), pasted.get(0, 7, 7));
        assertThrows(IllegalArgumentException.class, () -> img.crop(8, 0, 4, 1));

        Mask half = Mask.rectangle(10, 8, 0, 0, 5, 8);
        RgbImage other = RgbImage.filled(10, 8, 0.5f, 0.5f, 0.5f);
        RgbImage blended = img.blend(other, half);
        assertEquals(0.5f, blended.get(2, 1, 1));
        assertEquals(Float.floatToIntBits(img.get(2, 7, 1)), Float.floatToIntBits(blended.get(2, 7, 1)));
    }

    @Test
    void resizeAveragesWhenShrinkingAndInterpolatesWhenGrowing() {
        float[] d = new float[3 * 4 * 4];
        for (int i = 0; i < 16; i++) {
            d[i] = (i % 2 == 0) ? 1f : 0f;
        }
        RgbImage stripes = RgbImage.wrap(4, 4, d);
        RgbImage small = stripes.resize(2, 2);
        assertEquals(0.5f, small.get(0, 0, 0), 1e-6);
        RgbImage grown = RgbImage.filled(2, 2, 0.25f, 0.5f, 0.75f).resize(5, 3);
        assertEquals(0.75f, grown.get(2, 4, 2), 1e-6);
        assertArrayEquals(new float[] {1, 0, 0, 1}, Resize.nearest(new float[] {1, 0, 0, 1}, 2, 2, 2, 2));
        assertEquals(1f, Resize.nearest(new float[] {1, 0, 0, 1}, 2, 2, 4, 4)[5]);
    }

    @Test
    void maskMorphologyAndFeather() {
        Mask m = Mask.rectangle(20, 20, 8, 8, 4, 4);
        assertEquals(new Rectangle(8, 8, 4, 4), MaskOps.bounds(m));
        assertNull(MaskOps.bounds(Mask.empty(5, 5)));
        assertEquals(new Rectangle(6, 6, 8, 8), MaskOps.bounds(MaskOps.grow(m, 2)));
        assertEquals(new Rectangle(9, 9, 2, 2), MaskOps.bounds(MaskOps.shrink(m, 1)));
        Mask soft = MaskOps.feather(m, 4);
        assertEquals(1f, soft.get(8, 8), "the selected area is repainted completely");
        assertTrue(soft.get(6, 10) > 0f && soft.get(6, 10) < 1f, "the edge is soft outside");
        assertEquals(0f, soft.get(0, 0), "far away stays untouched");
        assertEquals(0.04, m.coverage(), 1e-9);
        assertTrue(m.invert().binarize(0.5f).get(0, 0) == 1f && !m.isEmpty());
    }

    @Test
    void masksReadLuminanceTimesAlpha() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0xFFFFFFFF);
        img.setRGB(1, 0, 0x00FFFFFF);
        Mask m = Mask.fromBufferedImage(img);
        assertEquals(1f, m.get(0, 0), 1e-6);
        assertEquals(0f, m.get(1, 0), 1e-6);
    }

    @Test
    void pngsCarryUnicodeParametersAndWritesAreAtomic() throws Exception {
        Path file = dir.resolve("sub/out.png");
        RgbImage img = pattern(9, 4);
        PngFiles.write(img.toBufferedImage(), file, Map.of(PngFiles.PARAMETERS_KEY, "猫, café\nSteps: 4"));
        assertEquals(img, PngFiles.readRgb(file));
        assertEquals("猫, café\nSteps: 4", PngFiles.readText(file).get("parameters"));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        PigmentException missing = assertThrows(PigmentException.class, () -> PngFiles.read(dir.resolve("nope.png")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        Path text = Files.writeString(dir.resolve("notes.png"), "hello");
        PigmentException garbage = assertThrows(PigmentException.class, () -> PngFiles.read(text));
        assertTrue(garbage.getMessage().contains("not a PNG"), garbage.getMessage());
    }
}
