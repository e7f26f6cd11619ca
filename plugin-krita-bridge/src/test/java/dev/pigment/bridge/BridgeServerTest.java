package dev.pigment.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BridgeServerTest {
    private static final String HELLO = "{\"type\":\"hello\",\"id\":0,\"protocol\":1}";

    static byte[] bgra(int w, int h, int seed) {
        byte[] b = new byte[w * h * 4];
        Random r = new Random(seed);
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i % 4 == 3 ? 255 : r.nextInt(256));
        }
        return b;
    }

    static byte[] rectMask(int w, int h, int x0, int y0, int x1, int y1) {
        byte[] m = new byte[w * h];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                m[y * w + x] = (byte) 255;
            }
        }
        return m;
    }

    static String inpaintJson(long id, int w, int h) {
        return "{\"type\":\"submit\",\"id\":" + id + ",\"task\":\"inpaint\",\"model\":\"classic\",\"seed\":1,"
                + "\"image\":0,\"mask\":1,\"result_format\":\"bgra8\",\"attachments\":[{\"format\":\"bgra8\",\"width\":"
                + w + ",\"height\":" + h + ",\"length\":" + w * h * 4 + "},{\"format\":\"gray8\",\"width\":" + w
                + ",\"height\":" + h + ",\"length\":" + w * h + "}]}";
    }

    @Test
    void aClassicInpaintRoundTripKeepsEveryPixelOutsideTheMask() throws Exception {
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null); TestClient c = TestClient.greeted(s.port())) {
            byte[] src = bgra(40, 30, 1);
            c.send(inpaintJson(5, 40, 30), src, rectMask(40, 30, 10, 10, 20, 18));
            Frame queued = c.read();
            assertEquals("queued", queued.type());
            Frame result = c.end(5);
            assertEquals("result", result.type(), result.header().toString());
            byte[] out = result.attachments().get(0);
            assertEquals(src.length, out.length);
            int changed = 0;
            for (int y = 0; y < 30; y++) {
                for (int x = 0; x < 40; x++) {
                    boolean inside = x >= 10 && x < 20 && y >= 10 && y < 18;
                    for (int ch = 0; ch < 3; ch++) {
                        int i = (y * 40 + x) * 4 + ch;
                        if (!inside) {
                            assertEquals(src[i], out[i], "outside the mask at " + x + "," + y);
                        } else if (src[i] != out[i]) {
                            changed++;
                        }
                    }
                }
            }
            assertTrue(changed > 0, "the hole was filled");
            assertEquals(1, result.header().getAsJsonArray("images").get(0).getAsJsonObject().get("seed").getAsLong());
        }
    }

    @Test
    void aDemoTextToImageJobReportsPhasesAndIsDeterministic() throws Exception {
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null); TestClient c = TestClient.greeted(s.port())) {
            String job = "{\"type\":\"submit\",\"id\":%d,\"task\":\"text-to-image\",\"model\":\"demo\","
                    + "\"prompt\":\"red heart\",\"steps\":4,\"seed\":3,\"previews\":true,\"result_format\":\"rgba8\"}";
            c.send(String.format(job, 1));
            List<String> phases = new ArrayList<>();
            Frame a = c.readUntil(f -> {
                if (f.type().equals("progress")) {
                    phases.add(f.header().get("phase").getAsString());
                }
                return TestClient.isEnd(f, 1);
            });
            c.send(String.format(job, 2));
            Frame b = c.end(2);
            assertEquals("result", a.type(), a.header().toString());
            assertTrue(phases.contains("load") && phases.contains("denoise") && phases.contains("decode"), phases.toString());
            assertEquals(64 * 64 * 4, a.attachments().get(0).length);
            assertTrue(java.util.Arrays.equals(a.attachments().get(0), b.attachments().get(0)), "same seed, same pixels");
        }
    }

    @Test
    void badMessagesAreRefusedByNameAndTheConnectionGoesOn() throws Exception {
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null); TestClient c = TestClient.greeted(s.port())) {
            String[][] cases = {
                {"{\"type\":\"dance\",\"id\":1}", "dance"},
                {"{\"id\":2}", "type"},
                {"{\"type\":\"ping\",\"id\":\"x\"}", "id"},
                {"{\"type\":\"submit\",\"id\":3,\"task\":\"text-to-image\",\"model\":\"demo\",\"steps\":\"many\"}", "steps"},
                {"{\"type\":\"submit\",\"id\":4,\"task\":\"paint\",\"model\":\"demo\"}", "paint"},
                {"{\"type\":\"submit\",\"id\":5,\"task\":\"text-to-image\",\"model\":\"demo\",\"colour\":1}", "colour"},
                {"{\"type\":\"submit\",\"id\":6,\"task\":\"inpaint\",\"model\":\"classic\",\"image\":0}", "attachment"},
                {"{\"type\":\"submit\",\"id\":7,\"task\":\"text-to-image\",\"model\":\"nope\"}", "nope"},
                {"{\"type\":\"cancel\",\"id\":8,\"job\":99}", "99"},
                {"{\"type\":\"submit\",\"id\":9,\"task\":\"text-to-image\",\"model\":\"demo\",\"result_format\":\"tiff\"}", "tiff"},
            };
            for (String[] k : cases) {
                c.send(k[0]);
                Frame e = c.readUntil(f -> f.type().equals("error"));
                assertTrue(e.header().get("message").getAsString().contains(k[1]), k[0] + " -> " + e.header());
            }
            c.send("{\"type\":\"ping\",\"id\":10}");
            assertEquals("pong", c.read().type());
        }
    }

    @Test
    void brokenFramesCloseOnlyThatConnection() throws Exception {
        try (Servers s = new Servers(ServerLimits.DEFAULTS.withMaxFrameBytes(1 << 20), null);
             TestClient other = TestClient.greeted(s.port())) {
            List<byte[]> broken = List.of(
                    ByteBuffer.allocate(4).putInt(-5).array(),
                    ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array(),
                    frameBytes("not json at all"),
                    frameBytes("[1,2,3]"),
                    frameBytes("{\"type\":\"ping\",\"id\":1,\"attachments\":[{\"length\":-1}]}"),
                    frameBytes("{\"type\":\"ping\",\"id\":1,\"attachments\":[{\"length\":2000000}]}"),
                    java.util.Arrays.copyOf(frameBytes(HELLO), 10));
            for (byte[] b : broken) {
                try (TestClient c = new TestClient(s.port())) {
                    c.sendRaw(b);
                    c.socket.shutdownOutput();
                    Frame e = c.read();
                    assertNotNull(e, "an error before closing");
                    assertEquals("error", e.type());
                    assertTrue(c.closedByServer(5000));
                }
            }
            other.send("{\"type\":\"ping\",\"id\":1}");
            assertEquals("pong", other.read().type());
        }
    }

    @Test
    void imageAndQueueLimitsAreExplained() throws Exception {
        ServerLimits limits = ServerLimits.DEFAULTS.withMaxImagePixels(40 * 30 - 1).withMaxQueuedJobs(2);
        try (Servers s = new Servers(limits, null); TestClient c = TestClient.greeted(s.port())) {
            c.send(inpaintJson(1, 40, 30), bgra(40, 30, 1), rectMask(40, 30, 1, 1, 5, 5));
            Frame e = c.end(1);
            assertEquals("too_large", e.header().get("code").getAsString(), e.header().toString());
            String slow = "{\"type\":\"submit\",\"id\":%d,\"task\":\"text-to-image\",\"model\":\"demo\",\"steps\":200}";
            c.send(String.format(slow, 2));
            c.send(String.format(slow, 3));
            c.send(String.format(slow, 4));
            Frame refused = c.readUntil(f -> f.type().equals("error"));
            assertEquals("too_many_jobs", refused.header().get("code").getAsString());
            assertEquals(4, refused.header().get("re").getAsLong());
        }
    }

    @Test
    void connectionsBeyondTheLimitAreToldBusy() throws Exception {
        try (Servers s = new Servers(ServerLimits.DEFAULTS.withMaxConnections(2), null);
             TestClient a = TestClient.greeted(s.port()); TestClient b = TestClient.greeted(s.port());
             TestClient c = new TestClient(s.port())) {
            Frame e = c.read();
            assertEquals("busy", e.header().get("code").getAsString());
            a.send("{\"type\":\"ping\",\"id\":1}");
            assertEquals("pong", a.read().type());
        }
    }

    @Test
    void anIdleClientIsDisconnectedWithAReason() throws Exception {
        try (Servers s = new Servers(ServerLimits.DEFAULTS.withIdleTimeout(Duration.ofMillis(300)), null);
             TestClient c = TestClient.greeted(s.port())) {
            Frame e = c.read();
            assertEquals("idle", e.header().get("code").getAsString());
            assertTrue(c.closedByServer(5000));
        }
    }

    @Test
    void withATokenOnlyAHelloWithTheRightTokenGetsIn() throws Exception {
        try (Servers s = new Servers(ServerLimits.DEFAULTS, "correct horse battery")) {
            try (TestClient c = new TestClient(s.port())) {
                c.send("{\"type\":\"ping\",\"id\":1}");
                assertEquals("unauthorized", c.read().header().get("code").getAsString());
                assertTrue(c.closedByServer(5000));
            }
            try (TestClient c = new TestClient(s.port())) {
                c.send("{\"type\":\"hello\",\"id\":1,\"protocol\":1,\"token\":\"correct horse battery!\"}");
                assertEquals("unauthorized", c.read().header().get("code").getAsString());
            }
            try (TestClient c = new TestClient(s.port())) {
                c.send("{\"type\":\"hello\",\"id\":1,\"protocol\":1,\"token\":\"correct horse battery\"}");
                assertEquals("hello", c.read().type());
            }
        }
    }

    @Test
    void aNonLoopbackBindWithoutATokenIsRefused() throws Exception {
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null)) {
            BridgeServer open = new BridgeServer(s.service, ServerLimits.DEFAULTS, null, "t");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> open.start("0.0.0.0", 0));
            assertTrue(e.getMessage().contains("--token"), e.getMessage());
        }
    }

    @Test
    void disconnectingMidJobCancelsItAndTheServerServesOthers() throws Exception {
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null)) {
            TestClient leaver = TestClient.greeted(s.port());
            leaver.send("{\"type\":\"submit\",\"id\":1,\"task\":\"text-to-image\",\"model\":\"demo\",\"steps\":500}");
            leaver.readUntil(f -> f.type().equals("progress") && f.header().get("phase").getAsString().equals("denoise"));
            leaver.close();
            long t0 = System.nanoTime();
            try (TestClient c = TestClient.greeted(s.port())) {
                c.send(inpaintJson(2, 16, 16), bgra(16, 16, 2), rectMask(16, 16, 4, 4, 8, 8));
                assertEquals("result", c.end(2).type());
            }
            // 500 demo steps take far longer than this: the abandoned job was cancelled, not finished.
            assertTrue(System.nanoTime() - t0 < 20_000_000_000L);
        }
    }

    @Test
    void aQueuedOrRunningJobCanBeCancelled() throws Exception {
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null); TestClient c = TestClient.greeted(s.port())) {
            String slow = "{\"type\":\"submit\",\"id\":%d,\"task\":\"text-to-image\",\"model\":\"demo\",\"steps\":500}";
            c.send(String.format(slow, 1));
            c.send(String.format(slow, 2));
            c.readUntil(f -> f.type().equals("progress") && f.header().get("phase").getAsString().equals("denoise"));
            c.send("{\"type\":\"cancel\",\"id\":3,\"job\":2}");
            c.send("{\"type\":\"cancel\",\"id\":4,\"job\":1}");
            java.util.Map<Long, String> ends = new java.util.TreeMap<>();
            while (ends.size() < 2) {
                Frame f = c.readUntil(x -> TestClient.isEnd(x, 1) || TestClient.isEnd(x, 2));
                ends.put(f.header().get("job").getAsLong(), f.header().get("code").getAsString());
            }
            assertEquals(java.util.Map.of(1L, "cancelled", 2L, "cancelled"), ends);
        }
    }

    @Test
    void shutdownTellsClientsAndReleasesThePort() throws Exception {
        Servers s = new Servers(ServerLimits.DEFAULTS, null);
        int port = s.port();
        try (TestClient c = TestClient.greeted(s.port())) {
            c.send("{\"type\":\"submit\",\"id\":1,\"task\":\"text-to-image\",\"model\":\"demo\",\"steps\":500}");
            c.readUntil(f -> f.type().equals("queued"));
            s.close();
            Frame bye = c.readUntil(f -> f.type().equals("bye"));
            assertTrue(bye.header().get("reason").getAsString().contains("cancelled"));
        }
        try (java.net.ServerSocket again = new java.net.ServerSocket()) {
            again.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        }
        assertThrows(java.io.IOException.class, () -> new Socket("127.0.0.1", port).close());
    }

    static byte[] frameBytes(String json) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(4).putInt(h.length).array());
        out.writeBytes(h);
        return out.toByteArray();
    }

    static JsonObject header(Frame f) {
        return f.header();
    }
}
