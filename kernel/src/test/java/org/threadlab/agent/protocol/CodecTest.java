package org.threadlab.agent.protocol;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodecTest {
    /** One value of every message, with awkward text: quotes, tabs, line breaks, non-ASCII, the old separators. */
    static final List<Message> SAMPLES = List.of(
            new Message.StartCell(7), new Message.StartCell(-1), new Message.EndCell(7, false), new Message.EndCell(7, true),
            new Message.ListThreads(-1), new Message.InterruptCell(3), new Message.FindCarriers(3), new Message.FindStrays(3),
            new Message.Sync(),
            new Message.Done(), new Message.Rendered("{\"data\":{\"text/html\":\"<b>\\u00e9</b>\"}}"), new Message.Rendered(null),
            new Message.LiveThreads(List.of(new Message.LiveThread(3, "worker \"a\"\tone\u001f", "TIMED_WAITING", true),
                    new Message.LiveThread(4, "naïve\nname", "RUNNABLE", false))),
            new Message.LiveThreads(List.of()),
            new Message.Interrupted(3, 12), new Message.Carriers(3, 2, List.of("ForkJoinPool-1-worker-1")),
            new Message.Strays(3, List.of(41L, 9_000_000_000L)), new Message.Synced(), new Message.Failed("boom: x\ny"),
            new Message.LimitHit(Message.Resource.THREADS, 2001, 2000), new Message.LimitHit(Message.Resource.PROCESSES, 201, 200),
            new Message.ThreadFailed("worker \"1\"\nnaïve", List.of(
                    new Message.Thrown("java.lang.IllegalStateException", "bad\tstate: \"x\"\n", List.of(
                            new Message.Frame("REPL.$JShell$12$Account", "lambda$do_it$$0", "#12", 3, true),
                            new Message.Frame("java.util.concurrent.FutureTask", "run", null, -1, false))),
                    new Message.Thrown("java.io.IOException", null, List.of()))),
            new Message.ThreadFailed("t", List.of()));

    @Test
    void everyRecordSurvivesTheCodecUnchanged() {
        long id = 1;
        for (Message m : SAMPLES) {
            String line = Codec.encode(id, m);
            assertFalse(line.contains("\n"), () -> "one line per message: " + line);
            Codec.Envelope e = Codec.decode(line);
            assertEquals(id, e.id());
            assertEquals(m, e.message(), line);
            id++;
        }
    }

    @Test
    void samplesCoverEveryMessageRecord() {
        Set<Class<?>> records = new HashSet<>();
        collect(Message.class, records);
        Set<Class<?>> sampled = new HashSet<>();
        for (Message m : SAMPLES) sampled.add(m.getClass());
        List<String> missing = new ArrayList<>();
        for (Class<?> c : records) if (!sampled.contains(c)) missing.add(c.getSimpleName());
        assertTrue(missing.isEmpty(), "add a sample of each new message to SAMPLES: " + missing);
    }

    private static void collect(Class<?> c, Set<Class<?>> out) {
        if (c.isRecord()) out.add(c);
        if (c.getPermittedSubclasses() != null) for (Class<?> p : c.getPermittedSubclasses()) collect(p, out);
    }

    @Test
    void badLinesAreRefusedWithTheReason() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Codec.decode("{\"id\":1,\"type\":\"Launch\",\"body\":{}}"));
        assertTrue(unknown.getMessage().contains("unknown message type 'Launch'"), unknown.getMessage());
        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class, () -> Codec.decode("threads 3"));
        assertTrue(garbage.getMessage().contains("not a ThreadLab protocol message"), garbage.getMessage());
    }
}
