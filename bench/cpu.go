package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// userHZ is the unit of the CPU times in /proc/<pid>/stat: USER_HZ, which
// is 100 on Linux for x86 and arm64.
const userHZ = 100

// goProcess is the key of this process in a cpuSample.
const goProcess = "go process"

// cpuSample is the CPU time (user plus system) used so far, by process type:
// goProcess for this process and Chrome's process types for the others.
type cpuSample map[string]time.Duration

// sampleCPU reads the CPU time of this process and of the Chrome roots with
// all their descendants. A process that exits while it is read is left out,
// so its time drops out of a later difference.
func sampleCPU(roots []int) (cpuSample, error) {
	s := cpuSample{}
	self, err := readCPU(os.Getpid())
	if err != nil {
		return nil, err
	}
	s[goProcess] = self

	pids, err := descendants(roots)
	if err != nil {
		return nil, err
	}
	for _, pid := range pids {
		used, err := readCPU(pid)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ESRCH) {
			continue // the process exited
		}
		if err != nil {
			return nil, err
		}
		s[processType(pid)] += used
	}
	return s, nil
}

// since returns the CPU time used from before to s, per card of cards.
func (s cpuSample) since(before cpuSample, cards int) cpuSample {
	per := cpuSample{}
	if cards == 0 {
		return per
	}
	for kind, used := range s {
		per[kind] = (used - before[kind]) / time.Duration(cards)
	}
	return per
}

// total returns the sum over every process type.
func (s cpuSample) total() time.Duration {
	var sum time.Duration
	for _, used := range s {
		sum += used
	}
	return sum
}

// readCPU returns the user plus system CPU time of pid.
func readCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read CPU time of pid %d: %w", pid, err)
	}
	return parseCPU(data)
}

// parseCPU returns utime plus stime of a /proc/<pid>/stat line, the 14th and
// 15th fields, counted from the PID as the first.
func parseCPU(data []byte) (time.Duration, error) {
	s := string(data)
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return 0, fmt.Errorf("malformed stat line %q", s)
	}

	// After the name, the state is field 3, so utime is at index 11.
	fields := strings.Fields(s[end+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("stat line %q has no CPU times", s)
	}
	var ticks int64
	for _, field := range fields[11:13] {
		n, err := strconv.ParseInt(field, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse CPU time %q: %w", field, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}
