// Package web is the browser app: server-rendered pages over the same
// services the API uses, with small JavaScript modules for the live room.
// Templates, styles, scripts and icons are embedded in the binary.
package web

import "embed"

// assets holds templates/ and static/. An embed.FS is read-only, so this is
// not mutable package state.
//
//go:embed templates static
var assets embed.FS
