package dev.pigment.core.cli;

import picocli.CommandLine;

/** Every decimal option: NaN and infinities are refused by name instead of quietly meaning "default". */
final class FiniteNumber implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
        double v;
        try {
            v = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a finite number");
        }
        return v;
    }
}
