package dev.pigment.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@code progress} events that carry a preview (docs/protocol.md, "progress"): a live server, the demo model, a
 * client asking for previews in each result format. Every preview is a well-formed attachment of its declared
 * format and size, decodable, and the same preview whichever format carries it (same seed, same pixels).
 */
class ProgressPreviewTest {
    private static final String JOB = "{\"type\":\"submit\",\"id\":%d,\"task\":\"text-to-image\",\"model\":\"demo\","
            + "\"prompt\":\"red heart\",\"steps\":4,\"seed\":9,\"previews\":%s,\"result_format\":\"%s\"}";

    /** One preview as opaque RGB ints, with the step it came with. */
    private record Preview(int step, int width, int height, int[] rgb) {
    }

    @Test
    void everyPreviewIsAWellFormedAttachmentOfItsDeclaredSizeAndFormat() throws Exception {
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null); TestClient c = TestClient.greeted(s.port())) {
            List<Preview> rgba = previews(c, 1, "rgba8");
            List<Preview> bgra = previews(c, 2, "bgra8");
            List<Preview> png = previews(c, 3, "png");
            assertFalse(rgba.isEmpty(), "the demo model made no preview");
            // The client reads promptly, so no progress event is dropped: one preview per denoise step.
            assertEquals(List.of(1, 2, 3, 4), rgba.stream().map(Preview::step).toList());
            for (List<Preview> other : List.of(bgra, png)) {
                assertEquals(rgba.size(), other.size());
                for (int i = 0; i < rgba.size(); i++) {
                    assertEquals(rgba.get(i).step(), other.get(i).step());
                    assertEquals(rgba.get(i).width(), other.get(i).width());
                    assertEquals(rgba.get(i).height(), other.get(i).height());
                    assertArrayEquals(rgba.get(i).rgb(), other.get(i).rgb(), "preview " + i + ": same seed, same pixels");
                }
            }
            assertTrue(distinct(rgba), "the previews follow the denoising, they are not one image repeated");
        }
    }

    @Test
    void withoutPreviewsProgressCarriesNoAttachment() throws Exception {
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null); TestClient c = TestClient.greeted(s.port())) {
            c.send(String.format(JOB, 1, "false", "rgba8"));
            int progress = 0;
            Frame f;
            while (!TestClient.isEnd(f = c.read(), 1)) {
                if ("progress".equals(f.type())) {
                    progress++;
                    assertFalse(f.header().has("preview"), f.header().toString());
                    assertTrue(f.attachments().isEmpty(), f.header().toString());
                }
            }
            assertEquals("result", f.type(), f.header().toString());
            assertTrue(progress >= 4, "denoise progress still comes: " + progress);
        }
    }

    /** Runs job {@code id} with previews in {@code format}; checks and decodes each preview. */
    private static List<Preview> previews(TestClient c, long id, String format) throws Exception {
        c.send(String.format(JOB, id, "true", format));
        List<Preview> out = new ArrayList<>();
        Frame f;
        while (!TestClient.isEnd(f = c.read(), id)) {
            JsonObject h = f.header();
            if (!"progress".equals(f.type()) || !h.has("preview")) {
                assertTrue(f.attachments().isEmpty(), "only a preview is attached to an event: " + h);
                continue;
            }
            assertEquals("denoise", h.get("phase").getAsString(), h.toString());
            int index = h.get("preview").getAsInt();
            assertEquals(0, index, h.toString());
            assertEquals(1, f.attachments().size(), h.toString());
            JsonObject d = h.getAsJsonArray("attachments").get(index).getAsJsonObject();
            byte[] bytes = f.attachments().get(index);
            assertEquals(format, d.get("format").getAsString(), h.toString());
            assertEquals(bytes.length, d.get("length").getAsInt(), h.toString());
            int w = d.get("width").getAsInt();
            int h0 = d.get("height").getAsInt();
            assertTrue(w > 0 && h0 > 0 && w <= 64 && h0 <= 64, "a small preview: " + d);
            out.add(new Preview(h.get("step").getAsInt(), w, h0, decode(format, bytes, w, h0)));
        }
        assertEquals("result", f.type(), f.header().toString());
        return out;
    }

    private static int[] decode(String format, byte[] bytes, int w, int h) throws Exception {
        int[] rgb = new int[w * h];
        if (format.equals("png")) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            assertNotNull(img, "the png preview does not decode");
            assertEquals(w, img.getWidth());
            assertEquals(h, img.getHeight());
            img.getRGB(0, 0, w, h, rgb, 0, w);
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] &= 0xFFFFFF;
            }
            return rgb;
        }
        assertEquals(4L * w * h, bytes.length, format + " is 4 bytes a pixel");
        boolean red0 = format.equals("rgba8");
        for (int i = 0; i < rgb.length; i++) {
            int r = bytes[4 * i + (red0 ? 0 : 2)] & 0xFF;
            int g = bytes[4 * i + 1] & 0xFF;
            int b = bytes[4 * i + (red0 ? 2 : 0)] & 0xFF;
            assertEquals(0xFF, bytes[4 * i + 3] & 0xFF, "alpha is 255 on output, pixel " + i);
            rgb[i] = r << 16 | g << 8 | b;
        }
        return rgb;
    }

    private static boolean distinct(List<Preview> ps) {
        for (int i = 1; i < ps.size(); i++) {
            if (java.util.Arrays.equals(ps.get(i - 1).rgb(), ps.get(i).rgb())) {
                return false;
            }
        }
        return true;
    }
}
