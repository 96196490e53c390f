package assets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxRedirects is the number of redirects a fetch follows.
const maxRedirects = 3

// newClient returns an HTTP client that ignores proxy settings in the
// environment and dials through the address guard.
func newClient(dialer *guardedDialer) *http.Client {
	transport := &http.Transport{
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           64,
		MaxIdleConnsPerHost:    8,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    10 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}

	return &http.Client{
		Transport:     transport,
		CheckRedirect: checkRedirect,
	}
}

// checkRedirect limits redirects and their schemes; the dialer checks the
// address of each hop.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, maxRedirects)
	}

	return checkScheme(req.URL)
}

// parseSourceURL parses an image URL from a request and rejects what the
// client must not fetch.
func parseSourceURL(src string) (*url.URL, error) {
	u, err := url.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidURL, err)
	}

	if err := checkScheme(u); err != nil {
		return nil, err
	}

	if u.Hostname() == "" {
		return nil, fmt.Errorf("%w: missing host", ErrInvalidURL)
	}

	if u.User != nil {
		return nil, fmt.Errorf("%w: user credentials are not accepted", ErrInvalidURL)
	}

	return u, nil
}

func checkScheme(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: %q, expected http or https", ErrScheme, u.Scheme)
	}

	return nil
}

// fetch downloads src within p's budget and checks the body as an image.
// It runs detached from any caller's context, so that a caller who leaves
// does not fail the fetch for the others waiting on it.
func (p *Pipeline) fetch(src string) (*asset, error) {
	u, err := parseSourceURL(src)
	if err != nil {
		return nil, err
	}

	ctx, cancel := context.WithTimeout(context.Background(), p.cfg.Budget)
	defer cancel()

	data, err := p.download(ctx, u)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w: no complete response within %s", ErrTimeout, p.cfg.Budget)
		}

		return nil, err
	}

	return p.newAsset(data)
}

// download returns the body of a 200 response, or ErrTooLarge when it
// exceeds MaxBytes.
func (p *Pipeline) download(ctx context.Context, u *url.URL) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidURL, err)
	}

	req.Header.Set("Accept", "image/webp,image/png,image/jpeg,image/gif")
	req.Header.Set("User-Agent", "igs-assets")

	resp, err := p.client.Do(req)
	if err != nil {
		return nil, unwrapURLError(err)
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s", ErrStatus, resp.Status)
	}

	if resp.ContentLength > p.cfg.MaxBytes {
		return nil, fmt.Errorf("%w: Content-Length %d exceeds %d bytes", ErrTooLarge, resp.ContentLength, p.cfg.MaxBytes)
	}

	data, err := io.ReadAll(io.LimitReader(resp.Body, p.cfg.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}

	if int64(len(data)) > p.cfg.MaxBytes {
		return nil, fmt.Errorf("%w: body exceeds %d bytes", ErrTooLarge, p.cfg.MaxBytes)
	}

	return data, nil
}

// unwrapURLError drops the *url.Error wrapper, whose message repeats the
// URL that the log line already carries.
func unwrapURLError(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return fmt.Errorf("%s: %w", strings.ToLower(urlErr.Op), urlErr.Err)
	}

	return err
}
