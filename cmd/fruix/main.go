// Command fruix is Fruix's front end: the REPL, the store, builds, garbage
// collection and disk images. Each subcommand lives in its own file and
// registers itself in the commands table.
package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

// command is one `fruix NAME ...` subcommand.
type command struct {
	summary string
	run     func(args []string) int // returns the exit status
}

// commands is filled by the init functions of the files of this package,
// so that each subcommand stays in the file named after it.
var commands = map[string]command{}

func register(name, summary string, run func(args []string) int) {
	if _, dup := commands[name]; dup {
		panic("fruix: command registered twice: " + name)
	}
	commands[name] = command{summary: summary, run: run}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: fruix COMMAND [ARGS...]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(os.Stderr, "\nRun `fruix COMMAND --help` for a command's options.")
}

func main() {
	if len(os.Args) < 2 || os.Args[1] == "--help" || os.Args[1] == "-h" || os.Args[1] == "help" {
		usage()
		if len(os.Args) < 2 {
			os.Exit(2)
		}
		return
	}
	c, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "fruix: unknown command %q\n", os.Args[1])
		var near []string
		for n := range commands {
			if strings.HasPrefix(n, os.Args[1][:1]) {
				near = append(near, n)
			}
		}
		if len(near) > 0 {
			sort.Strings(near)
			fmt.Fprintf(os.Stderr, "did you mean: %s?\n", strings.Join(near, ", "))
		}
		os.Exit(2)
	}
	os.Exit(c.run(os.Args[2:]))
}
