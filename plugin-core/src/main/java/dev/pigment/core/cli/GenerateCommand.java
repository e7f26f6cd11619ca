package dev.pigment.core.cli;

import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.Task;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Text to image: draw a new image from a prompt.",
        footer = {"", "Example:", "  pigment generate --model demo --seed 7 --upscale 4 -o heart.png \"red heart\""})
final class GenerateCommand extends GenerationCommand {
    @Parameters(paramLabel = "PROMPT", arity = "0..*", description = "The prompt (instead of --prompt).")
    List<String> words = List.of();

    @Override
    Task task() {
        return Task.TEXT_TO_IMAGE;
    }

    @Override
    void addInputs(GenerationRequest.Builder builder) {
        if (!words.isEmpty()) {
            if (gen.prompt != null) {
                throw dev.pigment.core.api.PigmentException.badRequest("Give the prompt either with --prompt or as words, not both.");
            }
            builder.prompt(String.join(" ", words));
        }
    }
}
