package dev.pigment.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ImageJ calls plugins on threads whose context class loader cannot see the plugin's jars. DJL looks its
 * engines up with ServiceLoader on that loader when its Engine class first initialises, so the check needs
 * a JVM in which DJL has not started yet: a child JVM on the test class path.
 */
class ContextClassLoaderTest {

    @Test
    void engineStartsWhenTheContextLoaderCannotSeeDjl() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", Child.class.getName()))
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertEquals(0, done ? p.exitValue() : -1, out);
        assertEquals("engine=OnnxRuntime restored=true", out.strip().lines().reduce((a, b) -> b).orElse(""), out);
    }

    /** Runs in the child JVM: a context loader that sees nothing but the JDK, as on ImageJ's event thread. */
    public static final class Child {
        public static void main(String[] args) {
            ClassLoader blind = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());
            Thread.currentThread().setContextClassLoader(blind);
            String name = DjlOnnxRuntime.engine().getEngineName();
            boolean restored = Thread.currentThread().getContextClassLoader() == blind;
            System.out.println("engine=" + name + " restored=" + restored);
        }
    }
}
