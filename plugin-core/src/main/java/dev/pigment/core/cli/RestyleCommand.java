package dev.pigment.core.cli;

import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.Task;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restyle", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Make INPUT look like the reference image (colours, tones, texture), keeping its structure.",
        footer = {"", "Example:", "  pigment restyle --model classic --reference ref.png in.png -o out.png"})
final class RestyleCommand extends GenerationCommand {
    @Parameters(index = "0", paramLabel = "INPUT", description = "The image to restyle.")
    Path input;

    @Option(names = {"-r", "--reference"}, required = true, paramLabel = "REF", description = "The image whose look to copy.")
    Path reference;

    @Option(names = {"-s", "--strength"}, paramLabel = "S",
            description = "How much INPUT may change, in [0,1].")
    Double strength;

    @Option(names = "--style-strength", paramLabel = "S",
            description = "How strongly the reference applies, in [0,1].")
    Double styleStrength;

    @Override
    Task task() {
        return Task.RESTYLE;
    }

    @Override
    void addInputs(GenerationRequest.Builder builder) {
        builder.source(readImage(input, "input image")).reference(readImage(reference, "reference image"))
                .strength(unsetIfNull(strength)).styleStrength(unsetIfNull(styleStrength));
    }
}
