package dev.pigment.core.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * Writes the graph ONNX Runtime's CPU provider actually runs (after its optimisations and partitioning) to a file,
 * to see what it did to a model: e.g. the Cast nodes it inserts around float16 operators that have no CPU kernel.
 * Run: {@code OrtOptimizedGraph <model.onnx> <out.onnx> [basic|all]}; inspect the result with python3-onnx.
 */
public final class OrtOptimizedGraph {
    private OrtOptimizedGraph() {
    }

    public static void main(String[] args) throws Exception {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(args.length > 2 && args[2].equals("basic")
                    ? OrtSession.SessionOptions.OptLevel.BASIC_OPT : OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setOptimizedModelFilePath(args[1]);
            try (OrtSession session = OrtEnvironment.getEnvironment().createSession(args[0], options)) {
                System.out.println("inputs " + session.getInputNames() + ", written " + args[1]);
            }
        }
    }
}
