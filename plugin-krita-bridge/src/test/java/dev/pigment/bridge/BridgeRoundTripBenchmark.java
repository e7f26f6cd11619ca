package dev.pigment.bridge;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A 4096x4096 RGBA image through the bridge (send, a classic inpaint with an empty mask so the engine returns the
 * source, receive the bgra8 result) against a raw loopback socket copy of the same bytes in the same JVM, the two
 * interleaved round by round. Each bridge round also prints when each stage ended, seen from the client: the
 * request written, the {@code queued} event (the server has read and decoded the frame), the result's header
 * (the job ran and its result is on the way) and the result's last byte.
 * Not part of the suite; run: mvn -q -pl plugin-krita-bridge -am test -Dtest=BridgeRoundTripBenchmark
 * -Dpigment.bench=true -Dsurefire.failIfNoSpecifiedTests=false
 */
class BridgeRoundTripBenchmark {
    private static final int SIDE = 4096;
    private static final int ROUNDS = Integer.getInteger("pigment.bench.rounds", 9);

    @Test
    void roundTrip() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("pigment.bench"), "benchmark: pass -Dpigment.bench=true");
        byte[] image = BridgeServerTest.bgra(SIDE, SIDE, 1);
        byte[] mask = new byte[SIDE * SIDE];
        long[] bridge = new long[ROUNDS];
        long[] raw = new long[ROUNDS];
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null); TestClient c = TestClient.greeted(s.port())) {
            c.socket.setTcpNoDelay(true); // as the raw copy's client and the Python client do
            for (int i = -1; i < ROUNDS; i++) { // round -1 warms up the JIT and the engine cache
                long[] stages = new long[4];
                long gc0 = gcMillis();
                long t0 = System.nanoTime();
                c.send(BridgeServerTest.inpaintJson(i + 10, SIDE, SIDE), image, mask);
                stages[0] = System.nanoTime();
                Frame r = readResult(c, i + 10, stages);
                long t = System.nanoTime() - t0;
                long gc = gcMillis() - gc0;
                if (!"result".equals(r.type()) || !Arrays.equals(image, r.attachments().get(0))) {
                    throw new AssertionError("the echo changed the image: " + r.header());
                }
                // The raw copy runs right after each bridge round, so both see the same load on a shared machine.
                long[] rawStages = new long[2];
                long gr0 = gcMillis();
                long tr = rawEcho(image, mask, rawStages);
                long gr = gcMillis() - gr0;
                if (i >= 0) {
                    bridge[i] = t;
                    raw[i] = tr;
                    System.out.printf("bridge %d ms (sent %.1f, queued %.1f, result header %.1f, result read %.1f"
                            + " ms; GC %d ms), raw %d ms (sent %.1f, first byte back %.1f, read %.1f ms; GC %d ms),"
                            + " engine timings %s%n", t / 1_000_000, ms(stages[0] - t0),
                            ms(stages[1] - stages[0]), ms(stages[2] - stages[1]), ms(stages[3] - stages[2]), gc,
                            tr / 1_000_000, ms(rawStages[0]), ms(rawStages[1] - rawStages[0]), ms(tr - rawStages[1]), gr,
                            r.header().get("timings"));
                }
            }
        }
        Arrays.sort(bridge);
        Arrays.sort(raw);
        double b = bridge[ROUNDS / 2] / 1e6;
        double r = raw[ROUNDS / 2] / 1e6;
        System.out.printf("4096x4096 RGBA round trip, median of %d: bridge %.0f ms, raw loopback copy %.0f ms,"
                + " ratio %.2f%n", ROUNDS, b, r, b / r);
    }

    /**
     * A job that changes pixels: the demo model inpaints a 64x64 hole in the same 4096x4096 canvas (context crop,
     * composite inside the mask, bgra8 result). Reported next to the raw copy; its own cost is the model's.
     */
    @Test
    void regionEdit() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("pigment.bench"), "benchmark: pass -Dpigment.bench=true");
        byte[] image = BridgeServerTest.bgra(SIDE, SIDE, 1);
        byte[] mask = BridgeServerTest.rectMask(SIDE, SIDE, 2000, 1500, 2064, 1564);
        long[] bridge = new long[ROUNDS];
        long[] raw = new long[ROUNDS];
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null); TestClient c = TestClient.greeted(s.port())) {
            c.socket.setTcpNoDelay(true);
            for (int i = -1; i < ROUNDS; i++) {
                String json = BridgeServerTest.inpaintJson(i + 10, SIDE, SIDE).replace("\"model\":\"classic\"",
                        "\"model\":\"demo\",\"steps\":2,\"prompt\":\"red heart\"");
                long t0 = System.nanoTime();
                c.send(json, image, mask);
                Frame r = c.end(i + 10);
                long t = System.nanoTime() - t0;
                if (!"result".equals(r.type())) {
                    throw new AssertionError(r.header().toString());
                }
                long tr = rawEcho(image, mask, new long[2]);
                if (i >= 0) {
                    bridge[i] = t;
                    raw[i] = tr;
                    System.out.printf("region edit %d ms (engine timings %s), raw %d ms%n", t / 1_000_000,
                            r.header().get("timings"), tr / 1_000_000);
                }
            }
        }
        Arrays.sort(bridge);
        Arrays.sort(raw);
        System.out.printf("4096x4096 canvas, 64x64 hole, demo model (2 steps), median of %d: bridge %.0f ms, raw"
                + " loopback copy %.0f ms%n", ROUNDS, bridge[ROUNDS / 2] / 1e6, raw[ROUNDS / 2] / 1e6);
    }

    /** Milliseconds the collectors have spent so far (pauses and concurrent work as the JVM reports them). */
    private static long gcMillis() {
        long t = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /**
     * Reads up to job {@code job}'s result, noting in {@code stages[1..3]} when the queued event, the result's
     * header and the result's last byte arrived.
     */
    private static Frame readResult(TestClient c, long job, long[] stages) throws Exception {
        DataInputStream in = new DataInputStream(c.in);
        while (true) {
            byte[] header = new byte[in.readInt()];
            in.readFully(header);
            JsonObject h = JsonParser.parseString(new String(header, StandardCharsets.UTF_8)).getAsJsonObject();
            long now = System.nanoTime();
            java.util.List<byte[]> attachments = new java.util.ArrayList<>();
            if (h.has("attachments")) {
                for (var d : h.getAsJsonArray("attachments")) {
                    byte[] a = new byte[d.getAsJsonObject().get("length").getAsInt()];
                    in.readFully(a);
                    attachments.add(a);
                }
            }
            Frame f = new Frame(h, attachments);
            if ("queued".equals(f.type())) {
                stages[1] = now;
            } else if (TestClient.isEnd(f, job)) {
                stages[2] = now;
                stages[3] = System.nanoTime();
                return f;
            }
        }
    }

    /** Sends image+mask to a loopback echo that returns the image: the bytes the bridge moves, nothing else. */
    private static long rawEcho(byte[] image, byte[] mask, long[] stages) throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    byte[] got = new byte[image.length + mask.length];
                    new DataInputStream(in).readFully(got);
                    out.write(got, 0, image.length);
                    out.flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            echo.start();
            long t0 = System.nanoTime();
            try (Socket s = new Socket("127.0.0.1", server.getLocalPort())) {
                // The bridge's client has the same socket options, so the two differ only by what is in between.
                s.setTcpNoDelay(true);
                s.setSoTimeout(TestClient.READ_TIMEOUT_MILLIS);
                OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16);
                out.write(image);
                out.write(mask);
                out.flush();
                stages[0] = System.nanoTime() - t0;
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte first = in.readByte();
                stages[1] = System.nanoTime() - t0;
                // Allocated once the first byte is in, as a framed client does once the header has told the size.
                byte[] back = new byte[image.length];
                back[0] = first;
                in.readFully(back, 1, back.length - 1);
            }
            long t = System.nanoTime() - t0;
            echo.join();
            return t;
        }
    }
}
