package dev.pigment.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.PigmentException;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import ij.gui.Line;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.gui.ShapeRoi;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import org.junit.jupiter.api.Test;

/** The pixel boundary and the selection mask, without a display. */
class ImageBridgeTest {

    @Test
    void rgbRoundTripsExactly() {
        ColorProcessor cp = new ColorProcessor(5, 4);
        for (int i = 0; i < 20; i++) {
            cp.set(i, (i * 37 & 255) << 16 | (i * 11 & 255) << 8 | (255 - i));
        }
        ColorProcessor back = new ColorProcessor(5, 4);
        ImageBridge.writeAll(ImageBridge.toRgb(cp), back);
        assertArrayEquals((int[]) cp.getPixels(), (int[]) back.getPixels());
    }

    @Test
    void greyTypesMapThroughTheDisplayRangeAndBack() {
        ShortProcessor sp = new ShortProcessor(4, 1);
        sp.set(0, 1000);
        sp.set(1, 1500);
        sp.set(2, 2000);
        sp.set(3, 3000);
        sp.setMinAndMax(1000, 2000);
        RgbImage rgb = ImageBridge.toRgb(sp);
        assertEquals(0f, rgb.get(0, 0, 0));
        assertEquals(0.5f, rgb.get(1, 1, 0));
        assertEquals(1f, rgb.get(2, 2, 0));
        assertEquals(1f, rgb.get(0, 3, 0), "clamped above the range");
        ShortProcessor back = new ShortProcessor(4, 1);
        back.setMinAndMax(1000, 2000);
        ImageBridge.writeAll(rgb, back);
        assertEquals(1000, back.get(0));
        assertEquals(1500, back.get(1));
        assertEquals(2000, back.get(2));

        FloatProcessor fp = new FloatProcessor(2, 1, new float[] {-1f, 3f});
        fp.setMinAndMax(-1, 3);
        FloatProcessor fback = new FloatProcessor(2, 1);
        fback.setMinAndMax(-1, 3);
        ImageBridge.writeAll(ImageBridge.toRgb(fp), fback);
        assertArrayEquals(new float[] {-1f, 3f}, (float[]) fback.getPixels());

        ByteProcessor bp = new ByteProcessor(3, 1, new byte[] {0, (byte) 128, (byte) 255});
        ByteProcessor bback = new ByteProcessor(3, 1);
        ImageBridge.writeAll(ImageBridge.toRgb(bp), bback);
        assertArrayEquals((byte[]) bp.getPixels(), (byte[]) bback.getPixels());
    }

    @Test
    void pixelsTheEngineLeftAloneStayExactEvenOutsideTheDisplayRange() {
        ShortProcessor sp = new ShortProcessor(3, 1);
        sp.set(0, 500);
        sp.set(1, 1500);
        sp.set(2, 9000);
        sp.setMinAndMax(1000, 2000);
        RgbImage seen = ImageBridge.toRgb(sp);
        ImageBridge.write(seen, sp, Mask.full(3, 1));
        assertEquals(500, sp.get(0));
        assertEquals(1500, sp.get(1));
        assertEquals(9000, sp.get(2));
    }

    @Test
    void writesOnlyWhereTheMaskIsAboveZero() {
        ByteProcessor target = new ByteProcessor(4, 4);
        target.setValue(10);
        target.fill();
        RgbImage white = RgbImage.filled(4, 4, 1f, 1f, 1f);
        ImageBridge.write(white, target, Mask.rectangle(4, 4, 1, 1, 2, 2));
        assertEquals(10, target.get(0, 0));
        assertEquals(255, target.get(1, 1));
        assertEquals(255, target.get(2, 2));
        assertEquals(10, target.get(3, 3));
    }

    @Test
    void newLikeKeepsTypeAndDisplayRange() {
        ShortProcessor like = new ShortProcessor(3, 3);
        like.setMinAndMax(100, 300);
        ImageProcessor ip = ImageBridge.newLike(like, RgbImage.filled(6, 5, 0.5f, 0.5f, 0.5f));
        assertTrue(ip instanceof ShortProcessor);
        assertEquals(6, ip.getWidth());
        assertEquals(200, ip.get(0));
        assertEquals(100, ip.getMin());
        assertEquals(300, ip.getMax());
    }

    @Test
    void masksFollowAnyAreaShapeGrowAndFeatherInside() {
        Mask oval = SelectionMask.mask(new OvalRoi(2, 2, 10, 6), 16, 12, 0, 0);
        assertEquals(1f, oval.get(7, 5));
        assertEquals(0f, oval.get(2, 2), "oval corner is outside");
        Roi composite = new ShapeRoi(new Roi(0, 0, 3, 3)).or(new ShapeRoi(new Roi(10, 8, 3, 3)));
        Mask two = SelectionMask.mask(composite, 16, 12, 0, 0);
        assertEquals(1f, two.get(1, 1));
        assertEquals(1f, two.get(11, 9));
        assertEquals(0f, two.get(6, 6));
        Mask grown = SelectionMask.mask(new Roi(5, 5, 2, 2), 16, 12, 2, 0);
        assertEquals(1f, grown.get(3, 3));
        assertEquals(0f, grown.get(2, 2));
        Mask feathered = SelectionMask.mask(new Roi(2, 2, 12, 8), 16, 12, 0, 3);
        assertEquals(0f, feathered.get(1, 1), "never outside the selection");
        assertTrue(feathered.get(2, 2) < 1f && feathered.get(2, 2) >= 0f, "soft at the edge");
        assertEquals(1f, feathered.get(8, 6), 1e-6f, "full in the middle");
    }

    @Test
    void lineSelectionsAndBadRadiiAreRefusedWithAMessage() {
        ij.ImagePlus imp = new ij.ImagePlus("img", new ByteProcessor(8, 8));
        imp.setRoi(new Line(0, 0, 5, 5));
        PigmentException e = assertThrows(PigmentException.class, () -> SelectionMask.selection(imp));
        assertTrue(e.getMessage().contains("covers no area"), e.getMessage());
        e = assertThrows(PigmentException.class, () -> SelectionMask.mask(new Roi(1, 1, 2, 2), 8, 8, -1, 0));
        assertEquals("grow=-1 is out of range: use 0..256 pixels.", e.getMessage());
    }

    @Test
    void macroOptionsQuoteValuesAndWriteFlagsAsBareKeys() {
        java.util.Map<String, String> v = new java.util.LinkedHashMap<>();
        v.put("prompt", "red heart");
        v.put("model", "demo");
        v.put("scheduler", "");
        v.put("stack", "true");
        v.put("preview", "false");
        String options = ImageProvenance.macroOptions(v);
        assertEquals("prompt=[red heart] model=demo scheduler=[] stack", options);
        assertEquals("red heart", ij.Macro.getValue(options, "prompt", null));
        assertEquals("demo", ij.Macro.getValue(options, "model", null));
    }
}
