package tests

import "testing"

// TestSelectedTreeWithSymlinks builds the program of appConfig from a
// tree whose selection keeps symbolic links (to a file, to a directory,
// dangling): they stay links in the source item, at the path fruix store
// add gives the same entries.
func TestSelectedTreeWithSymlinks(t *testing.T) { testAppBuild(t, true) }
