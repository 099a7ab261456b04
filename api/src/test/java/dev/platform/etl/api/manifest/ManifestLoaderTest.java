package dev.platform.etl.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.platform.etl.api.spec.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLoaderTest {
    @TempDir
    Path dir;

    @Test
    void readsThePipelineAndSecretsFromMultiDocumentFiles() throws Exception {
        Path pipeline = Files.writeString(dir.resolve("p.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata: {name: ignored}
                ---
                apiVersion: etl.platform.dev/v1alpha1
                kind: EtlPipeline
                metadata: {name: film-dim}
                spec:
                  mode: Incremental
                  incremental: {cursorColumn: modified, tieBreakerColumn: id}
                  source: {postgres: {secretRef: db}}
                  tasks: [{sqlReader: {query: SELECT 1}}]
                """);
        Path secrets = Files.writeString(dir.resolve("s.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata: {name: db}
                data:
                  jdbcUrl: amRiYzpwb3N0Z3Jlc3FsOi8vZGIvZXRs
                  password: b2xk
                stringData:
                  password: new
                """);

        PipelineManifests manifests = new ManifestLoader().load(List.of(pipeline, secrets));

        assertThat(manifests.pipeline().qualifiedName()).isEqualTo("default/film-dim");
        assertThat(manifests.pipeline().getSpec().getMode()).isEqualTo(Mode.Incremental);
        assertThat(manifests.pipeline().getSpec().getBatchSize()).isEqualTo(500);
        assertThat(manifests.require("db", "jdbcUrl")).isEqualTo("jdbc:postgresql://db/etl");
        assertThat(manifests.require("db", "password")).as("stringData wins over data").isEqualTo("new");
        assertThat(manifests.value("db", "username")).isEmpty();
    }

    @Test
    void rejectsAnUnknownFieldNamingIt() throws Exception {
        Path pipeline = Files.writeString(dir.resolve("p.yaml"), """
                apiVersion: etl.platform.dev/v1alpha1
                kind: EtlPipeline
                metadata: {name: typo}
                spec: {batchSise: 10}
                """);

        assertThatThrownBy(() -> new ManifestLoader().load(List.of(pipeline)))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("batchSise");
    }

    @Test
    void requiresExactlyOnePipeline() throws Exception {
        Path empty = Files.writeString(dir.resolve("e.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n");

        assertThatThrownBy(() -> new ManifestLoader().load(List.of(empty)))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("expected exactly one EtlPipeline");
    }
}
