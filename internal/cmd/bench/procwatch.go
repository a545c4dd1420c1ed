package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// pollInterval is how often /proc is read. VmHWM is the kernel's own
// high-water mark of resident memory, so polling misses no peak; it can
// only miss a provider process that lives shorter than one interval (and
// the growth in its last interval, which is spent shutting down).
const pollInterval = 10 * time.Millisecond

// providerStats is the provider processes' memory and CPU during one
// terraform command.
type providerStats struct {
	Processes int           `json:"provider_processes"` // provider processes seen
	PeakBytes int64         `json:"peak_rss_bytes"`     // largest VmHWM among them
	CPU       time.Duration `json:"-"`                  // user+system, summed (as of the last poll)
	CPUMS     float64       `json:"provider_cpu_ms"`
}

// perResourceMS is the provider CPU per resource of an n-resource command.
func (p providerStats) perResourceMS(n int) float64 {
	if n < 1 {
		return 0
	}
	return ms(p.CPU) / float64(n)
}

type procWatch struct {
	done chan struct{}
	out  chan providerStats
}

// watchProviders follows the children of the terraform process tfPid whose
// executable is named exe, reading their VmHWM until stop is called.
func watchProviders(tfPid int, exe string) *procWatch {
	w := &procWatch{done: make(chan struct{}), out: make(chan providerStats, 1)}
	go func() {
		seen := map[int]bool{}
		cpu := map[int]time.Duration{}
		var st providerStats
		t := time.NewTicker(pollInterval)
		defer t.Stop()
		for {
			for _, c := range childPids(tfPid) {
				if !seen[c] && exeName(c) == exe {
					seen[c] = true
					st.Processes++
				}
			}
			for pid := range seen {
				if hwm, ok := vmHWM(pid); ok && hwm > st.PeakBytes {
					st.PeakBytes = hwm
				}
				if c, ok := cpuTime(pid); ok {
					cpu[pid] = c
				}
			}
			select {
			case <-w.done:
				for _, c := range cpu {
					st.CPU += c
				}
				st.CPUMS = ms(st.CPU)
				w.out <- st
				return
			case <-t.C:
			}
		}
	}()
	return w
}

// stop ends the watch and returns what it saw.
func (w *procWatch) stop() providerStats {
	close(w.done)
	return <-w.out
}

// childPids lists pid's children from every thread's children file (a child
// is listed under the thread that forked it).
func childPids(pid int) []int {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return nil
	}
	var out []int
	for _, t := range tasks {
		b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "task", t.Name(), "children"))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			if c, err := strconv.Atoi(f); err == nil {
				out = append(out, c)
			}
		}
	}
	return out
}

// exeName is the base name of pid's executable ("" when it cannot be read);
// a child that has forked but not yet exec'd still shows terraform.
func exeName(pid int) string {
	p, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err != nil {
		return ""
	}
	return filepath.Base(strings.TrimSuffix(p, " (deleted)"))
}

// vmHWM reads the peak resident set size of pid in bytes.
func vmHWM(pid int) (int64, bool) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, false
	}
	defer f.Close()
	return parseVmHWM(bufio.NewScanner(f))
}

// parseVmHWM finds "VmHWM:  12345 kB" in a /proc/<pid>/status stream.
func parseVmHWM(sc *bufio.Scanner) (int64, bool) {
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "VmHWM:") {
			continue
		}
		f := strings.Fields(strings.TrimPrefix(line, "VmHWM:"))
		if len(f) != 2 || f[1] != "kB" {
			return 0, false
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, false
		}
		return kb * 1024, true
	}
	return 0, false
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times: 100 on every
// Linux architecture Go supports.
const clockTicks = 100

// cpuTime reads pid's user+system time from /proc/<pid>/stat.
func cpuTime(pid int) (time.Duration, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	return parseStatCPU(string(b))
}

// parseStatCPU takes utime and stime (fields 14 and 15) from a stat line;
// fields are counted after the command name, which may hold spaces.
func parseStatCPU(stat string) (time.Duration, bool) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 13 {
		return 0, false
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(ut+st) * time.Second / clockTicks, true
}

// selfCPU is this process's user+system time so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
