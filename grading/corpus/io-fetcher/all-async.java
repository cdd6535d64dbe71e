// corpus: buggy
// what: sends every request at once with sendAsync and joins them in order: the bodies come back right and in order, but all the requests are in flight together, whatever threads says
// must fail: never more requests in flight than threads; 40 pages with 8 threads: at most 8 at once, about 5 rounds
// suite: no
class Fetch {
    static List<String> fetchAll(List<URI> uris, int threads) throws Exception {
        try (var client = HttpClient.newHttpClient()) {
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
            for (URI uri : uris) futures.add(client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
            List<String> bodies = new ArrayList<>();
            for (var f : futures) bodies.add(f.join().body());
            return bodies;
        }
    }
}
