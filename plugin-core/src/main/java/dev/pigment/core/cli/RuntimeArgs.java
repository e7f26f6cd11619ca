package dev.pigment.core.cli;

import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.runtime.Device;
import dev.pigment.core.runtime.MemoryPolicy;
import dev.pigment.core.runtime.RuntimeOptions;
import dev.pigment.core.service.GenerationService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where models are and how ONNX Runtime runs them: shared by every command that loads a model. */
public final class RuntimeArgs {
    @Option(names = "--models-dir", paramLabel = "DIR",
            description = "Also look for models in DIR (repeatable). Always searched: <install>/models and $PIGMENT_MODELS.")
    List<Path> modelDirs = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads for ONNX Runtime (default: all cores).")
    int threads;

    @Option(names = "--memory-policy", paramLabel = "POLICY",
            description = "keep-loaded (fastest) or one-at-a-time (loads text encoder, UNet and VAE in turn, for models larger than half the RAM). Default: ${DEFAULT-VALUE}.",
            converter = MemoryPolicyConverter.class, defaultValue = "keep-loaded")
    MemoryPolicy memoryPolicy = MemoryPolicy.KEEP_LOADED;

    @Option(names = "--device", paramLabel = "DEVICE",
            description = "cpu (default), cuda, cuda:N, rocm or dml: the GPU providers need the matching ONNX Runtime"
                    + " build on the classpath in place of the CPU one (docs/models.md).", defaultValue = "cpu")
    String device = "cpu";

    public ModelRegistry registry() {
        return ModelRegistry.standard(modelDirs);
    }

    public GenerationService service() {
        if (threads < 0) {
            throw new picocli.CommandLine.TypeConversionException("--threads must be 0 or more, got " + threads);
        }
        RuntimeOptions options = new RuntimeOptions(threads, 1, RuntimeOptions.defaults().optLevel(), memoryPolicy)
                .withDevice(Device.parse(device));
        return new GenerationService(registry(), options, GenerationService.defaultBudget());
    }

    static final class MemoryPolicyConverter implements picocli.CommandLine.ITypeConverter<MemoryPolicy> {
        @Override
        public MemoryPolicy convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
                case "keep-loaded" -> MemoryPolicy.KEEP_LOADED;
                case "one-at-a-time" -> MemoryPolicy.ONE_AT_A_TIME;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a memory policy: use keep-loaded or one-at-a-time");
            };
        }
    }
}
