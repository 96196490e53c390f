// Package storage keeps rendered card images on disk under one directory.
//
// Each image is written to a temporary file in the same directory and renamed
// into place, so a reader sees a whole file or none. Names follow the
// original service: a UTC timestamp, a dash, 8 random letters or digits and
// the extension, e.g. 20220323182608-IVoakzp3.jpg. A janitor removes images
// older than the retention age and the oldest ones beyond the disk budget.
package storage
