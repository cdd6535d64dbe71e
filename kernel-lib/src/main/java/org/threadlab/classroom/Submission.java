package org.threadlab.classroom;

import com.google.gson.Gson;
import com.google.gson.JsonSyntaxException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Hands in an exercise from inside its notebook, in a class run by {@code ./threadlab classroom}.
 * The class's hub service copies the notebook as saved in {@code ~/exercises/} and answers with a
 * receipt (the time the hub received it, the time it was saved, its size and SHA-256); the
 * service, not this JVM, decides who handed in what, from the JupyterHub token of the student's
 * server.
 *
 * <pre>{@code
 * org.threadlab.classroom.Submission.submit("e1-bank-account");   // prints the receipt
 * }</pre>
 */
public final class Submission {
    private Submission() {}

    /** What the class's service answered: a receipt, or why it refused. */
    public record Receipt(boolean accepted, String exercise, String user, String receivedAt, String savedAt,
                          long bytes, String sha256, String error) {
        @Override
        public String toString() {
            if (!accepted) return "NOT handed in: " + error;
            return String.join("\n",
                    "handed in: " + exercise + " by " + user,
                    String.format("%-9s %s", "received", receivedAt),
                    String.format("%-9s %s  (the notebook as last saved: save with Ctrl-S before handing in)", "saved", savedAt),
                    String.format("%-9s %,d bytes, sha256 %s", "size", bytes, sha256.substring(0, 12)));
        }
    }

    /** The JSON the service sends (one codec, Gson, for both directions). */
    private record Answer(String user, String exercise, String received_at, String saved_at, Long bytes, String sha256,
                          String error) {}

    /** Hands in {@code ~/exercises/EXERCISE.ipynb} as saved; prints and returns the receipt. */
    public static Receipt submit(String exercise) {
        Receipt r = send(exercise, System.getenv("THREADLAB_SUBMIT_URL"), System.getenv("JUPYTERHUB_API_TOKEN"));
        System.out.println(r);
        return r;
    }

    static Receipt send(String exercise, String url, String token) {
        if (url == null || token == null) {
            return refused(exercise, "this notebook does not run in a ThreadLab class on JupyterHub "
                    + "(THREADLAB_SUBMIT_URL or JUPYTERHUB_API_TOKEN is not set); hand the file in as your instructor says");
        }
        Gson gson = new Gson();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "token " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(gson.toJson(Map.of("exercise", exercise)))).build();
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            Answer a = gson.fromJson(resp.body(), Answer.class);
            if (resp.statusCode() != 200 || a == null || a.error() != null) {
                return refused(exercise, a != null && a.error() != null ? a.error() : "HTTP " + resp.statusCode());
            }
            return new Receipt(true, a.exercise(), a.user(), a.received_at(), a.saved_at(),
                    a.bytes() == null ? 0 : a.bytes(), a.sha256(), null);
        } catch (IOException | JsonSyntaxException e) {
            return refused(exercise, "the class's service did not answer (" + e + "); ask your instructor whether the class is up");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refused(exercise, "interrupted before the service answered; run the cell again");
        }
    }

    private static Receipt refused(String exercise, String why) {
        return new Receipt(false, exercise, null, null, null, 0, null, why);
    }
}
