package dev.pigment.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.pigment.core.api.GeneratedImage;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.Provenance;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.RgbImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A result that is the job's own source goes back from the bytes it came in as, not through floats. */
class UnchangedResultTest {
    private static Frame result(RgbImage out, RgbImage source, byte[] bgra, String format) {
        GenerationResult r = new GenerationResult(List.of(new GeneratedImage(out, 3)), Map.of(),
                new Provenance("classic", null, Task.INPAINT, "", "", Map.of()), List.of());
        return Messages.result(7, r, format, new Messages.Unchanged(source, bgra));
    }

    @Test
    void anUnchangedOpaqueSourceIsSentAsItsOwnBytes() {
        byte[] bgra = BridgeServerTest.bgra(33, 17, 5);
        RgbImage src = RgbImage.fromBgra(bgra, 33, 17);
        assertSame(bgra, result(src, src, bgra, "bgra8").attachments().get(0));
    }

    @Test
    void theShortcutGivesTheSameBytesAsEncodingEvenWithTranslucentAlpha() {
        byte[] bgra = BridgeServerTest.bgra(33, 17, 5);
        for (int i = 3; i < bgra.length; i += 8) {
            bgra[i] = (byte) 40;
        }
        RgbImage src = RgbImage.fromBgra(bgra, 33, 17);
        assertArrayEquals(src.toBgra(), result(src, src, bgra, "bgra8").attachments().get(0));
        RgbImage other = RgbImage.fromBgra(BridgeServerTest.bgra(33, 17, 6), 33, 17);
        assertArrayEquals(other.toBgra(), result(other, src, bgra, "bgra8").attachments().get(0));
        assertArrayEquals(Attachments.encode(src, "rgba8", Map.of()).bytes(),
                result(src, src, bgra, "rgba8").attachments().get(0));
    }

    @Test
    void oneTranslucentPixelAnywhereIsFoundAndOnlyAlphaIsForced() {
        // 3x7 = 21 pixels: an odd count leaves a 4-byte tail after the 8-byte words; 129x131 crosses 64 KiB blocks.
        for (int[] size : new int[][] {{3, 7}, {129, 131}}) {
            int n = size[0] * size[1];
            for (int pixel : new int[] {0, 1, n / 2, n - 2, n - 1}) {
                byte[] bgra = BridgeServerTest.bgra(size[0], size[1], pixel);
                org.junit.jupiter.api.Assertions.assertTrue(Alpha.opaque(bgra));
                bgra[4 * pixel + 3] = (byte) 254;
                org.junit.jupiter.api.Assertions.assertFalse(Alpha.opaque(bgra), "pixel " + pixel + " of " + n);
                RgbImage src = RgbImage.fromBgra(bgra, size[0], size[1]);
                byte[] sent = result(src, src, bgra, "bgra8").attachments().get(0);
                assertArrayEquals(src.toBgra(), sent);
                org.junit.jupiter.api.Assertions.assertEquals((byte) 254, bgra[4 * pixel + 3], "the source is not touched");
            }
        }
    }

    @Test
    void theReaderKnowsAFourBytePixelAttachmentIsOpaqueOnlyWhenEveryAlphaIs255() throws Exception {
        // 301x299 bgra8 is 360,004 bytes: more than one read block, and not a whole number of them.
        int w = 301;
        int h = 299;
        for (int pixel : new int[] {-1, 0, 65535, 65536, w * h / 2, w * h - 1}) {
            byte[] image = BridgeServerTest.bgra(w, h, 9);
            if (pixel >= 0) {
                image[4 * pixel + 3] = (byte) 200;
            }
            byte[] mask = new byte[w * h];
            java.util.Arrays.fill(mask, (byte) 255);
            String json = BridgeServerTest.inpaintJson(1, w, h);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            FrameCodec.write(out, new Frame(com.google.gson.JsonParser.parseString(json).getAsJsonObject(),
                    List.of(image, mask)));
            Frame f = new FrameCodec(1L << 30).read(new java.io.ByteArrayInputStream(out.toByteArray()));
            org.junit.jupiter.api.Assertions.assertEquals(pixel < 0, f.isKnownOpaque(0), "translucent pixel " + pixel);
            org.junit.jupiter.api.Assertions.assertFalse(f.isKnownOpaque(1), "gray8 has no alpha");
            assertArrayEquals(image, f.attachments().get(0));
        }
    }
}
