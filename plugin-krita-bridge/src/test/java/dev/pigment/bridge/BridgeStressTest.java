package dev.pigment.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Hostile and busy clients: the server stays up, every job ends, nothing leaks. */
class BridgeStressTest {
    private static final String HELLO = "{\"type\":\"hello\",\"id\":0,\"protocol\":1}";

    @Test
    void thousandsOfMutatedFramesNeverTakeTheServerDown() throws Exception {
        try (Servers s = new Servers(ServerLimits.DEFAULTS.withMaxFrameBytes(1 << 20), null)) {
            List<byte[]> valid = validFrames();
            Random r = new Random(20261130);
            for (int i = 0; i < 2000; i++) {
                byte[] frame = mutate(valid.get(r.nextInt(valid.size())), r);
                try (TestClient c = new TestClient(s.port())) {
                    c.sendRaw(BridgeServerTest.frameBytes(HELLO));
                    c.sendRaw(frame);
                    c.socket.shutdownOutput();
                    assertTrue(c.closedByServer(10_000), "case " + i + " left the connection hanging");
                } catch (IOException e) {
                    // the server may reset a connection it closed while we were still writing: fine
                }
            }
            try (TestClient c = TestClient.greeted(s.port())) {
                c.send("{\"type\":\"ping\",\"id\":1}");
                assertEquals("pong", c.read().type());
            }
            awaitNoConnections(s);
        }
    }

    @Test
    void eightClientsWithRandomCancelsAndDisconnectsAllEndCleanly() throws Exception {
        // Earlier tests' servers may still be winding down their threads: count from a settled baseline, or
        // one of theirs ending during this test reads as "fewer threads than before".
        int before = awaitBridgeThreadsAtMost(0);
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<String>> outcomes = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                int client = k;
                outcomes.add(pool.submit(() -> runClient(s.port(), new Random(client))));
            }
            for (Future<String> f : outcomes) {
                String outcome = f.get(120, TimeUnit.SECONDS);
                assertTrue(outcome.startsWith("ok") || outcome.equals("left"), outcome);
            }
            pool.shutdown();
            awaitNoConnections(s);
        }
        int after = awaitBridgeThreadsAtMost(before);
        assertTrue(after <= before, "bridge threads left running: " + after + " after, " + before + " before");
    }

    @Test
    void aClientThatStopsReadingIsDroppedWithoutStallingOthers() throws Exception {
        try (Servers s = new Servers(ServerLimits.DEFAULTS.withMaxPendingBytes(1 << 20), null)) {
            java.net.Socket raw = new java.net.Socket();
            raw.setReceiveBufferSize(4096);
            raw.connect(new java.net.InetSocketAddress("127.0.0.1", s.port()));
            var out = raw.getOutputStream();
            out.write(BridgeServerTest.frameBytes(HELLO));
            int side = 512;
            for (int id = 1; id <= 8; id++) {
                Frame f = new Frame(com.google.gson.JsonParser.parseString(BridgeServerTest.inpaintJson(id, side, side))
                        .getAsJsonObject(), List.of(BridgeServerTest.bgra(side, side, id),
                        BridgeServerTest.rectMask(side, side, 0, 0, 4, 4)));
                FrameCodec.write(out, f);
            }
            out.flush();
            // Never read. Another client is still served meanwhile, and the silent one is eventually dropped.
            try (TestClient c = TestClient.greeted(s.port())) {
                c.send(BridgeServerTest.inpaintJson(1, 16, 16), BridgeServerTest.bgra(16, 16, 1),
                        BridgeServerTest.rectMask(16, 16, 2, 2, 6, 6));
                assertEquals("result", c.end(1).type());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (s.server.connectionCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, s.server.connectionCount(), "the slow reader is still connected");
            raw.close();
        }
    }

    private static String runClient(int port, Random r) throws Exception {
        try (TestClient c = TestClient.greeted(port)) {
            int jobs = 2 + r.nextInt(3);
            Set<Long> open = new TreeSet<>();
            for (long id = 1; id <= jobs; id++) {
                if (r.nextInt(4) == 0) {
                    c.send("{\"type\":\"submit\",\"id\":" + id + ",\"task\":\"text-to-image\",\"model\":\"demo\",\"steps\":3,\"seed\":1}");
                } else {
                    int side = 16 + r.nextInt(32);
                    c.send(BridgeServerTest.inpaintJson(id, side, side), BridgeServerTest.bgra(side, side, (int) id),
                            BridgeServerTest.rectMask(side, side, 2, 2, side / 2, side / 2));
                }
                open.add(id);
            }
            if (r.nextInt(3) == 0) {
                c.send("{\"type\":\"cancel\",\"id\":100,\"job\":" + (1 + r.nextInt(jobs)) + "}");
            }
            if (r.nextInt(4) == 0) {
                return "left"; // disconnect with jobs open: they must be cancelled server-side
            }
            StringBuilder outcome = new StringBuilder("ok");
            while (!open.isEmpty()) {
                Frame f = c.read();
                if (f == null) {
                    return "closed early with jobs " + open;
                }
                if ((f.type().equals("result") || f.type().equals("error")) && f.header().has("job")) {
                    String code = f.type().equals("error") ? f.header().get("code").getAsString() : "result";
                    if (!code.equals("result") && !code.equals("cancelled")) {
                        return "job failed: " + f.header();
                    }
                    open.remove(f.header().get("job").getAsLong());
                    outcome.append(' ').append(code);
                }
            }
            return outcome.toString();
        }
    }

    private static List<byte[]> validFrames() {
        List<byte[]> out = new ArrayList<>();
        out.add(BridgeServerTest.frameBytes("{\"type\":\"ping\",\"id\":1}"));
        out.add(BridgeServerTest.frameBytes("{\"type\":\"models\",\"id\":2}"));
        out.add(BridgeServerTest.frameBytes("{\"type\":\"cancel\",\"id\":3,\"job\":4}"));
        out.add(BridgeServerTest.frameBytes("{\"type\":\"submit\",\"id\":5,\"task\":\"text-to-image\",\"model\":\"demo\",\"steps\":1,\"seed\":2}"));
        ByteArrayOutputStream inpaint = new ByteArrayOutputStream();
        inpaint.writeBytes(BridgeServerTest.frameBytes(BridgeServerTest.inpaintJson(6, 8, 8)));
        inpaint.writeBytes(BridgeServerTest.bgra(8, 8, 3));
        inpaint.writeBytes(BridgeServerTest.rectMask(8, 8, 2, 2, 5, 5));
        out.add(inpaint.toByteArray());
        return out;
    }

    /** One to four random edits: flip, overwrite with a JSON-significant byte, delete, insert or truncate. */
    private static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        byte[] special = "{}[]\":,0-9eE.\\ ntf".getBytes();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(5)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = special[r.nextInt(special.length)];
                case 2 -> b = concat(java.util.Arrays.copyOf(b, at), java.util.Arrays.copyOfRange(b, at + 1, b.length));
                case 3 -> b = concat(concat(java.util.Arrays.copyOf(b, at), new byte[] {special[r.nextInt(special.length)]}),
                        java.util.Arrays.copyOfRange(b, at, b.length));
                default -> b = java.util.Arrays.copyOf(b, at);
            }
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static void awaitNoConnections(Servers s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (s.server.connectionCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, s.server.connectionCount(), "connections left open");
    }

    /** Waits up to 10 s for at most {@code limit} bridge threads; returns the count then. */
    private static int awaitBridgeThreadsAtMost(int limit) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (bridgeThreads() > limit && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return bridgeThreads();
    }

    private static int bridgeThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("pigment-bridge-")).count();
    }
}
