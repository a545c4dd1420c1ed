package main

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseVmHWM(t *testing.T) {
	status := "Name:\tterraform-provi\nVmPeak:\t 1288004 kB\nVmHWM:\t   45123 kB\nVmRSS:\t   40000 kB\n"
	got, ok := parseVmHWM(bufio.NewScanner(strings.NewReader(status)))
	if !ok || got != 45123*1024 {
		t.Errorf("parseVmHWM = %d, %v", got, ok)
	}
	for _, bad := range []string{"Name:\tx\n", "VmHWM:\t12 MB\n", "VmHWM:\tlots kB\n"} {
		if _, ok := parseVmHWM(bufio.NewScanner(strings.NewReader(bad))); ok {
			t.Errorf("parseVmHWM(%q) succeeded", bad)
		}
	}
}

// The test process reads its own status: VmHWM must be there and positive
// on Linux, which is where the bench runs.
func TestVmHWMOfSelf(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	if got, ok := vmHWM(os.Getpid()); !ok || got <= 0 {
		t.Errorf("vmHWM(self) = %d, %v", got, ok)
	}
	if got := exeName(os.Getpid()); got == "" {
		t.Error("exeName(self) is empty")
	}
}

func TestParseStatCPU(t *testing.T) {
	// utime 150 and stime 50 ticks: 2 s. The name holds a space and a ')'.
	stat := "4242 (terraform-provi) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 12 0 100 1000 200"
	got, ok := parseStatCPU(stat)
	if !ok || got != 2*time.Second {
		t.Errorf("parseStatCPU = %s, %v", got, ok)
	}
	if _, ok := parseStatCPU("4242 (x) S 1 2"); ok {
		t.Error("short stat line accepted")
	}
}
