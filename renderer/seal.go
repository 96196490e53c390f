package renderer

import (
	"context"
	"fmt"
	"net/url"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
)

// seal is the request filter of every tab, which lets requests reach only the
// asset origin.
type seal struct {
	originHost string // host:port of the asset origin
	blankURL   string

	// off turns the Fetch interception off. Only tests set it, to check
	// the other layers of the seal on their own.
	off bool
}

// intercept pauses every request of the tab and lets through only those for
// the asset origin. The proxy flags and the policy of the blank page block
// the same requests, but only this layer also catches navigations of the
// top frame to other pages of the origin, and logs what it blocks.
func (s seal) intercept(ctx context.Context, t *tab) error {
	if s.off {
		return nil
	}

	// Subscribe first, so that no paused request goes unanswered.
	paused := cdp.Events(t.ctx, t.target, fetch.RequestPaused)
	_, err := cdp.Call(ctx, t.target, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: "*"}},
	})
	if err != nil {
		return fmt.Errorf("enable request interception: %w", err)
	}

	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			// The replies run in parallel, so a page with many images
			// does not wait for one round trip after another.
			go s.resume(t, ev)
		}
	}()
	return nil
}

// resume continues or fails one paused request.
func (s seal) resume(t *tab, ev fetch.EventRequestPaused) {
	var err error
	if s.allowed(&ev, t.frame) {
		_, err = cdp.Call(t.ctx, t.target, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
	} else {
		// An aborted navigation leaves the current document in place; any
		// other error reason would replace it with an error page.
		reason := network.ErrorReasonBlockedByClient
		if ev.ResourceType == network.ResourceTypeDocument {
			reason = network.ErrorReasonAborted
		}
		t.log.Debug("request blocked", "url", ev.Request.URL, "type", ev.ResourceType)
		_, err = cdp.Call(t.ctx, t.target, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: reason})
	}
	if err != nil && t.ctx.Err() == nil {
		t.log.Debug("resume paused request failed", "url", ev.Request.URL, "err", err)
	}
}

// allowed reports whether a request may leave the tab: plain HTTP to the
// asset origin, except a navigation of the top frame to any page but the
// blank one, which would replace the document of the render.
func (s seal) allowed(ev *fetch.EventRequestPaused, top cdp.FrameID) bool {
	u, err := url.Parse(ev.Request.URL)
	if err != nil || u.Scheme != "http" || u.Host != s.originHost || u.User != nil {
		return false
	}

	if ev.ResourceType == network.ResourceTypeDocument && ev.FrameID == top {
		return u.Path == blankPath
	}
	return true
}
