package dev.ipsim.kernel;

import java.util.AbstractList;

/**
 * A list view over one field of its owner holding {@code null} (empty), the element itself
 * (one), or an exact-size {@code Object[]} (two or more): a device's one or two addresses cost
 * the field alone, or a 24-byte array, where an {@code ArrayList} and its array took 48 bytes.
 * A view is made per use and keeps nothing but its owner; elements must not be arrays.
 */
public abstract class CompactList<E> extends AbstractList<E> {

    /** The owner's field. */
    protected abstract Object load();

    /** Sets the owner's field. */
    protected abstract void store(Object value);

    @Override
    public int size() {
        Object v = load();
        return v == null ? 0 : v instanceof Object[] all ? all.length : 1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        Object v = load();
        if (v instanceof Object[] all) {
            return (E) all[index];
        }
        if (v == null || index != 0) {
            throw new IndexOutOfBoundsException(index);
        }
        return (E) v;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E set(int index, E element) {
        Object v = load();
        if (v instanceof Object[] all) {
            E old = (E) all[index];
            all[index] = element;
            return old;
        }
        E old = get(index);
        store(element);
        return old;
    }

    @Override
    public void add(int index, E element) {
        int n = size();
        if (index < 0 || index > n) {
            throw new IndexOutOfBoundsException(index);
        }
        Object v = load();
        if (n == 0) {
            store(element);
        } else {
            Object[] now = new Object[n + 1];
            if (v instanceof Object[] all) {
                System.arraycopy(all, 0, now, 0, index);
                System.arraycopy(all, index, now, index + 1, n - index);
            } else {
                now[index == 0 ? 1 : 0] = v;
            }
            now[index] = element;
            store(now);
        }
        modCount++;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E remove(int index) {
        Object v = load();
        int n = size();
        if (index < 0 || index >= n) {
            throw new IndexOutOfBoundsException(index);
        }
        E old;
        if (v instanceof Object[] all) {
            old = (E) all[index];
            if (n == 2) {
                store(all[1 - index]);
            } else {
                Object[] now = new Object[n - 1];
                System.arraycopy(all, 0, now, 0, index);
                System.arraycopy(all, index + 1, now, index, n - index - 1);
                store(now);
            }
        } else {
            old = (E) v;
            store(null);
        }
        modCount++;
        return old;
    }

    @Override
    public void clear() {
        if (load() != null) {
            store(null);
            modCount++;
        }
    }
}
