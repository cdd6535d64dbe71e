// corpus: buggy
// what: the old run-with-deadline contract: standard error is discarded instead of returned with the output
// must fail: standard error comes back too, whatever the exit code
String runWithLimit(List<String> command, Duration limit) throws IOException, InterruptedException, TimeoutException {
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    var output = new ByteArrayOutputStream();
    Thread reader = Thread.ofPlatform().daemon().start(() -> {
        try (var in = process.getInputStream()) { in.transferTo(output); } catch (IOException closed) { }
    });
    if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        reader.join();
        return output.toString();
    }
    List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
    tree.forEach(ProcessHandle::destroyForcibly);
    throw new TimeoutException("too slow");
}
