package web

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/httpx"
	"quietroom/internal/library"
)

// libraryIndex is the library page's data: every topic, or search results.
type libraryIndex struct {
	Query    string
	Searched bool
	Results  []library.Result
	Topics   []library.TopicSection
	// Closest holds, when a search found nothing, the topics closest to
	// it: the page offers them and the community instead of nothing.
	Closest []library.TopicSection
	// Attack is the "during an attack" card the library opens on while
	// the member is in attack mode (nil otherwise).
	Attack *attackCard
}

// Library shows the library by topic, with a search box.
func (h *Handler) Library(c *gin.Context) {
	sections, err := h.library.Topics(c.Request.Context(), tenantOf(c).ID)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	v := newView(c, "Library", "library")
	data := libraryIndex{Topics: sections}
	if v.Principal != nil && v.Principal.User.AttackMode(h.accounts.Now()).On {
		set, err := h.moderation.CrisisSettings(c.Request.Context(), v.Principal)
		if err != nil {
			httpx.Error(c, err)
			return
		}
		data.Attack = &attackCard{EmergencyNumber: set.EmergencyNumber, CrisisLines: set.CrisisLines}
	}
	v.Data = data
	h.pages.render(c, http.StatusOK, "library", v)
}

// LibrarySearch shows ranked results for ?q=.
func (h *Handler) LibrarySearch(c *gin.Context) {
	q := strings.TrimSpace(c.Query("q"))
	results, err := h.library.Search(c.Request.Context(), tenantOf(c).ID, q, 20)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	title := "Search the library"
	if q != "" {
		title = "Search results for " + q
	}
	var closest []library.TopicSection
	if q != "" && len(results) == 0 {
		if closest, err = h.library.ClosestTopics(c.Request.Context(), tenantOf(c).ID, q); err != nil {
			httpx.Error(c, err)
			return
		}
	}
	v := newView(c, title, "library")
	v.Data = libraryIndex{Query: q, Searched: q != "", Results: results, Closest: closest}
	v.Values = map[string]string{"q": q}
	h.pages.render(c, http.StatusOK, "library", v)
}

// articlePage is an article page's data.
type articlePage struct {
	Article     library.Article
	Topic       library.Topic
	MedicalNote string
}

// LibraryArticle shows one article (or a community's link resource).
func (h *Handler) LibraryArticle(c *gin.Context) {
	a, err := h.library.Article(c.Request.Context(), tenantOf(c).ID, c.Param("slug"))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	topic, ok := library.TopicByKey(a.Topic)
	if !ok {
		topic = library.Topic{Key: a.Topic, Label: a.Topic}
	}
	// Articles link to each other as /library/{slug}; on a page that is the
	// community's library. The HTML is the sanitiser's output, so its
	// attributes are in one known form.
	a.HTML = template.HTML(strings.ReplaceAll(string(a.HTML), `href="/library/`, `href="`+base(c)+`/library/`))
	v := newView(c, a.Title, "library")
	v.Data = articlePage{Article: a, Topic: topic, MedicalNote: library.MedicalNote}
	h.pages.render(c, http.StatusOK, "article", v)
}

// resourcesPage is the admin page's data: the tenant's resources and the
// form (empty for a new one, filled when editing or after an error).
type resourcesPage struct {
	Resources []library.Resource
	Editing   string // slug of the resource being edited, "" for a new one
	Topics    []library.Topic
}

// admin returns the signed-in admin, or ends the request.
func (h *Handler) admin(c *gin.Context) *accounts.Principal {
	p := signedIn(c)
	if p != nil && !p.IsAdmin() {
		httpx.Error(c, apperr.Forbidden("only the community's admins manage its library resources"))
		return nil
	}
	return p
}

// ManageLibrary lists the community's own resources with a form to add one.
func (h *Handler) ManageLibrary(c *gin.Context) {
	p := h.admin(c)
	if p == nil {
		return
	}
	h.renderResources(c, p, http.StatusOK, "", nil, nil)
}

// EditResource shows the form filled with one resource.
func (h *Handler) EditResource(c *gin.Context) {
	p := h.admin(c)
	if p == nil {
		return
	}
	r, err := h.library.Resource(c.Request.Context(), p, c.Param("slug"))
	if err != nil {
		httpx.Error(c, err)
		return
	}
	h.renderResources(c, p, http.StatusOK, r.Slug, resourceValues(r), nil)
}

// SaveResource creates a resource, or updates the one named in the path.
func (h *Handler) SaveResource(c *gin.Context) {
	p := h.admin(c)
	if p == nil {
		return
	}
	form := func(k string) *string { v := c.PostForm(k); return &v }
	tags := strings.FieldsFunc(c.PostForm("tags"), func(r rune) bool { return r == ',' || r == ' ' })
	in := library.ResourceInput{
		Kind: form("kind"), Slug: form("slug"), Title: form("title"), Summary: form("summary"),
		Body: form("body"), URL: form("url"), Topic: form("topic"), Tags: &tags,
	}
	ctx, editing := c.Request.Context(), c.Param("slug")
	var r library.Resource
	var err error
	if editing == "" {
		r, err = h.library.CreateResource(ctx, p, in)
	} else {
		r, err = h.library.UpdateResource(ctx, p, editing, in)
	}
	if err != nil {
		values := map[string]string{}
		for _, k := range []string{"kind", "slug", "title", "summary", "body", "url", "topic", "tags"} {
			values[k] = c.PostForm(k)
		}
		v := newView(c, "", "")
		if !h.formFailed(c, err, &v, nil) {
			return
		}
		h.renderResources(c, p, statusOf(err), editing, values, v.Errors)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/library/"+r.Slug+"?notice=resource-saved")
}

// DeleteResource removes a resource.
func (h *Handler) DeleteResource(c *gin.Context) {
	p := h.admin(c)
	if p == nil {
		return
	}
	if err := h.library.DeleteResource(c.Request.Context(), p, c.Param("slug")); err != nil {
		httpx.Error(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, base(c)+"/library/manage?notice=resource-deleted")
}

func (h *Handler) renderResources(c *gin.Context, p *accounts.Principal, status int, editing string, values, errs map[string]string) {
	rs, err := h.library.Resources(c.Request.Context(), p)
	if err != nil {
		httpx.Error(c, err)
		return
	}
	v := newView(c, "Community resources", "library")
	if values == nil {
		values = map[string]string{"kind": library.KindLink, "topic": "local"}
	}
	v.Values, v.Errors = values, errs
	v.Data = resourcesPage{Resources: rs, Editing: editing, Topics: library.Topics()}
	h.pages.render(c, status, "resources", v)
}

func resourceValues(r library.Resource) map[string]string {
	return map[string]string{
		"kind": r.Kind, "slug": r.Slug, "title": r.Title, "summary": r.Summary, "body": r.Body,
		"url": r.URL, "topic": r.Topic, "tags": strings.Join(r.Tags(), ", "),
	}
}
