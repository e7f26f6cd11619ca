package dev.pigment.core.cli;

import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.Task;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "img2img", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Image to image: re-imagine INPUT towards the prompt; --strength sets how much changes.",
        footer = {"", "Example:", "  pigment img2img --model demo --strength 0.6 -p \"green apple\" in.png -o out.png"})
final class ImageToImageCommand extends GenerationCommand {
    @Parameters(index = "0", paramLabel = "INPUT", description = "The image to start from.")
    Path input;

    @Option(names = {"-s", "--strength"}, paramLabel = "S",
            description = "0 keeps the input, 1 ignores it (default 0.75).")
    Double strength;

    @Override
    Task task() {
        return Task.IMAGE_TO_IMAGE;
    }

    @Override
    void addInputs(GenerationRequest.Builder builder) {
        builder.source(readImage(input, "input image")).strength(unsetIfNull(strength));
    }
}
