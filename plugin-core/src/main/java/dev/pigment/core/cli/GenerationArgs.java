package dev.pigment.core.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The flags every generating command shares, with the same names across commands. */
final class GenerationArgs {
    @Option(names = {"-m", "--model"}, paramLabel = "ID", defaultValue = "demo",
            description = "Model id (see 'pigment models'), a path to a model folder, or 'classic'. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "What to draw.")
    String prompt;

    @Option(names = {"-n", "--negative"}, paramLabel = "TEXT", description = "What to avoid (used when guidance > 1).")
    String negative;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "-1",
            description = "Seed of the first image; -1 picks one at random (the seed used is printed and stored in the PNG).")
    long seed;

    @Option(names = "--steps", paramLabel = "N", description = "Denoising steps (default: the model's recommendation).")
    int steps;

    @Option(names = {"-g", "--guidance"}, paramLabel = "G",
            description = "Classifier-free guidance scale: above 1 the prompt is weighed against the negative prompt;"
                    + " 0 or 1 (anything up to 1) turns guidance off, one model call per step (default: the model's).")
    Double guidance;

    @Option(names = "--scheduler", paramLabel = "NAME",
            description = "euler, euler-a, ddim, dpm++2m, dpm++2m-karras, lcm, flow-match-euler (default: the model's).")
    String scheduler;

    @Option(names = {"-W", "--width"}, paramLabel = "PX",
            description = "Output width (default: the model's or the input's). On img2img, inpaint and restyle the input"
                    + " (and mask) are resized to it first; give one of -W/-H to keep the aspect.")
    int width;

    @Option(names = {"-H", "--height"}, paramLabel = "PX", description = "Output height (default: the model's or the input's).")
    int height;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", description = "Number of images; image i uses seed + i.")
    int batch;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "pigment.png",
            description = "Output PNG; with --batch, FILE-1.png, FILE-2.png... Default: ${DEFAULT-VALUE}.")
    Path output;

    @Option(names = "--upscale", paramLabel = "N", defaultValue = "1",
            description = "Also enlarge the result N times for viewing (the model's pixels are kept in FILE-raw.png when N > 1).")
    int upscale;

    @Option(names = "--option", paramLabel = "KEY=VALUE",
            description = "Engine option, e.g. --option fill=telea or --option native-size=true (repeatable);"
                    + " an option the engine does not read is an error that lists the ones it does.")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;
}
