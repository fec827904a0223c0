package accounts

import (
	"context"
	"fmt"
)

// CreateDemoMember adds an example member to a demo community: the name is
// marked "(demo)" by the caller, the address is under demo.invalid, and
// the password is random and never kept, so nobody can sign in as them.
// The Principal it returns acts for the seed (it has no session).
func (s *Service) CreateDemoMember(ctx context.Context, t *Tenant, handle, display string, roles Roles) (*Principal, error) {
	display, msg := checkDisplayName(display)
	if msg != "" {
		return nil, fmt.Errorf("demo member %q: display name %s", handle, msg)
	}
	u, err := s.newUser(ctx, *t, handle+"@"+t.Slug+".demo.invalid", GeneratePassword()+GeneratePassword(), display, Adult, roles)
	if err != nil {
		return nil, err
	}
	if err := insertUser(s.db.WithContext(ctx), u); err != nil {
		return nil, fmt.Errorf("create demo member %s: %w", handle, err)
	}
	return &Principal{Tenant: *t, User: *u}, nil
}
