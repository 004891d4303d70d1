package org.hypergrad4j.bilevel.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Unit events written as JSON lines and read back: bit for bit, in order, and refused when they cannot be. */
class RecordTextTest {
    enum Phase { FIRST, SECOND }

    record Everything(int i, long l, double d, Phase p, Map<String, Double> values) {
    }

    record WithArray(double[] values) {
    }

    record MapFirst(Map<String, Double> values, long l) {
    }

    @Test
    void everyFieldReadsBackBitForBit() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("dropout_2", 0.1 + 0.2);
        values.put("a", -0.0);
        values.put("inf", Double.NEGATIVE_INFINITY);
        values.put("nan", Double.NaN);
        values.put("line\nbreak \"quoted\" \u001c", 1.0);
        for (Everything e : List.of(
                new Everything(-7, Long.MIN_VALUE, Math.nextUp(1.0), Phase.SECOND, values),
                new Everything(0, 0, Double.NaN, Phase.FIRST, Map.of()),
                new Everything(Integer.MAX_VALUE, 1, Double.MIN_VALUE, Phase.FIRST, Map.of("λ̂ rate; 3", 1e-300)),
                new Everything(1, Long.MAX_VALUE, Double.POSITIVE_INFINITY, null, null))) {
            String line = RecordText.encode(e);
            assertTrue(!line.contains("\n"), line);
            Everything back = RecordText.decode(Everything.class, line);
            assertEquals(e, back);
            assertEquals(Double.doubleToRawLongBits(e.d()), Double.doubleToRawLongBits(back.d()));
            if (e.values() != null) {
                assertEquals(List.copyOf(e.values().keySet()), List.copyOf(back.values().keySet()), "map order kept");
                e.values().forEach((k, v) -> assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(back.values().get(k)), k));
            }
        }
    }

    @Test
    void linesOfRecordsReadBackInOrderAndTheirCountIsChecked() {
        List<MapFirst> records = List.of(new MapFirst(Map.of(), 1), new MapFirst(Map.of("a\nb", 0.5), 2), new MapFirst(Map.of(), 3));
        StringBuilder lines = new StringBuilder();
        for (MapFirst r : records) {
            RecordText.appendLine(lines, r, r == records.get(0));
        }
        assertEquals(records, RecordText.decodeLines(MapFirst.class, lines.toString(), 3));
        assertEquals(List.of(), RecordText.decodeLines(MapFirst.class, "", 0));
        var count = assertThrows(IllegalArgumentException.class, () -> RecordText.decodeLines(MapFirst.class, lines.toString(), 4));
        assertTrue(count.getMessage().contains("holds 3 events for 4 units"), count.getMessage());
    }

    @Test
    void anEventThatDoesNotReadBackEqualIsRefusedAtTheFirstUnit() {
        StringBuilder lines = new StringBuilder();
        var e = assertThrows(IllegalArgumentException.class, () -> RecordText.appendLine(lines, new WithArray(new double[] {1, 2}), true));
        assertTrue(e.getMessage().contains("A WithArray does not read back equal from its JSON {\"values\":[1.0,2.0]}"), e.getMessage());
        assertEquals("", lines.toString(), "nothing appended");
    }

    @Test
    void aLineOfAnotherVersionOfTheEventIsRefusedByName() {
        String written = RecordText.encode(new MapFirst(Map.of(), 4));
        var missing = assertThrows(IllegalArgumentException.class, () -> RecordText.decode(Everything.class, "{\"i\":1,\"l\":2,\"d\":3.0,\"p\":\"FIRST\"}"));
        assertTrue(missing.getMessage().startsWith("A saved Everything does not read back (written by another version, or damaged)"), missing.getMessage());
        assertTrue(missing.getMessage().contains("values"), missing.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> RecordText.decode(Everything.class, written));
        assertTrue(unknown.getMessage().contains("A saved Everything does not read back"), unknown.getMessage());
        var torn = assertThrows(IllegalArgumentException.class, () -> RecordText.decode(MapFirst.class, written.substring(0, written.length() - 3)));
        assertTrue(torn.getMessage().contains("A saved MapFirst does not read back"), torn.getMessage());
        var nullPrimitive = assertThrows(IllegalArgumentException.class, () -> RecordText.decode(MapFirst.class, "{\"values\":{},\"l\":null}"));
        assertTrue(nullPrimitive.getMessage().contains("A saved MapFirst does not read back"), nullPrimitive.getMessage());
    }
}
