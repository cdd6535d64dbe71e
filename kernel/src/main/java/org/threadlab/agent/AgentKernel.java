package org.threadlab.agent;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.ThreadLabIoBridge;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The execution JVM's stand-in for jjava-jupyter's notebook kernel. It renders objects with
 * jjava's {@link Renderer} (so {@code DisplayDataRenderable}, images and everything a library
 * written for JJava shows, work unchanged) and sends what they publish to the real kernel through
 * the side channel, tagged with the calling thread's cell.
 */
final class AgentKernel extends BaseKernel {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final Frames frames;

    private AgentKernel(Frames frames) {
        super("threadlab-agent", "1", new LanguageInfo("java", Runtime.version().toString(), "text/x-java", ".java", "java", "java", null),
                List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(),
                new MagicParser("(?<=(?:^|=))\\s*%", "%%", new MagicTranspiler()), new MagicsRegistry(), false,
                new StringStyler.Builder().build());
        this.frames = frames;
    }

    static AgentKernel install(Frames frames) {
        AgentKernel kernel = new AgentKernel(frames);
        kernel.installNotebookKernel();
        ThreadLabIoBridge.attach(kernel.getIO(), kernel.new SideEnvironment());
        return kernel;
    }

    /** The display_data JSON of {@code value}, or {@code null} when plain text says it all. */
    String renderJson(Object value) {
        if (value == null || value instanceof CharSequence || value instanceof Number
                || value instanceof Boolean || value instanceof Character) {
            return null;
        }
        DisplayData data = getRenderer().render(value);
        return GSON.toJson(new PublishDisplayData(data));
    }

    @Override
    public void display(DisplayData data) {
        frames.send(Frames.DISPLAY, Cells.current(), GSON.toJson(new PublishDisplayData(data)));
    }

    /** Where jjava's DisplayStream publishes (display and update_display_data). */
    private final class SideEnvironment extends ShellReplyEnvironment {
        SideEnvironment() {
            super(null, null, null, null);
        }

        @Override
        public <T extends ContentType<T>> void publish(T content) {
            send(content.getType(), content);
        }

        @Override
        public void publish(Message<?> msg) {
            send(msg.getHeader().getType(), msg.getContent());
        }

        private void send(MessageType<?> type, Object content) {
            byte kind;
            if (type == MessageType.PUBLISH_UPDATE_DISPLAY_DATA) kind = Frames.UPDATE_DISPLAY;
            else if (type == MessageType.PUBLISH_DISPLAY_DATA) kind = Frames.DISPLAY;
            else return; // streams go through System.out; nothing else is published from cells
            frames.send(kind, Cells.current(), GSON.toJson(content));
        }
    }

    @Override
    public Object evalRaw(String source) {
        throw new UnsupportedOperationException("eval(...) from a cell is not supported by ThreadLab; write the code in the cell");
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return null;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        return null;
    }

    @Override
    public String isComplete(String code) {
        return IS_COMPLETE_MAYBE;
    }
}
