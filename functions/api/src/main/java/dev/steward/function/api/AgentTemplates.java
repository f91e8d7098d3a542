package dev.steward.function.api;

import dev.steward.core.agent.AgentTemplate;
import dev.steward.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The agents a new tenant starts with: the {@code *.json} files of {@code templates/agents/}. Local mode reads that
 * folder of the checkout (an edited template counts at the next tenant); the api function on AWS reads the copy the
 * build bundles into its jar ({@value #BUNDLED}, next to this class).
 */
public final class AgentTemplates {
    static final String BUNDLED = "agent-templates";

    private AgentTemplates() {}

    /** The templates bundled into this module's classes or jar by the build. */
    public static List<AgentTemplate> bundled() {
        URL folder = AgentTemplates.class.getResource(BUNDLED);
        if (folder == null) {
            throw new IllegalStateException("no agent templates bundled next to " + AgentTemplates.class.getName()
                    + ": the build copies templates/agents/*.json there");
        }
        return at(folder);
    }

    /** The templates in a folder given as a URL: a directory, or a folder inside a jar (a class path entry). */
    static List<AgentTemplate> at(URL folder) {
        try {
            URI uri = folder.toURI();
            if (!uri.getScheme().equals("jar")) {
                return in(Path.of(uri));
            }
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return in(jar.provider().getPath(uri));
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException("agent templates at " + folder + " cannot be opened", e);
        } catch (IOException e) {
            throw new UncheckedIOException("agent templates at " + folder + " cannot be opened", e);
        }
    }

    /** The {@code *.json} templates in {@code folder}, by file name. */
    public static List<AgentTemplate> in(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .map(AgentTemplates::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read agent templates in " + folder, e);
        }
    }

    private static AgentTemplate read(Path file) {
        try {
            return Json.mapper().readValue(Files.readAllBytes(file), AgentTemplate.class);
        } catch (IOException e) {
            throw new UncheckedIOException("agent template " + file + " is invalid", e);
        }
    }
}
