package dev.pigment.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pigment.core.api.CancellationToken;
import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.ProgressListener;
import dev.pigment.core.api.Task;
import dev.pigment.core.image.Mask;
import dev.pigment.core.image.RgbImage;
import dev.pigment.core.model.ModelInfo;
import dev.pigment.core.model.ModelRegistry;
import dev.pigment.core.runtime.RuntimeOptions;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every family promises for every task, whatever its denoiser: size, determinism, the untouched outside. */
class FamilyContractTest {
    static Stream<Arguments> familiesAndTasks() {
        return Stream.of("tiny-sd", "tiny-zimage").flatMap(m -> EnumSet.of(Task.TEXT_TO_IMAGE, Task.IMAGE_TO_IMAGE,
                Task.INPAINT, Task.RESTYLE).stream().map(t -> Arguments.of(m, t)));
    }

    static ModelInfo model(String id) throws URISyntaxException {
        Path root = Path.of(FamilyContractTest.class.getResource(id.equals("tiny-zimage") ? "/zimage" : "/models").toURI());
        return new ModelRegistry(List.of(root)).resolve(id);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("familiesAndTasks")
    void everyTaskKeepsTheContract(String id, Task task) throws URISyntaxException {
        int w = 48;
        int h = 32;
        RgbImage source = LatentDiffusionPipelineTest.gradient(w, h);
        Mask mask = Mask.rectangle(w, h, 8, 8, 16, 16);
        GenerationRequest.Builder b = GenerationRequest.builder(task).model(id).prompt("a red apple").seed(3).steps(3)
                .size(w, h);
        if (task != Task.TEXT_TO_IMAGE) {
            b.source(source);
        }
        if (task == Task.INPAINT) {
            b.mask(mask).option("feather", "0");
        }
        if (task == Task.RESTYLE) {
            b.reference(RgbImage.filled(16, 16, 0.9f, 0.2f, 0.1f));
        }
        try (LatentDiffusionPipeline p = new LatentDiffusionPipeline(model(id), RuntimeOptions.defaults().withThreads(1))) {
            RgbImage a = p.generate(b.build(), ProgressListener.NONE, CancellationToken.none()).first().image();
            RgbImage again = p.generate(b.build(), ProgressListener.NONE, CancellationToken.none()).first().image();
            assertEquals(w, a.width());
            assertEquals(h, a.height());
            assertArrayEquals(a.data(), again.data(), "same seed, same pixels");
            if (task == Task.INPAINT) {
                int plane = w * h;
                for (int i = 0; i < a.data().length; i++) {
                    if (mask.data()[i % plane] == 0f) {
                        assertEquals(source.data()[i], a.data()[i], "outside the mask, bit for bit, at " + i);
                    }
                }
            }
        }
    }
}
