package dev.steward.llm;

import java.util.Objects;

/** One prompt: instructions and the user turn. */
public record ModelRequest(String system, String user) {
    public ModelRequest {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(user, "user");
    }
}
