package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"text/template"
	"time"
)

// Targets of the table. The scaling target allows 10% over linear growth
// from 42 to 120 characters.
const (
	targetLatencyP50      = 95 * time.Millisecond
	targetFloorRatio      = 1.25
	targetThroughput      = 15.6 // cards/s with baselineClients clients
	targetBaselineFactor  = 3.0
	targetScalingSlack    = 1.1
	targetMemoryDrift     = 0.10
	targetRepeatHitP50    = 5 * time.Millisecond
	targetThroughputLevel = baselineClients
)

// latencyTargetStyles are the styles with latency and capture-floor targets.
var latencyTargetStyles = map[string]bool{"fancy": true, "egenshin": true}

// Labels of the table rows, which the tests look for.
const (
	labelLatencyP50     = "latency p50, 42 characters"
	labelLatencyP90     = "latency p90, 42 characters"
	labelFloor          = "capture floor p50"
	labelFloorRatio     = "latency p50 / capture floor"
	labelThroughput     = "throughput, %d client%s"
	labelBaseline       = "new-tab baseline, 4 clients"
	labelBaselineFactor = "4 clients / new-tab baseline"
	labelScaling        = "latency p50, %d characters"
	labelScalingRatio   = "lat(120) / lat(42)"
	labelRepeat         = "repeat-cache hit p50"
	labelMemory         = "PSS after %d renders"
	labelMemoryRatio    = "PSS growth"
	labelMemorySeries   = "PSS by renders"
)

// row is one line of the results table.
type row struct {
	Measure string
	Style   string
	Value   string
	Samples string
	Target  string
	Result  string // PASS, MISS or empty without a target
}

// verdict returns PASS or MISS.
func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "MISS"
}

func formatMS(d time.Duration) string { return fmt.Sprintf("%.1f ms", ms(d)) }

// rows returns the table of res.
func (res *results) rows() []row {
	var rows []row
	for _, sr := range res.styles {
		rows = append(rows, sr.rows()...)
	}

	if len(res.repeat) > 0 {
		p50 := percentile(res.repeat, 0.5)
		rows = append(rows, row{
			Measure: labelRepeat, Style: res.repeatStyle, Value: formatMS(p50), Samples: fmt.Sprint(len(res.repeat)),
			Target: "< " + formatMS(targetRepeatHitP50), Result: verdict(p50 < targetRepeatHitP50),
		})
	}
	return append(rows, res.memoryRows()...)
}

func (sr *styleResult) rows() []row {
	n := func(times []time.Duration) string { return fmt.Sprint(len(times)) }
	targeted := latencyTargetStyles[sr.style]

	p50 := percentile(sr.latency, 0.5)
	latencyRow := row{Measure: labelLatencyP50, Style: sr.style, Value: formatMS(p50), Samples: n(sr.latency)}
	if targeted {
		latencyRow.Target = "<= " + formatMS(targetLatencyP50)
		latencyRow.Result = verdict(p50 <= targetLatencyP50)
	}
	rows := []row{
		latencyRow,
		{Measure: labelLatencyP90, Style: sr.style, Value: formatMS(percentile(sr.latency, 0.9)), Samples: n(sr.latency)},
	}

	floor := percentile(sr.floor, 0.5)
	rows = append(rows, row{Measure: labelFloor, Style: sr.style, Value: formatMS(floor), Samples: n(sr.floor)})
	ratioRow := row{Measure: labelFloorRatio, Style: sr.style, Value: "n/a"}
	if floor > 0 {
		ratio := float64(p50) / float64(floor)
		ratioRow.Value = fmt.Sprintf("%.2fx", ratio)
		if targeted {
			ratioRow.Target = fmt.Sprintf("<= %.2fx", targetFloorRatio)
			ratioRow.Result = verdict(ratio <= targetFloorRatio)
		}
	}
	rows = append(rows, ratioRow)

	for _, clients := range clientLevels {
		lr := sr.throughput[clients]
		r := row{Measure: throughputLabel(clients), Style: sr.style, Value: formatThroughput(lr), Samples: fmt.Sprint(len(lr.latencies))}
		if clients == targetThroughputLevel {
			r.Target = fmt.Sprintf(">= %.1f cards/s", targetThroughput)
			r.Result = verdict(lr.throughput() >= targetThroughput)
		}
		rows = append(rows, r)
	}

	ours := sr.throughput[baselineClients].throughput()
	base := sr.baseline.throughput()
	rows = append(rows, row{Measure: labelBaseline, Style: sr.style, Value: formatThroughput(sr.baseline), Samples: fmt.Sprint(len(sr.baseline.latencies))})
	factorRow := row{Measure: labelBaselineFactor, Style: sr.style, Value: "n/a", Target: fmt.Sprintf(">= %.1fx", targetBaselineFactor), Result: "MISS"}
	if base > 0 {
		factor := ours / base
		factorRow.Value = fmt.Sprintf("%.2fx", factor)
		factorRow.Result = verdict(factor >= targetBaselineFactor)
	}
	rows = append(rows, factorRow)

	return append(rows, sr.scalingRows()...)
}

