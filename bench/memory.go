package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// memorySample is the proportional set size (PSS) of the service: this
// process and every process of its Chrome.
type memorySample struct {
	renders int
	// self and chrome are in KiB, as smaps_rollup reports them.
	self      int64
	chrome    int64
	processes int // Chrome processes counted
	// byType is the Chrome PSS in MiB by process type (browser, renderer,
	// gpu-process, utility...), for the log.
	byType map[string]int64
}

func (m memorySample) total() int64 { return m.self + m.chrome }

// sampleMemory sums the PSS of this process and of the Chrome roots with all
// their descendants. A process that exits while it is read is left out.
func sampleMemory(roots []int) (memorySample, error) {
	self, err := readPSS(os.Getpid())
	if err != nil {
		return memorySample{}, err
	}

	pids, err := descendants(roots)
	if err != nil {
		return memorySample{}, err
	}

	m := memorySample{self: self, byType: map[string]int64{}}
	for _, pid := range pids {
		pss, err := readPSS(pid)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ESRCH) {
			continue // the process exited
		}
		if err != nil {
			return memorySample{}, err
		}
		m.chrome += pss
		m.processes++
		m.byType[processType(pid)] += pss / 1024
	}
	return m, nil
}

// processType returns the value of Chrome's --type switch of pid, or
// "browser" for the process without one. Chrome rewrites the command line of
// its child processes into one string, so spaces separate arguments as well
// as NUL bytes.
func processType(pid int) string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return "unknown"
	}
	args := strings.FieldsFunc(string(data), func(r rune) bool { return r == 0 || r == ' ' })
	for _, arg := range args {
		if value, ok := strings.CutPrefix(arg, "--type="); ok {
			return value
		}
	}
	return "browser"
}

// readPSS returns the Pss line of /proc/<pid>/smaps_rollup in KiB.
func readPSS(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0, fmt.Errorf("read PSS of pid %d: %w", pid, err)
	}
	return parsePSS(data)
}

// parsePSS reads the "Pss:" line of an smaps_rollup file, in KiB.
func parsePSS(data []byte) (int64, error) {
	scanner := bufio.NewScanner(bytes.NewReader(data))
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) >= 2 && fields[0] == "Pss:" {
			kib, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("parse Pss value %q: %w", fields[1], err)
			}
			return kib, nil
		}
	}
	return 0, errors.New("smaps_rollup has no Pss line")
}

// descendants returns roots and every process below them, from the parent
// PIDs in /proc/<pid>/stat.
func descendants(roots []int) ([]int, error) {
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		return nil, fmt.Errorf("list processes: %w", err)
	}

	children := map[int][]int{}
	for _, path := range stats {
		data, err := os.ReadFile(path)
		if err != nil {
			continue // the process exited
		}
		pid, ppid, err := parseStat(data)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		children[ppid] = append(children[ppid], pid)
	}

	var out []int
	queue := append([]int(nil), roots...)
	seen := map[int]bool{}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		if seen[pid] {
			continue
		}
		seen[pid] = true
		out = append(out, pid)
		queue = append(queue, children[pid]...)
	}
	return out, nil
}

// parseStat returns the PID and the parent PID of a /proc/<pid>/stat line.
// The command name in parentheses may hold spaces and parentheses, so the
// fields after it are found from the last ')'.
func parseStat(data []byte) (pid, ppid int, err error) {
	s := string(data)
	open := strings.IndexByte(s, '(')
	end := strings.LastIndexByte(s, ')')
	if open < 1 || end < open {
		return 0, 0, fmt.Errorf("malformed stat line %q", s)
	}

	pid, err = strconv.Atoi(strings.TrimSpace(s[:open]))
	if err != nil {
		return 0, 0, fmt.Errorf("parse pid in %q: %w", s, err)
	}

	// After the name: state, then the parent PID.
	fields := strings.Fields(s[end+1:])
	if len(fields) < 2 {
		return 0, 0, fmt.Errorf("stat line %q has no parent pid", s)
	}
	ppid, err = strconv.Atoi(fields[1])
	if err != nil {
		return 0, 0, fmt.Errorf("parse parent pid in %q: %w", s, err)
	}
	return pid, ppid, nil
}
