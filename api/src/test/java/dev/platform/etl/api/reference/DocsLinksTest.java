package dev.platform.etl.api.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every relative link in the README, CONTRIBUTING, CHANGELOG and docs/ reaches a file, and every anchor a heading of it (as GitHub names them). */
class DocsLinksTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");

    @Test
    void everyRelativeLinkAndAnchorResolves() throws Exception {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            for (String link : links(page)) {
                check(page, link).ifPresent(problem -> broken.add(ROOT.relativize(page) + ": " + link + " (" + problem + ")"));
            }
        }

        assertThat(broken).as("broken links").isEmpty();
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CHANGELOG.md"), ROOT.resolve("CONTRIBUTING.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The link targets of a page, outside code blocks and code spans. */
    private static List<String> links(Path page) throws IOException {
        List<String> links = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(page)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher link = LINK.matcher(line.replaceAll("`[^`]*`", ""));
            while (link.find()) {
                String target = link.group(1);
                if (!target.matches("^[a-z]+:.*")) {
                    links.add(target);
                }
            }
        }
        return links;
    }

    private static java.util.Optional<String> check(Path page, String link) {
        int hash = link.indexOf('#');
        String path = hash < 0 ? link : link.substring(0, hash);
        Path target = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
        if (!Files.exists(target)) {
            return java.util.Optional.of("no such file");
        }
        if (hash < 0) {
            return java.util.Optional.empty();
        }
        String anchor = link.substring(hash + 1);
        return anchors(target).contains(anchor) ? java.util.Optional.empty() : java.util.Optional.of("no such heading");
    }

    /** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
    private static Set<String> anchors(Path page) {
        try {
            Set<String> anchors = new HashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            boolean fenced = false;
            for (String line : Files.readAllLines(page)) {
                fenced = line.strip().startsWith("```") != fenced;
                Matcher heading = HEADING.matcher(line);
                if (!fenced && heading.matches()) {
                    String slug = heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                    int repeat = seen.merge(slug, 1, Integer::sum) - 1;
                    anchors.add(repeat == 0 ? slug : slug + "-" + repeat);
                }
            }
            return anchors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
