package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"quietroom/internal/realtime"
)

// Issue 14, item 2: in any group a teen can read, a message with contact
// details or a proposal to meet waits for a moderator, whoever writes it.
func TestContactDetailsAreHeldWhereTeensRead(t *testing.T) {
	qaEachDialect(t, func(t *testing.T, h *testHub) {
		admin := h.createTenant("guard")
		adult := h.signUp("guard", "Grownup", "adult")
		teen := h.signUp("guard", "Teen19", "teen")
		reader := h.signUp("guard", "Reader", "adult")
		for _, slug := range []string{"chronic", "vestibular"} {
			adult.api("POST", "/groups/"+slug+"/join", nil).must(t, http.StatusOK)
			reader.api("POST", "/groups/"+slug+"/join", nil).must(t, http.StatusOK)
		}
		adult.api("POST", "/groups/abdominal/join", nil).must(t, http.StatusOK)
		reader.api("POST", "/groups/abdominal/join", nil).must(t, http.StatusOK)
		// The teen reads chronic, as a lurker: lurkers read too.
		teen.api("POST", "/groups/chronic/join", map[string]any{"lurking": true}).must(t, http.StatusOK)

		contact := "@Teen19 text me on 555-123-4567 or jane.doe@gmail.com"
		meet := "we could meet up at the park after school on Friday"
		ws := adult.dialOrFail(t, h)
		for _, g := range []string{"chronic", "vestibular", "abdominal"} {
			ws.subscribe(g, nil)
		}
		rws := reader.dialOrFail(t, h)
		for _, g := range []string{"chronic", "vestibular", "abdominal"} {
			rws.subscribe(g, nil)
		}

		// All-ages group with a teen reader: held, whoever writes.
		for i, text := range []string{contact, meet, "my insta is wren.draws", "j a n e @ g m a i l . c o m"} {
			ack := ws.say("chronic", "held-"+itoaSmall(i), text)
			if !ack.Held || ack.Seq != 0 {
				t.Errorf("%q in an all-ages group with a teen: ack %+v, want held", text, ack)
				continue
			}
			it := queueItem(t, admin, ack.ID)
			if !strings.Contains(fmt.Sprint(it["reasons"]), "contact-details") {
				t.Errorf("queue item for %q: %v, want category contact-details", text, it)
			}
		}
		// Admins are held too: "whoever writes it".
		admin.api("POST", "/groups/chronic/join", nil).must(t, http.StatusOK)
		aws := admin.dialOrFail(t, h)
		aws.subscribe("chronic", nil)
		if ack := aws.say("chronic", "admin-contact", "email me at admin.person@gmail.com"); !ack.Held {
			t.Errorf("an admin's contact details in a teen-readable group were delivered: %+v", ack)
		}
		rws.quiet(func(ev wsEvent) bool { return ev.Type == realtime.TypeMessage && ev.Group == "chronic" }, 500*time.Millisecond)

		// All-ages group without a teen, and an adults-only group: delivered.
		for _, g := range []string{"vestibular", "abdominal"} {
			ack := ws.say(g, "free-"+g, contact)
			if ack.Held || ack.Seq == 0 {
				t.Errorf("contact details in %s (no teen can read) were held: %+v", g, ack)
			}
		}
		// Benign messages in the teen-readable group are delivered.
		for i, text := range []string{"I took 400 mg of ibuprofen at 3pm", "my appointment is on 12/03/2025 at 10:30", "I was at the GP at 8"} {
			if ack := ws.say("chronic", "benign-"+itoaSmall(i), text); ack.Held {
				t.Errorf("benign %q was held", text)
			}
		}
	})
}

func (c *client) dialOrFail(t *testing.T, h *testHub) *wsClient {
	t.Helper()
	ws, err := c.dialWS(h)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}
