package org.hypergrad4j.bilevel.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Unit events as JSON lines (Jackson), for the history a checkpoint keeps: one object per record, its components
 * by name, lines separated by {@code '\n'} (compact JSON holds none). Doubles are written as {@link Double#toString}
 * writes them and parsed back exactly; NaN and infinities as the strings {@code "NaN"}, {@code "Infinity"},
 * {@code "-Infinity"}; maps keep their order. Reading refuses a line with a missing or an unknown component, so a
 * history written by another version of an event is named as such.
 */
final class RecordText {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private RecordText() {
    }

    static String encode(Record r) {
        try {
            return JSON.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A " + r.getClass().getSimpleName() + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static <R extends Record> R decode(Class<R> type, String line) {
        try {
            return JSON.readValue(line, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A saved " + type.getSimpleName() + " does not read back (written by another version, or damaged): "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Appends {@code r}'s line to {@code lines}, after a line separator unless it is the {@code first}; the first is
     * also read back and must equal {@code r}, so an event type that JSON does not carry exactly (an array field,
     * say) is refused at the first unit instead of at a resume.
     */
    static void appendLine(StringBuilder lines, Record r, boolean first) {
        String line = encode(r);
        if (first && !r.equals(decode(r.getClass(), line))) {
            throw new IllegalArgumentException("A " + r.getClass().getSimpleName() + " does not read back equal from its JSON " + line
                    + ": a unit event's fields must be values that JSON carries exactly (numbers, strings, enums, lists, maps, records).");
        }
        lines.append(first ? "" : "\n").append(line);
    }

    /** The {@code count} records of {@code lines} (written by {@link #appendLine}); refuses another count. */
    static <R extends Record> List<R> decodeLines(Class<R> type, String lines, long count) {
        String[] split = count == 0 ? new String[0] : lines.split("\n", -1);
        if (split.length != count) {
            throw new IllegalArgumentException("A saved history holds " + split.length + " events for " + count + " units: it is damaged.");
        }
        List<R> records = new ArrayList<>();
        for (String line : split) {
            records.add(decode(type, line));
        }
        return records;
    }
}
