// corpus: gap
// what: writes on another thread and reads every line back, but returns without waiting for cat: its output has ended, yet the process may still be running when roundTrip returns (a gap: cat exits as its output ends, so whether it is gone when the call returns is a race the test cannot steer; it lost the point in 226 of 300 returns on a quiet machine and 6 of 300 beside two busy loops, and the test's grace of 1 s lets it pass)
// must fail: the child has ended when roundTrip returns
// suite: no
class Pipes {
    static List<String> roundTrip(List<String> lines) throws Exception {
        Process cat = new ProcessBuilder("cat").start();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (var out = new BufferedWriter(new OutputStreamWriter(cat.getOutputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line : lines) { out.write(line); out.newLine(); }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<String> back = new ArrayList<>();
        try (var in = new BufferedReader(new InputStreamReader(cat.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) back.add(line);
        }
        writer.get();
        return back;
    }
}
