package match

import (
	"math/bits"
	"time"
)

// HoursPerWeek is the number of hour slots in a Week.
const HoursPerWeek = 168

// Week is a set of hour-of-week slots in UTC: slot 0 is Monday 00:00–01:00
// UTC, slot 167 is Sunday 23:00–24:00 UTC. Keeping it in UTC makes the
// common hours of two people one AND and a population count, whatever
// their time zones.
type Week [3]uint64

// Set marks a slot free. Slots outside 0..167 are ignored.
func (w *Week) Set(slot int) {
	if slot >= 0 && slot < HoursPerWeek {
		w[slot/64] |= 1 << (slot % 64)
	}
}

// Has reports whether a slot is free.
func (w Week) Has(slot int) bool {
	return slot >= 0 && slot < HoursPerWeek && w[slot/64]&(1<<(slot%64)) != 0
}

// Hours is the number of free slots.
func (w Week) Hours() int {
	return bits.OnesCount64(w[0]) + bits.OnesCount64(w[1]) + bits.OnesCount64(w[2])
}

// Common is the number of slots free in both weeks.
func (w Week) Common(o Week) int {
	return bits.OnesCount64(w[0]&o[0]) + bits.OnesCount64(w[1]&o[1]) + bits.OnesCount64(w[2]&o[2])
}

// SetLocal marks free the UTC slot in which a local clock hour starts, for
// someone at the given UTC offset: 18:00 on Tuesday at UTC−5 is slot 47
// (Tuesday 23:00 UTC). With a half-hour offset the local hour straddles
// two UTC slots; the earlier one is marked.
func (w *Week) SetLocal(utcOffsetMinutes int, day time.Weekday, hour int) {
	const minutesPerWeek = HoursPerWeek * 60
	local := (int(day)+6)%7*24*60 + hour*60 // Monday first
	utc := ((local-utcOffsetMinutes)%minutesPerWeek + minutesPerWeek) % minutesPerWeek
	w.Set(utc / 60)
}
