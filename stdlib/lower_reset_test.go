package stdlib

import "fruix.dev/fruix/eval"

// ForgetLowering drops what th remembers of lowering (the memo, the
// derivations and sources made), so that a benchmark can lower the same
// values again from scratch.
func ForgetLowering(th *eval.Thread) {
	th.SetLocal(lowerStateKey{}, nil)
	th.SetLocal(drvRegistryKey{}, nil)
}
