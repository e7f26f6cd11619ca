package dev.pigment.imagej;

import dev.pigment.core.api.RequestKeys;
import ij.Macro;
import ij.gui.GenericDialog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command's GenericDialog, built field by field with a stable macro key each. ImageJ records a field under
 * the first word of its label, lower-cased, so every label here starts with its key; {@link #read()} returns
 * the values under those keys, which are {@link RequestKeys} names where the field is a request parameter.
 * Macros fill the same dialog through {@code run("...", "key=value ...")} without showing it.
 */
final class CommandDialog {
    private enum Kind { TEXT, CHOICE, FLAG }

    private record Field(String key, String label, Kind kind) { }

    private final GenericDialog gd;
    private final List<Field> fields = new ArrayList<>();

    CommandDialog(String title) {
        gd = new GenericDialog(title);
    }

    /** A text field for a request key; the label starts with the key and says what an empty value means. */
    void text(RequestKeys.Key key, String label, String value, int columns) {
        text(key.name(), label, value, columns);
    }

    void text(String key, String label, String value, int columns) {
        requireLabel(key, label);
        gd.addStringField(label, value, columns);
        fields.add(new Field(key, label, Kind.TEXT));
    }

    /**
     * A choice. A macro may name a value that is not in {@code items} (a model folder path, a scheduler this
     * list does not show): it is added, so the engine, not the dialog, judges it and says what is wrong.
     */
    void choice(String key, String label, List<String> items, String selected) {
        requireLabel(key, label);
        List<String> all = new ArrayList<>(items);
        String options = Macro.getOptions();
        if (options != null) {
            String asked = Macro.getValue(options, key, null);
            if (asked != null && !all.contains(asked)) {
                all.add(asked);
            }
        }
        if (all.isEmpty()) {
            all.add("");
        }
        gd.addChoice(label, all.toArray(new String[0]), all.contains(selected) ? selected : all.get(0));
        fields.add(new Field(key, label, Kind.CHOICE));
    }

    /** The choice field for {@code key} (its AWT component), for reading its value and listening to it. */
    java.awt.Choice choiceOf(String key) {
        int index = 0;
        for (Field f : fields) {
            if (f.key().equals(key) && f.kind() == Kind.CHOICE) {
                return (java.awt.Choice) gd.getChoices().get(index);
            }
            index += f.kind() == Kind.CHOICE ? 1 : 0;
        }
        throw new IllegalArgumentException("no choice field '" + key + "'");
    }

    /**
     * Keeps the {@code target} choice's items those {@code items} gives for the {@code source} choice's value,
     * updated whenever the user picks another source value; the target keeps its selection when still offered.
     */
    void follow(String target, String source, java.util.function.Function<String, List<String>> items) {
        java.awt.Choice from = choiceOf(source);
        java.awt.Choice to = choiceOf(target);
        from.addItemListener(e -> {
            String kept = to.getSelectedItem();
            List<String> now = items.apply(from.getSelectedItem());
            to.removeAll();
            now.forEach(to::add);
            if (now.contains(kept)) {
                to.select(kept);
            }
        });
    }

    void checkbox(String key, String label, boolean value) {
        requireLabel(key, label);
        gd.addCheckbox(label, value);
        fields.add(new Field(key, label, Kind.FLAG));
    }

    void message(String text) {
        gd.addMessage(text);
    }

    /** The macro keys in dialog order. */
    List<String> keys() {
        return fields.stream().map(Field::key).toList();
    }

    /** The labels in dialog order (ImageJ derives each key from its label). */
    List<String> labels() {
        return fields.stream().map(Field::label).toList();
    }

    /** The dialog itself, for screenshots and tests. */
    GenericDialog dialog() {
        return gd;
    }

    /** Shows the dialog (a macro fills it instead); false when the user cancelled. */
    boolean show() {
        gd.showDialog();
        return !gd.wasCanceled();
    }

    /** Every field's value by key, in dialog order; checkboxes as "true"/"false". */
    Map<String, String> read() {
        Map<String, String> values = new LinkedHashMap<>();
        for (Field f : fields) {
            String v = switch (f.kind()) {
                case TEXT -> gd.getNextString().strip();
                case CHOICE -> gd.getNextChoice();
                case FLAG -> Boolean.toString(gd.getNextBoolean());
            };
            values.put(f.key(), v);
        }
        return values;
    }

    private static void requireLabel(String key, String label) {
        String first = label.split("[ :]", 2)[0].toLowerCase(java.util.Locale.US);
        if (!first.equals(key)) {
            throw new IllegalArgumentException("label '" + label + "' would record as '" + first + "', not '" + key + "'");
        }
    }
}
