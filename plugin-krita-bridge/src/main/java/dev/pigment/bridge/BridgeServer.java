package dev.pigment.bridge;

import dev.pigment.core.service.GenerationService;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bridge: accepts clients on a socket and runs their jobs on one shared {@link GenerationService}
 * (docs/protocol.md). Binds loopback unless told otherwise; any other address needs a token.
 */
public final class BridgeServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 7860 + 4; // 7864: next to the usual local image-generation ports

    private final GenerationService service;
    private final ServerLimits limits;
    private final Token token;
    private final String version;
    private final Attachments attachments;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionNumbers = new AtomicInteger();
    private final ExecutorService encoder;
    private final ScheduledExecutorService watchdog;
    private ServerSocket socket;
    private Thread acceptor;
    private volatile boolean closing;

    /**
     * @param token null for no authentication (only allowed on a loopback address)
     */
    public BridgeServer(GenerationService service, ServerLimits limits, String token, String version) {
        this.service = service;
        this.limits = limits;
        this.token = token == null ? null : new Token(token);
        this.version = version;
        this.attachments = new Attachments(limits.maxImagePixels());
        this.encoder = Executors.newFixedThreadPool(2, daemon("pigment-bridge-encode"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("pigment-bridge-watchdog"));
    }

    /**
     * Binds and starts accepting.
     *
     * @throws IllegalArgumentException when {@code host} is not loopback and there is no token
     * @throws IOException when the port cannot be bound (the message names host and port)
     */
    public BridgeServer start(String host, int port) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        if (!address.isLoopbackAddress() && token == null) {
            throw new IllegalArgumentException("Refusing to listen on " + host + " without a token: anyone who can"
                    + " reach it could use this machine. Pass --token or --token-file, or bind 127.0.0.1.");
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(new InetSocketAddress(address, port), 64);
        } catch (IOException e) {
            s.close();
            throw new IOException("Cannot listen on " + host + ":" + port + " (" + e.getMessage() + "): is another"
                    + " 'pigment serve' running? Choose another --port.", e);
        }
        socket = s;
        acceptor = new Thread(this::acceptLoop, "pigment-bridge-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        long tick = Math.max(50, Math.min(1000, limits.idleTimeout().toMillis() / 4));
        watchdog.scheduleWithFixedDelay(this::watch, tick, tick, TimeUnit.MILLISECONDS);
        return this;
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closing) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (closing || socket.isClosed()) {
                    return;
                }
                continue;
            }
            accept(client);
        }
    }

    private void accept(Socket client) {
        try {
            client.setTcpNoDelay(true);
            if (connections.size() >= limits.maxConnections() || closing) {
                refuse(client, closing ? "shutdown" : "busy", closing ? "The server is shutting down."
                        : "The server already has " + connections.size() + " clients (the limit is "
                        + limits.maxConnections() + "); try again later.");
                return;
            }
        } catch (SocketException e) {
            closeQuietly(client);
            return;
        }
        Connection c = new Connection(client, this);
        connections.add(c);
        c.start(connectionNumbers.incrementAndGet());
    }

    private static void refuse(Socket client, String code, String message) {
        try (Socket s = client; OutputStream out = s.getOutputStream()) {
            s.setSoTimeout(1000);
            FrameCodec.write(out, Frame.of(Messages.error(-1, -1, code, message)));
            out.flush();
        } catch (IOException e) {
            // the client left already
        }
    }

    /** Closes idle clients and clients that stopped reading. */
    private void watch() {
        long now = System.nanoTime();
        for (Connection c : connections) {
            if (c.isWriteStalled(now, limits.writeStall().toNanos())) {
                c.abort();
            } else if (c.isIdle(now, limits.idleTimeout().toNanos())) {
                c.finish(Messages.error(-1, -1, "idle", "Closed after " + limits.idleTimeout().toSeconds()
                        + " s without a message; connect again when needed."));
            }
        }
    }

    void removed(Connection c) {
        connections.remove(c);
    }

    /** Connected clients now. */
    public int connectionCount() {
        return connections.size();
    }

    GenerationService service() {
        return service;
    }

    ServerLimits limits() {
        return limits;
    }

    Attachments attachments() {
        return attachments;
    }

    ExecutorService encoder() {
        return encoder;
    }

    String version() {
        return version;
    }

    boolean requiresToken() {
        return token != null;
    }

    boolean tokenMatches(String candidate) {
        return token != null && token.matches(candidate);
    }

    /**
     * Stops: no new clients, every client's jobs cancelled, each client told with a {@code bye}, the port
     * released. The service stays open (its owner closes it).
     */
    @Override
    public void close() {
        closing = true;
        closeQuietly(socket);
        for (Connection c : connections) {
            com.google.gson.JsonObject bye = Messages.message("bye");
            bye.addProperty("reason", "The server is shutting down; your unfinished jobs were cancelled.");
            c.finish(bye);
        }
        watchdog.shutdownNow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Connection c : connections) {
            try {
                c.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            c.abort();
        }
        encoder.shutdown();
        if (acceptor != null) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
