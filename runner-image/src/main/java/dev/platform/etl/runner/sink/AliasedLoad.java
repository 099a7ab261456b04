package dev.platform.etl.runner.sink;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.platform.etl.api.validation.Violation;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A full load behind an Elasticsearch alias: it writes a fresh index of its own, named in the
 * control schema ({@code etl.pipeline_state.full_load_index}) so that a paused or failed load
 * resumes into it, and when it completes the alias moves to that index in one request and the
 * indices it left are deleted. Readers of the alias see the previous index until then. Only
 * indices named as a load names them ({@code <alias>-<time>}) are ever moved away from or deleted:
 * an alias that also points to another index makes the pipeline invalid.
 */
final class AliasedLoad {
    private static final Logger LOG = LoggerFactory.getLogger(AliasedLoad.class);
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    @FunctionalInterface
    interface IndexCreator {
        void create(String index) throws IOException;
    }

    private final ElasticsearchClient client;
    private final String alias;
    private final PipelineStateColumn loadIndex;
    private final String pipeline;
    private final IndexCreator creator;
    private final Pattern ownIndex;

    AliasedLoad(ElasticsearchClient client, String alias, DataSource control, String pipeline, IndexCreator creator) {
        this.client = client;
        this.alias = alias;
        this.loadIndex = new PipelineStateColumn(control, pipeline, "full_load_index");
        this.pipeline = pipeline;
        this.creator = creator;
        this.ownIndex = Pattern.compile(Pattern.quote(alias) + "-\\d{8}-\\d{6}-\\d{3}");
    }

    /** Why the load cannot move the alias: it points to indices that no load of it created, which it must neither drop nor delete. */
    List<Violation> violations() throws IOException {
        List<String> foreign = aliased().stream().filter(i -> !ownIndex.matcher(i).matches()).toList();
        if (foreign.isEmpty()) {
            return List.of();
        }
        return List.of(new Violation("spec.target.elasticsearch.alias", "'" + alias + "' points to " + String.join(", ", foreign)
                + ", which no load of an alias created: a load moves the alias and deletes only the indices it created ("
                + alias + "-<time>); remove the alias from " + (foreign.size() == 1 ? "that index" : "those indices") + " first"));
    }

    /** The index this load writes: its own when it resumes, otherwise a new one (an unfinished load's is deleted). */
    String begin(boolean resuming) throws IOException, SQLException {
        if (client.indices().exists(e -> e.index(alias)).value() && !client.indices().existsAlias(e -> e.name(alias)).value()) {
            throw new IllegalStateException("an index named '" + alias + "' exists, so it cannot be an alias: reindex it under "
                    + "another name, or delete it, or write it with spec.target.elasticsearch.index");
        }
        String stored = storedIndex();
        if (resuming && stored == null) {
            // its first batches went to another index: moving the alias to a new one would lose them
            throw new IllegalStateException("this full load was begun without spec.target.elasticsearch.alias: let it finish with "
                    + "index, or start it over by clearing its checkpoint (UPDATE etl.pipeline_state SET full_load_checkpoint = NULL "
                    + "WHERE pipeline = '" + pipeline + "')");
        }
        if (resuming) {
            if (!client.indices().exists(e -> e.index(stored)).value()) {
                creator.create(stored);
            }
            LOG.info("{}: resuming the load into {}, behind alias {}", pipeline, stored, alias);
            return stored;
        }
        if (stored != null && ownIndex.matcher(stored).matches() && !aliased().contains(stored)
                && client.indices().exists(e -> e.index(stored)).value()) {
            client.indices().delete(d -> d.index(stored));
            LOG.info("{}: deleted {}, the index of a load that never completed", pipeline, stored);
        }
        String index = alias + "-" + ZonedDateTime.now(ZoneOffset.UTC).format(SUFFIX);
        creator.create(index);
        storeIndex(index);
        LOG.info("{}: loading {}; alias {} moves to it when the load completes", pipeline, index, alias);
        return index;
    }

    /** Moves the alias to the loaded index in one request, deletes the indices it leaves, and forgets the load's index. */
    void complete(Connection controlTransaction, String index) throws IOException, SQLException {
        client.indices().refresh(r -> r.index(index));
        // an index that was put behind the alias meanwhile, by hand, stays there
        List<String> previous = aliased().stream().filter(i -> !i.equals(index) && ownIndex.matcher(i).matches()).toList();
        client.indices().updateAliases(u -> {
            for (String old : previous) {
                u.actions(a -> a.remove(r -> r.index(old).alias(alias)));
            }
            return u.actions(a -> a.add(add -> add.index(index).alias(alias)));
        });
        for (String old : previous) {
            client.indices().delete(d -> d.index(old));
        }
        try (PreparedStatement statement = controlTransaction.prepareStatement(
                "UPDATE etl.pipeline_state SET full_load_index = NULL WHERE pipeline = ?")) {
            statement.setString(1, pipeline);
            statement.executeUpdate();
        }
        LOG.info("{}: alias {} now points to {}; deleted {}", pipeline, alias, index, previous.isEmpty() ? "nothing" : previous);
    }

    private List<String> aliased() throws IOException {
        if (!client.indices().existsAlias(e -> e.name(alias)).value()) {
            return List.of();
        }
        return List.copyOf(client.indices().getAlias(g -> g.name(alias)).result().keySet());
    }

    private String storedIndex() throws SQLException {
        return loadIndex.read();
    }

    private void storeIndex(String index) throws SQLException {
        loadIndex.write(index);
    }
}
