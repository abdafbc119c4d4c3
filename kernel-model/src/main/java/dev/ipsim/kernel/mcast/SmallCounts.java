package dev.ipsim.kernel.mcast;

import java.util.Arrays;
import java.util.List;

/**
 * A handful of keys with an int each, in the order they were first put (as a
 * {@code LinkedHashMap}): a device's multicast groups and their pending report counts, its
 * link-layer multicast addresses and their references. Two
 * small arrays searched in turn, made on the first put: an empty one costs 24 bytes, and each
 * key 8 more, where a map costs some 90 bytes and 56 a key with its boxed value.
 */
public final class SmallCounts<K> {

    private static final Object[] NO_KEYS = {};
    private static final int[] NO_COUNTS = {};

    private Object[] keys = NO_KEYS;
    private int[] counts = NO_COUNTS;
    private int size;

    private int indexOf(Object key) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private int add(K key, int count) {
        if (size == keys.length) {
            int capacity = Math.max(4, size * 2);
            keys = Arrays.copyOf(keys, capacity);
            counts = Arrays.copyOf(counts, capacity);
        }
        keys[size] = key;
        counts[size] = count;
        return size++;
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
            counts[i] = count;
        }
    }

    /** The key's count, 0 when absent. */
    public int count(Object key) {
        int i = indexOf(key);
        return i < 0 ? 0 : counts[i];
    }

    /** Adds one to the key's count (a new key starts at one); returns the new count. */
    public int increment(K key) {
        int i = indexOf(key);
        if (i < 0) {
            add(key, 1);
            return 1;
        }
        return ++counts[i];
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
        if (counts[i] > 1) {
            counts[i]--;
            return true;
        }
        System.arraycopy(keys, i + 1, keys, i, size - i - 1);
        System.arraycopy(counts, i + 1, counts, i, size - i - 1);
        keys[--size] = null;
        return true;
    }

    /** The keys in order (a copy). */
    @SuppressWarnings("unchecked")
    public List<K> keys() {
        return (List<K>) List.of(Arrays.copyOf(keys, size));
    }

    /**
     * Every key in order, each count taken down by one; a key whose count was one (or less)
     * goes. Returns the keys as they were.
     */
    public List<K> countDown() {
        List<K> all = keys();
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (counts[i] > 1) {
                keys[kept] = keys[i];
                counts[kept] = counts[i] - 1;
                kept++;
            }
        }
        Arrays.fill(keys, kept, size, null);
        size = kept;
        return all;
    }
}
