package org.threadlab.os;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The /proc and Thread.print parsers on odd input: never an exception, null or -1 instead. */
class ParsersTest {

    @Test
    void statWithParenthesesAndSpacesInTheNameParses() {
        String line = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 5 0 1234 1000000 250 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        Procfs.Stat s = Procfs.parseStat(line);
        assertNotNull(s);
        assertEquals("my (odd) name", s.comm());
        assertEquals('S', s.state());
        assertEquals(1, s.ppid());
        assertEquals(7, s.utime());
        assertEquals(3, s.stime());
        assertEquals(20, s.priority());
        assertEquals(5, s.numThreads());
        assertEquals(1234, s.startTicks());
        assertEquals(1, s.processor());
    }

    @Test
    void truncatedOrGarbledStatGivesNull() {
        assertNull(Procfs.parseStat(null));
        assertNull(Procfs.parseStat(""));
        assertNull(Procfs.parseStat("12 (cut"));
        assertNull(Procfs.parseStat("12 (x) S 1 2"));
        assertNull(Procfs.parseStat("x (y) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21"));
    }

    @Test
    void oldKernelWithoutProcessorFieldGivesMinusOne() {
        String line = "7 (k) R 1 7 7 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 99 0 0";
        Procfs.Stat s = Procfs.parseStat(line);
        assertNotNull(s);
        assertEquals(-1, s.processor());
    }

    @Test
    void threadPrintHeadersOfOldAndNewJdksGiveTheOsThreadId() {
        String out = """
                "main" #1 [4711] prio=5 os_prio=0 cpu=10.00ms elapsed=1.00s tid=0x00007f00 nid=4711 waiting on condition  [0x0]
                "quote \\" name" #22 daemon prio=5 os_prio=0 cpu=1.00ms elapsed=1.00s tid=0x00007f01 nid=0x1268 runnable
                "VM Thread" os_prio=0 cpu=1.00ms elapsed=1.00s tid=0x00007f02 nid=4700 runnable
                "ForkJoinPool-1-worker-1" #23 [14716] daemon prio=5 os_prio=0 cpu=328.04ms elapsed=0.84s tid=0x00007f66701b3140  [0x00007f66747f5000]
                   Carrying virtual thread #22
                   java.lang.Thread.State: RUNNABLE
                "broken header without ids
                """;
        Map<Long, Long> m = JavaThreads.parseThreadPrint(out);
        assertEquals(1L, m.get(4711L));
        assertEquals(22L, m.get(0x1268L));
        assertEquals(-1L, m.get(4700L));
        assertEquals(23L, m.get(14716L), "a carrier busy with a virtual thread prints no nid=, only [tid]");
        assertEquals(4, m.size());
        assertTrue(JavaThreads.parseThreadPrint(null).isEmpty());
    }

    @Test
    void cpuListsCount() {
        assertEquals(4, Procfs.countCpuList("0-3"));
        assertEquals(5, Procfs.countCpuList("0-1,4,6-7\n"));
        assertEquals(-1, Procfs.countCpuList("zero"));
        assertEquals(-1, Procfs.countCpuList(null));
    }

    @Test
    void byNameFallbackPairsInCreationOrder() {
        Thread a = new Thread(() -> {}, "worker-thread-number-1");
        Thread b = new Thread(() -> {}, "worker-thread-number-2");
        Thread c = new Thread(() -> {}, "solo");
        long[] ids = JavaThreads.byName(new long[]{200, 100, 300, 400}, new String[]{"worker-thread-n", "worker-thread-n", "solo", "other"},
                Map.of(a.threadId(), a, b.threadId(), b, c.threadId(), c));
        assertEquals(a.threadId(), ids[1], "lower TID with the older Java thread");
        assertEquals(b.threadId(), ids[0]);
        assertEquals(c.threadId(), ids[2]);
        assertEquals(-2, ids[3]);
    }
}
