package dev.pigment.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header reader must agree with ONNX Runtime itself on every fixture (and the fixtures must load). */
class OnnxModelHeaderOrtTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void startDjlFirst() {
        // DJL must create the ORT environment before anyone else does (java-stack.md, gotcha 3)
        Engine.getEngine("OnnxRuntime");
    }

    @Test
    void agreesWithOnnxRuntime() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (String name : OnnxModelHeaderTest.FIXTURES) {
            Path p = Fixtures.copy(name, tmp.resolve(name));
            if (name.contains("/")) {
                Fixtures.copy(name.substring(0, name.indexOf('/')) + "/weights.pb",
                        tmp.resolve(name.substring(0, name.indexOf('/'))).resolve("weights.pb"));
            }
            OnnxModelHeader h = OnnxModelHeader.read(p);
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                 OrtSession session = env.createSession(p.toString(), options)) {
                assertEquals(describe(session.getInputInfo()), describe(h.inputs()), name + " inputs");
                assertEquals(describe(session.getOutputInfo()), describe(h.outputs()), name + " outputs");
            }
        }
    }

    private static List<String> describe(Map<String, NodeInfo> ort) {
        List<String> out = new ArrayList<>();
        for (NodeInfo n : ort.values()) {
            TensorInfo t = (TensorInfo) n.getInfo();
            long[] shape = t.getShape();
            String[] names = t.getDimensionNames();
            List<String> dims = new ArrayList<>();
            for (int i = 0; i < shape.length; i++) {
                dims.add(shape[i] >= 0 ? Long.toString(shape[i]) : names[i]);
            }
            // OnnxTensorType.value is ORT-Java's own numbering (FLOAT is 10 there), so compare by name
            out.add(n.getName() + " " + t.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "") + " " + dims);
        }
        return out;
    }

    private static List<String> describe(List<OnnxModelHeader.ValueInfo> ours) {
        return ours.stream().map(v -> v.name() + " "
                + OnnxModelHeader.elemTypeName(v.elemType()).toUpperCase(Locale.ROOT) + " " + v.dims()).toList();
    }
}
