package derivation

import (
	"bytes"
	"io"
	"sort"
)

// ATerm returns the derivation's .drv text, byte for byte as Nix writes it:
// outputs, input derivations (and their output lists), input sources and
// environment variables sorted; arguments in order.
func (d *Derivation) ATerm() []byte {
	var b bytes.Buffer
	d.writeATerm(&b, false, nil)
	return b.Bytes()
}

// WriteATerm writes the .drv text to w.
func (d *Derivation) WriteATerm(w io.Writer) error {
	_, err := w.Write(d.ATerm())
	return err
}

// writeATerm writes the ATerm text. With maskOutputs the output paths, and
// the environment variables named after outputs, are written empty (the
// variables that exist: a missing one stays missing); a non-nil inputs replaces InputDrvs (hashDerivationModulo
// writes the modulo hashes of the inputs there instead of their paths).
func (d *Derivation) writeATerm(b *bytes.Buffer, maskOutputs bool, inputs map[string][]string) {
	if inputs == nil {
		inputs = d.InputDrvs
	}
	b.WriteString("Derive([")
	for i, name := range sortedKeys(d.Outputs) {
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
	b.WriteString("],[")
	for i, p := range sortedKeys(inputs) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		writeString(b, p)
		b.WriteByte(',')
		outs := append([]string(nil), inputs[p]...)
		sort.Strings(outs)
		writeStrings(b, dedupSorted(outs))
		b.WriteByte(')')
	}
	b.WriteString("],")
	srcs := append([]string(nil), d.InputSrcs...)
	sort.Strings(srcs)
	writeStrings(b, dedupSorted(srcs))
	b.WriteByte(',')
	writeString(b, d.System)
	b.WriteByte(',')
	writeString(b, d.Builder)
	b.WriteByte(',')
	writeStrings(b, d.Args)
	b.WriteString(",[")
	for i, k := range sortedKeys(d.Env) {
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
	b.WriteString("])")
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
