package lang

import "unicode/utf8"

// String is a mutable Scheme string. It keeps its contents as Go UTF-8
// text for everything that treats strings whole (printing, appending,
// hashing, interop) and switches to a rune slice only when characters are
// indexed in a non-ASCII string or mutated, so that string-ref and
// string-set! stay O(1).
type String struct {
	s         string
	runes     []rune
	sValid    bool // s is current
	rValid    bool // runes is current
	ascii     bool // meaningful when sValid: every byte of s is one char
	Immutable bool // literals; string-set! refuses them
}

// NewString returns a new string holding s.
func NewString(s string) *String {
	return &String{s: s, sValid: true, ascii: isASCII(s)}
}

// NewStringRunes returns a new string holding r; the slice is owned by the
// string afterwards.
func NewStringRunes(r []rune) *String {
	return &String{runes: r, rValid: true}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// String returns the contents as Go text.
func (s *String) String() string {
	if !s.sValid {
		s.s = string(s.runes)
		s.ascii = len(s.s) == len(s.runes)
		s.sValid = true
	}
	return s.s
}

func (s *String) needRunes() {
	if !s.rValid {
		s.runes = []rune(s.s)
		s.rValid = true
	}
}

// Len returns the number of characters.
func (s *String) Len() int {
	if s.rValid {
		return len(s.runes)
	}
	if s.ascii {
		return len(s.s)
	}
	return utf8.RuneCountInString(s.s)
}

// Ref returns the character at index i; the caller checks the bounds.
func (s *String) Ref(i int) rune {
	if s.sValid && s.ascii {
		return rune(s.s[i])
	}
	s.needRunes()
	return s.runes[i]
}

// Set stores c at index i; the caller checks the bounds and mutability.
func (s *String) Set(i int, c rune) {
	s.needRunes()
	s.runes[i] = c
	s.sValid = false
}

// Runes returns the characters. The slice must not be modified.
func (s *String) Runes() []rune {
	s.needRunes()
	return s.runes
}

// Substring returns characters [start, end) as Go text; the caller checks
// the bounds.
func (s *String) Substring(start, end int) string {
	if s.sValid && s.ascii {
		return s.s[start:end]
	}
	s.needRunes()
	return string(s.runes[start:end])
}
