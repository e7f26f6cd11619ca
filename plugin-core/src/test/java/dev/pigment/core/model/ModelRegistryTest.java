package dev.pigment.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pigment.core.api.ErrorCode;
import dev.pigment.core.api.PigmentException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
    @TempDir
    Path tmp;

    private PigmentException fails(ErrorCode code, org.junit.jupiter.api.function.Executable call, String... parts) {
        PigmentException e = assertThrows(PigmentException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "missing '" + part + "' in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void listsModelsWithFamilyAndSizeAndClassic() {
        Path rootA = tmp.resolve("a");
        Path rootB = tmp.resolve("b");
        Path sd = Fixtures.stableDiffusion(rootA, "sd-turbo");
        Fixtures.write(sd.resolve("pigment.json"), "{\"name\": \"SD-Turbo\", \"licence\": \"sai-nc\","
                + " \"recommended\": {\"steps\": 1, \"guidance\": 0.0, \"scheduler\": \"euler\"}}");
        Path dit = Fixtures.flowMatchDit(rootB, "Z-Image");
        Fixtures.write(rootA.resolve("notes/readme.txt"), "not a model");
        Fixtures.write(rootA.resolve("stray-file"), "x");
        Fixtures.stableDiffusion(rootA, ".hidden");
        Fixtures.stableDiffusion(rootA, "with space");
        Path broken = Fixtures.stableDiffusion(rootB, "broken");
        Fixtures.write(broken.resolve("unet/model.onnx"), "garbage");

        List<ModelInfo> models = new ModelRegistry(List.of(rootA, rootB, tmp.resolve("missing"))).list();
        assertEquals(List.of("broken", "classic", "sd-turbo", "Z-Image"), models.stream().map(ModelInfo::id).toList());

        ModelInfo turbo = models.get(2);
        assertEquals(sd, turbo.folder());
        assertEquals("SD-Turbo", turbo.displayName());
        assertEquals(ModelFamily.STABLE_DIFFUSION, turbo.family());
        assertEquals("sai-nc", turbo.licence());
        assertEquals(Fixtures.treeSize(sd), turbo.sizeBytes());
        assertTrue(turbo.sizeBytes() > 10_000, "the four ONNX fixtures alone are over 10 kB");
        assertEquals(new Recommended(512, 512, 1, 0.0, "euler"), turbo.recommended());

        ModelInfo z = models.get(3);
        assertEquals(ModelFamily.FLOW_MATCH_DIT, z.family());
        assertEquals("Z-Image", z.displayName());
        assertEquals(Recommended.defaults(ModelFamily.FLOW_MATCH_DIT), z.recommended());
        assertEquals(Fixtures.treeSize(dit), z.sizeBytes());
        assertTrue(z.manifest().isEmpty());
        assertNull(z.licence());

        ModelInfo classic = models.get(1);
        assertTrue(classic.isClassic());
        assertNull(classic.folder());
        assertEquals(0, classic.sizeBytes());
        assertThrows(IllegalStateException.class, () -> classic.componentFile("unet"));
        assertFalse(classic.hasComponent("unet"));
    }

    @Test
    void classicIsListedWithNoRootsAndResolves() {
        ModelRegistry empty = new ModelRegistry(List.of());
        assertEquals(List.of(ModelRegistry.CLASSIC_ID), empty.list().stream().map(ModelInfo::id).toList());
        assertEquals(ModelFamily.CLASSIC, empty.resolve("classic").family());
        assertEquals(ModelFamily.CLASSIC, empty.resolve("Classic").family());
    }

    @Test
    void aFolderNamedClassicCannotShadowTheEngines() {
        Fixtures.stableDiffusion(tmp, "classic");
        ModelRegistry registry = new ModelRegistry(List.of(tmp));
        assertEquals(List.of("classic"), registry.list().stream().map(ModelInfo::id).toList());
        assertTrue(registry.resolve("classic").isClassic());
    }

    @Test
    void firstRootWinsForTheSameId() {
        Path first = Fixtures.stableDiffusion(tmp.resolve("one"), "m");
        Fixtures.flowMatchDit(tmp.resolve("two"), "m");
        ModelRegistry registry = new ModelRegistry(List.of(tmp.resolve("one"), tmp.resolve("two")));
        assertEquals(List.of("classic", "m"), registry.list().stream().map(ModelInfo::id).toList());
        assertEquals(first, registry.resolve("m").folder());
        assertEquals(ModelFamily.STABLE_DIFFUSION, registry.resolve("m").family());
    }

    @Test
    void standardRootsFromHomeEnvAndExtra() {
        String sep = File.pathSeparator;
        Path home = tmp.resolve("install");
        Map<String, String> env = Map.of(ModelRegistry.ENV_VAR, tmp.resolve("e1") + sep + sep + " " + tmp.resolve("e2") + sep);
        ModelRegistry registry = ModelRegistry.standard(List.of(tmp.resolve("x")), env, home.toString());
        assertEquals(List.of(home.resolve("models"), tmp.resolve("e1"), tmp.resolve("e2"), tmp.resolve("x")),
                registry.roots());

        // models in any of them are found; the missing roots (all but e2) are skipped silently
        Fixtures.stableDiffusion(tmp.resolve("e2"), "from-env");
        assertEquals(List.of("classic", "from-env"), registry.list().stream().map(ModelInfo::id).toList());
        assertEquals(tmp.resolve("e2").resolve("from-env"), registry.resolve("from-env").folder());

        ModelRegistry noEnv = ModelRegistry.standard(List.of(), Map.of(), null);
        assertEquals(List.of(Path.of("models").toAbsolutePath()), noEnv.roots(), "no pigment.home: the current directory");
    }

    @Test
    void resolveDescribesTheModel() {
        Path m = Fixtures.stableDiffusion(tmp, "sd21");
        Fixtures.write(m.resolve("unet/config.json"), "{\"sample_size\": 96, \"in_channels\": 4}");
        Fixtures.write(m.resolve("pigment.json"), "{\"recommended\": {\"steps\": 30}}");
        ModelInfo info = new ModelRegistry(List.of(tmp)).resolve("sd21");
        assertEquals("sd21", info.id());
        assertEquals(new Recommended(768, 768, 30, 7.5, null), info.recommended(), "size from unet/config.json sample_size");
        assertEquals(m.resolve("unet/model.onnx"), info.componentFile("unet"));
        assertEquals(m.resolve("vae_decoder/model.onnx"), info.componentFile(ModelComponent.VAE_DECODER));
        assertTrue(info.hasComponent("vae_encoder"));
        assertFalse(info.hasComponent("transformer"));
        assertEquals(m.resolve("tokenizer"), info.tokenizerDir());
        assertEquals(m.resolve("scheduler/scheduler_config.json"), info.schedulerConfig());
        assertEquals(m.resolve("unet/config.json"), info.componentConfig("unet"));
        assertThrows(IllegalArgumentException.class, () -> info.componentFile("../unet"));
    }

    @Test
    void unknownIdNamesTheRootsAndTheAvailableIds() {
        Fixtures.stableDiffusion(tmp.resolve("models"), "SD-Turbo");
        ModelRegistry registry = new ModelRegistry(List.of(tmp.resolve("models"), tmp.resolve("gone")));
        fails(ErrorCode.MODEL_NOT_FOUND, () -> registry.resolve("sd-xl"),
                "No model 'sd-xl'", tmp.resolve("models").toString(), tmp.resolve("gone") + " (does not exist)",
                "Available: classic, SD-Turbo.", ModelRegistry.ENV_VAR);
        fails(ErrorCode.BAD_REQUEST, () -> registry.resolve(" "), "No model given");
    }

    @Test
    void idsResolveInAnyCaseWhenUnambiguous() {
        Path models = tmp.resolve("models");
        Path turbo = Fixtures.stableDiffusion(models, "SD-Turbo");
        ModelRegistry registry = new ModelRegistry(List.of(models));
        ModelInfo info = registry.resolve("sd-turbo");
        assertEquals("SD-Turbo", info.id(), "the folder's own spelling is the id");
        assertEquals(turbo, info.folder());
        assertEquals("SD-Turbo", registry.resolve("SD-TURBO").id());
    }

    @Test
    void exactCaseWinsAndCaseOnlyTwinsAreRefusedNamingBoth() {
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");
        Fixtures.stableDiffusion(first, "Demo");
        Path exact = Fixtures.stableDiffusion(second, "demo");
        ModelRegistry registry = new ModelRegistry(List.of(first, second));
        assertEquals(exact, registry.resolve("demo").folder(), "exact case wins even from a later root");
        assertEquals("Demo", registry.resolve("Demo").id());
        fails(ErrorCode.BAD_REQUEST, () -> registry.resolve("DEMO"), "'DEMO'", "'Demo' and 'demo'", "exact case");
    }

    @Test
    void invalidModelGivesTheValidationReport() throws IOException {
        Path m = Fixtures.stableDiffusion(tmp, "sd");
        Files.delete(m.resolve("unet/model.onnx"));
        ModelRegistry registry = new ModelRegistry(List.of(tmp));
        PigmentException e = fails(ErrorCode.MODEL_INVALID, () -> registry.resolve("sd"),
                "Model folder " + m + " is not usable:\n - unet/model.onnx: missing. Fix: ");
        assertEquals(registry.validate(m, false).explain(), e.getMessage());
        // still listed, so the user can see it and ask why
        assertTrue(registry.list().stream().anyMatch(i -> i.id().equals("sd")));
    }

    @Test
    void idsCannotEscapeTheirRoot() {
        Path root = tmp.resolve("models");
        Fixtures.stableDiffusion(root, "ok");
        Fixtures.stableDiffusion(tmp, "sibling"); // a valid model right beside the root
        ModelRegistry registry = new ModelRegistry(List.of(root));
        for (String id : List.of("../sibling", "..", ".", "ok/../../sibling", "ok/unet", "~/x", "a\\b", "-rf", ".hidden")) {
            fails(ErrorCode.BAD_REQUEST, () -> registry.resolve(id), "'" + id + "' is not a model id", "absolute path");
        }
    }

    @Test
    void absolutePathsMustBeModelFolders() {
        Path root = tmp.resolve("models");
        Path inside = Fixtures.stableDiffusion(root, "inside");
        Path outside = Fixtures.stableDiffusion(tmp, "elsewhere");
        ModelRegistry registry = new ModelRegistry(List.of(root));

        ModelInfo direct = registry.resolve(outside.toString());
        assertEquals(outside.toString(), direct.id(), "outside every root the id is the path");
        assertEquals("elsewhere", direct.displayName());
        assertEquals(outside.toString(), registry.resolve(direct.id()).id(), "the id round-trips");

        assertEquals("inside", registry.resolve(inside.toString()).id(), "inside a root the id is the folder name");
        assertEquals("inside", registry.resolvePath(root.resolve("x/../inside")).id());

        fails(ErrorCode.MODEL_INVALID, () -> registry.resolve("/etc"), "/etc is not usable", "not a model folder");
        fails(ErrorCode.MODEL_NOT_FOUND, () -> registry.resolve(tmp.resolve("nope").toString()), "does not exist");
    }

    @Test
    void symlinkLeavingTheRootIsRefused() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("models"));
        Path outside = Fixtures.stableDiffusion(tmp, "secret");
        Files.createSymbolicLink(root.resolve("evil"), outside);
        Path real = Fixtures.stableDiffusion(root, "real");
        Files.createSymbolicLink(root.resolve("alias"), real);
        ModelRegistry registry = new ModelRegistry(List.of(root));

        fails(ErrorCode.MODEL_INVALID, () -> registry.resolve("evil"),
                "Model id 'evil'", "a link to " + outside.toRealPath(), "cannot lead out of their model folder");
        assertEquals(List.of("alias", "classic", "real"), registry.list().stream().map(ModelInfo::id).toList(),
                "a link out of the root is not listed; a link within it is");
        assertEquals(root.resolve("alias"), registry.resolve("alias").folder());
        // given as a path on purpose, the same folder is fine
        assertEquals(outside.toString(), registry.resolve(outside.toString()).id());
    }

    @Test
    void rootThatIsItselfALinkStillWorks() throws IOException {
        Path realRoot = tmp.resolve("data/models");
        Fixtures.stableDiffusion(realRoot, "m");
        Path link = Files.createSymbolicLink(tmp.resolve("models-link"), realRoot);
        ModelRegistry registry = new ModelRegistry(List.of(link));
        assertEquals("m", registry.resolve("m").id());
        assertEquals("m", registry.resolvePath(realRoot.resolve("m")).id());
    }

    @Test
    void validIds() {
        assertTrue(ModelRegistry.isValidId("sd-turbo_1.5"));
        assertFalse(ModelRegistry.isValidId(".."));
        assertFalse(ModelRegistry.isValidId("a/b"));
        assertFalse(ModelRegistry.isValidId("x".repeat(129)));
        assertFalse(ModelRegistry.isValidId(null));
    }
}
