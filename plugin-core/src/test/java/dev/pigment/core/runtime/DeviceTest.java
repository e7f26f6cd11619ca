package dev.pigment.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DeviceTest {
    @Test
    void parsesTheDeviceForms() {
        assertEquals(Device.CPU, Device.parse(" CPU "));
        assertEquals(new Device(Device.Kind.CUDA, 0), Device.parse("cuda"));
        assertEquals("cuda:1", Device.parse("cuda:1").id());
        assertEquals("dml", Device.parse("dml:0").id());
        for (String bad : new String[] {"tpu", "cuda:x", "cpu:1", "cuda:-1", ""}) {
            PigmentException e = assertThrows(PigmentException.class, () -> Device.parse(bad));
            assertEquals(ErrorCode.BAD_REQUEST, e.code());
            assertTrue(e.getMessage().contains("cuda:N"), e.getMessage());
        }
    }

    @Test
    void aGpuDeviceWithoutItsOnnxRuntimeBuildSaysWhichJarToUse() throws Exception {
        DjlOnnxRuntime.engine();
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "this ONNX Runtime has CUDA");
        Path onnx = Path.of(DeviceTest.class.getResource("/models/tiny-sd/vae_decoder/model.onnx").toURI());
        try (OnnxComponent c = new OnnxComponent("vae_decoder", onnx,
                RuntimeOptions.defaults().withDevice(Device.parse("cuda")))) {
            PigmentException e = assertThrows(PigmentException.class, c::load);
            assertEquals(ErrorCode.BAD_REQUEST, e.code());
            assertTrue(e.getMessage().contains("onnxruntime_gpu") && e.getMessage().contains("--device cpu"), e.getMessage());
            assertEquals(0, c.sessionsCreated());
        }
    }
}
