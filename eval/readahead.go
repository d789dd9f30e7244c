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

// readAheadBatches is how many batches of forms the reader may be
// ahead; maxReadBatch is the most forms in one batch. The reader hands
// forms over in batches that grow from one form to maxReadBatch, so
// that evaluation starts after the first form and, later, waits for
// the reader (and is woken up by it) once per batch instead of once per
// form: on a virtual machine, waking a waiting goroutine on another core
// can take longer than reading a form.
const (
	readAheadBatches = 4
	maxReadBatch     = 64
)

// readForm is a datum read, or the error that ended reading.
type readForm struct {
	datum lang.Value
	pos   lang.Pos // where the datum starts
	err   error
}

// readForms returns the forms of text, one per call of next, the last
// carrying the error that ended reading (io.EOF at the end). A text of
// readAheadMin bytes or more is read ahead; stop makes that reader give
// up early.
func readForms(src *lang.Source, text []byte) (next func() readForm, stop func()) {
	if len(text) < readAheadMin {
		r := lang.NewReader(src, text)
		return func() readForm {
			d, err := r.Read()
			return readForm{datum: d, pos: r.DatumPos(), err: err}
		}, func() {}
	}
	batches, stop := readAhead(src, text)
	var batch []readForm
	return func() readForm {
		for len(batch) == 0 {
			batch = <-batches
		}
		f := batch[0]
		batch = batch[1:]
		return f
	}, stop
}

// readAhead starts reading text. The forms come on the channel in
// batches, the last form carrying the error that ended reading (io.EOF
// at the end); stop makes the reader give up early.
func readAhead(src *lang.Source, text []byte) (batches <-chan []readForm, stop func()) {
	ch := make(chan []readForm, readAheadBatches)
	done := make(chan struct{})
	go func() {
		r := lang.NewReader(src, text)
		size := 1
		batch := make([]readForm, 0, size)
		for {
			d, err := r.Read()
			batch = append(batch, readForm{datum: d, pos: r.DatumPos(), err: err})
			if len(batch) < size && err == nil {
				continue
			}
			select {
			case ch <- batch:
			case <-done:
				return
			}
			if err != nil {
				return
			}
			size = min(2*size, maxReadBatch)
			batch = make([]readForm, 0, size)
		}
	}()
	return ch, func() { close(done) }
}
