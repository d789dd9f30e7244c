package derivation

import (
	"encoding/json"
	"fmt"
	"sort"
)

// jsonOutput and jsonDerivation are the JSON display form, modelled on
// the output of `nix derivation show` (with full store paths, since the
// store directory varies).
type jsonOutput struct {
	Path     string `json:"path,omitempty"`
	HashAlgo string `json:"hashAlgo,omitempty"`
	Hash     string `json:"hash,omitempty"`
}

type jsonInputDrv struct {
	Outputs []string `json:"outputs"`
}

type jsonDerivation struct {
	Name      string                  `json:"name"`
	Outputs   map[string]jsonOutput   `json:"outputs"`
	InputSrcs []string                `json:"inputSrcs"`
	InputDrvs map[string]jsonInputDrv `json:"inputDrvs"`
	System    string                  `json:"system"`
	Builder   string                  `json:"builder"`
	Args      []string                `json:"args"`
	Env       map[string]string       `json:"env"`
}

// MarshalJSON gives the display form of the derivation: an object with
// name, outputs, inputSrcs, inputDrvs, system, builder, args and env.
func (d *Derivation) MarshalJSON() ([]byte, error) {
	j := jsonDerivation{
		Name:      d.Name,
		Outputs:   map[string]jsonOutput{},
		InputSrcs: append([]string{}, d.InputSrcs...),
		InputDrvs: map[string]jsonInputDrv{},
		System:    d.System,
		Builder:   d.Builder,
		Args:      append([]string{}, d.Args...),
		Env:       d.Env,
	}
	if j.Env == nil {
		j.Env = map[string]string{}
	}
	sort.Strings(j.InputSrcs)
	for name, o := range d.Outputs {
		j.Outputs[name] = jsonOutput(o)
	}
	for p, outs := range d.InputDrvs {
		sorted := append([]string{}, outs...)
		sort.Strings(sorted)
		j.InputDrvs[p] = jsonInputDrv{Outputs: sorted}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the display form back.
func (d *Derivation) UnmarshalJSON(b []byte) error {
	var j jsonDerivation
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("derivation JSON: %w", err)
	}
	*d = Derivation{
		Name:      j.Name,
		Outputs:   map[string]Output{},
		InputDrvs: map[string][]string{},
		InputSrcs: j.InputSrcs,
		System:    j.System,
		Builder:   j.Builder,
		Args:      j.Args,
		Env:       j.Env,
	}
	if d.Env == nil {
		d.Env = map[string]string{}
	}
	for name, o := range j.Outputs {
		d.Outputs[name] = Output(o)
	}
	for p, in := range j.InputDrvs {
		d.InputDrvs[p] = in.Outputs
	}
	return nil
}

// ShowJSON renders derivations keyed by their .drv paths, indented, as
// `fruix derivation show` prints them.
func ShowJSON(byPath map[string]*Derivation) ([]byte, error) {
	return json.MarshalIndent(byPath, "", "  ")
}
