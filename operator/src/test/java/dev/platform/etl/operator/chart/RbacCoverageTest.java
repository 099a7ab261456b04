package dev.platform.etl.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.api.status.Phase;
import dev.platform.etl.operator.support.MockCluster;
import dev.platform.etl.operator.support.OperatorFixture;
import dev.platform.etl.testkit.pipeline.DemoPipelines;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's RBAC grants exactly what the operator uses: every (API group, resource, verb) it
 * requested from the API server during a whole pipeline lifecycle (invalid, fixed, run and its
 * progress read from the runner's log, suspended, resumed) is granted, and nothing else is: no wildcard, no Secrets, and Lease rights
 * only for the operator's own Lease (beyond `create`, which Kubernetes cannot limit by name).
 */
class RbacCoverageTest {
    /** Any authenticated user may create these (system:basic-user); java-operator-sdk asks one before leader election. */
    private static final Set<String> ALWAYS_ALLOWED = Set.of("authorization.k8s.io/selfsubjectrulesreviews/create");

    /** java-operator-sdk will not start leader election unless these are granted, used or not (its rules review checks them). */
    private static final Set<String> REQUIRED_BY_STARTUP_CHECK = Set.of("coordination.k8s.io/leases/create",
            "coordination.k8s.io/leases/get", "coordination.k8s.io/leases/update");

    @TempDir
    Path dir;

    @Test
    void theChartGrantsExactlyWhatTheOperatorUses() throws Exception {
        Set<String> used = operatorRequestsDuringALifecycle();
        List<HasMetadata> chart = Chart.render(null, Map.of());
        List<PolicyRule> rules = new ArrayList<>();
        Chart.ofKind(chart, ClusterRole.class).forEach(role -> rules.addAll(role.getRules()));
        Chart.ofKind(chart, Role.class).forEach(role -> rules.addAll(role.getRules()));
        Set<String> granted = new TreeSet<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        granted.add(group + "/" + resource + "/" + verb);
                    }
                }
            }
        }
        used.removeAll(ALWAYS_ALLOWED);
        used.addAll(REQUIRED_BY_STARTUP_CHECK);

        assertThat(granted).as("granted but never used").containsExactlyInAnyOrderElementsOf(used);
        assertThat(granted).noneMatch(g -> g.contains("*")).noneMatch(g -> g.contains("secrets"));
        assertThat(rules).filteredOn(r -> r.getResources().contains("leases") && !r.getVerbs().equals(List.of("create")))
                .singleElement().satisfies(r -> assertThat(r.getResourceNames()).containsExactly("etl-operator"));
    }

    private Set<String> operatorRequestsDuringALifecycle() throws Exception {
        try (OperatorFixture fixture = OperatorFixture.start(dir, 12)) {
            fixture.apply(DemoPipelines.filmDim("lifecycle").tieBreaker("id").batchSize(2).runRequest("r-1").postgres(target -> target.setTable("analytics.nope")).yaml());
            fixture.awaitPhase("lifecycle", Phase.Invalid);
            fixture.slowLoggedTargetWrites(100);
            fixture.patchSpec("lifecycle", "{\"target\": {\"postgres\": {\"table\": \"analytics.film_dim\"}}}");
            await().atMost(OperatorFixture.RUN_TIMEOUT).until(() -> fixture.get("lifecycle").getStatus().getPhase() == Phase.Running);
            await("the operator read the running runner's log for its progress").atMost(OperatorFixture.RUN_TIMEOUT)
                    .until(() -> fixture.cluster().requests().stream().anyMatch(r -> r.path().endsWith("/log")));
            fixture.patchSpec("lifecycle", "{\"suspend\": true}");
            fixture.awaitPhase("lifecycle", Phase.Paused);
            fixture.patchSpec("lifecycle", "{\"suspend\": false}");
            fixture.awaitPhase("lifecycle", Phase.Succeeded);
            for (String request : List.of("r-2", "r-3")) {
                fixture.patchSpec("lifecycle", "{\"runRequest\": \"" + request + "\"}");
                fixture.awaitRunsFinished("lifecycle", Long.parseLong(request.substring(2)));
            }
            await("the oldest run's Job deleted beyond the history of two").atMost(OperatorFixture.RUN_TIMEOUT)
                    .until(() -> fixture.cluster().requests().stream().anyMatch(r -> r.method().equals("DELETE") && r.path().endsWith("/jobs/lifecycle-1")));
            Set<String> used = new TreeSet<>();
            fixture.cluster().requests().stream()
                    .filter(r -> MockCluster.OPERATOR_AGENT.equals(r.userAgent()))
                    .forEach(r -> used.add(permission(r)));
            return used;
        }
    }

    /** "group/resource[/subresource]/verb" of an API request, as RBAC sees it. */
    private static String permission(MockCluster.ApiRequest request) {
        List<String> parts = new ArrayList<>(List.of(request.path().replaceFirst("^/", "").split("/")));
        String group = parts.get(0).equals("api") ? "" : parts.get(1);
        List<String> rest = parts.subList(parts.get(0).equals("api") ? 2 : 3, parts.size());
        if (!rest.isEmpty() && rest.get(0).equals("namespaces") && rest.size() > 2) {
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0) + (rest.size() > 2 ? "/" + rest.get(2) : "");
        boolean named = rest.size() > 1;
        String verb = switch (request.method()) {
            case "GET" -> request.watch() ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> request.method().toLowerCase();
        };
        return group + "/" + resource + "/" + verb;
    }
}
