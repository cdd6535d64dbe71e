// corpus: buggy
// what: fetches the pages one after the other on the calling thread: right bodies, in order, never too many in flight, but no request overlaps another, so the I/O waits add up
// must fail: 10 pages of 300 ms with 10 threads take about 300 ms, not 3 s; never more requests in flight than threads; 40 pages with 8 threads: at most 8 at once, about 5 rounds
class Fetch {
    static List<String> fetchAll(List<URI> uris, int threads) throws Exception {
        try (var client = HttpClient.newHttpClient()) {
            List<String> bodies = new ArrayList<>();
            for (URI uri : uris) bodies.add(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
            return bodies;
        }
    }
}
