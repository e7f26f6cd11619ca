package dev.pigment.core.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pigment quantize}: writes an int8 variant of a model folder by running the quantizer that
 * ships inside the jar ({@code bench/quantize/quantize_int8.py}, Python with numpy and onnx). It is
 * Python, not Java, because the core has an ONNX header reader but no graph writer; the quality cost
 * is measured in docs/benchmarks.md.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Write an int8 variant of a model folder (dynamic quantization of MatMul and Conv weights).",
                "Needs python3 with numpy and onnx (Debian: apt-get install python3-onnx python3-numpy).",
                "Quality cost on the demo model: PSNR 39.5 dB, SSIM 0.985 vs float32 (docs/benchmarks.md)."},
        footer = {"", "Example:", "  pigment quantize models/demo models/demo-int8 --components unet,vae_decoder"})
final class QuantizeCommand implements Callable<Integer> {
    private static final String SCRIPT = "quantize_int8.py";

    @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "The model folder to read.")
    Path model;

    @Parameters(index = "1", paramLabel = "OUT_DIR", description = "The folder to write; must not exist yet.")
    Path out;

    @Option(names = "--components", paramLabel = "LIST", defaultValue = "unet",
            description = "Components to quantize, comma-separated (default: ${DEFAULT-VALUE}).")
    String components;

    @Option(names = "--min-weights", paramLabel = "N", defaultValue = "4096",
            description = "Weights with fewer elements stay float32 (default: ${DEFAULT-VALUE}).")
    int minWeights;

    @Option(names = "--python", paramLabel = "EXE", defaultValue = "${env:PIGMENT_PYTHON:-/usr/bin/python3}",
            description = "The Python interpreter with numpy and onnx (default: $PIGMENT_PYTHON, else Debian's: "
                    + "${DEFAULT-VALUE}).")
    String python;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String problem = check();
        if (problem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), problem);
        }
        Path script = Files.createTempFile("pigment-quantize", ".py");
        try (InputStream in = QuantizeCommand.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the jar; rebuild with mvn package");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            return runScript(script);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private String check() {
        if (!Files.isDirectory(model)) {
            return "MODEL_DIR '" + model + "' is not a folder; give the path of a model folder (see 'pigment models').";
        }
        if (!Files.isRegularFile(model.resolve("unet/model.onnx"))) {
            return "'" + model + "' has no unet/model.onnx; only Stable Diffusion-style folders can be quantized.";
        }
        if (Files.exists(out)) {
            return "OUT_DIR '" + out + "' already exists; choose a new folder (nothing is overwritten).";
        }
        if (minWeights < 1) {
            return "--min-weights " + minWeights + " must be at least 1.";
        }
        if (!components.matches("[a-z_]+(,[a-z_]+)*")) {
            return "--components '" + components + "' is not a comma-separated list of component folders "
                    + "(e.g. unet,vae_decoder).";
        }
        return null;
    }

    /** Writes into a sibling folder first and renames it at the end, so a failure never leaves a half folder. */
    private int runScript(Path script) throws IOException, InterruptedException {
        Path partial = out.toAbsolutePath().resolveSibling(out.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            int status = runScript(script, partial);
            if (status == PigmentCli.EXIT_OK) {
                Files.move(partial, out);
            }
            return status;
        } finally {
            deleteTree(partial);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private int runScript(Path script, Path partial) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, script.toString(), model.toString(), partial.toString(),
                "--components", components, "--min-weights", Integer.toString(minWeights)));
        PrintWriter err = spec.commandLine().getErr();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            err.println("pigment: cannot run '" + python + "' (" + e.getMessage() + "); install Python 3 with numpy "
                    + "and onnx (Debian: apt-get install python3-onnx python3-numpy) or name it with --python.");
            return PigmentCli.EXIT_RUNTIME;
        }
        String log = new String(process.getInputStream().readAllBytes());
        int status = process.waitFor();
        if (status != 0) {
            err.println("pigment: quantizing failed (" + python + " exit " + status + "):");
            err.print(log.contains("No module named") ? log + "Install python3-onnx and python3-numpy.\n" : log);
            return PigmentCli.EXIT_RUNTIME;
        }
        spec.commandLine().getOut().print(log);
        spec.commandLine().getOut().println("wrote " + out);
        return PigmentCli.EXIT_OK;
    }
}
