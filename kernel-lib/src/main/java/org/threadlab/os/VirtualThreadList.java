package org.threadlab.os;

import org.threadlab.display.Table;

import java.util.List;

import static org.threadlab.display.Table.col;

/**
 * The virtual threads of this JVM: no OS tool lists them, because they have no OS thread of their
 * own. Each runs, when it runs, mounted on a carrier (a platform thread of the virtual-thread
 * scheduler), which {@code ps()} shows as {@link OsThread.Kind#CARRIER}.
 *
 * <pre>{@code
 * for (int i = 0; i < 1000; i++) Thread.ofVirtual().start(() -> { try { Thread.sleep(5000); } catch (InterruptedException e) {} });
 * vthreads().size();                                     // about 1000
 * vthreads().filter(v -> v.carrierTid() > 0);            // the ones mounted right now, with their OS thread
 * }</pre>
 *
 * Read through HotSpot's {@code Thread.dump_to_file} diagnostic command (JSON), which lists the
 * virtual threads the JDK tracks (all of them unless {@code -Djdk.trackAllThreads=false}); it
 * costs tens of milliseconds for thousands of threads.
 */
public final class VirtualThreadList extends DataList<VirtualThreadList.VirtualThread, VirtualThreadList> {

    /**
     * One virtual thread.
     *
     * @param javaId        its {@link Thread#threadId()}
     * @param name          its name (often blank: virtual threads are unnamed by default)
     * @param state         its {@link Thread.State} as text
     * @param carrierJavaId the Java id of the carrier it is mounted on; -1 when unmounted (waiting, or not yet run)
     * @param carrierTid    that carrier's OS thread id; -1 when unmounted or unknown
     * @param carrierName   that carrier's name, for example {@code ForkJoinPool-1-worker-1}
     * @param container     the thread container that owns it ({@code <root>}, an executor, a structured scope)
     */
    public record VirtualThread(long javaId, String name, String state, long carrierJavaId, long carrierTid,
                                String carrierName, String container) {}

    VirtualThreadList(List<VirtualThread> items, List<String> unavailable) {
        super(items, unavailable);
    }

    @Override
    protected VirtualThreadList with(List<VirtualThread> items) {
        return new VirtualThreadList(items, unavailable);
    }

    /** The ones mounted on a carrier right now (running, or about to). */
    public VirtualThreadList mounted() {
        return filter(v -> v.carrierJavaId() >= 0);
    }

    @Override
    public Table table() {
        return Table.from(items,
                        col("ID", VirtualThread::javaId),
                        col("NAME", VirtualThread::name),
                        col("STATE", VirtualThread::state),
                        col("CARRIER", VirtualThread::carrierName),
                        col("CARRIER_TID", v -> ThreadList.num(v.carrierTid())),
                        col("CONTAINER", VirtualThread::container))
                .titled(items.size() + " virtual threads, " + items.stream().filter(v -> v.carrierJavaId() >= 0).count() + " mounted")
                .withFooter(footer());
    }
}
