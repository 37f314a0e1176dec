# Benchmarks (issue 6). Included from the Makefile; until then: make -f Makefile -f bench.mk bench
# `make bench` runs everything in a throwaway database (claimtracker_bench on the app's server) and prints
# one table, also written to var/bench/results.md and var/bench/results.json (with the date and machine).
# Sizes: BENCH_ARTICLES (200), BENCH_ROUNDS (2), BENCH_CLAIMS (1000000), BENCH_DOCUMENTS (100000),
# BENCH_SECONDS of wrk per page (30), BENCH_SIGNED_IN_SECONDS of it signed in (10), BENCH_MEMORY_MB (50),
# BENCH_MEMORY_EXTRACT (100), BENCH_SEARCH.

.PHONY: bench bench-quick wrk

bench: $(STAMP) wrk  ## the benchmark suite at full scale (1M claims; about 15 min), table in var/bench/
	EVAL_DIR=$(EVAL_DIR) $(PY) -m bench

bench-quick: $(STAMP) wrk  ## the benchmark suite at small sizes with 5 s of wrk per page, to try it
	EVAL_DIR=$(EVAL_DIR) BENCH_ARTICLES=$${BENCH_ARTICLES:-40} BENCH_ROUNDS=$${BENCH_ROUNDS:-1} \
		BENCH_CLAIMS=$${BENCH_CLAIMS:-20000} BENCH_DOCUMENTS=$${BENCH_DOCUMENTS:-2000} \
		BENCH_SECONDS=$${BENCH_SECONDS:-5} BENCH_SIGNED_IN_SECONDS=$${BENCH_SIGNED_IN_SECONDS:-5} \
		BENCH_MEMORY_MB=$${BENCH_MEMORY_MB:-5} BENCH_MEMORY_EXTRACT=$${BENCH_MEMORY_EXTRACT:-20} $(PY) -m bench --out var/bench/quick

# wrk loads the pages; it is a Debian package.
wrk:  ## make sure wrk is installed (installs it with apt-get when root)
	@if command -v wrk >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then as=(); elif sudo -n true 2>/dev/null; then as=(sudo -n); else \
		echo "error: the page benchmark needs wrk, which is missing, and installing it needs root."; \
		echo "       Install it with:  sudo apt-get update && sudo apt-get install -y wrk"; exit 1; fi; \
	echo "Installing wrk with apt-get for the page benchmark"; \
	"$${as[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null; \
	"$${as[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	command -v wrk >/dev/null 2>&1 || { echo "error: apt-get installed wrk but it is still missing"; exit 1; }
