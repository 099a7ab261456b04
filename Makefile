# The user's verbs. `make help` lists them.
MVN ?= ./mvnw -B
DEMO_CP = demo/target/classes:$$(cat demo/target/classpath.txt)

.DEFAULT_GOAL := help
.PHONY: help build test demo es-demo chaos crds

help: ## list the verbs
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-22s %s\n", $$1, $$2}'

build: ## compile everything and package runner-image/target/etl-runner.jar
	$(MVN) -q -DskipTests package

test: ## the whole test suite (real PostgreSQL and Elasticsearch, started by the tests)
	$(MVN) verify

es-demo: ## embedded PostgreSQL and Elasticsearch: the demo films into an index, count and one document
	@$(MVN) -q -DskipTests package -pl demo -am
	java -cp "$(DEMO_CP)" dev.platform.etl.demo.ElasticsearchDemo examples

crds: ## regenerate crds/ from the api/ classes (a test fails while they differ)
	$(MVN) -q -DskipTests -pl api package
	cp api/target/classes/META-INF/fabric8/etlpipelines.etl.platform.dev-v1.yml crds/

chaos: ## kill -9 a runner at 50 random points of a run and check each recovery (KILLS=50, SEED=...)
	$(MVN) -pl runner-image -am test -Dtest=CrashRecoveryTest#aRunnerKilledAtRandomPointsIsRecoveredExactly \
	  -Dsurefire.failIfNoSpecifiedTests=false -Detl.chaos.kills=$(or $(KILLS),50) $(if $(SEED),-Detl.chaos.seed=$(SEED))

demo: ## everything local: embedded PostgreSQL, demo data, a full and an incremental pipeline
	@$(MVN) -q -DskipTests package -pl demo -am
	java -cp "$(DEMO_CP)" dev.platform.etl.demo.Demo examples

# --- Local verbs: a demo PostgreSQL that keeps running between commands (data in .demo/) ---
LOCAL = $(MVN) -q -DskipTests package -pl demo -am && java -cp "$(DEMO_CP)" dev.platform.etl.demo.LocalDemo
.PHONY: db-up db-down db-reset-demo db-touch-filmwork-one db-last-run db-inc-state run pause resume status

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

run: ## run examples/NAME.yaml against the local demo database: make run NAME=film-dim-inc
	@$(LOCAL) run $(NAME)

pause: ## ask a pipeline to pause after the batch in flight: make pause NAME=film-dim
	@$(LOCAL) control pause $(NAME)

resume: ## clear the pause request; the next run continues from the checkpoint
	@$(LOCAL) control resume $(NAME)

status: ## checkpoint, pause flag, lease and latest run, as JSON
	@$(LOCAL) control status $(NAME)
