package dev.pigment.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds model folders in temp dirs from the tiny ONNX graphs under resources/model-registry. */
final class Fixtures {
    static final String SD_INDEX = """
            {
              "_class_name": "OnnxStableDiffusionPipeline",
              "_diffusers_version": "0.30.0",
              "text_encoder": ["diffusers", "OnnxRuntimeModel"],
              "tokenizer": ["transformers", "CLIPTokenizer"],
              "unet": ["diffusers", "OnnxRuntimeModel"],
              "vae_decoder": ["diffusers", "OnnxRuntimeModel"],
              "vae_encoder": ["diffusers", "OnnxRuntimeModel"],
              "scheduler": ["diffusers", "EulerDiscreteScheduler"]
            }
            """;
    static final String DIT_INDEX = """
            {"_class_name": "ZImagePipeline", "_diffusers_version": "0.36.0"}
            """;
    static final String TOKENIZER_JSON = """
            {"version": "1.0", "model": {"type": "BPE", "vocab": {"a</w>": 0, "<|endoftext|>": 1}, "merges": []}}
            """;
    static final String SCHEDULER = """
            {"_class_name": "EulerDiscreteScheduler", "num_train_timesteps": 1000, "beta_start": 0.00085,
             "beta_end": 0.012, "beta_schedule": "scaled_linear", "prediction_type": "epsilon"}
            """;

    private Fixtures() {
    }

    static byte[] resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/model-registry/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource model-registry/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path copy(String resource, Path target) {
        return write(target, resource(resource));
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String text) {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A complete SD-layout folder: every component, tokenizer.json, scheduler config. */
    static Path stableDiffusion(Path parent, String name) {
        Path m = parent.resolve(name);
        write(m.resolve("model_index.json"), SD_INDEX);
        copy("text_encoder.onnx", m.resolve("text_encoder/model.onnx"));
        copy("unet.onnx", m.resolve("unet/model.onnx"));
        copy("vae_encoder.onnx", m.resolve("vae_encoder/model.onnx"));
        copy("vae_decoder.onnx", m.resolve("vae_decoder/model.onnx"));
        write(m.resolve("tokenizer/tokenizer.json"), TOKENIZER_JSON);
        write(m.resolve("scheduler/scheduler_config.json"), SCHEDULER);
        return m;
    }

    /** A complete flow-matching DiT folder (transformer/ instead of unet/, no vae_encoder). */
    static Path flowMatchDit(Path parent, String name) {
        Path m = parent.resolve(name);
        write(m.resolve("model_index.json"), DIT_INDEX);
        copy("text_encoder.onnx", m.resolve("text_encoder/model.onnx"));
        copy("transformer.onnx", m.resolve("transformer/model.onnx"));
        copy("vae_decoder.onnx", m.resolve("vae_decoder/model.onnx"));
        write(m.resolve("tokenizer/tokenizer.json"), TOKENIZER_JSON);
        write(m.resolve("scheduler/scheduler_config.json"),
                "{\"_class_name\": \"FlowMatchEulerDiscreteScheduler\", \"shift\": 3.0}");
        return m;
    }

    /** Sum of the sizes of every regular file below the folder. */
    static long treeSize(Path folder) {
        try (var files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
