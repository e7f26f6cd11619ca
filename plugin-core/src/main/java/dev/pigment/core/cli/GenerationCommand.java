package dev.pigment.core.cli;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.CancelledException;
import dev.pigment.core.api.GeneratedImage;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.ImageFiles;
import dev.pigment.core.image.OutputFiles;
import dev.pigment.core.image.StoredPixels;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.runtime.RuntimeWarmUp;
import dev.pigment.core.service.GenerationService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/** What every generating subcommand does once it has built its request: run, report, write PNGs. */
abstract class GenerationCommand implements Callable<Integer> {
    @Mixin
    GenerationArgs gen;

    @Mixin
    RuntimeArgs runtime;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The edited input as stored (null for text to image). */
    private StoredPixels source;

    /** The task this command runs. */
    abstract Task task();

    /** Adds the command's own inputs (source, mask, reference, strength) to the builder. */
    abstract void addInputs(GenerationRequest.Builder builder);

    @Override
    public Integer call() {
        // ONNX Runtime starts on another core while the model folder and tokenizer are read (cold start).
        boolean classic = ModelRegistry.CLASSIC_ID.equalsIgnoreCase(gen.model.trim());
        RuntimeWarmUp warmUp = classic ? null : RuntimeWarmUp.start();
        try {
            return generate();
        } finally {
            if (warmUp != null) {
                warmUp.close();
            }
        }
    }

    private Integer generate() {
        if (gen.upscale < 1 || gen.upscale > 16) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--upscale must be 1..16, got " + gen.upscale);
        }
        GenerationRequest.Builder b = GenerationRequest.builder(task())
                .model(gen.model).prompt(gen.prompt).negativePrompt(gen.negative)
                .seed(gen.seed).steps(gen.steps).guidance(unsetIfNull(gen.guidance)).scheduler(gen.scheduler)
                .size(gen.width, gen.height).batch(gen.batch);
        gen.options.forEach(b::option);
        addInputs(b);
        GenerationRequest request = b.build();
        ResultWriter writer = new ResultWriter(gen.output, gen.upscale, source);
        writer.checkBatch(gen.batch);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CancellationToken cancel = new CancellationToken();
        SignalCancellation signals = new SignalCancellation(cancel, System.err);
        try (GenerationService service = runtime.service()) {
            runtime.threadsNote().ifPresent(note -> err.println("note: " + note));
            ProgressBar bar = new ProgressBar(err, gen.quiet);
            GenerationResult result = service.run(request, bar, cancel);
            bar.finish();
            cancel.throwIfCancelled();
            List<String> notes = new ArrayList<>(result.notes());
            List<Path> written = writer.write(result, System.out, notes);
            for (String note : notes) {
                err.println("note: " + note);
            }
            // With -o - standard output carries the image, so the summary goes to stderr.
            report(result, written, writer.toStdout() ? err : out);
            out.flush();
            return PigmentCli.EXIT_OK;
        } catch (CancelledException e) {
            // One line and nothing on stdout: a cancelled command wrote nothing.
            err.println("cancelled");
            err.flush();
            return signals.cancelledExitCode();
        } finally {
            signals.close();
        }
    }

    private void report(GenerationResult result, List<Path> written, PrintWriter summary) {
        for (int i = 0; i < written.size(); i++) {
            GeneratedImage img = result.images().get(i);
            Path path = written.get(i);
            summary.println("wrote " + (OutputFiles.isStdout(path) ? "standard output" : path.toAbsolutePath())
                    + " (" + img.image().width() + "x" + img.image().height()
                    + (gen.upscale > 1 ? " shown at " + gen.upscale + "x" : "")
                    + (img.seedUsed() ? ", seed " + img.seed() : "") + ", " + result.provenance().modelId() + ", "
                    + String.format(java.util.Locale.ROOT, "%.1f s", result.totalTime().toMillis() / 1000.0) + ")");
        }
        summary.flush();
    }

    /** An option the user did not give: the request's "unset" value, so the model's default applies. */
    static double unsetIfNull(Double value) {
        return value == null ? Double.NaN : value;
    }

    static Path numbered(Path file, String suffix) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : ".png";
        return file.resolveSibling(stem + suffix + ext);
    }

    /**
     * Reads a required input image with a message that names the option. The first image read is the
     * source whose precision, greyness and alpha the output keeps.
     */
    RgbImage readImage(Path path, String what) {
        if (path == null) {
            throw PigmentException.badRequest("Missing " + what + ".");
        }
        StoredPixels px = ImageFiles.read(path);
        if (source == null) {
            source = px;
        }
        return px.rgb();
    }
}
