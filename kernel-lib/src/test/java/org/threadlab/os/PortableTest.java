package org.threadlab.os;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The OSHI path that macOS and Windows take, exercised here on Linux (OSHI supports it too):
 * same threads and processes, and a clear list of what that path lacks.
 */
class PortableTest {

    @Test
    void oshiPathListsTheSameThreadsAndNamesWhatItLacks() throws Exception {
        assumeTrue(Os.LINUX, "compares with /proc");
        long me = OsTest.ownTid();
        ThreadList portable = new OshiBackend().threads(Os.self());
        OsThread mine = portable.byTid(me).orElseThrow(() -> new AssertionError("no " + me + " in\n" + portable));
        assertEquals(Os.threads().byTid(me).orElseThrow().name(), mine.name());
        assertTrue(portable.unavailable().stream().anyMatch(u -> u.startsWith("PSR")), portable.unavailable().toString());
        assertTrue(portable.toString().contains("unavailable: "), "the table says what is missing");
        assertEquals(-1, mine.lastCpu());
    }

    @Test
    void oshiPathDescribesThisProcess() {
        ProcessInfo viaOshi = new OshiBackend().process(Os.self());
        ProcessInfo viaProc = Os.process();
        assertNotNull(viaOshi);
        assertEquals(viaProc.pid(), viaOshi.pid());
        assertEquals(viaProc.ppid(), viaOshi.ppid());
        assertTrue(viaOshi.threads() > 1);
        assertNull(new OshiBackend().process(4_194_304 + 17));
    }

    @Test
    void resultsRenderAsHtmlTables() {
        assertTrue(Os.threads().table().toHtml().contains("<table class=\"threadlab\">"));
        assertTrue(Os.process().table().toHtml().contains("<td"));
        assertTrue(Os.limits().table().toHtml().contains("more threads fit"));
    }
}
