package dev.pigment.core.pipeline;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.model.OnnxModelHeader;
import dev.pigment.core.runtime.Tensor;
import java.util.Map;

/** Reads a component's graph inputs from its ONNX header (no session) and picks outputs by name. */
final class OnnxInputs {
    private OnnxInputs() {
    }

    /**
     * The declared shape of a required input, -1 for each dynamic axis.
     *
     * @throws PigmentException MODEL_INVALID naming the inputs the graph has when it lacks this one
     */
    static long[] shape(OnnxModelHeader header, String component, String input) {
        OnnxModelHeader.ValueInfo v = header.inputs().stream().filter(i -> i.name().equals(input)).findFirst()
                .orElseThrow(() -> new PigmentException(ErrorCode.MODEL_INVALID, component + "/model.onnx has no input '"
                        + input + "' (it has " + header.inputNames() + "). It is not a diffusers-layout " + component
                        + " export; see docs/models.md for the inputs Pigment feeds."));
        long[] shape = new long[v.dims().size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = parseDim(v.dims().get(i));
        }
        return shape;
    }

    private static long parseDim(String d) {
        try {
            long n = Long.parseLong(d);
            return n > 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1; // symbolic (batch, height) or unknown
        }
    }

    /** The output with this name, else the graph's first output (exports name them inconsistently). */
    static Tensor output(Map<String, Tensor> outputs, String preferred) {
        Tensor t = outputs.get(preferred);
        return t != null ? t : outputs.values().iterator().next();
    }
}
