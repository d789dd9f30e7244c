package fat

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
)

// maxLongName is the longest VFAT name, in UTF-16 code units.
const maxLongName = 255

// lfnCharsPerEntry is how many UTF-16 code units one long-name entry holds.
const lfnCharsPerEntry = 13

// checkLongName reports why name cannot be a file name in a FAT volume.
func checkLongName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("empty name")
	case name == "." || name == "..":
		return fmt.Errorf("name %q is reserved", name)
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " "):
		// Windows strips trailing dots and spaces, so such a name would
		// not be found under the name it was written with.
		return fmt.Errorf("name %q ends with a dot or a space", name)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7F || strings.ContainsRune(`"*/:<>?\|`, r) {
			return fmt.Errorf("name %q contains %q, which FAT does not allow in names", name, r)
		}
	}
	if n := len(utf16.Encode([]rune(name))); n > maxLongName {
		return fmt.Errorf("name %q is %d UTF-16 units long; FAT allows at most %d", name, n, maxLongName)
	}
	return nil
}

// shortNameChar says whether c may appear in an 8.3 short name as is.
func shortNameChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("$%'-_@~`!(){}^#&", c) >= 0
}

// basisName derives the 8.3 basis of a long name the way Microsoft's
// specification describes it: upper-case, drop spaces and leading dots,
// replace what a short name cannot hold with '_', cut to 8+3. lossy is true
// when the short name cannot stand for the long name by itself, so that a
// numeric tail ("~1") is needed.
func basisName(name string) (base, ext string, lossy bool) {
	upper := strings.ToUpper(name)
	trimmed := strings.TrimLeft(strings.ReplaceAll(upper, " ", ""), ".")
	if trimmed != upper {
		lossy = true
	}
	dot := strings.LastIndexByte(trimmed, '.')
	b, e := trimmed, ""
	if dot >= 0 {
		b, e = trimmed[:dot], trimmed[dot+1:]
	}
	clean := func(s string, max int) string {
		var out []byte
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case shortNameChar(c):
			case c == '.' || c >= 0x80 || strings.IndexByte("+,;=[]", c) >= 0:
				// Dots inside the base, non-ASCII bytes (each UTF-8 byte
				// of a rune) and the long-name-only punctuation.
				c, lossy = '_', true
				if s[i] >= 0x80 {
					// One '_' per rune, not per UTF-8 byte.
					for i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
						i++
					}
				}
			default:
				c, lossy = '_', true
			}
			if len(out) == max {
				lossy = true
				break
			}
			out = append(out, c)
		}
		return string(out)
	}
	base, ext = clean(b, 8), clean(e, 3)
	if base == "" {
		base, lossy = "_", true
	}
	return base, ext, lossy
}

// packShortName lays base and ext out as the 11 bytes of a directory entry.
func packShortName(base, ext string) [11]byte {
	var n [11]byte
	for i := range n {
		n[i] = ' '
	}
	copy(n[:8], base)
	copy(n[8:], ext)
	if n[0] == 0xE5 {
		n[0] = 0x05 // 0xE5 in the first byte marks a deleted entry
	}
	return n
}

// shortNamer hands out the short names of one directory, unique inside it.
type shortNamer struct {
	used map[[11]byte]bool
}

func newShortNamer() *shortNamer { return &shortNamer{used: map[[11]byte]bool{}} }

// name returns the 8.3 name for long and whether a long-name entry must
// accompany it (because the short name alone does not spell long exactly).
func (s *shortNamer) name(long string) (short [11]byte, needLFN bool) {
	base, ext, lossy := basisName(long)
	exact := base
	if ext != "" {
		exact += "." + ext
	}
	needLFN = exact != long
	if !lossy {
		short = packShortName(base, ext)
		if !s.used[short] {
			s.used[short] = true
			return short, needLFN
		}
	}
	needLFN = true
	for n := 1; ; n++ {
		tail := "~" + strconv.Itoa(n)
		b := base
		if len(b)+len(tail) > 8 {
			b = b[:8-len(tail)]
		}
		short = packShortName(b+tail, ext)
		if !s.used[short] {
			s.used[short] = true
			return short, needLFN
		}
	}
}

// shortNameString renders an entry's 11-byte name as NAME.EXT.
func shortNameString(n [11]byte) string {
	if n[0] == 0x05 {
		n[0] = 0xE5
	}
	base := strings.TrimRight(string(n[:8]), " ")
	ext := strings.TrimRight(string(n[8:]), " ")
	if ext == "" {
		return base
	}
	return base + "." + ext
}

// lfnChecksum is the checksum of a short name that each of its long-name
// entries carries, so that a driver can tell a stale long name from one
// that belongs to the entry after it.
func lfnChecksum(short [11]byte) uint8 {
	var sum uint8
	for _, c := range short {
		sum = (sum&1)<<7 + sum>>1 + c
	}
	return sum
}

// longNameEntries returns the long-name directory entries for long, in
// the order they are stored: the last part first, each marked with its
// sequence number and the short name's checksum.
func longNameEntries(long string, short [11]byte) []byte {
	units := utf16.Encode([]rune(long))
	n := (len(units) + lfnCharsPerEntry - 1) / lfnCharsPerEntry
	padded := make([]uint16, n*lfnCharsPerEntry)
	for i := range padded {
		switch {
		case i < len(units):
			padded[i] = units[i]
		case i == len(units):
			padded[i] = 0 // terminator, only when the name leaves room
		default:
			padded[i] = 0xFFFF
		}
	}
	sum := lfnChecksum(short)
	out := make([]byte, 0, n*dirEntrySize)
	for seq := n; seq >= 1; seq-- {
		e := make([]byte, dirEntrySize)
		e[0] = byte(seq)
		if seq == n {
			e[0] |= 0x40
		}
		part := padded[(seq-1)*lfnCharsPerEntry : seq*lfnCharsPerEntry]
		put := func(off int, cs []uint16) {
			for i, c := range cs {
				e[off+2*i] = byte(c)
				e[off+2*i+1] = byte(c >> 8)
			}
		}
		put(1, part[0:5])
		e[11] = attrLongName
		e[13] = sum
		put(14, part[5:11])
		put(28, part[11:13])
		out = append(out, e...)
	}
	return out
}

// lfnEntryCount is how many directory entries the long name needs.
func lfnEntryCount(long string) int {
	return (len(utf16.Encode([]rune(long))) + lfnCharsPerEntry - 1) / lfnCharsPerEntry
}
