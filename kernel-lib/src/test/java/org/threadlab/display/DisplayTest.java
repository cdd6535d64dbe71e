package org.threadlab.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.threadlab.ThreadLab;
import org.threadlab.chart.Chart;
import org.threadlab.chart.Charts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.*;

class DisplayTest {

    @AfterEach
    void leavePresentationMode() {
        Presentation.set(false);
    }

    @Test
    void jshellNamesAreCleanedInEveryForm() {
        assertEquals("BankAccount.transfer waits", Names.clean("REPL.$JShell$30C$BankAccount.transfer waits"));
        assertEquals("BankAccount", Names.clean("REPL.$JShell$12$BankAccount"));
        assertEquals("Foo$Inner", Names.clean("$JShell$12$Foo$Inner"));
        assertEquals("at run(cell)", Names.clean("at REPL.$JShell$7.run(cell)"));
        assertEquals("in  and Bar", Names.clean("in REPL.$JShell$7B and $JShell$3$Bar"));
        assertEquals("expected <Account> but was <Account>",
                Names.clean("expected <REPL.$JShell$11$Account> but was <REPL.$JShell$30C$Account>"));
        assertEquals("price is $5", Names.clean("price is $5"));
        assertNull(Names.clean(null));
    }

    @Test
    void junitBoilerplateBecomesWords() {
        assertEquals("total after the transfers (expected 200, got 190)",
                Messages.plain("total after the transfers ==> expected: <200> but was: <190>"));
        assertEquals("expected 200, got 190", Messages.plain("expected: <200> but was: <190>"));
        assertEquals("the lock is held", Messages.plain("the lock is held ==> expected: <true> but was: <false>"));
        assertEquals("a result", Messages.plain("a result ==> expected: not <null>"));
        assertEquals("balance (expected 1, got 1)",
                Messages.plain("balance ==> expected: java.lang.Integer@1b6d3586<1> but was: java.lang.Long@4554617c<1>"));
        assertEquals("the same account (expected Account, got Account)",
                Messages.plain("the same account ==> expected: <REPL.$JShell$11$Account> but was: <REPL.$JShell$30C$Account>"));
        assertEquals("did not finish within 2 s", Messages.plain("did not finish within 2 s"));
        assertNull(Messages.plain(null));
    }

    @Test
    void feedbackTableColoursVerdictsAndDropsJunitBoilerplate() {
        Table t = Table.of(List.of("test", "points", "result", "why"), List.of(
                List.of("transfer keeps the total the same under contention", "0/2", "FAIL", "total ==> expected: <200> but was: <190>"),
                List.of("deposit adds", "1/1", "pass", "")));
        String html = t.toHtml();
        assertTrue(html.contains("color:#c62828;font-weight:bold\">FAIL</td>"), html);
        assertTrue(html.contains("color:#1b7f3b;font-weight:bold\">pass</td>"), html);
        assertTrue(html.contains(">total (expected 200, got 190)</td>"), html);
        assertFalse(html.contains("==&gt;") || t.toString().contains("==>"), html);
        // the test's name is not squeezed by the long last column
        assertTrue(html.contains("<td style=\"text-align:left;min-width:24ch\">transfer keeps"), html);
    }

    @Test
    void tableHtmlIsHiddenFromMathJaxAndCleaned() {
        Table t = Table.of(List.of("test", "points"),
                List.of(List.of("REPL.$JShell$30C$BankAccount.transfer waits for $x$", "0")));
        String html = t.toHtml();
        assertTrue(html.startsWith("<div class=\"threadlab-out tex2jax_ignore mathjax_ignore\">"), html);
        assertFalse(html.contains("JShell"), html);
        assertFalse(t.toString().contains("JShell"), t.toString());
        // the header of a number column sits right like its numbers, a text column's left
        assertTrue(html.contains("<th style=\"text-align:left\">test</th><th style=\"text-align:right\">points</th>"), html);
    }

