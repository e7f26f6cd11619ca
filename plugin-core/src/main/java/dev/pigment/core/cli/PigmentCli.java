package dev.pigment.core.cli;

public final class PigmentCli {
    public static void main(String[] args) {
        System.out.println("pigment");
    }
}
