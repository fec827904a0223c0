package library

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
)

// Handler serves the library API.
type Handler struct{ svc *Service }

func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// ArticleSummary is an article in a listing.
type ArticleSummary struct {
	Slug    string   `json:"slug"`
	Title   string   `json:"title"`
	Summary string   `json:"summary"`
	Topic   string   `json:"topic"`
	Tags    []string `json:"tags"`
	Builtin bool     `json:"builtin"`
	Link    string   `json:"link,omitempty"`
}

// ArticleView is a whole article; HTML is sanitised and safe to insert.
type ArticleView struct {
	ArticleSummary
	Questions    []string     `json:"questions"`
	Sources      []SourceView `json:"sources"`
	LastReviewed time.Time    `json:"last_reviewed"`
	HTML         string       `json:"html"`
	MedicalNote  string       `json:"medical_note"`
}

type SourceView struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

func summarise(a Article) ArticleSummary {
	tags := a.Tags
	if tags == nil {
		tags = []string{}
	}
	return ArticleSummary{a.Slug, a.Title, a.Summary, a.Topic, tags, a.Builtin, a.Link}
}

func summaries(as []Article) []ArticleSummary {
	out := make([]ArticleSummary, len(as))
	for i, a := range as {
		out[i] = summarise(a)
	}
	return out
}

func tenantID(c *gin.Context) string { return accounts.TenantFrom(c.Request.Context()).ID }

// Index lists the library by topic.
func (h *Handler) Index(c *gin.Context) {
	sections, err := h.svc.Topics(c.Request.Context(), tenantID(c))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"topics": topicViews(sections)})
}

// Search ranks articles for ?q=, at most ?limit= (1–50, default 10).
func (h *Handler) Search(c *gin.Context) {
	limit := 10
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			httpx.Error(c, apperr.InvalidField("limit", "must be a whole number from 1 to 50"))
			return
		}
		limit = n
	}
	results, err := h.svc.Search(c.Request.Context(), tenantID(c), c.Query("q"), limit)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	type result struct {
		Slug    string  `json:"slug"`
		Title   string  `json:"title"`
		Summary string  `json:"summary"`
		Topic   string  `json:"topic"`
		Builtin bool    `json:"builtin"`
		Snippet string  `json:"snippet"`
		Score   float64 `json:"score"`
	}
	out := make([]result, len(results))
	for i, r := range results {
		out[i] = result{r.Slug, r.Title, r.Summary, r.Topic, r.Builtin, r.Snippet, r.Score}
	}
	body := gin.H{"query": c.Query("q"), "results": out}
	if len(results) == 0 && strings.TrimSpace(c.Query("q")) != "" {
		// Nothing found: somewhere to go next instead of an empty answer.
		sections, err := h.svc.ClosestTopics(c.Request.Context(), tenantID(c), c.Query("q"))
		if err != nil {
			httpx.Error(c, err)
			return
		}
		body["closest_topics"] = topicViews(sections)
		body["ask_community"] = "/t/" + accounts.TenantFrom(c.Request.Context()).Slug + "/groups"
	}
	c.JSON(http.StatusOK, body)
}

// topicView is one topic of the library with articles.
type topicView struct {
	Key      string           `json:"key"`
	Label    string           `json:"label"`
	Articles []ArticleSummary `json:"articles"`
}

func topicViews(sections []TopicSection) []topicView {
	out := make([]topicView, len(sections))
	for i, s := range sections {
		out[i] = topicView{s.Topic.Key, s.Topic.Label, summaries(s.Articles)}
	}
	return out
}

// Article returns one article by slug, with its sanitised HTML.
func (h *Handler) Article(c *gin.Context) {
	a, err := h.svc.Article(c.Request.Context(), tenantID(c), c.Param("slug"))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	sources := make([]SourceView, len(a.Sources))
	for i, s := range a.Sources {
		sources[i] = SourceView(s)
	}
	questions := a.Questions
	if questions == nil {
		questions = []string{}
	}
	c.JSON(http.StatusOK, ArticleView{summarise(a), questions, sources, a.LastReviewed, string(a.HTML), MedicalNote})
}

// Tagged lists the articles with a tag, such as a group's diagnosis.
func (h *Handler) Tagged(c *gin.Context) {
	as, err := h.svc.ByTag(c.Request.Context(), tenantID(c), c.Param("tag"))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tag": c.Param("tag"), "articles": summaries(as)})
}

func principal(c *gin.Context) *accounts.Principal {
	return accounts.PrincipalFrom(c.Request.Context())
}

// ListResources lists the tenant's own resources (admins).
func (h *Handler) ListResources(c *gin.Context) {
	rs, err := h.svc.Resources(c.Request.Context(), principal(c))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	out := make([]resourceView, len(rs))
	for i, r := range rs {
		out[i] = viewResource(r)
	}
	c.JSON(http.StatusOK, gin.H{"resources": out})
}

type resourceView struct {
	Resource
	Tags []string `json:"tags"`
}

func viewResource(r Resource) resourceView {
	tags := r.Tags()
	if tags == nil {
		tags = []string{}
	}
	return resourceView{r, tags}
}

func (h *Handler) CreateResource(c *gin.Context) {
	var in ResourceInput
	if !httpx.Decode(c, &in) {
		return
	}
	r, err := h.svc.CreateResource(c.Request.Context(), principal(c), in)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusCreated, viewResource(r))
}

func (h *Handler) UpdateResource(c *gin.Context) {
	var in ResourceInput
	if !httpx.Decode(c, &in) {
		return
	}
	r, err := h.svc.UpdateResource(c.Request.Context(), principal(c), c.Param("slug"), in)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, viewResource(r))
}

func (h *Handler) DeleteResource(c *gin.Context) {
	if err := h.svc.DeleteResource(c.Request.Context(), principal(c), c.Param("slug")); err != nil {
		httpx.Error(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
