package dev.pigment.core.service;

import dev.pigment.core.api.GenerationRequest;
import dev.pigment.core.api.GenerationResult;
import java.util.ArrayList;
import java.util.List;

/** What a user should know about a text-to-image request the model will not serve well. */
final class TextToImageNotes {
    /** Sizes whose area is beyond this factor of the trained area repeat or lose structure. */
    static final double FAR_AREA_RATIO = 4.0;

    private TextToImageNotes() {
    }

    static GenerationResult add(GenerationResult result, GenerationRequest r, EditingEngine.WorkingSize working) {
        List<String> notes = new ArrayList<>();
        if (r.prompt().isBlank()) {
            notes.add("No prompt: this is unconditional generation (the model draws whatever it likes);"
                    + " pass -p \"...\" to say what to draw.");
        }
        if (working != null) {
            int w = r.widthOr(working.width());
            int h = r.heightOr(working.height());
            double ratio = (double) w * h / working.area();
            if (ratio > FAR_AREA_RATIO || ratio < 1 / FAR_AREA_RATIO) {
                notes.add("This model was trained at " + working.width() + "x" + working.height() + "; at " + w + "x" + h
                        + (ratio > 1 ? " its picture repeats or loses its structure." : " it loses detail.")
                        + " Generate near " + working.width() + "x" + working.height() + " and upscale instead.");
            }
        }
        return EditingEngine.withNotes(result, notes);
    }
}
