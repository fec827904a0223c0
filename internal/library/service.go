package library

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/store"
)

// Service is the library as one community sees it: the built-in articles
// plus the tenant's own resources, searchable together.
type Service struct {
	db      *store.DB
	builtin *Index
	now     func() time.Time

	// views caches each tenant's index view, keyed by a fingerprint of its
	// resources so that an edit on any hub instance is seen on the next
	// read here (building a view costs milliseconds; checking it, one query).
	mu    sync.Mutex
	views map[string]tenantView
}

type tenantView struct {
	fingerprint string
	index       *Index
}

// maxCachedViews bounds the cache; past it, the cache starts again.
const maxCachedViews = 1024

// NewService loads and indexes the built-in articles.
func NewService(db *store.DB, now func() time.Time) (*Service, error) {
	articles, err := LoadBuiltin()
	if err != nil {
		return nil, fmt.Errorf("load built-in articles: %w", err)
	}
	return &Service{db: db, builtin: NewIndex(articles), now: now, views: map[string]tenantView{}}, nil
}

// view returns the tenant's index: built-in articles plus its resources.
func (s *Service) view(ctx context.Context, tenantID string) (*Index, error) {
	var stamps []struct {
		ID        string
		UpdatedAt time.Time
	}
	err := s.db.WithContext(ctx).Model(&Resource{}).Select("id, updated_at").
		Where("tenant_id = ?", tenantID).Order("id").Find(&stamps).Error
	if err != nil {
		return nil, fmt.Errorf("library resources of tenant: %w", err)
	}
	if len(stamps) == 0 {
		return s.builtin, nil
	}
	fp := make([]byte, 0, len(stamps)*48)
	for _, st := range stamps {
		fp = fmt.Appendf(fp, "%s@%d;", st.ID, st.UpdatedAt.UnixNano())
	}
	s.mu.Lock()
	cached, ok := s.views[tenantID]
	s.mu.Unlock()
	if ok && cached.fingerprint == string(fp) {
		return cached.index, nil
	}

	var rs []Resource
	if err := s.db.WithContext(ctx).Where("tenant_id = ?", tenantID).Order("slug").Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("load library resources: %w", err)
	}
	articles := make([]Article, 0, len(rs))
	for _, r := range rs {
		a, err := r.article()
		if err != nil {
			return nil, fmt.Errorf("render resource %s: %w", r.Slug, err)
		}
		articles = append(articles, a)
	}
	ix := s.builtin.With(articles)
	s.mu.Lock()
	if len(s.views) >= maxCachedViews {
		clear(s.views)
	}
	s.views[tenantID] = tenantView{fingerprint: string(fp), index: ix}
	s.mu.Unlock()
	return ix, nil
}

