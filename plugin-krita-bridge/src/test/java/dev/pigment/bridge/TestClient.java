package dev.pigment.bridge;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.function.Predicate;

/** A raw protocol client for tests: frames in and out, nothing hidden. */
final class TestClient implements AutoCloseable {
    static final int READ_TIMEOUT_MILLIS = 60_000;
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    private final FrameCodec codec = new FrameCodec(Long.MAX_VALUE);

    TestClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream());
    }

    static TestClient greeted(int port) throws Exception {
        TestClient c = new TestClient(port);
        c.send("{\"type\":\"hello\",\"id\":0,\"protocol\":1}");
        Frame hello = c.read();
        if (!"hello".equals(hello.type())) {
            throw new AssertionError("no hello: " + hello.header());
        }
        return c;
    }

    void send(String json, byte[]... attachments) throws IOException {
        send(new Frame(JsonParser.parseString(json).getAsJsonObject(), List.of(attachments)));
    }

    void send(Frame f) throws IOException {
        FrameCodec.write(out, f);
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame; null when the server closed the connection. */
    Frame read() throws IOException {
        try {
            return codec.read(in);
        } catch (ProtocolException e) {
            throw new IOException("server sent a bad frame: " + e.getMessage(), e);
        }
    }

    /** Reads until a frame matches, returning it; fails on close. */
    Frame readUntil(Predicate<Frame> p) throws IOException {
        while (true) {
            Frame f = read();
            if (f == null) {
                throw new AssertionError("connection closed before the expected frame");
            }
            if (System.getenv("PIGMENT_TRACE") != null) System.err.println("<< " + f.header());
            if (p.test(f)) {
                return f;
            }
        }
    }

    /** The frame that ends job {@code job}: its result or error. */
    Frame end(long job) throws IOException {
        return readUntil(f -> isEnd(f, job));
    }

    static boolean isEnd(Frame f, long job) {
        JsonObject h = f.header();
        return ("result".equals(f.type()) || "error".equals(f.type())) && h.has("job") && h.get("job").getAsLong() == job;
    }

    /** True when the server has closed: reads to the end within the timeout. */
    boolean closedByServer(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            while (read() != null) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
