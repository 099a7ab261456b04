package dev.platform.etl.e2e.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The chart installed once for a test class ({@code @RegisterExtension static}), uninstalled after
 * it, and the namespaces its tests create, each deleted after its test.
 */
public final class InstalledOperator implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    private final Map<String, Object> values;
    private final List<PipelineNamespace> namespaces = new ArrayList<>();
    private OperatorRelease release;

    private InstalledOperator(Map<String, Object> values) {
        this.values = values;
    }

    /** The chart with the test allowlist and these values. */
    public static InstalledOperator withValues(Map<String, Object> values) {
        return new InstalledOperator(values);
    }

    public OperatorRelease release() {
        return release;
    }

    /** A fresh namespace with a fresh database of {@code films} demo films, deleted after the test. */
    public PipelineNamespace namespace(String prefix, int films) throws Exception {
        PipelineNamespace namespace = PipelineNamespace.create(prefix, films);
        namespaces.add(namespace);
        return namespace;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        release = OperatorRelease.install(values);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        namespaces.forEach(PipelineNamespace::close);
        namespaces.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        release.close();
    }
}
