package org.hypergrad4j.bilevel.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Unit events written as text and read back: exact for every supported field type, refused otherwise. */
class RecordTextTest {
    enum Phase { FIRST, SECOND }

    record Everything(int i, long l, double d, Phase p, Map<String, Double> values) {
    }

    record WithList(List<Double> values) {
    }

    record MapFirst(Map<String, Double> values, long l) {
    }

    @Test
    void everySupportedFieldReadsBackExactly() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("dropout_2", 0.1 + 0.2);
        values.put("a", -0.0);
        values.put("inf", Double.NEGATIVE_INFINITY);
        for (Everything e : List.of(
                new Everything(-7, Long.MIN_VALUE, Math.nextUp(1.0), Phase.SECOND, values),
                new Everything(0, 0, Double.NaN, Phase.FIRST, Map.of()),
                new Everything(Integer.MAX_VALUE, 1, Double.MIN_VALUE, Phase.FIRST, Map.of("λ̂ rate; 3", 1e-300)))) {
            Everything back = RecordText.decode(Everything.class, RecordText.encode(e));
            assertEquals(e, back);
            assertEquals(Double.doubleToRawLongBits(e.d()), Double.doubleToRawLongBits(back.d()));
            assertEquals(List.copyOf(e.values().keySet()), List.copyOf(back.values().keySet()), "map order kept");
            e.values().forEach((k, v) -> assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(back.values().get(k)), k));
        }
    }

    @Test
    void linesOfRecordsReadBackInOrderAndTheirCountIsChecked() {
        List<MapFirst> records = List.of(new MapFirst(Map.of(), 1), new MapFirst(Map.of("a", 0.5), 2), new MapFirst(Map.of(), 3));
        StringBuilder lines = new StringBuilder();
        for (MapFirst r : records) {
            RecordText.appendLine(lines, r, lines.isEmpty() && r == records.get(0));
        }
        assertEquals(records, RecordText.decodeLines(MapFirst.class, lines.toString(), 3));
        assertEquals(List.of(), RecordText.decodeLines(MapFirst.class, "", 0));
        var count = assertThrows(IllegalArgumentException.class, () -> RecordText.decodeLines(MapFirst.class, lines.toString(), 4));
        assertTrue(count.getMessage().contains("holds 3 events for 4 units"), count.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RecordText.encode(new MapFirst(Map.of("x\u001cy", 1.0), 1)));
    }

    @Test
    void anEmptyFirstFieldKeepsTheOthersInPlace() {
        MapFirst m = new MapFirst(Map.of(), 3);
        assertEquals(m, RecordText.decode(MapFirst.class, RecordText.encode(m)));
    }

    @Test
    void unsupportedFieldsSeparatorsAndNullsAreRefusedByName() {
        var type = assertThrows(IllegalArgumentException.class, () -> RecordText.requireSupported(WithList.class));
        assertTrue(type.getMessage().contains("WithList.values is a java.util.List<java.lang.Double>"), type.getMessage());
        var key = assertThrows(IllegalArgumentException.class,
                () -> RecordText.encode(new Everything(1, 1, 1, Phase.FIRST, Map.of("x\u001e", 1.0))));
        assertTrue(key.getMessage().contains("map key"), key.getMessage());
        var nothing = assertThrows(NullPointerException.class, () -> RecordText.encode(new Everything(1, 1, 1, null, Map.of())));
        assertTrue(nothing.getMessage().contains("Everything.p is null"), nothing.getMessage());
        var version = assertThrows(IllegalArgumentException.class, () -> RecordText.decode(Everything.class, "1\u001f2"));
        assertTrue(version.getMessage().contains("has 2 fields, the record 5"), version.getMessage());
    }
}
