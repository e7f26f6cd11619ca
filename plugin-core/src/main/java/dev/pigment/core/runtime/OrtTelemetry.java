package dev.pigment.core.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Switches off ONNX Runtime's own telemetry before its native library starts.
 *
 * <p>Since 1.29 the Linux build starts a telemetry system when the environment is created: it reads
 * {@code /etc/machine-id} and {@code /proc/self/cmdline}, writes {@code /tmp/mat-debug-PID.log} and
 * may upload over HTTPS. Besides contacting the network, which Pigment never does at run time, its
 * processing of the command line recurses once per byte: a prompt of about 3,700 UTF-8 bytes given on
 * the command line overflowed the native stack of the thread that created the environment and killed
 * the JVM with no message (exit 139). ONNX Runtime reads {@code ORT_DISABLE_TELEMETRY} from the C
 * environment, so it is set there (Java cannot change its own environment otherwise); a value the
 * user set is kept.
 */
final class OrtTelemetry {
    static final String VARIABLE = "ORT_DISABLE_TELEMETRY";

    private OrtTelemetry() {
    }

    /** The C library's environment setter; JNA comes with DJL. */
    interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    static void disable() {
        if (System.getenv(VARIABLE) != null || Platform.isWindows()) {
            return;
        }
        try {
            Native.load(Platform.C_LIBRARY_NAME, LibC.class).setenv(VARIABLE, "1", 0);
        } catch (LinkageError | RuntimeException e) {
            // Without JNA the launcher's export of the variable still applies; nothing else can be done here.
        }
    }
}
