package main

import (
	"encoding/base64"
	"fmt"
	"io"
	"os"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/derivation/nar"
)

func init() {
	register("hash", "hash files and trees (NAR or flat), convert hashes between encodings", runHash)
}

const hashUsage = `usage: fruix hash [--nar|--flat] [--base32|--hex|--sri] [--type ALGO] FILE...
       fruix hash convert --to base32|hex|sri [--type ALGO] HASH...

Prints the hash of each FILE: by default the SHA-256 of its NAR
serialization (what a recursive fixed-output derivation declares), in
nix-base32. --flat hashes the bytes of a regular file ("-" reads standard
input). ALGO is md5, sha1, sha256 (default) or sha512.

convert rewrites hashes given in any encoding (base 16, nix-base32,
base 64, "ALGO:DIGEST" or SRI "ALGO-BASE64") in another.
`

func runHash(args []string) int {
	if len(args) > 0 && args[0] == "convert" {
		return runHashConvert(args[1:])
	}
	fs := newStoreFlagSet("hash", hashUsage)
	narMode := fs.Bool("nar", false, "hash the NAR serialization of a file or tree (the default)")
	flat := fs.Bool("flat", false, "hash the bytes of a regular file")
	b32 := fs.Bool("base32", false, "print nix-base32 (the default)")
	hexOut := fs.Bool("hex", false, "print base 16")
	sri := fs.Bool("sri", false, "print ALGO-BASE64 (Subresource Integrity)")
	algoName := fs.String("type", "sha256", "hash algorithm: md5, sha1, sha256 or sha512")
	if code, ok := parseStoreFlags(fs, args); !ok {
		return code
	}
	if *narMode && *flat {
		fmt.Fprintln(os.Stderr, "fruix hash: --nar and --flat exclude each other")
		return 2
	}
	format, ok := hashFormat(*b32, *hexOut, *sri)
	if !ok {
		fmt.Fprintln(os.Stderr, "fruix hash: choose one of --base32, --hex and --sri")
		return 2
	}
	algo, err := derivation.ParseHashAlgo(*algoName)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fruix hash: --type: %v\n", err)
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "fruix hash: no FILE given")
		return 2
	}
	for _, file := range fs.Args() {
		h := algo.New()
		if *flat {
			err = hashFlat(h, file)
		} else {
			_, err = nar.HashInto(h, file)
		}
		if err != nil {
			return storeCmdFail("hash", err)
		}
		fmt.Println(formatHash(derivation.Hash{Algo: algo, Digest: h.Sum(nil)}, format))
	}
	return 0
}

func hashFlat(w io.Writer, file string) error {
	f := os.Stdin
	if file != "-" {
		fi, err := os.Stat(file)
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: --flat hashes regular files only; use --nar for a tree", file)
		}
		if f, err = os.Open(file); err != nil {
			return err
		}
		defer f.Close()
	}
	_, err := io.CopyBuffer(w, f, make([]byte, 1<<20))
	return err
}

func hashFormat(b32, hexOut, sri bool) (string, bool) {
	n, format := 0, "base32"
	for name, set := range map[string]bool{"base32": b32, "hex": hexOut, "sri": sri} {
		if set {
			n++
			format = name
		}
	}
	return format, n <= 1
}

func formatHash(h derivation.Hash, format string) string {
	switch format {
	case "hex":
		return h.Hex()
	case "sri":
		return h.SRI()
	case "base64":
		return base64.StdEncoding.EncodeToString(h.Digest)
	}
	return h.Base32()
}

func runHashConvert(args []string) int {
	fs := newStoreFlagSet("hash convert", "usage: fruix hash convert --to base32|hex|sri|base64 [--type ALGO] HASH...\n\nRewrites each HASH in another encoding. --type names the algorithm of hashes\nthat do not carry it (a bare digest).\n")
	to := fs.String("to", "", "target encoding: base32, hex, sri or base64")
	algoName := fs.String("type", "", "algorithm of bare digests (md5, sha1, sha256, sha512)")
	if code, ok := parseStoreFlags(fs, args); !ok {
		return code
	}
	switch *to {
	case "base32", "hex", "sri", "base64":
	case "":
		fmt.Fprintln(os.Stderr, "fruix hash convert: --to is required (base32, hex, sri or base64)")
		return 2
	default:
		fmt.Fprintf(os.Stderr, "fruix hash convert: --to %q: want base32, hex, sri or base64\n", *to)
		return 2
	}
	var algo derivation.HashAlgo
	if *algoName != "" {
		a, err := derivation.ParseHashAlgo(*algoName)
		if err != nil {
			fmt.Fprintf(os.Stderr, "fruix hash convert: --type: %v\n", err)
			return 2
		}
		algo = a
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "fruix hash convert: no HASH given")
		return 2
	}
	for _, s := range fs.Args() {
		h, err := derivation.ParseHash(s, algo)
		if err != nil {
			return storeCmdFail("hash convert", err)
		}
		fmt.Println(formatHash(h, *to))
	}
	return 0
}