    @Test
    void everyHtmlOutputOfTheLibraryIsHiddenFromMathJax() {
        Renderer r = new Renderer();
        for (Object value : List.of(Table.of(List.of("a"), List.of(List.of("$1 and $2"))), ThreadLab.pstree(),
                Presentation.set(true), ThreadLab.ps())) {
            DisplayData d = r.render(value);
            Object html = d.getData(MIMEType.TEXT_HTML);
            assertNotNull(html, value.getClass() + " renders no HTML");
            assertTrue(html.toString().startsWith("<div class=\"" + Html.CLASSES), value.getClass() + ": " + html);
        }
    }

    @Test
    void presentationModeEnlargesOutputsAndIsOffAgainWhenSwitchedOff() {
        Table t = Table.of(List.of("a"), List.of(List.of("1")));
        assertFalse(t.toHtml().contains("threadlab-present"));
        Presentation.set(true);
        String html = t.toHtml();
        assertTrue(html.contains("threadlab-present") && html.contains("font-size:20px"), html);
        String notice = Presentation.set(true).toHtml();
        assertTrue(notice.contains(".CodeMirror"), "the notice carries the page-wide code size: " + notice);
        Presentation.set(false);
        assertFalse(t.toHtml().contains("threadlab-present"));
        assertFalse(Presentation.set(false).toHtml().contains("<style>"));
    }

    @Test
    void chartsAreScalableSvgInPresentationModeAndPngOtherwise(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Map<String, Integer> values = new LinkedHashMap<>();
        values.put("1 thread", 400);
        values.put("4 threads", 120);
        Chart c = Charts.bar("Wall time", values, "wall time (ms)");
        Renderer r = new Renderer();
        DisplayData normal = r.render(c);
        assertNotNull(normal.getData(MIMEType.IMAGE_PNG));
        assertNull(normal.getData(MIMEType.TEXT_HTML));

        Presentation.set(true);
        DisplayData present = r.render(c);
        assertNull(present.getData(MIMEType.IMAGE_PNG));
        String html = present.getData(MIMEType.TEXT_HTML).toString();
        assertTrue(html.contains("<svg class=\"threadlab-chart\""), html.substring(0, 300));
        assertTrue(html.contains("viewBox='0.0 0.0 960.0 540.0'"), "a viewBox lets the page size the chart");
        assertFalse(html.matches("(?s).*<svg[^>]* width=.*"), "no fixed width on the svg element");
        assertTrue(html.contains("Wall time"), "the title is text in the SVG");
        // two charts on one page must not share clip-path ids
        String again = r.render(c).getData(MIMEType.TEXT_HTML).toString();
        String id1 = html.replaceAll("(?s).*?clipPath id='([^']+)'.*", "$1");
        assertTrue(id1.length() < 40 && !id1.isEmpty(), "the chart has a clip path: " + id1);
        assertFalse(again.contains("clipPath id='" + id1 + "'"), "clip ids repeat across charts: " + id1);

        Path svg = c.save(dir.resolve("chart.svg"));
        String file = Files.readString(svg);
        assertTrue(file.startsWith("<?xml") && file.contains("xmlns='http://www.w3.org/2000/svg'"), file.substring(0, 200));
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
    }

    @Test
    void psInPresentationModeListsTheUsersThreadsFirstAndHidesMachineryUntilAsked() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Thread mine = new Thread(() -> {
            try { done.await(); } catch (InterruptedException e) { /* ends */ }
        }, "counter-1");
        mine.start();
        try {
            Presentation.set(true);
            Table t = ThreadLab.ps().table();
            List<String> names = t.rows().stream().map(row -> row.get(t.header().indexOf("NAME"))).toList();
            assertTrue(names.contains("counter-1"), names.toString());
            assertTrue(t.header().size() <= 8, "a table that fits a projector: " + t.header());
            assertFalse(names.stream().anyMatch(n -> n.startsWith("C2 CompilerThre") || n.startsWith("GC ")), names.toString());
            assertTrue(t.footer() != null && t.footer().contains("withMachinery()"), String.valueOf(t.footer()));
            Table all = ThreadLab.ps().withMachinery().table();
            assertTrue(all.size() > t.size(), "withMachinery() shows the JVM's threads too");
            Presentation.set(false);
            assertEquals(ThreadLab.ps().table().header(), all.header(), "outside the mode, the whole table as before");
        } finally {
            done.countDown();
            mine.join();
        }
    }
}
