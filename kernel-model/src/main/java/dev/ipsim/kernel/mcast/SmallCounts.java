package dev.ipsim.kernel.mcast;

import java.util.Arrays;
import java.util.List;

/**
 * A handful of keys with an int each, in the order they were first put (as a
 * {@code LinkedHashMap}): a device's multicast groups and their pending report counts, its
 * link-layer multicast addresses and their references. One small array of key and count side
 * by side (a count boxed: the small ones a device has are the JVM's cached {@code Integer}s),
 * searched in turn, grown one entry at a time while small: an empty one costs 16 bytes and
 * three keys 40 more, where two arrays of four cost 64 and a map some 90 bytes and 56 a key.
 */
public final class SmallCounts<K> {

    private static final Object[] NONE = {};

    /** Key {@code i} at {@code 2 * i}, its count (an {@code Integer}) at {@code 2 * i + 1}. */
    private Object[] slots = NONE;
    private int size;

    private int indexOf(Object key) {
        for (int i = 0; i < size; i++) {
            if (slots[2 * i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private int count(int i) {
        return (Integer) slots[2 * i + 1];
    }

    private void setCount(int i, int count) {
        slots[2 * i + 1] = count;
    }

    private int add(K key, int count) {
        if (2 * size == slots.length) {
            int capacity = size < 4 ? size + 1 : size * 2;
            slots = Arrays.copyOf(slots, 2 * capacity);
        }
        slots[2 * size] = key;
        slots[2 * size + 1] = count;
        return size++;
    }

    /** Removes entry {@code i}, the ones after it keeping their order. */
    private void removeAt(int i) {
        System.arraycopy(slots, 2 * i + 2, slots, 2 * i, 2 * (size - i - 1));
        size--;
        slots[2 * size] = null;
        slots[2 * size + 1] = null;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    /** Sets the key's count; a new key goes last, a known one keeps its place. */
    public void put(K key, int count) {
        int i = indexOf(key);
        if (i < 0) {
            add(key, count);
        } else {
            setCount(i, count);
        }
    }

    /** The key's count, 0 when absent. */
    public int countOf(Object key) {
        int i = indexOf(key);
        return i < 0 ? 0 : count(i);
    }

    /** Adds one to the key's count (a new key starts at one); returns the new count. */
    public int increment(K key) {
        int i = indexOf(key);
        if (i < 0) {
            add(key, 1);
            return 1;
        }
        int n = count(i) + 1;
        setCount(i, n);
        return n;
    }

    /**
     * Takes one from the key's count; the key goes when its count was one (or less), the keys
     * after it keeping their order. Returns whether the key was there.
     */
    public boolean decrement(Object key) {
        int i = indexOf(key);
        if (i < 0) {
            return false;
        }
        int n = count(i);
        if (n > 1) {
            setCount(i, n - 1);
            return true;
        }
        removeAt(i);
        return true;
    }

    /** The keys in order (a copy). */
    @SuppressWarnings("unchecked")
    public List<K> keys() {
        Object[] keys = new Object[size];
        for (int i = 0; i < size; i++) {
            keys[i] = slots[2 * i];
        }
        return (List<K>) List.of(keys);
    }

    /**
     * Every key in order, each count taken down by one; a key whose count was one (or less)
     * goes. Returns the keys as they were.
     */
    public List<K> countDown() {
        List<K> all = keys();
        int kept = 0;
        for (int i = 0; i < size; i++) {
            int n = count(i);
            if (n > 1) {
                slots[2 * kept] = slots[2 * i];
                slots[2 * kept + 1] = n - 1;
                kept++;
            }
        }
        Arrays.fill(slots, 2 * kept, 2 * size, null);
        size = kept;
        return all;
    }
}
