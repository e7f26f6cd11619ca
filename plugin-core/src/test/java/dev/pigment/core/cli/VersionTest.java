package dev.pigment.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VersionTest {
    @Test
    void versionNamesTheOnnxRuntimeOnTheClassPathNotDjlsBuildPin() {
        CommandLine cl = PigmentCli.newCommandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--version"));
        String jarVersion = OrtEnvironment.class.getPackage().getImplementationVersion();
        assertTrue(out.toString().contains("ONNX Runtime " + jarVersion + " (DJL "), out.toString());
        assertTrue(out.toString().startsWith("pigment "), out.toString());
    }
}
