package main

import (
	"context"
	"fmt"
	"strings"

	"quietroom/internal/accounts"
	"quietroom/internal/groups"
	"quietroom/internal/mentoring"
	"quietroom/internal/realtime/conversation"
)

// The demo community's example content (issue 16): a few members, a short
// calm conversation in two groups with library links, and one approved
// mentor. Every example member's name ends in "(demo)", nobody can sign in
// as them, and the two groups say so in their descriptions. It is made once,
// with the demo tenant, and only there.

// demoNote ends the description of each group with example content.
const demoNote = "\n\nThis is a demo community: the members marked (demo) and their messages are examples, not real people."

type demoMember struct{ handle, name string }

var demoMembers = []demoMember{
	{"host", "Quietroom host (demo)"}, {"ada", "Ada (demo)"}, {"ravi", "Ravi (demo)"}, {"sol", "Sol (demo)"}, {"mira", "Mira (demo)"},
}

// demoLine is one message of a seeded conversation: who says what.
type demoLine struct{ who, text string }

var demoConversations = []struct {
	group string
	lines []demoLine
}{
	{"vestibular", []demoLine{
		{"ada", "Hello all. The floor tilted twice this week, with hardly any headache. Is that usual for vestibular migraine?"},
		{"ravi", "Welcome, Ada. For me the dizziness often comes without much pain too. Keeping a short diary of when it happens helped me talk it through with my neurologist."},
		{"sol", "Same here. Sitting down in a dim room and looking at one still point gets me through the worst of a spell."},
		{"ravi", "The library has a calm page on it, worth a read when your eyes allow: /t/demo/library/vestibular-migraine"},
		{"ada", "Thank you both. It helps to know I'm not the only one."},
	}},
	{"chronic", []demoLine{
		{"mira", "Fifteen headache days last month. Some days I just want to talk to people who get it."},
		{"sol", "We get it, Mira. Pacing my week and planning rest before a busy day has helped me more than I expected."},
		{"mira", "I always mean to jot things down before my next appointment, then it slips my mind."},
		{"ravi", "The library's page on preparing for an appointment has a short list to bring: /t/demo/library/preparing-for-an-appointment"},
		{"mira", "Saved it. Thank you, that is exactly what I needed today."},
	}},
}

// seedDemo fills a new demo community with the example content.
func (a *app) seedDemo(ctx context.Context, t *accounts.Tenant) error {
	people := map[string]*accounts.Principal{}
	for _, m := range demoMembers {
		roles := accounts.Roles{accounts.RoleMember}
		if m.handle == "host" {
			// The host edits the groups and reviews the demo mentor.
			roles = accounts.Roles{accounts.RoleMember, accounts.RoleModerator, accounts.RoleAdmin}
		}
		p, err := a.accounts.CreateDemoMember(ctx, t, m.handle, m.name, roles)
		if err != nil {
			return err
		}
		people[m.handle] = p
	}
	host := people["host"]
	for _, conv := range demoConversations {
		g, err := a.groups.Get(ctx, host, conv.group)
		if err != nil {
			return fmt.Errorf("demo group %s: %w", conv.group, err)
		}
		desc := strings.TrimSpace(g.Description) + demoNote
		if _, err := a.groups.Update(ctx, host, conv.group, groups.Patch{Description: &desc}); err != nil {
			return fmt.Errorf("mark demo group %s: %w", conv.group, err)
		}
		joined := map[string]bool{}
		for i, line := range conv.lines {
			p := people[line.who]
			if !joined[line.who] {
				if _, err := a.groups.Join(ctx, p, conv.group, false); err != nil {
					return fmt.Errorf("demo member %s joins %s: %w", line.who, conv.group, err)
				}
				joined[line.who] = true
			}
			c, err := a.realtime.Send(ctx, p, conversation.Address{Kind: conversation.Group, Key: conv.group}, nil, fmt.Sprintf("demo-%s-%d", conv.group, i), line.text)
			if err != nil {
				return fmt.Errorf("demo message %d in %s: %w", i, conv.group, err)
			}
			if c.Held {
				return fmt.Errorf("demo message %d in %s was held for a moderator: reword it", i, conv.group)
			}
		}
	}
	// Ravi is the approved mentor.
	week := []byte(strings.Repeat("0", 168))
	for day := range 7 {
		for hour := 17; hour < 20; hour++ { // early evenings, UTC
			week[day*24+hour] = '1'
		}
	}
	_, err := a.mentoring.Apply(ctx, people["ravi"], mentoring.Application{
		Types: []string{"vestibular", "chronic"}, Treatments: []string{"rescue-plan"}, Topics: []string{"new-diagnosis", "work"},
		Languages: []string{"en"}, Years: 9, Availability: string(week), Capacity: 2,
		About: "An example mentor of the demo community: nine years of vestibular migraine, happy to talk about work and first appointments.",
	})
	if err != nil {
		return fmt.Errorf("demo mentor application: %w", err)
	}
	if _, err := a.mentoring.ReviewApplication(ctx, host, people["ravi"].User.ID,
		mentoring.Review{Decision: "approve", TrainingCompleted: true}); err != nil {
		return fmt.Errorf("approve the demo mentor: %w", err)
	}
	return nil
}
