# The user's verbs. `make help` lists them.
MVN ?= ./mvnw -B
DEMO_CP = tools/demo/target/classes:$$(cat tools/demo/target/classpath.txt)
PREFIX ?= $(HOME)/.local
# where the demo keeps its database, Secrets and local cluster
DEMO_DIR ?= .demo
export ETL_DEMO_DIR := $(DEMO_DIR)

.DEFAULT_GOAL := help
.PHONY: help build test test-soak runc registry prometheus plugin controlplane demo es-demo chaos crds docs bench bench-operator

help: ## list the verbs
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-22s %s\n", $$1, $$2}'

build: ## compile everything and package runner-image/target/etl-runner.jar
	$(MVN) -q -DskipTests package

test: controlplane runc registry prometheus ## the whole test suite (real PostgreSQL, Elasticsearch and Kubernetes control plane, started by the tests), and the images
	$(MVN) -Pimages verify

test-soak: controlplane ## the suite N times in a row from fresh clones, under stress-ng load (N=5 LOAD=2, MODULES=runner-image,operator for those alone, REV=commit)
	@N=$(or $(N),5) LOAD=$(or $(LOAD),2) MODULES=$(MODULES) REV=$(REV) tools/soak.sh

# installs Debian's package $(2) for the command $(1) when it is missing, if root
APT_INSTALL = command -v $(1) >/dev/null || [ "$$(id -u)" != 0 ] || apt-get install -y -qq $(2) >/dev/null 2>&1 \
	  || { apt-get update -qq && apt-get install -y -qq $(2) >/dev/null; }

runc: ## Debian's runc, which runs the images in the tests: installed when missing, if root
	@$(call APT_INSTALL,runc,runc)
	@command -v runc >/dev/null && [ "$$(id -u)" = 0 ] && echo "containers: runc $$(runc --version | head -1 | cut -d' ' -f3)" \
	  || echo "containers: none (runc and root are needed); tests that run images are skipped"

registry: ## skopeo and Debian's docker-registry, for the test of make push: installed when missing, if root
	@$(call APT_INSTALL,skopeo,skopeo)
	@$(call APT_INSTALL,docker-registry,docker-registry)

plugin: ## the kubectl etl plugin: built, and installed as kubectl-etl beside its jar in $(PREFIX)/bin (PREFIX=~/.local)
	@$(MVN) -q -DskipTests package -pl kubectl-plugin -am
	@install -d "$(PREFIX)/bin"
	@install -m 0755 kubectl-plugin/kubectl-etl "$(PREFIX)/bin/kubectl-etl"
	@install -m 0644 kubectl-plugin/target/kubectl-etl.jar "$(PREFIX)/bin/kubectl-etl.jar"
	@echo "installed $(PREFIX)/bin/kubectl-etl; with $(PREFIX)/bin on PATH: kubectl etl --help"

prometheus: ## Debian's Prometheus and promtool, which scrape the operator and test its alerts in the tests: installed when missing, if root
	@$(call APT_INSTALL,promtool,prometheus)

controlplane: ## build the local Kubernetes (etcd, kube-apiserver, controller-manager, scheduler, kubectl) once from Go modules
	@test/controlplane/build.sh >/dev/null

es-demo: ## embedded PostgreSQL and Elasticsearch: the demo films into an index, count and one document
	@$(MVN) -q -DskipTests package -pl tools/demo -am
	java -cp "$(DEMO_CP)" dev.platform.etl.demo.ElasticsearchDemo examples

crds: ## regenerate crds/ (and the chart's copy) from the api/ classes (tests fail while they differ)
	$(MVN) -q -pl api test -Dtest=CrdDriftTest -Dcrds.write=true

docs: ## regenerate the generated pages: docs/reference/ (the API, the runner's CLI, the chart's values) and docs/performance.md's tables and charts (tests fail while they differ)
	$(MVN) -q -pl api,runner-image,operator,tools/bench -am test -Dtest=ApiReferenceDriftTest,CliReferenceDriftTest,ValuesReferenceDriftTest,PerformancePageDriftTest -Dsurefire.failIfNoSpecifiedTests=false -Ddocs.write=true

