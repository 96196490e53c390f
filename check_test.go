package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestCheckCountsChosenStyles(t *testing.T) {
	t.Setenv("IGS_STYLES_DIR", "")
	var out bytes.Buffer
	if err := checkStyles([]string{"-style", "text,fancy", "-sample", "index-42-avatars", "-render=false"}, &out); err != nil {
		t.Fatalf("check: %v\n%s", err, out.String())
	}

	// Two languages for each of the two styles, neither with width variants.
	if got, want := out.String(), "checked 4 cases of 2 styles"; !strings.Contains(got, want) {
		t.Errorf("output = %q, want it to contain %q", got, want)
	}
}
