package org.hypergrad4j.bilevel.train;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A record as one line of text and back, exactly, for the unit events a checkpoint keeps: the components in
 * declaration order separated by U+001F, lines (records) by U+001C; a {@code Map<String, Double>} as its entries {@code key U+001E value}
 * separated by U+001D, in iteration order (read back into a {@link LinkedHashMap}). Components may be int, long,
 * double ({@link Double#toString} round-trips), an enum or {@code Map<String, Double>}; map keys may not contain
 * the four separators, and nothing may be null.
 */
final class RecordText {
    private static final char LINE = '\u001c';
    private static final char FIELD = '\u001f';
    private static final char ENTRY = '\u001d';
    private static final char KEY = '\u001e';
    private static final String STRING_DOUBLE_MAP = "java.util.Map<java.lang.String, java.lang.Double>";

    private RecordText() {
    }

    /** Refuses a record type with a component that {@link #decode} could not read back, naming it. */
    static void requireSupported(Class<? extends Record> type) {
        for (RecordComponent c : type.getRecordComponents()) {
            Class<?> t = c.getType();
            if (!(t == int.class || t == long.class || t == double.class || t.isEnum() || c.getGenericType().getTypeName().equals(STRING_DOUBLE_MAP))) {
                throw new IllegalArgumentException(type.getSimpleName() + "." + c.getName() + " is a " + c.getGenericType().getTypeName()
                        + "; a unit event's fields must be int, long, double, an enum or Map<String, Double> to be checkpointed.");
            }
        }
    }

    static String encode(Record r) {
        StringBuilder b = new StringBuilder();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v = Objects.requireNonNull(read(c, r), () -> r.getClass().getSimpleName() + "." + c.getName() + " is null: it cannot be checkpointed.");
            b.append(FIELD).append(v instanceof Map<?, ?> m ? entries(m) : v instanceof Enum<?> e ? e.name() : v);
        }
        return b.isEmpty() ? "" : b.substring(1);
    }

    private static String entries(Map<?, ?> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> {
            if (k.toString().chars().anyMatch(c -> c >= LINE && c <= FIELD)) {
                throw new IllegalArgumentException("The map key \"" + k + "\" holds a separator character U+001C to U+001F: it cannot be checkpointed.");
            }
            b.append(b.length() == 0 ? "" : ENTRY).append(k).append(KEY).append(v);
        });
        return b.toString();
    }

    /** Appends {@code r}'s line to {@code lines}, after a line separator unless it is the first. */
    static void appendLine(StringBuilder lines, Record r, boolean first) {
        lines.append(first ? "" : String.valueOf(LINE)).append(encode(r));
    }

    /** The {@code count} records of {@code lines} (written by {@link #appendLine}); refuses another count. */
    static <R extends Record> List<R> decodeLines(Class<R> type, String lines, long count) {
        List<R> records = new ArrayList<>();
        String[] split = count == 0 ? new String[0] : lines.split(String.valueOf(LINE), -1);
        if (split.length != count) {
            throw new IllegalArgumentException("A saved history holds " + split.length + " events for " + count + " units: it is damaged.");
        }
        for (String line : split) {
            records.add(decode(type, line));
        }
        return records;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <R extends Record> R decode(Class<R> type, String text) {
        RecordComponent[] components = type.getRecordComponents();
        String[] fields = text.split(String.valueOf(FIELD), -1);
        if (fields.length != components.length) {
            throw new IllegalArgumentException("A saved " + type.getSimpleName() + " has " + fields.length + " fields, the record " + components.length
                    + ": it was written by another version.");
        }
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            Class<?> t = types[i] = components[i].getType();
            String f = fields[i];
            values[i] = t == int.class ? Integer.parseInt(f) : t == long.class ? Long.parseLong(f) : t == double.class ? Double.parseDouble(f)
                    : t.isEnum() ? Enum.valueOf((Class<Enum>) t, f) : map(f);
        }
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot rebuild a " + type.getName() + " from its saved fields", e);
        }
    }

    private static Map<String, Double> map(String text) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String entry : text.isEmpty() ? new String[0] : text.split(String.valueOf(ENTRY))) {
            int k = entry.indexOf(KEY);
            m.put(entry.substring(0, k), Double.parseDouble(entry.substring(k + 1)));
        }
        return m;
    }

    /** The value of component {@code c} of {@code r}. */
    static Object read(RecordComponent c, Record r) {
        try {
            c.getAccessor().setAccessible(true);
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read field " + c.getName() + " of " + r.getClass().getName(), e);
        }
    }
}
