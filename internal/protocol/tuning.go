package protocol

import (
	"fmt"
	"os"
	"strings"
	"sync"
)

// TuningEnv names the environment variable that switches the provider's
// performance tuning on or off, read once when the provider process
// starts: "on" (the default when unset) or "off". The tuning is what
// re-implements or second-guesses upstream, so that a suspected upstream
// disagreement can be ruled out by turning it off:
//
//   - the server's own answer to UpgradeResourceState at the current
//     schema version (upgradeCurrent),
//   - the server's own answer to an unchanged PlanResourceChange
//     (planUnchanged),
//   - main.go's garbage collector settings (GOGC and a soft GOMEMLIMIT).
//
// With "off" those requests reach terraform-plugin-framework and the Go
// runtime keeps its defaults. The release of request contexts is not
// tuning: it fixes a leak and stays on either way.
const TuningEnv = "ENTRAAUTH_TUNING"

// Tuning says whether the performance tuning TuningEnv describes is on.
type Tuning bool

// The two values of Tuning.
const (
	TuningOn  Tuning = true
	TuningOff Tuning = false
)

// defaultTuning is Tuning when TuningEnv is unset or not understood.
const defaultTuning = TuningOn

// String is the setting as TuningEnv spells it.
func (t Tuning) String() string {
	if t {
		return "on"
	}
	return "off"
}

// ParseTuning reads a value of TuningEnv: "on", "off" (any case, spaces
// trimmed) or empty for the default. Anything else is the default with an
// error saying so.
func ParseTuning(value string) (Tuning, error) {
	switch strings.ToLower(strings.TrimSpace(value)) {
	case "":
		return defaultTuning, nil
	case "on":
		return TuningOn, nil
	case "off":
		return TuningOff, nil
	}
	return defaultTuning, fmt.Errorf("%s=%q is neither on nor off: tuning stays %s", TuningEnv, value, defaultTuning)
}

// TuningFromEnv is TuningEnv's setting, read on the first call and the
// same for the life of the process, with ParseTuning's error if any.
var TuningFromEnv = sync.OnceValues(func() (Tuning, error) {
	return ParseTuning(os.Getenv(TuningEnv))
})
