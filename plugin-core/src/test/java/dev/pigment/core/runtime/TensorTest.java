package dev.pigment.core.runtime;

import ai.onnxruntime.platform.Fp16Conversions;
import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorTest {

    private static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    @Test
    void shapeMustMatchData() {
        Tensor t = Tensor.ofFloats(new float[6], 2, 3);
        assertEquals(TensorType.FLOAT32, t.type());
        assertEquals(6, t.elementCount());
        assertArrayEquals(new long[] {2, 3}, t.shape());
        assertNull(t.longs());
        assertEquals("float32[2,3]", t.toString());
        assertEquals(1, Tensor.ofLongs(new long[] {5}).elementCount(), "a scalar has an empty shape");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.ofInts(new int[5], 2, 3));
        assertTrue(e.getMessage().contains("[2,3]") && e.getMessage().contains("5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofFloats(new float[0], -1));
        long[] shape = {1, 2};
        Tensor copy = Tensor.ofInts(new int[2], shape);
        shape[1] = 7;
        assertArrayEquals(new long[] {1, 2}, copy.shape(), "the shape is copied");
    }

    @Test
    void specAcceptsOnlyItsFixedDimensions() {
        TensorSpec spec = new TensorSpec("sample", TensorType.FLOAT32, new long[] {-1, 4, -1, -1});
        assertTrue(spec.accepts(new long[] {2, 4, 64, 96}));
        assertFalse(spec.accepts(new long[] {2, 9, 64, 96}));
        assertFalse(spec.accepts(new long[] {4, 64, 96}));
        assertTrue(spec.isDynamic(0));
        assertEquals(4, spec.dim(1));
        assertEquals("sample float32[?,4,?,?]", spec.toString());
        assertEquals(spec, new TensorSpec("sample", TensorType.FLOAT32, new long[] {-1, 4, -1, -1}));
        assertNotEquals(spec, new TensorSpec("sample", TensorType.FLOAT16, new long[] {-1, 4, -1, -1}));
    }

    @Test
    void floatToHalfRoundsToNearest() {
        float[] values = {0f, 1f, -2.5f, 65504f, 1e-8f, 0.1f, 999f, 1.0009766f};
        ByteBuffer b = direct(values.length * 2);
        TensorCodec.write(Tensor.ofFloats(values, values.length), TensorType.FLOAT16, b, "x");
        for (int i = 0; i < values.length; i++) {
            float back = Fp16Conversions.fp16ToFloat(b.getShort(2 * i));
            assertEquals(values[i], back, Math.abs(values[i]) * 4.9e-4 + 6e-8, "value " + values[i]);
        }
        assertEquals(999f, Fp16Conversions.fp16ToFloat(b.getShort(12)), "timesteps below 2048 are exact in fp16");
    }

    @Test
    void floatsRoundIntoIntegerInputsAndIntegersWiden() {
        ByteBuffer b = direct(3 * 8);
        LongBuffer longs = (LongBuffer) TensorCodec.write(Tensor.ofFloats(new float[] {980.6f, -1.5f, 3f}, 3),
                TensorType.INT64, b, "timestep");
        assertEquals(981, longs.get(0));
        assertEquals(-1, longs.get(1), "half rounds up, as Math.round does");
        assertEquals(3, longs.get(2));

        IntBuffer ints = (IntBuffer) TensorCodec.write(Tensor.ofLongs(new long[] {49406, -7}, 2), TensorType.INT32,
                direct(8), "input_ids");
        assertEquals(49406, ints.get(0));
        assertEquals(-7, ints.get(1));

        FloatBuffer floats = (FloatBuffer) TensorCodec.write(Tensor.ofLongs(new long[] {981}, 1), TensorType.FLOAT32,
                direct(4), "timestep");
        assertEquals(981f, floats.get(0));
    }

    @Test
    void valuesThatDoNotFitAreBadRequests() {
        PigmentException tooBig = assertThrows(PigmentException.class, () -> TensorCodec.write(
                Tensor.ofLongs(new long[] {1L << 40}, 1), TensorType.INT32, direct(4), "input_ids"));
        assertEquals(ErrorCode.BAD_REQUEST, tooBig.code());
        assertTrue(tooBig.getMessage().contains("input_ids"), tooBig.getMessage());
        assertThrows(PigmentException.class, () -> TensorCodec.write(
                Tensor.ofFloats(new float[] {Float.POSITIVE_INFINITY}, 1), TensorType.INT64, direct(8), "timestep"));
    }

    @Test
    void runtimeOptionsAreChecked() {
        RuntimeOptions d = RuntimeOptions.defaults();
        assertEquals(0, d.intraOpThreads());
        assertEquals(MemoryPolicy.KEEP_LOADED, d.memoryPolicy());
        assertEquals(3, d.withThreads(3).intraOpThreads());
        assertEquals(OptLevel.BASIC_OPT, d.withOptLevel(OptLevel.BASIC_OPT).optLevel());
        assertEquals(MemoryPolicy.ONE_AT_A_TIME, d.withMemoryPolicy(MemoryPolicy.ONE_AT_A_TIME).memoryPolicy());
        assertThrows(IllegalArgumentException.class, () -> d.withThreads(-1));
    }
}
