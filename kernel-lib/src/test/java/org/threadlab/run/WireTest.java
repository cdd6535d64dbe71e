package org.threadlab.run;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WireTest {
    private static final ClassLoader LOADER = WireTest.class.getClassLoader();

    private static Object[] roundTrip(Object[] values, int header) throws Exception {
        byte[] bytes = Wire.encodeArray(values, header);
        return Wire.decodeArray(bytes, header, LOADER);
    }

    @Test
    void numbersAndStringsComeBackEqualAndOfTheSameClass() throws Exception {
        List<Object[]> cases = List.of(
                new Object[] {0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE, 128, -129, 0x01020304},
                new Object[] {0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x0102030405060708L, 1L << 31},
                new Object[] {0.0, -0.0, 1.5, Double.NaN, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -1e300},
                new Object[] {"", "a", "grüße", "日本語", "emoji \uD83D\uDE00", "x".repeat(70_000)});
        for (Object[] values : cases) {
            for (int header : new int[] {0, 24}) {
                Object[] back = roundTrip(values, header);
                assertArrayEquals(values, back, Arrays.toString(values).substring(0, 40));
                for (int i = 0; i < values.length; i++) assertEquals(values[i].getClass(), back[i].getClass());
            }
        }
    }

    @Test
    void mixedArraysNullsAndOtherTypesFallBackToSerialization() throws Exception {
        List<Object[]> cases = List.of(
                new Object[] {1, 2L},          // an Integer then a Long: neither compact form fits
                new Object[] {1, null},
                new Object[] {null, 1},
                new Object[] {"a", 1},
                new Object[] {1.5f, 2.5f},
                new Object[] {List.of(1, 2)},
                new Object[] {});
        for (Object[] values : cases) {
            byte[] bytes = Wire.encodeArray(values, 24);
            assertEquals('O', bytes[24], "tag of " + Arrays.toString(values));
            assertArrayEquals(values, Wire.decodeArray(bytes, 24, LOADER));
        }
    }

    @Test
    void theHeaderIsLeftForTheCaller() throws Exception {
        byte[] bytes = Wire.encodeArray(new Object[] {7}, 24);
        assertEquals(24 + 1 + 4 + 4, bytes.length);
        for (int i = 0; i < 24; i++) assertEquals(0, bytes[i]);
        Wire.putLong(bytes, 16, -2L);
        assertEquals(-2L, Wire.getLong(bytes, 16));
        assertArrayEquals(new Object[] {7}, Wire.decodeArray(bytes, 24, LOADER));
    }
}
