package dev.ipsim.kernel.mcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SmallCounts} keeps a {@code LinkedHashMap}'s order and counts through growth and removal. */
class SmallCountsTest {

    @Test
    void keepsInsertionOrderAndCountsAsItGrowsAndShrinks() {
        SmallCounts<String> c = new SmallCounts<>();
        assertTrue(c.isEmpty());
        for (String k : List.of("a", "b", "c", "d", "e", "f")) {
            assertEquals(1, c.increment(k));
        }
        assertEquals(2, c.increment("c"));
        c.put("a", 300); // past the JVM's cached Integers
        assertEquals(List.of("a", "b", "c", "d", "e", "f"), c.keys());
        assertTrue(c.decrement("b"));
        assertTrue(c.decrement("c"));
        assertFalse(c.decrement("x"));
        assertEquals(List.of("a", "c", "d", "e", "f"), c.keys());
        c.put("b", 1); // a new key goes last
        assertEquals(List.of("a", "c", "d", "e", "f", "b"), c.keys());
        // each count down by one: the ones at one go
        assertEquals(List.of("a", "c", "d", "e", "f", "b"), c.countDown());
        assertEquals(List.of("a"), c.keys());
        assertEquals(300, c.increment("a"));
        assertTrue(c.containsKey("a"));
        assertFalse(c.containsKey("c"));
    }
}
