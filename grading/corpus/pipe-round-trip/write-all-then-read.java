// corpus: buggy
// what: writes every line, closes the input, and only then reads: once cat's output pipe is full it stops reading, the writes fill its input pipe, and the two processes wait for each other for ever
// must fail: 200,000 lines: more than the pipes can hold, still no deadlock
class Pipes {
    static List<String> roundTrip(List<String> lines) throws Exception {
        Process cat = new ProcessBuilder("cat").start();
        try (var out = new BufferedWriter(new OutputStreamWriter(cat.getOutputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line : lines) { out.write(line); out.newLine(); }
        }
        List<String> back = new ArrayList<>();
        try (var in = new BufferedReader(new InputStreamReader(cat.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) back.add(line);
        }
        cat.waitFor();
        return back;
    }
}
