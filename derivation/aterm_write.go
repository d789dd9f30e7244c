package derivation

import (
	"bytes"
	"crypto/sha256"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
)

// ATerm returns the derivation's .drv text, byte for byte as Nix writes it:
// outputs, input derivations (and their output lists), input sources and
// environment variables sorted; arguments in order.
func (d *Derivation) ATerm() []byte {
	b := getBuffer()
	defer putBuffer(b)
	d.writeATerm(b, false, nil)
	return append([]byte(nil), b.Bytes()...)
}

// atermHash is the SHA-256 of the ATerm text that writeATerm writes,
// without keeping the text.
func (d *Derivation) atermHash(maskOutputs bool, inputs []inputRef) [32]byte {
	b := getBuffer()
	defer putBuffer(b)
	d.writeATerm(b, maskOutputs, inputs)
	return sha256.Sum256(b.Bytes())
}

// Evaluating a configuration writes every derivation's text several
// times (masked for its output paths, plain for its .drv path, modulo
// for the derivations that use it); reusing buffers keeps that from
// dominating the allocations.
var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return bufferPool.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 { // let an unusually large text go
		return
	}
	b.Reset()
	bufferPool.Put(b)
}

// WriteATerm writes the .drv text to w.
func (d *Derivation) WriteATerm(w io.Writer) error {
	_, err := w.Write(d.ATerm())
	return err
}

// writeATerm writes the ATerm text. With maskOutputs the output paths, and
// the environment variables named after outputs, are written empty (the
// variables that exist: a missing one stays missing); a non-nil inputs
// replaces InputDrvs (hashDerivationModulo writes the modulo hashes of the
// inputs there instead of their paths).
func (d *Derivation) writeATerm(b *bytes.Buffer, maskOutputs bool, inputs []inputRef) {
	if inputs == nil {
		var buf [16]inputRef
		inputs = sortedInputs(buf[:0], d.InputDrvs)
	}
	b.WriteString("Derive([")
	d.writeOutputs(b, maskOutputs)
	b.WriteString("],[")
	writeInputs(b, inputs)
	b.WriteString("],")
	d.writeMiddle(b)
	b.WriteString(",[")
	d.writeEnv(b, maskOutputs)
	b.WriteString("])")
}

// The sections of the ATerm text, which Instantiate hashes in several
// combinations.

func (d *Derivation) writeOutputs(b *bytes.Buffer, maskOutputs bool) {
	var keys [16]string // most derivations have fewer outputs, inputs and variables
	for i, name := range appendSortedKeys(keys[:0], d.Outputs) {
		o := d.Outputs[name]
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		writeString(b, name)
		b.WriteByte(',')
		if maskOutputs {
			writeString(b, "")
		} else {
			writeString(b, o.Path)
		}
		b.WriteByte(',')
		writeString(b, o.HashAlgo)
		b.WriteByte(',')
		writeString(b, o.Hash)
		b.WriteByte(')')
	}
}

// inputRef is an entry of a derivation's list of input derivations: a
// .drv path (or, in the text of a modulo hash, the hex of that
// derivation's modulo hash) and the names of the outputs used.
type inputRef struct {
	key     string
	outputs []string
}

// sortedInputs appends the entries of m to refs, sorted by key.
func sortedInputs(refs []inputRef, m map[string][]string) []inputRef {
	for k, outs := range m {
		refs = append(refs, inputRef{key: k, outputs: outs})
	}
	slices.SortFunc(refs, compareInputs)
	return refs
}

func compareInputs(a, b inputRef) int { return strings.Compare(a.key, b.key) }

// writeInputs writes inputs, sorted by key.
func writeInputs(b *bytes.Buffer, inputs []inputRef) {
	for i, in := range inputs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		writeString(b, in.key)
		b.WriteByte(',')
		writeStrings(b, sortedSet(in.outputs))
		b.WriteByte(')')
	}
}

// writeMiddle writes the input sources, system, builder and arguments.
func (d *Derivation) writeMiddle(b *bytes.Buffer) {
	writeStrings(b, sortedSet(d.InputSrcs))
	b.WriteByte(',')
	writeString(b, d.System)
	b.WriteByte(',')
	writeString(b, d.Builder)
	b.WriteByte(',')
	writeStrings(b, d.Args)
}

func (d *Derivation) writeEnv(b *bytes.Buffer, maskOutputs bool) {
	var keys [16]string
	for i, k := range appendSortedKeys(keys[:0], d.Env) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		writeString(b, k)
		b.WriteByte(',')
		if _, isOutput := d.Outputs[k]; maskOutputs && isOutput {
			writeString(b, "")
		} else {
			writeString(b, d.Env[k])
		}
		b.WriteByte(')')
	}
}

// sortedSet returns ss sorted without duplicates: ss itself when it is
// already so (the usual case), a sorted copy otherwise.
func sortedSet(ss []string) []string {
	for i := 1; i < len(ss); i++ {
		if ss[i-1] >= ss[i] {
			c := append([]string(nil), ss...)
			sort.Strings(c)
			return dedupSorted(c)
		}
	}
	return ss
}

func writeStrings(b *bytes.Buffer, ss []string) {
	b.WriteByte('[')
	for i, s := range ss {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(b, s)
	}
	b.WriteByte(']')
}

// writeString writes s quoted, escaping exactly what Nix escapes.
func writeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '"':
			esc = `\"`
		case '\\':
			esc = `\\`
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		case '\t':
			esc = `\t`
		default:
			continue
		}
		b.WriteString(s[start:i])
		b.WriteString(esc)
		start = i + 1
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}