// Search ranks the community's library for query.
func (s *Service) Search(ctx context.Context, tenantID, query string, limit int) ([]Result, error) {
	ix, err := s.view(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	return ix.Search(query, limit), nil
}

// Closest topics offered when a search finds nothing.
const (
	closestTopicCount = 3
	closestPerTopic   = 3
)

// ClosestTopics offers, for a query that found nothing, the topics
// closest to it, each with a few articles (see Index.ClosestTopics).
func (s *Service) ClosestTopics(ctx context.Context, tenantID, query string) ([]TopicSection, error) {
	ix, err := s.view(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	return ix.ClosestTopics(query, closestTopicCount, closestPerTopic), nil
}

// Article returns one article or resource by slug.
func (s *Service) Article(ctx context.Context, tenantID, slug string) (Article, error) {
	ix, err := s.view(ctx, tenantID)
	if err != nil {
		return Article{}, err
	}
	a, ok := ix.BySlug(slug)
	if !ok {
		return Article{}, apperr.NotFound("there is no library article %q", slug)
	}
	return a, nil
}

// ByTag lists the articles with tag, such as a group's diagnosis.
func (s *Service) ByTag(ctx context.Context, tenantID, tag string) ([]Article, error) {
	ix, err := s.view(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	return ix.ByTag(tag), nil
}

// Topics lists the whole library by topic.
func (s *Service) Topics(ctx context.Context, tenantID string) ([]TopicSection, error) {
	ix, err := s.view(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	return ix.ByTopic(), nil
}

func requireAdmin(p *accounts.Principal) error {
	if !p.IsAdmin() {
		return apperr.Forbidden("only the community's admins manage its library resources")
	}
	return nil
}

func (s *Service) isBuiltin(slug string) bool {
	a, ok := s.builtin.BySlug(slug)
	return ok && a.Builtin
}

// Resources lists the tenant's own resources for its admins.
func (s *Service) Resources(ctx context.Context, p *accounts.Principal) ([]Resource, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	var rs []Resource
	if err := s.db.WithContext(ctx).Where("tenant_id = ?", p.Tenant.ID).Order("topic, title").Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("list library resources: %w", err)
	}
	return rs, nil
}

// Resource returns one of the tenant's resources for editing.
func (s *Service) Resource(ctx context.Context, p *accounts.Principal, slug string) (Resource, error) {
	if err := requireAdmin(p); err != nil {
		return Resource{}, err
	}
	var r Resource
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND slug = ?", p.Tenant.ID, slug).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Resource{}, apperr.NotFound("there is no library resource %q", slug)
	}
	if err != nil {
		return Resource{}, fmt.Errorf("library resource %s: %w", slug, err)
	}
	return r, nil
}

// CreateResource adds an article or link to the tenant's library.
func (s *Service) CreateResource(ctx context.Context, p *accounts.Principal, in ResourceInput) (Resource, error) {
	if err := requireAdmin(p); err != nil {
		return Resource{}, err
	}
	now := s.now()
	r, err := in.apply(Resource{ID: store.NewID(), TenantID: p.Tenant.ID, CreatedBy: p.User.ID, CreatedAt: now, UpdatedAt: now}, s.isBuiltin)
	if err != nil {
		return Resource{}, err
	}
	if _, err := r.article(); err != nil {
		return Resource{}, apperr.InvalidField("body", "could not be rendered: "+err.Error())
	}
	err = s.db.WithContext(ctx).Create(&r).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return Resource{}, apperr.InvalidField("slug", "is already used by another resource here")
	}
	if err != nil {
		return Resource{}, fmt.Errorf("create library resource %s: %w", r.Slug, err)
	}
	return r, nil
}

// UpdateResource changes a resource; fields left out stay as they were.
func (s *Service) UpdateResource(ctx context.Context, p *accounts.Principal, slug string, in ResourceInput) (Resource, error) {
	cur, err := s.Resource(ctx, p, slug)
	if err != nil {
		return Resource{}, err
	}
	r, err := in.apply(cur, s.isBuiltin)
	if err != nil {
		return Resource{}, err
	}
	if _, err := r.article(); err != nil {
		return Resource{}, apperr.InvalidField("body", "could not be rendered: "+err.Error())
	}
	// The fingerprint of cached views needs a new stamp even within one clock tick.
	r.UpdatedAt = s.now()
	if !r.UpdatedAt.After(cur.UpdatedAt) {
		r.UpdatedAt = cur.UpdatedAt.Add(time.Microsecond)
	}
	err = s.db.WithContext(ctx).Model(&Resource{}).Where("tenant_id = ? AND id = ?", p.Tenant.ID, cur.ID).
		Select("kind", "slug", "title", "summary", "body", "url", "topic", "tags", "updated_at").Updates(&r).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return Resource{}, apperr.InvalidField("slug", "is already used by another resource here")
	}
	if err != nil {
		return Resource{}, fmt.Errorf("update library resource %s: %w", slug, err)
	}
	return r, nil
}

// DeleteResource removes a resource from the tenant's library.
func (s *Service) DeleteResource(ctx context.Context, p *accounts.Principal, slug string) error {
	if err := requireAdmin(p); err != nil {
		return err
	}
	res := s.db.WithContext(ctx).Where("tenant_id = ? AND slug = ?", p.Tenant.ID, slug).Delete(&Resource{})
	if res.Error != nil {
		return fmt.Errorf("delete library resource %s: %w", slug, res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.NotFound("there is no library resource %q", slug)
	}
	return nil
}
