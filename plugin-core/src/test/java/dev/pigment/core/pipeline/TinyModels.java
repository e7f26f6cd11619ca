package dev.pigment.core.pipeline;

import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** The tiny diffusers-layout ONNX models under src/test/resources/models (made by src/test/fixtures/make_tiny_models.py). */
final class TinyModels {
    private TinyModels() {
    }

    static Path root() {
        try {
            return Path.of(TinyModels.class.getResource("/models").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ModelRegistry registry() {
        return new ModelRegistry(List.of(root()));
    }

    static ModelInfo model(String id) {
        return registry().resolve(id);
    }
}
