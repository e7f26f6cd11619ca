package dev.pigment.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** `pigment serve` as a real process: prints its port, and SIGTERM cancels jobs, says bye, exits, frees the port. */
class ServeProcessTest {
    @Test
    void sigtermCancelsRunningJobsTellsClientsAndReleasesThePort() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, "-Dai.djl.offline=true", "-Dpigment.home=" + Servers.home(),
                BridgeMain.class.getName(), "serve", "--port", "0", "--threads", "1"));
        Path log = java.nio.file.Files.createTempFile("pigment-serve", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process p = pb.start();
        try {
            String line = "";
            for (int i = 0; i < 600 && !line.contains("\n"); i++) {
                Thread.sleep(50);
                line = java.nio.file.Files.readString(log);
            }
            Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(String.valueOf(line));
            assertTrue(m.find(), "first line: " + line);
            int port = Integer.parseInt(m.group(1));
            try (TestClient c = TestClient.greeted(port)) {
                c.send("{\"type\":\"submit\",\"id\":1,\"task\":\"text-to-image\",\"model\":\"demo\",\"steps\":500}");
                c.readUntil(f -> f.type().equals("progress") && f.header().get("phase").getAsString().equals("denoise"));
                p.destroy(); // SIGTERM
                Frame bye = c.readUntil(f -> f.type().equals("bye"));
                assertTrue(bye.header().get("reason").getAsString().contains("cancelled"), bye.header().toString());
                assertTrue(c.closedByServer(10_000));
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve did not exit after SIGTERM");
            assertEquals(0, p.exitValue(), "a clean stop on SIGTERM; output:\n"
                    + java.nio.file.Files.readString(log));
            try (ServerSocket again = new ServerSocket()) {
                again.bind(new InetSocketAddress("127.0.0.1", port));
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
