package org.threadlab.grading.exercises;

import org.threadlab.interleave.Turns;

import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The states and schedules the tests of readers-writers run the student's {@link RwLock} in.
 *
 * <p>For the schedule engine (Lincheck), a {@link Room} guarded by the lock, where each method is
 * one thread's body: whoever enters counts who is inside, so a reader beside a writer, or two
 * writers together, breaks the invariant {@link Room#ok(int, int)}. Blocking calls wrap
 * {@link InterruptedException}, since a thread body cannot throw it.
 *
 * <pre>{@code
 * interleave(() -> new RwScenarios.Room(WriterFirstLock::new), RwScenarios.Room::writeTwice, RwScenarios.Room::read)
 *         .firstFailure(s -> s.ok(1, 2))
 * }</pre>
 *
 * <p>For what Lincheck cannot show (it treats {@code notify()} as {@code notifyAll()}, and
 * starvation needs a writer that waits while readers come and go), chosen orders of whole calls on
 * real threads ({@link Turns}): each static method runs one and returns the steps, which print as
 * a table in a notebook: {@code RwScenarios.readersKeepComing(new WriterFirstLock())}.
 */
public final class RwScenarios {
    private RwScenarios() {}

    /** A room that readers share and a writer must have alone; it remembers whether that ever broke. */
    public static final class Room implements Serializable {
        public final RwLock lock;
        public final AtomicInteger readers = new AtomicInteger();
        public final AtomicInteger writers = new AtomicInteger();
        public final AtomicInteger reads = new AtomicInteger();
        public final AtomicInteger writes = new AtomicInteger();
        /** What went wrong first, or null. */
        public volatile String broken;

        public Room(Make<RwLock> make) {
            lock = make.get();
        }

        public void read() {
            try {
                lock.lockRead();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            try {
                readers.incrementAndGet();
                if (writers.get() > 0 && broken == null) broken = "a reader was inside with a writer";
                reads.incrementAndGet();
                readers.decrementAndGet();
            } finally {
                lock.unlockRead();
            }
        }

        public void write() {
            try {
                lock.lockWrite();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            try {
                int w = writers.incrementAndGet();
                if (w > 1 && broken == null) broken = "two writers were inside together";
                if (readers.get() > 0 && broken == null) broken = "a writer was inside with a reader";
                writes.incrementAndGet();
                writers.decrementAndGet();
            } finally {
                lock.unlockWrite();
            }
        }

        public void writeTwice() {
            write();
            write();
        }

        public void readTwice() {
            read();
            read();
        }

        /** Nobody was inside with a writer, and every read and write happened. */
        public boolean ok(int reads, int writes) {
            return broken == null && this.reads.get() == reads && this.writes.get() == writes;
        }

        @Override
        public String toString() {
            return (broken == null ? "" : broken + "; ") + reads.get() + " reads, " + writes.get() + " writes";
        }
    }

    // ---- chosen orders of calls (Turns), on real threads ----

    /**
     * A writer asks while a reader reads, then new readers keep coming while the first ones leave:
     * 1 R1 lockRead, 2 W lockWrite, 3 R2 lockRead, 4 R1 unlockRead, 5 R3 lockRead, 6 R2 unlockRead.
     * A lock that lets R2 or R3 in while W waits can keep a writer out for ever.
     */
    public static Turns.Result readersKeepComing(RwLock lock) {
        return Turns.of(lock)
                .then("R1", "lockRead", RwLock::lockRead)
                .then("W", "lockWrite", RwLock::lockWrite)
                .then("R2", "lockRead", RwLock::lockRead)
                .then("R1", "unlockRead", RwLock::unlockRead)
                .then("R3", "lockRead", RwLock::lockRead)
                .then("R2", "unlockRead", RwLock::unlockRead)
                .run();
    }

    /**
     * A writer holds the lock while a reader and a second writer start to wait, in the order given
     * (the reader first, or the writer first); then the first writer leaves:
     * 1 W1 lockWrite, 2-3 R lockRead and W2 lockWrite, 4 W1 unlockWrite. The lock is free and two
     * threads wait: one of them must get in. {@code notify()} wakes one waiter, and if it is one that
     * may not go on (a reader, while a writer waits), it waits again and the wake-up is lost.
     */
    public static Turns.Result writerLeaves(RwLock lock, boolean readerWaitsFirst) {
        Turns<RwLock> t = Turns.of(lock).then("W1", "lockWrite", RwLock::lockWrite);
        if (readerWaitsFirst) t.then("R", "lockRead", RwLock::lockRead).then("W2", "lockWrite", RwLock::lockWrite);
        else t.then("W2", "lockWrite", RwLock::lockWrite).then("R", "lockRead", RwLock::lockRead);
        return t.then("W1", "unlockWrite", RwLock::unlockWrite).run();
    }

    /**
     * Two readers wait for a writer, which then leaves: 1 W lockWrite, 2 R1 lockRead, 3 R2 lockRead,
     * 4 W unlockWrite. Both readers may go in now, together; {@code notify()} lets one in.
     */
    public static Turns.Result readersWaitForWriter(RwLock lock) {
        return Turns.of(lock)
                .then("W", "lockWrite", RwLock::lockWrite)
                .then("R1", "lockRead", RwLock::lockRead)
                .then("R2", "lockRead", RwLock::lockRead)
                .then("W", "unlockWrite", RwLock::unlockWrite)
                .run();
    }

    /**
     * A writer waiting for a reader is interrupted while a second reader waits behind it:
     * 1 R1 lockRead, 2 W lockWrite, 3 R2 lockRead, 4 X interrupts W. W's lockWrite must throw
     * InterruptedException and leave nothing behind: R2, who waited only because of W, gets in
     * beside R1 (who never leaves, so only W's giving up can let R2 in).
     */
    public static Turns.Result writerGivesUp(RwLock lock) {
        Thread[] w = new Thread[1];
        return Turns.of(lock)
                .then("R1", "lockRead", RwLock::lockRead)
                .then("W", "lockWrite", l -> {
                    w[0] = Thread.currentThread();
                    l.lockWrite();
                })
                .then("R2", "lockRead", RwLock::lockRead)
                .then("X", "interrupts W", l -> w[0].interrupt())
                .run();
    }
}
