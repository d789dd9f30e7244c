package stdlib

import (
	"os"
	"sort"
	"strings"
	"time"

	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// (scheme process-context), (scheme time) and pk.
var processBuiltins = []*eval.Builtin{
	{Name: "command-line", MinArgs: 0, MaxArgs: 0, Fn: builtinCommandLine, Doc: "(command-line): the command line as a list of strings, the program first."},
	{Name: "program-arguments", MinArgs: 0, MaxArgs: 0, Fn: builtinCommandLine, Doc: "(program-arguments): like command-line."},
	{Name: "exit", MinArgs: 0, MaxArgs: 1, Fn: exiter("exit"), Doc: "(exit [status]): end the program; status #t or absent is success (0), #f failure (1), an integer that exit status."},
	{Name: "emergency-exit", MinArgs: 0, MaxArgs: 1, Fn: exiter("emergency-exit"), Doc: "(emergency-exit [status]): end the program at once, like exit."},
	{Name: "get-environment-variable", MinArgs: 1, MaxArgs: 1, Fn: builtinGetenv, Doc: "(get-environment-variable name): the value of the environment variable, or #f."},
	{Name: "getenv", MinArgs: 1, MaxArgs: 1, Fn: builtinGetenv, Doc: "(getenv name): the value of the environment variable, or #f."},
	{Name: "get-environment-variables", MinArgs: 0, MaxArgs: 0, Fn: builtinGetenvs, Doc: "(get-environment-variables): the environment as an alist of (name . value), sorted by name."},
	{Name: "current-second", MinArgs: 0, MaxArgs: 0, Fn: builtinCurrentSecond, Doc: "(current-second): the time since the epoch in seconds, inexact."},
	{Name: "current-jiffy", MinArgs: 0, MaxArgs: 0, Fn: builtinCurrentJiffy, Doc: "(current-jiffy): a monotonic count of jiffies (nanoseconds) since the evaluator started."},
	{Name: "jiffies-per-second", MinArgs: 0, MaxArgs: 0, Fn: builtinJiffiesPerSecond, Doc: "(jiffies-per-second): 1000000000."},
	{Name: "current-time", MinArgs: 0, MaxArgs: 0, Fn: builtinCurrentTime, Doc: "(current-time): the time since the epoch in whole seconds."},
	{Name: "pk", MinArgs: 0, MaxArgs: -1, Fn: builtinPk, Doc: "(pk v ...): print ;;; (v ...) to the current error port and return the last argument; for debugging."},
	{Name: "peek", MinArgs: 0, MaxArgs: -1, Fn: builtinPk, Doc: "(peek v ...): like pk."},
}

func builtinCommandLine(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	argv := th.Args()
	items := make([]lang.Value, len(argv))
	for i, a := range argv {
		items[i] = lang.NewString(a)
	}
	return sliceToList(items, lang.Nil), nil
}

func exiter(name string) func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return func(th *eval.Thread, args []lang.Value) (lang.Value, error) {
		code := 0
		if len(args) > 0 {
			switch v := args[0].(type) {
			case lang.Boolean:
				if !bool(v) {
					code = 1
				}
			case lang.Fixnum:
				code = int(v) & 0xff
			default:
				return nil, wrongType(name, 0, "exit status (integer or boolean)", args[0])
			}
		}
		// Not os.Exit: the command that runs the evaluator turns this
		// error into its exit status, after dynamic-wind exits ran.
		return nil, &eval.Exit{Code: code}
	}
}

func builtinGetenv(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	s, err := argString("get-environment-variable", args, 0)
	if err != nil {
		return nil, err
	}
	if v, ok := os.LookupEnv(s.String()); ok {
		return lang.NewString(v), nil
	}
	return lang.False, nil
}

func builtinGetenvs(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	env := os.Environ()
	sort.Strings(env)
	items := make([]lang.Value, 0, len(env))
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		items = append(items, lang.Cons(lang.NewString(k), lang.NewString(v)))
	}
	return sliceToList(items, lang.Nil), nil
}

func builtinCurrentSecond(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.MakeFloat(float64(time.Now().UnixNano()) / 1e9), nil
}

func builtinCurrentTime(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.MakeInt(time.Now().Unix()), nil
}

type jiffyKey struct{}

func builtinCurrentJiffy(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	start, ok := th.Local(jiffyKey{}).(time.Time)
	if !ok {
		start = time.Now()
		th.SetLocal(jiffyKey{}, start)
	}
	return lang.MakeInt(int64(time.Since(start))), nil
}

func builtinJiffiesPerSecond(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	return lang.MakeInt(int64(time.Second)), nil
}

func builtinPk(th *eval.Thread, args []lang.Value) (lang.Value, error) {
	b := []byte("\n;;; ")
	b = lang.AppendWrite(b, sliceToList(args, lang.Nil))
	b = append(b, '\n')
	if _, err := CurrentErrorPort(th).Write(b); err != nil {
		return nil, err
	}
	if len(args) == 0 {
		return lang.Unspec, nil
	}
	return args[len(args)-1], nil
}
