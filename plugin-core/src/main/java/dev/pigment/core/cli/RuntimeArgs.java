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

    @Option(names = "--session-cache", paramLabel = "DIR",
            description = "Keep ONNX Runtime's optimised model graphs in DIR: later loads skip graph optimisation and"
                    + " map the weights (several times faster for large models), at the cost of a copy of each model's"
                    + " weights on disk. Default: $PIGMENT_SESSION_CACHE, else none.")
    Path sessionCache;

    public ModelRegistry registry() {
        return ModelRegistry.standard(modelDirs);
    }

    /**
     * The thread count ONNX Runtime gets: 0 (all cores) as given, more than the cores capped to them
     * (extra threads only contend: 1000 threads on 2 cores ran 100 times slower).
     *
     * @throws dev.pigment.core.api.PigmentException BAD_REQUEST for a negative count
     */
    int effectiveThreads() {
        if (threads < 0) {
            throw dev.pigment.core.api.PigmentException.badRequest("--threads must be 0 (all cores) or more, got "
                    + threads + ".");
        }
        return Math.min(threads, Runtime.getRuntime().availableProcessors());
    }

    /** Says when --threads was capped. */
    java.util.Optional<String> threadsNote() {
        int cores = Runtime.getRuntime().availableProcessors();
        return threads > cores ? java.util.Optional.of("--threads " + threads + " is more than the " + cores
                + " cores of this machine; using " + cores + ".") : java.util.Optional.empty();
    }

    public GenerationService service() {
        RuntimeOptions options = new RuntimeOptions(effectiveThreads(), 1, RuntimeOptions.defaults().optLevel(), memoryPolicy)
                .withDevice(Device.parse(device))
                .withSessionCache(sessionCache != null ? sessionCache : RuntimeOptions.sessionCacheFromEnvironment());
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
