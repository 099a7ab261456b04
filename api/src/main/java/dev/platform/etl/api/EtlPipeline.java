package dev.platform.etl.api;

import dev.platform.etl.api.spec.EtlPipelineSpec;
import dev.platform.etl.api.status.EtlPipelineStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A batch ETL pipeline from PostgreSQL into PostgreSQL or Elasticsearch. The printer columns are
 * listed in the order {@code kubectl get} shows them (the CRD keeps this order: see CrdDriftTest).
 */
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Last Result", jsonPath = ".status.lastRun.result", type = Type.STRING)
@AdditionalPrinterColumn(name = "Rows Read", jsonPath = ".status.lastRun.rowsRead", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Rows Written", jsonPath = ".status.lastRun.rowsWritten", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Last Run", jsonPath = ".status.lastRun.finishedAt", type = Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@AdditionalPrinterColumn(name = "Progress", jsonPath = ".status.currentRun.progress", type = Type.STRING, priority = 1)
@Group(EtlPipeline.GROUP)
@Version(EtlPipeline.VERSION)
@Kind(EtlPipeline.KIND)
@Plural("etlpipelines")
@ShortNames("etlp")
public class EtlPipeline extends CustomResource<EtlPipelineSpec, EtlPipelineStatus> implements Namespaced {
    public static final String GROUP = "etl.platform.dev";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "EtlPipeline";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String DEFAULT_NAMESPACE = "default";

    /** The pipeline's identity in the control schema: {@code namespace/name}. */
    public String qualifiedName() {
        String namespace = getMetadata().getNamespace();
        return (namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace) + "/" + getMetadata().getName();
    }
}
