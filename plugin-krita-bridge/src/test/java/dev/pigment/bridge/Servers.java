package dev.pigment.bridge;

import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.runtime.RuntimeOptions;
import dev.pigment.core.service.GenerationService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A live bridge on a free loopback port, with the repository's models (the demo model) and classic. */
final class Servers implements AutoCloseable {
    final GenerationService service;
    final BridgeServer server;

    Servers(ServerLimits limits, String token) throws IOException {
        service = new GenerationService(ModelRegistry.standard(List.of(), java.util.Map.of(), home().toString()),
                RuntimeOptions.defaults().withThreads(2), 1L << 30);
        server = new BridgeServer(service, limits, token, "pigment test").start("127.0.0.1", 0);
    }

    static Path home() {
        return Path.of(System.getProperty("pigment.home", "..")).toAbsolutePath().normalize();
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        service.close();
    }
}