bench: ## throughput and memory against the ceilings (BENCH_ROWS=1000000, BENCH_CASES=postgres,elasticsearch,incremental,memory,deletes,reload,parallel,start, BENCH_BATCHES=500,2000,10000, PEERS=1 adds sling and dlt): a table, and tools/bench/results/*.json
	@$(MVN) -q -DskipTests package -pl tools/bench -am
	@# the start case runs the runner's image: built where runc and root are at hand
	@if command -v runc >/dev/null && [ "$$(id -u)" = 0 ]; then $(MAKE) -s images >/dev/null; fi
	java -cp "tools/bench/target/classes:$$(cat tools/bench/target/classpath.txt)" dev.platform.etl.bench.Benchmark

bench-operator: controlplane ## one operator, N pipelines on the local control plane, runner pods stubbed (BENCH_PIPELINES=100,500,1000, BENCH_IDLE_SECONDS=60, BENCH_CHART_SET=key=value,...)
	@$(MVN) -q -DskipTests package -pl tools/bench -am
	java -cp "tools/bench/target/classes:$$(cat tools/bench/target/classpath.txt)" dev.platform.etl.bench.operator.OperatorBench

chaos: ## kill -9 a runner at 50 random points of a run and check each recovery (KILLS=50, SEED=...)
	$(MVN) -pl runner-image -am test -Dtest=CrashRecoveryTest#aRunnerKilledAtRandomPointsIsRecoveredExactly \
	  -Dsurefire.failIfNoSpecifiedTests=false -Detl.chaos.kills=$(or $(KILLS),50) $(if $(SEED),-Detl.chaos.seed=$(SEED))

demo: ## everything local: embedded PostgreSQL, demo data, a full and an incremental pipeline
	@$(MVN) -q -DskipTests package -pl tools/demo -am
	java -cp "$(DEMO_CP)" dev.platform.etl.demo.Demo examples

# --- Kubernetes: kind where Docker and kind exist, else a local control plane with a process kubelet ---
KIND_CLUSTER ?= etl
DEMO_NS ?= etl-demo
CLUSTER ?= $(if $(and $(shell command -v kind 2>/dev/null),$(shell docker info >/dev/null 2>&1 && echo yes)),kind,local)
LOCAL_KUBE = $(DEMO_DIR)/local-cluster
KUBECTL = $(if $(wildcard $(LOCAL_KUBE)),$(DEMO_DIR)/bin/kubectl --kubeconfig $(DEMO_DIR)/kubeconfig,kubectl)
IMAGES = target/images
IMAGE_ARCH ?= $(if $(filter aarch64 arm64,$(shell uname -m)),arm64,amd64)
IMAGE_REGISTRY = $(shell sed -n 's:.*<image.registry>\(.*\)</image.registry>.*:\1:p' pom.xml)
IMAGE_TAG = $(shell sed -n 's:.*<image.tag>\(.*\)</image.tag>.*:\1:p' pom.xml)
.PHONY: images push up up-kind up-local up-local-start down kubeconfig kube-logs kube-run kube-pause kube-resume kube-status

