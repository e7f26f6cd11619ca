package dev.pigment.bridge;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's socket: a reader thread that frames input and hands messages to its {@link Session}, and a
 * writer thread that drains the {@link Outbox}. Tracks activity so the server's watchdog can close idle
 * clients and clients that stopped reading.
 */
final class Connection {
    private final Socket socket;
    private final BridgeServer server;
    private final Outbox outbox;
    private final Session session;
    private final FrameCodec codec;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean finishing = new AtomicBoolean();
    private volatile long lastInputNanos = System.nanoTime();
    /** When the frame being written started, or 0 when the writer is not blocked in a write. */
    private volatile long writeStartedNanos;
    private Thread reader;
    private Thread writer;

    Connection(Socket socket, BridgeServer server) {
        this.socket = socket;
        this.server = server;
        ServerLimits limits = server.limits();
        this.outbox = new Outbox(limits.maxPendingBytes(), limits.previewBacklogBytes());
        this.codec = new FrameCodec(limits.maxFrameBytes());
        this.session = new Session(this, server);
    }

    void start(int number) {
        reader = new Thread(this::readLoop, "pigment-bridge-read-" + number);
        writer = new Thread(this::writeLoop, "pigment-bridge-write-" + number);
        reader.setDaemon(true);
        writer.setDaemon(true);
        writer.start();
        reader.start();
    }

    private void readLoop() {
        // The stream is not closed here: that would close the socket before a final error is written.
        try {
            InputStream in = new ActivityStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            while (!finishing.get()) {
                Frame frame;
                try {
                    frame = codec.read(in);
                } catch (ProtocolException e) {
                    finish(Messages.error(-1, -1, e.code(), e.getMessage()));
                    return;
                }
                if (frame == null) {
                    break;
                }
                session.handle(frame);
            }
            finish(null);
        } catch (IOException e) {
            abort(); // the socket went away (or the watchdog closed it)
        }
    }

    private void writeLoop() {
        try (OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16)) {
            Outbox.Pending f;
            while ((f = outbox.take()) != null) {
                writeStartedNanos = System.nanoTime();
                FrameCodec.write(out, f.header(), f.attachments());
                out.flush();
                writeStartedNanos = 0;
                outbox.sent(f);
            }
        } catch (IOException | InterruptedException e) {
            // the client is gone; the reader or the watchdog cleans up
        } finally {
            abort();
        }
    }

    /** Queues a frame for the client; an essential frame past the bound closes the connection (slow reader). */
    void send(Frame frame, boolean droppable) {
        if (!outbox.offer(frame, droppable)) {
            abort();
        }
    }

    /** Sends {@code last} (if any) after everything queued, then closes; the client's jobs are cancelled. */
    void finish(com.google.gson.JsonObject last) {
        if (!finishing.compareAndSet(false, true)) {
            return;
        }
        session.cancelAll();
        // The writer sends what is queued and this last frame, then closes the socket.
        outbox.finish(last == null ? null : Frame.of(last));
        try {
            socket.shutdownInput();
        } catch (IOException e) {
            // already closed
        }
    }

    /** Whether a droppable frame (progress) sent now would be dropped because the client reads slowly. */
    boolean dropsProgress() {
        return outbox.dropsDroppable();
    }

    /** Closes now, dropping whatever was queued. */
    void abort() {
        if (closed.compareAndSet(false, true)) {
            session.cancelAll();
            outbox.abandon();
            try {
                socket.close();
            } catch (IOException e) {
                // nothing more to do
            }
            server.removed(this);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Idle: no input for longer than the limit and nothing running or waiting to be sent. */
    boolean isIdle(long nowNanos, long idleNanos) {
        return nowNanos - lastInputNanos > idleNanos && !session.hasJobs() && outbox.isEmpty();
    }

    boolean isWriteStalled(long nowNanos, long stallNanos) {
        long started = writeStartedNanos;
        return started != 0 && nowNanos - started > stallNanos;
    }

    void join(long millis) throws InterruptedException {
        if (reader != null) {
            reader.join(millis);
        }
        if (writer != null) {
            writer.join(millis);
        }
    }

    /** Counts every byte that arrives as activity, so a slow upload of a large frame is not "idle". */
    private final class ActivityStream extends FilterInputStream {
        ActivityStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            lastInputNanos = System.nanoTime();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            lastInputNanos = System.nanoTime();
            return n;
        }
    }
}
