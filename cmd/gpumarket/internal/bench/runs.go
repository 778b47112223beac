package bench

// SpreadOf returns the min, median and max of v (a benchmark's runs).
func SpreadOf(v []float64) Spread { return spread(v) }

// LoadAvg returns the machine's 1, 5 and 15 minute load averages
// (/proc/loadavg), printed beside figures measured on a shared machine.
func LoadAvg() string { return loadavg() }
