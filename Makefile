# The two commands of the README's quick start.
.PHONY: run test

run:  ## set everything up and serve the app with a seeded demo
	./scripts/run.sh

test:  ## set everything up and run every test, browser tests included
	./scripts/test.sh
