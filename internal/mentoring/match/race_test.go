//go:build race

package match

// raceEnabled: the race detector slows everything several times over, so
// time budgets are not checked under it.
const raceEnabled = true
