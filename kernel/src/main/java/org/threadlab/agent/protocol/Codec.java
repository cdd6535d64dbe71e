package org.threadlab.agent.protocol;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.util.HashMap;
import java.util.Map;

/**
 * The one codec of the kernel's protocol with its execution JVM: a {@link Message} with the id of
 * the request it belongs to, as one line of JSON {@code {"id":7,"type":"ListThreads","body":{"cell":3}}}.
 * The type is the record's simple name; every record the sealed {@link Message} permits is known
 * without a list to keep up to date.
 */
public final class Codec {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    private static final Map<String, Class<? extends Message>> TYPES = new HashMap<>();

    static {
        register(Message.class);
    }

    private Codec() {}

    @SuppressWarnings("unchecked")
    private static void register(Class<?> type) {
        if (type.isRecord()) TYPES.put(type.getSimpleName(), (Class<? extends Message>) type);
        Class<?>[] permitted = type.getPermittedSubclasses();
        if (permitted != null) for (Class<?> c : permitted) register(c);
    }

    /** A decoded message and the id that pairs a reply with its request (0 for a message sent unasked). */
    public record Envelope(long id, Message message) {}

    /** One line (no line break inside: gson escapes them) of JSON. */
    public static String encode(long id, Message message) {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("type", message.getClass().getSimpleName());
        o.add("body", GSON.toJsonTree(message));
        return GSON.toJson(o);
    }

    /** The envelope in {@code line}; throws {@link IllegalArgumentException} naming what is wrong with it. */
    public static Envelope decode(String line) {
        try {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            String type = o.get("type").getAsString();
            Class<? extends Message> c = TYPES.get(type);
            if (c == null) throw new IllegalArgumentException("unknown message type '" + type + "' (a kernel and agent of different versions?)");
            JsonElement body = o.get("body");
            return new Envelope(o.get("id").getAsLong(), GSON.fromJson(body, c));
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("not a ThreadLab protocol message: " + abbreviate(line) + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Runs each direction once on a thread of its own. gson's first record costs ~50 ms in a cold JVM
     * (reflection, its adapters): the execution JVM pays it while the kernel still compiles the
     * default imports, not in the student's first cell.
     */
    public static void warmUpInBackground() {
        Thread t = new Thread(() -> {
            decode(encode(1, new Message.LiveThreads(java.util.List.of(new Message.LiveThread(0, "warm-up", "RUNNABLE", true)))));
            decode(encode(2, new Message.StartCell(0)));
            decode(encode(3, new Message.Done()));
        }, "threadlab-codec-warm-up");
        t.setDaemon(true);
        t.start();
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
