package dev.pigment.core.demo;

import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import java.nio.file.Path;
import java.util.List;

/** The shipped demo model in {@code <repo>/models/demo}, found the way users' launchers find it. */
final class DemoModel {
    private DemoModel() {
    }

    static Path repoRoot() {
        String home = System.getProperty(ModelRegistry.HOME_PROPERTY);
        return home != null ? Path.of(home).toAbsolutePath().normalize() : Path.of("..").toAbsolutePath().normalize();
    }

    static ModelInfo info() {
        return new ModelRegistry(List.of(repoRoot().resolve("models"))).resolve("demo");
    }
}
