package dev.pigment.bridge;

import dev.pigment.core.cli.PigmentCli;

/** The launcher's entry point when the bridge is built: the core's commands plus {@code serve}. */
public final class BridgeMain {
    private BridgeMain() {
    }

    public static void main(String[] args) {
        System.exit(PigmentCli.newCommandLine(new ServeCommand()).execute(args));
    }
}