func (sr *styleResult) scalingRows() []row {
	var rows []row
	for _, chars := range characterCounts {
		if chars == 42 {
			continue // the first row of the style
		}
		times := sr.scaling[chars]
		rows = append(rows, row{Measure: fmt.Sprintf(labelScaling, chars), Style: sr.style, Value: formatMS(percentile(times, 0.5)), Samples: fmt.Sprint(len(times))})
	}

	limit := targetScalingSlack * 120 / 42
	r := row{Measure: labelScalingRatio, Style: sr.style, Value: "n/a", Target: fmt.Sprintf("<= %.2f (1.1 x 120/42)", limit), Result: "MISS"}
	if lat42 := percentile(sr.scaling[42], 0.5); lat42 > 0 {
		ratio := float64(percentile(sr.scaling[120], 0.5)) / float64(lat42)
		r.Value = fmt.Sprintf("%.2f", ratio)
		r.Result = verdict(ratio <= limit)
	}
	return append(rows, r)
}

func (res *results) memoryRows() []row {
	if len(res.memory) < 2 {
		return nil
	}

	// The memory phase renders the chosen styles in turn.
	styles := strings.Join(res.opts.styles, ", ") + ", in turn"
	var rows []row
	first, last := res.memory[0], res.memory[len(res.memory)-1]
	for _, m := range []memorySample{first, last} {
		rows = append(rows, row{
			Measure: fmt.Sprintf(labelMemory, m.renders), Style: styles,
			Value: fmt.Sprintf("%.0f MiB (Go process %.0f + Chrome %.0f in %d processes)",
				kibToMiB(m.total()), kibToMiB(m.self), kibToMiB(m.chrome), m.processes),
			Samples: "1",
		})
	}

	var series []string
	for _, m := range res.memory {
		series = append(series, fmt.Sprintf("%d: %.0f", m.renders, kibToMiB(m.total())))
	}
	rows = append(rows, row{
		Measure: labelMemorySeries, Style: styles,
		Value: strings.Join(series, ", ") + " MiB", Samples: fmt.Sprint(len(res.memory)),
	})

	ratio := float64(last.total()) / float64(first.total())
	return append(rows, row{
		Measure: fmt.Sprintf("%s %d -> %d renders", labelMemoryRatio, first.renders, last.renders), Style: styles,
		Value:  fmt.Sprintf("%.2fx", ratio),
		Target: fmt.Sprintf("within %.0f%%", targetMemoryDrift*100), Result: verdict(math.Abs(ratio-1) <= targetMemoryDrift),
	})
}

// throughputLabel returns the measure of the throughput row of clients.
func throughputLabel(clients int) string {
	plural := "s"
	if clients == 1 {
		plural = ""
	}
	return fmt.Sprintf(labelThroughput, clients, plural)
}

func kibToMiB(kib int64) float64 { return float64(kib) / 1024 }

func formatThroughput(lr loadResult) string {
	s := fmt.Sprintf("%.2f cards/s", lr.throughput())
	if lr.timedOut {
		s += " (time limit hit)"
	}
	return s
}

// stepRow is one line of the table of renderer steps.
type stepRow struct {
	Style  string
	Cells  []string
	Sample int
}