images: ## build the base, runner and operator images for amd64 and arm64 into target/images, offline (no Docker, no registry; needs apt)
	$(MVN) -q -DskipTests -Pimages package -pl base-image,runner-image,operator -am
	@for id in $(IMAGES)/*.id; do printf '%-36s %5s  %s\n' "$${id%.id}.tar" "$$(numfmt --to=si --round=nearest --suffix=B $$(stat -c %s "$${id%.id}.tar"))" "$$(cat "$$id")"; done

push: images ## push both images to REGISTRY as TAG, amd64 and arm64 under one tag, with skopeo (defaults: the chart's; SKOPEO_FLAGS=--dest-tls-verify=false for plain HTTP)
	@$(call APT_INSTALL,skopeo,skopeo)
	@REGISTRY=$(or $(REGISTRY),$(IMAGE_REGISTRY)) TAG=$(or $(TAG),$(IMAGE_TAG)) tools/push-images.sh

up: up-$(CLUSTER) ## a cluster with the operator, the demo database and the example pipelines (CLUSTER=kind|local)

up-kind:
	kind get clusters | grep -qx $(KIND_CLUSTER) || kind create cluster --config kind-config.yaml --name $(KIND_CLUSTER)
	$(MAKE) images
	kind load image-archive $(IMAGES)/etl-runner-$(IMAGE_ARCH).tar --name $(KIND_CLUSTER)
	kind load image-archive $(IMAGES)/etl-operator-$(IMAGE_ARCH).tar --name $(KIND_CLUSTER)
	kubectl create namespace $(DEMO_NS) --dry-run=client -o yaml | kubectl apply -f -
	kubectl -n $(DEMO_NS) create configmap demo-sql --from-file=01-schema.sql=test/testkit/src/main/resources/demo/schema.sql \
	  --from-file=02-data.sql=examples/k8s/demo-data.sql --dry-run=client -o yaml | kubectl apply -f -
	kubectl apply -f examples/k8s/demo-databases.yaml -f examples/k8s/secrets.yaml
	kubectl -n $(DEMO_NS) rollout status deployment/postgres --timeout=180s
	helm upgrade --install etl-operator helm/etl-operator -n etl-system --create-namespace -f examples/k8s/values-kind.yaml --wait
	kubectl apply -f examples/film-dim.yaml -f examples/film-dim-inc.yaml
	mkdir -p $(DEMO_DIR) && touch $(DEMO_DIR)/kind
	kubectl get etlp -n $(DEMO_NS)

up-local: controlplane runc
	@test ! -f $(DEMO_DIR)/cluster.pid || ! kill -0 $$(cat $(DEMO_DIR)/cluster.pid) 2>/dev/null || { echo "already up (make down first)"; exit 1; }
	@# pods run from the images where runc and root are at hand, else from the jars
	@$(MVN) -q -DskipTests $$(command -v runc >/dev/null && [ "$$(id -u)" = 0 ] && echo -Pimages) package
	@$(MAKE) -s up-local-start

# starts the local cluster from what is built (the tests call it, having built it themselves)
up-local-start:
	@mkdir -p $(DEMO_DIR) && rm -f $(LOCAL_KUBE)
	@nohup java -cp "$(DEMO_CP)" dev.platform.etl.demo.LocalKubernetes > $(DEMO_DIR)/cluster.log 2>&1 & echo $$! > $(DEMO_DIR)/cluster.pid
	@echo "starting the local cluster (log: $(DEMO_DIR)/cluster.log)"
	@for i in $$(seq 1 300); do test -f $(LOCAL_KUBE) && break; kill -0 $$(cat $(DEMO_DIR)/cluster.pid) 2>/dev/null || { tail -30 $(DEMO_DIR)/cluster.log; exit 1; }; sleep 1; done
	@test -f $(LOCAL_KUBE) || { tail -30 $(DEMO_DIR)/cluster.log; exit 1; }
	@tail -5 $(DEMO_DIR)/cluster.log
	$(DEMO_DIR)/bin/kubectl --kubeconfig $(DEMO_DIR)/kubeconfig get etlp -n $(DEMO_NS)

down: ## stop the cluster of make up (the kind cluster is deleted; the local one's processes and demo database end, its data stays in .demo/)
ifneq ($(wildcard $(DEMO_DIR)/cluster.pid),)
	@touch $(DEMO_DIR)/cluster.stop
	@for i in $$(seq 1 180); do kill -0 $$(cat $(DEMO_DIR)/cluster.pid) 2>/dev/null || break; sleep 1; done
	@kill -9 $$(cat $(DEMO_DIR)/cluster.pid) 2>/dev/null || true
	@rm -f $(DEMO_DIR)/cluster.pid $(DEMO_DIR)/cluster.stop $(LOCAL_KUBE)
	@echo "local cluster stopped"
endif
ifneq ($(wildcard $(DEMO_DIR)/kind),)
	kind delete cluster --name $(KIND_CLUSTER)
	rm -f $(DEMO_DIR)/kind
endif

kubeconfig: ## print the local cluster's kubeconfig path, for KUBECONFIG (kubectl: .demo/bin/kubectl)
	@test -f $(LOCAL_KUBE) && echo $(abspath $(DEMO_DIR))/kubeconfig || { echo "no local cluster: make up" >&2; exit 1; }

kube-logs: ## the runner's output of a pipeline in the cluster: make kube-logs NAME=film-dim
ifneq ($(wildcard $(LOCAL_KUBE)),)
	@tail -n 200 $(DEMO_DIR)/cluster/pods/$(DEMO_NS)_$(NAME)-[0-9]*/runner.log
