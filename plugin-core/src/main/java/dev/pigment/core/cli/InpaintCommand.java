package dev.pigment.core.cli;

import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.PigmentException;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.PngFiles;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inpaint", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Repaint what the mask covers (white = repaint); everything else stays exactly as it was.",
        footer = {"", "Examples:",
                "  pigment inpaint --model classic --mask mask.png in.png -o out.png",
                "  pigment inpaint --model demo --mask mask.png -p \"red heart\" in.png -o out.png"})
final class InpaintCommand extends GenerationCommand {
    @Parameters(index = "0", paramLabel = "INPUT", description = "The image to edit.")
    Path input;

    @Option(names = "--mask", required = true, paramLabel = "MASK",
            description = "A PNG the size of INPUT: white repaints, black keeps (alpha counts as black).")
    Path mask;

    @Option(names = {"-s", "--strength"}, paramLabel = "S",
            description = "How much the masked area may change (default 1).")
    Double strength;

    @Override
    Task task() {
        return Task.INPAINT;
    }

    @Override
    void addInputs(GenerationRequest.Builder builder) {
        if (mask == null) {
            throw PigmentException.badRequest("Missing --mask.");
        }
        builder.source(readImage(input, "input image")).mask(PngFiles.readMask(mask)).strength(unsetIfNull(strength));
    }
}
