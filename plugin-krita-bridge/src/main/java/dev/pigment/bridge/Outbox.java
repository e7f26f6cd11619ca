package dev.pigment.bridge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Frames waiting for one client, bounded in bytes so a client that stops reading cannot grow the server's
 * memory: droppable frames (progress) are dropped once a backlog builds, and an essential frame that would
 * pass the hard bound is refused, after which the connection is closed as a slow reader.
 */
final class Outbox {
    /** A queued frame, its header encoded once: the size accounting and the writer use the same bytes. */
    record Pending(byte[] header, List<byte[]> attachments, long size) {
        static Pending of(Frame frame) {
            byte[] header = frame.header().toString().getBytes(StandardCharsets.UTF_8);
            long size = header.length;
            for (byte[] a : frame.attachments()) {
                size += a.length;
            }
            return new Pending(header, frame.attachments(), size);
        }
    }

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final long maxPendingBytes;
    private final long dropBacklogBytes;
    private long pendingBytes;
    private boolean finished;

    Outbox(long maxPendingBytes, long dropBacklogBytes) {
        this.maxPendingBytes = maxPendingBytes;
        this.dropBacklogBytes = dropBacklogBytes;
    }

    /**
     * @return false when the frame was essential and the bound is exceeded: the caller closes the connection.
     *         A dropped droppable frame, or any offer after {@link #finish()}, returns true.
     */
    synchronized boolean offer(Frame frame, boolean droppable) {
        if (finished) {
            return true;
        }
        if (droppable && dropsDroppable()) {
            return true;
        }
        Pending p = Pending.of(frame);
        if (!droppable && pendingBytes > 0 && pendingBytes + p.size() > maxPendingBytes) {
            return false;
        }
        queue.add(p);
        pendingBytes += p.size();
        notifyAll();
        return true;
    }

    /** Adds a last frame (may be null) and accepts no more; the writer sends what is queued, then stops. */
    synchronized void finish(Frame last) {
        if (!finished && last != null) {
            Pending p = Pending.of(last);
            queue.add(p);
            pendingBytes += p.size();
        }
        finished = true;
        notifyAll();
    }

    /** Drops everything queued and accepts no more. */
    synchronized void abandon() {
        queue.clear();
        pendingBytes = 0;
        finished = true;
        notifyAll();
    }

    /** The next frame, waiting for one; null once finished and drained. */
    synchronized Pending take() throws InterruptedException {
        while (queue.isEmpty() && !finished) {
            wait();
        }
        return queue.poll();
    }

    /** Called by the writer once a taken frame is on the wire. */
    synchronized void sent(Pending frame) {
        pendingBytes -= frame.size();
    }

    /** Whether a droppable frame offered now would be dropped: a backlog is waiting for the client. */
    synchronized boolean dropsDroppable() {
        return pendingBytes > dropBacklogBytes;
    }

    synchronized boolean isEmpty() {
        return queue.isEmpty();
    }
}
