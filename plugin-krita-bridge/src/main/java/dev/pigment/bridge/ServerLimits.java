package dev.pigment.bridge;

import java.time.Duration;

/**
 * What one server accepts. The defaults suit one artist's machine: a 8192x8192 RGBA image fits in a frame.
 *
 * @param maxFrameBytes      header plus attachments of one incoming frame
 * @param maxImagePixels     pixels of any one incoming image
 * @param maxQueuedJobs      unfinished jobs one client may have
 * @param maxConnections     clients connected at once
 * @param idleTimeout        a client with no job that sends nothing for this long is disconnected
 * @param maxPendingBytes    bytes waiting to be sent to one client before it counts as a slow reader and is
 *                           disconnected (previews are dropped long before: see {@link #previewBacklogBytes})
 * @param previewBacklogBytes a preview is dropped when more than this is already waiting for the client
 * @param writeStall         a client that accepts no byte of a pending frame for this long is disconnected
 */
public record ServerLimits(long maxFrameBytes, long maxImagePixels, int maxQueuedJobs, int maxConnections,
                           Duration idleTimeout, long maxPendingBytes, long previewBacklogBytes, Duration writeStall) {
    public static final ServerLimits DEFAULTS = new ServerLimits(300L << 20, 8192L * 8192, 8, 16,
            Duration.ofMinutes(10), 1L << 30, 256 << 10, Duration.ofSeconds(60));

    public ServerLimits {
        if (maxFrameBytes < 1024 || maxImagePixels < 1 || maxQueuedJobs < 1 || maxConnections < 1
                || maxPendingBytes < 1 || previewBacklogBytes < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxFrameBytes + " " + maxImagePixels + " "
                    + maxQueuedJobs + " " + maxConnections + " " + maxPendingBytes + " " + previewBacklogBytes);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || writeStall.isNegative() || writeStall.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive: " + idleTimeout + " " + writeStall);
        }
    }

    public ServerLimits withMaxFrameBytes(long v) {
        return new ServerLimits(v, maxImagePixels, maxQueuedJobs, maxConnections, idleTimeout, maxPendingBytes,
                previewBacklogBytes, writeStall);
    }

    public ServerLimits withMaxImagePixels(long v) {
        return new ServerLimits(maxFrameBytes, v, maxQueuedJobs, maxConnections, idleTimeout, maxPendingBytes,
                previewBacklogBytes, writeStall);
    }

    public ServerLimits withMaxQueuedJobs(int v) {
        return new ServerLimits(maxFrameBytes, maxImagePixels, v, maxConnections, idleTimeout, maxPendingBytes,
                previewBacklogBytes, writeStall);
    }

    public ServerLimits withMaxConnections(int v) {
        return new ServerLimits(maxFrameBytes, maxImagePixels, maxQueuedJobs, v, idleTimeout, maxPendingBytes,
                previewBacklogBytes, writeStall);
    }

    public ServerLimits withIdleTimeout(Duration v) {
        return new ServerLimits(maxFrameBytes, maxImagePixels, maxQueuedJobs, maxConnections, v, maxPendingBytes,
                previewBacklogBytes, writeStall);
    }

    public ServerLimits withMaxPendingBytes(long v) {
        return new ServerLimits(maxFrameBytes, maxImagePixels, maxQueuedJobs, maxConnections, idleTimeout, v,
                previewBacklogBytes, writeStall);
    }
}
