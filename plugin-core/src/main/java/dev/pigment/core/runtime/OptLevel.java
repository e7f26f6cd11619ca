package dev.pigment.core.runtime;

/** ONNX Runtime graph optimisation level, named as ORT and DJL's {@code optLevel} option name them. */
public enum OptLevel {
    NO_OPT,
    BASIC_OPT,
    EXTENDED_OPT,
    ALL_OPT
}