// stepRows returns the medians of the renderer's steps per style, from the
// latency rows.
func (res *results) stepRows() []stepRow {
	var rows []stepRow
	for _, sr := range res.styles {
		r := stepRow{Style: sr.style}
		rest := percentile(sr.latency, 0.5)
		r.Cells = append(r.Cells, formatMS(rest))
		for _, name := range renderedNames {
			p50, _ := res.steps.p50(sr.style, name)
			r.Cells = append(r.Cells, formatMS(p50))
			rest -= p50
		}
		r.Cells = append(r.Cells, formatMS(rest))
		for _, name := range stepNames {
			p50, count := res.steps.p50(sr.style, name)
			r.Cells = append(r.Cells, formatMS(p50))
			r.Sample = count
		}
		r.Cells = append(r.Cells, formatMS(percentile(sr.floor, 0.5)))
		r.Cells = append(r.Cells, formatOriginRequests(res.steps.originRequests(sr.style), len(sr.latency)))
		rows = append(rows, r)
	}
	return rows
}

// cpuRow is one line of the table of CPU time per card.
type cpuRow struct {
	Style string
	Cells []string
}

// cpuColumns are the process types of the CPU table, in its order; the rest
// of Chrome's types are summed in the column after them.
var cpuColumns = []string{goProcess, "browser", "renderer", "gpu-process"}

// cpuRows returns the CPU time per card by process type at baselineClients
// clients, and the throughput that the machine's cores would allow at that
// cost.
func (res *results) cpuRows() []cpuRow {
	var rows []cpuRow
	for _, sr := range res.styles {
		r := cpuRow{Style: sr.style}
		other := sr.cpuPerCard.total()
		for _, kind := range cpuColumns {
			r.Cells = append(r.Cells, formatMS(sr.cpuPerCard[kind]))
			other -= sr.cpuPerCard[kind]
		}
		total := sr.cpuPerCard.total()
		r.Cells = append(r.Cells, formatMS(other), formatMS(total))
		bound := "n/a"
		if total > 0 {
			bound = fmt.Sprintf("%.1f cards/s", float64(res.machine.Cores)*float64(time.Second)/float64(total))
		}
		r.Cells = append(r.Cells, bound)
		rows = append(rows, r)
	}
	return rows
}

// formatOriginRequests returns the origin requests per render by path
// prefix, such as "/static/ 12.0, /assets/ 0.5".
func formatOriginRequests(counts map[string]int, renders int) string {
	if renders == 0 || len(counts) == 0 {
		return "0"
	}

	var parts []string
	for _, prefix := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%s %.1f", prefix, float64(counts[prefix])/float64(renders)))
	}
	return strings.Join(parts, ", ")
}

//go:embed report.md.tmpl
var reportTemplate string

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"cell": func(s string) string { return strings.ReplaceAll(s, "|", `\|`) },
}).Parse(reportTemplate))

// reportData is the input of the report template.
type reportData struct {
	Machine    machineInfo
	Command    string
	Date       string
	Took       string
	LoadBefore string
	LoadAfter  string
	Quick      bool
	Requests   int
	Rows       []row
	StepRows   []stepRow
	CPURows    []cpuRow
}

// writeReport writes the Markdown report to w and to opts.output when set.
func writeReport(res *results, w io.Writer) error {
	data := reportData{
		Machine:    res.machine,
		Command:    strings.TrimSpace("go run ./bench " + strings.Join(res.opts.args, " ")),
		Date:       res.started.UTC().Format("2006-01-02 15:04 UTC"),
		Took:       res.took.Round(time.Second).String(),
		LoadBefore: res.loadBefore,
		LoadAfter:  res.loadAfter,
		Quick:      res.opts.quick,
		Requests:   res.opts.requests,
		Rows:       res.rows(),
		StepRows:   res.stepRows(),
		CPURows:    res.cpuRows(),
	}

	var buf bytes.Buffer
	if err := reportTmpl.Execute(&buf, data); err != nil {
		return fmt.Errorf("fill report: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}

	if res.opts.output != "" {
		if err := os.WriteFile(res.opts.output, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", res.opts.output, err)
		}
	}
	return nil
}
