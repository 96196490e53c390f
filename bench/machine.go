package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// machineInfo describes the machine of a run.
type machineInfo struct {
	CPU      string
	Cores    int
	Memory   string
	Chromium string
	Go       string
	Kernel   string
}

// readMachine collects the facts of the report. A fact that cannot be read
// reads "unknown".
func readMachine(chromePath string) machineInfo {
	return machineInfo{
		CPU:      cpuModel(),
		Cores:    runtime.NumCPU(),
		Memory:   totalMemory(),
		Chromium: chromeVersion(chromePath),
		Go:       runtime.Version(),
		Kernel:   firstLine("/proc/sys/kernel/osrelease"),
	}
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()

	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		key, value, ok := strings.Cut(scanner.Text(), ":")
		if ok && strings.TrimSpace(key) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown"
}

func totalMemory() string {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()

	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kib, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				return "unknown"
			}
			return fmt.Sprintf("%.1f GiB", float64(kib)/(1<<20))
		}
	}
	return "unknown"
}

// chromeVersion runs Chrome with --version. Debian's wrapper script may
// print shell warnings on stderr, so only stdout is read.
func chromeVersion(path string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}

func firstLine(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "unknown"
	}
	line, _, _ := strings.Cut(string(data), "\n")
	return strings.TrimSpace(line)
}

// loadAverage returns the 1, 5 and 15 minute load averages as /proc/loadavg
// shows them.
func loadAverage() string {
	fields := strings.Fields(firstLine("/proc/loadavg"))
	if len(fields) < 3 {
		return "unknown"
	}
	return strings.Join(fields[:3], " ")
}
