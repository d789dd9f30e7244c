package eval

import (
	"fruix.dev/fruix/lang"
)

// coreModuleName is the module holding the core syntax and the control
// procedures; (guile) and the (scheme ...) libraries re-export it.
var coreModuleName = []string{"fruix", "core"}

// auxiliary keywords: syntax that is only meaningful inside other forms.
var auxiliary = []string{"else", "=>", "_", "...", "unquote", "unquote-splicing", "syntax-rules"}

func badAuxiliary(c *compiler, form *lang.Pair, s *scope, tail bool) (node, error) {
	return nil, c.syntaxError(form, "bad use of syntax `%s' outside the form it belongs to", formName(form))
}

func coreSpecialForms() []*SpecialForm {
	return []*SpecialForm{
		{name: "quote", compile: compileQuote},
		{name: "quasiquote", compile: compileQuasiquote},
		{name: "if", compile: compileIf},
		{name: "define", compile: compileDefine},
		{name: "define*", compile: compileDefine},
		{name: "define-public", compile: compileDefine},
		{name: "define-inlinable", compile: compileDefine},
		{name: "set!", compile: compileSet},
		{name: "lambda", compile: compileLambdaForm},
		{name: "lambda*", compile: compileLambdaForm},
		{name: "λ", compile: compileLambdaForm},
		{name: "begin", compile: compileBegin},
		{name: "let", compile: compileLet},
		{name: "let*", compile: compileLetStar},
		{name: "letrec", compile: compileLetrec},
		{name: "letrec*", compile: compileLetrec},
		{name: "and", compile: compileAnd},
		{name: "or", compile: compileOr},
		{name: "when", compile: compileWhen},
		{name: "unless", compile: compileWhen},
		{name: "cond", compile: compileCond},
		{name: "case", compile: compileCase},
		{name: "do", expand: expandDo},
		{name: "delay", compile: compileDelay},
		{name: "delay-force", compile: compileDelay},
		{name: "make-promise-lazy", compile: compileDelay},
		{name: "parameterize", compile: compileParameterize},
		{name: "case-lambda", compile: compileCaseLambda},
		{name: "guard", compile: compileGuard},
		{name: "assert", compile: compileAssert},
		{name: "define-syntax", compile: compileDefineSyntax},
		{name: "let-syntax", compile: compileLetSyntax},
		{name: "letrec-syntax", compile: compileLetSyntax},
		{name: "define-syntax-rule", expand: expandDefineSyntaxRule, definition: true},
		{name: "define-record-type", expand: expandDefineRecordType, definition: true},
		{name: "define-values", expand: expandDefineValues, definition: true},
		{name: "receive", expand: expandReceive},
		{name: "let-values", expand: expandLetValues},
		{name: "let*-values", expand: expandLetValues},
		{name: "let/ec", expand: expandLetEc},
		{name: "eval-when", expand: expandEvalWhen, definition: true},
		{name: "include", expand: expandInclude, definition: true},
		{name: "include-ci", expand: expandInclude, definition: true},
		{name: "cond-expand", expand: expandCondExpand, definition: true},
		{name: "syntax-error", expand: expandSyntaxError},
		{name: "define-module", compile: compileDefineModule},
		{name: "use-modules", compile: compileUseModules},
		{name: "import", compile: compileImport},
		{name: "define-library", compile: compileDefineLibrary},
		{name: "export", compile: compileExport},
		{name: "re-export", compile: compileExport},
		{name: "@", compile: compileModuleRef},
		{name: "@@", compile: compileModuleRef},
	}
}

// coreReexporters are the libraries that re-export the whole core
// module; the standard library adds its builtins to them.
var coreReexporters = [][]string{
	{"guile"},
	{"scheme", "base"},
	{"scheme", "lazy"},
	{"scheme", "case-lambda"},
	{"scheme", "eval"},
	{"scheme", "r5rs"},
	{"srfi", "srfi-8"},
	{"srfi", "srfi-9"},
	{"srfi", "srfi-11"},
	{"srfi", "srfi-16"},
	{"srfi", "srfi-34"},
	{"srfi", "srfi-39"},
	{"srfi", "srfi-45"},
	{"ice-9", "receive"},
}

func (th *Thread) installCore() {
	core := newModule(th, coreModuleName)
	core.exportAll = true
	core.native = true
	forms := coreSpecialForms()
	core.ExpectDefinitions(len(forms) + len(auxiliary) + len(controlBuiltins) + len(recordBuiltins))
	for _, sf := range forms {
		core.Define(sf.name, sf)
	}
	for _, name := range auxiliary {
		core.Define(name, &SpecialForm{name: name, compile: badAuxiliary})
	}
	core.DefineBuiltins(controlBuiltins)
	core.DefineBuiltins(recordBuiltins)
	core.exportAll = false
	for s := range core.vars {
		if s.Name[0] != '%' {
			core.exports[s] = s
		}
	}
	th.core = core
	th.modules[moduleKey(coreModuleName)] = core
	for _, name := range coreReexporters {
		th.RegisterNativeModule(name, func(th *Thread, m *Module) error {
			m.ReExportAll(th.core)
			return nil
		})
	}
	user := newModule(th, []string{"guile-user"})
	th.modules["guile-user"] = user
	th.current = user
}
