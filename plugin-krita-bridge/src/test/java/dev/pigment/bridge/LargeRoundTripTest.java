package dev.pigment.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The shortcuts the round-trip benchmark relies on (the mask's emptiness scanned once from its bytes, the
 * unchanged source sent from its own bytes after a word-wide alpha check) checked on a canvas large enough to
 * cross every block those scans work in, byte for byte.
 */
class LargeRoundTripTest {
    private static final int W = 1031; // odd sizes: the 8-byte and 64 KiB blocks never divide the buffers evenly
    private static final int H = 1021;

    private static String inpaint(long id, String resultFormat, String fill) {
        return BridgeServerTest.inpaintJson(id, W, H).replace("\"result_format\":\"bgra8\"",
                "\"result_format\":\"" + resultFormat + "\",\"fill\":\"" + fill + "\"");
    }

    @Test
    void anEmptyMaskSendsBackExactlyTheSourceBytesWithAlphaOpaque() throws Exception {
        byte[] src = BridgeServerTest.bgra(W, H, 21);
        // Translucent pixels at the start, across a 64 KiB block edge and at the very end: alpha goes out as 255.
        for (int p : new int[] {0, 16383, 16384, W * H / 2, W * H - 1}) {
            src[4 * p + 3] = (byte) 17;
        }
        byte[] mask = new byte[W * H];
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null); TestClient c = TestClient.greeted(s.port())) {
            byte[] expected = src.clone();
            for (int i = 3; i < expected.length; i += 4) {
                expected[i] = (byte) 0xFF;
            }
            c.send(inpaint(1, "bgra8", "blur"), src, mask);
            assertArrayEquals(expected, result(c, 1));
            c.send(inpaint(2, "rgba8", "blur"), src, mask);
            byte[] rgba = result(c, 2);
            for (int i = 0; i < rgba.length; i += 4) {
                if (rgba[i] != expected[i + 2] || rgba[i + 1] != expected[i + 1] || rgba[i + 2] != expected[i]
                        || rgba[i + 3] != (byte) 0xFF) {
                    throw new AssertionError("rgba8 pixel " + i / 4 + " is not the source's");
                }
            }
            byte[] opaque = BridgeServerTest.bgra(W, H, 22);
            c.send(inpaint(3, "bgra8", "blur"), opaque, mask);
            assertArrayEquals(opaque, result(c, 3));
        }
    }

    @Test
    void aSmallHoleInALargeCanvasChangesNoByteOutsideTheMask() throws Exception {
        smallHole(inpaint(1, "bgra8", "blur"));
    }

    /** The demo model: a context crop, composited into a canvas that stays 8-bit and is sent from its bytes. */
    @Test
    void aModelInpaintOfASmallHoleSendsTheSourceBytesEverywhereElse() throws Exception {
        smallHole(BridgeServerTest.inpaintJson(1, W, H).replace("\"model\":\"classic\"",
                "\"model\":\"demo\",\"steps\":2,\"prompt\":\"red heart\""));
    }

    private static void smallHole(String submit) throws Exception {
        byte[] src = BridgeServerTest.bgra(W, H, 23);
        int x0 = 500;
        int y0 = 300;
        int x1 = 541;
        int y1 = 333;
        byte[] mask = BridgeServerTest.rectMask(W, H, x0, y0, x1, y1);
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null); TestClient c = TestClient.greeted(s.port())) {
            c.send(submit, src, mask);
            byte[] out = result(c, 1);
            assertEquals(src.length, out.length);
            int changed = 0;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int i = 4 * (y * W + x);
                    boolean inside = x >= x0 && x < x1 && y >= y0 && y < y1;
                    for (int ch = 0; ch < 4; ch++) {
                        if (!inside && src[i + ch] != out[i + ch]) {
                            throw new AssertionError("byte " + ch + " of pixel " + x + "," + y + " outside the mask changed");
                        }
                        changed += inside && ch < 3 && src[i + ch] != out[i + ch] ? 1 : 0;
                    }
                }
            }
            assertTrue(changed > 0, "the hole was filled");
        }
    }

    private static byte[] result(TestClient c, long job) throws Exception {
        Frame r = c.end(job);
        assertEquals("result", r.type(), r.header().toString());
        return r.attachments().get(0);
    }
}