else
	kubectl -n $(DEMO_NS) logs -l etl.platform.dev/pipeline=$(NAME) --tail=200 --prefix
endif

kube-run: ## in the cluster of make up, request a run: make kube-run NAME=film-dim-inc (a new spec.runRequest)
	$(KUBECTL) -n $(DEMO_NS) patch etlp $(NAME) --type merge -p '{"spec":{"runRequest":"make-'$$(date +%s)'"}}'

kube-pause: ## in the cluster, pause after the batch in flight: make kube-pause NAME=film-dim (spec.suspend=true)
	$(KUBECTL) -n $(DEMO_NS) patch etlp $(NAME) --type merge -p '{"spec":{"suspend":true}}'

kube-resume: ## in the cluster, resume from the checkpoint: make kube-resume NAME=film-dim (spec.suspend=false)
	$(KUBECTL) -n $(DEMO_NS) patch etlp $(NAME) --type merge -p '{"spec":{"suspend":false}}'

kube-status: ## in the cluster, a pipeline's status: make kube-status NAME=film-dim
	$(KUBECTL) -n $(DEMO_NS) get etlp $(NAME) -o jsonpath='{.status}{"\n"}'

# --- the local demo database (port 55432), no cluster: the runner's CLI against it ---
LOCAL = $(MVN) -q -DskipTests package -pl tools/demo -am && java -cp "$(DEMO_CP)" dev.platform.etl.demo.LocalDemo
.PHONY: db-up db-down db-reset-demo db-touch-filmwork-one db-last-run db-inc-state local-run local-pause local-resume local-status

db-up: ## start the local demo database (port 55432), with demo data the first time
	@$(LOCAL) db-up

db-down: ## stop the local demo database (its data stays in .demo/)
	@$(LOCAL) db-down

db-reset-demo: ## recreate the demo data and forget every pipeline's state
	@$(LOCAL) db-reset

db-touch-filmwork-one: ## UPDATE one film with modified = now()
	@$(LOCAL) db-touch

db-last-run: ## latest etl.pipeline_run row of a pipeline: make db-last-run NAME=film-dim
	@$(LOCAL) db-last-run $(NAME)

db-inc-state: ## checkpoint, pause flag and lease of a pipeline: make db-inc-state NAME=film-dim-inc
	@$(LOCAL) db-inc-state $(NAME)

local-run: ## run examples/NAME.yaml against the local demo database (started if needed): make local-run NAME=film-dim-inc
	@$(LOCAL) run $(NAME)

local-pause: ## set the pause flag: the run in progress pauses after its batch, the next one at once: make local-pause NAME=film-dim
	@$(LOCAL) control pause $(NAME)

local-resume: ## clear the pause flag: make local-resume NAME=film-dim
	@$(LOCAL) control resume $(NAME)

local-status: ## checkpoint, pause flag, lease and last run: make local-status NAME=film-dim
	@$(LOCAL) control status $(NAME)
