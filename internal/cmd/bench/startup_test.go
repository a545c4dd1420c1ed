package main

import (
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		var out []time.Duration
		for _, x := range v {
			out = append(out, time.Duration(x)*time.Millisecond)
		}
		return out
	}
	for _, tt := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{ms(30, 10, 20), 20 * time.Millisecond},
		{ms(40, 10, 30, 20), 20 * time.Millisecond},
		{ms(7), 7 * time.Millisecond},
		{nil, 0},
	} {
		in := append([]time.Duration(nil), tt.in...)
		if got := median(tt.in); got != tt.want {
			t.Errorf("median(%v) = %s, want %s", tt.in, got, tt.want)
		}
		for i := range in {
			if in[i] != tt.in[i] {
				t.Errorf("median reordered its input: %v", tt.in)
			}
		}
	}
}
