package store

import (
	"path"
	"strings"

	"fruix.dev/fruix/derivation"
)

// The Badger key space (docs/store.md describes it in full). Store paths
// appear as base names ("<hash>-<name>"), which never contain a slash, so
// "/" separates the parts of composite keys.
const (
	prefixValid    = "v/" // v/<path>              -> encoded PathInfo
	prefixReferrer = "r/" // r/<path>/<referrer>   -> empty
	prefixDrvOut   = "o/" // o/<drv>/<output name> -> output path
	keySchema      = "schema"
	schemaVersion  = "1"
)

func baseName(p string) string {
	if p == "" {
		return ""
	}
	return path.Base(p)
}

func fullPath(dir derivation.StoreDir, base string) string {
	if base == "" {
		return ""
	}
	return string(dir) + "/" + base
}

func validKey(p string) []byte { return []byte(prefixValid + baseName(p)) }

func referrerKey(p, referrer string) []byte {
	return []byte(prefixReferrer + baseName(p) + "/" + baseName(referrer))
}

func referrerPrefix(p string) []byte { return []byte(prefixReferrer + baseName(p) + "/") }

func drvOutKey(drv, output string) []byte {
	return []byte(prefixDrvOut + baseName(drv) + "/" + output)
}

func drvOutPrefix(drv string) []byte { return []byte(prefixDrvOut + baseName(drv) + "/") }

// lastPart returns what follows the last "/" of a composite key.
func lastPart(key []byte) string {
	s := string(key)
	return s[strings.LastIndexByte(s, '/')+1:]
}
