// corpus: buggy
// what: a pool of threads whose results are collected as they complete (an ExecutorCompletionService): every body is there, but a fast page overtakes a slow one, so the list is not in the order of uris
// must fail: every page, in the order asked, even when they finish out of order
class Fetch {
    static List<String> fetchAll(List<URI> uris, int threads) throws Exception {
        try (var client = HttpClient.newHttpClient(); var pool = Executors.newFixedThreadPool(threads)) {
            var done = new ExecutorCompletionService<String>(pool);
            for (URI uri : uris) done.submit(() -> client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < uris.size(); i++) bodies.add(done.take().get());
            return bodies;
        }
    }
}
