package frontend

import (
	"fmt"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/eval"
	"fruix.dev/fruix/lang"
)

// Configure makes th compute the paths of system (unless it is "") and
// of the store at l, as the commands' --system and --store-dir ask,
// before anything is evaluated.
func Configure(th *eval.Thread, system string, l Location) error {
	if system != "" {
		if err := SetSystem(th, system); err != nil {
			return fmt.Errorf("--system: %w", err)
		}
	}
	if dir := l.Dir(); dir != derivation.DefaultStoreDir {
		return SetStoreDir(th, dir)
	}
	return nil
}

// SetSystem makes system the value of %current-system for everything th
// evaluates and lowers from now on, as --system asks.
func SetSystem(th *eval.Thread, system string) error {
	if _, _, err := derivation.ParseSystem(system); err != nil {
		return err
	}
	return setDerivationsParameter(th, "%current-system", system)
}

// SetStoreDir makes dir the value of %store-directory for everything th
// evaluates and lowers from now on, so that the paths computed are those
// of the store the command will use.
func SetStoreDir(th *eval.Thread, dir derivation.StoreDir) error {
	if err := dir.Validate(); err != nil {
		return err
	}
	return setDerivationsParameter(th, "%store-directory", string(dir))
}

// setDerivationsParameter sets the global value of a parameter of
// (fruix derivations) by calling it with one argument, as a program may,
// without importing anything into the user's module.
func setDerivationsParameter(th *eval.Thread, name, value string) error {
	ref := lang.List(lang.Intern("@"), lang.List(lang.Intern("fruix"), lang.Intern("derivations")), lang.Intern(name))
	if _, err := th.Eval(lang.List(ref, lang.NewString(value)), nil); err != nil {
		return fmt.Errorf("setting %s: %w", name, err)
	}
	return nil
}
