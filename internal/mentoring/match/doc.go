// Package match is the mentor-matching core: which mentors a waiting
// mentee may have, how well each pair fits and why, and how to assign a
// whole batch of waiting mentees at once. It is pure logic: no HTTP, no
// database, no state between calls. The caller has already restricted
// mentors and requests to one tenant.
//
// # Hard constraints
//
// Check says whether a pair is allowed and, if not, which rule stops it:
// never oneself or an excluded pair (blocked, declined or ended before);
// the mentor not paused, approved and the approval not expired, with a
// free place (Load < Capacity, capacity read as at most MaxCapacity); a
// shared language; teen mentees only with mentors approved for youth
// mentoring whose vetting is still valid at now, and, from the same
// safeguarding rule, adult mentees never with teen mentors; and, when the
// mentee requires it, at least one shared migraine type. Suggest,
// AssignBatch and AssignGreedy never return a pair Check rejects.
//
// # Score
//
// A pair's score is a weighted sum of factors between 0 and 1: the shares
// of the mentee's migraine types, treatments and topics the mentor
// shares; time-zone closeness; common free hours a week (a 168-slot UTC
// bitmap); the mentor's years with migraine; the free share of their
// capacity; and how long the mentee has waited. Each factor saturates (see
// Weights), and the sum is kept in whole points so totals compare exactly.
// Tenants tune Weights; Validate names every field out of range.
//
// Reasons say in plain words what the pair has in common ("both live with
// vestibular migraine", "has used a CGRP preventive", "free at the same
// times 6 hours a week", "1 hour apart", "speaks Spanish"), from label
// tables in reasons.go.
//
// # Suggest and fairness
//
// Suggest ranks one request's allowed mentors. So that the best-scoring
// mentors are not offered to everyone, the rank takes off points for
// offers a mentor already has waiting per free place, and a mentor with
// MaxPendingPerPlace or more waiting per place is not suggested at all
// until some are answered (see Suggest).
//
// # Batch
//
// AssignBatch gives each request at most one mentor within every
// mentor's free places, maximising first the number of mentees matched
// and then the total score. The result is exactly optimal over every
// allowed pair, not an approximation. It is a min-cost flow solved by
// successive shortest paths with potentials (flow.go), started on each
// request's best 30 mentors (60 when places are plentiful), each mentor's
// 30 best requests and the greedy baseline's pairs (batch.go). Then every
// allowed pair left out is priced against the flow's potentials; a pair
// that could improve the flow is added to it and the flow repaired with
// one shortest path per pair (repair.go), until the potentials prove that
// no pair can: every residual arc of the whole problem then has a
// non-negative reduced cost, which is the optimality condition of a
// min-cost flow. The tests hold it to a separate Hungarian-method solver
// on random instances up to 505 requests × 95 mentors, to exhaustive
// search on small ones, and to the flow over every pair at once on larger
// ones. AssignGreedy is the baseline: longest-waiting first, each taking
// its best remaining mentor.
//
// Speed (go test -tags nomsgpack -run '^$' -bench . ./internal/mentoring/match/,
// two shared cores; the benchmarks report CPU time per op, cpu-ms/op,
// beside the wall clock, which on a shared machine measures the
// neighbours too): 5,000 requests × 1,000 mentors take a few hundred
// milliseconds of CPU, the balanced 4,500 × 1,000 shape about twice that;
// one request's suggestions over 1,000 mentors about 0.3 ms. Most of the
// batch is the flow's last few hundred units (few places left, so each
// search crosses much of the graph) and scoring every pair; the repair
// reads each right node's arcs in sequence (repair.go). The 200 ms target
// for every benchmark is not met (see the issue 14 note).
package match
