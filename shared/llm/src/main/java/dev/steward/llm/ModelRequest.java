package dev.steward.llm;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One prompt: instructions, the user turn and, optionally, the tools the model may ask to call. With no tools the
 * model can only answer in text; with tools its reply may carry {@link ModelReply#toolCalls()} instead.
 */
public record ModelRequest(String system, String user, List<ToolSpec> tools) {
    public ModelRequest {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(user, "user");
        tools = List.copyOf(Objects.requireNonNull(tools, "tools"));
        Set<String> names = new HashSet<>();
        for (ToolSpec tool : tools) {
            if (!names.add(tool.name())) {
                throw new IllegalArgumentException("tool '" + tool.name() + "' is offered twice");
            }
        }
    }

    /** A prompt without tools. */
    public ModelRequest(String system, String user) {
        this(system, user, List.of());
    }
}
