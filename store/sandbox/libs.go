package sandbox

import (
	"debug/elf"
	"fmt"
	"os"
	"path/filepath"
)

// libraryDirs are where the dynamic loader of the hosts Fruix runs on looks
// for the libraries of a dynamically linked fruix binary.
var libraryDirs = []string{
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
	"/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
	"/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib",
}

// sharedLibraries returns the ELF interpreter and the libraries a host
// program needs (transitively), so that the fruix binary, when built with
// cgo, can run builtin builders inside a sandbox that has no /lib.
// A static program needs none.
func sharedLibraries(program string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	var visit func(file string) error
	visit = func(file string) error {
		f, err := elf.Open(file)
		if err != nil {
			return fmt.Errorf("sandbox: reading host builder %s: %w", file, err)
		}
		defer f.Close()
		for _, p := range f.Progs {
			if p.Type != elf.PT_INTERP {
				continue
			}
			buf := make([]byte, p.Filesz)
			if _, err := p.ReadAt(buf, 0); err != nil {
				return fmt.Errorf("sandbox: reading the interpreter of %s: %w", file, err)
			}
			interp := string(buf)
			for len(interp) > 0 && interp[len(interp)-1] == 0 {
				interp = interp[:len(interp)-1]
			}
			if !seen[interp] {
				seen[interp] = true
				out = append(out, interp)
			}
		}
		needed, err := f.ImportedLibraries()
		if err != nil {
			return nil // not dynamically linked
		}
		for _, lib := range needed {
			path := findLibrary(lib)
			if path == "" {
				return fmt.Errorf("sandbox: host builder %s needs %s, which is not in %v", program, lib, libraryDirs)
			}
			if seen[path] {
				continue
			}
			seen[path] = true
			out = append(out, path)
			if err := visit(path); err != nil {
				return err
			}
		}
		return nil
	}
	if err := visit(program); err != nil {
		return nil, err
	}
	return out, nil
}

func findLibrary(name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	for _, d := range libraryDirs {
		p := filepath.Join(d, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}
