package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"quietroom/internal/accounts"
	"quietroom/internal/apperr"
	"quietroom/internal/groups"
	"quietroom/internal/httpx"
	"quietroom/internal/library"
	"quietroom/internal/mentoring"
	"quietroom/internal/moderation"
	"quietroom/internal/realtime"
)

// routes mounts every endpoint of the hub: the whole API is readable here.
func (a *app) routes() (http.Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	if err := r.SetTrustedProxies(a.cfg.TrustedProxies); err != nil {
		return nil, err
	}
	metrics := httpx.NewMetrics(a.registry)
	r.Use(httpx.Logger(a.log), httpx.Recover(a.log), metrics.Observe(), httpx.SecurityHeaders(), httpx.CleanInput())
	r.NoRoute(httpx.NotFound)
	r.NoMethod(httpx.MethodNotAllowed)

	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "alive", "instance": a.cfg.InstanceID}) })
	r.GET("/readyz", func(c *gin.Context) {
		if err := a.ready(c.Request.Context()); err != nil {
			httpx.Error(c, apperr.New(apperr.CodeUnavailable, "not ready: %v", err))
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready", "store": a.db.Dialect, "broker": a.broker.Name()})
	})
	r.GET("/metrics", gin.WrapH(promhttp.HandlerFor(a.registry, promhttp.HandlerOpts{})))

	acct := accounts.NewHandler(a.accounts, a.cfg.OperatorToken)
	grp := groups.NewHandler(a.groups)
	rt := realtime.NewHandler(a.realtime, a.accounts, a.connCfg)
	lib := library.NewHandler(a.library)
	mod := moderation.NewHandler(a.moderation)
	ment := mentoring.NewHandler(a.mentoring)

	api := r.Group("/api/v1")
	op := api.Group("/operator", acct.RequireOperator())
	op.GET("/tenants", acct.ListTenants)
	op.POST("/tenants", acct.CreateTenant)

	t := api.Group("/t/:tenant", acct.Tenant(), acct.Authenticate(), accounts.CSRF())
	t.GET("", acct.GetTenant)
	t.POST("/auth/signup", acct.SignUp)
	t.POST("/auth/signin", acct.SignIn)
	t.POST("/auth/password-reset", acct.RequestPasswordReset)
	t.POST("/auth/password-reset/confirm", acct.ConfirmPasswordReset)
	t.POST("/auth/confirm-email", acct.ConfirmEmail)
	t.GET("/ws", rt.WebSocket) // authenticates itself: cookie, bearer or ?token=
	// The library is readable before signing up: crisis lines and the
	// emergency page must never sit behind an account.
	t.GET("/library", lib.Index)
	t.GET("/library/search", lib.Search)
	t.GET("/library/articles/:slug", lib.Article)
	t.GET("/library/tags/:tag", lib.Tagged)

	m := t.Group("", accounts.RequireUser())
	m.POST("/auth/signout", acct.SignOut)
	m.POST("/auth/signout-everywhere", acct.SignOutEverywhere)
	m.POST("/auth/connect-token", acct.ConnectToken)
	m.GET("/me", acct.Me)
	m.PATCH("/me", acct.UpdateMe)
	m.PUT("/me/attack-mode", acct.SetAttackMode)
	m.DELETE("/me", acct.DeleteMe)
	m.POST("/me/password", acct.ChangePassword)
	m.GET("/me/sessions", acct.ListDevices)
	m.DELETE("/me/sessions/:session", acct.EndDevice)
	m.POST("/me/confirm-email", acct.ResendConfirmation)
	m.GET("/me/export", acct.Export)
	m.PATCH("/settings", acct.UpdateTenant)
	m.GET("/users", acct.ListUsers)
	m.GET("/users/:user", acct.GetUser)
	m.PUT("/users/:user/roles", acct.SetRoles)
	m.POST("/users/:user/password-reset", acct.SendResetLink)

	m.GET("/groups", grp.List)
	m.POST("/groups", grp.Create)
	m.GET("/groups/:group", grp.Get)
	m.PATCH("/groups/:group", grp.Update)
	m.POST("/groups/:group/join", grp.Join)
	m.POST("/groups/:group/leave", grp.Leave)
	m.PATCH("/groups/:group/membership", grp.UpdateMembership)
	m.GET("/groups/:group/members", grp.Members)
	m.GET("/groups/:group/messages", rt.History)
	m.PATCH("/groups/:group/messages/:message", rt.EditMessage)
	m.DELETE("/groups/:group/messages/:message", rt.DeleteMessage)
	m.GET("/groups/:group/messages/:message/edits", rt.MessageEdits)
	m.POST("/groups/:group/invites", grp.Invite)
	m.PUT("/groups/:group/moderators/:user", grp.AssignModerator)
	m.DELETE("/groups/:group/moderators/:user", grp.RemoveModerator)
	m.POST("/groups/:group/messages/:message/flags", mod.FlagMessage)
	m.GET("/me/flags", mod.MyFlags)
	m.GET("/moderation/queue", mod.Queue)
	m.GET("/moderation/items/:item", mod.Case)
	m.POST("/moderation/items/:item/claim", mod.Claim)
	m.POST("/moderation/items/:item/release", mod.Release)
	m.POST("/moderation/items/:item/actions", mod.Act)
	m.POST("/moderation/items/:item/author-actions", mod.AuthorAction)
	m.POST("/moderation/items/:item/undo", mod.Undo)
	m.POST("/moderation/items/:item/correction", mod.Correct)
	m.POST("/groups/:group/messages/:message/appeal", mod.Appeal)
	// Any conversation by its address (group:{slug}, mentorship:{id}); the
	// /groups/{slug}/messages routes above are the older spelling.
	m.GET("/conversations/:conversation/messages", rt.History)
	m.GET("/conversations/:conversation/held", rt.MyHeld)
	m.PATCH("/conversations/:conversation/messages/:message", rt.EditMessage)
	m.DELETE("/conversations/:conversation/messages/:message", rt.DeleteMessage)
	m.GET("/conversations/:conversation/messages/:message/edits", rt.MessageEdits)
	m.POST("/conversations/:conversation/messages/:message/flags", mod.FlagMessage)
	m.POST("/conversations/:conversation/messages/:message/appeal", mod.Appeal)
	m.GET("/moderation/stats", mod.Stats)
	m.POST("/moderation/screening/test", mod.TestText)
	m.GET("/moderation/screening/thresholds", mod.Thresholds)
	m.PUT("/moderation/screening/thresholds/:category", mod.SetThresholds)
	m.DELETE("/moderation/screening/thresholds/:category", mod.ResetThresholds)
	m.GET("/moderation/rules", mod.Rules)
	m.POST("/moderation/rules", mod.AddRule)
	m.PATCH("/moderation/rules/:rule", mod.SwitchRule)
	m.DELETE("/moderation/rules/:rule", mod.DeleteRule)
	m.GET("/moderation/settings", mod.CrisisSettings)
	m.PUT("/moderation/settings", mod.SaveCrisisSettings)
	m.GET("/moderation/audit", mod.Audit)
	m.GET("/moderation/restrictions", mod.Restrictions)
	m.POST("/moderation/restrictions/:restriction/lift", mod.LiftRestriction)
	m.GET("/mentoring/choices", ment.Vocabulary)
	m.GET("/mentoring/mentor", ment.MyProfile)
	m.PUT("/mentoring/mentor", ment.Apply)
	m.PUT("/mentoring/mentor/paused", ment.Pause)
	m.GET("/mentoring/applications", ment.Applications)
	m.POST("/mentoring/applications/:user/review", ment.ReviewApplication)
	m.GET("/mentoring/requests", ment.MyRequests)
	m.POST("/mentoring/requests", ment.Ask)
	m.DELETE("/mentoring/requests/:request", ment.Cancel)
	m.GET("/mentoring/requests/:request/suggestions", ment.Suggestions)
	m.POST("/mentoring/match-all", ment.MatchAll)
	m.GET("/mentoring/settings", ment.Settings)
	m.PUT("/mentoring/settings", ment.SaveSettings)
	m.GET("/mentoring/offers", ment.MyOffers)
	m.POST("/mentoring/offers/:offer/accept", ment.Accept)
	m.POST("/mentoring/offers/:offer/decline", ment.Decline)
	m.GET("/mentoring/mentorships", ment.MyMentorships)
	m.POST("/mentoring/mentorships/:mentorship/end", ment.End)
	m.POST("/mentoring/mentorships/:mentorship/rematch", ment.Rematch)
	m.PUT("/mentoring/mentorships/:mentorship/feedback", ment.Feedback)
	m.GET("/library/resources", lib.ListResources)
	m.POST("/library/resources", lib.CreateResource)
	m.PATCH("/library/resources/:slug", lib.UpdateResource)
	m.DELETE("/library/resources/:slug", lib.DeleteResource)

	// The browser app: pages over the same services and middleware, with
	// errors shown as pages (see docs/web.md).
	pages := a.pages
	r.GET("/", pages.Index)
	r.GET("/robots.txt", pages.Robots)
	r.GET("/static/:version/*filepath", pages.Static)
	p := r.Group("/t/:tenant", pages.Pages(), acct.Tenant(), acct.Authenticate(), accounts.CSRF())
	p.GET("", pages.Home)
	p.GET("/signup", pages.SignUpForm)
	p.POST("/signup", pages.SignUp)
	p.GET("/signin", pages.SignInForm)
	p.POST("/signin", pages.SignIn)
	p.GET("/forgot", pages.ForgotForm)
	p.POST("/forgot", pages.Forgot)
	p.GET("/reset", pages.ResetForm)
	p.POST("/reset", pages.Reset)
	p.GET("/confirm", pages.ConfirmForm)
	p.POST("/confirm", pages.Confirm)
	p.POST("/settings/confirm-email", pages.ResendConfirmation)
	p.GET("/unsubscribe", pages.UnsubscribeForm)
	// One-click unsubscribe (RFC 8058): mail clients POST without cookie
	// or CSRF token; the token in the link is the credential.
	r.POST("/t/:tenant/unsubscribe", pages.Pages(), acct.Tenant(), pages.Unsubscribe)
	p.POST("/signout", pages.SignOut)
	p.GET("/groups", pages.Directory)
	p.GET("/groups/:group", pages.Room)
	p.POST("/groups/:group/join", pages.Join)
	p.POST("/groups/:group/leave", pages.Leave)
	p.POST("/groups/:group/lurk", pages.Lurk)
	p.GET("/members", pages.Members)
	p.POST("/members/:user/reset-link", pages.SendResetLink)
	p.GET("/settings", pages.Settings)
	p.POST("/attack-mode", pages.SetAttackMode)
	p.POST("/settings", pages.SaveSettings)
	p.POST("/settings/delete", pages.DeleteAccount)
	p.POST("/settings/password", pages.ChangePassword)
	p.POST("/settings/sessions/:session/end", pages.EndDevice)
	p.GET("/library", pages.Library)
	p.GET("/library/search", pages.LibrarySearch)
	p.GET("/library/manage", pages.ManageLibrary)
	p.POST("/library/manage", pages.SaveResource)
	p.GET("/library/manage/:slug", pages.EditResource)
	p.POST("/library/manage/:slug", pages.SaveResource)
	p.POST("/library/manage/:slug/delete", pages.DeleteResource)
	p.GET("/library/:slug", pages.LibraryArticle)
	p.GET("/moderation", pages.ModerationQueue)
	p.GET("/moderation/rules", pages.ModerationRules)
	p.POST("/moderation/rules", pages.ModerationRulesPost)
	p.GET("/moderation/audit", pages.ModerationAudit)
	p.GET("/moderation/:item", pages.ModerationCase)
	p.POST("/moderation/:item", pages.ModerationAct)
	p.POST("/moderation/:item/author", pages.ModerationAuthorAction)
	p.POST("/moderation/:item/undo", pages.ModerationUndo)
	p.POST("/moderation/:item/correct", pages.ModerationCorrect)
	p.POST("/settings/appeal/:message", pages.Appeal)
	// Mentoring: the hub, the mentee's request, the mentor's application
	// and offers, the reviewers' page and a mentorship's conversation.
	p.GET("/mentoring", pages.Mentoring)
	p.GET("/mentoring/request", pages.MentoringRequestForm)
	p.POST("/mentoring/request", pages.MentoringAsk)
	p.POST("/mentoring/request/:request/cancel", pages.MentoringCancel)
	p.GET("/mentoring/mentor", pages.MentorForm)
	p.POST("/mentoring/mentor", pages.MentorApply)
	p.POST("/mentoring/mentor/pause", pages.MentorPause)
	p.GET("/mentoring/offers", pages.MentorOffers)
	p.POST("/mentoring/offers/:offer/accept", pages.MentorAccept)
	p.POST("/mentoring/offers/:offer/decline", pages.MentorDecline)
	p.GET("/mentoring/review", pages.MentoringReview)
	p.POST("/mentoring/review/:user", pages.MentoringReviewPost)
	p.GET("/mentoring/m/:mentorship", pages.Mentorship)
	p.POST("/mentoring/m/:mentorship/end", pages.MentorshipEnd)
	p.POST("/mentoring/m/:mentorship/rematch", pages.MentorshipRematch)
	p.POST("/mentoring/m/:mentorship/feedback", pages.MentorshipFeedback)
	return r, nil
}
