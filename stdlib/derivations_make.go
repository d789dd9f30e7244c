package stdlib

import (
	"encoding/hex"
	"fmt"
	"sort"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// drvArgError is an error about one argument of derivation, named as
// the user wrote it: "argument 1" or "#:hash-algo".
func drvArgError(kind, arg, format string, a ...any) error {
	return eval.NewError(kind, "derivation: "+arg+": "+fmt.Sprintf(format, a...))
}

// derivationKeywords are the keyword arguments derivation accepts.
var derivationKeywords = []string{"env-vars", "inputs", "sources", "outputs", "hash", "hash-algo", "recursive?", "system"}

// makeDerivation is (derivation name builder args #:key ...).
func makeDerivation(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	name, ok := args[0].(*lang.String)
	if !ok {
		return nil, drvArgError(eval.KindWrongType, "argument 1 (name)", "want string, got %s", lang.TypeName(args[0]))
	}
	if err := derivation.ValidateName(name.String()); err != nil {
		return nil, drvArgError(eval.KindRange, "argument 1 (name)", "%v", err)
	}
	builder, ok := args[1].(*lang.String)
	if !ok {
		return nil, drvArgError(eval.KindWrongType, "argument 2 (builder)", "want string, got %s", lang.TypeName(args[1]))
	}
	builderArgs, err := stringsOf(args[2], "argument 3 (args)")
	if err != nil {
		return nil, err
	}
	kw := map[string]lang.Value{}
	rest := args[3:]
	for i := 0; i < len(rest); i += 2 {
		k, ok := rest[i].(*lang.Keyword)
		if !ok {
			return nil, drvArgError(eval.KindWrongType, fmt.Sprintf("argument %d", 4+i), "want a keyword such as #:inputs, got %s", lang.WriteString(rest[i]))
		}
		known := false
		for _, n := range derivationKeywords {
			known = known || n == k.Name
		}
		if !known {
			var names []string
			for _, n := range derivationKeywords {
				names = append(names, n)
			}
			return nil, drvArgError(eval.KindError, "#:"+k.Name, "unknown keyword%s", didYouMean(k.Name, names))
		}
		if i+1 == len(rest) {
			return nil, drvArgError(eval.KindError, "#:"+k.Name, "keyword without a value")
		}
		if _, dup := kw[k.Name]; dup {
			return nil, drvArgError(eval.KindError, "#:"+k.Name, "given twice")
		}
		kw[k.Name] = rest[i+1]
	}
	dir, err := currentStoreDir(th)
	if err != nil {
		return nil, eval.NewError(eval.KindError, "derivation: "+err.Error())
	}
	system := currentSystem(th)
	if v, ok := kw["system"]; ok {
		s, ok := v.(*lang.String)
		if !ok || s.Len() == 0 {
			return nil, drvArgError(eval.KindWrongType, "#:system", "want a system name such as \"x86_64-freebsd\", got %s", lang.WriteString(v))
		}
		system = s.String()
	}
	d := derivation.New(name.String(), system, builder.String())
	d.Args = builderArgs

	if err := addEnvVars(d, kw["env-vars"]); err != nil {
		return nil, err
	}
	reg := registry(th)
	if err := addInputs(d, reg, dir, kw["inputs"], "#:inputs"); err != nil {
		return nil, err
	}
	if v, ok := kw["sources"]; ok {
		srcs, err := stringsOf(v, "#:sources")
		if err != nil {
			return nil, err
		}
		for _, s := range srcs {
			if err := dir.ValidatePath(s); err != nil {
				return nil, drvArgError(eval.KindRange, "#:sources", "%v", err)
			}
			d.InputSrcs = append(d.InputSrcs, s)
		}
	}
	sort.Strings(d.InputSrcs)
	d.InputSrcs = dedupStrings(d.InputSrcs)

	outputs := []string{"out"}
	if v, ok := kw["outputs"]; ok {
		if outputs, err = outputNames(v); err != nil {
			return nil, err
		}
	}
	fixed, err := fixedOutput(kw)
	if err != nil {
		return nil, err
	}
	if fixed != nil && (len(outputs) != 1 || outputs[0] != "out") {
		return nil, drvArgError(eval.KindError, "#:outputs", "a fixed-output derivation (with #:hash) has the single output \"out\", not %v", outputs)
	}
	for _, o := range outputs {
		d.Outputs[o] = derivation.Output{}
		d.Env[o] = ""
	}
	if fixed != nil {
		d.Outputs["out"] = *fixed
	}
	out, err := registerDerivation(th, d, dir)
	if err != nil {
		return nil, eval.NewError(eval.KindError, "derivation: "+err.Error())
	}
	return out, nil
}

// stringsOf reads a proper list of strings.
func stringsOf(v lang.Value, arg string) ([]string, error) {
	items, ok := listArgs(v)
	if !ok {
		return nil, drvArgError(eval.KindWrongType, arg, "want a list of strings, got %s", lang.WriteString(v))
	}
	out := make([]string, len(items))
	for i, it := range items {
		s, ok := it.(*lang.String)
		if !ok {
			return nil, drvArgError(eval.KindWrongType, arg, "element %d: want string, got %s", i+1, lang.WriteString(it))
		}
		out[i] = s.String()
	}
	return out, nil
}

func addEnvVars(d *derivation.Derivation, v lang.Value) error {
	if v == nil {
		return nil
	}
	items, ok := listArgs(v)
	if !ok {
		return drvArgError(eval.KindWrongType, "#:env-vars", "want an alist of (name . value) strings, got %s", lang.WriteString(v))
	}
	for _, it := range items {
		p, ok := it.(*lang.Pair)
		var k, val *lang.String
		if ok {
			k, _ = p.Car.(*lang.String)
			val, _ = p.Cdr.(*lang.String)
		}
		if k == nil || val == nil {
			return drvArgError(eval.KindWrongType, "#:env-vars", "want (name . value) with two strings, got %s", lang.WriteString(it))
		}
		d.Env[k.String()] = val.String()
	}
	return nil
}

// addInputs reads #:inputs: each a derivation (its "out" output), a list
// (derivation output ...), or a source store path.
func addInputs(d *derivation.Derivation, reg *drvRegistry, dir derivation.StoreDir, v lang.Value, arg string) error {
	if v == nil {
		return nil
	}
	items, ok := listArgs(v)
	if !ok {
		return drvArgError(eval.KindWrongType, arg, "want a list of inputs, got %s", lang.WriteString(v))
	}
	for _, it := range items {
		var in *Derivation
		var outs []string
		switch x := it.(type) {
		case *Derivation:
			in, outs = x, []string{"out"}
		case *lang.String:
			if err := dir.ValidatePath(x.String()); err != nil {
				return drvArgError(eval.KindRange, arg, "%v", err)
			}
			d.InputSrcs = append(d.InputSrcs, x.String())
			continue
		case *lang.Pair:
			parts, ok := listArgs(x)
			if ok && len(parts) >= 1 {
				in, _ = parts[0].(*Derivation)
			}
			if in == nil {
				return drvArgError(eval.KindWrongType, arg, "want a derivation, (derivation output ...) or a store path, got %s", lang.WriteString(it))
			}
			for i, p := range parts[1:] {
				name, err := outputNameArg("derivation", i, p)
				if err != nil {
					return drvArgError(eval.KindWrongType, arg, "want an output name (string), got %s", lang.WriteString(p))
				}
				outs = append(outs, name)
			}
			if len(outs) == 0 {
				outs = []string{"out"}
			}
		default:
			return drvArgError(eval.KindWrongType, arg, "want a derivation, (derivation output ...) or a store path, got %s", lang.WriteString(it))
		}
		if in.StoreDir != dir {
			return drvArgError(eval.KindError, arg, "derivation %s belongs to store %s, not %s", in.File, in.StoreDir, dir)
		}
		if reg.byFile[in.File] == nil {
			reg.byFile[in.File] = in
		}
		for _, o := range outs {
			if in.OutputPath(o) == "" {
				return drvArgError(eval.KindRange, arg, "derivation %s has no output `%s'", in.Drv.Name, o)
			}
		}
		merged := append(d.InputDrvs[in.File], outs...)
		sort.Strings(merged)
		d.InputDrvs[in.File] = dedupStrings(merged)
	}
	return nil
}

func outputNames(v lang.Value) ([]string, error) {
	items, ok := listArgs(v)
	if !ok || len(items) == 0 {
		return nil, drvArgError(eval.KindWrongType, "#:outputs", "want a non-empty list of output names, got %s", lang.WriteString(v))
	}
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		name, err := outputNameArg("derivation", 0, it)
		if err != nil {
			return nil, drvArgError(eval.KindWrongType, "#:outputs", "want output names (strings), got %s", lang.WriteString(it))
		}
		if err := derivation.ValidateName(name); err != nil || name == "drv" {
			return nil, drvArgError(eval.KindRange, "#:outputs", "invalid output name %q", name)
		}
		if seen[name] {
			return nil, drvArgError(eval.KindError, "#:outputs", "output %q given twice", name)
		}
		seen[name] = true
		out = append(out, name)
	}
	return out, nil
}

