package frontend

import (
	"encoding/json"
	"io"
	"sort"

	"fruix.dev/fruix/stdlib"
)

// The JSON form of a plan (fruix-eval --format json). Its schema is
// documented in docs/commands.md and versioned by the Schema field:
// fields may be added under the same version, never renamed or removed.

// JSONSchema names the current version of the JSON form.
const JSONSchema = "fruix-graph/1"

type jsonPlan struct {
	Schema       string           `json:"schema"`
	StoreDir     string           `json:"storeDir"`
	StoreChecked bool             `json:"storeChecked"`
	StoreNote    string           `json:"storeNote,omitempty"`
	Roots        []jsonRoot       `json:"roots"`
	Derivations  []jsonDerivation `json:"derivations"`
	Sources      []jsonSource     `json:"sources"`
	Summary      jsonSummary      `json:"summary"`
}

type jsonRoot struct {
	Derivation string            `json:"derivation,omitempty"`
	Source     string            `json:"source,omitempty"`
	Outputs    map[string]string `json:"outputs"`
}

type jsonDerivation struct {
	Path    string              `json:"path"`
	Name    string              `json:"name"`
	System  string              `json:"system"`
	Builder string              `json:"builder"`
	Outputs map[string]string   `json:"outputs"`
	Inputs  map[string][]string `json:"inputs"`
	Sources []string            `json:"sources"`
	Status  Status              `json:"status"`
}

type jsonSource struct {
	Path      string   `json:"path"`
	Name      string   `json:"name"`
	Kind      string   `json:"kind"`
	LocalFile string   `json:"localFile,omitempty"`
	Refs      []string `json:"refs"`
	Status    Status   `json:"status"`
}

type jsonSummary struct {
	Derivations  int `json:"derivations"`
	Build        int `json:"build"`
	Valid        int `json:"valid"`
	Unneeded     int `json:"unneeded"`
	Sources      int `json:"sources"`
	Add          int `json:"add"`
	SourcesValid int `json:"sourcesValid"`
}

// kindName names a source kind in the JSON form.
func kindName(k stdlib.SourceKind) string {
	switch k {
	case stdlib.SourceText:
		return "text"
	case stdlib.SourceTree:
		return "tree"
	case stdlib.SourceLocal:
		return "local"
	}
	panic("frontend: unknown source kind")
}

// WriteJSON writes the plan as one JSON object (schema fruix-graph/1).
func WriteJSON(w io.Writer, p *Plan) error {
	out := jsonPlan{
		Schema:       JSONSchema,
		StoreDir:     string(p.Graph.StoreDir),
		StoreChecked: p.Checked,
		StoreNote:    p.StoreNote,
		Roots:        []jsonRoot{},
		Derivations:  make([]jsonDerivation, 0, len(p.Derivations)),
		Sources:      make([]jsonSource, 0, len(p.Sources)),
		Summary: jsonSummary{
			Derivations: len(p.Derivations), Build: p.Count(StatusBuild), Valid: p.Count(StatusValid), Unneeded: p.Count(StatusUnneeded),
			Sources: len(p.Sources), Add: p.CountSources(StatusAdd), SourcesValid: p.CountSources(StatusValid),
		},
	}
	for _, r := range p.Graph.Roots {
		jr := jsonRoot{Outputs: r.Outputs}
		if r.Drv != nil {
			jr.Derivation = r.Drv.File
		} else if r.Source != nil {
			jr.Source = r.Source.Path
		}
		out.Roots = append(out.Roots, jr)
	}
	for _, d := range p.Derivations {
		jd := jsonDerivation{
			Path: d.Path, Name: d.Drv.Name, System: d.Drv.System, Builder: d.Drv.Builder,
			Outputs: map[string]string{}, Inputs: map[string][]string{},
			Sources: append([]string{}, d.Drv.InputSrcs...), Status: d.Status,
		}
		for name, o := range d.Drv.Outputs {
			jd.Outputs[name] = o.Path
		}
		for in, outs := range d.Drv.InputDrvs {
			o := append([]string{}, outs...)
			sort.Strings(o)
			jd.Inputs[in] = o
		}
		sort.Strings(jd.Sources)
		out.Derivations = append(out.Derivations, jd)
	}
	for _, s := range p.Sources {
		out.Sources = append(out.Sources, jsonSource{
			Path: s.Source.Path, Name: s.Source.Name, Kind: kindName(s.Source.Kind),
			LocalFile: s.Source.LocalFile, Refs: append([]string{}, s.Source.Refs...), Status: s.Status,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
