package dev.ipsim.kernel;

import dev.ipsim.kernel.link.NetDevice;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A namespace's devices by ifindex, ascending: two parallel arrays searched by bisection, in
 * place of a {@code TreeMap<Integer, NetDevice>} (a 40-byte entry and a 16-byte boxed key a
 * device, where these take 8 bytes and some room to grow). New devices take the next index, so
 * an insertion is almost always an append.
 */
final class DeviceIndex {

    private int[] keys = new int[8];
    private NetDevice[] devices = new NetDevice[8];
    private int size;
    private final Values values = new Values();

    private int find(int ifindex) {
        if (size > 0 && keys[size - 1] < ifindex) {
            return -(size + 1);
        }
        return Arrays.binarySearch(keys, 0, size, ifindex);
    }

    NetDevice get(int ifindex) {
        int i = find(ifindex);
        return i >= 0 ? devices[i] : null;
    }

    boolean containsKey(int ifindex) {
        return find(ifindex) >= 0;
    }

    void put(int ifindex, NetDevice dev) {
        int i = find(ifindex);
        if (i >= 0) {
            devices[i] = dev;
            return;
        }
        i = -(i + 1);
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            devices = Arrays.copyOf(devices, size * 2);
        }
        System.arraycopy(keys, i, keys, i + 1, size - i);
        System.arraycopy(devices, i, devices, i + 1, size - i);
        keys[i] = ifindex;
        devices[i] = dev;
        size++;
        values.changed();
    }

    void remove(int ifindex) {
        int i = find(ifindex);
        if (i < 0) {
            return;
        }
        System.arraycopy(keys, i + 1, keys, i, size - i - 1);
        System.arraycopy(devices, i + 1, devices, i, size - i - 1);
        size--;
        devices[size] = null;
        values.changed();
    }

    /** The devices in ifindex order: a live, unmodifiable view (a change fails its iterators). */
    List<NetDevice> values() {
        return values;
    }

    /** A copy of the devices in descending ifindex order. */
    List<NetDevice> descending() {
        List<NetDevice> out = new ArrayList<>(size);
        for (int i = size - 1; i >= 0; i--) {
            out.add(devices[i]);
        }
        return out;
    }

    private final class Values extends AbstractList<NetDevice> {
        void changed() {
            modCount++;
        }

        @Override
        public NetDevice get(int i) {
            if (i < 0 || i >= size) {
                throw new IndexOutOfBoundsException(i);
            }
            return devices[i];
        }

        @Override
        public int size() {
            return size;
        }
    }

}
