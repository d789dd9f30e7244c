package store

import "fmt"

// Problem is an inconsistency Verify found.
type Problem struct {
	Path string
	Msg  string
}

func (p Problem) String() string { return p.Path + ": " + p.Msg }

// Verify checks that every valid path exists on disk and that its
// references are valid; with checkContents it also hashes every path and
// compares the result with the recorded NAR hash and size. It reports
// problems; it repairs nothing.
func (s *Store) Verify(checkContents bool) ([]Problem, error) {
	paths, err := s.ValidPaths()
	if err != nil {
		return nil, err
	}
	var problems []Problem
	for _, p := range paths {
		info, err := s.QueryPathInfo(p)
		if err != nil {
			problems = append(problems, Problem{p, err.Error()})
			continue
		}
		for _, r := range info.References {
			if ok, err := s.IsValid(r); err != nil || !ok {
				problems = append(problems, Problem{p, "refers to " + r + ", which is not valid"})
			}
		}
		if !checkContents {
			if _, err := lstat(p); err != nil {
				problems = append(problems, Problem{p, "missing from the store directory"})
			}
			continue
		}
		h, size, err := NarHash(p)
		if err != nil {
			problems = append(problems, Problem{p, fmt.Sprintf("cannot hash: %v", err)})
			continue
		}
		if !h.Equal(info.NarHash) || size != info.NarSize {
			problems = append(problems, Problem{p, fmt.Sprintf("contents changed: NAR hash %s (%d bytes), recorded %s (%d bytes)", h, size, info.NarHash, info.NarSize)})
		}
	}
	return problems, nil
}