// fixedOutput reads #:hash, #:hash-algo and #:recursive?: nil when no
// hash is given.
func fixedOutput(kw map[string]lang.Value) (*derivation.Output, error) {
	algo := derivation.SHA256
	if v, ok := kw["hash-algo"]; ok {
		var name string
		switch x := v.(type) {
		case *lang.Symbol:
			name = x.Name
		case *lang.String:
			name = x.String()
		default:
			return nil, drvArgError(eval.KindWrongType, "#:hash-algo", "want a symbol such as sha256, got %s", lang.WriteString(v))
		}
		a, err := derivation.ParseHashAlgo(name)
		if err != nil {
			return nil, drvArgError(eval.KindRange, "#:hash-algo", "%v", err)
		}
		algo = a
	}
	recursive := false
	if v, ok := kw["recursive?"]; ok {
		recursive = v != lang.Value(lang.False)
	}
	v, ok := kw["hash"]
	if !ok || v == lang.Value(lang.False) {
		if _, given := kw["hash-algo"]; given {
			return nil, drvArgError(eval.KindError, "#:hash-algo", "given without #:hash")
		}
		if recursive {
			return nil, drvArgError(eval.KindError, "#:recursive?", "given without #:hash")
		}
		return nil, nil
	}
	var h derivation.Hash
	switch x := v.(type) {
	case *lang.Bytevector:
		if len(x.Bytes) != algo.Size() {
			return nil, drvArgError(eval.KindRange, "#:hash", "a %s hash is %d bytes, got %d", algo, algo.Size(), len(x.Bytes))
		}
		h = derivation.Hash{Algo: algo, Digest: append([]byte(nil), x.Bytes...)}
	case *lang.String:
		parsed, err := derivation.ParseHash(x.String(), algo)
		if err != nil {
			return nil, drvArgError(eval.KindRange, "#:hash", "%v", err)
		}
		h = parsed
	default:
		return nil, drvArgError(eval.KindWrongType, "#:hash", "want a bytevector or a string, got %s", lang.WriteString(v))
	}
	prefix := ""
	if recursive {
		prefix = "r:"
	}
	return &derivation.Output{HashAlgo: prefix + string(h.Algo), Hash: hex.EncodeToString(h.Digest)}, nil
}

func dedupStrings(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
