package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"
)

// pprofDirEnv names a directory for profiles of this provider process: a
// developer's switch (`go run ./internal/cmd/bench -pprof DIR` sets it),
// off unless set, not a user setting. cpu-<pid>.pprof covers the
// process's life; heap-<pid>.pprof is the heap when it was largest
// (sampled every 100 ms); heap-exit-<pid>.pprof and goroutine-exit-<pid>.pprof
// are what is still alive at exit, after a garbage collection;
// memstats-<pid>.txt is a text summary of where the process's memory was
// at exit (the Go runtime's view beside the kernel's peak RSS), to tell a
// heap that grew from stacks, collector metadata or memory not yet given
// back.
const pprofDirEnv = "ENTRAAUTH_PPROF_DIR"

// startProfiling starts the profiles pprofDirEnv asks for; the returned
// function writes them and must run before the process exits.
func startProfiling() func() {
	dir := os.Getenv(pprofDirEnv)
	if dir == "" {
		return func() {}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return func() {}
	}
	name := func(kind string) string { return filepath.Join(dir, fmt.Sprintf("%s-%d.pprof", kind, os.Getpid())) }
	cpu, err := os.Create(name("cpu"))
	if err == nil && pprof.StartCPUProfile(cpu) != nil {
		cpu.Close()
		cpu = nil
	}
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		var peak uint64
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak+peak/10 {
				peak = ms.HeapInuse
				writeProfile(name("heap"), "heap")
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		writeMemStats(strings.TrimSuffix(name("memstats"), ".pprof") + ".txt")
		runtime.GC()
		writeProfile(name("heap-exit"), "heap")
		writeProfile(name("goroutine-exit"), "goroutine")
	}
}

func writeProfile(path, profile string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	_ = pprof.Lookup(profile).WriteTo(f, 0)
}

// writeMemStats writes the runtime's memory accounting and the kernel's
// peak and current RSS.
func writeMemStats(path string) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	status, _ := os.ReadFile("/proc/self/status")
	var rss []string
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM") || strings.HasPrefix(line, "VmRSS") || strings.HasPrefix(line, "RssAnon") || strings.HasPrefix(line, "RssFile") {
			rss = append(rss, strings.Join(strings.Fields(line), " "))
		}
	}
	mb := func(n uint64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
	out := fmt.Sprintf("%s\nSys %s\nHeapSys %s HeapInuse %s HeapIdle %s HeapReleased %s HeapAlloc %s NextGC %s\nStackSys %s MSpanSys %s GCSys %s OtherSys %s\nNumGC %d Mallocs %d Frees %d\n",
		strings.Join(rss, "\n"), mb(ms.Sys), mb(ms.HeapSys), mb(ms.HeapInuse), mb(ms.HeapIdle), mb(ms.HeapReleased), mb(ms.HeapAlloc), mb(ms.NextGC),
		mb(ms.StackSys), mb(ms.MSpanSys), mb(ms.GCSys), mb(ms.OtherSys), ms.NumGC, ms.Mallocs, ms.Frees)
	_ = os.WriteFile(path, []byte(out), 0o644)
}
