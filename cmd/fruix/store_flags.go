package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"fruix.dev/fruix/cmd/internal/frontend"
	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/store"
)

// addStoreLocationFlags declares on fs the --store-dir and --state-dir
// options that every command using the store takes. Empty values fall
// back to $FRUIX_STORE_DIR and $FRUIX_STATE_DIR, then to /frx/store and
// /frx/var/fruix (frontend.Location.Resolve); storeside.Open opens the
// store there, making this process its owner.
func addStoreLocationFlags(fs *flag.FlagSet) *frontend.Location {
	loc := &frontend.Location{}
	fs.StringVar(&loc.StoreDir, "store-dir", "", "the store directory (default $"+store.EnvStoreDir+" or "+string(derivation.DefaultStoreDir)+")")
	fs.StringVar(&loc.StateDir, "state-dir", "", "the state directory (default $"+store.EnvStateDir+" or "+store.DefaultStateDir+")")
	return loc
}

// resolveStorePath accepts a store path, a path inside one, or a symbolic
// link (such as ./result) that leads into the store, and returns the
// store path.
func resolveStorePath(dir derivation.StoreDir, arg string) (string, error) {
	if p, err := dir.ToStorePath(arg); err == nil {
		return p, nil
	}
	if real, err := filepath.EvalSymlinks(arg); err == nil {
		if p, err := dir.ToStorePath(real); err == nil {
			return p, nil
		}
	}
	abs, _ := filepath.Abs(arg)
	return dir.ToStorePath(abs)
}

// formatByteSize renders a byte count for people: 1.5 MiB.
func formatByteSize(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// newStoreFlagSet makes a FlagSet whose usage starts with the given text; the
// command returns 2 on bad usage and 0 for --help.
func newStoreFlagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fmt.Fprintln(fs.Output(), "\noptions:")
		fs.PrintDefaults()
	}
	return fs
}

// parseStoreFlags parses args; ok is false when the command must return
// code. --help prints the usage on standard output and returns 0.
func parseStoreFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(os.Stdout)
		}
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0, false
		}
		return 2, false
	}
	return 0, true
}

// storeCmdFail reports err for `fruix CMD` and returns exit status 1.
func storeCmdFail(cmd string, err error) int {
	fmt.Fprintf(os.Stderr, "fruix %s: %v\n", cmd, err)
	return 1
}

// isCharDevice reports whether f is a terminal (or another character
// device), where binary output does not belong.
func isCharDevice(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
