package dev.pigment.bridge;

import dev.pigment.core.cli.PigmentCli;
import dev.pigment.core.cli.RuntimeArgs;
import dev.pigment.core.service.GenerationService;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pigment serve}: runs the bridge until SIGINT/SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the Krita plugin and other clients over a local socket (protocol: docs/protocol.md).")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    RuntimeArgs runtime;

    @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}). Anything but loopback needs --token.")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "TCP port (default: ${DEFAULT-VALUE}; 0 = any free port, printed).")
    int port = BridgeServer.DEFAULT_PORT;

    @Option(names = "--token", paramLabel = "SECRET", description = "Clients must send this in their hello (8+ characters).")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from FILE (first line).")
    Path tokenFile;

    @Option(names = "--max-connections", description = "Clients at once (default: ${DEFAULT-VALUE}).")
    int maxConnections = ServerLimits.DEFAULTS.maxConnections();

    @Option(names = "--max-queued", description = "Unfinished jobs per client (default: ${DEFAULT-VALUE}).")
    int maxQueued = ServerLimits.DEFAULTS.maxQueuedJobs();

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Disconnect a client silent this long with no job (default: ${DEFAULT-VALUE}).")
    long idleSeconds = ServerLimits.DEFAULTS.idleTimeout().toSeconds();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port " + port + " is not a port: use 0..65535.");
        }
        if (maxConnections < 1 || maxQueued < 1 || idleSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--max-connections, --max-queued and --idle-timeout must be at least 1.");
        }
        ServerLimits limits = ServerLimits.DEFAULTS.withMaxConnections(maxConnections).withMaxQueuedJobs(maxQueued)
                .withIdleTimeout(Duration.ofSeconds(idleSeconds));
        String secret = secret();
        GenerationService service = runtime.service();
        BridgeServer server;
        try {
            server = new BridgeServer(service, limits, secret, version()).start(host, port);
        } catch (IllegalArgumentException | IOException e) {
            service.close();
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // SIGINT/SIGTERM are handled here, not in a shutdown hook: hooks run alongside ONNX Runtime's own teardown,
        // and a job still inside ORT then crashes the JVM. Stopping first and exiting afterwards cannot race.
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"INT", "TERM"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.countDown());
        }
        // Scripts and tests read this line to learn the port (it matters with --port 0).
        spec.commandLine().getOut().println("pigment serve: listening on " + host + ":" + server.port()
                + (secret == null ? "" : " (token required)"));
        spec.commandLine().getOut().flush();
        err.flush();
        stop.await();
        err.println("pigment serve: stopping (unfinished jobs cancelled)");
        err.flush();
        server.close();
        service.close();
        return PigmentCli.EXIT_OK;
    }

    private String secret() throws IOException {
        if (token != null && tokenFile != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Give --token or --token-file, not both.");
        }
        String s = token;
        if (tokenFile != null) {
            if (!Files.isRegularFile(tokenFile)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--token-file " + tokenFile
                        + " is not a readable file.");
            }
            s = Files.readAllLines(tokenFile).stream().findFirst().orElse("");
        }
        if (s != null && s.strip().length() < 8) {
            throw new CommandLine.ParameterException(spec.commandLine(), "The token has " + s.strip().length()
                    + " characters; use at least 8.");
        }
        return s;
    }

    static String version() {
        String v = BridgeServer.class.getPackage().getImplementationVersion();
        return "pigment " + (v == null ? "(development build)" : v);
    }
}
