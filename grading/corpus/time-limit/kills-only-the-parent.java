// corpus: buggy
// what: only the command itself is killed: the children it started keep running
// must fail: the command's own children are ended too
String runWithLimit(List<String> command, Duration limit) throws IOException, InterruptedException, TimeoutException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new ByteArrayOutputStream();
    Thread reader = Thread.ofPlatform().daemon().start(() -> {
        try (var in = process.getInputStream()) { in.transferTo(output); } catch (IOException closed) { }
    });
    if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        reader.join();
        return output.toString();
    }
    process.destroyForcibly();
    throw new TimeoutException("too slow");
}
