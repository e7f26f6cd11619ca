package dev.pigment.core.classic;

import dev.pigment.core.api.PigmentException;

/** The strength check every style transfer makes. */
final class StyleStrength {
    private StyleStrength() {
    }

    static void check(double strength) {
        if (!(strength >= 0 && strength <= 1)) {
            throw PigmentException.badRequest("style strength=" + strength + " is out of range: use a value in [0, 1].");
        }
    }
}
