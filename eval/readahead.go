package eval

import "fruix.dev/fruix/lang"

// A long program is read while it is evaluated: a goroutine reads its
// forms ahead of the evaluator, so that on a machine with a core to
// spare the text of a large configuration costs little more than its
// evaluation. Reading does not depend on evaluation (no form changes how
// the reader reads), so the forms, and the read error that ends them,
// are the same and come in the same order as when read in line.

// readAheadMin is the length of text from which reading goes ahead:
// shorter texts read in less time than a goroutine takes to start.
var readAheadMin = 64 << 10 // a variable so that tests can change it

// readAheadForms is how many forms the reader may be ahead.
const readAheadForms = 64

// readForm is a datum read, or the error that ended reading.
type readForm struct {
	datum lang.Value
	end   lang.Pos // where the reader stopped, after a bare symbol
	err   error
}

// readAhead starts reading text. The forms come on the channel, the last
// one carrying the error that ended reading (io.EOF at the end); stop
// makes the reader give up early.
func readAhead(src *lang.Source, text []byte) (forms <-chan readForm, stop func()) {
	ch := make(chan readForm, readAheadForms)
	done := make(chan struct{})
	go func() {
		r := lang.NewReader(src, text)
		for {
			d, err := r.Read()
			f := readForm{datum: d, err: err}
			if _, ok := d.(*lang.Symbol); ok && err == nil {
				f.end = r.Pos()
			}
			select {
			case ch <- f:
			case <-done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return ch, func() { close(done) }
}

// evalReadAhead is evalText with the text read ahead.
func (th *Thread) evalReadAhead(src *lang.Source, text []byte) (lang.Value, error) {
	forms, stop := readAhead(src, text)
	defer stop()
	var last lang.Value = lang.Unspec
	for f := range forms {
		if f.err != nil {
			if isEOF(f.err) {
				return last, nil
			}
			return nil, readFailure(f.err)
		}
		var err error
		last, err = th.evalForm(f.datum, f.end)
		if err != nil {
			return nil, th.topError(err)
		}
	}
	panic("eval: the reader stopped without an error")
}
