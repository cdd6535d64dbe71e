package org.threadlab.os;

import org.threadlab.display.Table;
import org.threadlab.display.Tabular;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A read-only list of results (threads, processes) that filters and sorts with plain Java and
 * shows itself as a table: aligned text from {@link #toString()}, HTML in a notebook.
 *
 * @param <T> the item, a record such as {@link OsThread}
 * @param <L> the concrete list type, so that {@link #filter} and {@link #sorted} keep it
 */
public abstract class DataList<T, L extends DataList<T, L>> implements Iterable<T>, Tabular {

    protected final List<T> items;
    protected final List<String> unavailable;

    protected DataList(List<T> items, List<String> unavailable) {
        this.items = List.copyOf(items);
        this.unavailable = List.copyOf(unavailable);
    }

    /** A list of the same kind holding {@code items}, with the same notes. */
    protected abstract L with(List<T> items);

    /** The items as a table: the shape of {@link #toString()} and of the HTML view. */
    public abstract Table table();

    /** The items that match, for example {@code ps().filter(t -> t.state() == 'R')}. */
    public L filter(Predicate<? super T> keep) {
        return with(items.stream().filter(keep).toList());
    }

    /** The items in a new order, for example {@code ps().sorted(Comparator.comparingLong(OsThread::cpuMs).reversed())}. */
    public L sorted(Comparator<? super T> order) {
        List<T> copy = new ArrayList<>(items);
        copy.sort(order);
        return with(copy);
    }

    /** The first {@code n} items. */
    public L limit(int n) {
        return with(items.subList(0, Math.min(Math.max(n, 0), items.size())));
    }

    public int size() { return items.size(); }
    public boolean isEmpty() { return items.isEmpty(); }
    public T get(int i) { return items.get(i); }
    public List<T> toList() { return items; }
    public Stream<T> stream() { return items.stream(); }
    @Override public Iterator<T> iterator() { return items.iterator(); }

    /**
     * Fields this platform or this process did not give, each with the reason, for example
     * {@code "context switches: not reported on macos"}; empty when everything was read.
     */
    public List<String> unavailable() { return unavailable; }

    protected String footer() {
        return unavailable.isEmpty() ? null : "unavailable: " + String.join("; ", unavailable);
    }

    @Override public String toString() { return table().toString(); }
}
