package dev.pigment.bridge;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A 4096x4096 RGBA image through the bridge (send, a classic inpaint with an empty mask so the engine returns the
 * source, receive the bgra8 result) against a raw loopback socket copy of the same bytes in the same JVM, the two
 * interleaved round by round.
 * Not part of the suite; run: mvn -q -pl plugin-krita-bridge -am test -Dtest=BridgeRoundTripBenchmark
 * -Dpigment.bench=true -Dsurefire.failIfNoSpecifiedTests=false
 */
class BridgeRoundTripBenchmark {
    private static final int SIDE = 4096;
    private static final int ROUNDS = 5;

    @Test
    void roundTrip() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("pigment.bench"), "benchmark: pass -Dpigment.bench=true");
        byte[] image = BridgeServerTest.bgra(SIDE, SIDE, 1);
        byte[] mask = new byte[SIDE * SIDE];
        long[] bridge = new long[ROUNDS];
        long[] raw = new long[ROUNDS];
        try (Servers s = new Servers(ServerLimits.DEFAULTS, null); TestClient c = TestClient.greeted(s.port())) {
            for (int i = -1; i < ROUNDS; i++) { // round -1 warms up the JIT and the engine cache
                long t0 = System.nanoTime();
                c.send(BridgeServerTest.inpaintJson(i + 10, SIDE, SIDE), image, mask);
                Frame r = c.end(i + 10);
                long t = System.nanoTime() - t0;
                if (!"result".equals(r.type()) || !Arrays.equals(image, r.attachments().get(0))) {
                    throw new AssertionError("the echo changed the image: " + r.header());
                }
                // The raw copy runs right after each bridge round, so both see the same load on a shared machine.
                long tr = rawEcho(image, mask);
                if (i >= 0) {
                    bridge[i] = t;
                    raw[i] = tr;
                    System.out.println("engine timings " + r.header().get("timings") + ", bridge " + t / 1_000_000
                            + " ms, raw " + tr / 1_000_000 + " ms");
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

    /** Sends image+mask to a loopback echo that returns the image: the bytes the bridge moves, nothing else. */
    private static long rawEcho(byte[] image, byte[] mask) throws Exception {
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
                s.setTcpNoDelay(true);
                OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16);
                out.write(image);
                out.write(mask);
                out.flush();
                byte[] back = new byte[image.length];
                new DataInputStream(s.getInputStream()).readFully(back);
            }
            long t = System.nanoTime() - t0;
            echo.join();
            return t;
        }
    }
}
