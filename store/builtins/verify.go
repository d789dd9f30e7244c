package builtins

import (
	"fmt"
	"os"

	"fruix.dev/fruix/derivation"
	"fruix.dev/fruix/derivation/nar"
)

// HashMismatchError says a fixed-output derivation produced something
// other than what it declared.
type HashMismatchError struct {
	Drv       string
	Want, Got derivation.Hash
}

func (e *HashMismatchError) Error() string {
	return fmt.Sprintf("hash mismatch in fixed-output derivation %s: wanted %s, got %s", e.Drv, e.Want, e.Got)
}

// VerifyFixedOutput hashes path the way output declares (flat: the file's
// bytes; recursive: its NAR serialization) and compares with the declared
// hash. The realizer calls it after every fixed-output build, builtin or
// not; builtin:fetchurl calls it too, to fail early with the same message.
func VerifyFixedOutput(drv string, output derivation.Output, path string) error {
	method, want, err := output.FixedHash()
	if err != nil {
		return fmt.Errorf("%s: %v", drv, err)
	}
	got, err := HashPath(method, want.Algo, path)
	if err != nil {
		return err
	}
	if !got.Equal(want) {
		return &HashMismatchError{Drv: drv, Want: want, Got: got}
	}
	return nil
}

// HashPath hashes a store object's contents by method.
func HashPath(method derivation.Method, algo derivation.HashAlgo, path string) (derivation.Hash, error) {
	if method != derivation.Recursive {
		if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
			return derivation.Hash{}, fmt.Errorf("%s: a flat fixed output must be a regular file", path)
		}
		return derivation.HashFile(algo, path)
	}
	h := algo.New()
	if _, err := nar.HashInto(h, path); err != nil {
		return derivation.Hash{}, err
	}
	return derivation.Hash{Algo: algo, Digest: h.Sum(nil)}, nil
}
