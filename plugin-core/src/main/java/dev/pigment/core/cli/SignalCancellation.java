package dev.pigment.core.cli;

import dev.pigment.core.api.CancellationToken;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM during a job cancel it before the JVM starts shutting down.
 *
 * <p>Why not a shutdown hook: ONNX Runtime's Java binding registers its own hook that releases the
 * native environment, and the JVM runs all hooks at once, so a thread still inside {@code
 * OrtSession.run} or a session load found the environment freed under it: a segfault, its banner on
 * stdout and an {@code hs_err} file in the user's folder. So the signals are caught here instead: the
 * job is cancelled (which terminates the ONNX Runtime run in progress), the command ends normally
 * with exit 130 (143 for SIGTERM) after its models are closed, and only then does the JVM shut down.
 * Should the job not end within {@link #WAIT_SECONDS} (a model load cannot be interrupted), or the
 * user signal again, the process halts at once, skipping the hooks (so nothing is freed under a
 * running thread either).
 */
final class SignalCancellation implements AutoCloseable {
    /** Long enough for a model load in progress to finish. */
    static final long WAIT_SECONDS = 60;
    static final int EXIT_SIGINT = 130;
    static final int EXIT_SIGTERM = 143;

    private record Installed(Signal signal, SignalHandler previous) {
    }

    private final CancellationToken token;
    private final PrintStream err;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<Installed> installed = new ArrayList<>();
    private volatile int exitCode;

    SignalCancellation(CancellationToken token, PrintStream err) {
        this.token = token;
        this.err = err;
        install("INT", EXIT_SIGINT);
        install("TERM", EXIT_SIGTERM);
    }

    private void install(String name, int code) {
        try {
            Signal signal = new Signal(name);
            installed.add(new Installed(signal, Signal.handle(signal, s -> onSignal(code))));
        } catch (IllegalArgumentException | UnsupportedOperationException notAvailable) {
            // The signal is reserved (e.g. under -Xrs) or unknown on this platform: the default applies.
        }
    }

    private void onSignal(int code) {
        if (exitCode != 0) {
            Runtime.getRuntime().halt(exitCode);
        }
        exitCode = code;
        token.cancel();
        try {
            if (!finished.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                err.println("cancelled");
                err.flush();
                Runtime.getRuntime().halt(code);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a signal asked to stop. */
    boolean signalled() {
        return exitCode != 0;
    }

    /** The exit code for a cancelled command: 143 after SIGTERM, else 130. */
    int cancelledExitCode() {
        return exitCode == 0 ? EXIT_SIGINT : exitCode;
    }

    /** The command is done with native code and its models: restores the previous signal handlers. */
    @Override
    public void close() {
        finished.countDown();
        for (Installed i : installed) {
            Signal.handle(i.signal(), i.previous());
        }
    }
}
