package realtime

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"quietroom/internal/accounts"
	"quietroom/internal/realtime/conversation"
	"quietroom/internal/store"
	"quietroom/internal/store/storetest"
)

// BenchmarkAppendPostgres measures the append path alone: how many
// messages a second one PostgreSQL commits for one hub, with one commit per
// message and with group commit, from 32 concurrent senders (a hub's
// connections) into 200 conversations. Besides msgs/s it reports the CPU
// the PostgreSQL backends serving the store spent per message (read from
// /proc, so only where PostgreSQL runs on this machine; WAL writer and
// checkpointer not included), and messages per commit.
//
//	eval "$(scripts/test-services.sh)"
//	go test -run '^$' -bench AppendPostgres -benchtime 3s ./internal/realtime/
func BenchmarkAppendPostgres(b *testing.B) {
	for _, mode := range []struct {
		name string
		cfg  GroupCommitConfig
	}{
		{"commit-per-message", GroupCommitConfig{MaxBatch: 1}},
		{"group-commit", DefaultGroupCommitConfig()},
	} {
		b.Run(mode.name, func(b *testing.B) {
			db := storetest.OpenPostgres(b, append(accounts.Migrations(), Migrations()...))
			tenantID := newAppendTenant(b, db)
			m := NewMetrics(nil)
			st := NewStore(db, time.Now, WithGroupCommit(mode.cfg), WithMetrics(m))
			ctx := context.Background()
			convs := make([]string, 200)
			for i := range convs {
				convs[i] = store.NewID()
				if err := ensureConversation(db.DB, tenantID, convs[i], "group", time.Now()); err != nil {
					b.Fatal(err)
				}
			}
			var sender atomic.Int64
			appendAll := func(pb *testing.PB) {
				id := sender.Add(1)
				for i := 0; pb.Next(); i++ {
					_, err := st.AppendMessage(ctx, NewMessage{TenantID: tenantID, ConversationID: convs[(int(id)*7+i)%len(convs)],
						Kind: "group", Address: conversation.Address{Kind: conversation.Group, Key: "bench"}, AuthorID: fmt.Sprintf("sender-%d", id), AuthorName: "Sender",
						ClientID: fmt.Sprintf("%d-%d-%d", b.N, id, i), Text: "a message of about the length people write in a group chat"})
					if err != nil {
						b.Error(err)
						return
					}
				}
			}
			b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0))) // 32 senders
			pids := backendPIDs(b, db)
			cpu0 := cpuTicks(pids)
			commits0 := counterValue(m.commits)
			start := time.Now()
			b.ResetTimer()
			b.RunParallel(appendAll)
			b.StopTimer()
			elapsed := time.Since(start)
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
			if commits := counterValue(m.commits) - commits0; commits > 0 {
				b.ReportMetric(float64(b.N)/commits, "msgs/commit")
			}
			if cpu0 >= 0 {
				// The pool keeps its connections (max idle = max open), so
				// the backends read before the run are the ones that ran it.
				ticks := cpuTicks(pids) - cpu0
				b.ReportMetric(float64(ticks)*1e6/clockTicks/float64(b.N), "pg-cpu-µs/msg")
			}
		})
	}
}

// backendPIDs opens the pool's connections and returns their PostgreSQL
// backend process ids.
func backendPIDs(b *testing.B, db *store.DB) []int {
	pool, err := db.DB.DB()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	// Hold every connection the pool allows at once, so each is opened.
	n := pool.Stats().MaxOpenConnections
	var pids []int
	conns := make([]func() error, 0, n)
	for range n {
		c, err := pool.Conn(ctx)
		if err != nil {
			b.Fatal(err)
		}
		var pid int
		if err := c.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
			b.Fatal(err)
		}
		pids = append(pids, pid)
		conns = append(conns, c.Close)
	}
	for _, closeConn := range conns {
		closeConn()
	}
	return pids
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's CPU times on Linux.
const clockTicks = 100

// cpuTicks sums utime+stime of pids; -1 if /proc cannot tell (PostgreSQL
// on another machine, or no /proc).
func cpuTicks(pids []int) int64 {
	var sum int64
	for _, pid := range pids {
		raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return -1
		}
		// Fields after the command name, which is in parentheses.
		fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
		utime, _ := strconv.ParseInt(fields[11], 10, 64)
		stime, _ := strconv.ParseInt(fields[12], 10, 64)
		sum += utime + stime
	}
	return sum
}

func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return 0
	}
	return m.GetCounter().GetValue()
}
