// Command bench measures the speed and memory of igs on the machine it runs
// on and writes the results as Markdown, as BENCHMARKS.md holds them.
//
// It starts the whole service in-process (app.New and app.ServeListener on
// 127.0.0.1) with a fixture server on 127.0.0.1 for the character icons. It
// measures through the real HTTP API: latency per style, throughput at 1-8
// concurrent clients, latency at 8, 42 and 120 characters and the repeat-cache
// hit. It also measures the capture-only floor of the same page, the summed PSS
// of the process and its Chrome, and a baseline that opens a new Chrome tab per
// render.
//
// Run it from the repository root:
//
//	go run ./bench -o BENCHMARKS.md
//
// -quick runs small counts for tests; -h lists the other flags.
package main
