package stdlib

import (
	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// gexp->derivation: the builtin:scheme derivation whose build runs a
// gexp's code. The code is written, with write, into a text file NAME-builder
// in the store, the builder's only argument; the modules the gexp
// imports go into a source tree named by FRUIX_MODULES.

// schemeDrvKeywords are the keyword arguments gexp->derivation takes, and
// computed-file's #:options. local-build? and substitutable? are Guix's
// scheduling hints; Fruix accepts them and they change nothing.
var schemeDrvKeywords = []string{"system", "env-vars", "outputs", "hash", "hash-algo", "recursive?", "modules", "local-build?", "substitutable?"}

func parseSchemeDrvOptions(proc string, rest []lang.Value, first int) (schemeDrvOptions, error) {
	var opts schemeDrvOptions
	kw, err := keywordArgs(proc, rest, first, schemeDrvKeywords...)
	if err != nil {
		return opts, err
	}
	for _, k := range []string{"env-vars", "outputs", "modules"} {
		if v, ok := kw[k]; ok && listLength(v) < 0 {
			return opts, procErrorf(proc, "#:%s: want a proper list, got %s", k, lang.WriteString(v))
		}
	}
	if v, ok := kw["system"]; ok {
		s, ok := v.(*lang.String)
		if !ok || s.Len() == 0 {
			return opts, procErrorf(proc, "#:system: want a system name such as \"x86_64-freebsd\", got %s", lang.WriteString(v))
		}
		opts.system = s.String()
	}
	if v, ok := kw["env-vars"]; ok {
		if err := addEnvVars(derivation.New("check", "x", "x"), v); err != nil {
			return opts, err
		}
		opts.env = v
	}
	if v, ok := kw["outputs"]; ok {
		if opts.outputs, err = outputNames(v); err != nil {
			return opts, err
		}
	}
	if opts.fixed, err = fixedOutput(kw); err != nil {
		return opts, err
	}
	if v, ok := kw["modules"]; ok {
		if opts.modules, err = parseImportedModules(v); err != nil {
			return opts, err
		}
	}
	return opts, nil
}

// gexpToDerivation is (gexp->derivation name gexp #:key ...).
func gexpToDerivation(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	name, err := argStoreName("gexp->derivation", args, 0)
	if err != nil {
		return nil, err
	}
	g, err := argGexp("gexp->derivation", args, 1)
	if err != nil {
		return nil, err
	}
	opts, err := parseSchemeDrvOptions("gexp->derivation", args[2:], 2)
	if err != nil {
		return nil, err
	}
	lw, err := newLowering(th, "gexp->derivation", nil, 0)
	if err != nil {
		return nil, err
	}
	lw = lw.withSystem(opts.system)
	refs := newGexpRefs()
	text, err := lw.gexpText(g, refs)
	if err != nil {
		return nil, err
	}
	d, err := lw.schemeDerivation(name, text, refs, opts)
	if err != nil {
		return nil, lowerContext(err, "gexp->derivation")
	}
	return d, nil
}
