# The user's verbs. `make help` lists them.
MVN ?= ./mvnw -B
DEMO_CP = demo/target/classes:$$(cat demo/target/classpath.txt)

.DEFAULT_GOAL := help
.PHONY: help build test demo

help: ## list the verbs
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-22s %s\n", $$1, $$2}'

build: ## compile everything and package runner-image/target/etl-runner.jar
	$(MVN) -q -DskipTests package

test: ## the whole test suite (real PostgreSQL, started by the tests)
	$(MVN) verify

demo: ## everything local: embedded PostgreSQL, demo data, a full and an incremental pipeline
	$(MVN) -q -DskipTests package -pl demo -am
	java -cp "$(DEMO_CP)" dev.platform.etl.demo.Demo examples
